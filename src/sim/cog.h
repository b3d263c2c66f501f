/*
 * cog.h — Azure AI services (Microsoft.CognitiveServices/accounts) in the
 * simulator (owned by the cogsim helper): the ARM provider (arm-cog.c:
 * list by subscription and group, GET, POST listKeys and regenerateKey,
 * api-versions of the 2023-05-01 spec and its neighbours) and the
 * account's own endpoint (openai.c): https://NAME.openai.localhost:PORT/
 * for kind OpenAI, https://NAME.cognitiveservices.localhost:PORT/ for
 * kind CognitiveServices, on the simulator's HTTPS listener, where
 * GET /openai/models answers 200 for an api-key header equal to the
 * account's current Key1 or Key2 and 401 otherwise.
 *
 * Store keys (lower case): cog|S|RG|NAME the account (its two keys in
 * the private members "_key1" and "_key2", never rendered but by
 * listKeys and regenerateKey), cogname|NAME {"key": "cog|S|RG|NAME"}
 * (account names are global, as their endpoint host names are).
 */
#ifndef KV_SIM_COG_H
#define KV_SIM_COG_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim/arm.h"
#include "sim/sim.h"

#define COG_TYPE "Microsoft.CognitiveServices/accounts"
/* The length of a key: 32 lower-case hex characters, as Azure's. */
#define COG_KEY_LEN 32

/* The ARM routes of accounts (registered in arm.c). */
extern const struct arm_route arm_cog_routes[];
/* The account endpoint's area (http.c routes *.openai.localhost and
 * *.cognitiveservices.localhost to it). */
extern const struct sim_area_ops openai_area;

/* A stored account document (caller deletes): kind "OpenAI" or
 * "CognitiveServices", sku e.g. "S0", tags may be NULL; key1 and key2
 * are copied into it. created: seconds. */
cJSON *cog_account_doc(const char *sub, const char *rg, const char *name,
                       const char *kind, const char *loc, const char *sku,
                       const cJSON *tags, const char *key1, const char *key2,
                       int64_t created);
/* The store key of an account and of its global name entry (caller
 * frees). */
char *cog_key(const char *sub, const char *rg, const char *name);
char *cog_name_key(const char *name);
/* The stored account of a (host) name (caller deletes), or NULL. */
cJSON *cog_by_name(struct sim *sim, const char *name);
/* Adds to t the removal of every account of a group (and of their name
 * entries): deleting a resource group deletes its resources. */
struct store_txn;
void cog_delete_group(struct sim *sim, struct store_txn *t, const char *sub,
                      const char *rg);
/* The account's endpoint on this simulator (caller frees). */
char *cog_endpoint(const struct sim *sim, const cJSON *doc);

#endif
