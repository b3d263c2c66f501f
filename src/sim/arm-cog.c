/*
 * arm-cog.c — Microsoft.CognitiveServices/accounts, the Azure AI services
 * (and Azure OpenAI) account of cognitiveservices.json 2023-05-01 (see
 * cog.h): GET of the accounts of a subscription or a group, GET one,
 * POST listKeys ({"key1","key2"}) and POST regenerateKey ({"keyName":
 * "Key1"|"Key2"} -> the new pair; only the named key changes; any other
 * name is 400 BadRequest as the service words it, case-sensitively).
 * listKeys needs Microsoft.CognitiveServices/accounts/listKeys/action,
 * regenerateKey .../regenerateKey/action at the account or above
 * (rbac.h), else 403 AuthorizationFailed. Keys are 32 lower-case hex
 * characters from OpenSSL's RAND; they are answered by these two calls
 * only and never logged.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/secmem.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-kind.h"
#include "sim/arm-perm.h"
#include "sim/cog.h"
#include "sim/store.h"
#include "sim/util.h"

char *
cog_key(const char *sub, const char *rg, const char *name)
{
    return arm_key("cog|%s|%s|%s", sub, rg, name);
}

char *
cog_name_key(const char *name)
{
    return arm_key("cogname|%s", name);
}

cJSON *
cog_by_name(struct sim *sim, const char *name)
{
    char *nk = cog_name_key(name);
    cJSON *entry = store_get_json(sim->store, nk), *doc = NULL;

    if (json_str(entry, "key"))
        doc = store_get_json(sim->store, json_str(entry, "key"));
    cJSON_Delete(entry);
    free(nk);
    return doc;
}

char *
cog_endpoint(const struct sim *sim, const cJSON *doc)
{
    char *name = util_lower(json_str(doc, "name"));
    const char *kind = json_str(doc, "kind");
    char *e = xasprintf(
        "https://%s.%s.localhost:%d/", name,
        kind && strcmp(kind, "OpenAI") == 0 ? "openai" : "cognitiveservices",
        sim->port);

    free(name);
    return e;
}

cJSON *
cog_account_doc(const char *sub, const char *rg, const char *name,
                const char *kind, const char *loc, const char *sku,
                const cJSON *tags, const char *key1, const char *key2,
                int64_t created)
{
    cJSON *d = cJSON_CreateObject(), *p;
    char *id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                         "%s/%s",
                         sub, rg, COG_TYPE, name);
    char *etag = util_uuid_from(id), *qetag = xasprintf("\"%s\"", etag);
    char *internal = util_hex_from(id, 32), *when = util_iso_ms(created * 1000);

    cJSON_AddStringToObject(d, "id", id);
    cJSON_AddStringToObject(d, "name", name);
    cJSON_AddStringToObject(d, "type", COG_TYPE);
    cJSON_AddStringToObject(d, "etag", qetag);
    cJSON_AddStringToObject(d, "location", loc);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(d, "sku"), "name", sku);
    cJSON_AddStringToObject(d, "kind", kind);
    cJSON_AddItemToObject(
        d, "tags", tags ? cJSON_Duplicate(tags, true) : cJSON_CreateObject());
    p = cJSON_AddObjectToObject(d, "properties");
    cJSON_AddStringToObject(p, "customSubDomainName", name);
    cJSON_AddStringToObject(p, "internalId", internal);
    cJSON_AddStringToObject(p, "dateCreated", when);
    cJSON_AddStringToObject(p, "publicNetworkAccess", "Enabled");
    cJSON_AddStringToObject(d, "_key1", key1);
    cJSON_AddStringToObject(d, "_key2", key2);
    free(id);
    free(etag);
    free(qetag);
    free(internal);
    free(when);
    return d;
}

void
cog_delete_group(struct sim *sim, struct store_txn *t, const char *sub,
                 const char *rg)
{
    char *prefix = arm_key("cog|%s|%s|", sub, rg), *nk;
    struct vec kvs = VEC_INIT;

    store_scan(sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];

        nk = cog_name_key(strrchr(kv->key, '|') + 1);
        store_txn_del(t, nk);
        store_txn_del(t, kv->key);
        free(nk);
    }
    vec_free_all(&kvs, store_kv_free);
    free(prefix);
}

/* The answer form: the stored document without its keys, with the
 * endpoint of this simulator's port. */
static cJSON *
render(struct arm_ctx *cx, const cJSON *doc)
{
    cJSON *o = arm_public(doc), *p = cJSON_GetObjectItem(o, "properties");
    char *ep = cog_endpoint(cx->sim, doc);
    const char *kind = json_str(doc, "kind");
    cJSON *eps;

    if (!p)
        p = cJSON_AddObjectToObject(o, "properties");
    json_set_str(p, "endpoint", ep);
    eps = cJSON_CreateObject();
    cJSON_AddStringToObject(eps,
                            kind && strcmp(kind, "OpenAI") == 0
                                ? "OpenAI Language Model Instance API"
                                : "Cognitive Services API",
                            ep);
    json_set(p, "endpoints", eps);
    json_set(p, "privateEndpointConnections", cJSON_CreateArray());
    json_set_str(p, "provisioningState", "Succeeded");
    free(ep);
    return o;
}

