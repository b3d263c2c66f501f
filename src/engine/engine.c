/*
 * engine.c — the engine's public face (see engine.h): configuration,
 * the worker thread's start and stop, submitting and cancelling jobs,
 * and handing results to the UI.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "azure/ops.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/engine.h"
#include "engine/journal.h"
#include "engine/keyring.h"
#include "engine/worker.h"

/* Turns the engine's configuration into the client's. */
static void
client_config(const struct engine_config *cfg, struct az_client_config *cc)
{
    memset(cc, 0, sizeof *cc);
    cc->cloud = cfg->cloud;
    cc->sign_in.auth = cfg->auth;
    cc->sign_in.tenant = cfg->tenant_id;
    cc->sign_in.client_id = cfg->client_id;
    cc->sign_in.client_secret = cfg->client_secret;
    cc->sign_in.certificate = cfg->client_certificate;
    cc->sign_in.certificate_password = cfg->client_certificate_password;
    cc->sign_in.no_env = cfg->no_environment;
    cc->sign_in.managed_identity = cfg->managed_identity;
    cc->sign_in.interactive = cfg->interactive;
    cc->sign_in.device_client_id = cfg->device_client_id;
    cc->http.user_agent = cfg->user_agent;
    cc->http.ca_file = cfg->ca_file;
    cc->http.resolve = cfg->resolve;
    cc->http.connect_timeout_ms = cfg->connect_timeout_ms;
    cc->http.timeout_ms = cfg->timeout_ms;
    cc->http.low_speed_time_s = cfg->low_speed_time_s;
    cc->http.max_body = cfg->max_body;
    cc->http.max_parallel = cfg->max_parallel;
    cc->http.retry = az_retry_default();
    if (cfg->max_attempts > 0)
        cc->http.retry.max_attempts =
            cfg->max_attempts > 10 ? 10 : cfg->max_attempts;
    if (cfg->max_retry_wait_ms > 0)
        cc->http.retry.max_total_wait_ms = cfg->max_retry_wait_ms;
    if (cfg->retry_base_ms > 0)
        cc->http.retry.base_ms = cfg->retry_base_ms;
    /* KVDECK_WAIT_LIMIT=SECONDS: how long a long-running operation, and a
     * plan's wait, may take at most (default 30 and 10 minutes) */
    const char *wl = getenv("KVDECK_WAIT_LIMIT");
    char *end = NULL;
    long secs = wl != NULL ? strtol(wl, &end, 10) : 0;
    if (wl != NULL && end != wl && *end == '\0' && secs > 0 &&
        secs <= 24 * 3600) {
        cc->lro = az_lro_default();
        cc->lro.budget_ms = secs * 1000;
    }
}

/* A configured value, else the environment's (unless told not to). */
static char *
identity(const char *configured, const char *env, bool no_env)
{
    const char *v = configured;
    if ((v == NULL || *v == '\0') && !no_env)
        v = getenv(env);
    return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

struct engine *
engine_new(const struct engine_config *cfg, char **why)
{
    struct az_client_config cc;
    struct engine *e = xcalloc(1, sizeof *e);

    az_http_global_init(); /* the wiping allocator, before the worker */
    engine_tokens_init(e);
    client_config(cfg, &cc);
    cc.sign_in.token_store = &e->token_store;
    cc.sign_in.on_device = engine_sign_in_notice;
    cc.sign_in.device_ud = e;
    e->results.rd = e->results.wr = -1;
    e->next_id = 1;
    for (size_t i = 0; cfg->resolve != NULL && i < cfg->resolve->n; i++)
        kv_strlist_add(&e->resolve, cfg->resolve->items[i]);
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cond, NULL);
    e->client = az_client_new(&cc, why);
    if (e->client == NULL)
        goto fail;
    if (result_queue_init(&e->results, why) != KV_OK)
        goto fail;
    const struct az_cloud *cloud = az_client_cloud(e->client);
    e->cloud_name = xstrdup(cloud->name);
    e->vault_suffix =
        cloud->keyvault_dns != NULL ? xstrdup(cloud->keyvault_dns) : NULL;
    e->vault_port = xstrdup("");
    const char *rm_port = strrchr(cloud->resource_manager, ':');
    if (e->vault_suffix != NULL && str_iends(e->vault_suffix, "localhost") &&
        rm_port != NULL && rm_port > strstr(cloud->resource_manager, "://") &&
        rm_port[1] >= '0' && rm_port[1] <= '9') {
        free(e->vault_port);
        e->vault_port = xstrndup(rm_port, strcspn(rm_port, "/"));
    }
    const char *cred = az_client_credential_name(e->client);
    e->credential_name = cred != NULL ? xstrdup(cred) : NULL;
    e->tenant_id =
        identity(cfg->tenant_id, "AZURE_TENANT_ID", cfg->no_environment);
    e->principal =
        identity(cfg->client_id, "AZURE_CLIENT_ID", cfg->no_environment);
    e->journal_path = cfg->journal_path != NULL ? xstrdup(cfg->journal_path)
                                                : journal_default_path();
    int err = pthread_create(&e->thread, NULL, worker_main, e);
    if (err != 0) {
        *why =
            xasprintf(_("cannot start the worker thread: %s"), strerror(err));
        goto fail;
    }
    e->started = true;
    return e;
fail:
    engine_free(e);
    return NULL;
}

