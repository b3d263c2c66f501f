/*
 * widget-progress.c — the progress screen of a running plan.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/timeutil.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "engine/job.h"
#include "tui/draw.h"
#include "tui/explain.h"
#include "tui/text.h"
#include "tui/widget-progress.h"

#define PROGRESS_WIDTH   70
#define PROGRESS_TICK_MS 250

struct progress {
    struct plansheet *ps;
    widget_progress_fn done;
    void *ctx;
    void (*ctx_free)(void *ctx); /* widget_progress_set_ctx_free() */
    uint64_t job;                /* the plan's job while it runs, else 0 */
    struct plan *plan;           /* handed back at the end, until the choice */
    bool stopping;               /* asked to stop between steps */
    int spin;
    int64_t next_tick;
    size_t button; /* focused choice at the end */
    int top;       /* first report line shown */
};

/* The choices at the end, in button order. */
static size_t
progress_choices(const struct progress *pr, enum progress_choice *out)
{
    size_t n = 0;
    if (!pr->ps->failed) {
        out[n++] = PROGRESS_CLOSE;
        return n;
    }
    out[n++] = PROGRESS_RETRY;
    if (pr->ps->can_roll_back)
        out[n++] = PROGRESS_ROLLBACK;
    out[n++] = PROGRESS_LEAVE;
    return n;
}

static const char *
progress_choice_label(enum progress_choice c)
{
    switch (c) {
    case PROGRESS_RETRY:
        return _("Retry");
    case PROGRESS_ROLLBACK:
        return _("Roll back");
    case PROGRESS_LEAVE:
        return _("Leave as is");
    case PROGRESS_CLOSE:
    default:
        return _("Close");
    }
}

static const char *
progress_mark(struct app *a, const struct progress *pr, enum step_state st)
{
    static const char *const utf8[] = {
        [STEP_PENDING] = "·", [STEP_DONE] = "✓",   [STEP_FAILED] = "✗",
        [STEP_SKIPPED] = "–", [STEP_UNDONE] = "↶", [STEP_RUNNING] = "",
    };
    static const char *const ascii[] = {
        [STEP_PENDING] = ".", [STEP_DONE] = "y",   [STEP_FAILED] = "x",
        [STEP_SKIPPED] = "-", [STEP_UNDONE] = "<", [STEP_RUNNING] = "",
    };
    if (st == STEP_RUNNING)
        return a->term.g.spinner[pr->spin % a->term.g.nspinner];
    if ((unsigned)st > STEP_UNDONE)
        return "?";
    return a->term.utf8 ? utf8[st] : ascii[st];
}

static enum style
progress_style(enum step_state st)
{
    switch (st) {
    case STEP_DONE:
        return ST_OK;
    case STEP_FAILED:
        return ST_ERROR;
    case STEP_RUNNING:
        return ST_TITLE;
    case STEP_PENDING:
    case STEP_SKIPPED:
    case STEP_UNDONE:
    default:
        return ST_DIM;
    }
}

/* A line of plan_report() the screen shows already: the title, or a
 * step with its state ("  2. [done] Write ..."). */
static bool
progress_shown(const struct plansheet *ps, const char *line)
{
    if (ps->title != NULL && strcmp(line, ps->title) == 0)
        return true;
    const char *p = line;
    if (strncmp(p, "  ", 2) != 0)
        return false;
    p += 2;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    return strncmp(p, ". [", 3) == 0;
}

/* Lines of the report at the end (wrapped), without what the steps above
 * show: at 80x24 Azure's error and what exists now must fit. */
static void
progress_report(const struct plansheet *ps, int width, struct vec *out)
{
    if (ps->report == NULL)
        return;
    const char *p = ps->report;
    while (*p != '\0') {
        size_t n = strcspn(p, "\n");
        char *line = xstrndup(p, n);
        if (!progress_shown(ps, line))
            text_wrap(line, width, out);
        free(line);
        p += n;
        if (*p == '\n')
            p++;
    }
}

static void
progress_size(struct app *a, struct screen *s, int max_h, int max_w, int *h,
              int *w)
{
    (void)a;
    struct progress *pr = s->priv;
    *w = max_w < PROGRESS_WIDTH ? max_w : PROGRESS_WIDTH;
    /* steps with a line each for their progress, the time, the outcome
     * and a few lines of report, the buttons */
    *h = (int)pr->ps->n * 2 + 11; /* + the step at work, wrapped */
    if (*h > max_h)
        *h = max_h; /* a box as high as it gets: the report scrolls */
}

