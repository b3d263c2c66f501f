#!/bin/bash
# bench/sim-throughput.sh — request throughput of kvdeck-sim on this machine.
#
# Starts a fresh simulator (seed demo, private temp state dir, 127.0.0.1:0),
# gets an ARM and a vault token from its token endpoint with curl, then runs
# wrk for a fixed time against:
#   1. the token endpoint   POST {login}{tenant}/oauth2/v2.0/token (client credentials)
#   2. ARM vault list       GET  {arm}subscriptions/{s}/providers/Microsoft.KeyVault/vaults
#   3. data-plane list      GET  https://{vault}.vault.localhost:{port}/secrets
#   4. data-plane get       GET  https://{vault}.vault.localhost:{port}/secrets/{name}/
# Loopback only. wrk connects to 127.0.0.1 and sends the vault's Host header
# (wrk cannot resolve *.localhost). Prints a Markdown table; with --append it
# also replaces the "## kvdeck-sim throughput" section of bench/RESULTS.md.
#
# Usage: bench/sim-throughput.sh [--append] [--duration SECONDS]
#        [--connections N] [--threads N]
# Environment: KVSIM_BIN (default _build/src/sim/kvdeck-sim),
# KVSIM_BENCH_ARGS (extra simulator options).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
append=0
duration=10
conns=16
threads=2
while [ $# -gt 0 ]; do
    case $1 in
    --append) append=1 ;;
    --duration) duration=$2; shift ;;
    --connections) conns=$2; shift ;;
    --threads) threads=$2; shift ;;
    *) echo "usage: $0 [--append] [--duration S] [--connections N] [--threads N]" >&2; exit 2 ;;
    esac
    shift
done
for t in wrk curl jq; do
    command -v $t >/dev/null 2>&1 || { echo "sim-throughput: $t is not installed" >&2; exit 77; }
done

# Reuse the conformance suite's launcher (fresh sim, waits for "ready").
top_srcdir=$top
top_builddir=${top_builddir:-$top/_build}
. "$top/tests/conformance/lib.sh"
sim_start ${KVSIM_BENCH_ARGS:-}

PORT=$(conn_get port)
ARM=$(conn_get arm)
LOGIN=$(conn_get login)
TENANT=$(conn_get tenant)
CA=$(conn_get ca)
AUD=$(conn_get arm_audience)
VRES=$(conn_get vault_resource)
SUBS=$(conn_get subscriptions)
SUB=${SUBS%% *}
W=$conf_work

# Form bodies live in private files, never on a command line.
form() { # form FILE SCOPE
    jq -rn --arg id "$(conn_get client_id)" --arg sec "$(conn_get client_secret)" --arg sc "$2" \
        '"grant_type=client_credentials&client_id=\($id|@uri)&client_secret=\($sec|@uri)&scope=\($sc|@uri)"' >"$1"
}
form "$W/arm.form" "${AUD%/}/.default"
form "$W/vault.form" "${VRES%/}/.default"
token() { # token FORMFILE
    curl -sS --fail --cacert "$CA" --noproxy '*' -H 'Content-Type: application/x-www-form-urlencoded' \
        --data-binary @"$1" "${LOGIN%/}/$TENANT/oauth2/v2.0/token" | jq -r .access_token
}
ARM_TOKEN=$(token "$W/arm.form")
VAULT_TOKEN=$(token "$W/vault.form")
[ -n "$ARM_TOKEN" ] && [ "$ARM_TOKEN" != null ] || conf_die "no ARM token from the simulator"
[ -n "$VAULT_TOKEN" ] && [ "$VAULT_TOKEN" != null ] || conf_die "no vault token from the simulator"

# The seeded vault with the most secrets is the data-plane target.
VAULT_LIST="${ARM%/}/subscriptions/$SUB/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01"
curl -sS --fail --cacert "$CA" --noproxy '*' -H "Authorization: Bearer $ARM_TOKEN" "$VAULT_LIST" >"$W/vaults.json" ||
    conf_die "vault list failed"
nvaults=$(jq '.value | length' "$W/vaults.json")
best= bestn=-1
for uri in $(jq -r '.value[].properties.vaultUri' "$W/vaults.json"); do
    c=$(curl -sS --cacert "$CA" --noproxy '*' -H "Authorization: Bearer $VAULT_TOKEN" \
        "${uri%/}/secrets?api-version=7.4&maxresults=25" | jq '.value | length')
    [ "${c:-0}" -gt "$bestn" ] && { best=$uri; bestn=$c; }
