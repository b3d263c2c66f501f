/*
 * test-plan-vault-sim.c — the vault life cycle run by the engine against
 * kvdeck-sim: locations; the name check (free, invalid, taken in another
 * subscription, held by a soft-deleted vault found in the deleted list);
 * create with RBAC in a new resource group (the role assigned, the data
 * plane waited for through DNS and the role's propagation, then a first
 * secret written); create with access policies (the principal's policy;
 * the data plane's first answers dropped, waited through); a private
 * vault (the wait skipped, saying why); a role for a principal RBAC does
 * not know (retried, stopped on interrupt); create refused for a taken
 * and for a soft-deleted name, saying so;
 * delete → deleted list → recover; purge; purge refused under purge
 * protection (by the builder, and by Azure for a plan built without
 * knowing); a create rolled back (role removed, vault deleted), then
 * recovered without the role (the wait skipped, not hung); tags
 * with their roll back; purge protection on; a vault PUT
 * failing with 5xx (the plan stops saying why, PLAN_RETRY finishes it
 * through a 429 on a poll);
 * an interrupt while waiting for the data plane; a data-plane name that
 * does not resolve (said as DNS). Skips when the sim is not built.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/engine.h"
#include "engine/plan.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"
#include "tests/tools/simproc.h"

#pragma GCC diagnostic ignored "-Wdiscarded-qualifiers"

static struct simproc sim;
static char step_log[16384]; /* the last plan's step messages */

static bool
sim_config(const char *json)
{
    return simproc_control(&sim, "POST", "/config", json);
}

static bool
sim_fault(const char *rule)
{
    char body[1024];
    if (!simproc_control(&sim, "DELETE", "/faults", NULL))
        return false;
    if (rule == NULL)
        return true;
    snprintf(body, sizeof body, "{\"faults\":[\"%s\"]}", rule);
    return simproc_control(&sim, "POST", "/faults", body);
}

/* Runs a plan to its end; with stop_at, interrupts it once a step
 * message contains that text. The terminal result (caller frees). */
static struct result *
run_plan(struct engine *e, struct plan *p, enum plan_mode mode,
         const char *stop_at)
{
    uint64_t id = engine_submit(e, job_plan(p, mode));
    bool stopped = false;
    step_log[0] = '\0';
    for (;;) {
        struct result *r = engine_wait_result(e, 120000);
        if (r == NULL)
            return NULL;
        if (r->job_id != id) {
            result_free(r);
            continue;
        }
        if (r->type == RESULT_STEP) {
            if (r->message != NULL &&
                strlen(step_log) + strlen(r->message) + 2 < sizeof step_log) {
                strcat(step_log, r->message);
                strcat(step_log, "\n");
            }
            if (stop_at != NULL && !stopped && r->message != NULL &&
                strstr(r->message, stop_at) != NULL) {
                engine_interrupt(e, id);
                stopped = true;
            }
            result_free(r);
            continue;
        }
        if (r->type == RESULT_DONE || r->type == RESULT_ERROR)
            return r;
        result_free(r);
    }
}

/* The plan of a terminal result (taken), or NULL. */
static struct plan *
take_plan(struct result *r)
{
    struct plan *p = r != NULL ? r->plan : NULL;
    if (r != NULL)
        r->plan = NULL;
    return p;
}

static bool
done(const struct result *r)
{
    return r != NULL && r->type == RESULT_DONE;
}

/* The subscription id named display (caller frees), or NULL. */
static char *
subscription(struct engine *e, const char *display)
{
    struct outcome o;
    char *id = NULL;
    outcome_run(e, job_list_subscriptions(), 30000, &o);
    for (size_t i = 0; i < o.items; i++) {
        struct kv_subscription *s = outcome_item(&o, i);
        if (id == NULL && s->display_name != NULL &&
            str_icontains(s->display_name, display) != NULL)
            id = xstrdup(s->subscription_id);
    }
    outcome_free(&o);
    return id;
}

/* The name check's answer (caller frees), or NULL. */
static struct kv_name_check *
check(struct engine *e, const char *sub, const char *name)
{
    struct outcome o;
    outcome_run(e, job_check_vault_name(sub, name), 30000, &o);
    struct kv_name_check *c = NULL;
    if (o.end != NULL && o.end->type == RESULT_DONE && o.pages.len == 1) {
        struct result *r = o.pages.items[0];
        if (r->items.len == 1) {
            c = r->items.items[0];
            r->items.items[0] = NULL;
        }
    }
    outcome_free(&o);
    return c;
}

