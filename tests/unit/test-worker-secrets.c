/*
 * test-worker-secrets.c — the data-plane secret writes of azure/ops.h
 * over real HTTPS against tests/tools/kvtest-server.py: set (the body
 * built in secure memory, escaping, fields left out), update, delete,
 * the deleted list/get, recover, purge, bad arguments failing from the
 * loop, and the replay rules of a secret PUT: a dropped connection, a
 * 503 and a timeout reach the server exactly once and are ambiguous; a
 * 429 is retried; a refused connection is retried.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/client.h"
#include "azure/json.h"
#include "azure/ops.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tests/tap.h"
#include "tests/tools/testserver.h"

static struct testserver ts;
static struct secret *client_secret;
static char vault[128];

struct got {
    bool done;
    bool failed;
    struct az_failure f; /* strings below are copies */
    char *message, *code;
    struct vec items;
    enum az_item_kind kind;
    int pages;
    struct kv_secret_version *meta;
    struct secret *value;
};

static void
got_clear(struct got *g)
{
    az_op_free_items(g->kind, &g->items);
    free(g->message);
    free(g->code);
    kv_secret_version_free(g->meta);
    secret_free(g->value);
    memset(g, 0, sizeof *g);
}

static void
on_page(void *ud, struct vec *items, bool more)
{
    struct got *g = ud;
    (void)more;
    g->pages++;
    for (size_t i = 0; i < items->len; i++)
        vec_push(&g->items, items->items[i]);
    vec_clear(items);
}

static void
on_secret(void *ud, struct kv_secret_version *meta, struct secret *value)
{
    struct got *g = ud;
    g->meta = meta;
    g->value = value;
}

static void
on_done(void *ud, const struct az_failure *f)
{
    struct got *g = ud;
    g->done = true;
    if (f != NULL) {
        g->failed = true;
        g->f = *f;
        g->message = xstrdup(f->message);
        g->code = f->code != NULL ? xstrdup(f->code) : NULL;
        g->f.message = g->message;
        g->f.code = g->code;
        g->f.inner_code = NULL;
        g->f.request_id = NULL;
    }
}

static const struct az_op_cb cb = {
    .page = on_page,
    .secret = on_secret,
    .done = on_done,
};

static struct az_client *
client(long timeout_ms, int attempts)
{
    struct az_client_config c = {0};
    char *why = NULL;
    c.cloud = ts.cloud;
    c.http.ca_file = ts.ca;
    c.http.timeout_ms = timeout_ms;
    c.http.connect_timeout_ms = 3000;
    c.http.retry = az_retry_default();
    c.http.retry.max_attempts = attempts;
    c.http.retry.base_ms = 50;
    c.sign_in.tenant = "tenant-1";
    c.sign_in.client_id = "client-1";
    c.sign_in.client_secret = client_secret;
    c.sign_in.no_env = true;
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

/* The server's copy of the last body sent with method. */
static cJSON *
last_body(const char *method)
{
    char path[400], buf[65536];
    snprintf(path, sizeof path, "%s/body-%s.json", ts.dir, method);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return json_parse(buf, n, path, NULL);
}

static char *
last_body_text(const char *method)
{
    cJSON *j = last_body(method);
    char *p = j != NULL ? cJSON_PrintUnformatted(j) : NULL;
    char *s = xstrdup(p != NULL ? p : "");
    cJSON_free(p);
    cJSON_Delete(j);
    return s;
}

static int
puts_of(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "/secrets/%s?", name);
    return testserver_count(&ts, "PUT ", path, "auth=1", (char *)NULL);
}

