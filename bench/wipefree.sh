#!/bin/bash
# bench/wipefree.sh — what the process-wide wiping free() costs
# (src/base/wipefree.c, issue #11): instructions (callgrind, all threads;
# repeatable on a shared machine, unlike wall time) of one
# `kvdeck secret list` of a 25,000-secret vault of kvdeck-sim, with
# BUILD_DIR's src/kvdeck and with the same objects linked without
# wipefree.o (glibc's free). Loopback only; not part of make check.
#
#   bench/wipefree.sh [BUILD_DIR]     (default _build; must be built)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/_build}" && pwd)
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 77; }
work=$(mktemp -d /tmp/kvdeck-wipefree.XXXXXX)
sim_pid=
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# the link line of src/kvdeck without wipefree.o
link=$(make -s -n -C "$build" src/kvdeck -W "$top/src/kvdeck.c" | grep -o "[^;]* -o src/kvdeck .*" | head -1)
case $link in *wipefree.o*) ;; *) echo "src/kvdeck has no wipefree.o (a sanitizer build?)" >&2; exit 1 ;; esac
(cd "$build" && eval "$(echo "$link" | sed "s| src/base/kvdeck-wipefree.o||; s|-o src/kvdeck |-o $work/kvdeck-plain |")")
mkdir "$work/state"
"$build/src/sim/kvdeck-sim" --state-dir "$work/state" --listen 127.0.0.1:0 \
    --seed scale:subs=1,vaults=2,bigvault=25000 >"$work/sim.out" 2>"$work/sim.err" </dev/null &
sim_pid=$!
for _ in $(seq 300); do grep -q '^ready ' "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
conn=$(sed -n 's/^ready //p' "$work/sim.out")
j() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$conn" "$1"; }
(umask 077; printf 'cloud = %s\nca-file = %s\ntenant = %s\nclient-id = %s\nclient-secret = %s\n' \
    "$(j cloud_file)" "$(j ca)" "$(j tenant)" "$(j client_id)" "$(j client_secret)" >"$work/kvdeck.conf")
for bin in "$build/src/kvdeck" "$work/kvdeck-plain"; do
    env -u AZURE_TENANT_ID -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET -u HTTPS_PROXY -u https_proxy \
        XDG_CONFIG_HOME="$work/x" XDG_STATE_HOME="$work/x" XDG_CACHE_HOME="$work/x" \
        KVDECK_JOURNAL="$work/journal" valgrind --tool=callgrind \
        --callgrind-out-file="$work/cg.out" "$bin" --config "$work/kvdeck.conf" \
        secret list kvs00v000 </dev/null >"$work/out" 2>"$work/cg.err"
    printf '%s: %s secrets listed, %s instructions\n' "${bin##*/}" "$(wc -l <"$work/out")" \
        "$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/cg.err")"
done