/* The subscription's deleted vault named name (caller frees), or NULL. */
static struct kv_deleted_vault *
deleted(struct engine *e, const char *sub, const char *name, size_t *count)
{
    struct outcome o;
    struct kv_deleted_vault *d = NULL;
    outcome_run(e, job_list_deleted_vaults(sub), 30000, &o);
    if (count != NULL)
        *count = o.items;
    for (size_t pi = 0; pi < o.pages.len; pi++) {
        struct result *r = o.pages.items[pi];
        for (size_t i = 0; i < r->items.len; i++) {
            struct kv_deleted_vault *x = r->items.items[i];
            if (d == NULL && str_ieq(x->name, name)) {
                d = x;
                r->items.items[i] = NULL;
            }
        }
    }
    outcome_free(&o);
    return d;
}

/* A GET of the vault by id (caller frees), or NULL. */
static struct kv_vault *
get_vault(struct engine *e, const char *id)
{
    struct outcome o;
    outcome_run(e, job_get_vault(id), 30000, &o);
    struct kv_vault *v = NULL;
    if (o.end != NULL && o.end->type == RESULT_DONE && o.items == 1) {
        struct result *r = o.pages.items[0];
        v = r->items.items[0];
        r->items.items[0] = NULL;
    }
    outcome_free(&o);
    return v;
}

/* A copy of the vault a plan left (caller frees), by a GET of its id. */
static struct kv_vault *
result_vault(struct engine *e, const struct plan *p)
{
    const struct kv_vault *v = p != NULL ? plan_result_vault(p) : NULL;
    return v != NULL ? get_vault(e, v->id) : NULL;
}

/* The data plane answers a secret list (DONE). */
static bool
lists(struct engine *e, const char *uri)
{
    struct outcome o;
    outcome_run(e, job_list_secrets(uri), 30000, &o);
    bool okk = o.end != NULL && o.end->type == RESULT_DONE;
    outcome_free(&o);
    return okk;
}

/* Writes a first secret through the secret plan. */
static bool
first_secret(struct engine *e, const char *uri, const char *vault)
{
    struct secret_change c = {
        .vault_uri = uri,
        .vault_name = vault,
        .name = "first-secret",
        .value = secret_dup("hello", 5),
        .create = true,
    };
    struct result *r = run_plan(e, plan_secret_set(&c), PLAN_APPLY, NULL);
    bool okk = done(r);
    result_free(r);
    return okk;
}

struct ctx {
    struct engine *e;
    char *dev, *prod;
    struct engine_identity me;
    const char *ptype;
};

static struct vault_spec
spec(const struct ctx *c, const char *name, char *uri_out)
{
    struct vault_spec s = {
        .subscription_id = c->dev,
        .resource_group = "rg-sandbox",
        .name = name,
        .location = "westeurope",
        .rbac = true,
        .retention_days = 7,
        .public_access = true,
        .tenant_id = c->me.tenant_id,
        .principal_id = c->me.object_id,
        .principal_type = c->ptype,
        .assign_role = true,
        .wait_data_plane = true,
        .vault_uri = uri_out,
    };
    return s;
}

static void
test_reads(struct ctx *c)
{
    struct outcome o;
    outcome_run(c->e, job_list_locations(c->dev), 30000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items > 3 &&
           o.pages.len == 1,
       "locations: one sorted page (%zu)", o.items);
    bool sorted = true, west = false;
    for (size_t i = 0; i < o.items; i++) {
        struct kv_location *l = outcome_item(&o, i);
        struct kv_location *n = outcome_item(&o, i + 1);
        if (n != NULL && strcasecmp(l->display_name, n->display_name) > 0)
            sorted = false;
        if (str_eq(l->name, "westeurope"))
            west = str_eq(l->display_name, "West Europe");
    }
    ok(sorted && west, "by display name; westeurope is West Europe");
    outcome_free(&o);

    struct kv_name_check *k = check(c->e, c->dev, "kv-e-fresh-0001");
    ok(k != NULL && k->available && k->deleted == NULL &&
           str_eq(k->name, "kv-e-fresh-0001"),
       "a fresh name is free");
    kv_name_check_free(k);
    k = check(c->e, c->dev, "1bad");
    ok(k != NULL && !k->available && str_eq(k->reason, "AccountNameInvalid"),
       "an invalid name: AccountNameInvalid");
    kv_name_check_free(k);
    k = check(c->e, c->dev, "kv-contoso-app-prod");
    ok(k != NULL && !k->available && str_eq(k->reason, "AlreadyExists") &&
           k->deleted == NULL,
       "taken by a vault of another subscription: no deleted one");
    kv_name_check_free(k);
    k = check(c->e, c->dev, "kv-contoso-old");
    ok(k != NULL && !k->available && k->deleted != NULL &&
           str_eq(k->deleted->resource_group, "rg-sandbox") &&
           k->deleted->scheduled_purge_date > 0,
       "held by a soft-deleted vault: found, with its group and purge date");
    kv_name_check_free(k);
}

