/*
 * test-engine-network.c — the network jobs of issue #10 against
 * kvdeck-sim's demo seed (kv-contoso-core-prod behind
 * pe-kv-contoso-core-prod, 10.10.2.4 in vnet-hub-prod's
 * snet-private-endpoints, the privatelink.vaultcore.azure.net zone
 * linked to vnet-hub-prod): VNets with subnets, DNS zones, links, a
 * private endpoint, the endpoint connections completed from their
 * endpoints and zone groups (and a connection whose endpoint cannot be
 * read, which is no failure of the job), permissions, the vault's secrets
 * through Resource Manager, the DNS check (overrides, getaddrinfo, a name
 * that does not exist) and the resolve overrides on real connections.
 * One-item ARM pages, so that paging runs under the enrichment.
 * Skips when the sim is not built.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "azure/ops.h"
#include "azure/resource.h"
#include "base/str.h"
#include "engine/engine.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"
#include "tests/tools/simproc.h"

static struct simproc sim;

static const char *const sim_args[] = {"--page-size", "1", NULL};

static bool
done(const struct outcome *o)
{
    return o->end != NULL && o->end->type == RESULT_DONE;
}

/* The subscription and id of the vault named name (caller frees). */
static bool
find_vault(struct engine *e, const char *name, char **sub, char **id,
           char **uri)
{
    struct outcome o;
    outcome_run(e, job_list_subscriptions(), 30000, &o);
    size_t n = o.items;
    char **subs = calloc(n + 1, sizeof *subs);
    for (size_t i = 0; i < n; i++)
        subs[i] = strdup(((const struct kv_subscription *)outcome_item(&o, i))
                             ->subscription_id);
    outcome_free(&o);
    bool found = false;
    for (size_t i = 0; i < n && !found; i++) {
        outcome_run(e, job_list_vaults(subs[i], NULL), 30000, &o);
        for (size_t k = 0; k < o.items && !found; k++) {
            const struct kv_vault *v = outcome_item(&o, k);
            if (str_eq(v->name, name)) {
                *sub = strdup(subs[i]);
                *id = strdup(v->id);
                *uri = strdup(v->vault_uri);
                found = true;
            }
        }
        outcome_free(&o);
    }
    for (size_t i = 0; i < n; i++)
        free(subs[i]);
    free(subs);
    return found;
}

static void
test_network(struct engine *e, const char *sub, char **zone_id)
{
    struct outcome o;
    outcome_run(e, job_list_vnets(sub, NULL), 30000, &o);
    ok(done(&o) && o.items >= 2, "the subscription's VNets (%zu)", o.items);
    const struct kv_subnet *pe_subnet = NULL;
    const struct kv_vnet *hub = NULL;
    for (size_t i = 0; i < o.items; i++) {
        const struct kv_vnet *v = outcome_item(&o, i);
        if (str_eq(v->name, "vnet-hub-prod"))
            hub = v;
    }
    for (size_t i = 0; hub != NULL && i < hub->n_subnets; i++)
        if (str_eq(hub->subnets[i].name, "snet-private-endpoints"))
            pe_subnet = &hub->subnets[i];
    ok(hub != NULL && str_eq(hub->location, "eastus") &&
           hub->address_prefixes.n > 0,
       "vnet-hub-prod in eastus with its address space");
    ok(pe_subnet != NULL && pe_subnet->address_prefix != NULL &&
           pe_subnet->pe_policies != NULL,
       "its snet-private-endpoints: prefix and endpoint policy read");
    ok(pe_subnet != NULL && pe_subnet->used_addresses == 1 &&
           pe_subnet->free_addresses == 256 - 5 - 1,
       "the seeded endpoint uses an address; free ones counted (%ld)",
       pe_subnet != NULL ? pe_subnet->free_addresses : -1L);
    outcome_free(&o);

    outcome_run(e, job_list_dns_zones(sub, "rg-network-prod"), 30000, &o);
    const struct kv_dns_zone *z = NULL;
    for (size_t i = 0; i < o.items; i++) {
        const struct kv_dns_zone *zi = outcome_item(&o, i);
        if (str_eq(zi->name, "privatelink.vaultcore.azure.net"))
            z = zi;
    }
    ok(done(&o) && z != NULL, "the group's private DNS zones: the vault's");
    *zone_id = z != NULL ? strdup(z->id) : NULL;
    outcome_free(&o);

    outcome_run(e, job_list_vnet_links(*zone_id), 30000, &o);
    const struct kv_vnet_link *l = outcome_item(&o, 0);
    ok(done(&o) && l != NULL && str_iends(l->vnet_id, "/vnet-hub-prod") &&
           az_id_eq(l->zone_id, *zone_id),
       "the zone's link to vnet-hub-prod");
    outcome_free(&o);
}

