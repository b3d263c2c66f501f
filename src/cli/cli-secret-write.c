/*
 * cli-secret-write.c — `kvdeck secret set|rotate|copy|delete|recover|
 * purge`: each builds the same plan the console builds (engine/plan.h)
 * and hands it to cli_plan() for the review, the run and the report.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"

/* The part every secret plan shares: vault and name, checked. */
static int
cli_change_init(struct cli *c, struct secret_change *ch, char **uri,
                char **vname)
{
    memset(ch, 0, sizeof *ch);
    const char *bad = plan_check_secret_name(c->pos[1]);
    if (bad != NULL) {
        fprintf(stderr, "kvdeck %s: %s: %s\n", c->cmd, c->pos[1], bad);
        return CLI_USAGE;
    }
    *uri = cli_vault_uri(c, c->pos[0]);
    *vname = cli_vault_name(c->pos[0]);
    if (*uri == NULL) {
        fprintf(stderr,
                _("kvdeck %s: this cloud has no Key Vault DNS suffix; "
                  "give the vault's URI\n"),
                c->cmd);
        return CLI_USAGE;
    }
    ch->vault_uri = *uri;
    ch->vault_name = *vname;
    ch->name = c->pos[1];
    return CLI_OK;
}

/* --content-type, --expires, --not-before into ch. */
static int
cli_change_attrs(struct cli *c, struct secret_change *ch)
{
    int64_t now = time_now();
    ch->content_type = c->content_type;
    if (c->expires != NULL) {
        if (!time_parse_date(c->expires, now, &ch->expires)) {
            fprintf(stderr,
                    _("kvdeck %s: --expires %s: not a date (2027-03-05, "
                      "2027-03-05T10:00:00Z, +90d)\n"),
                    c->cmd, c->expires);
            return CLI_USAGE;
        }
        ch->has_expires = true;
    }
    if (c->not_before != NULL) {
        if (!time_parse_date(c->not_before, now, &ch->not_before)) {
            fprintf(stderr,
                    _("kvdeck %s: --not-before %s: not a date (2027-03-05, "
                      "2027-03-05T10:00:00Z, +90d)\n"),
                    c->cmd, c->not_before);
            return CLI_USAGE;
        }
        ch->has_not_before = true;
    }
    return CLI_OK;
}

int
cli_secret_set(struct cli *c)
{
    struct secret_change ch;
    char *uri = NULL, *vname = NULL;
    int rc = cli_change_init(c, &ch, &uri, &vname);
    if (rc == CLI_OK)
        rc = cli_change_attrs(c, &ch);
    if (rc == CLI_OK)
        rc = cli_value(c, &ch.value);
    if (rc == CLI_OK) {
        if (c->tags.n > 0) {
            ch.has_tags = true;
            ch.tags = &c->tags;
        }
        c->arm_hint = c->via_arm ? CLI_HINT_NONE : CLI_HINT_WRITE;
        rc = c->via_arm ? cli_secret_set_arm(c, &ch)
                        : cli_plan(c, plan_secret_set(&ch));
    }
    secret_free(ch.value);
    free(uri);
    free(vname);
    return rc;
}

