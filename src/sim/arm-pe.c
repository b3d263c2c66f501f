/*
 * arm-pe.c — Microsoft.Network private endpoints (201 +
 * Azure-AsyncOperation + Retry-After, GET/list/DELETE) that create the
 * vault side of their connections (auto-approved, or Pending for the
 * manual kind), and private DNS zone groups that maintain the vault's A
 * record in the linked zone.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-net.h"
#include "sim/arm.h"
#include "sim/store.h"
#include "sim/util.h"

/* ---- private endpoints -------------------------------------------------- */

static char *
pe_key(struct arm_ctx *cx)
{
    return arm_key("pe|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2]);
}

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
            cJSON *st = arm_pec_state(cx->sim,
                                      json_str(cp, "privateLinkServiceId"),
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
        cJSON *o = cJSON_CreateObject(), *p;
        char *id = xasprintf("%s/privateLinkServiceConnections/%s", pe_id,
                             json_str(c, "name"));

        cJSON_AddStringToObject(o, "name", json_str(c, "name"));
        cJSON_AddStringToObject(o, "id", id);
        cJSON_AddStringToObject(o, "etag", etag);
        p = cJSON_AddObjectToObject(o, "properties");
        cJSON_AddStringToObject(p, "privateLinkServiceId",
                                json_str(cp, "privateLinkServiceId"));
        cJSON_AddItemToObject(p, "groupIds", cJSON_Parse("[\"vault\"]"));
        if (json_str(cp, "requestMessage"))
            cJSON_AddStringToObject(p, "requestMessage",
                                    json_str(cp, "requestMessage"));
        cJSON_AddStringToObject(o, "type",
                                "Microsoft.Network/privateEndpoints/"
                                "privateLinkServiceConnections");
        cJSON_AddItemToArray(arr, o);
        free(id);
    }
    return arr;
}

