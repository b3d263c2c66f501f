/*
 * credential-device.h — signing a person in with a device code (OAuth 2.0
 * device authorization grant, RFC 8628, as Entra ID v2 speaks it): the
 * credential asks {authority}/{tenant}/oauth2/v2.0/devicecode for a code,
 * tells whoever shows it to the person (az_device_fn), polls the token
 * endpoint at the server's interval until the person approved, declined
 * or the code expired, and from then on redeems the refresh token it got
 * for every other tenant and scope (ARM, each vault), without asking
 * again. On AD FS (an authority ending in /adfs) the endpoints are
 * {authority}/oauth2/devicecode and {authority}/oauth2/token.
 *
 * After a declined, expired or refused code (or a sign-in the person
 * cancelled) every acquire fails at once with that status until
 * az_credential_device_reset() (the console's retry key): a failed
 * sign-in never starts a second one behind the person's back.
 *
 * Ownership: notices are borrowed for the call (copy what you keep).
 * Parsed answers belong to the caller (az_device_grant_clear(),
 * az_user_token_clear()); their secrets are in secure memory.
 * Threading: the worker thread only, like every credential.
 */
#ifndef KV_AZURE_CREDENTIAL_DEVICE_H
#define KV_AZURE_CREDENTIAL_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/secmem.h"
#include "base/status.h"

struct az_cloud;
struct az_credential;
struct az_http;
struct az_token_store;

/* The public client the Azure CLI and SDKs sign in with. */
#define AZ_DEVICE_CLIENT_ID "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
/* Added to the scope a device code or refresh token is asked for. */
#define AZ_DEVICE_EXTRA_SCOPES "offline_access openid profile"

enum az_device_event {
    AZ_DEVICE_CODE,      /* a code to show: user_code, verification_uri,
                            message, expires_at, interval */
    AZ_DEVICE_SLOW_DOWN, /* the server asked to poll less often: the same
                            fields, interval the new one */
    AZ_DEVICE_SIGNED_IN, /* approved: account (or NULL) */
    AZ_DEVICE_FAILED,    /* status (KV_ERR_SIGNIN_*) and why */
};

struct az_device_notice {
    enum az_device_event event;
    const char *user_code;
    const char *verification_uri;
    const char *message; /* the server's sentence, or NULL */
    int64_t expires_at;  /* time_now() seconds */
    int interval;        /* seconds between polls */
    const char *account; /* SIGNED_IN: preferred_username, upn or oid */
    enum kv_status status;
    const char *why;
};

/* Called on the worker thread, from the transport's loop. */
typedef void (*az_device_fn)(void *ud, const struct az_device_notice *n);

/* A device-code credential for tenant (NULL: "organizations") and the
 * public client client_id (NULL: AZ_DEVICE_CLIENT_ID). notify (may be
 * NULL) hears about codes and outcomes; store (may be NULL, borrowed,
 * outlives the credential) keeps refresh tokens between runs. */
struct az_credential *
az_credential_device_new(const struct az_cloud *cloud, const char *tenant,
                         const char *client_id, az_device_fn notify,
                         void *notify_ud, const struct az_token_store *store);

/* Makes c (a device-code credential) use only a refresh token kept in
 * its store: without one, acquires fail with KV_ERR_AUTH and why (copied)
 * instead of showing a code nobody would see (a batch command without a
 * terminal). */
void az_credential_device_kept_only(struct az_credential *c, const char *why);

/* The devicecode endpoint's answer. */
struct az_device_grant {
    struct secret *device_code;
    char *user_code, *verification_uri, *message;
    int64_t expires_at;
    int interval;
};
/* Parses {"device_code","user_code","verification_uri" (or v1's
 * "verification_url"),"expires_in","interval","message"}. interval
 * defaults to 5 s, expires_in to 900 s. */
enum kv_status az_device_parse_grant(const char *body, size_t len, int64_t now,
                                     struct az_device_grant *g, char **why);
void az_device_grant_clear(struct az_device_grant *g);

/* What a poll of the token endpoint (device_code or refresh_token
 * grant) answered. */
enum az_device_poll {
    AZ_POLL_TOKEN,         /* 200 with an access token */
    AZ_POLL_PENDING,       /* authorization_pending: poll again */
    AZ_POLL_SLOW_DOWN,     /* slow_down: poll again, 5 s later */
    AZ_POLL_DECLINED,      /* authorization_declined */
    AZ_POLL_EXPIRED,       /* expired_token (also code_expired) */
    AZ_POLL_BAD_CODE,      /* bad_verification_code */
    AZ_POLL_INVALID_GRANT, /* a refresh token refused (revoked, expired) */
    AZ_POLL_RETRY,         /* no answer, or a 5xx: try again later */
    AZ_POLL_ERROR,         /* any other refusal */
};

/* A user's tokens from the token endpoint. */
struct az_user_token {
    struct secret *access_token;
    int64_t expires_at;
    struct secret *refresh_token; /* NULL without offline_access */
    char *account;                /* from the id token (else the access
                                     token): preferred_username, upn,
                                     unique_name or oid; or NULL */
};
/* Sorts a token endpoint answer (status 0: none arrived) and, for
 * AZ_POLL_TOKEN, fills t. *why (caller frees) says what went wrong for
 * every outcome but TOKEN, PENDING and SLOW_DOWN: Entra's error, its
 * AADSTS code, without trace and correlation ids. */
enum az_device_poll az_device_parse_poll(long status, const char *body,
                                         size_t len, int64_t now,
                                         struct az_user_token *t, char **why);
void az_user_token_clear(struct az_user_token *t);
/* The status an outcome fails with (KV_ERR_SIGNIN_DECLINED, ...). */
enum kv_status az_device_status(enum az_device_poll p);

#endif
