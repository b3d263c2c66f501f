/*
 * arm-secret.c — Microsoft.KeyVault/vaults/secrets, the management-plane
 * secret (secrets.json of Microsoft.KeyVault): PUT writes a new version
 * into the same store the data plane reads (dp-secret.c's sec| head and
 * secv| versions), PATCH updates the current version's attributes, tags
 * and contentType (with a value it writes a new version too), GET one and
 * the paged list ($top, nextLink). The value is never answered. Resource
 * Manager does this whatever the vault's publicNetworkAccess and
 * firewall say. Writes need Microsoft.KeyVault/vaults/secrets/write and
 * reads .../secrets/read at the secret or above (rbac.h), else 403
 * AuthorizationFailed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/secmem.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-kind.h"
#include "sim/arm-perm.h"
#include "sim/arm.h"
#include "sim/store.h"
#include "sim/util.h"

#define MAX_VALUE 25600 /* characters, as the data plane counts them */
#define TYPE      "Microsoft.KeyVault/vaults/secrets"

struct secret_ref {
    cJSON *vault;     /* the stored vault */
    const char *name; /* the secret's name as the client sent it */
    char *hk;         /* sec|VAULT|NAME */
};

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

static char *
skey(const char *kind, const char *vault, const char *name, const char *ver)
{
    char *k = ver ? xasprintf("%s|%s|%s|%s", kind, vault, name, ver)
                  : xasprintf("%s|%s|%s", kind, vault, name);
    char *l = util_lower(k);

    free(k);
    return l;
}

static void
secret_not_found(struct arm_ctx *cx, const char *name)
{
    arm_error(cx, 404, "ResourceNotFound",
              "The Resource '" TYPE "/%s/%s' under resource group '%s' was "
              "not found. For more details please go to "
              "https://aka.ms/ARMResourceNotFoundFix",
              cx->cap[2], name, cx->cap[1]);
}

/* The ARM form of the version ver of a secret (no value). */
static cJSON *
render(struct arm_ctx *cx, const cJSON *vault, const char *name,
       const char *ver, const cJSON *sv)
{
    cJSON *o = cJSON_CreateObject(), *p, *a;
    const cJSON *tags = cJSON_GetObjectItem(sv, "tags");
    const cJSON *sa = cJSON_GetObjectItem(sv, "attributes"), *it;
    char *id = xasprintf("%s/secrets/%s", json_str(vault, "id"), name);
    char *uri = xasprintf("https://%s.vault.localhost:%d/secrets/%s",
                          json_str(vault, "name"), cx->sim->port, name);
    char *uriv = xasprintf("%s/%s", uri, ver);
    static const char *const order[] = {"enabled", "nbf",     "exp",
                                        "created", "updated", NULL};

    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "name", name);
    cJSON_AddStringToObject(o, "type", TYPE);
    cJSON_AddStringToObject(o, "location", json_str(vault, "location"));
    if (cJSON_GetArraySize(tags) > 0)
        cJSON_AddItemToObject(o, "tags", cJSON_Duplicate(tags, true));
    p = cJSON_AddObjectToObject(o, "properties");
    if (json_str(sv, "contentType"))
        cJSON_AddStringToObject(p, "contentType", json_str(sv, "contentType"));
    a = cJSON_AddObjectToObject(p, "attributes");
    for (size_t i = 0; order[i]; i++)
        if ((it = cJSON_GetObjectItem(sa, order[i])) != NULL)
            cJSON_AddItemToObject(a, order[i], cJSON_Duplicate(it, true));
    cJSON_AddStringToObject(p, "secretUri", uri);
    cJSON_AddStringToObject(p, "secretUriWithVersion", uriv);
    free(id);
    free(uri);
    free(uriv);
    return o;
}

