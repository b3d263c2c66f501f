/*
 * worker.c — the worker thread: takes jobs from the inbox, runs each as
 * an azure operation (many at once, all on the client's multi handle),
 * turns callbacks into results, and stops operations on request.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/ops.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/worker.h"

struct worker {
    struct engine *e;
    struct vec runs; /* struct run * */
};

/* One job being worked on. */
struct run {
    struct worker *w;
    uint64_t id;
    struct job *job;
    struct az_op *op;
    unsigned page;
    bool finished; /* the terminal result was pushed (and counted) */
};

/* Queues r for the UI unless the job was cancelled. Takes r. */
static void
push(struct run *run, struct result *r)
{
    struct engine *e = run->w->e;
    r->job_id = run->id;
    r->generation = run->job->generation;
    r->tag = run->job->tag;
    r->kind = run->job->kind;
    bool terminal = r->type == RESULT_DONE || r->type == RESULT_ERROR;
    /* Stats read after this result already account for it: a finished
     * job, or (PROGRESS) the request now waiting to retry. */
    bool fresh_stats = terminal || r->type == RESULT_PROGRESS;
    struct az_http_stats st;
    if (fresh_stats)
        az_client_stats(e->client, &st);
    pthread_mutex_lock(&e->mu);
    if (terminal) {
        run->finished = true;
        e->jobs--;
    }
    if (fresh_stats)
        e->http = st;
    if (id_set_has(&e->cancelled, run->id)) {
        result_free(r);
    } else {
        if (r->type == RESULT_ERROR)
            snprintf(e->last_error, sizeof e->last_error, "%s: %s",
                     job_kind_name(r->kind),
                     r->message != NULL ? r->message : _("failed"));
        result_queue_push(&e->results, r);
        pthread_cond_broadcast(&e->cond);
    }
    pthread_mutex_unlock(&e->mu);
}

static void
run_free(struct run *run)
{
    struct worker *w = run->w;
    for (size_t i = 0; i < w->runs.len; i++)
        if (w->runs.items[i] == run)
            vec_remove(&w->runs, i);
    if (!run->finished) {
        pthread_mutex_lock(&w->e->mu);
        w->e->jobs--;
        pthread_mutex_unlock(&w->e->mu);
    }
    job_free(run->job);
    free(run);
}

