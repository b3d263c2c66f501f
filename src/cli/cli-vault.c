/*
 * cli-vault.c — `kvdeck vault list|show|list-deleted`: the reads, the
 * lookups every vault command shares (which subscriptions, a vault or a
 * soft-deleted vault by name), the vaults as JSON the way az prints them
 * (the ARM resource plus resourceGroup), and the table of every `kvdeck
 * vault` command (the writes are in cli-vault-write.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"
#include "engine/graph.h"

/* The JSON text of a resource with "resourceGroup" added first, as az
 * adds it to every ARM resource it prints. */
static void
cli_json_with_group(FILE *f, const char *json, const char *group)
{
    const char *p = json != NULL ? strchr(json, '{') : NULL;
    if (p == NULL) {
        fputs("{}", f);
        return;
    }
    p++;
    fputs("{\"resourceGroup\":", f);
    cli_json_string(f, group);
    p += strspn(p, " \t\r\n");
    if (*p != '}')
        fputs(",\n  ", f);
    fputs(p, f);
}

void
cli_json_vault(FILE *f, const struct kv_vault *v)
{
    cli_json_with_group(f, v->json, v->resource_group);
}

void
cli_json_deleted_vault(FILE *f, const struct kv_deleted_vault *d)
{
    /* az keyvault list-deleted prints the deletedVaults resource as it
     * comes (its group is in properties.vaultId) */
    fputs(d->json != NULL ? d->json : "{}", f);
}

/* A subscription given by id or display name in the list subs, or
 * NULL. */
static const struct kv_subscription *
cli_sub_match(const struct vec *subs, const char *want)
{
    for (size_t i = 0; i < subs->len; i++) {
        const struct kv_subscription *s = subs->items[i];
        if (str_ieq(s->subscription_id, want) || str_ieq(s->id, want))
            return s;
    }
    for (size_t i = 0; i < subs->len; i++) {
        const struct kv_subscription *s = subs->items[i];
        if (str_ieq(s->display_name, want))
            return s;
    }
    return NULL;
}

int
cli_vault_subs(struct cli *c, bool all, struct vec *ids)
{
    const char *want = c->subscription;
    bool from_cfg = false;
    if (want == NULL && c->s != NULL && c->s->cfg != NULL) {
        want = c->s->cfg->subscription;
        from_cfg = want != NULL;
    }
    if (want == NULL && !all) {
        fprintf(stderr,
                _("kvdeck %s: which subscription? Give --subscription "
                  "(an id or a name)\n"),
                c->cmd);
        return CLI_USAGE;
    }
    struct vec subs;
    vec_init(&subs);
    struct result *r = cli_wait_job(c, job_list_subscriptions(), &subs, NULL);
    int rc = CLI_OK;
    if (r == NULL || r->type == RESULT_ERROR) {
        rc = cli_fail_result(c, r);
        goto out;
    }
    if (want != NULL) {
        const struct kv_subscription *s = cli_sub_match(&subs, want);
        if (s == NULL && from_cfg) {
            /* not given on the command line: say where it came from */
            fprintf(stderr,
                    _("kvdeck %s: the configuration's subscription = %s "
                      "matches none of the %zu subscriptions this sign-in "
                      "can see\n"),
                    c->cmd, want, subs.len);
            rc = CLI_NOT_FOUND;
            goto out;
        }
        if (s == NULL) {
            fprintf(stderr,
                    _("kvdeck %s: no subscription \"%s\" among the %zu this "
                      "sign-in can see\n"),
                    c->cmd, want, subs.len);
            rc = CLI_NOT_FOUND;
            goto out;
        }
        vec_push(ids, xstrdup(s->subscription_id));
        goto out;
    }
    for (size_t i = 0; i < subs.len; i++) {
        const struct kv_subscription *s = subs.items[i];
        vec_push(ids, xstrdup(s->subscription_id));
    }
out:
    result_free(r);
    vec_free_all(&subs, (void (*)(void *))kv_subscription_free);
    return rc;
}

