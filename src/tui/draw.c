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

static bool
draw_cells(WINDOW *w, int y, int x, const char *s, attr_t attr)
{
    chtype cells[DRAW_CELLS];
    size_t n = 0;
    chtype bg = getbkgd(w);

    if ((bg & ~A_CHARTEXT) != 0 || ((bg & A_CHARTEXT) != ' ' && bg != 0))
        return false;
    for (; s[n] != '\0'; n++) {
        unsigned char c = (unsigned char)s[n];
        if (c >= 0x80)
            return draw_cells_wide(w, y, x, s, attr);
        if (c < 0x20 || c == 0x7f || n + 1 >= DRAW_CELLS)
            return false;
        cells[n] = (chtype)c | attr;
    }
    if (mvwaddchnstr(w, y, x, cells, (int)n) == ERR)
        return true; /* off the window: as waddstr, nothing more to do */
    int maxx = getmaxx(w);
    wmove(w, y, x + (int)n < maxx ? x + (int)n : maxx - 1);
    return true;
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
    if (draw_cells(w, y, x, buf, attr))
        return used;
    wattrset(w, attr);
    mvwaddstr(w, y, x, buf);
    wattrset(w, A_NORMAL);
    return used;
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
    if (t <= 0) {
        snprintf(buf, n, "-");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, n, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", &tm);
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
draw_title(struct app *a, struct view *v)
{
    int w = v->rect.w;
    bool focus = a->focus == v->id;
    enum style st = focus ? ST_TITLE_FOCUS : ST_TITLE;
    char title[256], right[128] = "";
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
                snprintf(right, sizeof right, "%s %s ",
                         a->term.g.spinner[a->spin % a->term.g.nspinner],
                         store_state_name(ls));
            else
                snprintf(right, sizeof right, "%s ",
                         a->term.g.spinner[a->spin % a->term.g.nspinner]);
            break;
        case LOAD_FRESH: {
            time_t tt = (time_t)ld->loaded_at;
            struct tm tm;
            localtime_r(&tt, &tm);
            strftime(when, sizeof when, "%H:%M", &tm);
            if (w >= 40)
                snprintf(right, sizeof right, "%s %s ", a->term.g.yes, when);
            else
                snprintf(right, sizeof right, "%s ", a->term.g.yes);
            break;
        }
        case LOAD_STALE:
            time_format_left(now - ld->loaded_at, when, sizeof when);
            /* TRANSLATORS: "stale 12m": the list was loaded 12 minutes ago */
            if (w >= 40)
                snprintf(right, sizeof right, _("%s stale %s "), a->term.g.warn,
                         when);
            else
                snprintf(right, sizeof right, "%s ", a->term.g.warn);
            break;
        case LOAD_FAILED:
            if (w >= 40)
                snprintf(right, sizeof right, "%s %s ", a->term.g.no,
                         store_state_name(ls));
            else
                snprintf(right, sizeof right, "%s ", a->term.g.no);
            break;
        case LOAD_NONE:
        default:
            break;
        }
    }
    int rw = text_width(right);
    if (rw > w / 2)
        rw = 0;
    /* The focused pane's title starts with a marker as well as its own
     * style: reverse video alone is lost on some terminals and to
     * screen readers. */
    char left[300];
    snprintf(left, sizeof left, "%s %s", focus ? a->term.g.focus : " ", title);
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
