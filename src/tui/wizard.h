/*
 * wizard.h — the host screen of the value-writing wizards (new secret,
 * new version, rotate): numbered pages, each a form; then the plan's
 * review and its progress (widget-review.h, widget-progress.h) over the
 * host; then the outcome on the host itself, with the new value masked,
 * shown on demand (v) and copied with OSC 52 (y).
 *
 *     static const struct wizard_ops my_ops = {
 *         .name = "rotate", .pages = 3, .page = my_page, .next = my_next,
 *         .plan = my_plan, .end = my_end, .free = my_free};
 *     wizard_push(a, &my_ops, priv, title);   // title: "Rotate NAME"
 *
 * Esc goes back a page (on the first page it closes the wizard); nothing
 * is sent before the review's Apply. Results of jobs sent with
 * wizard_submit() reach ops->on_result while the wizard is open.
 *
 * Ownership: the host owns priv (ops->free), the pages' forms, the
 * outcome text and the value shown at the end (wiped with secret_free()
 * when the wizard closes). A plan from ops->plan is the host's until it
 * is sent; plans coming back are handed to ops->end borrowed.
 */
#ifndef KV_TUI_WIZARD_H
#define KV_TUI_WIZARD_H

#include <stdbool.h>

#include "engine/plan.h"
#include "tui/form.h"
#include "tui/screen.h"
#include "tui/term.h"

struct wizard;

struct wizard_ops {
    const char *name;
    int pages;
    /* The form of page i, built the first time the page shows; NULL
     * while it cannot be built yet (the page says "Loading…" and
     * ops->loading is shown; call wizard_update() when it can). */
    struct form *(*page)(struct app *a, struct wizard *w, int i);
    /* Page i submitted (its fields check out): false keeps it (set a
     * message with form_set_error()). Optional. */
    bool (*next)(struct app *a, struct wizard *w, int i, struct form *f);
    /* After the last page: the plan to review, or NULL with *why. */
    struct plan *(*plan)(struct app *a, struct wizard *w, char **why);
    /* A plan came back (finished, stopped, or left as is after a
     * failure); p is borrowed. Say how it ended (wizard_say(),
     * wizard_show_value()), or run another plan (wizard_run()), or ask
     * (wizard_ask()). */
    void (*end)(struct app *a, struct wizard *w, struct plan *p);
    /* Optional: a result of a job sent with wizard_submit(). */
    void (*on_result)(struct app *a, struct wizard *w, struct result *r);
    /* Optional: the text shown while ops->page returns NULL. */
    const char *(*loading)(struct app *a, struct wizard *w);
    /* Optional: a timer, every loop turn while the wizard is open (e.g.
     * a check as the user types, debounced). Returns the time_mono_ms()
     * of the next call wanted, 0 for none. */
    int64_t (*tick)(struct app *a, struct wizard *w, int64_t now);
    /* Frees priv. */
    void (*free)(void *priv);
};

/* Pushes the wizard on its first page. title is copied; priv is taken. */
struct wizard *wizard_push(struct app *a, const struct wizard_ops *ops,
                           void *priv, const char *title);
void *wizard_priv(struct wizard *w);
/* The form of page i, or NULL when it was not built yet. */
struct form *wizard_form(struct wizard *w, int i);
/* Sends a job on behalf of the wizard (screen_submit()). */
uint64_t wizard_submit(struct app *a, struct wizard *w, struct job *job);
/* Builds the current page again when it was waiting (ops->page NULL). */
void wizard_update(struct app *a, struct wizard *w);
/* Page i's form was changed from outside (a message, a hint): fits
 * its box again and redraws it. */
void wizard_page_changed(struct app *a, struct wizard *w, int i);
/* Closes the wizard (and what is above it). */
void wizard_close(struct app *a, struct wizard *w);

/* Reviews plan p (taken) over the page shown, before the last page
 * (e.g. recover what holds a name): Esc comes back to the page, nothing
 * sent; Apply closes the pages and runs it as wizard_run(). */
void wizard_review(struct app *a, struct wizard *w, struct plan *p);
/* Runs plan p (taken) with a progress screen over the wizard. */
void wizard_run(struct app *a, struct wizard *w, struct plan *p);
/* Asks a yes/no question over the wizard; yes or no goes to done. */
void wizard_ask(struct app *a, struct wizard *w, const char *title,
                const char *message, const char *ok_label,
                void (*done)(struct app *a, struct wizard *w, bool yes));
/* Outcome: a line of text (copied) in a style. */
void wizard_say(struct wizard *w, enum style st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Outcome: the new value, masked until v (taken; wiped on close). */
void wizard_show_value(struct wizard *w, struct secret *value);

#endif
