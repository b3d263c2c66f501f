#!/bin/sh
# test-screen-memory.sh — the console's own process holds no credential or
# value outside secure memory (issue #11): kvdeck --demo in tmux signs in
# to its kvdeck-sim with a client secret, a value is revealed, masked
# again and copied (OSC 52); then tests/tui/memprobe.py reads the running
# kvdeck's memory through /proc/PID/mem, as the 0.1 probe did, and looks
# for the value (raw and base64), the sim's client secret and the access
# tokens kvdeck holds in its secure memory, everywhere else. kvdeck is
# non-dumpable, so the reader runs as root (directly, or through sudo -n);
# skips when neither can. Skips without tmux, kvdeck-sim or python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "${top_srcdir:-.}/tests/tui/demo-lib.sh"

probe() { # probe PID < needles
    if [ "$(id -u)" = 0 ]; then
        python3 "$top_srcdir/tests/tui/memprobe.py" "$1"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n python3 "$top_srcdir/tests/tui/memprobe.py" "$1"
    else
        return 2
    fi
}

printf 'reveal-seconds = 2\n' > "$XDG_CONFIG_HOME/kvdeck/config"
chmod 600 "$XDG_CONFIG_HOME/kvdeck/config"
demo_start 100 30
pane=$(tm display -p -t t '#{pane_pid}')
pid=$(pgrep -P "$pane" -f "src/kvdeck" | head -n 1)
[ -n "$pid" ] || fail "no kvdeck process under the pane"

keys :
type_text "vault kv-contoso-app-prod"
keys Enter
wait_for "Secrets of kv-contoso-app-prod (5)"
keys /
type_text "redis"
wait_for "(1 of 5)"
keys Enter Enter
wait_for "▾ redis-access-key"
keys v
end=$(( $(date +%s) + 15 ))
val=
while [ -z "$val" ] && [ "$(date +%s)" -le "$end" ]; do
    val=$(screen_text | grep -oE '[0-9a-f]{32}' | head -n 1)
    [ -n "$val" ] || sleep 0.1
done
[ -n "$val" ] || fail "the revealed value did not appear"
pass "v reveals the value"
wait_gone "$val" 8
pass "and masks it again"
keys y
wait_for "copied redis-access-key to the clipboard"
pass "y copies it"
sleep 0.5

secret=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["client_secret"])' "$SIM_CONN")
[ -n "$secret" ] || fail "no client secret in the sim's connection file"
b64=$(printf '%s' "$val" | base64 | tr -d '\n')
out=$(printf '%s\n%s\n%s\n' "$val" "$b64" "$secret" | probe "$pid")
st=$?
[ $st = 2 ] && skip "cannot read kvdeck's memory (kvdeck is non-dumpable: root or sudo -n needed)"
printf '%s\n' "$out"
printf '%s\n' "$out" | grep -qE '^[1-9][0-9]* tokens in secure memory' ||
    fail "no access token found in kvdeck's secure memory"
pass "the access tokens are in secure memory"
[ $st = 0 ] || fail "a credential or the value is in kvdeck's ordinary memory"
pass "no value, client secret or token in kvdeck's ordinary memory"

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits with 0"
exit 0
