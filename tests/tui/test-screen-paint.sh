#!/bin/sh
# test-screen-paint.sh — kvdeck's own terminal output (src/tui/paint.c)
# against ncurses' doupdate() (KVDECK_OUTPUT=curses): two consoles on the
# fake engine get the same keys, and after each step both terminals must
# show the same characters and attributes (cell by cell, the clock
# masked) and the cursor in the same place when it shows. At 80x24 in
# colour, 100x30 with NO_COLOR and 60x20 in ASCII (one pane at a time):
# scrolling, the panes, the help screen, the command line, a filter
# typed with two-column characters and rubbed out, a resize. (The bytes:
# test-screen-paint-bytes.sh.)
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "${top_srcdir:-.}/tests/tui/paint-lib.sh"

run() { # FULL COLS ROWS LABEL env... (FULL 0: fewer steps)
    full=$1 cols=$2 rows=$3 label=$4
    shift 4
    start_both "$cols" "$rows" KVFAKE_SECRETS=200 "$@"
    wait_both "Vaults (6)"
    same "$label: start"
    both Enter
    wait_both "(200)"
    same "$label: a vault's secrets"
    for _ in $(seq 1 25); do
        both j
        sleep 0.03
    done
    same "$label: 25 j"
    if [ "$full" = 1 ]; then
        both NPage k k
        same "$label: a page down, two up"
        both Tab
        same "$label: the next pane"
        both BTab BTab j
        same "$label: back, and the vaults pane"
    fi
    both '?'
    wait_both "Keys"
    same "$label: the help screen"
    both Escape
    same "$label: the help screen closed"
    if [ "$full" = 1 ]; then
        both :
        both_text "vault kv-a0"
        same "$label: the command line and its cursor"
        both BSpace BSpace Escape
        same "$label: the command line closed"
    fi
    both BTab
    both /
    both_text "日本x語"
    same "$label: a filter with two-column characters"
    both BSpace BSpace
    same "$label: two of them rubbed out"
    both Escape
    same "$label: the filter cleared"
    screen_resize $((cols + 7)) $((rows - 2))
    tm resize-window -t u -x $((cols + 7)) -y $((rows - 2))
    sleep 0.5
    same "$label: resized"
    screen_kill
}

run 1 80 24 "80x24 colour" LANG=C.UTF-8
run 0 100 30 "100x30 NO_COLOR" LANG=C.UTF-8 NO_COLOR=1
run 1 60 20 "60x20 ASCII" LC_ALL=C
