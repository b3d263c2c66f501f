/*
 * enginetest.h — helpers for the worker tests: an engine configured for
 * kvtest-server.py, and collecting the results of one job.
 */
#ifndef KV_TESTS_ENGINETEST_H
#define KV_TESTS_ENGINETEST_H

#include <stdbool.h>

#include "engine/engine.h"
#include "tests/tools/testserver.h"

/* Everything one job produced, in order. */
struct outcome {
    struct vec pages;    /* struct result * of type PAGE */
    struct vec progress; /* struct result * of type PROGRESS */
    struct result *end;  /* DONE or ERROR; NULL on timeout */
    size_t items;        /* items over all pages */
    long long ms;        /* from submit to the end */
    uint64_t id;
};

/* A config for the test server: its cloud file, its CA, its service
 * principal, short back-off (100 ms base), 3 attempts. */
void enginetest_config(const struct testserver *ts, struct engine_config *c);
/* The client secret the config points to (owned by the helper). */
void enginetest_cleanup(void);

/* Submits job and waits (up to timeout_ms) for its terminal result. */
void outcome_run(struct engine *e, struct job *job, int timeout_ms,
                 struct outcome *o);
/* Item i over all pages (NULL past the end). */
void *outcome_item(const struct outcome *o, size_t i);
/* A PROGRESS message containing text, or NULL. */
const char *outcome_progress(const struct outcome *o, const char *text);
void outcome_free(struct outcome *o);

/* Removes proxy variables so that nothing leaves 127.0.0.1. */
void enginetest_no_proxy(void);

#endif
