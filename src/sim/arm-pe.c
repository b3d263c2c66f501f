/*
 * arm-pe.c — Microsoft.Network private endpoints (201 +
 * Azure-AsyncOperation + Retry-After, GET/list/DELETE) that create the
 * vault side of their connections (auto-approved, or Pending for the
 * manual kind; an automatic one needs the caller's right to approve on
 * the vault, else 403 LinkedAuthorizationFailed; before Network
 * api-version 2022-07-01 none in a subnet whose network policies are
 * Enabled), and private DNS zone groups that maintain the vault's A
 * record in the linked zone; both kinds of arm-kind.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-doc.h"
#include "sim/arm-kind.h"
#include "sim/arm-net.h"
#include "sim/arm-perm.h"
#include "sim/arm.h"
#include "sim/store.h"
#include "sim/util.h"

/* ---- private endpoints -------------------------------------------------- */

static cJSON *
pe_render(struct arm_ctx *cx, const cJSON *doc)
{
    cJSON *c = arm_public(doc);
    cJSON *p = cJSON_GetObjectItem(c, "properties");
    static const char *const kinds[] = {"privateLinkServiceConnections",
                                        "manualPrivateLinkServiceConnections",
                                        NULL};
    cJSON *ps = cJSON_CreateString(arm_net_state(doc));

    cJSON_AddItemToObject(p, "provisioningState", ps);
    for (size_t k = 0; kinds[k]; k++) {
        cJSON *conn;

        cJSON_ArrayForEach(conn, cJSON_GetObjectItem(p, kinds[k]))
        {
            cJSON *cp = cJSON_GetObjectItem(conn, "properties");
            cJSON *st =
                arm_pec_state(cx->sim, json_str(cp, "privateLinkServiceId"),
                              json_str(conn, "name"));

            if (!st) {
                st = cJSON_CreateObject();
                cJSON_AddStringToObject(st, "status", "Disconnected");
                cJSON_AddStringToObject(st, "description",
                                        "The connection was removed by the "
                                        "resource owner.");
                cJSON_AddStringToObject(st, "actionsRequired", "None");
            }
            json_set_str(cp, "provisioningState", "Succeeded");
            json_set(cp, "privateLinkServiceConnectionState", st);
        }
    }
    return c;
}

/* Validates one connection list; answers 400 and returns false. */
static bool
conns_ok(struct arm_ctx *cx, const cJSON *conns, struct vec *vaults)
{
    const cJSON *c;

    cJSON_ArrayForEach(c, conns)
    {
        const cJSON *cp = cJSON_GetObjectItem(c, "properties");
        const char *target = json_str(cp, "privateLinkServiceId");
        const cJSON *groups = cJSON_GetObjectItem(cp, "groupIds");
        char *vkey = arm_key_of_id(target);
        char *v = vkey && str_starts(vkey, "vault|")
                      ? store_get(cx->sim->store, vkey)
                      : NULL;

        if (!json_str(c, "name")) {
            free(vkey);
            arm_error(cx, 400, "InvalidRequestFormat",
                      "A private link service connection needs a name.");
            return false;
        }
        if (!v) {
            arm_error(cx, 400, "InvalidResourceReference",
                      "Resource %s referenced by resource %s was not found. "
                      "Please make sure that the referenced resource exists, "
                      "and that both resources are in the same region.",
                      target ? target : "(none)", cx->rq->path);
            free(vkey);
            return false;
        }
        free(v);
        if (cJSON_GetArraySize(groups) != 1 ||
            strcasecmp(cJSON_GetStringValue(cJSON_GetArrayItem(groups, 0))
                           ? cJSON_GetStringValue(cJSON_GetArrayItem(groups, 0))
                           : "",
                       "vault") != 0) {
            arm_error(cx, 400, "PrivateEndpointBadRequest",
                      "Call to Microsoft.KeyVault/vaults failed. Error "
                      "message: The group ids of the private endpoint must be "
                      "[\"vault\"].");
            free(vkey);
            return false;
        }
        vec_push(vaults, vkey);
    }
    return true;
}

