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

enum job_kind {
    JOB_LIST_SUBSCRIPTIONS,        /* items: struct kv_subscription */
    JOB_LIST_GROUPS,               /* subscription_id; kv_group */
    JOB_LIST_VAULTS,               /* subscription_id [, resource_group];
                                      kv_vault */
    JOB_GET_VAULT,                 /* vault_id, or subscription_id + name;
                                      kv_vault. With only vault_uri: a
                                      kv_vault with name and vault_uri
                                      (no ARM call, no Reader rights
                                      needed) */
    JOB_LIST_SECRETS,              /* vault_uri; kv_secret_item */
    JOB_LIST_VERSIONS,             /* vault_uri, name; kv_secret_version */
    JOB_GET_SECRET_VALUE,          /* vault_uri, name [, version];
                                      kv_secret_version + value */
    JOB_LIST_ENDPOINT_CONNECTIONS, /* vault_id; kv_endpoint_connection */
    JOB_KIND_COUNT
};

struct job {
    enum job_kind kind;
    uint64_t generation; /* the caller's; echoed in every result */
    void *tag;           /* opaque to the engine; echoed; never freed */
    char *subscription_id;
    char *resource_group;
    char *vault_id;  /* full ARM id of a vault */
    char *vault_uri; /* data-plane base, "https://v.vault.azure.net[/]" */
    char *name;      /* secret name (data plane) or vault name */
    char *version;   /* secret version; NULL = latest */
    int page_size;   /* data-plane maxresults, 1..25; 0 = 25 */
};

/* A zeroed job of that kind; fill the fields with malloc'd strings. */
struct job *job_new(enum job_kind kind);
struct job *job_list_subscriptions(void);
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
void job_free(struct job *job); /* NULL is fine */
/* "LIST_VAULTS", ... (static string). */
const char *job_kind_name(enum job_kind kind);

enum result_type {
    RESULT_PAGE,
    RESULT_DONE,
    RESULT_ERROR,
    RESULT_PROGRESS,
};

struct result {
    uint64_t job_id;
    uint64_t generation;
    void *tag;
    enum job_kind kind;
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
};

/* A zeroed result (for the engine and for tests). */
struct result *result_new(enum result_type type);
void result_free(struct result *r); /* NULL is fine */
/* "PAGE", "DONE", "ERROR", "PROGRESS" (static string). */
const char *result_type_name(enum result_type type);

#endif
