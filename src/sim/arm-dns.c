/*
 * arm-dns.c — Microsoft.Network/privateDnsZones: zones and virtual
 * network links (202 with Azure-AsyncOperation and Location pointing at
 * privateDnsOperationStatuses / privateDnsOperationResults), A record
 * sets (the zone groups of arm-net.c write them too) and the record set
 * listings.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm.h"
#include "sim/store.h"
#include "sim/util.h"



static void
dns_accepted(struct arm_ctx *cx, const char *kind, const char *resource_key,
             bool deleting)
{
    cJSON *extra = cJSON_CreateObject();
    char *opid, *tok;

    cJSON_AddStringToObject(extra, "resource", resource_key);
    cJSON_AddBoolToObject(extra, "delete", deleting);
    opid = arm_op_new(cx, kind, atomic_load(&cx->sim->lro_delay_ms), extra);
    tok = str_base64url(opid, strlen(opid));
    resp_json(cx->rs, 202, deleting ? NULL : cJSON_CreateObject());
    resp_header(cx->rs, "Azure-AsyncOperation",
                "%s/subscriptions/%s/resourceGroups/%s/providers/"
                "Microsoft.Network/privateDnsOperationStatuses/%s?"
                "api-version=%s",
                cx->rq->base, cx->cap[0], cx->cap[1], tok, cx->api);
    resp_header(cx->rs, "Location",
                "%s/subscriptions/%s/resourceGroups/%s/providers/"
                "Microsoft.Network/privateDnsOperationResults/%s?"
                "api-version=%s",
                cx->rq->base, cx->cap[0], cx->cap[1], tok, cx->api);
    resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
    cJSON_Delete(extra);
    free(opid);
    free(tok);
}

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
    json_set_str(p, "provisioningState",
                 arm_is_ready(doc) ? "Succeeded" : "Creating");
    free(zk);
    free(rp);
    free(lp);
    return c;
}

static char *
zone_key(struct arm_ctx *cx)
{
    return arm_key("zone|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2]);
}

static bool
zone_name_ok(const char *n)
{
    return n && strchr(n, '.') && strlen(n) <= 253 && n[0] != '.' &&
           !str_ends(n, ".");
}

static void
zone_put(struct arm_ctx *cx)
{
    cJSON *rg = NULL, *body = NULL, *old = NULL, *doc, *p;
    const char *loc, *inm, *im;
    char *key = zone_key(cx), *id, *etag;
    struct store_txn *t;

    if (!(rg = arm_need_rg(cx, cx->cap[0], cx->cap[1])) ||
        !(body = arm_body(cx)))
        goto out;
    if (!zone_name_ok(cx->cap[2])) {
        arm_error(cx, 400, "BadRequest",
                  "The zone name '%s' is not a valid domain name.",
                  cx->cap[2]);
        goto out;
    }
    loc = json_str(body, "location");
    if (!loc || strcasecmp(loc, "global") != 0) {
        arm_error(cx, 400, "BadRequest",
                  "The location '%s' is invalid for a private DNS zone; it "
                  "must be 'global'.",
                  loc ? loc : "");
        goto out;
    }
    store_write_lock(cx->sim->store);
    old = store_get_json(cx->sim->store, key);
    inm = req_header(cx->rq, "If-None-Match");
    im = req_header(cx->rq, "If-Match");
    if ((inm && strcmp(inm, "*") == 0 && old) ||
        (im && (!old || (strcmp(im, "*") != 0 &&
                         !str_eq(im, json_str(old, "etag")))))) {
        store_write_unlock(cx->sim->store);
        arm_error(cx, 412, "PreconditionFailed",
                  "The Zone %s has been modified (etag mismatch).",
                  cx->cap[2]);
        goto out;
    }
    id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                   "Microsoft.Network/privateDnsZones/%s",
                   cx->cap[0], json_str(rg, "name"),
                   old ? json_str(old, "name") : cx->cap[2]);
    etag = util_uuid();
    doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "id", id);
    cJSON_AddStringToObject(doc, "name",
                            old ? json_str(old, "name") : cx->cap[2]);
    cJSON_AddStringToObject(doc, "type", "Microsoft.Network/privateDnsZones");
    cJSON_AddStringToObject(doc, "etag", etag);
    cJSON_AddStringToObject(doc, "location", "global");
    cJSON_AddItemToObject(doc, "tags",
                          cJSON_IsObject(cJSON_GetObjectItem(body, "tags"))
                              ? cJSON_Duplicate(cJSON_GetObjectItem(body,
                                                                    "tags"),
                                                true)
                              : cJSON_CreateObject());
    p = cJSON_AddObjectToObject(doc, "properties");
    cJSON_AddNumberToObject(p, "maxNumberOfRecordSets", 25000);
    cJSON_AddNumberToObject(p, "maxNumberOfVirtualNetworkLinks", 1000);
    cJSON_AddNumberToObject(p, "maxNumberOfVirtualNetworkLinksWithRegistration",
                            100);
    if (old)
        json_set(doc, "_readyAt",
                 cJSON_CreateNumber((double)json_int(old, "_readyAt", 0)));
    else
        arm_set_ready(cx->sim, doc);
    t = store_txn_new();
    store_txn_put(t, key, doc);
    if (arm_commit(cx, t))
        dns_accepted(cx, "dnszone", key, false);
    store_write_unlock(cx->sim->store);
    cJSON_Delete(doc);
    free(id);
    free(etag);
out:
    cJSON_Delete(rg);
    cJSON_Delete(body);
    cJSON_Delete(old);
    free(key);
}

static void
zone_get(struct arm_ctx *cx)
{
    cJSON *rg = arm_need_rg(cx, cx->cap[0], cx->cap[1]), *doc;
    char *key = zone_key(cx);

    if (rg) {
        if ((doc = store_get_json(cx->sim->store, key))) {
            resp_json(cx->rs, 200, zone_render(cx, doc));
            resp_header(cx->rs, "ETag", "%s", json_str(doc, "etag"));
            cJSON_Delete(doc);
        } else {
            arm_not_found(cx, "Microsoft.Network/privateDnsZones", cx->cap[2],
                          cx->cap[1]);
        }
    }
    cJSON_Delete(rg);
    free(key);
}

static cJSON *
render_zone(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    return zone_render(cx, doc);
}

static void
zone_list(struct arm_ctx *cx)
{
    arm_list_scoped(cx, "zone", render_zone);
}

static void
zone_delete(struct arm_ctx *cx)
{
    cJSON *rg = arm_need_rg(cx, cx->cap[0], cx->cap[1]), *doc;
    char *key = zone_key(cx), *lp, *rp;
    struct store_txn *t;

    if (!rg) {
        free(key);
        return;
    }
    lp = xasprintf("vlink|%s|", key + strlen("zone|"));
    rp = xasprintf("rec|%s|", key + strlen("zone|"));
    store_write_lock(cx->sim->store);
    doc = store_get_json(cx->sim->store, key);
    if (!doc) {
        resp_json(cx->rs, 204, NULL);
    } else if (store_count(cx->sim->store, lp) > 0) {
        arm_error(cx, 409, "Conflict",
                  "The private DNS zone %s cannot be deleted because it has "
                  "virtual network links. Delete the links first.",
                  cx->cap[2]);
    } else {
        t = store_txn_new();
        store_txn_del(t, key);
        store_txn_del_prefix(t, rp);
        if (arm_commit(cx, t))
            dns_accepted(cx, "dnszone", key, true);
    }
    store_write_unlock(cx->sim->store);
    cJSON_Delete(doc);
    cJSON_Delete(rg);
    free(key);
    free(lp);
    free(rp);
}

/* ---- virtual network links ----------------------------------------------- */