/* Next free host address (from .4) in a subnet for a new endpoint. */
static char *
allocate_ip(struct arm_ctx *cx, const cJSON *subnet)
{
    const char *prefix = json_str(cJSON_GetObjectItem(subnet, "properties"),
                                  "addressPrefix");
    cJSON *used = arm_net_subnet_endpoints(cx->sim, cx->cap[0],
                                   json_str(subnet, "id"));
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

static void
pe_put(struct arm_ctx *cx)
{
    cJSON *rg = NULL, *body = NULL, *old = NULL, *doc = NULL, *subnet = NULL;
    const cJSON *props, *auto_c, *man_c;
    char *loc = NULL, *key = pe_key(cx), *id = NULL, *etag = NULL;
    char *skey = NULL, *ip = NULL, *guid, *opid;
    struct vec va = VEC_INIT, vm = VEC_INIT;
    struct store_txn *t;

    if (!(rg = arm_need_rg(cx, cx->cap[0], cx->cap[1])) ||
        !(body = arm_body(cx)) || !arm_net_location(cx, body, &loc))
        goto out;
    props = cJSON_GetObjectItem(body, "properties");
    skey = arm_key_of_id(json_str(cJSON_GetObjectItem(props, "subnet"), "id"));
    if (!skey || !str_starts(skey, "subnet|") ||
        !(subnet = store_get_json(cx->sim->store, skey))) {
        arm_error(cx, 400, "InvalidResourceReference",
                  "Resource %s referenced by resource %s was not found. "
                  "Please make sure that the referenced resource exists, and "
                  "that both resources are in the same region.",
                  json_str(cJSON_GetObjectItem(props, "subnet"), "id")
                      ? json_str(cJSON_GetObjectItem(props, "subnet"), "id")
                      : "(subnet)",
                  cx->rq->path);
        goto out;
    }
    auto_c = cJSON_GetObjectItem(props, "privateLinkServiceConnections");
    man_c = cJSON_GetObjectItem(props, "manualPrivateLinkServiceConnections");
    if (cJSON_GetArraySize(auto_c) + cJSON_GetArraySize(man_c) != 1) {
        arm_error(cx, 400, "PrivateEndpointMustHaveOneConnection",
                  "Private endpoint %s must have exactly one private link "
                  "service connection.",
                  cx->cap[2]);
        goto out;
    }
    if (!conns_ok(cx, auto_c, &va) || !conns_ok(cx, man_c, &vm))
        goto out;
    store_write_lock(cx->sim->store);
    old = store_get_json(cx->sim->store, key);
    id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                   "Microsoft.Network/privateEndpoints/%s",
                   cx->cap[0], json_str(rg, "name"),
                   old ? json_str(old, "name") : cx->cap[2]);
    etag = arm_weak_etag();
    ip = old && json_str(old, "_ip") ? xstrdup(json_str(old, "_ip"))
                                     : allocate_ip(cx, subnet);
    doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "name",
                            old ? json_str(old, "name") : cx->cap[2]);
    cJSON_AddStringToObject(doc, "id", id);
    cJSON_AddStringToObject(doc, "etag", etag);
    cJSON_AddStringToObject(doc, "type", "Microsoft.Network/privateEndpoints");
    cJSON_AddStringToObject(doc, "location", loc);
    cJSON_AddItemToObject(doc, "tags",
                          cJSON_IsObject(cJSON_GetObjectItem(body, "tags"))
                              ? cJSON_Duplicate(cJSON_GetObjectItem(body,
                                                                    "tags"),
                                                true)
                              : cJSON_CreateObject());
    {
        cJSON *p = cJSON_AddObjectToObject(doc, "properties"), *nics, *nic;
        cJSON *dns, *dc, *ips;
        char *nicid;

        guid = old ? xstrdup(json_str(cJSON_GetObjectItem(old, "properties"),
                                      "resourceGuid"))
                   : util_uuid();
        cJSON_AddStringToObject(p, "resourceGuid", guid);
        cJSON_AddItemToObject(p, "privateLinkServiceConnections",
                              conns_doc(auto_c, id, etag));
        cJSON_AddItemToObject(p, "manualPrivateLinkServiceConnections",
                              conns_doc(man_c, id, etag));
        cJSON_AddStringToObject(p, "customNetworkInterfaceName",
                                json_str(props, "customNetworkInterfaceName")
                                    ? json_str(props,
                                               "customNetworkInterfaceName")
                                    : "");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "subnet"), "id",
                                json_str(subnet, "id"));
        cJSON_AddItemToObject(p, "ipConfigurations", cJSON_CreateArray());
        nics = cJSON_AddArrayToObject(p, "networkInterfaces");
        nic = cJSON_CreateObject();
        nicid = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                          "Microsoft.Network/networkInterfaces/%s.nic.%s",
                          cx->cap[0], json_str(rg, "name"), cx->cap[2], guid);
        cJSON_AddStringToObject(nic, "id", nicid);
        cJSON_AddItemToArray(nics, nic);
        dns = cJSON_AddArrayToObject(p, "customDnsConfigs");
        for (size_t i = 0; i < va.len + vm.len; i++) {
            const char *vk = i < va.len ? va.items[i] : vm.items[i - va.len];
            const char *vname = strrchr(vk, '|') + 1;
            char *fqdn = xasprintf("%s.vault.localhost", vname);

            dc = cJSON_CreateObject();
            cJSON_AddStringToObject(dc, "fqdn", fqdn);
            ips = cJSON_CreateArray();
            cJSON_AddItemToArray(ips, cJSON_CreateString(ip));
            cJSON_AddItemToObject(dc, "ipAddresses", ips);
            cJSON_AddItemToArray(dns, dc);
            free(fqdn);
        }
        free(nicid);
        free(guid);
    }
    cJSON_AddStringToObject(doc, "_ip", ip);
    arm_set_ready(cx->sim, doc);
    t = store_txn_new();
    for (int manual = 0; manual < 2; manual++) {
        struct vec *vs = manual ? &vm : &va;
        const cJSON *conns = manual ? man_c : auto_c;

        for (size_t i = 0; i < vs->len; i++) {
            const cJSON *c = cJSON_GetArrayItem(conns, (int)i);
            cJSON *vault = store_get_json(cx->sim->store, vs->items[i]);
            cJSON *st = arm_pec_state(cx->sim, json_str(vault, "id"),
                                      json_str(c, "name"));

            if (!st)
                arm_pec_create(cx, t, vs->items[i], vault,
                               json_str(c, "name"), id, loc, manual,
                               json_str(cJSON_GetObjectItem(c, "properties"),
                                        "requestMessage"));
            cJSON_Delete(st);
            cJSON_Delete(vault);
        }
    }
    store_txn_put(t, key, doc);
    if (arm_commit(cx, t)) {
        /* The answer reflects the connections just created. */
        cJSON *shown = pe_render(cx, doc);

        opid = arm_net_new_op(cx, "pe");
        arm_net_json(cx, old ? 200 : 201, shown);
        arm_net_async_headers(cx, loc, opid, false);
        free(opid);
    }
    store_write_unlock(cx->sim->store);
