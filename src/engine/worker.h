/*
 * worker.h — the engine's insides, shared by engine.c (the API the UI
 * calls) and worker.c (the thread that does the work). Not for the UI.
 *
 * Locking: `mu` protects everything in struct engine marked (mu). The
 * client is touched by the worker thread only, except
 * az_client_wakeup(), which is thread-safe.
 */
#ifndef KV_ENGINE_WORKER_H
#define KV_ENGINE_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "azure/client.h"
#include "azure/token-store.h"
#include "base/vec.h"
#include "engine/engine.h"
#include "engine/queue.h"

/* A submitted job waiting for the worker. */
struct inbox_entry {
    uint64_t id;
    struct job *job;
};

struct engine {
    pthread_mutex_t mu;
    pthread_cond_t cond;         /* signalled on every result push */
    struct result_queue results; /* (mu) */
    struct vec inbox;            /* struct inbox_entry * (mu) */
    struct id_set cancel_req;    /* ids the worker must stop (mu) */
    struct id_set cancelled;     /* ids whose results are dropped (mu) */
    struct id_set interrupt_req; /* ids to stop at a safe point (mu) */
    bool stopping;               /* (mu) */
    uint64_t next_id;            /* (mu) */
    unsigned jobs;               /* accepted and not finished (mu) */
    struct az_http_stats http;   /* the worker's last snapshot (mu) */
    char last_error[200];        /* (mu) */
    pthread_t thread;
    bool started;
    struct az_client *client; /* the worker's */
    char *cloud_name;
    char *credential_name;
    char *vault_suffix; /* ".vault.azure.net" or NULL */
    char *vault_port;   /* ":43121" for a *.localhost suffix, or "" */
    struct kv_strlist resolve; /* resolve overrides (JOB_CHECK_DNS) */
    /* for the journal: who changes what, where */
    char *tenant_id;    /* the credential's tenant, or NULL */
    char *principal;    /* its client id / principal, or NULL */
    char *journal_path; /* NULL: no journal could be placed */
    /* who is signed in (engine-identity.c) */
    struct engine_identity identity; /* (mu) */
    unsigned identity_seq;           /* (mu) the client's, copied */
    unsigned identity_seen;          /* the worker's last look */
    char *tenant_req;                /* (mu) a :tenant switch to apply */
    /* refresh tokens (tokens.c): the keyring and the store the client's
     * credentials call, on the worker */
    struct keyring *keyring;
    struct az_token_store token_store;
    bool token_kept; /* (mu) a credential stored a refresh token */
    /* a person's sign-in (signin.c) */
    result_deliver_fn sign_in_deliver; /* (mu) */
    void *sign_in_ctx;                 /* (mu) */
    int sign_in_req; /* (mu) 0, or SIGN_IN_REQ_* for the worker */
};

/* signin.c: the credential's notices, on the worker (ud: the engine),
 * and what the UI asked for (retry, cancel), taken each worker turn. */
enum { SIGN_IN_REQ_RETRY = 1, SIGN_IN_REQ_CANCEL = 2 };
void engine_sign_in_notice(void *ud, const struct az_device_notice *n);
void engine_sign_in_work(struct engine *e);

/* tokens.c: sets up and frees e->keyring and e->token_store (no I/O). */
void engine_tokens_init(struct engine *e);
void engine_tokens_free(struct engine *e);

/* engine-identity.c, on the worker after each turn: applies a tenant
 * switch and copies a changed identity for the UI. */
void engine_identity_sync(struct engine *e);

/* The worker thread's body; arg is the engine. */
void *worker_main(void *arg);

#endif
