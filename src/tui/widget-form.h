/*
 * widget-form.h — a form (form.h) on a modal screen: labels in a column,
 * fields beside them with their message or hint underneath, the buttons
 * at the bottom; scrolls to keep the focus in view on a small terminal.
 *
 *     struct form *f = form_new();
 *     ... form_add_*() ...
 *     widget_form_push(a, _("New secret"), f, on_done, wiz, wiz_free);
 *
 *     static void on_done(struct app *a, struct screen *s, struct form *f,
 *                         bool submitted, void *ctx) {
 *         if (!submitted) return;          // Esc: the form is gone
 *         struct plan *p = ...build from form_text(f, ...)...;
 *         widget_review_push(a, p, on_review, ctx); // over the form
 *     }
 *
 * Ownership: the screen takes f and frees it (form_free()) when it is
 * popped; ctx stays the caller's unless ctx_free is given, which the
 * screen then calls when it goes.
 */
#ifndef KV_TUI_WIDGET_FORM_H
#define KV_TUI_WIDGET_FORM_H

#include <stdbool.h>

#include "tui/form.h"
#include "tui/screen.h"

/* Submitted (every field checks out; the form stays on the stack: push
 * the next screen over it, so Esc there comes back to the form as it
 * was, or pop it) or cancelled (Esc or the cancel button; the form was
 * popped already, f is still readable until the turn ends). */
typedef void (*widget_form_fn)(struct app *a, struct screen *s, struct form *f,
                               bool submitted, void *ctx);

/* Pushes a screen with the form f (taken). done may be NULL (the form
 * just closes). */
struct screen *widget_form_push(struct app *a, const char *title,
                                struct form *f, widget_form_fn done, void *ctx,
                                void (*ctx_free)(void *ctx));
/* The form of a screen pushed by widget_form_push(), else NULL. */
struct form *widget_form_of(struct screen *s);

/* Lines the form takes at width columns (for the box size; also the
 * review and dialog screens that embed a form). */
int widget_form_height(struct app *a, struct form *f, int width);
/* Draws f into w from line y0 on (lines above top are scrolled away);
 * sets s->cur_y/cur_x when the focus is in a text field. */
void widget_form_draw(struct app *a, struct screen *s, struct form *f,
                      WINDOW *w, int y0, int top);

#endif