int
engine_wake_fd(const struct engine *e)
{
    return e->results.rd;
}

uint64_t
engine_submit(struct engine *e, struct job *job)
{
    uint64_t id = 0;
    if (job == NULL)
        return 0;
    pthread_mutex_lock(&e->mu);
    if (!e->stopping) {
        struct inbox_entry *ie = xmalloc(sizeof *ie);
        id = ie->id = e->next_id++;
        ie->job = job;
        job = NULL;
        vec_push(&e->inbox, ie);
        e->jobs++;
    }
    pthread_mutex_unlock(&e->mu);
    if (job != NULL) {
        job_free(job);
        return 0;
    }
    az_client_wakeup(e->client);
    return id;
}

void
engine_interrupt(struct engine *e, uint64_t id)
{
    if (id == 0)
        return;
    pthread_mutex_lock(&e->mu);
    id_set_add(&e->interrupt_req, id);
    pthread_mutex_unlock(&e->mu);
    az_client_wakeup(e->client);
}

const char *
engine_journal_path(const struct engine *e)
{
    return e->journal_path;
}

void
engine_cancel(struct engine *e, uint64_t id)
{
    if (id == 0)
        return;
    pthread_mutex_lock(&e->mu);
    result_queue_drop_job(&e->results, id);
    id_set_add(&e->cancelled, id);
    id_set_add(&e->cancel_req, id);
    pthread_mutex_unlock(&e->mu);
    az_client_wakeup(e->client);
}

struct result *
engine_next_result(struct engine *e)
{
    pthread_mutex_lock(&e->mu);
    struct result *r = result_queue_pop(&e->results);
    pthread_mutex_unlock(&e->mu);
    return r;
}

struct result *
engine_wait_result(struct engine *e, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    if (timeout_ms >= 0) {
        until.tv_sec += timeout_ms / 1000;
        until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&e->mu);
    struct result *r;
    while ((r = result_queue_pop(&e->results)) == NULL) {
        int err = timeout_ms < 0
                      ? pthread_cond_wait(&e->cond, &e->mu)
                      : pthread_cond_timedwait(&e->cond, &e->mu, &until);
        if (err == ETIMEDOUT) {
            r = result_queue_pop(&e->results);
            break;
        }
    }
    pthread_mutex_unlock(&e->mu);
    return r;
}

void
engine_stats(struct engine *e, struct engine_stats *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&e->mu);
    out->jobs = e->jobs;
    out->in_flight = e->http.running;
    out->waiting = e->http.waiting;
    out->throttled = e->http.throttled;
    out->backoff_until_ms = e->http.backoff_until_ms;
    out->requests = e->http.requests;
    out->retries = e->http.retries;
    memcpy(out->last_request_id, e->http.last_request_id,
           sizeof out->last_request_id);
    memcpy(out->last_error, e->last_error, sizeof out->last_error);
    pthread_mutex_unlock(&e->mu);
}

