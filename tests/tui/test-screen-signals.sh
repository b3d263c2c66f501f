#!/bin/sh
# test-screen-signals.sh — kvdeck --demo and its simulator on signals:
# SIGTERM and SIGHUP quit cleanly (status 0, terminal restored, simulator
# stopped, state directory removed); a crash (SIGSEGV) still restores the
# terminal and takes the simulator down; Ctrl-Z suspends and `fg` brings
# the screen back.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

KVDECK=$top_builddir/src/kvdeck
SIM=$top_builddir/src/sim/kvdeck-sim
[ -x "$KVDECK" ] || skip "src/kvdeck not built"
[ -x "$SIM" ] || skip "kvdeck-sim not built (configure --disable-sim?)"
export KVDECK_SIM=$SIM
export TMPDIR=$SCR_DIR

sim_running() { pgrep -f "kvdeck-sim --state-dir $SCR_DIR/" >/dev/null 2>&1; }
# Our kvdeck: the child of this test's tmux pane (another screen test
# running in parallel has a kvdeck with the same command line).
kvdeck_pid() {
    pgrep -P "$(tm display-message -p -t t '#{pane_pid}')" -f "^$KVDECK --demo" |
        head -n 1
}

for sig in TERM HUP; do
    rm -f "$SCR_DIR/status"
    screen_start 80 24 "$KVDECK --demo"
    wait_for "Vaults (4)" 30
    sim_running || fail "no simulator running"
    kill -$sig "$(kvdeck_pid)"
    st=$(wait_exit 15)
    [ "$st" = 0 ] || fail "SIG$sig: exit status $st"
    pass "SIG$sig quits with status 0"
    sleep 0.5
    sim_running && fail "SIG$sig: the simulator is still running"
    pass "SIG$sig: the simulator is stopped"
    ls "$SCR_DIR"/kvdeck-demo-* >/dev/null 2>&1 && fail "SIG$sig: state directory left"
    tm kill-session -t t
done

# Ctrl-Z in an interactive shell, then fg.
rm -f "$SCR_DIR/status"
tm new-session -d -s t -x 80 -y 24 "sh -i"
sleep 0.5
keys "KVDECK_SIM=$SIM $KVDECK --demo" Enter
wait_for "Vaults (4)" 30
keys C-z
wait_for "Stopped" 10
refute_screen "Vaults (4)" "Ctrl-Z leaves the alternate screen"
sim_running || fail "the simulator must keep running while suspended"
keys "fg" Enter
wait_for "Vaults (4)" 10
pass "fg brings the console back"
keys q
sleep 1
refute_screen "Vaults (4)" "q after fg quits"
sim_running && fail "the simulator is still running after quitting"
pass "the simulator is stopped after quitting"
tm kill-session -t t

# A crash: the terminal is restored and the simulator dies with kvdeck.
rm -f "$SCR_DIR/status"
tm new-session -d -s t -x 80 -y 24 "sh -i"
sleep 0.5
keys "KVDECK_SIM=$SIM $KVDECK --demo; echo STATUS=\$?" Enter
wait_for "Vaults (4)" 30
kill -SEGV "$(kvdeck_pid)"
wait_for "STATUS=139" 10
pass "SIGSEGV kills kvdeck"
refute_screen "Vaults (4)" "the terminal is back from the alternate screen"
keys "stty -a | tr ';' '\\n' | grep -c -- '-icanon'; echo ECHO-OK" Enter
wait_for "ECHO-OK" 10
screen_text | grep -q "^0$" || fail "the terminal was left in raw mode"
pass "the terminal modes are restored"
sleep 1
sim_running && fail "the simulator survived the crash"
pass "the simulator died with kvdeck"
exit 0
