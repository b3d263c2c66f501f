#!/bin/bash
# bench/console-startup.sh — only the start-up part of bench/console.sh
# (issue #12): how long kvdeck takes from its exec to the first vault row
# and to all 2,000 vaults, and how much CPU it spends on that, without the
# 25,000-secret list, the bytes per step and az (minutes of the full
# bench). One command reruns it:
#
#   bench/console-startup.sh [-B BUILD_DIR]... [--runs N] [--callgrind] [--keep]
#
# BUILD_DIR (default _build-bench) must hold src/kvdeck and
# src/sim/kvdeck-sim, built already (this script does not build). With
# -B given twice (a before and an after), the runs alternate between the
# two kvdecks against the same simulators (the first one's), so that a
# busy machine's load falls on both alike; figures per build. Two
# simulators with the scale seed subs=20,vaults=100: A answers every
# request 40 ms late (--fault latency,ms=40), B at once. For each run
# kvdeck starts in a new 80x24 tmux session with a fresh XDG home and a
# config file naming the simulator (its CA through ca-file); the screen
# is polled (bench/console-screen.py) for the first vault row and for
# "Vaults (2000)"; the in-process marks come from KVDECK_BENCH; the CPU
# time of kvdeck (all threads) is read from /proc once the list is in.
# --callgrind adds one run under valgrind --tool=callgrind against B from
# the start until the vaults are listed, with the inclusive shares of the
# functions bench/console.sh reports. Prints one line per measure:
#   NAME median min-max (all runs)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bench_dir=$top/bench
builds=
runs=5 do_cg=0 keep=0
while [ $# -gt 0 ]; do
    case $1 in
    -B | --build-dir)
        case $2 in /*) builds="$builds $2" ;; *) builds="$builds $PWD/$2" ;; esac
        shift ;;
    --runs) runs=$2; shift ;;
    --callgrind) do_cg=1 ;;
    --keep) keep=1 ;;
    *) sed -n '8,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
    shift
done
[ -n "$builds" ] || builds=$top/_build-bench
say() { echo "console-startup.sh: $*" >&2; }
die() { say "$*"; exit 1; }
for p in tmux python3 jq; do
    command -v $p >/dev/null 2>&1 || die "$p is missing"
done
for b in $builds; do
    [ -x "$b/src/kvdeck" ] || die "$b/src/kvdeck is not built"
done
build=$(echo $builds | cut -d' ' -f1)
KVDECK=$build/src/kvdeck
SIM=$build/src/sim/kvdeck-sim
[ -x "$SIM" ] || die "$SIM is not built"
SCREEN="python3 $bench_dir/console-screen.py"

work=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-startup.XXXXXX") || exit 1
chmod 700 "$work"
sock=$work/tmux.sock
export LANG=C.UTF-8
unset LC_ALL LANGUAGE LC_MESSAGES
tm() { tmux -S "$sock" -f /dev/null "$@"; }
sims=
cleanup() {
    tm kill-server >/dev/null 2>&1
    for p in $sims; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    if [ $keep = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

sim_start() { # NAME SEED [OPTIONS...] -> CONN, SIM_PID
    local dir=$work/$1 seed=$2 line='' i
    shift 2
    mkdir -p "$dir"
    "$SIM" --state-dir "$dir/state" --listen 127.0.0.1:0 --seed "$seed" "$@" \
        >"$dir/sim.out" 2>"$dir/sim.err" </dev/null &
    SIM_PID=$!
    sims="$sims $SIM_PID"
    for i in $(seq 1 1200); do
        line=$(head -n 1 "$dir/sim.out" 2>/dev/null)
        case $line in "ready "*) break ;; esac
        kill -0 "$SIM_PID" 2>/dev/null || die "kvdeck-sim ($seed) exited"
        sleep 0.1
    done
    case $line in "ready "*) ;; *) die "kvdeck-sim not ready within 120 s" ;; esac
    CONN=${line#ready }
}
conn() { jq -r --arg k "$1" '.[$k] | tostring' "$CONN"; }
kv_config() { # FILE
    (
        umask 077
        {
            echo "cloud = $(conn cloud_file)"
            echo "ca-file = $(conn ca)"
            echo "tenant = $(conn tenant)"
            echo "client-id = $(conn client_id)"
            echo "client-secret = $(conn client_secret)"
        } >"$1"
    )
}
launch() { # NAME CONFIG [PREFIX...]
    local name=$1 cfg=$2
    shift 2
    rm -rf "$work/xdg"
    mkdir -p "$work/xdg/config" "$work/xdg/state" "$work/xdg/cache"
    cat >"$work/$name.sh" <<EOF
#!/bin/sh
export LANG=C.UTF-8 KVDECK_BENCH=$work/$name.inproc XDG_CONFIG_HOME=$work/xdg/config XDG_STATE_HOME=$work/xdg/state XDG_CACHE_HOME=$work/xdg/cache
unset LC_ALL LANGUAGE LC_MESSAGES AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET HTTPS_PROXY https_proxy HTTP_PROXY http_proxy ALL_PROXY all_proxy
echo \$\$ >"$work/$name.pid"
date +%s%N >"$work/$name.start"
exec $* "$KVDECK" --config "$cfg" 2>"$work/$name.err"
EOF
    chmod 700 "$work/$name.sh"
    rm -f "$work/$name.start" "$work/$name.pid"
}
watch() { # NAME [OPTIONS] MARKS...
    local name=$1
    shift
    $SCREEN --socket "$sock" --target "$name" --launch "exec $work/$name.sh" \
        --since "$work/$name.start" "$@"
}
quit() {
    local pid
    pid=$(cat "$work/$1.pid" 2>/dev/null)
    tm send-keys -t "$1" q 2>/dev/null
    for _ in $(seq 1 100); do
        [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    tm kill-session -t "$1" 2>/dev/null
}
ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{ printf "%d\n", ($14 + $15) * 1000 / t }' "/proc/$1/stat" 2>/dev/null; }

SEED=scale:subs=20,vaults=100
NV=2000
say "starting two simulators ($SEED; A with 40 ms latency, B without)"
sim_start simA "$SEED" --fault latency,ms=40
kv_config "$work/A.conf"
sim_start simB "$SEED"
kv_config "$work/B.conf"
tm new-session -d -s keep -x 80 -y 24 "sleep 100000"

: >"$work/runs.txt"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for i in $(seq 1 "$runs"); do
    k=0
    for KVDECK in $builds; do
    k=$((k + 1))
    KVDECK=$KVDECK/src/kvdeck
    for s in A B; do
        name=$s$k-$i
        launch "$name" "$work/$s.conf"
        out=$(watch "$name" --interval 0.01 --timeout 120 \
            "first_vault_row=^ ?kvs\d\dv\d{3}\b" "all_vaults=Vaults \($NV\)") ||
            { echo "$out" >&2; cat "$work/$name.err" >&2; die "run $name: the vaults did not load"; }
        pid=$(cat "$work/$name.pid")
        sleep 1
        {
            echo "$out" | grep -v capture_ms | sed "s/^/$k $s /"
            for m in first_vault_row all_vaults; do
                echo "$k $s inproc_$m $(awk -v m=$m '$1 == m { print $2 }' "$work/$name.inproc")"
            done
            echo "$k $s cpu_vaults $(cpu "$pid")"
        } >>"$work/runs.txt"
        quit "$name"
    done
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $runs runs each; load $load_before -> $load_after"
k=0
for b in $builds; do
k=$((k + 1))
echo "# build $k: $b"
for s in A B; do
    for m in first_vault_row all_vaults inproc_first_vault_row inproc_all_vaults cpu_vaults; do
        awk -v k=$k -v s=$s -v m=$m '$1 == k && $2 == s && $3 == m && $4 != "" { print $4 }' "$work/runs.txt" | sort -n |
            awk -v l="$k $s $m" '{ v[NR] = $1 } END {
                if (NR == 0) { print l, "-"; exit }
                m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                a = v[1]; for (i = 2; i <= NR; i++) a = a ", " v[i]
                printf "%s %d ms %d-%d (%s)\n", l, m, v[1], v[NR], a }'
    done
done
done

if [ $do_cg = 1 ]; then
    command -v valgrind >/dev/null 2>&1 || die "valgrind is not installed"
    say "kvdeck under callgrind listing the $NV vaults (simulator B)"
    mkdir -p "$work/cg"
    KVDECK=$(echo $builds | awk '{ print $NF }')/src/kvdeck
    say "(the last build given: $KVDECK)"
    launch c "$work/B.conf" valgrind --tool=callgrind --callgrind-out-file="$work/cg/load.%p"
    watch c --interval 0.5 --timeout 600 "all_vaults=Vaults \($NV\)" >/dev/null ||
        die "callgrind: the vaults did not load"
    sleep 1
    quit c
    for _ in $(seq 1 100); do
        f=$(ls "$work"/cg/load.* 2>/dev/null | head -n 1)
        [ -n "$f" ] && grep -q '^totals:' "$f" && break
        sleep 0.2
    done
    python3 "$bench_dir/console-cg.py" "$f" worker_main app_run SSL_do_handshake \
        PEM_X509_INFO_read_bio X509_STORE_add_cert json_parse az_vault_decode json_pretty \
        store_apply frame_render | awk '
        $1 == "totals" { t = $2; print "callgrind Ir", t; next }
        { printf "callgrind %s calls %s incl %s (%.1f%%)\n", $1, $2, $3, t ? 100 * $3 / t : 0 }'
fi
