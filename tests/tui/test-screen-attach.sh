#!/bin/sh
# test-screen-attach.sh — the attach-a-private-endpoint wizard (a in the
# endpoints pane) against kvdeck-sim's demo, at 80x24:
#  - kv-contoso-dev: its subscription has no privatelink zone: a new zone
#    is created and linked to vnet-dev, the connection is approved at
#    once (the demo's principal owns the subscription); the end shows
#    the state, the private IP (the subnet's first free one, .4) and the
#    A record, and the sim holds exactly that;
#  - kv-contoso-app-prod into vnet-hub-prod: the zone exists and is
#    linked to that VNet already: the page says so, and afterwards the
#    sim still has one zone and one link (reused, not duplicated);
#  - kv-contoso-ai-prod (eastus2) into snet-data of vnet-hub-prod
#    (eastus), whose privateEndpointNetworkPolicies is Enabled: the
#    wizard says the endpoint lives in eastus, the review sets the policy
#    to Disabled first, and it works;
#  - kv-contoso-core-prod has pe-kv-contoso-core-prod already (a pressed
#    in its secrets pane, its endpoints not listed before): the first
#    page says so and the default name is pe-kv-contoso-core-prod-2.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/attach-lib.sh"

attach_start 80 24
DEV=$(python3 "$top_srcdir/tests/tui/simvault.py" sub "Contoso Development")

# ---- a new zone, approved at once -------------------------------------------
open_vault kv-contoso-dev
wa_open kv-contoso-dev
capture attach-1-vnet
assert_screen "vnet-dev (westeurope, rg-app-dev)" "page 1: the vault's region's VNet first"
assert_screen "then lives in the VNet's region" "page 1 says where the endpoint lives"
wa_next 2
capture attach-2-subnet
assert_screen "snet-default 10.20.1.0/24: Disabled, 251 free" \
    "page 2: the subnet with its policy and free addresses"
wa_next 3
capture attach-3-name
assert_screen "pe-kv-contoso-dev" "page 3: the endpoint's default name"
assert_screen "rg-app-dev" "page 3: the VNet's group by default"
wa_next 4
capture attach-4-dns
assert_screen "No private DNS zone privatelink.vaultcore.azure.net in" \
    "page 4: no zone in the subscription: a new one"
assert_screen "◂ create privatelink.vaultcore.azure.net" "page 4: create it"
wa_next 5
capture attach-5-approval
assert_screen "You may approve private endpoint connections" \
    "page 5: the principal may approve: automatic"
wa_next 6
capture attach-6-public
assert_screen "Close public access" "page 6: closing public access is offered"
wa_next review
capture attach-review
assert_screen "pe-kv-contoso-dev" "the review names the endpoint"
refute_screen "To apply, type" "no typed confirmation when nothing closes"
keys Enter
wait_for "Done in" 90
capture attach-done
keys Enter
wait_for "Endpoint pe-kv-contoso-dev attached to vault kv-contoso-dev" 10
capture attach-outcome
assert_screen "Connection: Approved" "the end shows the connection's state"
assert_screen "Private IP: 10.20.1.4" "the end shows the private IP"
assert_screen "kv-contoso-dev.privatelink.vaultcore.azure.net → 10.20.1.4" \
    "the end shows the A record"
assert_screen "DNS here:" "the end shows the DNS check"
[ "$(sn pe pe-kv-contoso-dev)" = "Approved 10.20.1.4 westeurope snet-default" ] ||
    fail "the sim's endpoint: $(sn pe pe-kv-contoso-dev)"
sn zones | grep -q "^$DEV rg-app-dev privatelink.vaultcore.azure.net$" ||
    fail "no new zone in rg-app-dev: $(sn zones)"
sn links | grep -qx "rg-app-dev vnet-dev" || fail "no link to vnet-dev: $(sn links)"
sn records pe-kv-contoso-dev |
    grep -qx "kv-contoso-dev.privatelink.vaultcore.azure.net 10.20.1.4" ||
    fail "no A record: $(sn records pe-kv-contoso-dev)"
pass "the sim holds the endpoint (Approved), the new zone, its link and the A record"
keys Enter
wait_gone "Endpoint pe-kv-contoso-dev attached" 5

