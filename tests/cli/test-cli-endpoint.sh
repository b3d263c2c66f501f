#!/bin/sh
# test-cli-endpoint.sh — kvdeck endpoint list|attach|approve|reject|remove
# against kvdeck-sim (#10): the seeded connection listed with its
# endpoint's subnet, private IP and A record (text and --json); bad input
# refused before any request (exit 2), an unknown vault, subnet or
# connection (exit 4); --dry-run, --read-only and no --yes send no
# write. Attach: with a new zone (created, linked, auto-approved), with
# the zone and its link there (reused, not duplicated), in a VNet of
# another region not linked to the zone (noted; a link made, no second
# zone), in a subnet whose endpoint policy must change (set to Disabled
# first), --no-dns (the A record to make is named), a manual request
# (Pending, exit 0; then approved by name), a principal that may not
# approve (a request by itself), reject and remove; a failed long-running
# operation (exit 1, the report says what exists; the same command again
# finishes it); closing public access from outside the subnet (warned;
# refused without --yes; then the data plane answers 403).
SIM_ARGS="--lro-delay 300 --rbac-delay 0"
. "$top_srcdir/tests/cli/clilib.sh"

PRODID=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["subscriptions"][0])' "$SIM_CONN")
DEVID=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["subscriptions"][1])' "$SIM_CONN")
NET=providers/Microsoft.Network/virtualNetworks
SN_DEV=/subscriptions/$DEVID/resourceGroups/rg-app-dev/$NET/vnet-dev/subnets/snet-default
SN_HUB=/subscriptions/$PRODID/resourceGroups/rg-network-prod/$NET/vnet-hub-prod/subnets/snet-private-endpoints
SN_DATA=/subscriptions/$PRODID/resourceGroups/rg-network-prod/$NET/vnet-hub-prod/subnets/snet-data
SN_SPOKE=/subscriptions/$PRODID/resourceGroups/rg-network-prod/$NET/vnet-spoke-westus2/subnets/snet-endpoints
ZONE=privatelink.vaultcore.azure.net
nwrites() { echo $(( $(simctl count PUT) + $(simctl count PATCH) + $(simctl count DELETE) )); }
# zones SUB — the number of private DNS zones named $ZONE in SUB
zones() { simctl arm GET "/subscriptions/$1/providers/Microsoft.Network/privateDnsZones" "" 2020-06-01 | python3 -c "
import json, sys
sys.stdin.readline()
print(len([z for z in json.load(sys.stdin)['value'] if z['name'] == '$ZONE']))"; }
# ops — the ops of the plan in stdout's JSON, space-separated
ops() { jq_ "' '.join(s['op'] for s in j['steps'])"; }
# conn_of PE — the connection of endpoint PE in kv-contoso-dev's list
conn_of() { "$KVDECK" --config "$T/config" endpoint list $V --json </dev/null | python3 -c "
import json, sys
print([c['name'] for c in json.load(sys.stdin) if c['privateEndpointId'].endswith('/$1')][0])"; }
# state_of PE — its connection's status
state_of() { "$KVDECK" --config "$T/config" endpoint list $V --json </dev/null | python3 -c "
import json, sys
print(([c['status'] for c in json.load(sys.stdin) if c['privateEndpointId'].endswith('/$1')] + ['gone'])[0])"; }

# --- list -----------------------------------------------------------------
kv endpoint list kv-contoso-core-prod --json
want_rc 0 "endpoint list --json"
check '[ "$(jq_ "len(j), j[0][\"status\"], j[0][\"privateIpAddress\"]")" = "1 Approved 10.10.2.4" ]' "json: one connection, Approved, 10.10.2.4"
check '[ "$(jq_ "j[0][\"subnetId\"].endswith(\"/snet-private-endpoints\")")" = True ]' "json: the endpoint's subnet"
check '[ "$(jq_ "[(r[\"fqdn\"], r[\"ipAddresses\"]) for r in j[0][\"dnsRecords\"]]")" = "[('"'"'kv-contoso-core-prod.$ZONE'"'"', ['"'"'10.10.2.4'"'"'])]" ]' "json: the zone group's A record"
kv endpoint list kv-contoso-core-prod
want_rc 0 "endpoint list"
check 'echo "$out" | grep -q "private IP: *10.10.2.4" && echo "$out" | grep -q "DNS record: *kv-contoso-core-prod.$ZONE A 10.10.2.4"' "text: private IP and A record"
kv endpoint list $V
want_rc 0 "endpoint list of a vault without endpoints"
check 'echo "$out" | grep -q "no private endpoint connections"' "text: says there are none"
kv endpoint list kv-nope-404
want_rc 4 "endpoint list: unknown vault"

# --- bad input: nothing sent -------------------------------------------------
w0=$(nwrites)
kv endpoint attach $V --yes
want_rc 2 "attach: no --subnet"
kv endpoint attach $V --subnet /subscriptions/x/resourceGroups/y --yes
want_rc 2 "attach: a subnet id that is not one"
kv endpoint attach $V --subnet "$SN_DEV" --no-dns --dns-zone /x --yes
want_rc 2 "attach: --dns-zone and --no-dns"
kv endpoint attach $V --subnet "$SN_DEV" --name -bad- --yes
want_rc 2 "attach: a bad endpoint name"
kv endpoint attach $V --subnet "${SN_DEV%snet-default}snet-nope" --yes
want_rc 4 "attach: an unknown subnet"
kv endpoint attach kv-nope-404 --subnet "$SN_DEV" --yes
want_rc 4 "attach: an unknown vault"
kv endpoint attach $V --subnet "$SN_DEV"
want_rc 5 "attach: no --yes without a terminal"
"$KVDECK" --config "$T/config" --read-only endpoint attach $V --subnet "$SN_DEV" --yes >"$T/out" 2>"$T/err" </dev/null
rc=$?; out=$(cat "$T/out"); err=$(cat "$T/err")
want_rc 5 "attach: --read-only"
kv endpoint attach $V --subnet "$SN_DEV" --dry-run --json
want_rc 0 "attach --dry-run --json"
check '[ "$(ops)" = "pe-create dns-zone dns-link zone-group pec-wait dns-check" ]' "dry run: a new zone, its link, the zone group ($(ops))"
check 'echo "$err" | grep -q "creates it in group rg-app-dev"' "stderr: the zone is created in the VNet's group"
kv endpoint approve $V nope --yes
want_rc 4 "approve: an unknown connection"
check '[ "$(nwrites)" = "$w0" ]' "bad input, --dry-run, no --yes and --read-only wrote nothing"

# --- attach with a new zone: auto-approved ---------------------------------
kv endpoint attach $V --subnet "$SN_DEV" --yes --json
want_rc 0 "attach with a new zone"
check '[ "$(jq_ "j[\"outcome\"], j[\"connection\"][\"status\"]")" = "done Approved" ]' "json: done, Approved"
check 'jq_ "j[\"connection\"][\"privateIpAddress\"]" | grep -q "^10\.20\.1\."' "json: a private IP of snet-default"
check '[ "$(jq_ "j[\"aRecord\"][\"fqdn\"]")" = "kv-contoso-dev.$ZONE" ]' "json: the A record's name"
check '[ "$(jq_ "j[\"dnsCheck\"] is not None")" = True ]' "json: the DNS check's result"
check '[ "$(zones $DEVID)" = 1 ]' "the zone exists in the dev subscription"
kv endpoint list $V --json
check '[ "$(jq_ "[(c[\"status\"], c[\"dnsRecords\"][0][\"fqdn\"]) for c in j]")" = "[('"'"'Approved'"'"', '"'"'kv-contoso-dev.$ZONE'"'"')]" ]' "list: the new connection Approved with its A record"
check '[ "$(jq_ "j[0][\"privateEndpointId\"].endswith(\"/pe-kv-contoso-dev\")")" = True ]' "list: the endpoint's default name pe-kv-contoso-dev"

# --- an existing zone and link: reused --------------------------------------
kv endpoint attach $V --subnet "$SN_HUB" --name pe-dev-hub --json --yes
want_rc 0 "attach where the zone and its link exist"
check '[ "$(ops)" = "pe-create zone-group pec-wait dns-check" ]' "reused: no zone or link step ($(ops))"
check 'echo "$err" | grep -q "already linked"' "stderr: the link is reused"
check 'echo "$err" | grep -q "lives in the virtual network"' "stderr: another region (eastus) noted"
check '[ "$(zones $PRODID)" = 1 ]' "still one zone in the production subscription"

# --- another region, the zone not linked to the VNet -------------------------
kv endpoint attach $V --subnet "$SN_SPOKE" --name pe-dev-spoke --json --yes
want_rc 0 "attach in a VNet of another region"
check '[ "$(ops)" = "pe-create dns-link zone-group pec-wait dns-check" ]' "the zone reused, a link made ($(ops))"
check 'echo "$err" | grep -q "westus2"' "stderr: the endpoint lives in westus2"
check '[ "$(zones $PRODID)" = 1 ]' "no second zone"

# --- a subnet whose endpoint policy must change --------------------------------
kv endpoint attach $V --subnet "$SN_DATA" --name pe-dev-data --no-dns --yes
want_rc 0 "attach in a subnet with policies Enabled, --no-dns"
check 'echo "$err" | grep -q "sets it to Disabled first"' "stderr: the policy is changed"
check 'echo "$out" | grep -q "create the A record kv-contoso-dev.$ZONE -> 10\.10\.3\."' "text: the A record to make"
check '[ "$(simctl arm GET "$SN_DATA" | tail -n +2 | python3 -c "import json,sys; print(json.load(sys.stdin)[\"properties\"][\"privateEndpointNetworkPolicies\"])")" = Disabled ]' "the subnet's policy is Disabled now"

# --- manual approval: Pending, then approved ------------------------------------
kv endpoint attach $V --subnet "$SN_DEV" --name pe-dev-manual --manual-request "for the batch jobs" --yes --json
want_rc 0 "attach with a manual request: exit 0"
check '[ "$(jq_ "j[\"connection\"][\"status\"], j[\"connection\"][\"pending\"]")" = "Pending True" ]' "json: Pending"
check '[ "$(state_of pe-dev-manual)" = Pending ]' "list: Pending"
kv endpoint attach $V --subnet "$SN_DEV" --name pe-dev-manual2 --manual-request "again" --yes
want_rc 0 "attach with a manual request (text)"
check 'echo "$out" | grep -q "Pending — ask the vault'"'"'s owner"' "text: Pending — ask the vault's owner"
kv endpoint attach $V --subnet "$SN_DEV" --name pe-dev-manual3 --manual-request "later" --close-public-access --dry-run --json
want_rc 0 "a manual request with --close-public-access: --dry-run"
check 'echo "$err" | grep -q "public network access stays on"' "stderr: public access stays on until the owner approves"
check '! ops | grep -q public-off' "no public-off step for a manual request"
kv endpoint approve $V pe-dev-manual --description "ok from the owner" --dry-run
want_rc 0 "approve --dry-run"
check '[ "$(state_of pe-dev-manual)" = Pending ]' "--dry-run: still Pending"
kv endpoint approve $V "$(conn_of pe-dev-manual)" --description "ok from the owner" --yes --json
want_rc 0 "approve by the connection's name"
check '[ "$(state_of pe-dev-manual)" = Approved ]' "list: Approved"
w1=$(nwrites)
kv endpoint approve $V pe-dev-manual --yes --json
want_rc 0 "approve an approved connection: nothing to do"
check '[ "$(jq_ "j[\"outcome\"]")" = unchanged ] && [ "$(nwrites)" = "$w1" ]' "json: unchanged, nothing written"

# --- approval decided by the caller's rights -------------------------------------
# The managed identity with Network Contributor + Reader on the production
# subscription instead of Owner: it may create the endpoint but not
# approve it; attach asks the vault's owner by itself.
python3 - "$PRODID" <<'PY' || fail "demote the managed identity"
import os, sys, urllib.parse
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "cli"))
import simctl
sim, sub = simctl.attach(), "/subscriptions/" + sys.argv[1]
AZ, API = "/providers/Microsoft.Authorization", "2022-04-01"
mi = sim.conn["mi_object_id"]
r = sim.arm("GET", sub + AZ + "/roleAssignments?$filter=" +
            urllib.parse.quote("principalId eq '%s'" % mi), api=API)
for a in r.json()["value"]:
    if a["properties"]["scope"] == sub:
        assert sim.arm("DELETE", a["id"], api=API).status == 200
for i, role in enumerate(("4d97b98b-1d4f-4787-a291-c67834d212e7",
                          "acdd72a7-3385-48ef-bd42-f606fba81ae7")):
    r = sim.arm("PUT", sub + AZ + "/roleAssignments/0000000%d-aaaa-bbbb-cccc-"
                "dddddddddddd" % i,
                {"properties": {"roleDefinitionId": sub + AZ +
                                "/roleDefinitions/" + role,
                                "principalId": mi,
                                "principalType": "ServicePrincipal"}}, api=API)
    assert r.status == 201, (r.status, r.body)
PY
printf 'cloud = %s\nca-file = %s\nauth = managed-identity\n' "$(conn cloud_file)" "$(conn ca)" >"$T/config-mi"
AZURE_POD_IDENTITY_AUTHORITY_HOST=$(conn imds) "$KVDECK" --config "$T/config-mi" \
    endpoint attach kv-contoso-core-prod --subnet "$SN_HUB" --name pe-core-mi --yes --json \
    >"$T/out" 2>"$T/err" </dev/null
rc=$?; out=$(cat "$T/out"); err=$(cat "$T/err")
want_rc 0 "attach by a principal that may not approve: exit 0"
check 'echo "$err" | grep -q "you may not approve connections to kv-contoso-core-prod"' "stderr: it may not approve, the owner is asked"
check '[ "$(jq_ "j[\"connection\"][\"status\"], j[\"connection\"][\"manual\"]")" = "Pending True" ]' "json: a manual request, Pending"
kv endpoint list kv-contoso-core-prod --json
check '[ "$(jq_ "[c[\"status\"] for c in j if c[\"privateEndpointId\"].endswith(\"/pe-core-mi\")]")" = "['"'"'Pending'"'"']" ]' "the owner sees it Pending"
kv endpoint approve kv-contoso-core-prod pe-core-mi --description "approved by the owner" --yes
want_rc 0 "the owner approves it"
kv endpoint list kv-contoso-core-prod --json
check '[ "$(jq_ "[(c[\"status\"], c[\"description\"]) for c in j if c[\"privateEndpointId\"].endswith(\"/pe-core-mi\")]")" = "[('"'"'Approved'"'"', '"'"'approved by the owner'"'"')]" ]' "Approved, with the owner's description"

# --- reject and remove ----------------------------------------------------------
kv endpoint reject $V pe-dev-manual2 --description "not this one"
want_rc 5 "reject: no --yes without a terminal"
kv endpoint reject $V pe-dev-manual2 --description "not this one" --yes
want_rc 0 "reject"
check '[ "$(state_of pe-dev-manual2)" = Rejected ]' "list: Rejected"
kv endpoint approve $V pe-dev-manual2 --yes
want_rc 5 "approve a rejected connection: refused"
kv endpoint remove $V pe-dev-manual2 --yes --json
want_rc 0 "remove"
check '[ "$(state_of pe-dev-manual2)" = gone ]' "list: the connection is gone"

# --- a long-running operation that fails ------------------------------------------
simctl fault "lro-fail,path=/subscriptions/$DEVID/resourceGroups/rg-app-dev/providers/Microsoft.Network/privateEndpoints/pe-dev-fail/privateDnsZoneGroups,count=1,code=InternalServerError"
kv endpoint attach $V --subnet "$SN_DEV" --name pe-dev-fail --yes
want_rc 1 "the zone group's operation fails: exit 1"
check 'echo "$err" | grep -q "\[failed\] Create the endpoint'"'"'s DNS zone group"' "the report names the failed step"
check 'echo "$err" | grep -q "\[done\] Create private endpoint pe-dev-fail"' "and what was done (the endpoint exists)"
check '[ "$(state_of pe-dev-fail)" != gone ]' "the endpoint's connection is there"
simctl nofaults
kv endpoint attach $V --subnet "$SN_DEV" --name pe-dev-fail --yes
want_rc 0 "the same attach again finishes it"
kv endpoint list $V --json
check '[ "$(jq_ "[len(c[\"dnsRecords\"] or []) for c in j if c[\"privateEndpointId\"].endswith(\"/pe-dev-fail\")]")" = "[1]" ]' "its zone group keeps an A record now"

# --- closing public access from outside the subnet --------------------------------
kv endpoint attach $V --subnet "$SN_DEV" --name pe-dev-close --close-public-access
want_rc 5 "close public access: no --yes without a terminal"
check 'echo "$err" | grep -q "WARNING: this host resolves"' "stderr: this host is outside, warned"
kv endpoint attach $V --subnet "$SN_DEV" --name pe-dev-close --close-public-access --yes --json
want_rc 0 "attach and close public access"
check '[ "$(jq_ "[s[\"op\"] for s in j[\"steps\"]][-1], [s[\"state\"] for s in j[\"steps\"]][-1]")" = "public-off done" ]' "the last step turned public access off"
kv vault network show $V --json
check '[ "$(jq_ "j[\"publicNetworkAccess\"]")" = Disabled ]' "public network access is Disabled"
kv secret list $V
check '[ "$rc" -ne 0 ] && echo "$err" | grep -q "Public network access is disabled"' "kvdeck here now gets the 403"

exit $bad