static void
not_found(struct arm_ctx *cx)
{
    arm_not_found(cx, COG_TYPE, cx->cap[2], cx->cap[1]);
}

static const struct arm_kind arm_kind_cog = {
    .type = COG_TYPE,
    .prefix = "cog",
    .depth = 3,
    .lro = ARM_LRO_SYNC,
    .render = render,
    .not_found = not_found,
};

/* The account of the captures (caller deletes) and the caller's right to
 * action on it; NULL after answering. */
static cJSON *
need(struct arm_ctx *cx, const char *action)
{
    cJSON *doc = arm_kind_need(cx, &arm_kind_cog);

    if (doc && !arm_perm_check(cx, json_str(doc, "id"), action)) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* {"key1","key2"} of an account document. */
static cJSON *
keys_of(const cJSON *doc)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "key1", json_str(doc, "_key1"));
    cJSON_AddStringToObject(o, "key2", json_str(doc, "_key2"));
    return o;
}

/* Wipes the keys of a document before it is freed. */
static void
wipe_keys(cJSON *doc)
{
    static const char *const names[] = {"_key1", "_key2", "key1", "key2"};

    for (size_t i = 0; doc && i < sizeof names / sizeof names[0]; i++) {
        cJSON *k = cJSON_GetObjectItemCaseSensitive(doc, names[i]);

        if (cJSON_IsString(k))
            secmem_wipe(k->valuestring, strlen(k->valuestring));
    }
}

static void
cog_list_keys(struct arm_ctx *cx)
{
    cJSON *doc = need(cx, "Microsoft.CognitiveServices/accounts/listKeys/"
                          "action");

    if (doc)
        resp_json(cx->rs, 200, keys_of(doc));
    wipe_keys(doc);
    cJSON_Delete(doc);
}

static void
cog_regenerate(struct arm_ctx *cx)
{
    cJSON *doc = NULL, *b = NULL, *cur = NULL, *old;
    const char *kn, *slot;
    char *key = NULL, *fresh = NULL;
    struct store_txn *t;

    if (!(doc = need(cx, "Microsoft.CognitiveServices/accounts/regenerateKey/"
                         "action")) ||
        !(b = arm_body(cx)))
        goto out;
    kn = json_str(b, "keyName");
    if (!kn || (strcmp(kn, "Key1") != 0 && strcmp(kn, "Key2") != 0)) {
        arm_error(cx, 400, "BadRequest",
                  "The key name '%s' is invalid. Valid values are 'Key1' and "
                  "'Key2'.",
                  kn ? kn : "");
        goto out;
    }
    key = cog_key(cx->cap[0], cx->cap[1], cx->cap[2]);
    store_write_lock(cx->sim->store);
    /* Re-read under the lock: a regeneration of the other key that ran
     * meanwhile is kept. */
    if (!(cur = store_get_json(cx->sim->store, key))) {
        store_write_unlock(cx->sim->store);
        not_found(cx);
        goto out;
    }
    fresh = util_hex(COG_KEY_LEN);
    slot = strcmp(kn, "Key1") == 0 ? "_key1" : "_key2";
    old = cJSON_GetObjectItemCaseSensitive(cur, slot);
    if (cJSON_IsString(old))
        secmem_wipe(old->valuestring, strlen(old->valuestring));
    json_set_str(cur, slot, fresh);
    t = store_txn_new();
    store_txn_put(t, key, cur);
    if (arm_commit(cx, t))
        resp_json(cx->rs, 200, keys_of(cur));
    store_write_unlock(cx->sim->store);
out:
    if (fresh)
        secmem_wipe(fresh, strlen(fresh));
    wipe_keys(doc);
    wipe_keys(cur);
    cJSON_Delete(doc);
    cJSON_Delete(cur);
    cJSON_Delete(b);
    free(key);
    free(fresh);
}

#define COG_RG                                                                 \
    "subscriptions/*/resourcegroups/*/providers/microsoft.cognitiveservices/"  \
    "accounts"
#define ROUTE(P, M, F)                                                         \
    {                                                                          \
        .pattern = P, .methods = M, .apis = API_COG, .type = "accounts",       \
        .fn = F, .kind = &arm_kind_cog                                         \
    }

const struct arm_route arm_cog_routes[] = {
    ROUTE("subscriptions/*/providers/microsoft.cognitiveservices/accounts",
          "GET", arm_kind_list),
    ROUTE(COG_RG, "GET", arm_kind_list),
    ROUTE(COG_RG "/*", "GET", arm_kind_get),
    ROUTE(COG_RG "/*/listkeys", "POST", cog_list_keys),
    ROUTE(COG_RG "/*/regeneratekey", "POST", cog_regenerate),
    {.pattern = NULL},
};
