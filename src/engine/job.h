/*
 * job.h — what the user interface asks of the engine (struct job) and
 * what comes back (struct result).
 *
 * A job names one piece of work ("list the vaults of subscription S").
 * engine_submit() takes ownership of it. The engine answers with zero or
 * more PAGE and PROGRESS results and then exactly ONE terminal result,
 * DONE or ERROR; nothing follows the terminal result. A cancelled job
 * produces nothing more after engine_cancel() returns (not even a
 * terminal result).
 *
 *   LIST_*            PAGE per page as it arrives (items in r->items, of
 *                     the kind's model struct; r->more is true while more
 *                     pages follow). An empty page that carries a nextLink
 *                     is skipped; the last page (more=false) is always
 *                     delivered, even when empty. Then DONE.
 *   GET_VAULT         one PAGE with one struct kv_vault, then DONE.
 *   GET_SECRET_VALUE  one PAGE with one struct kv_secret_version (the
 *                     metadata, value removed) and r->value set (secure
 *                     memory), then DONE.
 *   any               ERROR instead of DONE when it fails, possibly after
 *                     some PAGEs (a list that failed half way).
 *   any               PROGRESS (r->message) while waiting, e.g. "throttled
 *                     (429), retrying in 4 s".
 *
 * Each kind is a struct job_type (an ops table: start, cancel, free of
 * its own parameter struct and items); the worker never switches on the
 * kind. Results carry the submitter's deliver/ctx/tag back, so they reach
 * whoever asked (result_dispatch()), not a switch in the UI.
 *
 * Ownership: job_*() constructors copy their string arguments; the job
 * owns them and job_free() frees them. A struct result owns everything it
 * points to except `tag`; result_free() frees it all and wipes the secret
 * value.
 */
#ifndef KV_ENGINE_JOB_H
#define KV_ENGINE_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/secmem.h"
#include "base/status.h"
#include "base/vec.h"
#include "engine/model.h"
#include "engine/plan.h"
#include "engine/signin.h"

