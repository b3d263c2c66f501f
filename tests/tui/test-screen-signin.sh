#!/bin/sh
# test-screen-signin.sh — the console's device-code sign-in against
# kvdeck-sim, at 80x24 with NO_COLOR, a config holding the cloud, the CA
# and the tenant only, and an empty az config dir (no az login):
#  - first start: the sign-in screen shows the page, the code (the sim's
#    pending one) and the time left, counting down; approved through the
#    control endpoint, the screen goes and the vaults are listed; a
#    vault's secrets load with a token bought by the refresh token (one
#    device code in the whole run, the debug log says so);
#  - declined: the reason and r for a new code; r shows another code,
#    which approved, lists the vaults;
#  - expired (the sim's device_lifetime 3 s): the reason; r, approved;
#  - slow_down (the sim's slow-down fault): said on the screen, and the
#    sign-in still completes;
#  - Esc on a failure: the status bar says not signed in; r in the panes
#    asks for a new code;
#  - a resize while the code is shown keeps it on screen.
# Needs tmux, python3 and kvdeck-sim.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

KVDECK=$top_builddir/src/kvdeck
SIMBIN=$top_builddir/src/sim/kvdeck-sim
[ -x "$KVDECK" ] || skip "src/kvdeck not built"
[ -x "$SIMBIN" ] || skip "kvdeck-sim not built (configure --disable-sim?)"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"

mkfifo "$SCR_DIR/ready"
"$SIMBIN" --state-dir "$SCR_DIR/state" --seed demo --device-interval 1 \
    >"$SCR_DIR/ready" 2>"$SCR_DIR/sim.log" &
SIMPID=$!
trap 'kill $SIMPID 2>/dev/null; wait $SIMPID 2>/dev/null; screen_cleanup' EXIT
read -r word SIM_CONN <"$SCR_DIR/ready" || fail "kvdeck-sim did not start"
cat "$SCR_DIR/ready" >>"$SCR_DIR/sim.log" &
[ "$word" = ready ] || fail "kvdeck-sim said $word"
export SIM_CONN top_srcdir
conn() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$SIM_CONN" "$1"; }
simctl() { python3 "$top_srcdir/tests/cli/simctl.py" "$@"; }

cfg=$SCR_DIR/kvdeck.conf
printf '%s\n' "cloud = $(conn cloud_file)" "ca-file = $(conn ca)" \
    "tenant = $(conn tenant)" >"$cfg"
chmod 600 "$cfg"
mkdir -p "$SCR_DIR/azure"
LOG=$SCR_DIR/debug.log
USER_UPN=$(conn user)
RUN="env NO_COLOR=1 AZURE_CONFIG_DIR=$SCR_DIR/azure KVDECK_JOURNAL=$SCR_DIR/journal.jsonl $KVDECK --config $cfg --log $LOG"

# the_code — the code on the screen (the line under "enter the code")
the_code() {
    screen_text | python3 -c '
import re, sys
lines = sys.stdin.read().split("\n")
for i, l in enumerate(lines[:-1]):
    if "and enter the code:" in l:
        col = l.index("and enter the code:")
        m = re.match(r"\s*([A-Z0-9]+)", lines[i + 1][col:])
        print(m.group(1) if m else "")'
}
# start — a fresh console, waiting for its sign-in screen and code
start() {
    screen_kill
    : >"$LOG"
    screen_start 80 24 "$RUN"
    wait_for "Sign in to Azure" 20
    wait_for "and enter the code:" 20
    UC=$(the_code)
    [ -n "$UC" ] || fail "no code on the screen"
}

# ---- first start, approved ---------------------------------------------------
start
pass "first start with nothing configured: the sign-in screen"
[ "$(simctl device-state "$UC")" = "pending 1" ] || fail "the code $UC is not the sim's pending one"
pass "the code shown is the sim's pending one"
assert_screen "/_sim/devicelogin" "the page to open"
assert_screen "Waiting for you to sign in" "it says it waits"
t1=$(screen_text | sed -n 's/.*expires in \([0-9:]*\).*/\1/p')
sleep 2.2
t2=$(screen_text | sed -n 's/.*expires in \([0-9:]*\).*/\1/p')
[ -n "$t1" ] && [ "$t1" != "$t2" ] || fail "the time left does not count down ($t1, $t2)"
pass "the time left counts down ($t1 -> $t2)"
screen_resize 64 20
wait_for "and enter the code:" 5
[ "$(the_code)" = "$UC" ] || fail "the code is gone after a resize"
pass "a resize keeps the code on screen"
screen_resize 80 24
wait_for "and enter the code:" 5
simctl device "$UC" approve
wait_gone "Sign in to Azure" 15
pass "approved: the screen goes"
wait_for "kv-contoso-dev" 20
pass "the vaults are listed"
keys :
type_text "vault kv-contoso-dev"
keys Enter
wait_for "Secrets of kv-contoso-dev" 20
wait_for "db-password" 20
pass "a vault's secrets load"
n=$(grep -c "device code requested" "$LOG")
[ "$n" = 1 ] || fail "$n device codes in one run"
grep -q "refresh token redeemed for https://vault.localhost" "$LOG" || fail "the vault's token did not come from the refresh token"
pass "one device code; the vault's token from the refresh token"
! grep -q "eyJ" "$LOG" || fail "a token in the debug log"
pass "no token in the debug log"
keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"

# ---- declined, r, approved ------------------------------------------------------
start
simctl device "$UC" decline
wait_for "Not signed in: the sign-in was declined" 15
assert_screen "Press r to sign in again" "declined: the reason and r"
old=$UC
keys r
wait_for "and enter the code:" 15
UC=$(the_code)
[ -n "$UC" ] && [ "$UC" != "$old" ] || fail "r did not show a new code ($UC)"
pass "r: a new code"
simctl device "$UC" approve
wait_gone "Sign in to Azure" 15
wait_for "kv-contoso-dev" 20
pass "declined, then r and approved: the vaults are listed"

# ---- expired, r, approved ---------------------------------------------------------
simctl config '{"device_lifetime": 3}'
start
wait_for "Not signed in: the sign-in code expired" 20
pass "expired: the reason"
simctl config '{"device_lifetime": 900}'
keys r
wait_for "and enter the code:" 15
UC=$(the_code)
simctl device "$UC" approve
wait_gone "Sign in to Azure" 15
wait_for "kv-contoso-dev" 20
pass "expired, then r and approved: the vaults are listed"

# ---- slow_down ---------------------------------------------------------------------
simctl fault 'slow-down,count=1'
start
wait_for "polled less often (every 6 s)" 15
pass "slow_down is said on the screen"
[ "$(the_code)" = "$UC" ] || fail "the code changed after slow_down"
simctl device "$UC" approve
wait_gone "Sign in to Azure" 20
wait_for "kv-contoso-dev" 20
pass "slow_down, then approved: the vaults are listed"
simctl nofaults

# ---- Esc on a failure, r in the panes ------------------------------------------------
start
simctl device "$UC" decline
wait_for "Not signed in: the sign-in was declined" 15
keys Escape
wait_gone "Sign in to Azure" 5
wait_for "not signed in:" 5
pass "Esc: the status bar says not signed in"
keys r
wait_for "and enter the code:" 15
UC=$(the_code)
simctl device "$UC" approve
wait_gone "Sign in to Azure" 15
wait_for "kv-contoso-dev" 20
pass "r in the panes: a new code, and signed in"
keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