static void
test_create_rbac(struct ctx *c)
{
    const char *name = "kv-e-rbac-01";
    char *uri = engine_vault_uri(c->e, name);
    struct vault_spec s = spec(c, name, uri);
    s.resource_group = "rg-e-new";
    s.create_group = true;
    s.group_location = "northeurope";
    struct plan *p = plan_vault_create(&s);
    is_int(plan_steps(p), 4, "RBAC in a new group: 4 steps");
    int64_t t0 = time_mono_ms();
    struct result *r = run_plan(c->e, p, PLAN_APPLY, NULL);
    printf("# apply to \"vault answers\": %lld ms (sim: LRO 300 ms, DNS "
           "1500 ms, RBAC 2500 ms)\n",
           (long long)(time_mono_ms() - t0));
    ok(done(r), "created with RBAC (%s)",
       r && r->message ? r->message : "done");
    p = take_plan(r);
    ok(p != NULL && plan_finished(p), "every step done");
    const struct kv_vault *v = p != NULL ? plan_result_vault(p) : NULL;
    ok(v != NULL && str_eq(v->name, name) && v->rbac &&
           str_eq(v->resource_group, "rg-e-new"),
       "the result is the new vault");
    ok(strstr(step_log, "the vault answers") != NULL,
       "the wait ended when the vault answered:\n%s", step_log);
    ok(str_icontains(step_log, "dns") != NULL,
       "it said it waited for DNS (RegisteringDns, or a name that does not "
       "resolve yet)");
    ok(strstr(step_log, "ForbiddenByRbac") != NULL,
       "and for the role to propagate");
    ok(lists(c->e, uri), "the new vault lists its secrets");
    ok(first_secret(c->e, uri, name), "first secret written");
    result_free(r);
    plan_free(p);
    free(uri);
}

/* For the closing note: apply to "vault answers" with 40 ms on every
 * request, next to the sim's delays (printed, not asserted: the machine
 * may be busy). */
static void
test_timing(struct ctx *c)
{
    const char *name = "kv-e-timing-01";
    char *uri = engine_vault_uri(c->e, name);
    struct vault_spec s = spec(c, name, uri);
    ok(sim_fault("latency,ms=40"), "40 ms on every request");
    int64_t t0 = time_mono_ms();
    struct result *r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, NULL);
    long long ms = (long long)(time_mono_ms() - t0);
    sim_fault(NULL);
    ok(done(r), "created with RBAC at 40 ms latency");
    printf("# 40 ms latency: apply to \"vault answers\" %lld ms; the sim's "
           "delays: provisioning until DNS 1500 ms and the role 2500 ms "
           "(4000 ms one after the other; the plan overlaps them), + 3 "
           "round trips 120 ms\n",
           ms);
    result_free(r);
    free(uri);
}

static void
test_create_policies(struct ctx *c, struct kv_vault **out)
{
    const char *name = "kv-e-policy-01";
    char *uri = engine_vault_uri(c->e, name);
    struct vault_spec s = spec(c, name, uri);
    s.rbac = false;
    struct plan *p = plan_vault_create(&s);
    is_int(plan_steps(p), 2, "access policies: vault, wait");
    ok(sim_fault("drop,area=vault,method=GET,count=2"),
       "the data plane drops its first two answers");
    struct result *r = run_plan(c->e, p, PLAN_APPLY, NULL);
    sim_fault(NULL);
    ok(strstr(step_log, "no answer yet") != NULL,
       "the wait said it got no answer, and went on:\n%s", step_log);
    ok(done(r), "created with access policies (%s)",
       r && r->message ? r->message : "done");
    p = take_plan(r);
    *out = result_vault(c->e, p);
    ok(*out != NULL && !(*out)->rbac && (*out)->access_policies == 1,
       "one access policy, no RBAC");
    ok(*out != NULL && (*out)->json != NULL &&
           strstr((*out)->json, c->me.object_id) != NULL &&
           strstr((*out)->json, "\"purge\"") != NULL,
       "the policy is ours, with every secret permission");
    ok(first_secret(c->e, uri, name), "first secret written");
    result_free(r);
    plan_free(p);
    free(uri);
}

/* Public access disabled: the vault exists, the wait is skipped. A role
 * for a principal RBAC does not know: retried, stopped on interrupt. */
