/*
 * widget-form.c — drawing a form and the modal screen that holds one.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "tui/draw.h"
#include "tui/text.h"
#include "tui/widget-form.h"

#define WIDGET_FORM_WIDTH 64

struct wform {
    struct form *f;
    widget_form_fn done;
    void *ctx;
    void (*ctx_free)(void *ctx);
    int top;                  /* first line shown when it does not fit */
    enum form_kind last_kind; /* of the focus, for the key hints */
    bool on_buttons;
};

/* The label column: the widest label, at most a third of the width. */
static int
wform_label_width(const struct form *f, int width)
{
    int lw = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->fields[i].kind != FORM_INFO) {
            int w = text_width(f->fields[i].label);
            if (w > lw)
                lw = w;
        }
    return lw > width / 3 ? width / 3 : lw;
}

/* The message under field i (its error, else its hint) as lines: beside
 * the label column when it fits (*x = fx), else wrapped from column 4.
 * Returns true for an error. */
static bool
wform_message(struct app *a, const struct form *f, size_t i, int width, int fx,
              struct vec *out, int *x)
{
    const struct form_field *fd = &f->fields[i];
    const char *err = form_error(f, i);
    char *m = err != NULL        ? xasprintf("%s %s", a->term.g.no, err)
              : fd->hint != NULL ? xstrdup(fd->hint)
                                 : NULL;
    *x = fx;
    if (m != NULL) {
        if (text_width(m) <= width - fx) {
            vec_push(out, m);
            return err != NULL;
        }
        *x = width > 24 ? 4 : 0;
        text_wrap(m, width - *x, out);
        free(m);
    }
    return err != NULL;
}

/* Lines field i takes: info lines wrap; a field with a check or a hint
 * keeps a line under it for its message, so little jumps as it comes;
 * a long message takes the lines it needs. */
static int
wform_field_lines(struct app *a, const struct form *f, size_t i, int width)
{
    const struct form_field *fd = &f->fields[i];
    struct vec l = VEC_INIT;
    if (fd->kind == FORM_INFO) {
        int n = (int)text_wrap(fd->label, width, &l);
        vec_free_all(&l, free);
        return n;
    }
    int x;
    wform_message(a, f, i, width, 2 + wform_label_width(f, width) + 1, &l, &x);
    int n = (int)l.len;
    vec_free_all(&l, free);
    if (n == 0 && (fd->check != NULL || fd->error_set != NULL))
        n = 1;
    return 1 + n;
}

int
widget_form_height(struct app *a, struct form *f, int width)
{
    (void)a;
    int h = 0;
    for (size_t i = 0; i < f->n; i++)
        h += wform_field_lines(a, f, i, width);
    return h + 2; /* a blank line, the buttons */
}

/* The buttons' line: "[ Review ]  [ Cancel ]", centred. */
static void
wform_buttons(struct app *a, struct form *f, WINDOW *w, int y, int width)
{
    char sub[128], can[128] = "";
    snprintf(sub, sizeof sub, "[ %s ]", f->submit_label);
    if (f->cancel_label != NULL)
        snprintf(can, sizeof can, "[ %s ]", f->cancel_label);
    int sw = text_width(sub), cw = text_width(can);
    int total = sw + (cw > 0 ? 2 + cw : 0);
    int x = total < width ? (width - total) / 2 : 0;
    /* A submit that would be refused looks disabled (dim), and says so
     * without colour as well: the message under the field in error. */
    enum style st = f->focus == f->n ? ST_SELECTED
                    : form_ok(f)     ? ST_TITLE
                                     : ST_DIM;
    draw_text(a, w, y, x, width - x, sub, st, false);
    if (cw > 0 && x + sw + 2 < width)
        draw_text(a, w, y, x + sw + 2, width - x - sw - 2, can,
                  f->focus == f->n + 1 ? ST_SELECTED : ST_NORMAL, false);
}

