/*
 * view-detail.c — the detail pane: a summary and the JSON of the item
 * selected in the last list pane used (secret values are never part of
 * it). Scrolls when focused.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/secmem.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "tui/draw.h"
#include "tui/text.h"

/* The tail of the text (view_ops.detail_tail): none, not made yet, or
 * in the text. */
enum detail_tail { TAIL_NONE, TAIL_PENDING, TAIL_LOADED };

#define DETAIL_RAW_MAX 512 /* a display line's bytes, as drawn */

struct detail_priv {
    struct buf text;
    struct buf spare; /* kept for the next text */
    size_t *lines; /* offsets of display line starts */
    size_t *lens;  /* their lengths in bytes */
    size_t nlines, cap;
    int wrapped_w; /* width the lines were wrapped for */
    const char *title_fmt; /* "Detail: %s", translated once */
    enum detail_tail tail;
    size_t head_len;  /* the text before the tail */
    enum pane_id src; /* the list pane the text is about */
    /* What the pane shows (for draw_changes): the title and each line
     * below it, shown_n of them; NULL until the pane is drawn whole. */
    struct draw_shown *shown;
    int shown_n;
    /* the text of each line as draw_text_diff() got it (raw_len -1: not
     * known): a line the same as before is not fitted again */
    char (*raw)[DETAIL_RAW_MAX];
    int *raw_len;
};

static void
detail_push(struct detail_priv *p, size_t start, size_t len)
{
    if (p->nlines == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->lines = xreallocarray(p->lines, p->cap, sizeof *p->lines);
        p->lens = xreallocarray(p->lens, p->cap, sizeof *p->lens);
    }
    p->lines[p->nlines] = start;
    p->lens[p->nlines] = len;
    p->nlines++;
}

/* Splits the text into display lines of at most w columns (long lines
 * wrap, at a blank when there is one near the end). */
static void
detail_wrap(struct detail_priv *p, int w)
{
    const char *s = buf_str(&p->text);
    size_t len = p->text.len;
    p->nlines = 0;
    p->wrapped_w = w;
    if (w < 8)
        w = 8;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl != NULL ? (size_t)(nl - s) : len;
        if (e - i <= (size_t)w) {
            /* no more bytes than columns: it fits (most lines) */
            detail_push(p, i, e - i);
            i = e + 1;
            continue;
        }
        size_t a = i;
        do {
            size_t n = 0, cols = 0, cut = 0;
            while (a + n < e && cols < (size_t)w) {
                unsigned char c = (unsigned char)s[a + n];
                n++;
                while (a + n < e && ((unsigned char)s[a + n] & 0xc0) == 0x80)
                    n++;
                cols++;
                if (c == ' ')
                    cut = n;
            }
            if (a + n < e && cut > (size_t)w / 2)
                n = cut;
            detail_push(p, a, n);
            a += n;
        } while (a < e);
        i = e + 1;
    }
}

static struct detail_priv *
detail_priv(struct view *v)
{
    if (v->priv == NULL)
        v->priv = xcalloc(1, sizeof(struct detail_priv));
    return v->priv;
}

/* The failure of the list first, with the whole request id. */
static void
detail_load_error(const struct load *l, struct buf *nb)
{
    if (l == NULL || l->state != LOAD_FAILED || l->message == NULL)
        return;
    if (l->http_status > 0)
        buf_printf(nb, "%s %ld %s\n", _("Error:"), l->http_status,
                   l->error_code ? l->error_code : "");
    else
        buf_printf(nb, "%s %s\n", _("Error:"), kv_status_message(l->status));
    buf_printf(nb, "%s\n", l->message);
    if (l->request_id != NULL)
        buf_printf(nb, "%s %s\n", _("Request id:"), l->request_id);
    buf_puts(nb, "\n");
}

/* Appends the tail to the text once it is asked for (the pane shows or
 * scrolls past the summary). */
