/*
 * arm-vault.c — Microsoft.KeyVault/vaults: create (200 RegisteringDns,
 * then Succeeded after the DNS delay, or Failed under the lro-fail fault:
 * the vault stays, its data-plane name never resolves, a GET reads
 * provisioningState Failed until the vault is PUT again or deleted, as
 * Azure leaves a vault whose creation failed), replace, patch, get, lists,
 * soft delete and recovery (createMode recover). The properties' checks
 * and the access policy edits are in arm-vault-props.c; deleted vaults,
 * purge and name checks in arm-deleted.c. Vaults are a kind of
 * arm-kind.h (arm_kind_vault) answering synchronously.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-doc.h"
#include "sim/arm-kind.h"
#include "sim/arm.h"
#include "sim/rbac.h"
#include "sim/store.h"
#include "sim/util.h"

/* Key Vault's own name rule (stricter than the spec's pattern). */
bool
arm_vault_name_ok(const char *n)
{
    size_t len = strlen(n);

    if (!util_name_ok(n, 3, 24) || !isalpha((unsigned char)n[0]) ||
        !isalnum((unsigned char)n[len - 1]) || strstr(n, "--"))
        return false;
    return true;
}

static void
name_invalid(struct arm_ctx *cx, const char *name)
{
    arm_error(cx, 400, "VaultNameNotValid",
              "The vault name '%s' is invalid. A vault's name must be "
              "between 3-24 alphanumeric characters. The name must begin "
              "with a letter, end with a letter or digit, and not contain "
              "consecutive hyphens. Follow this link for more information: "
              "https://go.microsoft.com/fwlink/?linkid=2147742",
              name);
}

static void
vault_taken(struct arm_ctx *cx, const char *name)
{
    arm_error(cx, 409, "VaultAlreadyExists",
              "The vault name '%s' is already in use. Vault names are "
              "globally unique so it is possible that the name is already "
              "taken. If you are sure that the vault name was not taken then "
              "it is possible that a vault with the same name was recently "
              "deleted but not purged after being placed in a recoverable "
              "state. If the vault is in a recoverable state then the vault "
              "will need to be explicitly purged. Please see "
              "https://aka.ms/kvsoftdelete.",
              name);
}

cJSON *
arm_vault_render(struct arm_ctx *cx, const cJSON *doc, bool first)
{
    cJSON *c = arm_public(doc);
    cJSON *props = cJSON_GetObjectItemCaseSensitive(c, "properties");
    const char *name = json_str(doc, "name");
    const char *id = json_str(doc, "id");
    char *uri = xasprintf("https://%s.vault.localhost:%d%s", name,
                          cx->sim->port, first ? "" : "/");
    bool ready = json_int(doc, "_dnsAt", 0) <= sim_now_ms();
    cJSON *pna;
    struct vec pecs = VEC_INIT;
    char *prefix = NULL, *vkey = arm_key_of_id(id);

    if (!props)
        props = cJSON_AddObjectToObject(c, "properties");
    if (vkey) {
        prefix = xasprintf("pec|%s|", vkey + strlen("vault|"));
        store_scan(cx->sim->store, prefix, NULL, 0, NULL, NULL, &pecs, NULL);
    }
    if (pecs.len) {
        cJSON *arr = cJSON_CreateArray();

        for (size_t i = 0; i < pecs.len; i++) {
            struct store_kv *kv = pecs.items[i];
            cJSON *p = cJSON_Parse(kv->val), *e = cJSON_CreateObject();
            cJSON *pp = cJSON_GetObjectItem(p, "properties");

            cJSON_AddStringToObject(e, "id", json_str(p, "id"));
            if (json_str(p, "etag"))
                cJSON_AddStringToObject(e, "etag", json_str(p, "etag"));
            cJSON_AddItemToObject(e, "properties", cJSON_Duplicate(pp, true));
            json_set_str(cJSON_GetObjectItem(e, "properties"),
                         "provisioningState",
                         arm_is_ready(p) ? "Succeeded" : "Updating");
            cJSON_AddItemToArray(arr, e);
            cJSON_Delete(p);
        }
        json_set(props, "privateEndpointConnections", arr);
    }
    json_set_str(props, "vaultUri", uri);
    json_set_str(props, "provisioningState",
                 atomic_load(&cx->sim->deviations) & SIM_DEV_PROVISIONING
                     ? "Provisioning"
                 : !ready          ? "RegisteringDns"
                 : arm_failed(doc) ? "Failed"
                                   : "Succeeded");
    pna = cJSON_DetachItemFromObjectCaseSensitive(props, "publicNetworkAccess");
    cJSON_AddItemToObject(props, "publicNetworkAccess",
                          pna ? pna : cJSON_CreateString("Enabled"));
    vec_free_all(&pecs, store_kv_free);
    free(prefix);
    free(vkey);
    free(uri);
    return c;
}

