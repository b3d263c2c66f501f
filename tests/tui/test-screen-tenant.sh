#!/bin/sh
# test-screen-tenant.sh — :tenant in the console (kvdeck --demo, whose
# sim has a second tenant, Fabrikam, with one subscription and one vault):
#  - :tenant lists both tenants, the current one marked;
#  - Enter on Fabrikam switches: the status bar says so, the header names
#    its tenant, the vaults pane shows kv-fabrikam-sandbox only;
#  - :tenant Contoso goes back: the four Contoso vaults again;
#  - :tenant nope says there is no such tenant, and nothing changes.
# Needs tmux, python3 and kvdeck-sim.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

. "$top_srcdir/tests/tui/demo-lib.sh"

demo_start 110 30
conn() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$SIM_CONN" "$1"; }
home=$(conn tenant)
fab=$(conn tenant2)
home8=$(printf %.8s "$home")
fab8=$(printf %.8s "$fab")
wait_for "$home8" 10
pass "the header names the home tenant"

keys :
type_text tenant
keys Enter
wait_for "Fabrikam (kvdeck-sim)" 10
assert_screen "Contoso (kvdeck-sim)" "both tenants are listed"
screen_text | grep "Contoso (kvdeck-sim)" | grep -q '\*' || fail "the current tenant is not marked"
pass "the current one is marked"
assert_screen "fabrikam.onmicrosoft.com" "with their domains"
screen_text | grep -q "Fabrikam (kvdeck-sim).*\*" && fail "Fabrikam is marked current"
# the cursor starts on the current tenant (Contoso, listed first)
keys Down
keys Enter
wait_for "switched to tenant Fabrikam" 10
pass "Enter on Fabrikam switches (the status bar says so)"
wait_for "kv-fabrikam-sandbox" 20
wait_for "$fab8" 10
pass "the header names the Fabrikam tenant"
refute_screen "kv-contoso-dev" "no Contoso vault is left"
refute_screen "kv-contoso-app-prod" "none at all"
assert_screen "Vaults (1)" "the vaults pane holds Fabrikam's vault only"

keys :
type_text "tenant nope"
keys Enter
wait_for 'no tenant "nope"' 10
pass "an unknown tenant says so"
assert_screen "kv-fabrikam-sandbox" "and nothing changed"

keys :
type_text "tenant Contoso"
keys Enter
wait_for "switched to tenant Contoso" 10
wait_for "kv-contoso-dev" 20
wait_for "Vaults (4)" 20
pass "back to Contoso: the four Contoso vaults again"
refute_screen "kv-fabrikam-sandbox" "without Fabrikam's"
wait_for "$home8" 10
pass "the header names the home tenant again"

keys q
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
pass "quits cleanly"
