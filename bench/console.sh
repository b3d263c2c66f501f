#!/bin/bash
# bench/console.sh — the console against kvdeck-sim's scale seed, measured
# from outside (issue #4). One command reruns everything:
#
#   bench/console.sh [-B BUILD_DIR | --rev REV] [--runs N] [--az-runs N]
#                    [--no-az] [--no-callgrind] [--no-build] [--write]
#                    [--keep] [--max-minutes M]
#
# Builds kvdeck and kvdeck-sim first: in BUILD_DIR (default _build-bench,
# configured if needed, from the working tree), or with --rev from a clean
# `git archive REV` in the work dir (the figures then belong to that commit
# and not to whatever is being edited).
#
# Part 1, simulator A: seed scale:subs=20,vaults=100,bigvault=25000 (2,000
# vaults, kvs00v000 with 25,000 secrets) and `--fault latency,ms=40` (every
# request answered 40 ms late). --runs times (default 5): kvdeck starts in
# a new 80x24 tmux session; the screen is polled with `tmux capture-pane`
# for the first vault row and for "Vaults (2000)"; then `:vault kvs00v000`
# Enter is typed and the screen is polled for the first secret row and for
# "Secrets of kvs00v000 (25000)". VmRSS/VmHWM and the CPU time of kvdeck
# and of the simulator are read from /proc after each list is in. After
# each such run, kvdeck lists the same 2,000 vaults from simulator B (no
# latency) as a reference. In the first run the raw bytes kvdeck writes to its
# terminal are counted with `tmux pipe-pane -O` while `j` is pressed
# (rows-1 steps inside the first page, the number of visible rows read
# from the screen, then 200 steps that scroll the list) and PgDn 20 times. Interleaved with those runs (--az-runs, default 3): 20 x
# `az keyvault list --subscription S` one after the other, then the same 20
# started at once, against the same simulator.
#
# Part 2, simulator B: seed scale:...,bigvault=100000, no faults. kvdeck
# opens kvs00v000 (100,000 secrets) by its config file; RSS and bytes per
# step are measured as above. Then kvdeck runs under
# `valgrind --tool=callgrind --instr-atstart=no`; once the list is loaded,
# instrumentation is switched on and `callgrind_control -z/-d` brackets
# an idle period, 50 and 250 `j` presses (each one scrolls the list) and
# rows-1 `k` presses inside the page. A last run under callgrind profiles
# kvdeck from its start until the 2,000 vaults are listed. Instructions per key press = (Ir(250) -
# Ir(50)) / 200, all threads of the process, user space.
#
# Not part of make check. Loopback only (both simulators listen on
# 127.0.0.1; az's stray HTTPS goes to the simulator's own CONNECT proxy).
# Prints a Markdown section; --write replaces "## Console" in
# bench/RESULTS.md (only that section). Needs tmux, python3, jq; az and
# valgrind for their parts (skipped with a note when missing).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bench_dir=$top/bench
build=$top/_build-bench
rev=
runs=5 az_runs=3 do_az=1 do_cg=1 do_build=1 write=0 keep=0 max_min=45

usage() {
    sed -n '4,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
args=${*:+ $*}
while [ $# -gt 0 ]; do
    case $1 in
    -B | --build-dir) build=$2; shift ;;
    --rev) rev=$2; shift ;;
    --runs) runs=$2; shift ;;
    --az-runs) az_runs=$2; shift ;;
    --no-az) do_az=0 ;;
    --no-callgrind) do_cg=0 ;;
    --no-build) do_build=0 ;;
    --write) write=1 ;;
    --keep) keep=1 ;;
    --max-minutes) max_min=$2; shift ;;
    *) usage ;;
    esac
    shift