enum job_kind {
    JOB_LIST_SUBSCRIPTIONS,        /* no params; kv_subscription */
    JOB_LIST_GROUPS,               /* job_scope: subscription_id; kv_group */
    JOB_LIST_VAULTS,               /* job_scope: subscription_id [, group];
                                      kv_vault */
    JOB_GET_VAULT,                 /* job_vault_ref: vault_id, or
                                      subscription_id + name; kv_vault.
                                      With only vault_uri: a kv_vault with
                                      name and vault_uri (no ARM call, no
                                      Reader rights needed) */
    JOB_LIST_SECRETS,              /* job_secret_ref: vault_uri;
                                      kv_secret_item */
    JOB_LIST_VERSIONS,             /* job_secret_ref: vault_uri, name;
                                      kv_secret_version */
    JOB_GET_SECRET_VALUE,          /* job_secret_ref: vault_uri, name
                                      [, version]; kv_secret_version +
                                      value */
    JOB_LIST_ENDPOINT_CONNECTIONS, /* job_vault_ref: vault_id;
                                      kv_endpoint_connection, each
                                      completed from its private endpoint
                                      and that endpoint's DNS zone groups
                                      (endpoint_read, subnet_id,
                                      private_ip, records); one PAGE per
                                      connection list page, sent once its
                                      endpoints were read */
    JOB_LIST_DELETED_SECRETS,      /* job_secret_ref: vault_uri;
                                      kv_deleted_secret */
    JOB_PLAN,                      /* job_plan_params: STEP results, then
                                      DONE/ERROR carrying the plan */
    JOB_LIST_TENANTS,              /* no params; kv_tenant (GET
                                      /tenants, for :tenant) */
    JOB_TOKENS,                    /* job_tokens: the refresh-token keyring
                                      (engine/tokens.c); DONE with message
                                      "keyring" or "memory only: WHY", and
                                      for FORGET the removed entries in
                                      items (struct keyring_entry) */
    JOB_DOCTOR,                    /* job_doctor (engine/doctor.h): DONE
                                      with struct doctor_line items */
    JOB_LIST_LOCATIONS,            /* job_scope: subscription_id;
                                      kv_location, sorted by display name */
    JOB_CHECK_VAULT_NAME,          /* job_vault_ref: subscription_id +
                                      name; one PAGE with one
                                      kv_name_check (checkNameAvailability,
                                      and when taken, the subscription's
                                      deleted vault of that name) */
    JOB_LIST_DELETED_VAULTS,       /* job_scope: subscription_id;
                                      kv_deleted_vault */
    /* the vault's network (issue #10; engine/job-network.c) */
    JOB_LIST_VNETS,                /* job_scope: subscription_id [, group];
                                      kv_vnet with their subnets */
    JOB_LIST_DNS_ZONES,            /* job_scope: subscription_id [, group];
                                      kv_dns_zone (every private DNS zone;
                                      the caller picks by name) */
    JOB_LIST_VNET_LINKS,           /* job_vault_ref: vault_id = the ZONE's
                                      id; kv_vnet_link */
    JOB_GET_PERMISSIONS,           /* job_vault_ref: vault_id = any ARM
                                      scope; one kv_permissions */
    JOB_CHECK_DNS,                 /* job_dns_check; one kv_dns_check
                                      (getaddrinfo on the worker, resolve
                                      overrides first) */
    JOB_LIST_ARM_SECRETS,          /* job_vault_ref: vault_id; kv_secret_item
                                      through Resource Manager (GET
                                      .../vaults/V/secrets: names and
                                      attributes, no values, no data plane) */
    JOB_GET_PRIVATE_ENDPOINT,      /* job_vault_ref: vault_id = the
                                      endpoint's id; one
                                      kv_private_endpoint */
    JOB_GRAPH_VAULTS,              /* job_graph (engine/graph.h): the
                                      vaults of many subscriptions from
                                      one Resource Graph query; kv_vault */
    JOB_SCAN_EXPIRING,             /* job_expiring (engine/expiring.h):
                                      every vault's secret list, a few
                                      vaults at a time; kv_expiring_row
                                      PAGEs as they come (each vault ends
                                      with one vault row), then DONE */
    JOB_LIST_AI_ACCOUNTS,          /* job_scope: subscription_id [, group];
                                      kv_ai_account (azure/cognitive.h;
                                      engine/job-cognitive.c, issue #13) */
    JOB_KIND_COUNT
};

struct result;
struct job_run; /* the worker's side of a job (engine/run.h) */

/* Where a job's results go: whoever submitted the job sets deliver and
 * ctx; the UI loop calls result_dispatch(r), which calls deliver(ctx, r).
 * r is borrowed (the loop frees it afterwards): take what you keep out of
 * it (items, value, plan) and set the slot to NULL. */
typedef void (*result_deliver_fn)(void *ctx, struct result *r);

/* A kind of job: its ops. One const table per kind (engine/job-read.c,
 * engine/plan-run.c); the worker only ever calls through it. */
struct job_type {
    const char *name; /* "LIST_VAULTS" */
    enum job_kind kind;
    /* Worker: starts the work. It ends with exactly one run_done() or
     * run_fail() (engine/run.h), at once or from a callback later. */
    void (*start)(struct job_run *run);
    /* Worker: stops what is in flight; no callback of it runs after. */
    void (*cancel)(struct job_run *run);
    /* Worker, optional: stop at the next safe point and still report
     * (plans: between steps). NULL: the same as cancel. */
    void (*interrupt)(struct job_run *run);
    /* Frees the kind's parameter struct (NULL is fine). */
    void (*free_params)(void *params);
    /* Frees one model item of the kind's PAGE results. */
    void (*free_item)(void *item);
};

