/*
 * tokens.c — refresh tokens between the credentials and the keyring: the
 * az_token_store (azure/token-store.h) the engine hands to its client,
 * backed by engine/keyring.c; and the TOKENS job (probe the keyring,
 * forget tokens) the front ends submit. (What the status bar asks,
 * engine_token_storage() & co, is in engine.c, which test fakes
 * replace.)
 *
 * Every keyring call here runs on the worker thread: the store's ops are
 * called by credentials while they acquire tokens, and the job runs
 * there like any other.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "engine/keyring.h"
#include "engine/run.h"
#include "engine/worker.h"

static void
key_of(struct keyring_key *k, const struct az_token_key *key)
{
    k->cloud = key->cloud;
    k->tenant = key->tenant;
    k->account = key->account;
    k->client_id = key->client_id;
}

static enum kv_status
store_lookup(void *ud, const struct az_token_key *key, struct secret **rt,
             char **account)
{
    struct engine *e = ud;
    struct keyring_key k;
    struct keyring_entry found;
    char *why = NULL;
    key_of(&k, key);
    *rt = NULL;
    *account = NULL;
    enum kv_status st = keyring_lookup(e->keyring, &k, rt, &found, &why);
    if (st == KV_OK) {
        *account = found.account;
        found.account = NULL;
        keyring_entry_clear(&found);
    } else if (why != NULL) {
        log_debug("keyring: %s", why);
    }
    free(why);
    return st;
}

static void
store_store(void *ud, const struct az_token_key *key, const struct secret *rt)
{
    struct engine *e = ud;
    struct keyring_key k;
    char *why = NULL;
    key_of(&k, key);
    if (keyring_store(e->keyring, &k, rt, &why) != KV_OK)
        log_debug("keyring: %s", why);
    free(why);
    pthread_mutex_lock(&e->mu);
    e->token_kept = true;
    pthread_mutex_unlock(&e->mu);
}

static void
store_remove(void *ud, const struct az_token_key *key)
{
    struct engine *e = ud;
    struct keyring_key k;
    char *why = NULL;
    key_of(&k, key);
    if (keyring_remove(e->keyring, &k, NULL, &why) != KV_OK)
        log_debug("keyring: %s", why);
    free(why);
}

void
engine_tokens_init(struct engine *e)
{
    e->keyring = keyring_new(0);
    e->token_store.ud = e;
    e->token_store.lookup = store_lookup;
    e->token_store.store = store_store;
    e->token_store.remove = store_remove;
}

void
engine_tokens_free(struct engine *e)
{
    keyring_free(e->keyring);
    e->keyring = NULL;
}

/* ---- the TOKENS job ---------------------------------------------------- */

static void
tokens_params_free(void *p)
{
    struct job_tokens *t = p;
    if (t == NULL)
        return;
    free(t->tenant);
    free(t);
}

/* Runs at once: the keyring calls block for at most their timeout. */
static void
tokens_start(struct job_run *run)
{
    struct job_tokens *t = run->job->params;
    struct keyring *k = run->e->keyring;
    struct result *r = result_new(RESULT_DONE);
    char *why = NULL;
    enum kv_status st = KV_OK;
    if (t->op == JOB_TOKENS_FORGET) {
        struct keyring_key key = {
            .cloud = t->all ? NULL : run->e->cloud_name,
            .tenant = t->all ? NULL : t->tenant,
        };
        st = keyring_remove(k, &key, &r->items, &why);
    } else {
        keyring_probe(k);
    }
    enum keyring_storage s = keyring_storage(k);
    if (st != KV_OK) {
        result_free(r);
        run_fail_msg(run, st, why);
        free(why);
        return;
    }
    free(why);
    /* DONE: the message says where tokens are kept now, and why not in
     * the keyring when they are not */
    const char *w = keyring_why(k);
    r->message = w != NULL ? xasprintf("%s: %s", keyring_storage_name(s), w)
                           : xstrdup(keyring_storage_name(s));
    r->status = KV_OK;
    run_done(run, r);
}

static void
tokens_cancel(struct job_run *run)
{
    (void)run; /* finished in start */
}

const struct job_type job_type_tokens = {
    .name = "TOKENS",
    .kind = JOB_TOKENS,
    .start = tokens_start,
    .cancel = tokens_cancel,
    .free_params = tokens_params_free,
    .free_item = keyring_entry_free,
};

struct job *
job_tokens_probe(void)
{
    struct job *j = job_new(JOB_TOKENS);
    struct job_tokens *t = j->params;
    t->op = JOB_TOKENS_PROBE;
    return j;
}

struct job *
job_tokens_forget(const char *tenant, bool all)
{
    struct job *j = job_new(JOB_TOKENS);
    struct job_tokens *t = j->params;
    t->op = JOB_TOKENS_FORGET;
    t->tenant = tenant != NULL && *tenant != '\0' ? xstrdup(tenant) : NULL;
    t->all = all;
    return j;
}
