/*
 * draw.c — text, title bars and footers for the panes.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "tui/draw.h"
#include "tui/text.h"

/* Text as cells: waddstr decodes every byte as multibyte text
 * (mbrtowc, wctob, unctrl per byte), which was a third of a scrolling
 * key press. s here is text_fit's output: printable, so each character
 * is one cell — printable ASCII (most of what a pane shows) as chtypes
 * with waddchnstr, text with other one-column characters ("✓", "…") as
 * cchar_ts with wadd_wchnstr. Not where the window has a background of
 * its own, which waddstr would merge into each cell, nor for wide
 * characters: those stay with waddstr. The cursor ends after the text,
 * as with waddstr. False when s is not for this path (nothing drawn). */
#define DRAW_CELLS 256

static bool
draw_cells_wide(WINDOW *w, int y, int x, const char *s, attr_t attr)
{
#ifdef HAVE_NCURSESW
    cchar_t cells[DRAW_CELLS];
    size_t n = 0, len = strlen(s);
    attr_t at = attr & ~A_COLOR;
    short pair = (short)PAIR_NUMBER(attr);

    if (!text_locale_utf8())
        return false;
    while (len > 0) {
        wchar_t wc[2] = {(unsigned char)*s, 0};
        uint32_t cp;
        size_t used = 1;
        if (*s & 0x80) {
            used = str_utf8_seq((const unsigned char *)s, len, &cp);
            wc[0] = (wchar_t)cp;
        }
        if (used == 0 || (used > 1 && wcwidth(wc[0]) != 1) ||
            n + 1 >= DRAW_CELLS)
            return false;
        setcchar(&cells[n++], wc, at, pair, NULL);
        s += used;
        len -= used;
    }
    if (mvwadd_wchnstr(w, y, x, cells, (int)n) == ERR)
        return true; /* off the window: as waddstr, nothing more to do */
    int maxx = getmaxx(w);
    wmove(w, y, x + (int)n < maxx ? x + (int)n : maxx - 1);
    return true;
#else
    (void)w, (void)y, (void)x, (void)s, (void)attr;
    return false;
#endif
}

/* At most this many cells of a line go one by one as cchar_ts (the
 * glyphs: "▸", "✓", "›", "…"); the rest go as chtypes in one call. */
#define DRAW_WIDE_MAX 16

/* Puts the cells of wide[] (column, character) over the line drawn. */
static void
draw_cells_glyphs(WINDOW *w, int y, int x, const int *col, const wchar_t *wc,
                  int n, attr_t attr)
{
#ifdef HAVE_NCURSESW
    for (int i = 0; i < n; i++) {
        cchar_t cell;
        wchar_t s[2] = {wc[i], 0};
        setcchar(&cell, s, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
        mvwadd_wchnstr(w, y, x + col[i], &cell, 1);
    }
#else
    (void)w, (void)y, (void)x, (void)col, (void)wc, (void)n, (void)attr;
#endif
}

/* ASCII as chtypes in one waddchnstr() (a few instructions a cell, where
 * wadd_wchnstr() asks wcwidth() for each), and the few one-column
 * characters of other scripts as cchar_ts over it: the cells are those
 * draw_cells_wide() would make. */
static bool
draw_cells(WINDOW *w, int y, int x, const char *s, attr_t attr)
{
    chtype cells[DRAW_CELLS];
    int col[DRAW_WIDE_MAX];
    wchar_t wc[DRAW_WIDE_MAX];
    int nwide = 0;
    size_t n = 0;
    bool utf8 = false;
    chtype bg = getbkgd(w);
    const char *start = s;

    if ((bg & ~A_CHARTEXT) != 0 || ((bg & A_CHARTEXT) != ' ' && bg != 0))
        return false;
    while (*s != '\0') {
        unsigned char c = (unsigned char)*s;
        if (n + 1 >= DRAW_CELLS)
            return false;
        if (c >= 0x20 && c < 0x7f) {
            /* a run of printable ASCII */
            do {
                cells[n++] = (chtype)c | attr;
                c = (unsigned char)*++s;
            } while (c >= 0x20 && c < 0x7f && n + 1 < DRAW_CELLS);
            continue;
        }
        if (c < 0x80) /* a control */
            return false;
        uint32_t cp = 0;
        size_t used = str_utf8_seq((const unsigned char *)s, 4, &cp);
        if (!utf8 && used > 0)
            utf8 = text_locale_utf8();
        if (used == 0 || !utf8 || nwide == DRAW_WIDE_MAX ||
            wcwidth((wchar_t)cp) != 1)
            return draw_cells_wide(w, y, x, start, attr);
        col[nwide] = (int)n;
        wc[nwide++] = (wchar_t)cp;
        cells[n++] = (chtype)' ' | attr;
        s += used;
    }
    if (mvwaddchnstr(w, y, x, cells, (int)n) == ERR)
        return true; /* off the window: as waddstr, nothing more to do */
    draw_cells_glyphs(w, y, x, col, wc, nwide, attr);
    int maxx = getmaxx(w);
    wmove(w, y, x + (int)n < maxx ? x + (int)n : maxx - 1);
    return true;
}

void
draw_fitted_attr(WINDOW *w, int y, int x, const char *s, attr_t attr)
{
    if (draw_cells(w, y, x, s, attr))
        return;
    wattrset(w, attr);
    mvwaddstr(w, y, x, s);
    wattrset(w, A_NORMAL);
}

int
draw_text_attr(struct app *a, WINDOW *w, int y, int x, int width, const char *s,
               attr_t attr, bool pad)
{
    char buf[1024];
    if (width <= 0)
        return 0;
    if (width > 250)
        width = 250;
    int used =
        text_fit(s ? s : "", width, a->term.g.ellipsis, pad, buf, sizeof buf);
    draw_fitted_attr(w, y, x, buf, attr);
    return used;
}

/* Whether any of the 8 bytes at s is not ASCII. */
static bool
draw_word_high(const char *s)
{
    uint64_t x;
    memcpy(&x, s, sizeof x);
    return (x & 0x8080808080808080ull) != 0;
}

/* Whether the 8 bytes at a and at b are the same. */
static bool
draw_word_same(const char *a, const char *b)
{
    uint64_t x, y;
    memcpy(&x, a, sizeof x);
    memcpy(&y, b, sizeof y);
    return x == y;
}

/* Columns of the first n bytes of a text_fit() output (no controls);
 * ASCII eight bytes at a time (a column each). */
static int
draw_cols(const char *s, size_t n)
{
    int cols = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i + 8 <= n && !draw_word_high(s + i)) {
            cols += 8;
            i += 7;
        } else if (c < 0x80) {
            cols++;
        } else if ((c & 0xc0) != 0x80) {
            uint32_t cp = 0;
            int w = str_utf8_seq((const unsigned char *)s + i, n - i, &cp)
                        ? wcwidth((wchar_t)cp)
                        : 1;
            cols += w > 0 ? w : 0;
        }
    }
    return cols;
}