static cJSON *
need_zone(struct arm_ctx *cx)
{
    cJSON *rg = arm_need_rg(cx, cx->cap[0], cx->cap[1]), *z = NULL;
    char *key;

    if (!rg)
        return NULL;
    cJSON_Delete(rg);
    key = zone_key(cx);
    z = store_get_json(cx->sim->store, key);
    if (!z)
        arm_not_found(cx, "Microsoft.Network/privateDnsZones", cx->cap[2],
                      cx->cap[1]);
    free(key);
    return z;
}

static char *
link_key(struct arm_ctx *cx)
{
    return arm_key("vlink|%s|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2],
                cx->cap[3]);
}

static cJSON *
link_render(const cJSON *doc)
{
    cJSON *c = arm_public(doc);
    cJSON *p = cJSON_GetObjectItem(c, "properties");
    bool ready = arm_is_ready(doc);

    json_set_str(p, "provisioningState", ready ? "Succeeded" : "Creating");
    json_set_str(p, "virtualNetworkLinkState",
                 ready ? "Completed" : "InProgress");
    return c;
}

static void
link_put(struct arm_ctx *cx)
{
    cJSON *z = need_zone(cx), *body = NULL, *doc = NULL, *p, *vnet = NULL;
    const cJSON *bp, *reg;
    char *key = NULL, *id = NULL, *etag = NULL, *vkey = NULL;
    const char *vid;
    struct store_txn *t;

    if (!z || !(body = arm_body(cx)))
        goto out;
    bp = cJSON_GetObjectItem(body, "properties");
    vid = json_str(cJSON_GetObjectItem(bp, "virtualNetwork"), "id");
    reg = cJSON_GetObjectItem(bp, "registrationEnabled");
    vkey = arm_key_of_id(vid);
    if (!vkey || !str_starts(vkey, "vnet|") ||
        !(vnet = store_get_json(cx->sim->store, vkey))) {
        arm_error(cx, 400, "BadRequest",
                  "Virtual network resource %s not found.",
                  vid ? vid : "(properties.virtualNetwork.id)");
        goto out;
    }
    if (!cJSON_IsBool(reg)) {
        arm_error(cx, 400, "BadRequest",
                  "The property registrationEnabled is required.");
        goto out;
    }
    key = link_key(cx);
    id = xasprintf("%s/virtualNetworkLinks/%s", json_str(z, "id"), cx->cap[3]);
    {
        char *u = util_uuid();

        etag = xasprintf("\"%s\"", u);
        free(u);
    }
    doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "id", id);
    cJSON_AddStringToObject(doc, "name", cx->cap[3]);
    cJSON_AddStringToObject(doc, "type",
                            "Microsoft.Network/privateDnsZones/"
                            "virtualNetworkLinks");
    cJSON_AddStringToObject(doc, "etag", etag);
    cJSON_AddStringToObject(doc, "location", "global");
    if (cJSON_IsObject(cJSON_GetObjectItem(body, "tags")))
        cJSON_AddItemToObject(doc, "tags",
                              cJSON_Duplicate(cJSON_GetObjectItem(body, "tags"),
                                              true));
    p = cJSON_AddObjectToObject(doc, "properties");
    cJSON_AddBoolToObject(p, "registrationEnabled", cJSON_IsTrue(reg));
    cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "virtualNetwork"), "id",
                            json_str(vnet, "id"));
    arm_set_ready(cx->sim, doc);
    t = store_txn_new();
    store_txn_put(t, key, doc);
    store_write_lock(cx->sim->store);
    if (arm_commit(cx, t))
        dns_accepted(cx, "dnslink", key, false);
    store_write_unlock(cx->sim->store);
