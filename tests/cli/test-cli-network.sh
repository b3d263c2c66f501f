#!/bin/sh
# test-cli-network.sh — kvdeck vault network show|set against kvdeck-sim
# (#10): show as text and --json (the vault's networkAcls as Azure has
# them, "unknown" never replaced by a default); bad input refused before
# any request (a bad CIDR, a subnet id that is not one, no change asked,
# an unknown vault: exit 2 / 4); --dry-run, --read-only and no --yes send
# no write; the rules enforced by the simulator on the next data-plane
# call (kvdeck runs from 127.0.0.1): default action Deny with a foreign
# IP rule refuses `secret list` (403 ForbiddenByFirewall), an IP rule for
# 127.0.0.1 admits it; a virtual network rule added and removed; a rule
# already there is said and nothing is written; public access off needs
# the name typed (or --yes), then `secret list` fails with the 403 and
# `secret set` names --via-arm.
. "$top_srcdir/tests/cli/clilib.sh"

DEVID=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["subscriptions"][1])' "$SIM_CONN")
PRODID=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["subscriptions"][0])' "$SIM_CONN")
# vnet-dev's subnet has no Microsoft.KeyVault service endpoint; the hub's
# snet-apps has one
SNET_NOSE=/subscriptions/$DEVID/resourceGroups/rg-app-dev/providers/Microsoft.Network/virtualNetworks/vnet-dev/subnets/snet-default
SNET=/subscriptions/$PRODID/resourceGroups/rg-network-prod/providers/Microsoft.Network/virtualNetworks/vnet-hub-prod/subnets/snet-apps
nwrites() { echo $(( $(simctl count PUT) + $(simctl count PATCH) + $(simctl count DELETE) )); }

# --- show ------------------------------------------------------------------
kv vault network show $V
want_rc 0 "network show"
check 'echo "$out" | grep -q "^public network access: Enabled"' "show: public network access as read"
kv vault network show $V --json
want_rc 0 "network show --json"
check '[ "$(jq_ "j[\"name\"], j[\"publicNetworkAccess\"]")" = "kv-contoso-dev Enabled" ]' "json: name and publicNetworkAccess"
kv vault network show kv-contoso-core-prod --json
want_rc 0 "network show of the private-only vault"
check '[ "$(jq_ "j[\"publicNetworkAccess\"]")" = Disabled ]' "json: the core vault's public access is Disabled"
check '[ "$(jq_ "j[\"privateEndpointConnections\"]")" -ge 1 ]' "json: it has a private endpoint connection"
kv vault network show kv-nope-404
want_rc 4 "show: unknown vault"

# --- bad input: nothing sent -------------------------------------------------
w0=$(nwrites)
kv vault network set $V --add-ip 300.1.2.3/24 --yes
want_rc 2 "set: a bad CIDR"
check 'echo "$err" | grep -q "300.1.2.3"' "the bad CIDR is named"
kv vault network set $V --add-ip 10.0.0.0/33 --yes
want_rc 2 "set: a prefix past /32"
kv vault network set $V --add-subnet /subscriptions/x/resourceGroups/y --yes
want_rc 2 "set: a subnet id that is not one"
kv vault network set $V --yes
want_rc 2 "set: no change asked"
kv vault network set $V --default-action Maybe --yes
want_rc 2 "set: a default action that is not Allow or Deny"
kv vault network set kv-nope-404 --add-ip 203.0.113.0/24 --yes
want_rc 4 "set: unknown vault"
kv vault network set $V --add-ip 203.0.113.0/24
want_rc 5 "set: no --yes without a terminal"
"$KVDECK" --config "$T/config" --read-only vault network set $V --add-ip 203.0.113.0/24 --yes >"$T/out" 2>"$T/err" </dev/null
rc=$?; out=$(cat "$T/out"); err=$(cat "$T/err")
want_rc 5 "set: --read-only"
kv vault network set $V --default-action Deny --add-ip 203.0.113.0/24 --dry-run --json
want_rc 0 "set --dry-run --json"
check '[ "$(jq_ "j[\"outcome\"]")" = dry-run ]' "dry run: outcome dry-run"
check 'jq_ "[s[\"text\"] for s in j[\"steps\"]]" | grep -q "203.0.113.0/24"' "dry run: the review names the IP rule"
check '[ "$(nwrites)" = "$w0" ]' "bad input, --dry-run, no --yes and --read-only wrote nothing"

