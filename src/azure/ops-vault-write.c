/*
 * ops-vault-write.c — the bodies of the vault life cycle's Resource
 * Manager writes (a resource group, a vault, its tags, purge protection,
 * a role assignment) and the role assignment PUT itself. The writes go
 * through az_arm_write_as (ops-arm-write.c), which follows their
 * long-running operations. No body here ever holds a secret.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "azure/ops-int.h"
#include "azure/resource.h"
#include "base/str.h"
#include "base/xalloc.h"

/* Every secret permission an access policy can grant. */
static const char *const all_secret_permissions[] = {
    "get", "list", "set", "delete", "recover", "backup", "restore", "purge",
};

static char *
print(cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);
    char *out = xstrdup(s != NULL ? s : "{}");
    cJSON_free(s);
    cJSON_Delete(j);
    return out;
}

static cJSON *
tags_json(const struct kv_tags *t)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; t != NULL && i < t->n; i++)
        cJSON_AddStringToObject(o, t->items[i].key,
                                t->items[i].value != NULL ? t->items[i].value
                                                          : "");
    return o;
}

char *
az_vault_body(const struct az_vault_props *v)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "location", v->location ? v->location : "");
    if (!v->recover && v->tags != NULL)
        cJSON_AddItemToObject(b, "tags", tags_json(v->tags));
    cJSON *p = cJSON_AddObjectToObject(b, "properties");
    cJSON_AddStringToObject(p, "tenantId", v->tenant_id ? v->tenant_id : "");
    cJSON *sku = cJSON_AddObjectToObject(p, "sku");
    cJSON_AddStringToObject(sku, "family", "A");
    cJSON_AddStringToObject(sku, "name", v->premium ? "premium" : "standard");
    if (v->recover) {
        cJSON_AddStringToObject(p, "createMode", "recover");
        return print(b);
    }
    cJSON_AddBoolToObject(p, "enableRbacAuthorization", v->rbac);
    cJSON_AddBoolToObject(p, "enableSoftDelete", true);
    if (v->retention_days > 0)
        cJSON_AddNumberToObject(p, "softDeleteRetentionInDays",
                                v->retention_days);
    if (v->purge_protection)
        cJSON_AddBoolToObject(p, "enablePurgeProtection", true);
    cJSON_AddStringToObject(p, "publicNetworkAccess",
                            v->public_access ? "Enabled" : "Disabled");
    cJSON *acl = cJSON_AddObjectToObject(p, "networkAcls");
    cJSON_AddStringToObject(acl, "defaultAction",
                            v->default_deny ? "Deny" : "Allow");
    cJSON_AddStringToObject(acl, "bypass", "AzureServices");
    cJSON *pol = cJSON_AddArrayToObject(p, "accessPolicies");
    if (v->policy_object_id != NULL) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "tenantId",
                                v->tenant_id ? v->tenant_id : "");
        cJSON_AddStringToObject(e, "objectId", v->policy_object_id);
        cJSON *perms = cJSON_AddObjectToObject(e, "permissions");
        cJSON *sec = cJSON_AddArrayToObject(perms, "secrets");
        for (size_t i = 0; i < sizeof all_secret_permissions /
                                   sizeof all_secret_permissions[0];
             i++)
            cJSON_AddItemToArray(sec,
                                 cJSON_CreateString(all_secret_permissions[i]));
        cJSON_AddItemToArray(pol, e);
    }
    return print(b);
}

char *
az_group_body(const char *location, const struct kv_tags *tags)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "location", location ? location : "");
    if (tags != NULL && tags->n > 0)
        cJSON_AddItemToObject(b, "tags", tags_json(tags));
    return print(b);
}

char *
az_tags_body(const struct kv_tags *t)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddItemToObject(b, "tags", tags_json(t));
    return print(b);
}

char *
az_purge_protection_body(void)
{
    cJSON *b = cJSON_CreateObject();
    cJSON *p = cJSON_AddObjectToObject(b, "properties");
    cJSON_AddBoolToObject(p, "enablePurgeProtection", true);
    return print(b);
}

char *
az_role_assignment_body(const char *scope, const char *role_guid,
                        const char *principal_id, const char *principal_type)
{
    char *sub = az_id_segment(scope, "subscriptions");
    char *def = xasprintf("/subscriptions/%s/providers/"
                          "Microsoft.Authorization/roleDefinitions/%s",
                          sub != NULL ? sub : "", role_guid);
    cJSON *b = cJSON_CreateObject();
    cJSON *p = cJSON_AddObjectToObject(b, "properties");
    cJSON_AddStringToObject(p, "roleDefinitionId", def);
    cJSON_AddStringToObject(p, "principalId", principal_id ? principal_id : "");
    if (principal_type != NULL && *principal_type != '\0')
        cJSON_AddStringToObject(p, "principalType", principal_type);
    free(sub);
    free(def);
    return print(b);
}

struct az_op *
az_role_assign(struct az_client *c, const char *scope, const char *name,
               const char *body, const struct az_op_cb *cb, void *ud)
{
    char *trim = str_rstrip_slash(scope != NULL ? scope : "");
    char *path =
        xasprintf("%s/providers/Microsoft.Authorization/roleAssignments/%s",
                  trim, name != NULL ? name : "");
    struct az_op *op = az_arm_write_as(c, "PUT", path, AZ_API_AUTHORIZATION,
                                       body, AZ_ITEM_ROLE_ASSIGNMENT, cb, ud);
    free(trim);
    free(path);
    return op;
}