static void
progress_draw(struct app *a, struct screen *s, WINDOW *w)
{
    struct progress *pr = s->priv;
    struct plansheet *ps = pr->ps;
    int rows, width;
    getmaxyx(w, rows, width);
    int y = 0;
    /* At the end the report needs the room: steps without their text. */
    bool compact = ps->ended || (int)ps->n * 2 + 4 > rows;
    for (size_t i = 0; i < ps->n && y < rows - 2; i++) {
        const struct plansheet_step *st = &ps->steps[i];
        char line[512];
        snprintf(line, sizeof line, "%s %zu %s",
                 progress_mark(a, pr, st->state), i + 1, st->text);
        /* The step at work is read in full: its sentence and what it
         * waits for wrap (a few lines at most, while the box has room);
         * the others keep a line each (a failure's whole text is in the
         * report below). */
        bool live = st->state == STEP_RUNNING;
        int spare = rows - 2 - y - (int)(ps->n - i) * (compact ? 1 : 2);
        struct vec tl = VEC_INIT;
        if (live && spare > 0 && width > 8)
            text_wrap(line, width - 4, &tl);
        int tn = (int)tl.len > 1 ? (int)tl.len : 1;
        if (tn > 1 + spare / 2)
            tn = 1 + spare / 2;
        int drawn = 0;
        for (int k = 0; k < tn && y < rows - 2; k++, drawn++)
            draw_text(a, w, y++, k == 0 ? 0 : 4, k == 0 ? width : width - 4,
                      tl.len > 0 ? (const char *)tl.items[k] : line,
                      st->state == STEP_RUNNING ? ST_TITLE : ST_NORMAL, false);
        vec_free_all(&tl, free);
        /* the mark in its state's colour */
        draw_text(a, w, y - drawn, 0, 1, progress_mark(a, pr, st->state),
                  progress_style(st->state), false);
        if (st->progress != NULL &&
            (!compact || live || st->state == STEP_FAILED) && y < rows - 2) {
            struct vec pl = VEC_INIT;
            spare = rows - 2 - y - (int)(ps->n - i - 1) * (compact ? 1 : 2);
            if (live && width > 8)
                text_wrap(st->progress, width - 4, &pl);
            int pn = (int)pl.len > 1 ? (int)pl.len : 1;
            if (pn > spare)
                pn = spare > 1 ? spare : 1;
            if (pn > 4)
                pn = 4;
            for (int k = 0; k < pn && y < rows - 2; k++)
                draw_text(a, w, y++, 4, width - 4,
                          pl.len > 0 ? (const char *)pl.items[k] : st->progress,
                          st->state == STEP_FAILED ? ST_ERROR : ST_DIM, false);
            vec_free_all(&pl, free);
        }
    }
    y++;
    int64_t now = time_mono_ms();
    long secs = plansheet_elapsed(ps, now);
    char line[512];
    if (!ps->ended) {
        const char *what = pr->stopping
                               ? _("stopping after the step in progress")
                               : ps->status;
        snprintf(line, sizeof line, _("Elapsed %ld:%02ld%s%s"), secs / 60,
                 secs % 60, what != NULL ? "  " : "", what ? what : "");
        if (y < rows)
            draw_text(a, w, y, 0, width, line, ST_DIM, false);
        return;
    }
    if (!ps->failed)
        snprintf(line, sizeof line, _("%s Done in %ld:%02ld."), a->term.g.yes,
                 secs / 60, secs % 60);
    else if (ps->cancelled)
        snprintf(line, sizeof line, _("%s Stopped on request after %ld:%02ld."),
                 a->term.g.warn, secs / 60, secs % 60);
    else
        snprintf(line, sizeof line,
                 _("%s Stopped at step %zu after %ld:%02ld."), a->term.g.no,
                 plansheet_current(ps) + 1, secs / 60, secs % 60);
    if (y < rows)
        draw_text(a, w, y, 0, width, line, ps->failed ? ST_ERROR : ST_OK,
                  false);
    y += 2;
    /* The report scrolls between the outcome and the buttons. */
    struct vec rep = VEC_INIT;
    progress_report(ps, width, &rep);
    int room = rows - 2 - y;
    int max_top = (int)rep.len - room > 0 ? (int)rep.len - room : 0;
    if (pr->top > max_top)
        pr->top = max_top;
    for (int k = 0; k < room && (size_t)(pr->top + k) < rep.len; k++)
        draw_text(a, w, y + k, 0, width, rep.items[pr->top + k], ST_NORMAL,
                  false);
    vec_free_all(&rep, free);
    enum progress_choice ch[4];
    size_t n = progress_choices(pr, ch);
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        char b[96];
        snprintf(b, sizeof b, "[ %s ]", progress_choice_label(ch[i]));
        if (x + text_width(b) > width)
            break;
        x += draw_text(a, w, rows - 1, x, width - x, b,
                       i == pr->button ? ST_SELECTED : ST_NORMAL, false) +
             2;
    }
}