static void
test_set(struct az_client *c)
{
    static const char tricky[] = "he said \"hi\" \\ back\nslash\t\x01\x1f "
                                 "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94"
                                 "\x91 end";
    struct secret *v = secret_dup(tricky, sizeof tricky - 1);
    char k1[] = "env", v1[] = "prod", k2[] = "owner", v2[] = "team \"a\"";
    struct kv_tag tag[] = {{k1, v1}, {k2, v2}};
    struct kv_tags tags = {2, tag};
    struct az_secret_write w = {
        .content_type = "text/plain",
        .enabled = AZ_SET_TRUE,
        .set_expires = true,
        .expires = 1900000000,
        .tags = &tags,
    };
    struct got g = {0};
    az_secret_set(c, vault, "app-key", v, &w, &cb, &g);
    ok(!g.done, "no callback inside az_secret_set");
    run(c, &g);
    ok(g.done && !g.failed, "set: success (%s)", g.message ? g.message : "");
    ok(g.value != NULL && g.value->len == v->len &&
           secmem_equal(g.value->data, v->data, v->len),
       "the echoed value is the value, byte for byte (quotes, backslash, "
       "control characters, UTF-8)");
    ok(g.meta != NULL && g.meta->version != NULL &&
           strlen(g.meta->version) == 32,
       "the new version's id (%s)", g.meta ? g.meta->version : "");
    is_str(g.meta ? g.meta->content_type : NULL, "text/plain", "content type");
    is_str(g.meta ? kv_tags_get(&g.meta->tags, "owner") : NULL, "team \"a\"",
           "tags");
    is_int(g.meta ? g.meta->attrs.expires : 0, 1900000000, "expiry");
    ok(g.meta != NULL && g.meta->json != NULL &&
           strstr(g.meta->json, "\"value\"") == NULL,
       "the metadata's json holds no value");

    cJSON *b = last_body("PUT");
    const char *sent = json_str(b, "value");
    ok(sent != NULL && strlen(sent) == v->len &&
           secmem_equal(sent, v->data, v->len),
       "the server parsed the body's value back to the same bytes");
    ok(json_bool(b, "attributes.enabled", false) &&
           json_int(b, "attributes.exp", 0) == 1900000000 &&
           json_at(b, "attributes.nbf") == NULL,
       "attributes: enabled and exp sent, nbf left out");
    cJSON_Delete(b);
    is_int(puts_of("app-key"), 1, "one authenticated PUT");
    is_int(testserver_count(&ts, "PUT ", "/secrets/app-key?", "auth=0",
                            (char *)NULL),
           1, "after the challenge, which was sent without the body");
    got_clear(&g);

    struct secret *plain = secret_dup("x", 1);
    az_secret_set(c, vault, "plain", plain, NULL, &cb, &g);
    run(c, &g);
    char *text = last_body_text("PUT");
    ok(g.done && !g.failed, "set without fields");
    is_str(text, "{\"value\":\"x\"}", "the body is the value alone");
    free(text);
    got_clear(&g);
    secret_free(plain);
    secret_free(v);
}

static void
test_update(struct az_client *c)
{
    struct got g = {0};
    struct az_secret_write w = {.enabled = AZ_SET_FALSE};
    az_secret_update(c, vault, "app-key", "0123456789abcdef0123456789abcdef",
                     &w, &cb, &g);
    run(c, &g);
    char *text = last_body_text("PATCH");
    ok(g.done && !g.failed && g.items.len == 1, "update: one version back");
    is_str(text, "{\"attributes\":{\"enabled\":false}}",
           "only what was set is sent: enabled=false");
    const struct kv_secret_version *sv = vec_get(&g.items, 0);
    ok(sv != NULL && !sv->attrs.enabled, "the version is disabled");
    is_str(sv ? sv->version : NULL, "0123456789abcdef0123456789abcdef",
           "the version patched");
    ok(testserver_count(&ts, "PATCH ",
                        "/secrets/app-key/0123456789abcdef0123456789abcdef?",
                        (char *)NULL) >= 1,
       "PATCH {vault}/secrets/{name}/{version}");
    free(text);
    g.kind = AZ_ITEM_VERSION;
    got_clear(&g);

    struct kv_tags none = {0};
    struct az_secret_write clear = {.set_expires = true,
                                    .expires = 0,
                                    .tags = &none,
                                    .enabled = AZ_SET_TRUE};
    az_secret_update(c, vault, "app-key", NULL, &clear, &cb, &g);
    run(c, &g);
    text = last_body_text("PATCH");
    is_str(text, "{\"attributes\":{\"enabled\":true,\"exp\":null},\"tags\":{}}",
           "enabled=true, expiry cleared (null), tags cleared ({})");
    free(text);
    g.kind = AZ_ITEM_VERSION;
    got_clear(&g);
}

