/*
 * model.h — the resources kvdeck works with, as plain C structs (no
 * libcurl, no cJSON): subscriptions, resource groups, vaults, secrets and
 * their versions, soft-deleted secrets, private endpoint connections. The
 * decoders of resource.h fill them straight from Azure's JSON; the engine
 * passes the same structs on to the user interface (engine/model.h re-exports
 * this header), so nothing is copied between layers.
 *
 * Every struct carries `json`, the resource as the service returned it,
 * pretty-printed, for the detail pane. Secret values are never part of any
 * of these structs nor of their json (a secret's value comes separately,
 * in secure memory; see az_secret_bundle_decode() and engine/job.h).
 *
 * Ownership: every char * member is malloc'd and owned by the struct (NULL
 * when the service did not send the field). The *_free() functions free
 * the struct and everything it owns; NULL is fine. Items inside an engine
 * result are owned by the result (result_free() frees them); a receiver
 * that wants to keep an item takes it out of the result's vector (set the
 * slot to NULL) and frees it later with the matching *_free().
 *
 * Times are unix seconds (UTC); 0 means "not set / unknown".
 */
#ifndef KV_AZURE_MODEL_H
#define KV_AZURE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One tag; both strings owned. */
struct kv_tag {
    char *key;
    char *value;
};

/* A resource's tags, in the order the service sent them. */
struct kv_tags {
    size_t n;
    struct kv_tag *items; /* n entries, owned */
};

struct kv_subscription {
    char *id;              /* "/subscriptions/<uuid>" */
    char *subscription_id; /* "<uuid>" */
    char *tenant_id;
    char *display_name;
    char *state; /* "Enabled", "Disabled", "Warned", "PastDue", "Deleted" */
    char *json;
};

/* A tenant the account may sign in to (GET /tenants). */
struct kv_tenant {
    char *id;             /* the tenant id, "<uuid>" */
    char *display_name;   /* "Contoso", or NULL */
    char *default_domain; /* "contoso.onmicrosoft.com", or NULL */
    char *json;
};

struct kv_group {
    char *id; /* "/subscriptions/<s>/resourceGroups/<name>" */
    char *name;
    char *subscription_id;
    char *location;
    char *provisioning_state;
    char *managed_by;
    struct kv_tags tags;
    char *json;
};

struct kv_vault {
    char *id; /* full ARM id, as returned */
    char *name;
    char *subscription_id;
    char *resource_group;
    char *location;
    char *tenant_id;
    char *vault_uri; /* data-plane base, always WITHOUT a trailing '/' */
    char *sku;       /* "standard" | "premium" (as returned, lower-case) */
    char *provisioning_state;     /* "Succeeded", "RegisteringDns", ... */
    char *public_network_access;  /* "Enabled" | "Disabled" | NULL */
    char *network_default_action; /* networkAcls.defaultAction or NULL */
    bool rbac;                    /* enableRbacAuthorization */
    bool soft_delete;             /* enableSoftDelete (default true) */
    int soft_delete_days;         /* softDeleteRetentionInDays, 0 unknown */
    bool purge_protection;        /* enablePurgeProtection */
    size_t access_policies;       /* number of access policy entries */
    size_t endpoint_connections;  /* privateEndpointConnections listed */
    int64_t created;              /* systemData.createdAt */
    int64_t modified;             /* systemData.lastModifiedAt */
    struct kv_tags tags;
    char *json;
};

/* Data-plane attributes of a secret or a secret version. */
struct kv_secret_attrs {
    bool enabled;
    int64_t created;
    int64_t updated;
    int64_t not_before; /* nbf */
    int64_t expires;    /* exp */
    int recoverable_days;
    char *recovery_level; /* "Recoverable+Purgeable", ...; owned */
};

/* An entry of a vault's secret list (no version, never a value). */
struct kv_secret_item {
    char *id; /* "https://v.vault.azure.net/secrets/NAME" */
    char *name;
    char *vault_uri; /* without trailing '/' */
    char *content_type;
    bool managed; /* backs a certificate (managed by Key Vault) */
    struct kv_secret_attrs attrs;
    struct kv_tags tags;
    char *json;
};

/* One version of a secret (a versions-list entry, or the metadata of a
 * GET_SECRET_VALUE answer, value removed). */
