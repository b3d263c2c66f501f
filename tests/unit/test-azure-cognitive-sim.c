/*
 * test-azure-cognitive-sim.c — the AI services account operations of
 * azure/cognitive.h against kvdeck-sim's demo seed: the accounts of the
 * subscriptions (contoso-ai, kind OpenAI, its endpoint on the sim's
 * port), GET by id, listKeys (two 32-hex keys, Key1 the demo secret's
 * value), the endpoint probe (200 for either key, 401 for another value,
 * the fault area openai fails it), regenerateKey (only the key named
 * changes; the old value then gets 401), a bad key name refused before
 * sending, an unknown account 404. Skips when the sim is not built.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/client.h"
#include "azure/cognitive.h"
#include "azure/json.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"
#include "tests/tools/simproc.h"

static struct simproc sim;

struct got {
    bool done, failed;
    enum kv_status status;
    long http;
    char *message, *code;
    struct vec items; /* void * (kv_subscription or kv_ai_account) */
    enum az_item_kind kind;
    struct secret *k1, *k2;
};

static void
got_clear(struct got *g)
{
    az_op_free_items(g->kind, &g->items);
    free(g->message);
    free(g->code);
    secret_free(g->k1);
    secret_free(g->k2);
    memset(g, 0, sizeof *g);
}

static void
on_page(void *ud, struct vec *items, bool more)
{
    struct got *g = ud;
    (void)more;
    for (size_t i = 0; i < items->len; i++)
        vec_push(&g->items, items->items[i]);
    vec_clear(items);
}

static void
on_done(void *ud, const struct az_failure *f)
{
    struct got *g = ud;
    g->done = true;
    if (f != NULL) {
        g->failed = true;
        g->status = f->status;
        g->http = f->http_status;
        g->message = xstrdup(f->message);
        g->code = f->code ? xstrdup(f->code) : NULL;
    }
}

static void
on_keys(void *ud, struct secret *k1, struct secret *k2)
{
    struct got *g = ud;
    g->k1 = k1;
    g->k2 = k2;
}

static const struct az_op_cb cb = {.page = on_page, .done = on_done};

static void
run(struct az_client *c, struct got *g)
{
    int64_t t = time_mono_ms();
    while (!g->done && time_mono_ms() - t < 60000)
        az_client_run(c, 200);
}

static bool
hex32(const struct secret *s)
{
    if (s == NULL || s->len != 32)
        return false;
    for (size_t i = 0; i < 32; i++)
        if (!isxdigit((unsigned char)s->data[i]) ||
            isupper((unsigned char)s->data[i]))
            return false;
    return true;
}

static bool
same(const struct secret *a, const struct secret *b)
{
    return a && b && a->len == b->len && secmem_equal(a->data, b->data, a->len);
}

/* The probe's outcome: 0 for a 200, else the HTTP status (or -1). */
static long
probe(struct az_client *c, const char *endpoint, const struct secret *key)
{
    struct got g = {.kind = AZ_ITEM_NONE};
    az_ai_probe(c, endpoint, key, &cb, &g);
    run(c, &g);
    long r = !g.done ? -1 : !g.failed ? 0 : g.http ? g.http : -1;
    if (g.failed)
        printf("# probe: %s\n", g.message);
    got_clear(&g);
    return r;
}

