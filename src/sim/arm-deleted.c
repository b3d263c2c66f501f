/*
 * arm-deleted.c — Microsoft.KeyVault beyond a live vault: deleted
 * vaults (list, get), purge as a long-running operation with its
 * operationResults, checkNameAvailability, and the (empty) managed HSM
 * lists.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm.h"
#include "sim/store.h"
#include "sim/util.h"

static cJSON *
render_deleted(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    return arm_public(doc);
}

static void
deleted_list(struct arm_ctx *cx)
{
    cJSON *s = arm_need_sub(cx, cx->cap[0]);
    char *prefix;

    if (!s)
        return;
    cJSON_Delete(s);
    prefix = arm_key("dvault|%s|", cx->cap[0]);
    arm_list(cx, prefix, NULL, render_deleted, NULL);
    free(prefix);
}

static void
deleted_get(struct arm_ctx *cx)
{
    char *key = arm_key("dvault|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2]);
    cJSON *s = arm_need_sub(cx, cx->cap[0]), *doc;

    if (s) {
        if ((doc = store_get_json(cx->sim->store, key))) {
            resp_json(cx->rs, 200, arm_public(doc));
            cJSON_Delete(doc);
        } else {
            arm_error(cx, 404, "ResourceNotFound",
                      "The Resource 'Microsoft.KeyVault/locations/%s/"
                      "deletedVaults/%s' was not found.",
                      cx->cap[1], cx->cap[2]);
        }
    }
    cJSON_Delete(s);
    free(key);
}

/* 202 with the Location of the purge's operation. */
static void
purge_accepted(struct arm_ctx *cx)
{
    char *opid =
        arm_op_new(cx, "purge", atomic_load(&cx->sim->lro_delay_ms), NULL);

    resp_json(cx->rs, 202, NULL);
    resp_header(cx->rs, "Location",
                "%s/subscriptions/%s/providers/Microsoft.KeyVault/locations/"
                "%s/operationResults/%s?api-version=%s",
                cx->rq->base, cx->cap[0], cx->cap[1], opid, cx->api);
    resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
    free(opid);
}

