/*
 * arm-pec.c — a vault's private endpoint connections (list, get,
 * approve/reject by PUT with Azure-AsyncOperation pointing back at the
 * connection, delete) and its privateLinkResources. Connections are
 * created by private endpoints (arm-pe.c): auto-approved for
 * privateLinkServiceConnections, Pending for the manual kind (the
 * requestMessage as its description). Approving, rejecting and deleting
 * need Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action
 * (arm-perm.h), else 403 AuthorizationFailed.
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
#include "sim/arm-perm.h"
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
    char *k = xasprintf("pec|%s|%s", vault_key + strlen("vault|"), conn_name);
    char *l = util_lower(k), *etag = util_hex(32);
    cJSON *pec =
        arm_doc_pec(json_str(vault, "id"), json_str(vault, "location"),
                    conn_name, etag, pe_id, manual ? "Pending" : "Approved",
                    manual ? (message ? message : "") : "Auto Approved");

    arm_set_ready(cx->sim, pec);
    store_txn_put(t, l, pec);
    (void)location;
    cJSON_Delete(pec);
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

static void
pec_not_found(struct arm_ctx *cx)
{
    arm_error(cx, 404, "PrivateEndpointConnectionNotFound",
              "Private endpoint connection '%s' not found on vault '%s'.",
              cx->cap[3], cx->cap[2]);
}

static cJSON *
pec_render_kind(struct arm_ctx *cx, const cJSON *doc)
{
    (void)cx;
    return pec_render(doc);
}

static const struct arm_kind kind_pec = {
    .type = "Microsoft.KeyVault/vaults/privateEndpointConnections",
    .prefix = "pec",
    .depth = 4,
    .parent = &arm_kind_vault,
    .render = pec_render_kind,
    .not_found = pec_not_found,
};

/* A connection state a PUT may set; false after answering 400. */
static bool
pec_status_ok(struct arm_ctx *cx, const char *status)
{
    static const char *const states[] = {"Approved", "Rejected", "Disconnected",
                                         "Pending", NULL};

    for (size_t i = 0; status && states[i]; i++)
        if (strcmp(status, states[i]) == 0)
            return true;
    arm_error(cx, 400, "BadRequest",
              "privateLinkServiceConnectionState.status must be one of "
              "Approved, Rejected, Disconnected.");
    return false;
}

/* 200 with the connection and an Azure-AsyncOperation naming the
 * approval (or rejection) and the new etag. */
static void
pec_answer(struct arm_ctx *cx, const cJSON *pec, const char *status,
           const char *etag)
{
    char *op =
        xasprintf("{\"code\":\"privateEndpointConnections/%s\","
                  "\"etag\":\"%s\"}",
                  strcmp(status, "Approved") == 0 ? "approve" : "reject", etag);
    char *tok = str_base64url(op, strlen(op));

    resp_json(cx->rs, 200, pec_render(pec));
    resp_header(cx->rs, "Azure-AsyncOperation",
                "%s%s?api-version=%s&kv-operation=%s", cx->rq->base,
                cx->rq->path, cx->api, tok);
    resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
    free(op);
    free(tok);
}

/* Approving, rejecting and removing a connection need the approval
 * right on the vault; false after answering 403 AuthorizationFailed. */
static bool
pec_may(struct arm_ctx *cx, const cJSON *vault)
{
    char *id = xasprintf("%s/privateEndpointConnections/%s",
                         json_str(vault, "id"), cx->cap[3]);
    bool ok = arm_perm_check(cx, id,
                             "Microsoft.KeyVault/vaults/"
                             "privateEndpointConnectionsApproval/action");

    free(id);
    return ok;
}

static void
pec_put(struct arm_ctx *cx)
{
    cJSON *v = arm_kind_need(cx, &arm_kind_vault), *body = NULL, *p = NULL, *st;
    const cJSON *want;
    const char *status, *etag;
    char *key = NULL, *tag = NULL;
    struct store_txn *t;

    if (!v || !pec_may(cx, v) || !(body = arm_body(cx)))
        goto out;
    want = cJSON_GetObjectItem(cJSON_GetObjectItem(body, "properties"),
                               "privateLinkServiceConnectionState");
    status = json_str(want, "status");
    if (!pec_status_ok(cx, status))
        goto out;
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
    if (arm_commit(cx, t))
        pec_answer(cx, p, status, tag);
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
    cJSON *v = arm_kind_need(cx, &arm_kind_vault), *p;
    char *key;
    struct store_txn *t;

    if (!v || !pec_may(cx, v)) {
        cJSON_Delete(v);
        return;
    }
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
                        cx->rq->base, cx->cap[0], json_str(p, "location"), opid,
                        cx->api);
            resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
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
    cJSON *v = arm_kind_need(cx, &arm_kind_vault), *root, *r, *p;
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

#define VAULT                                                                  \
    "subscriptions/*/resourcegroups/*/providers/microsoft.keyvault/vaults/*"
#define PEC "vaults/privateEndpointConnections"
#define ROUTE(P, M, T, F)                                                      \
    {                                                                          \
        .pattern = P, .methods = M, .apis = API_KV, .type = T, .fn = F,        \
        .kind = &kind_pec                                                      \
    }

const struct arm_route arm_pec_routes[] = {
    ROUTE(VAULT "/privateendpointconnections", "GET", PEC, arm_kind_list),
    ROUTE(VAULT "/privateendpointconnections/*", "GET", PEC, arm_kind_get),
    ROUTE(VAULT "/privateendpointconnections/*", "PUT", PEC, pec_put),
    ROUTE(VAULT "/privateendpointconnections/*", "DELETE", PEC, pec_delete),
    ROUTE(VAULT "/privatelinkresources", "GET", "vaults/privateLinkResources",
          plr_list),
    {.pattern = NULL},
};