/* --retire-old into ch (default keep). */
static int
cli_rotate_retire(struct cli *c, struct secret_change *ch)
{
    const char *r = c->retire_old;
    if (r == NULL || strcmp(r, "keep") == 0) {
        ch->retire = RETIRE_KEEP;
    } else if (strcmp(r, "now") == 0) {
        ch->retire = RETIRE_NOW;
    } else if (time_parse_duration(r, &ch->retire_after)) {
        ch->retire = RETIRE_LATER;
    } else {
        fprintf(stderr,
                _("kvdeck %s: --retire-old %s: give now, keep, or a delay "
                  "such as 30m, 24h, 7d\n"),
                c->cmd, r);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int
cli_secret_rotate(struct cli *c)
{
    struct secret_change ch;
    char *uri = NULL, *vname = NULL, *old_version = NULL;
    struct vec items;
    struct secret *oldval = NULL;
    struct kv_tags tags = {0};
    struct result *r = NULL;
    vec_init(&items);
    if (c->at_source || c->account != NULL || c->retire_pending)
        /* the key of an AI services account */
        return cli_secret_rotate_source(c);
    int rc = cli_change_init(c, &ch, &uri, &vname);
    if (rc == CLI_OK)
        rc = cli_change_attrs(c, &ch);
    if (rc == CLI_OK)
        rc = cli_rotate_retire(c, &ch);
    if (rc == CLI_OK)
        rc = cli_value(c, &ch.value);
    if (rc != CLI_OK)
        goto out;
    if (c->via_arm) {
        rc = cli_secret_rotate_arm(c, &ch);
        goto out;
    }
    c->arm_hint = CLI_HINT_WRITE;
    /* What the review is about: the latest version now. Its value is
     * dropped at once. */
    r = cli_wait_job(c, job_get_secret_value(uri, c->pos[1], NULL), &items,
                     &oldval);
    secret_free(oldval);
    oldval = NULL;
    if (r == NULL || r->type == RESULT_ERROR || items.len == 0) {
        rc = cli_fail_result(c, r);
        goto out;
    }
    struct kv_secret_version *cur = items.items[0];
    int64_t now = time_now();
    if (!ch.has_expires) {
        ch.has_expires = true;
        ch.expires = plan_rotation_expiry(&cur->tags, now);
    }
    if (ch.content_type == NULL)
        ch.content_type = cur->content_type;
    for (size_t i = 0; i < cur->tags.n; i++)
        kv_tags_set(&tags, cur->tags.items[i].key, cur->tags.items[i].value);
    for (size_t i = 0; i < c->tags.n; i++)
        kv_tags_set(&tags, c->tags.items[i].key, c->tags.items[i].value);
    plan_rotation_tags(&tags, now);
    ch.has_tags = true;
    ch.tags = &tags;
    /* --if-version: the version the caller reviewed, checked by the plan
     * like the console's review. */
    if (c->if_version != NULL) {
        old_version = cur->version;
        cur->version = xstrdup(c->if_version);
    }
    ch.current = cur;
    rc = cli_plan(c, plan_rotate(&ch));
out:
    if (old_version != NULL)
        free(old_version);
    kv_tags_free(&tags);
    result_free(r);
    vec_free_all(&items, (void (*)(void *))kv_secret_version_free);
    secret_free(ch.value);
    free(uri);
    free(vname);
    return rc;
}

int
cli_secret_copy(struct cli *c)
{
    struct secret_change ch;
    char *uri = NULL, *vname = NULL, *to_uri = NULL, *to_name = NULL;
    int rc = cli_change_init(c, &ch, &uri, &vname);
    if (rc == CLI_OK && c->name != NULL &&
        plan_check_secret_name(c->name) != NULL) {
        fprintf(stderr, "kvdeck %s: %s: %s\n", c->cmd, c->name,
                plan_check_secret_name(c->name));
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK) {
        to_uri = cli_vault_uri(c, c->pos[2]);
        to_name = cli_vault_name(c->pos[2]);
        ch.to_vault_uri = to_uri;
        ch.to_vault_name = to_name;
        ch.to_name = c->name;
        rc = cli_plan(c, plan_secret_copy(&ch));
    }
    free(uri);
    free(vname);
    free(to_uri);
    free(to_name);
    return rc;
}

/* delete, recover, purge: the plan of builder on VAULT NAME. */
static int
cli_secret_simple(struct cli *c,
                  struct plan *(*builder)(struct secret_change *))
{
    struct secret_change ch;
    char *uri = NULL, *vname = NULL;
    int rc = cli_change_init(c, &ch, &uri, &vname);
    if (rc == CLI_OK)
        rc = cli_plan(c, builder(&ch));
    free(uri);
    free(vname);
    return rc;
}

int
cli_secret_delete(struct cli *c)
{
    return cli_secret_simple(c, plan_secret_delete);
}

int
cli_secret_recover(struct cli *c)
{
    return cli_secret_simple(c, plan_secret_recover);
}

int
cli_secret_purge(struct cli *c)
{
    return cli_secret_simple(c, plan_secret_purge);
}
