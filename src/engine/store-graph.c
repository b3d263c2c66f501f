/*
 * store-graph.c — the store's vault lists from Azure Resource Graph
 * (issue #12; see store.h graph_threshold and engine/graph.h). One
 * JOB_GRAPH_VAULTS job stands for the listings of every subscription it
 * covers: each of those subscriptions' vaults_load goes LOADING under the
 * job's generation, its vaults are merged and pruned as a listing's
 * would be, and a subscription reloaded on its own meanwhile simply stops
 * taking the job's answer (its generation moved on).
 *
 * A big tenant's first load (the subscription list still coming, page
 * after page, no vault list asked yet) is one tenant-wide query that names
 * no subscription: it starts with the list's first page, in parallel with
 * the rest of the list. Its rows of subscriptions the store does not know
 * yet are held by subscription; a subscription that arrives later is
 * claimed by the load at once (store_graph_adopt: LOADING under its
 * generation, the held vaults handed over), or, when the query is done
 * already, completed at once with them. What is still held when both the
 * query and the list are over belongs to no subscription and is freed.
 *
 * When Resource Graph refuses (403, not registered, anything but a
 * cancel), the subscriptions still waiting for it are listed one by one
 * from Resource Manager, and the status bar says why. A refusal (4xx) is
 * remembered until the store is reset: later lists go straight to
 * Resource Manager. A throttled or failed service is tried again next time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/store-int.h"

/* The vaults of one subscription the store does not know yet. */
struct graph_held {
    char *sub;         /* subscription id */
    struct vec vaults; /* struct kv_vault *, owned */
};

struct graph_load {
    uint64_t gen, job_id;
    struct vec subs; /* char *: subscription ids the job covers */
    bool tenant;     /* names no subscription: adopts those that come */
    bool finished;   /* tenant: DONE came, kept while the list comes */
    unsigned pages;  /* PAGEs so far */
    struct vec held; /* struct graph_held *: tenant rows of unknown subs */
};

/* A vault read from Resource Manager on its own (store_refresh_vault). */
struct graph_fresh {
    char *id;
    int64_t at; /* time_now() */
};

struct store_graph {
    struct vec loads; /* struct graph_load *, running */
    struct vec fresh; /* struct graph_fresh *: kept over the index's rows */
    bool refused;     /* Resource Graph said no: per subscription now */
    bool subs_more;   /* the subscription list's last page said more */
};

static struct store_graph *
graph_of(struct store *s)
{
    if (s->graph == NULL)
        s->graph = xcalloc(1, sizeof(struct store_graph));
    return s->graph;
}

static void
graph_held_free(void *p)
{
    struct graph_held *h = p;
    if (h == NULL)
        return;
    free(h->sub);
    vec_free_all(&h->vaults, (void (*)(void *))kv_vault_free);
    free(h);
}

static void
graph_load_free(struct graph_load *gl)
{
    if (gl == NULL)
        return;
    vec_free_all(&gl->subs, free);
    vec_free_all(&gl->held, graph_held_free);
    free(gl);
}

/* The held vaults of subscription id (create: a new empty entry when
 * there is none), or NULL. */
static struct graph_held *
graph_held_of(struct graph_load *gl, const char *id, bool create)
{
    for (size_t i = gl->held.len; i-- > 0;) { /* rows come by id: the last */
        struct graph_held *h = gl->held.items[i];
        if (str_ieq(h->sub, id))
            return h;
    }
    if (!create)
        return NULL;
    struct graph_held *h = xcalloc(1, sizeof *h);
    h->sub = xstrdup(id);
    vec_push(&gl->held, h);
    return h;
}

void
store_graph_reset(struct store *s)
{
    struct store_graph *g = s->graph;
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->loads.len; i++) {
        struct graph_load *gl = g->loads.items[i];
        if (gl->job_id != 0 && s->cancel != NULL)
            s->cancel(s->ctx, gl->job_id);
        graph_load_free(gl);
    }
    vec_free(&g->loads);
    g->refused = false;
    g->subs_more = false;
}