/* Where new (n bytes) differs from old (text_fit() outputs of the same
 * length and columns): the column and byte of the first differing
 * character in new, the byte after the last. As the text before and after is
 * the same, the part between takes as many columns in both. False when they
 * have other lengths: then all of new is drawn. */
static bool
draw_diff(const char *old, const char *new, size_t n, int *col, size_t *from,
          size_t *to)
{
    if (strlen(old) != n)
        return false;
    size_t i = 0, j = n;
    /* eight bytes at a time, then byte by byte */
    while (i + 8 <= n && draw_word_same(new + i, old + i))
        i += 8;
    while (i < n && new[i] == old[i])
        i++;
    while (j >= i + 8 && draw_word_same(new + j - 8, old + j - 8))
        j -= 8;
    while (j > i && new[j - 1] == old[j - 1])
        j--;
    /* whole characters */
    while (i > 0 && ((unsigned char)new[i] & 0xc0) == 0x80)
        i--;
    while (j < n && ((unsigned char)new[j] & 0xc0) == 0x80)
        j++;
    *from = i;
    *to = j;
    *col = draw_cols(new, i);
    return true;
}

int
draw_text_diff(struct app *a, WINDOW *w, int y, int x, int width, const char *s,
               attr_t attr, struct draw_shown *shown)
{
    char buf[DRAW_LINE_MAX];
    if (width <= 0)
        return 0;
    if (width > 250)
        width = 250;
    int used =
        text_fit(s ? s : "", width, a->term.g.ellipsis, true, buf, sizeof buf);
    draw_fitted_diff(w, y, x, buf, used, attr, shown);
    return used;
}

void
draw_fitted_diff(WINDOW *w, int y, int x, char *buf, int used, attr_t attr,
                 struct draw_shown *shown)
{
    bool same = shown->known && shown->attr == attr && shown->cols == used;
    if (same && strcmp(buf, shown->text) == 0)
        return;
    int col = 0;
    size_t len = strlen(buf), from = 0, to = len;
    if (!same || !draw_diff(shown->text, buf, len, &col, &from, &to)) {
        col = 0;
        from = 0;
        to = len;
    }
    memcpy(shown->text, buf, len + 1);
    shown->attr = attr;
    shown->cols = used;
    shown->known = true;
    buf[to] = '\0';
    draw_fitted_attr(w, y, x + col, buf + from, attr);
    /* the cursor where drawing the whole text leaves it */
    int maxx = getmaxx(w);
    wmove(w, y, x + used < maxx ? x + used : maxx - 1);
}

void
draw_clear_diff(WINDOW *w, int y, struct draw_shown *shown)
{
    if (shown->known && shown->text[0] == '\0')
        return;
    wmove(w, y, 0);
    wclrtoeol(w);
    shown->known = true;
    shown->text[0] = '\0';
    shown->cols = 0;
}