static void
test_soft_delete(struct az_client *c)
{
    struct got g = {.kind = AZ_ITEM_DELETED_SECRET};
    az_secret_delete(c, vault, "app-key", &cb, &g);
    run(c, &g);
    const struct kv_deleted_secret *d = vec_get(&g.items, 0);
    ok(g.done && !g.failed && d != NULL, "delete: a deleted secret back");
    is_str(d ? d->name : NULL, "app-key", "its name");
    ok(d != NULL && d->recovery_id != NULL &&
           str_ends(d->recovery_id, "/deletedsecrets/app-key"),
       "recovery id");
    ok(d != NULL && d->deleted_date == 1690270840 &&
           d->scheduled_purge_date == 1690875640,
       "deleted and scheduled purge dates");
    got_clear(&g);

    g.kind = AZ_ITEM_DELETED_SECRET;
    az_list_deleted_secrets(c, vault, 2, &cb, &g);
    run(c, &g);
    ok(g.done && !g.failed && g.items.len == 5 && g.pages == 3,
       "deleted list: 5 over 3 pages of 2 (%zu items, %d pages)", g.items.len,
       g.pages);
    d = vec_get(&g.items, 4);
    is_str(d ? d->name : NULL, "gone-04", "the last one");
    ok(d != NULL && d->version == NULL, "list items carry no version");
    got_clear(&g);

    g.kind = AZ_ITEM_DELETED_SECRET;
    az_get_deleted_secret(c, vault, "app-key", &cb, &g);
    run(c, &g);
    d = vec_get(&g.items, 0);
    ok(g.done && !g.failed && d != NULL && str_eq(d->name, "app-key"),
       "get deleted");
    got_clear(&g);

    g.kind = AZ_ITEM_DELETED_SECRET;
    az_get_deleted_secret(c, vault, "missing", &cb, &g);
    run(c, &g);
    ok(g.failed && g.f.status == KV_ERR_NOT_FOUND &&
           str_eq(g.code, "SecretNotFound"),
       "a missing deleted secret: not found, SecretNotFound");
    ok(!g.f.ambiguous, "a 404 is not ambiguous");
    got_clear(&g);

    g.kind = AZ_ITEM_VERSION;
    az_secret_recover(c, vault, "app-key", &cb, &g);
    run(c, &g);
    const struct kv_secret_version *sv = vec_get(&g.items, 0);
    ok(g.done && !g.failed && sv != NULL && str_eq(sv->name, "app-key"),
       "recover: the secret's version back");
    is_int(testserver_count(&ts, "POST ", "/deletedsecrets/app-key/recover?",
                            "auth=1", (char *)NULL),
           1, "POST {vault}/deletedsecrets/{name}/recover");
    g.kind = AZ_ITEM_VERSION;
    got_clear(&g);

    az_secret_purge(c, vault, "app-key", &cb, &g);
    run(c, &g);
    ok(g.done && !g.failed && g.pages == 0, "purge: 204, done without items");
    is_int(testserver_count(&ts, "DELETE ", "/deletedsecrets/app-key?",
                            "auth=1", (char *)NULL),
           1, "DELETE {vault}/deletedsecrets/{name}");
    got_clear(&g);
}

