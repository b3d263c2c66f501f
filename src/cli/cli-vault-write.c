/*
 * cli-vault-write.c — `kvdeck vault create|delete|recover|purge`: each
 * checks what can be checked before anything is sent (the name, the
 * options, the subscription, the group, the region, whether the name is
 * free or held by a soft-deleted vault), then builds the plan the wizard
 * builds (engine/plan.h, "vault plans") and hands it to cli_plan() for
 * the review, the run and the report.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"

/* One of an option's two words (case-insensitive, as az): *is_b says
 * which; anything else is a usage message. */
static int
cli_vault_word(struct cli *c, const char *opt, const char *given, const char *a,
               const char *b, bool *is_b)
{
    if (strcasecmp(given, a) == 0 || strcasecmp(given, b) == 0) {
        *is_b = strcasecmp(given, b) == 0;
        return CLI_OK;
    }
    fprintf(stderr, _("kvdeck %s: --%s %s: give %s or %s\n"), c->cmd, opt,
            given, a, b);
    return CLI_USAGE;
}

/* The options of create into s: all checked before any request. */
static int
cli_vault_spec_opts(struct cli *c, struct vault_spec *s)
{
    const char *bad = plan_check_vault_name(c->pos[0]);
    if (bad != NULL) {
        fprintf(stderr, "kvdeck %s: %s: %s\n", c->cmd, c->pos[0], bad);
        return CLI_USAGE;
    }
    if (c->subscription == NULL || c->group == NULL || c->location == NULL) {
        fprintf(stderr,
                _("kvdeck %s: give --subscription, -g (the resource group) "
                  "and -l (the region)\n"),
                c->cmd);
        return CLI_USAGE;
    }
    bad = plan_check_group_name(c->group);
    if (bad != NULL) {
        fprintf(stderr, "kvdeck %s: %s: %s\n", c->cmd, c->group, bad);
        return CLI_USAGE;
    }
    s->name = c->pos[0];
    s->resource_group = c->group;
    s->rbac = (c->given & OPT_RBAC) ? c->rbac : true; /* Azure's default */
    s->purge_protection = c->purge_protection;
    s->retention_days = 90;
    s->public_access = true;
    bool no = false;
    int rc = CLI_OK;
    if (c->sku != NULL &&
        (rc = cli_vault_word(c, "sku", c->sku, "standard", "premium",
                             &s->premium)) != CLI_OK)
        return rc;
    if (c->public_access != NULL &&
        (rc = cli_vault_word(c, "public-network-access", c->public_access,
                             "Enabled", "Disabled", &no)) != CLI_OK)
        return rc;
    s->public_access = !no;
    if (c->default_action != NULL &&
        (rc = cli_vault_word(c, "default-action", c->default_action, "Allow",
                             "Deny", &s->default_deny)) != CLI_OK)
        return rc;
    if (c->retention != NULL) {
        char *end = NULL;
        long d = strtol(c->retention, &end, 10);
        if (end == c->retention || *end != '\0' || d < 7 || d > 90) {
            fprintf(stderr,
                    _("kvdeck %s: --retention-days %s: give a number of "
                      "days from 7 to 90\n"),
                    c->cmd, c->retention);
            return CLI_USAGE;
        }
        s->retention_days = (int)d;
    }
    if (c->tags.n > 0)
        s->tags = &c->tags;
    return CLI_OK;
}

/* Whether group exists in sub; missing without --create-resource-group
 * is exit 4. */
static int
cli_vault_group(struct cli *c, const char *sub, struct vault_spec *s)
{
    struct vec items;
    vec_init(&items);
    struct result *r = cli_wait_job(c, job_list_groups(sub), &items, NULL);
    int rc = CLI_OK;
    bool found = false;
    if (r == NULL || r->type == RESULT_ERROR) {
        rc = cli_fail_result(c, r);
        goto out;
    }
    for (size_t i = 0; i < items.len; i++)
        if (str_ieq(((struct kv_group *)items.items[i])->name, c->group))
            found = true;
    if (!found && !c->create_group) {
        fprintf(stderr,
                _("kvdeck %s: resource group %s does not exist in "
                  "subscription %s; create it with --create-resource-group "
                  "(in %s), or give an existing one with -g\n"),
                c->cmd, c->group, sub, c->location);
        rc = CLI_NOT_FOUND;
    }
    s->create_group = !found;
out:
    result_free(r);
    vec_free_all(&items, (void (*)(void *))kv_group_free);
    return rc;
}

