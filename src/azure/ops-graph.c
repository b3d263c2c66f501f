/*
 * ops-graph.c — one Azure Resource Graph query as an op (see ops.h,
 * issue #12): POST /providers/Microsoft.ResourceGraph/resources, the
 * subscriptions sent in batches of AZ_GRAPH_MAX_SUBSCRIPTIONS, each batch
 * paged by $skipToken, rows delivered page by page as model items.
 *
 * The per-user quota: every answer says how many queries are left in the
 * window (x-ms-user-quota-remaining) and when it starts over
 * (x-ms-user-quota-resets-after, "hh:mm:ss"). When none are left, the
 * next request waits until then — the next page, the next batch, or the
 * next query of any op in this process (the quota is the user's, not the
 * op's). A 429 that comes anyway is retried by the transport with its
 * Retry-After (the query is marked safe to replay: it reads only).
 *
 * Pages after the first: the first answer's totalRecords says how many
 * rows the query has, so the other pages of the batch are asked at once
 * with options.$skip (one child op per page; at most as many at a time
 * as the quota has left) and delivered in order as they come: two round
 * trips for any number of pages instead of one per page. A child's
 * failure ends the op with it. The first page's rows are decoded on the
 * next loop turn, after the children went out (its rows need not hold
 * the other pages back), and delivered before any of theirs.
 *
 * The query's very first page asks for AZ_GRAPH_FIRST_TOP rows only (the
 * first rows on screen after a short answer); each child then owns the
 * range of AZ_GRAPH_MAX_TOP rows after it (or of the first page's rows,
 * when the service cut that one shorter). The service cuts a large
 * answer short (fewer rows than $top, with a $skipToken): a child whose
 * answer fell short asks again for the rest of its range, so that no row
 * is lost whatever size the pages are cut to.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "azure/arm.h"
#include "azure/json.h"
#include "azure/ops-int.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "base/xalloc.h"

/* time_mono_ms() before which no query goes out (the quota is spent). */
static _Atomic int64_t graph_not_before_ms;

struct graph_state;

/* One page after the first, asked with $skip by a child op: the rows
 * skip .. skip + want - 1 of the batch. */
struct graph_page {
    struct graph_state *g;
    struct az_op *child; /* in flight, or NULL */
    long skip, want;
    long got; /* rows answered so far (a short answer: asked again) */
    bool done;
    struct vec items; /* decoded rows, until delivered */
};

struct graph_state {
    struct az_op *op; /* the parent */
    char *query;
    char **subs;
    size_t n_subs, batch; /* batch: index of the first sub of this batch */
    int top;
    bool first_sent;  /* the query's first request went out */
    int asked;        /* the $top of the last request of this op */
    char *skip_token; /* the next page's, or NULL */
    char *url;
    bool tenant; /* no subscriptions sent */
    /* the pages after the first of this batch (fan-out), in order */
    struct graph_page *pages;
    size_t n_pages, next_send, next_deliver, in_flight;
    long budget;   /* queries the quota has left for more children */
    cJSON *first;  /* the fanned-out batch's first answer, rows not yet
                      decoded (graph_first_rows); its pages wait for it */
};

static void
graph_pages_clear(struct graph_state *g)
{
    for (size_t i = 0; i < g->n_pages; i++) {
        struct graph_page *p = &g->pages[i];
        if (p->child != NULL)
            az_op_cancel(p->child);
        az_op_free_items(g->op->type->kind, &p->items);
        vec_free(&p->items);
    }
    free(g->pages);
    g->pages = NULL;
    g->n_pages = g->next_send = g->next_deliver = g->in_flight = 0;
}

static void
graph_state_free(void *p)
{
    struct graph_state *g = p;
    if (g == NULL)
        return;
    graph_pages_clear(g);
    free(g->query);
    for (size_t i = 0; i < g->n_subs; i++)
        free(g->subs[i]);
    free(g->subs);
    free(g->skip_token);
    free(g->url);
    cJSON_Delete(g->first);
    free(g);
}

