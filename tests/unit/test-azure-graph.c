/*
 * test-azure-graph.c — Azure Resource Graph in the azure library (issue
 * #12): a vault row (the whole ARM body beside Resource Graph's own
 * lower-cased columns) decodes into the same kv_vault as Resource
 * Manager's answer; resource group, private endpoint and subscription
 * rows; the KQL kvdeck sends; the request body of a first and a next page
 * (the spec's ResourcesNextPageQuery shape); the quota's reset header.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/ops-int.h"
#include "azure/resource.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tests/tap.h"

#define free_contents(fn, s) fn(memcpy(xmalloc(sizeof(s)), &(s), sizeof(s)))

#define SUBID "cfbbd179-59d2-4052-aa06-9270a38aa9d6"
#define VAULT                                                                  \
    "/subscriptions/" SUBID "/resourceGroups/RG-Apps/providers/"               \
    "Microsoft.KeyVault/vaults/kv-app"

static cJSON *
parse(const char *s)
{
    return json_parse(s, strlen(s), "test", NULL);
}

static enum kv_status
decode_as(enum az_item_kind kind, const cJSON *j, void *out)
{
    char *why = NULL;
    enum kv_status st = az_op_item_type(kind)->decode(j, out, &why);
    free(why);
    return st;
}

static void
test_vault_row(void)
{
    static const char props[] =
        "{\"tenantId\":\"t1\",\"vaultUri\":\"https://kv-app.vault.azure.net/"
        "\",\"sku\":{\"family\":\"A\",\"name\":\"premium\"},"
        "\"enableRbacAuthorization\":true,\"enableSoftDelete\":true,"
        "\"softDeleteRetentionInDays\":30,\"enablePurgeProtection\":true,"
        "\"provisioningState\":\"Succeeded\",\"publicNetworkAccess\":"
        "\"Disabled\",\"networkAcls\":{\"defaultAction\":\"Deny\",\"bypass\":"
        "\"AzureServices\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"}],"
        "\"virtualNetworkRules\":[]},\"accessPolicies\":[]}";
    char *arm = xasprintf("{\"id\":\"" VAULT "\",\"name\":\"kv-app\",\"type\":"
                          "\"Microsoft.KeyVault/vaults\",\"location\":"
                          "\"westeurope\",\"properties\":%s,\"tags\":{"
                          "\"env\":\"prod\"}}",
                          props);
    /* the same vault as a Resource Graph row: type and resourceGroup
     * lower-cased, its own columns beside the ARM body */
    char *row = xasprintf(
        "{\"id\":\"" VAULT "\",\"name\":\"kv-app\",\"type\":"
        "\"microsoft.keyvault/vaults\",\"tenantId\":\"t1\",\"kind\":\"\","
        "\"location\":\"westeurope\",\"resourceGroup\":\"rg-apps\","
        "\"subscriptionId\":\"" SUBID "\",\"managedBy\":\"\",\"sku\":null,"
        "\"plan\":null,\"properties\":%s,\"tags\":{\"env\":\"prod\"},"
        "\"identity\":null,\"zones\":null,\"extendedLocation\":null}",
        props);
    cJSON *ja = parse(arm), *jr = parse(row);
    struct kv_vault a, r;
    is_int(az_vault_decode(ja, &a, &(char *){NULL}), KV_OK, "ARM vault");
    is_int(decode_as(az_graph_item_kind(AZ_GRAPH_VAULTS), jr, &r), KV_OK,
           "a Resource Graph vault row decodes");
    is_str(r.id, VAULT, "the id as returned (its case kept)");
    is_str(r.name, a.name, "name");
    is_str(r.subscription_id, SUBID, "subscription");
    is_str(r.resource_group, "RG-Apps",
           "the group from the id, as ARM's (not the lower-cased column)");
    is_str(r.location, a.location, "location");
    is_str(r.vault_uri, "https://kv-app.vault.azure.net", "vaultUri, no /");
    is_str(r.sku, "premium", "sku.name from properties");
    ok(r.rbac && r.purge_protection && r.soft_delete,
       "RBAC, purge protection, soft delete");
    is_int(r.soft_delete_days, 30, "retention");
    is_str(r.public_network_access, "Disabled", "public network access");
    is_str(r.network_default_action, "Deny", "networkAcls.defaultAction");
    ok(r.has_network_acls && r.ip_rules.n == 1 &&
           strcmp(r.ip_rules.items[0], "203.0.113.0/24") == 0,
       "networkAcls' ipRules");
    ok(r.tags.n == 1 && strcmp(r.tags.items[0].key, "env") == 0, "tags");
    is_str(r.tenant_id, a.tenant_id, "tenant");
    ok(r.json != NULL && strstr(r.json, "vaultUri") != NULL,
       "the row is kept for the detail pane");
    is_str(r.json, a.json,
           "in ARM's shape: Resource Graph's own columns left out, type as "
           "ARM spells it");
    free_contents(kv_vault_free, a);
    free_contents(kv_vault_free, r);
    cJSON_Delete(ja);
    cJSON_Delete(jr);
    free(arm);
    free(row);
}