int
cli_vault_find(struct cli *c, const char *name, struct kv_vault **out)
{
    struct vec ids;
    vec_init(&ids);
    *out = NULL;
    int rc = cli_vault_subs(c, true, &ids);
    for (size_t i = 0; rc == CLI_OK && *out == NULL && i < ids.len; i++) {
        struct job *j = job_new(JOB_GET_VAULT);
        struct job_vault_ref *p = job_vault_ref(j);
        p->subscription_id = xstrdup(ids.items[i]);
        p->name = xstrdup(name);
        struct vec items;
        vec_init(&items);
        struct result *r = cli_wait_job(c, j, &items, NULL);
        if (r != NULL && r->type == RESULT_DONE && items.len > 0) {
            *out = items.items[0];
            items.items[0] = NULL;
        } else if (r == NULL ||
                   (r->type == RESULT_ERROR && r->http_status != 404 &&
                    r->status != KV_ERR_NOT_FOUND)) {
            rc = cli_fail_result(c, r);
        }
        result_free(r);
        vec_free_all(&items, (void (*)(void *))kv_vault_free);
    }
    if (rc == CLI_OK && *out == NULL) {
        if (ids.len == 1)
            fprintf(stderr, _("kvdeck %s: no vault %s in subscription %s\n"),
                    c->cmd, name, (const char *)ids.items[0]);
        else
            fprintf(stderr,
                    _("kvdeck %s: no vault %s in the %zu subscriptions this "
                      "sign-in can see\n"),
                    c->cmd, name, ids.len);
        rc = CLI_NOT_FOUND;
    }
    vec_free_all(&ids, free);
    return rc;
}

/* The soft-deleted vaults of the subscriptions in ids, into items. */
static int
cli_vault_deleted(struct cli *c, const struct vec *ids, struct vec *items)
{
    for (size_t i = 0; i < ids->len; i++) {
        struct result *r = cli_wait_job(
            c, job_list_deleted_vaults(ids->items[i]), items, NULL);
        int rc = CLI_OK;
        if (r == NULL || r->type == RESULT_ERROR)
            rc = cli_fail_result(c, r);
        result_free(r);
        if (rc != CLI_OK)
            return rc;
    }
    return CLI_OK;
}

int
cli_vault_find_deleted(struct cli *c, const char *name,
                       struct kv_deleted_vault **out)
{
    struct vec ids, items;
    vec_init(&ids);
    vec_init(&items);
    *out = NULL;
    int rc = cli_vault_subs(c, true, &ids);
    if (rc == CLI_OK)
        rc = cli_vault_deleted(c, &ids, &items);
    for (size_t i = 0; rc == CLI_OK && *out == NULL && i < items.len; i++) {
        struct kv_deleted_vault *d = items.items[i];
        if (str_ieq(d->name, name)) {
            *out = d;
            items.items[i] = NULL;
        }
    }
    if (rc == CLI_OK && *out == NULL) {
        fprintf(stderr,
                _("kvdeck %s: no deleted vault %s (kvdeck vault "
                  "list-deleted shows them)\n"),
                c->cmd, name);
        rc = CLI_NOT_FOUND;
    }
    vec_free_all(&items, (void (*)(void *))kv_deleted_vault_free);
    vec_free_all(&ids, free);
    return rc;
}

/* The permission model, for the table: "rbac" or "policies". */
static const char *
cli_vault_model(const struct kv_vault *v)
{
    return v->rbac ? "rbac" : "policies";
}