int
draw_text(struct app *a, WINDOW *w, int y, int x, int width, const char *s,
          enum style st, bool pad)
{
    return draw_text_attr(a, w, y, x, width, s, term_attr(&a->term, st), pad);
}

void
draw_date(int64_t t, bool with_time, char *buf, size_t n)
{
    if (t <= 0) { /* snprintf(buf, n, "-") without its cost */
        if (n > 1)
            memcpy(buf, "-", 2);
        else if (n == 1)
            buf[0] = '\0';
        return;
    }
    time_format_utc(t, with_time, buf, n);
}

attr_t
draw_row_attr(struct app *a, struct view *v, bool selected)
{
    if (!selected)
        return term_attr(&a->term, ST_NORMAL);
    return term_attr(&a->term,
                     a->focus == v->id ? ST_SELECTED : ST_SELECTED_INACTIVE);
}

void
draw_title_text(struct app *a, struct view *v, char *left, size_t ln,
                char *right, size_t rn, enum style *st)
{
    int w = v->rect.w;
    bool focus = a->focus == v->id;
    char title[256];
    *st = focus ? ST_TITLE_FOCUS : ST_TITLE;
    right[0] = '\0';
    v->ops->title(a, v, title, sizeof title);
    if (v->fi.pattern != NULL && v->fi.pattern[0] != '\0') {
        size_t l = strlen(title);
        snprintf(title + l, sizeof title - l, "  /%s", v->fi.pattern);
    }
    const struct load *ld = v->ops->load ? v->ops->load(a, v) : NULL;
    if (ld != NULL) {
        int64_t now = time_now();
        enum load_state ls = store_load_state(a->store, ld, now);
        char when[32] = "";
        switch (ls) {
        case LOAD_LOADING:
            if (w >= 40)
                snprintf(right, rn, "%s %s ",
                         a->term.g.spinner[a->spin % a->term.g.nspinner],
                         store_state_name(ls));
            else
                snprintf(right, rn, "%s ",
                         a->term.g.spinner[a->spin % a->term.g.nspinner]);
            break;
        case LOAD_FRESH: {
            time_t tt = (time_t)ld->loaded_at;
            struct tm tm;
            localtime_r(&tt, &tm);
            strftime(when, sizeof when, "%H:%M", &tm);
            if (w >= 40)
                snprintf(right, rn, "%s %s ", a->term.g.yes, when);
            else
                snprintf(right, rn, "%s ", a->term.g.yes);
            break;
        }
        case LOAD_STALE:
            time_format_left(now - ld->loaded_at, when, sizeof when);
            /* TRANSLATORS: "stale 12m": the list was loaded 12 minutes ago */
            if (w >= 40)
                snprintf(right, rn, _("%s stale %s "), a->term.g.warn, when);
            else
                snprintf(right, rn, "%s ", a->term.g.warn);
            break;
        case LOAD_FAILED:
            if (w >= 40)
                snprintf(right, rn, "%s %s ", a->term.g.no,
                         store_state_name(ls));
            else
                snprintf(right, rn, "%s ", a->term.g.no);
            break;
        case LOAD_NONE:
        default:
            break;
        }
    }
    /* The focused pane's title starts with a marker as well as its own
     * style: reverse video alone is lost on some terminals and to
     * screen readers. */
    const char *parts[2] = {focus ? a->term.g.focus : " ", title};
    str_format_args(left, ln, "%s %s", parts, 2);
}

void
draw_title(struct app *a, struct view *v)
{
    int w = v->rect.w;
    char left[300], right[128];
    enum style st;
    draw_title_text(a, v, left, sizeof left, right, sizeof right, &st);
    int rw = text_width(right);
    if (rw > w / 2)
        rw = 0;
    draw_text(a, v->win, 0, 0, w - rw, left, st, true);
    if (rw > 0)
        draw_text(a, v->win, 0, w - rw, rw, right, st, true);
}

bool
draw_footer_text(struct app *a, const struct load *l, char *buf, size_t n,
                 bool *err)
{
    if (l == NULL)
        return false;
    if (l->state == LOAD_FAILED && l->message != NULL) {
        *err = true;
        if (l->http_status > 0)
            snprintf(
                buf, n, "%s %ld %s%s%s%s%s%s", a->term.g.no, l->http_status,
                l->error_code ? l->error_code : "", l->error_code ? ": " : "",
                l->message, l->request_id ? " (" : "",
                l->request_id ? l->request_id : "", l->request_id ? ")" : "");
        else
            snprintf(buf, n, "%s %s", a->term.g.no, l->message);
        return true;
    }
    if (l->state == LOAD_LOADING && l->progress != NULL) {
        *err = false;
        snprintf(buf, n, "%s %s", a->term.g.warn, l->progress);
        return true;
    }
    return false;
}

void
draw_empty(struct app *a, struct view *v, const char *text)
{
    draw_text(a, v->win, v->body_y, 1, v->rect.w - 2, text, ST_DIM, false);
}