out:
    cJSON_Delete(z);
    cJSON_Delete(body);
    cJSON_Delete(doc);
    cJSON_Delete(vnet);
    free(key);
    free(id);
    free(etag);
    free(vkey);
}

static void
link_get(struct arm_ctx *cx)
{
    cJSON *z = need_zone(cx), *l;
    char *key;

    if (!z)
        return;
    key = link_key(cx);
    if ((l = store_get_json(cx->sim->store, key))) {
        resp_json(cx->rs, 200, link_render(l));
        resp_header(cx->rs, "ETag", "%s", json_str(l, "etag"));
        cJSON_Delete(l);
    } else {
        arm_not_found(cx, "Microsoft.Network/privateDnsZones/"
                          "virtualNetworkLinks",
                      cx->cap[3], cx->cap[1]);
    }
    cJSON_Delete(z);
    free(key);
}

static cJSON *
render_link(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    return link_render(doc);
}

static void
link_list(struct arm_ctx *cx)
{
    cJSON *z = need_zone(cx);
    char *prefix;

    if (!z)
        return;
    cJSON_Delete(z);
    prefix = arm_key("vlink|%s|%s|%s|", cx->cap[0], cx->cap[1], cx->cap[2]);
    arm_list(cx, prefix, NULL, render_link, NULL);
    free(prefix);
}

static void
link_delete(struct arm_ctx *cx)
{
    cJSON *z = need_zone(cx), *l;
    char *key;
    struct store_txn *t;

    if (!z)
        return;
    key = link_key(cx);
    store_write_lock(cx->sim->store);
    l = store_get_json(cx->sim->store, key);
    if (!l) {
        resp_json(cx->rs, 204, NULL);
    } else {
        t = store_txn_new();
        store_txn_del(t, key);
        if (arm_commit(cx, t))
            dns_accepted(cx, "dnslink", key, true);
    }
    store_write_unlock(cx->sim->store);
    cJSON_Delete(l);
    cJSON_Delete(z);
    free(key);
}

/* ---- record sets ---------------------------------------------------------- */

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
    cJSON *z = need_zone(cx), *root, *arr;
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
        cJSON_AddItemToArray(arr,
                             cJSON_Parse(((struct store_kv *)kvs.items[i])->val));
    resp_json(cx->rs, 200, root);
    vec_free_all(&kvs, store_kv_free);
    cJSON_Delete(z);
    free(prefix);
}

