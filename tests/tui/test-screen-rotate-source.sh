#!/bin/sh
# test-screen-rotate-source.sh — R on a secret that holds the key of an
# Azure AI services account (the demo's openai-api-key, tagged
# source-resource-id = contoso-ai) rotates it at the source (issue #13),
# against kvdeck-sim:
#  - the wizard names the account and offers the plain rotation instead;
#  - "regenerate it now": the review asks for the account's name; after
#    the run the vault's latest version holds Key2, which answers 200 at
#    the account's endpoint, Key1 (the old value) answers 401, the old
#    version is disabled, and the outcome says which key is live where;
#  - the endpoint check failing (a fault): the plan stops, the key the
#    previous version holds still answers 200, and the screen says so;
#  - a secret that holds neither key: the plan stops at its first step,
#    no key regenerated, no version written;
#  - "type or generate a value here" opens the plain rotate wizard.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/demo-lib.sh"
V=kv-contoso-ai-prod
N=openai-api-key

cog() { # keys | probe KEY | value: contoso-ai's keys, the secret's value
    if [ "$1" = value ]; then st latest $V $N | cut -d' ' -f2-; else simctl ai "$@"; fi
}
latest() { st latest $V $N | cut -d' ' -f1; }

demo_start 100 30
keys :
type_text "vault $V"
keys Enter
wait_for "Secrets of $V (3)" 20
wait_for "$N" 10
set -- $(cog keys)
K1=$1 K2=$2
[ -n "$K1" ] && [ "$(cog value)" = "$K1" ] || fail "the demo's $N does not hold Key1"
old=$(latest)
short=${old%"${old#????????}"}

# to_review RETIRE: R, page 1 (at the source), page 2 with Right pressed
# RETIRE times on "Old key" (0 keep, 1 now, 2 later), then the review.
to_review() {
    keys R
    wait_for "Rotate $N at its source (1/2)" 15
    keys Tab Enter
    wait_for "(2/2)" 5
    i=0
    while [ "$i" -lt "$1" ]; do keys Right; i=$((i + 1)); done
    keys Tab Tab Enter
    wait_for "[ Apply ]" 10
}

keys R
wait_for "Rotate $N at its source (1/2)" 15
assert_screen "contoso-ai (AI services account)" "page 1 names the account"
assert_screen "regenerate at contoso-ai" "and offers to regenerate there"
keys Escape
wait_gone "at its source (1/2)" 5

# The happy path, the old key regenerated now.
to_review 1
assert_screen "Regenerate the key of contoso-ai that $N does not" "the review regenerates the other key"
assert_screen "To apply, type contoso-ai:" "regenerating the old key asks for the account's name"
type_text contoso-ai
keys Enter
wait_for "Done in" 30
keys Enter
wait_for "Rotated $N at its source (contoso-ai)." 10
assert_screen "holds Key2, verified at the endpoint" "the outcome says which key is live"
set -- $(cog keys)
[ "$(cog value)" = "$2" ] || fail "the latest version does not hold the new Key2"
[ "$2" != "$K2" ] || fail "Key2 was not regenerated"
pass "the vault's latest version holds the regenerated Key2"
[ "$(cog probe "$2")" = 200 ] || fail "the new key does not answer 200"
[ "$(cog probe "$K1")" = 401 ] || fail "the old value (Key1) still answers"
pass "the new key answers 200 at the endpoint, the old one 401"
st versions $V $N | grep -q "^$old disabled" || fail "the old version $short is not disabled"
pass "the old version is disabled"
refute_screen "$2" "the new key is not on screen"
keys Escape
wait_gone "at its source" 5

# The endpoint check fails: the key in use stays valid.
set -- $(cog keys)
L1=$1 L2=$2
simctl fault "error,area=openai" >/dev/null
to_review 0
keys Enter
wait_for "Stopped at step 5" 30
assert_screen "did not accept the new key" "the progress says the endpoint refused"
keys l # leave as is
wait_for "The rotation of $N at its source stopped." 10
assert_screen "is still valid at contoso-ai" "the screen says the key in use is still valid"
simctl nofaults >/dev/null
[ "$(cog probe "$L2")" = 200 ] || fail "the key the previous version holds was touched"
pass "after the failed check the application's key still answers 200"
keys Escape
wait_gone "at its source" 5

# The secret holds neither key (written behind the console's back, tags
# kept): the plan stops before changing anything.
python3 - <<'PY' || fail "could not write a version that is no key"
import os, sys
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "cli"))
import simctl
sim = simctl.attach()
cur = sim.dp("GET", "kv-contoso-ai-prod", "/secrets/openai-api-key").json()
r = sim.dp("PUT", "kv-contoso-ai-prod", "/secrets/openai-api-key",
           {"value": "0123456789abcdef0123456789abcdef",
            "tags": cur.get("tags", {})})
assert r.status == 200, r.body
PY
set -- $(cog keys)
M1=$1 M2=$2
n0=$(st versions $V $N | wc -l)
[ "$n0" -gt 3 ] || fail "the sim lists $n0 versions of $N"
keys r # the list shows the new latest version
sleep 1
to_review 0
keys Enter
wait_for "Stopped at step 1" 30
assert_screen "matches neither key of contoso-ai" "the plan says the secret holds neither key"
keys l
wait_for "The rotation of $N at its source stopped." 10
[ "$(cog keys)" = "$M1 $M2" ] || fail "a key changed although the secret held neither"
[ "$(st versions $V $N | wc -l)" = "$n0" ] || fail "a version was written"
pass "neither key: no key regenerated, no version written"
keys Escape
wait_gone "at its source" 5

# A value of one's own: the plain wizard.
keys R
wait_for "Rotate $N at its source (1/2)" 15
keys Right Tab Enter
wait_for "Rotate $N (1/3)" 10
pass "\"type or generate a value here\" opens the plain rotate wizard"
keys Escape
wait_gone "Rotate $N" 5
keys q
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
