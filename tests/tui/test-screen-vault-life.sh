#!/bin/sh
# test-screen-vault-life.sh — a vault's life cycle from the vaults pane
# against kvdeck-sim, at 80x24:
#  - E: the vault's tags replaced (review, then in the sim);
#  - L: purge protection turned on, the review asking for the name;
#  - D: delete (typed name; the review says until when it stays
#    recoverable); x: the subscription's deleted vaults list it with its
#    dates; U recovers it: a vault again in the sim and in the pane;
#  - P in the deleted vaults: purged for ever (typed name); refused with
#    nothing sent for a vault under purge protection.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/vault-lib.sh"

DEVN="Contoso Development"
vault_start 80 24
DEV=$(sv sub "$DEVN")
sv mk "$DEV" rg-sandbox kv-life-a westeurope
sv mk "$DEV" rg-sandbox kv-life-b westeurope
sv mkdeleted "$DEV" rg-sandbox kv-life-locked westeurope protect
keys r
wait_for "kv-life-b" 15

# select_vault NAME — the vaults pane's cursor on NAME (by its filter).
select_vault() {
    keys /
    type_text "$1"
    keys Enter
    wait_for "Detail: $1" 10
}

# dv_open — x, then Tab until the deleted vaults of $DEVN show.
dv_open() {
    keys x
    wait_for "Deleted vaults of" 10
    i=0
    until screen_text | grep -qF "Deleted vaults of $DEVN"; do
        [ $i -lt 4 ] || fail "no deleted vaults of $DEVN"
        keys Tab
        sleep 0.5
        i=$((i + 1))
    done
}

# dv_select NAME — the deleted vaults' cursor on NAME.
dv_select() {
    wait_for "$1" 15
    keys g
    row=$(screen_text | grep -nF "$1" | head -n 1 | cut -d: -f1)
    top=$(screen_text | grep -nF "Purge on" | head -n 1 | cut -d: -f1)
    k=$((row - top - 1))
    while [ $k -gt 0 ]; do keys j; k=$((k - 1)); done
    sleep 0.3
}

# ---- tags ----------------------------------------------------------------
select_vault kv-life-a
keys E
wait_for "Tags of kv-life-a" 5
capture tags-form
keys C-u
type_text "owner=ops, env=test"
keys Enter
wait_for "[ Apply ]" 10
capture tags-review
keys Enter
wait_for "Done in" 30
keys Enter
wait_gone "Done in" 5
sv show kv-life-a | grep -q "tags=env=test,owner=ops" || fail "tags: $(sv show kv-life-a)"
pass "E replaces the vault's tags"

# ---- purge protection -----------------------------------------------------
keys L
wait_for "[ Apply ]" 10
capture protect-review
type_text kv-life-a
keys Enter
wait_for "Done in" 30
keys Enter
wait_gone "Done in" 5
sv show kv-life-a | grep -q " pp=1 " || fail "purge protection: $(sv show kv-life-a)"
pass "L turns purge protection on (typed name)"

# ---- delete, the deleted vaults, recover -------------------------------
keys Escape
select_vault kv-life-b
w0=$(sv writes)
keys D
wait_for "[ Apply ]" 10
capture delete-review
assert_screen "recover" "the review says it stays recoverable"
keys Escape
wait_gone "[ Apply ]" 5
[ "$(sv writes)" = "$w0" ] || fail "Esc on the review sent something"
pass "Esc on the delete review sends nothing"
keys D
wait_for "[ Apply ]" 10
type_text kv-life-b
keys Enter
wait_for "Done in" 30
keys Enter
wait_gone "Done in" 5
sv deleted "$DEV" kv-life-b >/dev/null || fail "kv-life-b is not deleted in the sim"
pass "D deletes the vault (soft)"
keys Escape
dv_open
wait_for "kv-life-b" 10
capture deleted-vaults
assert_screen "kv-life-locked" "the list has the protected one too"
pass "x lists the subscription's deleted vaults"
dv_select kv-life-b
keys U
wait_for "[ Apply ]" 10
capture deleted-recover-review
keys Enter
wait_for "Done in" 60
keys Enter
wait_for "Deleted vaults of $DEVN" 10
sv deleted "$DEV" kv-life-b >/dev/null && fail "kv-life-b still deleted"
sv show kv-life-b >/dev/null || fail "kv-life-b is no vault"
wait_gone "kv-life-b" 15
pass "U recovers it; the list is read again without it"

# ---- purge: refused under purge protection, then a purge -------------------
dv_select kv-life-locked
w0=$(sv writes)
keys P
wait_for "purge protection holds it until" 5
capture deleted-purge-refused
[ "$(sv writes)" = "$w0" ] || fail "a write for a protected purge"
sv deleted "$DEV" kv-life-locked >/dev/null || fail "kv-life-locked gone"
pass "P on a protected deleted vault is refused, nothing sent"
keys Escape
wait_gone "Deleted vaults" 5
select_vault kv-life-b
keys D
wait_for "[ Apply ]" 10
type_text kv-life-b
keys Enter
wait_for "Done in" 30
keys Enter
wait_gone "Done in" 5
keys Escape
dv_open
dv_select kv-life-b
keys P
wait_for "[ Apply ]" 10
capture deleted-purge-review
type_text kv-life-b
keys Enter
wait_for "Done in" 60
keys Enter
wait_for "Deleted vaults of $DEVN" 10
wait_gone "kv-life-b" 15
sv deleted "$DEV" kv-life-b >/dev/null && fail "kv-life-b still deleted after the purge"
sv show kv-life-b >/dev/null && fail "kv-life-b is a vault"
pass "P purges a deleted vault for ever (typed name)"
keys Escape
wait_gone "Deleted vaults" 5

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
