/*
 * arm-net.c — Microsoft.Network: virtual networks and subnets, private
 * endpoints (201 + Azure-AsyncOperation + Retry-After, the operation
 * status resource, GET/list/DELETE) that create the vault side of their
 * connections, and private DNS zone groups that maintain the vault's A
 * record in the linked zone. Responses are pretty-printed like the
 * Network RP's.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm.h"
#include "sim/arm-net.h"
#include "sim/store.h"
#include "sim/util.h"


/* Pretty JSON like the Network RP; takes ownership of body. */
void
arm_net_json(struct arm_ctx *cx, int status, cJSON *body)
{
    char *s = cJSON_Print(body);

    cx->rs->status = status;
    buf_reset(&cx->rs->body);
    buf_puts(&cx->rs->body, s);
    free(s);
    cJSON_Delete(body);
}

void
arm_net_delete_group(struct store_txn *t, const char *sub, const char *rg)
{
    static const char *const kinds[] = {"vnet", "subnet", "pe", "zg",
                                        "zone", "vlink", "rec", NULL};

    for (size_t i = 0; kinds[i]; i++) {
        char *p = xasprintf("%s|%s|%s|", kinds[i], sub, rg);

        store_txn_del_prefix(t, p);
        free(p);
    }
}

void
arm_net_async_headers(struct arm_ctx *cx, const char *loc, const char *opid,
                      bool location_too)
{
    long long t = (long long)sim_now_ms() * 10000LL;
    char *sig = util_hex_from(opid, 32);

    resp_header(cx->rs, "Azure-AsyncOperation",
                "%s/subscriptions/%s/providers/Microsoft.Network/locations/%s/"
                "operations/%s?api-version=%s&t=%lld&c=kvdeck-sim&s=%s&h=%.8s",
                cx->rq->base, cx->cap[0], loc, opid, cx->api, t, sig, sig);
    if (location_too)
        resp_header(cx->rs, "Location",
                    "%s/subscriptions/%s/providers/Microsoft.Network/"
                    "locations/%s/operationResults/%s?api-version=%s&t=%lld&"
                    "c=kvdeck-sim&s=%s&h=%.8s",
                    cx->rq->base, cx->cap[0], loc, opid, cx->api, t, sig,
                    sig);
    resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
    resp_header(cx->rs, "Azure-AsyncNotification", "Enabled");
    free(sig);
}

char *
arm_net_new_op(struct arm_ctx *cx, const char *kind)
{
    return arm_op_new(cx, kind, atomic_load(&cx->sim->lro_delay_ms), NULL);
}

const char *
arm_net_state(const cJSON *doc)
{
    return arm_is_ready(doc) ? "Succeeded" : "Updating";
}

static bool
cidr_ok(const char *s)
{
    char ip[64];
    int bits;
    struct in_addr a;

    return s && sscanf(s, "%63[0-9.]/%d", ip, &bits) == 2 && bits >= 0 &&
           bits <= 32 && inet_pton(AF_INET, ip, &a) == 1;
}

bool
arm_net_location(struct arm_ctx *cx, const cJSON *body, char **out)
{
    const char *loc = json_str(body, "location");

    if (!loc) {
        arm_error(cx, 400, "LocationRequired",
                  "The location property is required for this definition.");
        return false;
    }
    if (!arm_location_ok(loc)) {
        arm_error(cx, 400, "LocationNotAvailableForResourceType",
                  "The provided location '%s' is not available for resource "
                  "type 'Microsoft.Network/%s'.",
                  loc, cx->type);
        return false;
    }
    *out = util_lower(loc);
    for (char *p = *out, *q = *out;; p++) {
        if (*p != ' ')
            *q++ = *p;
        if (!*p)
            break;
    }
    return true;
}

/* ---- subnets ------------------------------------------------------------ */

