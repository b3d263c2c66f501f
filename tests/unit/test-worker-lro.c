/*
 * test-worker-lro.c — ARM writes followed to the end of their
 * long-running operation (az_arm_write, ops-arm-write.c) over real HTTPS
 * against tests/tools/kvtest-server.py: 201 + Azure-AsyncOperation with
 * Retry-After, 202 + both headers, 202 + Location (PUT, DELETE, POST),
 * 200 + provisioningState polling, a Failed operation with its error
 * body, the budget, a Location on another host, an error on the write,
 * bad arguments, and cancelling while a poll waits.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/client.h"
#include "azure/ops.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tests/tap.h"
#include "tests/tools/testserver.h"

static struct testserver ts;
static struct secret *client_secret;

struct got {
    bool done, failed;
    enum kv_status status;
    long http_status;
    bool ambiguous;
    char *message, *code, *request_id;
    struct vec progress; /* char * */
    int resources;
    char *resource;
    struct vec items;
};

static void
got_clear(struct got *g)
{
    free(g->message);
    free(g->code);
    free(g->request_id);
    vec_free_all(&g->progress, free);
    free(g->resource);
    az_op_free_items(AZ_ITEM_GROUP, &g->items);
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
    if (f == NULL)
        return;
    g->failed = true;
    g->status = f->status;
    g->http_status = f->http_status;
    g->ambiguous = f->ambiguous;
    g->message = xstrdup(f->message);
    g->code = f->code != NULL ? xstrdup(f->code) : NULL;
    g->request_id = f->request_id != NULL ? xstrdup(f->request_id) : NULL;
}

static void
on_progress(void *ud, const char *text)
{
    struct got *g = ud;
    vec_push(&g->progress, xstrdup(text));
}

static void
on_resource(void *ud, const char *json, size_t len)
{
    struct got *g = ud;
    g->resources++;
    free(g->resource);
    g->resource = xstrndup(json, len);
}

static const struct az_op_cb cb = {
    .page = on_page,
    .done = on_done,
    .progress = on_progress,
    .resource = on_resource,
};

static struct az_client *
client(long budget_ms)
{
    struct az_client_config c = {0};
    char *why = NULL;
    c.cloud = ts.cloud;
    c.http.ca_file = ts.ca;
    c.http.timeout_ms = 20000;
    c.http.retry = az_retry_default();
    c.http.retry.max_attempts = 3;
    c.http.retry.base_ms = 50;
    c.sign_in.tenant = "tenant-1";
    c.sign_in.client_id = "client-1";
    c.sign_in.client_secret = client_secret;
    c.sign_in.no_env = true;
    c.lro.default_ms = 300; /* fast tests: no Retry-After means 300 ms */
    c.lro.min_ms = 0;
    c.lro.max_ms = 1500; /* Retry-After: 1 still counts */
    c.lro.budget_ms = budget_ms;
    struct az_client *cl = az_client_new(&c, &why);
    if (cl == NULL)
        printf("# az_client_new: %s\n", why);
    free(why);
    return cl;
}

static long long
run(struct az_client *c, struct got *g)
{
    long long t = test_now_ms();
    while (!g->done && test_now_ms() - t < 40000)
        az_client_run(c, 200);
    return test_now_ms() - t;
}

static const char *
progress(const struct got *g, size_t i)
{
    return i < g->progress.len ? g->progress.items[i] : "";
}

static int
seen(const char *method, const char *what)
{
    return testserver_count(&ts, method, what, (char *)NULL);
}

#define THING                                                                  \
    "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Test/things/"

