/*
 * arm-net.c — Microsoft.Network: virtual networks and subnets as kinds
 * of arm-kind.h (PUT 201 + Azure-AsyncOperation + Retry-After, GET with
 * the ETag, list, DELETE 202 refused while a subnet holds an endpoint),
 * the Network operation status and result resources, and the helpers
 * the private endpoint file (arm-pe.c) shares. Responses are
 * pretty-printed like the Network RP's.
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
#include "sim/arm-doc.h"
#include "sim/arm-kind.h"
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
    static const char *const kinds[] = {"vnet", "subnet", "pe",  "zg",
                                        "zone", "vlink",  "rec", NULL};

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
                    cx->rq->base, cx->cap[0], loc, opid, cx->api, t, sig, sig);
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
    return arm_state(doc, "Updating");
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
    *out = arm_location_norm(loc);
    return true;
}

/* ---- subnets ------------------------------------------------------------ */

/* The PE ids in a subnet (scan of the subscription's endpoints). */
cJSON *
arm_net_subnet_endpoints(struct sim *sim, const char *sub,
                         const char *subnet_id)
{
    char *prefix = arm_key("pe|%s|", sub);
    struct vec kvs = VEC_INIT;
    cJSON *arr = cJSON_CreateArray();

    store_scan(sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];
        cJSON *pe = cJSON_Parse(kv->val);
        const char *sid =
            json_str(cJSON_GetObjectItem(cJSON_GetObjectItem(pe, "properties"),
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

/* [{"id": NIC/ipConfigurations/privateEndpointIpConfig.GUID}] of the
 * endpoints in a subnet, as the Network RP lists a subnet's used
 * addresses (caller deletes). */
static cJSON *
subnet_ipconfigs(struct sim *sim, const char *sub, const char *subnet_id)
{
    char *prefix = arm_key("pe|%s|", sub);
    struct vec kvs = VEC_INIT;
    cJSON *arr = cJSON_CreateArray();

    store_scan(sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++) {
        cJSON *pe = cJSON_Parse(((struct store_kv *)kvs.items[i])->val);
        const cJSON *p = cJSON_GetObjectItem(pe, "properties");
        const char *sid = json_str(cJSON_GetObjectItem(p, "subnet"), "id");
        const char *nic = json_str(
            cJSON_GetArrayItem(cJSON_GetObjectItem(p, "networkInterfaces"), 0),
            "id");

        if (sid && nic && strcasecmp(sid, subnet_id) == 0) {
            cJSON *o = cJSON_CreateObject();
            char *id = xasprintf(
                "%s/ipConfigurations/privateEndpointIpConfig.%s", nic,
                json_str(p, "resourceGuid") ? json_str(p, "resourceGuid")
                                            : "0");

            cJSON_AddStringToObject(o, "id", id);
            cJSON_AddItemToArray(arr, o);
            free(id);
        }
        cJSON_Delete(pe);
    }
    vec_free_all(&kvs, store_kv_free);
    free(prefix);
    return arr;
}

static cJSON *
subnet_render(struct arm_ctx *cx, const cJSON *doc)
{
    cJSON *c = arm_public(doc);
    cJSON *p = cJSON_GetObjectItem(c, "properties");
    cJSON *pes =
        arm_net_subnet_endpoints(cx->sim, cx->cap[0], json_str(doc, "id"));
    cJSON *ps = cJSON_CreateString(arm_net_state(doc));

    /* provisioningState first, as the service prints it. */
    cJSON *n = cJSON_CreateObject(), *it;

    cJSON_AddItemToObject(n, "provisioningState", ps);
    while (p && (it = cJSON_DetachItemViaPointer(p, p->child)) != NULL)
        cJSON_AddItemToObject(n, it->string, it);
    json_set(c, "properties", n);
    p = n;
    if (cJSON_GetArraySize(pes) > 0) {
        cJSON_AddItemToObject(
            p, "ipConfigurations",
            subnet_ipconfigs(cx->sim, cx->cap[0], json_str(doc, "id")));
        cJSON_AddItemToObject(p, "privateEndpoints", pes);
    } else {
        cJSON_Delete(pes);
    }
    return c;
}

static cJSON *
vnet_render(struct arm_ctx *cx, const cJSON *doc)
{
    cJSON *c = arm_public(doc);
    cJSON *p = cJSON_GetObjectItem(c, "properties");
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
            cJSON_AddItemToArray(subs, subnet_render(cx, s));
        cJSON_Delete(s);
    }
    json_set(p, "subnets", subs);
    vec_free_all(&kvs, store_kv_free);
    free(prefix);
    free(vkey);
    return c;
}

/* The serviceEndpoints of a subnet body, or NULL when it has none. */
static cJSON *
service_endpoints(const cJSON *se)
{
    cJSON *arr, *e;
    const cJSON *it;

    if (!cJSON_IsArray(se) || cJSON_GetArraySize(se) == 0)
        return NULL;
    arr = cJSON_CreateArray();
    cJSON_ArrayForEach(it, se)
    {
        const char *svc = json_str(it, "service");

        e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "provisioningState", "Succeeded");
        cJSON_AddStringToObject(e, "service", svc ? svc : "");
        cJSON_AddItemToObject(e, "locations", cJSON_Parse("[\"*\"]"));
        cJSON_AddItemToArray(arr, e);
    }
    return arr;
}

/* Builds a stored subnet from a request body's subnet properties, or
 * NULL with *err (caller frees) when its prefix is not a CIDR. */
static cJSON *
subnet_doc(struct arm_ctx *cx, const char *vnet_id, const char *name,
           const cJSON *props, const char *etag, char **err)
{
    const char *prefix = json_str(props, "addressPrefix");
    const char *pen = json_str(props, "privateEndpointNetworkPolicies");
    const char *pls = json_str(props, "privateLinkServiceNetworkPolicies");
    cJSON *s;

    if (!cidr_ok(prefix)) {
        *err = xasprintf("Subnet '%s' is not valid because its address "
                         "prefix '%s' is not a valid CIDR.",
                         name, prefix ? prefix : "");
        return NULL;
    }
    s = arm_doc_subnet(
        vnet_id, name, etag, prefix,
        service_endpoints(cJSON_GetObjectItem(props, "serviceEndpoints")),
        pen ? pen : "Disabled", pls ? pls : "Enabled");
    arm_set_ready(cx->sim, s);
    return s;
}

/* ---- virtual networks --------------------------------------------------- */

static const cJSON *
vnet_space(const cJSON *body)
{
    return cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(body, "properties"),
                            "addressSpace"),
        "addressPrefixes");
}