/* The PE ids in a subnet (scan of the subscription's endpoints). */
cJSON *
arm_net_subnet_endpoints(struct sim *sim, const char *sub, const char *subnet_id)
{
    char *prefix = arm_key("pe|%s|", sub);
    struct vec kvs = VEC_INIT;
    cJSON *arr = cJSON_CreateArray();

    store_scan(sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];
        cJSON *pe = cJSON_Parse(kv->val);
        const char *sid = json_str(cJSON_GetObjectItem(
                                       cJSON_GetObjectItem(pe, "properties"),
                                       "subnet"),
                                   "id");

        if (sid && strcasecmp(sid, subnet_id) == 0) {
            cJSON *o = cJSON_CreateObject();

            cJSON_AddStringToObject(o, "id", json_str(pe, "id"));
            cJSON_AddItemToArray(arr, o);
        }
        cJSON_Delete(pe);
    }
    vec_free_all(&kvs, store_kv_free);
    free(prefix);
    return arr;
}

static cJSON *
subnet_render(struct sim *sim, const char *sub, const cJSON *doc)
{
    cJSON *c = arm_public(doc);
    cJSON *p = cJSON_GetObjectItem(c, "properties");
    cJSON *pes = arm_net_subnet_endpoints(sim, sub, json_str(doc, "id"));
    cJSON *ps = cJSON_CreateString(arm_net_state(doc));

    /* provisioningState first, as the service prints it. */
    cJSON *n = cJSON_CreateObject(), *it;

    cJSON_AddItemToObject(n, "provisioningState", ps);
    while (p && (it = cJSON_DetachItemViaPointer(p, p->child)) != NULL)
        cJSON_AddItemToObject(n, it->string, it);
    json_set(c, "properties", n);
    p = n;
    if (cJSON_GetArraySize(pes) > 0)
        cJSON_AddItemToObject(p, "privateEndpoints", pes);
    else
        cJSON_Delete(pes);
    return c;
}

static cJSON *
vnet_render(struct arm_ctx *cx, const cJSON *doc)
{
    cJSON *c = arm_public(doc);
    cJSON *p = cJSON_GetObjectItem(c, "properties");
    const char *sub = cx->cap[0];
    char *prefix;
    struct vec kvs = VEC_INIT;
    cJSON *subs = cJSON_CreateArray();
    char *vkey = arm_key_of_id(json_str(doc, "id"));

    json_set_str(p, "provisioningState", arm_net_state(doc));
    /* Since 2024-05-01 the Network RP answers with the VNet's private
     * endpoint policy (default Disabled); older versions never show it. */
    if (!arm_api_since(cx, "2024-05-01"))
        cJSON_DeleteItemFromObjectCaseSensitive(p,
                                                "privateEndpointVNetPolicies");
    else if (!cJSON_GetObjectItemCaseSensitive(p,
                                               "privateEndpointVNetPolicies"))
        cJSON_AddStringToObject(p, "privateEndpointVNetPolicies", "Disabled");
    prefix = xasprintf("subnet|%s|", vkey + strlen("vnet|"));
    store_scan(cx->sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];
        cJSON *s = cJSON_Parse(kv->val);

        if (s)
            cJSON_AddItemToArray(subs, subnet_render(cx->sim, sub, s));
        cJSON_Delete(s);
    }
    json_set(p, "subnets", subs);
    vec_free_all(&kvs, store_kv_free);
    free(prefix);
    free(vkey);
    return c;
}