done
case $build in /*) ;; *) build=$PWD/$build ;; esac
[ "$az_runs" -gt 0 ] 2>/dev/null || do_az=0

say() { echo "console.sh: $*" >&2; }
die() { say "$*"; exit 1; }
for p in tmux python3 jq; do
    command -v $p >/dev/null 2>&1 || die "$p is missing"
done

# ---- work dir, watchdog, cleanup ----------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-bench.XXXXXX") || exit 1
chmod 700 "$work"
sock=$work/tmux.sock
export LANG=C.UTF-8
unset LC_ALL LANGUAGE LC_MESSAGES
tm() { tmux -S "$sock" -f /dev/null "$@"; }
sims=
watchdog=
cleanup() {
    tm kill-server >/dev/null 2>&1
    for p in $sims; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    [ -n "$watchdog" ] && kill $(pgrep -P "$watchdog") "$watchdog" 2>/dev/null
    if [ $keep = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM
# Every wait below has its own limit; this bounds the whole run.
(sleep $((max_min * 60)) && say "time limit of $max_min minutes reached" && kill -TERM $$) &
watchdog=$!
now_ms() { date +%s%3N; }

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
    make -C "$build" -j"$(nproc)" src/kvdeck src/sim/kvdeck-sim >"$build/bench-make.log" 2>&1 ||
        die "build failed, see $build/bench-make.log"
elif [ $do_build = 1 ]; then
    if [ ! -f "$build/Makefile" ]; then
        say "configuring $build"
        mkdir -p "$build" &&
            (cd "$build" && locked "$top/configure" --enable-werror >configure.log 2>&1) ||
            die "configure failed, see $build/configure.log"
    fi
    say "building kvdeck and kvdeck-sim in $build"
    locked make -C "$build" -j"$(nproc)" src/kvdeck src/sim/kvdeck-sim >"$build/bench-make.log" 2>&1 ||
        die "build failed, see $build/bench-make.log"
fi
KVDECK=$build/src/kvdeck
SIM=$build/src/sim/kvdeck-sim
[ -x "$KVDECK" ] && [ -x "$SIM" ] || die "$KVDECK or $SIM is not built"
SCREEN="python3 $bench_dir/console-screen.py"

t_script=$(now_ms)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# sim_start NAME SEED [OPTIONS...]: starts a simulator in $work/NAME;
# sets CONN and adds its pid to $sims.
sim_start() {
    local dir=$work/$1 seed=$2 line='' i
    shift 2
    mkdir -p "$dir"
    "$SIM" --state-dir "$dir/state" --listen 127.0.0.1:0 --seed "$seed" "$@" \
        >"$dir/sim.out" 2>"$dir/sim.err" </dev/null &
    local pid=$!
    sims="$sims $pid"
    for i in $(seq 1 1200); do
        line=$(head -n 1 "$dir/sim.out" 2>/dev/null)
        case $line in "ready "*) break ;; esac
        kill -0 "$pid" 2>/dev/null || { tail "$dir/sim.err" >&2; die "kvdeck-sim ($seed) exited"; }
        sleep 0.1
    done
    case $line in "ready "*) ;; *) die "kvdeck-sim ($seed) not ready within 120 s" ;; esac
    CONN=${line#ready }
    SIM_PID=$pid
}
conn() { jq -r --arg k "$1" '.[$k] | if type == "array" then join(" ") else tostring end' "$CONN"; }

# kv_config FILE [EXTRA LINE]: a config file for kvdeck against $CONN (0600:
# it holds the simulator's client secret, kept out of argv).
kv_config() {
    (
        umask 077
        {
            echo "cloud = $(conn cloud_file)"
            echo "ca-file = $(conn ca)"
            echo "tenant = $(conn tenant)"
            echo "client-id = $(conn client_id)"
            echo "client-secret = $(conn client_secret)"
            [ -n "${2:-}" ] && echo "$2"
        } >"$1"
    )
}

# launch NAME CONFIG [PREFIX...]: prepares $work/NAME.sh, which runs kvdeck
# (optionally under PREFIX, e.g. valgrind); watch starts it in a new 80x24
# tmux session NAME. $work/NAME.start gets the wall-clock ns just before
# the exec, $work/NAME.pid the process id.
launch() {
    local name=$1 cfg=$2
    shift 2
    cat >"$work/$name.sh" <<EOF
#!/bin/sh
export LANG=C.UTF-8 KVDECK_BENCH=$work/$name.inproc XDG_CONFIG_HOME=$work/xdg/config XDG_STATE_HOME=$work/xdg/state XDG_CACHE_HOME=$work/xdg/cache
unset LC_ALL LANGUAGE LC_MESSAGES AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET HTTPS_PROXY https_proxy HTTP_PROXY http_proxy ALL_PROXY all_proxy
echo "\$TERM" >"$work/$name.term"
echo \$\$ >"$work/$name.pid"
date +%s%N >"$work/$name.start"
exec $* "$KVDECK" --config "$cfg" 2>"$work/$name.err"
EOF
    chmod 700 "$work/$name.sh"
    rm -f "$work/$name.start" "$work/$name.pid"
}
# watch NAME [OPTIONS] MARKS...: starts the session NAME prepared by launch
# (through console-screen.py's control client, attached beforehand, so the
# first capture is not late) and waits for the MARKS
watch() {
    local name=$1
    shift
    $SCREEN --socket "$sock" --target "$name" --launch "exec $work/$name.sh" \
        --since "$work/$name.start" "$@"
}
# quit NAME: q, then wait (10 s) for the process to end
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
cpu() { # PID -> user+system CPU time of all its threads so far, ms
    awk -v t="$ticks" '{ printf "%d\n", ($14 + $15) * 1000 / t }' "/proc/$1/stat" 2>/dev/null
}
mem() { # PID FIELD -> KiB
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}
val() { awk -v k="$2" '$1 == k { print $2 }' "$1" 2>/dev/null; }
screen() { tm capture-pane -p -t "$1"; }

# steps NAME KEY N PACE: presses KEY N times (PACE s apart, so each press is
# a loop turn of its own) while the pane's output is piped to $work/NAME.raw;
# prints bytes per press.
steps() {
    local raw=$work/$1.raw before after
    sleep 0.5
    before=$(stat -c %s "$raw")
    for _ in $(seq 1 "$3"); do
        tm send-keys -t "$1" "$2"
        sleep "$4"
    done
    sleep 0.7
    after=$(stat -c %s "$raw")
    echo $(((after - before) / $3))
}
# rows NAME: "VISIBLE TOP" of the secrets list on screen: how many secret
# rows the pane shows and the name of the first (rows are "│▸ secret-NNNNN";
# the detail pane's "Detail: secret-..." lines do not match)
rows() {
    screen "$1" | python3 -c '
import re, sys
r = [m.group(1) for m in (re.search(r"│\S?\s*(secret-\d{5})\b", l) for l in sys.stdin) if m]
print(len(r), r[0] if r else "-")'
}
# bytes NAME: the whole bytes-per-step protocol on a freshly opened list
# (cursor on the first row). Sets B_ROWS (visible rows), B_IDLE, B_INPAGE
# (B_ROWS - 1 presses inside the page), B_SCROLL (200 presses, each
# scrolling by a row), B_PGDN and B_CHECK (what the screen showed).
bytes() {
    local raw=$work/$1.raw s top0 top1 top2
    : >"$raw"
    tm pipe-pane -O -t "$1" "cat >>'$raw'"
    sleep 0.5
    s=$(stat -c %s "$raw")
    sleep 3
    B_IDLE=$(($(stat -c %s "$raw") - s))
    read -r B_ROWS top0 <<<"$(rows "$1")"
    B_INPAGE=$(steps "$1" j $((B_ROWS - 1)) 0.05)
    read -r _ top1 <<<"$(rows "$1")"
    B_SCROLL=$(steps "$1" j 200 0.05)
    read -r _ top2 <<<"$(rows "$1")"
    B_CHECK="$B_ROWS rows visible; top row $top0, after $((B_ROWS - 1)) j $top1, after 200 more $top2"
    B_PGDN=$(steps "$1" NPage 20 0.05)
    tm pipe-pane -t "$1"
}

# ==== part 1: simulator A, 40 ms latency ============================================
SEED_A=scale:subs=20,vaults=100,bigvault=25000
NV=2000 NS=25000
say "starting kvdeck-sim (seed $SEED_A, latency 40 ms)"
sim_start simA "$SEED_A" --fault latency,ms=40
simA=$SIM_PID
CONN_A=$CONN
cfgA=$work/kvdeck-A.conf
kv_config "$cfgA"
SUBS=$(conn subscriptions)
CLOUD=$(conn cloud_file)
CA=$(conn ca)
PROXY=$(conn proxy)
# Simulator B: the same data but 100,000 secrets in kvs00v000, no faults
SEED_B=scale:subs=20,vaults=100,bigvault=100000
NB=100000
say "starting kvdeck-sim (seed $SEED_B, no faults)"
sim_start simB "$SEED_B"
simB=$SIM_PID
cfgB=$work/kvdeck-B.conf
kv_config "$cfgB" "vault = kvs00v000"
kv_config "$work/kvdeck-B0.conf"
mkdir -p "$work/xdg/config" "$work/xdg/state" "$work/xdg/cache"
tm new-session -d -s keep -x 80 -y 24 "sleep 100000" # keeps the server up

# az: own config dir, signed in once (the token is cached for every run)
CONN=$CONN_A
az_ok=0 az_ver=
if [ $do_az = 1 ]; then
    if command -v az >/dev/null 2>&1; then
        export AZURE_CONFIG_DIR=$work/az AZURE_CORE_COLLECT_TELEMETRY=false
        export AZURE_CORE_NO_COLOR=true REQUESTS_CA_BUNDLE=$CA
        export HTTPS_PROXY=$PROXY https_proxy=$PROXY NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
        mkdir -p "$AZURE_CONFIG_DIR"
        printf '{"versions":{"azure-cli":{"local":"2.45.0"},"core":{"local":"2.45.0"},"telemetry":{"local":"1.0.8"}},"update_time":"%s"}\n' \
            "$(date '+%Y-%m-%d %H:%M:%S.%6N')" >"$AZURE_CONFIG_DIR/versionCheck.json"
        az_ver=$(timeout 120 az version -o tsv --query '"azure-cli"' 2>/dev/null)
        # the simulator's generated test credential, loopback only
        if timeout 120 az cloud register -n kvsim --cloud-config @"$CLOUD" -o none 2>"$work/az.err" &&
            timeout 120 az cloud set -n kvsim -o none 2>>"$work/az.err" &&
            timeout 120 az login --service-principal -u "$(conn client_id)" \
                -p "$(conn client_secret)" --tenant "$(conn tenant)" -o none 2>>"$work/az.err"; then
            az_ok=1
        else
            say "az sign-in failed; az part skipped"
            cat "$work/az.err" >&2
        fi
    else
        say "az not installed; az part skipped"
    fi
fi
# az_list SUB: vault count of one subscription on stdout
az_list() {
    timeout 120 az keyvault list --subscription "$1" --query 'length(@)' -o tsv 2>>"$work/az.err"
}
az_run() { # I: sequential then parallel; appends to $work/az.txt
    local t0 t1 n total=0 s
    t0=$(now_ms)
    for s in $SUBS; do
        n=$(az_list "$s")
        total=$((total + ${n:-0}))
    done
    t1=$(now_ms)
    echo "az_seq $((t1 - t0)) $total" >>"$work/az.txt"
    rm -f "$work"/azp.*
    local pids=
    t0=$(now_ms)
    for s in $SUBS; do
        az_list "$s" >"$work/azp.$s" &
        pids="$pids $!"
    done
    for s in $pids; do wait "$s"; done
    t1=$(now_ms)
    total=$(cat "$work"/azp.* | awk '{ s += $1 } END { print s + 0 }')
    echo "az_par $((t1 - t0)) $total" >>"$work/az.txt"
}

: >"$work/runs.txt"
: >"$work/az.txt"
: >"$work/b0.txt"
bytes_a=
for i in $(seq 1 "$runs"); do
    name=a$i
    say "run $i/$runs: kvdeck, 2,000 vaults, then kvs00v000"
    sim0=$(cpu "$simA")
    launch "$name" "$cfgA"
    out=$(watch "$name" --interval 0.01 --timeout 120 \
        "first_vault_row=^ ?kvs\d\dv\d{3}\b" "all_vaults=Vaults \($NV\)") ||
        { echo "$out" >&2; cat "$work/$name.err" >&2; die "run $i: the vaults did not load"; }
    pid=$(cat "$work/$name.pid")
    sleep 1
    rss_v=$(mem "$pid" VmRSS) cpu_v=$(cpu "$pid") sim1=$(cpu "$simA")
    tm send-keys -t "$name" -l ':vault kvs00v000'
    sleep 0.3
    out2=$($SCREEN --socket "$sock" --target "$name" --send Enter --interval 0.01 --interval2 0.1 --timeout 300 \
        "first_secret_row=secret-\d{5}" "all_secrets=Secrets of kvs00v000 \($NS\)") ||
        { echo "$out2" >&2; die "run $i: the secrets did not load"; }
    sleep 1
    rss_s=$(mem "$pid" VmRSS) hwm_s=$(mem "$pid" VmHWM) cpu_s=$(cpu "$pid") sim2=$(cpu "$simA")
    {
        echo "$out" | sed "s/^/$i /"
        echo "$out2" | sed "s/^/$i /;s/^$i capture_ms/$i capture2_ms/"
        for k in first_vault_row all_vaults; do
            echo "$i inproc_$k $(val "$work/$name.inproc" "$k")"
        done
        echo "$i rss_vaults $rss_v"
        echo "$i rss_secrets $rss_s"
        echo "$i hwm_secrets $hwm_s"
        echo "$i cpu_vaults $cpu_v"
        echo "$i cpu_secrets $((cpu_s - cpu_v))"
        echo "$i simcpu_vaults $((sim1 - sim0))"
        echo "$i simcpu_secrets $((sim2 - sim1))"
    } >>"$work/runs.txt"
    if [ "$i" = 1 ]; then
        bytes "$name"
        bytes_a="$B_IDLE $B_INPAGE $B_SCROLL $B_PGDN"
        check_a=$B_CHECK
    fi
    quit "$name"
    # the same 2,000 vaults without injected latency: what is not latency
    say "run $i/$runs: kvdeck, 2,000 vaults without latency (simulator B)"
    sim0=$(cpu "$simB")
    launch "b0$i" "$work/kvdeck-B0.conf"
    out=$(watch "b0$i" --interval 0.01 --timeout 120 \
        "first_vault_row=^ ?kvs\d\dv\d{3}\b" "all_vaults=Vaults \($NV\)") ||
        { echo "$out" >&2; die "no-latency run $i: the vaults did not load"; }
    pid=$(cat "$work/b0$i.pid")
    sleep 1
    {
        echo "$out" | sed "s/^/$i /"
        echo "$i cpu_vaults $(cpu "$pid")"
        echo "$i simcpu_vaults $(($(cpu "$simB") - sim0))"
    } >>"$work/b0.txt"
    quit "b0$i"
    if [ $az_ok = 1 ] && [ "$i" -le "$az_runs" ]; then
        say "run $i/$az_runs: az keyvault list x 20, in sequence and at once"
        az_run
    fi
done
TERM_IN=$(cat "$work/a1.term" 2>/dev/null)

# ==== part 2: simulator B, the 100,000-row list ==========================================

say "kvdeck on the 100,000-row list (RSS, bytes per step)"
launch b1 "$cfgB"
outb=$(watch b1 --interval 0.1 --timeout 600 \
    "all_secrets=Secrets of kvs00v000 \($NB\)") || { echo "$outb" >&2; die "the 100,000 secrets did not load"; }
sleep 1
pid=$(cat "$work/b1.pid")
rss_b=$(mem "$pid" VmRSS) hwm_b=$(mem "$pid" VmHWM)
load_b=$(echo "$outb" | awk '$1 == "all_secrets" { print $2 }')
bytes b1
bytes_b="$B_IDLE $B_INPAGE $B_SCROLL $B_PGDN"
check_b=$B_CHECK
quit b1

cg_note="not measured (--no-callgrind)"
cg=
if [ $do_cg = 1 ] && ! command -v callgrind_control >/dev/null 2>&1; then
    cg_note="not measured (valgrind is not installed)"
elif [ $do_cg = 1 ]; then
    say "kvdeck under callgrind on the 100,000-row list"
    mkdir -p "$work/cg"
    launch c1 "$cfgB" valgrind --tool=callgrind --instr-atstart=no \
        --callgrind-out-file="$work/cg/out.%p"
    outc=$(watch c1 --interval 0.5 --timeout 900 \
        "all_secrets=Secrets of kvs00v000 \($NB\)") || { echo "$outc" >&2; die "callgrind: the list did not load"; }
    cpid=$(cat "$work/c1.pid")
    cgc() { timeout 60 callgrind_control "$@" "$cpid" >/dev/null 2>>"$work/cg.err"; }
    # phase NAME: zero, run the rest of the arguments, dump; parses the dump
    phase() {
        local name=$1 f
        shift
        cgc -z
        "$@"
        sleep 1.5
        cgc -d
        sleep 0.5
        f=$(ls -v "$work"/cg/out.*.* 2>/dev/null | tail -n 1)
        [ -n "$f" ] || return 1
        cp "$f" "$work/cg/$name.out"
        python3 "$bench_dir/console-cg.py" "$f" frame_render doupdate wget_wch loop_action |
            sed "s/^/$name /" >>"$work/cg.txt"
    }
    presses() { # KEY N
        for _ in $(seq 1 "$2"); do
            tm send-keys -t c1 "$1"
            sleep 0.15
        done
    }
    : >"$work/cg.txt"
    read -r cg_rows _ <<<"$(rows c1)"
    # cursor to the last visible row: every j from here scrolls the list,
    # and $cg_rows - 1 k presses after the j phases stay inside the page
    presses j "$cg_rows"
    sleep 2
    cgc -i on
    sleep 1
    phase idle sleep 10 && phase j50 presses j 50 && phase j250 presses j 250 &&
        phase kpage presses k $((cg_rows - 1)) || say "a callgrind phase failed (see $work/cg.err)"
    read -r _ cg_check <<<"$(rows c1)"
    quit c1
    cg=$work/cg.txt

    # Where kvdeck's CPU goes while it lists the 2,000 vaults: instrumented
    # from the start, against simulator B (no latency), quit once listed.
    say "kvdeck under callgrind listing the 2,000 vaults (profile)"
    launch c2 "$work/kvdeck-B0.conf" valgrind --tool=callgrind \
        --callgrind-out-file="$work/cg/load.%p"
    if watch c2 --interval 0.5 --timeout 600 \
        "all_vaults=Vaults \($NV\)" >/dev/null; then
        sleep 1
        quit c2
        for _ in $(seq 1 100); do
            f=$(ls "$work"/cg/load.* 2>/dev/null | head -n 1)
            [ -n "$f" ] && grep -q '^totals:' "$f" && break
            sleep 0.2
        done
        [ -n "$f" ] && python3 "$bench_dir/console-cg.py" "$f" worker_main app_run SSL_do_handshake \
            PEM_X509_INFO_read_bio json_parse az_vault_decode json_pretty store_apply frame_render |
            sed "s/^/load /" >>"$work/cg.txt"
    else
        say "callgrind profile: the vaults did not load"
        quit c2
    fi
fi

# ==== report ============================================================================
t_total=$((($(now_ms) - t_script) / 1000))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
# stats KEY FILE -> "median min max n all" (integers, sorted values)
stats() {
    awk -v k="$1" '$2 == k && $3 != "" { print $3 }' "${2:-$work/runs.txt}" | sort -n |
        awk '{ v[NR] = $1 } END {
            if (NR == 0) { print "- - - 0 -"; exit }
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            s = v[1]; for (i = 2; i <= NR; i++) s = s ", " v[i]
            printf "%d %d %d %d %s\n", m, v[1], v[NR], NR, s }'
}
row() { # LABEL KEY [UNIT] [FILE]
    local med min max n all
    read -r med min max n all <<<"$(stats "$2" "${4:-}")"
    echo "| $1 | $med ${3-ms} | $min – $max | $all |"
}
# az.txt lines are "az_seq MS COUNT"; runs.txt lines "I KEY VALUE"
awk '{ print NR, $1, $2; print NR, $1 "_n", $3 }' "$work/az.txt" >"$work/az-runs.txt"
cgv() { awk -v p="$1" -v k="$2" -v o="${3:-0}" '$1 == p && $2 == k { print $(3 + o) }' "$work/cg.txt" 2>/dev/null; }
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
med() { stats "$@" | cut -d' ' -f1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.3f", a / b; else print "-" }'; }
kib_mib() { awk -v k="$1" 'BEGIN { if (k == "" || k == "-") print "-"; else printf "%.1f MiB", k / 1024 }'; }
read -r bi_a bp_a bs_a bg_a <<<"$bytes_a"
read -r bi_b bp_b bs_b bg_b <<<"$bytes_b"
{
    echo "## Console"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/console.sh$args\`,"
    echo "kvdeck and kvdeck-sim built from $built (release build: configure"
    echo "--enable-werror, CFLAGS -g -O2); $osv, kernel $(uname -r),"
    echo "$(nproc) cores ${cpu:-unknown CPU}, $memg GiB RAM, ncursesw $ncv, $(tmux -V)."
    echo "Load average before: $load_before, after: $load_after (other work was running on"
    echo "the same 2 cores: the times are wall-clock times on a shared machine). Measuring took $t_total s."
    echo
    # the summary: issue #4's six questions, medians; details below
    m_fv=$(med first_vault_row) m_av=$(med all_vaults) m_fs=$(med first_secret_row) m_as=$(med all_secrets)
    m_az=$(med az_seq "$work/az-runs.txt") m_azp=$(med az_par "$work/az-runs.txt")
    s_ipk=-
    if [ -n "$cg" ] && [ -n "$(cgv j250 totals)" ] && [ -n "$(cgv j50 totals)" ]; then
        s_ipk=$((($(cgv j250 totals) - $(cgv j50 totals)) / 200))
    fi
    echo "| issue #4 | result (medians of $runs kvdeck runs, $(wc -l <"$work/az.txt" | awk '{ print $1 / 2 }') az runs) |"
    echo "|---|---|"
    echo "| 1. kvdeck start → first vault row / all $NV vaults (40 ms latency) | $m_fv ms / $m_av ms |"
    echo "| 2. Enter on the vault → first secret row / all $NS secrets | $m_fs ms / $m_as ms |"
    echo "| 3. instructions per \`j\` scrolling a 100,000-row list (callgrind, all threads) | $s_ipk Ir |"
    echo "| 4. VmRSS: $NV vaults / + $NS secrets / 100,000-secret list | $(kib_mib "$(med rss_vaults)") / $(kib_mib "$(med rss_secrets)") / $(kib_mib "$rss_b") |"
    echo "| 5. bytes to the terminal per \`j\` scrolling the list, 80x24 (25,000 / 100,000 rows) | $bs_a / $bs_b |"
    echo "| 6. 20 x \`az keyvault list --subscription\`, sequential / 20 at once | $m_az ms / $m_azp ms |"
    echo "| 6. ratio kvdeck/az, time to all $NV vaults (sequential / at once) | $(ratio "$m_av" "$m_az") / $(ratio "$m_av" "$m_azp") |"
    echo
    echo "Simulator A: \`kvdeck-sim --seed $SEED_A --fault latency,ms=40\`"
    echo "(20 subscriptions x 100 vaults, vault kvs00v000 with 25,000 secrets; every request,"
    echo "token requests included, answered 40 ms late). kvdeck runs in a fresh 80x24 tmux"
    echo "session (TERM=$TERM_IN, LANG=C.UTF-8) with a config file naming the simulator's"
    echo "cloud file, CA, tenant and service principal; nothing is cached between runs."
    echo "Times are read from outside: \`tmux capture-pane\` through one tmux control-mode client,"
    echo "in a loop with 10 ms pauses (one capture every $(med capture_ms) ms on average while waiting for"
    echo "the vaults; 100 ms pauses once the first secret row is there); a time is the end of"
    echo "the first capture that showed it, from the \`date +%s%N\` just before kvdeck's exec,"
    echo "or from just before the Enter key was sent."
    echo
    echo "| measure (simulator A, $runs runs) | median | min – max | all runs |"
    echo "|---|---|---|---|"
    row "kvdeck start → first vault row on screen" first_vault_row
    row "kvdeck start → all $NV vaults listed (\"Vaults ($NV)\")" all_vaults
    row "same two, in-process (KVDECK_BENCH, from app_run start to the frame): first row" inproc_first_vault_row
    row "… all vaults" inproc_all_vaults
    row "Enter on \`:vault kvs00v000\` → first secret row" first_secret_row
    row "Enter → all $NS secrets listed (\"Secrets of kvs00v000 ($NS)\")" all_secrets
    row "VmRSS with the $NV vaults loaded" rss_vaults KiB
    row "VmRSS with $NV vaults + $NS secrets loaded" rss_secrets KiB
    row "VmHWM (peak RSS) at that point" hwm_secrets KiB
    row "kvdeck CPU time (user+system, all threads) from start to all vaults" cpu_vaults
    row "kvdeck-sim CPU time meanwhile" simcpu_vaults
    row "kvdeck CPU time for the $NS secrets" cpu_secrets
    row "kvdeck-sim CPU time meanwhile" simcpu_secrets
    echo
    echo "The same $NV vaults without injected latency (simulator B, same data and"
    echo "same measurement; a reference for how much of the times above is the 40 ms):"
    echo
    echo "| measure (simulator B, no faults, $runs runs) | median | min – max | all runs |"
    echo "|---|---|---|---|"
    row "kvdeck start → first vault row on screen" first_vault_row ms "$work/b0.txt"
    row "kvdeck start → all $NV vaults listed" all_vaults ms "$work/b0.txt"
    row "kvdeck CPU time from start to all vaults" cpu_vaults ms "$work/b0.txt"
    row "kvdeck-sim CPU time meanwhile" simcpu_vaults ms "$work/b0.txt"
    echo
    if [ -s "$work/az.txt" ]; then
        read -r kv_all _ <<<"$(stats all_vaults)"
        read -r az_seq _ <<<"$(stats az_seq "$work/az-runs.txt")"
        read -r az_par _ <<<"$(stats az_par "$work/az-runs.txt")"
        echo "az $az_ver against the same simulator A in the same run, a new az process per"
        echo "command as a user runs it (signed in once before; its ARM token comes from az's"
        echo "cache), HTTPS_PROXY set to the simulator's own proxy so nothing leaves 127.0.0.1:"
        echo
        echo "| measure (simulator A, $(wc -l <"$work/az.txt" | awk '{ print $1 / 2 }') runs) | median | min – max | all runs |"
        echo "|---|---|---|---|"
        row "20 x \`az keyvault list --subscription S\`, one after the other" az_seq ms "$work/az-runs.txt"
        row "… vaults they returned" az_seq_n "" "$work/az-runs.txt"
        row "the same 20 commands started at once (\`&\`, wait for all)" az_par ms "$work/az-runs.txt"
        row "… vaults they returned" az_par_n "" "$work/az-runs.txt"
        echo
        echo "Time to all $NV vaults, medians: kvdeck $kv_all ms; az sequential $az_seq ms,"
        echo "az 20 at once $az_par ms. Ratio kvdeck/az = **$(ratio "$kv_all" "$az_seq")** (sequential az),"
        echo "**$(ratio "$kv_all" "$az_par")** (20 az at once); az/kvdeck = $(ratio "$az_seq" "$kv_all") and $(ratio "$az_par" "$kv_all")."
        echo
    elif [ $do_az = 0 ]; then
        echo "az: not measured (--no-az or --az-runs 0)."
        echo
    else
        echo "az: not measured (az missing or its sign-in failed)."
        echo
    fi
    echo "Bytes written by kvdeck to its terminal (\`tmux pipe-pane -O\`, raw, escape sequences"
    echo "included), 80x24, focus in the secrets pane, one key press every 50 ms (each press a"
    echo "loop turn and a frame of its own):"
    echo
    echo "| list | idle 3 s | \`j\`, cursor inside the page (avg of rows−1 presses) | \`j\` scrolling the list by one row (avg of 200) | PgDn (avg of 20) |"
    echo "|---|---|---|---|---|"
    echo "| kvs00v000, 25,000 secrets (simulator A, run 1) | $bi_a | $bp_a | $bs_a | $bg_a |"
    echo "| kvs00v000, 100,000 secrets (simulator B) | $bi_b | $bp_b | $bs_b | $bg_b |"
    echo
    echo "(Screen check: A: $check_a; B: $check_b.)"
    echo
    echo "Simulator B: \`--seed $SEED_B\`, no faults. kvdeck opened kvs00v000 from its config"
    echo "file (\`vault = kvs00v000\`) and listed all $NB secrets in $load_b ms from its start"
    echo "(4,000 pages of 25 in sequence, no injected latency). VmRSS then: $(kib_mib "$rss_b")"
    echo "($rss_b KiB), VmHWM $(kib_mib "$hwm_b") ($hwm_b KiB)."
    echo
    if [ -n "$cg" ] && [ -s "$cg" ]; then
        i50=$(cgv j50 totals) i250=$(cgv j250 totals) iidle=$(cgv idle totals) ik=$(cgv kpage totals)
        ipk=$(( (${i250:-0} - ${i50:-0}) / 200 ))
        echo "Instructions per key press, 100,000-row list: kvdeck (the real binary, on simulator B)"
        echo "under \`valgrind --tool=callgrind --instr-atstart=no\`; instrumentation switched on after"
        echo "the list was loaded and the cursor put on the last visible row, then"
        echo "\`callgrind_control -z\` … \`-d\` around each phase. Ir = user-space instructions of all"
        echo "threads (input decoding, key handling, drawing, ncurses output; not the kernel)."
        echo
        echo "| phase | Ir | frame_render calls | Ir in frame_render | Ir in doupdate | Ir in wget_wch |"
        echo "|---|---|---|---|---|---|"
        for p in idle j50 j250 kpage; do
            echo "| $p | $(cgv $p totals) | $(cgv $p frame_render) | $(cgv $p frame_render 1) | $(cgv $p doupdate 1) | $(cgv $p wget_wch 1) |"
        done
        echo
        echo "**$ipk Ir per \`j\` that scrolls the list** ((Ir(250 presses) − Ir(50 presses)) / 200;"
        echo "idle 10 s = $iidle Ir, so the idle time between presses is negligible);"
        echo "$(( ${ik:-0} / (${cg_rows:-2} - 1) )) Ir per \`k\` moving the cursor inside the page (phase kpage: $((${cg_rows:-2} - 1)) presses, $cg_rows rows visible)."
        echo "Screen after the phases: top row $cg_check ($cg_rows + 300 presses of j, then k inside the page)."
        echo
        lt=$(cgv load totals)
        if [ -n "$lt" ]; then
            pct() { awk -v a="$(cgv load "$1" 1)" -v t="$lt" 'BEGIN { if (a == "") print "-"; else printf "%.1f%%", 100 * a / t }'; }
            echo "Where kvdeck's CPU goes while it lists the $NV vaults (the same binary under callgrind"
            echo "from its start until \"Vaults ($NV)\" was on screen, simulator B, then q): $lt Ir in"
            echo "all, inclusive shares: TLS handshakes (SSL_do_handshake, $(cgv load SSL_do_handshake) of them) $(pct SSL_do_handshake), of which"
            echo "parsing the CA bundle (PEM_X509_INFO_read_bio, $(cgv load PEM_X509_INFO_read_bio) calls) $(pct PEM_X509_INFO_read_bio);"
            echo "JSON parsing (json_parse) $(pct json_parse); vault decoding (az_vault_decode) $(pct az_vault_decode),"
            echo "of which pretty-printing each vault's JSON (json_pretty) $(pct json_pretty); the UI thread"
            echo "(app_run: store, views, drawing) $(pct app_run), of which frame_render $(pct frame_render)."
            echo "With \`ca-file\` set, kvdeck gives libcurl the system bundle plus the extra CA as one"
            echo "CURLOPT_CAINFO_BLOB, which is parsed again for every new connection (libcurl 7.88"
            echo "caches only file-based CA stores). Against"
            echo "real Azure no \`ca-file\` is needed and libcurl loads its default CA file, which libcurl"
            echo "7.87 and later cache per multi handle; that case is not measured here."
            echo
        fi
    else
        echo "Instructions per key press: $cg_note."
        echo
    fi
    echo "Caveats: the times include kvdeck's start (exec, TLS set-up, the token request) and"
    echo "the polling resolution; the first vault row needs a token, the subscription list and"
    echo "one vault page, each at least 40 ms. The 25,000 secrets are 1,000 data-plane pages"
    echo "of 25 that can only be fetched one after the other (each page's nextLink names the"
    echo "next), so that time is bounded below by 1,000 x 40 ms. az figures include Python's"
    echo "start-up for every command; \`az keyvault list\` without --resource-type also asks"
    echo "for managed HSMs. Bytes per step depend on TERM and on ncurses' optimiser (the panes"
    echo "sit side by side, so no scrolling region can be used). Under valgrind kvdeck is far"
    echo "slower; instruction counts are exact for that run but are not times."
} >"$work/section.md"
cat "$work/section.md"
if [ $write = 1 ]; then
    python3 - "$top/bench/RESULTS.md" "$work/section.md" <<'PY'
import re, sys
path, sec = sys.argv[1], open(sys.argv[2]).read().rstrip() + "\n"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
m = re.search(r"^## Console\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
if m:
    text = text[:m.start()] + sec + "\n" + text[m.end():]
else:
    text = text.rstrip() + "\n\n" + sec
open(path, "w").write(text.rstrip() + "\n")
PY
    say "wrote the Console section of bench/RESULTS.md"
fi
