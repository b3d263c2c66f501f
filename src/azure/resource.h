/*
 * resource.h — Azure resources decoded from JSON into plain C structs:
 * subscriptions, resource groups, vaults, private endpoint connections,
 * and Key Vault secrets (list items, versions, bundles).
 *
 * These are the azure library's own types (it is usable without the
 * engine); the engine moves them into its model.h structs field by field.
 * Decoders are tolerant (PROTOCOL.md §11): missing fields stay NULL/0,
 * timestamps may be unix seconds or ISO-8601 with 'T' or ' ', vaultUri
 * may end in '/' (stored without), provider names compare ignoring case.
 * A decoder fails only when the item is not an object or lacks its id.
 *
 * Ownership: every char * member and `json` is malloc'd and owned by the
 * struct; the *_free() functions release the struct and its contents
 * (NULL is fine). Secret values never appear in any struct or json here;
 * az_secret_bundle_decode() puts the value into secure memory.
 */
#ifndef KV_AZURE_RESOURCE_H
#define KV_AZURE_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/secmem.h"
#include "base/status.h"

struct az_tag {
    char *key;
    char *value;
};

struct az_tags {
    size_t n;
    struct az_tag *items;
};

struct az_subscription {
    char *id, *subscription_id, *tenant_id, *display_name, *state;
    char *json;
};

struct az_group {
    char *id, *name, *subscription_id, *location, *provisioning_state;
    char *managed_by;
    struct az_tags tags;
    char *json;
};

struct az_vault {
    char *id, *name, *subscription_id, *resource_group, *location;
    char *tenant_id;
    char *vault_uri; /* without trailing '/' */
    char *sku, *provisioning_state, *public_network_access;
    char *network_default_action;
    bool rbac, soft_delete, purge_protection;
    int soft_delete_days;
    size_t access_policies, endpoint_connections;
    int64_t created, modified;
    struct az_tags tags;
    char *json;
};

struct az_pec {
    char *id, *name, *vault_id, *private_endpoint_id;
    char *status, *description, *actions_required, *provisioning_state;
    char *etag;
    char *json;
};

struct az_secret_attrs {
    bool enabled;
    int64_t created, updated, not_before, expires;
    int recoverable_days;
    char *recovery_level;
};

/* A secret list item, a version list item or a bundle's metadata. */
struct az_secret {
    char *id;        /* as returned */
    char *name;      /* from the id */
    char *version;   /* from the id; NULL for list items */
    char *vault_uri; /* scheme://host[:port] of the id */
    char *content_type;
    bool managed;
    struct az_secret_attrs attrs;
    struct az_tags tags;
    char *json;
};

/* Each decoder fills *out from one element of a page's "value" (or a
 * single resource body) and returns KV_OK, or KV_ERR_PARSE with *why. */
enum kv_status az_subscription_decode(const cJSON *j,
                                      struct az_subscription *out, char **why);
enum kv_status az_group_decode(const cJSON *j, struct az_group *out,
                               char **why);
enum kv_status az_vault_decode(const cJSON *j, struct az_vault *out,
                               char **why);
enum kv_status az_pec_decode(const cJSON *j, struct az_pec *out, char **why);
enum kv_status az_secret_decode(const cJSON *j, struct az_secret *out,
                                char **why);
/* Decodes a SecretBundle body (GET /secrets/NAME/VERSION): metadata into
 * *out (json without the value) and the value into *value (secure memory,
 * caller frees with secret_free). The "value" string in the tree is wiped
 * before the tree is freed. */
enum kv_status az_secret_bundle_decode(const char *body, size_t len,
                                       struct az_secret *out,
                                       struct secret **value, char **why);

void az_tags_decode(const cJSON *j, struct az_tags *out);
void az_tags_clear(struct az_tags *t);
void az_subscription_clear(struct az_subscription *s);
void az_group_clear(struct az_group *g);
void az_vault_clear(struct az_vault *v);
void az_pec_clear(struct az_pec *p);
void az_secret_clear(struct az_secret *s);

/* Pieces of an ARM id, matched case-insensitively ("resourcegroups"
 * works): the value after the segment named key, or NULL. Caller frees. */
char *az_id_segment(const char *id, const char *key);
/* True if two ARM ids name the same resource (case-insensitive, ignoring
 * a trailing '/'). */
bool az_id_eq(const char *a, const char *b);

#endif