static char *
vnet_key(struct arm_ctx *cx)
{
    return arm_key("vnet|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2]);
}

/* Builds a stored subnet from a request body's subnet object. */
static cJSON *
subnet_doc(struct arm_ctx *cx, const char *vnet_id, const char *name,
           const cJSON *props, const char *etag, char **err)
{
    cJSON *s = cJSON_CreateObject(), *p;
    char *id = xasprintf("%s/subnets/%s", vnet_id, name);
    const char *prefix = json_str(props, "addressPrefix");
    const char *pen = json_str(props, "privateEndpointNetworkPolicies");
    const char *pls = json_str(props, "privateLinkServiceNetworkPolicies");
    const cJSON *se = cJSON_GetObjectItem(props, "serviceEndpoints");

    if (!cidr_ok(prefix)) {
        *err = xasprintf("Subnet '%s' is not valid because its address "
                         "prefix '%s' is not a valid CIDR.",
                         name, prefix ? prefix : "");
        cJSON_Delete(s);
        free(id);
        return NULL;
    }
    cJSON_AddStringToObject(s, "name", name);
    cJSON_AddStringToObject(s, "id", id);
    cJSON_AddStringToObject(s, "etag", etag);
    cJSON_AddStringToObject(s, "type",
                            "Microsoft.Network/virtualNetworks/subnets");
    p = cJSON_AddObjectToObject(s, "properties");
    cJSON_AddStringToObject(p, "addressPrefix", prefix);
    if (se && cJSON_IsArray(se) && cJSON_GetArraySize(se) > 0) {
        cJSON *arr = cJSON_CreateArray(), *e;
        const cJSON *it;

        cJSON_ArrayForEach(it, se)
        {
            e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "provisioningState", "Succeeded");
            cJSON_AddStringToObject(e, "service", json_str(it, "service")
                                                      ? json_str(it, "service")
                                                      : "");
            cJSON_AddItemToObject(e, "locations", cJSON_Parse("[\"*\"]"));
            cJSON_AddItemToArray(arr, e);
        }
        cJSON_AddItemToObject(p, "serviceEndpoints", arr);
    }
    cJSON_AddItemToObject(p, "delegations", cJSON_CreateArray());
    cJSON_AddStringToObject(p, "privateEndpointNetworkPolicies",
                            pen ? pen : "Disabled");
    cJSON_AddStringToObject(p, "privateLinkServiceNetworkPolicies",
                            pls ? pls : "Enabled");
    arm_set_ready(cx->sim, s);
    free(id);
    return s;
}

static void
vnet_put(struct arm_ctx *cx)
{
    cJSON *rg = NULL, *body = NULL, *old = NULL, *doc = NULL;
    const cJSON *props, *space, *subs, *sn;
    const char *pol;
    char *loc = NULL, *key = vnet_key(cx), *id = NULL, *etag = NULL;
    char *err = NULL, *opid, *guid;
    struct store_txn *t = NULL;

    if (!(rg = arm_need_rg(cx, cx->cap[0], cx->cap[1])) ||
        !(body = arm_body(cx)) || !arm_net_location(cx, body, &loc))
        goto out;
    props = cJSON_GetObjectItem(body, "properties");
    space = cJSON_GetObjectItem(cJSON_GetObjectItem(props, "addressSpace"),
                                "addressPrefixes");
    if (!cJSON_IsArray(space) || cJSON_GetArraySize(space) == 0 ||
        !cidr_ok(cJSON_GetStringValue(cJSON_GetArrayItem(space, 0)))) {
        arm_error(cx, 400, "InvalidAddressSpace",
                  "Virtual network '%s' must have a valid address space "
                  "(properties.addressSpace.addressPrefixes).",
                  cx->cap[2]);
        goto out;
    }
    store_write_lock(cx->sim->store);
    old = store_get_json(cx->sim->store, key);
    id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                   "Microsoft.Network/virtualNetworks/%s",
                   cx->cap[0], json_str(rg, "name"),
                   old ? json_str(old, "name") : cx->cap[2]);
    etag = arm_weak_etag();
    doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "name", old ? json_str(old, "name")
                                             : cx->cap[2]);
    cJSON_AddStringToObject(doc, "id", id);
    cJSON_AddStringToObject(doc, "etag", etag);
    cJSON_AddStringToObject(doc, "type", "Microsoft.Network/virtualNetworks");
    cJSON_AddStringToObject(doc, "location", loc);
    cJSON_AddItemToObject(doc, "tags",
                          cJSON_IsObject(cJSON_GetObjectItem(body, "tags"))
                              ? cJSON_Duplicate(cJSON_GetObjectItem(body,
                                                                    "tags"),
                                                true)
                              : cJSON_CreateObject());
    {
        cJSON *p = cJSON_AddObjectToObject(doc, "properties"), *as;

        guid = old ? xstrdup(json_str(cJSON_GetObjectItem(old, "properties"),
                                      "resourceGuid"))
                   : util_uuid();
        cJSON_AddStringToObject(p, "resourceGuid", guid);
        free(guid);
        as = cJSON_AddObjectToObject(p, "addressSpace");
        cJSON_AddItemToObject(as, "addressPrefixes",
                              cJSON_Duplicate(space, true));
        cJSON_AddItemToObject(p, "virtualNetworkPeerings",
                              cJSON_CreateArray());
        cJSON_AddBoolToObject(p, "enableDdosProtection",
                              json_bool(props, "enableDdosProtection",
                                        false));
        pol = json_str(props, "privateEndpointVNetPolicies");
        if (pol && (strcasecmp(pol, "Disabled") == 0 ||
                    strcasecmp(pol, "Basic") == 0))
            cJSON_AddStringToObject(p, "privateEndpointVNetPolicies",
                                    strcasecmp(pol, "Basic") == 0
                                        ? "Basic"
                                        : "Disabled");
    }
    arm_set_ready(cx->sim, doc);
    t = store_txn_new();
    subs = cJSON_GetObjectItem(props, "subnets");
    cJSON_ArrayForEach(sn, subs)
    {
        const char *name = json_str(sn, "name");
        cJSON *s;
        char *skey;

        if (!name) {
            arm_error(cx, 400, "InvalidRequestFormat",
                      "Subnet name is required.");
            goto unlock;
        }
        s = subnet_doc(cx, id, name, cJSON_GetObjectItem(sn, "properties"),
                       etag, &err);
        if (!s) {
            arm_error(cx, 400, "InvalidAddressPrefixFormat", "%s", err);
            goto unlock;
        }
        skey = arm_key("subnet|%s|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2],
                    name);
        store_txn_put(t, skey, s);
        cJSON_Delete(s);
        free(skey);
    }
    store_txn_put(t, key, doc);
    if (arm_commit(cx, t)) {
        opid = arm_net_new_op(cx, "vnet");
        arm_net_json(cx, old ? 200 : 201, vnet_render(cx, doc));
        arm_net_async_headers(cx, loc, opid, false);
        free(opid);
    }
    t = NULL;