void
store_graph_free(struct store *s)
{
    struct store_graph *g = s->graph;
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->loads.len; i++)
        graph_load_free(g->loads.items[i]);
    vec_free(&g->loads);
    for (size_t i = 0; i < g->fresh.len; i++) {
        struct graph_fresh *f = g->fresh.items[i];
        free(f->id);
        free(f);
    }
    vec_free(&g->fresh);
    free(g);
    s->graph = NULL;
}

/* The subscription a load covers whose list still waits for it. */
static struct store_sub *
graph_sub(struct store *s, const char *id, uint64_t gen)
{
    struct store_sub *sub = store_find_sub(s, id);
    return sub != NULL && sub->vaults_load.generation == gen ? sub : NULL;
}

static void
graph_end(struct store *s, struct graph_load *gl)
{
    struct store_graph *g = graph_of(s);
    for (size_t i = 0; i < g->loads.len; i++)
        if (g->loads.items[i] == gl) {
            vec_remove(&g->loads, i);
            break;
        }
    graph_load_free(gl);
}

static char *
graph_label(const struct store_sub *sub)
{
    return xasprintf(_("vaults in %s"), sub->sub->display_name
                                            ? sub->sub->display_name
                                            : sub->sub->subscription_id);
}

/* Whether the vault id was read from Resource Manager lately: then it
 * is kept as read, whatever the (lagging) index says. */
static bool
graph_is_fresh(struct store_graph *g, const char *id)
{
    int64_t now = time_now();
    for (size_t i = 0; id != NULL && i < g->fresh.len; i++) {
        const struct graph_fresh *f = g->fresh.items[i];
        if (now - f->at <= GRAPH_OWN_WRITES_S && str_ieq(f->id, id))
            return true;
    }
    return false;
}

/* Takes the row kv (a vault of a subscription the load covers) into
 * the store, unless kvdeck read that vault from Resource Manager lately
 * (kept as read). Returns the change bits; *taken tells whether kv is
 * now the store's. */
static unsigned
graph_take(struct store *s, struct graph_load *gl, struct kv_vault *kv,
           bool *taken)
{
    struct store_vault *kept = graph_is_fresh(graph_of(s), kv->id)
                                   ? store_find_vault(s, kv->id)
                                   : NULL;
    *taken = false;
    if (kept != NULL) {
        kept->seen = gl->gen; /* as Resource Manager said it lately */
        return 0;
    }
    struct store_vault *v = store_add_vault(s, kv);
    v->seen = gl->gen;
    *taken = true;
    return STORE_VAULTS;
}

static unsigned
graph_pages(struct store *s, struct graph_load *gl, struct result *r)
{
    struct store_sub *last = NULL;
    struct graph_held *held = NULL;
    unsigned ch = STORE_STATUS;
    for (size_t i = 0; i < r->items.len; i++) {
        struct kv_vault *kv = r->items.items[i];
        if (kv->subscription_id == NULL)
            continue;
        /* rows come ordered by id: mostly the same subscription */
        if (last != NULL &&
            str_ieq(last->sub->subscription_id, kv->subscription_id)) {
            /* the same as the row before */
        } else if (held != NULL && str_ieq(held->sub, kv->subscription_id)) {
            vec_push(&held->vaults, kv); /* a subscription still to come */
            r->items.items[i] = NULL;
            continue;
        } else {
            last = graph_sub(s, kv->subscription_id, gl->gen);
            held = NULL;
            if (last == NULL && gl->tenant &&
                store_find_sub(s, kv->subscription_id) == NULL) {
                held = graph_held_of(gl, kv->subscription_id, true);
                vec_push(&held->vaults, kv);
                r->items.items[i] = NULL;
                continue;
            }
        }
        if (last == NULL)
            continue;
        bool taken;
        ch |= graph_take(s, gl, kv, &taken);
        if (taken)
            r->items.items[i] = NULL;
    }
    gl->pages++;
    for (size_t i = 0; i < gl->subs.len; i++) {
        struct store_sub *sub = graph_sub(s, gl->subs.items[i], gl->gen);
        if (sub != NULL)
            sub->vaults_load.pages++;
    }
    return ch;
}

