/*
 * test-plan-sim.c — plans run by the engine against kvdeck-sim: a
 * rotation with retirement (journaled, never a value), a rotation refused
 * because another version was written after the review, an ambiguous
 * write (the sim commits the PUT and drops the connection) resolved by
 * re-reading with no second version, a verify mismatch (the sim corrupts
 * the value read back) leaving the old version enabled, an interrupt
 * between steps, an edit rolled back, delete and recover, purge.
 * Skips when the sim is not built (--disable-sim).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "azure/json.h"
#include "base/log.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/engine.h"
#include "engine/journal.h"
#include "engine/plan.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"
#include "tests/tools/simproc.h"

static struct simproc sim;

static char step_log[8192]; /* the last plan's step messages */

/* Replaces the running sim's fault rules with this one, through its
 * control endpoint (cleared first: adding rules restarts the counts of
 * the rules already there). */
static bool
sim_fault(const char *rule)
{
    char body[1024];
    snprintf(body, sizeof body, "{\"faults\":[\"%s\"]}", rule);
    return simproc_control(&sim, "DELETE", "/faults", NULL) &&
           simproc_control(&sim, "POST", "/faults", body);
}

/* Sets the running sim's soft-delete window (ms) through its control
 * endpoint. */
static bool
sim_soft_delete_delay(int ms)
{
    char body[64];
    snprintf(body, sizeof body, "{\"soft_delete_delay_ms\":%d}", ms);
    return simproc_control(&sim, "POST", "/config", body);
}

/* Runs a plan to its end; returns the terminal result (caller frees). */
static struct result *
run_plan(struct engine *e, struct plan *p, enum plan_mode mode,
         size_t *steps_seen, bool interrupt_after_first)
{
    uint64_t id = engine_submit(e, job_plan(p, mode));
    size_t seen = 0;
    step_log[0] = '\0';
    for (;;) {
        struct result *r = engine_wait_result(e, 60000);
        if (r == NULL)
            return NULL;
        if (r->job_id != id) {
            result_free(r);
            continue;
        }
        if (r->type == RESULT_STEP) {
            seen++;
            if (r->message != NULL &&
                strlen(step_log) + strlen(r->message) + 2 < sizeof step_log) {
                strcat(step_log, r->message);
                strcat(step_log, "\n");
            }
            if (interrupt_after_first && r->step_state == STEP_RUNNING &&
                r->step == 0)
                engine_interrupt(e, id);
            result_free(r);
            continue;
        }
        if (r->type == RESULT_DONE || r->type == RESULT_ERROR) {
            if (steps_seen != NULL)
                *steps_seen = seen;
            return r;
        }
        result_free(r);
    }
}

/* The versions of a secret (count) and the latest one's id. */
static size_t
versions(struct engine *e, const char *uri, const char *name)
{
    struct outcome o;
    outcome_run(e, job_list_versions(uri, name), 30000, &o);
    size_t n = o.items;
    outcome_free(&o);
    return n;
}

/* The latest version's metadata (caller frees) and value check. */
static struct kv_secret_version *
latest(struct engine *e, const char *uri, const char *name, const char *ver,
       char **value)
{
    struct outcome o;
    outcome_run(e, job_get_secret_value(uri, name, ver), 30000, &o);
    struct kv_secret_version *v = NULL;
    if (o.pages.len > 0) {
        struct result *r = o.pages.items[0];
        v = r->items.len ? r->items.items[0] : NULL;
        if (v != NULL)
            r->items.items[0] = NULL;
        if (value != NULL)
            *value = r->value ? xstrdup(r->value->data) : NULL;
    } else if (value != NULL) {
        *value = NULL;
    }
    outcome_free(&o);
    return v;
}

static struct secret *
val(const char *s)
{
    return secret_dup(s, strlen(s));
}

/* The file's whole text (caller frees), or NULL. */
static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    char *buf = xcalloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

