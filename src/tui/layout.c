/*
 * layout.c — pane geometry for every terminal size (see layout.h).
 */
#include "config.h"

#include <string.h>

#include "tui/layout.h"

static int
layout_clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static struct rect
layout_rect(int y, int x, int h, int w)
{
    struct rect r = {y, x, h, w};
    return r;
}

void
layout_compute(struct layout *l, int rows, int cols, enum pane_id focus,
               enum pane_id right_top)
{
    memset(l, 0, sizeof *l);
    l->rows = rows;
    l->cols = cols;
    if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
        l->too_small = true;
        return;
    }
    l->header = layout_rect(0, 0, 1, cols);
    l->status = layout_rect(rows - 1, 0, 1, cols);
    int body = rows - 2;
    if (cols < 70 || rows < 16) {
        l->single = true;
        l->pane[focus] = layout_rect(1, 0, body, cols);
        l->visible[focus] = true;
        return;
    }
    int left = layout_clamp(cols * 3 / 10, 24, 36);
    /* a wide terminal gives the vaults, while they have the focus, room
     * for their columns (location, group, SKU, permission model) */
    if (focus == PANE_VAULTS && cols >= LAYOUT_WIDE_VAULTS)
        left = layout_clamp(cols * 2 / 3, 36, 120);
    int right = cols - left - 1;
    int ctx = layout_clamp(body / 3, 4, 12);
    l->pane[PANE_CONTEXT] = layout_rect(1, 0, ctx, left);
    l->pane[PANE_VAULTS] = layout_rect(1 + ctx, 0, body - ctx, left);
    l->separator = layout_rect(1, left, body, 1);
    l->visible[PANE_CONTEXT] = l->visible[PANE_VAULTS] = true;
    int x = left + 1;
    if (body >= 30) {
        int sec = body / 2;
        int ep = layout_clamp(body / 5, 5, 10);
        l->pane[PANE_SECRETS] = layout_rect(1, x, sec, right);
        l->pane[PANE_ENDPOINTS] = layout_rect(1 + sec, x, ep, right);
        l->pane[PANE_DETAIL] =
            layout_rect(1 + sec + ep, x, body - sec - ep, right);
        l->visible[PANE_SECRETS] = l->visible[PANE_ENDPOINTS] = true;
    } else {
        enum pane_id top =
            right_top == PANE_ENDPOINTS ? PANE_ENDPOINTS : PANE_SECRETS;
        int h = body * 3 / 5;
        l->pane[top] = layout_rect(1, x, h, right);
        l->pane[PANE_DETAIL] = layout_rect(1 + h, x, body - h, right);
        l->visible[top] = true;
    }
    l->visible[PANE_DETAIL] = true;
}
