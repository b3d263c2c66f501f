/*
 * test-plan-network-sim.c — the network plans of issue #10 run by the
 * engine against kvdeck-sim: a network PATCH (Deny plus an IP rule) that
 * the data plane enforces on the next call (403 from 127.0.0.1, 200 once
 * 127.0.0.1 is a rule), rolled back; a secret written through Resource
 * Manager (the data plane holds the new version, the old one stays
 * enabled; rotate refuses a stale review; an answer lost after the write
 * landed is resolved by reading, not a second PUT; a private-only vault written
 * all the same); attach with a new zone (auto-approved: connection
 * Approved, the zone group's A record at the private address); a failing
 * LRO of the endpoint and of the zone group (the plan stops, the report
 * says what exists, PLAN_RETRY finishes it), then public access closed
 * from outside (warned) and the data plane's 403 after; the time from
 * apply to "Approved" at 40 ms latency (printed); an existing zone
 * and link (no second link) with a subnet whose policy must change, and
 * public-off refused before sending when this host is outside and the
 * review did not warn; each write of an attach failing once in its LRO
 * (subnet, endpoint, new zone, link, zone group: stops there, retry goes
 * on); a manual request in another region (Pending), then
 * approved, rejected and removed from the connection plans. Skips when
 * the sim is not built.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static char step_log[32768];  /* the last plan's step messages */
static long long approved_ms; /* the last plan: submit to "Approved" */

static bool
sim_fault(const char *rule)
{
    char body[1200];
    if (!simproc_control(&sim, "DELETE", "/faults", NULL))
        return false;
    if (rule == NULL)
        return true;
    snprintf(body, sizeof body, "{\"faults\":[\"%s\"]}", rule);
    return simproc_control(&sim, "POST", "/faults", body);
}

/* Runs a plan to its end; the terminal result (caller frees). */
static struct result *
run_plan(struct engine *e, struct plan *p, enum plan_mode mode)
{
    int64_t t0 = time_mono_ms();
    uint64_t id = engine_submit(e, job_plan(p, mode));
    step_log[0] = '\0';
    approved_ms = -1;
    for (;;) {
        struct result *r = engine_wait_result(e, 120000);
        if (r == NULL)
            return NULL;
        if (r->job_id != id) {
            result_free(r);
            continue;
        }
        if (r->type == RESULT_STEP) {
            if (r->message != NULL && approved_ms < 0 &&
                str_starts(r->message, "Approved (after"))
                approved_ms = (long long)(time_mono_ms() - t0);
            if (r->message != NULL &&
                strlen(step_log) + strlen(r->message) + 2 < sizeof step_log) {
                strcat(step_log, r->message);
                strcat(step_log, "\n");
            }
            result_free(r);
            continue;
        }
        if (r->type == RESULT_DONE || r->type == RESULT_ERROR)
            return r;
        result_free(r);
    }
}

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

static const char *
msg(const struct result *r)
{
    return r != NULL && r->message != NULL ? r->message : "done";
}

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

/* The first item of a job's answer (taken; caller frees), or NULL. */
static void *
first(struct engine *e, struct job *j)
{
    struct outcome o;
    void *item = NULL;
    outcome_run(e, j, 30000, &o);
    if (o.end != NULL && o.end->type == RESULT_DONE && o.pages.len > 0) {
        struct result *r = o.pages.items[0];
        if (r->items.len > 0) {
            item = r->items.items[0];
            r->items.items[0] = NULL;
        }
    }
    outcome_free(&o);
    return item;
}

static char *
vault_id(const char *sub, const char *group, const char *name)
{
    return xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                     "Microsoft.KeyVault/vaults/%s",
                     sub, group, name);
}

static struct kv_vault *
get_vault(struct engine *e, const char *id)
{
    return first(e, job_get_vault(id));
}

/* The data plane's answer to a secret list: KV_OK or the error. */
static enum kv_status
list_status(struct engine *e, const char *uri, char *code, size_t n)
{
    struct outcome o;
    outcome_run(e, job_list_secrets(uri), 30000, &o);
    enum kv_status st = o.end == NULL                ? KV_ERR_TIMEOUT
                        : o.end->type == RESULT_DONE ? KV_OK
                                                     : o.end->status;
    if (code != NULL)
        snprintf(code, n, "%s",
                 o.end && o.end->inner_code   ? o.end->inner_code
                 : o.end && o.end->error_code ? o.end->error_code
                                              : "");
    outcome_free(&o);
    return st;
}

