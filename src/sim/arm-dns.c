/*
 * arm-dns.c — Microsoft.Network/privateDnsZones: zones and virtual
 * network links (202 with Azure-AsyncOperation and Location pointing at
 * privateDnsOperationStatuses / privateDnsOperationResults), A record
 * sets (the zone groups of arm-pe.c write them too) and the record set
 * listings. Zones and links are kinds of arm-kind.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-doc.h"
#include "sim/arm-kind.h"
#include "sim/arm.h"
#include "sim/store.h"
#include "sim/util.h"

static cJSON *
zone_render(struct arm_ctx *cx, const cJSON *doc)
{
    cJSON *c = arm_public(doc);
    cJSON *p = cJSON_GetObjectItem(c, "properties");
    char *zk = arm_key_of_id(json_str(doc, "id"));
    char *rp = xasprintf("rec|%s|", zk + strlen("zone|"));
    char *lp = xasprintf("vlink|%s|", zk + strlen("zone|"));

    json_set(p, "numberOfRecordSets",
             cJSON_CreateNumber(1 + (double)store_count(cx->sim->store, rp)));
    json_set(p, "numberOfVirtualNetworkLinks",
             cJSON_CreateNumber((double)store_count(cx->sim->store, lp)));
    json_set(p, "numberOfVirtualNetworkLinksWithRegistration",
             cJSON_CreateNumber(0));
    json_set_str(p, "provisioningState", arm_state(doc, "Creating"));
    free(zk);
    free(rp);
    free(lp);
    return c;
}

static bool
zone_name_ok(const char *n)
{
    return n && strchr(n, '.') && strlen(n) <= 253 && n[0] != '.' &&
           !str_ends(n, ".");
}

static bool
zone_validate(struct arm_ctx *cx, struct arm_put *p)
{
    const char *loc = json_str(p->body, "location");

    if (!zone_name_ok(cx->cap[2])) {
        arm_error(cx, 400, "BadRequest",
                  "The zone name '%s' is not a valid domain name.", cx->cap[2]);
        return false;
    }
    if (!loc || strcasecmp(loc, "global") != 0) {
        arm_error(cx, 400, "BadRequest",
                  "The location '%s' is invalid for a private DNS zone; it "
                  "must be 'global'.",
                  loc ? loc : "");
        return false;
    }
    return true;
}

/* If-None-Match: * and If-Match against the stored zone; false after
 * answering 412. */
static bool
zone_precondition(struct arm_ctx *cx, const cJSON *old)
{
    const char *inm = req_header(cx->rq, "If-None-Match");
    const char *im = req_header(cx->rq, "If-Match");

    if ((inm && strcmp(inm, "*") == 0 && old) ||
        (im && (!old || (strcmp(im, "*") != 0 &&
                         !str_eq(im, json_str(old, "etag")))))) {
        arm_error(cx, 412, "PreconditionFailed",
                  "The Zone %s has been modified (etag mismatch).", cx->cap[2]);
        return false;
    }
    return true;
}

static bool
zone_build(struct arm_ctx *cx, struct arm_put *p)
{
    const char *name = p->old ? json_str(p->old, "name") : cx->cap[2];
    char *id, *etag;

    if (!zone_precondition(cx, p->old))
        return false;
    id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                   "Microsoft.Network/privateDnsZones/%s",
                   cx->cap[0], json_str(p->parent, "name"), name);
    etag = util_uuid();
    p->doc = arm_doc_zone(id, name, etag, cJSON_GetObjectItem(p->body, "tags"));
    if (p->old)
        json_set(p->doc, "_readyAt",
                 cJSON_CreateNumber((double)json_int(p->old, "_readyAt", 0)));
    else
        arm_set_ready(cx->sim, p->doc);
    free(id);
    free(etag);
    return true;
}

/* A zone goes only without virtual network links. */
static bool
zone_deletable(struct arm_ctx *cx, const char *key, const cJSON *doc)
{
    char *lp = xasprintf("vlink|%s|", key + strlen("zone|"));
    bool ok = store_count(cx->sim->store, lp) == 0;

    (void)doc;
    if (!ok)
        arm_error(cx, 409, "Conflict",
                  "The private DNS zone %s cannot be deleted because it has "
                  "virtual network links. Delete the links first.",
                  cx->cap[2]);
    free(lp);
    return ok;
}

