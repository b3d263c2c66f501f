/*
 * listview.c — cursor/scroll arithmetic for lists (see listview.h).
 */
#include "config.h"

#include <string.h>

#include "tui/keys.h"
#include "tui/listview.h"

void
listview_init(struct listview *lv)
{
    memset(lv, 0, sizeof *lv);
    lv->height = 1;
}

/* Scrolls so the cursor is on screen, moving top as little as possible. */
static void
listview_follow(struct listview *lv)
{
    size_t h = (size_t)(lv->height > 0 ? lv->height : 1);
    if (lv->cursor < lv->top)
        lv->top = lv->cursor;
    else if (lv->cursor >= lv->top + h)
        lv->top = lv->cursor - h + 1;
    /* Do not leave empty lines at the bottom when rows could fill them. */
    if (lv->n > h && lv->top > lv->n - h)
        lv->top = lv->n - h;
    if (lv->n <= h)
        lv->top = 0;
}

bool
listview_set_count(struct listview *lv, size_t n)
{
    size_t old_cursor = lv->cursor, old_top = lv->top, old_n = lv->n;
    lv->n = n;
    if (n == 0)
        lv->cursor = 0;
    else if (lv->cursor >= n)
        lv->cursor = n - 1;
    listview_follow(lv);
    size_t h = (size_t)lv->height;
    /* Rows appended below the screen change nothing visible. */
    bool on_screen = old_n < lv->top + h;
    return old_cursor != lv->cursor || old_top != lv->top ||
           (n != old_n && on_screen);
}

void
listview_set_height(struct listview *lv, int height)
{
    lv->height = height > 0 ? height : 1;
    listview_follow(lv);
}

bool
listview_select(struct listview *lv, size_t i)
{
    if (lv->n == 0)
        return false;
    if (i >= lv->n)
        i = lv->n - 1;
    size_t old = lv->cursor, old_top = lv->top;
    lv->cursor = i;
    listview_follow(lv);
    return old != lv->cursor || old_top != lv->top;
}

bool
listview_move(struct listview *lv, long delta)
{
    if (lv->n == 0)
        return false;
    size_t target;
    if (delta < 0)
        target = (size_t)-delta > lv->cursor ? 0 : lv->cursor - (size_t)-delta;
    else
        target = lv->cursor + (size_t)delta;
    return listview_select(lv, target);
}

bool
listview_page(struct listview *lv, int dir)
{
    long step = lv->height > 1 ? lv->height - 1 : 1;
    if (lv->n == 0)
        return false;
    size_t old = lv->cursor, old_top = lv->top;
    size_t h = (size_t)lv->height;
    if (dir > 0) {
        /* Like less(1): the page scrolls, the cursor keeps its line. */
        size_t max_top = lv->n > h ? lv->n - h : 0;
        size_t top = lv->top + (size_t)step;
        if (top > max_top)
            top = max_top;
        size_t delta = top - lv->top;
        lv->top = top;
        lv->cursor += delta;
        if (delta == 0)
            lv->cursor = lv->n - 1;
    } else {
        size_t delta = lv->top < (size_t)step ? lv->top : (size_t)step;
        lv->top -= delta;
        lv->cursor -= delta < lv->cursor ? delta : lv->cursor;
        if (delta == 0)
            lv->cursor = 0;
    }
    if (lv->cursor >= lv->n)
        lv->cursor = lv->n - 1;
    listview_follow(lv);
    return old != lv->cursor || old_top != lv->top;
}

bool
listview_home(struct listview *lv)
{
    return listview_select(lv, 0);
}

bool
listview_end(struct listview *lv)
{
    return lv->n > 0 && listview_select(lv, lv->n - 1);
}

size_t
listview_row_at(const struct listview *lv, int y)
{
    if (y < 0 || y >= lv->height)
        return (size_t)-1;
    size_t r = lv->top + (size_t)y;
    return r < lv->n ? r : (size_t)-1;
}

int
listview_act(struct listview *lv, int act)
{
    switch ((enum key_action)act) {
    case ACT_UP:
        return listview_move(lv, -1);
    case ACT_DOWN:
        return listview_move(lv, 1);
    case ACT_PAGE_UP:
        return listview_page(lv, -1);
    case ACT_PAGE_DOWN:
        return listview_page(lv, 1);
    case ACT_HOME:
        return listview_home(lv);
    case ACT_END:
        return listview_end(lv);
    default:
        return -1;
    }
}
