/*
 * dp-secret.c — the Key Vault secrets API: set (a new 32-hex version),
 * get (latest, by version, trailing-slash form), list and list versions
 * (maxresults 1..25, absolute nextLink with $skiptoken, explicit null at
 * the end), update attributes, delete into the deleted state, deleted
 * list/get, recover, purge (204), backup and restore. Access policies are
 * enforced when the vault does not use RBAC.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/secmem.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/dp.h"
#include "sim/store.h"
#include "sim/util.h"

#define MAX_VALUE 25600
#define MAX_TAGS 15

enum perm { P_GET, P_LIST, P_SET, P_DELETE, P_RECOVER, P_PURGE, P_BACKUP,
            P_RESTORE };
static const char *const perm_names[] = {"get", "list", "set", "delete",
                                         "recover", "purge", "backup",
                                         "restore"};

static bool
allowed(struct dp_ctx *cx, enum perm p)
{
    const cJSON *props = cJSON_GetObjectItem(cx->vault, "properties");
    const char *oid = json_str(cx->rq->claims, "oid");
    const cJSON *pol, *s;
    char *caller;

    if (json_bool(props, "enableRbacAuthorization", false))
        return true; /* role assignments are not modelled */
    cJSON_ArrayForEach(pol, cJSON_GetObjectItem(props, "accessPolicies"))
    {
        if (!str_eq(json_str(pol, "objectId"), oid))
            continue;
        cJSON_ArrayForEach(s, cJSON_GetObjectItem(
                                  cJSON_GetObjectItem(pol, "permissions"),
                                  "secrets"))
        {
            if (cJSON_IsString(s) &&
                (strcasecmp(s->valuestring, "all") == 0 ||
                 strcasecmp(s->valuestring, perm_names[p]) == 0))
                return true;
        }
    }
    caller = xasprintf("appid=%s;oid=%s;iss=https://sts.windows.net/%s/",
                       json_str(cx->rq->claims, "appid"), oid ? oid : "",
                       cx->sim->id.tenant);
    dp_error(cx, 403, "Forbidden", "ForbiddenByPolicy",
             "The user, group or application '%s' does not have secrets %s "
             "permission on key vault '%s;location=%s'. For help resolving "
             "this issue, please see "
             "https://go.microsoft.com/fwlink/?linkid=2125287",
             caller, perm_names[p], json_str(cx->vault, "name"),
             json_str(cx->vault, "location"));
    free(caller);
    return false;
}

/* "kind|vault|name" or, with ver (may be ""), "kind|vault|name|ver". */
static char *
lower_key(const char *kind, const char *v, const char *name, const char *ver)
{
    char *k = ver ? xasprintf("%s|%s|%s|%s", kind, v, name, ver)
                  : xasprintf("%s|%s|%s", kind, v, name);
    char *l = util_lower(k);

    free(k);
    return l;
}

static void
recovery(const struct dp_ctx *cx, cJSON *attrs)
{
    const cJSON *props = cJSON_GetObjectItem(cx->vault, "properties");
    int days = (int)json_int(props, "softDeleteRetentionInDays", 90);
    bool pp = json_bool(props, "enablePurgeProtection", false);
    const char *lvl;

    if (pp)
        lvl = days == 90 ? "Recoverable" : "CustomizedRecoverable";
    else
        lvl = days == 90 ? "Recoverable+Purgeable"
                         : "CustomizedRecoverable+Purgeable";
    json_set_str(attrs, "recoveryLevel", lvl);
    json_set(attrs, "recoverableDays", cJSON_CreateNumber(days));
}

/* The "https://host" prefix of ids. */
static char *
vault_base(const struct dp_ctx *cx)
{
    return xasprintf("https://%s", cx->rq->host);
}