/* The VNet named name in sub/group (caller frees). */
static struct kv_vnet *
vnet(struct engine *e, const char *sub, const char *group, const char *name)
{
    struct outcome o;
    struct kv_vnet *v = NULL;
    outcome_run(e, job_list_vnets(sub, group), 30000, &o);
    for (size_t pi = 0; pi < o.pages.len; pi++) {
        struct result *r = o.pages.items[pi];
        for (size_t i = 0; i < r->items.len; i++) {
            struct kv_vnet *x = r->items.items[i];
            if (v == NULL && x != NULL && str_ieq(x->name, name)) {
                v = x;
                r->items.items[i] = NULL;
            }
        }
    }
    outcome_free(&o);
    return v;
}

static const struct kv_subnet *
subnet(const struct kv_vnet *v, const char *name)
{
    for (size_t i = 0; v != NULL && i < v->n_subnets; i++)
        if (str_ieq(v->subnets[i].name, name))
            return &v->subnets[i];
    return NULL;
}

/* The vault's connection whose endpoint is named pe (caller frees). */
static struct kv_endpoint_connection *
connection(struct engine *e, const char *vid, const char *pe)
{
    struct outcome o;
    struct kv_endpoint_connection *c = NULL;
    outcome_run(e, job_list_endpoint_connections(vid), 60000, &o);
    for (size_t pi = 0; pi < o.pages.len; pi++) {
        struct result *r = o.pages.items[pi];
        for (size_t i = 0; i < r->items.len; i++) {
            struct kv_endpoint_connection *x = r->items.items[i];
            if (c == NULL && x != NULL && x->private_endpoint_id != NULL &&
                str_iends(x->private_endpoint_id, pe) &&
                x->private_endpoint_id[strlen(x->private_endpoint_id) -
                                       strlen(pe) - 1] == '/') {
                c = x;
                r->items.items[i] = NULL;
            }
        }
    }
    outcome_free(&o);
    return c;
}

static size_t
count_links(struct engine *e, const char *zone_id)
{
    struct outcome o;
    outcome_run(e, job_list_vnet_links(zone_id), 30000, &o);
    size_t n = o.end != NULL && o.end->type == RESULT_DONE ? o.items : 999;
    outcome_free(&o);
    return n;
}

struct ctx {
    struct engine *e;
    char *dev, *prod;
    char *dev_vault; /* kv-contoso-dev's id */
    char *dev_zone;  /* the zone the first attach made */
};

/* ---- the vault's network ------------------------------------------------ */

static void
test_network(struct ctx *c)
{
    struct kv_vault *v = get_vault(c->e, c->dev_vault);
    ok(v != NULL && v->vault_uri != NULL, "kv-contoso-dev read");
    if (v == NULL)
        return;
    char code[128];
    is_int(list_status(c->e, v->vault_uri, NULL, 0), KV_OK,
           "its data plane answers from here");
    struct network_change ch = {
        .public_access = -1, .default_deny = 1, .add_ip = "203.0.113.0/24"};
    const char *why = NULL;
    struct plan *p = plan_vault_network(v, &ch, &why);
    ok(p != NULL && str_eq(plan_confirm_name(p), "kv-contoso-dev"),
       "Deny with a rule that is not this host: typed (%s)", why ? why : "ok");
    struct result *r = run_plan(c->e, p, PLAN_APPLY);
    ok(done(r), "PATCHed (%s)", msg(r));
    struct plan *p1 = take_plan(r);
    result_free(r);
    const struct kv_vault *rv = p1 != NULL ? plan_result_vault(p1) : NULL;
    ok(rv != NULL && str_eq(rv->network_default_action, "Deny") &&
           rv->ip_rules.n == 1 &&
           str_starts(rv->ip_rules.items[0], "203.0.113.0/24"),
       "Azure's answer: Deny, one rule (%s)",
       rv && rv->ip_rules.n ? rv->ip_rules.items[0] : "none");
    is_int(list_status(c->e, v->vault_uri, code, sizeof code), KV_ERR_FORBIDDEN,
           "the next data-plane call is refused (%s)", code);
    ok(strstr(code, "Firewall") != NULL, "by the firewall (%s)", code);

    struct kv_vault *v2 = get_vault(c->e, c->dev_vault);
    struct network_change add = {
        .public_access = -1, .default_deny = -1, .add_ip = "127.0.0.1"};
    p = v2 != NULL ? plan_vault_network(v2, &add, &why) : NULL;
    ok(p != NULL && plan_confirm_name(p) == NULL,
       "adding a rule: nothing typed");
    r = p != NULL ? run_plan(c->e, p, PLAN_APPLY) : NULL;
    ok(done(r), "127.0.0.1 added (%s)", msg(r));
    struct plan *p2 = take_plan(r);
    result_free(r);
    is_int(list_status(c->e, v->vault_uri, NULL, 0), KV_OK,
           "the data plane lets this host in again");

    r = p2 != NULL ? run_plan(c->e, p2, PLAN_ROLLBACK) : NULL;
    ok(done(r), "the rule's PATCH rolled back (%s)", msg(r));
    result_free(r);
    is_int(list_status(c->e, v->vault_uri, NULL, 0), KV_ERR_FORBIDDEN,
           "refused again");
    r = p1 != NULL ? run_plan(c->e, p1, PLAN_ROLLBACK) : NULL;
    ok(done(r), "the Deny PATCH rolled back (%s)", msg(r));
    result_free(r);
    is_int(list_status(c->e, v->vault_uri, NULL, 0), KV_OK, "open as it was");
    struct kv_vault *v3 = get_vault(c->e, c->dev_vault);
    ok(v3 != NULL && v3->ip_rules.n == 0 &&
           !str_eq(v3->network_default_action, "Deny"),
       "no rule left, Allow");
    kv_vault_free(v3);
    kv_vault_free(v2);
    kv_vault_free(v);
}

