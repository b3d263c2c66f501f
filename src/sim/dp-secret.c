/*
 * dp-secret.c — the Key Vault secrets API for live secrets: set (a new
 * 32-hex version), get (latest, by version, trailing-slash form), list
 * and list versions (paged by dp_page), update a version's attributes
 * (PATCH; no value in the answer, tags replaced whole, attributes
 * merged), and the dispatch of every /secrets and /deletedsecrets
 * request with the permission each needs. Access policies are enforced
 * when the vault does not use RBAC; with enableRbacAuthorization the
 * caller's role assignments decide (rbac.h), each permission being a
 * data action (getSecret/action, setSecret/action, update/action for
 * PATCH, readMetadata/action for lists, delete, ...) at the secret's
 * scope (the vault's for lists and restore).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/secmem.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/dp-secret.h"
#include "sim/fault.h"
#include "sim/rbac.h"
#include "sim/store.h"
#include "sim/util.h"

/* Limits of a secret (Key Vault service limits). */
#define MAX_VALUE     25600
#define MAX_TAGS      15
#define MAX_TAG_NAME  512
#define MAX_TAG_VALUE 256

static const char *const perm_names[] = {
    [DP_PERM_GET] = "get",         [DP_PERM_LIST] = "list",
    [DP_PERM_SET] = "set",         [DP_PERM_DELETE] = "delete",
    [DP_PERM_RECOVER] = "recover", [DP_PERM_PURGE] = "purge",
    [DP_PERM_BACKUP] = "backup",   [DP_PERM_RESTORE] = "restore",
};

/* The data action of p on a secret (Key Vault's RBAC names). */
static const char *const rbac_actions[] = {
    [DP_PERM_GET] = "getSecret/action",
    [DP_PERM_LIST] = "readMetadata/action",
    [DP_PERM_SET] = "setSecret/action",
    [DP_PERM_DELETE] = "delete",
    [DP_PERM_RECOVER] = "recover/action",
    [DP_PERM_PURGE] = "purge/action",
    [DP_PERM_BACKUP] = "backup/action",
    [DP_PERM_RESTORE] = "restore/action",
};

/* The secret a request names (/secrets/N..., /deletedsecrets/N...), or
 * NULL for the vault-wide ones (lists, restore). Caller frees. */
static char *
secret_of(const struct dp_ctx *cx, enum dp_perm p)
{
    const char *s = cx->rq->path, *e;

    while (*s == '/')
        s++;
    s = strchr(s, '/');
    if (!s || p == DP_PERM_RESTORE)
        return NULL;
    s++;
    e = strchr(s, '/');
    if (p == DP_PERM_LIST && !e)
        return NULL;
    return *s ? xstrndup(s, e ? (size_t)(e - s) : strlen(s)) : NULL;
}

/* Azure RBAC: a role assignment at the secret, the vault or above that
 * has taken effect; else 403 ForbiddenByRbac as Key Vault words it. */
static bool
rbac_ok(struct dp_ctx *cx, enum dp_perm p)
{
    const char *oid = json_str(cx->rq->claims, "oid");
    char *name = secret_of(cx, p), *resource, *action, *lower;
    bool ok;

    if (p == DP_PERM_SET && strcmp(cx->rq->method, "PATCH") == 0)
        action = xstrdup("Microsoft.KeyVault/vaults/secrets/update/action");
    else if (p == DP_PERM_GET && str_istarts(cx->rq->path, "/deletedsecrets"))
        /* a deleted secret shows no value: its metadata */
        action =
            xstrdup("Microsoft.KeyVault/vaults/secrets/readMetadata/action");
    else
        action =
            xasprintf("Microsoft.KeyVault/vaults/secrets/%s", rbac_actions[p]);
    resource = name
                   ? xasprintf("%s/secrets/%s", json_str(cx->vault, "id"), name)
                   : xstrdup(json_str(cx->vault, "id"));
    ok = rbac_allowed(cx->sim, oid, resource, action, true);
    if (!ok) {
        lower = util_lower(resource);
        dp_error(cx, 403, "Forbidden", "ForbiddenByRbac",
                 "Caller is not authorized to perform action on "
                 "resource.\r\nIf role assignments, deny assignments or "
                 "role definitions were changed recently, please observe "
                 "propagation time.\r\nCaller: "
                 "appid=%s;oid=%s;iss=https://sts.windows.net/%s/\r\n"
                 "Action: '%s'\r\nResource: '%s'\r\nAssignment: (not "
                 "found)\r\nDenyAssignmentId: null\r\nDecisionReason: "
                 "'DeniedWithNoValidRBAC' \r\nVault: %s;location=%s\r\n",
                 json_str(cx->rq->claims, "appid"), oid ? oid : "",
                 json_str(cx->rq->claims, "tid")
                     ? json_str(cx->rq->claims, "tid")
                     : cx->sim->id.tenant,
                 action, lower, json_str(cx->vault, "name"),
                 json_str(cx->vault, "location"));
        free(lower);
    }
    free(action);
    free(resource);
    free(name);
    return ok;
}

