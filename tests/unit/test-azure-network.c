/*
 * test-azure-network.c — the vault's network in the azure library
 * (issue #10): decoding virtual networks and subnets (free addresses),
 * private endpoints (the private IP from customDnsConfigs or the NIC),
 * zone groups with their A records, DNS zones, links, permissions and
 * kv_permits' wildcards, management-plane secrets; the request bodies
 * (networkAcls, endpoint, zone, link, zone group, subnet policy,
 * connection state, the ARM secret in secure memory); the IP rule check;
 * resolve overrides (check, lookup, URL targets).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/ops-int.h"
#include "azure/resolve.h"
#include "azure/resource.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tests/tap.h"

#define free_contents(fn, s) fn(memcpy(xmalloc(sizeof(s)), &(s), sizeof(s)))

#define SUB  "/subscriptions/00000000-0000-0000-0000-000000000000"
#define RG   SUB "/resourceGroups/rg-net"
#define VNET RG "/providers/Microsoft.Network/virtualNetworks/vnet-hub"
#define PE   RG "/providers/Microsoft.Network/privateEndpoints/pe-kv"
#define ZONE                                                                   \
    RG "/providers/Microsoft.Network/privateDnsZones/"                         \
       "privatelink.vaultcore.azure.net"

static cJSON *
parse(const char *s)
{
    return json_parse(s, strlen(s), "test", NULL);
}

static void
test_vnet(void)
{
    /* a /24 with two IP configurations (a NIC's and the endpoint's NIC's)
     * and that one endpoint listed again: 256 - 5 - 2 */
    cJSON *j = parse(
        "{\"id\":\"" VNET "\",\"location\":\"westeurope\",\"properties\":{"
        "\"addressSpace\":{\"addressPrefixes\":[\"10.10.0.0/16\"]},"
        "\"subnets\":[{\"id\":\"" VNET "/subnets/snet-pe\",\"name\":"
        "\"snet-pe\",\"properties\":{\"addressPrefix\":\"10.10.1.0/24\","
        "\"privateEndpointNetworkPolicies\":\"Disabled\",\"ipConfigurations\":"
        "[{\"id\":\"a\"},{\"id\":\"b\"}],\"privateEndpoints\":[{\"id\":\"c\"}],"
        "\"serviceEndpoints\":[{\"service\":\"Microsoft.KeyVault\"}]}},"
        "{\"id\":\"" VNET "/subnets/snet-v6\",\"properties\":{"
        "\"addressPrefixes\":[\"fd00::/64\"]}},{\"name\":\"no-id\"}]}}");
    struct kv_vnet v;
    char *why = NULL;
    is_int(az_vnet_decode(j, &v, &why), KV_OK, "a VNet decodes");
    is_str(v.name, "vnet-hub", "its name from the id");
    is_str(v.resource_group, "rg-net", "its group");
    is_str(v.location, "westeurope", "its region");
    ok(v.address_prefixes.n == 1 &&
           strcmp(v.address_prefixes.items[0], "10.10.0.0/16") == 0,
       "its address space");
    is_int(v.n_subnets, 2, "two subnets (the one without an id skipped)");
    const struct kv_subnet *s = &v.subnets[0];
    is_str(s->vnet_id, VNET, "a subnet knows its VNet");
    is_str(s->address_prefix, "10.10.1.0/24", "addressPrefix");
    is_str(s->pe_policies, "Disabled", "privateEndpointNetworkPolicies");
    is_int(s->used_addresses, 2,
           "IP configurations use addresses; an endpoint is not one more");
    is_int(s->free_addresses, 256 - 5 - 2, "free: size - 5 reserved - used");
    ok(s->service_endpoints.n == 1, "its service endpoints");
    is_str(v.subnets[1].name, "snet-v6", "a name from the id");
    is_str(v.subnets[1].address_prefix, "fd00::/64", "addressPrefixes[0]");
    is_int(v.subnets[1].free_addresses, -1, "an IPv6 prefix: unknown (-1)");
    ok(v.subnets[1].pe_policies == NULL, "a policy not sent stays NULL");
    free_contents(kv_vnet_free, v);
    cJSON_Delete(j);
}