long
az_graph_parse_resets_after(const char *s)
{
    if (s == NULL)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    double parts[3] = {0, 0, 0};
    int n = 0;
    const char *p = s;
    for (;;) {
        char *end;
        double v = strtod(p, &end);
        if (end == p || v < 0 || n == 3)
            return -1;
        parts[n++] = v;
        if (*end != ':') {
            while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
                end++;
            if (*end != '\0')
                return -1;
            break;
        }
        p = end + 1;
    }
    double sec = 0;
    for (int i = 0; i < n; i++)
        sec = sec * 60 + parts[i];
    if (sec > 86400.0) /* a day at most: a wrong header is no reason to hang */
        sec = 86400.0;
    return (long)(sec * 1000.0 + 0.5);
}

/* The body for one page: by skip_token, or by $skip when skip > 0. */
static char *
graph_body(const char *const *subscriptions, size_t n, const char *query,
           int top, const char *skip_token, long skip)
{
    cJSON *b = cJSON_CreateObject();
    /* none (the tenant): Azure answers for every subscription the caller
     * may read */
    cJSON *subs = subscriptions != NULL
                      ? cJSON_AddArrayToObject(b, "subscriptions")
                      : NULL;
    for (size_t i = 0; subs != NULL && i < n; i++)
        cJSON_AddItemToArray(subs, cJSON_CreateString(subscriptions[i]));
    cJSON_AddStringToObject(b, "query", query);
    cJSON *o = cJSON_AddObjectToObject(b, "options");
    cJSON_AddNumberToObject(o, "$top", top);
    if (skip > 0)
        cJSON_AddNumberToObject(o, "$skip", (double)skip);
    if (skip_token != NULL)
        cJSON_AddStringToObject(o, "$skipToken", skip_token);
    cJSON_AddStringToObject(o, "resultFormat", "objectArray");
    char *s = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    char *out = xstrdup(s);
    cJSON_free(s);
    return out;
}

char *
az_graph_body(const char *const *subscriptions, size_t n, const char *query,
              int top, const char *skip_token)
{
    return graph_body(subscriptions, n, query, top, skip_token, 0);
}

static void graph_send_now(struct az_op *op);

static void
graph_timer(void *ud)
{
    struct az_op *op = ud;
    op->call = 0;
    graph_send_now(op);
}

/* Sends the next request, after the quota's reset when it is spent. */
static void
graph_send(struct az_op *op)
{
    int64_t now = time_mono_ms();
    int64_t nb = atomic_load(&graph_not_before_ms);
    if (nb > now) {
        if (op->cb.wait != NULL) {
            struct az_http_wait w = {
                .reason = _("Resource Graph quota spent"),
                .delay_ms = (long)(nb - now),
                .attempt = 1,
                .throttled = true,
                .due_ms = nb,
            };
            op->cb.wait(op->ud, &w);
        }
        op->call = az_client_after(op->c, (long)(nb - now), graph_timer, op);
        return;
    }
    graph_send_now(op);
}

static void
graph_send_now(struct az_op *op)
{
    struct graph_state *g = op->state;
    size_t n = g->n_subs - g->batch;
    if (n > AZ_GRAPH_MAX_SUBSCRIPTIONS)
        n = AZ_GRAPH_MAX_SUBSCRIPTIONS;
    int top = g->top;
    if (!g->first_sent && top > AZ_GRAPH_FIRST_TOP)
        top = AZ_GRAPH_FIRST_TOP;
    g->first_sent = true;
    g->asked = top;
    char *body =
        graph_body(g->tenant ? NULL : (const char *const *)g->subs + g->batch,
                   n, g->query, top, g->skip_token, 0);
    struct az_request *req = az_request_new("POST", g->url);
    az_request_json(req, body);
    free(body);
    req->safe_to_replay = true; /* a query reads only */
    az_op_send_request(op, req);
}

/* Remembers a spent quota for every query of the process. */
static void
graph_note_quota(const struct az_response *resp)
{
    if (resp->quota_remaining == NULL)
        return;
    char *end;
    long left = strtol(resp->quota_remaining, &end, 10);
    if (end == resp->quota_remaining || left > 0)
        return;
    long ms = az_graph_parse_resets_after(resp->quota_resets_after);
    if (ms < 0)
        ms = 5000; /* the documented window */
    atomic_store(&graph_not_before_ms, time_mono_ms() + ms);
    log_debug("graph: quota spent, next query in %ld ms", ms);
}

