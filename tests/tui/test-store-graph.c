/*
 * test-store-graph.c — the store's vault lists from Azure Resource Graph
 * (issue #12, engine/store-graph.c): at or below graph-threshold one
 * listing per subscription; above it ONE JOB_GRAPH_VAULTS for every
 * subscription, its rows merged into each subscription's list and the
 * missing ones pruned when it completes; a subscription asked for alone
 * takes the ones never asked for into the same query; a refusal (403)
 * lists each subscription instead, says so as the status bar's error and
 * is remembered (the next lists go per subscription); `r`'s GET of one
 * vault is kept over the index's stale row.
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
    return tap_done();
}