/* Renders a stored version as a bundle or list item. */
static cJSON *
render(struct dp_ctx *cx, const char *name, const char *ver,
       const cJSON *sv, bool with_value, bool with_version)
{
    cJSON *o = cJSON_CreateObject(), *attrs;
    char *base = vault_base(cx), *id;
    const cJSON *tags = cJSON_GetObjectItem(sv, "tags");

    if (with_value && json_str(sv, "value"))
        cJSON_AddStringToObject(o, "value", json_str(sv, "value"));
    if (json_str(sv, "contentType"))
        cJSON_AddStringToObject(o, "contentType", json_str(sv, "contentType"));
    id = with_version ? xasprintf("%s/secrets/%s/%s", base, name, ver)
                      : xasprintf("%s/secrets/%s", base, name);
    cJSON_AddStringToObject(o, "id", id);
    attrs = cJSON_Duplicate(cJSON_GetObjectItem(sv, "attributes"), true);
    if (!attrs)
        attrs = cJSON_CreateObject();
    recovery(cx, attrs);
    cJSON_AddItemToObject(o, "attributes", attrs);
    if (tags && cJSON_GetArraySize(tags) > 0)
        cJSON_AddItemToObject(o, "tags", cJSON_Duplicate(tags, true));
    free(base);
    free(id);
    return o;
}

static void
not_found(struct dp_ctx *cx, const char *name, const char *ver)
{
    dp_error(cx, 404, "SecretNotFound", NULL,
             "A secret with (name/id) %s%s%s was not found in this key "
             "vault. If you recently deleted this secret you may be able to "
             "recover it using the correct recovery command. For help "
             "resolving this issue, please see "
             "https://go.microsoft.com/fwlink/?linkid=2125182",
             name, ver ? "/" : "", ver ? ver : "");
}

static bool
name_ok(struct dp_ctx *cx, const char *name)
{
    if (util_name_ok(name, 1, 127))
        return true;
    dp_error(cx, 400, "BadParameter", NULL,
             "The request URI contains an invalid name: %s", name);
    return false;
}

/* Validates attributes/tags/contentType of a set or update body. */
static bool
body_ok(struct dp_ctx *cx, const cJSON *b)
{
    const cJSON *tags = cJSON_GetObjectItem(b, "tags");
    const cJSON *attrs = cJSON_GetObjectItem(b, "attributes");
    const cJSON *ct = cJSON_GetObjectItem(b, "contentType");
    static const char *const fields[] = {"enabled", "nbf", "exp", NULL};

    if (ct && !cJSON_IsNull(ct) && !cJSON_IsString(ct)) {
        dp_error(cx, 400, "BadParameter", NULL,
                 "Property contentType has invalid value\r\n");
        return false;
    }
    if (tags && !cJSON_IsNull(tags)) {
        const cJSON *t;

        if (!cJSON_IsObject(tags) || cJSON_GetArraySize(tags) > MAX_TAGS) {
            dp_error(cx, 400, "BadParameter", NULL,
                     "Tags must be an object of at most %d string values.",
                     MAX_TAGS);
            return false;
        }
        cJSON_ArrayForEach(t, tags) if (!cJSON_IsString(t))
        {
            dp_error(cx, 400, "BadParameter", NULL,
                     "Property tags has invalid value\r\n");
            return false;
        }
    }
    if (attrs && !cJSON_IsNull(attrs)) {
        if (!cJSON_IsObject(attrs)) {
            dp_error(cx, 400, "BadParameter", NULL,
                     "Property attributes has invalid value\r\n");
            return false;
        }
        for (size_t i = 0; fields[i]; i++) {
            const cJSON *f = cJSON_GetObjectItem(attrs, fields[i]);

            if (!f || cJSON_IsNull(f))
                continue;
            if ((i == 0 && !cJSON_IsBool(f)) || (i > 0 && !cJSON_IsNumber(f))) {
                dp_error(cx, 400, "BadParameter", NULL,
                         "Property attributes.%s has invalid value\r\n",
                         fields[i]);
                return false;
            }
        }
    }
    return true;
}

/* Applies contentType/tags/attributes from b onto the stored version. */
static void
apply(cJSON *sv, const cJSON *b, int64_t now)
{
    const cJSON *tags = cJSON_GetObjectItem(b, "tags");
    const cJSON *attrs = cJSON_GetObjectItem(b, "attributes");
    const cJSON *ct = cJSON_GetObjectItem(b, "contentType");
    cJSON *a = cJSON_GetObjectItem(sv, "attributes");
    static const char *const fields[] = {"enabled", "nbf", "exp", NULL};

    if (!a)
        a = cJSON_AddObjectToObject(sv, "attributes");
    if (ct && cJSON_IsString(ct))
        json_set_str(sv, "contentType", ct->valuestring);
    else if (ct && cJSON_IsNull(ct))
        cJSON_DeleteItemFromObject(sv, "contentType");
    if (tags && cJSON_IsObject(tags))
        json_set(sv, "tags", cJSON_Duplicate(tags, true));
    for (size_t i = 0; attrs && fields[i]; i++) {
        const cJSON *f = cJSON_GetObjectItem(attrs, fields[i]);

        if (!f)
            continue;
        if (cJSON_IsNull(f))
            cJSON_DeleteItemFromObject(a, fields[i]);
        else
            json_set(a, fields[i], cJSON_Duplicate(f, true));
    }
    json_set(a, "updated", cJSON_CreateNumber((double)now));
}

