/*
 * edit.h — one line of UTF-8 text being edited, in a buffer the caller
 * owns: ordinary memory for a name, secure memory (base/secmem.h) for a
 * value. The editor never copies the text anywhere else, and wipes the
 * bytes it frees (a deleted character of a value leaves no trace in the
 * buffer's slack).
 *
 * Keys: characters insert at the cursor; Left/Right, Home/End, C-a/C-e
 * move; Backspace, Delete, C-k (to the end), C-u (to the start) and C-w
 * (the word before the cursor) delete. Pure: no curses calls (only its
 * key codes), so the unit tests drive it directly.
 */
#ifndef KV_TUI_EDIT_H
#define KV_TUI_EDIT_H

#include <stdbool.h>
#include <stddef.h>

struct edit {
    char *buf;     /* NUL-terminated UTF-8, len bytes; the caller's */
    size_t len;    /* bytes in use */
    size_t cap;    /* usable bytes, the NUL not counted */
    size_t cursor; /* byte offset, always on a character boundary */
};

enum edit_result {
    EDIT_IGNORED, /* not an editing key */
    EDIT_MOVED,   /* the cursor moved */
    EDIT_CHANGED, /* the text changed */
    EDIT_FULL,    /* a character did not fit (cap reached) */
};

/* Starts editing buf (cap usable bytes, NUL-terminated), cursor at the
 * end. */
void edit_init(struct edit *e, char *buf, size_t cap);
/* One key: is_key says ch is a curses KEY_* code, else a character
 * (a wide character from wget_wch()). */
enum edit_result edit_feed(struct edit *e, int ch, bool is_key);
/* Inserts n bytes of UTF-8 at the cursor (a paste); false when they do
 * not fit (nothing inserted). Control characters are the caller's to
 * filter. */
bool edit_insert(struct edit *e, const char *s, size_t n);
/* Empties the text and wipes the buffer. */
void edit_clear(struct edit *e);
/* Characters (not bytes) in the first n bytes of the text. */
size_t edit_chars(const struct edit *e, size_t n);

#endif