/* Parameter structs (all strings malloc'd, owned by the job). */
struct job_scope { /* LIST_GROUPS, LIST_VAULTS, LIST_VNETS, ... */
    char *subscription_id;
    char *resource_group; /* NULL: the whole subscription */
};
struct job_vault_ref { /* GET_VAULT, LIST_ENDPOINT_CONNECTIONS; the
                          network jobs: vault_id is any ARM id */
    char *vault_id;  /* full ARM id of a vault */
    char *subscription_id;
    char *name;      /* vault name (with subscription_id) */
    char *vault_uri; /* data-plane base, "https://v.vault.azure.net[/]" */
};
struct job_secret_ref { /* LIST_SECRETS, LIST_VERSIONS, GET_SECRET_VALUE,
                           LIST_DELETED_SECRETS */
    char *vault_uri;
    char *name;    /* secret name */
    char *version; /* NULL = latest */
    int page_size; /* data-plane maxresults, 1..25; 0 = 25 */
};
struct job_dns_check { /* CHECK_DNS */
    char *host;     /* a host name or a URL ("https://kv.vault.azure.net/") */
    char *expected; /* the private address looked for, or NULL */
};
struct job_plan_params { /* JOB_PLAN */
    struct plan *plan; /* owned while the engine holds the job */
    enum plan_mode mode;
};
enum job_tokens_op {
    JOB_TOKENS_PROBE,  /* ask whether the desktop keyring answers */
    JOB_TOKENS_FORGET, /* remove kept refresh tokens (kvdeck logout) */
};
struct job_tokens { /* JOB_TOKENS */
    enum job_tokens_op op;
    char *tenant; /* FORGET: the tenant's tokens in this cloud; NULL: the
                     cloud's */
    bool all;     /* FORGET: every kvdeck token, any cloud or tenant */
};

struct job {
    const struct job_type *type;
    enum job_kind kind;  /* type->kind */
    void *params;        /* the kind's struct above; owned */
    uint64_t generation; /* the caller's; echoed in every result */
    void *tag;           /* opaque to the engine; echoed; never freed */
    result_deliver_fn deliver; /* echoed; see result_dispatch() */
    void *ctx;                 /* echoed */
};

/* The type table of a kind (never NULL for a valid kind). */
const struct job_type *job_type_of(enum job_kind kind);
/* A job of that kind with zeroed parameters (fill them with malloc'd
 * strings through job_scope() & co). */
struct job *job_new(enum job_kind kind);
struct job *job_list_subscriptions(void);
/* The tenants the signed-in account may switch to (JOB_LIST_TENANTS). */
struct job *job_list_tenants(void);
struct job *job_list_groups(const char *subscription_id);
/* resource_group may be NULL (whole subscription). */
struct job *job_list_vaults(const char *subscription_id,
                            const char *resource_group);
struct job *job_get_vault(const char *vault_id);
struct job *job_list_secrets(const char *vault_uri);
struct job *job_list_versions(const char *vault_uri, const char *name);
/* version may be NULL (latest). */
struct job *job_get_secret_value(const char *vault_uri, const char *name,
                                 const char *version);
struct job *job_list_endpoint_connections(const char *vault_id);
struct job *job_list_deleted_secrets(const char *vault_uri);
/* The regions of a subscription (JOB_LIST_LOCATIONS). */
struct job *job_list_locations(const char *subscription_id);
/* Is vault name free in this cloud? (JOB_CHECK_VAULT_NAME) */
struct job *job_check_vault_name(const char *subscription_id,
                                 const char *name);
/* The subscription's soft-deleted vaults (JOB_LIST_DELETED_VAULTS). */
struct job *job_list_deleted_vaults(const char *subscription_id);
/* The vault's network (issue #10). group may be NULL. */
struct job *job_list_vnets(const char *subscription_id, const char *group);
/* The AI services accounts of a subscription (group NULL: all of it). */
struct job *job_list_ai_accounts(const char *subscription_id,
                                 const char *group);
