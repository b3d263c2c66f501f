/*
 * arm-vault-props.c — a vault's properties as Key Vault checks and keeps
 * them: a PUT's or PATCH's properties validated in the service's order
 * (tenant and SKU, access model and policies, recovery settings, network
 * rules) and copied into the stored vault, and the accessPolicies
 * add/replace/remove action. The vault kind itself is arm-vault.c.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-net.h"
#include "sim/arm.h"
#include "sim/store.h"
#include "sim/util.h"

static const char *const secret_perms[] = {
    "all",    "get",     "list",    "set",   "delete",
    "backup", "restore", "recover", "purge", NULL};
static const char *const key_perms[] = {"all",
                                        "encrypt",
                                        "decrypt",
                                        "wrapkey",
                                        "unwrapkey",
                                        "sign",
                                        "verify",
                                        "get",
                                        "list",
                                        "create",
                                        "update",
                                        "import",
                                        "delete",
                                        "backup",
                                        "restore",
                                        "recover",
                                        "purge",
                                        "release",
                                        "rotate",
                                        "getrotationpolicy",
                                        "setrotationpolicy",
                                        NULL};
static const char *const cert_perms[] = {
    "all",           "get",         "list",       "delete",
    "create",        "import",      "update",     "managecontacts",
    "getissuers",    "listissuers", "setissuers", "deleteissuers",
    "manageissuers", "recover",     "purge",      "backup",
    "restore",       NULL};
static const char *const storage_perms[] = {
    "all",           "get",     "list",      "delete", "set",     "update",
    "regeneratekey", "recover", "purge",     "backup", "restore", "setsas",
    "listsas",       "getsas",  "deletesas", NULL};

static bool
perm_list_ok(const cJSON *arr, const char *const *allowed, char **bad)
{
    const cJSON *p;

    if (!arr)
        return true;
    if (!cJSON_IsArray(arr))
        return false;
    cJSON_ArrayForEach(p, arr)
    {
        bool ok = false;

        if (!cJSON_IsString(p))
            return false;
        for (size_t i = 0; allowed[i]; i++)
            if (strcasecmp(p->valuestring, allowed[i]) == 0)
                ok = true;
        if (!ok) {
            *bad = xstrdup(p->valuestring);
            return false;
        }
    }
    return true;
}

/* Validates accessPolicies; answers 400 and returns false when bad. */
static bool
policies_ok(struct arm_ctx *cx, const cJSON *pols)
{
    const cJSON *p;
    int i = 0;

    if (!pols || cJSON_IsNull(pols))
        return true;
    if (!cJSON_IsArray(pols) || cJSON_GetArraySize(pols) > 1024) {
        arm_error(cx, 400, "InvalidRequestContent",
                  "The request content was invalid and could not be "
                  "deserialized: 'accessPolicies must be an array of at most "
                  "1024 entries.'.");
        return false;
    }
    cJSON_ArrayForEach(p, pols)
    {
        const cJSON *perms = cJSON_GetObjectItemCaseSensitive(p, "permissions");
        char *bad = NULL;

        if (!str_is_uuid(json_str(p, "tenantId")) || !json_str(p, "objectId") ||
            !cJSON_IsObject(perms)) {
            arm_error(cx, 400, "BadRequest",
                      "Invalid value found at accessPolicies[%d]: tenantId, "
                      "objectId and permissions are required.",
                      i);
            return false;
        }
        if (!perm_list_ok(cJSON_GetObjectItem(perms, "secrets"), secret_perms,
                          &bad) ||
            !perm_list_ok(cJSON_GetObjectItem(perms, "keys"), key_perms,
                          &bad) ||
            !perm_list_ok(cJSON_GetObjectItem(perms, "certificates"),
                          cert_perms, &bad) ||
            !perm_list_ok(cJSON_GetObjectItem(perms, "storage"), storage_perms,
                          &bad)) {
            arm_error(cx, 400, "BadRequest",
                      "Invalid value found at accessPolicies[%d].permissions: "
                      "'%s'.",
                      i, bad ? bad : "(not a list of strings)");
            free(bad);
            return false;
        }
        i++;
    }
    return true;
}

static const char *
canon(const char *v, const char *a, const char *b)
{
    if (v && strcasecmp(v, a) == 0)
        return a;
    if (v && strcasecmp(v, b) == 0)
        return b;
    return NULL;
}

