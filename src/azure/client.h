/*
 * client.h — an Azure client: a cloud profile, a transport and a token
 * cache put together, sending authenticated requests to Resource Manager
 * or to a Key Vault's data plane.
 *
 *  - Resource Manager calls carry a token for the cloud's ARM audience in
 *    the credential's home tenant. After a 401 the token is dropped and
 *    the call is tried once more with a fresh one.
 *  - Data-plane calls first go out without a token (and without a body);
 *    the vault answers 401 with a challenge naming the tenant and the
 *    resource. The challenge is checked (its resource must be a parent
 *    domain of the vault's host), remembered per vault origin, and the
 *    request is sent again with a token for that resource.
 *  - A token is only ever sent over https.
 *  - A body held in secure memory (req->secret_body) is held back from
 *    that first unauthenticated try like any other body.
 *
 * Threading: the worker thread only, except az_client_wakeup().
 * Ownership: az_client_call() takes the request. The done callback owns
 * the response it is given (az_response_free()).
 */
#ifndef KV_AZURE_CLIENT_H
#define KV_AZURE_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "azure/cloud.h"
#include "azure/credential.h"
#include "azure/http.h"
#include "azure/lro.h"
#include "base/secmem.h"
#include "base/status.h"

struct az_client_config {
    const char *cloud; /* built-in name or custom cloud file; NULL: public */
    struct az_http_config http;
    struct az_sign_in sign_in; /* how to sign in (credential.h) */
    struct az_lro_policy lro; /* budget_ms 0: az_lro_default() */
};

enum az_plane {
    AZ_PLANE_ARM,  /* Resource Manager: token for the ARM audience */
    AZ_PLANE_DATA, /* Key Vault data plane: token from the challenge */
};

/* resp is the final answer (callee frees), or NULL when the request could
 * not be sent (no token: st and why say why). st is resp->result when
 * there is a response. why is borrowed. */
typedef void (*az_call_done_fn)(void *ud, struct az_response *resp,
                                enum kv_status st, const char *why);

struct az_client;

/* Fails (NULL, *why set) on a bad cloud or CA file. A missing credential
 * is not a failure here; calls then fail with KV_ERR_AUTH. */
struct az_client *az_client_new(const struct az_client_config *cfg, char **why);
/* Frees everything; calls in flight end without callbacks. */
void az_client_free(struct az_client *c);

const struct az_cloud *az_client_cloud(const struct az_client *c);
/* The client's transport and token cache, for checks that probe hosts
 * or fetch a token themselves (kvdeck doctor); borrowed, worker only. */
struct az_http *az_client_http(struct az_client *c);
struct az_auth *az_client_auth(struct az_client *c);
/* How long-running operations are polled (see lro.h). */
const struct az_lro_policy *az_client_lro(const struct az_client *c);
/* "client secret (environment)" or NULL without a credential. */
const char *az_client_credential_name(const struct az_client *c);

/* Who the latest Resource Manager token names (identity.h; borrowed,
 * valid until the next az_client_run), and in *seq a number that
 * changes when it does (0: no ARM token yet). */
struct az_identity;
const struct az_identity *az_client_identity(const struct az_client *c,
                                             unsigned *seq);
/* Makes tenant (copied) the home tenant of Resource Manager calls: a
 * switch to another tenant of the account. Tokens already obtained stay
 * cached per tenant. */
void az_client_set_tenant(struct az_client *c, const char *tenant);

/* Sends req (taken); returns a call id for az_client_cancel (> 0). */
uint64_t az_client_call(struct az_client *c, enum az_plane plane,
                        struct az_request *req, az_call_done_fn done,
                        az_http_wait_fn wait, void *ud);
/* Stops a call (or a timer); no callback runs for it afterwards. */
void az_client_cancel(struct az_client *c, uint64_t call);

/* A timer: fn(ud) runs once from az_client_run() on the worker thread,
 * no sooner than delay_ms from now (0: on the next turn). Returns an id
 * for az_client_cancel (> 0). Long-running-operation polls wait with it,
 * and operations report bad arguments through it, so that no callback
 * ever runs inside the call that started an operation. */
typedef void (*az_timer_fn)(void *ud);
uint64_t az_client_after(struct az_client *c, long delay_ms, az_timer_fn fn,
                         void *ud);

/* A device-code sign-in: start anew after a decline or an expiry (the
 * next call asks for a new code), or (cancel) give up the one in
 * progress. Nothing for other credentials. Worker thread. */
void az_client_reset_sign_in(struct az_client *c, bool cancel);

/* One turn of the event loop (see az_http_run). Returns the number of
 * calls still active. */
unsigned az_client_run(struct az_client *c, int timeout_ms);
/* Interrupts az_client_run() from any thread. */
void az_client_wakeup(struct az_client *c);
void az_client_stats(const struct az_client *c, struct az_http_stats *out);

#endif