static void
test_endpoint(void)
{
    cJSON *j = parse(
        "{\"id\":\"" PE "\",\"location\":\"westeurope\",\"properties\":{"
        "\"provisioningState\":\"Succeeded\",\"subnet\":{\"id\":\"" VNET
        "/subnets/snet-pe\"},\"networkInterfaces\":[{\"id\":\"nic-1\"}],"
        "\"privateLinkServiceConnections\":[],"
        "\"manualPrivateLinkServiceConnections\":[{\"name\":\"c\","
        "\"properties\":{\"privateLinkServiceId\":\"/v/kv-x\",\"groupIds\":"
        "[\"vault\"],\"privateLinkServiceConnectionState\":{\"status\":"
        "\"Pending\",\"description\":\"please\"}}}],"
        "\"customDnsConfigs\":[{\"fqdn\":\"kv-x.vault.azure.net\","
        "\"ipAddresses\":[\"10.10.1.4\"]}]}}");
    struct kv_private_endpoint e;
    char *why = NULL;
    is_int(az_private_endpoint_decode(j, &e, &why), KV_OK, "an endpoint");
    is_str(e.name, "pe-kv", "its name");
    is_str(e.subnet_id, VNET "/subnets/snet-pe", "its subnet");
    is_str(e.nic_id, "nic-1", "its NIC");
    is_str(e.private_ip, "10.10.1.4", "the IP from customDnsConfigs");
    ok(e.manual, "a manual connection");
    is_str(e.target_id, "/v/kv-x", "the vault it connects to");
    is_str(e.connection_status, "Pending", "the connection's state");
    is_str(e.connection_description, "please", "and its description");
    free_contents(kv_private_endpoint_free, e);
    cJSON_Delete(j);

    /* no customDnsConfigs: the inlined NIC's address */
    j = parse("{\"id\":\"" PE "\",\"properties\":{\"networkInterfaces\":[{"
              "\"id\":\"nic\",\"properties\":{\"ipConfigurations\":[{"
              "\"properties\":{\"privateIPAddress\":\"10.10.1.9\"}}]}}],"
              "\"privateLinkServiceConnections\":[{\"properties\":{"
              "\"privateLinkServiceId\":\"/v/kv-y\"}}]}}");
    is_int(az_private_endpoint_decode(j, &e, &why), KV_OK, "another one");
    is_str(e.private_ip, "10.10.1.9", "the IP from the NIC");
    ok(!e.manual, "an automatic connection");
    free_contents(kv_private_endpoint_free, e);
    cJSON_Delete(j);

    /* a network interface read as an endpoint: its own address */
    j = parse("{\"id\":\"" RG "/providers/Microsoft.Network/networkInterfaces/"
              "pe-kv.nic.1\",\"properties\":{\"ipConfigurations\":[{"
              "\"name\":\"privateEndpointIpConfig\",\"properties\":{"
              "\"privateIPAddress\":\"10.10.1.7\"}}]}}");
    is_int(az_private_endpoint_decode(j, &e, &why), KV_OK, "a NIC");
    is_str(e.private_ip, "10.10.1.7", "its address (the endpoint's)");
    free_contents(kv_private_endpoint_free, e);
    cJSON_Delete(j);

    j = parse("{\"id\":\"" PE "\",\"properties\":{}}");
    is_int(az_private_endpoint_decode(j, &e, &why), KV_OK, "a bare one");
    ok(e.private_ip == NULL && e.subnet_id == NULL,
       "nothing read is left NULL (never a default)");
    free_contents(kv_private_endpoint_free, e);
    cJSON_Delete(j);
}