static bool
vnet_validate(struct arm_ctx *cx, struct arm_put *p)
{
    const cJSON *space = vnet_space(p->body);

    if (!arm_net_location(cx, p->body, &p->loc))
        return false;
    if (!cJSON_IsArray(space) || cJSON_GetArraySize(space) == 0 ||
        !cidr_ok(cJSON_GetStringValue(cJSON_GetArrayItem(space, 0)))) {
        arm_error(cx, 400, "InvalidAddressSpace",
                  "Virtual network '%s' must have a valid address space "
                  "(properties.addressSpace.addressPrefixes).",
                  cx->cap[2]);
        return false;
    }
    return true;
}

/* Adds to p->t the subnets a vnet body declares; false after a 400. */
static bool
vnet_put_subnets(struct arm_ctx *cx, struct arm_put *p, const char *id,
                 const char *etag)
{
    const cJSON *props = cJSON_GetObjectItem(p->body, "properties"), *sn;
    char *err = NULL;

    cJSON_ArrayForEach(sn, cJSON_GetObjectItem(props, "subnets"))
    {
        const char *name = json_str(sn, "name");
        cJSON *s;
        char *skey;

        if (!name) {
            arm_error(cx, 400, "InvalidRequestFormat",
                      "Subnet name is required.");
            return false;
        }
        s = subnet_doc(cx, id, name, cJSON_GetObjectItem(sn, "properties"),
                       etag, &err);
        if (!s) {
            arm_error(cx, 400, "InvalidAddressPrefixFormat", "%s", err);
            free(err);
            return false;
        }
        skey = arm_key("subnet|%s|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2],
                       name);
        store_txn_put(p->t, skey, s);
        cJSON_Delete(s);
        free(skey);
    }
    return true;
}

