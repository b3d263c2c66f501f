/*
 * dp-secret-deleted.c — the soft-delete life cycle of Key Vault secrets:
 * delete (the DeletedSecretBundle with recoveryId and dates), the deleted
 * list and get, recover and purge (204).
 *
 * Deletion and recovery are eventually consistent in Key Vault: right
 * after a delete, GET /deletedsecrets/{name} answers 404 and the deleted
 * list leaves the secret out for a while (the SDK delete pollers wait for
 * it), recover answers 404 and purge 409 "currently being deleted"; right
 * after a recover, the secret answers 404 until it is back (the recover
 * pollers wait for that). With --soft-delete-delay (soft_delete_delay_ms)
 * above 0 these windows last that long; by default they are closed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "sim/dp-secret.h"
#include "sim/store.h"
#include "sim/util.h"

/* Moves the deleted-secret fields (recoveryId, deletedDate,
 * scheduledPurgeDate) to the front of a rendered bundle or item, where
 * the service prints them. */
static void
deleted_fields(struct dp_ctx *cx, cJSON *o, const cJSON *ds)
{
    char *rid = xasprintf("https://%s/deletedsecrets/%s", cx->rq->host,
                          json_str(ds, "name"));
    cJSON *n = cJSON_CreateObject(), *it;

    cJSON_AddStringToObject(n, "recoveryId", rid);
    cJSON_AddNumberToObject(n, "deletedDate",
                            (double)json_int(ds, "deletedDate", 0));
    cJSON_AddNumberToObject(n, "scheduledPurgeDate",
                            (double)json_int(ds, "scheduledPurgeDate", 0));
    while ((it = cJSON_DetachItemViaPointer(o, o->child)) != NULL)
        cJSON_AddItemToObject(n, it->string, it);
    while ((it = cJSON_DetachItemViaPointer(n, n->child)) != NULL)
        cJSON_AddItemToObject(o, it->string, it);
    cJSON_Delete(n);
    free(rid);
}

static void
deleted_not_found(struct dp_ctx *cx, const char *name)
{
    dp_error(cx, 404, "SecretNotFound", NULL, "Deleted Secret not found: %s",
             name);
}

/* The visibility time for a document written now (0: no window). */
static int64_t
visible_at(const struct dp_ctx *cx)
{
    int d = atomic_load(&cx->sim->soft_delete_delay_ms);

    return d > 0 ? sim_now_ms() + d : 0;
}

void
dp_secret_delete(struct dp_ctx *cx, const char *name)
{
    const cJSON *props = cJSON_GetObjectItem(cx->vault, "properties");
    int days = (int)json_int(props, "softDeleteRetentionInDays", 90);
    int64_t now = sim_now_ms() / 1000, vis = visible_at(cx);
    char *hk = dp_secret_key("sec", cx->vname, name, NULL);
    char *dk = dp_secret_key("dsec", cx->vname, name, NULL);
    char *vk = NULL, *why = NULL;
    cJSON *head, *sv = NULL, *ds = NULL, *o;
    struct store_txn *t;

    store_write_lock(cx->sim->store);
    head = store_get_json(cx->sim->store, hk);
    if (head && dp_secret_visible(head)) {
        vk = dp_secret_key("secv", cx->vname, name, json_str(head, "latest"));
        sv = store_get_json(cx->sim->store, vk);
    }
    if (!sv) {
        dp_secret_not_found(cx, name, NULL);
        goto out;
    }
    ds = cJSON_CreateObject();
    cJSON_AddStringToObject(ds, "name", json_str(head, "name"));
    cJSON_AddStringToObject(ds, "latest", json_str(head, "latest"));
    cJSON_AddNumberToObject(ds, "deletedDate", (double)now);
    cJSON_AddNumberToObject(ds, "scheduledPurgeDate",
                            (double)(now + (int64_t)days * 86400));
    if (vis)
        cJSON_AddNumberToObject(ds, "_visibleAt", (double)vis);
    t = store_txn_new();
    store_txn_del(t, hk);
    store_txn_put(t, dk, ds);
    if (store_commit(cx->sim->store, t, &why) != KV_OK) {
        dp_error(cx, 500, "InternalServerError", NULL, "%s", why);
        goto out;
    }
    o = dp_secret_render(cx, json_str(head, "name"), json_str(head, "latest"),
                         sv, false, true);
    deleted_fields(cx, o, ds);
    resp_json(cx->rs, 200, o);
out:
    store_write_unlock(cx->sim->store);
    cJSON_Delete(head);
    cJSON_Delete(sv);
    cJSON_Delete(ds);
    free(hk);
    free(dk);
    free(vk);
    free(why);
}

/* A dsec| entry as a DeletedSecretItem (or, with_version, the bundle's
 * versioned id); NULL while it is not visible yet. */
static cJSON *
render_deleted(struct dp_ctx *cx, const cJSON *ds, bool with_version)
{
    char *vk;
    cJSON *sv, *o = NULL;

    if (!dp_secret_visible(ds))
        return NULL;
    vk = dp_secret_key("secv", cx->vname, json_str(ds, "name"),
                       json_str(ds, "latest"));
    sv = store_get_json(cx->sim->store, vk);
    if (sv) {
        o = dp_secret_render(cx, json_str(ds, "name"), json_str(ds, "latest"),
                             sv, false, with_version);
        deleted_fields(cx, o, ds);
    }
    cJSON_Delete(sv);
    free(vk);
    return o;
}

