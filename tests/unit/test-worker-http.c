/*
 * test-worker-http.c — the transport alone (azure/http.c) over real HTTPS
 * against tests/tools/kvtest-server.py: the headers every request
 * carries, request ids, POST never replayed, GET retried within its
 * attempt budget, Retry-After as an HTTP date and as retry-after-ms,
 * TLS verification without the test CA, a refused connection, the CA
 * file errors, and cancellation.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/http.h"
#include "azure/json.h"
#include "base/str.h"
#include "tests/tap.h"
#include "tests/tools/testserver.h"

static struct testserver ts;

struct got {
    bool done;
    int waits;
    long first_delay;
    struct az_response *resp;
};

static void
on_done(void *ud, struct az_request *req, struct az_response *resp)
{
    struct got *g = ud;
    g->done = true;
    g->resp = resp;
    az_request_free(req);
}

static void
on_wait(void *ud, const struct az_http_wait *w)
{
    struct got *g = ud;
    if (g->waits++ == 0)
        g->first_delay = w->delay_ms;
}

static struct az_http *
transport(bool with_ca, int attempts)
{
    struct az_http_config c = {0};
    char *why = NULL;
    c.ca_file = with_ca ? ts.ca : NULL;
    c.timeout_ms = 10000;
    c.retry = az_retry_default();
    c.retry.max_attempts = attempts;
    c.retry.base_ms = 50;
    struct az_http *h = az_http_new(&c, &why);
    if (h == NULL)
        printf("# az_http_new: %s\n", why);
    free(why);
    return h;
}

/* Sends one request and runs the loop until it is done. */
static long long
fetch(struct az_http *h, const char *method, const char *path, struct got *g)
{
    char url[256];
    memset(g, 0, sizeof *g);
    snprintf(url, sizeof url, "https://127.0.0.1:%d%s", ts.port, path);
    long long t = test_now_ms();
    az_http_send(h, az_request_new(method, url), on_done, on_wait, g);
    while (!g->done && test_now_ms() - t < 30000)
        az_http_run(h, 200);
    return test_now_ms() - t;
}

static const char *
body(const struct got *g)
{
    return g->resp != NULL ? az_response_body(g->resp, NULL) : "";
}

static void
test_headers(struct az_http *h)
{
    struct got a, b;
    fetch(h, "GET", "/http/echo", &a);
    fetch(h, "GET", "/http/echo", &b);
    cJSON *ja = json_parse(body(&a), strlen(body(&a)), "echo", NULL);
    cJSON *jb = json_parse(body(&b), strlen(body(&b)), "echo", NULL);
    ok(a.resp != NULL && a.resp->result == KV_OK && a.resp->status == 200,
       "GET over HTTPS with the extra CA file");
    is_str(json_str(ja, "ua"), "kvdeck/" PACKAGE_VERSION, "User-Agent");
    is_str(json_str(ja, "accept"), "application/json", "Accept");
    ok(str_is_uuid(json_str(ja, "crid")), "x-ms-client-request-id is a UUID");
    ok(json_str(ja, "crid") != NULL &&
           !str_eq(json_str(ja, "crid"), json_str(jb, "crid")),
       "a fresh one per request");
    is_str(a.resp != NULL ? a.resp->client_request_id : NULL,
           json_str(ja, "crid"), "the response keeps the id we sent");
    ok(a.resp != NULL && str_starts(a.resp->request_id, "srv-"),
       "and the server's x-ms-request-id (%s)",
       a.resp && a.resp->request_id ? a.resp->request_id : "none");
    is_str(a.resp != NULL ? az_response_request_id(a.resp) : NULL,
           a.resp != NULL ? a.resp->request_id : NULL,
           "x-ms-request-id is the one reported");
    ok(a.resp != NULL && a.resp->content_type != NULL &&
           str_istarts(a.resp->content_type, "application/json"),
       "content type kept");
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    char peer[32] = "";
    FILE *f = fopen(ts.log, "r");
    char line[1024];
    int same = 0;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        const char *p = strstr(line, " peer=");
        if (p == NULL || strstr(line, "/http/echo") == NULL)
            continue;
        if (peer[0] == '\0')
            snprintf(peer, sizeof peer, "%.*s",
                     (int)(strcspn(p + 1, " \n") + 1), p);
        else if (strncmp(p, peer, strlen(peer)) == 0)
            same++;
    }
    if (f != NULL)
        fclose(f);
    is_int(same, 1, "keep-alive: the second request reused the connection");
    az_response_free(a.resp);
    az_response_free(b.resp);
}

