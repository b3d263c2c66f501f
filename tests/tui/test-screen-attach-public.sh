#!/bin/sh
# test-screen-attach-public.sh — the attach wizard's last pages against
# kvdeck-sim's demo, at 80x24:
#  - a long-running operation that fails (the sim's lro-fail on the new
#    private DNS zone): the plan stops at that step and the endpoint made
#    before it is said to exist; r finishes it, and the sim holds one
#    endpoint, the zone, its link and the A record;
#  - a failure left as is (l): the end lists what exists now;
#  - closing public access from outside (this host does not resolve the
#    vault's name into the subnet): the page warns that kvdeck itself
#    loses data-plane access, the review asks for the vault's name typed,
#    the vault's publicNetworkAccess is Disabled, and its secrets pane
#    then shows the 403;
#  - a principal that may not approve connections (Reader and Network
#    Contributor on the subscription; opened with :attach, DNS managed
#    by the user): the approval page says so, the plan ends "Pending —
#    ask the vault's owner" and names the A record to create, public
#    access is not offered, and the sim's connection is Pending with no
#    zone group.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/attach-lib.sh"

attach_start 80 24
DEV=$(python3 "$top_srcdir/tests/tui/simvault.py" sub "Contoso Development")
PROD=$(python3 "$top_srcdir/tests/tui/simvault.py" sub "Contoso Production")

# ---- an LRO fails: stop, say what exists, retry ------------------------------
open_vault kv-contoso-dev
wa_open kv-contoso-dev
wa_next review
simctl fault "lro-fail,method=PUT,path=/subscriptions/$DEV/resourceGroups/rg-app-dev/providers/Microsoft.Network/privateDnsZones,count=1"
keys Enter
wait_for "Stopped at step 2" 90
capture attach-fault-stopped
assert_screen "The operation failed" "the failed step says the operation failed"
assert_screen "✓ 1 Create private endpoint pe-kv-contoso-dev" \
    "the progress shows the endpoint made before it"
assert_screen "what it made stays in Azure" "the report says what stays"
[ "$(sn pe pe-kv-contoso-dev | cut -d' ' -f2)" = 10.20.1.4 ] ||
    fail "the endpoint made before the failure: $(sn pe pe-kv-contoso-dev)"
pass "the plan stopped at the zone; the endpoint made before it exists"
simctl nofaults
keys r
wait_for "Done in" 90
capture attach-fault-retried
keys Enter
wait_for "Endpoint pe-kv-contoso-dev attached" 10
assert_screen "Connection: Approved" "r finished it: approved"
sn zones | grep -q "^$DEV rg-app-dev " || fail "no zone after the retry"
sn links | grep -qx "rg-app-dev vnet-dev" || fail "no link after the retry"
[ "$(sn records pe-kv-contoso-dev)" = \
    "kv-contoso-dev.privatelink.vaultcore.azure.net 10.20.1.4" ] ||
    fail "records: $(sn records pe-kv-contoso-dev)"
pass "r finishes the plan: one endpoint, the zone, its link and the A record"
keys Enter
sleep 0.5

# ---- close public access from outside: warned, typed, then the 403 -----------
open_vault kv-contoso-app-prod
wa_open kv-contoso-app-prod
wa_next 2
wa_choose "snet-private-endpoints"
wa_next 6
capture attach-outside
box_has "If public access is closed, kvdeck itself loses access to this vault's secrets from here" \
    "page 6 warns that kvdeck itself loses data-plane access"
keys Space
assert_screen "Close public access [x]" "Space checks the box"
wa_next review
capture attach-outside-review
wait_for "type kv-contoso-app-prod" 5
pass "the review asks for the vault's name typed"
type_text "kv-contoso-app-prod"
keys Enter
wait_for "Done in" 90
keys Enter
wait_for "Endpoint pe-kv-contoso-app-prod attached" 10
assert_screen "Public network access is now disabled." "the end says it is closed"
[ "$(sn public kv-contoso-app-prod)" = Disabled ] || fail "publicNetworkAccess: $(sn public kv-contoso-app-prod)"
pass "the sim's vault is closed to the internet"
keys Enter
sleep 0.5
keys s
sleep 0.3
keys r
wait_for "Public network access is disabled on this vault" 20
capture attach-outside-403
pass "the secrets pane shows the data plane's 403 from outside"

# ---- a failure left as is: the end says what exists ----------------------------
open_vault kv-contoso-core-prod
wa_open kv-contoso-core-prod
wa_next review
simctl fault "lro-fail,method=PUT,path=/subscriptions/$PROD/resourceGroups/rg-network-prod/providers/Microsoft.Network/privateEndpoints/pe-kv-contoso-core-prod-2/privateDnsZoneGroups,count=1"
keys Enter
wait_for "Stopped at step 2" 90
simctl nofaults
keys l
wait_for "Attaching pe-kv-contoso-core-prod-2 to vault kv-contoso-core-prod" 10
capture attach-left-as-is
assert_screen "stopped." "the end says it stopped"
assert_screen "What exists now (left as is):" "the end says what exists"
assert_screen "✓ Create private endpoint pe-kv-contoso-core-prod-2" \
    "the endpoint made is listed"
assert_screen "(accepted, then failed: it stays in Azure, failed)" \
    "the zone group Azure accepted and then failed is listed as such"
sn pe pe-kv-contoso-core-prod-2 >/dev/null || fail "no endpoint in the sim"
pass "left as is: the end lists the endpoint that exists"
keys Enter
sleep 0.5

# ---- no right to approve: Pending, shown as such ---------------------------
sn demote "$PROD"
open_vault kv-contoso-ai-prod
WA_VAULT=kv-contoso-ai-prod
keys :
type_text attach
keys Enter
wa_page 1
pass ":attach opens the wizard"
wa_choose "vnet-hub-prod"
wa_next 2
wa_choose "snet-private-endpoints"
wa_next 4
wa_choose "I manage DNS myself"
wa_next 5
capture attach-manual
assert_screen "You may not approve connections on kv-contoso-ai-prod" \
    "the approval page says the principal may not approve"
wa_next 6
assert_screen "stays enabled" "public access is not offered with a manual request"
wa_next review
keys Enter
wait_for "Done in" 90
keys Enter
wait_for "created: Pending — ask the vault's" 10
capture attach-pending
pass "the plan ends Pending — ask the vault's owner"
assert_screen "Create this A record in your DNS:" \
    "I manage DNS myself: the end says which A record to create"
assert_screen "kv-contoso-ai-prod.privatelink.vaultcore.azure.net → 10.10.2.6" \
    "the record's name and the endpoint's private IP"
[ -z "$(sn records pe-kv-contoso-ai-prod)" ] || fail "a zone group was made"
pass "no zone group with I manage DNS myself"
sn conns kv-contoso-ai-prod | grep -q " Pending$" ||
    fail "the sim's connection: $(sn conns kv-contoso-ai-prod)"
[ "$(sn public kv-contoso-ai-prod)" = Enabled ] || fail "public access changed"
pass "the sim's connection is Pending; public access untouched"
keys Enter

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
