/*
 * testserver.h — starts tests/tools/kvtest-server.py (a fake Azure over
 * HTTPS on 127.0.0.1 with a throw-away CA) for the worker tests, and
 * reads what it saw.
 */
#ifndef KV_TESTS_TESTSERVER_H
#define KV_TESTS_TESTSERVER_H

#include <stdbool.h>
#include <sys/types.h>

struct testserver {
    pid_t pid;
    int in_fd; /* the server's stdin; closing it stops the server */
    int port;
    char dir[256];
    char ca[320];    /* DIR/ca.pem */
    char cloud[320]; /* DIR/cloud.json */
    char log[320];   /* DIR/requests.log */
};

/* Starts the server. Returns 0 when it is ready, 77 when python3 or
 * openssl is missing (why says which), -1 on failure (why says why). */
int testserver_start(struct testserver *ts, const char **why);
/* Stops it and removes its directory. */
void testserver_stop(struct testserver *ts);
/* Lines of the request log containing every one of the given words
 * (NULL-terminated). */
int testserver_count(const struct testserver *ts, ...);
/* The highest number of requests the server had in flight at once. */
int testserver_max_inflight(const struct testserver *ts);
/* Waits up to ms for a log line with the words; true if it came. */
bool testserver_wait_for(const struct testserver *ts, int ms, const char *w1,
                         const char *w2);

/* Milliseconds on the monotonic clock. */
long long test_now_ms(void);

#endif
