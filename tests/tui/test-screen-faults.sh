#!/bin/sh
# test-screen-faults.sh — the console against kvdeck-sim injecting faults:
# 500s on the secret list (the error is shown in the pane and the status
# bar with its request id, the program keeps working, `r` then loads the
# list), 429s with Retry-After (back-off shown, the list completes) and
# 503s with Retry-After (backing off, never called throttling).
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

KVDECK=$top_builddir/src/kvdeck
SIM=$top_builddir/src/sim/kvdeck-sim
[ -x "$KVDECK" ] || skip "src/kvdeck not built"
[ -x "$SIM" ] || skip "kvdeck-sim not built (configure --disable-sim?)"
export KVDECK_SIM=$SIM
export TMPDIR=$SCR_DIR

# 1. Every attempt of the first secret listing fails with 500.
screen_start 80 24 "env KVSIM_FAULTS='error,status=500,area=vault,path=/secrets,count=4' $KVDECK --demo"
wait_for "Vaults (4)" 30
keys :
type_text "vault kv-contoso-app-prod"
keys Enter
wait_for "✗ 500" 40
pass "the 500 is shown in the secrets pane"
screen_text | grep -qE "\[request [0-9a-f]{8}\]" || fail "no request id in the status bar"
pass "the status bar shows the error with its request id"
screen_text | grep -qE "Request id: [0-9a-f-]{36}" || fail "no full request id in the detail pane"
pass "the detail pane shows the whole request id"
assert_screen "Secrets of kv-contoso-app-prod (0)" "nothing invented"
# Still working: move around (to the endpoints and back), then reload.
keys Tab
wait_for "▶ Endpoints of kv-contoso-app-prod"
keys BTab
wait_for "▶ Secrets of kv-contoso-app-prod"
keys r
wait_for "Secrets of kv-contoso-app-prod (5)" 30
wait_gone "✗ 500" 10
pass "r reloads and the list appears; the error is gone from the pane"
keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
tm kill-session -t t
rm -f "$SCR_DIR/status"

# 2. The secret list is throttled twice (429, Retry-After: 3).
screen_start 80 24 "env KVSIM_FAULTS='throttle,retry-after=3,area=vault,path=/secrets,count=2' $KVDECK --demo"
wait_for "Vaults (4)" 30
keys :
type_text "vault kv-contoso-app-prod"
keys Enter
wait_for "throttled" 20
pass "the back-off after a 429 is shown"
wait_for "Secrets of kv-contoso-app-prod (5)" 40
pass "the list still completes"
keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
tm kill-session -t t
rm -f "$SCR_DIR/status"

# 3. The secret list answers 503 twice (Retry-After: 3): the service is
# unavailable, which is not throttling (issue 11).
screen_start 80 24 "env KVSIM_FAULTS='error,status=503,retry-after=3,area=vault,path=/secrets,count=2' $KVDECK --demo"
wait_for "Vaults (4)" 30
keys :
type_text "vault kv-contoso-app-prod"
keys Enter
wait_for "backing off" 20
pass "the back-off after a 503 is shown"
for i in 1 2 3 4 5 6; do
    screen_text | grep -qi "throttl" && fail "a 503 is called throttling: $(screen_text | grep -i throttl)"
    sleep 0.5
done
pass "and not called throttling"
wait_for "Secrets of kv-contoso-app-prod (5)" 40
pass "the list still completes"
keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