static void
deleted_purge(struct arm_ctx *cx)
{
    char *key = arm_key("dvault|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2]);
    char *nkey = arm_key("vname|%s", cx->cap[2]);
    cJSON *s = arm_need_sub(cx, cx->cap[0]), *doc = NULL;
    struct store_txn *t;
    bool ok;

    if (!s)
        goto out;
    store_write_lock(cx->sim->store);
    doc = store_get_json(cx->sim->store, key);
    if (!doc) {
        store_write_unlock(cx->sim->store);
        arm_error(cx, 404, "ResourceNotFound",
                  "The Resource 'Microsoft.KeyVault/locations/%s/"
                  "deletedVaults/%s' was not found.",
                  cx->cap[1], cx->cap[2]);
        goto out;
    }
    if (json_bool(cJSON_GetObjectItem(doc, "properties"),
                  "purgeProtectionEnabled", false)) {
        store_write_unlock(cx->sim->store);
        arm_error(cx, 409, "Conflict",
                  "Operation \"purge\" is not allowed because purge "
                  "protection is enabled for this vault. Key Vault service "
                  "will automatically purge it after the retention period "
                  "has passed.");
        goto out;
    }
    t = store_txn_new();
    store_txn_del(t, key);
    store_txn_del(t, nkey);
    arm_vault_drop_secrets(t, cx->cap[2]);
    ok = arm_commit(cx, t);
    store_write_unlock(cx->sim->store);
    if (ok)
        purge_accepted(cx);
out:
    cJSON_Delete(s);
    cJSON_Delete(doc);
    free(key);
    free(nkey);
}

static void
kv_operation(struct arm_ctx *cx)
{
    char *key = xasprintf("op|%s", cx->cap[2]);
    cJSON *op = store_get_json(cx->sim->store, key), *o;
    char *c, *d;

    if (!op) {
        arm_error(cx, 404, "NotFound", "The operation '%s' was not found.",
                  cx->cap[2]);
        free(key);
        return;
    }
    o = cJSON_CreateObject();
    c = util_iso_space(json_int(op, "created", 0) / 1000);
    cJSON_AddStringToObject(o, "createdDateTime", c);
    if (json_int(op, "done", 0) > sim_now_ms()) {
        cJSON_AddStringToObject(o, "status", "NotStarted");
        resp_json(cx->rs, 202, o);
        resp_header(cx->rs, "Location", "%s%s?api-version=%s", cx->rq->base,
                    cx->rq->path, cx->api);
        resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
    } else {
        d = util_iso_space(json_int(op, "done", 0) / 1000);
        cJSON_AddStringToObject(o, "lastActionDateTime", d);
        cJSON_AddStringToObject(o, "status", "Succeeded");
        resp_json(cx->rs, 200, o);
        free(d);
    }
    free(c);
    cJSON_Delete(op);
    free(key);
}

static void
check_name(struct arm_ctx *cx)
{
    cJSON *s = arm_need_sub(cx, cx->cap[0]), *body = NULL, *o, *ne;
    const char *name, *type;

    if (!s || !(body = arm_body(cx)))
        goto out;
    name = json_str(body, "name");
    type = json_str(body, "type");
    if (!name || !type || strcasecmp(type, "Microsoft.KeyVault/vaults") != 0) {
        arm_error(cx, 400, "InvalidRequestContent",
                  "The request content was invalid: 'name' and 'type' "
                  "(Microsoft.KeyVault/vaults) are required.");
        goto out;
    }
    o = cJSON_CreateObject();
    if (!arm_vault_name_ok(name)) {
        char *m = xasprintf("The vault name '%s' is invalid. A vault's name "
                            "must be between 3-24 alphanumeric characters. "
                            "The name must begin with a letter, end with a "
                            "letter or digit, and not contain consecutive "
                            "hyphens.",
                            name);

        cJSON_AddFalseToObject(o, "nameAvailable");
        cJSON_AddStringToObject(o, "reason", "AccountNameInvalid");
        cJSON_AddStringToObject(o, "message", m);
        free(m);
    } else if ((ne = arm_vault_name_entry(cx->sim, name)) != NULL) {
        /* Azure's words for a taken and a soft-deleted name alike. */
        char *m = xasprintf(
            "The vault name '%s' is already in use. Vault names are "
            "globally unique so it is possible that the name is already "
            "taken. If you are sure that the vault name was not taken then "
            "it is possible that a vault with the same name was recently "
            "deleted but not purged after being placed in a recoverable "
            "state. If the vault is in a recoverable state then the vault "
            "will need to be explicitly purged. Please see "
            "https://aka.ms/kvsoftdelete.",
            name);

        cJSON_AddFalseToObject(o, "nameAvailable");
        cJSON_AddStringToObject(o, "reason", "AlreadyExists");
        cJSON_AddStringToObject(o, "message", m);
        free(m);
        cJSON_Delete(ne);
    } else {
        cJSON_AddTrueToObject(o, "nameAvailable");
    }
    resp_json(cx->rs, 200, o);
out:
    cJSON_Delete(s);
    cJSON_Delete(body);
}

static void
empty_list(struct arm_ctx *cx)
{
    cJSON *s = cx->ncap > 1 ? arm_need_rg(cx, cx->cap[0], cx->cap[1])
                            : arm_need_sub(cx, cx->cap[0]);

    if (s)
        resp_json(cx->rs, 200, cJSON_Parse("{\"value\":[]}"));
    cJSON_Delete(s);
}

#define ROUTE(P, M, A, T, F)                                                   \
    {                                                                          \
        .pattern = P, .methods = M, .apis = A, .type = T, .fn = F              \
    }

#define SUBKV "subscriptions/*/providers/microsoft.keyvault/"

const struct arm_route arm_deleted_routes[] = {
    ROUTE(SUBKV "deletedvaults", "GET", API_KV, "deletedVaults", deleted_list),
    ROUTE(SUBKV "locations/*/deletedvaults/*", "GET", API_KV, "deletedVaults",
          deleted_get),
    ROUTE(SUBKV "locations/*/deletedvaults/*/purge", "POST", API_KV,
          "deletedVaults", deleted_purge),
    ROUTE(SUBKV "locations/*/operationresults/*", "GET", API_KV,
          "operationResults", kv_operation),
    ROUTE(SUBKV "checknameavailability", "POST", API_KV,
          "checkNameAvailability", check_name),
    ROUTE("subscriptions/*/resourcegroups/*/providers/microsoft.keyvault/"
          "managedhsms",
          "GET", API_KV, "managedHSMs", empty_list),
    ROUTE(SUBKV "managedhsms", "GET", API_KV, "managedHSMs", empty_list),
    ROUTE(SUBKV "deletedmanagedhsms", "GET", API_KV, "deletedManagedHSMs",
          empty_list),
    {.pattern = NULL},
};
