# clilib.sh — shared by the batch-command tests (sourced): starts one
# kvdeck-sim with the demo seed in a private temporary directory, writes
# a kvdeck config (0600) with its CA and service principal, points the
# journal into the directory, and gives small checking helpers.
# Skips (exit 77) only when kvdeck-sim or python3 is missing.
: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_builddir top_srcdir
KVDECK=$top_builddir/src/kvdeck
SIMBIN=$top_builddir/src/sim/kvdeck-sim
[ -x "$SIMBIN" ] || { echo "SKIP: kvdeck-sim not built"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-cli.XXXXXX")
SIMPID=
cleanup() {
    [ -n "$SIMPID" ] && kill "$SIMPID" 2>/dev/null && wait "$SIMPID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkfifo "$T/ready"
"$SIMBIN" --state-dir "$T/state" --seed demo ${SIM_ARGS:-} \
    >"$T/ready" 2>"$T/sim.log" &
SIMPID=$!
read -r word SIM_CONN <"$T/ready" || { echo "FAIL: kvdeck-sim did not start"; cat "$T/sim.log"; exit 1; }
# keep draining its standard output into the log
cat "$T/ready" >>"$T/sim.log" &
[ "$word" = ready ] || { echo "FAIL: kvdeck-sim said $word"; exit 1; }
export SIM_CONN
conn() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$SIM_CONN" "$1"; }
umask 077
cat >"$T/config" <<CFG
cloud = $(conn cloud_file)
ca-file = $(conn ca)
tenant = $(conn tenant)
client-id = $(conn client_id)
client-secret = $(conn client_secret)
CFG
export KVDECK_JOURNAL=$T/journal.jsonl
unset AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET
V=kv-contoso-dev
bad=0

# kv ARGS... — kvdeck with the test config; sets rc, out (stdout), err.
kv() {
    "$KVDECK" --config "$T/config" "$@" >"$T/out" 2>"$T/err" </dev/null
    rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
}
# kvin FILE ARGS... — the same with standard input from FILE.
kvin() {
    f=$1
    shift
    "$KVDECK" --config "$T/config" "$@" >"$T/out" 2>"$T/err" <"$f"
    rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
}
simctl() { python3 "$top_srcdir/tests/cli/simctl.py" "$@"; }
# jq_ EXPR — evaluates a Python expression on the JSON of stdout (as j).
jq_() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($1)" "$T/out"; }
ok() { echo "ok - $1"; }
fail() { echo "FAIL: $1"; echo "  rc=$rc"; echo "  stdout: $out" | head -5; echo "  stderr: $err" | head -5; bad=1; }
# want_rc N WHAT
want_rc() { if [ "$rc" -eq "$1" ]; then ok "$2"; else fail "$2 (exit $rc, want $1)"; fi; }
# check COND WHAT — a shell test
check() { if eval "$1"; then ok "$2"; else fail "$2"; fi; }