bool
dp_secret_allowed(struct dp_ctx *cx, enum dp_perm p)
{
    const cJSON *props = cJSON_GetObjectItem(cx->vault, "properties");
    const char *oid = json_str(cx->rq->claims, "oid");
    const cJSON *pol, *s;
    char *caller;

    if (json_bool(props, "enableRbacAuthorization", false))
        return rbac_ok(cx, p);
    cJSON_ArrayForEach(pol, cJSON_GetObjectItem(props, "accessPolicies"))
    {
        if (!str_eq(json_str(pol, "objectId"), oid))
            continue;
        cJSON_ArrayForEach(
            s, cJSON_GetObjectItem(cJSON_GetObjectItem(pol, "permissions"),
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
    dp_error(cx, 403, "Forbidden", "AccessDenied",
             "The user, group or application '%s' does not have secrets %s "
             "permission on key vault '%s;location=%s'. For help resolving "
             "this issue, please see "
             "https://go.microsoft.com/fwlink/?linkid=2125287",
             caller, perm_names[p], json_str(cx->vault, "name"),
             json_str(cx->vault, "location"));
    free(caller);
    return false;
}

char *
dp_secret_key(const char *kind, const char *v, const char *name,
              const char *ver)
{
    char *k = ver ? xasprintf("%s|%s|%s|%s", kind, v, name, ver)
                  : xasprintf("%s|%s|%s", kind, v, name);
    char *l = util_lower(k);

    free(k);
    return l;
}

bool
dp_secret_visible(const cJSON *doc)
{
    return json_int(doc, "_visibleAt", 0) <= sim_now_ms();
}

/* recoveryLevel and recoverableDays from the vault's soft-delete
 * settings. */
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

cJSON *
dp_secret_render(struct dp_ctx *cx, const char *name, const char *ver,
                 const cJSON *sv, bool with_value, bool with_version)
{
    cJSON *o = cJSON_CreateObject(), *attrs;
    const cJSON *tags = cJSON_GetObjectItem(sv, "tags");
    char *id;

    if (with_value && json_str(sv, "value"))
        cJSON_AddStringToObject(o, "value", json_str(sv, "value"));
    if (json_str(sv, "contentType"))
        cJSON_AddStringToObject(o, "contentType", json_str(sv, "contentType"));
    id = with_version
             ? xasprintf("https://%s/secrets/%s/%s", cx->rq->host, name, ver)
             : xasprintf("https://%s/secrets/%s", cx->rq->host, name);
    cJSON_AddStringToObject(o, "id", id);
    attrs = cJSON_Duplicate(cJSON_GetObjectItem(sv, "attributes"), true);
    if (!attrs)
        attrs = cJSON_CreateObject();
    recovery(cx, attrs);
    cJSON_AddItemToObject(o, "attributes", attrs);
    if (tags && cJSON_GetArraySize(tags) > 0)
        cJSON_AddItemToObject(o, "tags", cJSON_Duplicate(tags, true));
    free(id);
    return o;
}

void
dp_secret_not_found(struct dp_ctx *cx, const char *name, const char *ver)
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

/* Length in UTF-16 code units, as the service counts characters. */
static size_t
utf16_len(const char *s)
{
    size_t n = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xc0) != 0x80)
            n++;
        if (*p >= 0xf0)
            n++; /* outside the BMP: a surrogate pair */
    }
    return n;
}

/* Tags: at most MAX_TAGS string values, names and values within their
 * lengths. The service names no property for these failures. */
static bool
tags_ok(struct dp_ctx *cx, const cJSON *tags)
{
    const cJSON *t;

    if (!cJSON_IsObject(tags)) {
        dp_error(cx, 400, "BadParameter", NULL,
                 "Property tags has invalid value\r\n");
        return false;
    }
    cJSON_ArrayForEach(t, tags)
    {
        if (!cJSON_IsString(t)) {
            dp_error(cx, 400, "BadParameter", NULL,
                     "Property tags has invalid value\r\n");
            return false;
        }
        if (utf16_len(t->string) > MAX_TAG_NAME ||
            utf16_len(t->valuestring) > MAX_TAG_VALUE)
            break;
    }
    if (t || cJSON_GetArraySize(tags) > MAX_TAGS) {
        dp_error(cx, 400, "BadParameter", NULL,
                 "Property has invalid value\r\n");
        return false;
    }
    return true;
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
    if (tags && !cJSON_IsNull(tags) && !tags_ok(cx, tags))
        return false;
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

/* Applies contentType/tags/attributes from b onto the stored version:
 * tags given replace the old ones whole, attributes given are merged
 * (null removes one), and updated becomes now. */
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
    static const char *const order[] = {"enabled", "nbf",     "exp",
                                        "created", "updated", NULL};
    cJSON *a = cJSON_GetObjectItem(sv, "attributes"), *n = cJSON_CreateObject();

    for (size_t i = 0; order[i]; i++) {
        cJSON *it = cJSON_DetachItemFromObject(a, order[i]);

        if (it)
            cJSON_AddItemToObject(n, order[i], it);
    }
    json_set(sv, "attributes", n);
}

