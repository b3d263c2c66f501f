#!/bin/bash
# bench/rotation.sh — a secret rotation, applied and verified, by kvdeck,
# by az rest and by the Azure SDK for Python, against one kvdeck-sim with
# added latency; and the CPU time of a key press in a wizard form
# (issue #7, "Performance"). One command reruns everything:
#
#   bench/rotation.sh [-B BUILD_DIR | --rev REV] [--runs N] [--latency MS]
#                     [--keys N] [--no-build] [--write] [--keep]
#                     [--max-minutes M]
#
# Builds kvdeck, kvdeck-sim and bench/form-keys first: in BUILD_DIR
# (default _build-bench, configured like bench/console.sh's if it has no
# Makefile: --enable-werror, CFLAGS -g -O2) from the working tree, or with
# --rev from a clean `git archive REV` in the work dir (the figures then
# belong to that commit, not to whatever is being edited; the bench
# scripts themselves come from the working tree). Then it starts ONE
# kvdeck-sim (seed demo, --fault latency,ms=MS, default 40: every request,
# token requests included, is answered MS late) and rotates a secret of vault
# kv-contoso-ai-prod (its own secret per client, made first with content
# type and tags) --runs times (default 10) with each of, in turn:
#
#   kvdeck  kvdeck secret rotate VAULT NAME --generate alnum:40
#           --retire-old now --yes --json  (one process: reads the latest
#           version for the review, then the plan re-reads it, PUTs,
#           GETs and compares, PATCHes the old version enabled=false)
#   az      four `az rest` processes: GET latest, PUT the new value
#           (content type and tags carried over, rotated-at, expiry in 90
#           days; the body from a 0600 file), GET the new version and
#           compare with cmp, PATCH the old version enabled=false
#   python  bench/rotation-sdk.py, one process: SecretClient get_secret,
#           set_secret, get_secret (compare), update_secret_properties
#           (enabled=False), ClientSecretCredential
#
# Each time is wall-clock, from just before the first process starts to
# just after the last one ended, checked (exit status, the value read back
# equals the value written, the old version disabled). The simulator's
# request counters (GET /_sim/requests, not delayed or counted itself) are
# read before and after each rotation. A fourth set of kvdeck runs with
# --log gives the in-process phases (from the plan's start to the
# verified read-back and to the old version disabled) and the request
# sequence. az is signed in once before (a user's cached token, as in
# bench/console.sh); one untimed warm-up rotation per client comes first.
# Then bench/form-keys feeds --keys key presses (default 10,000) to a
# 9-field form on a curses screen on /dev/null (see bench/form-keys.c).
#
# Not part of make check. Loopback only: kvdeck talks to 127.0.0.1 and
# *.vault.localhost; az and Python go through the simulator's own CONNECT
# proxy (HTTPS_PROXY), which answers those names itself. Prints a Markdown
# section; --write replaces "## Rotation" in bench/RESULTS.md (only that
# section). Exits 77 when az, the Azure SDK for Python (Debian's
# python3-azure, run by /usr/bin/python3), curl or jq is missing
# (tests/conformance/install.sh installs them).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bench_dir=$top/bench
build=$top/_build-bench
rev=
runs=10 latency=40 keys=10000 do_build=1 write=0 keep=0 max_min=40
PY=${KVBENCH_PYTHON:-/usr/bin/python3}

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
    --keys) keys=$2; shift ;;
    --no-build) do_build=0 ;;
    --write) write=1 ;;
    --keep) keep=1 ;;
    --max-minutes) max_min=$2; shift ;;
    *) usage ;;
    esac
    shift
