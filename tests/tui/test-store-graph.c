/*
 * test-store-graph.c — the store's vault lists from Azure Resource Graph
 * (issue #12, engine/store-graph.c): at or below graph-threshold one
 * listing per subscription; above it ONE JOB_GRAPH_VAULTS for every
 * subscription, its rows merged into each subscription's list and the
 * missing ones pruned when it completes; a subscription asked for alone
 * takes the ones never asked for into the same query; a refusal (403)
 * lists each subscription instead, says so as the status bar's error and
 * is remembered (the next lists go per subscription); `r`'s GET of one
 * vault is kept over the index's stale row. A big tenant's first load
 * (the subscription list still coming): ONE tenant-wide query at its
 * first page, whose rows of subscriptions not known yet are held and
 * handed over when they come (also after the query is done, or none),
 * dropped on a refusal or a reset, never attached to a subscription the
 * store lacks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/graph.h"
#include "engine/store.h"

struct fake {
    struct job *jobs[256];
    int n;
};

static uint64_t
fake_submit(void *ctx, struct job *job)
{
    struct fake *f = ctx;
    f->jobs[f->n] = job;
    return (uint64_t)++f->n + 100;
}

static void
fake_cancel(void *ctx, uint64_t id)
{
    (void)ctx;
    (void)id;
}

static void
fake_clear(struct fake *f)
{
    for (int i = 0; i < f->n; i++)
        job_free(f->jobs[i]);
    f->n = 0;
}

static int
count_kind(const struct fake *f, enum job_kind k)
{
    int n = 0;
    for (int i = 0; i < f->n; i++)
        n += f->jobs[i]->kind == k;
    return n;
}

static const struct job *
first_kind(const struct fake *f, enum job_kind k)
{
    for (int i = 0; i < f->n; i++)
        if (f->jobs[i]->kind == k)
            return f->jobs[i];
    return NULL;
}

static struct result *
answer(const struct job *job, enum result_type t)
{
    struct result *r = result_new(t);
    r->kind = job->kind;
    r->generation = job->generation;
    r->tag = job->tag;
    r->deliver = job->deliver;
    r->ctx = job->ctx;
    r->free_item = job->type->free_item;
    return r;
}

static unsigned
apply(struct store *s, struct result *r)
{
    unsigned c = store_apply(s, r);
    result_free(r);
    return c;
}

static struct kv_vault *
vault(const char *sub, const char *name, const char *sku)
{
    struct kv_vault *v = xcalloc(1, sizeof *v);
    v->name = xstrdup(name);
    v->subscription_id = xstrdup(sub);
    v->id = xasprintf("/subscriptions/%s/resourceGroups/rg/providers/"
                      "Microsoft.KeyVault/vaults/%s",
                      sub, name);
    v->vault_uri = xasprintf("https://%s.vault.azure.net", name);
    v->sku = xstrdup(sku);
    return v;
}

/* A store with n subscriptions s00..s(n-1) listed. */
static struct store *
store_with(struct fake *f, int n, int threshold)
{
    struct store *s = store_new(fake_submit, fake_cancel, f);
    s->graph_threshold = threshold;
    store_load_subscriptions(s);
    const struct job *j = f->jobs[f->n - 1];
    struct result *r = answer(j, RESULT_PAGE);
    for (int i = 0; i < n; i++) {
        struct kv_subscription *ks = xcalloc(1, sizeof *ks);
        ks->subscription_id = xasprintf("s%02d", i);
        ks->id = xasprintf("/subscriptions/s%02d", i);
        vec_push(&r->items, ks);
    }
    apply(s, r);
    apply(s, answer(j, RESULT_DONE));
    fake_clear(f);
    return s;
}

static bool
all_state(const struct store *s, enum load_state st)
{
    for (size_t i = 0; i < s->subs.len; i++) {
        const struct store_sub *sub = s->subs.items[i];
        if (sub->vaults_load.state != st)
            return false;
    }
    return true;
}