static void
test_connections(struct engine *e, const char *vault_id)
{
    struct outcome o;
    outcome_run(e, job_list_endpoint_connections(vault_id), 30000, &o);
    const struct kv_endpoint_connection *c = outcome_item(&o, 0);
    ok(done(&o) && c != NULL, "the vault's endpoint connections (%zu)",
       o.items);
    ok(c != NULL && c->endpoint_read && c->endpoint_error == NULL,
       "its endpoint was read");
    is_str(c != NULL ? c->private_ip : NULL, "10.10.2.4",
           "the endpoint's private IP");
    ok(c != NULL && str_iends(c->subnet_id, "/snet-private-endpoints"),
       "its subnet");
    is_str(c != NULL ? c->endpoint_location : NULL, "eastus", "its region");
    ok(c != NULL && c->zone_groups_read && c->n_records >= 1,
       "its zone group's records were listed");
    const struct kv_dns_record *r =
        c != NULL && c->n_records > 0 ? &c->records[0] : NULL;
    ok(r != NULL &&
           str_istarts(r->fqdn, "kv-contoso-core-prod.privatelink."
                                "vaultcore.azure.net") &&
           r->addresses.n == 1 && str_eq(r->addresses.items[0], "10.10.2.4"),
       "the A record kv-contoso-core-prod.privatelink... -> 10.10.2.4");
    char *pe = c != NULL ? strdup(c->private_endpoint_id) : NULL;
    outcome_free(&o);

    outcome_run(e, job_get_private_endpoint(pe), 30000, &o);
    const struct kv_private_endpoint *p = outcome_item(&o, 0);
    ok(done(&o) && p != NULL && str_eq(p->private_ip, "10.10.2.4") &&
           az_id_eq(p->target_id, vault_id),
       "the endpoint alone: its IP and the vault it connects to");
    outcome_free(&o);

    /* an endpoint that cannot be read is not the job's failure */
    char *spec = NULL;
    const char *path = strstr(pe, "/subscriptions/");
    if (asprintf(&spec, "{\"faults\":[\"error,status=500,area=arm,path=%s\"]}",
                 path != NULL ? path : "/") < 0)
        spec = NULL;
    ok(spec != NULL && simproc_control(&sim, "POST", "/faults", spec),
       "the sim fails every read of the endpoint");
    outcome_run(e, job_list_endpoint_connections(vault_id), 60000, &o);
    c = outcome_item(&o, 0);
    ok(done(&o) && c != NULL, "the connections are still listed");
    ok(c != NULL && !c->endpoint_read && c->endpoint_error != NULL &&
           c->private_ip == NULL && c->subnet_id == NULL && c->n_records == 0,
       "the endpoint: unknown, with why (%s)",
       c != NULL && c->endpoint_error ? c->endpoint_error : "-");
    outcome_free(&o);
    simproc_control(&sim, "DELETE", "/faults", NULL);
    free(spec);
    free(pe);
}

static void
test_rights_and_secrets(struct engine *e, const char *vault_id)
{
    struct outcome o;
    outcome_run(e, job_get_permissions(vault_id), 30000, &o);
    const struct kv_permissions *p = outcome_item(&o, 0);
    ok(done(&o) && p != NULL && az_id_eq(p->scope, vault_id) &&
           p->actions.n > 0,
       "the principal's permissions at the vault");
    ok(p != NULL && kv_permits(p, "Microsoft.KeyVault/vaults/"
                                  "privateEndpointConnectionsApproval/action"),
       "the sim's principal may approve connections");
    outcome_free(&o);

    outcome_run(e, job_list_arm_secrets(vault_id), 30000, &o);
    bool named = false, no_version = true;
    for (size_t i = 0; i < o.items; i++) {
        const struct kv_secret_item *s = outcome_item(&o, i);
        named |= str_eq(s->name, "sql-admin-password");
        no_version &= s->id != NULL && str_iends(s->id, s->name);
    }
    ok(done(&o) && named,
       "its secrets through Resource Manager (%zu, sql-admin-password)",
       o.items);
    ok(o.items > 0 && no_version, "items are secrets, not versions");
    outcome_free(&o);
}

