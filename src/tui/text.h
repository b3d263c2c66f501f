/*
 * text.h — display-width aware text for the console: measure a UTF-8
 * string in terminal columns, cut it to fit with an ellipsis, and make
 * outside text (names and JSON from the server, secret values) safe to
 * put on a terminal by replacing control characters.
 *
 * Pure functions over the current LC_CTYPE; no curses here so the unit
 * tests can call them directly.
 */
#ifndef KV_TUI_TEXT_H
#define KV_TUI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Columns s takes on screen (control characters count as one '?').
 * Invalid bytes count as one column each. */
int text_width(const char *s);
/* The same for the first n bytes of s. */
int text_width_n(const char *s, size_t n);

/* Copies s into out (size n, always NUL-terminated) so that it takes at
 * most width columns; when it had to cut, the last column holds ellipsis
 * (e.g. "…" or "~"). Control characters become '?'. When pad is true the
 * result is padded with spaces to exactly width columns. Returns the
 * columns used. out must hold at least width * 4 + 1 bytes to never cut
 * short of width. */
int text_fit(const char *s, int width, const char *ellipsis, bool pad,
             char *out, size_t n);

/* The longest end of s (a pointer into s, at a character boundary)
 * that takes at most width columns: what a breadcrumb keeps when it is
 * cut at its start. Linear in the length of s. */
const char *text_tail(const char *s, int width);

/* Breaks s into lines of at most width columns, at blanks where it can
 * (a word longer than a line is cut). Each line is pushed to out as a
 * malloc'd string (the caller frees them); returns how many. Blanks at a
 * break are dropped; an empty s gives one empty line. */
struct vec;
size_t text_wrap(const char *s, int width, struct vec *out);

/* True when the locale's character set is UTF-8. */
bool text_locale_utf8(void);

#endif