static bool
vnet_build(struct arm_ctx *cx, struct arm_put *p)
{
    const cJSON *props = cJSON_GetObjectItem(p->body, "properties");
    const char *name = p->old ? json_str(p->old, "name") : cx->cap[2];
    const char *pol = json_str(props, "privateEndpointVNetPolicies");
    char *id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                         "Microsoft.Network/virtualNetworks/%s",
                         cx->cap[0], json_str(p->parent, "name"), name);
    char *etag = arm_weak_etag();
    char *guid =
        p->old ? xstrdup(json_str(cJSON_GetObjectItem(p->old, "properties"),
                                  "resourceGuid"))
               : util_uuid();
    bool ok;

    p->doc = arm_doc_vnet(
        id, name, etag, p->loc, cJSON_GetObjectItem(p->body, "tags"), guid,
        vnet_space(p->body), json_bool(props, "enableDdosProtection", false));
    if (pol &&
        (strcasecmp(pol, "Disabled") == 0 || strcasecmp(pol, "Basic") == 0))
        cJSON_AddStringToObject(cJSON_GetObjectItem(p->doc, "properties"),
                                "privateEndpointVNetPolicies",
                                strcasecmp(pol, "Basic") == 0 ? "Basic"
                                                              : "Disabled");
    arm_set_ready(cx->sim, p->doc);
    ok = vnet_put_subnets(cx, p, id, etag);
    free(id);
    free(etag);
    free(guid);
    return ok;
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
                  name, json_str(cJSON_GetArrayItem(pes, 0), "id"));
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

static char *
subnet_prefix(const char *vnet_key)
{
    return xasprintf("subnet|%s|", vnet_key + strlen("vnet|"));
}

/* A vnet goes only when none of its subnets holds an endpoint. */
static bool
vnet_deletable(struct arm_ctx *cx, const char *key, const cJSON *doc)
{
    char *sprefix = subnet_prefix(key);
    struct vec subs = VEC_INIT;
    bool ok = true;

    (void)doc;
    store_scan(cx->sim->store, sprefix, NULL, 0, NULL, NULL, &subs, NULL);
    for (size_t i = 0; i < subs.len && ok; i++) {
        struct store_kv *kv = subs.items[i];
        cJSON *s = cJSON_Parse(kv->val);

        ok = !subnet_in_use(cx, json_str(s, "id"), json_str(s, "name"));
        cJSON_Delete(s);
    }
    vec_free_all(&subs, store_kv_free);
    free(sprefix);
    return ok;
}

static void
vnet_drop(struct arm_ctx *cx, struct store_txn *t, const char *key,
          const cJSON *doc)
{
    char *sprefix = subnet_prefix(key);

    (void)cx;
    (void)doc;
    store_txn_del(t, key);
    store_txn_del_prefix(t, sprefix);
    free(sprefix);
}

static const struct arm_kind kind_vnet = {
    .type = "Microsoft.Network/virtualNetworks",
    .prefix = "vnet",
    .depth = 3,
    .lro = ARM_LRO_NETWORK,
    .op = "vnet",
    .pretty = true,
    .etag = true,
    .render = vnet_render,
    .validate = vnet_validate,
    .build = vnet_build,
    .deletable = vnet_deletable,
    .drop = vnet_drop,
};

/* ---- subnets ------------------------------------------------------------ */

static bool
subnet_build(struct arm_ctx *cx, struct arm_put *p)
{
    char *etag = arm_weak_etag(), *err = NULL;

    p->doc = subnet_doc(cx, json_str(p->parent, "id"),
                        p->old ? json_str(p->old, "name") : cx->cap[3],
                        cJSON_GetObjectItem(p->body, "properties"), etag, &err);
    if (!p->doc)
        arm_error(cx, 400, "InvalidAddressPrefixFormat", "%s", err);
    free(etag);
    free(err);
    return p->doc != NULL;
}

