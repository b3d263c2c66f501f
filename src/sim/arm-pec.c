/*
 * arm-pec.c — a vault's private endpoint connections (list, get,
 * approve/reject by PUT with Azure-AsyncOperation pointing back at the
 * connection, delete) and its privateLinkResources. Connections are
 * created by private endpoints (arm-net.c): auto-approved for
 * privateLinkServiceConnections, Pending for the manual kind.
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

static char *
pec_key(const char *sub, const char *rg, const char *vault, const char *pec)
{
    char *k = pec ? xasprintf("pec|%s|%s|%s|%s", sub, rg, vault, pec)
                  : xasprintf("pec|%s|%s|%s|", sub, rg, vault);
    char *l = util_lower(k);

    free(k);
    return l;
}

cJSON *
arm_pec_state(struct sim *sim, const char *vault_id, const char *conn_name)
{
    char *vkey = arm_key_of_id(vault_id);
    char *k, *l;
    cJSON *p, *st = NULL;

    if (!vkey)
        return NULL;
    k = xasprintf("pec|%s|%s", vkey + strlen("vault|"), conn_name);
    l = util_lower(k);
    p = store_get_json(sim->store, l);
    if (p) {
        st = cJSON_Duplicate(
            cJSON_GetObjectItem(cJSON_GetObjectItem(p, "properties"),
                                "privateLinkServiceConnectionState"),
            true);
        cJSON_Delete(p);
    }
    free(vkey);
    free(k);
    free(l);
    return st;
}

void
arm_pec_create(struct arm_ctx *cx, struct store_txn *t, const char *vault_key,
               const cJSON *vault, const char *conn_name, const char *pe_id,
               const char *location, bool manual, const char *message)
{
    cJSON *pec = cJSON_CreateObject(), *pp, *st;
    char *id = xasprintf("%s/privateEndpointConnections/%s",
                         json_str(vault, "id"), conn_name);
    char *k = xasprintf("pec|%s|%s", vault_key + strlen("vault|"), conn_name);
    char *l = util_lower(k), *etag = util_hex(32);

    cJSON_AddStringToObject(pec, "id", id);
    cJSON_AddStringToObject(pec, "name", conn_name);
    cJSON_AddStringToObject(pec, "type",
                            "Microsoft.KeyVault/vaults/"
                            "privateEndpointConnections");
    cJSON_AddStringToObject(pec, "location", json_str(vault, "location"));
    cJSON_AddStringToObject(pec, "etag", etag);
    pp = cJSON_AddObjectToObject(pec, "properties");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(pp, "privateEndpoint"),
                            "id", pe_id);
    st = cJSON_AddObjectToObject(pp, "privateLinkServiceConnectionState");
    cJSON_AddStringToObject(st, "status", manual ? "Pending" : "Approved");
    cJSON_AddStringToObject(st, "description",
                            manual ? (message ? message : "")
                                   : "Auto Approved");
    cJSON_AddStringToObject(st, "actionsRequired", "None");
    arm_set_ready(cx->sim, pec);
    store_txn_put(t, l, pec);
    (void)location;
    cJSON_Delete(pec);
    free(id);
    free(k);
    free(l);
    free(etag);
}

static cJSON *
pec_render(const cJSON *doc)
{
    cJSON *c = arm_public(doc);

    json_set_str(cJSON_GetObjectItem(c, "properties"), "provisioningState",
                 arm_is_ready(doc) ? "Succeeded" : "Updating");
    return c;
}

static cJSON *
render_pec(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    return pec_render(doc);
}

/* The vault (caller deletes) after checking group and vault exist. */
static cJSON *
need_vault(struct arm_ctx *cx)
{
    cJSON *rg = arm_need_rg(cx, cx->cap[0], cx->cap[1]), *v = NULL;
    char *k, *l;

    if (!rg)
        return NULL;
    cJSON_Delete(rg);
    k = xasprintf("vault|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2]);
    l = util_lower(k);
    v = store_get_json(cx->sim->store, l);
    if (!v)
        arm_not_found(cx, "Microsoft.KeyVault/vaults", cx->cap[2], cx->cap[1]);
    free(k);
    free(l);
    return v;
}

static void
pec_list(struct arm_ctx *cx)
{
    cJSON *v = need_vault(cx);
    char *prefix;

    if (!v)
        return;
    cJSON_Delete(v);
    prefix = pec_key(cx->cap[0], cx->cap[1], cx->cap[2], NULL);
    arm_list(cx, prefix, NULL, render_pec, NULL);
    free(prefix);
}

static void
pec_not_found(struct arm_ctx *cx)
{
    arm_error(cx, 404, "PrivateEndpointConnectionNotFound",
              "Private endpoint connection '%s' not found on vault '%s'.",
              cx->cap[3], cx->cap[2]);
}

static void
pec_get(struct arm_ctx *cx)
{
    cJSON *v = need_vault(cx), *p;
    char *key;

    if (!v)
        return;
    cJSON_Delete(v);
    key = pec_key(cx->cap[0], cx->cap[1], cx->cap[2], cx->cap[3]);
    if ((p = store_get_json(cx->sim->store, key))) {
        resp_json(cx->rs, 200, pec_render(p));
        cJSON_Delete(p);
    } else {
        pec_not_found(cx);
    }
    free(key);
}

static void
pec_put(struct arm_ctx *cx)
{
    cJSON *v = need_vault(cx), *body = NULL, *p = NULL, *st;
    const cJSON *want;
    const char *status, *etag;
    char *key = NULL, *tag = NULL;
    struct store_txn *t;

    if (!v || !(body = arm_body(cx)))
        goto out;
    want = cJSON_GetObjectItem(cJSON_GetObjectItem(body, "properties"),
                               "privateLinkServiceConnectionState");
    status = json_str(want, "status");
    if (!status || (strcmp(status, "Approved") != 0 &&
                    strcmp(status, "Rejected") != 0 &&
                    strcmp(status, "Disconnected") != 0 &&
                    strcmp(status, "Pending") != 0)) {
        arm_error(cx, 400, "BadRequest",
                  "privateLinkServiceConnectionState.status must be one of "
                  "Approved, Rejected, Disconnected.");
        goto out;
    }
    key = pec_key(cx->cap[0], cx->cap[1], cx->cap[2], cx->cap[3]);
    store_write_lock(cx->sim->store);
    p = store_get_json(cx->sim->store, key);
    if (!p) {
        pec_not_found(cx);
        goto unlock;
    }
    etag = json_str(body, "etag");
    if (etag && !str_eq(etag, json_str(p, "etag"))) {
        arm_error(cx, 412, "PreconditionFailed",
                  "The etag '%s' does not match the current etag '%s'.", etag,
                  json_str(p, "etag"));
        goto unlock;
    }
    st = cJSON_GetObjectItem(cJSON_GetObjectItem(p, "properties"),
                             "privateLinkServiceConnectionState");
    json_set_str(st, "status", status);
    json_set_str(st, "description",
                 json_str(want, "description") ? json_str(want, "description")
                                               : "");
    json_set_str(st, "actionsRequired", "None");
    tag = util_hex(32);
    json_set_str(p, "etag", tag);
    arm_set_ready(cx->sim, p);
    t = store_txn_new();
    store_txn_put(t, key, p);
    if (arm_commit(cx, t)) {
        char *op = xasprintf("{\"code\":\"privateEndpointConnections/%s\","
                             "\"etag\":\"%s\"}",
                             strcmp(status, "Approved") == 0 ? "approve"
                                                             : "reject",
                             tag);
        char *tok = str_base64url(op, strlen(op));

        resp_json(cx->rs, 200, pec_render(p));
        resp_header(cx->rs, "Azure-AsyncOperation",
                    "%s%s?api-version=%s&kv-operation=%s", cx->rq->base,
                    cx->rq->path, cx->api, tok);
        resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
        free(op);
        free(tok);
    }
unlock:
    store_write_unlock(cx->sim->store);
out:
    cJSON_Delete(v);
    cJSON_Delete(body);
    cJSON_Delete(p);
    free(key);
    free(tag);
}

static void
pec_delete(struct arm_ctx *cx)
{
    cJSON *v = need_vault(cx), *p;
    char *key;
    struct store_txn *t;

    if (!v)
        return;
    cJSON_Delete(v);
    key = pec_key(cx->cap[0], cx->cap[1], cx->cap[2], cx->cap[3]);
    store_write_lock(cx->sim->store);
    p = store_get_json(cx->sim->store, key);
    if (!p) {
        resp_json(cx->rs, 204, NULL);
    } else {
        t = store_txn_new();
        store_txn_del(t, key);
        if (arm_commit(cx, t)) {
            char *opid = arm_op_new(cx, "pecdelete",
                                    atomic_load(&cx->sim->lro_delay_ms), NULL);

            json_set_str(cJSON_GetObjectItem(p, "properties"),
                         "provisioningState", "Deleting");
            resp_json(cx->rs, 202, NULL);
            resp_header(cx->rs, "Location",
                        "%s/subscriptions/%s/providers/Microsoft.KeyVault/"
                        "locations/%s/operationResults/%s?api-version=%s",
                        cx->rq->base, cx->cap[0], json_str(p, "location"),
                        opid, cx->api);
            resp_header(cx->rs, "Retry-After", "%d",
                        arm_retry_after(cx->sim));
            free(opid);
        }
    }
    store_write_unlock(cx->sim->store);
    cJSON_Delete(p);
    free(key);
}

static void
plr_list(struct arm_ctx *cx)
{
    static const char *const members[] = {"default"};
    static const char *const zones[] = {"privatelink.vaultcore.azure.net"};
    cJSON *v = need_vault(cx), *root, *r, *p;
    char *id;

    if (!v)
        return;
    root = cJSON_CreateObject();
    r = cJSON_CreateObject();
    id = xasprintf("%s/privateLinkResources/vault", json_str(v, "id"));
    cJSON_AddStringToObject(r, "id", id);
    cJSON_AddStringToObject(r, "name", "vault");
    cJSON_AddStringToObject(r, "type",
                            "Microsoft.KeyVault/vaults/privateLinkResources");
    p = cJSON_AddObjectToObject(r, "properties");
    cJSON_AddStringToObject(p, "groupId", "vault");
    cJSON_AddItemToObject(p, "requiredMembers",
                          cJSON_CreateStringArray(members, 1));
    cJSON_AddItemToObject(p, "requiredZoneNames",
                          cJSON_CreateStringArray(zones, 1));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "value"), r);
    resp_json(cx->rs, 200, root);
    cJSON_Delete(v);
    free(id);
}

#define VAULT "subscriptions/*/resourcegroups/*/providers/microsoft.keyvault/vaults/*"

const struct arm_route arm_pec_routes[] = {
    {VAULT "/privateendpointconnections", "GET", API_KV,
     "vaults/privateEndpointConnections", pec_list},
    {VAULT "/privateendpointconnections/*", "GET", API_KV,
     "vaults/privateEndpointConnections", pec_get},
    {VAULT "/privateendpointconnections/*", "PUT", API_KV,
     "vaults/privateEndpointConnections", pec_put},
    {VAULT "/privateendpointconnections/*", "DELETE", API_KV,
     "vaults/privateEndpointConnections", pec_delete},
    {VAULT "/privatelinkresources", "GET", API_KV,
     "vaults/privateLinkResources", plr_list},
    {NULL, NULL, API_NONE, NULL, NULL},
};