void
widget_form_draw(struct app *a, struct screen *s, struct form *f, WINDOW *w,
                 int y0, int top)
{
    int rows, width;
    getmaxyx(w, rows, width);
    int lw = wform_label_width(f, width);
    int fx = 2 + lw + 1, fw = width - fx;
    const char *mask = a->term.utf8 ? "•" : "*";
    int y = y0 - top;
    for (size_t i = 0; i < f->n; i++) {
        struct form_field *fd = &f->fields[i];
        int lines = wform_field_lines(a, f, i, width);
        bool focus = f->focus == i;
        if (y + lines <= 0 || y >= rows) {
            y += lines;
            continue;
        }
        if (fd->kind == FORM_INFO) {
            struct vec l = VEC_INIT;
            text_wrap(fd->label, width, &l);
            for (size_t k = 0; k < l.len; k++)
                if (y + (int)k >= 0 && y + (int)k < rows)
                    draw_text(a, w, y + (int)k, 0, width, l.items[k], ST_NORMAL,
                              false);
            vec_free_all(&l, free);
            y += lines;
            continue;
        }
        if (y >= 0) {
            /* The focus: marked as well as bold, like a focused pane. */
            if (focus)
                draw_text(a, w, y, 0, 1, a->term.g.focus, ST_TITLE, false);
            draw_text(a, w, y, 2, lw, fd->label, focus ? ST_TITLE : ST_NORMAL,
                      false);
            char shown[1024];
            int col = 0;
            switch (fd->kind) {
            case FORM_TEXT:
            case FORM_SECRET:
                form_display(f, i, fw, mask, shown, sizeof shown, &col);
                draw_text_attr(a, w, y, fx, fw, shown,
                               term_attr(&a->term, ST_NORMAL) | A_UNDERLINE,
                               true);
                if (focus) {
                    s->cur_y = y;
                    s->cur_x = fx + col;
                }
                break;
            case FORM_CHOICE:
                snprintf(shown, sizeof shown, "%s %s %s",
                         a->term.utf8 ? "◂" : "<",
                         fd->nchoices ? fd->choices[fd->choice] : "",
                         a->term.utf8 ? "▸" : ">");
                draw_text(a, w, y, fx, fw, shown,
                          focus ? ST_SELECTED : ST_NORMAL, false);
                break;
            case FORM_CHECK:
                draw_text(a, w, y, fx, fw, fd->checked ? "[x]" : "[ ]",
                          focus ? ST_SELECTED : ST_NORMAL, false);
                break;
            case FORM_INFO:
            default:
                break;
            }
        }
        if (lines > 1) {
            struct vec l = VEC_INIT;
            int x;
            bool err = wform_message(a, f, i, width, fx, &l, &x);
            for (size_t k = 0; k < l.len; k++)
                if (y + 1 + (int)k >= 0 && y + 1 + (int)k < rows)
                    draw_text(a, w, y + 1 + (int)k, x, width - x, l.items[k],
                              err ? ST_ERROR : ST_DIM, false);
            vec_free_all(&l, free);
        }
        y += lines;
    }
    y++;
    if (y >= 0 && y < rows)
        wform_buttons(a, f, w, y, width);
}

/* The first line of the focus and its height, for scrolling. */
static void
wform_focus_lines(struct app *a, struct form *f, int width, int *y, int *h)
{
    *y = 0;
    for (size_t i = 0; i < f->n && i < f->focus; i++)
        *y += wform_field_lines(a, f, i, width);
    /* the buttons: a blank line and theirs, after the fields */
    *h = f->focus < f->n ? wform_field_lines(a, f, f->focus, width) : 2;
}

static void
wform_draw(struct app *a, struct screen *s, WINDOW *w)
{
    struct wform *wf = s->priv;
    int rows, width;
    getmaxyx(w, rows, width);
    int total = widget_form_height(a, wf->f, width);
    int fy, fh;
    wform_focus_lines(a, wf->f, width, &fy, &fh);
    if (fy + fh > wf->top + rows)
        wf->top = fy + fh - rows;
    if (fy < wf->top)
        wf->top = fy;
    if (wf->top > total - rows)
        wf->top = total - rows > 0 ? total - rows : 0;
    widget_form_draw(a, s, wf->f, w, 0, wf->top);
}

