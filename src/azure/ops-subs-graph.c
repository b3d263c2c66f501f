/*
 * ops-subs-graph.c — the subscription list of a big tenant (issue #12,
 * see ops.h az_list_subscriptions_graph): Resource Manager's GET
 * /subscriptions gives 100 a page by nextLink, one round trip each; when
 * its first page says more follow and already holds more than the
 * threshold, the rest comes from one Resource Graph query of the
 * resourcecontainers table (az_graph_query: its pages after the first are
 * asked together), its rows deduplicated against what was delivered.
 *
 * Any failure of the query (403, a provider not registered, a page that
 * does not parse ...) is said through progress() once, and the list goes
 * on by the first page's nextLink as if Resource Graph were not there;
 * what the query had delivered already is not delivered again.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "azure/arm.h"
#include "azure/ops-int.h"
#include "azure/url.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/xalloc.h"

struct subs_state {
    struct az_op *op;    /* the parent (the list) */
    struct az_op *graph; /* the Resource Graph query in flight, or NULL */
    int threshold;
    char *next;       /* the first page's nextLink while the query runs */
    struct vec ids;   /* char *: subscription ids delivered so far */
    bool by_nextlink; /* following nextLink (no query, or it failed) */
};

static void
subs_state_free(void *p)
{
    struct subs_state *st = p;
    if (st == NULL)
        return;
    if (st->graph != NULL)
        az_op_cancel(st->graph);
    free(st->next);
    vec_free_all(&st->ids, free);
    free(st);
}

/* Drops the subscriptions already delivered from items and remembers
 * the others' ids. */
static void
subs_dedupe(struct subs_state *st, struct vec *items)
{
    size_t o = 0;
    for (size_t i = 0; i < items->len; i++) {
        struct kv_subscription *ks = items->items[i];
        bool dup = ks->subscription_id == NULL;
        for (size_t k = 0; !dup && k < st->ids.len; k++)
            dup = str_ieq(st->ids.items[k], ks->subscription_id);
        if (dup) {
            kv_subscription_free(ks);
            continue;
        }
        vec_push(&st->ids, xstrdup(ks->subscription_id));
        items->items[o++] = ks;
    }
    items->len = o;
}

static void
subs_graph_page(void *ud, struct vec *items, bool more)
{
    struct subs_state *st = ud;
    (void)more; /* the parent's last page comes with done */
    subs_dedupe(st, items);
    if (items->len > 0)
        az_op_deliver(st->op, items, true);
}

static void
subs_graph_done(void *ud, const struct az_failure *f)
{
    struct subs_state *st = ud;
    struct az_op *op = st->op;
    st->graph = NULL; /* freed by its caller after this */
    if (f == NULL) {
        struct vec none = VEC_INIT;
        az_op_deliver(op, &none, false);
        az_op_succeed(op);
        return;
    }
    /* Resource Graph would not: the rest by nextLink after all. */
    log_debug("subscriptions: Resource Graph failed (%ld %s), by nextLink",
              f->http_status, f->code != NULL ? f->code : "");
    if (op->cb.progress != NULL) {
        char *text;
        if (f->http_status > 0)
            text = xasprintf(_("Resource Graph refused the subscription "
                               "list (%ld %s), reading it page by page"),
                             f->http_status, f->code != NULL ? f->code : "");
        else
            text = xasprintf(_("Resource Graph failed for the subscription "
                               "list (%s), reading it page by page"),
                             f->message != NULL ? f->message : "");
        op->cb.progress(op->ud, text);
        free(text);
    }
    st->by_nextlink = true;
    char *next = st->next;
    st->next = NULL;
    az_op_send(op, next);
    free(next);
}

static void
subs_graph_wait(void *ud, const struct az_http_wait *w)
{
    struct subs_state *st = ud;
    if (st->op->cb.wait != NULL)
        st->op->cb.wait(st->op->ud, w);
}

static const struct az_op_cb subs_graph_cb = {
    .page = subs_graph_page,
    .done = subs_graph_done,
    .wait = subs_graph_wait,
};

/* One page of GET /subscriptions. */
static void
subs_on_response(struct az_op *op, struct az_response *resp,
                 enum kv_status status, const char *why)
{
    struct subs_state *st = op->state;
    if (resp == NULL || status != KV_OK) {
        az_op_fail(op, status, resp, why);
        return;
    }
    if (resp->status < 200 || resp->status > 299) {
        az_op_fail(op, az_status_from_http(resp->status, NULL), resp, NULL);
        return;
    }
    struct az_page page;
    char *bad = NULL;
    size_t len;
    const char *body = az_response_body(resp, &len);
    if (az_page_parse(body, len, op->origin_url, &page, &bad) != KV_OK) {
        az_op_fail(op, KV_ERR_PARSE, resp, bad);
        free(bad);
        return;
    }
    struct vec items = VEC_INIT;
    const cJSON *it;
    cJSON_ArrayForEach(it, page.value)
    {
        void *item = xcalloc(1, op->type->size);
        if (op->type->decode(it, item, &bad) != KV_OK) {
            log_debug("subscriptions: skipping an entry: %s", bad);
            free(bad);
            bad = NULL;
            free(item);
            continue;
        }
        vec_push(&items, item);
    }
    char *next = page.next_link;
    page.next_link = NULL;
    az_page_free(&page);
    if (next != NULL && !az_url_same_origin(next, op->origin_url)) {
        bad = xasprintf(_("refusing a nextLink to another host: %s"), next);
        az_op_free_items(op->type->kind, &items);
        az_op_fail(op, KV_ERR_PARSE, resp, bad);
        free(bad);
        free(next);
        return;
    }
    bool first = !st->by_nextlink && op->pages == 0;
    subs_dedupe(st, &items);
    bool graph = first && next != NULL && st->threshold >= 0 &&
                 st->ids.len > (size_t)st->threshold;
    if (items.len > 0 || next == NULL)
        az_op_deliver(op, &items, next != NULL);
    else
        vec_free(&items);
    if (next == NULL) {
        az_op_succeed(op);
        return;
    }
    if (graph) {
        /* the rest from one query, every subscription the caller may
         * read (the tenant's): kept by nextLink should it fail */
        st->next = next;
        struct az_graph_query q = {
            .what = AZ_GRAPH_SUBSCRIPTIONS,
            .tenant = true,
        };
        st->graph = az_graph_query(op->c, &q, &subs_graph_cb, st);
        return;
    }
    st->by_nextlink = true;
    az_op_send(op, next);
    free(next);
}

struct az_op *
az_list_subscriptions_graph(struct az_client *c, int threshold,
                            const struct az_op_cb *cb, void *ud)
{
    struct az_op *op = az_op_new(
        c, AZ_OP_CUSTOM, AZ_PLANE_ARM, AZ_ITEM_SUBSCRIPTION,
        az_op_arm_url(c, "/subscriptions", AZ_API_SUBSCRIPTIONS), cb, ud);
    struct subs_state *st = xcalloc(1, sizeof *st);
    st->op = op;
    st->threshold = threshold;
    op->state = st;
    op->state_free = subs_state_free;
    op->on_response = subs_on_response;
    az_op_send(op, op->origin_url);
    return op;
}