static void
record_one(struct arm_ctx *cx)
{
    cJSON *z = need_zone(cx), *body = NULL, *r = NULL, *doc, *p;
    char *key, *id, *etag, *fqdn;
    const cJSON *arecs, *a;
    struct store_txn *t;

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
            resp_json(cx->rs, 200, cJSON_Duplicate(r, true));
        else
            arm_not_found(cx, "Microsoft.Network/privateDnsZones/A",
                          cx->cap[4], cx->cap[1]);
    } else if (strcmp(cx->rq->method, "DELETE") == 0) {
        t = store_txn_new();
        store_txn_del(t, key);
        store_write_lock(cx->sim->store);
        if (arm_commit(cx, t))
            resp_json(cx->rs, 200, NULL);
        store_write_unlock(cx->sim->store);
    } else if ((body = arm_body(cx))) {
        p = cJSON_GetObjectItem(body, "properties");
        arecs = cJSON_GetObjectItem(p, "aRecords");
        if (!cJSON_IsArray(arecs)) {
            arm_error(cx, 400, "BadRequest",
                      "The record set needs properties.aRecords.");
        } else {
            doc = cJSON_CreateObject();
            id = xasprintf("%s/A/%s", json_str(z, "id"), cx->cap[4]);
            etag = util_uuid();
            fqdn = xasprintf("%s.%s.", cx->cap[4], json_str(z, "name"));
            cJSON_AddStringToObject(doc, "id", id);
            cJSON_AddStringToObject(doc, "name", cx->cap[4]);
            cJSON_AddStringToObject(doc, "type",
                                    "Microsoft.Network/privateDnsZones/A");
            cJSON_AddStringToObject(doc, "etag", etag);
            p = cJSON_AddObjectToObject(doc, "properties");
            cJSON_AddNumberToObject(p, "ttl",
                                    (double)json_int(cJSON_GetObjectItem(
                                                         body, "properties"),
                                                     "ttl", 3600));
            cJSON_AddStringToObject(p, "fqdn", fqdn);
            cJSON_AddFalseToObject(p, "isAutoRegistered");
            cJSON_AddItemToObject(p, "aRecords", cJSON_CreateArray());
            cJSON_ArrayForEach(a, arecs)
                cJSON_AddItemToArray(cJSON_GetObjectItem(p, "aRecords"),
                                     cJSON_Duplicate(a, true));
            store_write_lock(cx->sim->store);
            r = store_get_json(cx->sim->store, key);
            t = store_txn_new();
            store_txn_put(t, key, doc);
            if (arm_commit(cx, t))
                resp_json(cx->rs, r ? 200 : 201, cJSON_Duplicate(doc, true));
            store_write_unlock(cx->sim->store);
            cJSON_Delete(doc);
            free(id);
            free(etag);
            free(fqdn);
        }
    }
    cJSON_Delete(z);
    cJSON_Delete(body);
    cJSON_Delete(r);
    free(key);
}

/* ---- operations ----------------------------------------------------------- */

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
    } else if (json_bool(op, "delete", false) ||
               !(doc = store_get_json(cx->sim->store,
                                      json_str(op, "resource")))) {
        resp_json(cx->rs, 204, NULL);
    } else {
        resp_json(cx->rs, 200,
                  str_starts(json_str(op, "resource"), "zone|")
                      ? zone_render(cx, doc)
                      : link_render(doc));
        cJSON_Delete(doc);
    }
    cJSON_Delete(op);
}

#define RGDNS "subscriptions/*/resourcegroups/*/providers/microsoft.network/"

const struct arm_route arm_dns_routes[] = {
    {RGDNS "privatednszones", "GET", API_DNS, "privateDnsZones", zone_list},
    {"subscriptions/*/providers/microsoft.network/privatednszones", "GET",
     API_DNS, "privateDnsZones", zone_list},
    {RGDNS "privatednszones/*", "GET", API_DNS, "privateDnsZones", zone_get},
    {RGDNS "privatednszones/*", "PUT PATCH", API_DNS, "privateDnsZones",
     zone_put},
    {RGDNS "privatednszones/*", "DELETE", API_DNS, "privateDnsZones",
     zone_delete},
    {RGDNS "privatednszones/*/virtualnetworklinks", "GET", API_DNS,
     "privateDnsZones/virtualNetworkLinks", link_list},
    {RGDNS "privatednszones/*/virtualnetworklinks/*", "GET", API_DNS,
     "privateDnsZones/virtualNetworkLinks", link_get},
    {RGDNS "privatednszones/*/virtualnetworklinks/*", "PUT PATCH", API_DNS,
     "privateDnsZones/virtualNetworkLinks", link_put},
    {RGDNS "privatednszones/*/virtualnetworklinks/*", "DELETE", API_DNS,
     "privateDnsZones/virtualNetworkLinks", link_delete},
    {RGDNS "privatednszones/*/*", "GET", API_DNS, "privateDnsZones/recordsets",
     records_list},
    {RGDNS "privatednszones/*/*/*", "GET PUT DELETE", API_DNS,
     "privateDnsZones/A", record_one},
    {RGDNS "privatednsoperationstatuses/*", "GET", API_DNS,
     "privateDnsOperationStatuses", dns_status},
    {RGDNS "privatednsoperationresults/*", "GET", API_DNS,
     "privateDnsOperationResults", dns_result},
    {NULL, NULL, API_NONE, NULL, NULL},
};