/* Strips a connection list to what is stored (state comes from PECs). */
static cJSON *
conns_doc(const cJSON *conns, const char *pe_id, const char *etag)
{
    cJSON *arr = cJSON_CreateArray();
    const cJSON *c;

    cJSON_ArrayForEach(c, conns)
    {
        const cJSON *cp = cJSON_GetObjectItem(c, "properties");

        cJSON_AddItemToArray(
            arr, arm_doc_pe_conn(pe_id, json_str(c, "name"), etag,
                                 json_str(cp, "privateLinkServiceId"),
                                 json_str(cp, "requestMessage")));
    }
    return arr;
}

/* Next free host address (from .4) in a subnet for a new endpoint. */
static char *
allocate_ip(struct arm_ctx *cx, const cJSON *subnet)
{
    const char *prefix =
        json_str(cJSON_GetObjectItem(subnet, "properties"), "addressPrefix");
    cJSON *used =
        arm_net_subnet_endpoints(cx->sim, cx->cap[0], json_str(subnet, "id"));
    unsigned a = 10, b = 0, c = 0, d = 0;
    int n = cJSON_GetArraySize(used);
    uint32_t ip;

    cJSON_Delete(used);
    if (!prefix || sscanf(prefix, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
        a = 10, b = c = d = 0;
    ip = ((a & 255u) << 24 | (b & 255u) << 16 | (c & 255u) << 8 | (d & 255u)) +
         4u + (uint32_t)n;
    return xasprintf("%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255u,
                     (ip >> 8) & 255u, ip & 255u);
}

static bool
pe_validate_subnet(struct arm_ctx *cx, struct arm_put *p, const cJSON *props)
{
    const char *sid = json_str(cJSON_GetObjectItem(props, "subnet"), "id");
    char *skey = arm_key_of_id(sid);

    if (skey && str_starts(skey, "subnet|")) {
        /* The endpoint lives in its VNet's region: a subnet of a VNet
         * elsewhere is "not found" in Azure's words. */
        const char *rest = skey + strlen("subnet");
        char *vkey =
            xasprintf("vnet%.*s", (int)(strrchr(skey, '|') - rest), rest);
        cJSON *vnet;

        vnet = store_get_json(cx->sim->store, vkey);
        if (vnet && p->loc && str_eq(json_str(vnet, "location"), p->loc))
            p->ref = store_get_json(cx->sim->store, skey);
        cJSON_Delete(vnet);
        free(vkey);
    }
    free(skey);
    if (!p->ref)
        arm_error(cx, 400, "InvalidResourceReference",
                  "Resource %s referenced by resource %s was not found. "
                  "Please make sure that the referenced resource exists, and "
                  "that both resources are in the same region.",
                  sid ? sid : "(subnet)", cx->rq->path);
    return p->ref != NULL;
}

/* Until network policies for private endpoints became generally
 * available (Network api-version 2022-07-01), Azure refused an endpoint
 * in a subnet whose privateEndpointNetworkPolicies is Enabled. */
static bool
pe_subnet_policy_ok(struct arm_ctx *cx, const char *pe_id, const cJSON *subnet)
{
    const char *pol = json_str(cJSON_GetObjectItem(subnet, "properties"),
                               "privateEndpointNetworkPolicies");

    if (arm_api_since(cx, "2022-07-01") || !pol ||
        strcasecmp(pol, "Enabled") != 0)
        return true;
    arm_error(cx, 400,
              "PrivateEndpointCannotBeCreatedInSubnetThatHasNetworkPolicies"
              "Enabled",
              "Private endpoint %s cannot be created in a subnet %s since it "
              "has private endpoint network policies enabled.",
              pe_id, json_str(subnet, "id"));
    return false;
}

/* The caller writes the endpoint, and for an automatic connection may
 * approve it on the target vault (else 403 LinkedAuthorizationFailed,
 * as ARM's linked authorization answers). */
static bool
pe_rights_ok(struct arm_ctx *cx, const char *pe_id, const cJSON *auto_c)
{
    const cJSON *c;

    if (!arm_perm_check(cx, pe_id, "Microsoft.Network/privateEndpoints/write"))
        return false;
    cJSON_ArrayForEach(c, auto_c)
    {
        if (!arm_perm_linked(cx, pe_id,
                             "Microsoft.Network/privateEndpoints/write",
                             json_str(cJSON_GetObjectItem(c, "properties"),
                                      "privateLinkServiceId"),
                             "Microsoft.KeyVault/vaults/"
                             "privateEndpointConnectionsApproval/action"))
            return false;
    }
    return true;
}

/* Location, subnet (p->ref) and the one connection (its vault key in
 * p->refs[0] for the automatic kind, p->refs[1] for the manual one), the
 * subnet's policy and the caller's rights. */
static bool
pe_validate(struct arm_ctx *cx, struct arm_put *p)
{
    const cJSON *props = cJSON_GetObjectItem(p->body, "properties");
    const cJSON *auto_c, *man_c;
    char *pe_id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                            "Microsoft.Network/privateEndpoints/%s",
                            cx->cap[0], cx->cap[1], cx->cap[2]);
    bool ok;

    ok = arm_net_location(cx, p->body, &p->loc) &&
         pe_validate_subnet(cx, p, props) &&
         pe_subnet_policy_ok(cx, pe_id, p->ref) &&
         pe_rights_ok(
             cx, pe_id,
             cJSON_GetObjectItem(props, "privateLinkServiceConnections"));
    free(pe_id);
    if (!ok)
        return false;
    auto_c = cJSON_GetObjectItem(props, "privateLinkServiceConnections");
    man_c = cJSON_GetObjectItem(props, "manualPrivateLinkServiceConnections");
    if (cJSON_GetArraySize(auto_c) + cJSON_GetArraySize(man_c) != 1) {
        arm_error(cx, 400, "PrivateEndpointMustHaveOneConnection",
                  "Private endpoint %s must have exactly one private link "
                  "service connection.",
                  cx->cap[2]);
        return false;
    }
    return conns_ok(cx, auto_c, &p->refs[0]) &&
           conns_ok(cx, man_c, &p->refs[1]);
}

/* Adds to p->t the vault side of each connection that has none yet. */
static void
pe_put_pecs(struct arm_ctx *cx, struct arm_put *p, const char *id)
{
    const cJSON *props = cJSON_GetObjectItem(p->body, "properties");

    for (int manual = 0; manual < 2; manual++) {
        struct vec *vs = &p->refs[manual];
        const cJSON *conns = cJSON_GetObjectItem(
            props, manual ? "manualPrivateLinkServiceConnections"
                          : "privateLinkServiceConnections");

        for (size_t i = 0; i < vs->len; i++) {
            const cJSON *c = cJSON_GetArrayItem(conns, (int)i);
            cJSON *vault = store_get_json(cx->sim->store, vs->items[i]);
            cJSON *st = arm_pec_state(cx->sim, json_str(vault, "id"),
                                      json_str(c, "name"));

            if (!st)
                arm_pec_create(cx, p->t, vs->items[i], vault,
                               json_str(c, "name"), id, p->loc, manual,
                               json_str(cJSON_GetObjectItem(c, "properties"),
                                        "requestMessage"));
            cJSON_Delete(st);
            cJSON_Delete(vault);
        }
    }
}

static bool
pe_build(struct arm_ctx *cx, struct arm_put *p)
{
    const cJSON *props = cJSON_GetObjectItem(p->body, "properties");
    const char *rg = json_str(p->parent, "name");
    const char *name = p->old ? json_str(p->old, "name") : cx->cap[2];
    const char *nic = json_str(props, "customNetworkInterfaceName");
    char *id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                         "Microsoft.Network/privateEndpoints/%s",
                         cx->cap[0], rg, name);
    char *etag = arm_weak_etag();
    char *ip = p->old && json_str(p->old, "_ip")
                   ? xstrdup(json_str(p->old, "_ip"))
                   : allocate_ip(cx, p->ref);
    char *guid =
        p->old ? xstrdup(json_str(cJSON_GetObjectItem(p->old, "properties"),
                                  "resourceGuid"))
               : util_uuid();
    char *nic_id = arm_doc_nic_id(cx->cap[0], rg, cx->cap[2], guid);
    const char *vaults[2];
    size_t nv = 0;

    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < p->refs[k].len && nv < 2; i++)
            vaults[nv++] = strrchr(p->refs[k].items[i], '|') + 1;
    p->doc = arm_doc_private_endpoint(&(struct arm_doc_pe){
        .id = id,
        .name = name,
        .etag = etag,
        .location = p->loc,
        .guid = guid,
        .tags = cJSON_GetObjectItem(p->body, "tags"),
        .conns = conns_doc(
            cJSON_GetObjectItem(props, "privateLinkServiceConnections"), id,
            etag),
        .manual = conns_doc(
            cJSON_GetObjectItem(props, "manualPrivateLinkServiceConnections"),
            id, etag),
        .nic_name = nic ? nic : "",
        .subnet_id = json_str(p->ref, "id"),
        .nic_id = nic_id,
        .ip = ip,
        .vaults = vaults,
        .nvaults = nv,
        .dns_suffix = "vault.localhost",
    });
    arm_set_ready(cx->sim, p->doc);
    pe_put_pecs(cx, p, id);
    free(id);
    free(etag);
    free(ip);
    free(guid);
    free(nic_id);
    return true;
}