/* The vname index entry for name (caller deletes) or NULL. */
cJSON *
arm_vault_name_entry(struct sim *sim, const char *name)
{
    char *k = arm_key("vname|%s", name);
    cJSON *e = store_get_json(sim->store, k);

    free(k);
    return e;
}

void
arm_vault_drop_secrets(struct store_txn *t, const char *name)
{
    static const char *const kinds[] = {"sec", "secv", "dsec", NULL};
    char *v = util_lower(name);

    for (size_t i = 0; kinds[i]; i++) {
        char *p = xasprintf("%s|%s|", kinds[i], v);

        store_txn_del_prefix(t, p);
        free(p);
    }
    free(v);
}

void
arm_vault_soft_delete(struct arm_ctx *cx, struct store_txn *t, const char *key,
                      const cJSON *vault)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(vault, "properties");
    const char *name = json_str(vault, "name");
    const char *sub = strchr(key, '|') + 1;
    char *lsub = xstrndup(sub, (size_t)(strchr(sub, '|') - sub));
    char *dkey =
        arm_key("dvault|%s|%s|%s", lsub, json_str(vault, "location"), name);
    char *nkey = arm_key("vname|%s", name);
    char *pecs = xasprintf("pec|%s|", key + strlen("vault|"));
    cJSON *dv, *ne;

    store_txn_del(t, key);
    store_txn_del_prefix(t, pecs);
    rbac_drop_scope(cx->sim, t, json_str(vault, "id")); /* as Key Vault */
    if (!json_bool(props, "enableSoftDelete", true)) {
        /* Without soft delete the vault and its secrets go at once. */
        store_txn_del(t, nkey);
        arm_vault_drop_secrets(t, name);
    } else {
        dv = arm_doc_deleted_vault(vault, lsub, sim_now_ms() / 1000);
        store_txn_put(t, dkey, dv);
        ne = arm_doc_vault_name("deleted", dkey);
        store_txn_put(t, nkey, ne);
        cJSON_Delete(dv);
        cJSON_Delete(ne);
    }
    free(lsub);
    free(dkey);
    free(nkey);
    free(pecs);
}

static cJSON *
vault_render(struct arm_ctx *cx, const cJSON *doc)
{
    return arm_vault_render(cx, doc, false);
}

/* ---- PUT ------------------------------------------------------------------
 */

/* The body's location (normalised into p->loc), required properties and
 * tags; false after answering 400. */
static bool
vault_validate(struct arm_ctx *cx, struct arm_put *p)
{
    const char *loc = json_str(p->body, "location");
    const cJSON *bprops =
        cJSON_GetObjectItemCaseSensitive(p->body, "properties");

    if (!loc || !arm_location_ok(loc)) {
        arm_error(cx, 400,
                  loc ? "LocationNotAvailableForResourceType"
                      : "LocationRequired",
                  loc ? "The provided location '%s' is not available for "
                        "resource type 'Microsoft.KeyVault/vaults'."
                      : "The location property is required for this "
                        "definition.%s",
                  loc ? loc : "");
        return false;
    }
    if (!cJSON_IsObject(bprops) || !json_str(bprops, "tenantId") ||
        !cJSON_GetObjectItem(bprops, "sku")) {
        arm_error(cx, 400, "InvalidRequestContent",
                  "The request content was invalid and could not be "
                  "deserialized: 'Required property '%s' not found in "
                  "JSON.'.",
                  !cJSON_IsObject(bprops)         ? "properties"
                  : !json_str(bprops, "tenantId") ? "tenantId"
                                                  : "sku");
        return false;
    }
    if (!arm_tags_ok(cJSON_GetObjectItem(p->body, "tags"))) {
        arm_error(cx, 400, "InvalidRequestContent",
                  "The request content was invalid: tags must be strings.");
        return false;
    }
    p->loc = arm_location_norm(loc);
    return true;
}

/* createMode recover: the deleted vault of name entry ne comes back as
 * p->doc; false after answering 400 when there is none. */
