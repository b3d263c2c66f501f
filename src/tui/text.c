/*
 * text.c — display width, fitting and sanitising of text for the screen.
 *
 * Everything shown comes through text_fit(): a name or JSON string from
 * the server could carry escape sequences that would drive the user's
 * terminal, so control characters (C0, DEL, C1) are replaced by '?'.
 */
#include "config.h"

#include <langinfo.h>
#include <limits.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "base/str.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "tui/text.h"

/* ASCII stand-ins for the typographic characters kvdeck's own texts use,
 * for terminals whose locale cannot show them (LC_ALL=C): "…" reads
 * better as "..." than as "???". */
static const struct {
    uint32_t cp;
    const char *ascii;
} text_ascii[] = {
    {0x2026, "..."}, {0x2013, "-"},  {0x2014, "--"}, {0x2018, "'"},
    {0x2019, "'"},   {0x201c, "\""}, {0x201d, "\""}, {0x201e, "\""},
    {0x00b7, "."},   {0x2022, "*"},  {0x2192, "->"}, {0x2190, "<-"},
    {0x2713, "v"},   {0x2717, "x"},  {0x21b6, "<"},  {0x00d7, "x"},
};

/* Decodes one character at s (len bytes left). Returns the bytes used
 * (>= 1) and stores its width and whether it is printable as is; when
 * not, *repl (may be NULL) is what to print instead ("..." for "…" in a
 * locale without it) or NULL for '?'. */
/* utf8 caches text_locale_utf8() for one pass over a text (-1: not
 * asked yet): in a UTF-8 locale a character of the Basic Multilingual
 * Plane is decoded here, which is what mbrtowc() gives for it at a
 * fraction of the cost. */
static size_t
text_next_repl(const char *s, size_t len, int *width, bool *ok,
               const char **repl, int *utf8)
{
    unsigned char c = (unsigned char)*s;
    if (repl != NULL)
        *repl = NULL;
    if (c < 0x80) {
        *ok = c >= 0x20 && c != 0x7f;
        *width = 1;
        return 1;
    }
    if (*utf8 < 0)
        *utf8 = text_locale_utf8();
    if (*utf8) {
        uint32_t cp = 0;
        size_t n = str_utf8_seq((const unsigned char *)s, len, &cp);
        int w = n > 0 && cp >= 0xa0 && cp < 0x10000 ? wcwidth((wchar_t)cp) : -1;
        if (w >= 0) {
            *ok = true;
            *width = w;
            return n;
        }
    }
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t used = mbrtowc(&wc, s, len, &st);
    if (used == (size_t)-1 || used == (size_t)-2 || used == 0) {
        uint32_t cp = 0;
        size_t n = str_utf8_seq((const unsigned char *)s, len, &cp);
        *ok = false;
        *width = 1;
        if (n == 0)
            return 1;
        for (size_t i = 0; i < sizeof text_ascii / sizeof text_ascii[0]; i++)
            if (text_ascii[i].cp == cp) {
                if (repl != NULL)
                    *repl = text_ascii[i].ascii;
                *width = (int)strlen(text_ascii[i].ascii);
            }
        return n; /* one stand-in for the whole character */
    }
    int w = wcwidth(wc);
    if (w < 0 || (wc >= 0x80 && wc < 0xa0)) {
        *ok = false;
        *width = 1;
        return used;
    }
    *ok = true;
    *width = w;
    return used;
}

static size_t
text_next(const char *s, size_t len, int *width, bool *ok, int *utf8)
{
    return text_next_repl(s, len, width, ok, NULL, utf8);
}

int
text_width(const char *s)
{
    return text_width_n(s, strlen(s));
}

/* Columns of s, but stops counting past limit (a long name costs no
 * more than the columns it can be shown in). */
static int
text_width_upto(const char *s, size_t len, int limit)
{
    int total = 0, utf8 = -1;
    while (len > 0 && total <= limit) {
        if ((unsigned char)*s < 0x80) { /* ASCII: one column a byte */
            total++;
            s++;
            len--;
            continue;
        }
        int w;
        bool ok;
        size_t used = text_next(s, len, &w, &ok, &utf8);
        total += w;
        s += used;
        len -= used;
    }
    return total;
}