done
case $build in /*) ;; *) build=$PWD/$build ;; esac
[ "$runs" -gt 0 ] 2>/dev/null || usage

say() { echo "rotation.sh: $*" >&2; }
die() { say "$*"; exit 1; }
skip() { say "SKIP: $*"; exit 77; }
for p in curl jq cmp; do
    command -v $p >/dev/null 2>&1 || skip "$p is not installed (tests/conformance/install.sh)"
done
command -v az >/dev/null 2>&1 || skip "az CLI is not installed (tests/conformance/install.sh: apt-get install azure-cli)"
[ -x "$PY" ] || skip "$PY not found (Debian's python3, which python3-azure is for; KVBENCH_PYTHON overrides)"
"$PY" -c 'import azure.identity, azure.keyvault.secrets' 2>/dev/null ||
    skip "the Azure SDK for Python is not importable by $PY (tests/conformance/install.sh: apt-get install python3-azure)"

# ---- work dir, watchdog, cleanup ----------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-rotation.XXXXXX") || exit 1
chmod 700 "$work"
export LANG=C.UTF-8
unset LC_ALL LANGUAGE LC_MESSAGES
sim_pid=
watchdog=
cleanup() {
    if [ -n "$sim_pid" ]; then
        kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    fi
    [ -n "$watchdog" ] && kill $(pgrep -P "$watchdog") "$watchdog" 2>/dev/null
    if [ $keep = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM
(sleep $((max_min * 60)) && say "time limit of $max_min minutes reached" && kill -TERM $$) &
watchdog=$!
now_ns() { date +%s%N; }

# ---- build ------------------------------------------------------------------
locked() { # run under the project's build-system lock when flock exists
    if command -v flock >/dev/null 2>&1; then
        flock /tmp/kvdeck-regen.lock "$@"
    else
        "$@"
    fi
}
if [ -n "$rev" ]; then
    commit=$(git -C "$top" rev-parse --short "$rev^{commit}") || die "no commit $rev"
    build=$work/build
    say "building $commit from a clean export in $work/src"
    mkdir -p "$work/src" "$build"
    git -C "$top" archive "$commit" | tar -x -C "$work/src" || die "git archive failed"
    (cd "$work/src" && autoreconf -fi >"$work/autoreconf.log" 2>&1) || die "autoreconf failed, see $work/autoreconf.log"
    (cd "$build" && "$work/src/configure" --enable-werror >configure.log 2>&1) || die "configure failed, see $build/configure.log"
    make -C "$build" -j"$(nproc)" src/kvdeck src/sim/kvdeck-sim bench/form-keys >"$build/bench-make.log" 2>&1 ||
        die "build failed, see $build/bench-make.log"
elif [ $do_build = 1 ]; then
    if [ ! -f "$build/Makefile" ]; then
        say "configuring $build"
        mkdir -p "$build" &&
            (cd "$build" && locked "$top/configure" --enable-werror >configure.log 2>&1) ||
            die "configure failed, see $build/configure.log"
    fi
    say "building kvdeck, kvdeck-sim and bench/form-keys in $build"
    locked make -C "$build" -j"$(nproc)" src/kvdeck src/sim/kvdeck-sim bench/form-keys \
        >"$build/bench-rotation-make.log" 2>&1 ||
        die "build failed, see $build/bench-rotation-make.log"
fi
KVDECK=$build/src/kvdeck
SIM=$build/src/sim/kvdeck-sim
FORMKEYS=$build/bench/form-keys
[ -x "$KVDECK" ] && [ -x "$SIM" ] && [ -x "$FORMKEYS" ] ||
    die "$KVDECK, $SIM or $FORMKEYS is not built (make -C $build src/kvdeck src/sim/kvdeck-sim bench-form)"
cflags=$(sed -n 's/^CFLAGS = //p' "$build/Makefile" 2>/dev/null)
xcflags=$(sed -n 's/^KV_EXTRA_CFLAGS = *//p' "$build/Makefile" 2>/dev/null)

t_script=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the simulator ----------------------------------------------------------
mkdir -p "$work/state"
"$SIM" --state-dir "$work/state" --listen 127.0.0.1:0 --seed demo \
    --fault "latency,ms=$latency" >"$work/sim.out" 2>"$work/sim.err" </dev/null &
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
conn() { jq -r --arg k "$1" '.[$k] | if type == "array" then join(" ") else tostring end' "$CONN"; }
CA=$(conn ca)
PORT=$(conn port)
PROXY=$(conn proxy)
VRES=$(conn vault_resource)
VAULT=kv-contoso-ai-prod
VURI="https://$VAULT$(conn vault_dns_suffix):$PORT"
API=7.4
case $PROXY in http://127.*) ;; *) die "connection.json: proxy $PROXY is not on loopback" ;; esac

