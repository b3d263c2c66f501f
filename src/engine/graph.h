/*
 * graph.h — tenant-wide lists from Azure Resource Graph (issue #12): the
 * JOB_GRAPH_VAULTS job (engine/job-graph.c), when a front end should use
 * it (graph-threshold), and kvdeck's own recent vault writes, merged over
 * Resource Graph's answers while its index lags.
 *
 * JOB_GRAPH_VAULTS: one Resource Graph query for the vaults of the given
 * subscriptions (batched by 1000, paged by $skipToken): PAGEs of
 * kv_vault (the same struct Resource Manager's list gives), then DONE.
 * Vaults kvdeck itself deleted in the last GRAPH_OWN_WRITES_S seconds are
 * left out even when the index still has them; vaults it created,
 * recovered or changed there (the vault plans' steps, noted in process
 * and read back from the journal) are read from Resource Manager (GET)
 * and delivered in the last PAGE, whatever the index says of them. ERROR when
 * Resource Graph refuses (403, a provider not registered, throttled past the
 * budget ...): the caller falls back to listing each subscription (and says
 * so).
 *
 * Ownership: job_graph_vaults() copies its arguments. graph_note_write()
 * copies the id. The registry of writes is process-wide (a mutex; the
 * worker writes it, any worker reads it).
 */
#ifndef KV_ENGINE_GRAPH_H
#define KV_ENGINE_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/job.h"

/* How long kvdeck's own writes are merged over Resource Graph's answer. */
#define GRAPH_OWN_WRITES_S 600
/* graph-threshold's default: Resource Graph above this many
 * subscriptions. */
#define GRAPH_THRESHOLD_DEFAULT 10
/* graph-threshold = never: per subscription whatever the tenant. */
#define GRAPH_THRESHOLD_NEVER 1000000000

struct job_graph {        /* JOB_GRAPH_VAULTS */
    char **subscriptions; /* subscription ids ("<uuid>"), owned */
    size_t n_subscriptions;
    char *resource_group; /* NULL: every group */
    int top;              /* rows per page (0: 1000) */
    bool tenant;          /* no subscriptions: every one the caller may
                             read (the query names none) */
};

/* JOB_LIST_SUBSCRIPTIONS's optional parameters (NULL: Resource Manager
 * page by page). With them, a tenant whose first page of subscriptions
 * has a next page and more than graph_threshold subscriptions gets the
 * rest from one Resource Graph query (azure/ops.h
 * az_list_subscriptions_graph; on its failure a PROGRESS says why and the
 * pages follow by nextLink). GRAPH_THRESHOLD_NEVER: never. */
struct job_subs {
    int graph_threshold;
};

/* A JOB_LIST_SUBSCRIPTIONS job with job_subs (threshold < 0 counts as
 * 0: Resource Graph whenever the list has a next page). */
struct job *job_list_subscriptions_graph(int threshold);

/* A JOB_GRAPH_VAULTS job for n subscription ids (group may be NULL). */
struct job *job_graph_vaults(const char *const *subscriptions, size_t n,
                             const char *group);
/* A JOB_GRAPH_VAULTS job for the whole tenant: the vaults of every
 * subscription the caller may read, without naming them (the list of
 * subscriptions need not be in yet; group may be NULL). */
struct job *job_graph_tenant_vaults(const char *group);
/* The job's parameters (NULL for another kind). */
struct job_graph *job_graph(const struct job *j);

/* Whether a list over n_subscriptions comes from Resource Graph with
 * this graph-threshold (0: always; the default 10: above ten). */
bool graph_wanted(int threshold, size_t n_subscriptions);

/* Records a vault write kvdeck made (worker: the vault plans' steps):
 * deleted false for a create/recover/update (the vault exists), true for
 * a delete. */
void graph_note_write(const char *vault_id, bool deleted);
/* Forgets every recorded write (tests). */
void graph_forget_writes(void);

#endif