/* The set body's value, or an answered 400 and NULL. */
static const char *
set_value(struct dp_ctx *cx, const cJSON *b)
{
    const cJSON *val = cJSON_GetObjectItem(b, "value");

    if (!b) {
        dp_error(cx, 400, "BadParameter", NULL,
                 "The request body is not a valid JSON object.");
        return NULL;
    }
    if (!cJSON_IsString(val)) {
        dp_error(cx, 400, "BadParameter", NULL,
                 "Property value is required and must be a string.");
        return NULL;
    }
    if (utf16_len(val->valuestring) > MAX_VALUE) {
        dp_error(cx, 400, "BadParameter", "SecretTooLarge",
                 "Secret is beyond the maximum permitted length of %d "
                 "characters.",
                 MAX_VALUE);
        return NULL;
    }
    return val->valuestring;
}

static void
secret_set(struct dp_ctx *cx, const char *name)
{
    cJSON *b = req_json(cx->rq), *sv = NULL, *head = NULL, *ds = NULL;
    const char *val = set_value(cx, b);
    char *hk = dp_secret_key("sec", cx->vname, name, NULL);
    char *dk = dp_secret_key("dsec", cx->vname, name, NULL);
    char *ver = NULL, *vk = NULL, *why = NULL;
    int64_t now = sim_now_ms() / 1000;
    struct store_txn *t;

    if (!val || !body_ok(cx, b))
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
    vk = dp_secret_key("secv", cx->vname, name, ver);
    sv = cJSON_CreateObject();
    cJSON_AddStringToObject(sv, "value", val);
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
    /* A new version ends a recover's consistency window. */
    cJSON_DeleteItemFromObject(head, "_visibleAt");
    t = store_txn_new();
    store_txn_put(t, vk, sv);
    store_txn_put(t, hk, head);
    if (store_commit(cx->sim->store, t, &why) != KV_OK) {
        store_write_unlock(cx->sim->store);
        dp_error(cx, 500, "InternalServerError", NULL, "%s", why);
        goto out;
    }
    store_write_unlock(cx->sim->store);
    resp_json(
        cx->rs, 200,
        dp_secret_render(cx, json_str(head, "name"), ver, sv, true, true));
out:
    if (cJSON_IsString(cJSON_GetObjectItem(b, "value"))) {
        char *v = cJSON_GetObjectItem(b, "value")->valuestring;

        secmem_wipe(v, strlen(v));
    }
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

/* The head (sec|) and the version to use (caller frees all three); a
 * head inside a recover's consistency window is not found yet. */
static bool
lookup(struct dp_ctx *cx, const char *name, const char *ver, cJSON **head,
       cJSON **sv, char **version)
{
    char *hk = dp_secret_key("sec", cx->vname, name, NULL), *vk;

    *sv = NULL;
    *version = NULL;
    *head = store_get_json(cx->sim->store, hk);
    free(hk);
    if (!*head || !dp_secret_visible(*head)) {
        cJSON_Delete(*head);
        *head = NULL;
        dp_secret_not_found(cx, name, ver);
        return false;
    }
    *version = xstrdup(ver && *ver ? ver : json_str(*head, "latest"));
    vk = dp_secret_key("secv", cx->vname, name, *version);
    *sv = store_get_json(cx->sim->store, vk);
    free(vk);
    if (!*sv) {
        dp_secret_not_found(cx, name, ver);
        cJSON_Delete(*head);
        *head = NULL;
        free(*version);
        *version = NULL;
        return false;
    }
    return true;
}

/* Changes one character of a bundle's value (the corrupt-value fault):
 * the first printable ASCII one, or appends one to a value without. */
static void
corrupt_value(cJSON *bundle)
{
    cJSON *v = cJSON_GetObjectItem(bundle, "value");
    char *s, *p;

    if (!cJSON_IsString(v))
        return;
    for (p = v->valuestring; *p; p++)
        if (*p >= 0x20 && *p < 0x7f)
            break;
    if (*p) {
        *p = *p == 'x' ? 'y' : 'x';
        return;
    }
    s = xasprintf("%sx", v->valuestring);
    cJSON_SetValuestring(v, s);
    free(s);
}

static void
secret_get(struct dp_ctx *cx, const char *name, const char *ver)
{
    cJSON *head, *sv, *o;
    char *version;

    if (!lookup(cx, name, ver, &head, &sv, &version))
        return;
    if (!json_bool(cJSON_GetObjectItem(sv, "attributes"), "enabled", true)) {
        dp_error(cx, 403, "Forbidden", "SecretDisabled",
                 "Operation get is not allowed on a disabled secret.");
    } else {
        o = dp_secret_render(cx, json_str(head, "name"), version, sv, true,
                             true);
        if (faults_fire(cx->sim->faults, FAULT_CORRUPT_VALUE, cx->rq->area,
                        cx->rq->method, cx->rq->path))
            corrupt_value(o);
        resp_json(cx->rs, 200, o);
    }
    cJSON_Delete(head);
    cJSON_Delete(sv);
    free(version);
}

/* PATCH /secrets/{name}/{version}: an empty version (the trailing-slash
 * form azure-cli sends) means the latest one. */
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
    vk = dp_secret_key("secv", cx->vname, name, version);
    t = store_txn_new();
    store_txn_put(t, vk, sv);
    if (store_commit(cx->sim->store, t, &why) != KV_OK)
        dp_error(cx, 500, "InternalServerError", NULL, "%s", why);
    else
        resp_json(cx->rs, 200,
                  dp_secret_render(cx, json_str(head, "name"), version, sv,
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

/* sec| entry -> list item (latest version's attributes). */
static cJSON *
item_secret(struct dp_ctx *cx, const struct store_kv *kv, void *ud)
{
    cJSON *head = cJSON_Parse(kv->val), *sv = NULL, *o = NULL;
    char *vk = NULL;

    (void)ud;
    if (head && dp_secret_visible(head)) {
        vk = dp_secret_key("secv", cx->vname, json_str(head, "name"),
                           json_str(head, "latest"));
        sv = store_get_json(cx->sim->store, vk);
    }
    if (sv)
        o = dp_secret_render(cx, json_str(head, "name"), NULL, sv, false,
                             false);
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
    o = dp_secret_render(cx, name, ver, sv, false, true);
    cJSON_Delete(sv);
    return o;
}

static void
secret_versions(struct dp_ctx *cx, const char *name)
{
    char *hk = dp_secret_key("sec", cx->vname, name, NULL);
    char *prefix = dp_secret_key("secv", cx->vname, name, "");
    cJSON *head = store_get_json(cx->sim->store, hk);

    if (!head || !dp_secret_visible(head))
        dp_secret_not_found(cx, name, NULL);
    else
        dp_page(cx, prefix, item_version, (void *)json_str(head, "name"));
    cJSON_Delete(head);
    free(hk);
    free(prefix);
}

static void
method_not_allowed(struct dp_ctx *cx)
{
    dp_error(cx, 405, "MethodNotAllowed", NULL,
             "The method %s is not allowed on %s.", cx->rq->method,
             cx->rq->path);
}

void
dp_secrets(struct dp_ctx *cx, char **seg, int n)
{
    const char *m = cx->rq->method;
    bool trailing = str_ends(cx->rq->path, "/");
    const char *name = n >= 2 ? seg[1] : NULL;
    const char *ver = n == 3 ? seg[2] : NULL;

    if (strcasecmp(seg[0], "secrets") == 0 && n == 2 &&
        strcasecmp(name, "restore") == 0 && strcmp(m, "POST") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_RESTORE))
            dp_secret_restore(cx);
        return;
    }
    if (name && !name_ok(cx, name))
        return;
    if (strcasecmp(seg[0], "deletedsecrets") == 0) {
        dp_secret_deleted(cx, seg, n);
    } else if (n == 1 && strcmp(m, "GET") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_LIST)) {
            char *p = dp_secret_key("sec", cx->vname, "", NULL);

            dp_page(cx, p, item_secret, NULL);
            free(p);
        }
    } else if (ver && strcasecmp(ver, "versions") == 0 &&
               strcmp(m, "GET") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_LIST))
            secret_versions(cx, name);
    } else if (ver && strcasecmp(ver, "backup") == 0 &&
               strcmp(m, "POST") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_BACKUP))
            dp_secret_backup(cx, name);
    } else if ((n == 2 || n == 3) && strcmp(m, "GET") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_GET))
            secret_get(cx, name, ver);
    } else if (n == 2 && !trailing && strcmp(m, "PUT") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_SET))
            secret_set(cx, name);
    } else if ((n == 2 || n == 3) && strcmp(m, "PATCH") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_SET))
            secret_update(cx, name, ver);
    } else if (n == 2 && strcmp(m, "DELETE") == 0) {
        if (dp_secret_allowed(cx, DP_PERM_DELETE))
            dp_secret_delete(cx, name);
    } else {
        method_not_allowed(cx);
    }
}