# counters FILE: the simulator's request counters now (control requests are
# neither counted nor delayed).
counters() {
    curl -sS --fail --cacert "$CA" --noproxy '*' "https://127.0.0.1:$PORT/_sim/requests" >"$1" ||
        die "cannot read the simulator's request counters"
}
# delta BEFORE AFTER: "total token other_login vault_get vault_put
# vault_patch other_vault arm graph": requests between the two snapshots
# (token: POSTs to the login endpoints; other_login: e.g. discovery GETs)
delta() {
    jq -rn --slurpfile a "$1" --slurpfile b "$2" '
        def m($o; $k; $m): $o.by_area[$k][$m] // 0;
        def area($o; $k): [$o.by_area[$k] | to_entries[] | select(.key != "writes") | .value] | add // 0;
        ($a[0]) as $a | ($b[0]) as $b |
        def d(f): (($b | f) - ($a | f));
        [ d(.total),
          d(m(.; "login"; "POST")),
          d(area(.; "login") - m(.; "login"; "POST")),
          d(m(.; "vault"; "GET")),
          d(m(.; "vault"; "PUT")),
          d(m(.; "vault"; "PATCH")),
          d(area(.; "vault") - m(.; "vault"; "GET") - m(.; "vault"; "PUT") - m(.; "vault"; "PATCH")),
          d(area(.; "arm")),
          d(area(.; "graph")) ] | map(tostring) | join(" ")'
}

# ---- the clients' set-up ------------------------------------------------------
# kvdeck: a config file (0600: it holds the simulator's test client secret),
# private XDG dirs and journal; no proxy.
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
kvd() {
    env -u AZURE_TENANT_ID -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET \
        -u HTTPS_PROXY -u https_proxy -u HTTP_PROXY -u http_proxy -u ALL_PROXY -u all_proxy \
        XDG_CONFIG_HOME="$work/xdg/config" XDG_STATE_HOME="$work/xdg/state" \
        XDG_CACHE_HOME="$work/xdg/cache" KVDECK_JOURNAL="$work/journal.jsonl" \
        $wrap "$KVDECK" --config "$work/kvdeck.conf" "$@" </dev/null
}
mkdir -p "$work/xdg/config" "$work/xdg/state" "$work/xdg/cache"
wrap= # a command to run the clients under (strace, below)

# az and Python: trust the simulator's CA, everything through its proxy.
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
# the simulator's generated test credential, loopback only
client_env timeout 120 az cloud register -n kvsim --cloud-config @"$(conn cloud_file)" -o none 2>"$work/az.err" &&
    client_env timeout 120 az cloud set -n kvsim -o none 2>>"$work/az.err" &&
    client_env timeout 120 az login --service-principal -u "$(conn client_id)" \
        -p "$(conn client_secret)" --tenant "$(conn tenant)" -o none 2>>"$work/az.err" ||
    { cat "$work/az.err" >&2; die "az sign-in against the simulator failed"; }
sdk_ver=$("$PY" -c 'from importlib.metadata import version as v; print("azure-keyvault-secrets %s, azure-identity %s, azure-core %s" % (v("azure-keyvault-secrets"), v("azure-identity"), v("azure-core")))' 2>/dev/null)
py_ver=$("$PY" -c 'import platform; print(platform.python_version())')

# A vault token for the checks after each rotation (az's, read once).
VTOKEN=$(client_env timeout 120 az account get-access-token --resource "$VRES" --query accessToken -o tsv 2>>"$work/az.err")
[ -n "$VTOKEN" ] || { cat "$work/az.err" >&2; die "az account get-access-token failed"; }

# The secrets to rotate, one per client so that their versions do not mix.
for s in kvdeck az python kvlog; do
    kvd secret set "$VAULT" "bench-$s" --generate alnum:40 --content-type "text/plain; api-key" \
        --tags team=ai rotation-days=90 --yes >"$work/set.out" 2>&1 ||
        { cat "$work/set.out" >&2; die "kvdeck secret set bench-$s failed"; }
done

# ---- one rotation per client ----------------------------------------------------
# Each appends "KEY VALUE" lines to $work/runs.txt (KEY: kvdeck_ms,
# kvdeck_req, ...); a failed check ends the script.
rec() { echo "$1 $2" >>"$work/runs.txt"; }

