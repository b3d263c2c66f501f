# paint-lib.sh — two consoles on the fake engine side by side for the
# output tests: session t with kvdeck's own output (src/tui/paint.c),
# session u with ncurses' doupdate() (KVDECK_OUTPUT=curses), the same
# keys to both, and their screens compared cell by cell. Sourced after
# screen-lib.sh by tests/tui/test-screen-paint*.sh.

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

