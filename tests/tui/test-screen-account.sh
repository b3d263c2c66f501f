#!/bin/sh
# test-screen-account.sh — the console's header names who is signed in:
# kvdeck --demo signs in as kvdeck-sim's service principal, so once the
# subscriptions are in, the header's right end shows its application id
# and, on a wide terminal, the first block of the tenant id; on a
# narrower one the application id's first block alone, so that the
# breadcrumb stays whole. Skips without tmux or kvdeck-sim.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

KVDECK=$top_builddir/src/kvdeck
SIM=$top_builddir/src/sim/kvdeck-sim
[ -x "$KVDECK" ] || skip "src/kvdeck not built"
[ -x "$SIM" ] || skip "kvdeck-sim not built (configure --disable-sim?)"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"
export KVDECK_SIM=$SIM
export TMPDIR=$SCR_DIR

screen_start 100 24 "$KVDECK --demo"
wait_for "Vaults (4)" 30
conn=$(ls "$SCR_DIR"/kvdeck-demo-*/connection.json 2>/dev/null | head -n 1)
[ -n "$conn" ] || fail "no connection.json of the demo's simulator"
get() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$conn" "$1"; }
app=$(get client_id)
tenant=$(get tenant | cut -c1-8)
header=$(screen_text | head -n 1)
echo "$header" | grep -qF "$app" || fail "the header does not name the app id $app: $header"
pass "the header names the signed-in application"
echo "$header" | grep -qF "$tenant" || fail "the header does not show the tenant $tenant: $header"
pass "and the tenant"
echo "$header" | grep -q "kvdeck \[demo\]" || fail "the breadcrumb is gone: $header"
pass "beside the breadcrumb"

screen_resize 80 24
sleep 0.5
keys r
end=$(( $(date +%s) + 10 ))
while :; do
    header=$(screen_text | head -n 1)
    echo "$header" | grep -qF "$(echo "$app" | cut -c1-8)…" &&
        ! echo "$header" | grep -qF "$tenant" && break
    [ "$(date +%s)" -gt "$end" ] && fail "at 80 columns: want the app id's first block without the tenant: $header"
    sleep 0.2
done
pass "at 80 columns the app id's first block alone"
echo "$header" | grep -q "kvdeck \[demo\]" || fail "at 80 columns the breadcrumb is cut: $header"
pass "and the breadcrumb whole"
keys q
[ "$(wait_exit 10)" = 0 ] || fail "kvdeck did not quit cleanly"
pass "quits"
