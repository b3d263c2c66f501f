/*
 * app.h — the console's state (struct app, one per run, passed down
 * everywhere; no globals) and the view interface every pane implements.
 *
 * Views draw from the store only. Key handlers return VIEW_* bits
 * (htop's model): what needs redrawing, or that the loop should stop.
 */
#ifndef KV_TUI_APP_H
#define KV_TUI_APP_H

#include <stdbool.h>
#include <stdint.h>

#include <curses.h>

#include "base/buf.h"
#include "base/secmem.h"
#include "base/vec.h"
#include "engine/engine.h"
#include "engine/settings.h"
#include "engine/store.h"
#include "tui/cmdline.h"
#include "tui/filter.h"
#include "tui/keys.h"
#include "tui/layout.h"
#include "tui/listview.h"
#include "tui/term.h"

enum view_result {
    VIEW_IGNORED = 0,
    VIEW_HANDLED = 1 << 0,
    VIEW_REDRAW = 1 << 1,     /* this view */
    VIEW_REDRAW_ALL = 1 << 2, /* every pane (selection changed context) */
    VIEW_QUIT = 1 << 3,
    VIEW_CLOSE = 1 << 4,  /* a modal screen: pop it (screen.h) */
    VIEW_STATUS = 1 << 5, /* the status bar (key hints) changed */
};

struct app;
struct view;

struct view_ops {
    const char *name;
    /* Title text (without state marks) into buf. */
    void (*title)(struct app *a, struct view *v, char *buf, size_t n);
    /* The load whose state the title shows, or NULL. */
    const struct load *(*load)(struct app *a, struct view *v);
    /* Draws rows into v->win below the title (lines 1..h-1). */
    void (*draw)(struct app *a, struct view *v);
    enum view_result (*key)(struct app *a, struct view *v, enum key_action act);
    /* The store changed (STORE_* bits); update indexes, return true when
     * the view must be redrawn. */
    bool (*sync)(struct app *a, struct view *v, unsigned changes);
    /* Filter text changed. */
    void (*filter)(struct app *a, struct view *v, const char *pattern);
    /* Text for the detail pane about the selected item (a summary, then
     * its JSON); appends to out, nothing when no item is selected. */
    void (*detail)(struct app *a, struct view *v, struct buf *out);
    /* The costly end of that text (the JSON after the summary), which
     * detail leaves out when this is set: appended to out only once the
     * detail pane shows or scrolls to it, so a cursor move that changes
     * the selection does not build it. Optional. */
    void (*detail_tail)(struct app *a, struct view *v, struct buf *out);
    /* Name of the selected item for the breadcrumb, or NULL. */
    const char *(*selected_name)(struct app *a, struct view *v);
    /* Draws list row `row` on screen line y of v->win (whole width), so a
     * cursor move inside the page redraws two lines, not the pane.
     * Optional: without it the pane is redrawn. */
    void (*draw_row)(struct app *a, struct view *v, size_t row, int y);
    /* True when the selected row's value is being shown (secrets). */
    bool (*selected_revealed)(struct app *a, struct view *v);
    /* Draws only the lines that differ from what the pane shows since it
     * was last drawn whole (the detail pane after a cursor move in a
     * list); asked for by rows_dirty[0] != (size_t)-1. False when it
     * cannot: the pane is drawn whole. Optional. */
    bool (*draw_changes)(struct app *a, struct view *v);
    /* Frees v->priv and what it holds. */
    void (*destroy)(struct view *v);
    /* Lines the view draws above its list (below the title). */
    int top_lines;
};

struct view {
    const struct view_ops *ops;
    enum pane_id id;
    WINDOW *win;
    struct rect rect;
    struct listview lv;
    struct filter_index fi;
    bool dirty;
    size_t rows_dirty[2]; /* rows to redraw when only the cursor moved;
                             (size_t)-1 when none */
    long scroll_by;       /* with rows_dirty: the list scrolled by this
                             many rows (less than a page), so its lines
                             move up (> 0) or down and only the rows that
                             came into view are drawn; 0 when not */
    int body_y;           /* first list line in win (1 + ops->top_lines) */
    uint64_t epoch;       /* store epoch the index was built for */
    void *priv;           /* view-specific state */
};

/* What the status line is: the bar, or the `/` or `:` line being typed.
 * Help, forms, dialogs and the plan screens are modal screens on
 * app.screens (screen.h), not modes. */
enum input_mode { MODE_NORMAL, MODE_FILTER, MODE_COMMAND };

