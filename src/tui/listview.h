/*
 * listview.h — cursor and scroll position of a list on screen, as pure
 * arithmetic: n rows, a window of height rows, the cursor kept visible.
 * Every move is O(1), so a key press costs the same with 100,000 rows.
 */
#ifndef KV_TUI_LISTVIEW_H
#define KV_TUI_LISTVIEW_H

#include <stdbool.h>
#include <stddef.h>

struct listview {
    size_t n;      /* rows */
    size_t cursor; /* selected row (0 when n == 0) */
    size_t top;    /* first row on screen */
    int height;    /* rows on screen (>= 1) */
};

void listview_init(struct listview *lv);
/* New row count (rows appended or list replaced); keeps the cursor in
 * range. Returns true when what is on screen may have changed. */
bool listview_set_count(struct listview *lv, size_t n);
void listview_set_height(struct listview *lv, int height);
/* Moves by delta rows (negative is up), clamped. Returns true if the
 * cursor moved. */
bool listview_move(struct listview *lv, long delta);
bool listview_page(struct listview *lv, int dir);
bool listview_home(struct listview *lv);
bool listview_end(struct listview *lv);
/* What a list key does (an enum key_action: up, down, page up/down,
 * home, end): 1 the cursor moved, 0 it could not, -1 act is no list
 * move. Every list (panes and modal lists) moves with this. */
int listview_act(struct listview *lv, int act);
/* Puts the cursor on row i (clamped), scrolling as little as possible. */
bool listview_select(struct listview *lv, size_t i);
/* Row under screen line y (0-based inside the list), or (size_t)-1. */
size_t listview_row_at(const struct listview *lv, int y);

#endif
