/*
 * arm-doc.c — the document builders of arm-doc.h, shared by the ARM
 * handlers and the seed.
 */
#include "config.h"

#include <stdlib.h>

#include "base/xalloc.h"
#include "sim/arm-doc.h"
#include "sim/util.h"

/* tags copied when an object, else an empty object. */
static cJSON *
tags_or_empty(const cJSON *tags)
{
    return cJSON_IsObject(tags) ? cJSON_Duplicate(tags, true)
                                : cJSON_CreateObject();
}

/* {name, id, etag, type}: the head of most Network documents. */
static cJSON *
head(const char *name, const char *id, const char *etag, const char *type)
{
    cJSON *d = cJSON_CreateObject();

    cJSON_AddStringToObject(d, "name", name);
    cJSON_AddStringToObject(d, "id", id);
    cJSON_AddStringToObject(d, "etag", etag);
    cJSON_AddStringToObject(d, "type", type);
    return d;
}

/* ---- Microsoft.KeyVault ------------------------------------------------ */

cJSON *
arm_doc_vault(const char *id, const char *name, const char *location,
              const cJSON *tags)
{
    cJSON *v = cJSON_CreateObject(), *p;

    cJSON_AddStringToObject(v, "id", id);
    cJSON_AddStringToObject(v, "name", name);
    cJSON_AddStringToObject(v, "type", "Microsoft.KeyVault/vaults");
    cJSON_AddStringToObject(v, "location", location);
    if (tags)
        cJSON_AddItemToObject(v, "tags", cJSON_Duplicate(tags, true));
    p = cJSON_AddObjectToObject(v, "properties");
    cJSON_AddItemToObject(p, "accessPolicies", cJSON_CreateArray());
    cJSON_AddFalseToObject(p, "enabledForDeployment");
    cJSON_AddTrueToObject(p, "enableSoftDelete");
    cJSON_AddNumberToObject(p, "softDeleteRetentionInDays", 90);
    cJSON_AddStringToObject(p, "publicNetworkAccess", "Enabled");
    return v;
}

cJSON *
arm_doc_vault_name(const char *state, const char *key)
{
    cJSON *e = cJSON_CreateObject();

    cJSON_AddStringToObject(e, "state", state);
    cJSON_AddStringToObject(e, "key", key);
    return e;
}

cJSON *
arm_doc_deleted_vault(const cJSON *vault, const char *sub, int64_t deleted_s)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(vault, "properties");
    const char *name = json_str(vault, "name");
    const char *loc = json_str(vault, "location");
    int days = (int)json_int(props, "softDeleteRetentionInDays", 90);
    char *id = xasprintf("/subscriptions/%s/providers/Microsoft.KeyVault/"
                         "locations/%s/deletedVaults/%s",
                         sub, loc, name);
    char *d1 = util_iso(deleted_s);
    char *d2 = util_iso(deleted_s + (int64_t)days * 86400);
    cJSON *dv = cJSON_CreateObject(), *dp;

    cJSON_AddStringToObject(dv, "id", id);
    cJSON_AddStringToObject(dv, "name", name);
    cJSON_AddStringToObject(dv, "type", "Microsoft.KeyVault/deletedVaults");
    dp = cJSON_AddObjectToObject(dv, "properties");
    cJSON_AddStringToObject(dp, "vaultId", json_str(vault, "id"));
    cJSON_AddStringToObject(dp, "location", loc);
    cJSON_AddItemToObject(
        dp, "tags",
        tags_or_empty(cJSON_GetObjectItemCaseSensitive(vault, "tags")));
    cJSON_AddStringToObject(dp, "deletionDate", d1);
    cJSON_AddStringToObject(dp, "scheduledPurgeDate", d2);
    if (json_bool(props, "enablePurgeProtection", false))
        cJSON_AddTrueToObject(dp, "purgeProtectionEnabled");
    cJSON_AddItemToObject(dv, "_vault", cJSON_Duplicate(vault, true));
    free(id);
    free(d1);
    free(d2);
    return dv;
}