/* Adds to t the removal of the A records a zone group maintains. */
static void
drop_zone_records(struct store_txn *t, const cJSON *zg)
{
    const cJSON *cfg, *rs;

    cJSON_ArrayForEach(
        cfg, cJSON_GetObjectItem(cJSON_GetObjectItem(zg, "properties"),
                                 "privateDnsZoneConfigs"))
    {
        const cJSON *cp = cJSON_GetObjectItem(cfg, "properties");
        char *zkey = arm_key_of_id(json_str(cp, "privateDnsZoneId"));

        cJSON_ArrayForEach(rs, cJSON_GetObjectItem(cp, "recordSets"))
        {
            char *rk;

            if (!zkey)
                break;
            rk = arm_key("rec|%s|a|%s", zkey + strlen("zone|"),
                         json_str(rs, "recordSetName"));
            store_txn_del(t, rk);
            free(rk);
        }
        free(zkey);
    }
}

/* Adds to t the removal of an endpoint's zone groups and their records. */
static void
drop_zone_groups(struct arm_ctx *cx, struct store_txn *t, const char *key)
{
    char *zgp = xasprintf("zg|%s|", key + strlen("pe|"));
    struct vec zgs = VEC_INIT;

    store_scan(cx->sim->store, zgp, NULL, 0, NULL, NULL, &zgs, NULL);
    for (size_t i = 0; i < zgs.len; i++) {
        cJSON *zg = cJSON_Parse(((struct store_kv *)zgs.items[i])->val);

        drop_zone_records(t, zg);
        cJSON_Delete(zg);
    }
    store_txn_del_prefix(t, zgp);
    vec_free_all(&zgs, store_kv_free);
    free(zgp);
}

