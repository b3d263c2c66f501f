# tests/conformance/lib.sh — shared by the conformance scripts (sourced, POSIX sh).
#
# Starts a fresh kvdeck-sim on loopback (seed demo, private temp state dir,
# --listen 127.0.0.1:0), waits for its "ready PATH" line, and stops it again
# on exit. Also: TAP-style step bookkeeping and the proxy environment that
# keeps every client on 127.0.0.1.
#
# Inputs (environment): top_srcdir, top_builddir (set by make check),
# KVSIM_BIN (override the simulator binary), KVCONF_CONNECTION (use an
# already running simulator's connection.json instead of starting one),
# KVCONF_KEEP=1 (keep the temp dir for inspection), KV_ENABLE_SIM ("#" when
# configured with --disable-sim).

conf_dir=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$(cd "$conf_dir/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/_build}"
sim_bin=${KVSIM_BIN:-$top_builddir/src/sim/kvdeck-sim}

# Exit codes of the automake plain test driver.
CONF_SKIP=77
CONF_HARD=99

conf_skip() {
    echo "SKIP: $*"
    exit $CONF_SKIP
}

conf_die() {
    echo "Bail out! $*"
    exit $CONF_HARD
}

# Private work directory for this script, removed on exit.
conf_work=$(mktemp -d "${TMPDIR:-/tmp}/kvconf.XXXXXX") || conf_die "mktemp failed"
chmod 700 "$conf_work"
sim_pid=
conf_child=
conf_cleanup() {
    if [ -n "$conf_child" ]; then
        kill "$conf_child" 2>/dev/null
        wait "$conf_child" 2>/dev/null
        conf_child=
    fi
    if [ -n "$sim_pid" ]; then
        kill "$sim_pid" 2>/dev/null
        wait "$sim_pid" 2>/dev/null
        sim_pid=
    fi
    if [ "${KVCONF_KEEP:-0}" = 1 ]; then
        echo "# kept work dir $conf_work"
    else
        rm -rf "$conf_work"
    fi
}
trap conf_cleanup EXIT
trap 'exit 130' INT TERM

# conf_run CMD...: runs a client in the background and waits for it, so that
# a TERM/INT to this script is handled at once (a foreground child would
# delay the trap) and stops the client and the simulator.
conf_run() {
    "$@" &
    conf_child=$!
    wait "$conf_child"
    rc=$?
    conf_child=
    return $rc
}

# Prints the last lines of the simulator's stderr, as TAP comments.
sim_log_tail() {
    [ -f "$conf_work/sim.err" ] || return 0
    echo "# --- kvdeck-sim stderr (last ${1:-20} lines) ---"
    tail -n "${1:-20}" "$conf_work/sim.err" | sed 's/^/#   /'
}

# sim_start [SIM OPTIONS...]: sets CONN (connection.json path), SIM_STATE.
sim_start() {
    if [ -n "${KVCONF_CONNECTION:-}" ]; then
        CONN=$KVCONF_CONNECTION
        [ -r "$CONN" ] || conf_die "KVCONF_CONNECTION=$CONN is not readable"
        echo "# using running simulator: $CONN"
        return 0
    fi
    [ "${KV_ENABLE_SIM:-}" = "#" ] && conf_skip "kvdeck-sim is disabled (configure --disable-sim)"
    [ -x "$sim_bin" ] || conf_skip "kvdeck-sim is not built ($sim_bin missing)"
    SIM_STATE=$conf_work/state
    mkdir -p "$SIM_STATE" && chmod 700 "$SIM_STATE"
    "$sim_bin" --state-dir "$SIM_STATE" --listen 127.0.0.1:0 --seed demo "$@" \
        >"$conf_work/sim.out" 2>"$conf_work/sim.err" </dev/null &
    sim_pid=$!
    # Wait (at most 30 s) for the first line "ready /path/connection.json".
    i=0
    CONN=
    while [ $i -lt 300 ]; do
        line=$(head -n 1 "$conf_work/sim.out" 2>/dev/null)
        case "$line" in
        "ready "*)
            CONN=${line#ready }
            break
            ;;
        esac
        if ! kill -0 "$sim_pid" 2>/dev/null; then
            wait "$sim_pid"
            rc=$?
            sim_pid=
            sim_log_tail 40
            conf_die "kvdeck-sim exited with status $rc before it was ready (options: $*)"
        fi
        sleep 0.1
        i=$((i + 1))
    done
    if [ -z "$CONN" ]; then
        sim_log_tail 40
        conf_die "kvdeck-sim printed no 'ready PATH' line within 30 s"
    fi
    [ -r "$CONN" ] || conf_die "kvdeck-sim said ready but $CONN is not readable"
    echo "# kvdeck-sim pid $sim_pid ready: $CONN${*:+ (options: $*)}"
}

# conn_get KEY: a top-level field of connection.json (arrays joined by spaces).
conn_get() {
    jq -r --arg k "$1" '.[$k] | if type == "array" then join(" ") elif . == null then "" else tostring end' "$CONN"
}

# The environment shared by every client: trust the simulator's CA, and send
# all HTTPS through the simulator's own CONNECT proxy (it answers vault host
# names and login.microsoftonline.com itself), except direct calls to
# 127.0.0.1. A stray call to any other host fails at the proxy instead of
# leaving the machine.
conf_client_env() {
    SIM_CA=$(conn_get ca)
    SIM_PROXY=$(conn_get proxy)
    [ -r "$SIM_CA" ] || conf_die "connection.json: CA file '$SIM_CA' not readable"
    case "$SIM_PROXY" in
    http://127.*) ;;
    *) conf_die "connection.json: proxy '$SIM_PROXY' is not an http:// loopback URL" ;;
    esac
    export HTTPS_PROXY="$SIM_PROXY" https_proxy="$SIM_PROXY"
    export HTTP_PROXY="$SIM_PROXY" http_proxy="$SIM_PROXY"
    export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
    unset ALL_PROXY all_proxy
}