static void
detail_load_tail(struct app *a, struct view *v)
{
    struct detail_priv *p = detail_priv(v);
    if (p->tail != TAIL_PENDING)
        return;
    p->tail = TAIL_LOADED;
    struct view *src = &a->views[p->src];
    if (src->ops->detail_tail == NULL)
        return;
    size_t len = p->text.len;
    src->ops->detail_tail(a, src, &p->text);
    if (p->text.len == len)
        return;
    detail_wrap(p, v->rect.w - 1);
    listview_set_count(&v->lv, p->nlines);
}

/* Whether the pane needs the tail to show lines top..top+height-1. */
static void
detail_want_tail(struct app *a, struct view *v)
{
    struct detail_priv *p = detail_priv(v);
    if (p->tail == TAIL_PENDING && v->lv.top + (size_t)v->lv.height > p->nlines)
        detail_load_tail(a, v);
}

/* Rebuilds the text from the last list pane; keeps the scroll position
 * when the text did not change. The tail is left for later unless the
 * old text had its tail: then the new one is made to compare. */
static bool
detail_refresh(struct app *a, struct view *v)
{
    struct detail_priv *p = detail_priv(v);
    struct buf nb = p->spare; /* the last text but one: no malloc */
    struct view *src = &a->views[a->last_list];
    p->spare = (struct buf)BUF_INIT;
    buf_reset(&nb);
    detail_load_error(src->ops->load ? src->ops->load(a, src) : NULL, &nb);
    if (src->ops->detail != NULL)
        src->ops->detail(a, src, &nb);
    size_t head = nb.len;
    enum detail_tail tail =
        src->ops->detail_tail != NULL ? TAIL_PENDING : TAIL_NONE;
    if (tail == TAIL_PENDING && p->tail == TAIL_LOADED &&
        p->src == a->last_list && head == p->head_len &&
        memcmp(buf_str(&nb), buf_str(&p->text), head) == 0) {
        src->ops->detail_tail(a, src, &nb);
        tail = TAIL_LOADED;
    }
    if (tail == p->tail && (tail == TAIL_NONE || p->src == a->last_list) &&
        strcmp(buf_str(&nb), buf_str(&p->text)) == 0) {
        p->spare = nb;
        return false;
    }
    p->spare = p->text;
    p->text = nb;
    p->head_len = head;
    p->tail = tail;
    p->src = a->last_list;
    detail_wrap(p, v->rect.w - 1);
    listview_init(&v->lv);
    listview_set_height(&v->lv, v->rect.h > 1 ? v->rect.h - 1 : 1);
    listview_set_count(&v->lv, p->nlines);
    return true;
}

static bool
detail_sync(struct app *a, struct view *v, unsigned changes)
{
    return detail_refresh(a, v);
}

static void
detail_title(struct app *a, struct view *v, char *buf, size_t n)
{
    struct detail_priv *p = detail_priv(v);
    const char *name =
        a->views[a->last_list].ops->selected_name(a, &a->views[a->last_list]);
    if (name == NULL) {
        snprintf(buf, n, "%s", _("Detail"));
        return;
    }
    if (p->title_fmt == NULL)
        p->title_fmt = _("Detail: %s");
    if (!str_format_args(buf, n, p->title_fmt, &name, 1))
        snprintf(buf, n, _("Detail: %s"), name);
}

/* Display line i without its line end, at most n - 1 bytes: where it
 * starts in the text (*line) and its length. */
static size_t
detail_line(const struct detail_priv *p, size_t i, const char **line, size_t n)
{
    const char *s = buf_str(&p->text);
    size_t start = p->lines[i];
    size_t end = start + p->lens[i];
    while (end > start && (s[end - 1] == '\n' || s[end - 1] == '\r'))
        end--;
    size_t len = end - start < n - 1 ? end - start : n - 1;
    *line = s + start;
    return len;
}

/* Lines y0.. of the body from line lv.top on, drawing only the cells
 * that differ from shown (all where shown is not known); erased: the
 * window was just erased. */
