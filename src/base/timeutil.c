/*
 * timeutil.c — clocks and timestamp parsing/formatting.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"

int64_t
time_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
time_now(void)
{
    return (int64_t)time(NULL);
}

/* Days from civil date (proleptic Gregorian), after H. Hinnant. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool
digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

bool
time_parse_iso(const char *s, int64_t *out)
{
    int Y, M, D, h, m, sec;
    const char *p = s;
    if (!digits(&p, 4, &Y) || *p++ != '-' || !digits(&p, 2, &M) ||
        *p++ != '-' || !digits(&p, 2, &D))
        return false;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return false;
    p++;
    if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &m) ||
        *p++ != ':' || !digits(&p, 2, &sec))
        return false;
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
        return false;
    if (*p == '.' || *p == ',') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    int64_t off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (!digits(&p, 2, &oh))
            return false;
        if (*p == ':')
            p++;
        if (!digits(&p, 2, &om))
            return false;
        off = sign * (oh * 3600 + om * 60);
    }
    if (*p != '\0')
        return false;
    *out = days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400 + h * 3600 +
           m * 60 + sec - off;
    return true;
}

void
time_format_iso(int64_t t, char *out, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
time_format_short(int64_t t, char *out, size_t n)
{
    time_format_utc(t, true, out, n);
}

/* Civil date of a day count from 1970-01-01, after H. Hinnant. */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static char *
put_digits(char *p, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + n;
}

void
time_format_utc(int64_t t, bool with_time, char *out, size_t n)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    unsigned secs = (unsigned)(t - days * 86400);
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999 || n < 17) {
        /* what strftime() makes of other years, and short buffers */
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(out, n, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", &tm);
        return;
    }
    char *p = put_digits(out, (unsigned)y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    if (with_time) {
        *p++ = ' ';
        p = put_digits(p, secs / 3600, 2);
        *p++ = ':';
        p = put_digits(p, secs % 3600 / 60, 2);
    }
    *p = '\0';
}

void
time_left_words_init(struct time_left_words *w)
{
    /* TRANSLATORS: compact spans for narrow columns ("19d 4h", "3h 20m",
     * "45m"): d days, h hours, m minutes; keep them as short */
    w->dh = _("%lldd %lldh");
    w->hm = _("%lldh %lldm");
    w->m = _("%lldm");
    /* TRANSLATORS: %s is a span like "2d 3h" */
    w->expired = _("expired %s ago");
}

/* v in decimal into buf (>= 21 bytes); returns buf. */
static const char *
time_decimal(int64_t v, char *buf)
{
    char tmp[21];
    size_t i = sizeof tmp, o = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        tmp[--i] = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    if (v < 0)
        buf[o++] = '-';
    memcpy(buf + o, tmp + i, sizeof tmp - i);
    buf[o + sizeof tmp - i] = '\0';
    return buf;
}

void
time_format_left_with(const struct time_left_words *w, int64_t delta, char *out,
                      size_t n)
{
    int64_t a = delta < 0 ? -delta : delta;
    int64_t d = a / 86400, h = a % 86400 / 3600, m = a % 3600 / 60;
    char span[32], x[21], y[21];
    const char *args[2];
    bool done;
    if (d > 0) {
        args[0] = time_decimal(d, x);
        args[1] = time_decimal(h, y);
        done = str_format_args(span, sizeof span, w->dh, args, 2);
        if (!done)
            snprintf(span, sizeof span, _("%lldd %lldh"), (long long)d,
                     (long long)h);
    } else if (h > 0) {
        args[0] = time_decimal(h, x);
        args[1] = time_decimal(m, y);
        done = str_format_args(span, sizeof span, w->hm, args, 2);
        if (!done)
            snprintf(span, sizeof span, _("%lldh %lldm"), (long long)h,
                     (long long)m);
    } else {
        args[0] = time_decimal(m, x);
        done = str_format_args(span, sizeof span, w->m, args, 1);
        if (!done)
            snprintf(span, sizeof span, _("%lldm"), (long long)m);
    }
    if (delta >= 0) {
        const char *one[1] = {span};
        str_format_args(out, n, "%s", one, 1);
        return;
    }
    args[0] = span;
    if (!str_format_args(out, n, w->expired, args, 1))
        snprintf(out, n, _("expired %s ago"), span);
}

void
time_format_left(int64_t delta, char *out, size_t n)
{
    struct time_left_words w;
    time_left_words_init(&w);
    time_format_left_with(&w, delta, out, n);
}

bool
time_parse_duration(const char *s, int64_t *out)
{
    int64_t n = 0;
    const char *p = s;
    if (!isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p)) {
        n = n * 10 + (*p++ - '0');
        if (n > 100000000)
            return false;
    }
    int64_t unit;
    switch (*p) {
    case 'm':
        unit = 60;
        break;
    case 'h':
        unit = 3600;
        break;
    case 'd':
        unit = 86400;
        break;
    default:
        return false;
    }
    if (p[1] != '\0')
        return false;
    *out = n * unit;
    return true;
}

bool
time_parse_date(const char *s, int64_t now, int64_t *out)
{
    int64_t d;
    if (time_parse_duration(s[0] == '+' ? s + 1 : s, &d)) {
        *out = now + d;
        return true;
    }
    if (strlen(s) == 10) { /* a day: midnight UTC */
        char full[32], back[32];
        snprintf(full, sizeof full, "%sT00:00:00Z", s);
        if (!time_parse_iso(full, out))
            return false;
        time_format_iso(*out, back, sizeof back);
        return strncmp(back, s, 10) == 0; /* not 2027-02-30 */
    }
    return time_parse_iso(s, out);
}
