/*
 * resource.h — Azure resources decoded from JSON into plain C structs:
 * subscriptions, resource groups, vaults, private endpoint connections,
 * and Key Vault secrets (list items, versions, bundles, deleted ones).
 *
 * The structs are those of model.h (cJSON-free, shared with the engine
 * and the user interface); the decoders fill them directly.
 * Decoders are tolerant (PROTOCOL.md §11): missing fields stay NULL/0,
 * timestamps may be unix seconds or ISO-8601 with 'T' or ' ', vaultUri
 * may end in '/' (stored without), provider names compare ignoring case.
 * A decoder fails only when the item is not an object or lacks its id.
 *
 * Ownership: the caller provides *out (usually xcalloc'd, then released
 * with the model.h *_free() function); on success every char * member
 * and `json` is malloc'd and owned by it, on failure *out owns nothing.
 * Secret values never appear in any struct or json here;
 * az_secret_bundle_decode() puts the value into secure memory.
 */
#ifndef KV_AZURE_RESOURCE_H
#define KV_AZURE_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "azure/model.h"
#include "base/secmem.h"
#include "base/status.h"

/* Each decoder fills *out from one element of a page's "value" (or a
 * single resource body) and returns KV_OK, or KV_ERR_PARSE with *why. */
enum kv_status az_subscription_decode(const cJSON *j,
                                      struct kv_subscription *out, char **why);
/* tenantId, else the last segment of id ("/tenants/<uuid>"). */
enum kv_status az_tenant_decode(const cJSON *j, struct kv_tenant *out,
                                char **why);
enum kv_status az_group_decode(const cJSON *j, struct kv_group *out,
                               char **why);
enum kv_status az_vault_decode(const cJSON *j, struct kv_vault *out,
                               char **why);
/* The same without out->json (left NULL): for a caller that prints the
 * JSON its own way. */
enum kv_status az_vault_decode_fields(const cJSON *j, struct kv_vault *out,
                                      char **why);
enum kv_status az_pec_decode(const cJSON *j, struct kv_endpoint_connection *out,
                             char **why);
/* A secret list item (SecretItem; any version in its id is ignored). */
enum kv_status az_secret_decode(const cJSON *j, struct kv_secret_item *out,
                                char **why);
/* A versions-list entry (the version comes from the id). */
enum kv_status az_secret_version_decode(const cJSON *j,
                                        struct kv_secret_version *out,
                                        char **why);
/* A soft-deleted secret: DeletedSecretItem or DeletedSecretBundle (any
 * "value" is left out of json); name and version come from the id. */
enum kv_status az_deleted_secret_decode(const cJSON *j,
                                        struct kv_deleted_secret *out,
                                        char **why);
/* Decodes a SecretBundle body (GET /secrets/NAME/VERSION): metadata into
 * *out (json without the value) and the value into *value (secure memory,
 * caller frees with secret_free). The "value" string in the tree is wiped
 * before the tree is freed. */
enum kv_status az_secret_bundle_decode(const char *body, size_t len,
                                       struct kv_secret_version *out,
                                       struct secret **value, char **why);

/* The vault life cycle (arm-vault-life.c): a subscription's location
 * (displayName defaults to name; a "Logical" region such as "global"
 * or "asia", where nothing can be created, is refused: a list skips it); a
 * soft-deleted vault (location and name from the id when properties lack them;
 * resource_group from properties.vaultId); checkNameAvailability's answer (name
 * is not in it: the caller sets it); a role assignment. */
enum kv_status az_location_decode(const cJSON *j, struct kv_location *out,
                                  char **why);
enum kv_status az_deleted_vault_decode(const cJSON *j,
                                       struct kv_deleted_vault *out,
                                       char **why);
enum kv_status az_name_check_decode(const cJSON *j, struct kv_name_check *out,
                                    char **why);
enum kv_status az_role_assignment_decode(const cJSON *j,
                                         struct kv_role_assignment *out,
                                         char **why);

/* The vault's network (arm-network.c, issue #10). A subnet alone or
 * inside its virtual network (vnet_id from its id; free_addresses from
 * its IPv4 prefix, -1 otherwise); a virtual network with its subnets;
 * a private endpoint (a network interface decodes as one too: its first
 * ipConfigurations address in private_ip); a private DNS zone; a zone's
 * virtual network link;
 * the permissions answer at a scope (the root {"value": [...]}, entries
 * merged, or one entry alone; scope is not in it: the caller sets it). */
enum kv_status az_subnet_decode(const cJSON *j, struct kv_subnet *out,
                                char **why);
enum kv_status az_vnet_decode(const cJSON *j, struct kv_vnet *out, char **why);
enum kv_status az_private_endpoint_decode(const cJSON *j,
                                          struct kv_private_endpoint *out,
                                          char **why);
enum kv_status az_dns_zone_decode(const cJSON *j, struct kv_dns_zone *out,
                                  char **why);
enum kv_status az_vnet_link_decode(const cJSON *j, struct kv_vnet_link *out,
                                   char **why);
enum kv_status az_permissions_decode(const cJSON *j, struct kv_permissions *out,
                                     char **why);
/* The A record sets of one privateDnsZoneGroups entry appended to
 * *records (n of them so far; grown with xreallocarray, entries owned,
 * cleared with kv_dns_record_clear); returns the new count. */
size_t az_zone_group_records(const cJSON *j, struct kv_dns_record **records,
                             size_t n);
/* A privateDnsZoneGroups entry with its A records. */
enum kv_status az_zone_group_decode(const cJSON *j, struct kv_zone_group *out,
                                    char **why);
/* A vault's properties.networkAcls into out (has_network_acls, bypass,
 * ipRules, virtualNetworkRules); nothing when absent. */
void az_network_acls_decode(const cJSON *props, struct kv_vault *out);
/* A Microsoft.KeyVault/vaults/secrets resource (arm-secret.c; see
 * AZ_ITEM_ARM_SECRET in ops.h). */
enum kv_status az_arm_secret_decode(const cJSON *j,
                                    struct kv_secret_version *out, char **why);

/* Fills *out (contents owned by *out, freed with kv_tags_free). */
void az_tags_decode(const cJSON *j, struct kv_tags *out);
/* A Resource Graph vault row as Resource Manager's vault: the row's own
 * columns (resourceGroup, subscriptionId, tenantId, kind, sku ...) left
 * out of json and type in ARM's spelling, so the detail pane and --json
 * show the same resource either way; the id as returned. */
enum kv_status az_graph_vault_decode(const cJSON *j, struct kv_vault *out,
                                     char **why);
/* A Resource Graph subscription row (resourcecontainers: id,
 * subscriptionId, name = display name, tenantId, properties.state). */
enum kv_status az_graph_subscription_decode(const cJSON *j,
                                            struct kv_subscription *out,
                                            char **why);

/* Pieces of an ARM id, matched case-insensitively ("resourcegroups"
 * works): the value after the segment named key, or NULL. Caller frees. */
char *az_id_segment(const char *id, const char *key);
/* True if two ARM ids name the same resource (case-insensitive, ignoring
 * a trailing '/'). */
bool az_id_eq(const char *a, const char *b);

#endif
