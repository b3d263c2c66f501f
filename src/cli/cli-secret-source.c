/*
 * cli-secret-source.c — `kvdeck secret rotate VAULT NAME --at-source
 * [--account ID] [--retire-old now|DURATION|keep | --retire-pending]`
 * (issue #13): the
 * secret holds a key of an Azure AI services account; the plan
 * (engine/plan-source.h) regenerates the other key, stores and proves it,
 * and retires the old one as asked. No value comes from the command
 * line, stdin or a file: the new value is the account's key, and no key
 * is ever printed (the outcome names keys, "Key1"/"Key2", never values).
 * --retire-pending does the retirements an earlier --retire-old DURATION
 * left in the journal (pending, due or not: the user asks for them now,
 * as :pending's disable-now does): the old key regenerated, the old
 * version disabled (engine/plan-source.h, plan_source_retire).
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
#include "engine/journal.h"
#include "engine/plan-source.h"

/* The options that make no sense at the source: a value of our own. */
static int
cli_source_refuse(struct cli *c)
{
    static const struct {
        uint64_t bit;
        const char *name;
    } no[] = {
        {OPT_VALUE_FILE, "--value-file"},     {OPT_GENERATE, "--generate"},
        {OPT_CONTENT_TYPE, "--content-type"}, {OPT_EXPIRES, "--expires"},
        {OPT_NOT_BEFORE, "--not-before"},     {OPT_TAGS, "--tags"},
        {OPT_VIA_ARM, "--via-arm"},           {OPT_IF_VERSION, "--if-version"},
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        if (c->given & no[i].bit) {
            fprintf(stderr,
                    _("kvdeck %s: %s does not go with --at-source: the new "
                      "value is the account's regenerated key\n"),
                    c->cmd, no[i].name);
            return CLI_USAGE;
        }
    }
    return CLI_OK;
}

/* The pending rotate-source retirements of sc's secret, one plan each. */
static int
cli_source_pending(struct cli *c, const struct source_change *sc)
{
    char *path = journal_default_path(), *why = NULL;
    struct vec all, pend;
    vec_init(&all);
    vec_init(&pend);
    int rc = CLI_OK;
    if (path == NULL || journal_read(path, &all, NULL, &why) != KV_OK) {
        fprintf(stderr, "kvdeck %s: %s\n", c->cmd,
                why != NULL ? why : _("no journal"));
        rc = CLI_FAILED;
        goto out;
    }
    journal_pending(&all, &pend);
    char *base = str_rstrip_slash(sc->vault_uri);
    char *prefix = xasprintf("%s/secrets/%s/", base, sc->name);
    free(base);
    int64_t now = time_now();
    size_t done = 0;
    for (size_t i = 0; i < pend.len && rc == CLI_OK; i++) {
        const struct journal_entry *e = pend.items[i];
        if (!str_eq(e->plan, "rotate-source") || e->version == NULL ||
            !str_starts(e->target, prefix))
            continue;
        if (e->due > now) { /* asked for: done early, as :pending can */
            char due[32];
            time_format_iso(e->due, due, sizeof due);
            fprintf(stderr,
                    _("kvdeck %s: the retirement of version %.8s… was due "
                      "%s; doing it now\n"),
                    c->cmd, e->version, due);
        }
        struct plan *p = plan_source_retire(sc, e->version, &why);
        if (p == NULL) {
            fprintf(stderr, "kvdeck %s: %s\n", c->cmd, why);
            rc = CLI_USAGE;
            break;
        }
        rc = cli_plan(c, p);
        done++;
    }
    free(prefix);
    if (rc == CLI_OK && done == 0)
        fprintf(stderr,
                _("kvdeck %s: no retirement of %s at its source is pending\n"),
                c->cmd, sc->name);
out:
    free(why);
    free(path);
    vec_free(&pend);
    vec_free_all(&all, (void (*)(void *))journal_entry_free);
    return rc;
}

