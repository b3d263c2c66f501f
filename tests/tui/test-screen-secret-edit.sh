#!/bin/sh
# test-screen-secret-edit.sh — at 80x24 with NO_COLOR and LC_ALL=C, against
# kvdeck-sim (--demo):
#  - E opens a form prefilled with the version's attributes; a bad date
#    and bad tags are refused inline and the message goes once fixed;
#    the review, then the PATCH: the sim's data plane has the new expiry,
#    tags, content type and enabled flag;
#  - C copies the secret to another vault (a choice of the known vaults)
#    under a new name: the sim has it there;
#  - Y copies the vault URI / secret identifier (OSC 52 in the byte
#    stream, the status bar says what).
# Needs tmux, python3 and kvdeck-sim.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

. "$top_srcdir/tests/tui/demo-lib.sh"
V=kv-contoso-dev

demo_start 80 24 "" "env NO_COLOR=1 LC_ALL=C"
# by name: the vaults pane lists vaults in the order the listings answer
keys :
type_text "vault kv-contoso-dev"
keys Enter
wait_for "Secrets of kv-contoso-dev (3)" 20
[ "$(st attrs $V db-password)" = "enabled=1 exp=- nbf=- ct=password tags=-" ] ||
    fail "unexpected seed: $(st attrs $V db-password)"

# --- edit ----------------------------------------------------------------
keys E
# the versions are fetched first when they were not loaded
wait_for "loading the versions of db-password; press E again" 5
pass "E on a secret whose versions are not loaded fetches them and says so"
sleep 1
keys E
wait_for "Edit attributes" 10
assert_screen "Content type password" "the form is prefilled with the content type"
assert_screen "[x]" "and the enabled flag"
screen_attrs | grep -q "$(printf '\033')\[3[0-7]m" && fail "colour codes with NO_COLOR"
pass "80x24, NO_COLOR: the form has no colours"
keys Space Tab
type_text "2031-02-30"
keys Tab
wait_for "no such day"
pass "a date that does not exist is refused inline"
keys BTab C-u
type_text "2031-01-02"
keys Tab
wait_gone "no such day"
pass "the message goes once the date is right"
keys Tab C-u
type_text "application/x-test"
keys Tab
type_text "team=ops,oops"
keys Enter
wait_for "tags as key=value, separated by commas"
pass "bad tags are refused inline"
keys BSpace BSpace BSpace BSpace BSpace
type_text ",env=dev"
keys Enter
wait_for "Edit version" 10
assert_screen "expires 2031-01-02" "the review states the change"
w0=$(st writes)
keys Enter
wait_for "Done in" 20
[ "$(st writes)" -eq $((w0 + 1)) ] || fail "not exactly one write"
got=$(st attrs $V db-password)
[ "$got" = "enabled=0 exp=2031-01-02 nbf=- ct=application/x-test tags=env=dev,team=ops" ] ||
    fail "the sim has: $got"
pass "one PATCH: disabled, expiry, content type and tags as typed"
keys Enter
wait_gone "Done in"

# --- copy to another vault ---------------------------------------------------
keys j C
wait_for "Copy to another vault"
# the first choice is another known vault; pick kv-contoso-ai-prod
i=0
while ! screen_text | grep -q "Vault .*kv-contoso-ai-prod"; do
    keys Right
    i=$((i + 1)); [ $i -le 6 ] || fail "kv-contoso-ai-prod is not a choice"
done
keys Tab
type_text "copied-flags"
keys Enter
wait_for "Copy feature-flags-token from kv-contoso-dev to copied-flags" 10
keys Enter
wait_for "Done in" 20
[ "$(st attrs kv-contoso-ai-prod copied-flags)" != missing ] || fail "no copy in kv-contoso-ai-prod"
pass "C copies the secret to kv-contoso-ai-prod under the new name"
keys Enter
wait_gone "Done in"

# --- copy an identifier --------------------------------------------------------
keys Y
wait_for "Copy an identifier"
assert_screen "vault URI: https://kv-contoso-dev.vault.localhost" "the vault URI is offered"
keys Enter
wait_for "copied secret identifier (no version) to the clipboard" 5
pass "Y copies the secret identifier and says so"
grep -q "52;c;" "$SCR_RAW" || fail "no OSC 52 in the byte stream"
pass "an OSC 52 sequence was written"
keys q
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
