#!/bin/sh
# test-canary-sweep.sh — one run of kvdeck, console and batch, against
# kvdeck-sim, signed in with the simulator's client secret, that writes,
# reveals, copies, rotates and deletes secrets whose values are unique
# markers; then every place a value, the client secret or a token could
# leak to is searched for all of them (tests/tui/canary-scan.py: raw,
# its alphanumeric core, hex lower/upper, UTF-16 LE/BE, base64 and
# base64url at the three offsets). Any hit fails, naming the place.
#
# Canaries: the client secret; every access/refresh/id token kvdeck was
# given (tests/tui/canary-token-proxy.py sits in front of the sim's
# sign-in endpoint and records them); C1 a value pasted in the console's
# new-version wizard; C2 the value the console's rotation generated;
# C3 a value set from standard input, C4 from --value-file, C5 rotated
# from --value-file, C6 set --via-arm (Resource Manager) by the batch
# commands; both keys of the AI services account contoso-ai before and
# after `secret rotate --at-source --retire-old now` (#13: Key1 the demo
# secret's value, Key2 regenerated and stored, Key1 regenerated);
# C7 set by `kvdeck --demo secret set`, where kvdeck starts
# kvdeck-sim itself (its client secret a canary too).
#
# Places searched (all must exist and be non-empty where kvdeck writes):
#  - the debug logs (--log) of every run, and the journal (found at its
#    default place under XDG_STATE_HOME);
#  - every file under the test's HOME, XDG_* and TMPDIR (fresh, empty
#    directories: all there is was created by kvdeck), and every file
#    any traced process opened for writing or created, wherever it is;
#  - argv and environment of kvdeck and EVERY process it started (all
#    runs under strace -f -v -e execve,...; the trace files searched
#    whole, so file names kvdeck created are searched too);
#  - kvdeck-sim's log (its standard output and error), and that of the
#    kvdeck-sim kvdeck --demo started;
#  - the console's standard error, and the terminal byte stream (tmux
#    pipe-pane) outside the two reveals asked for with v (C1 in the
#    secrets pane, C2 on the rotation's last page: there, and only
#    there, the value in clear is expected and checked for) and outside
#    the OSC 52 sequences y wrote (which must carry exactly C1 and C2);
#  - the batch commands' standard output and error.
# Allowed, so not searched: the standard output of `secret show
# --show-value` (asked for: it is checked to carry C5), the test's own
# inputs (config file with the client secret, value files), and the
# simulator's state directory (it is the vault).
# Needs tmux, kvdeck-sim, python3, strace (ptrace allowed) and openssl.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
KVDECK=$top_builddir/src/kvdeck
SIM=$top_builddir/src/sim/kvdeck-sim
[ -x "$KVDECK" ] || skip "src/kvdeck not built"
[ -x "$SIM" ] || skip "kvdeck-sim not built (configure --disable-sim?)"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"
command -v openssl >/dev/null 2>&1 || skip "openssl not found"
command -v strace >/dev/null 2>&1 || skip "strace not found"
strace -f -qq -o /dev/null true 2>/dev/null ||
    skip "strace cannot trace here (ptrace not permitted)"
export top_srcdir
W=$SCR_DIR
V=kv-contoso-dev
N=feature-flags-token
SIMPID= PXPID=
sweep_cleanup() {
    [ -n "$PXPID" ] && kill "$PXPID" 2>/dev/null
    [ -n "$SIMPID" ] && kill "$SIMPID" 2>/dev/null && wait "$SIMPID" 2>/dev/null
    screen_cleanup
}
trap sweep_cleanup EXIT
trap 'exit 1' INT TERM

# Fresh HOME, XDG and TMPDIR: whatever is in them at the end, kvdeck made.
export HOME=$W/home TMPDIR=$W/tmp XDG_RUNTIME_DIR=$W/run
export XDG_CONFIG_HOME=$HOME/.config XDG_STATE_HOME=$HOME/.local/state
export XDG_DATA_HOME=$HOME/.local/share XDG_CACHE_HOME=$HOME/.cache
unset KVDECK_JOURNAL KVDECK_SIM AZURE_TENANT_ID AZURE_CLIENT_ID \
    AZURE_CLIENT_SECRET AZURE_CLIENT_CERTIFICATE_PATH
rm -rf "$XDG_CONFIG_HOME"
mkdir -p "$HOME" "$TMPDIR" "$XDG_RUNTIME_DIR" "$W/sim" "$W/px" "$W/in" \
    "$W/logs" "$W/trace" "$W/out" "$W/allowed"
chmod 700 "$XDG_RUNTIME_DIR"
umask 077

