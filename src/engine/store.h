/*
 * store.h — the resource store: the tree of what the console knows,
 *
 *     subscriptions -> resource groups
 *                   -> vaults -> secrets -> versions
 *                             -> private endpoint connections
 *
 * and, for every list in it, whether it is loading, fresh, stale or
 * failed, and since when. It lives on the UI thread: loads go out as
 * engine jobs (through the submit hook), results come back through
 * store_apply(), and views draw from the store only.
 *
 * A refresh keeps what is known while the new answer streams in: items
 * are updated in place by id, new ones appended, and only when the list
 * completes are the ones that disappeared dropped. A failed load keeps
 * the items it had and records the error (status, HTTP status, code,
 * message, request id) on the list it belongs to.
 *
 * Ownership: the store owns every node and every model struct in it;
 * pointers handed out stay valid until the next store_apply() that
 * reports a removal (STORE_REMOVED) or store_free(). A result given to
 * store_apply() stays the caller's (model items it keeps are taken out
 * of r->items).
 */
#ifndef KV_ENGINE_STORE_H
#define KV_ENGINE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "base/vec.h"
#include "engine/job.h"
#include "engine/model.h"

enum load_state {
    LOAD_NONE,    /* never asked for */
    LOAD_LOADING, /* a job is running (items may be there from before) */
    LOAD_FRESH,   /* the last load completed recently */
    LOAD_STALE,   /* the last load completed a while ago */
    LOAD_FAILED,  /* the last load failed (items from before are kept) */
};

/* One list's loading status. */
struct load {
    enum load_state state; /* as stored; see store_load_state() */
    int64_t since;         /* time_now() of the last state change */
    int64_t loaded_at;     /* time_now() of the last completed load, 0 */
    uint64_t job_id, generation;
    unsigned pages; /* pages received by the current/last load */
    /* the last error (kept until the next successful load) */
    enum kv_status status;
    long http_status;
    char *error_code, *message, *request_id;
    char *inner_code; /* innermost innererror.code ("ForbiddenByConnection") */
    char *progress; /* "throttled (429), retrying in 4 s", or NULL */
    int64_t retry_at_ms;
};

/* A secret's versions: allocated when they are first asked for
 * (store_load_versions()), so a listed secret costs no load and no vec. */
struct store_versions {
    struct load load;
    struct vec list; /* struct kv_secret_version *, newest first */
};

/* One listed secret. The store keeps its item compact (about 300 bytes
 * a secret with the item, its name and the name index): item->id,
 * item->vault_uri and item->json are NULL (the vault's URI is the
 * vault's, the id store_secret_id(), a JSON view store_secret_json()),
 * and a known attrs.recovery_level points to a shared constant. */
struct store_secret {
    struct kv_secret_item *item;
    struct store_versions *ver; /* NULL: versions never asked for */
    size_t index;               /* position in the vault's secrets */
    uint64_t seen;              /* internal: refresh generation last seen */
};

struct store_vault {
    struct kv_vault *vault; /* id may be NULL when opened by URI */
    bool by_uri;            /* opened with :vault URI (no ARM data) */
    struct load secrets_load, endpoints_load;
    struct vec secrets;     /* struct store_secret * in arrival order */
    /* The data plane refused this host by network (403 inner code
     * "ForbiddenByConnection" or "ForbiddenByFirewall", copied): the
     * secrets were then listed through Resource Manager (names and
     * attributes, no values, no versions). NULL: listed from the data
     * plane. store_load_secrets() tries the data plane again. */
    char *secrets_refused;
    struct vec endpoints;   /* struct kv_endpoint_connection * */
    /* the soft-deleted secrets (store_load_deleted()), in arrival order;
     * replaced by each completed load */
    struct load deleted_load;
    struct vec deleted; /* struct kv_deleted_secret * */
    uint64_t secrets_epoch; /* bumped when secrets are removed */
    uint64_t seen;
    void *secret_map; /* internal: name -> index */
};

struct store_sub {
    struct kv_subscription *sub;
    struct load groups_load, vaults_load;
    struct vec groups; /* struct kv_group * */
    uint64_t seen;
};

/* What store_apply() changed, so views know what to redraw. */
enum store_change {
    STORE_SUBS = 1 << 0,
    STORE_GROUPS = 1 << 1,
    STORE_VAULTS = 1 << 2,
    STORE_SECRETS = 1 << 3,
    STORE_VERSIONS = 1 << 4,
    STORE_ENDPOINTS = 1 << 5,
    STORE_STATUS = 1 << 6,  /* a load's state/progress/error changed */
    STORE_REMOVED = 1 << 7, /* nodes were dropped: re-fetch pointers */
    STORE_DELETED = 1 << 8, /* a vault's deleted secrets */
};

/* Submits a job (taking it) and returns its id, 0 on failure. */
typedef uint64_t (*store_submit_fn)(void *ctx, struct job *job);
typedef void (*store_cancel_fn)(void *ctx, uint64_t id);

