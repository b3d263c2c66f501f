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
#include "base/xalloc.h"
#include "tui/draw.h"

struct detail_priv {
    struct buf text;
    size_t *lines; /* offsets of line starts */
    size_t nlines, cap;
};

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
    if (src->ops->detail != NULL)
        src->ops->detail(a, src, &nb);
    if (strcmp(buf_str(&nb), buf_str(&p->text)) == 0) {
        buf_free(&nb);
        return false;
    }
    buf_free(&p->text);
    p->text = nb;
    p->nlines = 0;
    const char *s = buf_str(&p->text);
    size_t len = p->text.len;
    for (size_t i = 0; i <= len; i++) {
        if (i == 0 || s[i - 1] == '\n') {
            if (i == len && i > 0)
                break;
            if (p->nlines == p->cap) {
                p->cap = p->cap ? p->cap * 2 : 64;
                p->lines = xreallocarray(p->lines, p->cap, sizeof *p->lines);
            }
            p->lines[p->nlines++] = i;
        }
    }
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
    const char *name = a->views[a->last_list].ops->selected_name(
        a, &a->views[a->last_list]);
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
    if (p->nlines == 0) {
        draw_empty(a, v, _("nothing selected"));
        return;
    }
    /* In the detail pane the "cursor" is the top line: scrolling moves
     * the text, no row is highlighted. */
    for (int y = 0; y < v->lv.height; y++) {
        size_t i = v->lv.top + (size_t)y;
        if (i >= p->nlines)
            break;
        size_t end = i + 1 < p->nlines ? p->lines[i + 1] - 1 : p->text.len;
        size_t start = p->lines[i];
        while (end > start && (s[end - 1] == '\n' || s[end - 1] == '\r'))
            end--;
        char line[512];
        size_t n = end - start < sizeof line - 1 ? end - start
                                                 : sizeof line - 1;
        memcpy(line, s + start, n);
        line[n] = '\0';
        /* Summary lines ("Name: value") before the JSON are plain; JSON
         * keys dim the punctuation-free look by staying normal. */
        draw_text(a, v->win, v->body_y + y, 1, v->rect.w - 1, line,
                  ST_NORMAL, true);
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