# --- the simulator, and the proxy that records the tokens -------------
mkfifo "$W/sim/ready" "$W/px/ready"
"$SIM" --state-dir "$W/sim/state" --seed demo >"$W/sim/ready" 2>"$W/sim/sim.log" &
SIMPID=$!
read -r word SIM_CONN <"$W/sim/ready" || fail "kvdeck-sim did not start"
cat "$W/sim/ready" >>"$W/sim/sim.log" &
[ "$word" = ready ] || fail "kvdeck-sim said $word"
export SIM_CONN
conn() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$SIM_CONN" "$1"; }
st() { python3 "$top_srcdir/tests/tui/simtui.py" "$@"; }
SECRET=$(conn client_secret)
M=$W/markers
printf 'client-secret %s\n' "$SECRET" >"$M"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$W/px/key.pem" -out "$W/px/cert.pem" >/dev/null 2>&1 ||
    fail "openssl could not make the proxy's certificate"
cat "$(conn ca)" "$W/px/cert.pem" >"$W/ca.pem"
python3 "$top_srcdir/tests/tui/canary-token-proxy.py" "$W/px/cert.pem" \
    "$W/px/key.pem" "$(conn login)" "$(conn ca)" "$M" >"$W/px/ready" 2>"$W/px/log" &
PXPID=$!
read -r word PXPORT <"$W/px/ready" || fail "the token proxy did not start: $(cat "$W/px/log")"
# The sim's cloud with the sign-in endpoint moved to the proxy.
python3 - "$(conn cloud_file)" "$(conn login)" "https://127.0.0.1:$PXPORT/" "$W/cloud.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
ad = c["endpoints"]["activeDirectory"]
assert ad.startswith(sys.argv[2]), ad
c["endpoints"]["activeDirectory"] = sys.argv[3] + ad[len(sys.argv[2]):]
json.dump(c, open(sys.argv[4], "w"), indent=1)
PY
CFG=$W/kvdeck.cfg
cat >"$CFG" <<CFG
cloud = $W/cloud.json
ca-file = $W/ca.pem
tenant = $(conn tenant)
client-id = $(conn client_id)
client-secret = $SECRET
reveal-seconds = 2
CFG

# kvdeck and everything it starts, traced: programs run (argv and full
# environment) and files opened or made.
TRACE="strace -f -qq -v -s 65536 -e trace=execve,execveat,open,openat,creat,rename,renameat,renameat2,link,linkat,symlink,symlinkat,mkdir,mkdirat"
# LeakSanitizer cannot run under ptrace; the other checks stay on.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
marker() { printf 'canary-%s-%s' "$1" "$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"; }
rawsize() { sleep 0.5; wc -c <"$SCR_RAW"; }

# --- the console --------------------------------------------------------
C1=$(marker c1)
printf 'C1 %s\n' "$C1" >>"$M"
screen_start 80 24 "$TRACE -o $W/trace/console $KVDECK --config $CFG --log $W/logs/console.log"
wait_for "kv-contoso-dev" 30
keys :
type_text "vault $V"
keys Enter
wait_for "Secrets of $V (3)" 20
wait_for "$N" 10
# set: a new version, its value pasted with no echo; y copies it (C1)
keys j
keys w
wait_for "New version of $N (1/2)" 10
keys Right Down Down Down Down
tm set-buffer -- "$C1"
tm paste-buffer -p -t t
keys Enter Enter
wait_for "(2/2)" 5
keys Enter Enter Enter Enter
wait_for "[ Apply ]" 5
keys Enter
wait_for "Done in" 20
keys Enter
wait_for "Wrote a new version of $N" 5
[ "$(st latest $V $N | cut -d' ' -f2-)" = "$C1" ] || fail "the sim does not hold the pasted C1"
keys y
sleep 0.5
keys Enter
wait_gone "Wrote a new version" 5
# reveal in the secrets pane (v), masked again after reveal-seconds; y
r1a=$(rawsize)
keys v
wait_for "$C1" 5
wait_gone "$C1" 8
r1b=$(rawsize)
keys y
sleep 0.5
pass "console: C1 written, revealed and copied in the secrets pane"

