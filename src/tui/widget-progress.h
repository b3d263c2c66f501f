/*
 * widget-progress.h — a plan running: each step with its state (pending
 * ·, running spinner, done ✓, failed ✗, skipped –, undone ↶; ASCII
 * . | y x - <) and progress text, the elapsed time and the current
 * poll's status. c or Esc asks the engine to stop between steps. At the
 * end it shows the outcome; after a failure the report and the choices
 * retry, roll back (only when the plan can) and leave as is, which go
 * back to the owner with the plan:
 *
 *     widget_progress_push(a, plan, PLAN_APPLY, on_end, wiz); // plan sent
 *
 *     static void on_end(struct app *a, struct screen *s,
 *                        enum progress_choice c, struct plan *p,
 *                        void *ctx) {
 *         if (c == PROGRESS_RETRY || c == PROGRESS_ROLLBACK) {
 *             widget_progress_again(a, s, p, c);  // same screen
 *             return;
 *         }
 *         ... plan_result_version(p) ...
 *         plan_free(p);
 *         screen_pop(a, s);
 *     }
 *
 * Esc on the outcome is "leave as is" (nothing is sent).
 */
#ifndef KV_TUI_WIDGET_PROGRESS_H
#define KV_TUI_WIDGET_PROGRESS_H

#include "engine/plan.h"
#include "tui/plansheet.h"
#include "tui/screen.h"

enum progress_choice {
    PROGRESS_CLOSE,    /* it finished; the user closed the screen */
    PROGRESS_RETRY,    /* run again from the failed (or next) step */
    PROGRESS_ROLLBACK, /* undo the done steps */
    PROGRESS_LEAVE,    /* leave Azure as it is now */
};

/* The user's choice at the end. p is handed over (free it, or send it
 * again with widget_progress_again()); NULL when the plan did not come
 * back (tests, a lost engine). The screen stays until popped, except
 * that with done NULL it pops itself and frees the plan. */
typedef void (*widget_progress_fn)(struct app *a, struct screen *s,
                                   enum progress_choice c, struct plan *p,
                                   void *ctx);

/* Copies what it shows out of p, pushes the screen and sends p to the
 * engine (job_plan(p, mode), screen_submit()): p is the engine's now. */
struct screen *widget_progress_push(struct app *a, struct plan *p,
                                    enum plan_mode mode,
                                    widget_progress_fn done, void *ctx);
/* Sends p (back from the engine) again on the same screen: RETRY runs
 * from the failed step (or the next pending one after a stop),
 * ROLLBACK undoes the done steps. */
void widget_progress_again(struct app *a, struct screen *s, struct plan *p,
                           enum progress_choice c);

/* Makes the screen own its ctx: ctx_free(ctx) runs when the screen is
 * freed (after the done callback popped it, and at exit). */
void widget_progress_set_ctx_free(struct screen *s,
                                  void (*ctx_free)(void *ctx));

/* The screen on a sheet (taken), nothing sent: results come through
 * screen_submit() of the caller, or a test's screen_deliver(). */
struct screen *widget_progress_push_sheet(struct app *a, struct plansheet *ps,
                                          widget_progress_fn done, void *ctx);
/* The sheet a progress screen shows (for tests), else NULL. */
struct plansheet *widget_progress_sheet(struct screen *s);

#endif
