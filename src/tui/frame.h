/*
 * frame.h — the screen around the panes: layout and windows, breadcrumb
 * header, status bar (activity, throttling, last error, command line,
 * or the top screen's key hints), the modal screens above the panes
 * (screen.h) and the "terminal too small" notice; and the one
 * paint_update() per loop turn that puts only dirty windows on the wire.
 */
#ifndef KV_TUI_FRAME_H
#define KV_TUI_FRAME_H

#include <stdbool.h>

#include "tui/app.h"

/* A key hint on the status bar: "Enter open". The key is the first one
 * the key table binds to act, or the fixed name key when that is set
 * (screens with keys of their own: "Tab", "Esc"). A NULL label ends a
 * list. */
struct frame_hint {
    enum key_action act;
    const char *key;   /* NULL: the key of act */
    const char *label; /* N_() */
};

/* Recomputes the layout for the current size and focus; recreates the
 * windows when it changed (or when force is set). */
void frame_relayout(struct app *a, bool force);
/* Draws every dirty window and puts them out once (paint_update()). */
void frame_render(struct app *a);
/* Deletes all windows. */
void frame_free(struct app *a);
/* The first key bound to act ("Enter" of "Enter, l, Right"), or "". */
void frame_first_key(struct app *a, enum key_action act, char *out, size_t n);

#endif
