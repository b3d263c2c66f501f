# screen-lib.sh — helpers for the console's screen tests: run a program in
# a private tmux server at a given size, send keys, wait for text, capture
# the screen (and the raw bytes the program wrote, through pipe-pane).
# Sourced by tests/tui/test-screen-*.sh. Needs: TMUX_BIN (or tmux on PATH).

: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; screen_dump; exit 1; }
pass() { echo "ok - $*"; }

[ -n "$TMUX_BIN" ] && [ -x "$TMUX_BIN" ] || skip "tmux is not installed"

SCR_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-screen.XXXXXX")
SCR_SOCK=$SCR_DIR/tmux.sock
SCR_RAW=$SCR_DIR/raw.out
: > "$SCR_RAW"
export XDG_CONFIG_HOME=$SCR_DIR/config
mkdir -p "$XDG_CONFIG_HOME/kvdeck"

tm() { "$TMUX_BIN" -S "$SCR_SOCK" -f /dev/null "$@"; }

# screen_pids — the processes running in the panes (the command under
# each pane's shell), taken before the server goes.
screen_pids() {
    for p in $(tm list-panes -a -F '#{pane_pid}' 2>/dev/null); do
        echo "$p"; pgrep -P "$p" 2>/dev/null
    done
}

# screen_reap PID... — after the server is gone the programs got SIGHUP;
# one still there after 5 s (seen: an ASan build's LeakSanitizer stuck in
# its exit-time scan, spinning a core for the rest of the run) is killed
# and said, so no test leaves a process behind.
screen_alive() {
    for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done
    return 1
}
screen_reap() {
    [ $# -gt 0 ] || return 0
    n=0
    while [ $n -lt 50 ] && screen_alive "$@"; do
        sleep 0.1; n=$((n + 1))
    done
    for p in "$@"; do
        if kill -0 "$p" 2>/dev/null; then
            echo "# process $p ($(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | cut -c1-80)) outlived its terminal by 5 s: killed" >&2
            kill -9 "$p" 2>/dev/null
        fi
    done
}

screen_cleanup() {
    pids=$(screen_pids)
    tm kill-server >/dev/null 2>&1
    screen_reap $pids
    rm -rf "$SCR_DIR"
}
trap screen_cleanup EXIT

# screen_start COLS ROWS COMMAND... — runs the command in a new session;
# its exit status lands in $SCR_DIR/status. Raw output goes to $SCR_RAW.
screen_start() {
    cols=$1 rows=$2; shift 2
    printf '%s\n' "$*" > "$SCR_DIR/cmd"
    tm new-session -d -s t -x "$cols" -y "$rows" \
        "$* 2>$SCR_DIR/stderr; echo \$? > $SCR_DIR/status; sleep 600"
    tm set-option -t t remain-on-exit on >/dev/null 2>&1
    tm pipe-pane -O -t t "cat >> $SCR_RAW"
}

# screen_kill — ends the tmux server and waits until it is gone, so that
# the next screen_start does not reach the dying one ("server exited
# unexpectedly").
screen_kill() {
    pids=$(screen_pids)
    tm kill-server >/dev/null 2>&1
    screen_reap $pids
    n=0
    while tm list-sessions >/dev/null 2>&1 && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    rm -f "$SCR_SOCK"
}

screen_text() { tm capture-pane -p -t t; }
screen_attrs() { tm capture-pane -p -e -t t; }
screen_dump() {
    echo "---- screen ----"
    screen_text 2>/dev/null
    echo "---- stderr ----"
    cat "$SCR_DIR/stderr" 2>/dev/null
}

# keys K... — tmux send-keys names (Enter, Escape, Tab, Down, C-l ...)
keys() { tm send-keys -t t "$@"; }
# type TEXT — literal text
type_text() { tm send-keys -t t -l "$1"; }

# Every wait's limit is multiplied by KVDECK_TEST_TIME_FACTOR (default 1;
# .ci/bootstrap sets 3 since it runs twice as many tests as cores): a limit
# only ends a wait that failed, so a larger one costs a passing test nothing.
tfactor=${KVDECK_TEST_TIME_FACTOR:-1}
case $tfactor in '' | *[!0-9]*) tfactor=1 ;; esac

# wait_for TEXT [SECONDS] — until TEXT (fixed string) is on screen.
wait_for() {
    want=$1 limit=$(( ${2:-15} * tfactor ))
    end=$(( $(date +%s) + limit ))
    while [ "$(date +%s)" -le "$end" ]; do
        if screen_text | grep -qF -- "$want"; then return 0; fi
        sleep 0.1
    done
    fail "timed out waiting for '$want'"
}

# wait_gone TEXT [SECONDS] — until TEXT is no longer on screen.
wait_gone() {
    want=$1 limit=$(( ${2:-15} * tfactor ))
    end=$(( $(date +%s) + limit ))
    while [ "$(date +%s)" -le "$end" ]; do
        if ! screen_text | grep -qF -- "$want"; then return 0; fi
        sleep 0.1
    done
    fail "timed out waiting for '$want' to go away"
}

# assert_screen TEXT MESSAGE / refute_screen TEXT MESSAGE
assert_screen() { screen_text | grep -qF -- "$1" || fail "$2: '$1' not on screen"; pass "$2"; }
refute_screen() { ! screen_text | grep -qF -- "$1" || fail "$2: '$1' is on screen"; pass "$2"; }

# wait_exit [SECONDS] — until the program ended; prints its status.
wait_exit() {
    limit=$(( ${1:-10} * tfactor ))
    end=$(( $(date +%s) + limit ))
    while [ "$(date +%s)" -le "$end" ]; do
        if [ -s "$SCR_DIR/status" ]; then
            # a sanitizer report on stderr fails the test whatever the status
            if grep -qE "Sanitizer|runtime error:" "$SCR_DIR/stderr" 2>/dev/null; then
                cat "$SCR_DIR/stderr" >&2
                echo 99
                return 0
            fi
            cat "$SCR_DIR/status"; return 0
        fi
        sleep 0.1
    done
    fail "the program did not exit"
}

screen_resize() { tm resize-window -t t -x "$1" -y "$2"; }
