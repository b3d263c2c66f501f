#!/bin/sh
# test-screen-demo-kill.sh — `kvdeck --demo` leaves no temporary
# directory (the simulator's keys, the demo's credentials) and no process
# behind when it is killed with SIGKILL: the simulator ends by PDEATHSIG
# and the demo's guard removes the directory. When the guard is killed
# too, the next start sweeps the directory of the dead owner. Then a
# normal quit: the directory goes too and the guard does not linger.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

KVDECK=$top_builddir/src/kvdeck
SIM=$top_builddir/src/sim/kvdeck-sim
[ -x "$KVDECK" ] || skip "src/kvdeck not built"
[ -x "$SIM" ] || skip "kvdeck-sim not built (configure --disable-sim?)"
export KVDECK_SIM=$SIM
export TMPDIR=$SCR_DIR/tmp
mkdir -p "$TMPDIR"

# procs_of DIR — the processes whose command line names DIR (the sim,
# the guard).
procs_of() { pgrep -f -- "$1" 2>/dev/null; }

# gone_within SECONDS DIR — until DIR and every process naming it are gone.
gone_within() {
    n=0
    while [ -e "$2" ] || [ -n "$(procs_of "$2")" ]; do
        n=$((n + 1))
        [ $n -le $(($1 * 10)) ] || return 1
        sleep 0.1
    done
}

screen_start 80 24 "$KVDECK --demo"
wait_for "kv-contoso-dev" 30
dir=$(ls -d "$TMPDIR"/kvdeck-demo-* 2>/dev/null | head -n 1)
[ -n "$dir" ] && [ -f "$dir/connection.json" ] || fail "no demo state directory in $TMPDIR"
pass "the demo runs in $dir"
[ -n "$(procs_of "$dir")" ] || fail "no simulator naming $dir"
pane=$(tm display-message -p -t t '#{pane_pid}')
kv=$(pgrep -P "$pane" -x kvdeck | head -n 1)
[ -n "$kv" ] || fail "kvdeck's pid not found under the pane's shell $pane"
kill -KILL "$kv"
gone_within 10 "$dir" || {
    ps -o pid,ppid,pgid,args -p "$(procs_of "$dir" | tr '\n' ',' | sed 's/,$//')" 2>/dev/null
    ls -la "$dir" 2>/dev/null
    fail "after SIGKILL the state directory or a process naming it is still there after 10 s"
}
pass "SIGKILL: the state directory (keys, credentials) and the simulator are gone"
[ -z "$(ls -A "$TMPDIR")" ] || fail "something left in TMPDIR: $(ls -A "$TMPDIR")"
pass "nothing left in TMPDIR"

# kvdeck and its guard killed together: the next start sweeps the
# directory of the dead owner.
screen_kill
rm -f "$SCR_DIR/status"
screen_start 80 24 "$KVDECK --demo"
wait_for "kv-contoso-dev" 30
old=$(ls -d "$TMPDIR"/kvdeck-demo-* 2>/dev/null | head -n 1)
[ -n "$old" ] || fail "no demo state directory on the second start"
[ -f "$old/owner" ] || fail "no owner file in $old"
pane=$(tm display-message -p -t t '#{pane_pid}')
kv=$(pgrep -P "$pane" -x kvdeck | head -n 1)
guard=$(pgrep -P "$kv" -f kvdeck-demo-guard | head -n 1)
[ -n "$kv" ] && [ -n "$guard" ] || fail "kvdeck ($kv) or its guard ($guard) not found"
kill -KILL "$guard" "$kv"
n=0
while [ -n "$(pgrep -f -- "--state-dir $old")" ] && [ $n -lt 100 ]; do
    sleep 0.1; n=$((n + 1))
done
[ -d "$old" ] || fail "the directory went although its guard was killed too"
pass "kvdeck and its guard killed: the directory is left (for the next start)"
screen_kill
rm -f "$SCR_DIR/status"
screen_start 80 24 "$KVDECK --demo"
wait_for "kv-contoso-dev" 30
[ ! -e "$old" ] || fail "the next start did not sweep $old"
pass "the next start removed the directory of the dead kvdeck"
dir=$(ls -d "$TMPDIR"/kvdeck-demo-* 2>/dev/null | head -n 1)
[ -n "$dir" ] && [ "$dir" != "$old" ] || fail "no new demo state directory"

# A normal quit cleans up as before, and the guard ends with kvdeck.
keys q
[ "$(wait_exit 10)" = 0 ] || fail "kvdeck --demo did not exit cleanly"
gone_within 5 "$dir" || fail "after q the state directory or a process naming it remains"
pass "q: the state directory, the simulator and the guard are gone"
