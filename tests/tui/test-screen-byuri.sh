#!/bin/sh
# test-screen-byuri.sh — a vault opened by its URI (no Resource Manager
# data read) shows "unknown" for what kvdeck never read, not defaults
# taken for facts: its detail once read "Permissions: access policies,
# Purge protection: off" and its endpoints pane "every network may
# connect". A listed vault keeps its values. Console on the fake engine
# at 80x24.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

FAKE=$top_builddir/tests/tui/kvdeck-fake
[ -x "$FAKE" ] || skip "kvdeck-fake not built"
cfg=$XDG_CONFIG_HOME/kvdeck/config
printf 'vault = https://kv-byuri.vault.example\n' > "$cfg"
chmod 600 "$cfg"

screen_start 80 24 "$FAKE --config $cfg"
wait_for "Secrets of kv-byuri"
wait_for "Vaults (7)"
# the vaults pane: the vault by URI is first and selected
keys BTab
wait_for "▶ Vaults (7)"
wait_for "Detail: kv-byuri"
assert_screen "Permissions: unknown  Purge protection: unknown" \
    "the detail says permissions and purge protection are unknown"
assert_screen "Location: unknown  SKU: unknown" "location and SKU unknown"
refute_screen "access policies" "no permission model claimed"
refute_screen "Purge protection: off" "no purge protection claimed"
keys e
wait_for "Endpoints of kv-byuri"
assert_screen "Public network access: unknown" "public access unknown"
assert_screen "Network rules: unknown" "the network rules are unknown"
refute_screen "every network may connect" "no claim that every network may connect"
refute_screen "Allow" "no default action claimed"

# a listed vault (read from Resource Manager) keeps what was read
keys s
wait_for "Secrets of kv-byuri"
keys BTab
wait_for "▶ Vaults (7)"
keys Down
wait_for "Detail: kv-a00-prod"
assert_screen "Permissions: Azure RBAC  Purge protection: off" \
    "a listed vault shows what Resource Manager said"
assert_screen "Location: northeurope" "and its location"
keys q
[ "$(wait_exit 5)" = 0 ] || fail "kvdeck-fake did not exit cleanly"
pass "clean exit"
