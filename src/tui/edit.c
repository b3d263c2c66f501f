/*
 * edit.c — UTF-8 line editing in place; freed bytes are wiped.
 */
#include "config.h"

#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "base/secmem.h"
#include "tui/edit.h"

void
edit_init(struct edit *e, char *buf, size_t cap)
{
    e->buf = buf;
    e->cap = cap;
    e->len = strlen(buf);
    e->cursor = e->len;
}

static bool
edit_cont(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

/* The byte offset of the character before / after i. */
static size_t
edit_prev(const struct edit *e, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && edit_cont(e->buf[i]))
        i--;
    return i;
}

static size_t
edit_next(const struct edit *e, size_t i)
{
    if (i >= e->len)
        return e->len;
    i++;
    while (i < e->len && edit_cont(e->buf[i]))
        i++;
    return i;
}

/* Removes bytes [from, to) and wipes what the text no longer uses. */
static void
edit_delete(struct edit *e, size_t from, size_t to)
{
    if (to <= from)
        return;
    memmove(e->buf + from, e->buf + to, e->len - to);
    size_t n = to - from;
    e->len -= n;
    secmem_wipe(e->buf + e->len, n);
    e->buf[e->len] = '\0';
    e->cursor = from;
}

bool
edit_insert(struct edit *e, const char *s, size_t n)
{
    if (n > e->cap - e->len)
        return false;
    memmove(e->buf + e->cursor + n, e->buf + e->cursor, e->len - e->cursor);
    memcpy(e->buf + e->cursor, s, n);
    e->len += n;
    e->cursor += n;
    e->buf[e->len] = '\0';
    return true;
}

void
edit_clear(struct edit *e)
{
    secmem_wipe(e->buf, e->len);
    e->len = e->cursor = 0;
    e->buf[0] = '\0';
}

size_t
edit_chars(const struct edit *e, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n && i < e->len; i++)
        c += !edit_cont(e->buf[i]);
    return c;
}

/* A curses key code. */
static enum edit_result
edit_key(struct edit *e, int ch)
{
    switch (ch) {
    case KEY_LEFT:
        e->cursor = edit_prev(e, e->cursor);
        break;
    case KEY_RIGHT:
        e->cursor = edit_next(e, e->cursor);
        break;
    case KEY_HOME:
        e->cursor = 0;
        break;
    case KEY_END:
        e->cursor = e->len;
        break;
    case KEY_BACKSPACE:
        if (e->cursor == 0)
            return EDIT_MOVED;
        edit_delete(e, edit_prev(e, e->cursor), e->cursor);
        return EDIT_CHANGED;
    case KEY_DC:
        if (e->cursor == e->len)
            return EDIT_MOVED;
        edit_delete(e, e->cursor, edit_next(e, e->cursor));
        return EDIT_CHANGED;
    default:
        return EDIT_IGNORED;
    }
    return EDIT_MOVED;
}

enum edit_result
edit_feed(struct edit *e, int ch, bool is_key)
{
    if (is_key)
        return edit_key(e, ch);
    switch (ch) {
    case 1: /* C-a */
        return edit_key(e, KEY_HOME);
    case 5: /* C-e */
        return edit_key(e, KEY_END);
    case 2: /* C-b */
        return edit_key(e, KEY_LEFT);
    case 6: /* C-f */
        return edit_key(e, KEY_RIGHT);
    case 4: /* C-d */
        return edit_key(e, KEY_DC);
    case 8:
    case 127:
        return edit_key(e, KEY_BACKSPACE);
    case 11: /* C-k */
        if (e->cursor == e->len)
            return EDIT_MOVED;
        edit_delete(e, e->cursor, e->len);
        return EDIT_CHANGED;
    case 21: /* C-u */
        if (e->cursor == 0)
            return EDIT_MOVED;
        edit_delete(e, 0, e->cursor);
        return EDIT_CHANGED;
    case 23: { /* C-w: blanks, then the word before them */
        size_t i = e->cursor;
        while (i > 0 && e->buf[i - 1] == ' ')
            i--;
        while (i > 0 && e->buf[i - 1] != ' ')
            i--;
        if (i == e->cursor)
            return EDIT_MOVED;
        edit_delete(e, i, e->cursor);
        return EDIT_CHANGED;
    }
    default:
        break;
    }
    if (ch < 32 || ch == 127 || (ch >= 0x80 && ch < 0xa0) ||
        !iswprint((wint_t)ch))
        return EDIT_IGNORED;
    char mb[MB_LEN_MAX];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = wcrtomb(mb, (wchar_t)ch, &st);
    if (n == (size_t)-1)
        return EDIT_IGNORED;
    bool fits = edit_insert(e, mb, n);
    /* The character may be part of a value: leave no copy on the stack. */
    secmem_wipe(mb, sizeof mb);
    return fits ? EDIT_CHANGED : EDIT_FULL;
}