cJSON *
arm_doc_pec(const char *vault_id, const char *location, const char *name,
            const char *etag, const char *pe_id, const char *status,
            const char *description)
{
    cJSON *pec = cJSON_CreateObject(), *pp, *st;
    char *id = xasprintf("%s/privateEndpointConnections/%s", vault_id, name);

    cJSON_AddStringToObject(pec, "id", id);
    cJSON_AddStringToObject(pec, "name", name);
    cJSON_AddStringToObject(pec, "type",
                            "Microsoft.KeyVault/vaults/"
                            "privateEndpointConnections");
    cJSON_AddStringToObject(pec, "location", location);
    cJSON_AddStringToObject(pec, "etag", etag);
    pp = cJSON_AddObjectToObject(pec, "properties");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(pp, "privateEndpoint"),
                            "id", pe_id);
    st = cJSON_AddObjectToObject(pp, "privateLinkServiceConnectionState");
    cJSON_AddStringToObject(st, "status", status);
    cJSON_AddStringToObject(st, "description", description);
    cJSON_AddStringToObject(st, "actionsRequired", "None");
    free(id);
    return pec;
}

/* ---- Microsoft.Network: virtual networks --------------------------------- */

cJSON *
arm_doc_vnet(const char *id, const char *name, const char *etag,
             const char *location, const cJSON *tags, const char *guid,
             const cJSON *prefixes, bool ddos)
{
    cJSON *v = head(name, id, etag, "Microsoft.Network/virtualNetworks"), *p;

    cJSON_AddStringToObject(v, "location", location);
    cJSON_AddItemToObject(v, "tags", tags_or_empty(tags));
    p = cJSON_AddObjectToObject(v, "properties");
    cJSON_AddStringToObject(p, "resourceGuid", guid);
    cJSON_AddItemToObject(cJSON_AddObjectToObject(p, "addressSpace"),
                          "addressPrefixes", cJSON_Duplicate(prefixes, true));
    cJSON_AddItemToObject(p, "virtualNetworkPeerings", cJSON_CreateArray());
    cJSON_AddBoolToObject(p, "enableDdosProtection", ddos);
    return v;
}

cJSON *
arm_doc_subnet(const char *vnet_id, const char *name, const char *etag,
               const char *prefix, cJSON *service_endpoints,
               const char *pe_policies, const char *pls_policies)
{
    char *id = xasprintf("%s/subnets/%s", vnet_id, name);
    cJSON *s =
        head(name, id, etag, "Microsoft.Network/virtualNetworks/subnets");
    cJSON *p = cJSON_AddObjectToObject(s, "properties");

    cJSON_AddStringToObject(p, "addressPrefix", prefix);
    if (service_endpoints)
        cJSON_AddItemToObject(p, "serviceEndpoints", service_endpoints);
    cJSON_AddItemToObject(p, "delegations", cJSON_CreateArray());
    cJSON_AddStringToObject(p, "privateEndpointNetworkPolicies", pe_policies);
    cJSON_AddStringToObject(p, "privateLinkServiceNetworkPolicies",
                            pls_policies);
    free(id);
    return s;
}

/* ---- Microsoft.Network: private endpoints -------------------------------- */

char *
arm_doc_nic_id(const char *sub, const char *rg, const char *pe,
               const char *guid)
{
    return xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                     "Microsoft.Network/networkInterfaces/%s.nic.%s",
                     sub, rg, pe, guid);
}