struct kv_secret_version {
    char *id; /* "https://v.vault.azure.net/secrets/NAME/VERSION" */
    char *name;
    char *version; /* 32 hex digits */
    char *vault_uri;
    char *content_type;
    bool managed;
    struct kv_secret_attrs attrs;
    struct kv_tags tags;
    char *json;
};

/* A soft-deleted secret (DeletedSecretItem in a list, DeletedSecretBundle
 * from a delete or a get). Never a value. */
struct kv_deleted_secret {
    char *id;          /* ".../secrets/NAME[/VERSION]" */
    char *recovery_id; /* ".../deletedsecrets/NAME" */
    char *name;
    char *version; /* from a bundle's id; NULL for list items */
    char *vault_uri;
    char *content_type;
    bool managed;
    struct kv_secret_attrs attrs;
    struct kv_tags tags;
    int64_t deleted_date;         /* deletedDate */
    int64_t scheduled_purge_date; /* scheduledPurgeDate */
    char *json;
};

struct kv_endpoint_connection {
    char *id; /* ".../vaults/V/privateEndpointConnections/NAME" */
    char *name;
    char *vault_id;            /* the owning vault's ARM id */
    char *private_endpoint_id; /* properties.privateEndpoint.id */
    char *status;      /* "Pending", "Approved", "Rejected", "Disconnected" */
    char *description; /* privateLinkServiceConnectionState.description */
    char *actions_required;
    char *provisioning_state;
    char *etag;
    char *json;
};

/* A region a subscription may use (GET /subscriptions/{id}/locations). */
struct kv_location {
    char *name;         /* "westeurope" */
    char *display_name; /* "West Europe" */
    char *json;
};

/* A soft-deleted vault (Microsoft.KeyVault/deletedVaults): it keeps its
 * name reserved until it is purged or recovered. */
struct kv_deleted_vault {
    char *id; /* /subscriptions/S/providers/Microsoft.KeyVault/locations/
                 L/deletedVaults/NAME */
    char *name;
    char *subscription_id;
    char *location;
    char *vault_id;       /* properties.vaultId: the vault's former id */
    char *resource_group; /* taken from vault_id */
    int64_t deletion_date;
    int64_t scheduled_purge_date;
    bool purge_protection; /* properties.purgeProtectionEnabled */
    struct kv_tags tags;
    char *json;
};

/* Whether a vault name may be used (checkNameAvailability), completed by
 * kvdeck with the soft-deleted vault of that name in the subscription,
 * when there is one (then the name is reserved by it: recover or purge). */
struct kv_name_check {
    char *name;
    bool available;
    char *reason;  /* "AccountNameInvalid", "AlreadyExists", or NULL */
    char *message; /* Azure's sentence, or NULL */
    struct kv_deleted_vault *deleted; /* owned; NULL when none */
};

/* A role assignment (Microsoft.Authorization/roleAssignments). */
struct kv_role_assignment {
    char *id;
    char *name; /* a GUID */
    char *scope;
    char *role_definition_id;
    char *principal_id;
    char *principal_type; /* "User", "ServicePrincipal", "Group", ... */
    char *json;
};

void kv_tags_free(struct kv_tags *t); /* frees the contents, not t */
/* The value of tag key (case-insensitive), or NULL. */
const char *kv_tags_get(const struct kv_tags *t, const char *key);
/* Sets key to value (copies both); a key of any case is replaced. */
void kv_tags_set(struct kv_tags *t, const char *key, const char *value);

void kv_subscription_free(struct kv_subscription *s);
void kv_tenant_free(struct kv_tenant *t);
void kv_group_free(struct kv_group *g);
void kv_vault_free(struct kv_vault *v);
void kv_secret_item_free(struct kv_secret_item *s);
void kv_secret_version_free(struct kv_secret_version *s);
void kv_deleted_secret_free(struct kv_deleted_secret *s);
void kv_endpoint_connection_free(struct kv_endpoint_connection *c);
void kv_location_free(struct kv_location *l);
void kv_deleted_vault_free(struct kv_deleted_vault *d);
void kv_name_check_free(struct kv_name_check *c);
void kv_role_assignment_free(struct kv_role_assignment *a);

#endif