static void
test_async(struct az_client *c)
{
    struct got g = {0};
    az_arm_write_as(c, "PUT", THING "async1", "2024-01-01",
                    "{\"location\":\"westeurope\"}", AZ_ITEM_GROUP, &cb, &g);
    ok(!g.done && g.progress.len == 0, "no callback inside the call");
    long long ms = run(c, &g);
    ok(g.done && !g.failed, "201 + Azure-AsyncOperation: success (%s)",
       g.message ? g.message : "");
    is_int(g.progress.len, 2, "progress once per poll");
    ok(strstr(progress(&g, 0), "Creating or updating… (provisioningState: "
                               "Creating); next check in 1 s") != NULL,
       "first: the write's state (%s)", progress(&g, 0));
    ok(strstr(progress(&g, 1), "(status: InProgress)") != NULL,
       "second: the operation's status (%s)", progress(&g, 1));
    ok(ms >= 2000, "Retry-After: 1 honoured on both polls (%lld ms)", ms);
    is_int(
        seen("GET ", "/operations/async1?api-version=2024-01-01&t=63&s=a%2Bb"),
        2, "the signed status URL polled twice, byte for byte");
    is_int(seen("GET ", "/things/async1?"), 1, "then one GET of the resource");
    is_int(seen("PUT ", "/things/async1?api-version=2024-01-01"), 1, "one PUT");
    ok(g.resources == 1 && g.resource != NULL &&
           strstr(g.resource, "Succeeded") != NULL,
       "resource(): the final body");
    const struct kv_group *item = vec_get(&g.items, 0);
    ok(g.items.len == 1 && item != NULL && str_eq(item->name, "async1") &&
           str_eq(item->provisioning_state, "Succeeded"),
       "page(): the final body decoded as the kind asked for");
    got_clear(&g);

    az_arm_write(c, "PUT", THING "both1", "2024-01-01", "{}", &cb, &g);
    run(c, &g);
    ok(g.done && !g.failed && g.progress.len == 2,
       "202 + both headers, status 202 then 200: success, 2 polls");
    is_int(seen("GET ", "/operations/both1?"), 2,
           "Azure-AsyncOperation preferred over Location");
    is_int(seen("GET ", "/operationResults/both1?"), 0, "Location unused");
    ok(g.items.len == 0, "no item kind: no page()");
    got_clear(&g);
}

static void
test_location(struct az_client *c)
{
    struct got g = {0};
    long long ms;
    az_arm_write(c, "PUT", THING "loc1", "2024-01-01", "{}", &cb, &g);
    ms = run(c, &g);
    ok(g.done && !g.failed, "202 + Location (PUT): success");
    is_int(seen("GET ", "/operationResults/loc1?"), 2,
           "Location polled until it stops answering 202");
    is_int(seen("GET ", "/things/loc1?"), 1, "then the resource fetched");
    ok(g.resource != NULL && strstr(g.resource, "Succeeded") != NULL,
       "its body delivered");
    ok(ms >= 2000, "Retry-After waits (%lld ms)", ms);
    got_clear(&g);

    az_arm_write(c, "DELETE", THING "del1", "2024-01-01", NULL, &cb, &g);
    run(c, &g);
    ok(g.done && !g.failed && g.progress.len == 2,
       "DELETE 202 + Location, then 204: success");
    ok(g.resources == 1 && g.resource != NULL && g.resource[0] == '\0',
       "resource() with an empty body");
    ok(strstr(progress(&g, 0), "Deleting…") != NULL, "progress: %s",
       progress(&g, 0));
    got_clear(&g);

    az_arm_write(c, "POST", THING "post1/purge", "2024-01-01", NULL, &cb, &g);
    run(c, &g);
    ok(g.done && !g.failed && g.resource != NULL &&
           strstr(g.resource, "purged") != NULL,
       "POST 202 + Location, 202 NotStarted, 200: the result body");
    ok(strstr(progress(&g, 1), "Running… (status: NotStarted)") != NULL,
       "progress: %s", progress(&g, 1));
    got_clear(&g);
}

static void
test_provisioning(struct az_client *c)
{
    struct got g = {0};
    az_arm_write(c, "PUT", THING "prov1", "2024-01-01", "{}", &cb, &g);
    long long ms = run(c, &g);
    ok(g.done && !g.failed, "200 RegisteringDns, no header: success");
    is_int(seen("GET ", "/things/prov1?"), 2,
           "the resource polled until Succeeded");
    ok(g.progress.len == 2 &&
           strstr(progress(&g, 0), "(provisioningState: RegisteringDns)") !=
               NULL,
       "progress names the state (%s)", progress(&g, 0));
    ok(ms >= 600, "the default wait without Retry-After (%lld ms)", ms);
    got_clear(&g);
}