/* Says on stderr that Resource Graph refused (r may be NULL). */
static void
cli_vault_graph_refused(struct cli *c, const struct result *r)
{
    char *why =
        r == NULL ? xstrdup("?")
        : r->http_status > 0
            ? xasprintf("%ld %s: %s", r->http_status,
                        r->error_code != NULL ? r->error_code : "",
                        r->message != NULL ? r->message
                                           : kv_status_message(r->status))
            : xstrdup(r->message != NULL ? r->message
                                         : kv_status_message(r->status));
    fprintf(stderr,
            _("kvdeck %s: Resource Graph refused (%s); listing each "
              "subscription instead\n"),
            c->cmd, why);
    free(why);
}

bool
cli_vault_graph(struct cli *c, const struct vec *ids, const char *group,
                struct vec *items)
{
    int threshold = c->s != NULL && c->s->cfg != NULL
                        ? c->s->cfg->graph_threshold
                        : GRAPH_THRESHOLD_DEFAULT;
    if (!graph_wanted(threshold, ids->len))
        return false;
    struct vec got;
    vec_init(&got);
    struct result *r = cli_wait_job(
        c, job_graph_vaults((const char *const *)ids->items, ids->len, group),
        &got, NULL);
    bool ok = r != NULL && r->type == RESULT_DONE;
    if (ok) {
        for (size_t i = 0; i < got.len; i++)
            vec_push(items, got.items[i]);
        got.len = 0;
    } else {
        cli_vault_graph_refused(c, r);
    }
    result_free(r);
    vec_free_all(&got, (void (*)(void *))kv_vault_free);
    return ok;
}

/* kvdeck vault list over every subscription: the subscription list's
 * first page already says whether the tenant is above graph-threshold
 * (a next page means more than it holds). Then the rest of that list is
 * not waited for: one Resource Graph query for the whole tenant (no
 * subscriptions named: every one the caller may read) answers, its
 * pages after the first asked together — three round trips after the
 * token. *graphed and items when it answered; else ids holds every
 * subscription (the whole list, read again after a refusal, said on
 * stderr: *tried). */
static int
cli_vault_list_tenant(struct cli *c, struct vec *ids, struct vec *items,
                      bool *graphed, bool *tried)
{
    int threshold = c->s != NULL && c->s->cfg != NULL
                        ? c->s->cfg->graph_threshold
                        : GRAPH_THRESHOLD_DEFAULT;
    *graphed = *tried = false;
    uint64_t id = engine_submit(c->e, job_list_subscriptions());
    if (id == 0)
        return cli_fail_result(c, NULL);
    bool early = false;
    for (;;) {
        struct result *r = engine_wait_result(c->e, -1);
        if (r == NULL || r->job_id != id) {
            if (r != NULL)
                result_dispatch(r); /* a sign-in's news */
            result_free(r);
            continue;
        }
        if (r->type == RESULT_ERROR) {
            int rc = cli_fail_result(c, r);
            result_free(r);
            return rc;
        }
        if (r->type == RESULT_DONE) {
            result_free(r);
            break;
        }
        if (r->type == RESULT_PAGE) {
            for (size_t i = 0; i < r->items.len; i++) {
                const struct kv_subscription *s = r->items.items[i];
                if (s != NULL && s->subscription_id != NULL)
                    vec_push(ids, xstrdup(s->subscription_id));
            }
            early = r->more && graph_wanted(threshold, ids->len + 1);
        }
        result_free(r);
        if (early) {
            engine_cancel(c->e, id);
            break;
        }
    }
    if (!early)
        return CLI_OK; /* the whole list is in: as before */
    *tried = true;
    struct vec got;
    vec_init(&got);
    struct result *r =
        cli_wait_job(c, job_graph_tenant_vaults(c->group), &got, NULL);
    if (r != NULL && r->type == RESULT_DONE) {
        for (size_t i = 0; i < got.len; i++)
            vec_push(items, got.items[i]);
        got.len = 0;
        *graphed = true;
    } else {
        cli_vault_graph_refused(c, r);
    }
    result_free(r);
    vec_free_all(&got, (void (*)(void *))kv_vault_free);
    if (*graphed)
        return CLI_OK;
    vec_free_all(ids, free);
    vec_init(ids);
    return cli_vault_subs(c, true, ids);
}

