/*
 * wizard.c — the host of the value-writing wizards. The host is a small
 * screen at the bottom of the wizard's stack that owns its state; the
 * pages are form screens over it (widget-form.h), then the review and
 * the progress; at the end the host grows to show the outcome and the
 * new value (masked; v shows it for reveal-seconds, y copies it with
 * OSC 52). Closing the host closes everything above it and wipes the
 * value.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/timeutil.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "engine/job.h"
#include "tui/draw.h"
#include "tui/osc52.h"
#include "tui/text.h"
#include "tui/widget-dialog.h"
#include "tui/widget-form.h"
#include "tui/widget-progress.h"
#include "tui/widget-review.h"
#include "tui/wizard.h"

#define WIZARD_WIDTH     70
#define WIZARD_MAX_PAGES 6
#define WIZARD_MASK_MAX  32

enum wizard_phase {
    WZ_LOADING, /* ops->page() said not yet */
    WZ_PAGES,   /* a page form (or the review) is on top */
    WZ_BUSY,    /* a plan runs, or a question is asked */
    WZ_OUTCOME, /* how it ended, on the host */
};

struct wizard_line {
    char *text;
    enum style st;
};

struct wizard {
    const struct wizard_ops *ops;
    void *priv;
    struct screen *s; /* the host; valid until it is reaped */
    char *title;
    enum wizard_phase phase;
    int page;                               /* the page shown */
    struct screen *pages[WIZARD_MAX_PAGES]; /* page forms on the stack */
    struct plan *review;                    /* while reviewed */
    struct vec lines;                       /* struct wizard_line * */
    struct secret *value;                   /* shown at the end */
    bool revealed;
    int64_t reveal_until;
    void (*ask)(struct app *a, struct wizard *w, bool yes);
};

void *
wizard_priv(struct wizard *w)
{
    return w->priv;
}

struct form *
wizard_form(struct wizard *w, int i)
{
    if (i < 0 || i >= WIZARD_MAX_PAGES || w->pages[i] == NULL)
        return NULL;
    return widget_form_of(w->pages[i]);
}

uint64_t
wizard_submit(struct app *a, struct wizard *w, struct job *job)
{
    return screen_submit(a, w->s, job);
}

void
wizard_close(struct app *a, struct wizard *w)
{
    screen_pop(a, w->s);
}

/* ---- pages ------------------------------------------------------------ */

static void wz_page_done(struct app *a, struct screen *s, struct form *f,
                         bool submitted, void *ctx);

/* Only page top of the wizard's pages is drawn (WIZARD_MAX_PAGES: none,
 * the review is up): an earlier page of another size would show around
 * it as a stack of boxes. */
static void
wz_cover(struct app *a, struct wizard *w, int top)
{
    for (int i = 0; i < WIZARD_MAX_PAGES; i++)
        if (w->pages[i] != NULL)
            w->pages[i]->hidden = i != top;
    a->all_dirty = true;
}

/* Shows page i: its form over the host, or the host says "Loading". */
static void
wz_show_page(struct app *a, struct wizard *w, int i)
{
    w->page = i;
    struct form *f = w->ops->page(a, w, i);
    if (f == NULL) {
        w->phase = WZ_LOADING;
        screen_refit(a, w->s);
        w->s->dirty = true;
        if (i > 0) { /* the page before hides the host: say it here */
            const char *t =
                w->ops->loading != NULL ? w->ops->loading(a, w) : NULL;
            app_message(a, false, "%s", t != NULL ? t : _("Loading…"));
        }
        return;
    }
    w->phase = WZ_PAGES;
    form_set_buttons(f, i + 1 < w->ops->pages ? _("Next") : _("Review"),
                     i > 0 ? _("Back") : _("Cancel"));
    char *t = w->ops->pages > 1
                  ? xasprintf("%s (%d/%d)", w->title, i + 1, w->ops->pages)
                  : xstrdup(w->title);
    w->pages[i] = widget_form_push(a, t, f, wz_page_done, w, NULL);
    free(t);
    wz_cover(a, w, i);
    screen_refit(a, w->s);
}

void
wizard_page_changed(struct app *a, struct wizard *w, int i)
{
    if (i < 0 || i >= WIZARD_MAX_PAGES || w->pages[i] == NULL)
        return;
    screen_refit(a, w->pages[i]);
    w->pages[i]->dirty = true;
    a->status_dirty = true;
}

void
wizard_update(struct app *a, struct wizard *w)
{
    if (w->phase == WZ_LOADING)
        wz_show_page(a, w, w->page);
}

