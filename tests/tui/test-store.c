/*
 * test-store.c — the resource store's state transitions: loading, fresh,
 * stale, failed; streaming pages; a refresh that keeps what is known and
 * drops what disappeared only when the list completes; errors kept where
 * they belong; answers of superseded loads ignored; cancellation.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/store.h"

struct fake {
    struct job *jobs[64];
    uint64_t ids[64];
    int n;
    uint64_t cancelled[64];
    int ncancel;
};

static uint64_t
fake_submit(void *ctx, struct job *job)
{
    struct fake *f = ctx;
    f->jobs[f->n] = job;
    f->ids[f->n] = (uint64_t)f->n + 100;
    return f->ids[f->n++];
}

static void
fake_cancel(void *ctx, uint64_t id)
{
    struct fake *f = ctx;
    f->cancelled[f->ncancel++] = id;
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

static struct kv_vault *
vault(const char *sub, const char *name)
{
    struct kv_vault *v = xcalloc(1, sizeof *v);
    v->name = xstrdup(name);
    v->subscription_id = xstrdup(sub);
    v->id = xasprintf("/subscriptions/%s/resourceGroups/rg/providers/"
                      "Microsoft.KeyVault/vaults/%s",
                      sub, name);
    v->vault_uri = xasprintf("https://%s.vault.azure.net", name);
    return v;
}

static struct kv_secret_item *
secret(const char *name)
{
    struct kv_secret_item *s = xcalloc(1, sizeof *s);
    s->name = xstrdup(name);
    return s;
}

static unsigned
apply(struct store *s, struct result *r)
{
    unsigned c = store_apply(s, r);
    result_free(r);
    return c;
}

int
main(void)
{
    struct fake f;
    memset(&f, 0, sizeof f);
    struct store *s = store_new(fake_submit, fake_cancel, &f);
    int64_t now = time_now();

    is_int(s->subs_load.state, LOAD_NONE, "nothing asked yet");
    store_load_subscriptions(s);
    is_int(f.n, 1, "loading subscriptions submits a job");
    is_int(f.jobs[0]->kind, JOB_LIST_SUBSCRIPTIONS, "of the right kind");
    is_int(s->subs_load.state, LOAD_LOADING, "subscriptions are loading");
    struct result *r = answer(f.jobs[0], RESULT_PAGE);
    struct kv_subscription *ks = xcalloc(1, sizeof *ks);
    ks->subscription_id = xstrdup("sub-1");
    ks->display_name = xstrdup("Production");
    vec_push(&r->items, ks);
    r->more = true;
    unsigned c = apply(s, r);
    ok(c & STORE_SUBS, "a page changes the subscriptions");
    is_int(s->subs.len, 1, "the first page shows at once");
    is_int(s->subs_load.state, LOAD_LOADING, "still loading while more follow");
    apply(s, answer(f.jobs[0], RESULT_DONE));
    is_int(s->subs_load.state, LOAD_FRESH, "done: fresh");
    ok(s->subs_load.loaded_at >= now, "with the time it was loaded");
    is_int(store_load_state(s, &s->subs_load, now + 10), LOAD_FRESH,
           "fresh a moment later");
    is_int(store_load_state(s, &s->subs_load, now + s->stale_after + 1),
           LOAD_STALE, "stale after stale_after seconds");
    struct store_sub *sub = store_find_sub(s, "Production");
    ok(sub != NULL, "find a subscription by display name");

    /* Vaults: two pages, then a refresh where one disappears. */
    store_load_vaults(s, sub);
    struct job *vj = f.jobs[1];
    is_str(job_scope(vj)->subscription_id, "sub-1", "vault job for the subscription");
    r = answer(vj, RESULT_PAGE);
    vec_push(&r->items, vault("sub-1", "kv-a"));
    vec_push(&r->items, vault("sub-1", "kv-b"));
    r->more = true;
    apply(s, r);
    is_int(s->vaults.len, 2, "first vault page visible");
    r = answer(vj, RESULT_PAGE);
    vec_push(&r->items, vault("sub-1", "kv-c"));
    apply(s, r);
    apply(s, answer(vj, RESULT_DONE));
    is_int(s->vaults.len, 3, "all three vaults");
    struct store_vault *kvb = store_find_vault(s, "kv-b");
    ok(kvb != NULL, "find a vault by name");
    ok(store_find_vault(s, "https://kv-b.vault.azure.net/") == kvb,
       "and by URI with a trailing slash");

    /* Secrets of kv-b, with versions of one of them loading. */
    store_load_secrets(s, kvb);
    struct job *sj = f.jobs[2];
    r = answer(sj, RESULT_PAGE);
    vec_push(&r->items, secret("api-key"));
    vec_push(&r->items, secret("db-pass"));
    apply(s, r);
    apply(s, answer(sj, RESULT_DONE));
    struct store_secret *api = store_find_secret(kvb, "api-key");
    ok(api != NULL && api->index == 0, "secret found with its index");
    store_load_versions(s, kvb, api);
    uint64_t versions_job = f.ids[3];

    uint64_t epoch = s->vaults_epoch;
    store_load_vaults(s, sub); /* refresh */
    struct job *vj2 = f.jobs[4];
    ok(vj2->generation != vj->generation, "a refresh has a new generation");
    is_int(s->vaults.len, 3, "a refresh keeps what is known while loading");
    r = answer(vj2, RESULT_PAGE);
    vec_push(&r->items, vault("sub-1", "kv-a"));
    vec_push(&r->items, vault("sub-1", "kv-c"));
    apply(s, r);
    is_int(s->vaults.len, 3, "missing vaults stay until the list completes");
    /* A late answer of the old load is ignored. */
    r = answer(vj, RESULT_PAGE);
    vec_push(&r->items, vault("sub-1", "kv-old"));
    is_int(apply(s, r), 0, "a superseded load's page is ignored");
    is_int(s->vaults.len, 3, "and adds nothing");
    c = apply(s, answer(vj2, RESULT_DONE));
    ok(c & STORE_REMOVED, "completion drops what disappeared");
    is_int(s->vaults.len, 2, "kv-b is gone");
    ok(store_find_vault(s, "kv-b") == NULL, "and cannot be found");
    ok(s->vaults_epoch != epoch, "the vault epoch changed");
    bool cancelled = false;
    for (int i = 0; i < f.ncancel; i++)
        if (f.cancelled[i] == versions_job)
            cancelled = true;
    ok(cancelled, "loads under a dropped vault are cancelled");

    /* A failure keeps the items and records the error. */
    store_load_vaults(s, sub);
    struct job *vj3 = f.jobs[5];
    r = answer(vj3, RESULT_PROGRESS);
    r->message = xstrdup("throttled (429), retrying in 4 s");
    c = apply(s, r);
    ok(c & STORE_STATUS, "progress changes the status");
    is_str(sub->vaults_load.progress, "throttled (429), retrying in 4 s",
           "progress text kept for the pane");
    r = answer(vj3, RESULT_ERROR);
    r->status = KV_ERR_HTTP;
    r->http_status = 500;
    r->error_code = xstrdup("InternalServerError");
    r->message = xstrdup("Something broke");
    r->request_id = xstrdup("req-123");
    apply(s, r);
    is_int(sub->vaults_load.state, LOAD_FAILED, "failed");
    is_int(s->vaults.len, 2, "what was known is still there");
    is_int(sub->vaults_load.http_status, 500, "HTTP status kept");
    is_str(sub->vaults_load.request_id, "req-123", "request id kept");
    ok(sub->vaults_load.progress == NULL, "progress cleared");
    ok(s->last_error && strstr(s->last_error, "500") &&
           strstr(s->last_error, "InternalServerError"),
       "the status bar's last error names status and code");
    is_str(s->last_error_message, "Something broke", "and keeps the message");
    is_str(s->last_request_id, "req-123", "and the request id");
    /* Restarting a running load cancels the old job. */
    store_load_vaults(s, sub);
    int before = f.ncancel;
    store_load_vaults(s, sub);
    is_int(f.ncancel, before + 1, "restarting a running load cancels it");
    apply(s, answer(f.jobs[7], RESULT_PAGE));
    apply(s, answer(f.jobs[7], RESULT_DONE));
    is_int(sub->vaults_load.state, LOAD_FRESH, "a later success is fresh");
    ok(sub->vaults_load.message == NULL, "and clears the error");
    is_int(s->vaults.len, 0, "an empty list empties it");

    /* :vault URI without Resource Manager. */
    char *why = NULL;
    struct store_vault *uv =
        store_add_vault_uri(s, "https://kv-x.vault.azure.net/", &why);
    ok(uv != NULL && uv->by_uri, "a vault opened by URI");
    is_str(uv->vault->name, "kv-x", "named from the host");
    is_str(uv->vault->vault_uri, "https://kv-x.vault.azure.net",
           "URI without the trailing slash");
    ok(store_add_vault_uri(s, "https://kv-x.vault.azure.net", &why) == uv,
       "the same URI gives the same vault");
    ok(store_add_vault_uri(s, "http://kv-y", &why) == NULL,
       "plain http is refused");
    free(why);
    store_load_endpoints(s, uv);
    is_int(uv->endpoints_load.state, LOAD_FAILED,
           "endpoints of a vault opened by URI cannot be listed");
    ok(uv->endpoints_load.message != NULL, "and the pane says why");

    /* Deleted secrets: a list of their own, replaced by each load. */
    store_load_deleted(s, uv);
    struct job *dj = f.jobs[f.n - 1];
    is_int(dj->kind, JOB_LIST_DELETED_SECRETS, "deleted secrets: its job");
    is_str(job_secret_ref(dj)->vault_uri, "https://kv-x.vault.azure.net",
           "for the vault's URI");
    is_int(uv->deleted_load.state, LOAD_LOADING, "deleted: loading");
    r = answer(dj, RESULT_PAGE);
    for (int i = 0; i < 2; i++) {
        struct kv_deleted_secret *d = xcalloc(1, sizeof *d);
        d->name = xasprintf("gone-%d", i);
        vec_push(&r->items, d);
    }
    c = apply(s, r);
    ok(c & STORE_DELETED, "a page changes the deleted list");
    apply(s, answer(dj, RESULT_DONE));
    is_int(uv->deleted.len, 2, "two deleted secrets");
    is_int(uv->deleted_load.state, LOAD_FRESH, "deleted: fresh");
    store_load_deleted(s, uv);
    dj = f.jobs[f.n - 1];
    r = answer(dj, RESULT_PAGE);
    struct kv_deleted_secret *d1 = xcalloc(1, sizeof *d1);
    d1->name = xstrdup("gone-1");
    vec_push(&r->items, d1);
    apply(s, r);
    apply(s, answer(dj, RESULT_DONE));
    is_int(uv->deleted.len, 1, "a reload replaces the list (one recovered)");
    is_str(((struct kv_deleted_secret *)uv->deleted.items[0])->name, "gone-1",
           "the one still deleted");
    store_load_deleted(s, uv);
    before = f.ncancel;
    store_load_deleted(s, uv);
    is_int(f.ncancel, before + 1, "restarting the deleted load cancels it");

    /* The data plane refuses this host by network: the names through
     * Resource Manager instead, into the same list (issue #10). */
    struct store_vault *cv = store_add_vault(s, vault("sub-1", "kv-closed"));
    store_load_secrets(s, cv);
    sj = f.jobs[f.n - 1];
    is_int(sj->kind, JOB_LIST_SECRETS, "secrets: from the data plane first");
    int njobs = f.n;
    r = answer(sj, RESULT_ERROR);
    r->status = KV_ERR_HTTP;
    r->http_status = 403;
    r->error_code = xstrdup("Forbidden");
    r->inner_code = xstrdup("ForbiddenByConnection");
    r->message = xstrdup("Public network access is disabled");
    c = apply(s, r);
    is_int(f.n, njobs + 1, "a 403 ForbiddenByConnection starts another load");
    struct job *aj = f.jobs[f.n - 1];
    is_int(aj->kind, JOB_LIST_ARM_SECRETS, "through Resource Manager");
    is_str(job_vault_ref(aj)->vault_id, cv->vault->id, "for the vault's id");
    is_str(cv->secrets_refused, "ForbiddenByConnection",
           "the refusal is kept for the pane");
    is_int(cv->secrets_load.state, LOAD_LOADING, "the list is loading again");
    r = answer(aj, RESULT_PAGE);
    vec_push(&r->items, secret("db-password"));
    c = apply(s, r);
    ok(c & STORE_SECRETS, "its names join the secrets");
    apply(s, answer(aj, RESULT_DONE));
    is_int(cv->secrets.len, 1, "one secret listed through Resource Manager");
    is_int(cv->secrets_load.state, LOAD_FRESH, "fresh");
    ok(s->last_error == NULL || s->last_error_load != &cv->secrets_load,
       "the status bar no longer shows the 403");
    store_load_secrets(s, cv);
    sj = f.jobs[f.n - 1];
    is_int(sj->kind, JOB_LIST_SECRETS, "a reload tries the data plane again");
    ok(cv->secrets_refused == NULL, "and forgets the refusal");
    njobs = f.n;
    r = answer(sj, RESULT_ERROR);
    r->status = KV_ERR_HTTP;
    r->http_status = 403;
    r->error_code = xstrdup("Forbidden");
    r->inner_code = xstrdup("ForbiddenByRbac");
    apply(s, r);
    is_int(f.n, njobs, "a missing permission is no network refusal");
    is_int(cv->secrets_load.state, LOAD_FAILED, "it fails as it is");
    is_str(cv->secrets_load.inner_code, "ForbiddenByRbac",
           "with its inner code kept");
    ok(cv->secrets_refused == NULL, "nothing refused by network");
    store_load_secrets(s, uv);
    sj = f.jobs[f.n - 1];
    njobs = f.n;
    r = answer(sj, RESULT_ERROR);
    r->status = KV_ERR_HTTP;
    r->http_status = 403;
    r->inner_code = xstrdup("ForbiddenByFirewall");
    apply(s, r);
    is_int(f.n, njobs, "a vault opened by URI has no Resource Manager list");
    is_int(uv->secrets_load.state, LOAD_FAILED, "its list fails");

    for (int i = 0; i < f.n; i++)
        job_free(f.jobs[i]);
    store_free(s);
    return tap_done();
}