static void
test_unreachable(struct ctx *c)
{
    const char *name = "kv-e-private-01";
    char *uri = engine_vault_uri(c->e, name);
    struct vault_spec s = spec(c, name, uri);
    s.rbac = false;
    s.public_access = false;
    struct result *r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, NULL);
    ok(done(r) && r->plan != NULL && plan_step_state(r->plan, 0) == STEP_DONE &&
           plan_step_state(r->plan, 1) == STEP_SKIPPED,
       "private vault: created, the wait skipped");
    ok(strstr(step_log, "ForbiddenByConnection") != NULL &&
           strstr(step_log, "network rules") != NULL,
       "saying why:\n%s", step_log);
    result_free(r);
    free(uri);

    name = "kv-e-ghost-01";
    uri = engine_vault_uri(c->e, name);
    s = spec(c, name, uri);
    s.principal_id = "99999999-9999-4999-8999-999999999999";
    r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, "PrincipalNotFound");
    ok(r != NULL && r->type == RESULT_ERROR && r->plan != NULL &&
           plan_step_state(r->plan, 0) == STEP_DONE &&
           plan_step_state(r->plan, 1) == STEP_FAILED &&
           r->status == KV_ERR_CANCELLED &&
           plan_step_failure(r->plan, 1) != NULL &&
           str_eq(plan_step_failure(r->plan, 1)->code, "PrincipalNotFound"),
       "an unknown principal: retried, then stopped on request (%s)",
       r && r->message ? r->message : "?");
    ok(strstr(step_log, "not known to Azure RBAC yet") != NULL,
       "the progress said what it waited for");
    result_free(r);
    free(uri);
}

static void
test_refused(struct ctx *c)
{
    char *uri = engine_vault_uri(c->e, "kv-contoso-app-prod");
    struct vault_spec s = spec(c, "kv-contoso-app-prod", uri);
    struct result *r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, NULL);
    ok(r != NULL && r->type == RESULT_ERROR &&
           str_eq(r->error_code, "VaultAlreadyExists") && r->message &&
           strstr(r->message, "taken by another vault") != NULL,
       "a taken name: %s", r && r->message ? r->message : "?");
    ok(r != NULL && r->plan != NULL &&
           plan_step_state(r->plan, 0) == STEP_FAILED &&
           plan_step_state(r->plan, 1) == STEP_PENDING,
       "the vault step failed, nothing after it ran");
    result_free(r);
    free(uri);
    uri = engine_vault_uri(c->e, "kv-contoso-old");
    s = spec(c, "kv-contoso-old", uri);
    r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, NULL);
    ok(r != NULL && r->type == RESULT_ERROR && r->message &&
           strstr(r->message, "a deleted vault holds the name") != NULL,
       "a soft-deleted name: %s", r && r->message ? r->message : "?");
    result_free(r);
    free(uri);
}

static void
test_delete_recover_purge(struct ctx *c, struct kv_vault *v)
{
    struct plan *p = plan_vault_delete(v);
    is_str(plan_confirm_name(p), v->name, "delete is typed");
    struct result *r = run_plan(c->e, p, PLAN_APPLY, NULL);
    ok(done(r), "deleted (%s)", r && r->message ? r->message : "done");
    result_free(r);
    size_t n = 0;
    struct kv_deleted_vault *d = deleted(c->e, c->dev, v->name, &n);
    ok(d != NULL && str_eq(d->resource_group, v->resource_group) &&
           d->deletion_date > 0,
       "in the deleted list (%zu deleted vaults)", n);
    if (d == NULL)
        return;
    char *uri = engine_vault_uri(c->e, v->name);
    r = run_plan(c->e, plan_vault_recover(d, c->me.tenant_id, uri, true),
                 PLAN_APPLY, NULL);
    ok(done(r), "recovered (%s)", r && r->message ? r->message : "done");
    ok(r != NULL && r->plan != NULL && plan_result_vault(r->plan) != NULL &&
           str_eq(plan_result_vault(r->plan)->name, v->name),
       "the result is the recovered vault");
    ok(lists(c->e, uri), "it answers again");
    result_free(r);
    kv_deleted_vault_free(d);

    /* delete again, then purge: the name is free after */
    r = run_plan(c->e, plan_vault_delete(v), PLAN_APPLY, NULL);
    ok(done(r), "deleted again");
    result_free(r);
    d = deleted(c->e, c->dev, v->name, NULL);
    const char *why = NULL;
    p = d != NULL ? plan_vault_purge(d, &why) : NULL;
    ok(p != NULL, "a purge plan");
    r = p != NULL ? run_plan(c->e, p, PLAN_APPLY, NULL) : NULL;
    ok(done(r), "purged (%s)", r && r->message ? r->message : "done");
    result_free(r);
    kv_deleted_vault_free(d);
    d = deleted(c->e, c->dev, v->name, NULL);
    ok(d == NULL, "no longer in the deleted list");
    kv_deleted_vault_free(d);
    struct kv_name_check *k = check(c->e, c->dev, v->name);
    ok(k != NULL && k->available, "the name is free again");
    kv_name_check_free(k);
    free(uri);
}

