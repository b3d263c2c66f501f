/*
 * test-plan-source-sim.c — the rotate-source plan (plan-source.h) run by
 * the engine against kvdeck-sim's demo seed (openai-api-key holds Key1
 * of contoso-ai): a secret that matches neither key stops before any
 * change; the full dual-key rotation with the old key retired now (the
 * latest holds the new Key2 and the endpoint takes it, Key1 regenerated
 * and refused, the old version disabled, the tags, no key in the
 * journal); the endpoint check failing (fault area=openai) leaves the
 * application's key valid and says which key is live where; a retirement
 * for later becomes a pending journal entry that plan_source_retire
 * settles; a caller without listKeys (the user-assigned managed identity
 * with "Cognitive Services OpenAI User" only) gets the role explained and
 * nothing changes; JOB_LIST_AI_ACCOUNTS lists the account. The test's
 * own client reads keys and probes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/client.h"
#include "azure/cognitive.h"
#include "azure/json.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/engine.h"
#include "engine/journal.h"
#include "engine/plan-source.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"
#include "tests/tools/simproc.h"

#define OWNER     "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
#define OAI_USER  "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
#define AUTHZ_API "2022-04-01"

static struct simproc sim;
static struct az_client *cl; /* the test's own eyes (the demo SP) */
static char *uri, *acct_id, *endpoint;
static const char *NAME = "openai-api-key";
static char jpath[600];

struct got {
    bool done, failed;
    long http;
    struct vec items;
    enum az_item_kind kind;
    struct kv_secret_version *meta;
    struct secret *value, *k1, *k2;
};

static void
got_clear(struct got *g)
{
    az_op_free_items(g->kind, &g->items);
    kv_secret_version_free(g->meta);
    secret_free(g->value);
    secret_free(g->k1);
    secret_free(g->k2);
    memset(g, 0, sizeof *g);
}

static void
on_page(void *ud, struct vec *items, bool more)
{
    struct got *g = ud;
    (void)more;
    for (size_t i = 0; i < items->len; i++)
        vec_push(&g->items, items->items[i]);
    vec_clear(items);
}

static void
on_secret(void *ud, struct kv_secret_version *meta, struct secret *value)
{
    struct got *g = ud;
    g->meta = meta;
    g->value = value;
}

static void
on_done(void *ud, const struct az_failure *f)
{
    struct got *g = ud;
    g->done = true;
    g->failed = f != NULL;
    g->http = f != NULL ? f->http_status : 0;
    if (f != NULL)
        printf("# (test client: %s)\n", f->message);
}

static void
on_keys(void *ud, struct secret *k1, struct secret *k2)
{
    struct got *g = ud;
    g->k1 = k1;
    g->k2 = k2;
}

static const struct az_op_cb cb = {
    .page = on_page, .secret = on_secret, .done = on_done};

static void
wait_for(struct got *g)
{
    int64_t t = time_mono_ms();
    while (!g->done && time_mono_ms() - t < 60000)
        az_client_run(cl, 200);
}

static bool
same(const struct secret *a, const struct secret *b)
{
    return a && b && a->len == b->len && secmem_equal(a->data, b->data, a->len);
}

/* A version (NULL: the latest) with its value; g to clear after. */
static bool
read_secret(const char *version, struct got *g)
{
    *g = (struct got){.kind = AZ_ITEM_NONE};
    az_get_secret(cl, uri, NAME, version, &cb, g);
    wait_for(g);
    return !g->failed && g->value != NULL;
}

static void
keys(struct secret **k1, struct secret **k2)
{
    struct got g = {.kind = AZ_ITEM_NONE};
    az_ai_list_keys(cl, acct_id, on_keys, &cb, &g);
    wait_for(&g);
    *k1 = g.k1;
    *k2 = g.k2;
    g.k1 = g.k2 = NULL;
    got_clear(&g);
}

static long
probe(const struct secret *key)
{
    struct got g = {.kind = AZ_ITEM_NONE};
    az_ai_probe(cl, endpoint, key, &cb, &g);
    wait_for(&g);
    long r = !g.done ? -1 : !g.failed ? 0 : g.http;
    got_clear(&g);
    return r;
}

static size_t
versions(void)
{
    struct got g = {.kind = AZ_ITEM_VERSION};
    az_list_versions(cl, uri, NAME, 25, &cb, &g);
    wait_for(&g);
    size_t n = g.items.len;
    got_clear(&g);
    return n;
}