/* Resource Graph failed: the subscriptions still waiting are listed
 * from Resource Manager, and the status bar says so. */
static unsigned
graph_fallback(struct store *s, struct graph_load *gl, struct result *r)
{
    struct store_graph *g = graph_of(s);
    if (r->http_status >= 400 && r->http_status < 500 &&
        r->http_status != 408 && r->http_status != 429)
        g->refused = true;
    struct load tmp;
    memset(&tmp, 0, sizeof tmp);
    store_record_error(s, &tmp, r,
                       _("Resource Graph refused, listing each subscription "
                         "instead"));
    s->last_error_load = NULL;
    free(tmp.error_code);
    free(tmp.message);
    free(tmp.request_id);
    free(tmp.inner_code);
    free(tmp.progress);
    for (size_t i = 0; i < gl->subs.len; i++) {
        struct store_sub *sub = graph_sub(s, gl->subs.items[i], gl->gen);
        if (sub != NULL)
            store_load_vaults_arm(s, sub);
    }
    return STORE_STATUS;
}

/* Prunes the covered subscriptions that hold a vault the answer did not
 * list (one pass over the vaults; most subscriptions have none). */
static unsigned
graph_prune(struct store *s, struct graph_load *gl)
{
    struct vec stale = VEC_INIT; /* char *, borrowed from the vaults */
    struct store_sub *last = NULL;
    for (size_t i = 0; i < s->vaults.len; i++) {
        const struct store_vault *v = s->vaults.items[i];
        const char *sid = v->vault->subscription_id;
        if (v->by_uri || v->seen == gl->gen || sid == NULL)
            continue;
        if (last == NULL || !str_ieq(last->sub->subscription_id, sid))
            last = graph_sub(s, sid, gl->gen);
        if (last != NULL &&
            (stale.len == 0 || !str_ieq(stale.items[stale.len - 1], sid)))
            vec_push(&stale, xstrdup(sid));
    }
    unsigned ch = 0;
    for (size_t i = 0; i < stale.len; i++)
        ch |= store_prune_vaults(s, stale.items[i], gl->gen);
    vec_free_all(&stale, free);
    return ch;
}

static unsigned
graph_apply(struct store *s, struct graph_load *gl, struct result *r)
{
    if (r->generation != gl->gen)
        return 0;
    switch (r->type) {
    case RESULT_PAGE:
        return graph_pages(s, gl, r);
    case RESULT_PROGRESS:
        for (size_t i = 0; i < gl->subs.len; i++) {
            struct store_sub *sub = graph_sub(s, gl->subs.items[i], gl->gen);
            if (sub != NULL)
                (void)store_step(s, &sub->vaults_load, r, "");
        }
        return STORE_STATUS;
    case RESULT_ERROR: {
        unsigned ch = graph_fallback(s, gl, r);
        graph_end(s, gl);
        return ch;
    }
    case RESULT_DONE:
    default: {
        unsigned ch = STORE_STATUS;
        for (size_t i = 0; i < gl->subs.len; i++) {
            struct store_sub *sub = graph_sub(s, gl->subs.items[i], gl->gen);
            if (sub == NULL)
                continue;
            char *label = graph_label(sub);
            ch |= (unsigned)store_step(s, &sub->vaults_load, r, label);
            free(label);
        }
        ch |= graph_prune(s, gl);
        gl->job_id = 0;
        if (gl->tenant && graph_of(s)->subs_more)
            gl->finished = true; /* subscriptions still to come: kept */
        else
            graph_end(s, gl);
        return ch;
    }
    }
}