/* A create without a new group rolls back: the role removed, the vault
 * deleted (it stays soft-deleted). */
static void
test_rollback(struct ctx *c)
{
    const char *name = "kv-e-undo-01";
    char *uri = engine_vault_uri(c->e, name);
    struct vault_spec s = spec(c, name, uri);
    s.wait_data_plane = false;
    struct result *r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, NULL);
    struct plan *p = take_plan(r);
    ok(done(r) && p != NULL && plan_can_roll_back(p),
       "created; vault and role can be rolled back");
    result_free(r);
    r = p != NULL ? run_plan(c->e, p, PLAN_ROLLBACK, NULL) : NULL;
    ok(done(r) && r->plan != NULL &&
           plan_step_state(r->plan, 0) == STEP_UNDONE &&
           plan_step_state(r->plan, 1) == STEP_UNDONE,
       "rolled back: both steps undone (%s)",
       r && r->message ? r->message : "?");
    result_free(r);
    struct kv_deleted_vault *d = deleted(c->e, c->dev, name, NULL);
    ok(d != NULL, "the vault is deleted (recoverable)");
    /* recovered, it comes back without the role (it went with the
     * deletion): the wait does not hang on ForbiddenByRbac */
    r = d != NULL
            ? run_plan(c->e, plan_vault_recover(d, c->me.tenant_id, uri, true),
                       PLAN_APPLY, NULL)
            : NULL;
    ok(done(r) && r->plan != NULL && plan_step_state(r->plan, 0) == STEP_DONE &&
           plan_step_state(r->plan, 1) == STEP_SKIPPED &&
           strstr(step_log, "does not let you in (403 ForbiddenByRbac)") !=
               NULL,
       "recovered; no role on it: the wait skipped, saying why:\n%s", step_log);
    result_free(r);
    kv_deleted_vault_free(d);
    free(uri);
}

static void
test_protection(struct ctx *c)
{
    const char *name = "kv-e-protect-01";
    char *uri = engine_vault_uri(c->e, name);
    struct vault_spec s = spec(c, name, uri);
    s.wait_data_plane = false;
    s.assign_role = false;
    struct result *r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, NULL);
    ok(done(r), "created");
    struct plan *p = take_plan(r);
    result_free(r);
    struct kv_vault *v = result_vault(c->e, p);
    plan_free(p);
    if (v == NULL) {
        ok(0, "the vault to protect");
        free(uri);
        return;
    }

    /* tags, then roll back */
    struct kv_tag tg[] = {{"env", "e2e"}, {"team", "kv"}};
    struct kv_tags tags = {.n = 2, .items = tg};
    r = run_plan(c->e, plan_vault_tags(v, &tags), PLAN_APPLY, NULL);
    p = take_plan(r);
    ok(done(r) && p != NULL && plan_result_vault(p) != NULL &&
           plan_result_vault(p)->tags.n == 2 &&
           str_eq(kv_tags_get(&plan_result_vault(p)->tags, "team"), "kv"),
       "tags replaced");
    ok(p != NULL && plan_can_roll_back(p), "the tags can be rolled back");
    result_free(r);
    r = p != NULL ? run_plan(c->e, p, PLAN_ROLLBACK, NULL) : NULL;
    ok(done(r), "rolled back");
    result_free(r);
    struct kv_vault *now = get_vault(c->e, v->id);
    ok(now != NULL && now->tags.n == 0, "the old tags (none) are back");
    kv_vault_free(now);

    /* purge protection on */
    p = plan_vault_purge_protection(v);
    r = run_plan(c->e, p, PLAN_APPLY, NULL);
    ok(done(r) && r->plan != NULL && plan_result_vault(r->plan) != NULL &&
           plan_result_vault(r->plan)->purge_protection,
       "purge protection on (%s)", r && r->message ? r->message : "done");
    result_free(r);

    /* delete; purge refused */
    v->purge_protection = true;
    r = run_plan(c->e, plan_vault_delete(v), PLAN_APPLY, NULL);
    ok(done(r), "deleted");
    result_free(r);
    struct kv_deleted_vault *d = deleted(c->e, c->dev, name, NULL);
    ok(d != NULL && d->purge_protection, "deleted, under purge protection");
    const char *why = NULL;
    ok(d != NULL && plan_vault_purge(d, &why) == NULL && why != NULL,
       "the builder refuses to purge: %s", why ? why : "?");
    if (d != NULL) {
        d->purge_protection = false; /* a plan built without knowing */
        r = run_plan(c->e, plan_vault_purge(d, &why), PLAN_APPLY, NULL);
        ok(r != NULL && r->type == RESULT_ERROR && r->http_status == 409 &&
               r->message && strstr(r->message, "purge protection") != NULL,
           "Azure refuses it too: %s", r && r->message ? r->message : "?");
        result_free(r);
    }
    kv_deleted_vault_free(d);
    kv_vault_free(v);
    free(uri);
}

