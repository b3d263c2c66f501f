/*
 * screen.c — the stack of modal screens: push and pop by id, results
 * routed to the screen that asked (and dropped once it is gone), boxes
 * placed and drawn above the panes, keys and timers for the top screen.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "engine/job.h"
#include "tui/draw.h"
#include "tui/screen.h"
#include "tui/text.h"

/* Below this the boxes give way to whole-screen screens. */
#define SCREEN_BOX_MIN_COLS 60
#define SCREEN_BOX_MIN_ROWS 16

struct screen *
screen_top(const struct app *a)
{
    return a->screens.len > 0 ? a->screens.items[a->screens.len - 1] : NULL;
}

struct screen *
screen_find(const struct app *a, uint64_t id)
{
    for (size_t i = 0; i < a->screens.len; i++) {
        struct screen *s = a->screens.items[i];
        if (s->id == id)
            return s;
    }
    return NULL;
}

void
screen_place(int rows, int cols, int want_h, int want_w, struct rect *box,
             bool *full)
{
    int outer_h = want_h + 2, outer_w = want_w + 4;
    /* The box sits between the header and the status bar. */
    if (want_h <= 0 || want_w <= 0 || cols < SCREEN_BOX_MIN_COLS ||
        rows < SCREEN_BOX_MIN_ROWS || outer_h > rows - 2 || outer_w > cols) {
        *full = true;
        box->y = 0;
        box->x = 0;
        box->h = rows - 1;
        box->w = cols;
        return;
    }
    *full = false;
    box->h = outer_h;
    box->w = outer_w;
    box->y = 1 + (rows - 2 - outer_h) / 2;
    box->x = (cols - outer_w) / 2;
}

static void
screen_delwin(struct screen *s)
{
    if (s->body != NULL)
        delwin(s->body);
    if (s->win != NULL)
        delwin(s->win);
    s->body = s->win = NULL;
}

void
screen_delwins(struct app *a)
{
    for (size_t i = 0; i < a->screens.len; i++)
        screen_delwin(a->screens.items[i]);
}

/* Makes the screen's windows for the current layout (none when the
 * terminal is too small). */
static void
screen_make_win(struct app *a, struct screen *s)
{
    screen_delwin(s);
    s->dirty = true;
    if (a->lay.too_small || a->lay.rows < 3)
        return;
    int rows = a->lay.rows, cols = a->lay.cols;
    int h = 0, w = 0;
    if (s->ops->size != NULL)
        s->ops->size(a, s, rows - 4, cols - 4, &h, &w);
    screen_place(rows, cols, h, w, &s->rect, &s->full);
    s->win = newwin(s->rect.h, s->rect.w, s->rect.y, s->rect.x);
    if (s->win == NULL)
        return;
    leaveok(s->win, TRUE);
    if (s->full) {
        int top = s->title != NULL ? 1 : 0;
        s->body = derwin(s->win, s->rect.h - top, s->rect.w - 2, top, 1);
    } else {
        s->body = derwin(s->win, s->rect.h - 2, s->rect.w - 4, 1, 2);
    }
    if (s->body == NULL) {
        screen_delwin(s);
        return;
    }
    leaveok(s->body, TRUE);
    if (s->ops->resize != NULL)
        s->ops->resize(a, s);
}

void
screen_refit(struct app *a, struct screen *s)
{
    if (s->win == NULL || s->ops->size == NULL || s->gone)
        return;
    int h = 0, w = 0;
    s->ops->size(a, s, a->lay.rows - 4, a->lay.cols - 4, &h, &w);
    struct rect box;
    bool full;
    screen_place(a->lay.rows, a->lay.cols, h, w, &box, &full);
    if (full == s->full && box.h == s->rect.h && box.w == s->rect.w)
        return;
    screen_make_win(a, s);
    a->all_dirty = true; /* what a smaller box uncovers */
}

void
screen_relayout(struct app *a)
{
    for (size_t i = 0; i < a->screens.len; i++)
        screen_make_win(a, a->screens.items[i]);
    a->status_dirty = true;
}

struct screen *
screen_push(struct app *a, const struct screen_ops *ops, void *priv,
            const char *title)
{
    struct screen *s = xcalloc(1, sizeof *s);
    s->ops = ops;
    s->priv = priv;
    s->id = ++a->screen_ids;
    s->title = title != NULL ? xstrdup(title) : NULL;
    s->cur_y = s->cur_x = -1;
    vec_push(&a->screens, s);
    screen_make_win(a, s);
    a->status_dirty = true;
    return s;
}

void
screen_pop(struct app *a, struct screen *s)
{
    size_t i;
    for (i = 0; i < a->screens.len; i++)
        if (a->screens.items[i] == s)
            break;
    if (i == a->screens.len)
        return; /* already popped */
    while (a->screens.len > i) {
        struct screen *t = vec_pop(&a->screens);
        t->gone = true;
        screen_delwin(t);
        vec_push(&a->screens_gone, t);
    }
    /* What the boxes covered must come back. */
    a->all_dirty = true;
}

void
screen_reap(struct app *a)
{
    for (size_t i = 0; i < a->screens_gone.len; i++) {
        struct screen *s = a->screens_gone.items[i];
        if (s->ops->destroy != NULL)
            s->ops->destroy(s);
        free(s->title);
        free(s);
    }
    vec_clear(&a->screens_gone);
}

