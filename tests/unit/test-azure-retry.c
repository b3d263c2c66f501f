/*
 * test-azure-retry.c — the retry policy as a pure function: Retry-After
 * in both forms, back-off bounds with jitter, what is retried and what is
 * never replayed, the budget, and the no_replay/ambiguity table of
 * retry.h row by row.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "azure/retry.h"
#include "tests/tap.h"

static struct az_retry_input
input(const char *method, enum kv_status transport, long status,
      const char *retry_after, int attempts)
{
    struct az_retry_input in = {
        .method = method,
        .transport = transport,
        .http_status = status,
        .retry_after = retry_after,
        .attempts = attempts,
        .waited_ms = 0,
        .now = 1700000000,
        .random = 12345,
    };
    return in;
}

static void
test_retry_after(void)
{
    long ms = -1;
    ok(az_retry_parse_after("4", 0, &ms) && ms == 4000, "delta seconds");
    ok(az_retry_parse_after(" 2.5 ", 0, &ms) && ms == 2500,
       "fractional seconds with blanks");
    ok(az_retry_parse_after("0", 0, &ms) && ms == 0, "zero");
    /* Tue, 14 Nov 2023 22:13:20 GMT == 1700000000 */
    ok(az_retry_parse_after("Tue, 14 Nov 2023 22:13:30 GMT", 1700000000, &ms) &&
           ms == 10000,
       "an HTTP date 10 s ahead");
    ok(az_retry_parse_after("Tue, 14 Nov 2023 22:13:00 GMT", 1700000000, &ms) &&
           ms == 0,
       "an HTTP date in the past means now");
    /* found by tests/fuzz/fuzz-url: the year overflowed the ms */
    ok(!az_retry_parse_after("Wed,1Oct206666666615 7:8:0T", 0, &ms),
       "a date with a year past 9999 is refused");
    ok(az_retry_parse_after("Fri, 31 Dec 9999 23:59:59 GMT", 0, &ms) &&
           ms == 86400L * 365 * 1000,
       "an HTTP date far ahead waits a year at most");
    ok(!az_retry_parse_after("soon", 0, &ms), "junk is refused");
    ok(!az_retry_parse_after("-3", 0, &ms), "negative is refused");
    ok(!az_retry_parse_after("5 apples", 0, &ms), "trailing junk refused");
    ok(!az_retry_parse_after("Tue, 14 Foo 2023 22:13:30 GMT", 0, &ms),
       "bad month refused");
    ok(!az_retry_parse_after(NULL, 0, &ms), "absent header");
}