int
main(void)
{
    const char *bin = simproc_bin();
    if (bin == NULL)
        tap_skip_all("kvdeck-sim is not built (set KVDECK_SIM)");
    if (system("curl --version >/dev/null 2>&1") != 0)
        tap_skip_all("curl is not installed (the sim's control endpoint)");
    az_http_global_init();
    enginetest_no_proxy();
    bool up = simproc_start(&sim, bin, NULL);
    ok(up, "kvdeck-sim is ready");
    if (!up) {
        simproc_stop(&sim);
        return tap_done();
    }
    struct engine_config ec = {0};
    simproc_config(&sim, &ec);
    struct az_client_config cc = {0};
    cc.cloud = ec.cloud;
    cc.http.ca_file = ec.ca_file;
    cc.http.retry = az_retry_default();
    cc.http.retry.base_ms = 50;
    cc.sign_in.tenant = ec.tenant_id;
    cc.sign_in.client_id = ec.client_id;
    cc.sign_in.client_secret = ec.client_secret;
    cc.sign_in.no_env = true;
    char *why = NULL;
    struct az_client *c = az_client_new(&cc, &why);
    ok(c != NULL, "a client on the sim (%s)", why ? why : "ok");
    if (c == NULL)
        goto out;

    /* the accounts of every subscription */
    struct got g = {.kind = AZ_ITEM_SUBSCRIPTION};
    az_list_subscriptions(c, &cb, &g);
    run(c, &g);
    ok(g.done && !g.failed && g.items.len > 0, "subscriptions");
    struct kv_ai_account *acct = NULL;
    size_t naccounts = 0;
    for (size_t i = 0; i < g.items.len; i++) {
        const struct kv_subscription *s = g.items.items[i];
        struct got a = {.kind = AZ_ITEM_AI_ACCOUNT};
        az_ai_list_accounts(c, s->subscription_id, NULL, &cb, &a);
        run(c, &a);
        ok(a.done && !a.failed, "the accounts of %s", s->id);
        naccounts += a.items.len;
        for (size_t k = 0; k < a.items.len; k++) {
            struct kv_ai_account *x = a.items.items[k];
            if (str_eq(x->name, "contoso-ai") && acct == NULL) {
                acct = x;
                a.items.items[k] = NULL;
            }
        }
        for (size_t k = 0; k < a.items.len; k++)
            kv_ai_account_free(a.items.items[k]);
        vec_clear(&a.items);
        got_clear(&a);
    }
    got_clear(&g);
    ok(naccounts >= 2, "contoso-ai and contoso-language (%zu)", naccounts);
    ok(acct != NULL, "contoso-ai is listed");
    if (acct == NULL)
        goto out;
    is_str(acct->kind, "OpenAI", "its kind");
    char want[128];
    snprintf(want, sizeof want, "https://contoso-ai.openai.localhost:%s/",
             strrchr(sim.url, ':') + 1);
    is_str(acct->endpoint, want, "its endpoint on the sim's port");

    g = (struct got){.kind = AZ_ITEM_AI_ACCOUNT};
    az_ai_get_account(c, acct->id, &cb, &g);
    run(c, &g);
    ok(g.done && !g.failed && g.items.len == 1 &&
           str_eq(((struct kv_ai_account *)g.items.items[0])->id, acct->id),
       "GET by id");
    got_clear(&g);

    /* listKeys */
    struct got k = {.kind = AZ_ITEM_NONE};
    az_ai_list_keys(c, acct->id, on_keys, &cb, &k);
    run(c, &k);
    ok(k.done && !k.failed, "listKeys (%s)", k.message ? k.message : "ok");
    ok(hex32(k.k1) && hex32(k.k2), "two keys of 32 lower-case hex digits");
    ok(!same(k.k1, k.k2), "different keys");

    /* the probe */
    is_int(probe(c, acct->endpoint, k.k1), 0, "the endpoint: Key1 200");
    is_int(probe(c, acct->endpoint, k.k2), 0, "the endpoint: Key2 200");
    struct secret *wrong = secret_dup("00000000000000000000000000000000", 32);
    is_int(probe(c, acct->endpoint, wrong), 401, "another value: 401");
    secret_free(wrong);
    ok(simproc_control(&sim, "POST", "/faults",
                       "{\"faults\":[\"error,area=openai,count=1\"]}"),
       "fault area=openai");
    long r = probe(c, acct->endpoint, k.k1);
    ok(r != 0, "the probe fails under the fault (%ld)", r);
    simproc_control(&sim, "DELETE", "/faults", NULL);
    is_int(probe(c, acct->endpoint, k.k1), 0, "and passes after it");

    /* regenerateKey */
    struct got n = {.kind = AZ_ITEM_NONE};
    az_ai_regenerate_key(c, acct->id, "Key2", on_keys, &cb, &n);
    run(c, &n);
    ok(n.done && !n.failed, "regenerate Key2 (%s)",
       n.message ? n.message : "ok");
    ok(same(n.k1, k.k1), "Key1 is unchanged");
    ok(hex32(n.k2) && !same(n.k2, k.k2), "Key2 is new");
    is_int(probe(c, acct->endpoint, k.k2), 401, "the old Key2: 401");
    is_int(probe(c, acct->endpoint, n.k2), 0, "the new Key2: 200");
    got_clear(&n);
    got_clear(&k);

    n = (struct got){.kind = AZ_ITEM_NONE};
    az_ai_regenerate_key(c, acct->id, "key1", on_keys, &cb, &n);
    run(c, &n);
    ok(n.done && n.failed && n.status == KV_ERR_INVALID && n.k1 == NULL,
       "\"key1\" refused before sending (%s)", n.message ? n.message : "");
    got_clear(&n);

    char *bad = xasprintf("%s-nothere", acct->id);
    n = (struct got){.kind = AZ_ITEM_NONE};
    az_ai_list_keys(c, bad, on_keys, &cb, &n);
    run(c, &n);
    ok(n.failed && n.status == KV_ERR_NOT_FOUND && n.http == 404,
       "an unknown account: 404 (%s)", n.code ? n.code : "");
    got_clear(&n);
    free(bad);

    /* cancelled in flight: no callback */
    n = (struct got){.kind = AZ_ITEM_NONE};
    struct az_op *op =
        az_ai_probe(c, acct->endpoint, wrong = secret_dup("x", 1), &cb, &n);
    secret_free(wrong);
    az_op_cancel(op);
    for (int i = 0; i < 5; i++)
        az_client_run(c, 50);
    ok(!n.done, "a cancelled probe calls nothing back");
    kv_ai_account_free(acct);
out:
    az_client_free(c);
    free(why);
    simproc_stop(&sim);
    return tap_done();
}
