#!/bin/sh
# test-screen-secret-new.sh — new secret (n, :new) and new version (w)
# against kvdeck-sim:
#  - a bad name is refused inline; a new secret with a generated hex
#    value, content type, expiry and tags is in the sim as reviewed;
#  - a new version whose value is pasted (bracketed paste) into the
#    no-echo field: the sim holds exactly the pasted text, the screen
#    never showed it;
#  - creating old-ftp-password, which is soft-deleted: the 409
#    ObjectIsDeletedButRecoverable becomes an offer to recover it, then
#    to write the value as its new version; both done in the sim.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/wizard-lib.sh"

wizard_start 80 24

# New secret, generated hex value.
w0=$(simctl writes)
keys n
wait_for "New secret (1/2)" 10
type_text "bad_name"
keys Enter
wait_for "a secret name has 1-127 characters" 5
pass "a bad name is refused inline"
keys Up C-u
type_text "payments-api-key"
# Value: generate; Alphabet: base64url -> hex; Length 16
keys Enter Enter Right Enter C-u
type_text "16"
keys Enter Enter Enter Enter
wait_for "New secret (2/2)" 5
type_text "text/plain"
keys Enter
type_text "+30d"
keys Enter Enter
type_text "team=payments, env=dev"
keys Enter
wait_for "[ Apply ]" 5
assert_screen "Create secret payments-api-key in $V" "the review names the new secret"
[ "$(simctl writes)" = "$w0" ] || fail "a write before Apply"
keys Enter
wait_for "Done in" 20
keys Enter
wait_for "Created payments-api-key in $V." 5
value=$(wizsim latest $V payments-api-key | cut -d' ' -f2-)
echo "$value" | grep -Eqx '[0-9a-f]{32}' || fail "the value is not 16 random bytes in hex"
pass "the sim holds a generated hex value of 16 bytes"
show=$(wizsim show $V payments-api-key)
echo "$show" | grep -qF '"contentType": "text/plain"' || fail "content type: $show"
echo "$show" | grep -qF '"team": "payments"' || fail "tags: $show"
echo "$show" | grep -q '"exp": [0-9]' || fail "expiry: $show"
pass "content type, tags and expiry as reviewed"
keys Enter
wait_for "payments-api-key" 15
pass "the secrets pane lists the new secret"

# New version of feature-flags-token, its value pasted with no echo.
keys g
wait_for "db-password" 5
keys j
n0=$(versions feature-flags-token)
keys w
wait_for "New version of feature-flags-token (1/2)" 10
keys Right Down Down Down Down
tm set-buffer -- "pasted-S3cr3t-4711
"
tm paste-buffer -p -t t
sleep 0.5
refute_screen "pasted-S3cr3t" "the pasted value is not shown"
keys Enter Enter
wait_for "(2/2)" 5
keys Enter Enter Enter Enter
wait_for "[ Apply ]" 5
assert_screen "Write a new version of feature-flags-token" "the review says a new version"
keys Enter
wait_for "Done in" 20
keys Enter
wait_for "Wrote a new version of feature-flags-token" 5
[ "$(versions feature-flags-token)" -eq $((n0 + 1)) ] || fail "not one new version"
[ "$(latest_value feature-flags-token)" = "pasted-S3cr3t-4711" ] || fail "the sim holds '$(latest_value feature-flags-token)'"
pass "the new version holds exactly the pasted text (line break dropped)"
keys Enter
wait_gone "Wrote a new version" 5

# The 409 recover offer: old-ftp-password is soft-deleted.
wizsim deleted $V old-ftp-password || fail "old-ftp-password is not deleted in the seed"
keys :
type_text "new old-ftp-password"
keys Enter
wait_for "New secret (1/2)" 10
keys Enter Enter Enter Enter Enter Enter Enter
wait_for "(2/2)" 5
keys Enter Enter Enter Enter
wait_for "[ Apply ]" 5
keys Enter
wait_for "Stopped at step 1" 20
assert_screen "a deleted secret named old-ftp-password is kept" "the check finds the deleted name before any write"
keys l
wait_for "Recover it (with its" 5
pass "the deleted name becomes an offer to recover the secret"
keys Enter
wait_for "Done in" 30
keys Enter
wait_for "value as its new version now?" 5
wizsim deleted $V old-ftp-password && fail "still deleted after the recovery"
pass "recovered in the sim"
keys Enter
wait_for "Done in" 20
keys Enter
wait_for "Wrote a new version of old-ftp-password" 5
[ "$(latest_value old-ftp-password | wc -c)" -eq 44 ] || fail "the new value is not the generated one"
pass "the generated value is its new version"
keys Enter
wait_gone "Wrote a new version" 5

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