# rotate: a generated value (C2), revealed (v ... v) and copied (y)
keys R
wait_for "Rotate $N (1/3)" 15
wait_for "the latest" 10
keys Enter
wait_for "(2/3)" 5
keys Enter Enter Enter Enter Enter Enter
wait_for "(3/3)" 5
keys Enter Enter Enter Enter Enter Enter
wait_for "[ Apply ]" 5
keys Enter
wait_for "Done in" 20
keys Enter
wait_for "Rotated $N" 5
C2=$(st latest $V $N | cut -d' ' -f2-)
[ -n "$C2" ] && [ "$C2" != "$C1" ] || fail "no rotated value in the sim"
[ ${#C2} -ge 12 ] || fail "the rotated value is too short to be a canary: ${#C2}"
printf 'C2 %s\n' "$C2" >>"$M"
r2a=$(rawsize)
keys v
wait_for "$C2" 5
keys v
wait_gone "$C2" 5
r2b=$(rawsize)
keys y
wait_for "copied the new value to the clipboard" 5
keys Enter
wait_gone "Rotated $N" 5
pass "console: C2 rotated, revealed and copied on the wizard's last page"

# delete (D, the name typed)
keys D
wait_for "To apply, type $N:" 10
type_text "$N"
keys Enter
wait_for "Done in" 20
keys Enter
[ "$(st attrs $V $N)" = missing ] || fail "the sim still serves $N"
pass "console: $N deleted"
keys q
status=$(wait_exit 20)
[ "$status" = 0 ] || fail "the console's exit status $status"

# --- the batch commands -------------------------------------------------
# kvb NAME [<FILE] ARGS... — a traced batch command, its own debug log;
# stdout and stderr to $W/out/NAME.out|.err; fails unless it exits 0.
kvb() {
    name=$1 in=/dev/null
    shift
    case $1 in "<"*) in=${1#<}; shift ;; esac
    $TRACE -o "$W/trace/batch-$name" "$KVDECK" --config "$CFG" \
        --log "$W/logs/batch-$name.log" "$@" \
        >"$W/out/$name.out" 2>"$W/out/$name.err" <"$in" ||
        fail "kvdeck $* exited $?: $(cat "$W/out/$name.err")"
}
for c in C3 C4 C5 C6; do
    v=$(marker "$(echo $c | tr C c)")
    eval "$c=\$v"
    printf '%s %s\n' "$c" "$v" >>"$M"
    printf '%s\n' "$v" >"$W/in/$c"
done
kvb set-stdin "<$W/in/C3" secret set $V canary-sweep --yes --json
kvb set-file secret set $V canary-sweep-file --value-file "$W/in/C4" --yes --json
kvb rotate secret rotate $V canary-sweep --value-file "$W/in/C5" --retire-old now --yes --json
kvb set-arm secret set $V canary-sweep-arm --via-arm --value-file "$W/in/C6" --yes --json
kvb show secret show $V canary-sweep --json
kvb show-plain secret show $V canary-sweep
kvb list secret list $V --json
kvb copy secret copy $V canary-sweep kv-contoso-ai-prod --name canary-sweep-copy --yes --json
# the one output that may carry a value: asked for with --show-value
kvb show-value secret show $V canary-sweep --show-value --json
mv "$W/out/show-value.out" "$W/allowed/"
python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["value"] != sys.argv[2])' \
    "$W/allowed/show-value.out" "$C5" || fail "show --show-value does not print C5"
for s in canary-sweep canary-sweep-file canary-sweep-arm; do
    kvb "delete-$s" secret delete $V $s --yes --json
done
kvb delete-copy secret delete kv-contoso-ai-prod canary-sweep-copy --yes --json
# rotation at the source (#13): both keys of contoso-ai before and after
# are canaries; the new key reaches the vault (allowed), nothing else
aikeys() {
    python3 - "$1" "$top_srcdir" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(sys.argv[2], "tests", "cli"))
import simctl
sim = simctl.attach()
sub = sim.demo_sub("Contoso Production")
r = sim.arm("POST", "/subscriptions/%s/resourceGroups/rg-ai-prod/providers/"
            "Microsoft.CognitiveServices/accounts/contoso-ai/listKeys" % sub,
            api="2023-05-01")
assert r.status == 200, r.body
print("%s-key1 %s\n%s-key2 %s" % (sys.argv[1], r.json()["key1"],
                                   sys.argv[1], r.json()["key2"]))
PY
}
aikeys ai-before >>"$M" || fail "could not list contoso-ai's keys"
kvb rotate-source secret rotate kv-contoso-ai-prod openai-api-key --at-source --retire-old now --yes --json
aikeys ai-after >>"$M" || fail "could not list contoso-ai's keys"
[ "$(grep -c '^ai-' "$M")" = 4 ] || fail "the AI keys are not all canaries"
kvb journal journal --json
[ "$(st deleted $V canary-sweep)" = deleted ] || fail "canary-sweep is not deleted in the sim"
pass "batch: set (stdin, file, --via-arm), rotate, show, copy, delete ran"

