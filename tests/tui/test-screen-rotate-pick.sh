#!/bin/sh
# test-screen-rotate-pick.sh — rotation at the source from the console
# (issue #13) where the rotate-source screen test does not reach, against
# kvdeck-sim:
#  - a secret WITHOUT the source-resource-id tag that holds an account's
#    key: the plain wizard's first page offers "regenerate at an AI
#    services account", the next page picks the account from the
#    subscription's AI services accounts; the run regenerates the other
#    key, stores it (now tagged with the account and source-key), and
#    leaves the key in use valid;
#  - a vault whose subscription has no AI services account: the page
#    says so and offers only the plain rotation;
#  - a caller that may read the account but not list its keys (Reader,
#    not Owner): the plan stops at its first step, says which permission
#    and which roles have it, and changes nothing.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/demo-lib.sh"
V=kv-contoso-ai-prod
N=search-admin-key

demo_start 100 30
keys :
type_text "vault $V"
keys Enter
wait_for "Secrets of $V (3)" 20
wait_for "$N" 10
acct=$(simctl ai id)
set -- $(simctl ai keys)
K1=$1 K2=$2
[ -n "$K1" ] && [ -n "$K2" ] || fail "no keys of contoso-ai"
# the search key is replaced by a copy of contoso-ai's Key1, untagged
printf '%s' "$K1" >"$SCR_DIR/k1"
simctl put $V $N "$SCR_DIR/k1" >/dev/null || fail "could not write $N"
rm -f "$SCR_DIR/k1"
case $(st show $V $N) in *source-resource-id*) fail "$N is tagged already" ;; esac

# rotate NAME with the plain wizard's "New value" choice moved RIGHT
# times (0: here, 1: at an AI services account); ends on the next page.
rotate() {
    keys :
    type_text "rotate $1"
    keys Enter
    wait_for "Rotate $1 (1/3)" 15
    [ "$2" = 0 ] || keys BTab Right
    keys Tab Enter
}

rotate $N 1
wait_for "Rotate $N at its source (1/2)" 10
wait_for "Key of" 15
assert_screen "contoso-ai (OpenAI, " "page 1 offers the subscription's AI services accounts"
assert_screen "regenerate at the account picked above" "and regenerating at the one picked"
# the other account of the subscription is one Right away
keys Right
wait_for "contoso-language (CognitiveServices, " 5
pass "Left/Right steps through the accounts"
keys Left
wait_for "contoso-ai (OpenAI, " 5
keys Tab Tab Enter
wait_for "(2/2)" 5
keys Tab Tab Enter # the old key: kept valid
wait_for "[ Apply ]" 10
assert_screen "Regenerate the key of contoso-ai that $N does not" "the review regenerates the key the secret does not hold"
keys Enter
wait_for "Done in" 30
keys Enter
wait_for "Rotated $N at its source (contoso-ai)." 10
assert_screen "holds Key2, verified at the endpoint" "the outcome says which key is live"
set -- $(simctl ai keys)
[ "$1" = "$K1" ] || fail "Key1, the key in use, was regenerated"
[ "$2" != "$K2" ] || fail "Key2 was not regenerated"
[ "$(st latest $V $N | cut -d' ' -f2-)" = "$2" ] || fail "the latest version of $N is not the new Key2"
pass "the new version holds the regenerated Key2, Key1 is untouched"
[ "$(simctl ai probe "$K1")" = 200 ] || fail "the key in use no longer answers"
[ "$(simctl ai probe "$2")" = 200 ] || fail "the new key does not answer"
pass "both keys answer 200 (the old one was kept valid)"
# the latest version (GET without a version), as JSON
tags=$(st show $V $N | tr -d ' ')
case $tags in *"\"source-resource-id\":\"$acct\""*) ;; *) fail "the new version is not linked to the account: $tags" ;; esac
case $tags in *'"source-key":"Key2"'*) ;; *) fail "no source-key=Key2 tag: $tags" ;; esac
pass "the new version is tagged with the account it was picked from and its key"
refute_screen "$2" "the new key is not on screen"
keys Escape
wait_gone "at its source" 5

# A vault of a subscription without AI services accounts.
keys :
type_text "vault kv-contoso-dev"
keys Enter
wait_for "Secrets of kv-contoso-dev" 20
D=db-password
rotate "$D" 1
wait_for "Rotate $D at its source (1/2)" 10
wait_for "Contoso Development has no AI services account" 15
pass "a subscription without AI services accounts is said so"
keys Tab Enter
wait_for "Rotate $D (1/3)" 10
pass "and only the plain rotation goes on"
keys Escape
wait_gone "Rotate $D" 5

# The caller may read the account but not list its keys.
keys :
type_text "vault $V"
keys Enter
wait_for "Secrets of $V" 20
simctl ai deny-keys || fail "could not take Owner from the demo's principals"
versions=$(st versions $V openai-api-key | wc -l)
keys :
type_text "rotate openai-api-key"
keys Enter
wait_for "Rotate openai-api-key at its source (1/2)" 15
keys Tab Enter
wait_for "(2/2)" 5
keys Tab Tab Enter
wait_for "[ Apply ]" 10
keys Enter
wait_for "Stopped at step 1" 30
wait_for "Listing the keys needs" 5
assert_screen "Cognitive Services Contributor" "the screen names a role that may list the keys"
keys l
wait_for "The rotation of openai-api-key at its source stopped." 10
[ "$(st versions $V openai-api-key | wc -l)" = "$versions" ] || fail "a version was written"
[ "$(simctl ai probe "$K1")" = 200 ] || fail "Key1 stopped answering"
pass "listKeys refused: nothing written, the key in use still answers"
keys Escape
wait_gone "at its source" 5
keys q
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
