#!/bin/sh
# test-screen-secret-delete.sh — delete, the deleted secrets, recover and
# purge in the console against kvdeck-sim (--demo), with the sim's
# soft-delete delay on (a deletion shows in the deleted list only after
# a while; recover completes only after a while, so the plan polls):
#  - D asks for the name typed; a wrong name is refused and sends
#    nothing; the right one deletes (the sim's data plane agrees);
#  - x shows the deleted secrets (deletion date, purge date, recovery id
#    in the detail pane) once the sim lists it;
#  - U recovers it (the secret is back, not deleted);
#  - P purges another deleted one: a wrong name refused, the right one
#    purges; on a vault with purge protection Azure's refusal is shown;
#  - a 403 (the principal lost the delete permission) says which
#    permission is missing, for whom, and that it is an access policy.
# Needs tmux, python3 and kvdeck-sim.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

. "$top_srcdir/tests/tui/demo-lib.sh"
V=kv-contoso-dev

demo_start 100 30
st config soft_delete_delay_ms=2500
# Open kv-contoso-dev by name (:vault): the vaults pane lists the
# subscriptions' vaults in the order their listings answer, so "the last
# one" is not always the same vault.
keys :
type_text "vault $V"
keys Enter
wait_for "Secrets of kv-contoso-dev (3)" 20
assert_screen "feature-flags-token" "the vault's secrets"

# --- delete with the typed name ----------------------------------------
keys j D
wait_for "To apply, type feature-flags-token:"
pass "D: the review asks for the name typed"
w0=$(st writes)
type_text "feature-flags-toke"
keys Enter
wait_for "type feature-flags-token exactly to confirm"
pass "a wrong name is refused with a message"
[ "$(st writes)" = "$w0" ] || fail "a write was sent with the wrong name"
pass "nothing sent with the wrong name"
type_text "n"
keys Enter
wait_for "Done in" 20
[ "$(st attrs $V feature-flags-token)" = missing ] || fail "the sim still has it"
pass "the right name deletes (the sim no longer serves it)"
keys Enter
wait_for "Secrets of kv-contoso-dev (2)" 10
pass "the secrets list is reloaded without it"

# --- the deleted secrets (shown only after the sim's delay) ------------
keys x
wait_for "Deleted secrets of kv-contoso-dev" 10
pass "x shows the deleted secrets"
i=0
while ! screen_text | grep -q "feature-flags-token"; do
    i=$((i + 1))
    [ $i -le 20 ] || fail "the deletion never showed in the deleted list"
    sleep 0.5
    keys r
done
pass "the deletion shows once the sim lists it (r reloads)"
assert_screen "Purge on" "the scheduled purge date column"
# Put the cursor on it and look at the detail pane.
while ! screen_text | grep -qF "Deleted secret feature-flags-token"; do
    keys j
    i=$((i + 1))
    [ $i -le 40 ] || fail "could not select it"
done
assert_screen "Recovery id: https://kv-contoso-dev" "the detail pane shows the recovery id"
assert_screen "Scheduled purge:" "and the scheduled purge date"

# --- recover (the sim completes it only after the delay) ---------------
keys U
wait_for "Recover feature-flags-token in kv-contoso-dev"
keys Enter
wait_for "Done in" 30
[ "$(st deleted $V feature-flags-token)" = not-deleted ] || fail "still deleted"
[ "$(st attrs $V feature-flags-token)" != missing ] || fail "not back"
pass "U recovers it (the plan waits for the sim)"
keys Enter
keys x
wait_for "Secrets of kv-contoso-dev" 10
# the list may lag behind the recovery for a moment: r reloads it
i=0
while ! screen_text | grep -qF "Secrets of kv-contoso-dev (3)"; do
    i=$((i + 1)); [ $i -le 20 ] || fail "the recovered secret is not listed"
    sleep 0.5
    keys r
done
pass "back in the secrets list"

# --- purge: typed name, wrong name refused ------------------------------
keys g D
wait_for "To apply, type db-password:"
type_text "db-password"
keys Enter
wait_for "Done in" 20
keys Enter
keys x
i=0
while ! screen_text | grep -q "db-password"; do
    i=$((i + 1))
    [ $i -le 20 ] || fail "db-password never showed in the deleted list"
    sleep 0.5
    keys r
done
while ! screen_text | grep -qF "Deleted secret db-password"; do keys j; done
keys P
wait_for "To apply, type db-password:"
w0=$(st writes)
type_text "DB-password"
keys Enter
wait_for "type db-password exactly to confirm"
[ "$(st writes)" = "$w0" ] || fail "purge sent with a wrong name"
pass "purge: a wrong name is refused, nothing sent"
keys C-u
type_text "db-password"
keys Enter
wait_for "Done in" 20
[ "$(st deleted $V db-password)" = not-deleted ] || fail "db-password is still deleted"
[ "$(st attrs $V db-password)" = missing ] || fail "db-password came back"
pass "the right name purges it"
keys Enter

# --- purge protection: Azure refuses, its message is shown --------------
keys x
wait_for "Secrets of kv-contoso-dev" 10
st protect $V
keys g D
wait_for "To apply, type"
name=$(screen_text | sed -n 's/.*To apply, type \([a-z-]*\):.*/\1/p' | head -n 1)
type_text "$name"
keys Enter
wait_for "Done in" 20
keys Enter x
i=0
while ! screen_text | grep -q "  $name "; do
    i=$((i + 1))
    [ $i -le 20 ] || fail "$name never showed in the deleted list"
    sleep 0.5
    keys r
done
while ! screen_text | grep -qF "Deleted secret $name"; do keys j; done
keys P
wait_for "To apply, type $name:"
type_text "$name"
keys Enter
wait_for "Stopped at step 1" 20
assert_screen "purge protection" "purge protection: Azure's refusal is shown"
keys l
wait_gone "Stopped at step 1"

# --- a 403 explained -------------------------------------------------------
keys x
wait_for "Secrets of kv-contoso-dev" 10
st perms $V get list set
keys g D
wait_for "To apply, type"
name=$(screen_text | sed -n 's/.*To apply, type \([a-z-]*\):.*/\1/p' | head -n 1)
type_text "$name"
keys Enter
wait_for "Stopped at step 1" 20
# The box's text without its borders, on one line.
box=$(screen_text | sed -n 's/^[^│]*│ \(.*[^ ]\) *│.*$/\1/p' | tr '\n' ' ')
echo "$box" | grep -q 'Missing permission: application [0-9a-f-]* (object [0-9a-f-]*) has no "delete" secret permission in the access policies of kv-contoso-dev' ||
    fail "the 403 is not explained"
pass "403: the missing permission, for whom, access policy"
keys l
wait_gone "Stopped at step 1"
keys q
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