static bool
vault_recover(struct arm_ctx *cx, struct arm_put *p, const cJSON *ne)
{
    const char *dkey = json_str(ne, "key");
    cJSON *dv = ne && str_eq(json_str(ne, "state"), "deleted")
                    ? store_get_json(cx->sim->store, dkey)
                    : NULL;

    if (!dv || !strstr(dkey, cx->cap[0])) {
        cJSON_Delete(dv);
        arm_error(cx, 400, "BadRequest",
                  "The specified vault '%s' does not exist in a deleted "
                  "state in subscription '%s'.",
                  cx->cap[2], cx->cap[0]);
        return false;
    }
    p->doc = cJSON_DetachItemFromObject(dv, "_vault");
    store_txn_del(p->t, dkey);
    cJSON_Delete(dv);
    p->created = true;
    json_set(p->doc, "_dnsAt", cJSON_CreateNumber((double)sim_now_ms()));
    return true;
}

/* Unset (or null) enableRbacAuthorization: a replaced vault keeps its
 * access model; a new one gets RBAC from api-version 2026-02-01 on
 * (access policies before, the property absent). */
static void
vault_default_rbac(struct arm_ctx *cx, cJSON *props, const cJSON *old)
{
    const cJSON *oprops = cJSON_GetObjectItem(old, "properties");
    const cJSON *was =
        cJSON_GetObjectItemCaseSensitive(oprops, "enableRbacAuthorization");

    if (cJSON_GetObjectItemCaseSensitive(props, "enableRbacAuthorization"))
        return;
    if (old && cJSON_IsBool(was))
        json_set(props, "enableRbacAuthorization",
                 cJSON_CreateBool(cJSON_IsTrue(was)));
    else if (!old && arm_api_since(cx, "2026-02-01"))
        json_set(props, "enableRbacAuthorization", cJSON_CreateTrue());
}

/* A new or replaced vault from the body as p->doc; false after 400. */
static bool
vault_replace(struct arm_ctx *cx, struct arm_put *p)
{
    const cJSON *oprops = cJSON_GetObjectItem(p->old, "properties");
    const char *name = p->old ? json_str(p->old, "name") : cx->cap[2];
    char *id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                         "Microsoft.KeyVault/vaults/%s",
                         cx->cap[0], json_str(p->parent, "name"), name);
    cJSON *props;
    bool ok;

    p->doc = arm_doc_vault(id, name, p->loc, NULL);
    free(id);
    if (p->old && cJSON_GetObjectItem(p->old, "systemData"))
        cJSON_AddItemToObject(
            p->doc, "systemData",
            cJSON_Duplicate(cJSON_GetObjectItem(p->old, "systemData"), true));
    props = cJSON_GetObjectItem(p->doc, "properties");
    ok = arm_vault_props_apply(
        cx, props, cJSON_GetObjectItemCaseSensitive(p->body, "properties"),
        oprops);
    if (!ok)
        return false;
    vault_default_rbac(cx, props, p->old);
    if (p->old && json_bool(oprops, "enablePurgeProtection", false))
        json_set(props, "enablePurgeProtection", cJSON_CreateTrue());
    /* A vault that ended Failed (lro-fail) or never ended (lro-stuck)
     * provisions again when PUT again, as in Azure: its name registers
     * anew. */
    json_set(p->doc, "_dnsAt",
             cJSON_CreateNumber(
                 p->old && !arm_failed(p->old) &&
                         !cJSON_GetObjectItemCaseSensitive(p->old, "_stuck")
                     ? (double)json_int(p->old, "_dnsAt", 0)
                     : (double)(sim_now_ms() +
                                atomic_load(&cx->sim->dns_delay_ms))));
    return true;
}

/* The vault document of a PUT: a taken name, a recovery, a name held by
 * a deleted vault, or a new/replaced vault. */
static bool
vault_make(struct arm_ctx *cx, struct arm_put *p, const cJSON *ne)
{
    const char *mode = json_str(
        cJSON_GetObjectItemCaseSensitive(p->body, "properties"), "createMode");

    if (!p->old && ne && str_eq(json_str(ne, "state"), "active")) {
        vault_taken(cx, cx->cap[2]);
        return false;
    }
    if (mode && strcasecmp(mode, "recover") == 0)
        return vault_recover(cx, p, ne);
    if (!p->old && ne) {
        arm_error(cx, 409, "ConflictError",
                  "A vault with the same name already exists in deleted "
                  "state. You need to either recover or purge existing key "
                  "vault. Follow this link "
                  "https://go.microsoft.com/fwlink/?linkid=2149745 for more "
                  "information on soft delete.");
        return false;
    }
    return vault_replace(cx, p);
}

