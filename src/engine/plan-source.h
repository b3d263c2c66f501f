/*
 * plan-source.h — rotation at the source (issue #13): a secret that holds
 * one of the two keys of an Azure AI services account is rotated by
 * regenerating the OTHER key at the account, storing it as the secret's
 * new version, and proving it at the account's endpoint before the old
 * key is touched. Applications keep working throughout: the key they use
 * stays valid until the retirement, which regenerates it (so a leaked
 * value dies) and disables the old version — now, later (a pending
 * retirement in the journal, like `secret rotate`'s), or never.
 *
 * The plan ("rotate-source"), as run:
 *   1 source-read      read the secret's latest value (refused if it is
 *                      no longer the reviewed version), the account (its
 *                      endpoint) and its keys (listKeys); find which key
 *                      the value is, in constant time in secure memory.
 *                      Neither → stops: "NAME matches neither key of
 *                      ACCOUNT: nothing was changed". 403 → Azure's
 *                      message and the role that has listKeys.
 *   2 source-regenerate     regenerate the other key (its new value
 *                           becomes the plan's new value)
 *   3 secret-set       write it as a new version: the reviewed version's
 *                      content type and tags, plus source-key=KeyN,
 *                      rotated-at, source-resource-id; expiry as `secret
 *                      rotate`'s policy
 *   4 secret-verify    read it back, compare in constant time
 *   5 source-probe     GET {endpoint}openai/models with the new key: only
 *                      200 counts. Failure stops the plan; the old key and
 *                      version are untouched and the message says which
 *                      key is live where.
 *   6 retire now:   source-regenerate-old (access-closing: the plan asks
 *                   for the account's name typed) + secret-disable of the
 *                   old version;
 *     retire later: retire-later (journal, :pending / `kvdeck journal`);
 *     keep:         nothing.
 * No step has an undo: a regenerated key cannot be brought back, and the
 * report says so (plan_source_summary).
 *
 * A due retirement (plan_source_retire, "rotate-source-retire"): read
 * the old version's value and the keys; if it still is one of them,
 * regenerate that key (access-closing), then disable the old version
 * (which settles the journal's pending entry). If it is neither key any
 * more, the regenerate step is skipped ("already regenerated").
 *
 * Pure builders; ownership as plan.h (strings copied).
 */
#ifndef KV_ENGINE_PLAN_SOURCE_H
#define KV_ENGINE_PLAN_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/plan.h"

/* The tag naming the account whose key a secret holds. */
#define PLAN_SOURCE_TAG "source-resource-id"

struct source_change {
    const char *vault_uri;  /* data-plane base */
    const char *vault_name; /* for the sentences */
    const char *name;
    /* the latest version as reviewed (tags, content type; required for
     * plan_rotate_source: the plan refuses if it changed) */
    const struct kv_secret_version *current;
    /* the account's ARM id; NULL: current's source-resource-id tag */
    const char *account_id;
    enum retire_mode retire;
    int64_t retire_after; /* seconds, RETIRE_LATER */
    int64_t now;          /* rotated-at and the expiry; 0: now */
};

/* The account c names (c->account_id, else the tag); NULL when none.
 * Borrowed from c. */
const char *plan_source_account_of(const struct source_change *c);

/* NULL and *why (caller frees) when no account is known or the id is not
 * a Microsoft.CognitiveServices/accounts id. */
struct plan *plan_rotate_source(const struct source_change *c, char **why);
/* The due retirement of old_version (a pending entry of a rotate-source
 * plan). */
struct plan *plan_source_retire(const struct source_change *c,
                                const char *old_version, char **why);

/* After (part of) a run: "Key1"/"Key2" the old version held and the key
 * written (NULL until step 1 found it); whether the endpoint accepted
 * the new key; the account's name. */
const char *plan_source_old_key(const struct plan *p);
const char *plan_source_new_key(const struct plan *p);
bool plan_source_endpoint_ok(const struct plan *p);
const char *plan_source_account(const struct plan *p);
/* Which key is live where, in sentences (caller frees); never a value. */
char *plan_source_summary(const struct plan *p);

#endif
