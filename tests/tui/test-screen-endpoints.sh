#!/bin/sh
# test-screen-endpoints.sh — the endpoints pane against kvdeck-sim, at
# 80x24, as a newcomer reads it:
#  - a vault behind a private endpoint: public access Disabled, the
#    connection Approved with its endpoint, private IP in its subnet and
#    its zone group's A record; its secrets pane says why the data plane
#    refuses this host and lists the names through Resource Manager;
#  - i adds an IP rule (a bad one refused as typed), f turns the default
#    action to Deny (typed name): the next data-plane call from kvdeck
#    (127.0.0.1) is admitted; D removes the rule: the next one is refused
#    (403 ForbiddenByFirewall), said in plain words;
#  - p turns public access off (typed name): the secrets pane says so;
#  - V adds a subnet of the subscription as a virtual network rule, D
#    removes it;
#  - a private endpoint asking for manual approval shows Pending; A
#    approves it with a description: Approved in the sim and the pane;
#    another one is rejected with J, then removed with D;
#  - under NO_COLOR the pane says the same in words, without colours.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/vault-lib.sh"

acl() { python3 "$top_srcdir/tests/tui/simacl.py" "$@"; }

# open_pane VAULT KEY — :vault VAULT, then its secrets (s) or endpoints (e)
open_pane() {
    keys :
    type_text "vault $1"
    keys Enter
    wait_for "Secrets of $1" 20
    keys "$2"
    sleep 0.3
}

# apply_typed NAME — on a review asking for NAME: type it, apply, close.
apply_typed() {
    wait_for "[ Apply ]" 10
    wait_for "type $1" 5
    type_text "$1"
    keys Enter
    wait_for "Done in" 30
    keys Enter
    wait_gone "Done in" 5
}

vault_start 80 24

# ---- a vault behind a private endpoint ----------------------------------
open_pane kv-contoso-core-prod e
wait_for "pe-kv-contoso-core-prod-connection" 20
capture endpoints-private
assert_screen "Public network access: Disabled" "public access as read"
assert_screen "No network rules: private endpoints only." "no networkAcls: said, no default shown"
assert_screen "Approved" "the connection's state"
assert_screen "endpoint pe-kv-contoso-core-prod in rg-network-prod" "the endpoint"
assert_screen "IP       10.10.2.4" "the private IP"
assert_screen "subnet   vnet-hub-prod/snet-private-endpoints" "the subnet"
assert_screen "message  Auto Approved" "the description"
assert_screen "10.10.2.4 kv-contoso-core-prod.privatelin" "the zone group's A record"
keys j
wait_for "Private endpoint: /subscriptions/" 5
pass "the detail pane has the endpoint's id"
keys s
wait_for "Public network access is disabled on this vault and" 20
wait_for "sql-admin-password" 20
capture secrets-refused-connection
assert_screen "this host is not on its private network" "the 403 in plain words"
assert_screen "Resource Manager" "the names come through Resource Manager"
assert_screen "tls-cert-passphrase" "both secrets listed"

# ---- IP rules, enforced on the next data-plane call ----------------------
open_pane kv-contoso-dev e
wait_for "No network rules: every network may connect." 15
keys i
wait_for "Add an IP rule" 5
type_text "127.0.0.300"
keys Enter
wait_for "an IP rule is an IPv4 address or a CIDR range" 5
capture ip-rule-refused
pass "i refuses a bad address as typed"
keys C-u
type_text "127.0.0.1"
keys Enter
wait_for "Add IP rule 127.0.0.1/32" 10
capture ip-rule-review
keys Enter
wait_for "Done in" 30
keys Enter
wait_gone "Done in" 5
wait_for "IP rule   127.0.0.1/32" 15
acl acl kv-contoso-dev | grep -q "ips=127.0.0.1/32" || fail "sim: $(acl acl kv-contoso-dev)"
pass "i adds the IP rule (sim and pane)"
keys f
apply_typed kv-contoso-dev
wait_for "Default action: Deny" 15
acl acl kv-contoso-dev | grep -q "default=Deny" || fail "sim: $(acl acl kv-contoso-dev)"
pass "f sets the default action to Deny (typed name)"
keys s
wait_for "db-password" 20
refute_screen "does not admit" "Deny + 127.0.0.1/32: the data plane admits kvdeck"
refute_screen "Resource Manager" "listed from the data plane"
keys e
wait_for "IP rule   127.0.0.1/32" 10
keys g
keys D
apply_typed kv-contoso-dev
wait_for "No IP rules." 15
acl acl kv-contoso-dev | grep -q "ips=- " || fail "sim: $(acl acl kv-contoso-dev)"
pass "D removes the IP rule (typed name)"
keys s
wait_for "The vault's firewall does not admit this host's" 20
wait_for "db-password" 20
capture secrets-refused-firewall
pass "without the rule the data plane refuses kvdeck: said, names through Resource Manager"

