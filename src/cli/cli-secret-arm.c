/*
 * cli-secret-arm.c — `kvdeck secret set|rotate --via-arm` (issue #10):
 * a new version written through Resource Manager (PUT .../vaults/V/
 * secrets/NAME), for a vault whose data plane does not admit this host
 * (public network access disabled, a firewall). The vault is found by
 * name in the subscriptions (its ARM id); rotate reads the latest
 * version through Resource Manager too (names and attributes, never a
 * value). The value cannot be read back to verify, and the old version
 * stays enabled (Resource Manager cannot disable one version): the
 * review and the output say so (cli-plan.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"

/* The vault's ARM id (caller frees), found by the name of VAULT. */
static int
cli_arm_vault(struct cli *c, char **vault_id)
{
    char *name = cli_vault_name(c->pos[0]);
    struct kv_vault *v = NULL;
    int rc = cli_vault_find(c, name, &v);
    *vault_id = rc == CLI_OK ? xstrdup(v->id) : NULL;
    kv_vault_free(v);
    free(name);
    return rc;
}

/* The plan, or why there is none. */
static int
cli_arm_run(struct cli *c, struct secret_change *ch, const char *vault_id,
            bool rotate)
{
    struct plan *p = plan_secret_set_arm(ch, vault_id, rotate);
    if (p == NULL) {
        fprintf(stderr,
                _("kvdeck %s: refused: this write cannot go through "
                  "Resource Manager\n"),
                c->cmd);
        return CLI_REFUSED;
    }
    return cli_plan(c, p);
}

int
cli_secret_set_arm(struct cli *c, struct secret_change *ch)
{
    char *vault_id = NULL;
    int rc = cli_arm_vault(c, &vault_id);
    if (rc == CLI_OK)
        rc = cli_arm_run(c, ch, vault_id, false);
    free(vault_id);
    return rc;
}

int
cli_secret_rotate_arm(struct cli *c, struct secret_change *ch)
{
    char *vault_id = NULL;
    struct vec items;
    struct kv_tags tags = {0};
    struct kv_secret_version cur;
    memset(&cur, 0, sizeof cur);
    vec_init(&items);
    if (ch->retire != RETIRE_KEEP) {
        fprintf(stderr,
                _("kvdeck %s: --retire-old %s: through Resource Manager the "
                  "old version can only be kept (it cannot disable one "
                  "version); leave out --retire-old\n"),
                c->cmd, c->retire_old);
        return CLI_USAGE;
    }
    int rc = cli_arm_vault(c, &vault_id);
    if (rc != CLI_OK)
        goto out;
    /* the latest version, as Resource Manager lists it (no value) */
    struct result *r =
        cli_wait_job(c, job_list_arm_secrets(vault_id), &items, NULL);
    if (r == NULL || r->type == RESULT_ERROR)
        rc = cli_fail_result(c, r);
    result_free(r);
    if (rc != CLI_OK)
        goto out;
    const struct kv_secret_item *it = NULL;
    for (size_t i = 0; i < items.len; i++)
        if (str_ieq(((struct kv_secret_item *)items.items[i])->name, ch->name))
            it = items.items[i];
    if (it == NULL) {
        fprintf(stderr, _("kvdeck %s: no secret %s in %s\n"), c->cmd, ch->name,
                ch->vault_name);
        rc = CLI_NOT_FOUND;
        goto out;
    }
    cur.id = it->id;
    cur.name = it->name;
    cur.version = it->latest_version ? xstrdup(it->latest_version) : NULL;
    cur.vault_uri = it->vault_uri;
    cur.content_type = it->content_type;
    cur.attrs = it->attrs;
    cur.tags = it->tags;
    if (c->if_version != NULL) {
        free(cur.version);
        cur.version = xstrdup(c->if_version);
    }
    int64_t now = time_now();
    if (!ch->has_expires) {
        ch->has_expires = true;
        ch->expires = plan_rotation_expiry(&it->tags, now);
    }
    if (ch->content_type == NULL)
        ch->content_type = it->content_type;
    for (size_t i = 0; i < it->tags.n; i++)
        kv_tags_set(&tags, it->tags.items[i].key, it->tags.items[i].value);
    for (size_t i = 0; i < c->tags.n; i++)
        kv_tags_set(&tags, c->tags.items[i].key, c->tags.items[i].value);
    plan_rotation_tags(&tags, now);
    ch->has_tags = true;
    ch->tags = &tags;
    ch->current = &cur;
    rc = cli_arm_run(c, ch, vault_id, true);
    ch->current = NULL;
    ch->tags = NULL;
out:
    free(cur.version);
    kv_tags_free(&tags);
    vec_free_all(&items, (void (*)(void *))kv_secret_item_free);
    free(vault_id);
    return rc;
}