unlock:
    store_write_unlock(cx->sim->store);
out:
    store_txn_free(t);
    cJSON_Delete(rg);
    cJSON_Delete(body);
    cJSON_Delete(old);
    cJSON_Delete(doc);
    free(loc);
    free(key);
    free(id);
    free(etag);
    free(err);
}

static void
vnet_get(struct arm_ctx *cx)
{
    cJSON *rg = arm_need_rg(cx, cx->cap[0], cx->cap[1]), *doc;
    char *key = vnet_key(cx);

    if (rg) {
        if ((doc = store_get_json(cx->sim->store, key))) {
            arm_net_json(cx, 200, vnet_render(cx, doc));
            resp_header(cx->rs, "ETag", "%s", json_str(doc, "etag"));
            cJSON_Delete(doc);
        } else {
            arm_not_found(cx, "Microsoft.Network/virtualNetworks", cx->cap[2],
                          cx->cap[1]);
        }
    }
    cJSON_Delete(rg);
    free(key);
}

static cJSON *
render_vnet(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    return vnet_render(cx, doc);
}

static void
vnet_list(struct arm_ctx *cx)
{
    arm_list_scoped(cx, "vnet", render_vnet);
}

/* True (after answering 400) when a subnet still holds endpoints. */
static bool
subnet_in_use(struct arm_ctx *cx, const char *subnet_id, const char *name)
{
    cJSON *pes = arm_net_subnet_endpoints(cx->sim, cx->cap[0], subnet_id);
    bool used = cJSON_GetArraySize(pes) > 0;

    if (used)
        arm_error(cx, 400, "InUseSubnetCannotBeDeleted",
                  "Subnet %s is in use by %s and cannot be deleted. In order "
                  "to delete the subnet, delete all the resources within the "
                  "subnet.",
                  name,
                  json_str(cJSON_GetArrayItem(pes, 0), "id"));
    cJSON_Delete(pes);
    return used;
}

void
arm_net_deleted(struct arm_ctx *cx, const char *loc)
{
    char *opid = arm_net_new_op(cx, "netdelete");

    resp_json(cx->rs, 202, NULL);
    arm_net_async_headers(cx, loc, opid, true);
    free(opid);
}

