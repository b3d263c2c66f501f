/*
 * ops.h — the Azure operations the console needs, each a small state
 * machine over az_client calls: list (following nextLink, page by page),
 * get, get a secret's value; and the writes: set/update/delete/recover/
 * purge a data-plane secret, and any ARM write with its long-running
 * operation followed to the end (Azure-AsyncOperation, Location,
 * provisioningState; see lro.h).
 *
 *   list subscriptions, resource groups, vaults (in a subscription or a
 *   group), a vault's private endpoint connections; get a vault (by id,
 *   or by name within a subscription); data-plane secrets and versions
 *   (pages of up to 25); a secret's value.
 *   The vault's network (ops-network.c): any ARM collection or resource
 *   read as an item kind (VNets, zones, links, endpoints, zone groups,
 *   permissions), the bodies of the network writes, and a secret written
 *   through Resource Manager (no data plane needed).
 *
 * Callbacks: page() for each non-empty page as it arrives (an empty page
 * carrying a nextLink is skipped, never the end); the last page
 * (more == false) is always delivered, even when empty. secret() once
 * for az_get_secret and az_secret_set. done() exactly once at the end,
 * with NULL on success or the failure; the op is freed right after done()
 * returns, so forget the pointer then. After az_op_cancel() no callback
 * runs. No callback ever runs inside the call that starts an op (bad
 * arguments fail from the next az_client_run() turn). progress() (may be
 * NULL) once per poll of a long-running operation; resource() (may be
 * NULL) once with an ARM write's final body.
 *
 * Writes and ambiguity: a data-plane secret PUT is never replayed by the
 * transport once it may have reached the server (retry.h has the table).
 * When a write that is not replayable fails after it may have landed
 * (no answer, reset, timeout, 5xx, or a 2xx whose body cannot be read),
 * failure->ambiguous is true: re-read (the latest version) and decide;
 * never send the same PUT blindly again.
 *
 * Ownership: page() receives a vector of heap-allocated model.h items
 * (struct kv_subscription *, kv_tenant *, kv_group *, kv_vault *,
 * kv_endpoint_connection *, kv_secret_item * for az_list_secrets,
 * kv_secret_version * for az_list_versions, az_secret_update and
 * az_secret_recover; kv_deleted_secret * for az_secret_delete,
 * az_list_deleted_secrets and az_get_deleted_secret; for az_arm_write_as
 * the kind it names); the callee takes the items and must leave the
 * vector empty or free them (az_op_free_items, or the item's *_free()).
 * secret() takes meta and value. Strings in struct az_failure, progress
 * text and resource json are borrowed for the duration of the callback.
 * Arguments of the starting calls are copied (a value into secure
 * memory, wiped when the request is freed); the caller keeps its own.
 */
#ifndef KV_AZURE_OPS_H
#define KV_AZURE_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "azure/client.h"
#include "azure/resource.h"
#include "base/secmem.h"
#include "base/status.h"
#include "base/vec.h"

#define AZ_API_SUBSCRIPTIONS "2022-12-01"
#define AZ_API_GROUPS        "2021-04-01"
#define AZ_API_KEYVAULT      "2023-07-01"
#define AZ_API_DATA          "7.5"
#define AZ_API_NETWORK       "2024-01-01"
#define AZ_API_PRIVATE_DNS   "2020-06-01"
#define AZ_API_AUTHORIZATION "2022-04-01"
#define AZ_API_LOCATIONS     "2022-12-01"

/* The built-in role "Key Vault Secrets Officer" (its id everywhere). */
#define AZ_ROLE_SECRETS_OFFICER "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"

struct az_failure {
    enum kv_status status;
    long http_status;       /* 0 without an answer */
    const char *code;       /* Azure error code or NULL */
    const char *inner_code; /* innermost innererror code or NULL */
    const char *message;    /* a sentence for a person, never NULL */
    const char *request_id; /* NULL when none */
    int attempts;
    bool ambiguous; /* a write that is not replayable may have landed:
                       look (re-read) before writing again */
};

struct az_op_cb {
    void (*page)(void *ud, struct vec *items, bool more);
    void (*secret)(void *ud, struct kv_secret_version *meta,
                   struct secret *value);
    void (*done)(void *ud, const struct az_failure *failure);
    void (*wait)(void *ud, const struct az_http_wait *w); /* may be NULL */
    /* A long-running operation polled once more: "Creating…
     * (provisioningState: RegisteringDns)". May be NULL. */
    void (*progress)(void *ud, const char *text);
    /* An ARM write's final resource body (len 0 and "" when there is
     * none, e.g. after a DELETE). May be NULL. */
    void (*resource)(void *ud, const char *json, size_t len);
};

