/*
 * retry.c — the retry policy (see retry.h). No I/O, no clock, no random
 * source of its own: everything comes in through struct az_retry_input so
 * that tests can check every decision.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "azure/retry.h"
#include "base/i18n.h"
#include "base/str.h"

/* Retry-After is honoured up to this; longer asks end the request. */
#define RETRY_AFTER_MAX_MS (10L * 60 * 1000)

struct az_retry_policy
az_retry_default(void)
{
    struct az_retry_policy p = {
        .max_attempts = 4,
        .base_ms = 800,
        .cap_ms = 30000,
        .max_total_wait_ms = 120000,
    };
    return p;
}

bool
az_retry_idempotent(const char *method)
{
    static const char *const ok[] = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (str_ieq(method, ok[i]))
            return true;
    return false;
}

bool
az_retry_replayable(const char *method, bool safe_to_replay, bool no_replay)
{
    return !no_replay && (safe_to_replay || az_retry_idempotent(method));
}

/* Parses an IMF-fixdate (RFC 9110 §5.6.7), the form servers send. */
static bool
parse_http_date(const char *s, int64_t *out)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char wd[4], mon[4];
    int d, y, hh, mm, ss;
    if (sscanf(s, "%3s, %d %3s %d %d:%d:%d GMT", wd, &d, mon, &y, &hh, &mm,
               &ss) != 7)
        return false;
    const char *m = strstr(months, mon);
    if (m == NULL || (m - months) % 3 != 0 || strlen(mon) != 3)
        return false;
    if (d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60 || y < 1970 ||
        y > 9999)
        return false;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = (int)((m - months) / 3);
    tm.tm_mday = d;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    *out = (int64_t)timegm(&tm);
    return true;
}

bool
az_retry_parse_after(const char *value, int64_t now, long *ms)
{
    const char *p = value;
    if (value == NULL)
        return false;
    while (isspace((unsigned char)*p))
        p++;
    if (isdigit((unsigned char)*p)) {
        char *end;
        double secs = strtod(p, &end);
        while (isspace((unsigned char)*end))
            end++;
        if (*end != '\0' || secs < 0)
            return false;
        if (secs > 86400.0 * 365)
            secs = 86400.0 * 365;
        *ms = (long)(secs * 1000.0 + 0.5);
        return true;
    }
    int64_t when;
    if (!parse_http_date(p, &when))
        return false;
    /* at most a year ahead, as for delta seconds (a date far ahead must
     * not overflow the milliseconds) */
    int64_t ahead = when > now ? when - now : 0;
    if (ahead > INT64_C(86400) * 365)
        ahead = INT64_C(86400) * 365;
    *ms = (long)(ahead * 1000);
    return true;
}

long
az_retry_backoff(const struct az_retry_policy *p, int attempts, uint32_t random)
{
    long d = p->base_ms > 0 ? p->base_ms : 1;
    for (int i = 1; i < attempts && d < p->cap_ms; i++)
        d *= 2;
    if (d > p->cap_ms)
        d = p->cap_ms;
    long half = d / 2;
    return half + (long)(random % (uint32_t)(d - half + 1));
}

/* Which transport failures are worth another attempt. */
static const char *
transport_reason(enum kv_status st)
{
    switch (st) {
    case KV_ERR_CONNECT:
        return _("connection failed");
    case KV_ERR_TIMEOUT:
        return _("timed out");
    case KV_ERR_IO:
        return _("connection reset or cut short");
    default:
        return NULL;
    }
}

static const char *
status_reason(long code)
{
    switch (code) {
    case 408:
        return _("request timeout (408)");
    case 429:
        return _("throttled (429)");
    case 500:
        return _("server error (500)");
    case 502:
        return _("bad gateway (502)");
    case 503:
        return _("service unavailable (503)");
    case 504:
        return _("gateway timeout (504)");
    default:
        return NULL;
    }
}

struct az_retry_decision
az_retry_decide(const struct az_retry_policy *p,
                const struct az_retry_input *in)
{
    struct az_retry_decision d = {0};
    long after_ms = -1;
    bool replayable =
        az_retry_replayable(in->method, in->safe_to_replay, in->no_replay);
    bool landed; /* the attempt may have been processed */

    if (in->transport != KV_OK) {
        d.reason = transport_reason(in->transport);
        landed = in->reached && in->transport != KV_ERR_CONNECT &&
                 in->transport != KV_ERR_TLS;
    } else {
        d.reason = status_reason(in->http_status);
        landed = in->http_status >= 500 || in->http_status == 408;
        if (in->http_status == 429 || in->http_status == 503) {
            /* both may say when to come back; only a 429 is throttling
             * (a 503 is "service unavailable", not "slow down") */
            d.throttled = in->http_status == 429;
            long ms;
            if (az_retry_parse_after(in->retry_after, in->now, &ms))
                after_ms = ms;
        }
    }
    bool final_ambiguous = !replayable && landed;
    if (d.reason == NULL) {
        d.ambiguous = final_ambiguous; /* success or a final failure */
        return d;
    }
    if (!replayable) {
        /* no_replay: only what the service surely did not process */
        bool unprocessed = (in->transport != KV_OK && !landed) ||
                           (in->transport == KV_OK && in->http_status == 429);
        if (!in->no_replay || !unprocessed) {
            d.reason = in->no_replay
                           ? _("not retried: the request may have reached "
                               "the server and must not be sent twice")
                           : _("not retried: the request is not idempotent");
            d.ambiguous = final_ambiguous;
            return d;
        }
    }
    d.delay_ms = after_ms >= 0 ? after_ms
                               : az_retry_backoff(p, in->attempts, in->random);
    if (in->attempts >= p->max_attempts ||
        in->waited_ms + d.delay_ms > p->max_total_wait_ms ||
        d.delay_ms > RETRY_AFTER_MAX_MS) {
        d.budget_spent = true;
        d.ambiguous = final_ambiguous;
        return d;
    }
    d.retry = true;
    return d;
}
