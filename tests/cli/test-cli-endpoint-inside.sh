#!/bin/sh
# test-cli-endpoint-inside.sh — kvdeck endpoint attach --close-public-access
# from a host INSIDE the subnet (#10): the configuration's resolve line
# (as curl's --resolve) makes the vault's name resolve to the address the
# endpoint gets (the simulator hands out the subnet's first free address,
# 10.20.1.4, to the first endpoint in vnet-dev/snet-default). Attach then
# gives no warning, says this host keeps data-plane access, the plan's DNS
# check matches (through the override), and public access ends Disabled.
SIM_ARGS="--lro-delay 300"
. "$top_srcdir/tests/cli/clilib.sh"

DEVID=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["subscriptions"][1])' "$SIM_CONN")
SN_DEV=/subscriptions/$DEVID/resourceGroups/rg-app-dev/providers/Microsoft.Network/virtualNetworks/vnet-dev/subnets/snet-default
printf 'resolve = %s.vault.localhost:%s:10.20.1.4\n' "$V" "$(conn port)" >>"$T/config"

kv endpoint attach $V --subnet "$SN_DEV" --close-public-access --dry-run --json
want_rc 0 "attach --close-public-access --dry-run from inside"
check '! echo "$err" | grep -q WARNING' "no warning: this host resolves the vault into the subnet"
check 'echo "$err" | grep -q "keeps data-plane access"' "stderr: this host keeps data-plane access"
check '[ "$(jq_ "[s[\"op\"] for s in j[\"steps\"]][-1]")" = public-off ]' "the plan ends by turning public access off"
kv endpoint attach $V --subnet "$SN_DEV" --close-public-access --yes --json
want_rc 0 "attach and close public access from inside"
check '[ "$(jq_ "j[\"connection\"][\"privateIpAddress\"]")" = 10.20.1.4 ]' "the endpoint got 10.20.1.4"
check '[ "$(jq_ "j[\"dnsCheck\"][\"matches\"], j[\"dnsCheck\"][\"overridden\"]")" = "True True" ]' "the DNS check matches, through the resolve override"
check '[ "$(jq_ "[s[\"state\"] for s in j[\"steps\"]][-1]")" = done ]' "public access turned off"
kv vault network show $V --json
check '[ "$(jq_ "j[\"publicNetworkAccess\"]")" = Disabled ]' "public network access is Disabled"

exit $bad
