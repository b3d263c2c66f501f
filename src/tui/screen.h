/*
 * screen.h — modal screens: a stack above the panes (help, forms,
 * dialogs, plan review, progress), each with its own ops table, so a
 * wizard is a few screens, not a new input mode switched in four files.
 *
 * The loop gives keys to the top screen first; a frame draws the panes,
 * then every screen from the bottom up: a centred box, or the whole
 * screen (less the status bar) when the box does not fit or the terminal
 * is small (under 60x16). KEY_RESIZE, SIGWINCH and SIGCONT relayout and
 * redraw every screen. The status bar shows the top screen's key hints.
 *
 *     static const struct screen_ops my_ops = {
 *         .name = "rotate-form", .key = my_key, .draw = my_draw, ...};
 *     struct screen *s = screen_push(a, &my_ops, priv, _("Rotate"));
 *     screen_submit(a, s, job);      // its results reach my_ops.on_result
 *     ...
 *     screen_pop(a, s);              // s and whatever is above it
 *
 * Lifetime: screen_pop() takes a screen off the stack at once, but frees
 * it (ops->destroy, then the struct) only at the end of the loop turn
 * (screen_reap()), so a key handler or a callback may pop its own screen
 * and return normally. Results of jobs a popped screen submitted are
 * dropped: screen_deliver() looks the screen's id up in the stack and
 * never follows a stale pointer. A plan coming back to a popped screen is
 * announced on the status bar before it is freed.
 */
#ifndef KV_TUI_SCREEN_H
#define KV_TUI_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "tui/app.h"
#include "tui/frame.h"

struct job;
struct result;
struct screen;

struct screen_ops {
    const char *name;
    /* A key (is_key: a curses KEY_* code, else a character). Returns
     * VIEW_* bits: VIEW_REDRAW redraws this screen, VIEW_CLOSE pops it,
     * VIEW_STATUS redraws the key hints, VIEW_QUIT ends the program. */
    enum view_result (*key)(struct app *a, struct screen *s, int ch,
                            bool is_key);
    /* Draws the content into w, the inside of the box (0,0 is its top
     * left corner; getmaxyx() gives its size). Set s->cur_y/cur_x to show
     * the terminal cursor there (they are -1 before each draw). */
    void (*draw)(struct app *a, struct screen *s, WINDOW *w);
    /* Optional: the content size wanted, at most max_h x max_w. Without
     * it the screen takes the whole terminal. */
    void (*size)(struct app *a, struct screen *s, int max_h, int max_w, int *h,
                 int *w);
    /* Optional: the window was made anew (new terminal size). */
    void (*resize)(struct app *a, struct screen *s);
    /* Optional: a result of a job sent with screen_submit(); r is
     * borrowed (take r->plan etc. by setting the slot to NULL). */
    void (*on_result)(struct app *a, struct screen *s, struct result *r);
    /* Optional: timers (spinner, elapsed time). Called every loop turn
     * for every screen; may set s->dirty. Returns the time_mono_ms() of
     * the next call wanted, 0 for none. */
    int64_t (*tick)(struct app *a, struct screen *s, int64_t now);
    /* Optional: key hints for the status bar, ended by a NULL label. */
    const struct frame_hint *(*hints)(struct app *a, struct screen *s);
    /* Optional: frees s->priv and what it holds. */
    void (*destroy)(struct screen *s);
};

struct screen {
    const struct screen_ops *ops;
    uint64_t id;  /* unique in the run, never reused */
    char *title;  /* drawn in the box's top line; NULL for none */
    WINDOW *win;  /* the box (border and title) */
    WINDOW *body; /* the inside, a derived window of win */
    struct rect rect;
    bool full;        /* drawn over the whole screen, no border */
    bool dirty;       /* redraw at the end of this turn */
    bool gone;        /* popped; freed by screen_reap() */
    bool hidden;      /* not drawn: a later page of its wizard (or the
                         review) covers it, whatever their sizes */
    int cur_y, cur_x; /* terminal cursor in body, or -1 */
    void *priv;       /* the screen's own state */
};

/* Pushes a new screen on top. title is copied (NULL: none); priv
 * becomes the screen's (ops->destroy frees it). Never NULL. */
struct screen *screen_push(struct app *a, const struct screen_ops *ops,
                           void *priv, const char *title);
/* Takes s and every screen above it off the stack (see Lifetime). A
 * screen already popped is left alone. */
void screen_pop(struct app *a, struct screen *s);
/* The top screen, or NULL when the panes have the keys. */
struct screen *screen_top(const struct app *a);
/* The screen with that id while it is on the stack, else NULL. */
struct screen *screen_find(const struct app *a, uint64_t id);
/* Asks ops->size again and remakes the box when the size it wants
 * changed (a message under a field took another line). */
void screen_refit(struct app *a, struct screen *s);
/* Replaces the title (copied). */
void screen_set_title(struct app *a, struct screen *s, const char *title);
/* Sends job to the engine on behalf of s: its results go to
 * s->ops->on_result while s is on the stack, and are dropped once it is
 * not. job->generation becomes the screen's id; job->tag stays yours
 * (to tell your jobs apart). Takes the job; returns the engine's id. */
uint64_t screen_submit(struct app *a, struct screen *s, struct job *job);
/* The job->deliver of screen_submit() (ctx is the app). Public for the
 * tests and for code that routes results itself. */
void screen_deliver(void *ctx, struct result *r);

/* ---- for the loop and the frame -------------------------------------- */

/* Where a box of content h x w goes on a rows x cols terminal (the last
 * row is the status bar): a centred box with a border, or the whole
 * screen above the status bar (*full) when it does not fit or the
 * terminal is under 60x16. want_h/want_w <= 0 ask for everything. Pure. */
void screen_place(int rows, int cols, int want_h, int want_w, struct rect *box,
                  bool *full);
/* Makes every screen's window anew for the current size. */
void screen_relayout(struct app *a);
/* Draws the screens from the bottom up: dirty ones anew, the others put
 * back on top when what lies below was drawn this turn (below_changed).
 * Returns true when a screen covers the panes (full screen). */
bool screen_render(struct app *a, bool below_changed);
/* Hands a key to the top screen; false when there is none. */
bool screen_key(struct app *a, int ch, bool is_key);
/* Runs the screens' timers; returns the poll timeout in ms (-1 none). */
int screen_tick(struct app *a, int64_t now);
/* Frees the screens popped this turn. */
void screen_reap(struct app *a);
/* Pops and frees every screen (at exit). */
void screen_free_all(struct app *a);
/* Deletes every screen's window (terminal too small, or at exit). */
void screen_delwins(struct app *a);

/* ---- the screens ------------------------------------------------------ */

/* The help: keys from the key table, the commands (screen-help.c). */
struct screen *screen_help_push(struct app *a);

#endif