static void
test_decisions(void)
{
    struct az_retry_policy p = az_retry_default();
    struct az_retry_input in;
    struct az_retry_decision d;

    in = input("GET", KV_OK, 200, NULL, 1);
    d = az_retry_decide(&p, &in);
    ok(!d.retry && !d.budget_spent, "200 is final");

    in = input("GET", KV_OK, 429, "3", 1);
    d = az_retry_decide(&p, &in);
    ok(d.retry && d.delay_ms == 3000 && d.throttled,
       "429 + Retry-After: 3 -> wait exactly 3 s, throttled");

    in = input("GET", KV_OK, 429, "Tue, 14 Nov 2023 22:13:25 GMT", 1);
    d = az_retry_decide(&p, &in);
    ok(d.retry && d.delay_ms == 5000, "429 + HTTP-date Retry-After");

    in = input("GET", KV_OK, 503, "1", 2);
    d = az_retry_decide(&p, &in);
    ok(d.retry && d.delay_ms == 1000, "503 + Retry-After honoured");
    /* issue 11: the status bar said "throttled" while a 503 was waited
     * out; a 503 is the service unavailable, not throttling */
    ok(!d.throttled, "503 is not throttling");
    is_str(d.reason, "service unavailable (503)", "503 is labelled so");

    in = input("GET", KV_OK, 503, NULL, 1);
    d = az_retry_decide(&p, &in);
    ok(d.retry && d.delay_ms >= p.base_ms / 2 && d.delay_ms <= p.base_ms,
       "503 without Retry-After backs off (%ld ms)", d.delay_ms);

    in = input("GET", KV_OK, 429, NULL, 1);
    d = az_retry_decide(&p, &in);
    ok(d.retry && d.throttled && d.delay_ms <= p.base_ms,
       "429 without Retry-After backs off");

    long codes[] = {500, 502, 504, 408};
    for (size_t i = 0; i < 4; i++) {
        in = input("GET", KV_OK, codes[i], NULL, 1);
        d = az_retry_decide(&p, &in);
        ok(d.retry && !d.throttled, "%ld is retried", codes[i]);
    }
    long final[] = {400, 401, 403, 404, 409, 412, 501};
    for (size_t i = 0; i < 7; i++) {
        in = input("GET", KV_OK, final[i], NULL, 1);
        d = az_retry_decide(&p, &in);
        ok(!d.retry, "%ld is final", final[i]);
    }

    enum kv_status again[] = {KV_ERR_CONNECT, KV_ERR_TIMEOUT, KV_ERR_IO};
    for (size_t i = 0; i < 3; i++) {
        in = input("GET", again[i], 0, NULL, 1);
        d = az_retry_decide(&p, &in);
        ok(d.retry && d.reason != NULL, "%s is retried (%s)",
           kv_status_name(again[i]), d.reason);
    }
    enum kv_status never[] = {KV_ERR_TLS, KV_ERR_TOO_LARGE, KV_ERR_INVALID};
    for (size_t i = 0; i < 3; i++) {
        in = input("GET", never[i], 0, NULL, 1);
        d = az_retry_decide(&p, &in);
        ok(!d.retry, "%s is final", kv_status_name(never[i]));
    }
}

static void
test_not_idempotent(void)
{
    struct az_retry_policy p = az_retry_default();
    const char *methods[] = {"POST", "PATCH", "post"};
    for (size_t i = 0; i < 3; i++) {
        struct az_retry_input in = input(methods[i], KV_OK, 503, "1", 1);
        ok(!az_retry_decide(&p, &in).retry, "%s is never replayed on 503",
           methods[i]);
        in = input(methods[i], KV_ERR_IO, 0, NULL, 1);
        ok(!az_retry_decide(&p, &in).retry,
           "%s is never replayed after a reset", methods[i]);
        in = input(methods[i], KV_OK, 429, "1", 1);
        ok(!az_retry_decide(&p, &in).retry, "%s is never replayed on 429",
           methods[i]);
    }
    struct az_retry_input in = input("POST", KV_ERR_IO, 0, NULL, 1);
    in.safe_to_replay = true;
    ok(az_retry_decide(&p, &in).retry,
       "a POST the caller vouches for (token grant) is retried");
    const char *idem[] = {"GET", "PUT", "DELETE", "HEAD"};
    for (size_t i = 0; i < 4; i++) {
        in = input(idem[i], KV_ERR_IO, 0, NULL, 1);
        ok(az_retry_decide(&p, &in).retry, "%s is retried", idem[i]);
    }
    ok(az_retry_idempotent("get") && !az_retry_idempotent("PATCH"),
       "idempotence by method, case-insensitive");
}

static void
test_backoff_bounds(void)
{
    struct az_retry_policy p = {.max_attempts = 10,
                                .base_ms = 800,
                                .cap_ms = 30000,
                                .max_total_wait_ms = 1000000};
    bool bounds = true, spread = false;
    for (int attempt = 1; attempt <= 9; attempt++) {
        long full = 800L << (attempt - 1);
        if (full > 30000)
            full = 30000;
        long lo = 1L << 30, hi = 0;
        for (uint32_t r = 0; r < 2000; r++) {
            uint32_t rnd = r * 2654435761u;
            long d = az_retry_backoff(&p, attempt, rnd);
            if (d < full / 2 || d > full)
                bounds = false;
            if (d < lo)
                lo = d;
            if (d > hi)
                hi = d;
        }
        if (hi - lo > full / 4)
            spread = true;
        if (attempt == 7)
            ok(hi <= 30000 && lo >= 15000,
               "attempt 7: capped at 30 s, never below half (%ld..%ld)", lo,
               hi);
    }
    ok(bounds, "every back-off lies in [d/2, d], d = min(cap, base*2^n)");
    ok(spread, "jitter spreads the delays");
    ok(az_retry_backoff(&p, 1, 0) == 400 && az_retry_backoff(&p, 1, 400) == 800,
       "attempt 1 ranges over 400..800 ms exactly");
    ok(az_retry_backoff(&p, 60, 7) <= 30000,
       "huge attempt numbers stay capped");
}

