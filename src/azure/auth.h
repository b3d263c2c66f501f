/*
 * auth.h — the token cache in front of a credential: one token per
 * (tenant, scope), fetched once however many requests wait for it, and
 * fetched again before it expires (5 minutes, or a quarter of its life
 * when that is shorter).
 *
 * Callbacks always run later, from az_http_run() or az_auth_dispatch(),
 * never inside the call that registered them. The token passed to a
 * callback is borrowed: copy it into a header right away.
 *
 * Threading: the worker thread only, like the transport.
 */
#ifndef KV_AZURE_AUTH_H
#define KV_AZURE_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "azure/credential.h"
#include "azure/http.h"
#include "base/secmem.h"
#include "base/status.h"

struct az_auth;

typedef void (*az_auth_fn)(void *ud, enum kv_status st,
                           const struct secret *token, const char *why,
                           long http_status);

/* Takes the credential (NULL allowed: every fetch then fails with
 * KV_ERR_AUTH and missing_why). The transport is borrowed. */
struct az_auth *az_auth_new(struct az_credential *cred, const char *missing_why,
                            struct az_http *h);
void az_auth_free(struct az_auth *a);

/* The home tenant of the credential (NULL without one). */
const char *az_auth_tenant(const struct az_auth *a);
const char *az_auth_name(const struct az_auth *a);
/* Changes the home tenant (copied); NULL or no credential: nothing. */
void az_auth_set_tenant(struct az_auth *a, const char *tenant);

/* A valid cached token (not within its refresh margin), or NULL. */
const struct secret *az_auth_cached(struct az_auth *a, const char *tenant,
                                    const char *scope);
/* Gets a token (cached or fresh) and calls fn later. Returns a waiter id
 * for az_auth_cancel (> 0). */
uint64_t az_auth_fetch(struct az_auth *a, const char *tenant, const char *scope,
                       az_auth_fn fn, void *ud);
/* After a claims challenge: drops the cached token and fetches a fresh
 * one whose request carries claims (the challenge's JSON; borrowed), for
 * the sources that take claims (client secret, certificate); others just
 * fetch a fresh token. A fetch in flight is replaced. */
uint64_t az_auth_fetch_claims(struct az_auth *a, const char *tenant,
                              const char *scope, const char *claims,
                              az_auth_fn fn, void *ud);
void az_auth_cancel(struct az_auth *a, uint64_t waiter);
/* Forgets the cached token (after a 401 that used it). */
void az_auth_invalidate(struct az_auth *a, const char *tenant,
                        const char *scope);
/* For a credential that asks a person (device code): forget a failed
 * sign-in so the next fetch starts a new one, or (cancel) give up the
 * one in progress. Nothing for other sources. */
void az_auth_reset_sign_in(struct az_auth *a, bool cancel);
/* Runs callbacks that need no network (failures without a credential,
 * answers from the cache); true if there were any. */
bool az_auth_dispatch(struct az_auth *a);
bool az_auth_has_ready(const struct az_auth *a);

/* The refresh margin for a token obtained at `obtained` that expires at
 * `expires` (seconds); exposed for tests. */
int64_t az_auth_margin(int64_t obtained, int64_t expires);

#endif