/* ---- secrets through Resource Manager ---------------------------------- */

/* The versions of name: how many, and whether version ver is enabled. */
static size_t
versions(struct engine *e, const char *uri, const char *name, const char *ver,
         bool *enabled)
{
    struct outcome o;
    outcome_run(e, job_list_versions(uri, name), 30000, &o);
    for (size_t i = 0; i < o.items; i++) {
        struct kv_secret_version *v = outcome_item(&o, i);
        if (ver != NULL && str_eq(v->version, ver) && enabled != NULL)
            *enabled = v->attrs.enabled;
    }
    size_t n = o.items;
    outcome_free(&o);
    return n;
}

/* The latest value of name through the data plane is want. */
static bool
value_is(struct engine *e, const char *uri, const char *name, const char *want)
{
    struct outcome o;
    outcome_run(e, job_get_secret_value(uri, name, NULL), 30000, &o);
    bool yes = false;
    for (size_t i = 0; i < o.pages.len; i++) {
        struct result *r = o.pages.items[i];
        if (r->value != NULL && r->value->len == strlen(want) &&
            memcmp(r->value->data, want, r->value->len) == 0)
            yes = true;
    }
    outcome_free(&o);
    return yes;
}

static void
test_arm_secret(struct ctx *c)
{
    char *uri = engine_vault_uri(c->e, "kv-contoso-dev");
    bool old_enabled = false;
    struct kv_secret_version *latest =
        first(c->e, job_get_secret_value(uri, "db-password", NULL));
    char *old = latest != NULL ? xstrdup(latest->version) : NULL;
    kv_secret_version_free(latest);
    size_t before = versions(c->e, uri, "db-password", NULL, NULL);
    ok(old != NULL && before >= 1, "db-password has %zu version(s)", before);

    struct secret_change ch = {.vault_name = "kv-contoso-dev",
                               .name = "db-password",
                               .value = secret_dup("arm-new-1", 9),
                               .content_type = "password"};
    struct plan *p = plan_secret_set_arm(&ch, c->dev_vault, false);
    struct result *r = run_plan(c->e, p, PLAN_APPLY);
    ok(done(r), "a new version through Resource Manager (%s)", msg(r));
    p = take_plan(r);
    result_free(r);
    const struct kv_secret_version *nv = p ? plan_result_version(p) : NULL;
    char *newv = nv != NULL && nv->version ? xstrdup(nv->version) : NULL;
    ok(newv != NULL && !str_eq(newv, old), "a new version id (%s)",
       newv ? newv : "none");
    ok(p != NULL && !plan_verified(p) &&
           strstr(step_log, "cannot be read back") != NULL,
       "not verified, and it says why:\n%s", step_log);
    plan_free(p);
    is_int(versions(c->e, uri, "db-password", old, &old_enabled), before + 1,
           "the data plane holds one more version");
    ok(old_enabled, "the old version stays enabled");
    ok(value_is(c->e, uri, "db-password", "arm-new-1"),
       "the latest value is the one written");

    /* rotate: against the version just written, then a stale review */
    struct kv_secret_version cur = {.version = newv};
    ch.value = secret_dup("arm-new-2", 9);
    ch.current = &cur;
    r = run_plan(c->e, plan_secret_set_arm(&ch, c->dev_vault, true),
                 PLAN_APPLY);
    ok(done(r), "rotated through Resource Manager (%s)", msg(r));
    result_free(r);
    ch.value = secret_dup("arm-new-3", 9);
    r = run_plan(c->e, plan_secret_set_arm(&ch, c->dev_vault, true),
                 PLAN_APPLY);
    ok(r != NULL && r->type == RESULT_ERROR &&
           str_eq(r->error_code, "ChangedSinceReview"),
       "a stale review is refused (%s)", msg(r));
    ok(r != NULL && r->plan != NULL &&
           plan_step_state(r->plan, 1) == STEP_PENDING,
       "nothing was written");
    result_free(r);
    ok(value_is(c->e, uri, "db-password", "arm-new-2"), "arm-new-2 stays");

    /* the PUT's answer lost after it landed: looked at, not sent twice */
    size_t n0 = versions(c->e, uri, "db-password", NULL, NULL);
    char rule[1024];
    snprintf(rule, sizeof rule,
             "drop-after-commit,method=PUT,path=%s/secrets/db-password,"
             "count=1",
             c->dev_vault);
    ok(sim_fault(rule), "the next ARM secret PUT's answer is dropped");
    struct secret_change lost = {.vault_name = "kv-contoso-dev",
                                 .name = "db-password",
                                 .value = secret_dup("arm-new-4", 9)};
    r = run_plan(c->e, plan_secret_set_arm(&lost, c->dev_vault, false),
                 PLAN_APPLY);
    sim_fault(NULL);
    ok(done(r) && strstr(step_log, "no second write sent") != NULL,
       "the write was found landed (%s):\n%s", msg(r), step_log);
    result_free(r);
    is_int(versions(c->e, uri, "db-password", NULL, NULL), n0 + 1,
           "exactly one more version");
    ok(value_is(c->e, uri, "db-password", "arm-new-4"), "arm-new-4 is latest");

    /* a vault this host cannot reach on its data plane */
    char *core = vault_id(c->prod, "rg-network-prod", "kv-contoso-core-prod");
    char *core_uri = engine_vault_uri(c->e, "kv-contoso-core-prod");
    ok(list_status(c->e, core_uri, NULL, 0) == KV_ERR_FORBIDDEN,
       "kv-contoso-core-prod refuses this host's data-plane calls");
    struct secret_change cc = {.name = "tls-cert-passphrase",
                               .value = secret_dup("core-new", 8)};
    r = run_plan(c->e, plan_secret_set_arm(&cc, core, false), PLAN_APPLY);
    ok(done(r), "written all the same through Resource Manager (%s)", msg(r));
    result_free(r);
    free(core);
    free(core_uri);
    free(newv);
    free(old);
    free(uri);
}