/* An endpoint goes with its zone groups and its vault-side connections. */
static void
pe_drop(struct arm_ctx *cx, struct store_txn *t, const char *key,
        const cJSON *doc)
{
    const cJSON *c;

    drop_zone_groups(cx, t, key);
    for (int k = 0; k < 2; k++) {
        cJSON_ArrayForEach(
            c, cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "properties"),
                                   k ? "manualPrivateLinkServiceConnections"
                                     : "privateLinkServiceConnections"))
        {
            char *vk = arm_key_of_id(json_str(
                cJSON_GetObjectItem(c, "properties"), "privateLinkServiceId"));

            if (vk) {
                char *pk = arm_key("pec|%s|%s", vk + strlen("vault|"),
                                   json_str(c, "name"));

                store_txn_del(t, pk);
                free(pk);
            }
            free(vk);
        }
    }
    store_txn_del(t, key);
}

static const struct arm_kind kind_pe = {
    .type = "Microsoft.Network/privateEndpoints",
    .prefix = "pe",
    .depth = 3,
    .lro = ARM_LRO_NETWORK,
    .op = "pe",
    .pretty = true,
    .etag = true,
    .render = pe_render,
    .validate = pe_validate,
    .build = pe_build,
    .drop = pe_drop,
};

/* ---- private DNS zone groups -------------------------------------------- */

