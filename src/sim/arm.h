/*
 * arm.h — Azure Resource Manager in the simulator: the route table that
 * each resource provider file contributes to, api-version checks per
 * provider, the error shapes, paging with $top/$skiptoken/nextLink, and
 * long-running operation records.
 *
 * Path segments match case-insensitively; captured names keep the case
 * the client sent. Store keys are lower case (see sim.h).
 */
#ifndef KV_SIM_ARM_H
#define KV_SIM_ARM_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim/sim.h"

struct store_txn;
struct arm_kind;

enum arm_apis {
    API_ANY,   /* api-version required, any value */
    API_SUBS,  /* Microsoft.Resources subscriptions/tenants */
    API_RES,   /* resource groups, /resources, operationresults */
    API_KV,    /* Microsoft.KeyVault */
    API_NET,   /* Microsoft.Network */
    API_DNS,   /* Microsoft.Network/privateDnsZones */
    API_GRAPH, /* Microsoft.ResourceGraph/resources (arm-graph.h) */
    API_COG,   /* Microsoft.CognitiveServices (cog.h) */
    API_NONE,  /* no api-version needed */
};

struct arm_ctx {
    struct sim_req *rq;
    struct sim_resp *rs;
    struct sim *sim;
    const char *cap[8]; /* captured path segments */
    int ncap;
    const char *api;             /* the api-version sent */
    const char *type;            /* resource type for messages, e.g. "vaults" */
    const struct arm_kind *kind; /* the route's resource kind, or NULL */
    bool stuck; /* lro-stuck fired: this request's operations never end */
};

struct arm_route {
    const char *pattern; /* "subscriptions/ * /resourcegroups/ *" */
    const char *methods; /* "GET HEAD PUT" */
    enum arm_apis apis;
    const char *type;
    void (*fn)(struct arm_ctx *cx);
    const struct arm_kind *kind; /* for the generic handlers (arm-kind.h) */
};

extern const struct arm_route arm_sub_routes[], arm_vault_routes[],
    arm_deleted_routes[], arm_pec_routes[], arm_net_routes[], arm_pe_routes[],
    arm_dns_routes[];