/* The secret's name rule of the spec: ^[a-zA-Z0-9-]{1,127}$. */
static bool
name_ok(struct arm_ctx *cx, const char *name)
{
    if (util_name_ok(name, 1, 127))
        return true;
    arm_error(cx, 400, "InvalidParameter",
              "The secret name '%s' is invalid. A secret name must be a "
              "1-127 character string, starting with a letter and "
              "containing only 0-9, a-z, A-Z, and -.",
              name);
    return false;
}

/* The vault (404 as Azure words it) and the caller's right; false after
 * answering. */
static bool
need(struct arm_ctx *cx, struct secret_ref *s, bool write)
{
    char *scope;
    bool ok;

    s->vault = arm_kind_need(cx, &arm_kind_vault);
    s->name = cx->ncap > 3 ? cx->cap[3] : NULL;
    s->hk = NULL;
    if (!s->vault)
        return false;
    if (s->name && !name_ok(cx, s->name))
        return false;
    scope = s->name
                ? xasprintf("%s/secrets/%s", json_str(s->vault, "id"), s->name)
                : xstrdup(json_str(s->vault, "id"));
    ok = arm_perm_check(cx, scope,
                        write ? "Microsoft.KeyVault/vaults/secrets/write"
                              : "Microsoft.KeyVault/vaults/secrets/read");
    free(scope);
    if (ok && s->name)
        s->hk = skey("sec", json_str(s->vault, "name"), s->name, NULL);
    return ok;
}

static void
ref_free(struct secret_ref *s)
{
    cJSON_Delete(s->vault);
    free(s->hk);
}

/* Checks a PUT/PATCH body's properties; false after answering 400. */
static bool
body_ok(struct arm_ctx *cx, const cJSON *b, bool put)
{
    const cJSON *p = cJSON_GetObjectItem(b, "properties");
    const cJSON *v = cJSON_GetObjectItem(p, "value");
    const cJSON *a = cJSON_GetObjectItem(p, "attributes");
    const cJSON *ct = cJSON_GetObjectItem(p, "contentType");
    const cJSON *tags = cJSON_GetObjectItem(b, "tags");

    if (put && !cJSON_IsObject(p)) {
        arm_error(cx, 400, "InvalidRequestContent",
                  "The request content was invalid and could not be "
                  "deserialized: 'Required property 'properties' not found "
                  "in JSON.'.");
        return false;
    }
    if (put && !cJSON_IsString(v)) {
        arm_error(cx, 400, "BadRequest",
                  "The parameter properties.value is required to create a "
                  "secret.");
        return false;
    }
    if (v && (!cJSON_IsString(v) || utf16_len(v->valuestring) > MAX_VALUE)) {
        arm_error(cx, 400, "BadRequest",
                  "Secret is beyond the maximum permitted length of %d "
                  "characters.",
                  MAX_VALUE);
        return false;
    }
    if ((ct && !cJSON_IsString(ct) && !cJSON_IsNull(ct)) ||
        (a && !cJSON_IsObject(a) && !cJSON_IsNull(a)) ||
        (tags && !cJSON_IsNull(tags) && !arm_tags_ok(tags))) {
        arm_error(cx, 400, "InvalidRequestContent",
                  "The request content was invalid and could not be "
                  "deserialized.");
        return false;
    }
    return true;
}

/* contentType, tags and attributes of a body onto a stored version. */
static void
apply(cJSON *sv, const cJSON *b, int64_t now)
{
    const cJSON *p = cJSON_GetObjectItem(b, "properties");
    const cJSON *a = cJSON_GetObjectItem(p, "attributes");
    const cJSON *ct = cJSON_GetObjectItem(p, "contentType");
    const cJSON *tags = cJSON_GetObjectItem(b, "tags");
    cJSON *sa = cJSON_GetObjectItem(sv, "attributes");
    static const char *const fields[] = {"enabled", "nbf", "exp", NULL};

    if (!sa)
        sa = cJSON_AddObjectToObject(sv, "attributes");
    if (cJSON_IsString(ct))
        json_set_str(sv, "contentType", ct->valuestring);
    if (cJSON_IsObject(tags))
        json_set(sv, "tags", cJSON_Duplicate(tags, true));
    for (size_t i = 0; a && fields[i]; i++) {
        const cJSON *f = cJSON_GetObjectItem(a, fields[i]);

        if (f && (i == 0 ? cJSON_IsBool(f) : cJSON_IsNumber(f)))
            json_set(sa, fields[i], cJSON_Duplicate(f, true));
    }
    json_set(sa, "updated", cJSON_CreateNumber((double)now));
}

