/*
 * token-store.h — where a credential keeps refresh tokens between runs:
 * a small ops table the credential calls and the layer above implements
 * (the engine, with the desktop keyring: engine/keyring.c; azure/ never
 * includes engine/). A credential that gets no store (NULL) keeps its
 * refresh token in its own secure memory only.
 *
 * For the device-code credential (and any other source that receives a
 * refresh token):
 *   - at the first acquire (on the worker thread — never from
 *     az_credential_chain(), which runs on the UI thread), call
 *     lookup() with {cloud, tenant, NULL account, client_id}; KV_OK gives
 *     a refresh token to redeem before asking the user for a device code,
 *     and the account it belongs to;
 *   - each time the token endpoint answers with a refresh token (a new
 *     sign-in, or rotation on redeem), call store() with the account
 *     (the id token's preferred_username, else its oid);
 *   - when the stored token is refused (invalid_grant: revoked, expired),
 *     call remove() for that key and fall back to the device code.
 *
 * Threading: every op runs on the worker thread and may block for up to
 * about a second (D-Bus). Ownership: keys and rt are borrowed for the
 * call (store() copies rt); lookup() gives *rt (secret_free()) and
 * *account (free()) to the caller.
 */
#ifndef KV_AZURE_TOKEN_STORE_H
#define KV_AZURE_TOKEN_STORE_H

#include "base/secmem.h"
#include "base/status.h"

/* Which token: NULL account or client_id in a lookup/remove match any. */
struct az_token_key {
    const char *cloud;     /* az_cloud.name: "AzureCloud", ... */
    const char *tenant;    /* tenant id, or "organizations" */
    const char *account;   /* the signed-in user (UPN) or its object id */
    const char *client_id; /* the public client the token was issued to */
};

struct az_token_store {
    void *ud;
    /* The newest refresh token matching key: KV_OK with *rt and
     * *account; KV_ERR_NOT_FOUND; another status when the store failed
     * (treat as not found). */
    enum kv_status (*lookup)(void *ud, const struct az_token_key *key,
                             struct secret **rt, char **account);
    /* Keeps a copy of rt under key (replacing the same key). */
    void (*store)(void *ud, const struct az_token_key *key,
                  const struct secret *rt);
    /* Forgets every token matching key. */
    void (*remove)(void *ud, const struct az_token_key *key);
};

#endif
