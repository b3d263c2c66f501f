/*
 * str.h — small string helpers: comparisons, trimming, URL encoding and
 * base64, used by every layer. All returned strings are malloc'd and owned
 * by the caller.
 */
#ifndef KV_BASE_STR_H
#define KV_BASE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool str_eq(const char *a, const char *b);          /* NULL-safe */
bool str_ieq(const char *a, const char *b);         /* ASCII case-insensitive */
bool str_starts(const char *s, const char *prefix);
bool str_istarts(const char *s, const char *prefix);
bool str_ends(const char *s, const char *suffix);
bool str_iends(const char *s, const char *suffix);
/* Case-insensitive substring search; NULL when absent. */
const char *str_icontains(const char *hay, const char *needle);
/* Trims ASCII white space in place; returns s. */
char *str_trim(char *s);
/* Returns a copy with a trailing '/' removed (any number of them). */
char *str_rstrip_slash(const char *s);
/* Percent-encodes everything outside RFC 3986 unreserved characters. */
char *str_url_encode(const char *s);
/* Decodes %XX and '+' (form encoding); returns NULL on a bad escape. */
char *str_url_decode(const char *s, size_t len);
/* Base64 (standard alphabet, padded) of len bytes. */
char *str_base64(const void *data, size_t len);
/* Base64url without padding (JWT). */
char *str_base64url(const void *data, size_t len);
/* Decodes standard or url alphabet, padding optional. *out is malloc'd
 * (NUL-terminated for convenience); returns false on bad input. */
bool str_base64_decode(const char *s, size_t len, unsigned char **out,
                       size_t *out_len);
/* True if s is a syntactically valid UUID (8-4-4-4-12 hex). */
bool str_is_uuid(const char *s);
/* A copy of s safe to print on a terminal: C0 controls and DEL become
 * "\x1b", C1 controls (U+0080..U+009F) "\u009b", bytes that are not
 * UTF-8 "\xff"; everything else, backslashes included, is kept, so the
 * result escapes nothing twice. For messages that quote text from files,
 * the command line or a server. Caller frees. */
char *str_escape_ctl(const char *s);
/* The length of the valid UTF-8 sequence at s (at most len bytes; 0 when
 * it is not one: a stray byte, cut short, overlong, a surrogate) and its
 * code point in *cp. Reads no byte past a NUL. */
size_t str_utf8_seq(const unsigned char *s, size_t len, uint32_t *cp);

/* snprintf(out, n, fmt, ...) for a translated fmt whose conversions
 * are %s and %lld only, the nargs arguments given as strings (numbers
 * written by the caller), in order: a list row's few words without
 * printf's cost. False, with out unspecified, for any other conversion
 * (a width, a position "%1$s") or too few args: use snprintf() then. */
bool str_format_args(char *out, size_t n, const char *fmt,
                     const char *const *args, size_t nargs);

#endif