static bool
subnet_deletable(struct arm_ctx *cx, const char *key, const cJSON *doc)
{
    (void)key;
    return !subnet_in_use(cx, json_str(doc, "id"), json_str(doc, "name"));
}

static const struct arm_kind kind_subnet = {
    .type = "Microsoft.Network/virtualNetworks/subnets",
    .prefix = "subnet",
    .depth = 4,
    .parent = &kind_vnet,
    .lro = ARM_LRO_NETWORK,
    .op = "subnet",
    .pretty = true,
    .etag = true,
    .render = subnet_render,
    .build = subnet_build,
    .deletable = subnet_deletable,
};

/* ---- operation status ---------------------------------------------------- */

static void
net_operation(struct arm_ctx *cx)
{
    char *key = xasprintf("op|%s", cx->cap[2]);
    cJSON *op = store_get_json(cx->sim->store, key), *o;
    const cJSON *err;
    bool done;

    if (!op) {
        arm_error(cx, 404, "NotFound", "The operation '%s' was not found.",
                  cx->cap[2]);
        free(key);
        return;
    }
    done = json_int(op, "done", 0) <= sim_now_ms();
    o = cJSON_CreateObject();
    err = cJSON_GetObjectItemCaseSensitive(op, "error"); /* lro-fail */
    cJSON_AddStringToObject(o, "status",
                            !done ? "InProgress"
                            : err ? "Failed"
                                  : "Succeeded");
    if (done && err)
        cJSON_AddItemToObject(o, "error", cJSON_Duplicate(err, true));
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
    } else if (cJSON_GetObjectItemCaseSensitive(op, "error")) {
        /* An operation that failed: its error, with a client error */
        cJSON *b = cJSON_CreateObject();

        cJSON_AddItemToObject(
            b, "error",
            cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(op, "error"),
                            true));
        arm_net_json(cx, 400, b);
    } else
        resp_json(cx->rs, 204, NULL);
    cJSON_Delete(op);
    free(key);
}

#define RGNET "subscriptions/*/resourcegroups/*/providers/microsoft.network/"

#define VNET RGNET "virtualnetworks"
#define ROUTE(P, M, T, F, K)                                                   \
    {                                                                          \
        .pattern = P, .methods = M, .apis = API_NET, .type = T, .fn = F,       \
        .kind = K                                                              \
    }

const struct arm_route arm_net_routes[] = {
    ROUTE(VNET, "GET", "virtualNetworks", arm_kind_list, &kind_vnet),
    ROUTE("subscriptions/*/providers/microsoft.network/virtualnetworks", "GET",
          "virtualNetworks", arm_kind_list, &kind_vnet),
    ROUTE(VNET "/*", "GET", "virtualNetworks", arm_kind_get, &kind_vnet),
    ROUTE(VNET "/*", "PUT", "virtualNetworks", arm_kind_put, &kind_vnet),
    ROUTE(VNET "/*", "DELETE", "virtualNetworks", arm_kind_delete, &kind_vnet),
    ROUTE(VNET "/*/subnets", "GET", "virtualNetworks/subnets", arm_kind_list,
          &kind_subnet),
    ROUTE(VNET "/*/subnets/*", "GET", "virtualNetworks/subnets", arm_kind_get,
          &kind_subnet),
    ROUTE(VNET "/*/subnets/*", "PUT", "virtualNetworks/subnets", arm_kind_put,
          &kind_subnet),
    ROUTE(VNET "/*/subnets/*", "DELETE", "virtualNetworks/subnets",
          arm_kind_delete, &kind_subnet),
    ROUTE("subscriptions/*/providers/microsoft.network/locations/*/"
          "operations/*",
          "GET", "locations/operations", net_operation, NULL),
    ROUTE("subscriptions/*/providers/microsoft.network/locations/*/"
          "operationresults/*",
          "GET", "locations/operationResults", net_operation_result, NULL),
    {.pattern = NULL},
};