static int
cli_vault_list(struct cli *c)
{
    struct vec ids, items;
    vec_init(&ids);
    vec_init(&items);
    bool graphed = false, tried = false;
    int rc;
    if (c->subscription == NULL &&
        (c->s == NULL || c->s->cfg == NULL || c->s->cfg->subscription == NULL))
        rc = cli_vault_list_tenant(c, &ids, &items, &graphed, &tried);
    else
        rc = cli_vault_subs(c, true, &ids);
    if (!graphed && !tried)
        graphed = rc == CLI_OK && cli_vault_graph(c, &ids, c->group, &items);
    for (size_t i = 0; rc == CLI_OK && !graphed && i < ids.len; i++) {
        struct result *r = cli_wait_job(
            c, job_list_vaults(ids.items[i], c->group), &items, NULL);
        if (r == NULL || r->type == RESULT_ERROR)
            rc = cli_fail_result(c, r);
        result_free(r);
    }
    if (rc != CLI_OK)
        goto out;
    if (c->json)
        fputs("[", stdout);
    for (size_t i = 0; i < items.len; i++) {
        const struct kv_vault *v = items.items[i];
        if (c->json) {
            if (i)
                fputs(",\n", stdout);
            cli_json_vault(stdout, v);
        } else {
            printf("%-24s %-16s %-24s %-8s %-8s %s\n", v->name,
                   v->location ? v->location : "-",
                   v->resource_group ? v->resource_group : "-",
                   v->sku ? v->sku : "-", cli_vault_model(v),
                   v->vault_uri ? v->vault_uri : "-");
        }
    }
    if (c->json)
        fputs("]\n", stdout);
out:
    vec_free_all(&items, (void (*)(void *))kv_vault_free);
    vec_free_all(&ids, free);
    return rc;
}

/* One vault as text, a field a line. */
static void
cli_text_vault(FILE *f, const struct kv_vault *v)
{
    fprintf(f, _("name:                  %s\n"), v->name);
    fprintf(f, _("id:                    %s\n"), v->id);
    fprintf(f, _("resource group:        %s\n"), v->resource_group);
    fprintf(f, _("location:              %s\n"), v->location);
    fprintf(f, _("vault URI:             %s\n"), v->vault_uri);
    fprintf(f, _("SKU:                   %s\n"), v->sku ? v->sku : "-");
    fprintf(f, _("permission model:      %s\n"),
            v->rbac ? _("Azure RBAC") : _("access policies"));
    fprintf(f, _("soft-delete retention: %d days\n"), v->soft_delete_days);
    fprintf(f, _("purge protection:      %s\n"),
            v->purge_protection ? _("on") : _("off"));
    fprintf(f, _("public network access: %s\n"),
            v->public_network_access ? v->public_network_access : "-");
    fprintf(f, _("default action:        %s\n"),
            v->network_default_action ? v->network_default_action : "-");
    fprintf(f, _("provisioning state:    %s\n"),
            v->provisioning_state ? v->provisioning_state : "-");
    for (size_t i = 0; i < v->tags.n; i++)
        fprintf(f, _("tag:                   %s=%s\n"), v->tags.items[i].key,
                v->tags.items[i].value);
}

static int
cli_vault_show(struct cli *c)
{
    char *name = cli_vault_name(c->pos[0]);
    struct kv_vault *v = NULL;
    int rc = cli_vault_find(c, name, &v);
    if (rc == CLI_OK && c->json) {
        cli_json_vault(stdout, v);
        fputc('\n', stdout);
    } else if (rc == CLI_OK) {
        cli_text_vault(stdout, v);
    }
    kv_vault_free(v);
    free(name);
    return rc;
}