static cJSON *
zg_render(struct arm_ctx *cx, const cJSON *doc)
{
    cJSON *c = arm_public(doc), *cfg;
    cJSON *p = cJSON_GetObjectItem(c, "properties");
    const char *st = arm_net_state(doc);

    (void)cx;
    json_set_str(p, "provisioningState", st);
    cJSON_ArrayForEach(cfg, cJSON_GetObjectItem(p, "privateDnsZoneConfigs"))
    {
        cJSON *rs;

        json_set_str(cJSON_GetObjectItem(cfg, "properties"),
                     "provisioningState", st);
        cJSON_ArrayForEach(
            rs, cJSON_GetObjectItem(cJSON_GetObjectItem(cfg, "properties"),
                                    "recordSets"))
            json_set_str(rs, "provisioningState", st);
    }
    return c;
}

/* The A record (and its reference in cfg) for each vault the endpoint
 * connects to, added to t. */
static void
zg_records(struct arm_ctx *cx, struct store_txn *t, const cJSON *pe, cJSON *cfg,
           const cJSON *zone, const char *zkey)
{
    const char *ip = json_str(pe, "_ip");
    const cJSON *c;

    if (!ip)
        ip = "10.0.0.4";
    (void)cx;
    cJSON_ArrayForEach(
        c, cJSON_GetObjectItem(cJSON_GetObjectItem(pe, "properties"),
                               "privateLinkServiceConnections"))
    {
        const char *target = json_str(cJSON_GetObjectItem(c, "properties"),
                                      "privateLinkServiceId");
        const char *vname = target ? strrchr(target, '/') + 1 : NULL;
        char *fqdn, *rk, *re;
        cJSON *rec;

        if (!vname)
            continue;
        fqdn = xasprintf("%s.%s", vname, json_str(zone, "name"));
        arm_doc_zone_config_record(cfg, vname, fqdn, ip);
        re = util_uuid();
        rec = arm_doc_a_record(json_str(zone, "id"), json_str(zone, "name"),
                               vname, re, 10);
        arm_doc_a_address(rec, ip);
        rk = arm_key("rec|%s|a|%s", zkey + strlen("zone|"), vname);
        store_txn_put(t, rk, rec);
        cJSON_Delete(rec);
        free(fqdn);
        free(rk);
        free(re);
    }
}

/* One privateDnsZoneConfigs entry of the body into p->doc; false after
 * answering 400 for a zone that does not exist. */