# versions_ok NAME OLD NEW: OLD disabled and NEW enabled (untimed check)
versions_ok() {
    local url="$VURI/secrets/$1/versions?api-version=$API&maxresults=25" n=0
    : >"$work/versions.txt"
    # a disabled version cannot be read (403 SecretDisabled): its
    # attributes come from the list of versions, page by page
    while [ -n "$url" ] && [ "$url" != null ] && [ $n -lt 100 ]; do
        curl -sS --cacert "$CA" --noproxy '*' -H "Authorization: Bearer $VTOKEN" "$url" \
            >"$work/versions.json" || return 1
        jq -r '.value[] | "\(.id | split("/") | last) \(.attributes.enabled)"' "$work/versions.json" \
            >>"$work/versions.txt" || return 1
        url=$(jq -r '.nextLink // empty' "$work/versions.json")
        n=$((n + 1))
    done
    grep -qx "$2 false" "$work/versions.txt" && grep -qx "$3 true" "$work/versions.txt"
}

run_kvdeck() { # $1: "" (timed) or "log" (with --log, phases)
    local name=bench-kvdeck out=$work/kv.json t0 t1 rc old new d logf=
    [ "$1" = log ] && { name=bench-kvlog; logf=$work/kvlog.$2.txt; }
    wrap= kvd secret show "$VAULT" "$name" --json >"$out" 2>"$work/kv.err" || die "kvdeck secret show failed"
    old=$(jq -r .version "$out")
    counters "$work/c0.json"
    t0=$(now_ns)
    kvd ${logf:+--log "$logf"} secret rotate "$VAULT" "$name" --generate alnum:40 --retire-old now --yes --json \
        >"$out" 2>"$work/kv.err"
    rc=$?
    t1=$(now_ns)
    counters "$work/c1.json"
    [ $rc = 0 ] || { cat "$work/kv.err" >&2; die "kvdeck secret rotate exited $rc"; }
    jq -e '.outcome == "done" and .verified == true' "$out" >/dev/null ||
        { cat "$out" >&2; die "kvdeck: not done and verified"; }
    new=$(jq -r .secret.version "$out")
    versions_ok "$name" "$old" "$new" || die "kvdeck: old version $old not disabled or new $new not enabled"
    d=$(delta "$work/c0.json" "$work/c1.json")
    if [ "$1" = log ]; then
        rec kvlog_ms $(((t1 - t0) / 1000000))
        rec kvlog_req "$d"
        # phases from the log's millisecond stamps: process's first line,
        # plan start, verified (the read-back's answer), old version
        # disabled (the PATCH's answer)
        # (UTC milliseconds of the day, as date's stamps before and after)
        awk -v t0="$t0" -v t1="$t1" '
            function ms(s,   a) { # 2026-12-05T17:30:59.835Z -> ms of the day
                split(substr(s, 12, 12), a, ":"); return ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 }
            function day(ns,   x) { x = substr(ns, 1, length(ns) - 6); return x % 86400000 }
            function diff(a, b) { return (b - a + 86400000) % 86400000 }
            NR == 1 { first = ms($1) }
            / plan: rotate / { plan = ms($1); n = 0 }
            plan && / http: < / { n++; if (n == 3) ver = ms($1); if (n == 4) done = ms($1) }
            END { printf "kvlog_start %d\nkvlog_first_to_plan %d\nkvlog_plan_to_verified %d\n", diff(day(t0), first), diff(first, plan), diff(plan, ver)
                  printf "kvlog_plan_to_disabled %d\nkvlog_exit %d\n", diff(plan, done), diff(done, day(t1)) }' \
            "$logf" >>"$work/runs.txt"
    else
        rec kvdeck_ms $(((t1 - t0) / 1000000))
        rec kvdeck_req "$d"
    fi
}

# az rest against the data plane with the vault resource's token (cached)
azr() { client_env timeout 120 $wrap az rest --resource "$VRES" -o json "$@" 2>>"$work/az.err"; }

