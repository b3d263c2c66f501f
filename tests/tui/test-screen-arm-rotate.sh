#!/bin/sh
# test-screen-arm-rotate.sh — rotating a secret of a vault whose public
# network access is off, from outside its network (kvdeck at 127.0.0.1,
# the demo's kv-contoso-core-prod behind its private endpoint), at 80x24:
#  - R on a secret the pane listed through Resource Manager opens the
#    rotation "through Resource Manager", whose first page says why and
#    what it cannot do; the old version can only be kept;
#  - the review says the value cannot be read back; apply writes it:
#    the sim holds one new version (read over its private network) and
#    the old one stays enabled; the outcome says both;
#  - w (a new version) on the other secret writes through Resource
#    Manager too.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/vault-lib.sh"

acl() { python3 "$top_srcdir/tests/tui/simacl.py" "$@"; }
V=kv-contoso-core-prod
N=sql-admin-password

vault_start 80 24
acl versions $V $N > "$SCR_DIR/before" || fail "no versions over the private network"
n0=$(wc -l < "$SCR_DIR/before")
keys :
type_text "vault $V"
keys Enter
wait_for "Secrets of $V" 20
wait_for "Public network access is disabled on this vault and" 20
wait_for "$N" 20

keys g
keys R
wait_for "Rotate $N through Resource Manager (1/3)" 15
capture arm-rotate-page1
assert_screen "kvdeck writes through Resource Manager" "page 1 says how it writes"
assert_screen "the latest, enabled" "page 1 shows the latest version as listed"
keys Enter
wait_for "(2/3)" 5
keys Enter Enter Enter Enter Enter Enter
wait_for "(3/3)" 5
assert_screen "Resource Manager cannot disable one version" "the old version can only be kept"
capture arm-rotate-page3
refute_screen "Grace period" "no grace period to set"
keys Down Down Down Down
keys Right
assert_screen "◂ keep it enabled ▸" "Right cannot choose to disable it"
i=0
until screen_text | grep -qF "[ Apply ]"; do
    [ $i -lt 8 ] || fail "no review after the attributes page"
    keys Enter
    sleep 0.5
    i=$((i + 1))
done
capture arm-rotate-review
assert_screen "through Resource Manager" "the review names Resource Manager"
assert_screen "cannot be read back" "the review says the value cannot be verified"
keys Enter
wait_for "Done in" 30
keys Enter
wait_for "Rotated $N in $V through Resource" 10
capture arm-rotate-outcome
assert_screen "its value cannot be read back" "the outcome says what was not verified"
assert_screen "stays enabled" "the outcome says the old version stays enabled"
acl versions $V $N > "$SCR_DIR/after"
[ "$(wc -l < "$SCR_DIR/after")" -eq $((n0 + 1)) ] || fail "not exactly one new version: $(cat "$SCR_DIR/after")"
pass "the sim holds one new version"
while read -r ver state; do
    grep -q "^$ver enabled" "$SCR_DIR/after" || fail "version $ver is no longer enabled"
done < "$SCR_DIR/before"
pass "the old versions stay enabled"
keys Escape
wait_gone "Rotated $N" 5
keys g
keys v
wait_for "no value: this host cannot reach the vault's data" 5
pass "v says no value can come, and why"

# w: a new version of the other secret, through Resource Manager as well
N2=tls-cert-passphrase
acl versions $V $N2 > "$SCR_DIR/before2"
keys G
keys w
wait_for "New version of $N2" 10
assert_screen "through Resource Manager, and the value cannot be read" "w says it writes through Resource Manager"
keys Enter Enter Enter Enter Enter Enter
wait_for "(2/2)" 5
i=0
until screen_text | grep -qF "[ Apply ]"; do
    [ $i -lt 8 ] || fail "no review after the attributes page"
    keys Enter
    sleep 0.5
    i=$((i + 1))
done
assert_screen "through Resource Manager" "the review names Resource Manager"
keys Enter
wait_for "Done in" 30
keys Enter
wait_for "written through Resource Manager" 10
acl versions $V $N2 > "$SCR_DIR/after2"
[ "$(wc -l < "$SCR_DIR/after2")" -eq $(($(wc -l < "$SCR_DIR/before2") + 1)) ] ||
    fail "w: not exactly one new version"
pass "w writes a new version through Resource Manager"
keys Escape

# :rotate NAME takes the same way
keys :
type_text "rotate $N2"
keys Enter
wait_for "Rotate $N2 through Resource Manager (1/3)" 10
pass ":rotate NAME rotates through Resource Manager too"
keys Escape
wait_gone "Rotate $N2" 5

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
