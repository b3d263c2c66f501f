/*
 * arm-network.c — decoders for the vault's network (issue #10): the
 * networkAcls of a vault, virtual networks with their subnets, private
 * endpoints, private DNS zones and their virtual network links, the DNS
 * zone groups of an endpoint (their A record sets), and the signed-in
 * principal's permissions at a scope.
 *
 * Tolerant as resource.h says: missing fields stay NULL/empty (a list the
 * answer did not carry is an empty list; the structs say where that
 * matters), a decoder fails only for a non-object or a missing id.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/resource.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

/* Adds the string member key of every object of the array at path (or
 * the strings themselves when key is NULL) to l. */
static void
strlist_from(const cJSON *obj, const char *path, const char *key,
             struct kv_strlist *l)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, json_at(obj, path))
    {
        const char *s = key != NULL
                            ? json_str(it, key)
                            : (cJSON_IsString(it) ? it->valuestring : NULL);
        if (s != NULL)
            kv_strlist_add(l, s);
    }
}

void
az_network_acls_decode(const cJSON *props, struct kv_vault *out)
{
    const cJSON *acls = json_at(props, "networkAcls");
    if (!cJSON_IsObject(acls))
        return;
    out->has_network_acls = true;
    out->network_bypass = json_strdup(acls, "bypass");
    strlist_from(acls, "ipRules", "value", &out->ip_rules);
    strlist_from(acls, "virtualNetworkRules", "id", &out->vnet_rules);
}

/* ---- subnets and virtual networks ------------------------------------- */

/* Addresses in an IPv4 prefix "a.b.c.d/n" (n 0..32), or -1. IPv6
 * prefixes are far larger than any endpoint count: LONG_MAX-ish is not
 * useful, so they count as unknown too. */
static long
prefix_size(const char *prefix)
{
    const char *slash = prefix != NULL ? strchr(prefix, '/') : NULL;
    if (slash == NULL || strchr(prefix, ':') != NULL)
        return -1;
    char *end = NULL;
    long bits = strtol(slash + 1, &end, 10);
    if (end == slash + 1 || *end != '\0' || bits < 0 || bits > 32)
        return -1;
    if (bits < 2) /* more than fits a long on 32-bit hosts */
        return 1L << 30;
    return 1L << (32 - bits);
}

enum kv_status
az_subnet_decode(const cJSON *j, struct kv_subnet *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a subnet entry without an id"));
        return KV_ERR_PARSE;
    }
    const cJSON *p = cJSON_GetObjectItem(j, "properties");
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(out->id, "subnets");
    const char *sub = str_icontains(out->id, "/subnets/");
    if (sub != NULL)
        out->vnet_id = xstrndup(out->id, (size_t)(sub - out->id));
    out->address_prefix = json_strdup(p, "addressPrefix");
    if (out->address_prefix == NULL) {
        const cJSON *first =
            cJSON_GetArrayItem(json_at(p, "addressPrefixes"), 0);
        if (cJSON_IsString(first))
            out->address_prefix = xstrdup(first->valuestring);
    }
    out->pe_policies = json_strdup(p, "privateEndpointNetworkPolicies");
    strlist_from(p, "serviceEndpoints", "service", &out->service_endpoints);
    /* An endpoint's NIC is among the ipConfigurations and the endpoint
     * is listed again under privateEndpoints: one address, not two. */
    size_t ipc = json_array_len(p, "ipConfigurations");
    size_t pes = json_array_len(p, "privateEndpoints");
    out->used_addresses = ipc > pes ? ipc : pes;
    long size = prefix_size(out->address_prefix);
    if (size < 0) {
        out->free_addresses = -1;
    } else {
        long left = size - 5 - (long)out->used_addresses;
        out->free_addresses = left > 0 ? left : 0;
    }
    out->json = json_pretty(j);
    return KV_OK;
}