run_az() {
    local name=bench-az t0 t1 ta tb tc old new d
    rm -f "$work/az.err"
    counters "$work/c0.json"
    t0=$(now_ns)
    # 1. the latest version
    azr --method get --url "$VURI/secrets/$name/?api-version=$API" >"$work/az-cur.json" ||
        { cat "$work/az.err" >&2; die "az rest GET failed"; }
    ta=$(now_ns)
    old=$(jq -r '.id | split("/") | last' "$work/az-cur.json")
    # 2. the new version: generated value, content type and tags carried over
    (
        umask 077
        LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40 >"$work/az-value"
        jq --rawfile v "$work/az-value" --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
            --argjson exp $(($(date +%s) + 90 * 86400)) \
            '{value: $v, contentType: .contentType, tags: ((.tags // {}) + {"rotated-at": $at}),
              attributes: {exp: $exp}}' "$work/az-cur.json" >"$work/az-body.json"
    )
    azr --method put --url "$VURI/secrets/$name?api-version=$API" --body @"$work/az-body.json" \
        >"$work/az-new.json" || { cat "$work/az.err" >&2; die "az rest PUT failed"; }
    tb=$(now_ns)
    new=$(jq -r '.id | split("/") | last' "$work/az-new.json")
    # 3. read it back and compare
    azr --method get --url "$VURI/secrets/$name/$new?api-version=$API" >"$work/az-back.json" ||
        { cat "$work/az.err" >&2; die "az rest GET of the new version failed"; }
    jq -j .value "$work/az-back.json" | cmp -s - "$work/az-value" || die "az: the value read back differs"
    tc=$(now_ns)
    # 4. disable the old version
    azr --method patch --url "$VURI/secrets/$name/$old?api-version=$API" \
        --body '{"attributes":{"enabled":false}}' >"$work/az-old.json" ||
        { cat "$work/az.err" >&2; die "az rest PATCH failed"; }
    jq -e '.attributes.enabled == false' "$work/az-old.json" >/dev/null || die "az: the old version is still enabled"
    t1=$(now_ns)
    counters "$work/c1.json"
    rm -f "$work/az-value" "$work/az-body.json" "$work/az-new.json" "$work/az-back.json"
    versions_ok "$name" "$old" "$new" || die "az: old version $old not disabled or new $new not enabled"
    d=$(delta "$work/c0.json" "$work/c1.json")
    rec az_ms $(((t1 - t0) / 1000000))
    rec az_verified_ms $(((tc - t0) / 1000000))
    rec az_proc_ms $(((t1 - t0) / 4000000))
    rec az_req "$d"
    : "$ta" "$tb"
}