/* Fixed order of attributes as the service prints them. */
static void
order_attrs(cJSON *sv)
{
    static const char *const order[] = {"enabled", "nbf", "exp", "created",
                                        "updated", NULL};
    cJSON *a = cJSON_GetObjectItem(sv, "attributes"), *n = cJSON_CreateObject();

    for (size_t i = 0; order[i]; i++) {
        cJSON *it = cJSON_DetachItemFromObject(a, order[i]);

        if (it)
            cJSON_AddItemToObject(n, order[i], it);
    }
    json_set(sv, "attributes", n);
}

static void
secret_set(struct dp_ctx *cx, const char *name)
{
    cJSON *b = req_json(cx->rq), *sv = NULL, *head = NULL, *ds = NULL;
    const cJSON *val;
    char *hk = lower_key("sec", cx->vname, name, NULL);
    char *dk = lower_key("dsec", cx->vname, name, NULL);
    char *ver = NULL, *vk = NULL;
    int64_t now = sim_now_ms() / 1000;
    struct store_txn *t;
    char *why = NULL;

    if (!b) {
        dp_error(cx, 400, "BadParameter", NULL,
                 "The request body is not a valid JSON object.");
        goto out;
    }
    val = cJSON_GetObjectItem(b, "value");
    if (!cJSON_IsString(val)) {
        dp_error(cx, 400, "BadParameter", NULL,
                 "Property value is required and must be a string.");
        goto out;
    }
    if (strlen(val->valuestring) > MAX_VALUE) {
        dp_error(cx, 400, "BadParameter", NULL,
                 "Secret value is too large: %zu bytes. The maximum size of "
                 "a secret value is 25 KB (25600 bytes).",
                 strlen(val->valuestring));
        goto out;
    }
    if (!body_ok(cx, b))
        goto out;
    store_write_lock(cx->sim->store);
    if ((ds = store_get_json(cx->sim->store, dk))) {
        store_write_unlock(cx->sim->store);
        dp_error(cx, 409, "Conflict", "ObjectIsDeletedButRecoverable",
                 "Secret %s is currently in a deleted but recoverable state, "
                 "and its name cannot be reused; in this state, the secret "
                 "can only be recovered or purged.",
                 name);
        goto out;
    }
    head = store_get_json(cx->sim->store, hk);
    ver = util_hex(32);
    vk = lower_key("secv", cx->vname, name, ver);
    sv = cJSON_CreateObject();
    cJSON_AddStringToObject(sv, "value", val->valuestring);
    cJSON_AddObjectToObject(sv, "attributes");
    cJSON_AddBoolToObject(cJSON_GetObjectItem(sv, "attributes"), "enabled",
                          true);
    cJSON_AddNumberToObject(cJSON_GetObjectItem(sv, "attributes"), "created",
                            (double)now);
    apply(sv, b, now);
    order_attrs(sv);
    if (!head) {
        head = cJSON_CreateObject();
        cJSON_AddStringToObject(head, "name", name);
    }
    json_set_str(head, "latest", ver);
    t = store_txn_new();
    store_txn_put(t, vk, sv);
    store_txn_put(t, hk, head);
    if (store_commit(cx->sim->store, t, &why) != KV_OK) {
        store_write_unlock(cx->sim->store);
        dp_error(cx, 500, "InternalServerError", NULL, "%s", why);
        goto out;
    }
    store_write_unlock(cx->sim->store);
    resp_json(cx->rs, 200,
              render(cx, json_str(head, "name"), ver, sv, true, true));
out:
    if (b && cJSON_GetObjectItem(b, "value") &&
        cJSON_IsString(cJSON_GetObjectItem(b, "value")))
        secmem_wipe(cJSON_GetObjectItem(b, "value")->valuestring,
                    strlen(cJSON_GetObjectItem(b, "value")->valuestring));
    cJSON_Delete(b);
    cJSON_Delete(sv);
    cJSON_Delete(head);
    cJSON_Delete(ds);
    free(hk);
    free(dk);
    free(ver);
    free(vk);
    free(why);
}