static void
test_dns(struct engine *e)
{
    struct outcome o;
    const struct kv_dns_check *c;

    outcome_run(e,
                job_check_dns("https://kv-contoso-core-prod.vault.azure.net/",
                              "10.10.2.4"),
                30000, &o);
    c = outcome_item(&o, 0);
    ok(done(&o) && c != NULL && c->overridden && c->resolved && c->matches,
       "a resolve override answers for its host (the private IP)");
    is_str(c != NULL ? c->host : NULL, "kv-contoso-core-prod.vault.azure.net",
           "the host from the URL");
    outcome_free(&o);

    /* a numeric host still goes through getaddrinfo on its thread */
    outcome_run(e, job_check_dns("127.0.0.1", "10.10.2.4"), 30000, &o);
    c = outcome_item(&o, 0);
    ok(done(&o) && c != NULL && !c->overridden && c->resolved &&
           c->addresses.n == 1 && str_eq(c->addresses.items[0], "127.0.0.1") &&
           !c->matches,
       "getaddrinfo for a bare host: resolved, not the private IP (%s)",
       c != NULL && c->addresses.n ? c->addresses.items[0] : "-");
    outcome_free(&o);

    /* names under localhost as curl takes them, without the resolver */
    outcome_run(e, job_check_dns("https://kv-x.vault.localhost:8443/", NULL),
                30000, &o);
    c = outcome_item(&o, 0);
    ok(done(&o) && c != NULL && c->resolved && c->error == NULL &&
           c->addresses.n > 0 && str_eq(c->addresses.items[0], "127.0.0.1"),
       "a *.localhost name is loopback, as curl connects (%s)",
       c != NULL && c->addresses.n ? c->addresses.items[0] : "-");
    outcome_free(&o);

    outcome_run(e, job_check_dns("kvdeck-test.invalid", NULL), 30000, &o);
    c = outcome_item(&o, 0);
    ok(done(&o) && c != NULL && !c->resolved && c->error != NULL,
       "a name that does not exist: not resolved, with why (%s)",
       c != NULL && c->error ? c->error : "-");
    outcome_free(&o);

    /* cancelled at once: the lookup thread finishes on its own */
    uint64_t id = engine_submit(e, job_check_dns("kvdeck-test.invalid", NULL));
    engine_cancel(e, id);
}

/* ---- az_arm_secret_set on a client of its own ------------------------- */

struct got {
    bool done, failed, ambiguous;
    enum kv_status status;
    struct kv_secret_version *written;
};

static void
got_page(void *ud, struct vec *items, bool more)
{
    struct got *g = ud;
    (void)more;
    if (items->len > 0 && g->written == NULL) {
        g->written = items->items[0];
        vec_remove(items, 0);
    }
}

static void
got_done(void *ud, const struct az_failure *f)
{
    struct got *g = ud;
    g->done = true;
    if (f != NULL) {
        g->failed = true;
        g->ambiguous = f->ambiguous;
        g->status = f->status;
    }
}

static const struct az_op_cb got_cb = {.page = got_page, .done = got_done};

static void
got_run(struct az_client *cl, struct got *g)
{
    time_t t0 = time(NULL);
    while (!g->done && time(NULL) - t0 < 30)
        az_client_run(cl, 200);
}

static void
test_arm_secret_set(const struct engine_config *ec, const char *vault_id)
{
    struct az_client_config cc = {0};
    char *why = NULL;
    cc.cloud = ec->cloud;
    cc.http.ca_file = ec->ca_file;
    cc.http.retry = az_retry_default();
    cc.http.retry.base_ms = 50;
    cc.sign_in.tenant = ec->tenant_id;
    cc.sign_in.client_id = ec->client_id;
    cc.sign_in.client_secret = ec->client_secret;
    cc.sign_in.no_env = true;
    struct az_client *cl = az_client_new(&cc, &why);
    ok(cl != NULL, "a client on the sim (%s)", why ? why : "ok");
    free(why);
    if (cl == NULL)
        return;

    struct secret *v = secret_dup("n3w \"value\"", 11);
    struct kv_tags tags = {0};
    kv_tags_set(&tags, "rotated-by", "kvdeck");
    struct az_secret_write w = {
        .content_type = "text/plain", .enabled = AZ_SET_TRUE, .tags = &tags};
    struct got g = {0};
    az_arm_secret_set(cl, vault_id, "sql-admin-password", v, &w, &got_cb, &g);
    ok(!g.done, "no callback inside az_arm_secret_set");
    got_run(cl, &g);
    ok(g.done && !g.failed && g.written != NULL,
       "a secret written through Resource Manager (public access off)");
    ok(g.written != NULL && g.written->version != NULL &&
           strlen(g.written->version) == 32 &&
           str_eq(g.written->name, "sql-admin-password") &&
           g.written->attrs.enabled &&
           str_eq(g.written->content_type, "text/plain"),
       "the new version's id and attributes come back (%s)",
       g.written != NULL && g.written->version ? g.written->version : "-");
    ok(g.written != NULL && strstr(g.written->json, "n3w") == NULL,
       "never the value");
    kv_secret_version_free(g.written);

    /* the answer lost after the write landed: ambiguous, not replayed */
    simproc_control(&sim, "POST", "/faults",
                    "{\"faults\":[\"drop-after-commit,count=1,area=arm,"
                    "method=PUT\"]}");
    memset(&g, 0, sizeof g);
    az_arm_secret_set(cl, vault_id, "sql-admin-password", v, &w, &got_cb, &g);
    got_run(cl, &g);
    ok(g.done && g.failed && g.ambiguous,
       "an answer lost after the PUT: ambiguous (look before writing again)");
    simproc_control(&sim, "DELETE", "/faults", NULL);

    memset(&g, 0, sizeof g);
    az_arm_secret_set(cl, vault_id, "bad_name", v, NULL, &got_cb, &g);
    ok(!g.done, "a bad name fails from the loop, not inside the call");
    got_run(cl, &g);
    ok(g.failed && g.status == KV_ERR_INVALID, "bad name: invalid");
    memset(&g, 0, sizeof g);
    az_arm_secret_set(cl, "not-an-id", "ok-name", v, NULL, &got_cb, &g);
    got_run(cl, &g);
    ok(g.failed && g.status == KV_ERR_INVALID, "a vault that is no id");

    kv_tags_free(&tags);
    secret_free(v);
    az_client_free(cl);
}

