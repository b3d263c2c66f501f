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
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "tui/draw.h"

struct detail_priv {
    struct buf text;
    size_t *lines; /* offsets of display line starts */
    size_t *lens;  /* their lengths in bytes */
    size_t nlines, cap;
    int wrapped_w; /* width the lines were wrapped for */
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
        size_t e = i;
        while (e < len && s[e] != '\n')
            e++;
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

/* Rebuilds the text from the last list pane; keeps the scroll position
 * when the text did not change. */
static bool
detail_refresh(struct app *a, struct view *v)
{
    struct detail_priv *p = detail_priv(v);
    struct buf nb = BUF_INIT;
    struct view *src = &a->views[a->last_list];
    const struct load *l = src->ops->load ? src->ops->load(a, src) : NULL;
    if (l != NULL && l->state == LOAD_FAILED && l->message != NULL) {
        /* The failure of the list first, with the whole request id. */
        if (l->http_status > 0)
            buf_printf(&nb, "%s %ld %s\n", _("Error:"), l->http_status,
                       l->error_code ? l->error_code : "");
        else
            buf_printf(&nb, "%s %s\n", _("Error:"),
                       kv_status_message(l->status));
        buf_printf(&nb, "%s\n", l->message);
        if (l->request_id != NULL)
            buf_printf(&nb, "%s %s\n", _("Request id:"), l->request_id);
        buf_puts(&nb, "\n");
    }
    if (src->ops->detail != NULL)
        src->ops->detail(a, src, &nb);
    if (strcmp(buf_str(&nb), buf_str(&p->text)) == 0) {
        buf_free(&nb);
        return false;
    }
    buf_free(&p->text);
    p->text = nb;
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
    const char *name =
        a->views[a->last_list].ops->selected_name(a, &a->views[a->last_list]);
    if (name != NULL)
        snprintf(buf, n, _("Detail: %s"), name);
    else
        snprintf(buf, n, "%s", _("Detail"));
}

static void
detail_draw(struct app *a, struct view *v)
{
    struct detail_priv *p = detail_priv(v);
    const char *s = buf_str(&p->text);
    if (p->wrapped_w != v->rect.w - 1) {
        detail_wrap(p, v->rect.w - 1);
        listview_set_count(&v->lv, p->nlines);
    }
    if (p->nlines == 0) {
        draw_empty(a, v, _("nothing selected"));
        return;
    }
    /* A shown value goes on top, wrapped, straight from secure memory
     * (it is never copied into the detail text). */
    int y0 = 0;
    struct view *src = &a->views[a->last_list];
    if (src->ops->selected_revealed != NULL &&
        src->ops->selected_revealed(a, src)) {
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
    for (int y = y0; y < v->lv.height; y++) {
        size_t i = v->lv.top + (size_t)(y - y0);
        if (i >= p->nlines)
            break;
        size_t start = p->lines[i];
        size_t end = start + p->lens[i];
        while (end > start && (s[end - 1] == '\n' || s[end - 1] == '\r'))
            end--;
        char line[512];
        size_t n =
            end - start < sizeof line - 1 ? end - start : sizeof line - 1;
        memcpy(line, s + start, n);
        line[n] = '\0';
        /* Summary lines ("Name: value") before the JSON are plain; JSON
         * keys dim the punctuation-free look by staying normal. */
        draw_text(a, v->win, v->body_y + y, 1, v->rect.w - 1, line, ST_NORMAL,
                  true);
    }
}

static enum view_result
detail_key(struct app *a, struct view *v, enum key_action act)
{
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
    free(p->lines);
    free(p->lens);
    free(p);
    v->priv = NULL;
}

const struct view_ops view_detail_ops = {
    .name = "detail",
    .title = detail_title,
    .draw = detail_draw,
    .key = detail_key,
    .sync = detail_sync,
    .destroy = detail_destroy,
};