static void
vnet_delete(struct arm_ctx *cx)
{
    cJSON *rg = arm_need_rg(cx, cx->cap[0], cx->cap[1]), *doc = NULL;
    char *key = vnet_key(cx), *sprefix = NULL;
    struct vec subs = VEC_INIT;
    struct store_txn *t;

    if (!rg)
        goto out;
    store_write_lock(cx->sim->store);
    doc = store_get_json(cx->sim->store, key);
    if (!doc) {
        resp_json(cx->rs, 204, NULL);
        goto unlock;
    }
    sprefix = xasprintf("subnet|%s|", key + strlen("vnet|"));
    store_scan(cx->sim->store, sprefix, NULL, 0, NULL, NULL, &subs, NULL);
    for (size_t i = 0; i < subs.len; i++) {
        struct store_kv *kv = subs.items[i];
        cJSON *s = cJSON_Parse(kv->val);
        bool used = subnet_in_use(cx, json_str(s, "id"), json_str(s, "name"));

        cJSON_Delete(s);
        if (used)
            goto unlock;
    }
    t = store_txn_new();
    store_txn_del(t, key);
    store_txn_del_prefix(t, sprefix);
    if (arm_commit(cx, t))
        arm_net_deleted(cx, json_str(doc, "location"));
unlock:
    store_write_unlock(cx->sim->store);
out:
    vec_free_all(&subs, store_kv_free);
    cJSON_Delete(rg);
    cJSON_Delete(doc);
    free(key);
    free(sprefix);
}

static char *
subnet_key(struct arm_ctx *cx)
{
    return arm_key("subnet|%s|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2],
                cx->cap[3]);
}

/* The vnet (caller deletes) or NULL after answering 404. */
static cJSON *
need_vnet(struct arm_ctx *cx)
{
    cJSON *rg = arm_need_rg(cx, cx->cap[0], cx->cap[1]), *v = NULL;
    char *key;

    if (!rg)
        return NULL;
    cJSON_Delete(rg);
    key = vnet_key(cx);
    v = store_get_json(cx->sim->store, key);
    if (!v)
        arm_not_found(cx, "Microsoft.Network/virtualNetworks", cx->cap[2],
                      cx->cap[1]);
    free(key);
    return v;
}

static void
subnet_put(struct arm_ctx *cx)
{
    cJSON *v = need_vnet(cx), *body = NULL, *old = NULL, *s = NULL;
    char *key = NULL, *etag = NULL, *err = NULL, *opid;
    struct store_txn *t;

    if (!v || !(body = arm_body(cx)))
        goto out;
    key = subnet_key(cx);
    etag = arm_weak_etag();
    store_write_lock(cx->sim->store);
    old = store_get_json(cx->sim->store, key);
    s = subnet_doc(cx, json_str(v, "id"),
                   old ? json_str(old, "name") : cx->cap[3],
                   cJSON_GetObjectItem(body, "properties"), etag, &err);
    if (!s) {
        arm_error(cx, 400, "InvalidAddressPrefixFormat", "%s", err);
    } else {
        t = store_txn_new();
        store_txn_put(t, key, s);
        if (arm_commit(cx, t)) {
            opid = arm_net_new_op(cx, "subnet");
            arm_net_json(cx, old ? 200 : 201,
                     subnet_render(cx->sim, cx->cap[0], s));
            arm_net_async_headers(cx, json_str(v, "location"), opid, false);
            free(opid);
        }
    }
    store_write_unlock(cx->sim->store);
out:
    cJSON_Delete(v);
    cJSON_Delete(body);
    cJSON_Delete(old);
    cJSON_Delete(s);
    free(key);
    free(etag);
    free(err);
}

static void
subnet_get(struct arm_ctx *cx)
{
    cJSON *v = need_vnet(cx), *s;
    char *key;

    if (!v)
        return;
    key = subnet_key(cx);
    if ((s = store_get_json(cx->sim->store, key))) {
        arm_net_json(cx, 200, subnet_render(cx->sim, cx->cap[0], s));
        resp_header(cx->rs, "ETag", "%s", json_str(s, "etag"));
        cJSON_Delete(s);
    } else {
        arm_not_found(cx, "Microsoft.Network/virtualNetworks/subnets",
                      cx->cap[3], cx->cap[1]);
    }
    cJSON_Delete(v);
    free(key);
}

static cJSON *
render_subnet(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    return subnet_render(cx->sim, cx->cap[0], doc);
}

