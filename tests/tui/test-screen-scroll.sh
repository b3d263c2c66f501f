#!/bin/sh
# test-screen-scroll.sh — a key that scrolls a list draws only what
# changed (frame_rows: the lines move inside the window, the rows that
# came into view and the two cursor rows are drawn): what is on the
# terminal afterwards, characters and attributes, must be what a full
# redraw (C-l) of the same state puts there. Runs on the fake engine
# (200 secrets) at 80x24 and 100x30, in colour and with NO_COLOR:
# scrolling down row by row past a page, up, by pages, in one burst of keys
# (one frame for several moves), through a secret's expanded versions,
# and on the vaults pane.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

FAKE=$top_builddir/tests/tui/kvdeck-fake
[ -x "$FAKE" ] || skip "kvdeck-fake not built"
command -v python3 >/dev/null || skip "python3 is not installed"

# cells — stdin (capture-pane -e) as cells (tests/tui/screen-cells.py)
cells() { python3 "$top_srcdir/tests/tui/screen-cells.py"; }

# settled — the screen's cells once two captures 0.2 s apart agree
settled() {
    prev=
    for _ in $(seq 1 50); do
        cur=$(screen_attrs | cells)
        [ -n "$prev" ] && [ "$cur" = "$prev" ] && break
        prev=$cur
        sleep 0.2
    done
    printf '%s\n' "$cur"
}

# same_as_redraw WHAT — the screen now equals the screen after C-l
same_as_redraw() {
    settled >"$SCR_DIR/moved"
    keys C-l
    sleep 0.3
    settled >"$SCR_DIR/redrawn"
    if ! cmp -s "$SCR_DIR/moved" "$SCR_DIR/redrawn"; then
        diff "$SCR_DIR/moved" "$SCR_DIR/redrawn" | cut -c1-300 | head -20
        fail "$1: the screen differs from a full redraw"
    fi
    pass "$1: the screen is what a full redraw gives"
}

# presses KEY N — N presses, each its own frame
presses() {
    for _ in $(seq 1 "$2"); do
        keys "$1"
        sleep 0.03
    done
}

run() { # COLS ROWS LABEL [env...]
    cols=$1 rows=$2 label=$3
    shift 3
    screen_start "$cols" "$rows" env KVFAKE_SECRETS=200 "$@" "$FAKE"
    wait_for "Vaults (6)"
    keys Enter
    wait_for "Secrets of kv-a00-prod (200)"
    presses j 30
    wait_for "› secret-000030"
    same_as_redraw "$label: 30 j, scrolling row by row"
    presses k 25
    wait_for "› secret-000005"
    same_as_redraw "$label: 25 k, scrolling back up"
    keys j j j j j j j j j j j j j j j j j j j j k k j
    wait_for "› secret-000024"
    same_as_redraw "$label: a burst of keys drawn in fewer frames"
    presses NPage 2 # less than a page at once: rows drawn as they come into view
    presses PPage 1
    same_as_redraw "$label: page down twice, up once"
    keys Enter # the secret's versions under it
    sleep 0.3
    presses j 12
    presses k 3
    same_as_redraw "$label: through expanded versions"
    keys BTab # the vaults pane
    presses j 5
    presses k 2
    same_as_redraw "$label: the vaults pane"
    screen_kill
}

run 80 24 "80x24 colour"
run 100 30 "100x30 NO_COLOR" NO_COLOR=1
