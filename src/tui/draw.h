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
/* Draws s, which is text_fit()'s output or made of such (printable, as
 * wide as the caller counted), as it is: draw_text_attr() without the
 * fit, for a caller that put a line together from fitted parts. */
void draw_fitted_attr(WINDOW *w, int y, int x, const char *s, attr_t attr);
/* The longest text_fit() output draw_text() makes (250 columns). */
#define DRAW_LINE_MAX 1024

/* What a line of a window shows, as draw_text_diff() left it, so the
 * next update draws only the cells that differ. */
struct draw_shown {
    bool known; /* false: not known, draw it all */
    attr_t attr;
    int cols;                 /* the columns text takes */
    char text[DRAW_LINE_MAX]; /* text_fit()'s output; "": blank */
};

/* draw_text_attr() with pad where the window shows shown: draws nothing
 * when the text is the same, only the cells that differ when both are
 * plain ASCII, else all; then shown is what the line shows. The caller
 * clears shown->known whenever something else draws on that line. */
int draw_text_diff(struct app *a, WINDOW *w, int y, int x, int width,
                   const char *s, attr_t attr, struct draw_shown *shown);
/* draw_text_diff() of a text already fitted: buf is text_fit()'s
 * output padded to the width, used its columns (buf may be changed). */
void draw_fitted_diff(WINDOW *w, int y, int x, char *buf, int used, attr_t attr,
                      struct draw_shown *shown);
/* Line y blank (as werase() leaves it), unless shown says it is. */
void draw_clear_diff(WINDOW *w, int y, struct draw_shown *shown);
/* A title bar's text: the left part (with the focus marker) and the
 * load state at the right (may be ""), and the style. */
void draw_title_text(struct app *a, struct view *v, char *left, size_t ln,
                     char *right, size_t rn, enum style *st);
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
