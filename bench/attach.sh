#!/bin/bash
# bench/attach.sh — a private endpoint attached to a vault, from "apply"
# until its connection is Approved (and the DNS zone group keeps its A
# record), by kvdeck and by the az CLI, against one kvdeck-sim with added
# latency and its own long-running-operation delay (issue #10, "Done
# when"). One command reruns everything:
#
#   bench/attach.sh [-B BUILD_DIR | --rev REV] [--runs N] [--latency MS]
#                   [--lro-delay MS] [--no-build] [--write] [--keep]
#
# Builds kvdeck and kvdeck-sim (in BUILD_DIR, default _build-bench, or
# with --rev from a clean `git archive REV`), starts ONE kvdeck-sim (seed
# demo, --fault latency,ms=MS (default 40): every request is answered MS
# late; --lro-delay (default 2000): each Network write stays in progress
# that long), then attaches --runs endpoints (default 5) to the demo's
# kv-contoso-app-prod (eastus) in vnet-hub-prod/snet-private-endpoints,
# reusing the seed's privatelink.vaultcore.azure.net zone (already linked
# to that VNet), with each of, in turn:
#
#   kvdeck  kvdeck endpoint attach VAULT --subnet ID --name PE
#           -g rg-network-prod --yes --json --log FILE   (one process: the
#           reads that build the plan — vault, VNet, zones, links, the
#           right to approve — then the plan: PUT the endpoint and follow
#           its operation, PUT the zone group and follow it, read the
#           connection until Approved, check this host's DNS)
#   az      az network private-endpoint create (waits for the operation),
#           az network private-endpoint dns-zone-group create (waits),
#           az network private-endpoint-connection list --id VAULT (the
#           state), one after the other
#
# Times are wall-clock. For kvdeck the log's stamps also give "apply →
# Approved": from the plan's start to the answer that showed the
# connection Approved, and the requests the plan sent until then. The
# simulator's own delays on that way: two operations of --lro-delay each.
#
# az runs with tests/conformance/az on PYTHONPATH: Debian's az 2.45 cannot
# load `az network` otherwise (see tests/conformance/az/sitecustomize.py).
# Not part of make check. Loopback only (az goes through the simulator's
# CONNECT proxy). Prints a Markdown section; --write replaces
# "## Attach a private endpoint" in bench/RESULTS.md. Exits 77 when az,
# curl or jq is missing (tests/conformance/install.sh installs them).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/_build-bench
rev=
runs=5 latency=40 lro_delay=2000 do_build=1 write=0 keep=0

usage() {
    sed -n '7,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
args=${*:+ $*}
while [ $# -gt 0 ]; do
    case $1 in
    -B | --build-dir) build=$2; shift ;;
    --rev) rev=$2; shift ;;
    --runs) runs=$2; shift ;;
    --latency) latency=$2; shift ;;
    --lro-delay) lro_delay=$2; shift ;;
    --no-build) do_build=0 ;;
    --write) write=1 ;;
    --keep) keep=1 ;;
    *) usage ;;
    esac
    shift
