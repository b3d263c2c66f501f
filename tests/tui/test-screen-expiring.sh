#!/bin/sh
# test-screen-expiring.sh — :expiring [DAYS] (issue #12) on the demo at
# 120x30:
#  - :expiring lists, across every vault, the secrets expiring within 30
#    days in order: legacy-api-key (expired 10 days ago, first, marked
#    expired), then smtp-password (in 20 days); not openai-api-key (in
#    60 days); every vault answered ("4/4 vaults"), the private-only
#    kv-contoso-core-prod included (listed through Resource Manager);
#  - :expiring 90 adds openai-api-key, after smtp-password;
#  - Enter on a row opens its vault's secrets pane with that secret
#    selected (the breadcrumb and the detail pane name it);
#  - R on a row starts the rotation wizard for that secret;
#  - a vault whose access policy lacks "list" (403) is listed as "not
#    readable: Forbidden (…)", not skipped;
#  - Esc while the scan runs (4 s of latency on the vaults' lists) stops
#    it ("stopped"), the list staying; Esc again closes it.
# Needs tmux, python3 and kvdeck-sim.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/demo-lib.sh"

# line_of TEXT — the screen line number TEXT is on (empty: none)
line_of() { screen_text | grep -nF -- "$1" | head -n 1 | cut -d: -f1; }

demo_start 120 30
keys :
type_text "expiring"
keys Enter
wait_for "Secrets expiring within 30 days" 10
wait_for "4/4 vaults" 20

assert_screen "legacy-api-key" "the expired secret is listed"
assert_screen "expired 10d" "and marked expired, with how long ago"
assert_screen "smtp-password" "the secret expiring in 20 days is listed"
refute_screen "openai-api-key" "the one expiring in 60 days is not"
a=$(line_of legacy-api-key) b=$(line_of smtp-password)
[ "$a" -lt "$b" ] || fail "legacy-api-key (line $a) is not above smtp-password (line $b)"
pass "expired first, then soonest first"
refute_screen "not readable" "every demo vault was read"

# Enter on the second row: its vault opens with the secret selected
keys j Enter
wait_for "Secrets of kv-contoso-app-prod" 10
wait_for "kv-contoso-app-prod › smtp-password" 10
pass "Enter opens kv-contoso-app-prod with smtp-password selected"
wait_for "Detail: smtp-password" 5
pass "the detail pane shows it"

# DAYS widens the list
keys :
type_text "expiring 90"
keys Enter
wait_for "Secrets expiring within 90 days" 10
wait_for "4/4 vaults" 20
assert_screen "openai-api-key" "90 days: the secret expiring in 60 days is listed"
b=$(line_of smtp-password) c=$(line_of openai-api-key)
[ "$b" -lt "$c" ] || fail "smtp-password (line $b) is not above openai-api-key (line $c)"
pass "in order of expiry"

# R on the third row: the rotation wizard for that secret
keys j j R
wait_for "Rotate openai-api-key (1/3)" 10
assert_screen "openai-api-key in kv-contoso-ai-prod" "R rotates the selected row's secret"
keys Escape
wait_gone "Rotate openai-api-key" 5
wait_for "Secrets expiring within 90 days" 5
pass "the list is back when the wizard closes"
keys Escape
wait_gone "Secrets expiring within" 5

# a vault kvdeck may not list: said, not skipped
simctl perms kv-contoso-app-prod get || fail "could not change the access policy"
keys :
type_text "expiring"
keys Enter
wait_for "4/4 vaults" 20
wait_for "kv-contoso-app-prod: not readable: Forbidden" 10
pass "a 403 vault is listed as not readable"
assert_screen "1 not read" "and counted"
assert_screen "legacy-api-key" "the other vaults are still listed"
keys Escape
wait_gone "Secrets expiring within" 5

# Esc while the scan runs stops it and keeps what came; Esc again closes
simctl fault 'latency,ms=4000,area=vault,path=/secrets' || fail "no latency fault"
keys :
type_text "expiring"
keys Enter
wait_for "0/4 vaults" 10
keys Escape
wait_for "stopped" 5
pass "Esc stops the scan while it runs"
assert_screen "Secrets expiring within 30 days" "the list stays"
keys Escape
wait_gone "Secrets expiring within" 5
pass "Esc again closes it"
simctl nofaults
keys q
wait_exit 10
