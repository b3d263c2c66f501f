#!/bin/sh
# test-screen-paint.sh — kvdeck's own terminal output (src/tui/paint.c)
# against ncurses' doupdate() (KVDECK_OUTPUT=curses): two consoles on the
# fake engine get the same keys, and after each step both terminals must
# show the same characters and attributes (cell by cell, the clock
# masked) and the cursor in the same place when it shows. At 80x24 in
# colour, 100x30 with NO_COLOR and 60x20 in ASCII (one pane at a time):
# scrolling, the panes, the help screen, the command line, a filter
# typed with two-column characters and rubbed out, a resize. Then the
# bytes: 60 presses of j that scroll a list may cost no more than 10%
# over what ncurses writes for them, at 80x24 (two columns of panes) and
# at 60x20 (the list as wide as the terminal: its lines are moved in a
# scrolling region, as ncurses moves them).
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

FAKE=$top_builddir/tests/tui/kvdeck-fake
[ -x "$FAKE" ] || skip "kvdeck-fake not built"
command -v python3 >/dev/null || skip "python3 is not installed"

RAW_U=$SCR_DIR/raw-curses.out
# the second console, ncurses' output, in session u of the same server
start_both() { # COLS ROWS env...
    c=$1 r=$2
    shift 2
    screen_start "$c" "$r" env "$@" "$FAKE"
    tm new-session -d -s u -x "$c" -y "$r" \
        "env $* KVDECK_OUTPUT=curses $FAKE 2>$SCR_DIR/stderr-u; sleep 600"
    : >"$RAW_U"
    tm pipe-pane -O -t u "cat >> $RAW_U"
}
both() {
    keys "$@"
    tm send-keys -t u "$@"
}
both_text() {
    type_text "$1"
    tm send-keys -t u -l "$1"
}
wait_both() { # TEXT
    wait_for "$1"
    n=0
    until tm capture-pane -p -t u | grep -qF -- "$1"; do
        n=$((n + 1))
        [ $n -lt $((100 * tfactor)) ] || fail "ncurses' console never showed '$1'"
        sleep 0.1
    done
}
# cells of session S once two captures 0.2 s apart agree; HH:MM masked
settled() {
    prev=
    for _ in $(seq 1 50); do
        cur=$(tm capture-pane -p -e -t "$1" |
            sed 's/[0-9][0-9]:[0-9][0-9]/##:##/g' |
            python3 "$top_srcdir/tests/tui/screen-cells.py")
        [ -n "$prev" ] && [ "$cur" = "$prev" ] && break
        prev=$cur
        sleep 0.2
    done
    printf '%s\n' "$cur"
}
cursor() { tm display-message -p -t "$1" '#{cursor_flag} #{cursor_x},#{cursor_y}'; }
same() { # WHAT
    settled t >"$SCR_DIR/paint"
    settled u >"$SCR_DIR/curses"
    if ! cmp -s "$SCR_DIR/paint" "$SCR_DIR/curses"; then
        diff "$SCR_DIR/paint" "$SCR_DIR/curses" | cut -c1-300 | head -20
        fail "$1: kvdeck's output and ncurses' differ"
    fi
    ct=$(cursor t) cu=$(cursor u)
    case $ct in 1*) [ "$ct" = "$cu" ] || fail "$1: the cursor at $ct, ncurses' at $cu" ;; esac
    pass "$1: the same screen as ncurses'"
}

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