static void
test_replay_rules(struct az_http *h)
{
    struct got g;
    int before = testserver_count(&ts, "POST", "/http/err500", (char *)NULL);
    fetch(h, "POST", "/http/err500", &g);
    ok(g.resp != NULL && g.resp->status == 500 && g.resp->attempts == 1 &&
           g.waits == 0,
       "POST answered 500: not replayed");
    is_int(testserver_count(&ts, "POST", "/http/err500", (char *)NULL) - before,
           1, "the server saw it once");
    az_response_free(g.resp);

    fetch(h, "POST", "/http/reset", &g);
    ok(g.resp != NULL && g.resp->result == KV_ERR_IO && g.resp->attempts == 1,
       "POST whose connection was reset: KV_ERR_IO, not replayed");
    is_int(testserver_count(&ts, "POST", "/http/reset", (char *)NULL), 1,
           "the server saw it once");
    az_response_free(g.resp);

    fetch(h, "GET", "/http/err500", &g);
    ok(g.resp != NULL && g.resp->status == 500 && g.resp->attempts == 3 &&
           g.waits == 2,
       "GET answered 500: 3 attempts, 2 waits");
    is_int(testserver_count(&ts, "GET", "/http/err500", (char *)NULL), 3,
           "the server saw 3");
    az_response_free(g.resp);

    fetch(h, "GET", "/http/reset", &g);
    ok(g.resp != NULL && g.resp->result == KV_ERR_IO && g.resp->attempts == 3 &&
           g.resp->why != NULL &&
           strstr(g.resp->why, "gave up after 3 attempts") != NULL,
       "GET reset each time: gives up after 3 (%s)",
       g.resp && g.resp->why ? g.resp->why : "");
    az_response_free(g.resp);
}

static void
test_retry_after_forms(struct az_http *h)
{
    struct got g;
    long long ms = fetch(h, "GET", "/http/date429", &g);
    ok(g.resp != NULL && g.resp->status == 200 && g.resp->attempts == 2 &&
           g.resp->throttled,
       "429 with an HTTP-date Retry-After, then 200");
    ok(g.first_delay >= 1000 && ms >= 1000,
       "waited for the date (delay %ld ms, took %lld ms)", g.first_delay, ms);
    az_response_free(g.resp);

    ms = fetch(h, "GET", "/http/ms429", &g);
    ok(g.resp != NULL && g.resp->status == 200 && g.resp->attempts == 2,
       "429 with retry-after-ms, then 200");
    ok(g.first_delay == 700 && ms >= 700,
       "retry-after-ms: 700 honoured (took %lld ms)", ms);
    az_response_free(g.resp);
}

static void
test_tls_and_connect(void)
{
    struct az_http *h = transport(false, 3);
    struct got g;
    fetch(h, "GET", "/http/echo", &g);
    ok(g.resp != NULL && g.resp->result == KV_ERR_TLS && g.resp->attempts == 1,
       "without the test CA: TLS verification fails, not retried (%s)",
       g.resp && g.resp->why ? g.resp->why : "");
    az_response_free(g.resp);
    az_http_free(h);

    h = transport(true, 2);
    memset(&g, 0, sizeof g);
    az_http_send(h, az_request_new("GET", "https://127.0.0.1:1/x"), on_done,
                 on_wait, &g);
    while (!g.done)
        az_http_run(h, 200);
    ok(g.resp != NULL && g.resp->result == KV_ERR_CONNECT &&
           g.resp->attempts == 2 && g.resp->status == 0,
       "a refused connection: KV_ERR_CONNECT after 2 attempts");
    az_response_free(g.resp);

    memset(&g, 0, sizeof g);
    az_http_send(h, az_request_new("GET", "http://127.0.0.1:1/x"), on_done,
                 NULL, &g);
    while (!g.done)
        az_http_run(h, 200);
    ok(g.resp != NULL && g.resp->result == KV_ERR_INVALID &&
           g.resp->attempts == 1,
       "plain http is refused outright");
    az_response_free(g.resp);

    /* cancel: no callback afterwards */
    struct got c1 = {0}, c2 = {0};
    char url[128];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/http/echo", ts.port);
    uint64_t id1 =
        az_http_send(h, az_request_new("GET", url), on_done, NULL, &c1);
    az_http_send(h, az_request_new("GET", url), on_done, NULL, &c2);
    az_http_run(h, 0); /* both started */
    ok(az_http_cancel(h, id1), "cancel a running transfer");
    ok(!az_http_cancel(h, id1), "a second cancel finds nothing");
    long long t = test_now_ms();
    while (!c2.done && test_now_ms() - t < 10000)
        az_http_run(h, 100);
    ok(c2.done && !c1.done, "the other one finishes, the cancelled one "
                            "never calls back");
    az_response_free(c2.resp);
    az_http_free(h);

    char *why = NULL;
    struct az_http_config cfg = {.ca_file = "/nonexistent/ca.pem"};
    ok(az_http_new(&cfg, &why) == NULL && why != NULL &&
           strstr(why, "/nonexistent/ca.pem") != NULL,
       "a missing CA file is an error naming it (%s)", why);
    free(why);
    why = NULL;
    cfg.ca_file = ts.log; /* a file that is no PEM */
    ok(az_http_new(&cfg, &why) == NULL && why != NULL &&
           strstr(why, "no PEM certificate") != NULL,
       "a CA file without certificates is an error (%s)", why);
    free(why);
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
    struct az_http *h = transport(true, 3);
    ok(h != NULL, "transport with the test CA");
    if (h != NULL) {
        test_headers(h);
        test_replay_rules(h);
        test_retry_after_forms(h);
        struct az_http_stats st;
        az_http_stats(h, &st);
        ok(st.requests > st.retries && st.retries >= 6 && st.running == 0,
           "stats: %llu requests, %llu retries",
           (unsigned long long)st.requests, (unsigned long long)st.retries);
        az_http_free(h);
    }
    test_tls_and_connect();
    testserver_stop(&ts);
    return tap_done();
}