struct store {
    store_submit_fn submit;
    store_cancel_fn cancel;
    void *ctx;
    int64_t stale_after; /* seconds until fresh becomes stale */
    struct load subs_load;
    struct vec subs;       /* struct store_sub * */
    struct vec vaults;     /* struct store_vault *, all subscriptions */
    uint64_t vaults_epoch; /* bumped when vaults are removed */
    uint64_t next_gen;
    /* the most recent error anywhere, for the status bar */
    char *last_error;         /* "500 InternalServerError" */
    char *last_error_what;    /* "secrets of kv-app" */
    char *last_error_message; /* the service's (or our) sentence */
    char *last_request_id;
    int64_t last_error_at;
    const struct load *last_error_load; /* cleared when it succeeds */
    void *vault_map;                    /* internal: id/uri -> vault */
    /* Vault lists over more subscriptions than this come from one Azure
     * Resource Graph query (0: always; default 10; the setting
     * graph-threshold). When Resource Graph refuses, the lists fall back
     * to one listing per subscription and the status bar says so
     * (last_error_what "Resource Graph"). A big tenant's first load
     * (the subscription list's first page has more than this and a next
     * page) takes the rest of the list from Resource Graph too and its
     * vaults from one tenant-wide query at once (store-graph.c). */
    int graph_threshold;
    void *graph; /* internal: store-graph.c */
    unsigned changes; /* STORE_* bits since store_take_changes() */
};

struct store *store_new(store_submit_fn submit, store_cancel_fn cancel,
                        void *ctx);
void store_free(struct store *s);
/* Forgets everything (another tenant: :tenant): every running load is
 * cancelled first, then every subscription, group, vault and secret is
 * freed and the last error cleared. Reports STORE_REMOVED and every
 * list's bit; pointers into the store are invalid afterwards. Load the
 * subscriptions again to fill it. */
void store_reset(struct store *s);

/* The state to show: FRESH turns STALE after stale_after seconds. */
enum load_state store_load_state(const struct store *s, const struct load *l,
                                 int64_t now);
/* "loading", "fresh", "stale", "failed", "" (translated). */
const char *store_state_name(enum load_state st);

/* Starting loads. Each cancels a load of the same list still running and
 * marks it LOADING. They are no-ops when the store cannot submit. */
void store_load_subscriptions(struct store *s);
/* Vaults of every known subscription, all at once: one Resource Graph
 * query above graph_threshold subscriptions, else one listing per
 * subscription in parallel. store_load_vaults() likewise for one. */
void store_load_all_vaults(struct store *s);
void store_load_groups(struct store *s, struct store_sub *sub);
void store_load_vaults(struct store *s, struct store_sub *sub);
/* From the data plane; when it refuses this host by network (see
 * secrets_refused) and the vault's resource id is known, the same list
 * is loaded through Resource Manager (JOB_LIST_ARM_SECRETS). */
void store_load_secrets(struct store *s, struct store_vault *v);
void store_load_versions(struct store *s, struct store_vault *v,
                         struct store_secret *sec);
void store_load_endpoints(struct store *s, struct store_vault *v);
/* The vault's soft-deleted secrets (JOB_LIST_DELETED_SECRETS). */
void store_load_deleted(struct store *s, struct store_vault *v);

/* Hands one result of a store load to its owner (result_dispatch())
 * and returns the enum store_change bits it caused (0: not the store's,
 * or stale). For tests; the console dispatches every result and then
 * asks store_take_changes(). */
unsigned store_apply(struct store *s, struct result *r);
/* The loads' results reach the store through their jobs' deliver
 * functions (result_dispatch()); this returns the STORE_* bits they
 * changed since the last call, and clears them. */
unsigned store_take_changes(struct store *s);
/* A GET_VAULT result someone else asked for (":vault ID"): its vault
 * joins the store, its error the status bar. Returns STORE_* bits. */
unsigned store_apply_vault_result(struct store *s, struct result *r);

/* Lookups (NULL when unknown). */
struct store_sub *store_find_sub(const struct store *s, const char *id_or_name);
struct store_vault *store_find_vault(const struct store *s,
                                     const char *id_name_or_uri);
struct store_secret *store_find_secret(const struct store_vault *v,
                                       const char *name);

/* A secret's versions (an empty LOAD_NONE load and no versions when they
 * were never asked for). */
const struct load *store_versions_load(const struct store_secret *sec);
size_t store_versions_len(const struct store_secret *sec);
struct kv_secret_version *store_version_at(const struct store_secret *sec,
                                           size_t i);
/* The secret's id ("https://v.vault.azure.net/secrets/NAME"), allocated;
 * and the list entry as JSON (pretty-printed, allocated), made from the
 * item's fields when shown: the store keeps neither. */
char *store_secret_id(const struct store_vault *v,
                      const struct store_secret *sec);
char *store_secret_json(const struct store_vault *v,
                        const struct store_secret *sec);

/* A vault known only by its data-plane URI (":vault https://..."). The
 * store makes a node with the name taken from the host. Returns the node
 * (existing or new); NULL and *why when uri is not an https URL. */
struct store_vault *store_add_vault_uri(struct store *s, const char *uri,
                                        char **why);
/* Reads the vault from Resource Manager (GET_VAULT) into the store,
 * whatever its list came from; for a while (graph.h GRAPH_OWN_WRITES_S)
 * Resource Graph's rows of it do not replace what the GET said (`r` in
 * the vaults pane). Its failure reaches the status bar. */
void store_refresh_vault(struct store *s, struct store_vault *v);
/* Adds (or updates) a vault fetched on its own (GET_VAULT). Takes v. */
struct store_vault *store_add_vault(struct store *s, struct kv_vault *v);

#endif