# --demo: kvdeck starts kvdeck-sim itself (a process of its own, traced)
# and signs in with that sim's client secret. Its directory is kept
# (KVDECK_DEMO_KEEP) to read the sim's log and client secret, then moved
# out of TMPDIR: the rest of it is the sim's store (the vault).
C7=$(marker c7)
printf 'C7 %s\n' "$C7" >>"$M"
printf '%s\n' "$C7" >"$W/in/C7"
KVDECK_DEMO_KEEP=1 $TRACE -o "$W/trace/demo-set" "$KVDECK" --demo \
    --log "$W/logs/demo-set.log" secret set $V canary-demo --yes --json \
    >"$W/out/demo-set.out" 2>"$W/out/demo-set.err" <"$W/in/C7" ||
    fail "kvdeck --demo secret set exited $?: $(cat "$W/out/demo-set.err")"
grep -q 'execve("[^"]*kvdeck-sim"' "$W/trace/demo-set" || fail "kvdeck --demo started no kvdeck-sim (trace)"
set -- "$TMPDIR"/kvdeck-demo-*
[ $# = 1 ] && [ -d "$1" ] || fail "no kept demo directory in TMPDIR: $*"
mv "$1" "$W/demo"
# (the sim removed its connection.json at exit; sim.json keeps the secret)
printf 'client-secret-demo %s\n' "$(SIM_CONN=$W/demo/sim.json conn client_secret)" >>"$M"
pass "batch --demo: C7 set, kvdeck-sim started by kvdeck"

# --- where to look ------------------------------------------------------
J=$XDG_STATE_HOME/kvdeck/journal.jsonl
[ -s "$J" ] || fail "no journal at $J"
grep -q rotate "$J" || fail "the rotations are not in the journal"
for f in "$W"/logs/console.log "$W"/logs/batch-rotate.log; do
    [ -s "$f" ] || fail "$f is empty"
done
grep -q '^token-' "$M" || fail "the proxy recorded no token: the sign-in did not go through it"
ntok=$(grep -c '^token-' "$M")
n=$(cat "$W"/trace/* | grep -c 'execve(')
for t in "$W"/trace/*; do
    grep -q "execve(\"$KVDECK\"" "$t" || fail "$t does not show kvdeck's execve"
done
# every file a traced process opened for writing or created, anywhere
python3 - "$W" "$W"/trace/* >"$W/written" <<'PY'
import os, re, sys
top = sys.argv[1]
paths = set()
wr = re.compile(r'(?:open|openat|creat)\((?:AT_FDCWD, )?"([^"]+)"(?:, ([A-Z_|]+))?')
mv = re.compile(r'(?:rename|renameat2?|link|linkat|symlink|symlinkat)\(.*"([^"]+)"')
for t in sys.argv[2:]:
    for line in open(t, errors="replace"):
        m = wr.search(line)
        if m and (line.split("(", 1)[0].endswith("creat") or
                  re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND", m.group(2) or "")):
            paths.add(m.group(1))
        m = mv.search(line)
        if m:
            paths.add(m.group(1))
for p in sorted(paths):
    if p.startswith(("/dev/", "/proc/", "/sys/")) or not os.path.isfile(p):
        continue
    print(p)
PY
set --
while read -r p; do
    case $p in "$W"/*) ;; *) echo "# kvdeck wrote outside the test's directories: $p" ;; esac
    set -- "$@" "written by a traced process=$p"
done <"$W/written"
[ $# -ge 3 ] || fail "the traces show only $# files written (log, journal?)"
echo "# $# files written by traced processes, all searched"
! grep -lE "Sanitizer|runtime error:" "$W"/out/*.err || fail "a sanitizer report (above)"

echo "# canaries: 2 client secrets, $ntok tokens, C1..C7; $n programs traced"
python3 "$top_srcdir/tests/tui/canary-scan.py" "$M" \
    "the journal=$J" \
    --dir "the debug logs=$W/logs" \
    --dir "HOME (XDG config, state, data, cache)=$HOME" \
    --dir "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR" \
    --dir "TMPDIR=$TMPDIR" \
    --dir "argv, environment and file names of every process (strace)=$W/trace" \
    "kvdeck-sim's log=$W/sim/sim.log" \
    "the log of the kvdeck-sim kvdeck --demo started=$W/demo/sim.log" \
    --dir "the batch commands' stdout and stderr=$W/out" \
    "the console's stderr=$SCR_DIR/stderr" \
    "$@" \
    --term "$SCR_RAW" --reveal "C1:$r1a:$r1b" --reveal "C2:$r2a:$r2b" \
    --osc52 C1,C2 || fail "a canary was found (see above)"
exit 0
