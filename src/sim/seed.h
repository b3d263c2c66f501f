/*
 * seed.h — initial data sets, loaded into an empty state directory:
 *   demo   a small, realistic tenant (two subscriptions, groups, vaults
 *          with versioned secrets including an AI endpoint's API key, a
 *          VNet, a vault behind an approved private endpoint with public
 *          access disabled, a soft-deleted vault);
 *   scale[:subs=N (1..5000),groups=N,vaults=N,secrets=N,versions=N,bigvault=N]
 *          generated deterministically for benchmarks (defaults 20 x 100
 *          vaults, one vault with 25,000 secrets);
 *   empty  nothing but the subscriptions.
 */
#ifndef KV_SIM_SEED_H
#define KV_SIM_SEED_H

#include "base/status.h"
#include "sim/sim.h"

/* Checks a seed spec without loading it. */
enum kv_status seed_check(const char *spec, char **why);
/* Fills the (empty) store; sim->id must be set. */
enum kv_status seed_load(struct sim *sim, const char *spec, char **why);

#endif
