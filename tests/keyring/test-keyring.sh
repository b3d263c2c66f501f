#!/bin/sh
# test-keyring.sh — the refresh-token keyring (engine/keyring.c) against a
# real gnome-keyring in a private D-Bus session, with everything (home,
# data, state, runtime dirs) in a temp dir:
#   1. an unlocked keyring: a stored token is what `secret-tool lookup`
#      finds under the schema's attributes, with a label a person
#      recognises; a second store replaces it; lookup (any account)
#      returns it; remove leaves nothing; the keyring file on disk does
#      not hold the token in clear; `kvdeck logout --tenant`, `--all` and
#      with nothing stored (exit 0, "nothing stored"), checked with
#      secret-tool;
#   2. no usable keyring — a daemon with no keyring, a locked keyring, no
#      bus at all, a bus that never answers: "memory only" within 2 s,
#      the token still usable in memory, and never written anywhere under
#      the temp dirs.
# Skipped (77) without dbus-run-session, gnome-keyring-daemon or
# secret-tool, or when kvdeck was built --without-libsecret.
set -u
b=${top_builddir:-.}
s=${top_srcdir:-.}
tool=$b/tests/keyring/keyring-tool
kvdeck=$b/src/kvdeck

skip() {
    echo "SKIP: $*"
    exit 77
}
[ -x "$tool" ] && [ -x "$kvdeck" ] || { echo "not built: $tool, $kvdeck"; exit 99; }
"$tool" have-libsecret ||
    skip "built without libsecret: the keyring is always memory only"
for p in dbus-run-session gnome-keyring-daemon secret-tool; do
    command -v "$p" >/dev/null 2>&1 ||
        skip "$p is not installed (Debian: dbus-daemon, gnome-keyring, libsecret-tools)"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-keyring.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
new_home() { # new_home DIR: a fresh home with XDG dirs, exported
    mkdir -p "$1/home" "$1/run" "$1/state" "$1/config" "$1/cache"
    chmod 700 "$1/run"
    HOME=$1/home XDG_DATA_HOME=$1/home/.local/share XDG_RUNTIME_DIR=$1/run
    XDG_STATE_HOME=$1/state XDG_CONFIG_HOME=$1/config XDG_CACHE_HOME=$1/cache
    export HOME XDG_DATA_HOME XDG_RUNTIME_DIR XDG_STATE_HOME XDG_CONFIG_HOME \
        XDG_CACHE_HOME
}
new_home "$T/a"
unset AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET \
    AZURE_CLIENT_CERTIFICATE_PATH DBUS_SESSION_BUS_ADDRESS DISPLAY
# GLib's one-time allocations (type system, the D-Bus worker thread);
# see the file. kvdeck's own leaks are still reported.
LSAN_OPTIONS="suppressions=$s/tests/keyring/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
export tool kvdeck T

# The checks, shared by the inner scripts (each runs in its own session).
cat >"$T/lib.sh" <<'LIB'
fail=0
check() { # check WHAT COMMAND...
    what=$1; shift
    if "$@"; then echo "ok - $what"; else echo "FAIL - $what"; fail=1; fi
}
eq() { [ "$1" = "$2" ] || { echo "  got:  '$1'"; echo "  want: '$2'"; return 1; }; }
has() { case $1 in *"$2"*) return 0 ;; esac; echo "  '$1' lacks '$2'"; return 1; }
lt() { [ "$1" -lt "$2" ] || { echo "  $1 is not below $2"; return 1; }; }
nowhere() { # nowhere VALUE: not in any file under $T
    if grep -r -l -a -F -- "$1" "$T" 2>/dev/null; then return 1; fi
    return 0
}
SCHEMA="xdg:schema org.kvdeck.RefreshToken"
# keyring-tool, whose exit status (a sanitizer's report included) must be
# 0 or 4 (not found): the checks read its output in a subshell, so a bad
# status is noted in a file
kt() {
    "$tool" "$@"
    r=$?
    case $r in 0 | 4) ;; *) echo "keyring-tool $1 exited $r" >>"$T/tool-failed" ;; esac
    return $r
}
LIB

# ---- 1. an unlocked gnome-keyring ----------------------------------------
cat >"$T/unlocked.sh" <<'EOF1'
. "$T/lib.sh"
echo -n testpw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
out=$(kt probe)
check "probe: keyring" eq "$(echo "$out" | head -1)" "keyring"

v1="kvdeck-test-rt-1-$$"
v2="kvdeck-test-rt-2-$$"
out=$(printf %s "$v1" | kt store AzureCloud t1 ana@contoso.com c1)
check "store goes to the keyring" eq "$out" "keyring"
got=$(secret-tool lookup $SCHEMA cloud AzureCloud tenant t1 \
      account ana@contoso.com client_id c1)
check "secret-tool finds it under the schema's attributes" eq "$got" "$v1"
info=$(secret-tool search --all $SCHEMA 2>&1)
check "its label names account and tenant" \
    has "$info" "label = kvdeck refresh token for ana@contoso.com (t1)"
printf %s "$v2" | kt store AzureCloud t1 ana@contoso.com c1 >/dev/null
n=$(secret-tool search --all $SCHEMA 2>&1 | grep -c '^label = ')
check "a second store replaces the entry" eq "$n" 1
got=$(secret-tool lookup $SCHEMA cloud AzureCloud tenant t1)
check "with the new value" eq "$got" "$v2"
check "the old value is nowhere" nowhere "$v1"
check "the keyring file does not hold the token in clear" nowhere "$v2"
got=$(kt lookup AzureCloud t1 - c1)
check "lookup with any account gives account and value" \
    eq "$got" "ana@contoso.com $v2"