static void
wform_size(struct app *a, struct screen *s, int max_h, int max_w, int *h,
           int *w)
{
    struct wform *wf = s->priv;
    *w = max_w < WIDGET_FORM_WIDTH ? max_w : WIDGET_FORM_WIDTH;
    *h = widget_form_height(a, wf->f, *w);
    if (*h > max_h)
        *h = max_h + 1; /* does not fit: the whole screen */
}

static enum view_result
wform_key(struct app *a, struct screen *s, int ch, bool is_key)
{
    struct wform *wf = s->priv;
    struct form *f = wf->f;
    enum form_result r = form_feed(f, ch, is_key);
    enum view_result out = VIEW_HANDLED;
    if (r == FORM_REDRAW)
        screen_refit(a, s); /* a message may need another line */
    switch (r) {
    case FORM_SUBMIT:
        if (wf->done != NULL)
            wf->done(a, s, f, true, wf->ctx);
        else
            screen_pop(a, s);
        out = VIEW_REDRAW;
        break;
    case FORM_CANCEL:
        screen_pop(a, s);
        if (wf->done != NULL)
            wf->done(a, s, f, false, wf->ctx);
        return VIEW_HANDLED;
    case FORM_REDRAW:
        out = VIEW_REDRAW;
        break;
    case FORM_IGNORED:
    default:
        break;
    }
    /* The hints follow the kind of field in focus; only a change of
     * kind redraws the status bar. */
    bool buttons = f->focus >= f->n;
    enum form_kind k = buttons ? FORM_INFO : f->fields[f->focus].kind;
    if (k != wf->last_kind || buttons != wf->on_buttons) {
        wf->last_kind = k;
        wf->on_buttons = buttons;
        out |= VIEW_STATUS;
    }
    return out;
}

static const struct frame_hint *
wform_hints(struct app *a, struct screen *s)
{
    (void)a;
    static const struct frame_hint text[] = {
        {.key = "Tab", .label = N_("next field")},
        {.key = "Enter", .label = N_("next, or submit")},
        {.key = "Esc", .label = N_("cancel")},
        {.label = NULL},
    };
    static const struct frame_hint choice[] = {
        {.key = "Space", .label = N_("change")},
        {.key = "Tab", .label = N_("next field")},
        {.key = "Esc", .label = N_("cancel")},
        {.label = NULL},
    };
    static const struct frame_hint buttons[] = {
        {.key = "Enter", .label = N_("press the button")},
        {.key = "Tab", .label = N_("next")},
        {.key = "Esc", .label = N_("cancel")},
        {.label = NULL},
    };
    struct wform *wf = s->priv;
    struct form *f = wf->f;
    if (f->focus >= f->n)
        return buttons;
    enum form_kind k = f->fields[f->focus].kind;
    return k == FORM_CHOICE || k == FORM_CHECK ? choice : text;
}

static void
wform_destroy(struct screen *s)
{
    struct wform *wf = s->priv;
    form_free(wf->f);
    if (wf->ctx_free != NULL)
        wf->ctx_free(wf->ctx);
    free(wf);
}

static const struct screen_ops widget_form_ops = {
    .name = "form",
    .key = wform_key,
    .draw = wform_draw,
    .size = wform_size,
    .hints = wform_hints,
    .destroy = wform_destroy,
};

struct screen *
widget_form_push(struct app *a, const char *title, struct form *f,
                 widget_form_fn done, void *ctx, void (*ctx_free)(void *ctx))
{
    struct wform *wf = xcalloc(1, sizeof *wf);
    wf->f = f;
    wf->done = done;
    wf->ctx = ctx;
    wf->ctx_free = ctx_free;
    wf->on_buttons = f->focus >= f->n;
    wf->last_kind = wf->on_buttons ? FORM_INFO : f->fields[f->focus].kind;
    return screen_push(a, &widget_form_ops, wf, title);
}

struct form *
widget_form_of(struct screen *s)
{
    return s->ops == &widget_form_ops ? ((struct wform *)s->priv)->f : NULL;
}
