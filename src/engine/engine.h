/*
 * engine.h — the engine: one worker thread that does all network work for
 * the user interface, fed by a job queue and answering through a result
 * queue plus a wake pipe the UI can poll().
 *
 *     struct engine *e = engine_new(&cfg, &why);   // starts the worker
 *     int fd = engine_wake_fd(e);                  // poll() for POLLIN
 *     uint64_t id = engine_submit(e, job);         // takes the job
 *     engine_cancel(e, id);                        // drops its results
 *     while ((r = engine_next_result(e)) != NULL) { use(r); result_free(r); }
 *     engine_free(e);                              // stops, even mid-work
 *
 * Threading: every function here may be called from any one thread (the
 * UI's) or several; they are thread-safe. They never block on the
 * network. The UI must not call azure/ or libcurl itself.
 */
#ifndef KV_ENGINE_ENGINE_H
#define KV_ENGINE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/secmem.h"
#include "base/status.h"
#include "engine/job.h"
#include "engine/model.h"

/* Everything engine_new() needs. All pointers are borrowed: the engine
 * copies what it keeps (the client secret into its own secure memory), so
 * the caller may free the config right after engine_new(). NULL/0 fields
 * take the default shown. */
struct engine_config {
    const char *cloud;   /* "AzureCloud" (default), "AzureUSGovernment",
                            "AzureChinaCloud", or a path to a custom-cloud
                            JSON file (az cloud register --cloud-config) */
    const char *ca_file; /* extra CA bundle trusted in addition to the
                            system store (never replaces verification) */
    /* resolve overrides (config "resolve = HOST:PORT:ADDRESS", as curl's
     * --resolve): every connection and JOB_CHECK_DNS use them; NULL:
     * none. Copied. */
    const struct kv_strlist *resolve;
    /* How to sign in. auth: NULL or "auto" (the chain: a client secret,
     * then a certificate, from here, then from the environment), or one
     * of "secret", "certificate". When tenant_id or client_id is NULL,
     * AZURE_TENANT_ID / AZURE_CLIENT_ID are used; without a secret or
     * certificate here, AZURE_CLIENT_SECRET or
     * AZURE_CLIENT_CERTIFICATE_PATH (and _PASSWORD). */
    const char *auth;
    const char *tenant_id;
    const char *client_id;
    const struct secret *client_secret;
    const char *client_certificate; /* PEM: certificate and private key */
    const struct secret *client_certificate_password; /* encrypted key */
    bool no_environment;     /* true: ignore AZURE_* variables */
    bool managed_identity;   /* the chain may use this machine's managed
                                identity (auth "managed-identity" always
                                does) */
    bool interactive;        /* someone sees a device code: the chain may
                                end in a device-code sign-in (auth
                                "device-code" always does); see
                                engine_on_sign_in() */
    const char *device_client_id; /* the public client of the device code;
                                NULL: $KVDECK_DEVICE_CLIENT_ID, else the
                                Azure CLI's */
    const char *user_agent;  /* default "kvdeck/VERSION" */
    long connect_timeout_ms; /* default 10000 */
    long timeout_ms;         /* whole request, default 60000 */
    long low_speed_time_s;   /* abort a stalled transfer (<1 byte/s for
                                this long); default 30 */
    size_t max_body;         /* largest response body, default 32 MiB */
    int max_attempts;        /* per request, including the first; 1..10,
                                default 4 */
    long max_retry_wait_ms;  /* retry budget: total back-off one request
                                may spend waiting, default 120000 */
    long retry_base_ms;      /* first back-off step, default 800 (doubles
                                up to 30 s, jittered) */
    int max_parallel;        /* concurrent transfers, default 64 */
    const char *journal_path; /* NULL: journal_default_path() */
};

/* A snapshot of what the worker is doing, for the status bar. */
struct engine_stats {
    unsigned jobs;            /* jobs accepted and not yet finished */
    unsigned in_flight;       /* HTTP transfers running now */
    unsigned waiting;         /* requests waiting to retry */
    bool throttled;           /* a request waits after a 429 */
    int64_t backoff_until_ms; /* time_mono_ms() the last wait ends; 0 */
    uint64_t requests;        /* HTTP attempts made so far */
    uint64_t retries;         /* of which were retries */
    char last_request_id[96]; /* of the last answered request, or "" */
    char last_error[200];     /* message of the last ERROR result, or "" */
};

/* Starts the engine and its worker thread. On failure returns NULL and
 * sets *why (caller frees): an unknown cloud name, an unreadable or
 * malformed cloud file (the message names the file), a missing CA file.
 * A missing credential is not an error here: jobs then fail with
 * KV_ERR_AUTH and a message saying what to set. */
struct engine *engine_new(const struct engine_config *cfg, char **why);

/* The read end of the wake pipe: readable whenever results are queued.
 * Do not read it yourself; engine_next_result() drains it. */
int engine_wake_fd(const struct engine *e);

/* Queues a job; the engine takes ownership (even on failure). Returns the
 * job id (never 0), or 0 if the engine is shutting down. */
uint64_t engine_submit(struct engine *e, struct job *job);

/* Cancels a job: its transfers are stopped, results already queued are
 * dropped and no further result of it is ever returned. Unknown or
 * finished ids are ignored. */