/* ---- attach ------------------------------------------------------------- */

static void
test_attach_new_zone(struct ctx *c)
{
    struct kv_vault *v = get_vault(c->e, c->dev_vault);
    struct kv_vnet *vn = vnet(c->e, c->dev, "rg-app-dev", "vnet-dev");
    const struct kv_subnet *sn = subnet(vn, "snet-default");
    ok(v != NULL && sn != NULL, "vault, VNet and subnet read");
    if (v == NULL || sn == NULL)
        goto out;
    struct attach_spec s = {
        .vault = v,
        .vnet = vn,
        .subnet = sn,
        .endpoint_name = "pe-kv-contoso-dev",
        .endpoint_group = "rg-app-dev",
        .dns = ATTACH_DNS_NEW_ZONE,
        .zone_name = "privatelink.vaultcore.azure.net",
        .zone_group = "rg-app-dev",
    };
    struct plan *p = plan_attach(&s);
    int64_t t0 = time_mono_ms();
    struct result *r = run_plan(c->e, p, PLAN_APPLY);
    printf("# attach (new zone): apply to \"Approved\" and the DNS check "
           "%lld ms\n",
           (long long)(time_mono_ms() - t0));
    ok(done(r), "attached with a new zone (%s)", msg(r));
    p = take_plan(r);
    result_free(r);
    const struct kv_private_endpoint *e = p ? plan_result_endpoint(p) : NULL;
    ok(e != NULL && str_eq(e->connection_status, "Approved"),
       "the connection is Approved (%s)",
       e && e->connection_status ? e->connection_status : "?");
    ok(e != NULL && e->private_ip != NULL &&
           str_starts(e->private_ip, "10.20.1."),
       "a private address in the subnet (%s)",
       e && e->private_ip ? e->private_ip : "none");
    ok(strstr(step_log, "Approved") != NULL && p != NULL &&
           !plan_attach_pending(p),
       "the wait said Approved, not pending");
    const struct kv_dns_check *d = p ? plan_result_dns(p) : NULL;
    ok(d != NULL && !d->matches &&
           strstr(step_log, "kv-contoso-dev.vault.localhost") != NULL,
       "the DNS check ran: this host is outside:\n%s", step_log);
    c->dev_zone = xasprintf("/subscriptions/%s/resourceGroups/rg-app-dev/"
                            "providers/Microsoft.Network/privateDnsZones/"
                            "privatelink.vaultcore.azure.net",
                            c->dev);
    is_int(count_links(c->e, c->dev_zone), 1, "the new zone has one link");
    struct kv_endpoint_connection *k =
        connection(c->e, c->dev_vault, "pe-kv-contoso-dev");
    bool rec = false;
    for (size_t i = 0; k != NULL && e != NULL && i < k->n_records; i++)
        for (size_t j = 0; j < k->records[i].addresses.n; j++)
            rec = rec ||
                  (str_istarts(k->records[i].fqdn, "kv-contoso-dev.") &&
                   str_eq(k->records[i].addresses.items[j], e->private_ip));
    ok(k != NULL && str_eq(k->status, "Approved") && rec,
       "the vault lists it Approved, with the A record at its address");
    kv_endpoint_connection_free(k);
    plan_free(p);
out:
    kv_vnet_free(vn);
    kv_vault_free(v);
}

