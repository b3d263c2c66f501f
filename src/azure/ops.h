/*
 * ops.h — the Azure operations the console needs, each a small state
 * machine over az_client calls: list (following nextLink, page by page),
 * get, and get a secret's value.
 *
 *   list subscriptions, resource groups, vaults (in a subscription or a
 *   group), a vault's private endpoint connections; get a vault (by id,
 *   or by name within a subscription); data-plane secrets and versions
 *   (pages of up to 25); a secret's value.
 *
 * Callbacks: page() for each non-empty page as it arrives (an empty page
 * carrying a nextLink is skipped, never the end); the last page
 * (more == false) is always delivered, even when empty. secret() once
 * for az_get_secret. done() exactly once at the end, with NULL on success
 * or the failure; the op is freed right after done() returns, so forget
 * the pointer then. After az_op_cancel() no callback runs.
 *
 * Ownership: page() receives a vector of heap-allocated model.h items
 * (struct kv_subscription *, kv_group *, kv_vault *,
 * kv_endpoint_connection *, kv_secret_item * for az_list_secrets,
 * kv_secret_version * for az_list_versions); the callee takes the items
 * and must leave the vector empty or free them (az_op_free_items, or the
 * item's *_free()). secret() takes meta and value. Strings in
 * struct az_failure are borrowed for the duration of done().
 */
#ifndef KV_AZURE_OPS_H
#define KV_AZURE_OPS_H

#include <stdbool.h>

#include "azure/client.h"
#include "azure/resource.h"
#include "base/secmem.h"
#include "base/status.h"
#include "base/vec.h"

#define AZ_API_SUBSCRIPTIONS "2022-12-01"
#define AZ_API_GROUPS        "2021-04-01"
#define AZ_API_KEYVAULT      "2023-07-01"
#define AZ_API_DATA          "7.5"

struct az_failure {
    enum kv_status status;
    long http_status;       /* 0 without an answer */
    const char *code;       /* Azure error code or NULL */
    const char *inner_code; /* innermost innererror code or NULL */
    const char *message;    /* a sentence for a person, never NULL */
    const char *request_id; /* NULL when none */
    int attempts;
};

struct az_op_cb {
    void (*page)(void *ud, struct vec *items, bool more);
    void (*secret)(void *ud, struct kv_secret_version *meta,
                   struct secret *value);
    void (*done)(void *ud, const struct az_failure *failure);
    void (*wait)(void *ud, const struct az_http_wait *w); /* may be NULL */
};

enum az_item_kind {
    AZ_ITEM_SUBSCRIPTION,
    AZ_ITEM_GROUP,
    AZ_ITEM_VAULT,
    AZ_ITEM_PEC,
    AZ_ITEM_SECRET,  /* struct kv_secret_item */
    AZ_ITEM_VERSION, /* struct kv_secret_version */
};

struct az_op;

struct az_op *az_list_subscriptions(struct az_client *c,
                                    const struct az_op_cb *cb, void *ud);
struct az_op *az_list_groups(struct az_client *c, const char *subscription,
                             const struct az_op_cb *cb, void *ud);
/* group may be NULL: every vault of the subscription. */
struct az_op *az_list_vaults(struct az_client *c, const char *subscription,
                             const char *group, const struct az_op_cb *cb,
                             void *ud);
struct az_op *az_get_vault(struct az_client *c, const char *vault_id,
                           const struct az_op_cb *cb, void *ud);
/* Lists the subscription's vaults and delivers the one named name
 * (case-insensitive); KV_ERR_NOT_FOUND if there is none. */
struct az_op *az_find_vault(struct az_client *c, const char *subscription,
                            const char *name, const struct az_op_cb *cb,
                            void *ud);
struct az_op *az_list_endpoint_connections(struct az_client *c,
                                           const char *vault_id,
                                           const struct az_op_cb *cb, void *ud);
/* page_size 1..25 (0: 25). */
struct az_op *az_list_secrets(struct az_client *c, const char *vault_uri,
                              int page_size, const struct az_op_cb *cb,
                              void *ud);
struct az_op *az_list_versions(struct az_client *c, const char *vault_uri,
                               const char *name, int page_size,
                               const struct az_op_cb *cb, void *ud);
/* version NULL or "": the latest. */
struct az_op *az_get_secret(struct az_client *c, const char *vault_uri,
                            const char *name, const char *version,
                            const struct az_op_cb *cb, void *ud);

void az_op_cancel(struct az_op *op);
/* Frees the items of a page vector of the given kind and empties it. */
void az_op_free_items(enum az_item_kind kind, struct vec *items);

#endif
