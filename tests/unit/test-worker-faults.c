/*
 * test-worker-faults.c — the engine when the network misbehaves, over
 * real HTTPS against tests/tools/kvtest-server.py: 429 with Retry-After,
 * 503 then success, a 500 that stays, a connection reset, a body cut
 * short, a 10 MB body (and the body limit), a server that never answers,
 * cancellation mid-flight, and shutdown with work in flight. Times are
 * checked as lower bounds only.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "engine/engine.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"

static struct testserver ts;

static int
hits(const char *sub)
{
    char path[128];
    snprintf(path, sizeof path, "/subscriptions/%s/resourcegroups?", sub);
    return testserver_count(&ts, path, (char *)NULL);
}

static void
test_throttle(struct engine *e)
{
    struct outcome o;
    outcome_run(e, job_list_groups("throttle"), 20000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items == 3,
       "429 then 200: the job succeeds");
    const char *msg = outcome_progress(&o, "429");
    ok(msg != NULL && strstr(msg, "retrying in 1 s") != NULL,
       "a PROGRESS result says why and how long (%s)", msg ? msg : "none");
    const struct result *p = o.progress.len ? o.progress.items[0] : NULL;
    ok(p != NULL && p->retry_at_ms > 0, "with the time of the next attempt");
    ok(o.ms >= 1000, "Retry-After: 1 was honoured (%lld ms)", o.ms);
    is_int(hits("throttle"), 2, "two requests reached the server");
    outcome_free(&o);
    struct engine_stats st;
    engine_stats(e, &st);
    ok(st.retries >= 1, "stats count the retry");
}

static void
test_unavailable(struct engine *e)
{
    struct outcome o;
    outcome_run(e, job_list_groups("unavail"), 20000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE,
       "503 then 200: the job succeeds");
    ok(outcome_progress(&o, "503") != NULL, "progress names the 503");
    ok(o.ms >= 50, "after a back-off of at least base/2 (%lld ms)", o.ms);
    is_int(hits("unavail"), 2, "two requests");
    outcome_free(&o);
}

static void
test_server_error(struct engine *e)
{
    struct outcome o;
    outcome_run(e, job_list_groups("err500"), 20000, &o);
    ok(o.end != NULL && o.end->type == RESULT_ERROR &&
           o.end->status == KV_ERR_HTTP && o.end->http_status == 500,
       "a lasting 500: ERROR with the HTTP status");
    is_str(o.end != NULL ? o.end->error_code : NULL, "InternalServerError",
           "and the error code");
    is_int(o.end != NULL ? o.end->attempts : 0, 3, "after 3 attempts");
    is_int(hits("err500"), 3, "3 requests reached the server");
    is_int(o.progress.len, 2, "two PROGRESS results before giving up");
    ok(o.ms >= 100 + 200 - 150, "backed off in between (%lld ms)", o.ms);
    outcome_free(&o);
}

static void
test_broken_connections(struct engine *e)
{
    struct outcome o;
    outcome_run(e, job_list_groups("reset"), 20000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items == 3,
       "a connection reset mid-response is retried and succeeds");
    ok(outcome_progress(&o, "reset") != NULL, "progress says reset (%s)",
       o.progress.len ? ((struct result *)o.progress.items[0])->message
                      : "none");
    is_int(hits("reset"), 2, "two requests");
    outcome_free(&o);

    outcome_run(e, job_list_groups("cut"), 20000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items == 3,
       "a body cut short is retried and succeeds");
    is_int(hits("cut"), 2, "two requests");
    outcome_free(&o);
}

static void
test_big(struct engine *e)
{
    struct outcome o;
    outcome_run(e, job_list_groups("big"), 60000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE, "a 10 MB page is read");
    is_int(o.items, 40000, "all 40000 groups decoded");
    const struct kv_group *g = outcome_item(&o, 39999);
    is_str(g != NULL ? g->name : NULL, "rg-39999", "the last one intact");
    outcome_free(&o);

    struct engine_config c;
    char *why = NULL;
    enginetest_config(&ts, &c);
    c.max_body = 1 << 20;
    struct engine *small = engine_new(&c, &why);
    int before = hits("big");
    outcome_run(small, job_list_groups("big"), 60000, &o);
    ok(o.end != NULL && o.end->type == RESULT_ERROR &&
           o.end->status == KV_ERR_TOO_LARGE,
       "over the body limit: ERROR too large");
    ok(o.end != NULL && o.end->message != NULL &&
           strstr(o.end->message, "1 MiB limit") != NULL,
       "the message says so (%s)",
       o.end != NULL && o.end->message ? o.end->message : "");
    is_int(hits("big") - before, 1, "not retried");
    outcome_free(&o);
    engine_free(small);
}

static void
test_hang(void)
{
    struct engine_config c;
    struct outcome o;
    char *why = NULL;
    enginetest_config(&ts, &c);
    /* Generous enough that a fresh TLS handshake under ASan on a loaded
     * two-core machine still reaches the server inside each attempt. */
    c.timeout_ms = 2500;
    c.max_attempts = 2;
    struct engine *e = engine_new(&c, &why);
    outcome_run(e, job_list_groups("hang"), 30000, &o);
    ok(o.end != NULL && o.end->type == RESULT_ERROR &&
           o.end->status == KV_ERR_TIMEOUT,
       "a server that never answers: ERROR timed out");
    ok(o.ms >= 5000, "after two attempts of the 2.5 s timeout (%lld ms)",
       o.ms);
    is_int(hits("hang"), 2, "both attempts reached the server");
    ok(o.end != NULL && o.end->message != NULL &&
           strstr(o.end->message, "gave up after 2 attempts") != NULL,
       "the message says it gave up (%s)",
       o.end != NULL && o.end->message ? o.end->message : "");
    outcome_free(&o);
    engine_free(e);
}