/* The answer parsed (its rows, data, an array; caller deletes), or NULL
 * after failing fail_op with why. */
static cJSON *
graph_parse(struct az_op *fail_op, struct az_response *resp)
{
    size_t len;
    const char *text = az_response_body(resp, &len);
    char *err = NULL;
    cJSON *root = json_parse(text, len, "Resource Graph", &err);
    const cJSON *data = cJSON_GetObjectItem(root, "data");
    if (root == NULL || !cJSON_IsArray(data)) {
        cJSON_Delete(root);
        if (err == NULL)
            err = xstrdup(_("a Resource Graph answer without rows (data)"));
        az_op_fail(fail_op, KV_ERR_PARSE, resp, err);
        free(err);
        return NULL;
    }
    return root;
}

/* The rows of a parsed answer decoded into items (a row that does not
 * decode is skipped). */
static void
graph_rows(struct az_op *op, const cJSON *root, struct vec *items)
{
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(root, "data"))
    {
        char *bad = NULL;
        void *item = xcalloc(1, op->type->size);
        if (op->type->decode(row, item, &bad) != KV_OK) {
            log_debug("graph: skipping a row: %s", bad);
            free(bad);
            free(item);
            continue;
        }
        vec_push(items, item);
    }
}

/* The answer's rows decoded into items (root kept for its other
 * members; caller deletes), or NULL after failing fail_op with why. */
static cJSON *
graph_decode(struct az_op *op, struct az_op *fail_op, struct az_response *resp,
             struct vec *items)
{
    cJSON *root = graph_parse(fail_op, resp);
    if (root != NULL)
        graph_rows(op, root, items);
    return root;
}

/* The queries an answer says are left (-1: not said). */
static long
graph_quota_left(const struct az_response *resp)
{
    if (resp->quota_remaining == NULL)
        return -1;
    char *end;
    long left = strtol(resp->quota_remaining, &end, 10);
    return end == resp->quota_remaining ? -1 : left;
}

/* The batch is over: the next batch's first page, or the end. */
static void
graph_batch_done(struct az_op *op)
{
    struct graph_state *g = op->state;
    graph_pages_clear(g);
    free(g->skip_token);
    g->skip_token = NULL;
    g->batch += AZ_GRAPH_MAX_SUBSCRIPTIONS;
    if (g->batch > g->n_subs)
        g->batch = g->n_subs;
    if (g->batch >= g->n_subs) {
        struct vec none = VEC_INIT;
        az_op_deliver(op, &none, false);
        az_op_succeed(op);
        return;
    }
    graph_send(op);
}

/* Delivers the pages that came, in order; ends the batch after the last. */
static void
graph_flush(struct az_op *op)
{
    struct graph_state *g = op->state;
    if (g->first != NULL)
        return; /* the first page goes first */
    while (g->next_deliver < g->n_pages && g->pages[g->next_deliver].done) {
        struct graph_page *p = &g->pages[g->next_deliver++];
        bool last = g->next_deliver == g->n_pages &&
                    g->batch + AZ_GRAPH_MAX_SUBSCRIPTIONS >= g->n_subs;
        if (p->items.len > 0 || last)
            az_op_deliver(op, &p->items, !last);
        vec_free(&p->items);
        if (last) {
            graph_pages_clear(g);
            az_op_succeed(op);
            return;
        }
    }
    if (g->next_deliver == g->n_pages)
        graph_batch_done(op);
}

static void graph_fan_out(struct az_op *op);
static void graph_child_start(struct az_op *op, struct graph_page *p);

static void
graph_child_done(void *ud, const struct az_failure *f)
{
    (void)ud;
    (void)f;
}

static const struct az_op_cb graph_child_cb = {
    .done = graph_child_done,
};

