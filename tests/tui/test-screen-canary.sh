#!/bin/sh
# test-screen-canary.sh — a value written, rotated, revealed and copied
# in the console is never found where it must not be: the journal, the
# debug log (--log), argv and environment of kvdeck and kvdeck-sim
# (/proc), kvdeck-sim's log, and the terminal byte stream (tmux
# pipe-pane) except inside the reveal asked for with v (between v and v)
# and inside the OSC 52 sequence y writes (as base64).
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/wizard-lib.sh"
N=feature-flags-token
rawsize() { wc -c < "$SCR_RAW"; }

wizard_start 80 24
C1="canary-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

# 1. A new version, pasted with no echo, copied (never shown).
keys j
keys w
wait_for "New version of $N (1/2)" 10
keys Right Down Down Down Down
tm set-buffer -- "$C1"
tm paste-buffer -p -t t
keys Enter Enter
wait_for "(2/2)" 5
keys Enter Enter Enter Enter
wait_for "[ Apply ]" 5
keys Enter
wait_for "Done in" 20
keys Enter
wait_for "Wrote a new version of $N" 5
[ "$(latest_value $N)" = "$C1" ] || fail "the sim does not hold the pasted canary"
keys y
sleep 0.5
keys Enter
wait_gone "Wrote a new version" 5

# 2. A rotation with a generated value, revealed (v ... v) and copied.
keys R
wait_for "Rotate $N (1/3)" 15
wait_for "the latest" 10
keys Enter
wait_for "(2/3)" 5
keys Enter Enter Enter Enter Enter Enter
wait_for "(3/3)" 5
keys Enter Enter Enter Enter Enter Enter
wait_for "[ Apply ]" 5
keys Enter
wait_for "Done in" 20
keys Enter
wait_for "Rotated $N" 5
C2=$(latest_value $N)
[ -n "$C2" ] && [ "$C2" != "$C1" ] || fail "no rotated value in the sim"
sleep 0.5
off1=$(rawsize)
keys v
wait_for "$C2" 5
keys v
wait_gone "$C2" 5
sleep 0.5
off2=$(rawsize)
keys y
wait_for "copied the new value to the clipboard" 5
pass "the wizard says it copied (over its key hints)"

# argv and environment of kvdeck and its simulator, while they run.
pane=$(tm display-message -p -t t '#{pane_pid}')
pids=$(ps -o pid= --ppid "$pane")
for p in $pids; do pids="$pids $(ps -o pid= --ppid "$p")"; done
[ -n "$pids" ] || fail "no kvdeck process found"
for p in $pids; do
    for f in cmdline environ; do
        [ -r /proc/$p/$f ] || continue
        if tr '\0' '\n' < /proc/$p/$f | grep -qF -e "$C1" -e "$C2"; then
            fail "a canary in /proc/$p/$f"
        fi
    done
done
pass "no canary in argv or the environment of kvdeck and kvdeck-sim"
simlog=$(ls "$SCR_DIR"/kvdeck-demo-*/sim.log)
keys Enter
wait_gone "Rotated $N" 5
# the sim's log goes with the demo's directory at exit: read it first
cp "$simlog" "$SCR_DIR/sim.log.copy" || fail "no kvdeck-sim log"
keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"

[ -s "$KVDECK_JOURNAL" ] || fail "no journal written"
[ -s "$KV_LOG" ] || fail "no debug log written"
[ -s "$SCR_DIR/sim.log.copy" ] || fail "the sim's log is empty"
for f in "$KVDECK_JOURNAL" "$KV_LOG" "$SCR_DIR/sim.log.copy"; do
    if grep -qF -e "$C1" -e "$C2" "$f"; then fail "a canary in $f"; fi
done
grep -q '"plan":"rotate"\|rotate' "$KVDECK_JOURNAL" || fail "the rotation is not in the journal"
pass "no canary in the journal, the debug log or kvdeck-sim's log"

# The terminal byte stream: C1 never in clear; C2 in clear only between
# the two v; each canary's base64 only inside an OSC 52 sequence.
python3 - "$SCR_RAW" "$C1" "$C2" "$off1" "$off2" <<'PY' || fail "the terminal byte stream"
import base64, sys
raw = open(sys.argv[1], "rb").read()
c1, c2 = sys.argv[2].encode(), sys.argv[3].encode()
off1, off2 = int(sys.argv[4]), int(sys.argv[5])
bad = 0
def check(cond, what):
    global bad
    print(("ok - " if cond else "FAIL: ") + what)
    bad |= not cond
check(raw.count(c1) == 0, "the pasted canary never reached the terminal in clear")
check(c2 not in raw[:off1], "the rotated value not in clear before v")
check(c2 in raw[off1:off2], "the rotated value in clear between v and v")
check(c2 not in raw[off2:], "the rotated value not in clear after v hid it")
for name, c in (("pasted", c1), ("rotated", c2)):
    b = base64.b64encode(c)
    n, inside = raw.count(b), raw.count(b"]52;c;" + b)
    check(n >= 1 and n == inside,
          "the %s canary's base64 only inside OSC 52 (%d of %d)" % (name, inside, n))
sys.exit(bad)
PY
exit 0