static void
test_dns(void)
{
    cJSON *j = parse(
        "{\"id\":\"" PE "/privateDnsZoneGroups/default\",\"properties\":{"
        "\"privateDnsZoneConfigs\":[{\"name\":\"z\",\"properties\":{"
        "\"privateDnsZoneId\":\"" ZONE "\",\"recordSets\":[{\"recordType\":"
        "\"A\",\"recordSetName\":\"kv-x\",\"fqdn\":\"kv-x.privatelink."
        "vaultcore.azure.net\",\"ipAddresses\":[\"10.10.1.4\"]},"
        "{\"recordType\":\"AAAA\",\"fqdn\":\"v6\",\"ipAddresses\":[\"fd::1\"]"
        "}]}}]}}");
    struct kv_zone_group g;
    char *why = NULL;
    is_int(az_zone_group_decode(j, &g, &why), KV_OK, "a zone group");
    is_str(g.name, "default", "its name from the id");
    is_int(g.n_records, 1, "one A record (AAAA left out)");
    is_str(g.records[0].zone_id, ZONE, "the record's zone");
    is_str(g.records[0].fqdn, "kv-x.privatelink.vaultcore.azure.net",
           "its name");
    ok(g.records[0].addresses.n == 1 &&
           strcmp(g.records[0].addresses.items[0], "10.10.1.4") == 0,
       "its address");
    free_contents(kv_zone_group_free, g);
    cJSON_Delete(j);

    j = parse("{\"id\":\"" ZONE "\",\"location\":\"global\",\"properties\":"
              "{\"numberOfRecordSets\":2,\"numberOfVirtualNetworkLinks\":1}}");
    struct kv_dns_zone z;
    is_int(az_dns_zone_decode(j, &z, &why), KV_OK, "a zone");
    is_str(z.name, "privatelink.vaultcore.azure.net", "its name");
    ok(z.record_sets == 2 && z.vnet_links == 1, "its counts");
    free_contents(kv_dns_zone_free, z);
    cJSON_Delete(j);
    j = parse("{\"id\":\"" ZONE "\"}");
    is_int(az_dns_zone_decode(j, &z, &why), KV_OK, "a zone without counts");
    ok(z.record_sets == -1 && z.vnet_links == -1, "counts unknown: -1");
    free_contents(kv_dns_zone_free, z);
    cJSON_Delete(j);

    j = parse("{\"id\":\"" ZONE "/virtualNetworkLinks/hub\",\"properties\":{"
              "\"virtualNetwork\":{\"id\":\"" VNET "\"},\"registrationEnabled"
              "\":false,\"virtualNetworkLinkState\":\"Completed\"}}");
    struct kv_vnet_link l;
    is_int(az_vnet_link_decode(j, &l, &why), KV_OK, "a link");
    is_str(l.zone_id, ZONE, "its zone from the id");
    is_str(l.vnet_id, VNET, "its VNet");
    is_str(l.link_state, "Completed", "its state");
    free_contents(kv_vnet_link_free, l);
    cJSON_Delete(j);
}

static void
test_permissions(void)
{
    cJSON *j = parse(
        "{\"value\":[{\"actions\":[\"Microsoft.KeyVault/*\"],\"notActions\":"
        "[\"Microsoft.KeyVault/vaults/delete\"]},{\"actions\":[\"*/read\"],"
        "\"notActions\":[],\"dataActions\":[]}]}");
    struct kv_permissions p;
    char *why = NULL;
    is_int(az_permissions_decode(j, &p, &why), KV_OK, "permissions decode");
    ok(p.actions.n == 2 && p.not_actions.n == 1, "entries merged");
    ok(kv_permits(&p, "Microsoft.KeyVault/vaults/"
                      "privateEndpointConnectionsApproval/action"),
       "Microsoft.KeyVault/* grants the approval");
    ok(kv_permits(&p, "microsoft.keyvault/VAULTS/write"),
       "case does not matter");
    ok(!kv_permits(&p, "Microsoft.KeyVault/vaults/delete"),
       "notActions take an action away");
    is_int(p.n_entries, 2, "the entries kept apart too");
    ok(kv_permits(&p, "Microsoft.Network/virtualNetworks/read"),
       "*/read grants every read");
    ok(!kv_permits(&p, "Microsoft.Network/virtualNetworks/write"),
       "but no write elsewhere");
    free_contents(kv_permissions_free, p);
    cJSON_Delete(j);

    struct kv_permissions owner = {0};
    kv_strlist_add(&owner.actions, "*");
    kv_strlist_add(&owner.not_actions, "Microsoft.Authorization/*/Delete");
    ok(kv_permits(&owner, "Microsoft.Network/privateEndpoints/write"),
       "* grants anything");
    ok(!kv_permits(&owner, "Microsoft.Authorization/roleAssignments/delete"),
       "a wildcard in notActions");
    ok(!kv_permits(NULL, "x"), "no permissions: nothing");
    kv_strlist_free(&owner.actions);
    kv_strlist_free(&owner.not_actions);

    /* an entry's notActions take away its own actions only: Contributor
     * (no Authorization writes) beside a role that grants them */
    j = parse("{\"value\":[{\"actions\":[\"*\"],\"notActions\":["
              "\"Microsoft.Authorization/*/Write\"]},{\"actions\":["
              "\"Microsoft.Authorization/roleAssignments/write\"]}]}");
    is_int(az_permissions_decode(j, &p, &why), KV_OK, "two roles");
    ok(kv_permits(&p, "Microsoft.Authorization/roleAssignments/write"),
       "granted by the second role despite the first's notActions");
    ok(!kv_permits(&p, "Microsoft.Authorization/roleDefinitions/write"),
       "what no role grants stays refused");
    free_contents(kv_permissions_free, p);
    cJSON_Delete(j);
}