enum az_item_kind {
    AZ_ITEM_SUBSCRIPTION,
    AZ_ITEM_GROUP,
    AZ_ITEM_VAULT,
    AZ_ITEM_PEC,
    AZ_ITEM_SECRET,          /* struct kv_secret_item */
    AZ_ITEM_VERSION,         /* struct kv_secret_version */
    AZ_ITEM_DELETED_SECRET,  /* struct kv_deleted_secret */
    AZ_ITEM_NONE,            /* no item (az_arm_write: resource() only) */
    AZ_ITEM_TENANT,          /* struct kv_tenant */
    AZ_ITEM_LOCATION,        /* struct kv_location */
    AZ_ITEM_DELETED_VAULT,   /* struct kv_deleted_vault */
    AZ_ITEM_NAME_CHECK,      /* struct kv_name_check */
    AZ_ITEM_ROLE_ASSIGNMENT, /* struct kv_role_assignment */
    /* issue #10 (arm-network.c decoders) */
    AZ_ITEM_VNET,             /* struct kv_vnet (with its subnets) */
    AZ_ITEM_SUBNET,           /* struct kv_subnet */
    AZ_ITEM_PRIVATE_ENDPOINT, /* struct kv_private_endpoint */
    AZ_ITEM_DNS_ZONE,         /* struct kv_dns_zone */
    AZ_ITEM_VNET_LINK,        /* struct kv_vnet_link */
    AZ_ITEM_PERMISSIONS,      /* struct kv_permissions (one per answer:
                                 the entries of "value" merged) */
    AZ_ITEM_ARM_SECRET,       /* struct kv_secret_version from a
                                 Microsoft.KeyVault/vaults/secrets resource
                                 (id = properties.secretUriWithVersion and
                                 version from it; vault_uri and name from
                                 secretUri; attributes, contentType, tags;
                                 never a value) */
    AZ_ITEM_ZONE_GROUP,       /* struct kv_zone_group (a private endpoint's
                                 privateDnsZoneGroups entry) */
    /* issue #12 (arm-graph.c): a Resource Graph resourcecontainers row
     * of type microsoft.resources/subscriptions (name is the display
     * name, properties.state the state) */
    AZ_ITEM_GRAPH_SUBSCRIPTION, /* struct kv_subscription */
    AZ_ITEM_GRAPH_VAULT,        /* struct kv_vault from a Resource Graph
                                   row (json in ARM's shape) */
    /* issue #13 (cognitive.h) */
    AZ_ITEM_AI_ACCOUNT, /* struct kv_ai_account */
};

struct az_op;

struct az_op *az_list_subscriptions(struct az_client *c,
                                    const struct az_op_cb *cb, void *ud);
/* GET /subscriptions as az_list_subscriptions(), except that when its
 * first page has a nextLink and more than threshold subscriptions (a
 * big tenant; threshold < 0: never), the rest comes from one Resource
 * Graph query of resourcecontainers (the tenant's subscriptions, pages
 * asked together; ops-subs-graph.c) instead of page by page, minus
 * those already delivered. When the query fails, progress() says why
 * once and the list goes on by nextLink. */
struct az_op *az_list_subscriptions_graph(struct az_client *c, int threshold,
                                          const struct az_op_cb *cb, void *ud);
/* GET /tenants: the tenants the account may sign in to (kv_tenant). */
struct az_op *az_list_tenants(struct az_client *c, const struct az_op_cb *cb,
                              void *ud);
struct az_op *az_list_groups(struct az_client *c, const char *subscription,
                             const struct az_op_cb *cb, void *ud);
/* group may be NULL: every vault of the subscription. */
struct az_op *az_list_vaults(struct az_client *c, const char *subscription,
                             const char *group, const struct az_op_cb *cb,
                             void *ud);
struct az_op *az_get_vault(struct az_client *c, const char *vault_id,
                           const struct az_op_cb *cb, void *ud);
/* Lists the subscription's vaults and delivers the one named name
 * (case-insensitive); KV_ERR_NOT_FOUND if there is none. */
