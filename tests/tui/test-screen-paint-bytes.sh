#!/bin/sh
# test-screen-paint-bytes.sh — the bytes kvdeck's own output writes
# (src/tui/paint.c) against ncurses' doupdate() for the same frames: 60
# presses of j that scroll a list may cost no more than 10% over what
# ncurses writes for them, at 80x24 (two columns of panes) and at 60x20
# (the list as wide as the terminal: its lines are moved in a scrolling
# region, as ncurses moves them); the screens must match too.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "${top_srcdir:-.}/tests/tui/paint-lib.sh"

# The bytes of 60 presses that scroll the list (the cursor on the last
# row first), each press its own frame; at 60x20 the list is as wide as
# the terminal and its lines move in a scrolling region.
scroll_bytes() { # COLS ROWS
    start_both "$1" "$2" KVFAKE_SECRETS=2000 LANG=C.UTF-8
    wait_both "Vaults (6)"
    both Enter
    wait_both "(2000)"
    for _ in $(seq 1 20); do
        both j
        sleep 0.05
    done
    sleep 0.5
    : >"$SCR_RAW"
    : >"$RAW_U"
    for _ in $(seq 1 60); do
        both j
        sleep 0.05
    done
    wait_both "› secret-000080"
    same "$1x$2: 60 j that scroll"
    sleep 0.3
    bp=$(wc -c <"$SCR_RAW") bc=$(wc -c <"$RAW_U")
    echo "# $1x$2, bytes for 60 j: kvdeck $bp, ncurses $bc"
    [ "$bp" -gt 600 ] || fail "only $bp bytes for 60 scrolling presses: the bytes were not counted"
    [ $((bp * 10)) -le $((bc * 11)) ] ||
        fail "$1x$2: kvdeck wrote $bp bytes for 60 scrolling presses, ncurses $bc"
    pass "$1x$2: 60 scrolling presses: $bp bytes, ncurses $bc"
    screen_kill
}
scroll_bytes 80 24
scroll_bytes 60 20