static void
test_arm_secret(void)
{
    /* the spec's example (examples/createSecret.json), a value added */
    cJSON *j = parse(
        "{\"id\":\"" RG "/providers/Microsoft.KeyVault/vaults/sample-vault/"
        "secrets/secret-name\",\"name\":\"secret-name\",\"type\":"
        "\"Microsoft.KeyVault/vaults/secrets\",\"tags\":{\"k\":\"v\"},"
        "\"properties\":{\"value\":\"HUSH\",\"contentType\":\"text/plain\","
        "\"attributes\":{\"enabled\":false,\"created\":1514938738,"
        "\"updated\":1514938739,\"exp\":1900000000},\"secretUri\":"
        "\"https://sample-vault.vault.azure.net/secrets/secret-name\","
        "\"secretUriWithVersion\":\"https://sample-vault.vault.azure.net/"
        "secrets/secret-name/baf6de32c4774c7c81345f6476cf90a4\"}}");
    struct kv_secret_version v;
    char *why = NULL;
    is_int(az_arm_secret_decode(j, &v, &why), KV_OK, "an ARM secret");
    is_str(v.vault_uri, "https://sample-vault.vault.azure.net", "vault URI");
    is_str(v.name, "secret-name", "name");
    is_str(v.version, "baf6de32c4774c7c81345f6476cf90a4", "version");
    is_str(v.id,
           "https://sample-vault.vault.azure.net/secrets/secret-name/"
           "baf6de32c4774c7c81345f6476cf90a4",
           "id: secretUriWithVersion");
    ok(!v.attrs.enabled && v.attrs.created == 1514938738 &&
           v.attrs.expires == 1900000000,
       "attributes");
    is_str(v.content_type, "text/plain", "content type");
    is_str(kv_tags_get(&v.tags, "k"), "v", "tags");
    ok(strstr(v.json, "HUSH") == NULL, "a value never reaches json");
    free_contents(kv_secret_version_free, v);
    cJSON_Delete(j);
}

