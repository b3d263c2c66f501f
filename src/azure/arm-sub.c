/*
 * arm-sub.c — decoders for tenants, subscriptions and resource groups
 * (Microsoft.Resources, PROTOCOL.md §2).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/resource.h"
#include "base/i18n.h"
#include "base/xalloc.h"

enum kv_status
az_subscription_decode(const cJSON *j, struct kv_subscription *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j)) {
        *why = xstrdup(_("a subscription entry is not a JSON object"));
        return KV_ERR_PARSE;
    }
    out->subscription_id = json_strdup(j, "subscriptionId");
    out->id = json_strdup(j, "id");
    if (out->subscription_id == NULL && out->id != NULL)
        out->subscription_id = az_id_segment(out->id, "subscriptions");
    if (out->id == NULL && out->subscription_id != NULL)
        out->id = xasprintf("/subscriptions/%s", out->subscription_id);
    if (out->id == NULL) { /* then subscription_id is NULL too */
        *why = xstrdup(_("a subscription without id or subscriptionId"));
        return KV_ERR_PARSE;
    }
    out->tenant_id = json_strdup(j, "tenantId");
    out->display_name = json_strdup(j, "displayName");
    out->state = json_strdup(j, "state");
    out->json = json_pretty(j);
    return KV_OK;
}

enum kv_status
az_tenant_decode(const cJSON *j, struct kv_tenant *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j)) {
        *why = xstrdup(_("a tenant entry is not a JSON object"));
        return KV_ERR_PARSE;
    }
    out->id = json_strdup(j, "tenantId");
    if (out->id == NULL && json_str(j, "id") != NULL)
        out->id = az_id_segment(json_str(j, "id"), "tenants");
    if (out->id == NULL || *out->id == '\0') {
        free(out->id);
        out->id = NULL;
        *why = xstrdup(_("a tenant without tenantId or id"));
        return KV_ERR_PARSE;
    }
    out->display_name = json_strdup(j, "displayName");
    out->default_domain = json_strdup(j, "defaultDomain");
    out->json = json_pretty(j);
    return KV_OK;
}

enum kv_status
az_group_decode(const cJSON *j, struct kv_group *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a resource group entry without an id"));
        return KV_ERR_PARSE;
    }
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(out->id, "resourceGroups");
    out->subscription_id = az_id_segment(out->id, "subscriptions");
    out->location = json_strdup(j, "location");
    out->provisioning_state = json_strdup(j, "properties.provisioningState");
    out->managed_by = json_strdup(j, "managedBy");
    az_tags_decode(cJSON_GetObjectItem(j, "tags"), &out->tags);
    out->json = json_pretty(j);
    return KV_OK;
}