static cJSON *
item_deleted(struct dp_ctx *cx, const struct store_kv *kv, void *ud)
{
    cJSON *ds = cJSON_Parse(kv->val), *o;

    (void)ud;
    o = ds ? render_deleted(cx, ds, false) : NULL;
    cJSON_Delete(ds);
    return o;
}

static void
deleted_get(struct dp_ctx *cx, const char *name)
{
    char *dk = dp_secret_key("dsec", cx->vname, name, NULL);
    cJSON *ds = store_get_json(cx->sim->store, dk);
    cJSON *o = ds ? render_deleted(cx, ds, true) : NULL;

    if (o)
        resp_json(cx->rs, 200, o);
    else
        deleted_not_found(cx, name);
    cJSON_Delete(ds);
    free(dk);
}

static void
deleted_purge(struct dp_ctx *cx, const char *name)
{
    char *dk = dp_secret_key("dsec", cx->vname, name, NULL);
    char *vp = dp_secret_key("secv", cx->vname, name, "");
    char *why = NULL;
    cJSON *ds;
    struct store_txn *t;

    if (json_bool(cJSON_GetObjectItem(cx->vault, "properties"),
                  "enablePurgeProtection", false)) {
        dp_error(cx, 403, "Forbidden", NULL,
                 "Operation \"purge\" is not allowed because purge protection "
                 "is enabled for this vault. Key Vault service will "
                 "automatically purge it after the retention period has "
                 "passed.\r\nVault: %s;location=%s",
                 json_str(cx->vault, "name"), json_str(cx->vault, "location"));
        goto out;
    }
    store_write_lock(cx->sim->store);
    ds = store_get_json(cx->sim->store, dk);
    if (!ds) {
        deleted_not_found(cx, name);
    } else if (!dp_secret_visible(ds)) {
        dp_error(cx, 409, "Conflict", "ObjectIsBeingDeleted",
                 "Secret is currently being deleted.");
    } else {
        t = store_txn_new();
        store_txn_del(t, dk);
        store_txn_del_prefix(t, vp);
        if (store_commit(cx->sim->store, t, &why) != KV_OK)
            dp_error(cx, 500, "InternalServerError", NULL, "%s", why);
        else
            resp_json(cx->rs, 204, NULL);
    }
    store_write_unlock(cx->sim->store);
    cJSON_Delete(ds);
out:
    free(dk);
    free(vp);
    free(why);
}

static void
deleted_recover(struct dp_ctx *cx, const char *name)
{
    char *dk = dp_secret_key("dsec", cx->vname, name, NULL);
    char *hk = dp_secret_key("sec", cx->vname, name, NULL);
    char *vk = NULL, *why = NULL;
    int64_t vis = visible_at(cx);
    cJSON *ds, *head = NULL, *sv = NULL;
    struct store_txn *t;

    store_write_lock(cx->sim->store);
    ds = store_get_json(cx->sim->store, dk);
    if (ds && dp_secret_visible(ds)) {
        vk = dp_secret_key("secv", cx->vname, name, json_str(ds, "latest"));
        sv = store_get_json(cx->sim->store, vk);
    }
    if (!sv) {
        deleted_not_found(cx, name);
        goto out;
    }
    head = cJSON_CreateObject();
    cJSON_AddStringToObject(head, "name", json_str(ds, "name"));
    cJSON_AddStringToObject(head, "latest", json_str(ds, "latest"));
    if (vis)
        cJSON_AddNumberToObject(head, "_visibleAt", (double)vis);
    t = store_txn_new();
    store_txn_del(t, dk);
    store_txn_put(t, hk, head);
    if (store_commit(cx->sim->store, t, &why) != KV_OK)
        dp_error(cx, 500, "InternalServerError", NULL, "%s", why);
    else
        resp_json(cx->rs, 200,
                  dp_secret_render(cx, json_str(head, "name"),
                                   json_str(head, "latest"), sv, false, true));
out:
    store_write_unlock(cx->sim->store);
    cJSON_Delete(ds);
    cJSON_Delete(head);
    cJSON_Delete(sv);
    free(dk);
    free(hk);
    free(vk);
    free(why);
}

void
dp_secret_deleted(struct dp_ctx *cx, char **seg, int n)
{
    const char *m = cx->rq->method;
    const char *name = n >= 2 ? seg[1] : NULL;

    if (n == 1 && strcmp(m, "GET") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_LIST)) {
            char *p = dp_secret_key("dsec", cx->vname, "", NULL);

            dp_page(cx, p, item_deleted, NULL);
            free(p);
        }
    } else if (n == 2 && strcmp(m, "GET") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_GET))
            deleted_get(cx, name);
    } else if (n == 2 && strcmp(m, "DELETE") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_PURGE))
            deleted_purge(cx, name);
    } else if (n == 3 && strcasecmp(seg[2], "recover") == 0 &&
               strcmp(m, "POST") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_RECOVER))
            deleted_recover(cx, name);
    } else {
        dp_error(cx, 405, "MethodNotAllowed", NULL,
                 "The method %s is not allowed on %s.", m, cx->rq->path);
    }
}