static void
test_bodies(void)
{
    struct kv_strlist ips = {0}, subnets = {0};
    kv_strlist_add(&ips, "203.0.113.0/24");
    kv_strlist_add(&subnets, VNET "/subnets/snet-pe");
    struct az_vault_network n = {.public_network_access = "Disabled",
                                 .default_action = "Deny",
                                 .ip_rules = &ips,
                                 .vnet_rules = &subnets};
    char *b = az_vault_network_body(&n);
    is_str(b,
           "{\"properties\":{\"publicNetworkAccess\":\"Disabled\","
           "\"networkAcls\":{\"bypass\":\"AzureServices\",\"defaultAction\":"
           "\"Deny\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"}],"
           "\"virtualNetworkRules\":[{\"id\":\"" VNET "/subnets/snet-pe\"}]}}}",
           "the network PATCH: the whole networkAcls");
    free(b);
    kv_strlist_free(&ips);
    kv_strlist_free(&subnets);

    b = az_private_endpoint_body("westeurope", VNET "/subnets/s", "/v/kv",
                                 "kv-conn", true, "please approve");
    cJSON *j = parse(b);
    is_str(json_str(j, "location"), "westeurope", "endpoint: location");
    const cJSON *c = cJSON_GetArrayItem(
        json_at(j, "properties.manualPrivateLinkServiceConnections"), 0);
    is_str(json_str(c, "properties.privateLinkServiceId"), "/v/kv",
           "endpoint: a manual connection to the vault");
    is_str(json_str(c, "properties.requestMessage"), "please approve",
           "with the request message");
    is_str(
        cJSON_GetArrayItem(json_at(c, "properties.groupIds"), 0)->valuestring,
        "vault", "to its 'vault' group");
    cJSON_Delete(j);
    free(b);

    b = az_zone_group_body(ZONE);
    j = parse(b);
    c = cJSON_GetArrayItem(json_at(j, "properties.privateDnsZoneConfigs"), 0);
    is_str(json_str(c, "name"), "privatelink-vaultcore-azure-net",
           "zone group: the config named after the zone");
    is_str(json_str(c, "properties.privateDnsZoneId"), ZONE, "the zone");
    cJSON_Delete(j);
    free(b);

    b = az_vnet_link_body(VNET);
    j = parse(b);
    ok(str_eq(json_str(j, "location"), "global") &&
           str_eq(json_str(j, "properties.virtualNetwork.id"), VNET) &&
           !json_bool(j, "properties.registrationEnabled", true),
       "link: global, the VNet, no auto-registration");
    cJSON_Delete(j);
    free(b);

    b = az_pec_state_body("Approved", "ok", "W/\"1\"");
    j = parse(b);
    ok(str_eq(json_str(j, "properties.privateLinkServiceConnectionState."
                          "status"),
              "Approved") &&
           str_eq(json_str(j, "etag"), "W/\"1\""),
       "connection state with its etag");
    cJSON_Delete(j);
    free(b);

    struct kv_subnet s = {
        .name = xstrdup("snet"),
        .json =
            xstrdup("{\"id\":\"x\",\"etag\":\"e\",\"properties\":{"
                    "\"addressPrefix\":\"10.0.1.0/24\",\"provisioningState\":"
                    "\"Succeeded\",\"privateEndpointNetworkPolicies\":"
                    "\"Enabled\",\"networkSecurityGroup\":{\"id\":\"nsg\"}}}")};
    b = az_subnet_policy_body(&s, "Disabled");
    j = parse(b);
    ok(str_eq(json_str(j, "properties.privateEndpointNetworkPolicies"),
              "Disabled") &&
           str_eq(json_str(j, "properties.addressPrefix"), "10.0.1.0/24") &&
           str_eq(json_str(j, "properties.networkSecurityGroup.id"), "nsg") &&
           json_at(j, "properties.provisioningState") == NULL,
       "subnet PUT: as read, the policy changed, read-only state out");
    cJSON_Delete(j);
    free(b);
    free(s.json);
    s.json = xstrdup("not json");
    ok(az_subnet_policy_body(&s, "Disabled") == NULL,
       "a subnet that cannot be read: no body");
    kv_subnet_clear(&s);

    struct secret *v = secret_dup("a\"b\n", 4);
    struct kv_tags tags = {0};
    kv_tags_set(&tags, "rotated-by", "kvdeck");
    struct az_secret_write w = {
        .content_type = "text/plain", .enabled = AZ_SET_TRUE, .tags = &tags};
    struct secret *body = az_arm_secret_body(v, &w);
    j = parse(body->data);
    is_str(json_str(j, "properties.value"), "a\"b\n",
           "ARM secret: the value, escaped, under properties");
    ok(json_bool(j, "properties.attributes.enabled", false) &&
           str_eq(json_str(j, "properties.contentType"), "text/plain"),
       "attributes and content type under properties");
    is_str(json_str(j, "tags.rotated-by"), "kvdeck",
           "tags on the resource, not in properties");
    ok(json_at(j, "properties.tags") == NULL, "(not twice)");
    json_scrub(j, "value");
    cJSON_Delete(j);
    secret_free(body);
    body = az_arm_secret_body(v, NULL);
    is_str(body->data, "{\"properties\":{\"value\":\"a\\\"b\\n\"}}",
           "without fields: the value alone");
    secret_free(body);
    secret_free(v);
    kv_tags_free(&tags);
}