cJSON *
arm_doc_pe_conn(const char *pe_id, const char *name, const char *etag,
                const char *target, const char *message)
{
    char *id = xasprintf("%s/privateLinkServiceConnections/%s", pe_id, name);
    cJSON *c = cJSON_CreateObject(), *p;

    cJSON_AddStringToObject(c, "name", name);
    cJSON_AddStringToObject(c, "id", id);
    cJSON_AddStringToObject(c, "etag", etag);
    p = cJSON_AddObjectToObject(c, "properties");
    cJSON_AddStringToObject(p, "privateLinkServiceId", target);
    cJSON_AddItemToObject(p, "groupIds", cJSON_Parse("[\"vault\"]"));
    if (message)
        cJSON_AddStringToObject(p, "requestMessage", message);
    cJSON_AddStringToObject(c, "type",
                            "Microsoft.Network/privateEndpoints/"
                            "privateLinkServiceConnections");
    free(id);
    return c;
}

cJSON *
arm_doc_private_endpoint(const struct arm_doc_pe *pe)
{
    cJSON *d =
        head(pe->name, pe->id, pe->etag, "Microsoft.Network/privateEndpoints");
    cJSON *p, *nic, *dns;

    cJSON_AddStringToObject(d, "location", pe->location);
    cJSON_AddItemToObject(d, "tags", tags_or_empty(pe->tags));
    p = cJSON_AddObjectToObject(d, "properties");
    cJSON_AddStringToObject(p, "resourceGuid", pe->guid);
    cJSON_AddItemToObject(p, "privateLinkServiceConnections", pe->conns);
    cJSON_AddItemToObject(p, "manualPrivateLinkServiceConnections", pe->manual);
    cJSON_AddStringToObject(p, "customNetworkInterfaceName", pe->nic_name);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "subnet"), "id",
                            pe->subnet_id);
    cJSON_AddItemToObject(p, "ipConfigurations", cJSON_CreateArray());
    nic = cJSON_CreateObject();
    cJSON_AddStringToObject(nic, "id", pe->nic_id);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(p, "networkInterfaces"), nic);
    dns = cJSON_AddArrayToObject(p, "customDnsConfigs");
    for (size_t i = 0; i < pe->nvaults; i++) {
        cJSON *dc = cJSON_CreateObject(), *ips = cJSON_CreateArray();
        char *fqdn = xasprintf("%s.%s", pe->vaults[i], pe->dns_suffix);

        cJSON_AddStringToObject(dc, "fqdn", fqdn);
        cJSON_AddItemToArray(ips, cJSON_CreateString(pe->ip));
        cJSON_AddItemToObject(dc, "ipAddresses", ips);
        cJSON_AddItemToArray(dns, dc);
        free(fqdn);
    }
    cJSON_AddStringToObject(d, "_ip", pe->ip);
    return d;
}

/* ---- Microsoft.Network: private DNS ------------------------------------- */

cJSON *
arm_doc_zone(const char *id, const char *name, const char *etag,
             const cJSON *tags)
{
    cJSON *z = cJSON_CreateObject(), *p;

    cJSON_AddStringToObject(z, "id", id);
    cJSON_AddStringToObject(z, "name", name);
    cJSON_AddStringToObject(z, "type", "Microsoft.Network/privateDnsZones");
    cJSON_AddStringToObject(z, "etag", etag);
    cJSON_AddStringToObject(z, "location", "global");
    cJSON_AddItemToObject(z, "tags", tags_or_empty(tags));
    p = cJSON_AddObjectToObject(z, "properties");
    cJSON_AddNumberToObject(p, "maxNumberOfRecordSets", 25000);
    cJSON_AddNumberToObject(p, "maxNumberOfVirtualNetworkLinks", 1000);
    cJSON_AddNumberToObject(p, "maxNumberOfVirtualNetworkLinksWithRegistration",
                            100);
    return z;
}