static void
test_faults(struct ctx *c)
{
    const char *name = "kv-e-lro-01";
    char *uri = engine_vault_uri(c->e, name);
    char rule[512];
    snprintf(rule, sizeof rule,
             "error,status=500,method=PUT,path=/subscriptions/%s/"
             "resourceGroups/rg-sandbox/providers/Microsoft.KeyVault/"
             "vaults/%s,count=20",
             c->dev, name);
    ok(sim_fault(rule), "the sim fails the vault PUT with 500");
    struct vault_spec s = spec(c, name, uri);
    struct result *r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, NULL);
    ok(r != NULL && r->type == RESULT_ERROR && r->http_status == 500 &&
           r->plan != NULL && plan_step_state(r->plan, 0) == STEP_FAILED,
       "the plan stops at the vault: %s", r && r->message ? r->message : "?");
    char *rep = r != NULL && r->plan != NULL ? plan_report(r->plan) : NULL;
    ok(rep != NULL && strstr(rep, "Azure said: 500") != NULL &&
           strstr(rep, "Nothing was changed") != NULL,
       "the report says why:\n%s", rep ? rep : "");
    free(rep);
    ok(sim_fault("throttle,retry-after=1,method=GET,area=arm,count=1"),
       "then one 429 on a poll");
    struct plan *p = take_plan(r);
    result_free(r);
    r = p != NULL ? run_plan(c->e, p, PLAN_RETRY, NULL) : NULL;
    ok(done(r), "PLAN_RETRY finished it (%s)",
       r && r->message ? r->message : "done");
    ok(strstr(step_log, "429") != NULL,
       "through the 429 on a poll, said as progress:\n%s", step_log);
    result_free(r);
    sim_fault(NULL);

    /* the PUT accepted, then the operation's polls fail (the transport
     * retries each, then gives up: the outcome is unknown) */
    name = "kv-e-lro-02";
    free(uri);
    uri = engine_vault_uri(c->e, name);
    snprintf(rule, sizeof rule,
             "error,status=503,method=GET,path=/subscriptions/%s/"
             "resourceGroups/rg-sandbox/providers/Microsoft.KeyVault/"
             "vaults/%s,count=20",
             c->dev, name);
    ok(sim_fault(rule), "the sim fails every poll of the next vault (503)");
    s = spec(c, name, uri);
    s.assign_role = false; /* no role to overlap: the vault step itself
                              follows the operation to Succeeded */
    r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, NULL);
    ok(r != NULL && r->type == RESULT_ERROR && r->http_status == 503 &&
           r->plan != NULL && plan_step_state(r->plan, 0) == STEP_FAILED &&
           plan_step_state(r->plan, 1) == STEP_PENDING,
       "the operation failed: the plan stops at the vault (%s)",
       r && r->message ? r->message : "?");
    rep = r != NULL && r->plan != NULL ? plan_report(r->plan) : NULL;
    ok(rep != NULL && strstr(rep, "it may be in place") != NULL &&
           strstr(rep, "Nothing was changed") == NULL,
       "the report does not claim nothing changed:\n%s", rep ? rep : "");
    free(rep);
    p = take_plan(r);
    result_free(r);
    sim_fault(NULL);
    r = p != NULL ? run_plan(c->e, p, PLAN_RETRY, NULL) : NULL;
    ok(done(r), "PLAN_RETRY sends the PUT again and finishes (%s)",
       r && r->message ? r->message : "done");
    result_free(r);

    /* with the role, the vault step ends once the PUT is accepted; the
     * wait polls the provisioning, through failing polls */
    name = "kv-e-lro-03";
    free(uri);
    uri = engine_vault_uri(c->e, name);
    snprintf(rule, sizeof rule,
             "error,status=503,method=GET,path=/subscriptions/%s/"
             "resourceGroups/rg-sandbox/providers/Microsoft.KeyVault/"
             "vaults/%s,count=4",
             c->dev, name);
    ok(sim_fault(rule), "the sim fails the next vault's first polls (503)");
    s = spec(c, name, uri);
    r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, NULL);
    ok(done(r) && strstr(step_log, "provisioning") != NULL,
       "the role assigned while it provisions; the wait went through the "
       "503s:\n%s",
       step_log);
    ok(r != NULL && r->plan != NULL && plan_result_vault(r->plan) != NULL &&
           str_ieq(plan_result_vault(r->plan)->provisioning_state, "Succeeded"),
       "the result is the provisioned vault");
    result_free(r);
    sim_fault(NULL);

    /* interrupted while waiting for the data plane, then resumed */
    ok(sim_config("{\"dns_delay_ms\":4000}"), "DNS takes 4 s");
    name = "kv-e-wait-01";
    free(uri);
    uri = engine_vault_uri(c->e, name);
    s = spec(c, name, uri);
    r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, "waiting for");
    ok(r != NULL && r->type == RESULT_ERROR && r->status == KV_ERR_CANCELLED &&
           r->plan != NULL && plan_step_state(r->plan, 2) == STEP_FAILED,
       "interrupted during the wait (%s)", r && r->message ? r->message : "?");
    p = take_plan(r);
    result_free(r);
    r = p != NULL ? run_plan(c->e, p, PLAN_RETRY, NULL) : NULL;
    ok(done(r), "resumed: the vault answers");
    result_free(r);
    sim_config("{\"dns_delay_ms\":1500}");
    free(uri);

    /* a data-plane name that does not resolve: said as such, interrupted */
    name = "kv-e-dns-01";
    s = spec(c, name, "https://kv-e-dns-01.vault.invalid");
    r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY,
                 "DNS not resolving yet");
    ok(r != NULL && r->type == RESULT_ERROR && r->status == KV_ERR_CANCELLED &&
           r->plan != NULL && plan_step_state(r->plan, 1) == STEP_DONE &&
           plan_step_state(r->plan, 2) == STEP_FAILED,
       "a name that does not resolve: waited for, then stopped on request");
    ok(strstr(step_log, "waiting for kv-e-dns-01: DNS not resolving yet") !=
           NULL,
       "the wait said DNS:\n%s", step_log);
    result_free(r);
}