done
case $build in /*) ;; *) build=$PWD/$build ;; esac
[ "$runs" -gt 0 ] 2>/dev/null || usage

bench=attach
. "$top/bench/lib.sh"
bench_setup
bench_sim --fault "latency,ms=$latency" --lro-delay "$lro_delay"
bench_clients

VAULT=kv-contoso-app-prod
VAULT_ID=/subscriptions/$SUB/resourceGroups/rg-app-prod/providers/Microsoft.KeyVault/vaults/$VAULT
NET=rg-network-prod
SUBNET_ID=/subscriptions/$SUB/resourceGroups/$NET/providers/Microsoft.Network/virtualNetworks/vnet-hub-prod/subnets/snet-private-endpoints
ZONE_ID=/subscriptions/$SUB/resourceGroups/$NET/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net

# ---- kvdeck -------------------------------------------------------------------
run_kvdeck() { # PE-NAME
    local name=$1 t0 t1 rc logf=$work/kv.$1.log
    t0=$(now_ns)
    kvd --log "$logf" endpoint attach "$VAULT" --subnet "$SUBNET_ID" --name "$name" -g "$NET" \
        --yes --json >"$work/kv.json" 2>"$work/kv.err"
    rc=$?
    t1=$(now_ns)
    [ $rc = 0 ] || { cat "$work/kv.err" >&2; die "kvdeck endpoint attach $name exited $rc"; }
    jq -e '.outcome == "done" and .connection.status == "Approved"' "$work/kv.json" >/dev/null ||
        { cat "$work/kv.json" >&2; die "kvdeck: not done and Approved"; }
    rec kv_ms $(((t1 - t0) / 1000000))
    # apply → Approved: the plan's start to the endpoint GET after which
    # the pec-wait step was done (the last endpoint GET before dns-check)
    awk -v pe="privateEndpoints/$name?" '
        function ms(s,   a) { split(substr(s, 12, 12), a, ":"); return ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 }
        / plan: attach / { plan = ms($1) }
        plan && / http: < / { n++ }
        plan && / http: < GET / && index($0, pe) && / -> 200 / { last = ms($1); req = n }
        / plan: dns-check/ { done = last; dreq = req }
        END { if (!done) exit 1; printf "kv_apply_ms %d\nkv_plan_req %d\n", (done - plan + 86400000) % 86400000, dreq }' \
        "$logf" >>"$work/runs.txt" || die "kvdeck's log has no approved endpoint after the plan ($logf)"
}

# ---- az ----------------------------------------------------------------------
run_az() { # PE-NAME
    local name=$1 t0 t1
    t0=$(now_ns)
    client_env timeout 300 az network private-endpoint create -g "$NET" -n "$name" -l eastus \
        --vnet-name vnet-hub-prod --subnet snet-private-endpoints --private-connection-resource-id "$VAULT_ID" --group-id vault \
        --connection-name "$name" -o json >"$work/az.json" 2>"$work/az.err" ||
        { cat "$work/az.err" >&2; die "az network private-endpoint create $name failed"; }
    client_env timeout 300 az network private-endpoint dns-zone-group create -g "$NET" \
        --endpoint-name "$name" -n default --private-dns-zone "$ZONE_ID" --zone-name privatelink-vaultcore \
        -o none 2>"$work/az.err" ||
        { cat "$work/az.err" >&2; die "az network private-endpoint dns-zone-group create $name failed"; }
    client_env timeout 120 az network private-endpoint-connection list --id "$VAULT_ID" -o json \
        >"$work/az.json" 2>"$work/az.err" || { cat "$work/az.err" >&2; die "az ... connection list failed"; }
    t1=$(now_ns)
    jq -e --arg pe "/privateEndpoints/$name" '[.[] | select(.properties.privateEndpoint.id | endswith($pe))
        | .properties.privateLinkServiceConnectionState.status] == ["Approved"]' "$work/az.json" >/dev/null ||
        die "az: the connection of $name is not Approved"
    rec az_ms $(((t1 - t0) / 1000000))
}

say "warm-up: one untimed endpoint each"
run_kvdeck pe-bench-w1
run_az pe-bench-w2
: >"$work/runs.txt"
t_runs=$(date +%s)
for i in $(seq 1 "$runs"); do
    say "run $i of $runs"
    run_kvdeck "pe-bench-k$i"
    run_az "pe-bench-a$i"
done
t_runs=$(($(date +%s) - t_runs))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report -------------------------------------------------------------------
built=$(bench_built)
m_apply=$(med kv_apply_ms)
delays=$((2 * lro_delay))
section=$(
    echo "## Attach a private endpoint"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/attach.sh$args\`, kvdeck and"
    echo "kvdeck-sim built from $built; $(nproc) cores, az $az_ver."
    echo "Load average before: $load_before, after: $load_after (a shared machine: wall-clock times)."
    echo "The $runs rounds took $t_runs s."
    echo
    echo "One \`kvdeck-sim --seed demo --fault latency,ms=$latency --lro-delay $lro_delay\`: every request"
    echo "answered $latency ms late; each Network write (the endpoint, its zone group) in progress for"
    echo "$lro_delay ms. Each round attaches one endpoint to $VAULT with kvdeck, then one with az,"
    echo "in vnet-hub-prod/snet-private-endpoints, reusing the seed's linked privatelink zone."
    echo
    echo "| an endpoint until its connection is Approved ($runs runs each) | median | min | max | all runs |"
    echo "|---|---|---|---|---|"
    row "kvdeck: \`kvdeck endpoint attach VAULT --subnet ID --name PE -g G --yes --json\` (whole command)" kv_ms " ms"
    row "… kvdeck, apply (the plan's start) → the endpoint read Approved" kv_apply_ms " ms"
    row "… requests the plan sent until then" kv_plan_req ""
    row "az: \`private-endpoint create\`, \`dns-zone-group create\`, \`private-endpoint-connection list\`" az_ms " ms"
    echo
    echo "Ratio of the medians, az/kvdeck (whole command): **$(ratio "$(med az_ms)" "$(med kv_ms)")**."
    echo "The simulator's own delays on the way: two operations of $lro_delay ms = $delays ms;"
    echo "apply → Approved took $m_apply ms (median), $((m_apply - delays)) ms more: the round trips"
    echo "of the PUTs, the operation polls (Azure's Retry-After: 1 s, so an operation is seen done"
    echo "up to one second after it ended) and the final reads."
    echo
    echo "What kvdeck sent in its last run (from its --log; stamps are kvdeck's):"
    echo
    echo '```'
    grep -E 'http: <|plan: ' "$work/kv.pe-bench-k$runs.log" |
        sed -n '/plan: attach/,$p' |
        bench_log_sed
    echo '```'
)
echo "$section"
[ $write = 1 ] && bench_write "Attach a private endpoint" "$section"
say "took $(($(date +%s) - t_script)) s"