# ---- the zone exists and is linked: reused, not duplicated -------------------
zones0=$(sn zones | wc -l)
links0=$(sn links | wc -l)
open_vault kv-contoso-app-prod
wa_open kv-contoso-app-prod
assert_screen "vnet-hub-prod (eastus, rg-network-prod)" "the vault's region's VNet first"
wa_next 2
wa_choose "snet-private-endpoints"
wa_next 3
wa_next 4
capture attach-reuse-dns
assert_screen "The private DNS zone privatelink.vaultcore.azure.net exists" \
    "page 4: the zone exists"
assert_screen "It is already linked to vnet-hub-prod" "page 4: and is linked"
assert_screen "◂ reuse privatelink.vaultcore.azure.net" "page 4: reuse it"
wa_next 5
wa_next 6
wa_next review
keys Enter
wait_for "Done in" 90
keys Enter
wait_for "Endpoint pe-kv-contoso-app-prod attached" 10
assert_screen "Private IP: 10.10.2.5" "the next free address of the subnet"
[ "$(sn zones | wc -l)" = "$zones0" ] || fail "a zone was added: $(sn zones)"
[ "$(sn links | wc -l)" = "$links0" ] || fail "a link was added: $(sn links)"
[ "$(sn links | grep -c ' vnet-hub-prod$')" = 1 ] || fail "links: $(sn links)"
sn records pe-kv-contoso-app-prod |
    grep -qx "kv-contoso-app-prod.privatelink.vaultcore.azure.net 10.10.2.5" ||
    fail "no A record: $(sn records pe-kv-contoso-app-prod)"
pass "the existing zone and link were reused, not duplicated; the A record is there"
keys Enter
sleep 0.5

# ---- another region, a subnet whose policy must change -----------------------
[ "$(sn policy vnet-hub-prod snet-data)" = Enabled ] || skip "the seed's snet-data is not Enabled"
open_vault kv-contoso-ai-prod
wa_open kv-contoso-ai-prod
wa_choose "vnet-hub-prod"
wa_next 2
capture attach-region-subnet
assert_screen "endpoint will live in eastus, the VNet's region" \
    "another region: the wizard says where the endpoint lives"
wa_choose "snet-data"
assert_screen "snet-data 10.10.3.0/24: Enabled" "the subnet's policy is shown"
assert_screen "Disable policies [x]" "disabling it is offered, checked"
wa_next 3
wa_next 4
wa_next 5
wa_next 6
wa_next review
capture attach-region-review
assert_screen "snet-data" "the review changes the subnet's policy"
keys Enter
wait_for "Done in" 90
keys Enter
wait_for "Endpoint pe-kv-contoso-ai-prod attached" 10
[ "$(sn policy vnet-hub-prod snet-data)" = Disabled ] ||
    fail "snet-data's policy: $(sn policy vnet-hub-prod snet-data)"
sn pe pe-kv-contoso-ai-prod | grep -q "^Approved 10.10.3.4 eastus snet-data$" ||
    fail "the endpoint: $(sn pe pe-kv-contoso-ai-prod)"
pass "the policy set to Disabled, the endpoint in eastus for a vault in eastus2"
keys Enter

# ---- the vault's endpoint of the default name exists: another name ---------
# from the secrets pane: the vault's endpoints were not listed yet
keys :
type_text "vault kv-contoso-core-prod"
keys Enter
wait_for "Secrets of kv-contoso-core-prod" 20
w0=$(simctl writes)
wa_open kv-contoso-core-prod
assert_screen "It has 1 private endpoint connection already" \
    "page 1 says the vault has an endpoint already"
wa_next 3
capture attach-name-taken
assert_screen "pe-kv-contoso-core-prod-2" \
    "the default name is not the vault's existing endpoint's"
keys Escape
wa_page 2
keys Escape
wa_page 1
keys Escape
wait_gone "Private endpoint for kv-contoso-core-prod" 5
[ "$(simctl writes)" = "$w0" ] || fail "the wizard wrote before Apply"
pass "Esc goes back page by page and closes the wizard; nothing was sent"

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
