/*
 * job-graph.c — JOB_GRAPH_VAULTS (see graph.h): the vaults of many
 * subscriptions from one Resource Graph query (azure/ops.h
 * az_graph_query), with kvdeck's own recent vault writes merged over the
 * answer: Resource Graph's index lags Resource Manager by seconds to
 * minutes, so a vault kvdeck just deleted may still be listed, one it
 * just created may be missing and one it just changed may show as it
 * was. Deleted ones are dropped from the pages; created or changed ones
 * are read with a GET (Resource Manager, never stale) and delivered last,
 * whatever the index said of them.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "azure/ops.h"
#include "azure/resource.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "engine/engine.h"
#include "engine/graph.h"
#include "engine/journal.h"
#include "engine/run.h"

/* ---- kvdeck's own writes ------------------------------------------------ */

struct own_write {
    char *id;
    bool deleted;
    int64_t at; /* time_now() */
};

static pthread_mutex_t writes_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vec writes; /* struct own_write *, oldest first */

static void
own_write_free(void *p)
{
    struct own_write *w = p;
    if (w != NULL)
        free(w->id);
    free(w);
}

/* Drops writes older than GRAPH_OWN_WRITES_S (lock held). */
static void
writes_expire(int64_t now)
{
    size_t o = 0;
    for (size_t i = 0; i < writes.len; i++) {
        struct own_write *w = writes.items[i];
        if (now - w->at > GRAPH_OWN_WRITES_S)
            own_write_free(w);
        else
            writes.items[o++] = w;
    }
    writes.len = o;
}

/* Records a write made at time at (lock held); a later one of the same
 * vault wins. */
static void
note_write_at(const char *vault_id, bool deleted, int64_t at)
{
    for (size_t i = 0; i < writes.len; i++) {
        struct own_write *w = writes.items[i];
        if (str_ieq(w->id, vault_id)) {
            if (at >= w->at) {
                w->deleted = deleted;
                w->at = at;
            }
            return;
        }
    }
    struct own_write *w = xcalloc(1, sizeof *w);
    w->id = xstrdup(vault_id);
    w->deleted = deleted;
    w->at = at;
    vec_push(&writes, w);
}

void
graph_note_write(const char *vault_id, bool deleted)
{
    if (vault_id == NULL || *vault_id == '\0')
        return;
    int64_t now = time_now();
    pthread_mutex_lock(&writes_lock);
    writes_expire(now);
    note_write_at(vault_id, deleted, now);
    pthread_mutex_unlock(&writes_lock);
}

/* The vault writes other kvdeck processes made lately (a batch `kvdeck
 * vault create` before a `kvdeck vault list`), from the journal: the
 * vault steps that ended done within GRAPH_OWN_WRITES_S. */
static void
writes_from_journal(const char *path)
{
    struct vec entries = VEC_INIT;
    char *why = NULL;
    if (path == NULL || journal_read(path, &entries, NULL, &why) != KV_OK) {
        free(why);
        return;
    }
    int64_t now = time_now();
    pthread_mutex_lock(&writes_lock);
    for (size_t i = 0; i < entries.len; i++) {
        const struct journal_entry *e = entries.items[i];
        if (e->op == NULL || e->target == NULL || !str_eq(e->outcome, "done") ||
            now - e->time > GRAPH_OWN_WRITES_S ||
            !str_istarts(e->target, "/subscriptions/"))
            continue;
        if (str_eq(e->op, "vault-create") || str_eq(e->op, "vault-recover") ||
            str_eq(e->op, "vault-update") || str_eq(e->op, "vault-network"))
            note_write_at(e->target, false, e->time);
        else if (str_eq(e->op, "vault-delete"))
            note_write_at(e->target, true, e->time);
    }
    writes_expire(now);
    pthread_mutex_unlock(&writes_lock);
    for (size_t i = 0; i < entries.len; i++)
        journal_entry_free(entries.items[i]);
    vec_free(&entries);
}

