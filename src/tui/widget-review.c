/*
 * widget-review.c — the plan review screen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "tui/draw.h"
#include "tui/form.h"
#include "tui/text.h"
#include "tui/widget-form.h"
#include "tui/widget-review.h"

#define REVIEW_WIDTH 70

struct review {
    struct plansheet *ps;
    struct form *f; /* the confirmation (when asked for) and the buttons */
    widget_review_fn done;
    void *ctx;
    void (*ctx_free)(void *ctx); /* widget_review_set_ctx_free() */
    int top;                     /* first step line shown */
};

/* The steps as lines: "  1 ✎ Write a new version of ...", wrapped with
 * a hanging indent; then the legend. */
static void
review_lines(struct app *a, const struct plansheet *ps, int width,
             struct vec *out)
{
    const char *mark = a->term.utf8 ? "✎" : "*";
    int indent = 6;
    bool writes = false;
    for (size_t i = 0; i < ps->n; i++) {
        struct vec l = VEC_INIT;
        text_wrap(ps->steps[i].text, width - indent > 10 ? width - indent : 10,
                  &l);
        writes |= ps->steps[i].writes;
        for (size_t k = 0; k < l.len; k++) {
            if (k == 0)
                vec_push(out, xasprintf("%3zu %s %s", i + 1,
                                        ps->steps[i].writes ? mark : " ",
                                        (char *)l.items[k]));
            else
                vec_push(out,
                         xasprintf("%*s%s", indent, "", (char *)l.items[k]));
        }
        vec_free_all(&l, free);
    }
    vec_push(out, xstrdup(""));
    if (writes)
        /* TRANSLATORS: %s is the mark of a writing step, ✎ or * */
        vec_push(out, xasprintf(_("%s changes something in Azure; nothing "
                                  "is sent before you apply."),
                                mark));
    else
        vec_push(out, xstrdup(_("These steps only read; nothing is "
                                "changed.")));
}

static void
review_size(struct app *a, struct screen *s, int max_h, int max_w, int *h,
            int *w)
{
    struct review *r = s->priv;
    *w = max_w < REVIEW_WIDTH ? max_w : REVIEW_WIDTH;
    struct vec lines = VEC_INIT;
    review_lines(a, r->ps, *w, &lines);
    *h = (int)lines.len + 1 + widget_form_height(a, r->f, *w);
    vec_free_all(&lines, free);
    if (*h > max_h)
        *h = max_h + 1; /* the whole screen */
}

static void
review_draw(struct app *a, struct screen *s, WINDOW *w)
{
    struct review *r = s->priv;
    int rows, width;
    getmaxyx(w, rows, width);
    struct vec lines = VEC_INIT;
    review_lines(a, r->ps, width, &lines);
    /* The confirmation and buttons stay at the bottom; the steps scroll
     * above them. */
    int fh = widget_form_height(a, r->f, width);
    int room = rows - fh - 1;
    if (room < 1)
        room = 1;
    int max_top = (int)lines.len - room > 0 ? (int)lines.len - room : 0;
    if (r->top > max_top)
        r->top = max_top;
    for (int y = 0; y < room && (size_t)(r->top + y) < lines.len; y++) {
        const char *l = lines.items[r->top + y];
        bool legend = (size_t)(r->top + y) >= lines.len - 1;
        draw_text(a, w, y, 0, width, l, legend ? ST_DIM : ST_NORMAL, false);
    }
    if (max_top > 0) {
        /* More above or below: say so at the right edge. */
        char more[32];
        snprintf(more, sizeof more, "%d/%d", r->top + room, (int)lines.len);
        draw_text(a, w, room - 1, width - text_width(more), text_width(more),
                  more, ST_DIM, false);
    }
    vec_free_all(&lines, free);
    widget_form_draw(a, s, r->f, w, room + 1, 0);
}

static enum view_result
review_key(struct app *a, struct screen *s, int ch, bool is_key)
{
    struct review *r = s->priv;
    int page = s->body != NULL ? getmaxy(s->body) / 2 : 5;
    if (is_key && (ch == KEY_UP || ch == KEY_DOWN || ch == KEY_PPAGE ||
                   ch == KEY_NPAGE)) {
        int d = ch == KEY_UP      ? -1
                : ch == KEY_DOWN  ? 1
                : ch == KEY_PPAGE ? -page
                                  : page;
        r->top = r->top + d > 0 ? r->top + d : 0;
        return VIEW_REDRAW;
    }
    /* y applies, unless it is a letter of the name being typed. */
    if (!is_key && ch == 'y' && r->ps->confirm_name == NULL)
        ch = '\n';
    switch (form_feed(r->f, ch, is_key)) {
    case FORM_SUBMIT:
        if (r->done != NULL)
            r->done(a, s, true, r->ctx);
        else
            screen_pop(a, s);
        return VIEW_REDRAW;
    case FORM_CANCEL:
        screen_pop(a, s);
        if (r->done != NULL)
            r->done(a, s, false, r->ctx);
        return VIEW_HANDLED;
    case FORM_REDRAW:
        return VIEW_REDRAW;
    case FORM_IGNORED:
    default:
        return VIEW_HANDLED;
    }
}

static const struct frame_hint *
review_hints(struct app *a, struct screen *s)
{
    (void)a;
    static const struct frame_hint plain[] = {
        {.key = "Enter", .label = N_("apply")},
        {.key = "Esc", .label = N_("back")},
        {.key = "Down", .label = N_("scroll")},
        {.label = NULL},
    };
    static const struct frame_hint typed[] = {
        {.key = "Enter", .label = N_("apply, once the name is typed")},
        {.key = "Esc", .label = N_("back")},
        {.label = NULL},
    };
    struct review *r = s->priv;
    return r->ps->confirm_name != NULL ? typed : plain;
}

static void
review_destroy(struct screen *s)
{
    struct review *r = s->priv;
    plansheet_free(r->ps);
    form_free(r->f);
    if (r->ctx_free != NULL)
        r->ctx_free(r->ctx);
    free(r);
}

static const struct screen_ops widget_review_ops = {
    .name = "review",
    .key = review_key,
    .draw = review_draw,
    .size = review_size,
    .hints = review_hints,
    .destroy = review_destroy,
};

struct screen *
widget_review_push_sheet(struct app *a, struct plansheet *ps,
                         widget_review_fn done, void *ctx)
{
    struct review *r = xcalloc(1, sizeof *r);
    r->ps = ps;
    r->done = done;
    r->ctx = ctx;
    if (ps->confirm_name != NULL) {
        /* TRANSLATORS: %s is the name of what the plan changes for good
         * or closes (a secret to purge, a vault's public access) */
        char *msg = xasprintf(_("To apply, type %s:"), ps->confirm_name);
        r->f = form_dialog(msg, ps->confirm_name, _("Apply"));
        free(msg);
    } else {
        r->f = form_new(); /* the buttons alone, Apply in focus */
    }
    form_set_buttons(r->f, _("Apply"), _("Back"));
    return screen_push(a, &widget_review_ops, r, ps->title);
}

void
widget_review_set_ctx_free(struct screen *s, void (*ctx_free)(void *ctx))
{
    if (s != NULL && s->ops == &widget_review_ops)
        ((struct review *)s->priv)->ctx_free = ctx_free;
}

struct screen *
widget_review_push(struct app *a, const struct plan *p, widget_review_fn done,
                   void *ctx)
{
    return widget_review_push_sheet(a, plansheet_from_plan(p), done, ctx);
}