int
text_width_n(const char *s, size_t len)
{
    return text_width_upto(s, len, INT_MAX);
}

const char *
text_tail(const char *s, int width)
{
    size_t len = strlen(s);
    int over = text_width_n(s, len) - (width < 0 ? 0 : width), utf8 = -1;
    /* Drop characters from the start until what is left fits: one pass,
     * each character measured once. */
    while (over > 0 && len > 0) {
        int w;
        bool ok;
        size_t used = text_next(s, len, &w, &ok, &utf8);
        over -= w;
        s += used;
        len -= used;
    }
    return s;
}

/* The end of text_fit(): the ellipsis when it cut (ellipsis not NULL)
 * and there is room, the padding, the NUL. Returns the columns. */
static int
text_fit_end(char *out, size_t o, size_t n, int cols, int width,
             const char *ellipsis, int ew, bool pad)
{
    if (ellipsis != NULL && ew <= width - cols &&
        o + strlen(ellipsis) + 1 <= n) {
        memcpy(out + o, ellipsis, strlen(ellipsis));
        o += strlen(ellipsis);
        cols += ew;
    }
    while (pad && cols < width && o + 2 <= n) {
        out[o++] = ' ';
        cols++;
    }
    out[o] = '\0';
    return cols;
}

/* text_fit() in two passes (measure, then copy): for an out too short
 * for the one-pass copy in text_fit(). */
static int
text_fit_slow(const char *s, int width, const char *ellipsis, bool pad,
              char *out, size_t n)
{
    size_t o = 0, len = strlen(s);
    int cols = 0, utf8 = -1;
    int full = text_width_upto(s, len, width);
    int ew = text_width(ellipsis);
    bool cut = full > width;
    int room = cut ? width - ew : width;
    if (n == 0)
        return 0;
    if (room < 0)
        room = 0;
    while (len > 0) {
        int w;
        bool ok;
        const char *repl;
        size_t used = text_next_repl(s, len, &w, &ok, &repl, &utf8);
        if (cols + w > room)
            break;
        if (ok) {
            if (o + used + 1 > n)
                break;
            memcpy(out + o, s, used);
            o += used;
        } else if (repl != NULL) {
            if (o + strlen(repl) + 1 > n)
                break;
            memcpy(out + o, repl, strlen(repl));
            o += strlen(repl);
        } else {
            if (o + 2 > n)
                break;
            out[o++] = '?';
        }
        cols += w;
        s += used;
        len -= used;
    }
    return text_fit_end(out, o, n, cols, width, cut ? ellipsis : NULL, ew, pad);
}