/* tenantId and sku of src into dst; false after answering 400. */
static bool
props_tenant_sku(struct arm_ctx *cx, cJSON *dst, const cJSON *src)
{
    const cJSON *it;

    if ((it = cJSON_GetObjectItemCaseSensitive(src, "tenantId"))) {
        if (!str_is_uuid(cJSON_GetStringValue(it))) {
            arm_error(cx, 400, "InvalidRequestContent",
                      "The request content was invalid and could not be "
                      "deserialized: 'tenantId must be a GUID.'.");
            return false;
        }
        json_set_str(dst, "tenantId", it->valuestring);
    }
    if ((it = cJSON_GetObjectItemCaseSensitive(src, "sku"))) {
        const char *fam = json_str(it, "family");
        const char *name = canon(json_str(it, "name"), "standard", "premium");
        cJSON *sku;

        if (!fam || strcmp(fam, "A") != 0 || !name) {
            arm_error(cx, 400, "InvalidRequestContent",
                      "The request content was invalid and could not be "
                      "deserialized: 'sku must be {\"family\":\"A\", "
                      "\"name\":\"standard\"|\"premium\"}.'.");
            return false;
        }
        sku = cJSON_CreateObject();
        cJSON_AddStringToObject(sku, "family", "A");
        cJSON_AddStringToObject(sku, "name", name);
        json_set(dst, "sku", sku);
    }
    return true;
}

/* The access model and the deployment switches of src into dst. */
static bool
props_access(struct arm_ctx *cx, cJSON *dst, const cJSON *src)
{
    static const char *const bools[] = {
        "enabledForDeployment", "enabledForDiskEncryption",
        "enabledForTemplateDeployment", "enableRbacAuthorization", NULL};
    const cJSON *it;

    if ((it = cJSON_GetObjectItemCaseSensitive(src, "accessPolicies")) &&
        !cJSON_IsNull(it)) {
        if (!policies_ok(cx, it))
            return false;
        json_set(dst, "accessPolicies", cJSON_Duplicate(it, true));
    }
    for (size_t i = 0; bools[i]; i++)
        if ((it = cJSON_GetObjectItemCaseSensitive(src, bools[i])) &&
            cJSON_IsBool(it))
            json_set(dst, bools[i], cJSON_CreateBool(cJSON_IsTrue(it)));
    return true;
}

/* Soft delete, its retention and purge protection of src into dst (old:
 * the vault's properties before); false after answering 400. */
static bool
props_recovery(struct arm_ctx *cx, cJSON *dst, const cJSON *src,
               const cJSON *old)
{
    const cJSON *it;

    if ((it = cJSON_GetObjectItemCaseSensitive(src, "enableSoftDelete")) &&
        cJSON_IsBool(it)) {
        if (!cJSON_IsTrue(it) && json_bool(old, "enableSoftDelete", false)) {
            arm_error(cx, 400, "BadRequest",
                      "Soft delete cannot be disabled once it has been "
                      "enabled on a vault.");
            return false;
        }
        json_set(dst, "enableSoftDelete", cJSON_CreateBool(cJSON_IsTrue(it)));
    }
    if ((it = cJSON_GetObjectItemCaseSensitive(src,
                                               "softDeleteRetentionInDays"))) {
        if (!cJSON_IsNumber(it) || it->valuedouble < 7 ||
            it->valuedouble > 90) {
            arm_error(cx, 400, "BadRequest",
                      "The value of softDeleteRetentionInDays must be between "
                      "7 and 90.");
            return false;
        }
        json_set(dst, "softDeleteRetentionInDays",
                 cJSON_CreateNumber((int)it->valuedouble));
    }
    if ((it = cJSON_GetObjectItemCaseSensitive(src, "enablePurgeProtection")) &&
        !cJSON_IsNull(it)) {
        if (!cJSON_IsTrue(it)) {
            arm_error(cx, 400, "BadRequest",
                      "The property \"enablePurgeProtection\" cannot be set "
                      "to false. Enabling the purge protection for a vault is "
                      "an irreversible action.");
            return false;
        }
        json_set(dst, "enablePurgeProtection", cJSON_CreateTrue());
    }
    return true;
}

/* networkAcls of src into dst: the default (Allow, no rules, Azure
 * services bypass) is stored as no networkAcls at all. Rules are checked
 * by arm-acl.c (old: the vault's networkAcls before, or NULL). */
