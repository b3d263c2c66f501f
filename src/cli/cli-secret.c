/*
 * cli-secret.c — `kvdeck secret list|list-deleted|show`: the reads (list
 * also through Resource Manager: --via-arm), and the table of every
 * `kvdeck secret` command (the writes are in cli-secret-write.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "cli/cli-int.h"

/* The secrets as a table, or a JSON array of SecretItems. */
static void
cli_secret_print_items(const struct cli *c, const struct vec *items)
{
    if (c->json)
        fputs("[", stdout);
    for (size_t i = 0; i < items->len; i++) {
        const struct kv_secret_item *s = items->items[i];
        char exp[32], upd[32];
        if (c->json) {
            if (i)
                fputs(",\n", stdout);
            cli_json_item(stdout, s);
        } else {
            printf("%-40s %-8s %-20s %-20s %s\n", s->name,
                   s->attrs.enabled ? _("enabled") : _("disabled"),
                   cli_time(s->attrs.updated, upd, sizeof upd),
                   cli_time(s->attrs.expires, exp, sizeof exp),
                   s->content_type ? s->content_type : "");
        }
    }
    if (c->json)
        fputs("]\n", stdout);
}

/* --via-arm: names and attributes through Resource Manager (GET
 * .../vaults/V/secrets), for a vault whose data plane does not admit
 * this host; never a value. */
static int
cli_secret_list_arm(struct cli *c)
{
    char *name = cli_vault_name(c->pos[0]);
    struct kv_vault *v = NULL;
    struct vec items;
    vec_init(&items);
    int rc = cli_vault_find(c, name, &v);
    if (rc == CLI_OK) {
        struct result *r =
            cli_wait_job(c, job_list_arm_secrets(v->id), &items, NULL);
        if (r == NULL || r->type == RESULT_ERROR)
            rc = cli_fail_result(c, r);
        result_free(r);
    }
    if (rc == CLI_OK)
        cli_secret_print_items(c, &items);
    vec_free_all(&items, (void (*)(void *))kv_secret_item_free);
    kv_vault_free(v);
    free(name);
    return rc;
}

static int
cli_secret_list(struct cli *c)
{
    if (c->via_arm)
        return cli_secret_list_arm(c);
    c->arm_hint = CLI_HINT_LIST;
    char *uri = cli_vault_uri(c, c->pos[0]);
    struct vec items;
    vec_init(&items);
    struct result *r = cli_wait_job(c, job_list_secrets(uri), &items, NULL);
    int rc = CLI_OK;
    if (r == NULL || r->type == RESULT_ERROR)
        rc = cli_fail_result(c, r);
    else
        cli_secret_print_items(c, &items);
    result_free(r);
    vec_free_all(&items, (void (*)(void *))kv_secret_item_free);
    free(uri);
    return rc;
}

static int
cli_secret_list_deleted(struct cli *c)
{
    char *uri = cli_vault_uri(c, c->pos[0]);
    struct vec items;
    vec_init(&items);
    struct result *r =
        cli_wait_job(c, job_list_deleted_secrets(uri), &items, NULL);
    int rc = CLI_OK;
    if (r == NULL || r->type == RESULT_ERROR) {
        rc = cli_fail_result(c, r);
        goto out;
    }
    if (c->json)
        fputs("[", stdout);
    for (size_t i = 0; i < items.len; i++) {
        const struct kv_deleted_secret *d = items.items[i];
        char del[32], purge[32];
        if (c->json) {
            if (i)
                fputs(",\n", stdout);
            cli_json_deleted(stdout, d);
        } else {
            printf("%-40s %s %-20s %s %s\n", d->name, _("deleted"),
                   cli_time(d->deleted_date, del, sizeof del), _("purged"),
                   cli_time(d->scheduled_purge_date, purge, sizeof purge));
        }
    }
    if (c->json)
        fputs("]\n", stdout);
out:
    result_free(r);
    vec_free_all(&items, (void (*)(void *))kv_deleted_secret_free);
    free(uri);
    return rc;
}