void
graph_forget_writes(void)
{
    pthread_mutex_lock(&writes_lock);
    for (size_t i = 0; i < writes.len; i++)
        own_write_free(writes.items[i]);
    vec_free(&writes);
    pthread_mutex_unlock(&writes_lock);
}

bool
graph_wanted(int threshold, size_t n_subscriptions)
{
    return n_subscriptions > 0 &&
           (threshold <= 0 || n_subscriptions > (size_t)threshold);
}

/* ---- the job ------------------------------------------------------------- */

struct graph_run {
    struct job_run *run;
    struct az_op *op;
    struct vec deleted; /* char *: ids kvdeck deleted lately, in scope */
    struct vec created; /* char *: ids it created or changed lately */
    struct vec extra;   /* struct kv_vault *: read with GET */
    size_t next_get;
};

static bool
in_list(const struct vec *v, const char *id)
{
    for (size_t i = 0; i < v->len; i++)
        if (str_ieq(v->items[i], id))
            return true;
    return false;
}

/* The recorded writes in the job's scope, into gr's lists. */
static void
graph_scope_writes(struct graph_run *gr, const struct job_graph *p)
{
    pthread_mutex_lock(&writes_lock);
    writes_expire(time_now());
    for (size_t i = 0; i < writes.len; i++) {
        const struct own_write *w = writes.items[i];
        char *sub = az_id_segment(w->id, "subscriptions");
        char *group = az_id_segment(w->id, "resourceGroups");
        bool in = p->tenant && sub != NULL;
        for (size_t k = 0; sub != NULL && k < p->n_subscriptions; k++)
            in = in || str_ieq(sub, p->subscriptions[k]);
        if (in && p->resource_group != NULL &&
            !str_ieq(group, p->resource_group))
            in = false;
        if (in)
            vec_push(w->deleted ? &gr->deleted : &gr->created, xstrdup(w->id));
        free(sub);
        free(group);
    }
    pthread_mutex_unlock(&writes_lock);
}

static void
graph_run_free(struct graph_run *gr)
{
    if (gr == NULL)
        return;
    vec_free_all(&gr->deleted, free);
    vec_free_all(&gr->created, free);
    vec_free_all(&gr->extra, (void (*)(void *))kv_vault_free);
    free(gr);
}

static void
gr_page(void *ud, struct vec *items, bool more)
{
    struct graph_run *gr = ud;
    (void)more;
    size_t o = 0;
    for (size_t i = 0; i < items->len; i++) {
        struct kv_vault *v = items->items[i];
        if (v->id != NULL && in_list(&gr->deleted, v->id)) {
            kv_vault_free(v); /* deleted by kvdeck; the index lags */
            continue;
        }
        if (v->id != NULL && in_list(&gr->created, v->id)) {
            kv_vault_free(v); /* written by kvdeck: read from ARM below */
            continue;
        }
        items->items[o++] = v;
    }
    items->len = o;
    if (items->len > 0)
        run_page(gr->run, items, true); /* the last page comes at the end */
}

static void gr_next_get(struct graph_run *gr);

static void
gr_finish(struct graph_run *gr)
{
    struct job_run *run = gr->run;
    run->state = NULL;
    run_page(run, &gr->extra, false);
    graph_run_free(gr);
    run_done(run, NULL);
}

static void
gr_get_page(void *ud, struct vec *items, bool more)
{
    struct graph_run *gr = ud;
    (void)more;
    for (size_t i = 0; i < items->len; i++)
        vec_push(&gr->extra, items->items[i]);
    items->len = 0;
}

static void
gr_get_done(void *ud, const struct az_failure *f)
{
    struct graph_run *gr = ud;
    gr->op = NULL;
    (void)f; /* gone again, or unreadable: the list goes without it */
    gr_next_get(gr);
}

static const struct az_op_cb gr_get_cb = {
    .page = gr_get_page,
    .done = gr_get_done,
};

