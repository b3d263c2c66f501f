/*
 * store-int.h — what store.c shares with the store's other files
 * (store-graph.c: vault lists from Azure Resource Graph). Not for use
 * outside src/engine. Everything runs on the UI thread, as the store does.
 */
#ifndef KV_ENGINE_STORE_INT_H
#define KV_ENGINE_STORE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/graph.h"
#include "engine/store.h"

/* store.c */
/* Records r's failure on l (state FAILED) and as the status bar's last
 * error, labelled what. */
void store_record_error(struct store *s, struct load *l, const struct result *r,
                        const char *what);
/* PROGRESS/DONE/ERROR of a load: the change bits, or -1 for a PAGE the
 * caller merges (0 for an older load's answer). */
int store_step(struct store *s, struct load *l, const struct result *r,
               const char *what);
/* Drops the vaults of sub_id not seen by the load of generation gen. */
unsigned store_prune_vaults(struct store *s, const char *sub_id, uint64_t gen);
/* The subscription's vaults from Resource Manager (one listing). */
void store_load_vaults_arm(struct store *s, struct store_sub *sub);

/* store-graph.c */
/* Starts one Resource Graph load for sub (NULL: every subscription) when
 * the tenant is over the threshold and Resource Graph has not refused;
 * false when the caller should list per subscription. */
bool store_graph_vaults(struct store *s, struct store_sub *sub);
/* A subscription new to the store (store_apply_subs): a tenant-wide
 * load still running claims it (its vaults_load LOADING under the load's
 * generation) with the vaults it holds for it; one that is done already
 * completes it at once. Nothing without a tenant-wide load. */
void store_graph_adopt(struct store *s, struct store_sub *sub);
/* A page of the subscription list came (more: others follow), or the
 * list ended (more false: also on its ERROR); at the end, vaults held
 * for subscriptions that never came are freed. */
void store_graph_subs_page(struct store *s, bool more);
/* A PROGRESS of the subscription list that is no wait: its Resource
 * Graph query failed and the list goes on by nextLink (ops.h
 * az_list_subscriptions_graph). Said in the status bar, once. */
void store_graph_subs_said(struct store *s, const struct result *r);
/* The subscription list's job: from Resource Graph after its first page
 * for a big tenant (graph.h job_list_subscriptions_graph) unless
 * Resource Graph refused or graph_threshold is never. */
struct job *store_graph_subs_job(struct store *s);
/* Cancels the graph loads and forgets a refusal (another tenant). */
void store_graph_reset(struct store *s);
void store_graph_free(struct store *s);

#endif