static void
detail_draw_lines(struct app *a, struct view *v, int y0, bool erased)
{
    struct detail_priv *p = detail_priv(v);
    attr_t at = term_attr(&a->term, ST_NORMAL);
    for (int y = y0; y < v->lv.height; y++) {
        size_t i = v->lv.top + (size_t)(y - y0);
        struct draw_shown *sh = &p->shown[1 + y];
        if (i >= p->nlines) {
            if (erased) {
                sh->known = true;
                sh->text[0] = '\0';
                sh->cols = 0;
            }
            p->raw_len[1 + y] = -1;
            draw_clear_diff(v->win, v->body_y + y, sh);
            continue;
        }
        char *line = p->raw[1 + y];
        const char *next;
        int len = (int)detail_line(p, i, &next, sizeof p->raw[0]);
        if (sh->known && sh->attr == at && p->raw_len[1 + y] == len &&
            memcmp(line, next, (size_t)len) == 0)
            continue; /* draw_text_diff() would find it the same */
        memcpy(line, next, (size_t)len);
        line[len] = '\0';
        p->raw_len[1 + y] = len;
        /* Summary lines ("Name: value") before the JSON are plain; JSON
         * keys dim the punctuation-free look by staying normal. */
        draw_text_diff(a, v->win, v->body_y + y, 1, v->rect.w - 1, line, at,
                       sh);
    }
}

/* The title bar where it differs from shown[0]; false when it has a
 * right part (a load state), which only draw_title() draws. */
static bool
detail_draw_title(struct app *a, struct view *v, bool record_only)
{
    struct detail_priv *p = detail_priv(v);
    char left[300], right[128];
    enum style st;
    draw_title_text(a, v, left, sizeof left, right, sizeof right, &st);
    if (right[0] != '\0' || v->rect.w <= 0)
        return false;
    struct draw_shown *sh = &p->shown[0];
    if (record_only) {
        /* draw_title() has just drawn it: what it put there */
        int w = v->rect.w > 250 ? 250 : v->rect.w;
        sh->cols = text_fit(left, w, a->term.g.ellipsis, true, sh->text,
                            sizeof sh->text);
        sh->attr = term_attr(&a->term, st);
        sh->known = true;
        return true;
    }
    draw_text_diff(a, v->win, 0, 0, v->rect.w, left, term_attr(&a->term, st),
                   sh);
    return true;
}

/* Forgets what the pane shows; shown gets room for its lines. */
static void
detail_shown_reset(struct detail_priv *p, int h)
{
    int n = h + 1;
    if (p->shown == NULL || p->shown_n != n) {
        free(p->shown);
        free(p->raw);
        free(p->raw_len);
        p->shown = xcalloc((size_t)n, sizeof *p->shown);
        p->raw = xcalloc((size_t)n, sizeof *p->raw);
        p->raw_len = xcalloc((size_t)n, sizeof *p->raw_len);
        p->shown_n = n;
    }
    for (int i = 0; i < n; i++) {
        p->shown[i].known = false;
        p->raw_len[i] = -1;
    }
}

static bool
detail_revealed(struct app *a)
{
    struct view *src = &a->views[a->last_list];
    return src->ops->selected_revealed != NULL &&
           src->ops->selected_revealed(a, src);
}