static void
test_budget(void)
{
    struct az_retry_policy p = {.max_attempts = 3,
                                .base_ms = 100,
                                .cap_ms = 1000,
                                .max_total_wait_ms = 5000};
    struct az_retry_input in = input("GET", KV_OK, 500, NULL, 2);
    ok(az_retry_decide(&p, &in).retry, "attempt 2 of 3 may retry");
    in.attempts = 3;
    struct az_retry_decision d = az_retry_decide(&p, &in);
    ok(!d.retry && d.budget_spent, "attempt 3 of 3 is the last");

    in = input("GET", KV_OK, 429, "10", 1);
    d = az_retry_decide(&p, &in);
    ok(!d.retry && d.budget_spent,
       "a Retry-After beyond the wait budget ends the request");

    in = input("GET", KV_OK, 429, "2", 1);
    in.waited_ms = 4000;
    d = az_retry_decide(&p, &in);
    ok(!d.retry && d.budget_spent, "waits add up against the budget");
    in.waited_ms = 2000;
    ok(az_retry_decide(&p, &in).retry, "within the budget it waits");

    struct az_retry_policy big = az_retry_default();
    in = input("GET", KV_OK, 429, "3600", 1);
    big.max_total_wait_ms = 10L * 3600 * 1000;
    ok(!az_retry_decide(&big, &in).retry,
       "an hour-long Retry-After is not waited out");
}

/* One row of the decision table in retry.h. */
struct row {
    const char *method;
    bool no_replay;
    enum kv_status transport;
    bool reached;
    long status;
    const char *retry_after;
    bool retry;
    bool ambiguous;
    const char *what;
};