/* A secret value on its way (GET_SECRET_VALUE), or shown. */
struct reveal {
    uint64_t job_id;
    bool copy; /* copy to the clipboard instead of showing */
    char *vault_uri, *name, *version; /* version NULL = latest */
    struct secret *value;             /* while shown; wiped when masked */
    int64_t until_ms; /* time_mono_ms() when it is masked again */
};

struct app_options {
    struct engine *engine;
    struct settings *cfg;
    bool read_only;
    const char *mode_label; /* "demo" or NULL */
};

struct frame_memo;

struct app {
    struct app_options opt;
    struct engine *eng;
    struct settings *cfg;
    struct termctl term;
    struct keytab *keys;
    struct store *store;
    struct layout lay;
    struct view views[PANE_COUNT];
    enum pane_id focus, right_top, last_list;
    enum input_mode mode;
    struct cmdline cmd;
    WINDOW *header, *status, *sep;
    struct vec screens;      /* struct screen *, the top one last */
    struct vec screens_gone; /* popped this turn, freed by screen_reap() */
    uint64_t screen_ids;     /* the last screen id given */
    bool header_dirty, status_dirty, all_dirty;
    struct frame_memo *frame_memo; /* frame.c's: what the header shows */
    bool quit;

    /* the context chosen in the context pane: NULL = everything */
    struct store_sub *ctx_sub;
    char *ctx_group;
    /* the configuration's "group =", until the vault lists are in and
     * say whether any vault is in it (owned; NULL once checked) */
    char *cfg_group_check;
    /* the vault opened with Enter (its secrets/endpoints are shown) */
    struct store_vault *vault;
    char *pending_vault;  /* :vault NAME waiting for the list/GET_VAULT */
    uint64_t pending_job; /* its GET_VAULT (by resource id), 0 none */

    struct reveal reveal;
    char *message; /* transient status text */
    bool message_error;
    int64_t message_until_ms;
    uint64_t message_screen; /* the top screen when it was said (0: none) */
    int spin;
    int64_t next_tick_ms;
    bool last_busy; /* the status bar last showed activity */
    /* KVDECK_BENCH=FILE: milestones (first row drawn, list complete) for
     * bench/console-*.sh; KVDECK_BENCH_OPEN=VAULT opens that vault once
     * every vault list is complete. */
    FILE *bench;
    const char *bench_open;
    int64_t bench_t0;
    unsigned bench_done;
    uint64_t bytes_hint;
    unsigned store_changes; /* STORE_* bits from results not the store's */
    bool sign_in_failed; /* a device-code sign-in failed and its screen was
                            closed: r asks for a new code */
};

/* Runs the console until the user quits or a terminating signal. The
 * options' engine and config stay the caller's. Returns 0, or 1 with
 * *why set (caller frees) when the terminal could not be used. */
int app_run(const struct app_options *opt, char **why);

/* Helpers shared by the views (app.c). */
void app_message(struct app *a, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void app_focus(struct app *a, enum pane_id p);
void app_open_vault(struct app *a, struct store_vault *v, enum pane_id focus);
void app_set_context(struct app *a, struct store_sub *sub, const char *group);
void app_request_value(struct app *a, const char *vault_uri, const char *name,
                       const char *version, bool copy);
void app_mark_dirty(struct app *a, enum pane_id p);
bool app_is_revealed(const struct app *a, const char *name,
                     const char *version);
/* Masks and wipes a shown value (and cancels a pending fetch). */
void app_reveal_clear(struct app *a);
/* A GET_SECRET_VALUE result (result_dispatch; ctx is the app): takes
 * r->value when it answers the current request. */
void app_value_deliver(void *ctx, struct result *r);
/* Under --read-only: says on the status bar that nothing was sent and
 * returns true (the caller then sends nothing). Else false. Every
 * writing action and command asks this before it builds a plan. */
bool app_refuse_read_only(struct app *a);
/* Runs a `:` command line (without the ':'). */
void app_command(struct app *a, const char *line);
/* Opens the vault of a pending ":vault" (or config "vault =") once it is
 * known, or by the URI its name has in this cloud once no list that
 * could hold it is loading any more. Call after results. */
void app_pending_vault(struct app *a);
/* A GET_VAULT result (result_dispatch; ctx is the app): its vault joins
 * the store; ends the wait for a pending ":vault ID". */
void app_vault_deliver(void *ctx, struct result *r);

/* The views (view-*.c). */
extern const struct view_ops view_context_ops;
extern const struct view_ops view_vaults_ops;
extern const struct view_ops view_secrets_ops;
extern const struct view_ops view_endpoints_ops;
extern const struct view_ops view_detail_ops;

#endif
