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
 * graph_forbidden (--graph-forbidden); all also through POST /_sim/config.
 */
#ifndef KV_SIM_ARM_GRAPH_H
#define KV_SIM_ARM_GRAPH_H

#include <stdbool.h>

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

/* The rows of table as the index holds them now (cJSON objects in
 * Resource Graph's shape, sorted by id, appended to rows; caller deletes
 * them): only subscriptions in subs (lower-case ids, NULL: all) that the
 * caller may read, and of them only what the caller may read. */
void arm_graph_rows(struct arm_ctx *cx, enum kql_table table,
                    const struct vec *subs, struct vec *rows);
/* Whether the caller may read the subscription (lower-case id) at all:
 * its tenant is the token's and a role grants reading it. */
bool arm_graph_sub_readable(struct arm_ctx *cx, const char *sub);

/* The route (registered in arm.c). */
extern const struct arm_route arm_graph_routes[];

#endif