/* An LRO that fails as Azure's do: the PUT accepted, then the vault
 * reads provisioningState Failed (the sim's lro-fail fault). */
static void
test_lro_failed(struct ctx *c)
{
    const char *name = "kv-e-lrof-01";
    char *uri = engine_vault_uri(c->e, name);
    char rule[512];
    snprintf(rule, sizeof rule,
             "lro-fail,path=/subscriptions/%s/resourceGroups/rg-sandbox/"
             "providers/Microsoft.KeyVault/vaults/%s,count=1",
             c->dev, name);
    ok(sim_fault(rule), "the sim lets the next vault end Failed");
    struct vault_spec s = spec(c, name, uri);
    struct result *r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, NULL);
    ok(r != NULL && r->type == RESULT_ERROR && r->plan != NULL &&
           plan_step_state(r->plan, 0) == STEP_DONE &&
           plan_step_state(r->plan, 1) == STEP_DONE &&
           plan_step_state(r->plan, 2) == STEP_FAILED,
       "with the role: the PUT accepted, the role assigned, the plan stops "
       "at the wait (%s)",
       r && r->message ? r->message : "?");
    char *rep = r != NULL && r->plan != NULL ? plan_report(r->plan) : NULL;
    ok(rep != NULL && strstr(rep, "provisioningState Failed") != NULL &&
           strstr(rep, "a retry sends the vault to Azure again") != NULL,
       "the report says why:\n%s", rep ? rep : "");
    free(rep);
    struct kv_vault *v = get_vault(c->e, plan_step_target(r->plan, 0));
    ok(v != NULL && str_ieq(v->provisioning_state, "Failed"),
       "Azure keeps the failed vault (%s)", v ? v->provisioning_state : "-");
    kv_vault_free(v);
    struct plan *p = take_plan(r);
    result_free(r);
    sim_fault(NULL);
    r = p != NULL ? run_plan(c->e, p, PLAN_RETRY, NULL) : NULL;
    ok(done(r) && strstr(step_log, "sending the vault to Azure again") != NULL,
       "PLAN_RETRY sends the vault again, waits, finishes (%s):\n%s",
       r && r->message ? r->message : "done", step_log);
    ok(r != NULL && r->plan != NULL && plan_result_vault(r->plan) != NULL &&
           str_ieq(plan_result_vault(r->plan)->provisioning_state, "Succeeded"),
       "the result is the provisioned vault");
    ok(lists(c->e, uri), "its data plane answers");
    result_free(r);
    free(uri);

    /* without a role the vault step itself follows the operation */
    name = "kv-e-lrof-02";
    uri = engine_vault_uri(c->e, name);
    snprintf(rule, sizeof rule,
             "lro-fail,path=/subscriptions/%s/resourceGroups/rg-sandbox/"
             "providers/Microsoft.KeyVault/vaults/%s,count=1",
             c->dev, name);
    ok(sim_fault(rule), "the sim lets the next vault end Failed");
    s = spec(c, name, uri);
    s.assign_role = false;
    r = run_plan(c->e, plan_vault_create(&s), PLAN_APPLY, NULL);
    ok(r != NULL && r->type == RESULT_ERROR && r->plan != NULL &&
           plan_step_state(r->plan, 0) == STEP_FAILED &&
           plan_step_state(r->plan, 1) == STEP_PENDING,
       "without a role: the plan stops at the vault (%s)",
       r && r->message ? r->message : "?");
    rep = r != NULL && r->plan != NULL ? plan_report(r->plan) : NULL;
    ok(rep != NULL && strstr(rep, "provisioningState: Failed") != NULL &&
           strstr(rep, "stays in Azure, failed") != NULL &&
           strstr(rep, "Nothing was changed") == NULL,
       "the report says why, and that the failed vault stays:\n%s",
       rep ? rep : "");
    free(rep);
    p = take_plan(r);
    result_free(r);
    sim_fault(NULL);
    r = p != NULL ? run_plan(c->e, p, PLAN_RETRY, NULL) : NULL;
    ok(done(r), "PLAN_RETRY sends the PUT again and finishes (%s)",
       r && r->message ? r->message : "done");
    result_free(r);
    free(uri);
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
    bool up = simproc_start(&sim, bin, NULL);
    ok(up, "kvdeck-sim is ready");
    if (!up) {
        simproc_stop(&sim);
        return tap_done();
    }
    ok(sim_config("{\"lro_delay_ms\":300,\"dns_delay_ms\":1500,"
                  "\"rbac_delay_ms\":2500}"),
       "the sim's delays: LRO 0.3 s, DNS 1.5 s, RBAC 2.5 s");
    char jpath[600];
    snprintf(jpath, sizeof jpath, "%s/state/journal.jsonl", sim.dir);
    struct engine_config cfg = {.retry_base_ms = 100, .journal_path = jpath};
    simproc_config(&sim, &cfg);
    char *why = NULL;
    if (getenv("PLAN_LOG") != NULL)
        log_open(getenv("PLAN_LOG"), &why);
    struct ctx c = {0};
    c.e = engine_new(&cfg, &why);
    ok(c.e != NULL, "engine on the sim (%s)", why ? why : "ok");
    if (c.e == NULL)
        goto out;
    c.dev = subscription(c.e, "Development");
    c.prod = subscription(c.e, "Production");
    ok(c.dev != NULL && c.prod != NULL, "the demo's subscriptions");
    ok(engine_identity(c.e, &c.me) && c.me.object_id[0] != '\0',
       "who is signed in (%s)", c.me.object_id);
    c.ptype = str_eq(c.me.kind, "user") ? "User" : "ServicePrincipal";
    if (c.dev == NULL)
        goto out;

    test_reads(&c);
    test_create_rbac(&c);
    test_timing(&c);
    struct kv_vault *pv = NULL;
    test_create_policies(&c, &pv);
    test_refused(&c);
    test_unreachable(&c);
    if (pv != NULL)
        test_delete_recover_purge(&c, pv);
    kv_vault_free(pv);
    test_rollback(&c);
    test_protection(&c);
    test_faults(&c);
    test_lro_failed(&c);

    char *journal = NULL;
    FILE *f = fopen(jpath, "r");
    if (f != NULL) {
        journal = xcalloc(1, 1 << 20);
        size_t got = fread(journal, 1, (1 << 20) - 1, f);
        journal[got] = '\0';
        fclose(f);
    }
    ok(journal != NULL && strstr(journal, "\"vault-create\"") != NULL &&
           strstr(journal, "\"role-assign\"") != NULL &&
           strstr(journal, "\"vault-purge\"") != NULL,
       "the journal has the vault steps");
    free(journal);
out:
    engine_free(c.e);
    free(c.dev);
    free(c.prod);
    free(why);
    simproc_stop(&sim);
    return tap_done();
}