/* Adds to t a new version of the secret (value from the body, the rest
 * from the body over base, the current version, when given). */
static cJSON *
new_version(struct store_txn *t, const struct secret_ref *s, cJSON *head,
            const cJSON *base, const cJSON *b, char **ver)
{
    const char *val = json_str(cJSON_GetObjectItem(b, "properties"), "value");
    int64_t now = sim_now_ms() / 1000;
    cJSON *sv = cJSON_CreateObject(), *sa;
    char *vk;

    *ver = util_hex(32);
    cJSON_AddStringToObject(sv, "value", val);
    if (base && json_str(base, "contentType"))
        cJSON_AddStringToObject(sv, "contentType",
                                json_str(base, "contentType"));
    if (base && cJSON_GetObjectItem(base, "tags"))
        cJSON_AddItemToObject(
            sv, "tags",
            cJSON_Duplicate(cJSON_GetObjectItem(base, "tags"), true));
    sa = cJSON_AddObjectToObject(sv, "attributes");
    cJSON_AddBoolToObject(sa, "enabled", true);
    cJSON_AddNumberToObject(sa, "created", (double)now);
    apply(sv, b, now);
    vk = skey("secv", json_str(s->vault, "name"), s->name, *ver);
    json_set_str(head, "latest", *ver);
    cJSON_DeleteItemFromObject(head, "_visibleAt");
    store_txn_put(t, vk, sv);
    store_txn_put(t, s->hk, head);
    free(vk);
    return sv;
}

/* The current version of a head (caller deletes) and its id. */
static cJSON *
current(struct arm_ctx *cx, const struct secret_ref *s, const cJSON *head)
{
    char *vk = skey("secv", json_str(s->vault, "name"), s->name,
                    json_str(head, "latest"));
    cJSON *sv = store_get_json(cx->sim->store, vk);

    free(vk);
    return sv;
}

static void
wipe_value(cJSON *b)
{
    cJSON *v =
        cJSON_GetObjectItem(cJSON_GetObjectItem(b, "properties"), "value");

    if (cJSON_IsString(v))
        secmem_wipe(v->valuestring, strlen(v->valuestring));
}