/* One page of the subscription list: s<from>..s<to - 1>. */
static unsigned
subs_page(struct store *s, const struct job *j, int from, int to, bool more)
{
    struct result *r = answer(j, RESULT_PAGE);
    for (int i = from; i < to; i++) {
        struct kv_subscription *ks = xcalloc(1, sizeof *ks);
        ks->subscription_id = xasprintf("s%02d", i);
        ks->id = xasprintf("/subscriptions/s%02d", i);
        vec_push(&r->items, ks);
    }
    r->more = more;
    return apply(s, r);
}

/* Every vault belongs to a subscription the store has. */
static bool
vaults_owned(const struct store *s)
{
    for (size_t i = 0; i < s->vaults.len; i++) {
        const struct store_vault *v = s->vaults.items[i];
        if (store_find_sub(s, v->vault->subscription_id) == NULL)
            return false;
    }
    return true;
}

static size_t
vaults_of(const struct store *s, const char *sub)
{
    size_t n = 0;
    for (size_t i = 0; i < s->vaults.len; i++) {
        const struct store_vault *v = s->vaults.items[i];
        n += str_eq(v->vault->subscription_id, sub);
    }
    return n;
}

static enum load_state
sub_state(const struct store *s, const char *id)
{
    const struct store_sub *sub = store_find_sub(s, id);
    return sub != NULL ? sub->vaults_load.state : (enum load_state) - 1;
}

/* What the console does after each page of subscriptions (tui/loop.c
 * loop_after_subs): the vaults of every subscription never asked for. */
static void
after_subs(struct store *s)
{
    for (size_t i = 0; i < s->subs.len; i++) {
        struct store_sub *sub = s->subs.items[i];
        if (sub->vaults_load.state == LOAD_NONE)
            store_load_vaults(s, sub);
    }
}

/* A big tenant's first load, the subscription list still coming. */
static void
test_tenant(struct fake *f)
{
    struct store *s = store_new(fake_submit, fake_cancel, f);
    s->graph_threshold = 10;
    store_load_subscriptions(s);
    const struct job *sj = f->jobs[0];
    ok(sj->kind == JOB_LIST_SUBSCRIPTIONS && sj->params != NULL &&
           ((const struct job_subs *)sj->params)->graph_threshold == 10,
       "the subscription list may come from Resource Graph (threshold 10)");
    subs_page(s, sj, 0, 12, true);
    after_subs(s);
    is_int(count_kind(f, JOB_GRAPH_VAULTS), 1,
           "first page of 12 (more follow): one vault query");
    is_int(count_kind(f, JOB_LIST_VAULTS), 0, "no listing");
    const struct job *g = first_kind(f, JOB_GRAPH_VAULTS);
    ok(g != NULL && job_graph(g)->tenant && job_graph(g)->n_subscriptions == 0,
       "tenant-wide: it names no subscription");
    ok(all_state(s, LOAD_LOADING), "the 12 subscriptions' lists are loading");

    struct result *r = answer(g, RESULT_PAGE);
    vec_push(&r->items, vault("s00", "kv-a", "standard"));
    vec_push(&r->items, vault("s12", "kv-b", "standard"));
    vec_push(&r->items, vault("s12", "kv-c", "standard"));
    vec_push(&r->items, vault("s15", "kv-d", "standard"));
    vec_push(&r->items, vault("s99", "kv-e", "standard"));
    r->more = true;
    apply(s, r);
    is_int(s->vaults.len, 1, "only the known subscription's vault is shown");
    ok(vaults_owned(s), "no vault of a subscription the store lacks");

    unsigned c = subs_page(s, sj, 12, 14, true);
    ok(c & STORE_SUBS, "the next page of subscriptions");
    is_int(sub_state(s, "s12"), LOAD_LOADING,
           "a subscription that comes while the query runs is loading");
    is_int(vaults_of(s, "s12"), 2, "with the vaults held for it");
    ok(c & STORE_VAULTS, "the vaults pane hears of them");
    after_subs(s);
    is_int(f->n, 2, "and asks for nothing more");

    apply(s, answer(g, RESULT_DONE));
    ok(all_state(s, LOAD_FRESH), "the query done: every list in is fresh");
    subs_page(s, sj, 14, 16, true);
    is_int(sub_state(s, "s15"), LOAD_FRESH,
           "a subscription after the query is complete at once");
    is_int(vaults_of(s, "s15"), 1, "with its held vault");
    is_int(sub_state(s, "s14"), LOAD_FRESH, "one with none held: fresh too");
    is_int(vaults_of(s, "s14"), 0, "and empty");
    after_subs(s);
    is_int(f->n, 2, "still nothing more asked");
    subs_page(s, sj, 16, 17, false);
    apply(s, answer(sj, RESULT_DONE));
    is_int(sub_state(s, "s16"), LOAD_FRESH, "the last page's subscription");
    is_int(s->vaults.len, 4, "4 vaults: s99's was never shown");
    ok(vaults_owned(s), "every vault has its subscription");
    ok(s->subs_load.state == LOAD_FRESH, "the subscription list is fresh");

    /* a later reload of everything: a query naming them, as before */
    fake_clear(f);
    store_load_all_vaults(s);
    g = first_kind(f, JOB_GRAPH_VAULTS);
    ok(g != NULL && !job_graph(g)->tenant &&
           job_graph(g)->n_subscriptions == 17,
       "a reload names the 17 subscriptions");
    fake_clear(f);
    store_free(s);
}