done
[ -n "$best" ] || conf_die "the demo seed has no vault in subscription $SUB"
VHOST=${best#https://}
VHOST=${VHOST%/}
SECRET=$(curl -sS --cacert "$CA" --noproxy '*' -H "Authorization: Bearer $VAULT_TOKEN" \
    "${best%/}/secrets?api-version=7.4" | jq -r '.value[0].id | split("/") | last')

cat >"$W/req.lua" <<'EOF'
-- wrk request script: method, headers and body from the environment.
local function slurp(path)
    local f = assert(io.open(path, "rb"))
    local s = f:read("*a")
    f:close()
    return s
end
wrk.method = os.getenv("KVB_METHOD") or "GET"
local tok = os.getenv("KVB_TOKEN")
if tok and tok ~= "" then wrk.headers["Authorization"] = "Bearer " .. tok end
local host = os.getenv("KVB_HOST")
if host and host ~= "" then wrk.headers["Host"] = host end
local body = os.getenv("KVB_BODY")
if body and body ~= "" then
    wrk.body = slurp(body)
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
EOF

# the machine's load before this script adds its own
load=$(cut -d' ' -f1-3 /proc/loadavg)
rows=
# bench NAME URL METHOD TOKEN HOST BODYFILE
bench() {
    echo "# $1 ($duration s, $threads threads, $conns connections)" >&2
    KVB_METHOD=$3 KVB_TOKEN=$4 KVB_HOST=$5 KVB_BODY=$6 \
        wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -s "$W/req.lua" "$2" >"$W/wrk.out" 2>&1
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$W/wrk.out")
    p50=$(awk '$1 == "50%" { print $2 }' "$W/wrk.out")
    p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk.out")
    total=$(awk '/requests in/ { print $1 }' "$W/wrk.out")
    # wrk prints this line only when some answers were not 2xx/3xx
    bad=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$W/wrk.out")
    codes="all 2xx"
    [ -n "$bad" ] && codes="$bad non-2xx/3xx"
    errs=$(awk '/Socket errors/ { print }' "$W/wrk.out")
    [ -n "$rps" ] || { cat "$W/wrk.out" >&2; conf_die "wrk failed on $1"; }
    rows="$rows| $1 | $rps | $p50 | $p99 | $total | ${codes:-?}${errs:+; $errs} |
"
}
DP="https://127.0.0.1:$PORT"
bench "token (client credentials)" "${LOGIN%/}/$TENANT/oauth2/v2.0/token" POST "" "" "$W/arm.form"
bench "ARM vault list ($nvaults vaults)" "$VAULT_LIST" GET "$ARM_TOKEN" "" ""
bench "data plane secret list ($bestn secrets)" "$DP/secrets?api-version=7.4" GET "$VAULT_TOKEN" "$VHOST" ""
bench "data plane secret get" "$DP/secrets/$SECRET/?api-version=7.4" GET "$VAULT_TOKEN" "$VHOST" ""

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
section="## kvdeck-sim throughput

Measured $(date -u '+%Y-%m-%d %H:%M UTC') on this machine ($(nproc) cores, ${cpu:-unknown CPU}),
kvdeck-sim of commit $(git -C "$top" log -1 --format=%h -- src/sim 2>/dev/null || echo '?') with seed demo and no faults,
wrk $threads threads / $conns connections / $duration s per endpoint, HTTPS on 127.0.0.1 (wrk
and the simulator share the $(nproc) cores; load average before the run: $load).
Data-plane calls go to 127.0.0.1 with the vault's Host header ($VHOST).

| endpoint | requests/s | p50 | p99 | requests | HTTP statuses |
|---|---|---|---|---|---|
${rows}
Rerun: \`bench/sim-throughput.sh --append\` (needs wrk, curl, jq and a built
_build/src/sim/kvdeck-sim; KVSIM_BIN overrides the binary).
"
printf '%s\n' "$section"
if [ $append = 1 ]; then
    f=$top/bench/RESULTS.md
    # Drop an earlier copy of this section (up to the next "## " heading).
    awk '/^## kvdeck-sim throughput$/ { skip = 1; next } /^## / { skip = 0 } !skip' "$f" >"$W/results.md"
    # Exactly one blank line between the previous content and this section.
    sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$W/results.md" >"$f"
    [ -s "$f" ] && echo >>"$f"
    printf '%s' "$section" >>"$f"
    echo "# appended to $f" >&2
fi
