/*
 * cli-time.c — dates and durations on the command line: ISO 8601
 * ("2027-03-05", "2027-03-05T10:00:00Z"), relative dates ("+90d", "90d",
 * also h and m), and durations ("30m", "24h", "7d").
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "cli/cli-int.h"

bool
cli_parse_duration(const char *s, int64_t *out)
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
cli_parse_date(const char *s, int64_t now, int64_t *out)
{
    int64_t d;
    if (cli_parse_duration(s[0] == '+' ? s + 1 : s, &d)) {
        *out = now + d;
        return true;
    }
    if (strlen(s) == 10) { /* a day: midnight UTC */
        char full[32];
        snprintf(full, sizeof full, "%sT00:00:00Z", s);
        return time_parse_iso(full, out);
    }
    return time_parse_iso(s, out);
}
