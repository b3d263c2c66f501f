/*
 * cognitive.h — Azure AI services accounts (Microsoft.CognitiveServices/
 * accounts, api-version 2023-05-01; issue #13): the account as a plain
 * struct, its decoders, and the operations a rotation at the source
 * needs — list and GET accounts, listKeys, regenerateKey, and a probe of
 * the account's endpoint with one key (GET {endpoint}openai/models with
 * an api-key header; only a 200 counts).
 *
 * Keys are secrets: the answers of listKeys and regenerateKey are read
 * into secure memory (the transport's secret_response) and parsed into
 * struct secret; the parse tree's copies are wiped (json_scrub). They go
 * out on connections closed after the transfer (as credential requests
 * do), and the probe's api-key header is built in a block of its exact
 * size, wiped when the request is freed (as the bearer header is).
 *
 * Ownership: az_ai_account_decode fills *out (kv_ai_account_free frees
 * it and its contents). The keys callback takes both secrets (caller
 * frees with secret_free). Ops follow ops.h: page() gets struct
 * kv_ai_account * items (AZ_ITEM_AI_ACCOUNT), done() once, no callback
 * inside the starting call, az_op_cancel() stops them. Arguments are
 * copied; the probe's key is copied into the request at once.
 */
#ifndef KV_AZURE_COGNITIVE_H
#define KV_AZURE_COGNITIVE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "azure/model-cognitive.h"
#include "azure/ops.h"
#include "base/secmem.h"
#include "base/status.h"

#define AZ_API_COGNITIVE "2023-05-01"
#define AZ_API_OPENAI    "2024-10-21" /* the endpoint's data plane */

/* The action listKeys needs, and the built-in roles that have it (for a
 * 403's explanation). */
#define AZ_AI_LISTKEYS_ACTION                                                  \
    "Microsoft.CognitiveServices/accounts/listKeys/action"
#define AZ_AI_REGENERATE_ACTION                                                \
    "Microsoft.CognitiveServices/accounts/regenerateKey/action"

/* struct kv_ai_account and kv_ai_account_free: model-cognitive.h */
enum kv_status az_ai_account_decode(const cJSON *j, struct kv_ai_account *out,
                                    char **why);

/* Reads {"key1":"…","key2":"…"} (body in secure memory) into two
 * secrets; the tree's copies are wiped. On failure *why is set (caller
 * frees) and nothing is returned. */
enum kv_status az_ai_keys_parse(const char *body, size_t len,
                                struct secret **key1, struct secret **key2,
                                char **why);

/* "Key1"/"Key2" for 1/2, NULL otherwise. */
const char *az_ai_key_name(int which);

/* Both keys, taken by the callee. */
typedef void (*az_ai_keys_fn)(void *ud, struct secret *key1,
                              struct secret *key2);

/* GET the accounts of a subscription (group NULL) or of a group. */
struct az_op *az_ai_list_accounts(struct az_client *c, const char *subscription,
                                  const char *group, const struct az_op_cb *cb,
                                  void *ud);
/* GET one account by its ARM id (one kv_ai_account to page()). */
struct az_op *az_ai_get_account(struct az_client *c, const char *account_id,
                                const struct az_op_cb *cb, void *ud);
/* POST {id}/listKeys: keys() with both, then done(NULL). */
struct az_op *az_ai_list_keys(struct az_client *c, const char *account_id,
                              az_ai_keys_fn keys, const struct az_op_cb *cb,
                              void *ud);
/* POST {id}/regenerateKey {"keyName": key_name} (key_name "Key1" or
 * "Key2", case-sensitive as Azure): keys() with the new pair. Not
 * replayed by the transport; a 2xx whose body cannot be read is an
 * ambiguous failure (list the keys to see). */
struct az_op *az_ai_regenerate_key(struct az_client *c, const char *account_id,
                                   const char *key_name, az_ai_keys_fn keys,
                                   const struct az_op_cb *cb, void *ud);
/* GET {endpoint}openai/models?api-version=AZ_API_OPENAI with "api-key:
 * KEY", one attempt: done(NULL) on a 200 only; a 401 fails with
 * KV_ERR_AUTH and the endpoint's message, anything else with its status.
 * endpoint must be https. */
struct az_op *az_ai_probe(struct az_client *c, const char *endpoint,
                          const struct secret *key, const struct az_op_cb *cb,
                          void *ud);

/* The probe's URL for an endpoint (caller frees); NULL when endpoint is
 * not an https URL. */
char *az_ai_probe_url(const char *endpoint);

#endif