static int
cli_secret_show(struct cli *c)
{
    char *uri = cli_vault_uri(c, c->pos[0]);
    struct vec items;
    struct secret *value = NULL;
    vec_init(&items);
    struct result *r = cli_wait_job(
        c, job_get_secret_value(uri, c->pos[1], c->version), &items, &value);
    int rc = CLI_OK;
    if (r == NULL || r->type == RESULT_ERROR || items.len == 0) {
        rc = cli_fail_result(c, r);
        goto out;
    }
    const struct secret *shown = c->show_value ? value : NULL;
    if (c->json) {
        cli_json_version(stdout, items.items[0], shown);
        fputc('\n', stdout);
    } else {
        cli_text_version(stdout, items.items[0], shown);
    }
    fflush(stdout);
out:
    secret_free(value);
    result_free(r);
    vec_free_all(&items, (void (*)(void *))kv_secret_version_free);
    free(uri);
    return rc;
}

const struct cli_cmd cli_secret_cmds[] = {
    {"list", 1, 1,
     OPT_JSON | OPT_DRY_RUN | OPT_YES | OPT_VIA_ARM | OPT_SUBSCRIPTION, false,
     cli_secret_list, N_("VAULT [--via-arm [--subscription S]] [--json]")},
    {"expiring", 0, 0, OPT_COMMON | OPT_SUBSCRIPTION | OPT_DAYS, false,
     cli_secret_expiring, N_("[--days N] [--subscription S] [--json]")},
    {"list-deleted", 1, 1, OPT_JSON | OPT_DRY_RUN | OPT_YES, false,
     cli_secret_list_deleted, N_("VAULT [--json]")},
    {"show", 2, 2, OPT_COMMON | OPT_VERSION | OPT_SHOW_VALUE, false,
     cli_secret_show, N_("VAULT NAME [--version V] [--show-value] [--json]")},
    {"set", 2, 2, OPT_COMMON | OPT_WRITE_ATTRS | OPT_VIA_ARM | OPT_SUBSCRIPTION,
     true, cli_secret_set,
     N_("VAULT NAME [--value-file F | --generate SPEC] [--content-type T] "
        "[--expires DATE] [--not-before DATE] [--tags K=V ...] [--via-arm "
        "[--subscription S]] [--dry-run] [--yes] [--json]")},
    {"rotate", 2, 2,
     OPT_COMMON | OPT_WRITE_ATTRS | OPT_RETIRE_OLD | OPT_IF_VERSION |
         OPT_VIA_ARM | OPT_SUBSCRIPTION | OPT_AT_SOURCE | OPT_ACCOUNT |
         OPT_RETIRE_PENDING,
     true, cli_secret_rotate,
     N_("VAULT NAME [--value-file F | --generate SPEC] [--content-type T] "
        "[--expires DATE] [--not-before DATE] [--tags K=V ...] "
        "[--retire-old now|DURATION|keep] [--if-version V] [--via-arm "
        "[--subscription S]] [--at-source [--account ID] "
        "[--retire-pending]] [--dry-run] [--yes] [--json]")},
    {"copy", 3, 3, OPT_COMMON | OPT_NAME, true, cli_secret_copy,
     N_("VAULT NAME TO-VAULT [--name NEW] [--dry-run] [--yes] [--json]")},
    {"delete", 2, 2, OPT_COMMON, true, cli_secret_delete,
     N_("VAULT NAME [--dry-run] [--yes] [--json]")},
    {"recover", 2, 2, OPT_COMMON, true, cli_secret_recover,
     N_("VAULT NAME [--dry-run] [--yes] [--json]")},
    {"purge", 2, 2, OPT_COMMON, true, cli_secret_purge,
     N_("VAULT NAME [--dry-run] [--yes] [--json]")},
    {NULL, 0, 0, 0, false, NULL, NULL},
};