/* A second endpoint to the same vault through the zone made above; its
 * endpoint's LRO fails, then its zone group's; retry finishes; then it
 * closes public access from outside, warned. */
static void
test_attach_faults(struct ctx *c)
{
    struct kv_vault *v = get_vault(c->e, c->dev_vault);
    struct kv_vnet *vn = vnet(c->e, c->dev, "rg-app-dev", "vnet-dev");
    const struct kv_subnet *sn = subnet(vn, "snet-default");
    if (v == NULL || sn == NULL || c->dev_zone == NULL) {
        ok(false, "the first attach's vault, subnet and zone");
        goto out;
    }
    struct attach_spec s = {
        .vault = v,
        .vnet = vn,
        .subnet = sn,
        .endpoint_name = "pe-kv-contoso-dev-2",
        .endpoint_group = "rg-app-dev",
        .dns = ATTACH_DNS_REUSE_ZONE,
        .zone_name = "privatelink.vaultcore.azure.net",
        .zone_id = c->dev_zone,
        .link_exists = true,
        .close_public_access = true,
        .check_outside = true,
    };
    struct plan *p = plan_attach(&s);
    ok(p != NULL && str_eq(plan_confirm_name(p), "kv-contoso-dev"),
       "closing from outside: typed");
    char rule[1024];
    snprintf(rule, sizeof rule, "lro-fail,path=%s,count=1",
             plan_step_target(p, 0));
    ok(sim_fault(rule), "the endpoint's operation will fail");
    struct result *r = run_plan(c->e, p, PLAN_APPLY);
    p = take_plan(r);
    ok(r != NULL && r->type == RESULT_ERROR && p != NULL &&
           plan_step_state(p, 0) == STEP_FAILED,
       "the plan stops at the endpoint (%s)", msg(r));
    result_free(r);
    char *rep = p != NULL ? plan_report(p) : NULL;
    ok(rep != NULL && strstr(rep, "Retry") != NULL,
       "the report says what exists and that retry sends it again:\n%s",
       rep ? rep : "");
    free(rep);
    snprintf(rule, sizeof rule, "lro-fail,path=%s/privateDnsZoneGroups,count=1",
             p != NULL ? plan_step_target(p, 0) : "/x");
    sim_fault(rule);
    r = p != NULL ? run_plan(c->e, p, PLAN_RETRY) : NULL;
    p = take_plan(r);
    ok(r != NULL && r->type == RESULT_ERROR && p != NULL &&
           plan_step_state(p, 0) == STEP_DONE &&
           plan_step_state(p, 1) == STEP_FAILED,
       "retried: the endpoint is made, the zone group's operation fails "
       "(%s)",
       msg(r));
    result_free(r);
    rep = p != NULL ? plan_report(p) : NULL;
    ok(rep != NULL && strstr(rep, "[done] Create private endpoint") != NULL &&
           strstr(rep, "1 change(s) before it were made and are in place") !=
               NULL &&
           strstr(rep, "Retry sends it again") != NULL,
       "the report lists the endpoint as done:\n%s", rep ? rep : "");
    free(rep);
    sim_fault(NULL);
    r = p != NULL ? run_plan(c->e, p, PLAN_RETRY) : NULL;
    ok(done(r), "retry finishes it (%s)", msg(r));
    p = take_plan(r);
    result_free(r);
    ok(p != NULL && plan_finished(p), "every step done");
    ok(strstr(step_log, "outside") != NULL || strstr(step_log, "not to") ||
           strstr(step_log, "does not resolve"),
       "the check said this host is outside");
    struct kv_vault *after = get_vault(c->e, c->dev_vault);
    ok(after != NULL && str_eq(after->public_network_access, "Disabled"),
       "public network access is off");
    char code[128];
    is_int(list_status(c->e, v->vault_uri, code, sizeof code), KV_ERR_FORBIDDEN,
           "and the data plane refuses this host (%s)", code);
    is_int(count_links(c->e, c->dev_zone), 1, "still one link");
    /* open it again for what follows */
    r = p != NULL ? run_plan(c->e, p, PLAN_ROLLBACK) : NULL;
    ok(done(r), "rolled back: public access on, the endpoint deleted (%s)",
       msg(r));
    p = take_plan(r);
    result_free(r);
    is_int(list_status(c->e, v->vault_uri, NULL, 0), KV_OK,
           "the data plane answers again");
    struct kv_endpoint_connection *k =
        connection(c->e, c->dev_vault, "pe-kv-contoso-dev-2");
    ok(k == NULL, "the second endpoint's connection is gone");
    kv_endpoint_connection_free(k);
    kv_vault_free(after);
    plan_free(p);
out:
    kv_vnet_free(vn);
    kv_vault_free(v);
}