/* The tenant-wide query refused while it holds vaults. */
static void
test_tenant_refused(struct fake *f)
{
    struct store *s = store_new(fake_submit, fake_cancel, f);
    s->graph_threshold = 10;
    store_load_subscriptions(s);
    const struct job *sj = f->jobs[0];
    subs_page(s, sj, 0, 12, true);
    after_subs(s);
    struct result *r = answer(sj, RESULT_PROGRESS);
    r->message = xstrdup("Resource Graph refused the subscription list "
                         "(403 AuthorizationFailed), reading it page by page");
    apply(s, r);
    ok(s->last_error_message != NULL &&
           strstr(s->last_error_message, "page by page") != NULL &&
           str_eq(s->last_error, "Resource Graph"),
       "the subscription list's fallback is said in the status bar");
    const struct job *g = first_kind(f, JOB_GRAPH_VAULTS);
    r = answer(g, RESULT_PAGE);
    vec_push(&r->items, vault("s00", "kv-a", "standard"));
    vec_push(&r->items, vault("s20", "kv-z", "standard"));
    r->more = true;
    apply(s, r);
    r = answer(g, RESULT_ERROR);
    r->status = KV_ERR_FORBIDDEN;
    r->http_status = 403;
    r->error_code = xstrdup("AuthorizationFailed");
    apply(s, r);
    is_int(count_kind(f, JOB_LIST_VAULTS), 12,
           "403: the 12 known subscriptions listed one by one");
    ok(s->last_error_what != NULL &&
           strstr(s->last_error_what, "Resource Graph") != NULL,
       "said in the status bar");
    subs_page(s, sj, 12, 21, false);
    is_int(sub_state(s, "s20"), LOAD_NONE,
           "a subscription after the refusal is not claimed");
    after_subs(s);
    is_int(count_kind(f, JOB_LIST_VAULTS), 21,
           "it is listed from Resource Manager too");
    is_int(count_kind(f, JOB_GRAPH_VAULTS), 1, "no other query");
    is_int(vaults_of(s, "s20"), 0, "the refused query's held row is dropped");
    ok(vaults_owned(s), "no vault without its subscription");
    fake_clear(f);
    store_free(s);
}

