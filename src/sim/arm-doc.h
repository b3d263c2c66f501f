/*
 * arm-doc.h — the stored documents of the ARM resources, built in one
 * place for the PUT handlers and the seed (seed.c) alike: vaults and
 * their name index and deleted form, virtual networks and subnets,
 * private endpoints and their connections, private DNS zones, links,
 * zone groups and A records.
 *
 * Every builder returns a new document the caller deletes; strings are
 * copied, cJSON arguments documented as "taken" become the document's.
 * Ids, etags and guids are the caller's: the handlers make random ones,
 * the seed derives them from names so that a seed is reproducible.
 * Members the handlers keep private ("_readyAt", "_dnsAt") are set by
 * the callers; an endpoint's "_ip" (its address) is part of its shape.
 */
#ifndef KV_SIM_ARM_DOC_H
#define KV_SIM_ARM_DOC_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* ---- Microsoft.KeyVault ------------------------------------------------ */

/* A vault with the service's defaults: no access policies, soft delete
 * for 90 days, public network access; tags (copied; NULL: none yet). */
cJSON *arm_doc_vault(const char *id, const char *name, const char *location,
                     const cJSON *tags);
/* The name index entry {state: "active"|"deleted", key}. */
cJSON *arm_doc_vault_name(const char *state, const char *key);
/* The deleted form of vault (kept inside as "_vault") in subscription sub,
 * deleted at deleted_s (seconds), purged after its retention days. */
cJSON *arm_doc_deleted_vault(const cJSON *vault, const char *sub,
                             int64_t deleted_s);
/* A vault's private endpoint connection to pe_id with its state. */
cJSON *arm_doc_pec(const char *vault_id, const char *location, const char *name,
                   const char *etag, const char *pe_id, const char *status,
                   const char *description);

/* ---- Microsoft.Network: virtual networks --------------------------------- */

/* A virtual network; prefixes: its addressPrefixes array (copied). */
cJSON *arm_doc_vnet(const char *id, const char *name, const char *etag,
                    const char *location, const cJSON *tags, const char *guid,
                    const cJSON *prefixes, bool ddos);
/* A subnet of vnet_id; service_endpoints (taken) may be NULL. */
cJSON *arm_doc_subnet(const char *vnet_id, const char *name, const char *etag,
                      const char *prefix, cJSON *service_endpoints,
                      const char *pe_policies, const char *pls_policies);

/* ---- Microsoft.Network: private endpoints -------------------------------- */

struct arm_doc_pe {
    const char *id, *name, *etag, *location, *guid;
    const cJSON *tags;    /* copied; NULL: {} */
    cJSON *conns;         /* taken: privateLinkServiceConnections */
    cJSON *manual;        /* taken: manualPrivateLinkServiceConnections */
    const char *nic_name; /* customNetworkInterfaceName ("" none) */
    const char *subnet_id;
    const char *nic_id;        /* arm_doc_nic_id */
    const char *ip;            /* the endpoint's address */
    const char *const *vaults; /* vault names for customDnsConfigs */
    size_t nvaults;
    const char *dns_suffix; /* fqdn = vault "." dns_suffix */
};

cJSON *arm_doc_private_endpoint(const struct arm_doc_pe *pe);
/* The id of an endpoint's network interface (caller frees). */
char *arm_doc_nic_id(const char *sub, const char *rg, const char *pe,
                     const char *guid);
/* One private link service connection of endpoint pe_id to target. */
cJSON *arm_doc_pe_conn(const char *pe_id, const char *name, const char *etag,
                       const char *target, const char *message);

/* ---- Microsoft.Network: private DNS ------------------------------------- */

/* A private DNS zone (location global). */
cJSON *arm_doc_zone(const char *id, const char *name, const char *etag,
                    const cJSON *tags);
/* A virtual network link of a zone; tags (copied) may be NULL: absent. */
cJSON *arm_doc_vlink(const char *id, const char *name, const char *etag,
                     const cJSON *tags, bool registration, const char *vnet_id);
/* An A record set name in zone (zone_id, zone_name) without addresses
 * (add them with arm_doc_a_address). */
cJSON *arm_doc_a_record(const char *zone_id, const char *zone_name,
                        const char *name, const char *etag, double ttl);
/* Appends {ipv4Address: ip} to an A record set. */
void arm_doc_a_address(cJSON *rec, const char *ip);
/* A private DNS zone group of an endpoint, without configs. */
cJSON *arm_doc_zone_group(const char *id, const char *name, const char *etag);
/* Appends a zone config to a zone group and returns it (owned by zg). */
cJSON *arm_doc_zone_config(cJSON *zg, const char *name, const char *etag,
                           const char *zone_id);
/* Appends to a zone config the record set it maintains for vault. */
void arm_doc_zone_config_record(cJSON *cfg, const char *vault, const char *fqdn,
                                const char *ip);

#endif
