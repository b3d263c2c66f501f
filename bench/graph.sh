#!/bin/bash
# bench/graph.sh — a tenant of 1,000 subscriptions x 5 vaults (issue #12):
# time to all 5,000 vaults with Azure Resource Graph against one listing
# per subscription and against az. One command reruns it:
#
#   bench/graph.sh [-B BUILD_DIR | --rev REV] [--subs N] [--vaults N]
#                  [--latency MS] [--no-build] [--write] [--keep]
#
# One kvdeck-sim, seed scale:subs=1000,vaults=5,secrets=1, every request
# answered --latency ms late (default 40; --fault latency). Each figure is
# one run on this machine:
#
#  - the console, in a 120x40 tmux session: KVDECK_BENCH's in-process
#    "all_vaults" mark (every subscription's vault list in), with the
#    default graph-threshold (10: one Resource Graph query) and with
#    graph-threshold = never (one listing per subscription, in parallel);
#  - `kvdeck vault list` (batch) likewise (its per-subscription path lists
#    one subscription after the other);
#  - az (Debian's az has no `az graph`): `az rest --method post` on
#    /providers/Microsoft.ResourceGraph/resources with the same body
#    kvdeck sends ({"subscriptions":[all 1,000],"query":...,"options":
#    {"$top":1000,"resultFormat":"objectArray"}}), paged by $skipToken in
#    a shell loop; the subscriptions from `az account list` first.
#
# Requests are counted by the simulator (GET /_sim/requests, reset before
# each run): "after the token" counts the Resource Manager requests (the
# subscription list's pages, the listings or the queries' pages).
# Not part of make check. Loopback only. Prints a Markdown section;
# --write replaces "## Tenant scale: Resource Graph" in bench/RESULTS.md.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/_build-bench
rev=
subs=1000 vaults=5 latency=40 do_build=1 write=0 keep=0

usage() {
    sed -n '6,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
args=${*:+ $*}
while [ $# -gt 0 ]; do
    case $1 in
    -B | --build-dir) build=$2; shift ;;
    --rev) rev=$2; shift ;;
    --subs) subs=$2; shift ;;
    --vaults) vaults=$2; shift ;;
    --latency) latency=$2; shift ;;
    --no-build) do_build=0 ;;
    --write) write=1 ;;
    --keep) keep=1 ;;
    *) usage ;;
    esac
    shift