/* Another tenant (:tenant) while the query holds vaults. */
static void
test_tenant_reset(struct fake *f)
{
    struct store *s = store_new(fake_submit, fake_cancel, f);
    s->graph_threshold = 10;
    store_load_subscriptions(s);
    const struct job *sj = f->jobs[0];
    subs_page(s, sj, 0, 12, true);
    after_subs(s);
    const struct job *g = first_kind(f, JOB_GRAPH_VAULTS);
    struct result *r = answer(g, RESULT_PAGE);
    vec_push(&r->items, vault("s30", "kv-held", "standard"));
    r->more = true;
    apply(s, r);
    struct result *late = answer(g, RESULT_PAGE);
    vec_push(&late->items, vault("s31", "kv-late", "standard"));
    late->more = true;
    struct result *late_subs = answer(sj, RESULT_PAGE);
    struct kv_subscription *ks = xcalloc(1, sizeof *ks);
    ks->subscription_id = xstrdup("s30");
    ks->id = xstrdup("/subscriptions/s30");
    vec_push(&late_subs->items, ks);
    late_subs->more = true;
    store_reset(s);
    is_int((int)(s->subs.len + s->vaults.len), 0, "reset: nothing kept");
    (void)store_take_changes(s);
    ok(store_apply(s, late) == 0 && s->vaults.len == 0,
       "the old query's late page is ignored");
    result_free(late);
    ok(store_apply(s, late_subs) == 0 && s->subs.len == 0,
       "the old list's late page too");
    result_free(late_subs);
    fake_clear(f);
    store_load_subscriptions(s);
    sj = f->jobs[0];
    subs_page(s, sj, 0, 12, true);
    after_subs(s);
    g = first_kind(f, JOB_GRAPH_VAULTS);
    ok(g != NULL && job_graph(g)->tenant,
       "the other tenant gets its own tenant-wide query");
    subs_page(s, sj, 30, 31, false);
    is_int(vaults_of(s, "s30"), 0,
           "the old tenant's held vault is not handed to it");
    fake_clear(f);
    store_free(s);
}

