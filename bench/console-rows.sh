#!/bin/bash
# bench/console-rows.sh — what a listed secret and a scrolling key press
# cost the console (issue #12), measured from outside on the real binary:
#
#   bench/console-rows.sh -B BUILD_DIR [--secrets N] [--presses P]
#                         [--no-callgrind] [--cg-out FILE]
#
# kvdeck-sim runs --seed scale:subs=2,vaults=3,bigvault=N (default
# 100,000 secrets in kvs00v000, no faults); kvdeck opens that vault from
# its config file in an 80x24 tmux session. Printed:
#   rss_one KiB     VmRSS with a vault of 1 secret (the same set-up)
#   rss_all KiB     VmRSS once "Secrets of kvs00v000 (N)" is on screen
#   bytes_per_row   (rss_all - rss_one) * 1024 / N
#   out_bytes_per_j bytes kvdeck writes to the terminal per j that
#                   scrolls (tmux pipe-pane, P presses after 12); and
#   out_bytes_per_j_curses  the same with KVDECK_OUTPUT=curses (ncurses'
#                   doupdate() writing the same frames)
#   ir_per_j        under valgrind --tool=callgrind --instr-atstart=no:
#                   the cursor put on the last visible row (12 j), then
#                   instrumentation on, zeroed, P presses of j 150 ms
#                   apart (each scrolls the list by one row), dumped:
#                   total Ir of all threads / P
#   frame_render / doupdate  their inclusive Ir per press
#   top             the first secret row on screen afterwards (a check)
# --cg-out FILE keeps the callgrind dump (callgrind_annotate FILE).
# Needs tmux, jq, python3; valgrind for the last part. Loopback only.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/_build-bench n=100000 presses=50 do_cg=1 cg_out=
while [ $# -gt 0 ]; do
    case $1 in
    -B) build=$2; shift ;;
    --secrets) n=$2; shift ;;
    --presses) presses=$2; shift ;;
    --no-callgrind) do_cg=0 ;;
    --cg-out) cg_out=$2; shift ;;
    *) sed -n '4,6p' "$0" >&2; exit 2 ;;
    esac
    shift
done
SIM=$build/src/sim/kvdeck-sim KV=$build/src/kvdeck
[ -x "$SIM" ] && [ -x "$KV" ] || { echo "console-rows.sh: build $build first" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-rows.XXXXXX") || exit 1
sims=
cleanup() {
    tmux -S "$W/tmux.sock" kill-server >/dev/null 2>&1
    for p in $sims; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    rm -rf "$W"
}
trap cleanup EXIT

# run NAME SECRETS PREFIX: kvdeck (under PREFIX) on a fresh sim with
# SECRETS secrets, until all are listed; sets PID and SOCK
run() {
    local d=$W/$1 l='' i
    mkdir -p "$d/xdg"
    "$SIM" --state-dir "$d/state" --listen 127.0.0.1:0 \
        --seed "scale:subs=2,vaults=3,bigvault=$2" >"$d/sim.out" 2>"$d/sim.err" </dev/null &
    sims="$sims $!"
    for i in $(seq 1 1200); do
        l=$(head -n 1 "$d/sim.out" 2>/dev/null)
        case $l in "ready "*) break ;; esac
        sleep 0.1
    done
    local conn=${l#ready }
    c() { jq -r --arg k "$1" '.[$k] | tostring' "$conn"; }
    (umask 077 && printf 'cloud = %s\nca-file = %s\ntenant = %s\nclient-id = %s\nclient-secret = %s\nvault = kvs00v000\n' \
        "$(c cloud_file)" "$(c ca)" "$(c tenant)" "$(c client_id)" "$(c client_secret)" >"$d/kv.conf")
    cat >"$d/run.sh" <<EOS
#!/bin/sh
export LANG=C.UTF-8 XDG_CONFIG_HOME=$d/xdg XDG_STATE_HOME=$d/xdg XDG_CACHE_HOME=$d/xdg
unset LC_ALL LANGUAGE LC_MESSAGES
echo \$\$ >$d/pid
exec $3 $KV --config $d/kv.conf 2>$d/kv.err
EOS
    chmod 700 "$d/run.sh"
    SOCK=$W/tmux.sock
    tmux -S "$SOCK" -f /dev/null new-session -d -s "$1" -x 80 -y 24 "$d/run.sh"
    for i in $(seq 1 3600); do
        tmux -S "$SOCK" capture-pane -p -t "$1" | grep -qF "Secrets of kvs00v000 ($2)" && break
        sleep 0.5
    done
    sleep 1
    PID=$(cat "$d/pid")
}
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }
keys() { # SESSION KEY N
    for _ in $(seq 1 "$3"); do
        tmux -S "$SOCK" send-keys -t "$1" "$2"
        sleep 0.15
    done
}

# out_bytes SESSION: bytes written to the terminal per j that scrolls
out_bytes() {
    keys "$1" j 12
    sleep 0.5
    : >"$W/$1.raw"
    tmux -S "$SOCK" pipe-pane -O -t "$1" "cat >> '$W/$1.raw'"
    sleep 0.3
    keys "$1" j "$presses"
    sleep 0.5
    tmux -S "$SOCK" pipe-pane -t "$1"
    echo $(($(stat -c %s "$W/$1.raw") / presses))
}

run one 1 ""
rss_one=$(rss "$PID")
run all "$n" ""
rss_all=$(rss "$PID")
echo "rss_one $rss_one"
echo "rss_all $rss_all"
echo "bytes_per_row $(((rss_all - rss_one) * 1024 / n))"
echo "out_bytes_per_j $(out_bytes all)"
tmux -S "$SOCK" kill-server
run curses "$n" "env KVDECK_OUTPUT=curses"
echo "out_bytes_per_j_curses $(out_bytes curses)"
tmux -S "$SOCK" kill-server
if [ $do_cg = 1 ] && command -v callgrind_control >/dev/null 2>&1; then
    run cg "$n" "valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=$W/cg.out.%p"
    keys cg j 12
    sleep 1
    callgrind_control -i on "$PID" >/dev/null
    sleep 1
    callgrind_control -z "$PID" >/dev/null
    keys cg j "$presses"
    sleep 1.5
    callgrind_control -d "$PID" >/dev/null
    sleep 0.5
    f=$(ls -v "$W"/cg.out.*.* | tail -n 1)
    [ -z "$cg_out" ] || cp "$f" "$cg_out"
    python3 "$top/bench/console-cg.py" "$f" frame_render doupdate |
        awk -v p="$presses" '$1 == "totals" { print "ir_per_j " int($2 / p) }
                             $1 != "totals" { print $1 " " int($3 / p) }'
    echo "top $(tmux -S "$SOCK" capture-pane -p -t cg | grep -oE 'secret-[0-9]{5}' | sed -n 2p)"
fi
