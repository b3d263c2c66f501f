#!/bin/sh
# test-screen-readonly.sh — kvdeck --demo --read-only: every writing key
# (new secret, new version, rotate, edit, copy to, delete, recover, purge,
# and Enter in :pending) says "read-only" and sends nothing: the sim's
# write counter is the same after all of them; the help marks those
# actions "(read-only)". Needs tmux, python3 and kvdeck-sim.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

. "$top_srcdir/tests/tui/demo-lib.sh"
RO="read-only: kvdeck was started with --read-only; nothing was sent"

demo_start 100 30 --read-only
# by name: the vaults pane lists vaults in the order the listings answer
keys :
type_text "vault kv-contoso-dev"
keys Enter
wait_for "Secrets of kv-contoso-dev (3)" 20
w0=$(st writes)
# other_message — puts another message on the status bar (the detail
# pane has no filter), so each key below must put its own there.
other_message() {
    keys d /
    wait_for "this pane has no filter" 5
    keys s
}
for k in n w R E C D Delete; do
    other_message
    keys "$k"
    wait_for "$RO" 5
    screen_text | grep -q "┌" && fail "$k opened a screen under --read-only"
    pass "$k says read-only and opens nothing"
    keys C-l
done
keys x
wait_for "Deleted secrets of kv-contoso-dev" 10
i=0
while ! screen_text | grep -q "old-ftp-password"; do
    i=$((i + 1)); [ $i -le 20 ] || fail "no deleted secret listed"
    sleep 0.5
done
for k in U P; do
    other_message
    keys "$k"
    wait_for "$RO" 5
    pass "$k (on a deleted secret) says read-only"
done
keys x
other_message
keys :
type_text "new x"
keys Enter
wait_for "$RO" 5
pass ":new says read-only"
sleep 1
[ "$(st writes)" = "$w0" ] || fail "writes went from $w0 to $(st writes)"
pass "the sim counted no write"
keys F1
wait_for "Keys (Esc or q closes this help)"
assert_screen "delete the secret or vault (typed name) (read-only)" "help marks delete (read-only)"
assert_screen "rotate the secret (guided) (read-only)" "help marks B's rotate (read-only) too"
keys Escape
keys q
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