/* Writes value as a new version keeping the latest's tags. */
static bool
write_value(const char *value, const struct secret *sv)
{
    struct got cur;
    read_secret(NULL, &cur);
    struct az_secret_write w = {.tags = cur.meta ? &cur.meta->tags : NULL};
    struct secret *v =
        sv ? secret_dup(sv->data, sv->len) : secret_dup(value, strlen(value));
    struct got g = {.kind = AZ_ITEM_NONE};
    az_secret_set(cl, uri, NAME, v, &w, &cb, &g);
    wait_for(&g);
    bool okk = !g.failed;
    secret_free(v);
    got_clear(&g);
    got_clear(&cur);
    return okk;
}

static char step_log[8192];

static struct result *
run_plan(struct engine *e, struct plan *p)
{
    uint64_t id = engine_submit(e, job_plan(p, PLAN_APPLY));
    step_log[0] = '\0';
    for (;;) {
        struct result *r = engine_wait_result(e, 90000);
        if (r == NULL)
            return NULL;
        if (r->job_id == id && r->type == RESULT_STEP && r->message &&
            strlen(step_log) + strlen(r->message) + 2 < sizeof step_log) {
            strcat(step_log, r->message);
            strcat(step_log, "\n");
        }
        if (r->job_id == id &&
            (r->type == RESULT_DONE || r->type == RESULT_ERROR))
            return r;
        result_free(r);
    }
}

/* The plan for the latest version (retire as given). */
static struct plan *
build(enum retire_mode retire, int64_t after, struct kv_secret_version **cur)
{
    struct got g;
    read_secret(NULL, &g);
    *cur = g.meta;
    g.meta = NULL;
    got_clear(&g);
    struct source_change c = {.vault_uri = uri,
                              .vault_name = "kv-contoso-ai-prod",
                              .name = NAME,
                              .current = *cur,
                              .retire = retire,
                              .retire_after = after};
    char *why = NULL;
    struct plan *p = plan_rotate_source(&c, &why);
    if (p == NULL)
        printf("# build: %s\n", why);
    free(why);
    return p;
}

static const char *
failure_of(const struct plan *p)
{
    for (size_t i = 0; i < plan_steps(p); i++)
        if (plan_step_failure(p, i) != NULL)
            return plan_step_failure(p, i)->message;
    return "";
}

/* kvdeck's advice on the failed step ("" when none). */
static const char *
advice_of(const struct plan *p)
{
    for (size_t i = 0; i < plan_steps(p); i++)
        if (plan_step_failure(p, i) != NULL)
            return plan_step_failure(p, i)->advice
                       ? plan_step_failure(p, i)->advice
                       : "";
    return "";
}

/* No hex of either key in the journal. */
static bool
journal_clean(const struct secret *a, const struct secret *b)
{
    FILE *f = fopen(jpath, "r");
    if (f == NULL)
        return false;
    char *buf = xcalloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    bool clean = n > 0;
    const struct secret *ks[] = {a, b};
    for (size_t i = 0; i < 2; i++)
        if (ks[i] != NULL && memmem(buf, n, ks[i]->data, ks[i]->len) != NULL)
            clean = false;
    free(buf);
    return clean;
}

