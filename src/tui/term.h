/*
 * term.h — the terminal: curses set up and torn down, colours and their
 * monochrome fallbacks (NO_COLOR), UTF-8 or ASCII glyphs, Ctrl-Z, resize,
 * and the crash-time restore armed in signals.c.
 *
 * struct termctl is embedded in the app; term_close() must run before the
 * program exits (kvdeck.c also calls it from its fatal-error path).
 */
#ifndef KV_TUI_TERM_H
#define KV_TUI_TERM_H

#include <stdbool.h>
#include <stdio.h>
#include <termios.h>

#include <curses.h>

#include "base/status.h"
#include "engine/settings.h"
#include "tui/paint.h"

/* X(code, config name) — the drawing styles a config "style" line sets. */
#define STYLE_LIST(X)                                                          \
    X(ST_NORMAL, "normal")                                                     \
    X(ST_HEADER, "header")                                                     \
    X(ST_TITLE, "title")                                                       \
    X(ST_TITLE_FOCUS, "title-focus")                                           \
    X(ST_SELECTED, "selected")                                                 \
    X(ST_SELECTED_INACTIVE, "selected-inactive")                               \
    X(ST_STATUS, "status")                                                     \
    X(ST_ERROR, "error")                                                       \
    X(ST_WARNING, "warning")                                                   \
    X(ST_OK, "ok")                                                             \
    X(ST_DIM, "dim")                                                           \
    X(ST_VALUE, "value")

#define STYLE_ENUM(code, name) code,
enum style { STYLE_LIST(STYLE_ENUM) ST_COUNT };
#undef STYLE_ENUM

/* Characters for lines and marks, UTF-8 or plain ASCII. */
struct glyphs {
    const char *vline, *hline, *crumb, *expanded, *collapsed, *yes, *no,
        *ellipsis, *warn, *dot;
    const char *focus; /* marks the focused pane's title, so focus shows
                          without colour or reverse video too */
    const char *const *spinner;
    int nspinner;
};

struct termctl {
    SCREEN *scr;
    FILE *out, *in;
    int fd;      /* the terminal (stdout) */
    bool active; /* curses is running (endwin not yet called) */
    bool color, utf8, mouse;
    struct glyphs g;
    attr_t attr[ST_COUNT];
    short pair[ST_COUNT];
    struct termios saved;
    struct paint paint; /* the output (paint.h) */
};

/* Starts curses on stdin/stdout. On failure *why says why (caller frees)
 * and the terminal is left as it was. */
enum kv_status term_open(struct termctl *t, const struct settings *cfg,
                         char **why);
/* Applies the config's "style" lines; errors name file and line. */
enum kv_status term_apply_styles(struct termctl *t, const struct settings *cfg,
                                 char **why);
/* Ends curses and restores the terminal; safe to call twice. */
void term_close(struct termctl *t);
/* Ctrl-Z: restore the terminal, stop, and come back. */
void term_suspend(struct termctl *t);
/* Reads the real size after SIGWINCH and resizes curses. */
void term_resize(struct termctl *t);
/* The style's attributes (colour pair included). */
static inline attr_t
term_attr(const struct termctl *t, enum style s)
{
    return t->attr[s] | (attr_t)COLOR_PAIR(t->pair[s]);
}

#endif