# --- IP rules enforced on the data plane ----------------------------------
kv secret list $V
want_rc 0 "secret list before any rule"
kv vault network set $V --default-action Deny --add-ip 203.0.113.0/24 --yes --json
want_rc 0 "set: default action Deny and an IP rule that is not ours"
check '[ "$(jq_ "j[\"outcome\"]")" = done ]' "json: outcome done"
kv vault network show $V --json
check '[ "$(jq_ "j[\"networkAcls\"][\"defaultAction\"]")" = Deny ]' "show: default action Deny"
check '[ "$(jq_ "[r[\"value\"] for r in j[\"networkAcls\"][\"ipRules\"]]")" = "['"'"'203.0.113.0/24'"'"']" ]' "show: the IP rule"
kv secret list $V
check '[ "$rc" -eq 1 ] && echo "$err" | grep -q "Client address is not authorized"' "secret list refused by the firewall (403 ForbiddenByFirewall, exit 1)"
w1=$(nwrites)
kv vault network set $V --add-ip 203.0.113.0/24 --yes
want_rc 0 "set: a rule already there"
check 'echo "$err" | grep -q "already there"' "it says the rule is already there"
check '[ "$(nwrites)" = "$w1" ]' "nothing written for a rule already there"
kv vault network set $V --add-ip 127.0.0.1 --yes
want_rc 0 "set: an IP rule for 127.0.0.1"
kv secret list $V
want_rc 0 "secret list admitted by the IP rule"
kv vault network set $V --remove-ip 127.0.0.1/32 --yes
want_rc 0 "set: remove the rule (given as /32)"
kv secret list $V
check '[ "$rc" -ne 0 ]' "secret list refused again"
kv vault network set $V --remove-ip 198.51.100.9 --yes
want_rc 0 "set: removing a rule that is not there"
check 'echo "$err" | grep -q "no IP rule"' "it says there is no such rule"

# --- virtual network rules -------------------------------------------------
kv vault network set $V --add-subnet "$SNET_NOSE" --yes
want_rc 1 "set: a subnet without the Key Vault service endpoint: Azure refuses"
check 'echo "$err" | grep -q "ServiceEndpoints"' "Azure's reason is shown"
kv vault network set $V --add-subnet "$SNET" --yes
want_rc 0 "set: add a virtual network rule"
kv vault network show $V --json
check 'jq_ "[r[\"id\"].lower() for r in j[\"networkAcls\"][\"virtualNetworkRules\"]]" | grep -qi "snet-apps"' "show: the virtual network rule"
kv vault network show $V
check 'echo "$out" | grep -q "^virtual network rule: .*snet-apps"' "show text: the virtual network rule"
kv vault network set $V --remove-subnet "$SNET" --default-action Allow --remove-ip 203.0.113.0/24 --yes
want_rc 0 "set: remove the rules, default action Allow"
kv vault network show $V --json
# no rules and Allow: an empty networkAcls, or none at all (as read)
check '[ "$(jq_ "(lambda a: a is None or (len(a[\"virtualNetworkRules\"]), len(a[\"ipRules\"]), a[\"defaultAction\"]) == (0, 0, \"Allow\"))(j[\"networkAcls\"])")" = True ]' "show: no rules left, Allow"
kv secret list $V
want_rc 0 "secret list admitted again"

# --- public network access off ----------------------------------------------
kv vault network set $V --public-network-access Disabled --dry-run
want_rc 0 "public access off: --dry-run"
kv vault network set $V --public-network-access Disabled
want_rc 5 "public access off: refused without --yes and no terminal"
kv vault network set $V --public-network-access Disabled --yes
want_rc 0 "public access off with --yes"
kv vault network show $V
check 'echo "$out" | grep -q "^public network access: Disabled"' "show: Disabled"
kv secret list $V
check '[ "$rc" -eq 1 ] && echo "$err" | grep -q "Public network access is disabled"' "secret list fails with the 403 ForbiddenByConnection (exit 1)"
printf 'v1\n' >"$T/val"
kvin "$T/val" secret set $V db-password --yes
check '[ "$rc" -ne 0 ] && echo "$err" | grep -q -- "--via-arm"' "secret set refused: the message names --via-arm"
kv vault network set $V --public-network-access Enabled --yes
want_rc 0 "public access on again"
kv secret list $V
want_rc 0 "secret list works again"

exit $bad