enum kv_status
az_vnet_decode(const cJSON *j, struct kv_vnet *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a virtual network entry without an id"));
        return KV_ERR_PARSE;
    }
    const cJSON *p = cJSON_GetObjectItem(j, "properties");
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(out->id, "virtualNetworks");
    out->subscription_id = az_id_segment(out->id, "subscriptions");
    out->resource_group = az_id_segment(out->id, "resourceGroups");
    out->location = json_strdup(j, "location");
    strlist_from(p, "addressSpace.addressPrefixes", NULL,
                 &out->address_prefixes);
    const cJSON *subnets = json_at(p, "subnets");
    size_t n = json_array_len(p, "subnets");
    if (n > 0)
        out->subnets = xcalloc(n, sizeof *out->subnets);
    const cJSON *it;
    cJSON_ArrayForEach(it, subnets)
    {
        char *swhy = NULL;
        struct kv_subnet *s = &out->subnets[out->n_subnets];
        if (az_subnet_decode(it, s, &swhy) != KV_OK) {
            free(swhy);
            continue;
        }
        if (s->vnet_id == NULL)
            s->vnet_id = xstrdup(out->id);
        out->n_subnets++;
    }
    out->json = json_pretty(j);
    return KV_OK;
}

/* ---- private endpoints ------------------------------------------------- */

/* The first private address the endpoint's NIC carries, when the answer
 * inlined it (networkInterfaces[].properties.ipConfigurations[]). */
static char *
nic_address(const cJSON *p)
{
    const cJSON *nic, *ipc;
    cJSON_ArrayForEach(nic, json_at(p, "networkInterfaces"))
    {
        cJSON_ArrayForEach(ipc, json_at(nic, "properties.ipConfigurations"))
        {
            const char *ip = json_str(ipc, "properties.privateIPAddress");
            if (ip != NULL)
                return xstrdup(ip);
        }
    }
    /* the endpoint's own ipConfigurations (static addresses) */
    cJSON_ArrayForEach(ipc, json_at(p, "ipConfigurations"))
    {
        const char *ip = json_str(ipc, "properties.privateIPAddress");
        if (ip != NULL)
            return xstrdup(ip);
    }
    return NULL;
}

enum kv_status
az_private_endpoint_decode(const cJSON *j, struct kv_private_endpoint *out,
                           char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a private endpoint entry without an id"));
        return KV_ERR_PARSE;
    }
    const cJSON *p = cJSON_GetObjectItem(j, "properties");
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(out->id, "privateEndpoints");
    out->subscription_id = az_id_segment(out->id, "subscriptions");
    out->resource_group = az_id_segment(out->id, "resourceGroups");
    out->location = json_strdup(j, "location");
    out->provisioning_state = json_strdup(p, "provisioningState");
    out->subnet_id = json_strdup(p, "subnet.id");
    out->nic_id = json_strdup(
        cJSON_GetArrayItem(json_at(p, "networkInterfaces"), 0), "id");
    const cJSON *dns = cJSON_GetArrayItem(json_at(p, "customDnsConfigs"), 0);
    const cJSON *ip0 = cJSON_GetArrayItem(json_at(dns, "ipAddresses"), 0);
    if (cJSON_IsString(ip0))
        out->private_ip = xstrdup(ip0->valuestring);
    else
        out->private_ip = nic_address(p);
    const cJSON *conn =
        cJSON_GetArrayItem(json_at(p, "privateLinkServiceConnections"), 0);
    if (conn == NULL) {
        conn = cJSON_GetArrayItem(
            json_at(p, "manualPrivateLinkServiceConnections"), 0);
        out->manual = conn != NULL;
    }
    const cJSON *cp = json_at(conn, "properties");
    out->target_id = json_strdup(cp, "privateLinkServiceId");
    out->connection_status =
        json_strdup(cp, "privateLinkServiceConnectionState.status");
    out->connection_description =
        json_strdup(cp, "privateLinkServiceConnectionState.description");
    out->json = json_pretty(j);
    return KV_OK;
}

/* ---- private DNS ------------------------------------------------------- */

