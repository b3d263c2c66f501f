#!/bin/sh
# test-screen-pending.sh — retirements recorded for later, in the console
# (kvdeck --demo, with `kvdeck secret rotate --retire-old` run against the
# same kvdeck-sim and the same journal):
#  - :pending lists them (secret, vault, version, due; the due one
#    marked), Enter on one disables that version now (review, progress):
#    the sim has the version disabled and the list drops it;
#  - on start the status bar says how many are pending and due;
#  - a rotation at the source's retirement regenerates the old key at the
#    AI services account (typed account name), not only disables it.
# Needs tmux, python3 and kvdeck-sim.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

. "$top_srcdir/tests/tui/demo-lib.sh"
V=kv-contoso-dev

demo_start 100 30
conn() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$SIM_CONN" "$1"; }
(umask 077; printf 'cloud = %s\nca-file = %s\ntenant = %s\nclient-id = %s\nclient-secret = %s\n' \
    "$(conn cloud_file)" "$(conn ca)" "$(conn tenant)" "$(conn client_id)" \
    "$(conn client_secret)" > "$SCR_DIR/batch.cfg")
old=$(st versions $V db-password | head -n 1 | cut -d' ' -f1)
"$KVDECK" --config "$SCR_DIR/batch.cfg" secret rotate $V db-password \
    --generate hex:8 --retire-old 1m --yes >/dev/null 2>&1 </dev/null || fail "rotate 1m failed"
"$KVDECK" --config "$SCR_DIR/batch.cfg" secret rotate $V feature-flags-token \
    --generate hex:8 --retire-old 7d --yes >/dev/null 2>&1 </dev/null || fail "rotate 7d failed"
# Make db-password's retirement due now (the shortest delay is 1m): its
# journal line gets a due time in the past.
sed -i '/retire-later/{/db-password/s/"due":"[^"]*"/"due":"2020-01-01T00:00:00Z"/}' "$KVDECK_JOURNAL"
grep -q '"due":"2020-01-01T00:00:00Z"' "$KVDECK_JOURNAL" || fail "could not find the retire-later line (journal format?)"
st versions $V db-password | grep -q "^$old enabled" || fail "the old version is not enabled yet"
keys :
type_text pending
keys Enter
wait_for "Pending retirements" 5
assert_screen "db-password" "the due retirement is listed"
assert_screen "feature-flags-token" "the later one too"
assert_screen "(due)" "the due one is marked"
screen_text | grep "db-password" | grep -qF "${old%"${old#????????}"}" || fail "its version is not shown"
pass "with its version"
# db-password's is due first: it is the first row
keys Enter
wait_for "Disable version" 5
keys Enter
wait_for "Done in" 20
st versions $V db-password | grep -q "^$old disabled" || fail "the sim still has $old enabled"
pass "Enter disables the version now (the sim agrees)"
keys Enter
wait_gone "Done in"
wait_gone "db-password    " 5
screen_text | grep -q "Pending retirements" || fail "the list closed"
assert_screen "feature-flags-token" "the list keeps the other one"
pass "and the disabled one leaves the list"
keys Escape
wait_gone "Pending retirements"
keys q
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"

# A new start with the same journal: the status bar says so.
: > "$SCR_DIR/status"
rm -f "$SCR_DIR/status"
screen_kill
screen_start 100 30 "$KVDECK --demo"
wait_for "1 pending retirement, 0 due — :pending" 30
pass "on start the status bar names the pending retirements"

# A rotation at the source (issue #13) retired from :pending: the old
# version's key is regenerated at the account, not only the version
# disabled (that would leave the leaked key valid).
SIM_CONN=$(ls -t "$SCR_DIR"/kvdeck-demo-*/connection.json 2>/dev/null | head -n 1)
export SIM_CONN
(umask 077; printf 'cloud = %s\nca-file = %s\ntenant = %s\nclient-id = %s\nclient-secret = %s\n' \
    "$(conn cloud_file)" "$(conn ca)" "$(conn tenant)" "$(conn client_id)" \
    "$(conn client_secret)" > "$SCR_DIR/batch.cfg")
cog() { simctl ai "$@"; } # keys | probe KEY: the demo's contoso-ai
set -- $(cog keys)
K1=$1
[ -n "$K1" ] || fail "no keys from the demo's AI services account"
"$KVDECK" --config "$SCR_DIR/batch.cfg" secret rotate kv-contoso-ai-prod \
    openai-api-key --at-source --retire-old 1m --yes >/dev/null 2>&1 </dev/null ||
    fail "rotate --at-source --retire-old 1m failed"
[ "$(cog probe "$K1")" = 200 ] || fail "the old key should still work until retired"
sed -i '/retire-later/{/openai-api-key/s/"due":"[^"]*"/"due":"2020-01-01T00:00:00Z"/}' "$KVDECK_JOURNAL"
keys :
type_text pending
keys Enter
wait_for "Pending retirements" 5
assert_screen "openai-api-key" "the rotation at the source is listed"
assert_screen "regenerate its key at the source" "Enter says the key dies too"
keys Enter
wait_for "To apply, type contoso-ai:" 10
pass "retiring at the source asks for the account's name"
type_text "contoso-ai"
keys Enter
wait_for "Done in" 30
[ "$(cog probe "$K1")" = 401 ] || fail "the old key still answers at the endpoint"
pass "the old version's key was regenerated at the source (401 now)"
keys Enter
keys Escape
keys q
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