static void
test_ip_rules(void)
{
    char *norm = NULL;
    ok(az_check_ip_rule("203.0.113.7", &norm) == NULL, "an address");
    is_str(norm, "203.0.113.7/32", "is a /32 (as Key Vault stores it)");
    free(norm);
    ok(az_check_ip_rule("10.1.0.0/16", &norm) == NULL, "a CIDR");
    is_str(norm, "10.1.0.0/16", "kept");
    free(norm);
    ok(az_check_ip_rule("0.0.0.0/0", NULL) == NULL, "everything");
    ok(az_check_ip_rule("10.1.2.3/16", &norm) != NULL && norm == NULL,
       "host bits beyond the prefix: refused");
    ok(az_check_ip_rule("10.1.2.3/33", NULL) != NULL, "/33 refused");
    ok(az_check_ip_rule("256.1.1.1", NULL) != NULL, "256 refused");
    ok(az_check_ip_rule("1.2.3", NULL) != NULL, "three octets refused");
    ok(az_check_ip_rule("01.2.3.4", NULL) != NULL, "a leading zero refused");
    ok(az_check_ip_rule("1.2.3.4/", NULL) != NULL, "an empty prefix refused");
    ok(az_check_ip_rule("fd00::/8", NULL) != NULL, "IPv6 refused");
    ok(az_check_ip_rule("", NULL) != NULL, "nothing refused");
}

static void
test_resolve(void)
{
    ok(az_resolve_check("kv-x.vault.azure.net:443:10.0.1.4") == NULL,
       "HOST:PORT:ADDRESS");
    ok(az_resolve_check("kv-x.vault.azure.net:*:10.0.1.4,10.0.1.5") == NULL,
       "any port, two addresses");
    ok(az_resolve_check("h:443:[fd00::4]") == NULL, "IPv6 in brackets");
    ok(az_resolve_check("h:443") != NULL, "no address: refused");
    ok(az_resolve_check("h:https:10.0.0.1") != NULL, "a port name: refused");
    ok(az_resolve_check("h:70000:10.0.0.1") != NULL, "port 70000 refused");
    ok(az_resolve_check("h:443:10.0.0") != NULL, "a bad address refused");
    ok(az_resolve_check("h:443:fd00::4") != NULL, "IPv6 without brackets");
    ok(az_resolve_check("h/x:443:10.0.0.1") != NULL, "a bad host refused");

    struct kv_strlist l = {0};
    kv_strlist_add(&l, "KV-X.vault.azure.net:*:10.0.0.9");
    kv_strlist_add(&l, "kv-x.vault.azure.net:443:10.0.1.4");
    kv_strlist_add(&l, "bad entry");
    char *a = az_resolve_lookup(&l, "kv-x.vault.azure.net", 443);
    is_str(a, "10.0.1.4", "the entry naming the port wins over '*'");
    free(a);
    a = az_resolve_lookup(&l, "kv-x.vault.azure.net", 8443);
    is_str(a, "10.0.0.9", "'*' for other ports (case ignored)");
    free(a);
    ok(az_resolve_lookup(&l, "kv-y.vault.azure.net", 443) == NULL,
       "another host: none");
    kv_strlist_free(&l);

    char *host = NULL;
    long port = 0;
    ok(az_resolve_target("https://KV-X.vault.azure.net/secrets?x", &host,
                         &port) &&
           str_eq(host, "kv-x.vault.azure.net") && port == 443,
       "a URL: host (lower case) and 443");
    free(host);
    ok(az_resolve_target("https://kv.vault.localhost:43121/", &host, &port) &&
           str_eq(host, "kv.vault.localhost") && port == 43121,
       "a URL with a port");
    free(host);
    ok(az_resolve_target("kv-x.vault.azure.net", &host, &port) &&
           str_eq(host, "kv-x.vault.azure.net") && port == 443,
       "a bare host");
    free(host);
    ok(az_resolve_target("https://[::1]:8443/", &host, &port) &&
           str_eq(host, "::1") && port == 8443,
       "an IPv6 literal");
    free(host);
    ok(!az_resolve_target("https:///x", &host, &port) && host == NULL,
       "no host: false");
}

int
main(void)
{
    test_vnet();
    test_endpoint();
    test_dns();
    test_permissions();
    test_arm_secret();
    test_bodies();
    test_ip_rules();
    test_resolve();
    return tap_done();
}
