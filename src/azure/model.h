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

/* A list of strings, in the service's order; all owned. */
struct kv_strlist {
    size_t n;
    char **items;
};

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
    /* networkAcls (issue #10). has_network_acls: the answer carried a
     * networkAcls object (then bypass and the lists are as read; an
     * empty list is a read empty list). Without it Azure applies no rule
     * (every network is let in), which is what the pane says. */
    bool has_network_acls;
    char *network_bypass;      /* "AzureServices" | "None" | NULL */
    struct kv_strlist ip_rules;   /* ipRules[].value: "203.0.113.0/24" */
    struct kv_strlist vnet_rules; /* virtualNetworkRules[].id: subnet ids */
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
    /* The latest version's id, when the listing names it: Resource
     * Manager's secrets (secretUriWithVersion); NULL from the data plane,
     * whose list items carry none. */
    char *latest_version;
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
    /* From the private endpoint itself (JOB_LIST_ENDPOINT_CONNECTIONS
     * reads it and its DNS zone groups after the list; issue #10).
     * endpoint_read false: it could not be read (endpoint_error says why:
     * another tenant, no Reader right, gone) and these stay NULL/empty:
     * the pane shows "unknown", never a default. */
    bool endpoint_read;
    char *endpoint_error;     /* a sentence, or NULL */
    char *subnet_id;          /* properties.subnet.id */
    char *private_ip;         /* the endpoint's first private address */
    char *endpoint_location;  /* the endpoint's region */
    bool zone_groups_read;    /* its privateDnsZoneGroups were listed */
    size_t n_records;         /* A records its zone groups maintain */
    struct kv_dns_record *records;
    char *json;
};

/* One A record set a private DNS zone group keeps for an endpoint
 * (privateDnsZoneConfigs[].properties.recordSets[]). */
struct kv_dns_record {
    char *zone_id;  /* the private DNS zone's id (privateDnsZoneId) */
    char *fqdn;     /* "kv-x.privatelink.vaultcore.azure.net" */
    struct kv_strlist addresses; /* ipAddresses */
};

/* A private endpoint's DNS zone group (privateDnsZoneGroups entry):
 * the A record sets of all its zone configs (issue #10). */
struct kv_zone_group {
    char *id;
    char *name;
    size_t n_records;
    struct kv_dns_record *records;
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

/* ---- the vault's network (issue #10; arm-network.c) ----------------- */

/* A subnet, as listed inside its virtual network (properties.subnets[])
 * or read alone. */
struct kv_subnet {
    char *id;
    char *name;
    char *vnet_id;
    char *address_prefix; /* addressPrefix, else addressPrefixes[0] */
    /* privateEndpointNetworkPolicies: "Disabled", "Enabled",
     * "NetworkSecurityGroupEnabled", "RouteTableEnabled"; NULL: not sent */
    char *pe_policies;
    struct kv_strlist service_endpoints; /* serviceEndpoints[].service */
    size_t used_addresses; /* ipConfigurations + privateEndpoints listed */
    /* Addresses left for new endpoints: the prefix's size minus Azure's
     * five reserved ones minus used_addresses; -1 when the prefix could
     * not be read. */
    long free_addresses;
    char *json;
};

struct kv_vnet {
    char *id;
    char *name;
    char *subscription_id;
    char *resource_group;
    char *location;
    struct kv_strlist address_prefixes; /* addressSpace.addressPrefixes */
    size_t n_subnets;
    struct kv_subnet *subnets; /* n_subnets, owned (contents freed with the
                                  vnet) */
    char *json;
};

/* A private endpoint (Microsoft.Network/privateEndpoints). */
struct kv_private_endpoint {
    char *id;
    char *name;
    char *subscription_id;
    char *resource_group;
    char *location;
    char *provisioning_state;
    char *subnet_id;
    char *nic_id;     /* networkInterfaces[0].id */
    char *private_ip; /* customDnsConfigs[0].ipAddresses[0], else the
                         NIC's ipConfigurations (when inlined); NULL */
    char *target_id;  /* the connection's privateLinkServiceId */
    bool manual;      /* manualPrivateLinkServiceConnections */
    char *connection_status;      /* "Approved", "Pending", ... or NULL */
    char *connection_description; /* or NULL */
    char *json;
};

/* A private DNS zone (Microsoft.Network/privateDnsZones). */
struct kv_dns_zone {
    char *id;
    char *name; /* "privatelink.vaultcore.azure.net" */
    char *subscription_id;
    char *resource_group;
    long record_sets; /* numberOfRecordSets, -1 when not sent */
    long vnet_links;  /* numberOfVirtualNetworkLinks, -1 when not sent */
    char *json;
};

/* A private DNS zone's virtual network link. */
struct kv_vnet_link {
    char *id;
    char *name;
    char *zone_id; /* the zone the link belongs to (from id) */
    char *vnet_id; /* properties.virtualNetwork.id */
    bool registration_enabled;
    char *link_state; /* virtualNetworkLinkState: "Completed", ... */
    char *provisioning_state;
    char *json;
};

/* What the signed-in principal may do at a scope
 * (GET {scope}/providers/Microsoft.Authorization/permissions). */
struct kv_permissions {
    char *scope;
    struct kv_strlist actions;     /* union of every entry's actions */
    struct kv_strlist not_actions; /* and notActions */
    /* The entries as answered (one per effective role): an entry's
     * notActions take away only its own actions. */
    size_t n_entries;
    struct kv_permission_entry *entries;
    char *json;
};

struct kv_permission_entry {
    struct kv_strlist actions;
    struct kv_strlist not_actions;
};

/* Does this host resolve the vault's host name to the endpoint's private
 * address? (JOB_CHECK_DNS; kvdeck's resolve overrides count, as curl's
 * --resolve does.) */
struct kv_dns_check {
    char *host;                  /* "kv-x.vault.azure.net" */
    char *expected;              /* the private address looked for, or NULL */
    struct kv_strlist addresses; /* what it resolves to here (may be empty) */
    bool resolved;               /* the name resolved at all */
    bool overridden;             /* the answer came from a resolve override */
    bool matches;                /* one address equals expected */
    char *error;                 /* resolver's message when not resolved */
};

/* True when perms grants action ("Microsoft.KeyVault/vaults/
 * privateEndpointConnectionsApproval/action"): some entry's actions match
 * it (Azure's '*' wildcards, case-insensitive) and that entry's
 * notActions do not (without entries: the merged lists). */
bool kv_permits(const struct kv_permissions *perms, const char *action);

void kv_strlist_free(struct kv_strlist *l); /* the contents, not l */
void kv_strlist_add(struct kv_strlist *l, const char *s); /* copies s */
void kv_subnet_clear(struct kv_subnet *s);  /* the contents, not s */
void kv_subnet_free(struct kv_subnet *s);   /* contents and s */
void kv_vnet_free(struct kv_vnet *v);
void kv_private_endpoint_free(struct kv_private_endpoint *e);
void kv_dns_zone_free(struct kv_dns_zone *z);
void kv_vnet_link_free(struct kv_vnet_link *l);
void kv_permissions_free(struct kv_permissions *p);
void kv_dns_check_free(struct kv_dns_check *c);
void kv_dns_record_clear(struct kv_dns_record *r); /* contents only */
void kv_zone_group_free(struct kv_zone_group *g);

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
