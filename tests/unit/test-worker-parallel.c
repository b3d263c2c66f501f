/*
 * test-worker-parallel.c — 200 jobs at once through one engine against
 * tests/tools/kvtest-server.py (each answer delayed 50 ms): every job
 * gets its own answer, the server sees many requests in flight at once,
 * and one token serves them all.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "engine/engine.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"

#define JOBS 200

int
main(void)
{
    static struct testserver ts;
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
    c.max_parallel = 32;
    struct engine *e = engine_new(&c, &why);
    ok(e != NULL, "engine starts");

    static uint64_t ids[JOBS];
    static int tags[JOBS], pages[JOBS], done[JOBS], right[JOBS];
    for (int i = 0; i < JOBS; i++) {
        char sub[32];
        snprintf(sub, sizeof sub, "par-%d", i);
        struct job *j = job_list_groups(sub);
        tags[i] = i;
        j->tag = &tags[i];
        j->generation = (uint64_t)i + 1000;
        ids[i] = engine_submit(e, j);
    }
    bool distinct = true;
    for (int i = 1; i < JOBS; i++)
        if (ids[i] <= ids[i - 1])
            distinct = false;
    ok(distinct && ids[0] != 0, "job ids are distinct and increasing");

    int finished = 0, errors = 0, bad_tag = 0;
    long long until = test_now_ms() + 120000;
    while (finished < JOBS && test_now_ms() < until) {
        struct result *r = engine_wait_result(e, 200);
        if (r == NULL)
            continue;
        int i = (int)(r->tag != NULL ? *(int *)r->tag : -1);
        if (i < 0 || i >= JOBS || r->job_id != ids[i] ||
            r->generation != (uint64_t)i + 1000) {
            bad_tag++;
        } else if (r->type == RESULT_PAGE) {
            char want[32];
            snprintf(want, sizeof want, "rg-%d", i);
            pages[i]++;
            const struct kv_group *g = vec_get(&r->items, 0);
            if (r->items.len == 1 && g != NULL && str_eq(g->name, want))
                right[i]++;
        } else if (r->type == RESULT_DONE || r->type == RESULT_ERROR) {
            if (r->type == RESULT_ERROR) {
                errors++;
                printf("# job %d: %s\n", i, r->message);
            }
            done[i]++;
            finished++;
        }
        result_free(r);
    }
    int ok_jobs = 0;
    for (int i = 0; i < JOBS; i++)
        if (done[i] == 1 && pages[i] == 1 && right[i] == 1)
            ok_jobs++;
    is_int(finished, JOBS, "every job finished");
    is_int(errors, 0, "none failed");
    is_int(bad_tag, 0, "every result carried its job's id, tag, generation");
    is_int(ok_jobs, JOBS, "each got exactly one page with its own group");
    int peak = testserver_max_inflight(&ts);
    ok(peak >= 8, "the server had %d requests in flight at once", peak);
    is_int(testserver_count(&ts, "oauth2/v2.0/token", (char *)NULL), 1,
           "one token request served all 200 jobs");
    struct engine_stats st;
    engine_stats(e, &st);
    ok(st.jobs == 0 && st.in_flight == 0, "nothing left running");
    ok(st.requests >= JOBS + 1, "%llu HTTP requests made",
       (unsigned long long)st.requests);
    engine_free(e);
    enginetest_cleanup();
    testserver_stop(&ts);
    return tap_done();
}