# conf_az_env: Debian's az CLI against this simulator: a private config
# dir (versionCheck.json written so that az does not look for updates),
# no telemetry, the test's az shims first on PYTHONPATH; TENANT,
# CLIENT_ID and CLOUD_FILE from connection.json; azj ARGS... runs az
# with JSON output into $OUT, stderr into $ERR. conf_az_login registers
# the simulator's cloud and signs in as the service principal.
conf_az_env() {
    TENANT=$(conn_get tenant)
    CLIENT_ID=$(conn_get client_id)
    CLOUD_FILE=$(conn_get cloud_file)
    export AZURE_CONFIG_DIR=$conf_work/azconfig
    export AZURE_CORE_COLLECT_TELEMETRY=false AZURE_CORE_NO_COLOR=true
    export PYTHONPATH=$conf_dir/az${PYTHONPATH:+:$PYTHONPATH}
    mkdir -p "$AZURE_CONFIG_DIR" && chmod 700 "$AZURE_CONFIG_DIR"
    printf '{"versions":{"azure-cli":{"local":"2.45.0"},"core":{"local":"2.45.0"},"telemetry":{"local":"1.0.8"}},"update_time":"%s"}\n' \
        "$(date '+%Y-%m-%d %H:%M:%S.%6N')" >"$AZURE_CONFIG_DIR/versionCheck.json"
    OUT=$conf_work/out.json
    ERR=$conf_work/err.txt
}
azj() {
    timeout "${KVCONF_AZ_TIMEOUT:-180}" az "$@" -o json >"$OUT" 2>"$ERR"
}
conf_az_login() {
    azj cloud register -n kvsim --cloud-config @"$CLOUD_FILE" &&
        azj cloud set -n kvsim &&
        azj login --service-principal -u "$CLIENT_ID" -p "$(conn_get client_secret)" --tenant "$TENANT"
}

# ---- step bookkeeping (TAP) --------------------------------------------------
conf_n=0
conf_failed=0
conf_t0=$(date +%s.%N)

# Milliseconds since the epoch (GNU date).
conf_now_ms() {
    date +%s%3N
}

# conf_result RC DESCRIPTION MS
conf_result() {
    conf_n=$((conf_n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $conf_n - $2 ($3 ms)"
    else
        echo "not ok $conf_n - $2 ($3 ms)"
        conf_failed=$((conf_failed + 1))
    fi
}

# conf_finish NAME: prints the plan and the summary, exits 0 or 1.
conf_finish() {
    t1=$(date +%s.%N)
    el=$(awk -v a="$conf_t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    echo "1..$conf_n"
    echo "# $1: $((conf_n - conf_failed)) passed, $conf_failed failed, total ${el} s"
    if [ -n "${KVCONF_TIMINGS:-}" ]; then
        echo "$1: $el s, $conf_n steps, $conf_failed failed" >>"$KVCONF_TIMINGS"
    fi
    [ "$conf_failed" -eq 0 ] && exit 0
    sim_log_tail 30
    exit 1
}

# step DESCRIPTION FUNCTION: runs one asserted step (its output in $OUT
# and $ERR, emptied first) and prints its TAP line; on failure what the
# step said and the ends of $ERR and $OUT.
step() {
    s0=$(conf_now_ms)
    : >"$OUT"
    : >"$ERR"
    "$2" >"$conf_work/step.txt" 2>&1
    rc=$?
    conf_result $rc "$1" $(($(conf_now_ms) - s0))
    if [ $rc -ne 0 ]; then
        sed 's/^/# /' "$conf_work/step.txt"
        [ -s "$ERR" ] && tail -n 15 "$ERR" | sed 's/^/#   stderr: /'
        [ -s "$OUT" ] && head -c 1500 "$OUT" | sed 's/^/#   stdout: /'
    fi
    return $rc
}