const char *
engine_cloud_name(const struct engine *e)
{
    return e->cloud_name;
}

bool
engine_identity(struct engine *e, struct engine_identity *out)
{
    pthread_mutex_lock(&e->mu);
    *out = e->identity;
    bool known = e->identity_seq != 0;
    pthread_mutex_unlock(&e->mu);
    return known;
}

void
engine_set_tenant(struct engine *e, const char *tenant)
{
    if (tenant == NULL || *tenant == '\0')
        return;
    pthread_mutex_lock(&e->mu);
    free(e->tenant_req);
    e->tenant_req = xstrdup(tenant);
    pthread_mutex_unlock(&e->mu);
    az_client_wakeup(e->client);
}

const char *
engine_principal(const struct engine *e)
{
    return e->principal;
}

const char *
engine_credential_name(const struct engine *e)
{
    return e->credential_name;
}

const char *
engine_token_storage(const struct engine *e)
{
    enum keyring_storage s = keyring_storage(e->keyring);
    return s == KEYRING_UNPROBED ? NULL : keyring_storage_name(s);
}

const char *
engine_token_storage_why(const struct engine *e)
{
    return keyring_why(e->keyring);
}

bool
engine_tokens_memory_only(const struct engine *e)
{
    struct engine *m = (struct engine *)e; /* the lock only */
    pthread_mutex_lock(&m->mu);
    bool kept = e->token_kept;
    pthread_mutex_unlock(&m->mu);
    return kept && keyring_storage(e->keyring) == KEYRING_MEMORY_ONLY;
}

void
engine_on_sign_in(struct engine *e, result_deliver_fn fn, void *ctx)
{
    pthread_mutex_lock(&e->mu);
    e->sign_in_deliver = fn;
    e->sign_in_ctx = ctx;
    pthread_mutex_unlock(&e->mu);
}

static void
sign_in_request(struct engine *e, int what)
{
    pthread_mutex_lock(&e->mu);
    e->sign_in_req = what;
    pthread_mutex_unlock(&e->mu);
    az_client_wakeup(e->client);
}

void
engine_sign_in_retry(struct engine *e)
{
    sign_in_request(e, SIGN_IN_REQ_RETRY);
}

void
engine_sign_in_cancel(struct engine *e)
{
    sign_in_request(e, SIGN_IN_REQ_CANCEL);
}

char *
engine_vault_uri(const struct engine *e, const char *name)
{
    if (e->vault_suffix == NULL || name == NULL || *name == '\0')
        return NULL;
    return xasprintf("https://%s%s%s", name, e->vault_suffix, e->vault_port);
}

const char *
engine_private_dns_zone(const struct engine *e)
{
    const char *z = az_client_cloud(e->client)->private_dns_zone;
    return z != NULL ? z : "privatelink.vaultcore.azure.net";
}

void
engine_free(struct engine *e)
{
    if (e == NULL)
        return;
    if (e->started) {
        pthread_mutex_lock(&e->mu);
        e->stopping = true;
        pthread_mutex_unlock(&e->mu);
        az_client_wakeup(e->client);
        pthread_join(e->thread, NULL);
    }
    for (size_t i = 0; i < e->inbox.len; i++) {
        struct inbox_entry *ie = e->inbox.items[i];
        job_free(ie->job);
        free(ie);
    }
    vec_free(&e->inbox);
    result_queue_destroy(&e->results);
    id_set_free(&e->cancel_req);
    id_set_free(&e->cancelled);
    id_set_free(&e->interrupt_req);
    az_client_free(e->client);
    engine_tokens_free(e);
    free(e->tenant_id);
    free(e->principal);
    free(e->journal_path);
    free(e->tenant_req);
    free(e->cloud_name);
    free(e->credential_name);
    free(e->vault_suffix);
    free(e->vault_port);
    kv_strlist_free(&e->resolve);
    pthread_cond_destroy(&e->cond);
    pthread_mutex_destroy(&e->mu);
    free(e);
}