static void
test_cancel(struct engine *e)
{
    struct job *j = job_list_groups("slow");
    uint64_t id = engine_submit(e, j);
    ok(id != 0, "submitted a slow job");
    ok(testserver_wait_for(&ts, 5000, "/subscriptions/slow/", NULL),
       "the request reached the server");
    engine_cancel(e, id);
    long long until = test_now_ms() + 4000; /* the server answers at 3 s */
    int seen = 0;
    while (test_now_ms() < until) {
        struct result *r = engine_wait_result(e, 100);
        if (r != NULL) {
            seen++;
            result_free(r);
        }
    }
    is_int(seen, 0,
           "no result of a cancelled job, even after the answer "
           "would have come");
    struct engine_stats st;
    engine_stats(e, &st);
    ok(st.jobs == 0 && st.in_flight == 0,
       "the job and its transfer are gone (jobs %u, in flight %u)", st.jobs,
       st.in_flight);

    /* cancelled before the worker saw it */
    id = engine_submit(e, job_list_groups("slow"));
    engine_cancel(e, id);
    struct result *r = engine_wait_result(e, 500);
    ok(r == NULL, "cancelled at once: nothing comes back");
    result_free(r);

    /* results already queued are dropped */
    id = engine_submit(e, job_list_groups("plain"));
    long long t = test_now_ms();
    while (test_now_ms() - t < 5000) {
        struct engine_stats s2;
        engine_stats(e, &s2);
        if (s2.jobs == 0)
            break;
        usleep(20000);
    }
    engine_cancel(e, id);
    r = engine_next_result(e);
    ok(r == NULL, "a finished job's queued results are dropped on cancel");
    result_free(r);
    char b;
    ok(read(engine_wake_fd(e), &b, 1) < 0, "and the wake pipe is empty");
}

static void
test_shutdown(void)
{
    struct engine_config c;
    char *why = NULL;
    enginetest_config(&ts, &c);
    struct engine *e = engine_new(&c, &why);
    for (int i = 0; i < 20; i++)
        engine_submit(e, job_list_groups("slow"));
    engine_submit(e, job_list_groups("hang"));
    engine_submit(e, job_list_groups("throttle"));
    ok(testserver_wait_for(&ts, 5000, "/subscriptions/slow/", NULL),
       "work is in flight");
    long long t = test_now_ms();
    engine_free(e);
    ok(true, "engine_free returns with work in flight (%lld ms)",
       test_now_ms() - t);

    /* and with jobs the worker has not even taken yet */
    e = engine_new(&c, &why);
    for (int i = 0; i < 50; i++)
        engine_submit(e, job_list_subscriptions());
    engine_free(e);
    ok(true, "engine_free right after submitting");
}

int
main(void)
{
    const char *skip = NULL;
    enginetest_no_proxy();
    int rc = testserver_start(&ts, &skip);
    if (rc == 77)
        tap_skip_all("%s", skip);
    if (rc != 0) {
        printf("not ok 1 - test server: %s\n1..1\n", skip);
        return 1;
    }
    struct engine_config c;
    char *why = NULL;
    enginetest_config(&ts, &c);
    struct engine *e = engine_new(&c, &why);
    ok(e != NULL, "engine starts");
    if (e != NULL) {
        test_throttle(e);
        test_unavailable(e);
        test_server_error(e);
        test_broken_connections(e);
        test_big(e);
        test_cancel(e);
        engine_free(e);
    }
    test_hang();
    test_shutdown();
    enginetest_cleanup();
    testserver_stop(&ts);
    return tap_done();
}
