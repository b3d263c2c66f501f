/*
 * arm-vault.c — decoders for Microsoft.KeyVault/vaults and their private
 * endpoint connections (PROTOCOL.md §3, §6).
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
az_vault_decode(const cJSON *j, struct kv_vault *out, char **why)
{
    enum kv_status st = az_vault_decode_fields(j, out, why);
    if (st == KV_OK)
        out->json = json_pretty(j);
    return st;
}

enum kv_status
az_vault_decode_fields(const cJSON *j, struct kv_vault *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a vault entry without an id"));
        return KV_ERR_PARSE;
    }
    const cJSON *p = cJSON_GetObjectItem(j, "properties");
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(out->id, "vaults");
    out->subscription_id = az_id_segment(out->id, "subscriptions");
    out->resource_group = az_id_segment(out->id, "resourceGroups");
    out->location = json_strdup(j, "location");
    out->tenant_id = json_strdup(p, "tenantId");
    const char *uri = json_str(p, "vaultUri");
    out->vault_uri = uri != NULL ? str_rstrip_slash(uri) : NULL;
    out->sku = json_strdup(p, "sku.name");
    out->provisioning_state = json_strdup(p, "provisioningState");
    out->public_network_access = json_strdup(p, "publicNetworkAccess");
    out->network_default_action = json_strdup(p, "networkAcls.defaultAction");
    az_network_acls_decode(p, out);
    out->rbac = json_bool(p, "enableRbacAuthorization", false);
    out->soft_delete = json_bool(p, "enableSoftDelete", true);
    out->purge_protection = json_bool(p, "enablePurgeProtection", false);
    out->soft_delete_days = (int)json_int(p, "softDeleteRetentionInDays", 0);
    out->access_policies = json_array_len(p, "accessPolicies");
    out->endpoint_connections = json_array_len(p, "privateEndpointConnections");
    out->created = json_time(j, "systemData.createdAt");
    out->modified = json_time(j, "systemData.lastModifiedAt");
    az_tags_decode(cJSON_GetObjectItem(j, "tags"), &out->tags);
    return KV_OK;
}

/* The vault id a connection id belongs to: everything before
 * "/privateEndpointConnections/" (case-insensitive). */
static char *
pec_vault_id(const char *id)
{
    const char *p = str_icontains(id, "/privateEndpointConnections/");
    return p != NULL ? xstrndup(id, (size_t)(p - id)) : NULL;
}

enum kv_status
az_pec_decode(const cJSON *j, struct kv_endpoint_connection *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a private endpoint connection without an id"));
        return KV_ERR_PARSE;
    }
    const cJSON *p = cJSON_GetObjectItem(j, "properties");
    const cJSON *st = json_at(p, "privateLinkServiceConnectionState");
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    out->vault_id = pec_vault_id(out->id);
    out->private_endpoint_id = json_strdup(p, "privateEndpoint.id");
    out->status = json_strdup(st, "status");
    out->description = json_strdup(st, "description");
    out->actions_required = json_strdup(st, "actionsRequired");
    if (out->actions_required == NULL) /* older api-versions */
        out->actions_required = json_strdup(st, "actionRequired");
    out->provisioning_state = json_strdup(p, "provisioningState");
    out->etag = json_strdup(j, "etag");
    if (out->etag == NULL)
        out->etag = json_strdup(p, "etag");
    out->json = json_pretty(j);
    return KV_OK;
}