/* Errors: {"error":{"code","message"}} with status. */
void arm_error(struct arm_ctx *cx, int status, const char *code,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* 404 ResourceNotFound for a resource type/name under a group. */
void arm_not_found(struct arm_ctx *cx, const char *type, const char *name,
                   const char *group);
/* 404 ResourceGroupNotFound. */
void arm_rg_not_found(struct arm_ctx *cx, const char *rg);

/* True when the request's token (its tid) belongs to the tenant of the
 * subscription doc (or there is no token or no tenant to compare). */
bool arm_sub_visible(struct arm_ctx *cx, const cJSON *doc);
/* Subscription doc (caller deletes) or NULL after answering 404 (or 401
 * for a token of another tenant of the account). */
cJSON *arm_need_sub(struct arm_ctx *cx, const char *sub);
/* Resource group doc (caller deletes) or NULL after answering 404. */
cJSON *arm_need_rg(struct arm_ctx *cx, const char *sub, const char *rg);

/* The JSON body, or NULL after answering 400 InvalidRequestContent. */
cJSON *arm_body(struct arm_ctx *cx);
/* A copy of doc without "_" members (top level and in properties). */
cJSON *arm_public(const cJSON *doc);

/* Paging: the page size ($top, else the configured default), the key
 * after which a page starts (from $skiptoken; caller frees; NULL = start)
 * and the nextLink for a page that ended at last_key (caller frees; NULL
 * when paging is switched off by a deviation). */
int arm_page_size(struct arm_ctx *cx);
char *arm_skip_key(struct arm_ctx *cx);
char *arm_next_link(struct arm_ctx *cx, const char *last_key);
/* Answers {"value":[...], "nextLink"?} from a scan of prefix; render
 * turns a stored doc into the item (NULL skips it). */
typedef cJSON *(*arm_render_fn)(struct arm_ctx *cx, const char *key, cJSON *doc,
                                void *ud);
void arm_list(struct arm_ctx *cx, const char *prefix,
              bool (*filter)(const char *key, const char *val, void *ud),
              arm_render_fn render, void *ud);
/* GET .../subscriptions/S[/resourceGroups/G]/providers/... list: checks
 * that the subscription (and group) exist, then lists the store keys
 * "KIND|S|" or "KIND|S|G|" through render. */
void arm_list_scoped(struct arm_ctx *cx, const char *kind,
                     arm_render_fn render);
/* A lower-case store key built with printf (caller frees). */
char *arm_key(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Long-running operations: records op|ID finishing delay_ms from now and
 * returns ID (caller frees). extra (may be NULL) is stored with it. Under
 * cx->stuck (the lro-stuck fault) the operation ends ARM_STUCK_MS from
 * now: never, for a test. */
#define ARM_STUCK_MS (24 * 86400 * 1000)
char *arm_op_new(struct arm_ctx *cx, const char *kind, int delay_ms,
                 const cJSON *extra);
/* Sets the doc's "_readyAt" from the configured LRO delay. */
void arm_set_ready(struct sim *sim, cJSON *doc);
bool arm_is_ready(const cJSON *doc);
/* A resource's provisioningState: busy until it is ready, then
 * "Succeeded", or "Failed" when an lro-fail fault marked it ("_failed"). */
const char *arm_state(const cJSON *doc, const char *busy);
/* The error an lro-fail fault gave the doc ({"code","message"}; borrowed),
 * or NULL. */
const cJSON *arm_failed(const cJSON *doc);
/* The commit of a write section; answers 500 on failure. */
bool arm_commit(struct arm_ctx *cx, struct store_txn *t);

/* "W/\"<uuid>\"" etags of the Network RP (caller frees). */
char *arm_weak_etag(void);
/* systemData for a new or updated resource. */
void arm_system_data(struct arm_ctx *cx, cJSON *doc, bool created);
/* Lower-case store key for an ARM resource id, or NULL. */
char *arm_key_of_id(const char *id);
/* Retry-After for LRO answers (seconds). */
int arm_retry_after(struct sim *sim);
/* A location as ARM stores it: lower case without spaces ("East US" ->
 * "eastus"; caller frees). */
char *arm_location_norm(const char *loc);
/* A location name check (any lower-case region name is accepted). */
bool arm_location_ok(const char *loc);
/* Tags object validity: object of strings. */
bool arm_tags_ok(const cJSON *tags);
/* True when the request's api-version is dated on or after version
 * ("2026-02-01"); behaviour that changed with a version keys on this. */
bool arm_api_since(const struct arm_ctx *cx, const char *version);

/* Provider hooks used across files. */
/* Key Vault's name rule: 3-24 of [A-Za-z0-9-], letter first, no "--". */
bool arm_vault_name_ok(const char *name);
/* The global name index entry {state, key} (caller deletes) or NULL. */
cJSON *arm_vault_name_entry(struct sim *sim, const char *name);
/* Adds to t the soft deletion of the vault stored at key. */
void arm_vault_soft_delete(struct arm_ctx *cx, struct store_txn *t,
                           const char *key, const cJSON *vault);
/* Adds to t the removal of every secret (versions, deleted ones) of the
 * vault named name. */
void arm_vault_drop_secrets(struct store_txn *t, const char *name);
/* The rendered vault (caller deletes); first: the create answer form. */
cJSON *arm_vault_render(struct arm_ctx *cx, const cJSON *doc, bool first);
/* arm-vault-props.c: copies a PUT's or PATCH's settable properties from
 * src into dst (the stored vault's), checked in the service's order;
 * false after answering 400 (old: the previous properties, or NULL).
 * The accessPolicies/{add,replace,remove} handler. */
bool arm_vault_props_apply(struct arm_ctx *cx, cJSON *dst, const cJSON *src,
                           const cJSON *old);
void arm_vault_access_policies(struct arm_ctx *cx);
/* Adds to t the removal of every Network/DNS resource of a group. */
void arm_net_delete_group(struct store_txn *t, const char *sub, const char *rg);
/* Network helpers shared with the private endpoint connection code. */
/* Status of the vault-side connection for a PE connection (caller
 * deletes), or NULL when it no longer exists. */
cJSON *arm_pec_state(struct sim *sim, const char *vault_id,
                     const char *conn_name);
/* Adds to t the vault-side connection for a new PE connection. */
void arm_pec_create(struct arm_ctx *cx, struct store_txn *t,
                    const char *vault_key, const cJSON *vault,
                    const char *conn_name, const char *pe_id,
                    const char *location, bool manual, const char *message);
/* Operation URLs: Network's Azure-AsyncOperation/Location for op id. */
void arm_net_async_headers(struct arm_ctx *cx, const char *loc,
                           const char *opid, bool location_too);
#endif