static char *
dup(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

/* Ends a run with an ERROR that did not come from Azure. */
static void
run_fail(struct run *run, enum kv_status st, const char *msg)
{
    struct result *r = result_new(RESULT_ERROR);
    r->status = st;
    r->message = xstrdup(msg);
    push(run, r);
    run_free(run);
}

static void
on_page(void *ud, struct vec *items, bool more)
{
    struct run *run = ud;
    struct result *r = result_new(RESULT_PAGE);
    for (size_t i = 0; i < items->len; i++) /* the job's model items */
        vec_push(&r->items, items->items[i]);
    items->len = 0; /* taken */
    r->more = more;
    r->page = run->page++;
    push(run, r);
}

static void
on_secret(void *ud, struct kv_secret_version *meta, struct secret *value)
{
    struct run *run = ud;
    struct result *r = result_new(RESULT_PAGE);
    vec_push(&r->items, meta);
    r->value = value;
    r->more = false;
    r->page = run->page++;
    push(run, r);
}

static void
on_done(void *ud, const struct az_failure *f)
{
    struct run *run = ud;
    run->op = NULL; /* freed by ops after this returns */
    if (f == NULL) {
        push(run, result_new(RESULT_DONE));
    } else {
        struct result *r = result_new(RESULT_ERROR);
        r->status = f->status;
        r->http_status = f->http_status;
        r->error_code = dup(f->code);
        r->inner_code = dup(f->inner_code);
        r->message = dup(f->message);
        r->request_id = dup(f->request_id);
        r->attempts = f->attempts;
        push(run, r);
    }
    run_free(run);
}

static void
on_wait(void *ud, const struct az_http_wait *w)
{
    struct run *run = ud;
    struct result *r = result_new(RESULT_PROGRESS);
    long secs = (w->delay_ms + 999) / 1000;
    r->message = xasprintf(_("%s, retrying in %ld s (attempt %d)"), w->reason,
                           secs, w->attempt);
    r->retry_at_ms = w->due_ms;
    r->attempts = w->attempt - 1;
    push(run, r);
}

static const struct az_op_cb run_cb = {
    .page = on_page,
    .secret = on_secret,
    .done = on_done,
    .wait = on_wait,
};

static bool
set(const char *s)
{
    return s != NULL && *s != '\0';
}

/* GET_VAULT with only a URI: what can be known without Resource
 * Manager (the name is the host's first label). */
static void
vault_from_uri(struct run *run)
{
    const char *uri = run->job->vault_uri;
    const char *host = strstr(uri, "://");
    host = host != NULL ? host + 3 : uri;
    size_t n = strcspn(host, ".:/");
    if (n == 0 || !str_istarts(uri, "https://")) {
        run_fail(run, KV_ERR_INVALID, _("not a vault URI (https://NAME...)"));
        return;
    }
    struct kv_vault *v = xcalloc(1, sizeof *v);
    v->name = xstrndup(host, n);
    v->vault_uri = str_rstrip_slash(uri);
    v->soft_delete = true;
    v->json = xasprintf("{\n  \"name\": \"%s\",\n  \"vaultUri\": \"%s\"\n}",
                        v->name, v->vault_uri);
    struct result *r = result_new(RESULT_PAGE);
    vec_push(&r->items, v);
    push(run, r);
    push(run, result_new(RESULT_DONE));
    run_free(run);
}

/* Starts the operation for a job; on bad parameters ends it at once. */
static void
run_start(struct worker *w, uint64_t id, struct job *job)
{
    struct az_client *c = w->e->client;
    struct run *run = xcalloc(1, sizeof *run);
    run->w = w;
    run->id = id;
    run->job = job;
    vec_push(&w->runs, run);
    log_debug("engine: job %llu %s", (unsigned long long)id,
              job_kind_name(job->kind));

    switch (job->kind) {
    case JOB_LIST_SUBSCRIPTIONS:
        run->op = az_list_subscriptions(c, &run_cb, run);
        return;
    case JOB_LIST_GROUPS:
        if (!set(job->subscription_id))
            break;
        run->op = az_list_groups(c, job->subscription_id, &run_cb, run);
        return;
    case JOB_LIST_VAULTS:
        if (!set(job->subscription_id))
            break;
        run->op = az_list_vaults(c, job->subscription_id,
                                 set(job->resource_group) ? job->resource_group
                                                          : NULL,
                                 &run_cb, run);
        return;
    case JOB_GET_VAULT:
        if (!set(job->vault_id) && !set(job->subscription_id) &&
            set(job->vault_uri)) {
            vault_from_uri(run);
            return;
        }
        if (set(job->vault_id))
            run->op = az_get_vault(c, job->vault_id, &run_cb, run);
        else if (set(job->subscription_id) && set(job->name))
            run->op =
                az_find_vault(c, job->subscription_id, job->name, &run_cb, run);
        else
            break;
        return;
    case JOB_LIST_SECRETS:
        if (!set(job->vault_uri))
            break;
        run->op =
            az_list_secrets(c, job->vault_uri, job->page_size, &run_cb, run);
        return;
    case JOB_LIST_VERSIONS:
        if (!set(job->vault_uri) || !set(job->name))
            break;
        run->op = az_list_versions(c, job->vault_uri, job->name, job->page_size,
                                   &run_cb, run);
        return;
    case JOB_GET_SECRET_VALUE:
        if (!set(job->vault_uri) || !set(job->name))
            break;
        run->op = az_get_secret(c, job->vault_uri, job->name, job->version,
                                &run_cb, run);
        return;
    case JOB_LIST_ENDPOINT_CONNECTIONS:
        if (!set(job->vault_id))
            break;
        run->op = az_list_endpoint_connections(c, job->vault_id, &run_cb, run);
        return;
    default:
        run_fail(run, KV_ERR_INVALID, _("unknown job kind"));
        return;
    }
    char *msg =
        xasprintf(_("job %s is missing a parameter"), job_kind_name(job->kind));
    run_fail(run, KV_ERR_INVALID, msg);
    free(msg);
}

/* Stops a job in flight; its results were already filtered out. */
static void
run_cancel(struct worker *w, uint64_t id)
{
    for (size_t i = 0; i < w->runs.len; i++) {
        struct run *run = w->runs.items[i];
        if (run->id != id)
            continue;
        log_debug("engine: job %llu cancelled", (unsigned long long)id);
        az_op_cancel(run->op);
        run->op = NULL;
        run_free(run);
        return;
    }
}

/* Takes new jobs and cancel requests; false when the engine stops. */
static bool
take_work(struct worker *w)
{
    struct engine *e = w->e;
    struct vec in = VEC_INIT;
    struct id_set cancels = {0};
    bool stop;

    pthread_mutex_lock(&e->mu);
    in = e->inbox;
    vec_init(&e->inbox);
    cancels = e->cancel_req;
    memset(&e->cancel_req, 0, sizeof e->cancel_req);
    stop = e->stopping;
    pthread_mutex_unlock(&e->mu);

    for (size_t i = 0; i < in.len; i++) {
        struct inbox_entry *ie = in.items[i];
        if (stop || id_set_has(&cancels, ie->id)) {
            job_free(ie->job);
            pthread_mutex_lock(&e->mu);
            e->jobs--;
            pthread_mutex_unlock(&e->mu);
        } else {
            run_start(w, ie->id, ie->job);
        }
        free(ie);
    }
    vec_free(&in);
    for (size_t i = 0; i < cancels.len; i++) {
        run_cancel(w, cancels.ids[i]);
        pthread_mutex_lock(&e->mu);
        /* nothing of that job can be pushed any more */
        id_set_remove(&e->cancelled, cancels.ids[i]);
        pthread_mutex_unlock(&e->mu);
    }
    id_set_free(&cancels);
    return !stop;
}

void *
worker_main(void *arg)
{
    struct worker w = {.e = arg, .runs = VEC_INIT};
    struct engine *e = w.e;

    while (take_work(&w)) {
        az_client_run(e->client, 1000);
        struct az_http_stats st;
        az_client_stats(e->client, &st);
        pthread_mutex_lock(&e->mu);
        e->http = st;
        pthread_mutex_unlock(&e->mu);
    }
    /* shutting down: stop what is in flight, report nothing more */
    while (w.runs.len > 0) {
        struct run *run = w.runs.items[w.runs.len - 1];
        az_op_cancel(run->op);
        run->op = NULL;
        run_free(run);
    }
    vec_free(&w.runs);
    return NULL;
}
