#!/bin/bash
# bench/vault-create.sh — a new vault on Azure RBAC, from "apply" until
# its data plane answers the creator, by kvdeck and by the az CLI, against
# one kvdeck-sim with added latency and its own provisioning delays
# (issue #9, "Done when"). One command reruns everything:
#
#   bench/vault-create.sh [-B BUILD_DIR | --rev REV] [--runs N] [--latency MS]
#                         [--dns-delay MS] [--rbac-delay MS] [--no-build]
#                         [--write] [--keep]
#
# Builds kvdeck and kvdeck-sim (in BUILD_DIR, default _build-bench, or
# with --rev from a clean `git archive REV`, as bench/rotation.sh does),
# starts ONE kvdeck-sim (seed demo, --fault latency,ms=MS (default 40):
# every request is answered MS late; --dns-delay (default 1000): a new
# vault is RegisteringDns that long before Succeeded; --rbac-delay
# (default 5000): a new role assignment grants that long after it was
# made), then creates --runs vaults (default 5) with each of, in turn:
#
#   kvdeck  kvdeck vault create NAME --subscription S -g rg-bench
#           -l westeurope --yes --json --log FILE   (one process: the
#           checks, then the plan: PUT the vault, wait for Succeeded,
#           assign Key Vault Secrets Officer, wait until a secret list
#           answers 200)
#   az      az keyvault create --enable-rbac-authorization true (waits for
#           Succeeded), the role assignment through `az rest` (Debian's az
#           2.45 cannot run `az role assignment create`, see
#           tests/conformance/test-az.sh), then `az rest` GETs of the secret
#           list, one after the other, until one succeeds
#
# Times are wall-clock. For kvdeck the log's stamps also give "apply →
# vault answers": from the plan's start to the answer of the first secret
# list that returned 200, and the requests the plan sent. The goal of the
# issue: apply → vault answers no more than the simulator's delays plus
# three round trips.
#
# Not part of make check. Loopback only (az goes through the simulator's
# CONNECT proxy). Prints a Markdown section; --write replaces
# "## Vault create" in bench/RESULTS.md. Exits 77 when az, curl or jq is
# missing (tests/conformance/install.sh installs them).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/_build-bench
rev=
runs=5 latency=40 dns_delay=1000 rbac_delay=5000 do_build=1 write=0 keep=0

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
    --dns-delay) dns_delay=$2; shift ;;
    --rbac-delay) rbac_delay=$2; shift ;;
    --no-build) do_build=0 ;;
    --write) write=1 ;;
    --keep) keep=1 ;;
    *) usage ;;
    esac
    shift