/* Hands the choice and the plan to the owner. */
static void
progress_choose(struct app *a, struct screen *s, enum progress_choice c)
{
    struct progress *pr = s->priv;
    struct plan *p = pr->plan;
    pr->plan = NULL;
    if (pr->done != NULL) {
        pr->done(a, s, c, p, pr->ctx);
        return;
    }
    plan_free(p);
    screen_pop(a, s);
}

static enum view_result
progress_key(struct app *a, struct screen *s, int ch, bool is_key)
{
    struct progress *pr = s->priv;
    struct plansheet *ps = pr->ps;
    if (!ps->ended) {
        if (!is_key && (ch == 'c' || ch == 27) && !pr->stopping) {
            /* Between steps only: a write cut half way would leave Azure
             * in a state nobody knows. */
            pr->stopping = true;
            if (pr->job != 0)
                engine_interrupt(a->eng, pr->job);
            return VIEW_REDRAW | VIEW_STATUS;
        }
        return VIEW_HANDLED;
    }
    enum progress_choice choices[4];
    size_t n = progress_choices(pr, choices);
    if (is_key && (ch == KEY_UP || ch == KEY_DOWN)) {
        pr->top += ch == KEY_UP ? (pr->top > 0 ? -1 : 0) : 1;
        return VIEW_REDRAW;
    }
    if ((is_key && (ch == KEY_LEFT || ch == KEY_BTAB)) ||
        (is_key && ch == KEY_RIGHT) || (!is_key && ch == '\t')) {
        bool back = is_key && (ch == KEY_LEFT || ch == KEY_BTAB);
        pr->button = (pr->button + (back ? n - 1 : 1)) % n;
        return VIEW_REDRAW;
    }
    enum progress_choice c;
    if (!is_key && (ch == '\n' || ch == '\r'))
        c = choices[pr->button < n ? pr->button : 0];
    else if (is_key && ch == KEY_ENTER)
        c = choices[pr->button < n ? pr->button : 0];
    else if (!is_key && (ch == 27 || ch == 'q'))
        c = ps->failed ? PROGRESS_LEAVE : PROGRESS_CLOSE;
    else if (!is_key && ch == 'r' && ps->failed)
        c = PROGRESS_RETRY;
    else if (!is_key && ch == 'b' && ps->failed && ps->can_roll_back)
        c = PROGRESS_ROLLBACK;
    else if (!is_key && ch == 'l' && ps->failed)
        c = PROGRESS_LEAVE;
    else
        return VIEW_HANDLED;
    progress_choose(a, s, c);
    return VIEW_REDRAW | VIEW_STATUS;
}

static void
progress_on_result(struct app *a, struct screen *s, struct result *r)
{
    struct progress *pr = s->priv;
    struct plansheet *ps = pr->ps;
    int64_t now = time_mono_ms();
    switch (r->type) {
    case RESULT_STEP:
        plansheet_step(ps, r->step, r->step_state, r->message);
        break;
    case RESULT_PROGRESS:
        plansheet_status(ps, r->message);
        break;
    case RESULT_DONE:
    case RESULT_ERROR: {
        bool cancelled =
            r->type == RESULT_ERROR && r->status == KV_ERR_CANCELLED;
        pr->job = 0;
        pr->stopping = false;
        pr->button = 0;
        pr->top = 0;
        if (r->plan != NULL) {
            plan_free(pr->plan);
            pr->plan = r->plan;
            r->plan = NULL;
            plansheet_end_plan(ps, pr->plan, cancelled, now);
            /* A 403 says which permission is missing and for whom,
             * above Azure's own words (one place for every plan). */
            char *why = explain_plan(a, pr->plan);
            if (why != NULL) {
                char *rep = xasprintf("%s\n\n%s", why,
                                      ps->report != NULL ? ps->report : "");
                free(ps->report);
                ps->report = rep;
                free(why);
            }
        } else {
            plansheet_end(ps, now, r->type == RESULT_ERROR, cancelled, false,
                          r->message);
        }
        a->status_dirty = true; /* the hints change */
        break;
    }
    case RESULT_PAGE:
    default:
        break;
    }
    s->dirty = true;
}