# ---- public network access off ------------------------------------------
keys e
wait_for "Public network access: Enabled" 10
keys p
apply_typed kv-contoso-dev
wait_for "Public network access: Disabled" 15
acl acl kv-contoso-dev | grep -q "pna=Disabled" || fail "sim: $(acl acl kv-contoso-dev)"
pass "p turns public access off (typed name)"
keys s
wait_for "Public network access is disabled on this vault and" 20
wait_for "db-password" 20
pass "the secrets pane shows the 403 explanation and the names"

# ---- a virtual network rule: a subnet of the subscription ---------------
open_pane kv-contoso-app-prod e
wait_for "No network rules: every network may connect." 15
keys V
wait_for "Add a virtual network rule" 15
wait_for "vnet-hub-prod/snet-apps (10.10.1.0/24)" 5
capture vnet-rule-form
keys Enter
wait_for "Add virtual network rule vnet-hub-prod/snet-apps" 10
keys Enter
wait_for "Done in" 30
keys Enter
wait_gone "Done in" 5
wait_for "VNet rule vnet-hub-prod/snet-apps" 15
acl acl kv-contoso-app-prod | grep -q "vnets=1" || fail "sim: $(acl acl kv-contoso-app-prod)"
pass "V adds a virtual network rule (sim and pane)"
keys g j D
wait_for "Remove virtual network rule vnet-hub-prod/snet-apps" 10
keys Enter
wait_for "Done in" 30
keys Enter
wait_gone "Done in" 5
wait_gone "VNet rule vnet-hub-prod/snet-apps" 15
acl acl kv-contoso-app-prod | grep -q "vnets=0" || fail "sim: $(acl acl kv-contoso-app-prod)"
pass "D removes it"

# ---- approving a connection that waits for its owner --------------------
acl request kv-contoso-dev pe-ask vnet-dev snet-default "the app, please" ||
    fail "could not request a connection"
open_pane kv-contoso-dev e
keys r
wait_for "Pending" 20
capture endpoints-pending
keys G
keys A
wait_for "Approve the connection" 5
assert_screen "Its request: the app, please" "the form shows the request"
keys Enter
wait_for "[ Apply ]" 10
keys Enter
wait_for "Done in" 60
keys Enter
wait_gone "Done in" 5
acl conns kv-contoso-dev | grep -q "Approved" || fail "sim: $(acl conns kv-contoso-dev)"
wait_for "Approved" 15
refute_screen "Pending" "the pane no longer shows Pending"
pass "A approves the pending connection (sim and pane)"

# ---- rejecting one, removing it ------------------------------------------
acl request kv-contoso-dev pe-nope vnet-dev snet-default "let me in" ||
    fail "could not request a second connection"
keys r
wait_for "pe-nope-connection" 20
keys G
keys J
wait_for "Reject the connection" 5
assert_screen "for good (a rejected connection cannot be" "the form says a rejection is final"
type_text "not this one"
keys Enter
wait_for "[ Apply ]" 10
capture reject-review
wait_for "type pe-nope-connection" 5
type_text pe-nope-connection
keys Enter
wait_for "Done in" 60
keys Enter
wait_gone "Done in" 5
acl conns kv-contoso-dev | grep -q "pe-nope-connection Rejected" ||
    fail "sim: $(acl conns kv-contoso-dev)"
wait_for "Rejected" 15
pass "J rejects a connection with a description (sim and pane)"
keys G
keys D
wait_for "[ Apply ]" 10
capture remove-connection-review
wait_for "type pe-nope-connection" 5
type_text pe-nope-connection
keys Enter
wait_for "Done in" 60
keys Enter
wait_gone "Done in" 5
acl conns kv-contoso-dev | grep -q "pe-nope" && fail "sim: $(acl conns kv-contoso-dev)"
wait_gone "pe-nope-connection" 15
pass "D removes the rejected connection (sim and pane)"

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"

# ---- NO_COLOR: the same in words -------------------------------------
screen_kill
: > "$SCR_RAW"
vault_start 80 24 "" "env NO_COLOR=1"
open_pane kv-contoso-core-prod e
wait_for "pe-kv-contoso-core-prod-connection" 20
capture endpoints-nocolor
assert_screen "Public network access: Disabled" "NO_COLOR: public access in words"
assert_screen "Approved" "NO_COLOR: the state in words"
screen_attrs | grep -q "$(printf '\033')\[[0-9;]*3[1-7]m" &&
    fail "NO_COLOR: a colour on screen"
pass "NO_COLOR: no colours"
keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