struct az_op *az_find_vault(struct az_client *c, const char *subscription,
                            const char *name, const struct az_op_cb *cb,
                            void *ud);
struct az_op *az_list_endpoint_connections(struct az_client *c,
                                           const char *vault_id,
                                           const struct az_op_cb *cb, void *ud);
/* page_size 1..25 (0: 25). */
struct az_op *az_list_secrets(struct az_client *c, const char *vault_uri,
                              int page_size, const struct az_op_cb *cb,
                              void *ud);
struct az_op *az_list_versions(struct az_client *c, const char *vault_uri,
                               const char *name, int page_size,
                               const struct az_op_cb *cb, void *ud);
/* version NULL or "": the latest. */
struct az_op *az_get_secret(struct az_client *c, const char *vault_uri,
                            const char *name, const char *version,
                            const struct az_op_cb *cb, void *ud);

/* The soft-deleted secrets of a vault; page_size 1..25 (0: 25). */
struct az_op *az_list_deleted_secrets(struct az_client *c,
                                      const char *vault_uri, int page_size,
                                      const struct az_op_cb *cb, void *ud);
struct az_op *az_get_deleted_secret(struct az_client *c, const char *vault_uri,
                                    const char *name, const struct az_op_cb *cb,
                                    void *ud);

/* ---- data-plane secret writes (ops-secret-write.c) ------------------ */

enum az_set {
    AZ_LEAVE = 0, /* leave the field out of the request */
    AZ_SET_FALSE,
    AZ_SET_TRUE,
};

/* What a set or an update sends beside the value. A zeroed struct sends
 * nothing: every field can be left out. */
struct az_secret_write {
    const char *content_type;   /* NULL: leave out ("" is sent as "") */
    enum az_set enabled;        /* attributes.enabled */
    bool set_not_before;        /* send attributes.nbf: */
    int64_t not_before;         /*   unix seconds; 0 sends null (clears) */
    bool set_expires;           /* send attributes.exp: */
    int64_t expires;            /*   unix seconds; 0 sends null (clears) */
    const struct kv_tags *tags; /* NULL: leave out; else the whole set
                                   (n == 0 sends {}, clearing them) */
};

/* PUT {vault}/secrets/{name}: a new version holding value. The body is
 * built in secure memory and never replayed (see above). On success
 * secret() gets the new version's metadata and the echoed value. w may
 * be NULL (value only). KV_ERR_INVALID (from the loop) for a bad name or
 * a value that is not UTF-8 text. */
struct az_op *az_secret_set(struct az_client *c, const char *vault_uri,
                            const char *name, const struct secret *value,
                            const struct az_secret_write *w,
                            const struct az_op_cb *cb, void *ud);
/* PATCH {vault}/secrets/{name}/{version} (version NULL or "": the
 * latest) with the fields w sets; page() gets the updated version (one
 * kv_secret_version). */
struct az_op *az_secret_update(struct az_client *c, const char *vault_uri,
                               const char *name, const char *version,
                               const struct az_secret_write *w,
                               const struct az_op_cb *cb, void *ud);
/* DELETE {vault}/secrets/{name}; page() gets the kv_deleted_secret. */
struct az_op *az_secret_delete(struct az_client *c, const char *vault_uri,
                               const char *name, const struct az_op_cb *cb,
                               void *ud);
/* POST {vault}/deletedsecrets/{name}/recover; page() gets the recovered
 * latest version (kv_secret_version, no value). */
struct az_op *az_secret_recover(struct az_client *c, const char *vault_uri,
                                const char *name, const struct az_op_cb *cb,
                                void *ud);
/* DELETE {vault}/deletedsecrets/{name} (204): done(NULL) only. */
struct az_op *az_secret_purge(struct az_client *c, const char *vault_uri,
                              const char *name, const struct az_op_cb *cb,
                              void *ud);

/* ---- Resource Manager writes (ops-arm-write.c, lro.h) --------------- */

/* method "PUT", "PATCH", "POST" or "DELETE" on an ARM id or path (must
 * start with '/', no '?', '#' or blank) with ?api-version=api_version,
 * body JSON or NULL. 201/202 answers are followed: Azure-AsyncOperation
 * first, then Location, then (PUT/PATCH) the resource's
 * provisioningState, each poll after Retry-After (clamped by the
 * client's lro policy), progress() once per poll, within the policy's
 * budget (KV_ERR_TIMEOUT after it). The final body goes to resource();
 * a Failed/Canceled operation becomes the failure, with the operation's
 * error code and message and the request id of the answer that said so.
 * PUT and DELETE are retried by the transport as usual (idempotent);
 * POST and PATCH are not. */
