/*
 * retry.h — the retry policy as a pure function: given what happened to
 * one attempt of a request, decide whether to try again and after how
 * long (DESIGN.md §4).
 *
 *  - 429 and 503 honour Retry-After (delta seconds or an HTTP date);
 *    without it they back off like other server errors.
 *  - 408, 500, 502, 503, 504 and connection errors (refused, reset, a
 *    body cut short, timeouts) get capped exponential back-off with
 *    "equal jitter": a delay in [d/2, d], d = min(cap, base * 2^(n-1)).
 *  - Requests that are not idempotent (POST, PATCH) are never replayed,
 *    unless the caller marks one as safe (a token request is).
 *  - A request marked no_replay (a data-plane secret PUT: each one makes
 *    a version) is re-sent only when the service surely did not process
 *    it: the connection was never established (DNS, refused, connect
 *    timeout) or the answer was 429. Anything else after it may have
 *    reached the server is final.
 *  - Ambiguity: when a request that is not replayable (no_replay, or a
 *    POST/PATCH not vouched for) ends after it may have reached the
 *    server with no answer (reset, cut short, timeout) or with a 5xx or
 *    408, the decision says `ambiguous`: the write may have landed.
 *
 *    replayable request (GET, HEAD, PUT, DELETE; safe POST):
 *      connect/DNS/connect timeout, reset, timeout, 408, 429, 500, 502,
 *      503, 504 -> retried within the budget; never ambiguous
 *    no_replay request (data-plane secret PUT):
 *      not reached (DNS, refused, connect timeout)  -> retried
 *      429                                         -> retried
 *      reset / cut short / timeout after sending    -> final, ambiguous
 *      5xx, 408                                    -> final, ambiguous
 *      TLS failure                                 -> final, not ambiguous
 *      other 4xx                                   -> final, not ambiguous
 *    POST / PATCH (not safe): never retried; ambiguous as no_replay
 *  - A budget: at most max_attempts attempts, and at most
 *    max_total_wait_ms spent waiting; a Retry-After beyond the budget
 *    ends the request instead of waiting.
 *  - TLS failures, 4xx other than 408/429, and a too large body are final.
 */
#ifndef KV_AZURE_RETRY_H
#define KV_AZURE_RETRY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"

struct az_retry_policy {
    int max_attempts;       /* including the first; >= 1 */
    long base_ms;           /* first back-off step */
    long cap_ms;            /* largest single back-off */
    long max_total_wait_ms; /* budget of waiting per request */
};

/* Defaults: 4 attempts, 800 ms base, 30 s cap, 120 s budget. */
struct az_retry_policy az_retry_default(void);

/* What happened to the attempt that just ended. */
struct az_retry_input {
    const char *method;       /* "GET", "PUT", ... */
    bool safe_to_replay;      /* caller vouches for a POST/PATCH */
    bool no_replay;           /* never re-send once it may have landed */
    bool reached;             /* transport failure after the connection
                                 was up: the request may have been sent */
    enum kv_status transport; /* KV_OK when an HTTP answer arrived */
    long http_status;         /* the answer's status (when transport OK) */
    const char *retry_after;  /* Retry-After header value or NULL */
    int attempts;             /* attempts made so far (>= 1) */
    long waited_ms;           /* back-off already spent on this request */
    int64_t now;              /* wall clock, unix seconds (HTTP dates) */
    uint32_t random;          /* uniformly random bits for the jitter */
};

struct az_retry_decision {
    bool retry;
    long delay_ms;      /* when retry: wait this long first */
    bool throttled;     /* the server asked us to slow down (429) */
    bool budget_spent;  /* retryable, but attempts or wait budget ran out */
    bool ambiguous;     /* final, not replayable, and it may have landed */
    const char *reason; /* static: "throttled (429)", "connection reset" ... */
};

struct az_retry_decision az_retry_decide(const struct az_retry_policy *p,
                                         const struct az_retry_input *in);

/* True for methods that may be sent twice with the same effect. */
bool az_retry_idempotent(const char *method);
/* True if the transport may send the request again after it may have
 * reached the server: an idempotent method or safe_to_replay, and not
 * no_replay. */
bool az_retry_replayable(const char *method, bool safe_to_replay,
                         bool no_replay);
/* Parses a Retry-After value: delta seconds ("4", "4.5") or an HTTP date
 * ("Wed, 21 Oct 2015 07:28:00 GMT"). *ms is the wait from now (>= 0).
 * Returns false if the value is unreadable. */
bool az_retry_parse_after(const char *value, int64_t now, long *ms);
/* The back-off for attempt number attempts (1 = after the first try),
 * jittered with random; exposed for tests. */
long az_retry_backoff(const struct az_retry_policy *p, int attempts,
                      uint32_t random);

#endif