void
screen_free_all(struct app *a)
{
    if (a->screens.len > 0)
        screen_pop(a, a->screens.items[0]);
    screen_reap(a);
    vec_free(&a->screens);
    vec_free(&a->screens_gone);
}

void
screen_set_title(struct app *a, struct screen *s, const char *title)
{
    free(s->title);
    s->title = title != NULL ? xstrdup(title) : NULL;
    if (s->full)
        screen_make_win(a, s); /* the title line comes or goes */
    s->dirty = true;
}

uint64_t
screen_submit(struct app *a, struct screen *s, struct job *job)
{
    job->deliver = screen_deliver;
    job->ctx = a;
    job->generation = s->id;
    return engine_submit(a->eng, job);
}

void
screen_deliver(void *ctx, struct result *r)
{
    struct app *a = ctx;
    struct screen *s = screen_find(a, r->generation);
    if (s != NULL && s->ops->on_result != NULL) {
        s->ops->on_result(a, s, r);
        return;
    }
    /* The screen is gone. A plan coming back must not end unseen: say
     * how it ended before result_free() frees it with the result. */
    if (r->plan != NULL && (r->type == RESULT_DONE || r->type == RESULT_ERROR))
        app_message(a, r->type == RESULT_ERROR, "%s",
                    r->type == RESULT_DONE
                        ? _("a plan whose screen was closed has finished")
                        : _("a plan whose screen was closed has stopped; "
                            "see the journal"));
}

/* The border of a box, with its title in the top line. */
static void
screen_border(struct app *a, struct screen *s)
{
    static const char *const utf8[] = {"┌", "┐", "└", "┘", "─", "│"};
    static const char *const ascii[] = {"+", "+", "+", "+", "-", "|"};
    const char *const *g = a->term.utf8 ? utf8 : ascii;
    WINDOW *w = s->win;
    int h = s->rect.h, wd = s->rect.w;
    attr_t at = term_attr(&a->term, ST_TITLE);
    wattrset(w, at);
    mvwaddstr(w, 0, 0, g[0]);
    for (int x = 1; x < wd - 1; x++)
        waddstr(w, g[4]);
    waddstr(w, g[1]);
    for (int y = 1; y < h - 1; y++) {
        mvwaddstr(w, y, 0, g[5]);
        mvwaddstr(w, y, wd - 1, g[5]);
    }
    mvwaddstr(w, h - 1, 0, g[2]);
    for (int x = 1; x < wd - 1; x++)
        waddstr(w, g[4]);
    /* The last cell: addstr there would scroll a window that touches the
     * screen's corner; the window never does (status bar below). */
    waddstr(w, g[3]);
    wattrset(w, A_NORMAL);
    if (s->title != NULL && wd > 8) {
        char t[512];
        snprintf(t, sizeof t, " %s ", s->title);
        draw_text(a, w, 0, 2, wd - 4, t, ST_TITLE_FOCUS, false);
    }
}

/* Draws one screen anew. */
static void
screen_draw(struct app *a, struct screen *s)
{
    werase(s->win);
    if (s->full) {
        if (s->title != NULL)
            draw_text(a, s->win, 0, 0, s->rect.w, s->title, ST_TITLE_FOCUS,
                      true);
    } else {
        screen_border(a, s);
    }
    s->cur_y = s->cur_x = -1;
    if (s->ops->draw != NULL)
        s->ops->draw(a, s, s->body);
    touchwin(s->win);
    wnoutrefresh(s->win);
    s->dirty = false;
}

bool
screen_render(struct app *a, bool below_changed)
{
    size_t first = 0;
    for (size_t i = 0; i < a->screens.len; i++) {
        struct screen *s = a->screens.items[i];
        if (s->full && s->win != NULL)
            first = i;
    }
    bool covered = false, changed = below_changed;
    for (size_t i = first; i < a->screens.len; i++) {
        struct screen *s = a->screens.items[i];
        if (s->win == NULL || s->hidden)
            continue;
        covered |= s->full;
        if (s->dirty || a->all_dirty) {
            screen_draw(a, s);
            changed = true;
        } else if (changed) {
            /* Something below was drawn over it: put it back on top
             * (only cells that differ go to the terminal). */
            touchwin(s->win);
            wnoutrefresh(s->win);
        }
    }
    return covered;
}

bool
screen_key(struct app *a, int ch, bool is_key)
{
    struct screen *s = screen_top(a);
    if (s == NULL)
        return false;
    enum view_result r =
        s->ops->key != NULL ? s->ops->key(a, s, ch, is_key) : VIEW_IGNORED;
    /* The handler may have popped s (and pushed others): s is not freed
     * before screen_reap(), so s->gone can still be read. */
    if (!s->gone) {
        if (r & VIEW_REDRAW)
            s->dirty = true;
        if (r & VIEW_CLOSE)
            screen_pop(a, s);
    }
    if (r & VIEW_STATUS)
        a->status_dirty = true;
    if (r & VIEW_REDRAW_ALL)
        a->all_dirty = true;
    if (r & VIEW_QUIT)
        a->quit = true;
    return true;
}

int
screen_tick(struct app *a, int64_t now)
{
    int64_t next = 0;
    for (size_t i = 0; i < a->screens.len; i++) {
        struct screen *s = a->screens.items[i];
        if (s->ops->tick == NULL)
            continue;
        int64_t t = s->ops->tick(a, s, now);
        if (t > 0 && (next == 0 || t < next))
            next = t;
    }
    if (next == 0)
        return -1;
    return next > now ? (int)(next - now) : 0;
}