done
case $build in /*) ;; *) build=$PWD/$build ;; esac
command -v tmux >/dev/null 2>&1 || { echo "graph.sh: SKIP: tmux is not installed" >&2; exit 77; }

bench=graph
. "$top/bench/lib.sh"
bench_setup
NV=$((subs * vaults))

# The scale seed takes a while: bench_sim's 30 s are not enough.
say "starting kvdeck-sim (scale:subs=$subs,vaults=$vaults, $latency ms latency)"
mkdir -p "$work/state"
"$SIM" --state-dir "$work/state" --listen 127.0.0.1:0 \
    --seed "scale:subs=$subs,vaults=$vaults,secrets=1" --fault "latency,ms=$latency" \
    >"$work/sim.out" 2>"$work/sim.err" </dev/null &
sim_pid=$!
line=
for _ in $(seq 1 6000); do
    line=$(head -n 1 "$work/sim.out" 2>/dev/null)
    case $line in "ready "*) break ;; esac
    kill -0 "$sim_pid" 2>/dev/null || { tail "$work/sim.err" >&2; die "kvdeck-sim exited"; }
    sleep 0.1
done
case $line in "ready "*) ;; *) die "kvdeck-sim not ready within 600 s" ;; esac
CONN=${line#ready }
CA=$(conn ca)
PROXY=$(conn proxy)
SUB=$(conn subscriptions)
ARM=$(conn arm)
bench_clients
cp "$work/kvdeck.conf" "$work/never.conf"
echo "graph-threshold = never" >>"$work/never.conf"

reqs_reset() { curl -s --cacert "$CA" -X DELETE "${ARM%/}/_sim/requests" >/dev/null; }
# "ARM-GETs ARM-POSTs login-POSTs" since the reset
reqs() {
    curl -s --cacert "$CA" "${ARM%/}/_sim/requests" |
        jq -r '"\(.by_area.arm.GET) \(.by_area.arm.POST) \(.by_area.login.POST)"'
}
rec_reqs() { # PREFIX
    local g p l
    read -r g p l <<<"$(reqs)"
    rec "${1}_get" "$g"
    rec "${1}_post" "$p"
    rec "${1}_token" "$l"
}

sock=$work/tmux.sock
tm() { tmux -S "$sock" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; bench_cleanup' EXIT
console_run() { # NAME CONFIG
    local name=$1 cfg=$2 ms=
    rm -rf "$work/xdg" && mkdir -p "$work/xdg/config" "$work/xdg/state" "$work/xdg/cache"
    rm -f "$work/$name.inproc"
    reqs_reset
    tm new-session -d -s "$name" -x 120 -y 40 \
        "env -u AZURE_TENANT_ID -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET -u HTTPS_PROXY -u https_proxy \
         LANG=C.UTF-8 KVDECK_BENCH=$work/$name.inproc KVDECK_JOURNAL=$work/journal.jsonl \
         XDG_CONFIG_HOME=$work/xdg/config XDG_STATE_HOME=$work/xdg/state XDG_CACHE_HOME=$work/xdg/cache \
         $KVDECK --config $cfg 2>$work/$name.err"
    for _ in $(seq 1 3000); do
        ms=$(awk '$1 == "all_vaults" { print $2 " " $3 }' "$work/$name.inproc" 2>/dev/null)
        [ -n "$ms" ] && break
        sleep 0.1
    done
    [ -n "$ms" ] || { cat "$work/$name.err" >&2; die "console $name: the vaults did not load in 300 s"; }
    sleep 0.5
    tm kill-session -t "$name" 2>/dev/null
    set -- $ms
    [ "$2" = "$NV" ] || say "console $name: $2 vaults, not $NV"
    rec "${name}_ms" "$1"
    rec "${name}_vaults" "$2"
    rec_reqs "$name"
}
batch_run() { # NAME CONFIG
    local name=$1 cfg=$2 t0 t1 n
    reqs_reset
    t0=$(now_ns)
    "$KVDECK" --config "$cfg" vault list --json >"$work/$name.json" 2>"$work/$name.err" </dev/null ||
        { cat "$work/$name.err" >&2; die "kvdeck vault list ($name) failed"; }
    t1=$(now_ns)
    n=$(jq length "$work/$name.json")
    rec "${name}_ms" $(((t1 - t0) / 1000000))
    rec "${name}_vaults" "$n"
    rec_reqs "$name"
}
az_run() {
    local t0 t1 n=0 tok= page=0 body
    reqs_reset
    t0=$(now_ns)
    client_env timeout 300 az account list --query '[].id' -o json >"$work/az-subs.json" 2>"$work/az.err" ||
        { cat "$work/az.err" >&2; die "az account list failed"; }
    while :; do
        body=$(jq -c --arg tok "$tok" '{subscriptions: ., query: "resources | where type =~ '"'"'microsoft.keyvault/vaults'"'"' | order by id asc",
            options: ({"$top": 1000, resultFormat: "objectArray"} + (if $tok == "" then {} else {"$skipToken": $tok} end))}' "$work/az-subs.json")
        printf '%s' "$body" >"$work/az-body.json"
        client_env timeout 300 az rest --method post \
            --url "${ARM%/}/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01" \
            --body @"$work/az-body.json" -o json >"$work/az-page.json" 2>"$work/az.err" ||
            { cat "$work/az.err" >&2; die "az rest (Resource Graph) failed"; }
        n=$((n + $(jq '.data | length' "$work/az-page.json")))
        page=$((page + 1))
        tok=$(jq -r '."$skipToken" // ""' "$work/az-page.json")
        [ -n "$tok" ] || break
    done
    t1=$(now_ns)
    rec az_ms $(((t1 - t0) / 1000000))
    rec az_vaults "$n"
    rec az_pages "$page"
    rec_reqs az
}

say "console, Resource Graph (graph-threshold 10)"
console_run tui_graph "$work/kvdeck.conf"
say "console, one listing per subscription (graph-threshold = never)"
console_run tui_arm "$work/never.conf"
say "kvdeck vault list, Resource Graph"
batch_run cli_graph "$work/kvdeck.conf"
say "kvdeck vault list, per subscription"
batch_run cli_arm "$work/never.conf"
say "az rest, the same query paged by \$skipToken"
az_run
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

v() { awk -v k="$1" '$1 == k { print $2; exit }' "$work/runs.txt"; }
arm_req() { echo $(($(v "${1}_get") + $(v "${1}_post"))); }
row3() { # LABEL NAME
    echo "| $1 | $(v "${2}_ms") ms | $(v "${2}_vaults") | $(arm_req "$2") ($(v "${2}_get") GET, $(v "${2}_post") POST) | $(v "${2}_token") |"
}
section=$(
    echo "## Tenant scale: Resource Graph"
    echo
    echo "bench/graph.sh$args, $(date -u '+%Y-%m-%d %H:%M UTC'), $(bench_built); kvdeck-sim seed"
    echo "scale:subs=$subs,vaults=$vaults ($NV vaults), every request answered $latency ms late;"
    echo "one run of each, this machine (load $load_before -> $load_after); az $az_ver."
    echo "Requests after the token: Resource Manager requests the simulator answered"
    echo "(the subscription list's pages of 100, then the listings or the query's pages of 1,000)."
    echo
    echo "| time to all $NV vaults | time | vaults | requests after the token | token requests |"
    echo "|---|---|---|---|---|"
    row3 "console, Resource Graph (graph-threshold 10)" tui_graph
    row3 "console, one listing per subscription (graph-threshold = never)" tui_arm
    row3 "\`kvdeck vault list\`, Resource Graph" cli_graph
    row3 "\`kvdeck vault list\`, per subscription (one after the other)" cli_arm
    row3 "az: \`az account list\`, then \`az rest --method post\` paged by \$skipToken ($(v az_pages) pages)" az
    echo
    echo "Ratios: console per subscription / Resource Graph $(ratio "$(v tui_arm_ms)" "$(v tui_graph_ms)")x;"
    echo "az / console with Resource Graph $(ratio "$(v az_ms)" "$(v tui_graph_ms)")x;"
    echo "az / \`kvdeck vault list\` with Resource Graph $(ratio "$(v az_ms)" "$(v cli_graph_ms)")x."
    echo "Rerun: \`bench/graph.sh -B _build-bench\` (add --write to replace this section)."
)
echo "$section"
[ $write = 1 ] && bench_write "Tenant scale: Resource Graph" "$section"
exit 0