static void
zone_drop(struct arm_ctx *cx, struct store_txn *t, const char *key,
          const cJSON *doc)
{
    char *rp = xasprintf("rec|%s|", key + strlen("zone|"));

    (void)cx;
    (void)doc;
    store_txn_del(t, key);
    store_txn_del_prefix(t, rp);
    free(rp);
}

static const struct arm_kind kind_zone = {
    .type = "Microsoft.Network/privateDnsZones",
    .prefix = "zone",
    .depth = 3,
    .lro = ARM_LRO_DNS,
    .op = "dnszone",
    .etag = true,
    .render = zone_render,
    .validate = zone_validate,
    .build = zone_build,
    .deletable = zone_deletable,
    .drop = zone_drop,
};

/* ---- virtual network links ----------------------------------------------- */

static cJSON *
link_render(struct arm_ctx *cx, const cJSON *doc)
{
    cJSON *c = arm_public(doc);
    cJSON *p = cJSON_GetObjectItem(c, "properties");
    bool ready = arm_is_ready(doc);

    (void)cx;
    json_set_str(p, "provisioningState", arm_state(doc, "Creating"));
    json_set_str(p, "virtualNetworkLinkState",
                 ready ? "Completed" : "InProgress");
    return c;
}

/* The linked virtual network (p->ref) and registrationEnabled. */
static bool
link_validate(struct arm_ctx *cx, struct arm_put *p)
{
    const cJSON *bp = cJSON_GetObjectItem(p->body, "properties");
    const char *vid = json_str(cJSON_GetObjectItem(bp, "virtualNetwork"), "id");
    char *vkey = arm_key_of_id(vid);

    if (vkey && str_starts(vkey, "vnet|"))
        p->ref = store_get_json(cx->sim->store, vkey);
    free(vkey);
    if (!p->ref) {
        arm_error(cx, 400, "BadRequest",
                  "Virtual network resource %s not found.",
                  vid ? vid : "(properties.virtualNetwork.id)");
        return false;
    }
    if (!cJSON_IsBool(cJSON_GetObjectItem(bp, "registrationEnabled"))) {
        arm_error(cx, 400, "BadRequest",
                  "The property registrationEnabled is required.");
        return false;
    }
    return true;
}

static bool
link_build(struct arm_ctx *cx, struct arm_put *p)
{
    const cJSON *bp = cJSON_GetObjectItem(p->body, "properties");
    char *id = xasprintf("%s/virtualNetworkLinks/%s", json_str(p->parent, "id"),
                         cx->cap[3]);
    char *u = util_uuid(), *etag = xasprintf("\"%s\"", u);

    p->doc = arm_doc_vlink(
        id, cx->cap[3], etag, cJSON_GetObjectItem(p->body, "tags"),
        cJSON_IsTrue(cJSON_GetObjectItem(bp, "registrationEnabled")),
        json_str(p->ref, "id"));
    arm_set_ready(cx->sim, p->doc);
    free(id);
    free(u);
    free(etag);
    return true;
}

static const struct arm_kind kind_link = {
    .type = "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    .prefix = "vlink",
    .depth = 4,
    .parent = &kind_zone,
    .lro = ARM_LRO_DNS,
    .op = "dnslink",
    .etag = true,
    .render = link_render,
    .validate = link_validate,
    .build = link_build,
};

/* ---- record sets ----------------------------------------------------------
 */

static cJSON *
soa_record(const cJSON *zone)
{
    char *s = xasprintf(
        "{\"id\":\"%s/SOA/@\",\"name\":\"@\",\"type\":"
        "\"Microsoft.Network/privateDnsZones/SOA\",\"properties\":{\"ttl\":"
        "3600,\"fqdn\":\"%s.\",\"isAutoRegistered\":false,\"soaRecord\":{"
        "\"email\":\"azureprivatedns-host.microsoft.com\",\"expireTime\":"
        "2419200,\"host\":\"azureprivatedns.net\",\"minimumTtl\":10,"
        "\"refreshTime\":3600,\"retryTime\":300,\"serialNumber\":1}}}",
        json_str(zone, "id"), json_str(zone, "name"));
    cJSON *j = cJSON_Parse(s);

    free(s);
    return j;
}

