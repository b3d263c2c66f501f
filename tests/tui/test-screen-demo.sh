#!/bin/sh
# test-screen-demo.sh — the real program against kvdeck-sim (kvdeck --demo)
# in tmux at 80x24: vaults of both subscriptions, :vault, the filter,
# versions, reveal and re-masking, OSC 52 copy (the right base64 payload
# in the raw terminal output, the value nowhere else), the endpoints pane
# (Approved connection, public access), resize to 40x12 and back, and
# that quitting stops the simulator. Skips without tmux or kvdeck-sim.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

KVDECK=$top_builddir/src/kvdeck
SIM=$top_builddir/src/sim/kvdeck-sim
[ -x "$KVDECK" ] || skip "src/kvdeck not built"
[ -x "$SIM" ] || skip "kvdeck-sim not built (configure --disable-sim?)"
export KVDECK_SIM=$SIM
export TMPDIR=$SCR_DIR

cfg=$XDG_CONFIG_HOME/kvdeck/config
printf 'reveal-seconds = 2\n' > "$cfg"
chmod 600 "$cfg"

screen_start 80 24 "$KVDECK --demo --log $SCR_DIR/debug.log"
wait_for "Vaults (4)" 30
assert_screen "kvdeck [demo]" "demo label in the header"
assert_screen "Contoso Production" "first subscription"
assert_screen "Contoso Development" "second subscription"
assert_screen "kv-contoso-dev" "vaults of both subscriptions"
ls "$SCR_DIR"/kvdeck-demo-* >/dev/null 2>&1 || fail "no private state directory for the simulator"
pass "the simulator runs in a private temporary state directory"

keys :
type_text "vault kv-contoso-app-prod"
keys Enter
wait_for "Secrets of kv-contoso-app-prod (5)"
assert_screen "storage-connection-string" "secrets listed"
screen_text | grep "smtp-password" | grep -qE "exp (19|20)d" || fail "no time left for smtp-password"
pass "time left until expiry"

keys /
type_text "redis"
wait_for "(1 of 5)"
refute_screen "db-password" "filter hides the others"
keys Enter Enter
wait_for "▾ redis-access-key"
keys Down
wait_for "Detail: redis-access-key"
wait_for "Version "
pass "the detail pane shows the selected version"
keys Up Escape
wait_for "▸ redis-access-key"
pass "versions expand and collapse"

# Reveal for 2 s: the value is 32 hex digits in the seed.
keys v
end=$(( $(date +%s) + 15 ))
val=
while [ -z "$val" ] && [ "$(date +%s)" -le "$end" ]; do
    val=$(screen_text | awk '/Value \(hidden in/ { getline; print; exit }' |
          grep -oE '[0-9a-f]{32}' | head -n 1)
    [ -n "$val" ] || sleep 0.1
done
[ -n "$val" ] || fail "the revealed value did not appear"
pass "v reveals the value (in the detail pane, in full)"
screen_text | grep "redis-access-key" | grep -qF "${val%????????}" || fail "value not in the row"
pass "and in the secret's row"
wait_gone "$val" 8
pass "the value is masked again after a few seconds"

keys y
wait_for "copied redis-access-key to the clipboard"
sleep 0.3
b64=$(printf '%s' "$val" | base64 | tr -d '\n')
grep -qF "]52;c;$b64" "$SCR_RAW" || fail "no OSC 52 with the value's base64 in the raw output"
pass "OSC 52 sequence with the right base64 payload"
refute_screen "$val" "copied value not on screen"
n=$(grep -c -- "$val" "$SCR_RAW" || true)
[ "$n" -le 1 ] || fail "value written in clear $n times"
pass "copy never wrote the value in clear"
if grep -q -- "$val" "$SCR_DIR/debug.log" 2>/dev/null; then fail "value in the debug log"; fi
pass "value not in the debug log"

# Endpoints of the private-only vault.
keys Escape
keys :
type_text "vault kv-contoso-core-prod"
keys Enter
wait_for "Secrets of kv-contoso-core-prod"
keys e
wait_for "Endpoints of kv-contoso-core-prod (1)" 20
assert_screen "Approved" "an Approved private endpoint connection"
assert_screen "Public network access: Disabled" "public network access state"

# Resize down and back.
screen_resize 40 12
wait_for "Endpoints (1)"
refute_screen "Context (" "40x12: one pane"
screen_resize 80 24
wait_for "Context (2)"
pass "back at 80x24"

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits with 0"
sleep 0.5
if pgrep -f "kvdeck-sim --state-dir $SCR_DIR" >/dev/null 2>&1; then
    fail "the simulator is still running after exit"
fi
pass "the simulator is stopped on exit"
ls "$SCR_DIR"/kvdeck-demo-* >/dev/null 2>&1 && fail "the state directory was left behind"
pass "its state directory is removed"
exit 0