static bool
vault_build(struct arm_ctx *cx, struct arm_put *p)
{
    cJSON *ne = arm_vault_name_entry(cx->sim, cx->cap[2]), *e;
    const cJSON *tags = cJSON_GetObjectItem(p->body, "tags");
    char *nkey;

    if (!vault_make(cx, p, ne)) {
        cJSON_Delete(ne);
        return false;
    }
    cJSON_Delete(ne);
    if (!cJSON_IsObject(tags))
        tags = cJSON_GetObjectItem(p->doc, "tags");
    json_set(p->doc, "tags",
             tags ? cJSON_Duplicate(tags, true) : cJSON_CreateObject());
    arm_system_data(cx, p->doc, !cJSON_GetObjectItem(p->doc, "systemData"));
    nkey = arm_key("vname|%s", cx->cap[2]);
    e = arm_doc_vault_name("active", p->key);
    store_txn_put(p->t, nkey, e);
    cJSON_Delete(e);
    free(nkey);
    return true;
}

static void
vault_answer(struct arm_ctx *cx, struct arm_put *p)
{
    resp_json(cx->rs, 200, arm_vault_render(cx, p->doc, p->created));
}

static void
vault_drop(struct arm_ctx *cx, struct store_txn *t, const char *key,
           const cJSON *doc)
{
    arm_vault_soft_delete(cx, t, key, doc);
}

const struct arm_kind arm_kind_vault = {
    .type = "Microsoft.KeyVault/vaults",
    .prefix = "vault",
    .depth = 3,
    .lro = ARM_LRO_SYNC,
    .render = vault_render,
    .validate = vault_validate,
    .build = vault_build,
    .answer = vault_answer,
    .drop = vault_drop,
};

/* PUT: create, replace, or recover (createMode "recover"). */
static void
vault_put(struct arm_ctx *cx)
{
    if (!arm_vault_name_ok(cx->cap[2]))
        name_invalid(cx, cx->cap[2]);
    else
        arm_kind_put(cx);
}

static void
vault_patch(struct arm_ctx *cx)
{
    char *key = arm_key("vault|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2]);
    cJSON *rg = NULL, *body = NULL, *doc = NULL, *old = NULL;
    const cJSON *bprops, *tags;
    struct store_txn *t;

    if (!(rg = arm_need_rg(cx, cx->cap[0], cx->cap[1])) ||
        !(body = arm_body(cx)))
        goto out;
    store_write_lock(cx->sim->store);
    doc = store_get_json(cx->sim->store, key);
    if (!doc) {
        arm_not_found(cx, "Microsoft.KeyVault/vaults", cx->cap[2], cx->cap[1]);
        goto unlock;
    }
    old = cJSON_Duplicate(cJSON_GetObjectItem(doc, "properties"), true);
    bprops = cJSON_GetObjectItemCaseSensitive(body, "properties");
    if (bprops && !arm_vault_props_apply(
                      cx, cJSON_GetObjectItem(doc, "properties"), bprops, old))
        goto unlock;
    if ((tags = cJSON_GetObjectItemCaseSensitive(body, "tags"))) {
        if (!arm_tags_ok(tags)) {
            arm_error(cx, 400, "InvalidRequestContent",
                      "The request content was invalid: tags must be "
                      "strings.");
            goto unlock;
        }
        json_set(doc, "tags", cJSON_Duplicate(tags, true));
    }
    arm_system_data(cx, doc, false);
    t = store_txn_new();
    store_txn_put(t, key, doc);
    if (arm_commit(cx, t))
        resp_json(cx->rs, 200, arm_vault_render(cx, doc, false));
unlock:
    store_write_unlock(cx->sim->store);
out:
    cJSON_Delete(rg);
    cJSON_Delete(body);
    cJSON_Delete(doc);
    cJSON_Delete(old);
    free(key);
}

#define VAULTS                                                                 \
    "subscriptions/*/resourcegroups/*/providers/microsoft.keyvault/vaults"
#define VAULT VAULTS "/*"

#define ROUTE(P, M, T, F)                                                      \
    {                                                                          \
        .pattern = P, .methods = M, .apis = API_KV, .type = T, .fn = F,        \
        .kind = &arm_kind_vault                                                \
    }

const struct arm_route arm_vault_routes[] = {
    ROUTE(VAULT, "GET", "vaults", arm_kind_get),
    ROUTE(VAULT, "PUT", "vaults", vault_put),
    ROUTE(VAULT, "PATCH", "vaults", vault_patch),
    ROUTE(VAULT, "DELETE", "vaults", arm_kind_delete),
    ROUTE(VAULT "/accesspolicies/*", "PUT", "vaults/accessPolicies",
          arm_vault_access_policies),
    ROUTE(VAULTS, "GET", "vaults", arm_kind_list),
    ROUTE("subscriptions/*/providers/microsoft.keyvault/vaults", "GET",
          "vaults", arm_kind_list),
    {.pattern = NULL},
};
