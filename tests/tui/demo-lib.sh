# demo-lib.sh — shared by the screen tests that drive `kvdeck --demo`
# against its kvdeck-sim (sourced after screen-lib.sh): checks that
# kvdeck, kvdeck-sim and python3 are there (skip otherwise), keeps the
# journal in the test directory, and gives
#   demo_start COLS ROWS [ARGS [ENV]]
#                     the console on the demo (kvdeck ARGS --demo, run
#                     under the ENV prefix, e.g. "env NO_COLOR=1"), once
#                     its vaults are listed; SIM_CONN then names the demo
#                     sim's connection file
#   st ARGS...        tests/tui/simtui.py (the sim behind the console)
#   simctl ARGS...    tests/cli/simctl.py
KVDECK=$top_builddir/src/kvdeck
SIM=$top_builddir/src/sim/kvdeck-sim
[ -x "$KVDECK" ] || skip "src/kvdeck not built"
[ -x "$SIM" ] || skip "kvdeck-sim not built (configure --disable-sim?)"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"
export KVDECK_SIM=$SIM TMPDIR=$SCR_DIR KVDECK_JOURNAL=$SCR_DIR/journal.jsonl
export top_srcdir
V=kv-contoso-dev

st() { python3 "$top_srcdir/tests/tui/simtui.py" "$@"; }
simctl() { python3 "$top_srcdir/tests/cli/simctl.py" "$@"; }

demo_start() {
    screen_start "$1" "$2" "${4:-} $KVDECK ${3:-} --demo"
    wait_for "kv-contoso-dev" 30
    SIM_CONN=$(ls "$SCR_DIR"/kvdeck-demo-*/connection.json 2>/dev/null | head -n 1)
    [ -n "$SIM_CONN" ] || fail "no connection file of the demo's simulator"
    export SIM_CONN
}