int
main(void)
{
    struct fake f;
    memset(&f, 0, sizeof f);

    /* at the threshold: per subscription */
    struct store *s = store_with(&f, 10, 10);
    store_load_all_vaults(s);
    is_int(count_kind(&f, JOB_LIST_VAULTS), 10,
           "10 subscriptions, threshold 10: ten listings");
    is_int(count_kind(&f, JOB_GRAPH_VAULTS), 0, "no Resource Graph query");
    fake_clear(&f);
    store_free(s);

    /* above it: one query */
    s = store_with(&f, 12, 10);
    store_load_all_vaults(s);
    is_int(f.n, 1, "12 subscriptions: one job");
    const struct job *g = first_kind(&f, JOB_GRAPH_VAULTS);
    ok(g != NULL && job_graph(g)->n_subscriptions == 12,
       "a Resource Graph query naming all 12");
    ok(all_state(s, LOAD_LOADING), "every subscription's list is loading");
    struct result *r = answer(g, RESULT_PAGE);
    vec_push(&r->items, vault("s00", "kv-a", "standard"));
    vec_push(&r->items, vault("s03", "kv-b", "standard"));
    vec_push(&r->items, vault("s11", "kv-c", "premium"));
    r->more = false;
    unsigned c = apply(s, r);
    ok(c & STORE_VAULTS, "its rows reach the store");
    is_int(s->vaults.len, 3, "three vaults");
    apply(s, answer(g, RESULT_DONE));
    ok(all_state(s, LOAD_FRESH), "every subscription's list is fresh");
    fake_clear(&f);

    /* a reload without kv-b: pruned when the query completes */
    store_load_all_vaults(s);
    g = first_kind(&f, JOB_GRAPH_VAULTS);
    r = answer(g, RESULT_PAGE);
    vec_push(&r->items, vault("s00", "kv-a", "standard"));
    vec_push(&r->items, vault("s11", "kv-c", "premium"));
    apply(s, r);
    is_int(s->vaults.len, 3, "nothing dropped while the answer streams");
    c = apply(s, answer(g, RESULT_DONE));
    ok((c & STORE_REMOVED) && s->vaults.len == 2 &&
           store_find_vault(s, "kv-b") == NULL,
       "the vault the answer lacks is dropped at the end");
    fake_clear(&f);

    /* r on one vault: its GET is kept over the index's (stale) row */
    struct store_vault *kc = store_find_vault(s, "kv-c");
    store_refresh_vault(s, kc);
    const struct job *gv = first_kind(&f, JOB_GET_VAULT);
    ok(gv != NULL && str_eq(job_vault_ref(gv)->vault_id, kc->vault->id),
       "r reads the vault from Resource Manager by its id");
    r = answer(gv, RESULT_PAGE);
    vec_push(&r->items, vault("s11", "kv-c", "standard"));
    apply(s, r);
    apply(s, answer(gv, RESULT_DONE));
    is_str(store_find_vault(s, "kv-c")->vault->sku, "standard",
           "the GET's answer is shown");
    fake_clear(&f);
    store_load_all_vaults(s);
    g = first_kind(&f, JOB_GRAPH_VAULTS);
    r = answer(g, RESULT_PAGE);
    vec_push(&r->items, vault("s00", "kv-a", "standard"));
    vec_push(&r->items, vault("s11", "kv-c", "premium")); /* the index lags */
    apply(s, r);
    apply(s, answer(g, RESULT_DONE));
    ok(store_find_vault(s, "kv-c") != NULL &&
           str_eq(store_find_vault(s, "kv-c")->vault->sku, "standard"),
       "a lagging row does not replace what the GET said");
    fake_clear(&f);

    /* 403: each subscription instead, said, remembered */
    store_load_all_vaults(s);
    g = first_kind(&f, JOB_GRAPH_VAULTS);
    r = answer(g, RESULT_ERROR);
    r->status = KV_ERR_FORBIDDEN;
    r->http_status = 403;
    r->error_code = xstrdup("AuthorizationFailed");
    r->message = xstrdup("no Microsoft.ResourceGraph/resources/read");
    apply(s, r);
    is_int(count_kind(&f, JOB_LIST_VAULTS), 12,
           "refused: one listing per subscription");
    ok(s->last_error_what != NULL &&
           strstr(s->last_error_what, "Resource Graph") != NULL &&
           strstr(s->last_error_what, "listing each subscription") != NULL,
       "the status bar says Resource Graph refused and what kvdeck does");
    is_str(s->last_error, "403 AuthorizationFailed", "with Azure's code");
    fake_clear(&f);
    store_load_all_vaults(s);
    is_int(count_kind(&f, JOB_GRAPH_VAULTS), 0,
           "the refusal is remembered: no query the next time");
    is_int(count_kind(&f, JOB_LIST_VAULTS), 12, "listings instead");
    fake_clear(&f);
    store_free(s);

    /* one subscription asked for: the never-asked ones join its query */
    s = store_with(&f, 12, 10);
    store_load_vaults(s, s->subs.items[0]);
    is_int(f.n, 1, "one job for the first subscription");
    g = first_kind(&f, JOB_GRAPH_VAULTS);
    ok(g != NULL && job_graph(g)->n_subscriptions == 12,
       "it covers the 11 never asked for too");
    for (size_t i = 1; i < s->subs.len; i++)
        store_load_vaults(s, s->subs.items[i]);
    is_int(f.n, 12, "asked for one by one afterwards: one query each");
    fake_clear(&f);
    store_free(s);

    /* threshold 0: always */
    s = store_with(&f, 1, 0);
    store_load_all_vaults(s);
    is_int(count_kind(&f, JOB_GRAPH_VAULTS), 1,
           "graph-threshold 0: Resource Graph for one subscription too");
    fake_clear(&f);
    store_free(s);

    test_tenant(&f);
    test_tenant_refused(&f);
    test_tenant_reset(&f);
    return tap_done();
}