got=$(kt lookup AzureCloud t2 - -)
check "another tenant: not found" eq "$got" "not found"
got=$(kt remove AzureCloud t1 - -)
check "remove says what it removed" \
    eq "$got" "removed AzureCloud t1 ana@contoso.com c1"
got=$(secret-tool search --all $SCHEMA 2>&1)
check "secret-tool sees nothing after remove" eq "$got" ""

# kvdeck logout: this tenant's entries, then --all, then nothing stored
for e in "t1 ana@contoso.com" "t1 bo@contoso.com" "t2 ana@contoso.com"; do
    set -- $e
    printf %s "rt-$1-$2" | secret-tool store --label=test $SCHEMA \
        cloud AzureCloud tenant "$1" account "$2" client_id c1
done
out=$("$kvdeck" logout --tenant t1); rc=$?
check "logout --tenant t1: exit 0" eq "$rc" 0
check "it names ana" has "$out" \
    "removed the refresh token of ana@contoso.com (tenant t1, AzureCloud)"
check "and bo" has "$out" \
    "removed the refresh token of bo@contoso.com (tenant t1, AzureCloud)"
got=$(secret-tool search --all $SCHEMA tenant t1 2>&1)
check "secret-tool: tenant t1 is gone" eq "$got" ""
got=$(secret-tool lookup $SCHEMA tenant t2 account ana@contoso.com)
check "secret-tool: tenant t2 stays" eq "$got" "rt-t2-ana@contoso.com"
out=$(AZURE_TENANT_ID=t2 "$kvdeck" logout --json); rc=$?
check "logout (tenant from AZURE_TENANT_ID) --json: exit 0" eq "$rc" 0
check "the JSON lists the entry" has "$out" \
    '{"storage":"keyring","removed":[{"cloud":"AzureCloud","tenant":"t2","account":"ana@contoso.com","clientId":"c1"}]}'
got=$(secret-tool search --all $SCHEMA 2>&1)
check "secret-tool: nothing left" eq "$got" ""
out=$("$kvdeck" logout --all); rc=$?
check "logout --all with nothing stored: exit 0" eq "$rc" 0
check "and says nothing stored" eq "$out" "nothing stored"
printf %s "rt-gov" | secret-tool store --label=test $SCHEMA \
    cloud AzureUSGovernment tenant t3 account cy@contoso.us client_id c1
out=$("$kvdeck" logout); rc=$?
check "logout in AzureCloud leaves another cloud's token" \
    eq "$rc:$out" "0:nothing stored in AzureCloud"
out=$("$kvdeck" logout --all)
check "logout --all removes it" has "$out" "cy@contoso.us (tenant t3, AzureUSGovernment)"
exit $fail
EOF1

# ---- 2. no usable keyring ---------------------------------------------
cat >"$T/memory.sh" <<'EOF2'
. "$T/lib.sh"
label=$1
out=$(kt probe)
st=$(echo "$out" | head -1)
ms=$(echo "$out" | tail -1)
check "$label: memory only ($st)" has "$st" "memory only: "
check "$label: answered in under 2 s ($ms ms)" lt "$ms" 2000
v="kvdeck-test-rt-mem-$$-$label"
got=$(kt roundtrip AzureCloud t1 ana@contoso.com c1 "$v" | tail -1)
check "$label: the token is usable in memory" eq "$got" "ana@contoso.com $v"
check "$label: and written nowhere on disk" nowhere "$v"
out=$("$kvdeck" logout); rc=$?
check "$label: kvdeck logout: exit 0" eq "$rc" 0
check "$label: nothing stored, memory only" \
    has "$out" "nothing stored in AzureCloud
(no keyring here: "
exit $fail
EOF2

fail=0
run() { "$@" || fail=1; }
echo "# 1. an unlocked keyring"
run dbus-run-session -- sh "$T/unlocked.sh" 2>"$T/err1" ||
    sed 's/^/# /' "$T/err1"
echo "# 2a. a keyring daemon with no keyring (activated by the bus)"
new_home "$T/b"
run dbus-run-session -- sh "$T/memory.sh" no-keyring 2>/dev/null
echo "# 2b. a locked keyring (the one of part 1, not unlocked)"
new_home "$T/a"
run dbus-run-session -- sh "$T/memory.sh" locked 2>/dev/null
echo "# 2c. no session bus"
DBUS_SESSION_BUS_ADDRESS=unix:path=$T/no-bus run sh "$T/memory.sh" no-bus
(unset DBUS_SESSION_BUS_ADDRESS; rm -f "$XDG_RUNTIME_DIR/bus"
 sh "$T/memory.sh" no-address) || fail=1
if command -v "${PYTHON3:-python3}" >/dev/null 2>&1; then
    echo "# 2d. a bus that accepts and never answers"
    "${PYTHON3:-python3}" -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(4)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' "$T/mute-bus" &
    mute=$!
    i=0
    while [ ! -S "$T/mute-bus" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    DBUS_SESSION_BUS_ADDRESS=unix:path=$T/mute-bus run sh "$T/memory.sh" mute-bus
    kill "$mute" 2>/dev/null
    wait "$mute" 2>/dev/null
fi
if [ -s "$T/tool-failed" ]; then
    echo "FAIL - keyring-tool failed:"
    cat "$T/tool-failed"
    fail=1
fi
exit $fail