/* "West Europe" and "westeurope" alike: lower case, no blanks. */
static bool
cli_vault_same_region(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return false;
    for (;;) {
        while (isspace((unsigned char)*a))
            a++;
        while (isspace((unsigned char)*b))
            b++;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
        if (*a == '\0')
            return true;
        a++;
        b++;
    }
}

/* The region's name (westeurope) among the subscription's locations, into
 * *out (caller frees); an unknown one is a usage error naming a few. */
static int
cli_vault_region(struct cli *c, const char *sub, char **out)
{
    struct vec items;
    vec_init(&items);
    struct result *r = cli_wait_job(c, job_list_locations(sub), &items, NULL);
    int rc = CLI_OK;
    *out = NULL;
    if (r == NULL || r->type == RESULT_ERROR) {
        rc = cli_fail_result(c, r);
        goto out;
    }
    for (size_t i = 0; *out == NULL && i < items.len; i++) {
        const struct kv_location *l = items.items[i];
        if (cli_vault_same_region(l->name, c->location) ||
            cli_vault_same_region(l->display_name, c->location))
            *out = xstrdup(l->name);
    }
    if (*out == NULL) {
        fprintf(stderr,
                _("kvdeck %s: -l %s: not a region of subscription %s; it "
                  "has:"),
                c->cmd, c->location, sub);
        for (size_t i = 0; i < items.len; i++)
            fprintf(stderr, " %s",
                    ((const struct kv_location *)items.items[i])->name);
        fputc('\n', stderr);
        rc = CLI_USAGE;
    }
out:
    result_free(r);
    vec_free_all(&items, (void (*)(void *))kv_location_free);
    return rc;
}

/* Why a soft-deleted vault holds the name, and the two ways out. */
static void
cli_vault_held(struct cli *c, const struct kv_deleted_vault *d, const char *sub)
{
    char del[32], purge[32];
    fprintf(stderr,
            _("kvdeck %s: the name %s is held by a soft-deleted vault "
              "(deleted %s from group %s, purged by Azure on %s)\n"),
            c->cmd, d->name, cli_time(d->deletion_date, del, sizeof del),
            d->resource_group ? d->resource_group : "-",
            cli_time(d->scheduled_purge_date, purge, sizeof purge));
    fprintf(stderr,
            _("  recover it: kvdeck vault recover %s --subscription %s\n"),
            d->name, sub);
    if (d->purge_protection)
        fprintf(stderr,
                _("  it cannot be purged: purge protection holds it until "
                  "%s; recover it or choose another name\n"),
                purge);
    else
        fprintf(stderr,
                _("  or free the name for good: kvdeck vault purge %s "
                  "--subscription %s\n"),
                d->name, sub);
}

/* Is the name free? Taken, invalid or held by a soft-deleted vault: an
 * exit code with the reason. */
static int
cli_vault_name_free(struct cli *c, const char *sub, const char *name)
{
    struct vec items;
    vec_init(&items);
    struct result *r =
        cli_wait_job(c, job_check_vault_name(sub, name), &items, NULL);
    int rc = CLI_OK;
    if (r == NULL || r->type == RESULT_ERROR || items.len == 0) {
        rc = cli_fail_result(c, r);
        goto out;
    }
    const struct kv_name_check *k = items.items[0];
    if (k->available)
        goto out;
    rc = CLI_REFUSED;
    if (k->deleted != NULL) {
        cli_vault_held(c, k->deleted, sub);
    } else if (str_eq(k->reason, "AccountNameInvalid")) {
        fprintf(stderr, "kvdeck %s: %s: %s\n", c->cmd, name,
                k->message ? k->message : k->reason);
        rc = CLI_USAGE;
    } else {
        fprintf(stderr,
                _("kvdeck %s: the name %s is taken (vault names are unique "
                  "across Azure): %s; choose another\n"),
                c->cmd, name,
                k->message ? k->message : (k->reason ? k->reason : "-"));
    }
out:
    result_free(r);
    vec_free_all(&items, (void (*)(void *))kv_name_check_free);
    return rc;
}