static void
test_bad_arguments(struct az_client *c)
{
    struct got g = {0};
    struct secret *v = secret_dup("v", 1);
    az_secret_set(c, vault, "bad name!", v, NULL, &cb, &g);
    ok(!g.done, "a bad name: no callback inside the call");
    run(c, &g);
    ok(g.failed && g.f.status == KV_ERR_INVALID && g.message != NULL &&
           strstr(g.message, "bad name!") != NULL,
       "then KV_ERR_INVALID naming it (%s)", g.message ? g.message : "");
    got_clear(&g);

    struct secret *bin = secret_dup("a\xff\xfe", 3);
    az_secret_set(c, vault, "bin", bin, NULL, &cb, &g);
    run(c, &g);
    ok(g.failed && g.f.status == KV_ERR_INVALID && g.message != NULL &&
           strstr(g.message, "UTF-8") != NULL,
       "a value that is not UTF-8 is refused (%s)", g.message ? g.message : "");
    got_clear(&g);
    is_int(puts_of("bin"), 0, "and never sent");

    az_secret_delete(c, "http://plain.example", "x", &cb, &g);
    run(c, &g);
    ok(g.failed && g.f.status == KV_ERR_INVALID, "a vault URI without https");
    got_clear(&g);

    /* cancel before the deferred failure runs: no callback */
    struct az_op *op = az_secret_set(c, vault, "", v, NULL, &cb, &g);
    az_op_cancel(op);
    for (int i = 0; i < 5; i++)
        az_client_run(c, 10);
    ok(!g.done, "cancelled before the loop turn: no callback");
    secret_free(bin);
    secret_free(v);
}

static void
test_replay(struct az_client *c)
{
    struct got g = {0};
    struct secret *v = secret_dup("one-of-a-kind", 13);

    az_secret_set(c, vault, "drop", v, NULL, &cb, &g);
    run(c, &g);
    ok(g.failed && g.f.status == KV_ERR_IO && g.f.ambiguous,
       "connection dropped after the PUT was read: KV_ERR_IO, ambiguous (%s)",
       g.message ? g.message : "");
    is_int(g.f.attempts, 1, "one attempt");
    is_int(puts_of("drop"), 1, "exactly ONE PUT reached the server");
    got_clear(&g);

    az_secret_set(c, vault, "unavail", v, NULL, &cb, &g);
    run(c, &g);
    ok(g.failed && g.f.http_status == 503 && g.f.ambiguous,
       "503: final and ambiguous");
    is_int(puts_of("unavail"), 1, "exactly ONE PUT reached the server");
    got_clear(&g);

    az_secret_set(c, vault, "throttle", v, NULL, &cb, &g);
    long long ms = run(c, &g);
    ok(g.done && !g.failed && g.value != NULL,
       "429 then 201: the set succeeds");
    ok(g.meta != NULL, "with the new version");
    is_int(puts_of("throttle"), 2, "two PUTs reached the server");
    ok(ms >= 1000, "after Retry-After: 1 (%lld ms)", ms);
    ok(!g.f.ambiguous, "not ambiguous");
    got_clear(&g);

    /* a server that never answers: the attempt times out, once */
    struct az_client *slow = client(2500, 3);
    az_secret_set(slow, vault, "hang", v, NULL, &cb, &g);
    run(slow, &g);
    ok(g.failed && g.f.status == KV_ERR_TIMEOUT && g.f.ambiguous,
       "no answer: timed out, ambiguous (%s)", g.message ? g.message : "");
    is_int(puts_of("hang"), 1, "exactly ONE PUT reached the server");
    got_clear(&g);
    az_client_free(slow);

    /* a refused connection never reached anyone: retried */
    az_secret_set(c, "https://kvx.vault.localhost:1", "refused", v, NULL, &cb,
                  &g);
    run(c, &g);
    ok(g.failed && g.f.status == KV_ERR_CONNECT && g.f.attempts == 3 &&
           !g.f.ambiguous,
       "connection refused: retried (3 attempts), not ambiguous (%d)",
       g.f.attempts);
    got_clear(&g);
    secret_free(v);
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
    snprintf(vault, sizeof vault, "https://kvw.vault.localhost:%d/", ts.port);
    struct az_client *c = client(20000, 3);
    ok(c != NULL, "client for the test server");
    if (c != NULL) {
        test_set(c);
        test_update(c);
        test_soft_delete(c);
        test_bad_arguments(c);
        test_replay(c);
        az_client_free(c);
    }
    secret_free(client_secret);
    testserver_stop(&ts);
    return tap_done();
}