static int64_t
progress_tick(struct app *a, struct screen *s, int64_t now)
{
    (void)a;
    struct progress *pr = s->priv;
    if (!pr->ps->running || pr->ps->ended)
        return 0;
    if (now >= pr->next_tick) {
        pr->spin++;
        s->dirty = true;
        pr->next_tick = now + PROGRESS_TICK_MS;
    }
    return pr->next_tick;
}

static const struct frame_hint *
progress_hints(struct app *a, struct screen *s)
{
    (void)a;
    static const struct frame_hint running[] = {
        {.key = "c", .label = N_("stop after this step")},
        {.label = NULL},
    };
    static const struct frame_hint failed[] = {
        {.key = "r", .label = N_("retry")},
        {.key = "b", .label = N_("roll back")},
        {.key = "l", .label = N_("leave as is")},
        {.label = NULL},
    };
    static const struct frame_hint failed_no_undo[] = {
        {.key = "r", .label = N_("retry")},
        {.key = "l", .label = N_("leave as is")},
        {.label = NULL},
    };
    static const struct frame_hint done[] = {
        {.key = "Enter", .label = N_("close")},
        {.label = NULL},
    };
    struct progress *pr = s->priv;
    if (!pr->ps->ended)
        return pr->stopping ? done + 1 : running;
    if (!pr->ps->failed)
        return done;
    return pr->ps->can_roll_back ? failed : failed_no_undo;
}

static void
progress_destroy(struct screen *s)
{
    struct progress *pr = s->priv;
    plansheet_free(pr->ps);
    plan_free(pr->plan);
    if (pr->ctx_free != NULL)
        pr->ctx_free(pr->ctx);
    free(pr);
}

static const struct screen_ops widget_progress_ops = {
    .name = "progress",
    .key = progress_key,
    .draw = progress_draw,
    .size = progress_size,
    .on_result = progress_on_result,
    .tick = progress_tick,
    .hints = progress_hints,
    .destroy = progress_destroy,
};

struct screen *
widget_progress_push_sheet(struct app *a, struct plansheet *ps,
                           widget_progress_fn done, void *ctx)
{
    struct progress *pr = xcalloc(1, sizeof *pr);
    pr->ps = ps;
    pr->done = done;
    pr->ctx = ctx;
    plansheet_start(ps, time_mono_ms());
    return screen_push(a, &widget_progress_ops, pr, ps->title);
}

void
widget_progress_set_ctx_free(struct screen *s, void (*ctx_free)(void *ctx))
{
    if (s != NULL && s->ops == &widget_progress_ops)
        ((struct progress *)s->priv)->ctx_free = ctx_free;
}

struct plansheet *
widget_progress_sheet(struct screen *s)
{
    return s->ops == &widget_progress_ops ? ((struct progress *)s->priv)->ps
                                          : NULL;
}

/* Sends p with mode on the screen s. */
static void
progress_send(struct app *a, struct screen *s, struct plan *p,
              enum plan_mode mode)
{
    struct progress *pr = s->priv;
    plansheet_start(pr->ps, time_mono_ms());
    pr->next_tick = 0;
    pr->job = screen_submit(a, s, job_plan(p, mode));
    s->dirty = true;
    a->status_dirty = true;
}

struct screen *
widget_progress_push(struct app *a, struct plan *p, enum plan_mode mode,
                     widget_progress_fn done, void *ctx)
{
    struct screen *s =
        widget_progress_push_sheet(a, plansheet_from_plan(p), done, ctx);
    progress_send(a, s, p, mode);
    return s;
}

void
widget_progress_again(struct app *a, struct screen *s, struct plan *p,
                      enum progress_choice c)
{
    enum plan_mode mode = c == PROGRESS_ROLLBACK ? PLAN_ROLLBACK
                          : plan_failed(p)       ? PLAN_RETRY
                                                 : PLAN_APPLY;
    progress_send(a, s, p, mode);
}