/* PUT (put) or PATCH of one secret. */
static void
secret_write(struct arm_ctx *cx, bool put)
{
    struct secret_ref s;
    cJSON *b = NULL, *head = NULL, *sv = NULL, *ds = NULL, *cur = NULL;
    char *dk = NULL, *ver = NULL, *vk = NULL;
    bool created = false;
    struct store_txn *t;

    if (!need(cx, &s, true) || !(b = arm_body(cx)) || !body_ok(cx, b, put))
        goto out;
    dk = skey("dsec", json_str(s.vault, "name"), s.name, NULL);
    store_write_lock(cx->sim->store);
    if ((ds = store_get_json(cx->sim->store, dk)) != NULL) {
        store_write_unlock(cx->sim->store);
        arm_error(cx, 409, "Conflict",
                  "Secret %s is currently in a deleted but recoverable "
                  "state, and its name cannot be reused; in this state, the "
                  "secret can only be recovered or purged.",
                  s.name);
        goto out;
    }
    head = store_get_json(cx->sim->store, s.hk);
    if (head)
        cur = current(cx, &s, head);
    if (!put && !cur) {
        store_write_unlock(cx->sim->store);
        secret_not_found(cx, s.name);
        goto out;
    }
    t = store_txn_new();
    if (json_str(cJSON_GetObjectItem(b, "properties"), "value")) {
        if (!head) {
            head = cJSON_CreateObject();
            cJSON_AddStringToObject(head, "name", s.name);
            created = true;
        }
        /* PUT states the secret whole; PATCH keeps what it does not
         * name. */
        sv = new_version(t, &s, head, put ? NULL : cur, b, &ver);
    } else {
        ver = xstrdup(json_str(head, "latest"));
        sv = cJSON_Duplicate(cur, true);
        apply(sv, b, sim_now_ms() / 1000);
        vk = skey("secv", json_str(s.vault, "name"), s.name, ver);
        store_txn_put(t, vk, sv);
    }
    if (arm_commit(cx, t))
        resp_json(cx->rs, created ? 201 : 200,
                  render(cx, s.vault, json_str(head, "name"), ver, sv));
    store_write_unlock(cx->sim->store);
out:
    if (cJSON_IsString(cJSON_GetObjectItem(sv, "value")))
        secmem_wipe(cJSON_GetObjectItem(sv, "value")->valuestring,
                    strlen(cJSON_GetObjectItem(sv, "value")->valuestring));
    if (b)
        wipe_value(b);
    cJSON_Delete(b);
    cJSON_Delete(head);
    cJSON_Delete(sv);
    cJSON_Delete(ds);
    cJSON_Delete(cur);
    ref_free(&s);
    free(dk);
    free(ver);
    free(vk);
}

static void
secret_put(struct arm_ctx *cx)
{
    secret_write(cx, true);
}

static void
secret_patch(struct arm_ctx *cx)
{
    secret_write(cx, false);
}

static void
secret_get(struct arm_ctx *cx)
{
    struct secret_ref s;
    cJSON *head = NULL, *sv = NULL;

    if (!need(cx, &s, false))
        goto out;
    head = store_get_json(cx->sim->store, s.hk);
    if (head && json_int(head, "_visibleAt", 0) <= sim_now_ms())
        sv = current(cx, &s, head);
    if (!sv)
        secret_not_found(cx, s.name);
    else
        resp_json(cx->rs, 200,
                  render(cx, s.vault, json_str(head, "name"),
                         json_str(head, "latest"), sv));
out:
    cJSON_Delete(head);
    cJSON_Delete(sv);
    ref_free(&s);
}

static cJSON *
list_item(struct arm_ctx *cx, const char *key, cJSON *head, void *ud)
{
    struct secret_ref s = {.vault = ud, .name = json_str(head, "name")};
    cJSON *sv, *o = NULL;

    (void)key;
    if (json_int(head, "_visibleAt", 0) > sim_now_ms())
        return NULL;
    sv = current(cx, &s, head);
    if (sv)
        o = render(cx, s.vault, s.name, json_str(head, "latest"), sv);
    cJSON_Delete(sv);
    return o;
}

static void
secret_list(struct arm_ctx *cx)
{
    struct secret_ref s;
    char *prefix;

    if (need(cx, &s, false)) {
        prefix = skey("sec", json_str(s.vault, "name"), "", NULL);
        arm_list(cx, prefix, NULL, list_item, s.vault);
        free(prefix);
    }
    ref_free(&s);
}

#define SECRETS                                                                \
    "subscriptions/*/resourcegroups/*/providers/microsoft.keyvault/vaults/*/"  \
    "secrets"
#define ROUTE(P, M, F)                                                         \
    {                                                                          \
        .pattern = P, .methods = M, .apis = API_KV, .type = "vaults/secrets",  \
        .fn = F                                                                \
    }

const struct arm_route arm_secret_routes[] = {
    ROUTE(SECRETS, "GET", secret_list),
    ROUTE(SECRETS "/*", "GET", secret_get),
    ROUTE(SECRETS "/*", "PUT", secret_put),
    ROUTE(SECRETS "/*", "PATCH", secret_patch),
    {.pattern = NULL},
};