struct az_op *az_arm_write(struct az_client *c, const char *method,
                           const char *path, const char *api_version,
                           const char *body, const struct az_op_cb *cb,
                           void *ud);
/* As az_arm_write, and the final body, decoded as kind, goes to page()
 * (one item; none when the body is empty) after resource(). */
struct az_op *az_arm_write_as(struct az_client *c, const char *method,
                              const char *path, const char *api_version,
                              const char *body, enum az_item_kind kind,
                              const struct az_op_cb *cb, void *ud);
/* As az_arm_write_as, polling every poll_ms (0: the client's policy)
 * when Azure sends no Retry-After — a vault answers 200 RegisteringDns
 * without one, and is usually ready within seconds. AZ_ARM_ACCEPTED as
 * poll_ms: no polling — the write's own answer, once Azure accepted it
 * (the resource exists, still provisioning), is the result; a failed
 * write or a body saying Failed/Canceled still fails. */
#define AZ_ARM_ACCEPTED (-1L)
struct az_op *az_arm_write_every(struct az_client *c, const char *method,
                                 const char *path, const char *api_version,
                                 const char *body, enum az_item_kind kind,
                                 long poll_ms, const struct az_op_cb *cb,
                                 void *ud);

/* ---- the vault life cycle (ops-vault.c, ops-vault-write.c) ---------- */

/* GET /subscriptions/{id}/locations: the physical regions (kv_location;
 * logical ones such as "global" are skipped). */
struct az_op *az_list_locations(struct az_client *c, const char *subscription,
                                const struct az_op_cb *cb, void *ud);
/* GET .../providers/Microsoft.KeyVault/deletedVaults (kv_deleted_vault). */
struct az_op *az_list_deleted_vaults(struct az_client *c,
                                     const char *subscription,
                                     const struct az_op_cb *cb, void *ud);
/* POST .../providers/Microsoft.KeyVault/checkNameAvailability for a
 * vault name: one kv_name_check (name and deleted NULL: the caller
 * fills them). */
struct az_op *az_check_vault_name(struct az_client *c, const char *subscription,
                                  const char *name, const struct az_op_cb *cb,
                                  void *ud);
/* GET {vault}/secrets?maxresults=1, one page only: done(NULL) when the
 * data plane answers this principal with a 200 (nothing is delivered). */
struct az_op *az_vault_probe(struct az_client *c, const char *vault_uri,
                             const struct az_op_cb *cb, void *ud);

/* What a vault PUT sends (az_vault_body). */
struct az_vault_props {
    const char *location;
    const char *tenant_id;
    bool premium;          /* sku.name premium, else standard */
    bool recover;          /* createMode recover: location, tenantId, sku and
                              createMode only (the rest comes back as it was) */
    bool rbac;             /* enableRbacAuthorization */
    int retention_days;    /* softDeleteRetentionInDays; 0: left out (90) */
    bool purge_protection; /* sent only when true (Azure refuses false
                              once it is on) */
    bool public_access;    /* publicNetworkAccess Enabled/Disabled */
    bool default_deny;     /* networkAcls.defaultAction Deny/Allow */
    const struct kv_tags *tags; /* NULL: none */
    /* an access policy for this object id with every secret permission
     * (get list set delete recover backup restore purge), or NULL */
    const char *policy_object_id;
};

/* The bodies of the vault life cycle's ARM writes (caller frees). */
char *az_vault_body(const struct az_vault_props *v);
/* {"location": L} for a resource group PUT. */
char *az_group_body(const char *location, const struct kv_tags *tags);
/* {"tags": {...}} for a PATCH that replaces the tags (t NULL: {}). */
char *az_tags_body(const struct kv_tags *t);
/* {"properties": {"enablePurgeProtection": true}} */
char *az_purge_protection_body(void);
/* A role assignment's body: the role definition (a GUID, made into
 * /subscriptions/S/providers/Microsoft.Authorization/roleDefinitions/G
 * from the scope's subscription), principalId, principalType (NULL: left
 * out). */
char *az_role_assignment_body(const char *scope, const char *role_guid,
                              const char *principal_id,
                              const char *principal_type);
/* PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name}
 * (name: a new GUID) with az_role_assignment_body; page() gets the
 * kv_role_assignment. A 409 RoleAssignmentExists is a failure here (the
 * caller decides: the plan counts it as done). */
struct az_op *az_role_assign(struct az_client *c, const char *scope,
                             const char *name, const char *body,
                             const struct az_op_cb *cb, void *ud);

/* ---- the vault's network (issue #10; ops-network.c) ----------------- */

#define AZ_API_PERMISSIONS "2022-04-01"

/* Any ARM collection (path: an id + "/children", no query) with
 * ?api-version=, page by page, decoded as kind: virtual networks of a
 * subscription, private DNS zones, a zone's virtualNetworkLinks, a
 * private endpoint's privateDnsZoneGroups (AZ_ITEM_ZONE_GROUP).
 * AZ_ITEM_NONE is refused (KV_ERR_INVALID from the loop), as is a path
 * that is not an ARM id. */
struct az_op *az_arm_list(struct az_client *c, const char *path,
                          const char *api_version, enum az_item_kind kind,
                          const struct az_op_cb *cb, void *ud);
/* GET one ARM resource decoded as kind (one item to page()). The
 * permissions at a scope are one answer: az_arm_get(scope +
 * "/providers/Microsoft.Authorization/permissions", AZ_API_PERMISSIONS,
 * AZ_ITEM_PERMISSIONS) gives one kv_permissions (its scope NULL). */
struct az_op *az_arm_get(struct az_client *c, const char *id,
                         const char *api_version, enum az_item_kind kind,
                         const struct az_op_cb *cb, void *ud);

/* What a vault's network PATCH sends (az_vault_network_body): the
 * whole networkAcls object (Azure replaces it) and publicNetworkAccess.
 * Lists are borrowed. */
struct az_vault_network {
    const char *public_network_access; /* "Enabled"/"Disabled"; NULL: left
                                          out */
    const char *default_action;        /* "Allow"/"Deny" */
    const char *bypass;                /* "AzureServices"/"None"; NULL:
                                          AzureServices */
    const struct kv_strlist *ip_rules;   /* CIDRs or addresses */
    const struct kv_strlist *vnet_rules; /* subnet ids */
};
/* {"properties":{"publicNetworkAccess":..,"networkAcls":{..}}} */
char *az_vault_network_body(const struct az_vault_network *n);
/* A CIDR or a single IPv4 address as Key Vault's ipRules take it
 * ("203.0.113.7", "203.0.113.0/24"; /0../32). NULL when valid, else a
 * message (static, translated). *norm (may be NULL) gets the canonical
 * form to send and compare (caller frees). */
const char *az_check_ip_rule(const char *s, char **norm);

/* A private endpoint PUT's body: location, subnet, one connection to
 * vault_id's "vault" group (manual: manualPrivateLinkServiceConnections
 * with request_message). */
char *az_private_endpoint_body(const char *location, const char *subnet_id,
                               const char *vault_id, const char *conn_name,
                               bool manual, const char *request_message);
/* {"location":"global"} for a private DNS zone PUT. */
char *az_dns_zone_body(void);
/* A virtual network link's body (global, registrationEnabled false). */
char *az_vnet_link_body(const char *vnet_id);
/* A zone group's body: one config named after the zone. */
char *az_zone_group_body(const char *zone_id);
/* A subnet PUT body: the subnet's own properties as read (subnet->json)
 * with privateEndpointNetworkPolicies set to policies. NULL when the
 * subnet's json cannot be read. */
char *az_subnet_policy_body(const struct kv_subnet *subnet,
                            const char *policies);
/* A connection state PUT's body ({"properties":
 * {"privateLinkServiceConnectionState":{"status":S,"description":D}}},
 * with the connection's etag when known). */
char *az_pec_state_body(const char *status, const char *description,
                        const char *etag);

/* PUT .../vaults/{vault}/secrets/{name} through Resource Manager (the
 * management-plane secret: no data-plane access needed). The body
 * ({"properties":{"value":..,"contentType":..,"attributes":{..}},
 * "tags":{..}}) is built in secure memory and never replayed; a response
 * whose body cannot be read is ambiguous (look before writing again).
 * page() gets the written secret (AZ_ITEM_ARM_SECRET: a
 * kv_secret_version whose version is the new one); Resource Manager
 * never returns the value. w may be NULL; w->enabled and dates as
 * for az_secret_set. */