/* The head (sec|) and the version to use (caller frees both). */
static bool
lookup(struct dp_ctx *cx, const char *name, const char *ver, cJSON **head,
       cJSON **sv, char **version)
{
    char *hk = lower_key("sec", cx->vname, name, NULL), *vk;

    *sv = NULL;
    *version = NULL;
    *head = store_get_json(cx->sim->store, hk);
    free(hk);
    if (!*head) {
        not_found(cx, name, ver);
        return false;
    }
    *version = xstrdup(ver && *ver ? ver : json_str(*head, "latest"));
    vk = lower_key("secv", cx->vname, name, *version);
    *sv = store_get_json(cx->sim->store, vk);
    free(vk);
    if (!*sv) {
        not_found(cx, name, ver);
        cJSON_Delete(*head);
        *head = NULL;
        free(*version);
        *version = NULL;
        return false;
    }
    return true;
}

static void
secret_get(struct dp_ctx *cx, const char *name, const char *ver)
{
    cJSON *head, *sv;
    char *version;

    if (!lookup(cx, name, ver, &head, &sv, &version))
        return;
    if (!json_bool(cJSON_GetObjectItem(sv, "attributes"), "enabled", true))
        dp_error(cx, 403, "Forbidden", "SecretDisabled",
                 "Operation get is not allowed on a disabled secret.");
    else
        resp_json(cx->rs, 200, render(cx, json_str(head, "name"), version, sv,
                                      true, true));
    cJSON_Delete(head);
    cJSON_Delete(sv);
    free(version);
}

static void
secret_update(struct dp_ctx *cx, const char *name, const char *ver)
{
    cJSON *b = req_json(cx->rq), *head = NULL, *sv = NULL;
    char *version = NULL, *vk = NULL, *why = NULL;
    struct store_txn *t;

    if (!b) {
        dp_error(cx, 400, "BadParameter", NULL,
                 "The request body is not a valid JSON object.");
        goto out;
    }
    if (!body_ok(cx, b))
        goto out;
    store_write_lock(cx->sim->store);
    if (!lookup(cx, name, ver, &head, &sv, &version)) {
        store_write_unlock(cx->sim->store);
        goto out;
    }
    apply(sv, b, sim_now_ms() / 1000);
    order_attrs(sv);
    vk = lower_key("secv", cx->vname, name, version);
    t = store_txn_new();
    store_txn_put(t, vk, sv);
    if (store_commit(cx->sim->store, t, &why) != KV_OK)
        dp_error(cx, 500, "InternalServerError", NULL, "%s", why);
    else
        resp_json(cx->rs, 200, render(cx, json_str(head, "name"), version, sv,
                                      false, true));
    store_write_unlock(cx->sim->store);
out:
    cJSON_Delete(b);
    cJSON_Delete(head);
    cJSON_Delete(sv);
    free(version);
    free(vk);
    free(why);
}

/* Adds the deleted-secret fields to a rendered bundle or item. */
static void
deleted_fields(struct dp_ctx *cx, cJSON *o, const cJSON *ds)
{
    char *base = vault_base(cx);
    char *rid = xasprintf("%s/deletedsecrets/%s", base, json_str(ds, "name"));
    cJSON *n = cJSON_CreateObject(), *it;

    cJSON_AddStringToObject(n, "recoveryId", rid);
    cJSON_AddNumberToObject(n, "deletedDate",
                            (double)json_int(ds, "deletedDate", 0));
    cJSON_AddNumberToObject(n, "scheduledPurgeDate",
                            (double)json_int(ds, "scheduledPurgeDate", 0));
    while ((it = cJSON_DetachItemViaPointer(o, o->child)) != NULL)
        cJSON_AddItemToObject(n, it->string, it);
    /* Move n's members into o, keeping the service's order. */
    while ((it = cJSON_DetachItemViaPointer(n, n->child)) != NULL)
        cJSON_AddItemToObject(o, it->string, it);
    cJSON_Delete(n);
    free(base);
    free(rid);
}

