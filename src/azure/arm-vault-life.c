/*
 * arm-vault-life.c — decoders for what the vault life cycle reads beside
 * the vaults themselves: a subscription's locations, soft-deleted vaults
 * (Microsoft.KeyVault/deletedVaults), the answer of checkNameAvailability
 * and role assignments (Microsoft.Authorization/roleAssignments).
 * Tolerant as the other decoders (resource.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/resource.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

enum kv_status
az_location_decode(const cJSON *j, struct kv_location *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "name") == NULL) {
        *why = xstrdup(_("a location without a name"));
        return KV_ERR_PARSE;
    }
    const char *type = json_str(j, "metadata.regionType");
    if (type != NULL && str_ieq(type, "Logical")) {
        *why = xasprintf("%s is a logical region", json_str(j, "name"));
        return KV_ERR_PARSE;
    }
    out->name = json_strdup(j, "name");
    out->display_name = json_strdup(j, "displayName");
    if (out->display_name == NULL)
        out->display_name = xstrdup(out->name);
    out->json = json_pretty(j);
    return KV_OK;
}

enum kv_status
az_deleted_vault_decode(const cJSON *j, struct kv_deleted_vault *out,
                        char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a deleted vault without an id"));
        return KV_ERR_PARSE;
    }
    const cJSON *p = cJSON_GetObjectItem(j, "properties");
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(out->id, "deletedVaults");
    out->subscription_id = az_id_segment(out->id, "subscriptions");
    out->location = json_strdup(p, "location");
    if (out->location == NULL)
        out->location = az_id_segment(out->id, "locations");
    out->vault_id = json_strdup(p, "vaultId");
    out->resource_group = az_id_segment(out->vault_id, "resourceGroups");
    out->deletion_date = json_time(p, "deletionDate");
    out->scheduled_purge_date = json_time(p, "scheduledPurgeDate");
    out->purge_protection = json_bool(p, "purgeProtectionEnabled", false);
    az_tags_decode(json_at(p, "tags"), &out->tags);
    out->json = json_pretty(j);
    return KV_OK;
}

enum kv_status
az_name_check_decode(const cJSON *j, struct kv_name_check *out, char **why)
{
    memset(out, 0, sizeof *out);
    const cJSON *a = cJSON_IsObject(j) ? json_at(j, "nameAvailable") : NULL;
    if (a == NULL) {
        *why = xstrdup(_("a name check answer without nameAvailable"));
        return KV_ERR_PARSE;
    }
    out->available = json_bool(j, "nameAvailable", false);
    out->reason = json_strdup(j, "reason");
    out->message = json_strdup(j, "message");
    return KV_OK;
}

enum kv_status
az_role_assignment_decode(const cJSON *j, struct kv_role_assignment *out,
                          char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a role assignment without an id"));
        return KV_ERR_PARSE;
    }
    const cJSON *p = cJSON_GetObjectItem(j, "properties");
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(out->id, "roleAssignments");
    out->scope = json_strdup(p, "scope");
    out->role_definition_id = json_strdup(p, "roleDefinitionId");
    out->principal_id = json_strdup(p, "principalId");
    out->principal_type = json_strdup(p, "principalType");
    out->json = json_pretty(j);
    return KV_OK;
}