static void
graph_child_response(struct az_op *child, struct az_response *resp,
                     enum kv_status st, const char *why)
{
    struct graph_page *p = child->state;
    struct graph_state *g = p->g;
    struct az_op *op = g->op;
    p->child = NULL;
    g->in_flight--;
    if ((resp == NULL || st != KV_OK || resp->status < 200 ||
         resp->status > 299) &&
        op->call != 0) {
        az_client_cancel(op->c, op->call); /* graph_first_rows */
        op->call = 0;
    }
    if (resp == NULL || st != KV_OK) {
        az_op_fail(op, st, resp, why); /* cancels the other children */
        az_op_free(child);
        return;
    }
    graph_note_quota(resp);
    if (resp->status < 200 || resp->status > 299) {
        az_op_fail(op, az_status_from_http(resp->status, NULL), resp, NULL);
        az_op_free(child);
        return;
    }
    cJSON *root = graph_decode(op, op, resp, &p->items);
    if (root == NULL) {
        az_op_free(child);
        return;
    }
    long rows = (long)cJSON_GetArraySize(cJSON_GetObjectItem(root, "data"));
    cJSON_Delete(root);
    p->got += rows;
    /* cut short: the rest of the range again (none at all: the rows
     * are gone since the first page, the range ends here) */
    p->done = rows == 0 || p->got >= p->want;
    long left = graph_quota_left(resp);
    if (left >= 0)
        g->budget = left - (long)g->in_flight;
    az_op_free(child);
    if (!p->done)
        graph_child_start(op, p);
    graph_fan_out(op);
    graph_flush(op);
}

static void graph_child_send(void *ud);

/* Sends the pages not yet asked, as many as the quota allows (one when
 * it is spent and nothing is in flight: that one waits for the reset). */
static void
graph_fan_out(struct az_op *op)
{
    struct graph_state *g = op->state;
    while (g->next_send < g->n_pages && (g->budget > 0 || g->in_flight == 0))
        graph_child_start(op, &g->pages[g->next_send++]);
}

/* Asks for the rows of p's range not answered yet (at once, or when the
 * spent quota starts over). */
static void
graph_child_start(struct az_op *op, struct graph_page *p)
{
    struct graph_state *g = op->state;
    size_t n = g->n_subs - g->batch;
    if (n > AZ_GRAPH_MAX_SUBSCRIPTIONS)
        n = AZ_GRAPH_MAX_SUBSCRIPTIONS;
    struct az_op *child =
        az_op_new(op->c, AZ_OP_CUSTOM, AZ_PLANE_ARM, op->type->kind,
                  xstrdup(g->url), &graph_child_cb, p);
    child->state = p;
    child->on_response = graph_child_response;
    child->body = graph_body(
        g->tenant ? NULL : (const char *const *)g->subs + g->batch, n, g->query,
        (int)(p->want - p->got), NULL, p->skip + p->got);
    p->child = child;
    g->in_flight++;
    g->budget--;
    int64_t now = time_mono_ms();
    int64_t nb = atomic_load(&graph_not_before_ms);
    if (nb > now)
        child->call =
            az_client_after(op->c, (long)(nb - now), graph_child_send, child);
    else
        graph_child_send(child);
}

static void
graph_child_send(void *ud)
{
    struct az_op *child = ud;
    child->call = 0;
    struct az_request *req = az_request_new("POST", child->origin_url);
    az_request_json(req, child->body);
    req->safe_to_replay = true;
    az_op_send_request(child, req);
}

/* The fanned-out batch's first page: its rows decoded and delivered
 * (the children went out meanwhile), then what came of theirs. */
static void
graph_first_rows(void *ud)
{
    struct az_op *op = ud;
    struct graph_state *g = op->state;
    op->call = 0;
    struct vec items = VEC_INIT;
    cJSON *root = g->first;
    g->first = NULL;
    graph_rows(op, root, &items);
    cJSON_Delete(root);
    az_op_deliver(op, &items, true);
    graph_flush(op);
}