run_python() {
    local name=bench-python t0 t1 rc d
    counters "$work/c0.json"
    t0=$(now_ns)
    client_env $wrap "$PY" -B "$bench_dir/rotation-sdk.py" "$CONN" "$VURI/" "$name" 40 \
        >"$work/py.out" 2>"$work/py.err"
    rc=$?
    t1=$(now_ns)
    counters "$work/c1.json"
    [ $rc = 0 ] || { cat "$work/py.err" >&2; die "rotation-sdk.py exited $rc"; }
    # import_ms=… first_ms=… verified_ms=… done_ms=… old=… new=…
    local kv
    declare -A p
    for kv in $(cat "$work/py.out"); do p[${kv%%=*}]=${kv#*=}; done
    versions_ok "$name" "${p[old]}" "${p[new]}" || die "python: old version not disabled or new not enabled"
    d=$(delta "$work/c0.json" "$work/c1.json")
    rec py_ms $(((t1 - t0) / 1000000))
    rec py_req "$d"
    awk -v i="${p[import_ms]}" -v f="${p[first_ms]}" -v v="${p[verified_ms]}" -v e="${p[done_ms]}" \
        'BEGIN { printf "py_import_ms %.0f\npy_first_to_verified %.0f\npy_first_to_done %.0f\n", i, v - f, e - f }' \
        >>"$work/runs.txt"
}

# What starting a process costs on this machine, measured the same way.
for _ in 1 2 3 4 5 6 7 8 9 10; do
    t0=$(now_ns)
    /bin/true
    rec true_ms $((($(now_ns) - t0) / 1000000))
done

say "warm-up: one untimed rotation per client"
grep '^true_ms ' "$work/runs.txt" >"$work/true.txt"
run_kvdeck "" && run_kvdeck log 0 && run_az && run_python
cp "$work/true.txt" "$work/runs.txt"
t_runs=$(date +%s)
for i in $(seq 1 "$runs"); do
    say "run $i of $runs"
    run_kvdeck ""
    run_az
    run_python
    run_kvdeck log "$i"
done
t_runs=$(($(date +%s) - t_runs))
cp "$work/kvlog.1.txt" "$work/kvlog.sample.txt"

# TCP connections opened during one more (untimed) rotation each, when
# strace is there: to the simulator's port (kvdeck) or to its proxy (az,
# Python: one CONNECT tunnel per connection).
conns_kv=- conns_az=- conns_py=-
if command -v strace >/dev/null 2>&1; then
    say "one more rotation each under strace (connections)"
    pport=${PROXY##*:}
    pport=${pport%%/*}
    nconn() { cat "$work"/strace."$1".* 2>/dev/null | grep -c "connect(.*htons($2)"; }
    cp "$work/runs.txt" "$work/runs.save"
    wrap="strace -f -ff -qq -e trace=connect -o $work/strace.kv"
    run_kvdeck "" && conns_kv=$(nconn kv "$PORT")
    wrap="strace -f -ff -qq -e trace=connect -o $work/strace.az"
    run_az && conns_az=$(nconn az "$pport")
    wrap="strace -f -ff -qq -e trace=connect -o $work/strace.py"
    run_python && conns_py=$(nconn py "$pport")
    wrap=
    mv "$work/runs.save" "$work/runs.txt" # not part of the figures
fi

# ---- the form ------------------------------------------------------------------
say "form-keys: $keys key presses"
"$FORMKEYS" --keys "$keys" >"$work/form.txt" 2>&1 || { cat "$work/form.txt" >&2; die "form-keys failed"; }
fk() { sed -n "s/^$1=//p" "$work/form.txt"; }
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
t_total=$(($(date +%s) - t_script))

# ---- report -------------------------------------------------------------------
# stats KEY: "median min max all,runs" over the runs (integers)
stats() {
    awk -v k="$1" '$1 == k { print $2 }' "$work/runs.txt" | sort -n | awk '
        { v[NR] = $1 }
        END { if (NR == 0) { print "- - - -"; exit }
              m = NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2 + 0.5)
              all = v[1]; for (i = 2; i <= NR; i++) all = all ", " v[i]
              print m, v[1], v[NR], all }'
}
med() { stats "$1" | cut -d' ' -f1; }
mn() { stats "$1" | cut -d' ' -f2; }
row() { # LABEL KEY
    local m lo hi all
    read -r m lo hi all <<<"$(stats "$2")"
    echo "| $1 | $m ms | $lo ms | $hi ms | $all |"
}
# requests KEY: the request counts of the runs, "N (token a, GET b, PUT c,
# PATCH d[, others])" when every run sent the same, else the totals seen
requests() {
    local uniq
    uniq=$(awk -v k="$1" '$1 == k { $1 = ""; print substr($0, 2) }' "$work/runs.txt" | sort -u)
    if [ "$(printf '%s\n' "$uniq" | wc -l)" = 1 ]; then
        read -r tot lp lo vg vp vpa vo arm gr <<<"$uniq"
        local extra=
        [ "$lo" != 0 ] && extra="$extra, other login $lo"
        [ "$vo" != 0 ] && extra="$extra, other vault $vo"
        [ "$arm" != 0 ] && extra="$extra, ARM $arm"
        [ "$gr" != 0 ] && extra="$extra, Graph $gr"
        echo "$tot (token $lp, GET $vg, PUT $vp, PATCH $vpa$extra)"
    else
        echo "varied: $(printf '%s\n' "$uniq" | awk '{ print $1 }' | sort -n | uniq | tr '\n' ' ')(see --keep)"
    fi
}
reqn() { awk -v k="$1" '$1 == k { print $2 }' "$work/runs.txt" | sort -n | uniq | tr '\n' '/' | sed 's:/$::'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f", a / b; else print "-" }'; }

if [ -n "$rev" ]; then
    built="a clean export of commit $commit"
else
    commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')
    dirty=$(git -C "$top" status --porcelain -- src 2>/dev/null | head -n 1)
    built="the working tree at $commit${dirty:+ (with uncommitted changes under src/)}, build dir $(basename "$build")"
fi
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
memg=$(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
osv=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
ncv=$(ls /usr/lib/*/libncursesw.so.6.* 2>/dev/null | head -n 1 | sed 's/.*\.so\.//')
curlv=$(curl --version | awk 'NR == 1 { print $2 }')
m_kv=$(med kvdeck_ms) m_az=$(med az_ms) m_py=$(med py_ms)
n_kv=$(mn kvdeck_ms) n_az=$(mn az_ms) n_py=$(mn py_ms)
floor=$((4 * latency))
m_plan=$(med kvlog_plan_to_disabled)
m_planv=$(med kvlog_plan_to_verified)
kv_req=$(reqn kvdeck_req)
goal5=no
awk -v a="$m_az" -v k="$m_kv" 'BEGIN { exit !(a >= 5 * k) }' && goal5=yes
goal_rt_cmd=no goal_rt_plan=no
[ "$m_kv" -le $((floor + latency)) ] 2>/dev/null && goal_rt_cmd=yes
[ "$m_plan" -le $((floor + latency)) ] 2>/dev/null && goal_rt_plan=yes

section=$(
    echo "## Rotation"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/rotation.sh$args\`,"
    echo "kvdeck, kvdeck-sim and bench/form-keys built from $built"
    echo "(CFLAGS ${cflags:-?}${xcflags:+ $xcflags}); $osv, kernel $(uname -r),"
    echo "$(nproc) cores ${cpu:-unknown CPU}, $memg GiB RAM, libcurl $curlv, ncursesw $ncv;"
    echo "az $az_ver; Python $py_ver with $sdk_ver (Debian's python3-azure)."
    echo "Load average before: $load_before, after: $load_after (other work was running on the"
    echo "same cores: wall-clock times on a shared machine). The $runs rounds took $t_runs s, all of it $t_total s."
    echo
    echo "One \`kvdeck-sim --seed demo --fault latency,ms=$latency\`: every request, token requests"
    echo "included, is answered $latency ms late. Each client rotates its own secret of"
    echo "$VAULT (content type and two tags, made first); the rounds interleave the clients"
    echo "(kvdeck, az, Python, kvdeck with --log), after one untimed warm-up rotation each."
    echo "A time runs from just before the first process starts to just after the last one"
    echo "ends; every rotation is checked afterwards (value read back = value written, old"
    echo "version disabled, new one enabled). Requests: the simulator's counters"
    echo "(\`GET /_sim/requests\`) before and after each rotation."
    echo
    echo "| one rotation, until verified and the old version disabled ($runs runs each) | median | min | max | all runs |"
    echo "|---|---|---|---|---|"
    row "kvdeck: \`kvdeck secret rotate $VAULT NAME --generate alnum:40 --retire-old now --yes --json\`" kvdeck_ms
    row "az: 4 x \`az rest\` (GET latest, PUT, GET new version + cmp, PATCH old enabled=false)" az_ms
    row "… az, up to the compare (3 processes)" az_verified_ms
    row "… az, per process (total / 4)" az_proc_ms
    row "Python: bench/rotation-sdk.py (get_secret, set_secret, get_secret, update_secret_properties)" py_ms
    row "… Python, interpreter start + imports" py_import_ms
    row "… Python, first request → verified (in the script)" py_first_to_verified
    row "… Python, first request → old version disabled (in the script)" py_first_to_done
    row "\`/bin/true\`, timed the same way (what starting any process costs here)" true_ms
    row "kvdeck with --log: the whole command" kvlog_ms
    row "… kvdeck, process start → first log line (exec, configuration, TLS set-up)" kvlog_start
    row "… kvdeck, first log line → plan start (challenge, token, the review's read)" kvlog_first_to_plan
    row "… kvdeck, plan start (apply) → verified" kvlog_plan_to_verified
    row "… kvdeck, plan start (apply) → old version disabled" kvlog_plan_to_disabled
    row "… kvdeck, PATCH answered → process ended (journal, report, exit)" kvlog_exit
    echo
    echo "| requests per rotation (simulator counters) | requests |"
    echo "|---|---|"
    echo "| kvdeck | $(requests kvdeck_req) |"
    echo "| az (4 processes) | $(requests az_req) |"
    echo "| Python | $(requests py_req) |"
    echo "| floor: re-read, PUT, GET, PATCH | 4 (4 x $latency ms = $floor ms) |"
    echo
    if [ "$conns_kv" != - ]; then
        echo "TCP connections opened in one more rotation each (strace, untimed): kvdeck $conns_kv"
        echo "(each a TLS handshake with the simulator), az $conns_az and Python $conns_py (CONNECT"
        echo "tunnels through the simulator's proxy, each with its TLS handshake inside)."
        echo
    fi
    echo "Ratios of the medians: az/kvdeck = **$(ratio "$m_az" "$m_kv")**, Python/kvdeck = **$(ratio "$m_py" "$m_kv")**"
    echo "(of the minimums: $(ratio "$n_az" "$n_kv") and $(ratio "$n_py" "$n_kv"))."
    echo "Issue #7's goals: kvdeck ≥ 5x faster than the az sequence: **$goal5** ($(ratio "$m_az" "$m_kv")x)."
    echo "Within one round trip of the minimum of 4 round trips ($floor ms + $latency ms = $((floor + latency)) ms):"
    echo "the plan itself, apply → old version disabled, median $m_plan ms: **$goal_rt_plan**"
    echo "(apply → verified $m_planv ms); the whole command, median $m_kv ms: **$goal_rt_cmd** —"
    echo "it sends $kv_req requests, the floor 4."
    echo
    echo "| a key press in the wizard form (\`bench/form-keys --keys $keys\`) | CPU time |"
    echo "|---|---|"
    echo "| mean per key: screen_key + screen_render + doupdate (process CPU / keys) | $(fk cpu_per_key_us) µs |"
    echo "| per key, thread CPU: median / p99 / max | $(fk thread_cpu_median_us) / $(fk thread_cpu_p99_us) / $(fk thread_cpu_max_us) µs |"
    echo "| wall time per key (mean) | $(fk wall_per_key_us) µs |"
    echo "| the form model alone (form_feed, no drawing), mean per key | $(fk model_only_cpu_per_key_us) µs |"
    echo
    echo "The form: $(fk fields) fields shaped like the rotate wizard's (an info line, choices,"
    echo "text fields whose checks run on every key, a no-echo secret field, a checkbox) on"
    echo "a widget_form_push() screen, $(fk size) $(fk term) on /dev/null (drawn as a $(fk box));"
    echo "$(fk keys) keys after $(fk warmup) warm-up keys, from a $(fk script_keys)-key script that types,"
    echo "deletes, moves the cursor, cycles choices, toggles the checkbox and tabs through all"
    echo "fields and buttons. Each key goes as the console's loop sends it: screen_key()"
    echo "(form_feed, the field's check, refit), screen_render(), the cursor, doupdate(). The"
    echo "panes below are not redrawn (a key on a form leaves them alone). Goal \"well under"
    echo "1 ms of CPU\": $(awk -v u="$(fk cpu_per_key_us)" 'BEGIN { print (u < 1000 ? "**yes**" : "**no**") }')."
    echo
    echo "What kvdeck sent in one rotation (from the --log of round 1; stamps are kvdeck's):"
    echo
    echo '```'
    grep -E 'http: [<>]|plan: rotate|client: challenge' "$work/kvlog.sample.txt" |
        sed -E -e 's/^[0-9-]+T([0-9:.]+)Z /\1 /' -e 's/ \(attempt.*client request id [^)]*\)//' \
            -e 's/ \([0-9]+ bytes, ([0-9]+ ms), attempt [0-9]+.*\)/ (\1)/' \
            -e 's#https://[^ ]*vault\.localhost:[0-9]+#VAULT#' -e "s#https://127.0.0.1:[0-9]+#LOGIN#" \
            -e 's/tenant [0-9a-f-]+ scope [^ ]+/…/' -e 's/[0-9a-f]{32}/VERSION/g' -e 's/rotate [0-9a-f-]+/rotate/'
    echo '```'
    echo
    echo "Caveats: the simulator adds its latency once per HTTP request; TCP and TLS"
    echo "handshakes cost no added latency here (on a real link each new connection costs"
    echo "one to three more round trips), nor does the CONNECT through the simulator's proxy"
    echo "that az and Python use. az reads its vault token from its cache (signed in before);"
    echo "kvdeck and the Python script sign in anew in every process (client secret, no"
    echo "token cache on disk); Python's \"other login\" request is MSAL's GET of the tenant's"
    echo ".well-known/openid-configuration. az and Python times include Python's start-up and imports"
    echo "for every process; the az sequence also runs jq and cmp between the calls, as a"
    echo "script would. Figures from a shared 2-core machine: compare ratios from the same run."
    echo
    echo "Rerun: \`bench/rotation.sh --rev HEAD --write\` (or without --rev: the working tree"
    echo "in _build-bench; --runs N, --latency MS). Needs az, Debian's python3-azure for"
    echo "/usr/bin/python3, curl and jq (tests/conformance/install.sh); strace for the"
    echo "connection counts (optional)."
)
printf '%s\n' "$section"
if [ $write = 1 ]; then
    f=$top/bench/RESULTS.md
    awk '/^## Rotation$/ { skip = 1; next } /^## / { skip = 0 } !skip' "$f" >"$work/results.md"
    sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$work/results.md" >"$f"
    [ -s "$f" ] && echo >>"$f"
    printf '%s\n' "$section" >>"$f"
    say "wrote the Rotation section of $f"
fi