static void
records_list(struct arm_ctx *cx)
{
    cJSON *z = arm_kind_need(cx, &kind_zone), *root, *arr;
    bool all = strcasecmp(cx->cap[3], "ALL") == 0 ||
               strcasecmp(cx->cap[3], "recordsets") == 0;
    char *prefix;
    struct vec kvs = VEC_INIT;

    if (!z)
        return;
    if (!all && strcasecmp(cx->cap[3], "A") != 0) {
        resp_json(cx->rs, 200, cJSON_Parse("{\"value\":[]}"));
        cJSON_Delete(z);
        return;
    }
    prefix = arm_key("rec|%s|%s|%s|a|", cx->cap[0], cx->cap[1], cx->cap[2]);
    root = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(root, "value");
    if (all)
        cJSON_AddItemToArray(arr, soa_record(z));
    store_scan(cx->sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++)
        cJSON_AddItemToArray(
            arr, cJSON_Parse(((struct store_kv *)kvs.items[i])->val));
    resp_json(cx->rs, 200, root);
    vec_free_all(&kvs, store_kv_free);
    cJSON_Delete(z);
    free(prefix);
}

/* PUT of an A record set: 201 new, 200 replaced. */
static void
record_put(struct arm_ctx *cx, const cJSON *zone, const char *key)
{
    cJSON *body = arm_body(cx), *doc, *old;
    const cJSON *arecs, *a;
    struct store_txn *t;
    char *etag;

    if (!body)
        return;
    arecs = cJSON_GetObjectItem(cJSON_GetObjectItem(body, "properties"),
                                "aRecords");
    if (!cJSON_IsArray(arecs)) {
        arm_error(cx, 400, "BadRequest",
                  "The record set needs properties.aRecords.");
        cJSON_Delete(body);
        return;
    }
    etag = util_uuid();
    doc = arm_doc_a_record(
        json_str(zone, "id"), json_str(zone, "name"), cx->cap[4], etag,
        (double)json_int(cJSON_GetObjectItem(body, "properties"), "ttl", 3600));
    cJSON_ArrayForEach(a, arecs) cJSON_AddItemToArray(
        cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "properties"), "aRecords"),
        cJSON_Duplicate(a, true));
    store_write_lock(cx->sim->store);
    old = store_get_json(cx->sim->store, key);
    t = store_txn_new();
    store_txn_put(t, key, doc);
    if (arm_commit(cx, t))
        resp_json(cx->rs, old ? 200 : 201, cJSON_Duplicate(doc, true));
    store_write_unlock(cx->sim->store);
    cJSON_Delete(doc);
    cJSON_Delete(old);
    cJSON_Delete(body);
    free(etag);
}

/* GET, PUT and DELETE of one record set (only A is modelled). */
static void
record_one(struct arm_ctx *cx)
{
    cJSON *z = arm_kind_need(cx, &kind_zone), *r;
    struct store_txn *t;
    char *key;

    if (!z)
        return;
    if (strcasecmp(cx->cap[3], "A") != 0) {
        arm_error(cx, 400, "BadRequest",
                  "Only A record sets are modelled by kvdeck-sim.");
        cJSON_Delete(z);
        return;
    }
    key = arm_key("rec|%s|%s|%s|a|%s", cx->cap[0], cx->cap[1], cx->cap[2],
                  cx->cap[4]);
    if (strcmp(cx->rq->method, "GET") == 0) {
        if ((r = store_get_json(cx->sim->store, key)))
            resp_json(cx->rs, 200, r);
        else
            arm_not_found(cx, "Microsoft.Network/privateDnsZones/A", cx->cap[4],
                          cx->cap[1]);
    } else if (strcmp(cx->rq->method, "DELETE") == 0) {
        t = store_txn_new();
        store_txn_del(t, key);
        store_write_lock(cx->sim->store);
        if (arm_commit(cx, t))
            resp_json(cx->rs, 200, NULL);
        store_write_unlock(cx->sim->store);
    } else {
        record_put(cx, z, key);
    }
    cJSON_Delete(z);
    free(key);
}

/* ---- operations -----------------------------------------------------------
 */

static cJSON *
op_of(struct arm_ctx *cx, const char *token)
{
    unsigned char *raw = NULL;
    size_t len = 0;
    cJSON *op = NULL;

    if (str_base64_decode(token, strlen(token), &raw, &len)) {
        char *key = xasprintf("op|%s", (char *)raw);

        op = store_get_json(cx->sim->store, key);
        free(key);
    }
    free(raw);
    if (!op)
        arm_error(cx, 404, "NotFound", "The operation was not found.");
    return op;
}