int
main(void)
{
    char jpath[600];
    const char *bin = simproc_bin();
    if (bin == NULL)
        tap_skip_all("kvdeck-sim is not built (set KVDECK_SIM)");
    if (system("curl --version >/dev/null 2>&1") != 0)
        tap_skip_all("curl is not installed (the sim's control endpoint)");
    enginetest_no_proxy();
    bool up = simproc_start(&sim, bin, NULL);
    ok(up, "kvdeck-sim is ready");
    if (!up) {
        simproc_stop(&sim);
        return tap_done();
    }
    snprintf(jpath, sizeof jpath, "%s/state/journal.jsonl", sim.dir);
    struct engine_config c = {
        .retry_base_ms = 100,
        .journal_path = jpath,
    };
    simproc_config(&sim, &c);
    char *why = NULL;
    if (getenv("PLAN_LOG") != NULL)
        log_open(getenv("PLAN_LOG"), &why);
    struct engine *e = engine_new(&c, &why);
    ok(e != NULL, "engine on the sim (%s)", why ? why : "ok");
    if (e == NULL)
        goto out;
    char *uri = engine_vault_uri(e, "kv-contoso-ai-prod");
    const char *name = "openai-api-key";

    /* 1. Rotation with retirement now. */
    char *oldval = NULL;
    struct kv_secret_version *old = latest(e, uri, name, NULL, &oldval);
    ok(old != NULL && oldval != NULL, "the current version of %s", name);
    size_t nv = versions(e, uri, name);
    struct secret_change ch = {
        .vault_uri = uri,
        .vault_name = "kv-contoso-ai-prod",
        .name = name,
        .value = val("sk-canary-ROTATED-0123456789"),
        .content_type = "text/plain",
        .current = old,
        .retire = RETIRE_NOW,
    };
    struct plan *p = plan_rotate(&ch);
    is_int(plan_steps(p), 4, "rotate: check, write, verify, disable");
    size_t seen = 0;
    struct result *r = run_plan(e, p, PLAN_APPLY, &seen, false);
    ok(r != NULL && r->type == RESULT_DONE && r->plan != NULL,
       "the rotation finished (%s)", r && r->message ? r->message : "done");
    ok(r != NULL && r->plan != NULL && plan_verified(r->plan) &&
           plan_finished(r->plan),
       "verified, every step done");
    ok(seen >= 8, "each step reported running and done (%zu)", seen);
    const struct kv_secret_version *nw =
        r && r->plan ? plan_result_version(r->plan) : NULL;
    char *newver = nw != NULL ? xstrdup(nw->version) : NULL;
    result_free(r);
    is_int(versions(e, uri, name), nv + 1, "exactly one new version");
    struct kv_secret_version *o2 = latest(e, uri, name, old->version, NULL);
    ok(o2 == NULL, "the old version is disabled (its value is refused)");
    kv_secret_version_free(o2);
    char *nv_val = NULL;
    struct kv_secret_version *l = latest(e, uri, name, NULL, &nv_val);
    ok(l != NULL && str_eq(l->version, newver) &&
           str_eq(nv_val, "sk-canary-ROTATED-0123456789"),
       "the latest is the new value");
    kv_secret_version_free(l);
    free(nv_val);

    /* The journal: one line per writing step, 0600, never a value. */
    char *jt = slurp(jpath);
    struct stat st;
    ok(jt != NULL && stat(jpath, &st) == 0 && (st.st_mode & 0777) == 0600,
       "the journal exists with mode 0600");
    ok(jt != NULL && strstr(jt, "\"plan\":\"rotate\"") != NULL &&
           strstr(jt, "\"op\":\"secret-set\"") != NULL &&
           strstr(jt, "\"op\":\"secret-disable\"") != NULL &&
           strstr(jt, "\"outcome\":\"done\"") != NULL,
       "the journal has the rotation's write and retirement");
    ok(jt != NULL && strstr(jt, "sk-canary-ROTATED") == NULL &&
           (oldval == NULL || strstr(jt, oldval) == NULL),
       "no value in the journal");
    free(jt);
    struct vec ents = VEC_INIT;
    unsigned skipped = 9;
    ok(journal_read(jpath, &ents, &skipped, NULL) == KV_OK && ents.len >= 2 &&
           skipped == 0,
       "the journal reads back (%zu lines)", ents.len);
    for (size_t i = 0; i < ents.len; i++)
        journal_entry_free(ents.items[i]);
    vec_free(&ents);

    /* 2. Refused: another version was written after the review. */
    struct kv_secret_version *rev = latest(e, uri, name, NULL, NULL);
    struct secret_change other = {
        .vault_uri = uri, .name = name, .value = val("someone-else")};
    r = run_plan(e, plan_secret_set(&other), PLAN_APPLY, NULL, false);
    ok(r != NULL && r->type == RESULT_DONE, "someone else writes a version");
    result_free(r);
    nv = versions(e, uri, name);
    struct secret_change late = {
        .vault_uri = uri, .name = name, .value = val("too-late"),
        .current = rev, .retire = RETIRE_NOW};
    r = run_plan(e, plan_rotate(&late), PLAN_APPLY, NULL, false);
    ok(r != NULL && r->type == RESULT_ERROR &&
           r->status == KV_ERR_CONFLICT && r->plan != NULL &&
           plan_step_state(r->plan, 0) == STEP_FAILED &&
           plan_step_state(r->plan, 1) == STEP_PENDING,
       "the rotation is refused at the check; nothing written");
    ok(r != NULL && r->message != NULL &&
           strstr(r->message, "changed since the review") != NULL,
       "the message says it changed since the review");
    result_free(r);
    is_int(versions(e, uri, name), nv, "no version was added");
    kv_secret_version_free(rev);

    /* 3. Ambiguous write: committed, answer lost; re-read decides. */
    rev = latest(e, uri, name, NULL, NULL);
    nv = versions(e, uri, name);
    ok(sim_fault("drop-after-commit,method=PUT,path=/secrets/,count=1"),
       "the sim drops the answer of the next PUT");
    struct secret_change amb = {
        .vault_uri = uri, .name = name, .value = val("ambiguous-1"),
        .current = rev, .retire = RETIRE_KEEP};
    r = run_plan(e, plan_rotate(&amb), PLAN_APPLY, NULL, false);
    ok(r != NULL && r->type == RESULT_DONE && r->plan != NULL &&
           plan_verified(r->plan),
       "the rotation finished after the lost answer (%s)",
       r && r->message ? r->message : "");
    ok(strstr(step_log, "no second write sent") != NULL,
       "the answer was lost and the re-read found the write in place");
    printf("# %s", step_log);
    result_free(r);
    is_int(versions(e, uri, name), nv + 1,
           "exactly one new version: no blind second PUT");
    kv_secret_version_free(rev);

    /* 4. Verify mismatch: the old version stays enabled. */

    rev = latest(e, uri, name, NULL, NULL);
    ok(sim_fault("corrupt-value,every=2,count=1"),
       "the sim corrupts the second value read (the read back)");
    struct secret_change bad = {
        .vault_uri = uri, .name = name, .value = val("verify-me"),
        .current = rev, .retire = RETIRE_NOW};
    r = run_plan(e, plan_rotate(&bad), PLAN_APPLY, NULL, false);
    ok(r != NULL && r->type == RESULT_ERROR && r->plan != NULL &&
           plan_step_state(r->plan, 2) == STEP_FAILED &&
           plan_step_state(r->plan, 3) == STEP_PENDING,
       "verify failed; the old version was not disabled");
    if (r != NULL && r->plan != NULL) {
        char *rep = plan_report(r->plan);
        printf("# %s: %s\n", result_type_name(r->type),
               r->message ? r->message : "");
        printf("# %s", rep);

        free(rep);
    }
    ok(r != NULL && r->message != NULL &&
           strstr(r->message, "previous version stays enabled") != NULL,
       "the message says the previous version stays enabled");
    char *report = r && r->plan ? plan_report(r->plan) : NULL;
    ok(report != NULL && strstr(report, "VerifyMismatch") != NULL,
       "the report names the failure");
    free(report);
    result_free(r);
    struct kv_secret_version *still = latest(e, uri, name, rev->version, NULL);
    ok(still != NULL, "the previous version still answers (enabled)");
    kv_secret_version_free(still);
    kv_secret_version_free(rev);

    /* 5. Interrupt between steps. */
    rev = latest(e, uri, name, NULL, NULL);
    struct secret_change stop = {
        .vault_uri = uri, .name = name, .value = val("never-written"),
        .current = rev, .retire = RETIRE_NOW};
    nv = versions(e, uri, name);
    ok(sim_fault("latency,ms=500,count=1,area=vault,method=GET"),
       "the sim slows the next read (the check) down");
    r = run_plan(e, plan_rotate(&stop), PLAN_APPLY, NULL, true);
    ok(r != NULL && r->type == RESULT_ERROR &&
           r->status == KV_ERR_CANCELLED && r->plan != NULL &&
           plan_step_state(r->plan, 0) == STEP_DONE &&
           plan_step_state(r->plan, 1) == STEP_PENDING,
       "interrupted after the check: the write never started");
    if (r != NULL && r->plan != NULL) {
        struct plan *again = r->plan;
        r->plan = NULL;
        result_free(r);
        r = run_plan(e, again, PLAN_RETRY, NULL, false);
        ok(r != NULL && r->type == RESULT_DONE,
           "the same plan resumed and finished");
    } else {
        ok(0, "the same plan resumed and finished");
    }
    result_free(r);
    is_int(versions(e, uri, name), nv + 1, "one version added on resume");
    kv_secret_version_free(rev);

    /* 6. Edit, then roll back. */
    rev = latest(e, uri, name, NULL, NULL);
    struct kv_tags tags = {0};
    struct secret_change ed = {
        .vault_uri = uri, .name = name, .current = rev,
        .content_type = "application/x-edited",
        .has_tags = true, .tags = &tags};
    r = run_plan(e, plan_secret_edit(&ed), PLAN_APPLY, NULL, false);
    ok(r != NULL && r->type == RESULT_DONE && r->plan != NULL &&
           plan_can_roll_back(r->plan),
       "edited; the edit can be rolled back");
    struct kv_secret_version *edv = latest(e, uri, name, NULL, NULL);
    ok(edv != NULL && str_eq(edv->content_type, "application/x-edited"),
       "the new content type is in place");
    kv_secret_version_free(edv);
    if (r != NULL && r->plan != NULL) {
        struct plan *back = r->plan;
        r->plan = NULL;
        result_free(r);
        r = run_plan(e, back, PLAN_ROLLBACK, NULL, false);
        ok(r != NULL && r->type == RESULT_DONE && r->plan != NULL &&
               plan_step_state(r->plan, 0) == STEP_UNDONE,
           "rolled back");
    } else {
        ok(0, "rolled back");
    }
    result_free(r);
    edv = latest(e, uri, name, NULL, NULL);
    ok(edv != NULL && str_eq(edv->content_type ? edv->content_type : "",
                             rev->content_type ? rev->content_type : ""),
       "the previous content type is back");
    kv_secret_version_free(edv);
    kv_secret_version_free(rev);

    /* 7. Delete, recover, delete, purge. */
    const char *app = "kv-contoso-app-prod";
    char *app_uri = engine_vault_uri(e, app);
    struct secret_change d = {.vault_uri = app_uri, .name = "smtp-password"};
    p = plan_secret_delete(&d);
    is_str(plan_confirm_name(p), "smtp-password",
           "delete asks for the name typed");
    r = run_plan(e, p, PLAN_APPLY, NULL, false);
    ok(r != NULL && r->type == RESULT_DONE, "deleted");
    result_free(r);
    struct outcome o;
    outcome_run(e, job_list_deleted_secrets(app_uri), 30000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items >= 1,
       "in the deleted list (%zu)", o.items);
    outcome_free(&o);
    /* Recovery takes a while in Key Vault (the sim's window: 1.5 s): the
     * plan waits on a timer, and meanwhile the worker serves other jobs
     * (a list submitted after the plan ends first). */
    ok(sim_soft_delete_delay(1500), "the sim's soft-delete window: 1.5 s");
    uint64_t rid = engine_submit(e, job_plan(plan_secret_recover(&d),
                                             PLAN_APPLY));
    uint64_t lid = 0;
    bool waited = false, list_first = false;
    r = NULL;
    for (;;) {
        struct result *x = engine_wait_result(e, 60000);
        if (x == NULL)
            break;
        if (x->job_id == rid && x->type == RESULT_STEP && x->message &&
            strstr(x->message, "waiting") != NULL && lid == 0) {
            waited = true;
            lid = engine_submit(e, job_list_secrets(app_uri));
        }
        if (x->job_id == lid && lid != 0 && x->type == RESULT_DONE &&
            r == NULL)
            list_first = true;
        if (x->job_id == rid &&
            (x->type == RESULT_DONE || x->type == RESULT_ERROR)) {
            r = x;
            break;
        }
        result_free(x);
    }
    ok(waited, "the recover step waited for the secret to answer");
    ok(list_first, "a job submitted while it waited ended first");
    ok(r != NULL && r->type == RESULT_DONE, "recovered (%s)",
       r && r->message ? r->message : "ok");
    result_free(r);
    sim_soft_delete_delay(0);
    struct kv_secret_version *back = latest(e, app_uri, "smtp-password", NULL,
                                            NULL);
    ok(back != NULL, "the recovered secret answers");
    kv_secret_version_free(back);
    r = run_plan(e, plan_secret_delete(&d), PLAN_APPLY, NULL, false);
    result_free(r);
    /* Creating it again while it waits deleted: refused by the check,
     * before any write, with the code the console offers recovery for. */
    struct secret_change again = {.vault_uri = app_uri,
                                  .name = "smtp-password",
                                  .value = val("a-new-value"),
                                  .create = true};
    r = run_plan(e, plan_secret_set(&again), PLAN_APPLY, NULL, false);
    const struct plan_failure *pf =
        r != NULL && r->plan != NULL ? plan_step_failure(r->plan, 0) : NULL;
    ok(r != NULL && r->type == RESULT_ERROR && pf != NULL &&
           pf->code != NULL &&
           strcmp(pf->code, "ObjectIsDeletedButRecoverable") == 0,
       "create over a deleted name: refused at the check (%s)",
       pf && pf->message ? pf->message : "?");
    ok(r != NULL && r->plan != NULL &&
           plan_step_state(r->plan, 1) == STEP_PENDING,
       "nothing was written");
    ok(pf != NULL && pf->message != NULL &&
           strstr(pf->message, "recover it") != NULL,
       "the message says what to do");
    result_free(r);
    r = run_plan(e, plan_secret_purge(&d), PLAN_APPLY, NULL, false);
    ok(r != NULL && r->type == RESULT_DONE, "purged (%s)",
       r && r->message ? r->message : "ok");
    result_free(r);
    free(app_uri);

    free(newver);
    free(oldval);
    kv_secret_version_free(old);
    free(uri);
    engine_free(e);
out:
    simproc_stop(&sim);
    return tap_done();
}