static void
graph_on_response(struct az_op *op, struct az_response *resp, enum kv_status st,
                  const char *why)
{
    struct graph_state *g = op->state;
    if (resp == NULL || st != KV_OK) {
        az_op_fail(op, st, resp, why);
        return;
    }
    graph_note_quota(resp);
    if (resp->status < 200 || resp->status > 299) {
        az_op_fail(op, az_status_from_http(resp->status, NULL), resp, NULL);
        return;
    }
    cJSON *root = graph_parse(op, resp);
    if (root == NULL)
        return;
    const char *tok = json_str(root, "$skipToken");
    const cJSON *total = cJSON_GetObjectItem(root, "totalRecords");
    const cJSON *data = cJSON_GetObjectItem(root, "data");
    long rows = (long)cJSON_GetArraySize(data);
    bool first = g->skip_token == NULL; /* the batch's first page */
    free(g->skip_token);
    g->skip_token = tok != NULL && *tok != '\0' ? xstrdup(tok) : NULL;
    /* The first page of a batch says how many rows follow: the rest are
     * asked together by $skip. */
    if (first && g->skip_token != NULL && g->n_pages == 0 &&
        cJSON_IsNumber(total) && rows > 0 &&
        total->valuedouble > (double)rows && total->valuedouble < 1e7) {
        /* a first page cut shorter than asked: the service cuts there,
         * the children ask for as many */
        long n = (long)total->valuedouble, top = g->top;
        if (rows < g->asked && rows < top)
            top = rows;
        g->n_pages = (size_t)((n - rows + top - 1) / top);
        g->pages = xcalloc(g->n_pages, sizeof *g->pages);
        for (size_t i = 0; i < g->n_pages; i++) {
            g->pages[i].g = g;
            g->pages[i].skip = rows + top * (long)i;
            g->pages[i].want =
                n - g->pages[i].skip < top ? n - g->pages[i].skip : top;
        }
        long left = graph_quota_left(resp);
        g->budget = left >= 0 ? left : (long)g->n_pages;
        g->first = root;
        graph_fan_out(op);
        op->call = az_client_after(op->c, 0, graph_first_rows, op);
        return;
    }
    struct vec items = VEC_INIT;
    graph_rows(op, root, &items);
    cJSON_Delete(root);
    if (g->skip_token == NULL) {
        g->batch += AZ_GRAPH_MAX_SUBSCRIPTIONS;
        if (g->batch > g->n_subs)
            g->batch = g->n_subs;
    }
    bool more = g->skip_token != NULL || g->batch < g->n_subs;
    if (items.len > 0 || !more)
        az_op_deliver(op, &items, more);
    else
        vec_free(&items);
    if (!more) {
        az_op_succeed(op);
        return;
    }
    graph_send(op);
}

/* The first request when the quota is spent: its wait is said from the
 * loop, not inside the call that starts the op. */
static void
graph_first(void *ud)
{
    struct az_op *op = ud;
    op->call = 0;
    graph_send(op);
}

/* Nothing to ask (no subscription): an empty last page. */
static void
graph_empty(void *ud)
{
    struct az_op *op = ud;
    op->call = 0;
    struct vec none = VEC_INIT;
    az_op_deliver(op, &none, false);
    az_op_succeed(op);
}

struct az_op *
az_graph_query(struct az_client *c, const struct az_graph_query *q,
               const struct az_op_cb *cb, void *ud)
{
    char *url = az_op_arm_url(c, "/providers/Microsoft.ResourceGraph/resources",
                              AZ_API_RESOURCE_GRAPH);
    struct az_op *op = az_op_new(c, AZ_OP_CUSTOM, AZ_PLANE_ARM,
                                 az_graph_item_kind(q->what), url, cb, ud);
    struct graph_state *g = xcalloc(1, sizeof *g);
    g->op = op;
    g->url = xstrdup(url);
    g->query = az_graph_query_text(q->what, q->group);
    g->top =
        q->top >= 1 && q->top <= AZ_GRAPH_MAX_TOP ? q->top : AZ_GRAPH_MAX_TOP;
    g->subs = xcalloc(q->n_subscriptions + 1, sizeof *g->subs);
    for (size_t i = 0; i < q->n_subscriptions; i++)
        if (q->subscriptions[i] != NULL && *q->subscriptions[i] != '\0')
            g->subs[g->n_subs++] = xstrdup(q->subscriptions[i]);
    g->tenant = q->tenant;
    if (g->tenant) {
        for (size_t i = 0; i < g->n_subs; i++)
            free(g->subs[i]);
        g->n_subs = 0;
    }
    op->state = g;
    op->state_free = graph_state_free;
    op->on_response = graph_on_response;
    if (g->n_subs == 0 && !g->tenant)
        op->call = az_client_after(c, 0, graph_empty, op);
    else if (atomic_load(&graph_not_before_ms) > time_mono_ms())
        op->call = az_client_after(c, 0, graph_first, op);
    else
        graph_send_now(op);
    return op;
}