int
main(void)
{
    const char *bin = simproc_bin();
    if (bin == NULL)
        tap_skip_all("kvdeck-sim is not built (set KVDECK_SIM)");
    if (system("curl --version >/dev/null 2>&1") != 0)
        tap_skip_all("curl is not installed (the sim's control endpoint)");
    enginetest_no_proxy();
    const char *const extra[] = {"--rbac-delay", "0", NULL};
    bool up = simproc_start(&sim, bin, extra);
    ok(up, "kvdeck-sim is ready");
    if (!up) {
        simproc_stop(&sim);
        return tap_done();
    }
    snprintf(jpath, sizeof jpath, "%s/state/journal.jsonl", sim.dir);
    struct engine_config ec = {.retry_base_ms = 100, .journal_path = jpath};
    simproc_config(&sim, &ec);
    char *why = NULL;
    struct engine *e = engine_new(&ec, &why);
    ok(e != NULL, "engine on the sim (%s)", why ? why : "ok");
    struct az_client_config cc = {0};
    cc.cloud = ec.cloud;
    cc.http.ca_file = ec.ca_file;
    cc.http.retry = az_retry_default();
    cc.http.retry.base_ms = 50;
    cc.sign_in.tenant = ec.tenant_id;
    cc.sign_in.client_id = ec.client_id;
    cc.sign_in.client_secret = ec.client_secret;
    cc.sign_in.no_env = true;
    cl = az_client_new(&cc, &why);
    if (e == NULL || cl == NULL)
        goto out;
    uri = engine_vault_uri(e, "kv-contoso-ai-prod");

    struct got g;
    ok(read_secret(NULL, &g), "the demo secret");
    acct_id = xstrdup(kv_tags_get(&g.meta->tags, PLAN_SOURCE_TAG));
    got_clear(&g);
    g = (struct got){.kind = AZ_ITEM_AI_ACCOUNT};
    az_ai_get_account(cl, acct_id, &cb, &g);
    wait_for(&g);
    ok(g.items.len == 1, "its account %s", acct_id);
    endpoint =
        g.items.len
            ? xstrdup(((struct kv_ai_account *)g.items.items[0])->endpoint)
            : NULL;
    got_clear(&g);
    /* the engine's account list (the wizard's picker) */
    char *subid = xstrndup(acct_id + strlen("/subscriptions/"),
                           strcspn(acct_id + strlen("/subscriptions/"), "/"));
    struct outcome lo;
    outcome_run(e, job_list_ai_accounts(subid, NULL), 30000, &lo);
    bool listed = false;
    for (size_t i = 0; i < lo.items; i++) {
        const struct kv_ai_account *a = outcome_item(&lo, i);
        if (a != NULL && str_eq(a->id, acct_id) && str_eq(a->kind, "OpenAI") &&
            str_eq(a->endpoint, endpoint))
            listed = true;
    }
    ok(lo.end != NULL && lo.end->type == RESULT_DONE && listed,
       "JOB_LIST_AI_ACCOUNTS lists contoso-ai with its endpoint (%zu)",
       lo.items);
    outcome_free(&lo);
    outcome_run(e, job_list_ai_accounts(subid, "rg-nothere"), 30000, &lo);
    ok(lo.end != NULL && lo.end->type == RESULT_ERROR,
       "an unknown group: an error result");
    outcome_free(&lo);
    free(subid);

    struct secret *K1, *K2;
    keys(&K1, &K2);
    read_secret(NULL, &g);
    ok(same(g.value, K1), "the demo secret holds Key1");
    got_clear(&g);

    /* A. neither key: nothing changes */
    ok(write_value("not-a-key-of-anyone-0123456789", NULL),
       "the secret set to something else");
    size_t nv = versions();
    struct kv_secret_version *cur = NULL;
    struct plan *p = build(RETIRE_NOW, 0, &cur);
    ok(p != NULL && plan_steps(p) == 7, "neither: seven steps");
    is_str(plan_confirm_name(p), "contoso-ai",
           "retiring now asks for the account's name typed");
    struct result *r = run_plan(e, p);
    ok(r != NULL && r->type == RESULT_ERROR && r->plan != NULL,
       "neither: the plan stops");
    is_str(r && r->plan ? failure_of(r->plan) : "",
           "openai-api-key matches neither key of contoso-ai: nothing was "
           "changed",
           "neither: said so");
    ok(r && r->plan && plan_step_state(r->plan, 1) == STEP_PENDING,
       "neither: no regenerate was run");
    result_free(r);
    kv_secret_version_free(cur);
    is_int(versions(), nv, "neither: no new version");
    struct secret *a1, *a2;
    keys(&a1, &a2);
    ok(same(a1, K1) && same(a2, K2), "neither: both keys unchanged");
    secret_free(a1);
    secret_free(a2);
    ok(write_value(NULL, K1), "the secret holds Key1 again");

    /* B. the full rotation, old key retired now */
    nv = versions();
    p = build(RETIRE_NOW, 0, &cur);
    char *oldver = xstrdup(cur->version);
    kv_secret_version_free(cur);
    r = run_plan(e, p);
    ok(r != NULL && r->type == RESULT_DONE && r->plan != NULL,
       "rotation: done (%s)", r && r->plan ? failure_of(r->plan) : "?");
    if (r != NULL && r->plan != NULL) {
        is_str(plan_source_old_key(r->plan), "Key1", "it held Key1");
        is_str(plan_source_new_key(r->plan), "Key2", "it now holds Key2");
        ok(plan_source_endpoint_ok(r->plan) && plan_verified(r->plan),
           "read back and verified at the endpoint");
        char *sum = plan_source_summary(r->plan);
        ok(strstr(sum, "holds Key2, verified at the endpoint of contoso-ai") &&
               strstr(sum, "Key1 was regenerated"),
           "the summary: %s", sum);
        free(sum);
        ok(strstr(step_log, "openai-api-key holds Key1 of contoso-ai") != NULL,
           "the progress said which key it held");
    }
    result_free(r);
    struct secret *B1, *B2;
    keys(&B1, &B2);
    ok(!same(B1, K1), "Key1 was regenerated");
    ok(!same(B2, K2), "Key2 is new");
    is_int(versions(), nv + 1, "one new version");
    ok(read_secret(NULL, &g) && same(g.value, B2),
       "the latest version holds the new Key2");
    is_str(g.meta ? kv_tags_get(&g.meta->tags, "source-key") : NULL, "Key2",
           "tagged source-key=Key2");
    ok(g.meta && kv_tags_get(&g.meta->tags, "rotated-at") != NULL,
       "tagged rotated-at");
    is_str(g.meta ? kv_tags_get(&g.meta->tags, PLAN_SOURCE_TAG) : NULL, acct_id,
           "source-resource-id kept");
    got_clear(&g);
    is_int(probe(B2), 0, "the endpoint takes the new Key2 (200)");
    is_int(probe(K1), 401, "the old Key1 is dead (401)");
    ok(!read_secret(oldver, &g), "the old version is disabled");
    got_clear(&g);
    ok(journal_clean(K1, B2) && journal_clean(K2, B1), "no key in the journal");

    /* C. the endpoint check fails: the application's key stays valid */
    ok(simproc_control(&sim, "POST", "/faults",
                       "{\"faults\":[\"error,area=openai\"]}"),
       "fault area=openai");
    free(oldver);
    p = build(RETIRE_NOW, 0, &cur);
    oldver = xstrdup(cur->version);
    kv_secret_version_free(cur);
    r = run_plan(e, p);
    simproc_control(&sim, "DELETE", "/faults", NULL);
    ok(r != NULL && r->type == RESULT_ERROR && r->plan != NULL,
       "fault: the plan stops");
    if (r != NULL && r->plan != NULL) {
        const char *m = failure_of(r->plan);
        ok(strstr(m, "did not accept the new key") &&
               strstr(m, "holds Key1 (new, not verified); Key2 (the previous "
                         "version") &&
               strstr(m, "is still valid at contoso-ai"),
           "fault: says which key is live where: %s", m);
        is_str(plan_step_op(r->plan, 4), "source-probe", "at the probe");
        ok(plan_step_state(r->plan, 5) == STEP_PENDING &&
               plan_step_state(r->plan, 6) == STEP_PENDING,
           "fault: nothing retired");
    }
    result_free(r);
    struct secret *C1, *C2;
    keys(&C1, &C2);
    ok(same(C2, B2), "fault: Key2 (the application's) untouched");
    ok(!same(C1, B1), "fault: Key1 was regenerated (the new key)");
    is_int(probe(B2), 0, "fault: Key2 still answers 200");
    ok(read_secret(oldver, &g) && same(g.value, B2),
       "fault: the previous version is still enabled");
    got_clear(&g);

    /* D. retire later, then the due retirement */
    free(oldver);
    p = build(RETIRE_LATER, 1, &cur);
    oldver = xstrdup(cur->version);
    struct kv_secret_version *dcur = cur;
    r = run_plan(e, p);
    ok(r != NULL && r->type == RESULT_DONE, "later: done");
    result_free(r);
    struct secret *D1, *D2;
    keys(&D1, &D2);
    ok(same(D1, C1) && !same(D2, C2), "later: Key2 new, Key1 still valid");
    is_int(probe(C1), 0, "later: the old key still answers 200");
    struct vec all = VEC_INIT, pend = VEC_INIT;
    journal_read(jpath, &all, NULL, &why);
    journal_pending(&all, &pend);
    const struct journal_entry *pe = NULL;
    for (size_t i = 0; i < pend.len; i++) {
        const struct journal_entry *x = pend.items[i];
        if (str_eq(x->plan, "rotate-source") && str_eq(x->version, oldver))
            pe = x;
    }
    ok(pe != NULL, "later: a pending retirement of %.8s…", oldver);
    vec_free(&pend);
    vec_free_all(&all, (void (*)(void *))journal_entry_free);
    struct source_change rc = {.vault_uri = uri,
                               .vault_name = "kv-contoso-ai-prod",
                               .name = NAME,
                               .current = dcur};
    p = plan_source_retire(&rc, oldver, &why);
    ok(p != NULL && plan_steps(p) == 3, "the due retirement: three steps");
    is_str(p ? plan_confirm_name(p) : NULL, "contoso-ai", "typed name");
    r = run_plan(e, p);
    ok(r != NULL && r->type == RESULT_DONE, "the due retirement: done (%s)",
       r && r->plan ? failure_of(r->plan) : "?");
    result_free(r);
    kv_secret_version_free(dcur);
    is_int(probe(C1), 401, "the old key is dead");
    is_int(probe(D2), 0, "the new key answers 200");
    ok(!read_secret(oldver, &g), "the old version is disabled");
    got_clear(&g);
    vec_init(&all);
    vec_init(&pend);
    journal_read(jpath, &all, NULL, &why);
    journal_pending(&all, &pend);
    bool still = false;
    for (size_t i = 0; i < pend.len; i++)
        if (str_eq(((struct journal_entry *)pend.items[i])->version, oldver))
            still = true;
    ok(!still, "no longer pending");
    vec_free(&pend);
    vec_free_all(&all, (void (*)(void *))journal_entry_free);

    /* E. a caller without listKeys */
    const char *uami = json_str(sim.conn, "uami_object_id");
    char *sub = xstrndup(acct_id, strstr(acct_id, "/resourceGroups") - acct_id);
    char *path = xasprintf("%s/providers/Microsoft.Authorization/"
                           "roleAssignments",
                           sub);
    g = (struct got){.kind = AZ_ITEM_ROLE_ASSIGNMENT};
    az_arm_list(cl, path, AUTHZ_API, AZ_ITEM_ROLE_ASSIGNMENT, &cb, &g);
    wait_for(&g);
    int removed = 0;
    for (size_t i = 0; i < g.items.len; i++) {
        const struct kv_role_assignment *a = g.items.items[i];
        if (!str_eq(a->principal_id, uami) ||
            !str_ends(a->role_definition_id, OWNER))
            continue;
        struct got d = {.kind = AZ_ITEM_NONE};
        az_arm_write(cl, "DELETE", a->id, AUTHZ_API, NULL, &cb, &d);
        wait_for(&d);
        removed += !d.failed;
        got_clear(&d);
    }
    got_clear(&g);
    ok(removed >= 1, "the managed identity's Owner removed");
    char *body =
        az_role_assignment_body(acct_id, OAI_USER, uami, "ServicePrincipal");
    char name[37];
    az_http_uuid(name);
    g = (struct got){.kind = AZ_ITEM_ROLE_ASSIGNMENT};
    az_role_assign(cl, acct_id, name, body, &cb, &g);
    wait_for(&g);
    ok(!g.failed, "Cognitive Services OpenAI User on the account");
    got_clear(&g);
    free(body);
    free(path);
    free(sub);
    setenv("AZURE_POD_IDENTITY_AUTHORITY_HOST", json_str(sim.conn, "imds"), 1);
    struct engine_config mc = ec;
    mc.auth = "managed-identity";
    mc.client_id = NULL; /* AZURE_CLIENT_ID: the user-assigned identity */
    mc.client_secret = NULL;
    mc.no_environment = false;
    setenv("AZURE_CLIENT_ID", json_str(sim.conn, "uami_client_id"), 1);
    struct engine *me = engine_new(&mc, &why);
    ok(me != NULL, "an engine as the managed identity");
    nv = versions();
    struct secret *E1, *E2;
    keys(&E1, &E2);
    p = build(RETIRE_NOW, 0, &cur);
    kv_secret_version_free(cur);
    r = me ? run_plan(me, p) : NULL;
    if (me == NULL)
        plan_free(p);
    ok(r != NULL && r->type == RESULT_ERROR && r->plan != NULL,
       "403: the plan stops");
    if (r != NULL && r->plan != NULL) {
        const char *m = failure_of(r->plan);
        ok(strstr(m, "AuthorizationFailed") || strstr(m, "does not have "
                                                         "authorization"),
           "403: Azure's message");
        m = advice_of(r->plan);
        ok(strstr(m, "Microsoft.CognitiveServices/accounts/listKeys/action") &&
               strstr(m, "Cognitive Services Contributor") &&
               strstr(m, "Nothing was changed"),
           "403: the role needed explained: %s", m);
    }
    result_free(r);
    engine_free(me);
    is_int(versions(), nv, "403: no new version");
    keys(&a1, &a2);
    ok(same(a1, E1) && same(a2, E2), "403: both keys unchanged");
    secret_free(E1);
    secret_free(E2);
    secret_free(a1);
    secret_free(a2);

    free(oldver);
    secret_free(K1);
    secret_free(K2);
    secret_free(B1);
    secret_free(B2);
    secret_free(C1);
    secret_free(C2);
    secret_free(D1);
    secret_free(D2);
out:
    free(why);
    free(uri);
    free(acct_id);
    free(endpoint);
    az_client_free(cl);
    engine_free(e);
    simproc_stop(&sim);
    return tap_done();
}
