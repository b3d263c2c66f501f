#!/bin/sh
# test-cli-keyring-login.sh — keeping the session (issue #8), end to end:
# in a private D-Bus session with gnome-keyring unlocked, `kvdeck login
# --device-code` (approved through kvdeck-sim's control endpoint) leaves a
# refresh token in the keyring (seen by secret-tool), so the next start
# needs no sign-in — a batch command without a terminal, which may not
# show a code, lists the vault's secrets; `kvdeck logout` removes the
# entry (secret-tool sees none) and the next start is not signed in.
# Without a Secret Service the login says the tokens stay in memory only,
# and the refresh token is found in no file.
# Skipped (77) without dbus-run-session, gnome-keyring-daemon or
# secret-tool, or when kvdeck was built --without-libsecret.
SIM_ARGS="--device-interval 1"
. "${top_srcdir:-.}/tests/cli/clilib.sh"
for p in dbus-run-session gnome-keyring-daemon secret-tool; do
    command -v "$p" >/dev/null 2>&1 ||
        { echo "SKIP: $p is not installed (dbus-daemon, gnome-keyring, libsecret-tools)"; exit 77; }
done
"$top_builddir/tests/keyring/keyring-tool" have-libsecret ||
    { echo "SKIP: built without libsecret: the keyring is always memory only"; exit 77; }

export AZURE_CONFIG_DIR=$T/azure # empty: no az login here
mkdir -p "$AZURE_CONFIG_DIR" "$T/home" "$T/run" "$T/state" "$T/data"
chmod 700 "$T/run"
export HOME=$T/home XDG_RUNTIME_DIR=$T/run XDG_STATE_HOME=$T/state \
    XDG_DATA_HOME=$T/data
unset DBUS_SESSION_BUS_ADDRESS DISPLAY
printf '%s\n' "cloud = $(conn cloud_file)" "ca-file = $(conn ca)" \
    "tenant = $(conn tenant)" >"$T/config"
export T KVDECK SIM_CONN top_srcdir
SCHEMA="xdg:schema org.kvdeck.RefreshToken"
export SCHEMA

# The session's part runs inside dbus-run-session; it prints ok/FAIL lines.
cat >"$T/inside.sh" <<'IN'
. "$T/lib.sh"
echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
kvdeck_bg login --device-code
UC=$(code) || { echo "FAIL - no code on stderr"; exit 1; }
python3 "$top_srcdir/tests/cli/simctl.py" device "$UC" approve
wait "$KPID"; rc=$?
check "login --device-code approved: exit 0" [ "$rc" -eq 0 ]
secret-tool search --all $SCHEMA >"$T/search" 2>&1; n=$(grep -c "^label = kvdeck refresh token for " "$T/search")
check "secret-tool finds one kvdeck refresh token" [ "$n" -eq 1 ]
"$KVDECK" --config "$T/config" secret list kv-contoso-dev --json >"$T/o2" 2>"$T/e2" </dev/null
rc=$?
check "a second start (no terminal) needs no sign-in: exit 0" [ "$rc" -eq 0 ]
check "and lists the secrets" grep -q '"name":"db-password"' "$T/o2"
check "no device code was asked for" sh -c '! grep -q "enter the code" "$1"' - "$T/e2"
"$KVDECK" --config "$T/config" logout >"$T/o3" 2>&1
check "logout: exit 0" [ $? -eq 0 ]
n=$(secret-tool search --all $SCHEMA 2>&1 | grep -c '^label = ')
check "secret-tool: the entry is gone" [ "$n" -eq 0 ]
"$KVDECK" --config "$T/config" secret list kv-contoso-dev >"$T/o4" 2>"$T/e4" </dev/null
rc=$?
check "after logout a start without a terminal is not signed in (exit 3)" [ "$rc" -eq 3 ]
check "and says to run kvdeck login" grep -q "kvdeck login" "$T/e4"
exit $fail
IN

cat >"$T/lib.sh" <<'LIB'
fail=0
check() { what=$1; shift; if "$@"; then echo "ok - $what"; else echo "FAIL - $what"; fail=1; fi; }
kvdeck_bg() {
    rm -f "$T/out" "$T/err"
    "$KVDECK" --config "$T/config" --log "$T/debug.log" "$@" >"$T/out" 2>"$T/err" </dev/null &
    KPID=$!
}
code() {
    n=0
    while [ $n -lt 100 ]; do
        c=$(sed -n 's/.*enter the code \([A-Z0-9]*\).*/\1/p' "$T/err" 2>/dev/null | tail -n 1)
        [ -n "$c" ] && { echo "$c"; return 0; }
        sleep 0.1
        n=$((n + 1))
    done
    return 1
}
LIB

out=$(dbus-run-session -- sh "$T/inside.sh" 2>&1)
rc=$?
echo "$out" | grep -v "^$"
[ $rc -eq 0 ] || bad=1
echo "$out" | grep -q "^FAIL" && bad=1

# No Secret Service: the login works, the tokens stay in memory only, and
# the refresh token is in no file (nor is any token-like string).
DBUS_SESSION_BUS_ADDRESS=unix:path=$T/no-bus
export DBUS_SESSION_BUS_ADDRESS
. "$T/lib.sh"
kvdeck_bg login --device-code
UC=$(code) || { echo "FAIL: no code (no keyring)"; exit 1; }
simctl device "$UC" approve
wait "$KPID"; rc=$?
check "no keyring: login still works (exit 0)" [ "$rc" -eq 0 ]
check "and says the tokens stay in memory only" grep -q "memory only" "$T/out" "$T/err"
check "no token in any file under the test's home and state dirs" \
    sh -c '! grep -r -l -a "eyJ0eXAi\|eyJhbGci\|refresh_token" "$1/home" "$1/state" "$1/data" "$1/run" 2>/dev/null' - "$T"
[ "$fail" -eq 0 ] || bad=1
exit $bad