static void
test_other_rows(void)
{
    cJSON *g = parse(
        "{\"id\":\"/subscriptions/" SUBID "/resourceGroups/RG-Apps\","
        "\"name\":\"RG-Apps\",\"type\":\"microsoft.resources/subscriptions/"
        "resourcegroups\",\"location\":\"westeurope\",\"resourceGroup\":"
        "\"rg-apps\",\"subscriptionId\":\"" SUBID "\",\"managedBy\":\"\","
        "\"properties\":{\"provisioningState\":\"Succeeded\"},\"tags\":{}}");
    struct kv_group kg;
    is_int(decode_as(az_graph_item_kind(AZ_GRAPH_GROUPS), g, &kg), KV_OK,
           "a resource group row decodes");
    is_str(kg.name, "RG-Apps", "its name");
    is_str(kg.subscription_id, SUBID, "its subscription");
    is_str(kg.provisioning_state, "Succeeded", "its state");
    free_contents(kv_group_free, kg);
    cJSON_Delete(g);

    cJSON *p = parse(
        "{\"id\":\"/subscriptions/" SUBID "/resourceGroups/rg-net/providers/"
        "Microsoft.Network/privateEndpoints/pe-kv\",\"name\":\"pe-kv\","
        "\"type\":\"microsoft.network/privateendpoints\",\"location\":"
        "\"westeurope\",\"properties\":{\"subnet\":{\"id\":\"/s/snet\"},"
        "\"customDnsConfigs\":[{\"ipAddresses\":[\"10.0.1.4\"]}],"
        "\"privateLinkServiceConnections\":[{\"properties\":{"
        "\"privateLinkServiceId\":\"" VAULT "\"}}]}}");
    struct kv_private_endpoint pe;
    is_int(decode_as(az_graph_item_kind(AZ_GRAPH_PRIVATE_ENDPOINTS), p, &pe),
           KV_OK, "a private endpoint row decodes");
    is_str(pe.name, "pe-kv", "its name");
    is_str(pe.private_ip, "10.0.1.4", "its address");
    free_contents(kv_private_endpoint_free, pe);
    cJSON_Delete(p);

    cJSON *s = parse("{\"id\":\"/subscriptions/" SUBID "\",\"name\":"
                     "\"Contoso Prod\",\"type\":\"microsoft.resources/"
                     "subscriptions\",\"tenantId\":\"t1\",\"subscriptionId\":"
                     "\"" SUBID "\",\"properties\":{\"state\":\"Enabled\"}}");
    struct kv_subscription ks;
    is_int(decode_as(az_graph_item_kind(AZ_GRAPH_SUBSCRIPTIONS), s, &ks), KV_OK,
           "a subscription row decodes");
    is_str(ks.subscription_id, SUBID, "its id");
    is_str(ks.display_name, "Contoso Prod", "name is the display name");
    is_str(ks.state, "Enabled", "properties.state");
    free_contents(kv_subscription_free, ks);
    cJSON_Delete(s);
}

static void
test_query(void)
{
    char *q = az_graph_query_text(AZ_GRAPH_VAULTS, NULL);
    is_str(q,
           "resources | where type =~ 'microsoft.keyvault/vaults' | order by "
           "id asc",
           "the vaults' query");
    free(q);
    q = az_graph_query_text(AZ_GRAPH_VAULTS, "rg-apps");
    is_str(q,
           "resources | where type =~ 'microsoft.keyvault/vaults' and "
           "resourceGroup =~ 'rg-apps' | order by id asc",
           "a group's vaults");
    free(q);
    q = az_graph_query_text(AZ_GRAPH_GROUPS, NULL);
    ok(str_istarts(q, "resourcecontainers | where type =~ "
                      "'microsoft.resources/subscriptions/resourcegroups'"),
       "groups from resourcecontainers");
    free(q);

    const char *subs[] = {SUBID, "s2"};
    char *b = az_graph_body(subs, 2, "resources", 1000, NULL);
    cJSON *j = parse(b);
    ok(cJSON_GetArraySize(cJSON_GetObjectItem(j, "subscriptions")) == 2,
       "the subscriptions are sent");
    is_str(json_str(j, "query"), "resources", "the query");
    is_int(json_int(j, "options.$top", 0), 1000, "$top");
    is_str(json_str(j, "options.resultFormat"), "objectArray", "objectArray");
    ok(json_str(j, "options.$skipToken") == NULL, "no token on a first page");
    cJSON_Delete(j);
    free(b);
    b = az_graph_body(subs, 1, "resources", 5,
                      "eyAibm8iOiAibHVjayIsICJidXQiOiAibmljZSIsICJ0cnkiOiAiI"
                      "SIgfQ==");
    j = parse(b);
    is_str(json_str(j, "options.$skipToken"),
           "eyAibm8iOiAibHVjayIsICJidXQiOiAibmljZSIsICJ0cnkiOiAiISIgfQ==",
           "the next page names the token it was given");
    cJSON_Delete(j);
    free(b);
}

static void
test_resets_after(void)
{
    is_int(az_graph_parse_resets_after("00:00:05"), 5000, "00:00:05");
    is_int(az_graph_parse_resets_after(" 00:01:02.5\r\n"), 62500,
           "minutes, fractions, blanks");
    is_int(az_graph_parse_resets_after("3"), 3000, "plain seconds");
    is_int(az_graph_parse_resets_after("soon"), -1, "not a time");
    is_int(az_graph_parse_resets_after(NULL), -1, "absent");
    is_int(az_graph_parse_resets_after("1:2:3:4"), -1, "too many parts");
    is_int(az_graph_parse_resets_after("99:00:00"), 86400000, "a day at most");
}

int
main(void)
{
    test_vault_row();
    test_other_rows();
    test_query();
    test_resets_after();
    return tap_done();
}
