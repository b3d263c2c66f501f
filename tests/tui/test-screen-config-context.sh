#!/bin/sh
# test-screen-config-context.sh — the configuration's start context
# ("subscription =", "group =") is used when it matches, and said in the
# status bar when it matches nothing (it was once silently ignored: the
# console opened on everything as if nothing had been asked). Runs the
# console on the fake engine (subscriptions "Subscription A" and "B",
# vaults in rg-app and rg-data).
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

FAKE=$top_builddir/tests/tui/kvdeck-fake
[ -x "$FAKE" ] || skip "kvdeck-fake not built"
cfg=$XDG_CONFIG_HOME/kvdeck/config
status_line() { screen_text | tail -n 1; }

# run_with CONFIG — a fresh console with that configuration.
run_with() {
    printf '%b' "$1" > "$cfg"
    chmod 600 "$cfg"
    screen_kill
    rm -f "$SCR_DIR/status"
    screen_start 132 24 "$FAKE --config $cfg"
}

run_with 'subscription = Subscription Q\n'
wait_for "Vaults (6)"
wait_for "configuration: subscription = Subscription Q matches none of the 2 subscriptions" 5
pass "a subscription that matches nothing is said"
status_line | grep -qF "configuration: subscription = Subscription Q" ||
    fail "the message is not in the status bar"
pass "in the status bar"

run_with 'subscription = Subscription A\ngroup = rg-nowhere\n'
wait_for "configuration: group = rg-nowhere matches no vault's resource group" 5
pass "a group that matches no vault of the subscription is said"

run_with 'group = rg-nowhere\n'
wait_for "configuration: group = rg-nowhere matches no vault's resource group" 5
pass "a group without a subscription that matches nothing is said"

run_with 'subscription = Subscription A\ngroup = rg-app\n'
wait_for "Vaults (1)"
sleep 0.5
refute_screen "configuration:" "a matching subscription and group say nothing"
assert_screen "kv-a01-dev" "the vault of that subscription and group is listed"
refute_screen "kv-a00-prod" "a vault of another group is not"

run_with 'group = rg-app\n'
wait_for "Vaults (2)"
sleep 0.5
refute_screen "configuration:" "a group alone that matches says nothing"
assert_screen "kv-b01-dev" "a group alone opens on that group in every subscription"
refute_screen "kv-b00-prod" "and only that group"

# At 80x24 the message is cut to the bar, not wrapped over the panes.
printf 'subscription = nope\n' > "$cfg"
screen_kill
screen_start 80 24 "$FAKE --config $cfg"
wait_for "configuration: subscription = nope" 5
[ "$(status_line | wc -m)" -le 81 ] || fail "the status bar overflows at 80 columns"
pass "the message fits the status bar at 80x24"
keys q
[ "$(wait_exit 5)" = 0 ] || fail "kvdeck-fake did not exit cleanly"
pass "clean exit"