static void
graph_deliver(void *ctx, struct result *r)
{
    struct store *s = ctx;
    struct store_graph *g = graph_of(s);
    for (size_t i = 0; i < g->loads.len; i++) {
        struct graph_load *gl = g->loads.items[i];
        if (gl == r->tag) {
            s->changes |= graph_apply(s, gl, r);
            return;
        }
    }
}

/* Marks sub's vault list as loading under the graph load's generation
 * (a listing of its own still running is cancelled). */
static void
graph_claim(struct store *s, struct store_sub *sub, uint64_t gen)
{
    struct load *l = &sub->vaults_load;
    if (l->state == LOAD_LOADING && l->job_id != 0 && s->cancel != NULL)
        s->cancel(s->ctx, l->job_id);
    l->generation = gen;
    l->job_id = 0; /* the graph job is not the subscription's to cancel */
    l->pages = 0;
    free(l->progress);
    l->progress = NULL;
    l->retry_at_ms = 0;
    l->state = LOAD_LOADING;
    l->since = time_now();
}

/* Whether a load asked for sub (NULL: all) covers one. */
static bool
graph_covers(const struct store_sub *sub, const struct store_sub *one)
{
    return sub == NULL || one == sub || one->vaults_load.state == LOAD_NONE;
}

/* Whether the store's first vault lists should be one tenant-wide
 * query: the subscription list is still coming (its pages said more)
 * and no subscription's vaults were asked for yet. */
static bool
graph_tenant_first(struct store *s)
{
    struct store_graph *g = graph_of(s);
    if (!g->subs_more)
        return false;
    for (size_t i = 0; i < g->loads.len; i++)
        if (((struct graph_load *)g->loads.items[i])->tenant)
            return false;
    for (size_t i = 0; i < s->subs.len; i++) {
        const struct store_sub *one = s->subs.items[i];
        if (one->vaults_load.state != LOAD_NONE)
            return false;
    }
    return true;
}

bool
store_graph_vaults(struct store *s, struct store_sub *sub)
{
    struct store_graph *g = graph_of(s);
    if (g->refused || s->submit == NULL ||
        !graph_wanted(s->graph_threshold, s->subs.len))
        return false;
    bool tenant = graph_tenant_first(s);
    if (tenant)
        sub = NULL; /* every subscription, those to come too */
    struct graph_load *gl = xcalloc(1, sizeof *gl);
    gl->gen = ++s->next_gen;
    gl->tenant = tenant;
    struct vec ids = VEC_INIT;
    /* One subscription asked for: the query also takes every one whose
     * vaults were never asked for yet (the console asks for each new
     * subscription in turn: one query, not one per subscription). */
    for (size_t i = 0; i < s->subs.len; i++) {
        struct store_sub *one = s->subs.items[i];
        if (graph_covers(sub, one)) {
            vec_push(&gl->subs, xstrdup(one->sub->subscription_id));
            vec_push(&ids, one->sub->subscription_id);
        }
    }
    struct job *job = tenant ? job_graph_tenant_vaults(NULL)
                             : job_graph_vaults((const char *const *)ids.items,
                                                ids.len, NULL);
    vec_free(&ids);
    job->generation = gl->gen;
    job->tag = gl;
    job->deliver = graph_deliver;
    job->ctx = s;
    gl->job_id = s->submit(s->ctx, job);
    if (gl->job_id == 0) {
        graph_load_free(gl);
        return false;
    }
    vec_push(&g->loads, gl);
    for (size_t i = 0; i < s->subs.len; i++) {
        struct store_sub *one = s->subs.items[i];
        if (graph_covers(sub, one))
            graph_claim(s, one, gl->gen);
    }
    s->changes |= STORE_STATUS;
    return true;
}

