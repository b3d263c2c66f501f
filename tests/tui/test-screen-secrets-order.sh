#!/bin/sh
# test-screen-secrets-order.sh — `o` in the secrets pane (issue #12): the
# list comes in the service's order (the sim lists by name); o orders it
# by name, then newest first, then expiring first, then as listed again,
# each said in the pane's title; a reload (r) keeps the order chosen,
# with a secret written behind the console's back sorted into its place.
# kvdeck --demo in tmux, kv-contoso-app-prod (5 secrets: jwt-signing-key
# the one updated longest ago, smtp-password the only one with an
# expiry). Skips without tmux, kvdeck-sim or python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "${top_srcdir:-.}/tests/tui/demo-lib.sh"

V=kv-contoso-app-prod
# the secret rows of the pane, in screen order, on one line
rows() {
    screen_text | grep -oE '[▸▾] (aaa-added|db-password|storage-connection-string|redis-access-key|jwt-signing-key|smtp-password)\b' |
        sed 's/^[^ ]* //' | tr '\n' ' ' | sed 's/ $//'
}

demo_start 110 30
keys :
type_text "vault $V"
keys Enter
wait_for "Secrets of $V (5)" 20
names="db-password jwt-signing-key redis-access-key smtp-password storage-connection-string"
[ "$(rows)" = "$names" ] || fail "the service's order at first: $(rows)"
refute_screen "by name" "no order named in the title by default"
pass "the list comes in the service's order"

keys o
wait_for "Secrets of $V (5) by name" 5
[ "$(rows)" = "$names" ] || fail "by name: $(rows)"
pass "o orders by name, and the title says so"

keys o
wait_for "Secrets of $V (5) newest first" 5
last=$(rows | awk '{ print $NF }')
[ "$last" = "jwt-signing-key" ] || fail "newest first: $(rows)"
pass "o again: newest first (the secret updated longest ago last)"

keys o
wait_for "Secrets of $V (5) expiring first" 5
first=$(rows | cut -d' ' -f1)
[ "$first" = "smtp-password" ] || fail "expiring first: $(rows)"
pass "o again: expiring first (the only secret with an expiry on top)"

# a secret written behind the console's back, then r: the order stays
echo "added" >"$SCR_DIR/val"
simctl put $V aaa-added "$SCR_DIR/val" >/dev/null || fail "could not write behind the console's back"
keys r
wait_for "Secrets of $V (6) expiring first" 10
[ "$(rows)" = "smtp-password aaa-added db-password jwt-signing-key redis-access-key storage-connection-string" ] ||
    fail "after the reload: $(rows)"
pass "a reload keeps the order; the new secret is sorted into its place"

keys o
wait_for "Secrets of $V (6)" 5
refute_screen "expiring first" "the title names no order again"
# as listed: a reload updates what is known in place and appends the new
[ "$(rows)" = "$names aaa-added" ] || fail "as listed: $(rows)"
pass "o a fourth time: the order as listed again (the new secret last)"
screen_kill