static void
subnet_list(struct arm_ctx *cx)
{
    cJSON *v = need_vnet(cx);
    char *prefix;

    if (!v)
        return;
    cJSON_Delete(v);
    prefix = arm_key("subnet|%s|%s|%s|", cx->cap[0], cx->cap[1], cx->cap[2]);
    arm_list(cx, prefix, NULL, render_subnet, NULL);
    free(prefix);
}

static void
subnet_delete(struct arm_ctx *cx)
{
    cJSON *v = need_vnet(cx), *s = NULL;
    char *key = NULL;
    struct store_txn *t;

    if (!v)
        return;
    key = subnet_key(cx);
    store_write_lock(cx->sim->store);
    s = store_get_json(cx->sim->store, key);
    if (!s) {
        resp_json(cx->rs, 204, NULL);
    } else if (!subnet_in_use(cx, json_str(s, "id"), json_str(s, "name"))) {
        t = store_txn_new();
        store_txn_del(t, key);
        if (arm_commit(cx, t))
            arm_net_deleted(cx, json_str(v, "location"));
    }
    store_write_unlock(cx->sim->store);
    cJSON_Delete(v);
    cJSON_Delete(s);
    free(key);
}

/* ---- operation status ---------------------------------------------------- */

static void
net_operation(struct arm_ctx *cx)
{
    char *key = xasprintf("op|%s", cx->cap[2]);
    cJSON *op = store_get_json(cx->sim->store, key), *o;
    bool done;

    if (!op) {
        arm_error(cx, 404, "NotFound", "The operation '%s' was not found.",
                  cx->cap[2]);
        free(key);
        return;
    }
    done = json_int(op, "done", 0) <= sim_now_ms();
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", done ? "Succeeded" : "InProgress");
    arm_net_json(cx, 200, o);
    if (!done)
        resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
    cJSON_Delete(op);
    free(key);
}

static void
net_operation_result(struct arm_ctx *cx)
{
    char *key = xasprintf("op|%s", cx->cap[2]);
    cJSON *op = store_get_json(cx->sim->store, key);

    if (!op)
        arm_error(cx, 404, "NotFound", "The operation '%s' was not found.",
                  cx->cap[2]);
    else if (json_int(op, "done", 0) > sim_now_ms()) {
        resp_json(cx->rs, 202, NULL);
        resp_header(cx->rs, "Location", "%s%s?api-version=%s", cx->rq->base,
                    cx->rq->path, cx->api);
        resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
    } else
        resp_json(cx->rs, 204, NULL);
    cJSON_Delete(op);
    free(key);
}

#define RGNET "subscriptions/*/resourcegroups/*/providers/microsoft.network/"

const struct arm_route arm_net_routes[] = {
    {RGNET "virtualnetworks", "GET", API_NET, "virtualNetworks", vnet_list},
    {"subscriptions/*/providers/microsoft.network/virtualnetworks", "GET",
     API_NET, "virtualNetworks", vnet_list},
    {RGNET "virtualnetworks/*", "GET", API_NET, "virtualNetworks", vnet_get},
    {RGNET "virtualnetworks/*", "PUT", API_NET, "virtualNetworks", vnet_put},
    {RGNET "virtualnetworks/*", "DELETE", API_NET, "virtualNetworks",
     vnet_delete},
    {RGNET "virtualnetworks/*/subnets", "GET", API_NET,
     "virtualNetworks/subnets", subnet_list},
    {RGNET "virtualnetworks/*/subnets/*", "GET", API_NET,
     "virtualNetworks/subnets", subnet_get},
    {RGNET "virtualnetworks/*/subnets/*", "PUT", API_NET,
     "virtualNetworks/subnets", subnet_put},
    {RGNET "virtualnetworks/*/subnets/*", "DELETE", API_NET,
     "virtualNetworks/subnets", subnet_delete},
    {"subscriptions/*/providers/microsoft.network/locations/*/operations/*",
     "GET", API_NET, "locations/operations", net_operation},
    {"subscriptions/*/providers/microsoft.network/locations/*/"
     "operationresults/*",
     "GET", API_NET, "locations/operationResults", net_operation_result},
    {NULL, NULL, API_NONE, NULL, NULL},
};