void engine_cancel(struct engine *e, uint64_t id);

/* Asks a job to stop at its next safe point and still report: a plan
 * stops between steps (the step in flight finishes) and its terminal
 * result is an ERROR with status KV_ERR_CANCELLED carrying the plan.
 * Jobs without safe points are cancelled. Unknown ids are ignored. */
void engine_interrupt(struct engine *e, uint64_t id);

/* Where plans journal their steps (NULL when no home is known). */
const char *engine_journal_path(const struct engine *e);

/* Returns the next result (caller frees with result_free()) or NULL when
 * none is queued. Never blocks. */
struct result *engine_next_result(struct engine *e);

/* Blocks up to timeout_ms (-1 = forever) until a result is queued; for
 * the batch CLI and tests. Returns the result or NULL on timeout. */
struct result *engine_wait_result(struct engine *e, int timeout_ms);

void engine_stats(struct engine *e, struct engine_stats *out);

/* What the engine talks to, for the header line: the cloud's name and
 * the credential in use ("client secret (environment)", ...) or NULL
 * when none is configured. Static for the engine's lifetime. */
const char *engine_cloud_name(const struct engine *e);
const char *engine_credential_name(const struct engine *e);
/* Who the engine signs in as, for messages and the journal: the client
 * (application) id of the service principal, or NULL when unknown.
 * Static for the engine's lifetime. */
const char *engine_principal(const struct engine *e);

/* Where refresh tokens are kept: "keyring" (the desktop keyring, through
 * the Secret Service) or "memory only" (they end with the process); NULL
 * while nothing has asked yet (the keyring is probed on the worker the
 * first time a credential stores or looks up a token, or by a
 * job_tokens_probe()). engine_token_storage_why() says why memory only
 * ("no D-Bus session bus", ...), else NULL. Static strings, or owned by
 * the engine. Never block. */
const char *engine_token_storage(const struct engine *e);
const char *engine_token_storage_why(const struct engine *e);
/* True when a sign-in this run produced a refresh token and it is kept
 * in memory only: the console then says "tokens in memory only". */
bool engine_tokens_memory_only(const struct engine *e);

/* Where a person's sign-in news go (engine/signin.h): RESULT_SIGN_IN
 * results (job_id 0) whose deliver/ctx are fn/ctx, so that
 * result_dispatch() hands them over: the device code to show, a
 * slow_down, signed in, or failed (declined, expired). Set it before the
 * first job; fn NULL: such results have no owner. */
void engine_on_sign_in(struct engine *e, result_deliver_fn fn, void *ctx);
/* After a failed device-code sign-in (declined, expired, cancelled): the
 * next request asks for a new code. Resubmit what failed. */
void engine_sign_in_retry(struct engine *e);
/* Gives up the device-code sign-in in progress: what waits for it fails
 * (KV_ERR_CANCELLED), and so does every request until
 * engine_sign_in_retry(). */
void engine_sign_in_cancel(struct engine *e);

/* Who is signed in, as the latest Resource Manager token says (its
 * claims, read without verifying; never the token). Empty strings for
 * claims the token does not carry. */
struct engine_identity {
    char display[256];  /* the account (user principal name), else the
                           app id: what the header shows */
    char account[256];  /* upn / unique_name; "" for an application */
    char name[128];     /* display name, or "" */
    char app_id[64];    /* the client (appid / azp) */
    char object_id[64]; /* oid */
    char tenant_id[64]; /* tid */
    char kind[16];      /* idtyp: "user" or "app" */
};
/* Copies the identity into out; false (out empty) until a Resource
 * Manager token was obtained (after the first ARM call). Thread-safe,
 * never blocks. */
bool engine_identity(struct engine *e, struct engine_identity *out);
/* Azure RBAC's principalType of that identity, for role assignments:
 * "User" for a person, "ServicePrincipal" for an application or a
 * managed identity (static). Inline: a pure reading of the struct, for
 * the console and the batch commands alike (and the console's fake
 * engine in tests). */
static inline const char *
engine_principal_type(const struct engine_identity *id)
{
    return strcmp(id->kind, "user") == 0 ? "User" : "ServicePrincipal";
}
/* Sends Resource Manager calls to another tenant of the account from now
 * on (the :tenant switch): the next call signs in for it. Thread-safe. */
void engine_set_tenant(struct engine *e, const char *tenant);

/* The data-plane URI a vault named name has in this cloud:
 * "https://NAME" + the cloud's Key Vault DNS suffix (+ ":PORT" when the
 * suffix is a *.localhost one, as for kvdeck-sim, and Resource Manager
 * has an explicit port). NULL when the cloud has no Key Vault suffix.
 * Caller frees. */
char *engine_vault_uri(const struct engine *e, const char *name);
/* The private DNS zone of Key Vault's private endpoints in this cloud
 * ("privatelink.vaultcore.azure.net", "…usgovcloudapi.net", "…azure.cn");
 * a cloud from a file (kvdeck-sim's) uses Azure's public one. Static for
 * the engine's lifetime. */
const char *engine_private_dns_zone(const struct engine *e);

/* Stops the worker (cancelling transfers in flight), frees queued jobs
 * and results, closes the pipe. NULL is fine. */
void engine_free(struct engine *e);

#endif
