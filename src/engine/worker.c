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
#include "engine/run.h"
#include "engine/worker.h"

struct worker {
    struct engine *e;
    struct vec runs; /* struct job_run * */
};

/* Queues r for the UI unless the job was cancelled. Takes r. */
static void
push(struct job_run *run, struct result *r)
{
    struct engine *e = run->e;
    r->job_id = run->id;
    r->generation = run->job->generation;
    r->tag = run->job->tag;
    r->deliver = run->job->deliver;
    r->ctx = run->job->ctx;
    r->kind = run->job->kind;
    r->free_item = run->job->type->free_item;
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
run_free(struct job_run *run)
{
    struct worker *w = run->w;
    for (size_t i = 0; i < w->runs.len; i++)
        if (w->runs.items[i] == run)
            vec_remove(&w->runs, i);
    if (!run->finished) {
        pthread_mutex_lock(&run->e->mu);
        run->e->jobs--;
        pthread_mutex_unlock(&run->e->mu);
    }
    job_free(run->job);
    free(run);
}

static char *
dup(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

void
run_push(struct job_run *run, struct result *r)
{
    push(run, r);
}

void
run_page(struct job_run *run, struct vec *items, bool more)
{
    struct result *r = result_new(RESULT_PAGE);
    for (size_t i = 0; i < items->len; i++) /* the job's model items */
        vec_push(&r->items, items->items[i]);
    items->len = 0; /* taken */
    r->more = more;
    r->page = run->page++;
    push(run, r);
}

void
run_progress(struct job_run *run, const char *text)
{
    struct result *r = result_new(RESULT_PROGRESS);
    r->message = xstrdup(text);
    push(run, r);
}

void
run_done(struct job_run *run, struct result *r)
{
    if (r == NULL)
        r = result_new(RESULT_DONE);
    r->type = RESULT_DONE;
    push(run, r);
    run_free(run);
}

void
run_fail(struct job_run *run, const struct az_failure *f, struct result *r)
{
    if (r == NULL)
        r = result_new(RESULT_ERROR);
    r->type = RESULT_ERROR;
    r->status = f->status != KV_OK ? f->status : KV_ERR_INTERNAL;
    r->http_status = f->http_status;
    r->error_code = dup(f->code);
    r->inner_code = dup(f->inner_code);
    r->message = dup(f->message);
    r->request_id = dup(f->request_id);
    r->attempts = f->attempts;
    push(run, r);
    run_free(run);
}

void
run_fail_msg(struct job_run *run, enum kv_status st, const char *msg)
{
    struct az_failure f = {.status = st, .message = msg};
    run_fail(run, &f, NULL);
}

static void
on_page(void *ud, struct vec *items, bool more)
{
    run_page(ud, items, more);
}

static void
on_secret(void *ud, struct kv_secret_version *meta, struct secret *value)
{
    struct job_run *run = ud;
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
    struct job_run *run = ud;
    run->state = NULL; /* the op is freed by ops after this returns */
    if (f == NULL)
        run_done(run, NULL);
    else
        run_fail(run, f, NULL);
}

static void
on_wait(void *ud, const struct az_http_wait *w)
{
    struct job_run *run = ud;
    struct result *r = result_new(RESULT_PROGRESS);
    long secs = (w->delay_ms + 999) / 1000;
    r->message = xasprintf(_("%s, retrying in %ld s (attempt %d)"), w->reason,
                           secs, w->attempt);
    r->retry_at_ms = w->due_ms;
    r->attempts = w->attempt - 1;
    push(run, r);
}

const struct az_op_cb run_op_cb = {
    .page = on_page,
    .secret = on_secret,
    .done = on_done,
    .wait = on_wait,
};

/* Starts the job through its type; a job without one ends at once. */
static void
run_start(struct worker *w, uint64_t id, struct job *job)
{
    struct job_run *run = xcalloc(1, sizeof *run);
    run->w = w;
    run->e = w->e;
    run->client = w->e->client;
    run->id = id;
    run->job = job;
    vec_push(&w->runs, run);
    log_debug("engine: job %llu %s", (unsigned long long)id,
              job_kind_name(job->kind));
    if (job->type == NULL || job->type->start == NULL) {
        run_fail_msg(run, KV_ERR_INVALID, _("unknown job kind"));
        return;
    }
    job->type->start(run);
}

/* Stops a job in flight; its results were already filtered out. */
static void
run_cancel(struct worker *w, uint64_t id)
{
    for (size_t i = 0; i < w->runs.len; i++) {
        struct job_run *run = w->runs.items[i];
        if (run->id != id)
            continue;
        log_debug("engine: job %llu cancelled", (unsigned long long)id);
        run->job->type->cancel(run);
        run_free(run);
        return;
    }
}

/* Asks a job to stop at its next safe point (or cancels it when its
 * kind has none: then, as for engine_cancel(), nothing more of it is
 * reported). */
static void
run_interrupt(struct worker *w, uint64_t id)
{
    for (size_t i = 0; i < w->runs.len; i++) {
        struct job_run *run = w->runs.items[i];
        if (run->id != id)
            continue;
        if (run->job->type->interrupt != NULL) {
            run->job->type->interrupt(run);
            return;
        }
        pthread_mutex_lock(&w->e->mu);
        id_set_add(&w->e->cancelled, id);
        result_queue_drop_job(&w->e->results, id);
        pthread_mutex_unlock(&w->e->mu);
        run->job->type->cancel(run);
        run_free(run);
        pthread_mutex_lock(&w->e->mu);
        id_set_remove(&w->e->cancelled, id);
        pthread_mutex_unlock(&w->e->mu);
        return;
    }
}

/* Takes new jobs and cancel requests; false when the engine stops. */
static bool
take_work(struct worker *w)
{
    struct engine *e = w->e;
    struct vec in = VEC_INIT;
    struct id_set cancels = {0}, interrupts = {0};
    bool stop;

    pthread_mutex_lock(&e->mu);
    in = e->inbox;
    vec_init(&e->inbox);
    cancels = e->cancel_req;
    memset(&e->cancel_req, 0, sizeof e->cancel_req);
    interrupts = e->interrupt_req;
    memset(&e->interrupt_req, 0, sizeof e->interrupt_req);
    stop = e->stopping;
    pthread_mutex_unlock(&e->mu);
    /* a sign-in retry before the jobs the UI sent after asking for it */
    engine_sign_in_work(e);

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
    for (size_t i = 0; i < interrupts.len; i++)
        run_interrupt(w, interrupts.ids[i]);
    id_set_free(&interrupts);
    return !stop;
}

void *
worker_main(void *arg)
{
    struct worker w = {.e = arg, .runs = VEC_INIT};
    struct engine *e = w.e;

    /* a tenant switch is applied before the jobs sent after it start */
    while ((engine_identity_sync(e), take_work(&w))) {
        az_client_run(e->client, 1000);
        engine_identity_sync(e);
        struct az_http_stats st;
        az_client_stats(e->client, &st);
        pthread_mutex_lock(&e->mu);
        e->http = st;
        pthread_mutex_unlock(&e->mu);
    }
    /* shutting down: stop what is in flight, report nothing more */
    while (w.runs.len > 0) {
        struct job_run *run = w.runs.items[w.runs.len - 1];
        run->job->type->cancel(run);
        run_free(run);
    }
    vec_free(&w.runs);
    return NULL;
}