int
text_fit(const char *s, int width, const char *ellipsis, bool pad, char *out,
         size_t n)
{
    size_t o = 0, len, k = 0;
    int cols = 0;

    /* The common case first: printable ASCII that fits (one column a
     * byte, nothing to replace or cut). */
    while (k <= (size_t)(width > 0 ? width : 0) &&
           (unsigned char)s[k] >= 0x20 && (unsigned char)s[k] < 0x7f)
        k++;
    if (s[k] == '\0' && (int)k <= width && (pad ? (size_t)width : k) + 1 <= n) {
        memcpy(out, s, k);
        o = k;
        if (pad) {
            memset(out + k, ' ', (size_t)width - k);
            o = (size_t)width;
        }
        out[o] = '\0';
        return (int)o;
    }
    if (n == 0)
        return 0;
    /* One pass: copy while measuring; where the text turns out wider
     * than width, go back to where the ellipsis goes. */
    const char *s0 = s;
    len = strlen(s);
    /* no more bytes than width: it cannot take more columns, no cut */
    int ew = len <= (size_t)(width > 0 ? width : 0) ? 0 : text_width(ellipsis);
    int utf8 = -1;
    int room = width - ew < 0 ? 0 : width - ew;
    size_t o_cut = (size_t)-1;
    int cols_cut = 0;
    bool cut = false;
    while (len > 0) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c < 0x7f) {
            /* a run of printable ASCII at once: one column a byte */
            size_t r = 1, most = width > cols ? (size_t)(width - cols) + 1 : 1;
            while (r < len && r < most && (unsigned char)s[r] >= 0x20 &&
                   (unsigned char)s[r] < 0x7f)
                r++;
            if (o_cut == (size_t)-1 && cols + (int)r > room) {
                /* all before fitted, so cols <= room */
                o_cut = o + (size_t)(room - cols);
                cols_cut = room;
            }
            if (cols + (int)r > width) {
                /* what fits of the run; the cut goes back to o_cut */
                r = width > cols ? (size_t)(width - cols) : 0;
                if (o + r + 1 > n)
                    return text_fit_slow(s0, width, ellipsis, pad, out, n);
                memcpy(out + o, s, r);
                cut = true;
                break;
            }
            if (o + r + 1 > n)
                return text_fit_slow(s0, width, ellipsis, pad, out, n);
            memcpy(out + o, s, r);
            o += r;
            cols += (int)r;
            s += r;
            len -= r;
            continue;
        }
        int w;
        bool ok;
        const char *repl;
        size_t used = text_next_repl(s, len, &w, &ok, &repl, &utf8);
        if (o_cut == (size_t)-1 && cols + w > room) {
            o_cut = o;
            cols_cut = cols;
        }
        if (cols + w > width)
            cut = true;
        /* (a zero-width character fits where nothing else does) */
        if (cut && o_cut != (size_t)-1)
            break;
        const char *from = ok ? s : repl != NULL ? repl : "?";
        size_t flen = ok ? used : repl != NULL ? strlen(repl) : 1;
        if (o + flen + 1 > n)
            return text_fit_slow(s0, width, ellipsis, pad, out, n);
        memcpy(out + o, from, flen);
        o += flen;
        cols += w;
        s += used;
        len -= used;
    }
    if (cut && o_cut != (size_t)-1) {
        o = o_cut;
        cols = cols_cut;
    }
    return text_fit_end(out, o, n, cols, width, cut ? ellipsis : NULL, ew, pad);
}

size_t
text_wrap(const char *s, int width, struct vec *out)
{
    size_t count = 0;
    int utf8 = -1;
    if (width < 1)
        width = 1;
    /* the first line keeps its indentation; continuations start at a
     * word */
    /* len is what is left of s: measured once, so that a long text
     * wraps in time linear in its length */
    size_t len = strlen(s);
    for (bool first = true;; first = false) {
        while (!first && *s == ' ')
            s++, len--;
        size_t i = 0, brk = 0;
        size_t lead = strspn(s, " "); /* the indentation is no break */
        int cols = 0;
        /* Take characters while they fit; remember the last blank. */
        while (i < len) {
            int w;
            bool ok;
            size_t used = text_next(s + i, len - i, &w, &ok, &utf8);
            if (cols + w > width)
                break;
            if (s[i] == ' ' && i > lead)
                brk = i;
            cols += w;
            i += used;
        }
        if (i < len && brk > 0)
            i = brk; /* break at the blank */
        else if (i == 0 && len > 0) {
            int w; /* a character wider than the line: take it alone */
            bool ok;
            i = text_next(s, len, &w, &ok, &utf8);
        }
        size_t e = i;
        while (e > 0 && s[e - 1] == ' ')
            e--;
        vec_push(out, xstrndup(s, e));
        count++;
        s += i;
        len -= i;
        while (*s == ' ')
            s++, len--;
        if (*s == '\0')
            return count;
    }
}

bool
text_locale_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    if (cs != NULL && strcmp(cs, "UTF-8") == 0) /* glibc's name for it */
        return true;
    return cs != NULL && (str_ieq(cs, "UTF-8") || str_ieq(cs, "utf8"));
}