static void
secret_delete(struct dp_ctx *cx, const char *name)
{
    cJSON *head = NULL, *sv = NULL, *ds, *o;
    char *version = NULL, *hk, *dk, *why = NULL;
    const cJSON *props = cJSON_GetObjectItem(cx->vault, "properties");
    int days = (int)json_int(props, "softDeleteRetentionInDays", 90);
    int64_t now = sim_now_ms() / 1000;
    struct store_txn *t;

    store_write_lock(cx->sim->store);
    if (!lookup(cx, name, NULL, &head, &sv, &version)) {
        store_write_unlock(cx->sim->store);
        return;
    }
    hk = lower_key("sec", cx->vname, name, NULL);
    dk = lower_key("dsec", cx->vname, name, NULL);
    ds = cJSON_Duplicate(head, true);
    cJSON_AddNumberToObject(ds, "deletedDate", (double)now);
    cJSON_AddNumberToObject(ds, "scheduledPurgeDate",
                            (double)(now + (int64_t)days * 86400));
    t = store_txn_new();
    store_txn_del(t, hk);
    store_txn_put(t, dk, ds);
    if (store_commit(cx->sim->store, t, &why) != KV_OK) {
        dp_error(cx, 500, "InternalServerError", NULL, "%s", why);
    } else {
        o = render(cx, json_str(head, "name"), version, sv, false, true);
        deleted_fields(cx, o, ds);
        resp_json(cx->rs, 200, o);
    }
    store_write_unlock(cx->sim->store);
    cJSON_Delete(head);
    cJSON_Delete(sv);
    cJSON_Delete(ds);
    free(version);
    free(hk);
    free(dk);
    free(why);
}

/* One page of a data-plane list; item renders an entry (NULL skips). */
typedef cJSON *(*dp_item_fn)(struct dp_ctx *cx, const struct store_kv *kv,
                             void *ud);

static void
page(struct dp_ctx *cx, const char *prefix, dp_item_fn item, void *ud)
{
    const char *mr = req_query(cx->rq, "maxresults");
    const char *tok = req_query(cx->rq, "$skiptoken");
    long max = 25;
    unsigned char *after = NULL;
    size_t alen = 0;
    struct vec kvs = VEC_INIT;
    bool more = false;
    cJSON *root, *arr;

    if (mr) {
        char *end;

        max = strtol(mr, &end, 10);
        if (*end || max < 1 || max > 25) {
            dp_error(cx, 400, "BadParameter", NULL,
                     "Invalid value for maxresults: %s. The value must be "
                     "between 1 and 25.",
                     mr);
            return;
        }
    }
    if (tok && *tok &&
        (!str_base64_decode(tok, strlen(tok), &after, &alen) ||
         strncmp((char *)after, prefix, strlen(prefix)) != 0)) {
        free(after);
        dp_error(cx, 400, "BadParameter", NULL, "Invalid skip token.");
        return;
    }
    store_scan(cx->sim->store, prefix, (char *)after, (size_t)max, NULL, NULL,
               &kvs, &more);
    root = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(root, "value");
    for (size_t i = 0; i < kvs.len; i++) {
        cJSON *it = item(cx, kvs.items[i], ud);

        if (it)
            cJSON_AddItemToArray(arr, it);
    }
    if (more && kvs.len &&
        !(atomic_load(&cx->sim->deviations) & SIM_DEV_NO_NEXTLINK)) {
        struct store_kv *last = kvs.items[kvs.len - 1];
        char *t64 = str_base64url(last->key, strlen(last->key));
        bool port = strchr(cx->rq->host, ':') != NULL;
        char *next = xasprintf("https://%s%s%s?api-version=%s&$skiptoken=%s%s%s",
                               cx->rq->host, port ? "" : ":443",
                               cx->rq->path, cx->api, t64,
                               mr ? "&maxresults=" : "", mr ? mr : "");

        cJSON_AddStringToObject(root, "nextLink", next);
        free(t64);
        free(next);
    } else {
        cJSON_AddNullToObject(root, "nextLink");
    }
    resp_json(cx->rs, 200, root);
    vec_free_all(&kvs, store_kv_free);
    free(after);
}