/* The hub's zone and link exist; snet-data's policy must change; public
 * access off, this host outside, not warned: refused before sending. */
static void
test_attach_existing(struct ctx *c)
{
    char *vid = vault_id(c->prod, "rg-app-prod", "kv-contoso-app-prod");
    char *zone = xasprintf("/subscriptions/%s/resourceGroups/rg-network-prod/"
                           "providers/Microsoft.Network/privateDnsZones/"
                           "privatelink.vaultcore.azure.net",
                           c->prod);
    struct kv_vault *v = get_vault(c->e, vid);
    struct kv_vnet *vn =
        vnet(c->e, c->prod, "rg-network-prod", "vnet-hub-prod");
    const struct kv_subnet *sn = subnet(vn, "snet-data");
    ok(v != NULL && sn != NULL && str_eq(sn->pe_policies, "Enabled"),
       "snet-data's policy is Enabled");
    if (v == NULL || sn == NULL)
        goto out;
    size_t links = count_links(c->e, zone);
    struct attach_spec s = {
        .vault = v,
        .vnet = vn,
        .subnet = sn,
        .set_subnet_policy = true,
        .endpoint_name = "pe-kv-contoso-app-prod",
        .endpoint_group = "rg-network-prod",
        .dns = ATTACH_DNS_REUSE_ZONE,
        .zone_name = "privatelink.vaultcore.azure.net",
        .zone_id = zone,
        .link_exists = true,
        .close_public_access = true,
        .check_outside = false,
    };
    struct plan *p = plan_attach(&s);
    struct result *r = run_plan(c->e, p, PLAN_APPLY);
    p = take_plan(r);
    size_t last = p != NULL ? plan_steps(p) - 1 : 0;
    ok(r != NULL && r->type == RESULT_ERROR &&
           str_eq(r->error_code, "OutsideNotConfirmed") && p != NULL &&
           str_eq(plan_step_op(p, last), "public-off") &&
           plan_step_state(p, last) == STEP_FAILED,
       "public-off refused: this host is outside, unwarned (%s)", msg(r));
    for (size_t i = 0; p != NULL && i < last; i++)
        ok(plan_step_state(p, i) == STEP_DONE, "step %s done",
           plan_step_op(p, i));
    struct kv_vault *after = get_vault(c->e, vid);
    ok(after != NULL && !str_eq(after->public_network_access, "Disabled"),
       "the vault stays open");
    is_int(count_links(c->e, zone), links, "no second link (%zu)", links);
    struct kv_vnet *vn2 =
        vnet(c->e, c->prod, "rg-network-prod", "vnet-hub-prod");
    const struct kv_subnet *sn2 = subnet(vn2, "snet-data");
    ok(sn2 != NULL && str_eq(sn2->pe_policies, "Disabled"),
       "snet-data's policy is Disabled now");
    const struct kv_private_endpoint *e = p ? plan_result_endpoint(p) : NULL;
    ok(e != NULL && str_eq(e->connection_status, "Approved") &&
           e->private_ip != NULL && str_starts(e->private_ip, "10.10.3."),
       "Approved at %s", e && e->private_ip ? e->private_ip : "?");
    kv_vnet_free(vn2);
    kv_vault_free(after);
    result_free(r);
    plan_free(p);
out:
    kv_vnet_free(vn);
    kv_vault_free(v);
    free(zone);
    free(vid);
}

/* For the closing note: apply to "Approved" at 40 ms on every request,
 * next to the sim's own delays (printed, not asserted). */
