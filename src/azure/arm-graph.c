/*
 * arm-graph.c — Azure Resource Graph rows as kvdeck's model (issue #12):
 * the KQL text kvdeck sends for each list, the item kind each list's rows
 * decode into, and the one row shape with no Resource Manager twin (a
 * subscription from resourcecontainers).
 *
 * Resource Graph rows carry a resource's whole ARM body (id, name,
 * location, tags, properties ...) beside its own columns (type and
 * resourceGroup lower-cased, subscriptionId, tenantId), so vaults,
 * resource groups and private endpoints decode with the Resource Manager
 * decoders (resource.h) into the same structs; ids are kept as returned.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/ops.h"
#include "azure/resource.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

/* The table and type of each list (types compared with =~). */
static const struct {
    const char *table, *type;
    enum az_item_kind kind;
} graph_lists[] = {
    [AZ_GRAPH_VAULTS] = {"resources", "microsoft.keyvault/vaults",
                         AZ_ITEM_GRAPH_VAULT},
    [AZ_GRAPH_GROUPS] = {"resourcecontainers",
                         "microsoft.resources/subscriptions/resourcegroups",
                         AZ_ITEM_GROUP},
    [AZ_GRAPH_PRIVATE_ENDPOINTS] = {"resources",
                                    "microsoft.network/privateendpoints",
                                    AZ_ITEM_PRIVATE_ENDPOINT},
    [AZ_GRAPH_SUBSCRIPTIONS] = {"resourcecontainers",
                                "microsoft.resources/subscriptions",
                                AZ_ITEM_GRAPH_SUBSCRIPTION},
};

enum az_item_kind
az_graph_item_kind(enum az_graph_what what)
{
    return graph_lists[what].kind;
}

char *
az_graph_query_text(enum az_graph_what what, const char *group)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s | where type =~ '%s'", graph_lists[what].table,
               graph_lists[what].type);
    if (group != NULL && *group != '\0') {
        buf_puts(&b, " and resourceGroup =~ '");
        for (const char *p = group; *p; p++) {
            if (*p == '\'' || *p == '\\')
                buf_putc(&b, '\\');
            buf_putc(&b, *p);
        }
        buf_putc(&b, '\'');
    }
    /* a subscription row: only the columns kv_subscription reads */
    if (what == AZ_GRAPH_SUBSCRIPTIONS)
        buf_puts(&b, " | project id, subscriptionId, name, tenantId, "
                     "properties");
    /* a stable order: Resource Graph pages by $skipToken over it */
    buf_puts(&b, " | order by id asc");
    return buf_steal(&b);
}

/* Resource Graph's own columns beside the ARM body; a vault's ARM
 * answer has none of them at the top (its sku is in properties). */
static const char *const graph_columns[] = {
    "resourceGroup", "subscriptionId", "tenantId", "kind",  "managedBy",
    "sku",           "plan",           "identity", "zones", "extendedLocation",
};

enum kv_status
az_graph_vault_decode(const cJSON *j, struct kv_vault *out, char **why)
{
    if (!cJSON_IsObject(j))
        return az_vault_decode(j, out, why);
    /* the row as Resource Manager would give the vault: read in place,
     * printed without the graph's columns (no copy of the row) */
    enum kv_status st = az_vault_decode_fields(j, out, why);
    if (st != KV_OK)
        return st;
    const char *type = json_str(j, "type");
    out->json = json_pretty_except(
        j, graph_columns, sizeof graph_columns / sizeof graph_columns[0],
        type != NULL && str_ieq(type, "Microsoft.KeyVault/vaults")
            ? "Microsoft.KeyVault/vaults"
            : NULL);
    return KV_OK;
}

enum kv_status
az_graph_subscription_decode(const cJSON *j, struct kv_subscription *out,
                             char **why)
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
    if (out->id == NULL) {
        *why = xstrdup(_("a subscription without id or subscriptionId"));
        return KV_ERR_PARSE;
    }
    out->tenant_id = json_strdup(j, "tenantId");
    out->display_name = json_strdup(j, "name");
    out->state = json_strdup(j, "properties.state");
    out->json = json_pretty(j);
    return KV_OK;
}