/* GETs the next vault kvdeck created that the index did not list. */
static void
gr_next_get(struct graph_run *gr)
{
    if (gr->next_get < gr->created.len) {
        const char *id = gr->created.items[gr->next_get++];
        gr->op = az_get_vault(gr->run->client, id, &gr_get_cb, gr);
        return;
    }
    gr_finish(gr);
}

static void
gr_wait(void *ud, const struct az_http_wait *w)
{
    struct graph_run *gr = ud;
    if (run_op_cb.wait != NULL)
        run_op_cb.wait(gr->run, w);
}

static void
gr_done(void *ud, const struct az_failure *f)
{
    struct graph_run *gr = ud;
    gr->op = NULL;
    if (f != NULL) {
        struct job_run *run = gr->run;
        run->state = NULL;
        graph_run_free(gr);
        run_fail(run, f, NULL);
        return;
    }
    gr_next_get(gr);
}

static const struct az_op_cb gr_cb = {
    .page = gr_page,
    .done = gr_done,
    .wait = gr_wait,
};

static void
graph_start(struct job_run *run)
{
    struct job_graph *p = run->job->params;
    if (p == NULL || (p->n_subscriptions == 0 && !p->tenant)) {
        run_missing(run);
        return;
    }
    struct graph_run *gr = xcalloc(1, sizeof *gr);
    gr->run = run;
    writes_from_journal(engine_journal_path(run->e));
    graph_scope_writes(gr, p);
    run->state = gr;
    struct az_graph_query q = {
        .what = AZ_GRAPH_VAULTS,
        .group = p->resource_group,
        .subscriptions = (const char *const *)p->subscriptions,
        .n_subscriptions = p->n_subscriptions,
        .tenant = p->tenant,
        .top = p->top,
    };
    gr->op = az_graph_query(run->client, &q, &gr_cb, gr);
}

static void
graph_cancel(struct job_run *run)
{
    struct graph_run *gr = run->state;
    if (gr == NULL)
        return;
    az_op_cancel(gr->op);
    graph_run_free(gr);
    run->state = NULL;
}

static void
job_graph_free(void *params)
{
    struct job_graph *p = params;
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n_subscriptions; i++)
        free(p->subscriptions[i]);
    free(p->subscriptions);
    free(p->resource_group);
    free(p);
}

static void
vault_item_free(void *p)
{
    kv_vault_free(p);
}

const struct job_type job_type_graph_vaults = {
    .name = "GRAPH_VAULTS",
    .kind = JOB_GRAPH_VAULTS,
    .start = graph_start,
    .cancel = graph_cancel,
    .free_params = job_graph_free,
    .free_item = vault_item_free,
};

struct job *
job_graph_vaults(const char *const *subscriptions, size_t n, const char *group)
{
    struct job *j = job_new(JOB_GRAPH_VAULTS);
    struct job_graph *p = xcalloc(1, sizeof *p);
    p->subscriptions = xcalloc(n + 1, sizeof *p->subscriptions);
    for (size_t i = 0; i < n; i++)
        if (subscriptions[i] != NULL)
            p->subscriptions[p->n_subscriptions++] = xstrdup(subscriptions[i]);
    p->resource_group = group != NULL && *group ? xstrdup(group) : NULL;
    j->params = p;
    return j;
}

struct job *
job_list_subscriptions_graph(int threshold)
{
    struct job *j = job_list_subscriptions();
    struct job_subs *p = xcalloc(1, sizeof *p);
    p->graph_threshold = threshold < 0 ? 0 : threshold;
    j->params = p;
    return j;
}

struct job *
job_graph_tenant_vaults(const char *group)
{
    struct job *j = job_graph_vaults(NULL, 0, group);
    ((struct job_graph *)j->params)->tenant = true;
    return j;
}

struct job_graph *
job_graph(const struct job *j)
{
    return j != NULL && j->kind == JOB_GRAPH_VAULTS ? j->params : NULL;
}
