#!/bin/sh
# test-screen-vault-cancel.sh — nothing is sent unless applied, against
# kvdeck-sim at 80x24:
#  - the create-a-vault wizard left from every page (Esc back to the
#    panes) and from the review: no PUT, PATCH or DELETE in the sim, no
#    vault and no group made;
#  - under --read-only, n and :create vault in the vaults pane, D, E and
#    L on a vault, U and P in the deleted vaults refuse with the
#    read-only message; nothing is written.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/vault-lib.sh"

N=kv-never-made
vault_start 80 24
DEV=$(sv sub "Contoso Development")
w0=$(sv writes)

# to_page K — from the panes through the wizard to page K (a new group,
# so leaving must not create it either); 6 is the review.
to_page() {
    wiz_open
    wiz_name $N "Contoso Development"
    [ "$1" -ge 2 ] || return 0
    keys Enter Enter
    wiz_page 2
    wait_for "rg-" 10
    i=0
    until screen_text | grep -qF "◂ a new group… ▸"; do
        [ $i -lt 12 ] || fail "no 'a new group' choice"
        keys Right
        sleep 0.2
        i=$((i + 1))
    done
    [ "$1" -ge 3 ] || return 0
    keys Enter Enter
    wiz_page 3
    [ "$1" -ge 4 ] || return 0
    keys Enter Enter Enter
    wiz_page 4
    [ "$1" -ge 5 ] || return 0
    keys Enter Enter Enter Enter
    wiz_page 5
    [ "$1" -ge 6 ] || return 0
    keys Enter Enter Enter
    wait_for "[ Apply ]" 10
}

for k in 1 2 3 4 5 6; do
    to_page $k
    j=0
    while [ $j -lt $k ]; do
        keys Escape
        sleep 0.4
        j=$((j + 1))
    done
    wait_gone "New vault" 5
    wait_gone "[ Apply ]" 5
    [ "$(sv writes)" = "$w0" ] || fail "left at page $k: writes went from $w0 to $(sv writes)"
    pass "left from page $k (Esc back to the panes): nothing written"
done
sv show $N >/dev/null && fail "$N was made"
sv group "$DEV" "rg-$N" >/dev/null && fail "rg-$N was made"
pass "no vault and no group in the sim"
keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
screen_kill

# ---- --read-only --------------------------------------------------------------
vault_start 80 24 --read-only
sv mkdeleted "$DEV" rg-sandbox kv-ro-deleted westeurope
w0=$(sv writes)
RO="read-only: kvdeck was started with --read-only"
keys n
wait_for "$RO" 5
refute_screen "New vault (1/5)" "n in the vaults pane opens no wizard"
keys :
type_text "create vault"
keys Enter
wait_for "$RO" 5
refute_screen "New vault (1/5)" ":create vault opens no wizard"
for k in D E L; do
    keys j
    sleep 0.5
    keys "$k"
    wait_for "$RO" 5
    refute_screen "[ Apply ]" "$k on a vault reviews nothing"
done
keys x
wait_for "Deleted vaults of" 10
i=0
until screen_text | grep -qF "kv-ro-deleted"; do
    [ $i -lt 4 ] || fail "kv-ro-deleted not listed"
    keys Tab
    sleep 0.7
    i=$((i + 1))
done
for k in U P; do
    keys "$k"
    wait_for "$RO" 5
    refute_screen "[ Apply ]" "$k in the deleted vaults reviews nothing"
done
sleep 1
[ "$(sv writes)" = "$w0" ] || fail "writes went from $w0 to $(sv writes)"
pass "under --read-only the sim counted no write"
keys Escape q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