static void
wz_review_done(struct app *a, struct screen *s, bool apply, void *ctx)
{
    struct wizard *w = ctx;
    if (!apply) { /* back to the last page, nothing sent */
        plan_free(w->review);
        w->review = NULL;
        wz_cover(a, w, w->page);
        return;
    }
    (void)s;
    struct plan *p = w->review;
    w->review = NULL;
    /* the pages and the review go; their forms are wiped */
    if (w->pages[0] != NULL)
        screen_pop(a, w->pages[0]);
    memset(w->pages, 0, sizeof w->pages);
    wizard_run(a, w, p);
}

static void
wz_page_done(struct app *a, struct screen *s, struct form *f, bool submitted,
             void *ctx)
{
    struct wizard *w = ctx;
    int i = 0;
    while (i < WIZARD_MAX_PAGES && w->pages[i] != s)
        i++;
    if (i == WIZARD_MAX_PAGES)
        return;
    if (!submitted) { /* Esc: the form is gone; back a page, or close */
        w->pages[i] = NULL;
        w->page = i - 1;
        w->phase = WZ_PAGES; /* a next page still loading is not wanted */
        if (i == 0)
            wizard_close(a, w);
        else
            wz_cover(a, w, i - 1);
        return;
    }
    if (w->ops->next != NULL && !w->ops->next(a, w, i, f))
        return;
    if (i + 1 < w->ops->pages) {
        wz_show_page(a, w, i + 1);
        return;
    }
    char *why = NULL;
    struct plan *p = w->ops->plan(a, w, &why);
    if (p == NULL) {
        app_message(a, true, "%s", why != NULL ? why : "");
        free(why);
        return;
    }
    wizard_review(a, w, p);
}

void
wizard_review(struct app *a, struct wizard *w, struct plan *p)
{
    plan_free(w->review);
    w->review = p;
    wz_cover(a, w, WIZARD_MAX_PAGES);
    widget_review_push(a, p, wz_review_done, w);
}

/* ---- running plans and questions -------------------------------------- */

static void
wz_progress_done(struct app *a, struct screen *s, enum progress_choice c,
                 struct plan *p, void *ctx)
{
    struct wizard *w = ctx;
    if (p != NULL && (c == PROGRESS_RETRY || c == PROGRESS_ROLLBACK)) {
        widget_progress_again(a, s, p, c);
        return;
    }
    screen_pop(a, s);
    w->phase = WZ_OUTCOME;
    if (p != NULL)
        w->ops->end(a, w, p);
    else
        wizard_say(w, ST_ERROR, "%s",
                   _("The plan did not come back; see the journal."));
    plan_free(p);
    screen_refit(a, w->s);
    w->s->dirty = true;
    a->status_dirty = true;
}

void
wizard_run(struct app *a, struct wizard *w, struct plan *p)
{
    w->phase = WZ_BUSY;
    screen_refit(a, w->s);
    widget_progress_push(a, p, PLAN_APPLY, wz_progress_done, w);
}

static void
wz_ask_done(struct app *a, bool yes, void *ctx)
{
    struct wizard *w = ctx;
    void (*fn)(struct app *, struct wizard *, bool) = w->ask;
    w->ask = NULL;
    w->phase = WZ_OUTCOME;
    if (fn != NULL)
        fn(a, w, yes);
    screen_refit(a, w->s);
    w->s->dirty = true;
}

void
wizard_ask(struct app *a, struct wizard *w, const char *title,
           const char *message, const char *ok_label,
           void (*done)(struct app *a, struct wizard *w, bool yes))
{
    w->ask = done;
    w->phase = WZ_BUSY;
    screen_refit(a, w->s);
    widget_dialog_push(a, title, message, ok_label, wz_ask_done, w);
}

void
wizard_say(struct wizard *w, enum style st, const char *fmt, ...)
{
    struct wizard_line *l = xcalloc(1, sizeof *l);
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&l->text, fmt, ap) < 0)
        l->text = xstrdup("");
    va_end(ap);
    l->st = st;
    vec_push(&w->lines, l);
}

void
wizard_show_value(struct wizard *w, struct secret *value)
{
    secret_free(w->value);
    w->value = value;
    w->revealed = false;
}

/* ---- the host screen -------------------------------------------------- */