static void
detail_draw(struct app *a, struct view *v)
{
    struct detail_priv *p = detail_priv(v);
    if (p->wrapped_w != v->rect.w - 1) {
        detail_wrap(p, v->rect.w - 1);
        listview_set_count(&v->lv, p->nlines);
    }
    detail_want_tail(a, v);
    detail_shown_reset(p, v->lv.height);
    if (p->nlines == 0) {
        draw_empty(a, v, _("nothing selected"));
        p->shown_n = 0; /* draw_changes() draws whole */
        return;
    }
    /* A shown value goes on top, wrapped, straight from secure memory
     * (it is never copied into the detail text). */
    int y0 = 0;
    if (detail_revealed(a)) {
        int cw = v->rect.w - 2;
        const struct secret *val = a->reveal.value;
        int64_t left = (a->reveal.until_ms - time_mono_ms() + 999) / 1000;
        char head[64];
        snprintf(head, sizeof head, _("Value (hidden in %llds):"),
                 (long long)(left > 0 ? left : 0));
        draw_text(a, v->win, v->body_y, 1, v->rect.w - 1, head, ST_VALUE, true);
        y0 = 1;
        size_t off = 0;
        while (off < val->len && y0 < v->lv.height && cw > 0) {
            char chunk[512];
            size_t n = val->len - off;
            if (n > (size_t)cw)
                n = (size_t)cw;
            if (n > sizeof chunk - 1)
                n = sizeof chunk - 1;
            /* cut at a UTF-8 boundary */
            while (n > 1 && off + n < val->len &&
                   ((unsigned char)val->data[off + n] & 0xc0) == 0x80)
                n--;
            memcpy(chunk, val->data + off, n);
            chunk[n] = '\0';
            draw_text(a, v->win, v->body_y + y0, 1, v->rect.w - 1, chunk,
                      ST_VALUE, true);
            secmem_wipe(chunk, sizeof chunk);
            off += n;
            y0++;
        }
    }
    /* In the detail pane the "cursor" is the top line: scrolling moves
     * the text, no row is highlighted. */
    detail_draw_lines(a, v, y0, true);
    if (y0 > 0 || !detail_draw_title(a, v, true))
        p->shown_n = 0; /* not kept: draw_changes() draws whole */
}

/* After the selection moved: only the cells that changed (the title's
 * name, a date), not the whole pane. */
static bool
detail_draw_changes(struct app *a, struct view *v)
{
    struct detail_priv *p = detail_priv(v);
    if (p->shown == NULL || p->shown_n != v->lv.height + 1 ||
        p->wrapped_w != v->rect.w - 1 || p->nlines == 0 || detail_revealed(a))
        return false;
    detail_want_tail(a, v);
    if (!detail_draw_title(a, v, false))
        return false;
    detail_draw_lines(a, v, 0, false);
    return true;
}

static enum view_result
detail_key(struct app *a, struct view *v, enum key_action act)
{
    detail_load_tail(a, v); /* the lines to scroll through */
    size_t h = (size_t)v->lv.height;
    size_t max_top = v->lv.n > h ? v->lv.n - h : 0;
    size_t top = v->lv.top;
    switch (act) {
    case ACT_DOWN:
        top = top < max_top ? top + 1 : top;
        break;
    case ACT_UP:
        top = top > 0 ? top - 1 : 0;
        break;
    case ACT_PAGE_DOWN:
        top = top + h - 1 < max_top ? top + h - 1 : max_top;
        break;
    case ACT_PAGE_UP:
        top = top > h - 1 ? top - (h - 1) : 0;
        break;
    case ACT_HOME:
        top = 0;
        break;
    case ACT_END:
        top = max_top;
        break;
    case ACT_REFRESH: {
        /* reload what the detail is about */
        struct view *src = &a->views[a->last_list];
        if (src->ops->key != NULL)
            src->ops->key(a, src, ACT_REFRESH);
        src->dirty = true;
        return VIEW_REDRAW;
    }
    default:
        return VIEW_IGNORED;
    }
    if (top == v->lv.top)
        return VIEW_HANDLED;
    v->lv.top = top;
    v->lv.cursor = top;
    return VIEW_REDRAW;
}

static void
detail_destroy(struct view *v)
{
    struct detail_priv *p = v->priv;
    if (p == NULL)
        return;
    buf_free(&p->text);
    buf_free(&p->spare);
    free(p->lines);
    free(p->lens);
    free(p->shown);
    free(p->raw);
    free(p->raw_len);
    free(p);
    v->priv = NULL;
}

const struct view_ops view_detail_ops = {
    .name = "detail",
    .title = detail_title,
    .draw = detail_draw,
    .key = detail_key,
    .sync = detail_sync,
    .draw_changes = detail_draw_changes,
    .destroy = detail_destroy,
};
