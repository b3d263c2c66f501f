/*
 * arm-graph.h — Azure Resource Graph in kvdeck-sim (owned by simgraph):
 * POST /providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01
 * answering the KQL subset of kql.h over the resources ARM serves
 * (resources: key vaults, virtual networks, private endpoints, private
 * DNS zones; resourcecontainers: subscriptions and resource groups), with
 * Resource Graph's row shape, $top/$skip/$skipToken paging, per-principal
 * quota headers and 429 RateLimiting, an index that lags writes, and a
 * switch that refuses every query (403 AuthorizationFailed).
 *
 * arm-graph.c answers the request (quota, options, paging, errors);
 * arm-graph-index.c builds the rows: the store as it was graph_lag_ms ago
 * (from a change log the store's observer fills), kept to the
 * subscriptions asked for and to what the caller may read (rbac.h).
 *
 * Settings (struct sim): graph_quota (--graph-quota, 15), graph_window_ms
 * (--graph-window-ms, 5000), graph_lag_ms (--graph-lag, 0),
 * graph_forbidden (--graph-forbidden); all also through POST /_sim/config,
 * and there only graph_page_rows (rows per answer at most, 0: as $top).
 */
#ifndef KV_SIM_ARM_GRAPH_H
#define KV_SIM_ARM_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/vec.h"
#include "sim/arm.h"
#include "sim/kql.h"

/* The state (caller frees with arm_graph_free); registers the change log
 * as sim->store's observer. */
struct arm_graph *arm_graph_new(struct sim *sim);
void arm_graph_free(struct arm_graph *g);

/* Quota: takes one query from the principal's window. Sets *remaining
 * (after this query) and *reset_ms (until the window ends); false when
 * the quota is spent (nothing taken). */
bool arm_graph_quota_take(struct arm_graph *g, const char *principal, int quota,
                          int window_ms, int *remaining, int64_t *reset_ms);
/* The same figures without taking. */
void arm_graph_quota_peek(struct arm_graph *g, const char *principal, int quota,
                          int window_ms, int *remaining, int64_t *reset_ms);

/* The rows of q's table as the index holds them now (cJSON objects in
 * Resource Graph's shape, sorted by id, appended to rows; caller deletes
 * them): only subscriptions in subs (lower-case ids, NULL: all) that the
 * caller may read, and of them only what the caller may read; types q
 * excludes outright are not built; properties no clause reads are left
 * for arm_graph_fill(). */
void arm_graph_rows(struct arm_ctx *cx, const struct kql_query *q,
                    const struct vec *subs, struct vec *rows);
/* Renders the properties arm_graph_rows() left as placeholders (no
 * clause of the query reads them) in the rows of page. */
void arm_graph_fill(struct arm_ctx *cx, cJSON *page);
/* The result cache that lets $skipToken pages skip re-running a query
 * (Resource Graph's token carries the query's context likewise): the
 * index generation (it changes with every indexed write and role
 * assignment); the rows [skip, skip + top) of the result cached for
 * principal and hash, duplicated into a new array (NULL: not cached, or
 * the index changed since), with *total; and keeping a result (rows is
 * taken) computed at generation gen. Not used while the index lags. */
uint64_t arm_graph_gen(struct arm_graph *g);
cJSON *arm_graph_cache_get(struct arm_graph *g, const char *principal,
                           const char *hash, long skip, long top, long *total);
void arm_graph_cache_put(struct arm_graph *g, const char *principal,
                         const char *hash, uint64_t gen, cJSON *rows);

/* The route (registered in arm.c). */
extern const struct arm_route arm_graph_routes[];

#endif