static void
test_timing(struct ctx *c)
{
    struct kv_vault *v = get_vault(c->e, c->dev_vault);
    struct kv_vnet *vn = vnet(c->e, c->dev, "rg-app-dev", "vnet-dev");
    const struct kv_subnet *sn = subnet(vn, "snet-default");
    if (v == NULL || sn == NULL || c->dev_zone == NULL) {
        ok(false, "the dev vault, subnet and zone for the timing");
        goto out;
    }
    struct attach_spec s = {
        .vault = v,
        .vnet = vn,
        .subnet = sn,
        .endpoint_name = "pe-kv-contoso-dev-t",
        .endpoint_group = "rg-app-dev",
        .dns = ATTACH_DNS_REUSE_ZONE,
        .zone_name = "privatelink.vaultcore.azure.net",
        .zone_id = c->dev_zone,
        .link_exists = true,
    };
    ok(simproc_control(&sim, "POST", "/config", "{\"lro_delay_ms\":2000}") &&
           sim_fault("latency,ms=40"),
       "the sim's LRO delay 2 s (Retry-After 1 s), 40 ms on every request");
    int64_t t0 = time_mono_ms();
    struct result *r = run_plan(c->e, plan_attach(&s), PLAN_APPLY);
    long long all = (long long)(time_mono_ms() - t0);
    sim_fault(NULL);
    ok(done(r) && approved_ms > 0, "attached at 40 ms latency (%s)", msg(r));
    printf("# 40 ms latency: apply to \"Approved\" %lld ms, the whole plan "
           "%lld ms; the sim's delays: 2 long-running operations (endpoint, "
           "zone group) of 2000 ms each, polled after Retry-After 1 s\n",
           approved_ms, all);
    result_free(r);
out:
    kv_vnet_free(vn);
    kv_vault_free(v);
}

/* Every write of an attach fails once in its long-running operation
 * (the sim's lro-fail): the subnet, the endpoint, a new zone, its link,
 * the zone group. Each time the plan stops there with the steps before
 * it done; the next retry goes on; the last finishes. */
static void
test_attach_each_lro(struct ctx *c)
{
    char *vid = vault_id(c->prod, "rg-app-prod", "kv-contoso-app-prod");
    struct kv_vault *v = get_vault(c->e, vid);
    struct kv_vnet *vn =
        vnet(c->e, c->prod, "rg-network-prod", "vnet-spoke-westus2");
    const struct kv_subnet *sn = subnet(vn, "snet-endpoints");
    ok(v != NULL && sn != NULL, "kv-contoso-app-prod and the westus2 spoke");
    if (v == NULL || sn == NULL)
        goto out;
    struct attach_spec s = {
        .vault = v,
        .vnet = vn,
        .subnet = sn,
        .set_subnet_policy = true,
        .endpoint_name = "pe-app-westus2",
        .endpoint_group = "rg-network-prod",
        .dns = ATTACH_DNS_NEW_ZONE,
        .zone_name = "privatelink.vaultcore.azure.net",
        .zone_group = "rg-app-prod",
    };
    struct plan *p = plan_attach(&s);
    size_t writes = 0;
    while (p != NULL && writes < plan_steps(p) && plan_step_writes(p, writes))
        writes++;
    is_int(writes, 5, "five writes: subnet, endpoint, zone, link, group");
    enum plan_mode mode = PLAN_APPLY;
    for (size_t i = 0; p != NULL && i < writes; i++) {
        char rule[1024];
        snprintf(rule, sizeof rule, "lro-fail,path=%s,count=1",
                 plan_step_target(p, i));
        sim_fault(rule);
        struct result *r = run_plan(c->e, p, mode);
        p = take_plan(r);
        bool before = true;
        for (size_t j = 0; p != NULL && j < i; j++)
            before = before && plan_step_state(p, j) == STEP_DONE;
        ok(r != NULL && r->type == RESULT_ERROR && p != NULL &&
               plan_step_state(p, i) == STEP_FAILED && before,
           "%s: its operation failed, the plan stopped there (%s)",
           p != NULL ? plan_step_op(p, i) : "?", msg(r));
        result_free(r);
        mode = PLAN_RETRY;
    }
    sim_fault(NULL);
    struct result *r = p != NULL ? run_plan(c->e, p, PLAN_RETRY) : NULL;
    ok(done(r), "the last retry finishes it (%s)", msg(r));
    p = take_plan(r);
    result_free(r);
    const struct kv_private_endpoint *e = p ? plan_result_endpoint(p) : NULL;
    ok(e != NULL && str_eq(e->connection_status, "Approved") &&
           str_eq(e->location, "westus2"),
       "Approved, the endpoint in westus2");
    char *zone = xasprintf("/subscriptions/%s/resourceGroups/rg-app-prod/"
                           "providers/Microsoft.Network/privateDnsZones/"
                           "privatelink.vaultcore.azure.net",
                           c->prod);
    is_int(count_links(c->e, zone), 1, "the new zone has its one link");
    free(zone);
    plan_free(p);
out:
    kv_vnet_free(vn);
    kv_vault_free(v);
    free(vid);
}

/* A manual request from a VNet in another region; then the connection
 * plans: approve, reject, remove. */