static bool
props_acls(struct arm_ctx *cx, cJSON *dst, const cJSON *acls, const cJSON *old)
{
    const char *def = canon(json_str(acls, "defaultAction"), "Allow", "Deny");
    const char *byp = canon(json_str(acls, "bypass"), "AzureServices", "None");
    const cJSON *ips = cJSON_GetObjectItem(acls, "ipRules");
    const cJSON *vnets = cJSON_GetObjectItem(acls, "virtualNetworkRules");
    cJSON *acl, *ir = NULL, *vr = NULL;

    if (!def && json_str(acls, "defaultAction")) {
        arm_error(cx, 400, "BadRequest",
                  "Invalid value for networkAcls.defaultAction.");
        return false;
    }
    if (!def)
        def = "Allow";
    if (!byp)
        byp = "AzureServices";
    if (!arm_acl_ip_rules(cx, ips, &ir) ||
        !arm_acl_vnet_rules(
            cx, vnets, cJSON_GetObjectItem(old, "virtualNetworkRules"), &vr)) {
        cJSON_Delete(ir);
        return false;
    }
    if (strcmp(def, "Allow") == 0 && cJSON_GetArraySize(ir) == 0 &&
        cJSON_GetArraySize(vr) == 0 && strcmp(byp, "AzureServices") == 0) {
        cJSON_Delete(ir);
        cJSON_Delete(vr);
        cJSON_DeleteItemFromObjectCaseSensitive(dst, "networkAcls");
        return true;
    }
    acl = cJSON_CreateObject();
    cJSON_AddStringToObject(acl, "bypass", byp);
    cJSON_AddStringToObject(acl, "defaultAction", def);
    cJSON_AddItemToObject(acl, "ipRules", ir);
    cJSON_AddItemToObject(acl, "virtualNetworkRules", vr);
    json_set(dst, "networkAcls", acl);
    return true;
}

/* publicNetworkAccess and networkAcls of src into dst. */
static bool
props_network(struct arm_ctx *cx, cJSON *dst, const cJSON *src,
              const cJSON *old)
{
    const cJSON *it;
    const char *s;

    if ((s = json_str(src, "publicNetworkAccess"))) {
        const char *v = canon(s, "Enabled", "Disabled");

        if (!v) {
            arm_error(cx, 400, "BadRequest",
                      "The value '%s' is not valid for publicNetworkAccess. "
                      "Valid values are 'Enabled' and 'Disabled'.",
                      s);
            return false;
        }
        json_set_str(dst, "publicNetworkAccess", v);
    }
    if ((it = cJSON_GetObjectItemCaseSensitive(src, "networkAcls")) &&
        !cJSON_IsNull(it))
        return props_acls(cx, dst, it, cJSON_GetObjectItem(old, "networkAcls"));
    return true;
}

/* Copies the settable properties from src into dst (a vault's stored
 * properties), validating them in the service's order; false after
 * answering 400. old: the vault's previous properties. */
bool
arm_vault_props_apply(struct arm_ctx *cx, cJSON *dst, const cJSON *src,
                      const cJSON *old)
{
    return props_tenant_sku(cx, dst, src) && props_access(cx, dst, src) &&
           props_recovery(cx, dst, src, old) &&
           props_network(cx, dst, src, old);
}

/* Merges (add), subtracts (remove) or sets (replace) permission lists. */
static void
merge_perms(cJSON *dst, const cJSON *src, const char *op)
{
    static const char *const kinds[] = {"keys", "secrets", "certificates",
                                        "storage", NULL};

    for (size_t k = 0; kinds[k]; k++) {
        const cJSON *s = cJSON_GetObjectItem(src, kinds[k]);
        cJSON *d = cJSON_GetObjectItem(dst, kinds[k]);
        const cJSON *p;

        if (!s)
            continue;
        if (!d || strcmp(op, "replace") == 0) {
            if (strcmp(op, "remove") != 0)
                json_set(dst, kinds[k], cJSON_Duplicate(s, true));
            continue;
        }
        cJSON_ArrayForEach(p, s)
        {
            int found = -1, i = 0;
            const cJSON *q;

            cJSON_ArrayForEach(q, d)
            {
                if (cJSON_IsString(q) &&
                    strcasecmp(q->valuestring, p->valuestring) == 0)
                    found = i;
                i++;
            }
            if (strcmp(op, "add") == 0 && found < 0)
                cJSON_AddItemToArray(d, cJSON_CreateString(p->valuestring));
            else if (strcmp(op, "remove") == 0 && found >= 0)
                cJSON_DeleteItemFromArray(d, found);
        }
    }
}