/* The outcome as wrapped lines (text borrowed from l's wrap into out). */
static void
wz_outcome_lines(struct wizard *w, int width, struct vec *out,
                 struct vec *styles)
{
    for (size_t i = 0; i < w->lines.len; i++) {
        struct wizard_line *l = w->lines.items[i];
        size_t before = out->len;
        if (*l->text == '\0')
            vec_push(out, xstrdup(""));
        else
            text_wrap(l->text, width, out);
        for (size_t k = before; k < out->len; k++)
            vec_push(styles, (void *)(uintptr_t)l->st);
    }
}

/* Characters of the value (UTF-8 lead bytes); the bytes are not copied. */
static size_t
wz_value_chars(const struct secret *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->len; i++)
        n += ((unsigned char)v->data[i] & 0xc0) != 0x80;
    return n;
}

static int
wz_value_rows(struct wizard *w, int width)
{
    if (w->value == NULL)
        return 0;
    if (!w->revealed || width < 1)
        return 3; /* label, masked line, keys */
    size_t chars = wz_value_chars(w->value);
    return 2 + (int)((chars + (size_t)width - 1) / (size_t)width);
}

static void
wz_size(struct app *a, struct screen *s, int max_h, int max_w, int *h, int *w)
{
    (void)a;
    struct wizard *wz = s->priv;
    *w = max_w < WIZARD_WIDTH ? max_w : WIZARD_WIDTH;
    if (wz->phase == WZ_PAGES || wz->phase == WZ_BUSY) {
        /* hidden under the page, review, progress or question */
        *h = 1;
        *w = *w < 20 ? *w : 20;
        return;
    }
    if (wz->phase == WZ_LOADING) {
        *h = 3;
        return;
    }
    struct vec lines = VEC_INIT, styles = VEC_INIT;
    wz_outcome_lines(wz, *w, &lines, &styles);
    *h = (int)lines.len + 1 + wz_value_rows(wz, *w) + 1;
    vec_free_all(&lines, free);
    vec_free(&styles);
    if (*h > max_h)
        *h = max_h + 1;
}

/* The value: masked, or its characters straight from secure memory. */
static int
wz_draw_value(struct app *a, struct wizard *w, WINDOW *win, int y, int rows,
              int width)
{
    draw_text(a, win, y++, 0, width, _("New value:"), ST_TITLE, false);
    if (!w->revealed) {
        size_t chars = wz_value_chars(w->value);
        char line[WIZARD_MASK_MAX * 4 + 64];
        size_t o = 0;
        const char *mask = a->term.utf8 ? "•" : "*";
        for (size_t i = 0; i < chars && i < WIZARD_MASK_MAX; i++)
            o += (size_t)snprintf(line + o, sizeof line - o, "%s", mask);
        snprintf(line + o, sizeof line - o, _(" (%zu characters, hidden)"),
                 chars);
        if (y < rows)
            draw_text(a, win, y, 2, width - 2, line, ST_VALUE, false);
        return y + 1;
    }
    /* Row by row, a character never split; curses keeps its own copy
     * of what is on the screen, as with the secrets pane's reveal. */
    const char *p = w->value->data, *end = p + w->value->len;
    wattrset(win, term_attr(&a->term, ST_VALUE));
    while (p < end && y < rows) {
        const char *q = p;
        int cols = 0;
        while (q < end && cols < width) {
            q++;
            while (q < end && ((unsigned char)*q & 0xc0) == 0x80)
                q++;
            cols++;
        }
        mvwaddnstr(win, y++, 0, p, (int)(q - p));
        p = q;
    }
    wattrset(win, A_NORMAL);
    return y;
}

static void
wz_draw(struct app *a, struct screen *s, WINDOW *win)
{
    struct wizard *w = s->priv;
    int rows, width;
    getmaxyx(win, rows, width);
    if (w->phase == WZ_LOADING) {
        const char *t = w->ops->loading != NULL ? w->ops->loading(a, w) : NULL;
        draw_text(a, win, 0, 0, width, t != NULL ? t : _("Loading…"), ST_DIM,
                  false);
        return;
    }
    if (w->phase != WZ_OUTCOME)
        return;
    struct vec lines = VEC_INIT, styles = VEC_INIT;
    wz_outcome_lines(w, width, &lines, &styles);
    int y = 0;
    for (size_t i = 0; i < lines.len && y < rows; i++)
        draw_text(a, win, y++, 0, width, lines.items[i],
                  (enum style)(uintptr_t)styles.items[i], false);
    vec_free_all(&lines, free);
    vec_free(&styles);
    if (w->value != NULL && y + 1 < rows) {
        y = wz_draw_value(a, w, win, y + 1, rows, width);
        if (y < rows)
            draw_text(a, win, y, 0, width,
                      w->revealed ? _("v hides it again; y copies it (OSC 52)")
                                  : _("v shows it; y copies it (OSC 52); it "
                                      "is wiped when this closes"),
                      ST_DIM, false);
    }
}