/* sec| entry -> list item (latest version's attributes). */
static cJSON *
item_secret(struct dp_ctx *cx, const struct store_kv *kv, void *ud)
{
    cJSON *head = cJSON_Parse(kv->val), *sv, *o = NULL;
    char *vk;

    if (!head)
        return NULL;
    vk = lower_key("secv", cx->vname, json_str(head, "name"),
                   json_str(head, "latest"));
    sv = store_get_json(cx->sim->store, vk);
    if (sv)
        o = render(cx, json_str(head, "name"), NULL, sv, false, false);
    cJSON_Delete(sv);
    cJSON_Delete(head);
    free(vk);
    return o;
}

static cJSON *
item_version(struct dp_ctx *cx, const struct store_kv *kv, void *ud)
{
    const char *name = ud;
    const char *ver = strrchr(kv->key, '|') + 1;
    cJSON *sv = cJSON_Parse(kv->val), *o;

    if (!sv)
        return NULL;
    o = render(cx, name, ver, sv, false, true);
    cJSON_Delete(sv);
    return o;
}

static cJSON *
item_deleted(struct dp_ctx *cx, const struct store_kv *kv, void *ud)
{
    cJSON *ds = cJSON_Parse(kv->val), *sv, *o = NULL;
    char *vk;

    if (!ds)
        return NULL;
    vk = lower_key("secv", cx->vname, json_str(ds, "name"),
                   json_str(ds, "latest"));
    sv = store_get_json(cx->sim->store, vk);
    if (sv) {
        o = render(cx, json_str(ds, "name"), NULL, sv, false, false);
        deleted_fields(cx, o, ds);
    }
    cJSON_Delete(sv);
    cJSON_Delete(ds);
    free(vk);
    return o;
}

static void
secret_versions(struct dp_ctx *cx, const char *name)
{
    char *hk = lower_key("sec", cx->vname, name, NULL);
    char *prefix = lower_key("secv", cx->vname, name, "");
    cJSON *head = store_get_json(cx->sim->store, hk);

    if (!head)
        not_found(cx, name, NULL);
    else
        page(cx, prefix, item_version, (void *)json_str(head, "name"));
    cJSON_Delete(head);
    free(hk);
    free(prefix);
}

static void
deleted_get(struct dp_ctx *cx, const char *name)
{
    char *dk = lower_key("dsec", cx->vname, name, NULL);
    struct store_kv kv = {.key = dk, .val = store_get(cx->sim->store, dk)};
    cJSON *o = kv.val ? item_deleted(cx, &kv, NULL) : NULL;

    if (o) {
        /* The bundle carries the version id. */
        cJSON *ds = cJSON_Parse(kv.val);
        char *base = vault_base(cx);
        char *id = xasprintf("%s/secrets/%s/%s", base, json_str(ds, "name"),
                             json_str(ds, "latest"));

        json_set_str(o, "id", id);
        resp_json(cx->rs, 200, o);
        cJSON_Delete(ds);
        free(base);
        free(id);
    } else {
        dp_error(cx, 404, "SecretNotFound", NULL,
                 "Deleted Secret not found: %s", name);
    }
    free(kv.val);
    free(dk);
}