static void
dns_status(struct arm_ctx *cx)
{
    cJSON *op = op_of(cx, cx->cap[2]), *o;

    if (!op)
        return;
    o = cJSON_CreateObject();
    if (json_int(op, "done", 0) > sim_now_ms()) {
        cJSON_AddStringToObject(o, "status", "InProgress");
        resp_json(cx->rs, 202, o);
        resp_header(cx->rs, "Azure-AsyncOperation", "%s%s?api-version=%s",
                    cx->rq->base, cx->rq->path, cx->api);
        resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
    } else if (cJSON_GetObjectItemCaseSensitive(op, "error")) {
        /* lro-fail: the operation ended Failed with its error */
        cJSON_AddStringToObject(o, "status", "Failed");
        cJSON_AddItemToObject(
            o, "error",
            cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(op, "error"),
                            true));
        resp_json(cx->rs, 200, o);
    } else {
        cJSON_AddStringToObject(o, "status", "Succeeded");
        resp_json(cx->rs, 200, o);
    }
    cJSON_Delete(op);
}

static void
dns_result(struct arm_ctx *cx)
{
    cJSON *op = op_of(cx, cx->cap[2]), *doc;

    if (!op)
        return;
    if (json_int(op, "done", 0) > sim_now_ms()) {
        resp_json(cx->rs, 202, NULL);
        resp_header(cx->rs, "Location", "%s%s?api-version=%s", cx->rq->base,
                    cx->rq->path, cx->api);
        resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
    } else if (cJSON_GetObjectItemCaseSensitive(op, "error")) {
        cJSON *b = cJSON_CreateObject();

        cJSON_AddItemToObject(
            b, "error",
            cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(op, "error"),
                            true));
        resp_json(cx->rs, 400, b);
    } else if (json_bool(op, "delete", false) ||
               !(doc = store_get_json(cx->sim->store,
                                      json_str(op, "resource")))) {
        resp_json(cx->rs, 204, NULL);
    } else {
        resp_json(cx->rs, 200,
                  str_starts(json_str(op, "resource"), "zone|")
                      ? zone_render(cx, doc)
                      : link_render(cx, doc));
        cJSON_Delete(doc);
    }
    cJSON_Delete(op);
}

#define RGDNS "subscriptions/*/resourcegroups/*/providers/microsoft.network/"
#define ZONE  RGDNS "privatednszones"
#define LINK  "privateDnsZones/virtualNetworkLinks"
#define ROUTE(P, M, T, F, K)                                                   \
    {                                                                          \
        .pattern = P, .methods = M, .apis = API_DNS, .type = T, .fn = F,       \
        .kind = K                                                              \
    }

const struct arm_route arm_dns_routes[] = {
    ROUTE(ZONE, "GET", "privateDnsZones", arm_kind_list, &kind_zone),
    ROUTE("subscriptions/*/providers/microsoft.network/privatednszones", "GET",
          "privateDnsZones", arm_kind_list, &kind_zone),
    ROUTE(ZONE "/*", "GET", "privateDnsZones", arm_kind_get, &kind_zone),
    ROUTE(ZONE "/*", "PUT PATCH", "privateDnsZones", arm_kind_put, &kind_zone),
    ROUTE(ZONE "/*", "DELETE", "privateDnsZones", arm_kind_delete, &kind_zone),
    ROUTE(ZONE "/*/virtualnetworklinks", "GET", LINK, arm_kind_list,
          &kind_link),
    ROUTE(ZONE "/*/virtualnetworklinks/*", "GET", LINK, arm_kind_get,
          &kind_link),
    ROUTE(ZONE "/*/virtualnetworklinks/*", "PUT PATCH", LINK, arm_kind_put,
          &kind_link),
    ROUTE(ZONE "/*/virtualnetworklinks/*", "DELETE", LINK, arm_kind_delete,
          &kind_link),
    ROUTE(ZONE "/*/*", "GET", "privateDnsZones/recordsets", records_list, NULL),
    ROUTE(ZONE "/*/*/*", "GET PUT DELETE", "privateDnsZones/A", record_one,
          NULL),
    ROUTE(RGDNS "privatednsoperationstatuses/*", "GET",
          "privateDnsOperationStatuses", dns_status, NULL),
    ROUTE(RGDNS "privatednsoperationresults/*", "GET",
          "privateDnsOperationResults", dns_result, NULL),
    {.pattern = NULL},
};
