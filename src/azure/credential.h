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
#include "azure/credential-device.h"
#include "azure/http.h"
#include "azure/token-store.h"
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
    /* Starts getting a token; returns an id for cancel (> 0), or 0 when
     * no request could be made (done is then never called; the waiters
     * fail). */
    uint64_t (*acquire)(struct az_credential *c, struct az_http *h,
                        const char *tenant, const char *scope,
                        az_credential_done_fn done, void *ud);
    void (*cancel)(struct az_credential *c, struct az_http *h, uint64_t id);
    void (*free)(struct az_credential *c); /* the private part */
    /* Optional: acquire with a claims request (the JSON of a claims
     * challenge, sent as the token request's claims= parameter). NULL:
     * the source cannot pass claims, and a plain acquire is made. */
    uint64_t (*acquire_claims)(struct az_credential *c, struct az_http *h,
                               const char *tenant, const char *scope,
                               const char *claims, az_credential_done_fn done,
                               void *ud);
    /* Optional, for sources that ask a person (device code): forget a
     * failed sign-in so that the next acquire starts a new one; with
     * cancel, give up the one in progress instead (its waiters fail with
     * KV_ERR_CANCELLED, and so does every acquire until the next reset
     * without cancel). */
    void (*reset)(struct az_credential *c, struct az_http *h, bool cancel);
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

/* A client-certificate credential (JWT client assertion, PS256 with
 * x5t#S256; RS256 with x5t on AD FS) from a PEM file holding the
 * certificate and its RSA private key; password opens an encrypted key
 * (NULL: none; not kept). NULL and *why (caller frees) when the file
 * cannot be used: unreadable, no certificate, no key, wrong password,
 * not RSA, key and certificate not a pair. */
struct az_credential *az_credential_cert_new(const struct az_cloud *cloud,
                                             const char *tenant,
                                             const char *client_id,
                                             const char *path,
                                             const struct secret *password,
                                             const char *origin, char **why);

/* The az CLI's login on this host: tokens from `az account
 * get-access-token` (run without a shell, 30 s at most; $KVDECK_AZ names
 * another program, for tests). tenant: the home tenant. */
struct az_credential *az_credential_azcli_new(const struct az_cloud *cloud,
                                              const char *tenant);
/* The tenant of az's default subscription from its profile
 * ($AZURE_CONFIG_DIR or ~/.azure/azureProfile.json), or NULL when az is
 * not signed in here (caller frees); *account (may be NULL) gets the
 * signed-in user or app. Reads a file; runs nothing. */
char *az_credential_azcli_profile(char **account);
/* Parses `az account get-access-token -o json` output (accessToken,
 * expires_on or the older local-time expiresOn). */
enum kv_status az_credential_parse_azcli(const char *body, size_t len,
                                         int64_t now, struct secret **token,
                                         int64_t *expires_at, char **why);

/* The managed identity of this machine (credential-mi.c): the App
 * Service form when identity_endpoint and identity_header are both given
 * (IDENTITY_ENDPOINT, IDENTITY_HEADER), else IMDS at imds_host (NULL:
 * http://169.254.169.254; AZURE_POD_IDENTITY_AUTHORITY_HOST). client_id
 * selects a user-assigned identity (NULL: the system-assigned one).
 * tenant: the home tenant if known (NULL: "organizations"). Strings are
 * copied. */
struct az_credential *az_credential_mi_new(const struct az_cloud *cloud,
                                           const char *tenant,
                                           const char *client_id,
                                           const char *identity_endpoint,
                                           const char *identity_header,
                                           const char *imds_host);
/* Parses a managed-identity endpoint's answer: access_token, expires_on
 * (number or numeric string), else expires_in, and resource (*resource,
 * caller frees; may be NULL when not wanted). */
enum kv_status az_credential_parse_mi(const char *body, size_t len,
                                      int64_t now, struct secret **token,
                                      int64_t *expires_at, char **resource,
                                      char **why);
/* A sentence for a managed-identity endpoint's refusal (IMDS's
 * {"error","error_description"}, App Service's {"statusCode","message"}):
 * "Identity not found" and a missing Metadata header named as such.
 * Caller frees. */
char *az_credential_mi_error(long status, const char *body, size_t len);

/* How to sign in: what the configuration says. Strings and secrets are
 * borrowed for the call. */
struct az_sign_in {
    const char *auth;      /* NULL or "auto": the chain; or one source:
                              "secret", "certificate", "az",
                              "device-code", "managed-identity" */
    const char *tenant;    /* home tenant; NULL: AZURE_TENANT_ID */
    const char *client_id; /* NULL: AZURE_CLIENT_ID */
    const struct secret *client_secret;
    const char *certificate; /* PEM with the key; NULL: the environment's
                                AZURE_CLIENT_CERTIFICATE_PATH */
    const struct secret *certificate_password; /* NULL: the environment's
                                AZURE_CLIENT_CERTIFICATE_PASSWORD */
    bool no_env;                               /* ignore AZURE_* variables */
    /* The chain may use this machine's managed identity (opt-in: on a
     * shared host it is the host's identity, not the person's);
     * auth = "managed-identity" uses it whatever this says. */
    bool managed_identity;
    /* Where sources that receive refresh tokens (device code) keep them
     * between runs, on the worker (token-store.h); NULL: in their memory
     * only. Borrowed: outlives the client. */
    const struct az_token_store *token_store;
    /* The device code (credential-device.h). device_client_id: the
     * public client; NULL: $KVDECK_DEVICE_CLIENT_ID, else
     * AZ_DEVICE_CLIENT_ID. interactive: someone sees the code (the
     * console, a batch command on a terminal), so that the chain may end
     * in a device-code sign-in when nothing else is configured; without
     * it only a refresh token kept in token_store is used there.
     * on_device hears about codes and outcomes, on the worker. */
    const char *device_client_id;
    bool interactive;
    az_device_fn on_device;
    void *device_ud;
};

/* The sources az_sign_in.auth may name, NULL-terminated (static). */
extern const char *const az_credential_sources[];
/* True when auth is NULL or names a source; else false and *why
 * (caller frees) lists them. */
bool az_credential_source_known(const char *auth, char **why);

/* The first source that is configured, in this order: a client secret,
 * then a certificate, from the configuration; the same from the
 * environment (AZURE_TENANT_ID and AZURE_CLIENT_ID with
 * AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH) unless no_env;
 * then the az CLI's login when az is signed in here (not with no_env);
 * last a person's sign-in: a refresh token kept in o->token_store, else
 * (o->interactive) a device code. With o->auth naming a source, only
 * that one. Returns NULL and sets
 * *why (caller frees) to what a person should do when none is
 * configured, or to what is wrong with the one that is (a certificate
 * that does not load). */
struct az_credential *az_credential_chain(const struct az_cloud *cloud,
                                          const struct az_sign_in *o,
                                          char **why);

void az_credential_free(struct az_credential *c);

/* Parses a token endpoint answer ({"access_token", "expires_in", ...})
 * held in secure memory. Shared by the HTTP-based sources. */
enum kv_status az_credential_parse_token(const char *body, size_t len,
                                         int64_t now, struct secret **token,
                                         int64_t *expires_at, char **why);

#endif