static bool
perms_empty(const cJSON *perms)
{
    const cJSON *k;

    cJSON_ArrayForEach(k, perms) if (cJSON_GetArraySize(k) > 0) return false;
    return true;
}

/* Applies the policies pols to the vault's list cur by op (lower case:
 * add, replace, remove); a policy left without permissions goes. */
static void
policies_merge(cJSON *cur, const cJSON *pols, const char *op)
{
    const cJSON *p;

    cJSON_ArrayForEach(p, pols)
    {
        cJSON *e, *match = NULL;
        int idx = 0, at = -1;

        cJSON_ArrayForEach(e, cur)
        {
            if (str_eq(json_str(e, "objectId"), json_str(p, "objectId")) &&
                str_eq(json_str(e, "tenantId"), json_str(p, "tenantId")) &&
                str_eq(json_str(e, "applicationId"),
                       json_str(p, "applicationId"))) {
                match = e;
                at = idx;
            }
            idx++;
        }
        if (!match) {
            if (strcmp(op, "remove") != 0)
                cJSON_AddItemToArray(cur, cJSON_Duplicate(p, true));
            continue;
        }
        merge_perms(cJSON_GetObjectItem(match, "permissions"),
                    cJSON_GetObjectItem(p, "permissions"), op);
        if (perms_empty(cJSON_GetObjectItem(match, "permissions")))
            cJSON_DeleteItemFromArray(cur, at);
    }
}

/* 200 {id, type, properties: {accessPolicies}} after an edit. */
static void
policies_answer(struct arm_ctx *cx, const cJSON *doc, const char *op,
                const cJSON *cur)
{
    char *id = xasprintf("%s/accessPolicies/%s", json_str(doc, "id"), op);
    cJSON *out = cJSON_CreateObject();

    cJSON_AddStringToObject(out, "id", id);
    cJSON_AddStringToObject(out, "type",
                            "Microsoft.KeyVault/vaults/accessPolicies");
    cJSON_AddItemToObject(cJSON_AddObjectToObject(out, "properties"),
                          "accessPolicies", cJSON_Duplicate(cur, true));
    resp_json(cx->rs, 200, out);
    free(id);
}

void
arm_vault_access_policies(struct arm_ctx *cx)
{
    const char *op = cx->cap[3];
    char *key = arm_key("vault|%s|%s|%s", cx->cap[0], cx->cap[1], cx->cap[2]);
    cJSON *rg = NULL, *body = NULL, *doc = NULL;
    cJSON *pols, *cur;
    struct store_txn *t;
    char *lop = NULL;

    if (strcasecmp(op, "add") != 0 && strcasecmp(op, "replace") != 0 &&
        strcasecmp(op, "remove") != 0) {
        arm_error(cx, 400, "BadRequest",
                  "The operation kind '%s' is not valid; use add, replace or "
                  "remove.",
                  op);
        goto out;
    }
    if (!(rg = arm_need_rg(cx, cx->cap[0], cx->cap[1])) ||
        !(body = arm_body(cx)))
        goto out;
    pols = cJSON_GetObjectItem(cJSON_GetObjectItem(body, "properties"),
                               "accessPolicies");
    if (!cJSON_IsArray(pols)) {
        arm_error(cx, 400, "InvalidRequestContent",
                  "The request content was invalid and could not be "
                  "deserialized: 'Required property 'accessPolicies' not "
                  "found in JSON.'.");
        goto out;
    }
    if (!policies_ok(cx, pols))
        goto out;
    store_write_lock(cx->sim->store);
    doc = store_get_json(cx->sim->store, key);
    if (!doc) {
        arm_not_found(cx, "Microsoft.KeyVault/vaults", cx->cap[2], cx->cap[1]);
        goto unlock;
    }
    cur = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "properties"),
                              "accessPolicies");
    if (!cur)
        cur = cJSON_AddArrayToObject(cJSON_GetObjectItem(doc, "properties"),
                                     "accessPolicies");
    lop = util_lower(op);
    policies_merge(cur, pols, lop);
    arm_system_data(cx, doc, false);
    t = store_txn_new();
    store_txn_put(t, key, doc);
    if (arm_commit(cx, t))
        policies_answer(cx, doc, op, cur);
unlock:
    store_write_unlock(cx->sim->store);
out:
    cJSON_Delete(rg);
    cJSON_Delete(body);
    cJSON_Delete(doc);
    free(key);
    free(lop);
}