struct job *job_list_dns_zones(const char *subscription_id,
                               const char *group);
struct job *job_list_vnet_links(const char *zone_id);
/* The signed-in principal's permissions at scope (an ARM id). */
struct job *job_get_permissions(const char *scope);
/* host: a name or URL; expected may be NULL. */
struct job *job_check_dns(const char *host, const char *expected);
struct job *job_list_arm_secrets(const char *vault_id);
struct job *job_get_private_endpoint(const char *endpoint_id);
/* Runs plan p (taken) in the given mode. */
struct job *job_plan(struct plan *p, enum plan_mode mode);
/* The keyring of refresh tokens (JOB_TOKENS): probe it; forget the
 * tokens of tenant (NULL: any) in the engine's cloud, or all of them. */
struct job *job_tokens_probe(void);
struct job *job_tokens_forget(const char *tenant, bool all);
void job_free(struct job *job); /* NULL is fine */
/* The parameters of a job, typed; NULL when the kind has other ones. */
struct job_scope *job_scope(const struct job *j);
struct job_vault_ref *job_vault_ref(const struct job *j);
struct job_secret_ref *job_secret_ref(const struct job *j);
struct job_plan_params *job_plan_params(const struct job *j);
struct job_dns_check *job_dns_check(const struct job *j);
/* "LIST_VAULTS", ... (static string). */
const char *job_kind_name(enum job_kind kind);

enum result_type {
    RESULT_PAGE,
    RESULT_DONE,
    RESULT_ERROR,
    RESULT_PROGRESS,
    RESULT_STEP, /* a plan's step changed state (r->step, r->step_state,
                    r->message = progress text or the step's error) */
    RESULT_SIGN_IN, /* no job (job_id 0): a person's sign-in, r->sign_in
                       (engine/signin.h, engine_on_sign_in()) */
};

struct result {
    uint64_t job_id;
    uint64_t generation;
    void *tag;
    result_deliver_fn deliver;
    void *ctx;
    enum job_kind kind;
    void (*free_item)(void *item); /* the job type's, for items */
    enum result_type type;

    /* PAGE */
    struct vec items;     /* model structs of the job's kind; owned */
    bool more;            /* more pages follow */
    unsigned page;        /* 0-based number of this page */
    struct secret *value; /* GET_SECRET_VALUE only; owned, wiped on free */

    /* ERROR (status, http_status ... request_id) and PROGRESS (message) */
    enum kv_status status; /* KV_OK except for ERROR */
    long http_status;      /* 0 when no HTTP answer was received */
    char *error_code;      /* Azure's error.code, e.g. "ResourceNotFound" */
    char *inner_code;      /* innermost innererror.code, e.g.
                              "ObjectIsDeletedButRecoverable" */
    char *message;         /* ERROR: a sentence for a person (the service's
                              message or ours); PROGRESS: the text */
    char *request_id;      /* x-ms-request-id (or correlation id) */
    int attempts;          /* HTTP attempts made by the failing request */
    int64_t retry_at_ms;   /* PROGRESS while backing off: time_mono_ms()
                              when the next attempt starts, else 0 */

    /* plans (JOB_PLAN) */
    size_t step;                /* STEP: index of the step */
    enum step_state step_state; /* STEP: its new state */
    struct plan *plan;          /* DONE/ERROR of a plan: the plan, handed
                                   back (owned; take it: r->plan = NULL) */
    struct engine_sign_in *sign_in; /* SIGN_IN (owned) */
};

/* Hands r to its owner: r->deliver(r->ctx, r). Returns false (and does
 * nothing) when the job had no owner. r stays the caller's to free. */
bool result_dispatch(struct result *r);

/* A zeroed result (for the engine and for tests). */
struct result *result_new(enum result_type type);
void result_free(struct result *r); /* NULL is fine */
/* "PAGE", "DONE", "ERROR", "PROGRESS" (static string). */
const char *result_type_name(enum result_type type);

#endif
