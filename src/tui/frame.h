/*
 * frame.h — the screen around the panes: layout and windows, breadcrumb
 * header, status bar (activity, throttling, last error, command line),
 * help overlay and the "terminal too small" notice; and the one
 * doupdate() per loop turn that puts only dirty windows on the wire.
 */
#ifndef KV_TUI_FRAME_H
#define KV_TUI_FRAME_H

#include <stdbool.h>

#include "tui/app.h"

/* Recomputes the layout for the current size and focus; recreates the
 * windows when it changed (or when force is set). */
void frame_relayout(struct app *a, bool force);
/* Draws every dirty window and calls doupdate() once. */
void frame_render(struct app *a);
/* Deletes all windows. */
void frame_free(struct app *a);
/* Help overlay scrolling; returns false when the overlay should close. */
bool frame_help_key(struct app *a, int key, bool is_key);

#endif