int
main(void)
{
    const char *bin = simproc_bin();
    if (bin == NULL)
        tap_skip_all("kvdeck-sim is not built (set KVDECK_SIM)");
    enginetest_no_proxy();
    bool up = simproc_start(&sim, bin, sim_args);
    ok(up, "kvdeck-sim is ready");
    if (!up) {
        simproc_stop(&sim);
        return tap_done();
    }
    struct kv_strlist resolve = {0};
    kv_strlist_add(&resolve,
                   "kv-contoso-core-prod.vault.azure.net:*:10.10.2.4");
    struct engine_config c = {.retry_base_ms = 100, .max_attempts = 2};
    simproc_config(&sim, &c);
    c.resolve = &resolve;
    char *why = NULL;
    struct engine *e = engine_new(&c, &why);
    ok(e != NULL, "engine on the sim (%s)", why ? why : "ok");
    char *sub = NULL, *vault_id = NULL, *uri = NULL, *zone_id = NULL;
    if (e == NULL ||
        !find_vault(e, "kv-contoso-core-prod", &sub, &vault_id, &uri)) {
        ok(false, "the seed's kv-contoso-core-prod");
        goto out;
    }
    test_network(e, sub, &zone_id);
    test_connections(e, vault_id);
    test_rights_and_secrets(e, vault_id);
    test_dns(e);
    test_arm_secret_set(&c, vault_id);
    engine_free(e);
    e = NULL;

    /* the overrides on real connections: the vault's host sent to an
     * address where nothing listens fails; to the sim's, it works */
    char *host = NULL;
    const char *h = strstr(uri, "://") + 3;
    host = strndup(h, strcspn(h, "/"));
    for (int round = 0; round < 2; round++) {
        struct kv_strlist l = {0};
        char *entry = NULL;
        const char *colon = strrchr(host, ':');
        if (asprintf(&entry, "%.*s%s:%s", (int)(colon - host), host, colon,
                     round == 0 ? "127.0.0.2" : "127.0.0.1") < 0)
            break;
        kv_strlist_add(&l, entry);
        c.resolve = &l;
        c.max_attempts = 1;
        e = engine_new(&c, &why);
        struct outcome o;
        outcome_run(e, job_list_secrets(uri), 30000, &o);
        /* (the vault's own network may refuse the data plane: any
         * answer means the sim was reached) */
        if (round == 0)
            ok(o.end != NULL && o.end->type == RESULT_ERROR &&
                   o.end->http_status == 0,
               "resolve %s: nothing answers there", entry);
        else
            ok(o.end != NULL &&
                   (o.end->type == RESULT_DONE || o.end->http_status != 0),
               "resolve %s: the sim answers (%s)", entry,
               o.end != NULL && o.end->message ? o.end->message : "ok");
        outcome_free(&o);
        engine_free(e);
        e = NULL;
        kv_strlist_free(&l);
        free(entry);
    }
    free(host);
out:
    engine_free(e);
    kv_strlist_free(&resolve);
    free(sub);
    free(vault_id);
    free(uri);
    free(zone_id);
    simproc_stop(&sim);
    return tap_done();
}