static void
test_failures(struct az_client *c)
{
    struct got g = {0};
    az_arm_write(c, "PUT", THING "fail1", "2024-01-01", "{}", &cb, &g);
    run(c, &g);
    ok(g.failed && g.status == KV_ERR_HTTP, "a Failed operation fails");
    is_str(g.code, "ZoneFailed", "with the operation's error code");
    is_str(g.message, "The zone could not be created.", "and message");
    ok(g.request_id != NULL && str_starts(g.request_id, "srv-"),
       "and the request id of the answer that said so (%s)",
       g.request_id ? g.request_id : "none");
    ok(!g.ambiguous, "not ambiguous: it failed");
    got_clear(&g);

    az_arm_write(c, "PUT", THING "missing", "2024-01-01", "{}", &cb, &g);
    run(c, &g);
    ok(g.failed && g.status == KV_ERR_NOT_FOUND && g.http_status == 404 &&
           str_eq(g.code, "ResourceNotFound"),
       "an error on the write itself: its status and code");
    got_clear(&g);

    az_arm_write(c, "PUT", THING "evil1", "2024-01-01", "{}", &cb, &g);
    run(c, &g);
    ok(g.failed && g.status == KV_ERR_PARSE && g.ambiguous && g.message &&
           strstr(g.message, "attacker.example") != NULL,
       "a Location on another host is refused, outcome unknown (%s)",
       g.message ? g.message : "");
    got_clear(&g);

    struct az_client *tight = client(2500);
    long long ms;
    az_arm_write(tight, "PUT", THING "slow1", "2024-01-01", "{}", &cb, &g);
    ms = run(tight, &g);
    ok(g.failed && g.status == KV_ERR_TIMEOUT && g.ambiguous,
       "an operation that never ends: timed out, ambiguous (%s)",
       g.message ? g.message : "");
    ok(ms < 4000, "within the budget (%lld ms)", ms);
    got_clear(&g);
    az_client_free(tight);

    const char *bad[][3] = {{"GET", THING "x", "2024-01-01"},
                            {"PUT", "subscriptions/s1", "2024-01-01"},
                            {"PUT", THING "x?y=1", "2024-01-01"},
                            {"PUT", THING "x", "2024&x=1"},
                            {"PUT", THING "x", NULL}};
    for (size_t i = 0; i < 5; i++) {
        az_arm_write(c, bad[i][0], bad[i][1], bad[i][2], NULL, &cb, &g);
        bool early = g.done;
        run(c, &g);
        ok(!early && g.failed && g.status == KV_ERR_INVALID,
           "refused from the loop: %s %s api-version %s (%s)", bad[i][0],
           bad[i][1], bad[i][2] ? bad[i][2] : "(none)",
           g.message ? g.message : "");
        got_clear(&g);
    }
}

static void
test_cancel(struct az_client *c)
{
    struct got g = {0};
    struct az_op *op =
        az_arm_write(c, "PUT", THING "loc2", "2024-01-01", "{}", &cb, &g);
    long long t = test_now_ms();
    while (g.progress.len == 0 && !g.done && test_now_ms() - t < 20000)
        az_client_run(c, 100);
    ok(g.progress.len == 1, "the first poll is waiting");
    az_op_cancel(op);
    t = test_now_ms();
    while (test_now_ms() - t < 1500)
        az_client_run(c, 100);
    ok(!g.done, "cancelled while waiting: no callback");
    is_int(seen("GET ", "/operationResults/loc2?"), 0, "and no poll sent");
    got_clear(&g);
}

int
main(void)
{
    const char *skip = NULL;
    const char *vars[] = {"http_proxy", "https_proxy", "HTTPS_PROXY",
                          "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < 5; i++)
        unsetenv(vars[i]);
    int rc = testserver_start(&ts, &skip);
    if (rc == 77)
        tap_skip_all("%s", skip);
    if (rc != 0) {
        printf("not ok 1 - test server: %s\n1..1\n", skip);
        return 1;
    }
    client_secret = secret_dup("s3cret-value", 12);
    struct az_client *c = client(30000);
    ok(c != NULL, "client for the test server");
    if (c != NULL) {
        test_async(c);
        test_location(c);
        test_provisioning(c);
        test_failures(c);
        test_cancel(c);
        az_client_free(c);
    }
    secret_free(client_secret);
    testserver_stop(&ts);
    return tap_done();
}
