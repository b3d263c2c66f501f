/*
 * draw.h — drawing helpers shared by the panes: text fitted to a width,
 * a pane's title bar with its load state, a footer with the load's error
 * or back-off, and the full-width highlight of a selected row.
 */
#ifndef KV_TUI_DRAW_H
#define KV_TUI_DRAW_H

#include <stdbool.h>

#include "tui/app.h"

/* Draws s at (y, x) cut/padded to width columns with style st. Returns
 * the columns used. */
int draw_text(struct app *a, WINDOW *w, int y, int x, int width, const char *s,
              enum style st, bool pad);
/* Same with a plain attribute. */
int draw_text_attr(struct app *a, WINDOW *w, int y, int x, int width,
                   const char *s, attr_t attr, bool pad);
/* Title bar on line 0 of the view's window. */
void draw_title(struct app *a, struct view *v);
/* The footer text for a load (error or progress) into buf; false if
 * there is nothing to say. *err tells which style. */
bool draw_footer_text(struct app *a, const struct load *l, char *buf, size_t n,
                      bool *err);
/* "2026-11-30" / "2026-11-30 14:02" from unix seconds ("" for 0). */
void draw_date(int64_t t, bool with_time, char *buf, size_t n);
/* The attribute for a list row: selected in the focused pane, selected
 * elsewhere, or normal. */
attr_t draw_row_attr(struct app *a, struct view *v, bool selected);
/* A line of "(no items)"-style text in the dim style, centred-ish. */
void draw_empty(struct app *a, struct view *v, const char *text);

#endif
