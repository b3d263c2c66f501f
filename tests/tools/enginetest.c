/*
 * enginetest.c — helpers for the worker tests (see enginetest.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tools/enginetest.h"

static struct secret *the_secret;

void
enginetest_config(const struct testserver *ts, struct engine_config *c)
{
    memset(c, 0, sizeof *c);
    if (the_secret == NULL)
        the_secret = secret_dup("s3cret-value", 12);
    c->cloud = ts->cloud;
    c->ca_file = ts->ca;
    c->tenant_id = "tenant-1";
    c->client_id = "client-1";
    c->client_secret = the_secret;
    c->no_environment = true;
    c->connect_timeout_ms = 3000;
    c->timeout_ms = 20000;
    c->retry_base_ms = 100;
    c->max_attempts = 3;
}

void
enginetest_cleanup(void)
{
    secret_free(the_secret);
    the_secret = NULL;
}

void
outcome_run(struct engine *e, struct job *job, int timeout_ms,
            struct outcome *o)
{
    memset(o, 0, sizeof *o);
    long long start = test_now_ms(), until = start + timeout_ms;
    o->id = engine_submit(e, job);
    while (o->end == NULL && test_now_ms() < until) {
        struct result *r = engine_wait_result(e, 100);
        if (r == NULL)
            continue;
        if (r->job_id != o->id) {
            printf("# stray result of job %llu\n",
                   (unsigned long long)r->job_id);
            result_free(r);
            continue;
        }
        switch (r->type) {
        case RESULT_PAGE:
            o->items += r->items.len;
            vec_push(&o->pages, r);
            break;
        case RESULT_PROGRESS:
            vec_push(&o->progress, r);
            break;
        default:
            o->end = r;
            break;
        }
    }
    o->ms = test_now_ms() - start;
}

void *
outcome_item(const struct outcome *o, size_t i)
{
    for (size_t p = 0; p < o->pages.len; p++) {
        const struct result *r = o->pages.items[p];
        if (i < r->items.len)
            return r->items.items[i];
        i -= r->items.len;
    }
    return NULL;
}

const char *
outcome_progress(const struct outcome *o, const char *text)
{
    for (size_t i = 0; i < o->progress.len; i++) {
        const struct result *r = o->progress.items[i];
        if (r->message != NULL && strstr(r->message, text) != NULL)
            return r->message;
    }
    return NULL;
}

static void
free_result(void *r)
{
    result_free(r);
}

void
outcome_free(struct outcome *o)
{
    vec_free_all(&o->pages, free_result);
    vec_free_all(&o->progress, free_result);
    result_free(o->end);
    memset(o, 0, sizeof *o);
}

void
enginetest_no_proxy(void)
{
    const char *vars[] = {"http_proxy", "https_proxy", "HTTPS_PROXY",
                          "all_proxy",  "ALL_PROXY",   "HTTP_PROXY"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
}