out:
    vec_free_all(&va, free);
    vec_free_all(&vm, free);
    cJSON_Delete(rg);
    cJSON_Delete(body);
    cJSON_Delete(old);
    cJSON_Delete(doc);
    cJSON_Delete(subnet);
    free(loc);
    free(key);
    free(id);
    free(etag);
    free(skey);
    free(ip);
}

static void
pe_get(struct arm_ctx *cx)
{
    cJSON *rg = arm_need_rg(cx, cx->cap[0], cx->cap[1]), *doc;
    char *key = pe_key(cx);

    if (rg) {
        if ((doc = store_get_json(cx->sim->store, key))) {
            arm_net_json(cx, 200, pe_render(cx, doc));
            resp_header(cx->rs, "ETag", "%s", json_str(doc, "etag"));
            cJSON_Delete(doc);
        } else {
            arm_not_found(cx, "Microsoft.Network/privateEndpoints", cx->cap[2],
                          cx->cap[1]);
        }
    }
    cJSON_Delete(rg);
    free(key);
}

static cJSON *
render_pe(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    return pe_render(cx, doc);
}

static void
pe_list(struct arm_ctx *cx)
{
    arm_list_scoped(cx, "pe", render_pe);
}

/* Adds to t the removal of the A records a zone group maintains. */
static void
drop_zone_records(struct store_txn *t, const cJSON *zg)
{
    const cJSON *cfg, *rs;

    cJSON_ArrayForEach(cfg, cJSON_GetObjectItem(
                                cJSON_GetObjectItem(zg, "properties"),
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

static void
pe_delete(struct arm_ctx *cx)
{
    cJSON *rg = arm_need_rg(cx, cx->cap[0], cx->cap[1]), *doc = NULL;
    char *key = pe_key(cx), *zgp = NULL;
    struct vec zgs = VEC_INIT;
    struct store_txn *t;
    const cJSON *c;

    if (!rg)
        goto out;
    store_write_lock(cx->sim->store);
    doc = store_get_json(cx->sim->store, key);
    if (!doc) {
        resp_json(cx->rs, 204, NULL);
        goto unlock;
    }
    t = store_txn_new();
    zgp = xasprintf("zg|%s|", key + strlen("pe|"));
    store_scan(cx->sim->store, zgp, NULL, 0, NULL, NULL, &zgs, NULL);
    for (size_t i = 0; i < zgs.len; i++) {
        cJSON *zg = cJSON_Parse(((struct store_kv *)zgs.items[i])->val);

        drop_zone_records(t, zg);
        cJSON_Delete(zg);
    }
    store_txn_del_prefix(t, zgp);
    for (int k = 0; k < 2; k++) {
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(
                                  cJSON_GetObjectItem(doc, "properties"),
                                  k ? "manualPrivateLinkServiceConnections"
                                    : "privateLinkServiceConnections"))
        {
            char *vk = arm_key_of_id(json_str(cJSON_GetObjectItem(c,
                                                                  "properties"),
                                              "privateLinkServiceId"));

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
    if (arm_commit(cx, t))
        arm_net_deleted(cx, json_str(doc, "location"));
unlock:
    store_write_unlock(cx->sim->store);
out:
    vec_free_all(&zgs, store_kv_free);
    cJSON_Delete(rg);
    cJSON_Delete(doc);
    free(key);
    free(zgp);
}

/* ---- private DNS zone groups -------------------------------------------- */

static cJSON *
need_pe(struct arm_ctx *cx)
{
    cJSON *rg = arm_need_rg(cx, cx->cap[0], cx->cap[1]), *pe = NULL;
    char *key;

    if (!rg)
        return NULL;
    cJSON_Delete(rg);
    key = pe_key(cx);
    pe = store_get_json(cx->sim->store, key);
    if (!pe)
        arm_not_found(cx, "Microsoft.Network/privateEndpoints", cx->cap[2],
                      cx->cap[1]);
    free(key);
    return pe;
}

static char *
zg_key(struct arm_ctx *cx)
{
    return arm_key("zg|%s|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2],
                cx->cap[3]);
}

static cJSON *
zg_render(const cJSON *doc)
{
    cJSON *c = arm_public(doc), *cfg;
    cJSON *p = cJSON_GetObjectItem(c, "properties");
    const char *st = arm_net_state(doc);

    json_set_str(p, "provisioningState", st);
    cJSON_ArrayForEach(cfg, cJSON_GetObjectItem(p, "privateDnsZoneConfigs"))
    {
        cJSON *rs;

        json_set_str(cJSON_GetObjectItem(cfg, "properties"),
                     "provisioningState", st);
        cJSON_ArrayForEach(rs, cJSON_GetObjectItem(
                                   cJSON_GetObjectItem(cfg, "properties"),
                                   "recordSets"))
            json_set_str(rs, "provisioningState", st);
    }
    return c;
}

static void
zg_put(struct arm_ctx *cx)
{
    cJSON *pe = need_pe(cx), *body = NULL, *old = NULL, *doc = NULL, *cfgs;
    const cJSON *cfg;
    char *key = NULL, *id = NULL, *etag = NULL, *opid;
    struct store_txn *t = NULL;
    const char *ip;

    if (!pe || !(body = arm_body(cx)))
        goto out;
    ip = json_str(pe, "_ip");
    key = zg_key(cx);
    id = xasprintf("%s/privateDnsZoneGroups/%s", json_str(pe, "id"),
                   cx->cap[3]);
    etag = arm_weak_etag();
    store_write_lock(cx->sim->store);
    old = store_get_json(cx->sim->store, key);
    t = store_txn_new();
    if (old)
        drop_zone_records(t, old);
    doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "name", cx->cap[3]);
    cJSON_AddStringToObject(doc, "id", id);
    cJSON_AddStringToObject(doc, "etag", etag);
    cJSON_AddStringToObject(doc, "type",
                            "Microsoft.Network/privateEndpoints/"
                            "privateDnsZoneGroups");
    cfgs = cJSON_AddArrayToObject(cJSON_AddObjectToObject(doc, "properties"),
                                  "privateDnsZoneConfigs");
    cJSON_ArrayForEach(cfg, cJSON_GetObjectItem(
                                cJSON_GetObjectItem(body, "properties"),
                                "privateDnsZoneConfigs"))
    {
        const char *zid = json_str(cJSON_GetObjectItem(cfg, "properties"),
                                   "privateDnsZoneId");
        char *zkey = arm_key_of_id(zid);
        cJSON *zone = zkey && str_starts(zkey, "zone|")
                          ? store_get_json(cx->sim->store, zkey)
                          : NULL;
        cJSON *o, *op, *rsets;
        char *cid;
        const cJSON *c;

        if (!zone || !json_str(cfg, "name")) {
            arm_error(cx, 400, "InvalidResourceReference",
                      "Resource %s referenced by resource %s was not found.",
                      zid ? zid : "(privateDnsZoneId)", id);
            free(zkey);
            goto unlock;
        }
        o = cJSON_CreateObject();
        cid = xasprintf("%s/privateDnsZoneConfigs/%s", id,
                        json_str(cfg, "name"));
        cJSON_AddStringToObject(o, "name", json_str(cfg, "name"));
        cJSON_AddStringToObject(o, "id", cid);
        cJSON_AddStringToObject(o, "etag", etag);
        cJSON_AddStringToObject(o, "type",
                                "Microsoft.Network/privateEndpoints/"
                                "privateDnsZoneGroups/privateDnsZoneConfigs");
        op = cJSON_AddObjectToObject(o, "properties");
        cJSON_AddStringToObject(op, "privateDnsZoneId", json_str(zone, "id"));
        rsets = cJSON_AddArrayToObject(op, "recordSets");
        /* One A record per vault this endpoint connects to. */
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(
                                  cJSON_GetObjectItem(pe, "properties"),
                                  "privateLinkServiceConnections"))
        {
            const char *target = json_str(cJSON_GetObjectItem(c, "properties"),
                                          "privateLinkServiceId");
            const char *vname = target ? strrchr(target, '/') + 1 : NULL;
            cJSON *r, *rec, *rp, *arecs, *a;
            char *fqdn, *rid, *rk, *re;

            if (!vname)
                continue;
            fqdn = xasprintf("%s.%s", vname, json_str(zone, "name"));
            r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "recordType", "A");
            cJSON_AddStringToObject(r, "recordSetName", vname);
            cJSON_AddStringToObject(r, "fqdn", fqdn);
            cJSON_AddNumberToObject(r, "ttl", 10);
            cJSON_AddItemToObject(r, "ipAddresses", cJSON_CreateArray());
            cJSON_AddItemToArray(cJSON_GetObjectItem(r, "ipAddresses"),
                                 cJSON_CreateString(ip ? ip : "10.0.0.4"));
            cJSON_AddItemToArray(rsets, r);
            rec = cJSON_CreateObject();
            rid = xasprintf("%s/A/%s", json_str(zone, "id"), vname);
            re = util_uuid();
            cJSON_AddStringToObject(rec, "id", rid);
            cJSON_AddStringToObject(rec, "name", vname);
            cJSON_AddStringToObject(rec, "type",
                                    "Microsoft.Network/privateDnsZones/A");
            cJSON_AddStringToObject(rec, "etag", re);
            rp = cJSON_AddObjectToObject(rec, "properties");
            cJSON_AddNumberToObject(rp, "ttl", 10);
            {
                char *f = xasprintf("%s.", fqdn);

                cJSON_AddStringToObject(rp, "fqdn", f);
                free(f);
            }
            cJSON_AddFalseToObject(rp, "isAutoRegistered");
            arecs = cJSON_AddArrayToObject(rp, "aRecords");
            a = cJSON_CreateObject();
            cJSON_AddStringToObject(a, "ipv4Address", ip ? ip : "10.0.0.4");
            cJSON_AddItemToArray(arecs, a);
            rk = arm_key("rec|%s|a|%s", zkey + strlen("zone|"), vname);
            store_txn_put(t, rk, rec);
            cJSON_Delete(rec);
            free(fqdn);
            free(rid);
            free(rk);
            free(re);
        }
        cJSON_AddItemToArray(cfgs, o);
        cJSON_Delete(zone);
        free(zkey);
        free(cid);
    }
    if (cJSON_GetArraySize(cfgs) == 0) {
        arm_error(cx, 400, "InvalidRequestFormat",
                  "A private DNS zone group needs at least one "
                  "privateDnsZoneConfigs entry.");
        goto unlock;
    }
    arm_set_ready(cx->sim, doc);
    store_txn_put(t, key, doc);
    if (arm_commit(cx, t)) {
        opid = arm_net_new_op(cx, "zonegroup");
        arm_net_json(cx, old ? 200 : 201, zg_render(doc));
        arm_net_async_headers(cx, json_str(pe, "location"), opid, false);
        free(opid);
    }
    t = NULL;
unlock:
    store_write_unlock(cx->sim->store);
out:
    store_txn_free(t);
    cJSON_Delete(pe);
    cJSON_Delete(body);
    cJSON_Delete(old);
    cJSON_Delete(doc);
    free(key);
    free(id);
    free(etag);
}

static void
zg_get(struct arm_ctx *cx)
{
    cJSON *pe = need_pe(cx), *zg;
    char *key;

    if (!pe)
        return;
    key = zg_key(cx);
    if ((zg = store_get_json(cx->sim->store, key))) {
        arm_net_json(cx, 200, zg_render(zg));
        cJSON_Delete(zg);
    } else {
        arm_not_found(cx, "Microsoft.Network/privateEndpoints/"
                          "privateDnsZoneGroups",
                      cx->cap[3], cx->cap[1]);
    }
    cJSON_Delete(pe);
    free(key);
}

static cJSON *
render_zg(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    return zg_render(doc);
}

static void
zg_list(struct arm_ctx *cx)
{
    cJSON *pe = need_pe(cx);
    char *prefix;

    if (!pe)
        return;
    cJSON_Delete(pe);
    prefix = arm_key("zg|%s|%s|%s|", cx->cap[0], cx->cap[1], cx->cap[2]);
    arm_list(cx, prefix, NULL, render_zg, NULL);
    free(prefix);
}

static void
zg_delete(struct arm_ctx *cx)
{
    cJSON *pe = need_pe(cx), *zg;
    char *key;
    struct store_txn *t;

    if (!pe)
        return;
    key = zg_key(cx);
    store_write_lock(cx->sim->store);
    zg = store_get_json(cx->sim->store, key);
    if (!zg) {
        resp_json(cx->rs, 204, NULL);
    } else {
        t = store_txn_new();
        drop_zone_records(t, zg);
        store_txn_del(t, key);
        if (arm_commit(cx, t))
            arm_net_deleted(cx, json_str(pe, "location"));
    }
    store_write_unlock(cx->sim->store);
    cJSON_Delete(pe);
    cJSON_Delete(zg);
    free(key);
}


#define RGNET "subscriptions/*/resourcegroups/*/providers/microsoft.network/"

const struct arm_route arm_pe_routes[] = {
    {RGNET "privateendpoints", "GET", API_NET, "privateEndpoints", pe_list},
    {"subscriptions/*/providers/microsoft.network/privateendpoints", "GET",
     API_NET, "privateEndpoints", pe_list},
    {RGNET "privateendpoints/*", "GET", API_NET, "privateEndpoints", pe_get},
    {RGNET "privateendpoints/*", "PUT", API_NET, "privateEndpoints", pe_put},
    {RGNET "privateendpoints/*", "DELETE", API_NET, "privateEndpoints",
     pe_delete},
    {RGNET "privateendpoints/*/privatednszonegroups", "GET", API_NET,
     "privateEndpoints/privateDnsZoneGroups", zg_list},
    {RGNET "privateendpoints/*/privatednszonegroups/*", "GET", API_NET,
     "privateEndpoints/privateDnsZoneGroups", zg_get},
    {RGNET "privateendpoints/*/privatednszonegroups/*", "PUT", API_NET,
     "privateEndpoints/privateDnsZoneGroups", zg_put},
    {RGNET "privateendpoints/*/privatednszonegroups/*", "DELETE", API_NET,
     "privateEndpoints/privateDnsZoneGroups", zg_delete},
    {NULL, NULL, API_NONE, NULL, NULL},
};
