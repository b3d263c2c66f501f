/*
 * timeutil.h — clocks and the three timestamp forms Azure uses: unix
 * seconds (data plane), ISO-8601 (ARM systemData, deletedVaults) and
 * "YYYY-MM-DD HH:MM:SSZ" (Key Vault operationResults).
 */
#ifndef KV_BASE_TIMEUTIL_H
#define KV_BASE_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Monotonic milliseconds, for timeouts and back-off. */
int64_t time_mono_ms(void);
/* Wall-clock unix seconds. */
int64_t time_now(void);
/* Parses ISO-8601 / RFC 3339 ("2023-07-25T07:39:58.285Z", offsets,
 * fractional seconds, a space instead of 'T'). Returns false on junk. */
bool time_parse_iso(const char *s, int64_t *out);
/* Formats unix seconds as "2026-11-30T02:56:11Z" into out (>= 21 bytes). */
void time_format_iso(int64_t t, char *out, size_t n);
/* Formats as "2026-11-30 02:56" (UTC) for tables. */
void time_format_short(int64_t t, char *out, size_t n);
/* "2026-11-30", with with_time "2026-11-30 02:56" (UTC), as strftime()
 * would, without its cost (a list row formats dates for each row drawn);
 * out holds at least 17 bytes. */
void time_format_utc(int64_t t, bool with_time, char *out, size_t n);
/* A duration a person types: N followed by m, h or d ("30m", "24h",
 * "7d"); false on anything else (no sign, no other unit). */
bool time_parse_duration(const char *s, int64_t *out);
/* A date a person types: a duration from now ("+90d" or "90d"), a day
 * ("2027-03-05", midnight UTC) or ISO 8601. False on junk. */
bool time_parse_date(const char *s, int64_t now, int64_t *out);
/* "3d 4h", "5h 10m", "42m", "expired 2d ago": delta = when - now. */
void time_format_left(int64_t delta, char *out, size_t n);
/* time_format_left()'s words, translated once for many rows. */
struct time_left_words {
    const char *dh, *hm, *m, *expired;
};
void time_left_words_init(struct time_left_words *w);
/* time_format_left() with words from time_left_words_init(). */
void time_format_left_with(const struct time_left_words *w, int64_t delta,
                           char *out, size_t n);

#endif
