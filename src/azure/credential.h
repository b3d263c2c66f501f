/*
 * credential.h — credential sources behind one ops table: each knows how
 * to obtain an access token for (tenant, scope) asynchronously over the
 * transport. Today: client secret (service principal). The device code,
 * certificate, managed identity and az CLI sources plug in as further
 * ops tables.
 *
 * Ownership: az_credential_*_new() return a credential the caller frees
 * with az_credential_free(). Secrets passed in are copied into the
 * credential's own secure memory. Tokens handed to the done callback are
 * the callee's (secret_free()); so is `why`.
 */
#ifndef KV_AZURE_CREDENTIAL_H
#define KV_AZURE_CREDENTIAL_H

#include <stdbool.h>
#include <stdint.h>

#include "azure/cloud.h"
#include "azure/http.h"
#include "base/secmem.h"
#include "base/status.h"

struct az_credential;

/* Called once per acquire (never after a cancel). On success st is KV_OK
 * and token holds the access token; else why says what failed. */
typedef void (*az_credential_done_fn)(void *ud, enum kv_status st,
                                      struct secret *token, int64_t expires_at,
                                      char *why, long http_status);

struct az_credential_ops {
    const char *kind; /* "client secret" */
    /* Starts getting a token; returns an id for cancel (> 0). */
    uint64_t (*acquire)(struct az_credential *c, struct az_http *h,
                        const char *tenant, const char *scope,
                        az_credential_done_fn done, void *ud);
    void (*cancel)(struct az_credential *c, struct az_http *h, uint64_t id);
    void (*free)(struct az_credential *c); /* the private part */
};

struct az_credential {
    const struct az_credential_ops *ops;
    struct az_cloud *cloud; /* owned copy */
    char *tenant;           /* home tenant (ARM calls) */
    char *name;             /* "client secret (environment)" */
    void *priv;
};

/* A client-secret credential (client_credentials grant). origin says
 * where the secret came from: an N_() string ("environment"), translated
 * into c->name. */
struct az_credential *az_credential_secret_new(const struct az_cloud *cloud,
                                               const char *tenant,
                                               const char *client_id,
                                               const struct secret *secret,
                                               const char *origin);

/* Picks the first source that is configured: the given client secret
 * (all three of tenant, client_id, secret), else AZURE_TENANT_ID /
 * AZURE_CLIENT_ID / AZURE_CLIENT_SECRET unless no_env. Returns NULL and
 * sets *why (caller frees) to what a person should set when none is. */
struct az_credential *az_credential_chain(const struct az_cloud *cloud,
                                          const char *tenant,
                                          const char *client_id,
                                          const struct secret *secret,
                                          bool no_env, char **why);

void az_credential_free(struct az_credential *c);

/* Parses a token endpoint answer ({"access_token", "expires_in", ...})
 * held in secure memory. Shared by the HTTP-based sources. */
enum kv_status az_credential_parse_token(const char *body, size_t len,
                                         int64_t now, struct secret **token,
                                         int64_t *expires_at, char **why);

#endif