static bool
zg_config(struct arm_ctx *cx, struct arm_put *p, const cJSON *cfg,
          const char *etag)
{
    const char *zid =
        json_str(cJSON_GetObjectItem(cfg, "properties"), "privateDnsZoneId");
    char *zkey = arm_key_of_id(zid);
    cJSON *zone = zkey && str_starts(zkey, "zone|")
                      ? store_get_json(cx->sim->store, zkey)
                      : NULL;

    if (!zone || !json_str(cfg, "name")) {
        arm_error(cx, 400, "InvalidResourceReference",
                  "Resource %s referenced by resource %s was not found.",
                  zid ? zid : "(privateDnsZoneId)", json_str(p->doc, "id"));
        free(zkey);
        return false;
    }
    zg_records(cx, p->t, p->parent,
               arm_doc_zone_config(p->doc, json_str(cfg, "name"), etag,
                                   json_str(zone, "id")),
               zone, zkey);
    cJSON_Delete(zone);
    free(zkey);
    return true;
}

static bool
zg_build(struct arm_ctx *cx, struct arm_put *p)
{
    char *id = xasprintf("%s/privateDnsZoneGroups/%s",
                         json_str(p->parent, "id"), cx->cap[3]);
    char *etag = arm_weak_etag();
    const cJSON *cfg;
    bool ok = true;

    if (p->old)
        drop_zone_records(p->t, p->old);
    p->doc = arm_doc_zone_group(id, cx->cap[3], etag);
    cJSON_ArrayForEach(
        cfg, cJSON_GetObjectItem(cJSON_GetObjectItem(p->body, "properties"),
                                 "privateDnsZoneConfigs"))
    {
        if (!(ok = zg_config(cx, p, cfg, etag)))
            break;
    }
    if (ok && cJSON_GetArraySize(
                  cJSON_GetObjectItem(cJSON_GetObjectItem(p->doc, "properties"),
                                      "privateDnsZoneConfigs")) == 0) {
        arm_error(cx, 400, "InvalidRequestFormat",
                  "A private DNS zone group needs at least one "
                  "privateDnsZoneConfigs entry.");
        ok = false;
    }
    if (ok)
        arm_set_ready(cx->sim, p->doc);
    free(id);
    free(etag);
    return ok;
}

static void
zg_drop(struct arm_ctx *cx, struct store_txn *t, const char *key,
        const cJSON *doc)
{
    (void)cx;
    drop_zone_records(t, doc);
    store_txn_del(t, key);
}

static const struct arm_kind kind_zg = {
    .type = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
    .prefix = "zg",
    .depth = 4,
    .parent = &kind_pe,
    .lro = ARM_LRO_NETWORK,
    .op = "zonegroup",
    .pretty = true,
    .render = zg_render,
    .build = zg_build,
    .drop = zg_drop,
};

#define RGNET "subscriptions/*/resourcegroups/*/providers/microsoft.network/"
#define PE    RGNET "privateendpoints"
#define ZG    "privateEndpoints/privateDnsZoneGroups"
#define ROUTE(P, M, T, F, K)                                                   \
    {                                                                          \
        .pattern = P, .methods = M, .apis = API_NET, .type = T, .fn = F,       \
        .kind = K                                                              \
    }

const struct arm_route arm_pe_routes[] = {
    ROUTE(PE, "GET", "privateEndpoints", arm_kind_list, &kind_pe),
    ROUTE("subscriptions/*/providers/microsoft.network/privateendpoints", "GET",
          "privateEndpoints", arm_kind_list, &kind_pe),
    ROUTE(PE "/*", "GET", "privateEndpoints", arm_kind_get, &kind_pe),
    ROUTE(PE "/*", "PUT", "privateEndpoints", arm_kind_put, &kind_pe),
    ROUTE(PE "/*", "DELETE", "privateEndpoints", arm_kind_delete, &kind_pe),
    ROUTE(PE "/*/privatednszonegroups", "GET", ZG, arm_kind_list, &kind_zg),
    ROUTE(PE "/*/privatednszonegroups/*", "GET", ZG, arm_kind_get, &kind_zg),
    ROUTE(PE "/*/privatednszonegroups/*", "PUT", ZG, arm_kind_put, &kind_zg),
    ROUTE(PE "/*/privatednszonegroups/*", "DELETE", ZG, arm_kind_delete,
          &kind_zg),
    {.pattern = NULL},
};