static void
test_manual(struct ctx *c)
{
    char *vid = vault_id(c->prod, "rg-ai-prod", "kv-contoso-ai-prod");
    struct kv_vault *v = get_vault(c->e, vid);
    struct kv_vnet *vn =
        vnet(c->e, c->prod, "rg-network-prod", "vnet-spoke-westus2");
    const struct kv_subnet *sn = subnet(vn, "snet-endpoints");
    ok(v != NULL && sn != NULL, "kv-contoso-ai-prod and the westus2 spoke");
    if (v == NULL || sn == NULL)
        goto out;
    struct attach_spec s = {
        .vault = v,
        .vnet = vn,
        .subnet = sn,
        .endpoint_name = "pe-ai-westus2",
        .endpoint_group = "rg-network-prod",
        .dns = ATTACH_DNS_NONE,
        .zone_name = "privatelink.vaultcore.azure.net",
        .manual = true,
        .request_message = "for the westus2 workers",
    };
    struct plan *p = plan_attach(&s);
    ok(p != NULL && strstr(plan_step_text(p, 0), "westus2") != NULL,
       "the other region is said");
    struct result *r = run_plan(c->e, p, PLAN_APPLY);
    ok(done(r), "requested (%s)", msg(r));
    p = take_plan(r);
    result_free(r);
    ok(p != NULL && plan_attach_pending(p) &&
           strstr(step_log, "Pending — ask the vault's owner") != NULL,
       "ends Pending — ask the vault's owner");
    const struct kv_private_endpoint *e = p ? plan_result_endpoint(p) : NULL;
    ok(e != NULL && str_eq(e->location, "westus2") && e->manual,
       "the endpoint lives in westus2, a manual connection");
    plan_free(p);

    struct kv_endpoint_connection *k = connection(c->e, vid, "pe-ai-westus2");
    ok(k != NULL && str_eq(k->status, "Pending") &&
           str_eq(k->description, "for the westus2 workers"),
       "the vault lists it Pending with the message");
    if (k == NULL)
        goto out;
    r = run_plan(c->e,
                 plan_endpoint_connection(k, "kv-contoso-ai-prod", PEC_APPROVE,
                                          "approved by the test"),
                 PLAN_APPLY);
    ok(done(r), "approved (%s)", msg(r));
    result_free(r);
    kv_endpoint_connection_free(k);
    k = connection(c->e, vid, "pe-ai-westus2");
    ok(k != NULL && str_eq(k->status, "Approved") &&
           str_eq(k->description, "approved by the test"),
       "now Approved with the description");
    if (k == NULL)
        goto out;
    struct plan *rej =
        plan_endpoint_connection(k, "kv-contoso-ai-prod", PEC_REJECT, "no");
    ok(str_eq(plan_confirm_name(rej), k->name), "reject is typed");
    r = run_plan(c->e, rej, PLAN_APPLY);
    ok(done(r), "rejected (%s)", msg(r));
    result_free(r);
    kv_endpoint_connection_free(k);
    k = connection(c->e, vid, "pe-ai-westus2");
    ok(k != NULL && str_eq(k->status, "Rejected"), "now Rejected");
    if (k == NULL)
        goto out;
    r = run_plan(
        c->e,
        plan_endpoint_connection(k, "kv-contoso-ai-prod", PEC_REMOVE, NULL),
        PLAN_APPLY);
    ok(done(r), "removed (%s)", msg(r));
    result_free(r);
    kv_endpoint_connection_free(k);
    k = connection(c->e, vid, "pe-ai-westus2");
    ok(k == NULL, "the vault no longer lists it");
    kv_endpoint_connection_free(k);
out:
    kv_vnet_free(vn);
    kv_vault_free(v);
    free(vid);
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
    if (c.dev == NULL || c.prod == NULL)
        goto out;
    c.dev_vault = vault_id(c.dev, "rg-app-dev", "kv-contoso-dev");

    test_network(&c);
    test_arm_secret(&c);
    test_attach_new_zone(&c);
    test_attach_faults(&c);
    test_timing(&c);
    test_attach_existing(&c);
    test_attach_each_lro(&c);
    test_manual(&c);

    char *journal = NULL;
    FILE *f = fopen(jpath, "r");
    if (f != NULL) {
        journal = xcalloc(1, 1 << 20);
        size_t got = fread(journal, 1, (1 << 20) - 1, f);
        journal[got] = '\0';
        fclose(f);
    }
    ok(journal != NULL && strstr(journal, "\"vault-network\"") != NULL &&
           strstr(journal, "\"pe-create\"") != NULL &&
           strstr(journal, "\"arm-secret-set\"") != NULL &&
           strstr(journal, "arm-new") == NULL,
       "the journal has the steps, never a value");
    free(journal);
out:
    engine_free(c.e);
    free(c.dev);
    free(c.prod);
    free(c.dev_vault);
    free(c.dev_zone);
    free(why);
    simproc_stop(&sim);
    return tap_done();
}