int
cli_secret_rotate_source(struct cli *c)
{
    struct source_change sc = {.name = c->pos[1]};
    char *uri = NULL, *vname = NULL, *why = NULL;
    struct vec items;
    struct secret *oldval = NULL;
    struct result *r = NULL;
    vec_init(&items);
    int rc = cli_source_refuse(c);
    if (rc == CLI_OK && c->retire_pending && c->retire_old != NULL) {
        fprintf(stderr,
                _("kvdeck %s: --retire-pending does the retirements "
                  "already recorded; leave out --retire-old\n"),
                c->cmd);
        rc = CLI_USAGE;
    }
    if (rc != CLI_OK)
        goto out;
    const char *bad = plan_check_secret_name(c->pos[1]);
    if (bad != NULL) {
        fprintf(stderr, "kvdeck %s: %s: %s\n", c->cmd, c->pos[1], bad);
        rc = CLI_USAGE;
        goto out;
    }
    const char *ro = c->retire_old;
    if (ro == NULL || strcmp(ro, "keep") == 0) {
        sc.retire = RETIRE_KEEP;
    } else if (strcmp(ro, "now") == 0) {
        sc.retire = RETIRE_NOW;
    } else if (time_parse_duration(ro, &sc.retire_after)) {
        sc.retire = RETIRE_LATER;
    } else {
        fprintf(stderr,
                _("kvdeck %s: --retire-old %s: give now, keep, or a delay "
                  "such as 30m, 24h, 7d\n"),
                c->cmd, ro);
        rc = CLI_USAGE;
        goto out;
    }
    uri = cli_vault_uri(c, c->pos[0]);
    vname = cli_vault_name(c->pos[0]);
    if (uri == NULL) {
        fprintf(stderr,
                _("kvdeck %s: this cloud has no Key Vault DNS suffix; "
                  "give the vault's URI\n"),
                c->cmd);
        rc = CLI_USAGE;
        goto out;
    }
    c->arm_hint = CLI_HINT_WRITE;
    /* What the review is about: the latest version now (its tags name
     * the account). Its value is dropped at once; the plan reads it
     * again to compare it with the keys. */
    r = cli_wait_job(c, job_get_secret_value(uri, c->pos[1], NULL), &items,
                     &oldval);
    secret_free(oldval);
    if (r == NULL || r->type == RESULT_ERROR || items.len == 0) {
        rc = cli_fail_result(c, r);
        goto out;
    }
    sc.vault_uri = uri;
    sc.vault_name = vname;
    sc.current = items.items[0];
    sc.account_id = c->account;
    if (c->retire_pending) {
        rc = cli_source_pending(c, &sc);
        goto out;
    }
    struct plan *p = plan_rotate_source(&sc, &why);
    if (p == NULL) {
        fprintf(stderr, "kvdeck %s: %s\n", c->cmd, why);
        rc = CLI_USAGE;
        goto out;
    }
    rc = cli_plan(c, p);
out:
    free(why);
    result_free(r);
    vec_free_all(&items, (void (*)(void *))kv_secret_version_free);
    free(uri);
    free(vname);
    return rc;
}

void
cli_source_outcome(const struct cli *c, FILE *f, const struct plan *p,
                   bool json)
{
    (void)c;
    const char *kind = plan_kind(p);
    if (strcmp(kind, "rotate-source") != 0 &&
        strcmp(kind, "rotate-source-retire") != 0)
        return;
    char *sum = plan_source_summary(p);
    if (json) {
        fputs(",\"source\":{\"account\":", f);
        cli_json_string(f, plan_source_account(p));
        fputs(",\"oldKey\":", f);
        cli_json_string(f, plan_source_old_key(p));
        fputs(",\"newKey\":", f);
        cli_json_string(f, plan_source_new_key(p));
        fprintf(f, ",\"verified\":%s,\"endpointVerified\":%s,\"summary\":",
                plan_verified(p) ? "true" : "false",
                plan_source_endpoint_ok(p) ? "true" : "false");
        cli_json_string(f, sum);
        fputs("}", f);
    } else {
        fprintf(f, "%s\n", sum);
    }
    free(sum);
}
