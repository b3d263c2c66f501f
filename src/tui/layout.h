/*
 * layout.h — where each pane goes for a terminal of a given size. Pure,
 * so every size from 40x12 up can be checked by a unit test.
 *
 *   >= 70x16: context and vaults in a left column, secrets (or
 *             endpoints) over the detail pane on the right; with 30 or
 *             more body rows, endpoints get their own strip; from
 *             LAYOUT_WIDE_VAULTS columns up the left column takes two
 *             thirds of the width while the vaults have the focus;
 *   >= 40x12: one pane at a time, the focused one, full width;
 *   smaller:  "terminal too small".
 * Row 0 is the breadcrumb header, the last row the status bar.
 */
#ifndef KV_TUI_LAYOUT_H
#define KV_TUI_LAYOUT_H

#include <stdbool.h>

enum pane_id {
    PANE_CONTEXT,
    PANE_VAULTS,
    PANE_SECRETS,
    PANE_ENDPOINTS,
    PANE_DETAIL,
    PANE_COUNT
};

#define LAYOUT_MIN_COLS 40
#define LAYOUT_MIN_ROWS 12
/* from this many columns the focused vaults pane shows its columns */
#define LAYOUT_WIDE_VAULTS 100

struct rect {
    int y, x, h, w;
};

struct layout {
    int rows, cols;
    bool too_small;
    bool single; /* one pane at a time */
    struct rect header, status;
    struct rect pane[PANE_COUNT]; /* title row included */
    bool visible[PANE_COUNT];
    struct rect separator; /* vertical line; w == 0 if none */
};

/* right_top is PANE_SECRETS or PANE_ENDPOINTS: which of the two takes
 * the upper right when they share it. */
void layout_compute(struct layout *l, int rows, int cols, enum pane_id focus,
                    enum pane_id right_top);

#endif
