#!/bin/sh
# test-cli-fault-matrix-attach.sh — the fault matrix (issue #11) for
# `kvdeck endpoint attach --json` (the endpoint, a new private DNS zone,
# its VNet link, the zone group, the approval wait): the one-shot faults
# hit the endpoint's PUT; the token expires on the zone group's PUT (the
# fourth write); lro-fail ends the VNet link's operation Failed; lro-stuck
# leaves the endpoint's operation InProgress (ended at KVDECK_WAIT_LIMIT).
# The report must match which of endpoint, zone, link and zone group
# exist (test-cli-fault-matrix.lib).
SIM_ARGS="--lro-delay 300 --rbac-delay 0"
. "$top_srcdir/tests/cli/test-cli-fault-matrix.lib"
NETP=$RG/providers/Microsoft.Network
PE=$NETP/privateEndpoints/pe-fm
ZONE=$NETP/privateDnsZones/privatelink.vaultcore.azure.net
ARGS="endpoint attach $V --subnet $NETP/virtualNetworks/vnet-dev/subnets/snet-default --name pe-fm --yes --json"
P="method=PUT,path=$PE"

cell latency attach 'latency,ms=150,area=arm' -- $ARGS
cell 429 attach "throttle,count=2,retry-after=1,$P" -- $ARGS
cell 500 attach "error,status=500,count=1,$P" -- $ARGS
cell 503 attach "error,status=503,count=1,$P" -- $ARGS
cell drop attach "drop,count=1,$P" -- $ARGS
cell slow attach 'slow,bps=3000,area=arm' -- $ARGS
cell malformed attach "malformed,count=1,$P" -- $ARGS
cell token-expiry attach "token-expired,count=1,method=PUT,path=$PE/privateDnsZoneGroups" -- $ARGS
cell lro-fail attach "lro-fail,count=1,method=PUT,path=$ZONE/virtualNetworkLinks" -- $ARGS
cell lro-stuck attach "lro-stuck,count=1,$P" wait=4 -- $ARGS
exit $bad