struct az_op *az_arm_secret_set(struct az_client *c, const char *vault_id,
                                const char *name, const struct secret *value,
                                const struct az_secret_write *w,
                                const struct az_op_cb *cb, void *ud);

/* ---- Azure Resource Graph (issue #12; ops-graph.c, arm-graph.c) ---- */

#define AZ_API_RESOURCE_GRAPH "2022-10-01"
/* Subscriptions one query may name (the REST API's limit; more are sent
 * as several queries, one after the other, into the same op). */
#define AZ_GRAPH_MAX_SUBSCRIPTIONS 1000
/* Rows per page ($top; the service's maximum). */
#define AZ_GRAPH_MAX_TOP 1000
/* Rows of a query's very first page: small, so that the first rows are
 * on screen after a short answer (the service's time and the decoding
 * grow with the rows); the pages after it are AZ_GRAPH_MAX_TOP. */
#define AZ_GRAPH_FIRST_TOP 100

/* What kvdeck asks Resource Graph for. */
enum az_graph_what {
    AZ_GRAPH_VAULTS,            /* resources, microsoft.keyvault/vaults:
                                   kv_vault (AZ_ITEM_GRAPH_VAULT) */
    AZ_GRAPH_GROUPS,            /* resourcecontainers, resource groups:
                                   kv_group (AZ_ITEM_GROUP) */
    AZ_GRAPH_PRIVATE_ENDPOINTS, /* resources, private endpoints:
                                   kv_private_endpoint */
    AZ_GRAPH_SUBSCRIPTIONS,     /* resourcecontainers, subscriptions:
                                   kv_subscription */
};

struct az_graph_query {
    enum az_graph_what what;
    const char *group;                /* NULL: every group; else only that
                                         resource group (=~) */
    const char *const *subscriptions; /* n_subscriptions ids ("<uuid>");
                                         batched by
                                         AZ_GRAPH_MAX_SUBSCRIPTIONS */
    size_t n_subscriptions;           /* 0: nothing is listed (done at
                                         once; the tenant scope is never
                                         asked implicitly) unless tenant */
    bool tenant; /* no subscriptions sent: every one the caller may read
                    (the tenant's; subscriptions ignored) */
    int top;                          /* rows per page, 1..1000 (0: 1000) */
};

/* The KQL text for what (and group, may be NULL); caller frees. The
 * group is quoted KQL-style ('' inside). */
char *az_graph_query_text(enum az_graph_what what, const char *group);
/* The item kind what's rows decode into. */
enum az_item_kind az_graph_item_kind(enum az_graph_what what);

/* POST /providers/Microsoft.ResourceGraph/resources with
 * {"subscriptions":[..],"query":..,"options":{"$top":N,
 * "resultFormat":"objectArray"[,"$skipToken":T]}}: page() per answer
 * page (rows decoded as az_graph_item_kind(q->what); a row that does not
 * decode is skipped), in order: the first page's totalRecords says how
 * many follow, and they are asked together with options.$skip (at most
 * as many at a time as the quota has left; $skipToken when an answer
 * gives no totalRecords), then the next batch of subscriptions (none
 * sent when q->tenant). The query is a read: the transport retries it
 * (429 with Retry-After) like a GET. The per-user quota is honoured:
 * when an answer says x-ms-user-quota-remaining: 0, the next request
 * (page, batch, or another query of this process) waits for
 * x-ms-user-quota-resets-after, said through wait() as throttled. A
 * failure (403 AuthorizationFailed, 400 a provider not registered, ...)
 * ends the op with its code; the caller decides to fall back. */
struct az_op *az_graph_query(struct az_client *c, const struct az_graph_query *q,
                             const struct az_op_cb *cb, void *ud);
/* "hh:mm:ss[.fff]" (or plain seconds) as milliseconds; -1 when it is
 * neither. Exposed for the unit tests. */
long az_graph_parse_resets_after(const char *s);
/* The request body for one page (caller frees); exposed for the tests. */
char *az_graph_body(const char *const *subscriptions, size_t n,
                    const char *query, int top, const char *skip_token);

void az_op_cancel(struct az_op *op);
/* Frees the items of a page vector of the given kind and empties it. */
void az_op_free_items(enum az_item_kind kind, struct vec *items);

#endif
