/*
 * widget-review.h — the review of a plan before anything is sent
 * ("terraform plan"): its title, each step's sentence numbered, writing
 * steps marked, and the typed confirmation when the plan asks for one
 * (plan_confirm_name()). Enter (or y without a confirmation) applies, Esc
 * goes back; the steps scroll when they do not fit.
 *
 *     widget_review_push(a, plan, on_review, wiz);   // plan only read
 *
 *     static void on_review(struct app *a, struct screen *s, bool apply,
 *                           void *ctx) {
 *         if (!apply) return;       // Esc: back to the screen below
 *         screen_pop(a, wiz->form); // the form and this review
 *         widget_progress_push(a, wiz->plan, PLAN_APPLY, on_end, wiz);
 *     }
 */
#ifndef KV_TUI_WIDGET_REVIEW_H
#define KV_TUI_WIDGET_REVIEW_H

#include <stdbool.h>

#include "engine/plan.h"
#include "tui/plansheet.h"
#include "tui/screen.h"

/* apply: Enter with the confirmation right; the review stays on the
 * stack (pop it, or what lies below it). !apply: Esc or Back; the review
 * is gone already. Nothing is ever sent by the review itself. */
typedef void (*widget_review_fn)(struct app *a, struct screen *s, bool apply,
                                 void *ctx);

/* A review of p (read now, not kept: the plan stays the caller's). */
struct screen *widget_review_push(struct app *a, const struct plan *p,
                                  widget_review_fn done, void *ctx);
/* Makes the review own its ctx: ctx_free(ctx) runs when the screen is
 * freed (after done, and at exit). NULL gives it back (e.g. when the
 * ctx moves on to a progress screen). */
void widget_review_set_ctx_free(struct screen *s, void (*ctx_free)(void *ctx));
/* The same from a sheet (taken). */
struct screen *widget_review_push_sheet(struct app *a, struct plansheet *ps,
                                        widget_review_fn done, void *ctx);

#endif