static void
deleted_purge(struct dp_ctx *cx, const char *name)
{
    char *dk = lower_key("dsec", cx->vname, name, NULL);
    char *vp = lower_key("secv", cx->vname, name, "");
    char *why = NULL, *ds;
    struct store_txn *t;

    if (json_bool(cJSON_GetObjectItem(cx->vault, "properties"),
                  "enablePurgeProtection", false)) {
        dp_error(cx, 403, "Forbidden", "ForbiddenByPolicy",
                 "Operation \"purge\" is not allowed because purge protection "
                 "is enabled for this vault. Key Vault service will "
                 "automatically purge it after the retention period has "
                 "passed.");
        goto out;
    }
    store_write_lock(cx->sim->store);
    ds = store_get(cx->sim->store, dk);
    if (!ds) {
        dp_error(cx, 404, "SecretNotFound", NULL,
                 "Deleted Secret not found: %s", name);
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
    free(ds);
out:
    free(dk);
    free(vp);
    free(why);
}

static void
deleted_recover(struct dp_ctx *cx, const char *name)
{
    char *dk = lower_key("dsec", cx->vname, name, NULL);
    char *hk = lower_key("sec", cx->vname, name, NULL);
    cJSON *ds, *head, *sv = NULL;
    char *why = NULL, *vk = NULL;
    struct store_txn *t;

    store_write_lock(cx->sim->store);
    ds = store_get_json(cx->sim->store, dk);
    if (!ds) {
        dp_error(cx, 404, "SecretNotFound", NULL,
                 "Deleted Secret not found: %s", name);
        goto out;
    }
    head = cJSON_CreateObject();
    cJSON_AddStringToObject(head, "name", json_str(ds, "name"));
    cJSON_AddStringToObject(head, "latest", json_str(ds, "latest"));
    vk = lower_key("secv", cx->vname, name, json_str(ds, "latest"));
    sv = store_get_json(cx->sim->store, vk);
    t = store_txn_new();
    store_txn_del(t, dk);
    store_txn_put(t, hk, head);
    if (store_commit(cx->sim->store, t, &why) != KV_OK)
        dp_error(cx, 500, "InternalServerError", NULL, "%s", why);
    else if (sv)
        resp_json(cx->rs, 200, render(cx, json_str(head, "name"),
                                      json_str(head, "latest"), sv, false,
                                      true));
    else
        not_found(cx, name, NULL);
    cJSON_Delete(head);
out:
    store_write_unlock(cx->sim->store);
    cJSON_Delete(ds);
    cJSON_Delete(sv);
    free(dk);
    free(hk);
    free(vk);
    free(why);
}

#define BACKUP_MAGIC "KVSIM-SECRET-BACKUP-1."

static void
secret_backup(struct dp_ctx *cx, const char *name)
{
    char *hk = lower_key("sec", cx->vname, name, NULL);
    char *prefix = lower_key("secv", cx->vname, name, "");
    cJSON *head = store_get_json(cx->sim->store, hk), *blob, *vers, *o;
    struct vec kvs = VEC_INIT;
    char *json, *b64, *val;

    if (!head) {
        not_found(cx, name, NULL);
        goto out;
    }
    store_scan(cx->sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    blob = cJSON_CreateObject();
    cJSON_AddItemToObject(blob, "head", cJSON_Duplicate(head, true));
    vers = cJSON_AddObjectToObject(blob, "versions");
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];

        cJSON_AddItemToObject(vers, strrchr(kv->key, '|') + 1,
                              cJSON_Parse(kv->val));
    }
    json = json_print(blob);
    b64 = str_base64url(json, strlen(json));
    val = xasprintf("%s%s", BACKUP_MAGIC, b64);
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "value", val);
    resp_json(cx->rs, 200, o);
    cJSON_Delete(blob);
    secmem_wipe(json, strlen(json));
    free(json);
    free(b64);
    free(val);
    vec_free_all(&kvs, store_kv_free);
out:
    cJSON_Delete(head);
    free(hk);
    free(prefix);
}

static void
secret_restore(struct dp_ctx *cx)
{
    cJSON *b = req_json(cx->rq), *blob = NULL, *head, *v;
    const char *val = json_str(b, "value");
    unsigned char *raw = NULL;
    size_t len = 0;
    char *hk = NULL, *dk = NULL, *why = NULL, *old = NULL, *dold = NULL;
    const char *name;
    struct store_txn *t;

    if (!val || !str_starts(val, BACKUP_MAGIC) ||
        !str_base64_decode(val + strlen(BACKUP_MAGIC),
                           strlen(val + strlen(BACKUP_MAGIC)), &raw, &len) ||
        !(blob = json_parse_object((char *)raw, len)) ||
        !(head = cJSON_GetObjectItem(blob, "head")) ||
        !(name = json_str(head, "name"))) {
        dp_error(cx, 400, "BadParameter", NULL,
                 "Backup blob contains invalid or corrupt version.");
        goto out;
    }
    hk = lower_key("sec", cx->vname, name, NULL);
    dk = lower_key("dsec", cx->vname, name, NULL);
    store_write_lock(cx->sim->store);
    if ((old = store_get(cx->sim->store, hk)) ||
        (dold = store_get(cx->sim->store, dk))) {
        dp_error(cx, 409, "Conflict", NULL,
                 "Secret %s already exists in this vault.", name);
    } else {
        t = store_txn_new();
        store_txn_put(t, hk, head);
        cJSON_ArrayForEach(v, cJSON_GetObjectItem(blob, "versions"))
        {
            char *vk = lower_key("secv", cx->vname, name, v->string);

            store_txn_put(t, vk, v);
            free(vk);
        }
        if (store_commit(cx->sim->store, t, &why) != KV_OK)
            dp_error(cx, 500, "InternalServerError", NULL, "%s", why);
        else
            resp_json(cx->rs, 200,
                      render(cx, name, json_str(head, "latest"),
                             cJSON_GetObjectItem(
                                 cJSON_GetObjectItem(blob, "versions"),
                                 json_str(head, "latest")),
                             false, true));
    }
    store_write_unlock(cx->sim->store);
out:
    cJSON_Delete(b);
    cJSON_Delete(blob);
    free(raw);
    free(hk);
    free(dk);
    free(old);
    free(dold);
    free(why);
}