done
case $build in /*) ;; *) build=$PWD/$build ;; esac
[ "$runs" -gt 0 ] 2>/dev/null || usage

say() { echo "vault-create.sh: $*" >&2; }
die() { say "$*"; exit 1; }
skip() { say "SKIP: $*"; exit 77; }
for p in curl jq; do
    command -v $p >/dev/null 2>&1 || skip "$p is not installed (tests/conformance/install.sh)"
done
command -v az >/dev/null 2>&1 || skip "az CLI is not installed (tests/conformance/install.sh)"

work=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-vault-create.XXXXXX") || exit 1
chmod 700 "$work"
export LANG=C.UTF-8
unset LC_ALL LANGUAGE LC_MESSAGES
sim_pid=
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    if [ $keep = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM
now_ns() { date +%s%N; }

# ---- build ------------------------------------------------------------------
if [ -n "$rev" ]; then
    commit=$(git -C "$top" rev-parse --short "$rev^{commit}") || die "no commit $rev"
    build=$work/build
    say "building $commit from a clean export in $work/src"
    mkdir -p "$work/src" "$build"
    git -C "$top" archive "$commit" | tar -x -C "$work/src" || die "git archive failed"
    (cd "$work/src" && autoreconf -fi >"$work/autoreconf.log" 2>&1) || die "autoreconf failed"
    (cd "$build" && "$work/src/configure" --enable-werror >configure.log 2>&1) || die "configure failed"
    make -C "$build" -j"$(nproc)" src/kvdeck src/sim/kvdeck-sim >"$build/make.log" 2>&1 ||
        die "build failed, see $build/make.log"
elif [ $do_build = 1 ]; then
    if [ ! -f "$build/Makefile" ]; then
        mkdir -p "$build" && (cd "$build" && "$top/configure" --enable-werror >configure.log 2>&1) ||
            die "configure failed, see $build/configure.log"
    fi
    say "building kvdeck and kvdeck-sim in $build"
    make -C "$build" -j"$(nproc)" src/kvdeck src/sim/kvdeck-sim >"$build/bench-vault-make.log" 2>&1 ||
        die "build failed, see $build/bench-vault-make.log"
fi
KVDECK=$build/src/kvdeck
SIM=$build/src/sim/kvdeck-sim
[ -x "$KVDECK" ] && [ -x "$SIM" ] || die "$KVDECK or $SIM is not built"
t_script=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the simulator ----------------------------------------------------------
mkdir -p "$work/state"
"$SIM" --state-dir "$work/state" --listen 127.0.0.1:0 --seed demo \
    --fault "latency,ms=$latency" --dns-delay "$dns_delay" --rbac-delay "$rbac_delay" \
    >"$work/sim.out" 2>"$work/sim.err" </dev/null &
sim_pid=$!
line=
for _ in $(seq 1 300); do
    line=$(head -n 1 "$work/sim.out" 2>/dev/null)
    case $line in "ready "*) break ;; esac
    kill -0 "$sim_pid" 2>/dev/null || { tail "$work/sim.err" >&2; die "kvdeck-sim exited"; }
    sleep 0.1
done
case $line in "ready "*) ;; *) die "kvdeck-sim not ready within 30 s" ;; esac
CONN=${line#ready }
conn() { jq -r --arg k "$1" '.[$k] | if type == "array" then .[0] else tostring end' "$CONN"; }
CA=$(conn ca)
PROXY=$(conn proxy)
VRES=$(conn vault_resource)
SUB=$(conn subscriptions)
ARM=$(conn arm)
OID=$(conn client_object_id)
case $PROXY in http://127.*) ;; *) die "connection.json: proxy $PROXY is not on loopback" ;; esac

(
    umask 077
    {
        echo "cloud = $(conn cloud_file)"
        echo "ca-file = $CA"
        echo "tenant = $(conn tenant)"
        echo "client-id = $(conn client_id)"
        echo "client-secret = $(conn client_secret)"
    } >"$work/kvdeck.conf"
)
mkdir -p "$work/xdg/config" "$work/xdg/state" "$work/xdg/cache"
kvd() {
    env -u AZURE_TENANT_ID -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET \
        -u HTTPS_PROXY -u https_proxy -u HTTP_PROXY -u http_proxy -u ALL_PROXY -u all_proxy \
        XDG_CONFIG_HOME="$work/xdg/config" XDG_STATE_HOME="$work/xdg/state" \
        XDG_CACHE_HOME="$work/xdg/cache" KVDECK_JOURNAL="$work/journal.jsonl" \
        "$KVDECK" --config "$work/kvdeck.conf" "$@" </dev/null
}
client_env() {
    env -u ALL_PROXY -u all_proxy -u PYTHONPATH -u PYTHONHOME \
        -u AZURE_TENANT_ID -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET \
        REQUESTS_CA_BUNDLE="$CA" HTTPS_PROXY="$PROXY" https_proxy="$PROXY" \
        HTTP_PROXY="$PROXY" http_proxy="$PROXY" NO_PROXY=127.0.0.1 no_proxy=127.0.0.1 "$@"
}
export AZURE_CONFIG_DIR=$work/az AZURE_CORE_COLLECT_TELEMETRY=false AZURE_CORE_NO_COLOR=true
mkdir -p "$AZURE_CONFIG_DIR" && chmod 700 "$AZURE_CONFIG_DIR"
printf '{"versions":{"azure-cli":{"local":"2.45.0"},"core":{"local":"2.45.0"},"telemetry":{"local":"1.0.8"}},"update_time":"%s"}\n' \
    "$(date '+%Y-%m-%d %H:%M:%S.%6N')" >"$AZURE_CONFIG_DIR/versionCheck.json"
az_ver=$(client_env timeout 120 az version -o tsv --query '"azure-cli"' 2>/dev/null)
say "az $az_ver: custom cloud and service-principal sign-in"
client_env timeout 120 az cloud register -n kvsim --cloud-config @"$(conn cloud_file)" -o none 2>"$work/az.err" &&
    client_env timeout 120 az cloud set -n kvsim -o none 2>>"$work/az.err" &&
    client_env timeout 120 az login --service-principal -u "$(conn client_id)" \
        -p "$(conn client_secret)" --tenant "$(conn tenant)" -o none 2>>"$work/az.err" &&
    client_env timeout 120 az account set --subscription "$SUB" 2>>"$work/az.err" ||
    { cat "$work/az.err" >&2; die "az sign-in against the simulator failed"; }

rec() { echo "$1 $2" >>"$work/runs.txt"; }
: >"$work/runs.txt"

# ---- kvdeck -------------------------------------------------------------------
run_kvdeck() { # NAME [extra flags]
    local name=$1 t0 t1 rc logf=$work/kv.$1.log
    shift
    t0=$(now_ns)
    kvd --log "$logf" vault create "$name" --subscription "$SUB" -g rg-bench -l westeurope \
        --yes --json "$@" >"$work/kv.json" 2>"$work/kv.err"
    rc=$?
    t1=$(now_ns)
    [ $rc = 0 ] || { cat "$work/kv.err" >&2; die "kvdeck vault create $name exited $rc"; }
    jq -e '.outcome == "done"' "$work/kv.json" >/dev/null || { cat "$work/kv.json" >&2; die "kvdeck: not done"; }
    rec kv_ms $(((t1 - t0) / 1000000))
    # apply → vault answers: the plan's start to the first 200 of the data
    # plane's secret list; and the plan's requests
    awk '
        function ms(s,   a) { split(substr(s, 12, 12), a, ":"); return ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 }
        / plan: vault-create / { plan = ms($1) }
        plan && / http: < / { n++ }
        plan && / http: < GET .*vault\.localhost.*\/secrets.* -> 200 / && !done { done = ms($1); req = n }
        END { if (!done) exit 1; printf "kv_apply_ms %d\nkv_plan_req %d\n", (done - plan + 86400000) % 86400000, req }' \
        "$logf" >>"$work/runs.txt" || die "kvdeck's log has no answered secret list after the plan ($logf)"
}

# ---- az ----------------------------------------------------------------------
run_az() {
    local name=$1 t0 t1 id uri ra n=0
    t0=$(now_ns)
    client_env timeout 300 az keyvault create -g rg-bench -n "$name" -l westeurope \
        --enable-rbac-authorization true -o json >"$work/az.json" 2>"$work/az.err" ||
        { cat "$work/az.err" >&2; die "az keyvault create $name failed"; }
    id=$(jq -r .id "$work/az.json")
    uri=$(jq -r .properties.vaultUri "$work/az.json")
    ra=$(python3 -c 'import uuid; print(uuid.uuid4())')
    client_env timeout 120 az rest --method put \
        --url "${ARM%/}$id/providers/Microsoft.Authorization/roleAssignments/$ra?api-version=2022-04-01" \
        --body "{\"properties\":{\"roleDefinitionId\":\"/subscriptions/$SUB/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7\",\"principalId\":\"$OID\",\"principalType\":\"ServicePrincipal\"}}" \
        -o none 2>"$work/az.err" || { cat "$work/az.err" >&2; die "az rest (role assignment) failed"; }
    until client_env timeout 120 az rest --method get --url "${uri%/}/secrets?api-version=7.5&maxresults=1" \
        --resource "$VRES" -o none 2>"$work/az.err"; do
        grep -q ForbiddenByRbac "$work/az.err" || { cat "$work/az.err" >&2; die "az rest (secret list): not ForbiddenByRbac"; }
        n=$((n + 1))
        [ $n -lt 200 ] || die "the new vault never answered az"
    done
    t1=$(now_ns)
    rec az_ms $(((t1 - t0) / 1000000))
    rec az_polls $((n + 1))
}

say "warm-up: one untimed vault each (kvdeck creates the group rg-bench)"
run_kvdeck kv-bench-w1 --create-resource-group
run_az kv-bench-w2
: >"$work/runs.txt"
t_runs=$(date +%s)
for i in $(seq 1 "$runs"); do
    say "run $i of $runs"
    run_kvdeck "kv-bench-k$i"
    run_az "kv-bench-a$i"
done
t_runs=$(($(date +%s) - t_runs))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report -------------------------------------------------------------------
stats() { # KEY: "median min max all"
    awk -v k="$1" '$1 == k { print $2 }' "$work/runs.txt" | sort -n | awk '
        { v[NR] = $1 }
        END { if (NR == 0) { print "- - - -"; exit }
              m = NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2 + 0.5)
              all = v[1]; for (i = 2; i <= NR; i++) all = all ", " v[i]
              print m, v[1], v[NR], all }'
}
med() { stats "$1" | cut -d' ' -f1; }
row() { # LABEL KEY UNIT
    local m lo hi all
    read -r m lo hi all <<<"$(stats "$2")"
    echo "| $1 | $m$3 | $lo$3 | $hi$3 | $all |"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f", a / b; else print "-" }'; }
if [ -n "$rev" ]; then
    built="a clean export of commit $commit"
else
    commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')
    dirty=$(git -C "$top" status --porcelain -- src 2>/dev/null | head -n 1)
    built="the working tree at $commit${dirty:+ (with uncommitted changes under src/)}"
fi
m_apply=$(med kv_apply_ms)
delays=$((dns_delay + rbac_delay))
longest=$((dns_delay > rbac_delay ? dns_delay : rbac_delay))
goal=$((delays + 3 * latency))
met=no
[ "$m_apply" -le "$goal" ] 2>/dev/null && met=yes
section=$(
    echo "## Vault create"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/vault-create.sh$args\`, kvdeck and"
    echo "kvdeck-sim built from $built; $(nproc) cores, az $az_ver."
    echo "Load average before: $load_before, after: $load_after (a shared machine: wall-clock times)."
    echo "The $runs rounds took $t_runs s."
    echo
    echo "One \`kvdeck-sim --seed demo --fault latency,ms=$latency --dns-delay $dns_delay --rbac-delay $rbac_delay\`:"
    echo "every request answered $latency ms late; a new vault is RegisteringDns for $dns_delay ms"
    echo "before Succeeded; a new role assignment grants data access $rbac_delay ms after it was"
    echo "made. Each round creates one RBAC vault with kvdeck, then one with az, in group rg-bench."
    echo
    echo "| a new RBAC vault until its data plane answers the creator ($runs runs each) | median | min | max | all runs |"
    echo "|---|---|---|---|---|"
    row "kvdeck: \`kvdeck vault create NAME ... --yes --json\` (whole command)" kv_ms " ms"
    row "… kvdeck, apply (the plan's start) → vault answers (first 200 of a secret list)" kv_apply_ms " ms"
    row "… requests the plan sent until then" kv_plan_req ""
    row "az: \`az keyvault create\`, role assignment (\`az rest\`), \`az rest\` GETs until one succeeds" az_ms " ms"
    row "… az, secret-list attempts until the first success" az_polls ""
    echo
    echo "Ratio of the medians, az/kvdeck (whole command): **$(ratio "$(med az_ms)" "$(med kv_ms)")**."
    echo "The simulator's delays on the way: $dns_delay ms (DNS) + $rbac_delay ms (role propagation) ="
    echo "$delays ms. Issue #9's goal, apply → vault answers ≤ the delays + three round trips"
    echo "($delays + 3 x $latency = $goal ms): median $m_apply ms, **$met**. kvdeck assigns the role"
    echo "as soon as Azure accepted the vault's PUT, so the two delays overlap: the answer came"
    echo "$((m_apply - longest)) ms after the longer one ($longest ms) — the vault and role PUTs, the"
    echo "data plane's challenge and token, and at most one poll interval (250 ms while waiting)."
    echo
    echo "What kvdeck sent in its last run (from its --log; stamps are kvdeck's):"
    echo
    echo '```'
    grep -E 'http: <|plan: vault-create' "$work/kv.kv-bench-k$runs.log" |
        sed -n '/plan: vault-create/,$p' |
        sed -E -e 's/^[0-9-]+T([0-9:.]+)Z /\1 /' \
            -e 's/ \([0-9]+ bytes, ([0-9]+ ms), attempt [0-9]+.*\)/ (\1)/' \
            -e 's#https://[^ ]*vault\.localhost:[0-9]+#VAULT#' -e 's#https://127.0.0.1:[0-9]+#ARM#' \
            -e 's#/subscriptions/[0-9a-f-]+#/subscriptions/S#' -e 's/[0-9a-f]{8}-[0-9a-f-]{27}/GUID/g' \
            -e 's/\?api-version=[^ ]*//'
    echo '```'
)
echo "$section"
if [ $write = 1 ]; then
    python3 - "$top/bench/RESULTS.md" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
pat = re.compile(r"^## Vault create\n.*?(?=^## |\Z)", re.S | re.M)
text = pat.sub(lambda m: section + "\n\n", text) if pat.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
    say "wrote the section into bench/RESULTS.md"
fi
say "took $(($(date +%s) - t_script)) s"