static void
test_replay_table(void)
{
    static const struct row rows[] = {
        /* a data-plane secret PUT */
        {"PUT", true, KV_ERR_CONNECT, false, 0, NULL, true, false,
         "no_replay PUT, connection refused/DNS: retried"},
        {"PUT", true, KV_ERR_TIMEOUT, false, 0, NULL, true, false,
         "no_replay PUT, connect timeout (never connected): retried"},
        {"PUT", true, KV_ERR_IO, false, 0, NULL, true, false,
         "no_replay PUT, reset before the connection was up: retried"},
        {"PUT", true, KV_OK, true, 429, "1", true, false,
         "no_replay PUT, 429 + Retry-After: retried"},
        {"PUT", true, KV_OK, true, 429, NULL, true, false,
         "no_replay PUT, 429 without Retry-After: retried"},
        {"PUT", true, KV_ERR_IO, true, 0, NULL, false, true,
         "no_replay PUT, reset after sending: final, ambiguous"},
        {"PUT", true, KV_ERR_TIMEOUT, true, 0, NULL, false, true,
         "no_replay PUT, timeout after sending: final, ambiguous"},
        {"PUT", true, KV_ERR_TOO_LARGE, true, 0, NULL, false, true,
         "no_replay PUT, answer too large: final, ambiguous"},
        {"PUT", true, KV_OK, true, 503, "1", false, true,
         "no_replay PUT, 503 + Retry-After: final, ambiguous"},
        {"PUT", true, KV_OK, true, 500, NULL, false, true,
         "no_replay PUT, 500: final, ambiguous"},
        {"PUT", true, KV_OK, true, 502, NULL, false, true,
         "no_replay PUT, 502: final, ambiguous"},
        {"PUT", true, KV_OK, true, 504, NULL, false, true,
         "no_replay PUT, 504: final, ambiguous"},
        {"PUT", true, KV_OK, true, 501, NULL, false, true,
         "no_replay PUT, 501: final, ambiguous"},
        {"PUT", true, KV_OK, true, 408, NULL, false, true,
         "no_replay PUT, 408: final, ambiguous"},
        {"PUT", true, KV_ERR_TLS, false, 0, NULL, false, false,
         "no_replay PUT, TLS failure: final, not ambiguous"},
        {"PUT", true, KV_OK, true, 409, NULL, false, false,
         "no_replay PUT, 409: final, not ambiguous"},
        {"PUT", true, KV_OK, true, 400, NULL, false, false,
         "no_replay PUT, 400: final, not ambiguous"},
        {"PUT", true, KV_OK, true, 200, NULL, false, false,
         "no_replay PUT, 200: success"},
        /* an ARM PUT of a whole resource, a DELETE: idempotent */
        {"PUT", false, KV_ERR_IO, true, 0, NULL, true, false,
         "ARM PUT, reset after sending: retried"},
        {"PUT", false, KV_OK, true, 503, NULL, true, false,
         "ARM PUT, 503: retried"},
        {"DELETE", false, KV_ERR_TIMEOUT, true, 0, NULL, true, false,
         "DELETE, timeout: retried"},
        {"PUT", false, KV_OK, true, 501, NULL, false, false,
         "ARM PUT, 501: final, not ambiguous (replayable)"},
        /* POST and PATCH keep their rule: never replayed */
        {"POST", false, KV_ERR_CONNECT, false, 0, NULL, false, false,
         "POST, connection refused: not retried, not ambiguous"},
        {"POST", false, KV_OK, true, 429, "1", false, false,
         "POST, 429: not retried, not ambiguous"},
        {"POST", false, KV_ERR_IO, true, 0, NULL, false, true,
         "POST, reset after sending: not retried, ambiguous"},
        {"PATCH", false, KV_OK, true, 500, NULL, false, true,
         "PATCH, 500: not retried, ambiguous"},
        {"PATCH", false, KV_OK, true, 404, NULL, false, false,
         "PATCH, 404: not ambiguous"},
    };
    struct az_retry_policy p = az_retry_default();
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row *r = &rows[i];
        struct az_retry_input in =
            input(r->method, r->transport, r->status, r->retry_after, 1);
        in.no_replay = r->no_replay;
        in.reached = r->reached;
        struct az_retry_decision d = az_retry_decide(&p, &in);
        ok(d.retry == r->retry && d.ambiguous == r->ambiguous, "%s", r->what);
    }

    /* the budget running out on a 429 is not ambiguous; on a retried
     * unreached failure neither */
    struct az_retry_input in = input("PUT", KV_OK, 429, "1", 4);
    in.no_replay = true;
    struct az_retry_decision d = az_retry_decide(&p, &in);
    ok(!d.retry && d.budget_spent && !d.ambiguous,
       "no_replay PUT, 429 on the last attempt: given up, not ambiguous");
    in = input("PUT", KV_ERR_CONNECT, 0, NULL, 4);
    in.no_replay = true;
    d = az_retry_decide(&p, &in);
    ok(!d.retry && d.budget_spent && !d.ambiguous,
       "no_replay PUT, refused on the last attempt: not ambiguous");
    in = input("POST", KV_ERR_IO, 0, NULL, 1);
    in.safe_to_replay = true;
    in.no_replay = true;
    in.reached = true;
    ok(!az_retry_decide(&p, &in).retry,
       "no_replay wins over safe_to_replay (reset after sending)");
    ok(az_retry_replayable("PUT", false, false) &&
           !az_retry_replayable("PUT", false, true) &&
           az_retry_replayable("POST", true, false) &&
           !az_retry_replayable("PATCH", false, false),
       "az_retry_replayable");
}

int
main(void)
{
    test_retry_after();
    test_decisions();
    test_not_idempotent();
    test_backoff_bounds();
    test_budget();
    test_replay_table();
    return tap_done();
}