cJSON *
arm_doc_vlink(const char *id, const char *name, const char *etag,
              const cJSON *tags, bool registration, const char *vnet_id)
{
    cJSON *l = cJSON_CreateObject(), *p;

    cJSON_AddStringToObject(l, "id", id);
    cJSON_AddStringToObject(l, "name", name);
    cJSON_AddStringToObject(l, "type",
                            "Microsoft.Network/privateDnsZones/"
                            "virtualNetworkLinks");
    cJSON_AddStringToObject(l, "etag", etag);
    cJSON_AddStringToObject(l, "location", "global");
    if (cJSON_IsObject(tags))
        cJSON_AddItemToObject(l, "tags", cJSON_Duplicate(tags, true));
    p = cJSON_AddObjectToObject(l, "properties");
    cJSON_AddBoolToObject(p, "registrationEnabled", registration);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "virtualNetwork"), "id",
                            vnet_id);
    return l;
}

cJSON *
arm_doc_a_record(const char *zone_id, const char *zone_name, const char *name,
                 const char *etag, double ttl)
{
    cJSON *r = cJSON_CreateObject(), *p;
    char *id = xasprintf("%s/A/%s", zone_id, name);
    char *fqdn = xasprintf("%s.%s.", name, zone_name);

    cJSON_AddStringToObject(r, "id", id);
    cJSON_AddStringToObject(r, "name", name);
    cJSON_AddStringToObject(r, "type", "Microsoft.Network/privateDnsZones/A");
    cJSON_AddStringToObject(r, "etag", etag);
    p = cJSON_AddObjectToObject(r, "properties");
    cJSON_AddNumberToObject(p, "ttl", ttl);
    cJSON_AddStringToObject(p, "fqdn", fqdn);
    cJSON_AddFalseToObject(p, "isAutoRegistered");
    cJSON_AddItemToObject(p, "aRecords", cJSON_CreateArray());
    free(id);
    free(fqdn);
    return r;
}

void
arm_doc_a_address(cJSON *rec, const char *ip)
{
    cJSON *a = cJSON_CreateObject();

    cJSON_AddStringToObject(a, "ipv4Address", ip);
    cJSON_AddItemToArray(
        cJSON_GetObjectItem(cJSON_GetObjectItem(rec, "properties"), "aRecords"),
        a);
}

cJSON *
arm_doc_zone_group(const char *id, const char *name, const char *etag)
{
    cJSON *zg = head(name, id, etag,
                     "Microsoft.Network/privateEndpoints/"
                     "privateDnsZoneGroups");

    cJSON_AddArrayToObject(cJSON_AddObjectToObject(zg, "properties"),
                           "privateDnsZoneConfigs");
    return zg;
}

cJSON *
arm_doc_zone_config(cJSON *zg, const char *name, const char *etag,
                    const char *zone_id)
{
    char *id =
        xasprintf("%s/privateDnsZoneConfigs/%s", json_str(zg, "id"), name);
    cJSON *c = head(name, id, etag,
                    "Microsoft.Network/privateEndpoints/"
                    "privateDnsZoneGroups/privateDnsZoneConfigs");
    cJSON *p = cJSON_AddObjectToObject(c, "properties");

    cJSON_AddStringToObject(p, "privateDnsZoneId", zone_id);
    cJSON_AddArrayToObject(p, "recordSets");
    cJSON_AddItemToArray(
        cJSON_GetObjectItem(cJSON_GetObjectItem(zg, "properties"),
                            "privateDnsZoneConfigs"),
        c);
    free(id);
    return c;
}

void
arm_doc_zone_config_record(cJSON *cfg, const char *vault, const char *fqdn,
                           const char *ip)
{
    cJSON *r = cJSON_CreateObject(), *ips = cJSON_CreateArray();

    cJSON_AddStringToObject(r, "recordType", "A");
    cJSON_AddStringToObject(r, "recordSetName", vault);
    cJSON_AddStringToObject(r, "fqdn", fqdn);
    cJSON_AddNumberToObject(r, "ttl", 10);
    cJSON_AddItemToArray(ips, cJSON_CreateString(ip));
    cJSON_AddItemToObject(r, "ipAddresses", ips);
    cJSON_AddItemToArray(
        cJSON_GetObjectItem(cJSON_GetObjectItem(cfg, "properties"),
                            "recordSets"),
        r);
}