void
store_graph_adopt(struct store *s, struct store_sub *sub)
{
    struct store_graph *g = s->graph;
    struct graph_load *gl = NULL;
    for (size_t i = 0; g != NULL && gl == NULL && i < g->loads.len; i++)
        if (((struct graph_load *)g->loads.items[i])->tenant)
            gl = g->loads.items[i];
    if (gl == NULL)
        return;
    graph_claim(s, sub, gl->gen);
    vec_push(&gl->subs, xstrdup(sub->sub->subscription_id));
    sub->vaults_load.pages = gl->pages;
    unsigned ch = STORE_STATUS;
    struct graph_held *h = graph_held_of(gl, sub->sub->subscription_id, false);
    if (h != NULL) {
        for (size_t i = 0; i < h->vaults.len; i++) {
            bool taken;
            ch |= graph_take(s, gl, h->vaults.items[i], &taken);
            if (taken)
                h->vaults.items[i] = NULL;
        }
        for (size_t i = 0; i < gl->held.len; i++)
            if (gl->held.items[i] == h) {
                vec_remove(&gl->held, i);
                break;
            }
        graph_held_free(h);
    }
    if (gl->finished) {
        /* the query is over: this subscription's list is complete */
        struct result done = {
            .type = RESULT_DONE,
            .generation = gl->gen,
        };
        char *label = graph_label(sub);
        ch |= (unsigned)store_step(s, &sub->vaults_load, &done, label);
        free(label);
    }
    s->changes |= ch;
}

void
store_graph_subs_page(struct store *s, bool more)
{
    struct store_graph *g = graph_of(s);
    g->subs_more = more;
    if (more)
        return;
    /* the list is over: what finished loads still hold has no owner */
    for (size_t i = g->loads.len; i-- > 0;) {
        struct graph_load *gl = g->loads.items[i];
        if (gl->finished)
            graph_end(s, gl);
    }
}

void
store_graph_subs_said(struct store *s, const struct result *r)
{
    if (r->type != RESULT_PROGRESS || r->retry_at_ms != 0 || r->message == NULL)
        return; /* a wait (throttled, retrying) is the load's progress */
    free(s->last_error);
    free(s->last_error_what);
    free(s->last_error_message);
    free(s->last_request_id);
    s->last_error = xstrdup("Resource Graph");
    s->last_error_what = xstrdup(_("subscriptions"));
    s->last_error_message = xstrdup(r->message);
    s->last_request_id = NULL;
    s->last_error_load = NULL;
    s->last_error_at = time_now();
    s->changes |= STORE_STATUS;
}

struct job *
store_graph_subs_job(struct store *s)
{
    struct store_graph *g = graph_of(s);
    if (g->refused || s->graph_threshold >= GRAPH_THRESHOLD_NEVER)
        return job_list_subscriptions();
    return job_list_subscriptions_graph(s->graph_threshold);
}

static void
refresh_deliver(void *ctx, struct result *r)
{
    struct store *s = ctx;
    struct store_graph *g = graph_of(s);
    for (size_t i = 0; r->type == RESULT_PAGE && i < r->items.len; i++) {
        const struct kv_vault *kv = r->items.items[i];
        if (kv == NULL || kv->id == NULL)
            continue;
        struct graph_fresh *f = NULL;
        for (size_t k = 0; k < g->fresh.len && f == NULL; k++) {
            struct graph_fresh *c = g->fresh.items[k];
            if (str_ieq(c->id, kv->id))
                f = c;
        }
        if (f == NULL) {
            f = xcalloc(1, sizeof *f);
            f->id = xstrdup(kv->id);
            vec_push(&g->fresh, f);
        }
        f->at = time_now();
    }
    s->changes |= store_apply_vault_result(s, r);
}

void
store_refresh_vault(struct store *s, struct store_vault *v)
{
    if (v == NULL || v->vault == NULL || v->vault->id == NULL ||
        s->submit == NULL)
        return;
    struct job *job = job_new(JOB_GET_VAULT);
    job_vault_ref(job)->vault_id = xstrdup(v->vault->id);
    job->deliver = refresh_deliver;
    job->ctx = s;
    (void)s->submit(s->ctx, job);
}