static int
cli_vault_list_deleted(struct cli *c)
{
    struct vec ids, items;
    vec_init(&ids);
    vec_init(&items);
    int rc = cli_vault_subs(c, true, &ids);
    if (rc == CLI_OK)
        rc = cli_vault_deleted(c, &ids, &items);
    if (rc != CLI_OK)
        goto out;
    if (c->json)
        fputs("[", stdout);
    for (size_t i = 0; i < items.len; i++) {
        const struct kv_deleted_vault *d = items.items[i];
        char del[32], purge[32];
        if (c->json) {
            if (i)
                fputs(",\n", stdout);
            cli_json_deleted_vault(stdout, d);
        } else {
            printf("%-24s %-16s %-24s %s %-20s %s %-20s%s\n", d->name,
                   d->location ? d->location : "-",
                   d->resource_group ? d->resource_group : "-", _("deleted"),
                   cli_time(d->deletion_date, del, sizeof del), _("purged"),
                   cli_time(d->scheduled_purge_date, purge, sizeof purge),
                   d->purge_protection ? _(" purge protection") : "");
        }
    }
    if (c->json)
        fputs("]\n", stdout);
out:
    vec_free_all(&items, (void (*)(void *))kv_deleted_vault_free);
    vec_free_all(&ids, free);
    return rc;
}

/* Every vault command: --subscription; those on one vault also -n. */
#define OPT_SUB   (OPT_COMMON | OPT_SUBSCRIPTION)
#define OPT_NAMED (OPT_SUB | OPT_VAULT_NAME)

const struct cli_cmd cli_vault_cmds[] = {
    {.name = "list",
     .opts = OPT_SUB | OPT_GROUP,
     .run = cli_vault_list,
     .args = N_("[--subscription S] [-g GROUP] [--json]")},
    {.name = "show",
     .min_pos = 1,
     .max_pos = 1,
     .opts = OPT_NAMED,
     .run = cli_vault_show,
     .args = N_("VAULT [--subscription S] [--json]")},
    {.name = "list-deleted",
     .opts = OPT_SUB,
     .run = cli_vault_list_deleted,
     .args = N_("[--subscription S] [--json]")},
    {.name = "create",
     .min_pos = 1,
     .max_pos = 1,
     .opts = OPT_NAMED | OPT_GROUP | OPT_LOCATION | OPT_CREATE_GROUP | OPT_SKU |
             OPT_RBAC | OPT_RETENTION | OPT_PURGE_PROTECTION |
             OPT_PUBLIC_ACCESS | OPT_DEFAULT_ACTION | OPT_TAGS | OPT_NO_WAIT |
             OPT_NO_SELF_PERMS,
     .writes = true,
     .run = cli_vault_create,
     .args = N_("NAME --subscription S -g GROUP -l LOCATION "
                "[--create-resource-group] [--sku standard|premium] "
                "[--enable-rbac-authorization true|false] [--retention-days N] "
                "[--enable-purge-protection] [--public-network-access "
                "Enabled|Disabled] [--default-action Allow|Deny] [--tags K=V "
                "...] [--no-self-perms] [--no-wait] [--dry-run] [--yes] "
                "[--json]")},
    {.name = "delete",
     .min_pos = 1,
     .max_pos = 1,
     .opts = OPT_NAMED,
     .writes = true,
     .run = cli_vault_delete,
     .args = N_("NAME [--subscription S] [--dry-run] [--yes] [--json]")},
    {.name = "recover",
     .min_pos = 1,
     .max_pos = 1,
     .opts = OPT_NAMED | OPT_NO_WAIT,
     .writes = true,
     .run = cli_vault_recover,
     .args = N_("NAME [--subscription S] [--no-wait] [--dry-run] [--yes] "
                "[--json]")},
    {.name = "purge",
     .min_pos = 1,
     .max_pos = 1,
     .opts = OPT_NAMED,
     .writes = true,
     .run = cli_vault_purge,
     .args = N_("NAME [--subscription S] [--dry-run] [--yes] [--json]")},
    {.name = NULL},
};