enum kv_status
az_dns_zone_decode(const cJSON *j, struct kv_dns_zone *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a private DNS zone entry without an id"));
        return KV_ERR_PARSE;
    }
    const cJSON *p = cJSON_GetObjectItem(j, "properties");
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(out->id, "privateDnsZones");
    out->subscription_id = az_id_segment(out->id, "subscriptions");
    out->resource_group = az_id_segment(out->id, "resourceGroups");
    out->record_sets = (long)json_int(p, "numberOfRecordSets", -1);
    out->vnet_links = (long)json_int(p, "numberOfVirtualNetworkLinks", -1);
    out->json = json_pretty(j);
    return KV_OK;
}

enum kv_status
az_vnet_link_decode(const cJSON *j, struct kv_vnet_link *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a virtual network link entry without an id"));
        return KV_ERR_PARSE;
    }
    const cJSON *p = cJSON_GetObjectItem(j, "properties");
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(out->id, "virtualNetworkLinks");
    const char *l = str_icontains(out->id, "/virtualNetworkLinks/");
    if (l != NULL)
        out->zone_id = xstrndup(out->id, (size_t)(l - out->id));
    out->vnet_id = json_strdup(p, "virtualNetwork.id");
    out->registration_enabled = json_bool(p, "registrationEnabled", false);
    out->link_state = json_strdup(p, "virtualNetworkLinkState");
    out->provisioning_state = json_strdup(p, "provisioningState");
    out->json = json_pretty(j);
    return KV_OK;
}

size_t
az_zone_group_records(const cJSON *j, struct kv_dns_record **records, size_t n)
{
    const cJSON *cfg, *rs;
    cJSON_ArrayForEach(cfg, json_at(j, "properties.privateDnsZoneConfigs"))
    {
        const char *zone = json_str(cfg, "properties.privateDnsZoneId");
        cJSON_ArrayForEach(rs, json_at(cfg, "properties.recordSets"))
        {
            const char *type = json_str(rs, "recordType");
            if (type != NULL && !str_ieq(type, "A"))
                continue;
            *records = xreallocarray(*records, n + 1, sizeof **records);
            struct kv_dns_record *r = &(*records)[n++];
            memset(r, 0, sizeof *r);
            r->zone_id = zone != NULL ? xstrdup(zone) : NULL;
            r->fqdn = json_strdup(rs, "fqdn");
            if (r->fqdn == NULL)
                r->fqdn = json_strdup(rs, "recordSetName");
            strlist_from(rs, "ipAddresses", NULL, &r->addresses);
        }
    }
    return n;
}

enum kv_status
az_zone_group_decode(const cJSON *j, struct kv_zone_group *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a private DNS zone group entry without an id"));
        return KV_ERR_PARSE;
    }
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(out->id, "privateDnsZoneGroups");
    out->n_records = az_zone_group_records(j, &out->records, 0);
    out->json = json_pretty(j);
    return KV_OK;
}

/* ---- permissions ------------------------------------------------------- */

/* One entry's actions and notActions into out: merged, and as an entry
 * of its own. */
static void
permission_entry(const cJSON *e, struct kv_permissions *out)
{
    strlist_from(e, "actions", NULL, &out->actions);
    strlist_from(e, "notActions", NULL, &out->not_actions);
    out->entries =
        xreallocarray(out->entries, out->n_entries + 1, sizeof *out->entries);
    struct kv_permission_entry *pe = &out->entries[out->n_entries++];
    memset(pe, 0, sizeof *pe);
    strlist_from(e, "actions", NULL, &pe->actions);
    strlist_from(e, "notActions", NULL, &pe->not_actions);
}

enum kv_status
az_permissions_decode(const cJSON *j, struct kv_permissions *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j)) {
        *why = xstrdup(_("a permissions answer that is not an object"));
        return KV_ERR_PARSE;
    }
    const cJSON *value = cJSON_GetObjectItem(j, "value");
    if (cJSON_IsArray(value)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, value)
        {
            permission_entry(e, out);
        }
    } else {
        permission_entry(j, out); /* one entry alone */
    }
    out->json = json_pretty(j);
    return KV_OK;
}