int
cli_vault_create(struct cli *c)
{
    struct vault_spec s;
    struct engine_identity id;
    struct vec ids;
    char *region = NULL, *uri = NULL;
    memset(&s, 0, sizeof s);
    vec_init(&ids);
    int rc = cli_vault_spec_opts(c, &s);
    if (rc == CLI_OK)
        rc = cli_vault_subs(c, false, &ids);
    if (rc != CLI_OK)
        goto out;
    s.subscription_id = ids.items[0];
    if ((rc = cli_vault_region(c, s.subscription_id, &region)) != CLI_OK ||
        (rc = cli_vault_group(c, s.subscription_id, &s)) != CLI_OK ||
        (rc = cli_vault_name_free(c, s.subscription_id, s.name)) != CLI_OK)
        goto out;
    s.location = region;
    uri = engine_vault_uri(c->e, s.name);
    s.vault_uri = uri;
    /* who gets the role (RBAC) or the access policy: the signed-in
     * principal, as az keyvault create gives itself access */
    if (!engine_identity(c->e, &id))
        memset(&id, 0, sizeof id);
    s.tenant_id = id.tenant_id[0] ? id.tenant_id : NULL;
    if (!c->no_self_perms && id.object_id[0] != '\0') {
        s.principal_id = id.object_id;
        s.principal_type = engine_principal_type(&id);
    } else if (!c->no_self_perms) {
        fprintf(stderr,
                _("kvdeck %s: who is signed in is not known (no object id "
                  "in the token): the vault is created without a role or "
                  "policy for you\n"),
                c->cmd);
    }
    s.assign_role = s.rbac && s.principal_id != NULL;
    s.wait_data_plane = !c->no_wait && uri != NULL;
    /* closed to the public (or to every address but rules we do not
     * set): the data plane will never answer us from here */
    if (s.wait_data_plane && (!s.public_access || s.default_deny)) {
        s.wait_data_plane = false;
        if (!c->dry_run)
            fprintf(stderr,
                    _("kvdeck %s: public network access is %s: not waiting "
                      "for the data plane, which will not answer from "
                      "here\n"),
                    c->cmd,
                    s.public_access ? _("restricted (default action Deny)")
                                    : _("disabled"));
    }
    rc = cli_plan(c, plan_vault_create(&s));
    fflush(stdout); /* the report before the hint */
    if (rc == CLI_OK && !c->json && !c->dry_run)
        fprintf(stderr,
                _("Add the first secret: kvdeck secret set %s NAME "
                  "--value-file FILE\n"),
                s.name);
out:
    free(region);
    free(uri);
    vec_free_all(&ids, free);
    return rc;
}

int
cli_vault_delete(struct cli *c)
{
    char *name = cli_vault_name(c->pos[0]);
    struct kv_vault *v = NULL;
    int rc = cli_vault_find(c, name, &v);
    if (rc == CLI_OK)
        rc = cli_plan(c, plan_vault_delete(v));
    if (rc == CLI_OK && !c->json && !c->dry_run) {
        char until[32];
        int days = v->soft_delete_days > 0 ? v->soft_delete_days : 90;
        cli_time(time_now() + (int64_t)days * 86400, until, sizeof until);
        printf(_("%s can be recovered until %s (%d days): kvdeck vault "
                 "recover %s\n"),
               v->name, until, days, v->name);
        if (v->purge_protection)
            printf(_("Purge protection is on: it cannot be purged before "
                     "then.\n"));
    }
    kv_vault_free(v);
    free(name);
    return rc;
}

int
cli_vault_recover(struct cli *c)
{
    char *name = cli_vault_name(c->pos[0]), *uri = NULL;
    struct kv_deleted_vault *d = NULL;
    struct engine_identity id;
    int rc = cli_vault_find_deleted(c, name, &d);
    if (rc != CLI_OK)
        goto out;
    if (!engine_identity(c->e, &id))
        memset(&id, 0, sizeof id);
    uri = engine_vault_uri(c->e, d->name);
    rc =
        cli_plan(c, plan_vault_recover(d, id.tenant_id[0] ? id.tenant_id : NULL,
                                       uri, !c->no_wait && uri != NULL));
out:
    kv_deleted_vault_free(d);
    free(uri);
    free(name);
    return rc;
}

int
cli_vault_purge(struct cli *c)
{
    char *name = cli_vault_name(c->pos[0]);
    struct kv_deleted_vault *d = NULL;
    const char *why = NULL;
    int rc = cli_vault_find_deleted(c, name, &d);
    if (rc == CLI_OK) {
        struct plan *p = plan_vault_purge(d, &why);
        if (p == NULL) {
            fprintf(stderr, _("kvdeck %s: refused: %s\n"), c->cmd,
                    why ? why : _("purge protection holds it"));
            rc = CLI_REFUSED;
        } else {
            rc = cli_plan(c, p);
        }
    }
    kv_deleted_vault_free(d);
    free(name);
    return rc;
}