void
dp_secrets(struct dp_ctx *cx, char **seg, int n)
{
    const char *m = cx->rq->method;
    bool deleted = strcasecmp(seg[0], "deletedsecrets") == 0;
    bool trailing = str_ends(cx->rq->path, "/");
    const char *name = n >= 2 ? seg[1] : NULL;

    if (name && strcasecmp(name, "restore") == 0 && !deleted && n == 2 &&
        strcmp(m, "POST") == 0) {
        if (allowed(cx, P_RESTORE))
            secret_restore(cx);
        return;
    }
    if (name && !name_ok(cx, name))
        return;
    if (!deleted) {
        if (n == 1 && strcmp(m, "GET") == 0) {
            if (allowed(cx, P_LIST)) {
                char *p = lower_key("sec", cx->vname, "", NULL);

                page(cx, p, item_secret, NULL);
                free(p);
            }
        } else if (n == 3 && strcasecmp(seg[2], "versions") == 0 &&
                   strcmp(m, "GET") == 0) {
            if (allowed(cx, P_LIST))
                secret_versions(cx, name);
        } else if (n == 3 && strcasecmp(seg[2], "backup") == 0 &&
                   strcmp(m, "POST") == 0) {
            if (allowed(cx, P_BACKUP))
                secret_backup(cx, name);
        } else if ((n == 2 || n == 3) && strcmp(m, "GET") == 0) {
            if (allowed(cx, P_GET))
                secret_get(cx, name, n == 3 ? seg[2] : NULL);
        } else if (n == 2 && !trailing && strcmp(m, "PUT") == 0) {
            if (allowed(cx, P_SET))
                secret_set(cx, name);
        } else if ((n == 2 || n == 3) && strcmp(m, "PATCH") == 0) {
            if (allowed(cx, P_SET))
                secret_update(cx, name, n == 3 ? seg[2] : NULL);
        } else if (n == 2 && strcmp(m, "DELETE") == 0) {
            if (allowed(cx, P_DELETE))
                secret_delete(cx, name);
        } else {
            dp_error(cx, 405, "MethodNotAllowed", NULL,
                     "The method %s is not allowed on %s.", m, cx->rq->path);
        }
        return;
    }
    if (n == 1 && strcmp(m, "GET") == 0) {
        if (allowed(cx, P_LIST)) {
            char *p = lower_key("dsec", cx->vname, "", NULL);

            page(cx, p, item_deleted, NULL);
            free(p);
        }
    } else if (n == 2 && strcmp(m, "GET") == 0) {
        if (allowed(cx, P_LIST))
            deleted_get(cx, name);
    } else if (n == 2 && strcmp(m, "DELETE") == 0) {
        if (allowed(cx, P_PURGE))
            deleted_purge(cx, name);
    } else if (n == 3 && strcasecmp(seg[2], "recover") == 0 &&
               strcmp(m, "POST") == 0) {
        if (allowed(cx, P_RECOVER))
            deleted_recover(cx, name);
    } else {
        dp_error(cx, 405, "MethodNotAllowed", NULL,
                 "The method %s is not allowed on %s.", m, cx->rq->path);
    }
}