/* Copies the value with OSC 52, straight to the terminal. */
static void
wz_copy(struct app *a, struct wizard *w)
{
    char *why = NULL;
    enum osc52_mode mode = osc52_mode_from_env(getenv("TMUX"), getenv("STY"));
    if (osc52_write(a->term.fd, w->value, mode, &why) == KV_OK)
        app_message(a, false, "%s",
                    _("copied the new value to the clipboard (OSC 52)"));
    else
        app_message(a, true, "%s", why != NULL ? why : "");
    free(why);
}

static enum view_result
wz_key(struct app *a, struct screen *s, int ch, bool is_key)
{
    struct wizard *w = s->priv;
    bool esc = !is_key && ch == 27;
    if (w->phase == WZ_LOADING) {
        if (esc || (!is_key && ch == 'q'))
            wizard_close(a, w);
        return VIEW_HANDLED;
    }
    if (w->phase != WZ_OUTCOME)
        return VIEW_HANDLED;
    if (esc || (!is_key && (ch == 'q' || ch == '\n' || ch == '\r')) ||
        (is_key && ch == KEY_ENTER)) {
        wizard_close(a, w);
        return VIEW_HANDLED;
    }
    if (!is_key && ch == 'v' && w->value != NULL) {
        w->revealed = !w->revealed;
        w->reveal_until =
            time_mono_ms() + (int64_t)a->cfg->reveal_seconds * 1000;
        screen_refit(a, s);
        return VIEW_REDRAW;
    }
    if (!is_key && ch == 'y' && w->value != NULL) {
        wz_copy(a, w);
        return VIEW_HANDLED;
    }
    return VIEW_HANDLED;
}

static int64_t
wz_tick(struct app *a, struct screen *s, int64_t now)
{
    struct wizard *w = s->priv;
    int64_t next = w->ops->tick != NULL ? w->ops->tick(a, w, now) : 0;
    if (!w->revealed || a->cfg->reveal_seconds <= 0)
        return next;
    if (now >= w->reveal_until) {
        w->revealed = false;
        screen_refit(a, s);
        s->dirty = true;
        return next;
    }
    return next != 0 && next < w->reveal_until ? next : w->reveal_until;
}

static void
wz_on_result(struct app *a, struct screen *s, struct result *r)
{
    struct wizard *w = s->priv;
    if (w->ops->on_result != NULL)
        w->ops->on_result(a, w, r);
}

static const struct frame_hint *
wz_hints(struct app *a, struct screen *s)
{
    (void)a;
    static const struct frame_hint loading[] = {
        {.key = "Esc", .label = N_("cancel")},
        {.label = NULL},
    };
    static const struct frame_hint value[] = {
        {.key = "v", .label = N_("show/hide the value")},
        {.key = "y", .label = N_("copy it")},
        {.key = "Enter", .label = N_("close")},
        {.label = NULL},
    };
    struct wizard *w = s->priv;
    if (w->phase == WZ_OUTCOME)
        return w->value != NULL ? value : value + 2;
    return loading;
}

static void
wz_destroy(struct screen *s)
{
    struct wizard *w = s->priv;
    plan_free(w->review);
    secret_free(w->value);
    for (size_t i = 0; i < w->lines.len; i++) {
        struct wizard_line *l = w->lines.items[i];
        free(l->text);
        free(l);
    }
    vec_free(&w->lines);
    if (w->ops->free != NULL)
        w->ops->free(w->priv);
    free(w->title);
    free(w);
}

static const struct screen_ops wizard_screen_ops = {
    .name = "wizard",
    .key = wz_key,
    .draw = wz_draw,
    .size = wz_size,
    .on_result = wz_on_result,
    .tick = wz_tick,
    .hints = wz_hints,
    .destroy = wz_destroy,
};

struct wizard *
wizard_push(struct app *a, const struct wizard_ops *ops, void *priv,
            const char *title)
{
    struct wizard *w = xcalloc(1, sizeof *w);
    w->ops = ops;
    w->priv = priv;
    w->title = xstrdup(title);
    w->phase = WZ_LOADING;
    vec_init(&w->lines);
    w->s = screen_push(a, &wizard_screen_ops, w, title);
    wz_show_page(a, w, 0);
    return w;
}
