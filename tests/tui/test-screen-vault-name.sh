#!/bin/sh
# test-screen-vault-name.sh — the create-a-vault wizard's name against
# kvdeck-sim, at 80x24:
#  - a name taken by a vault of another subscription (kv-contoso-dev,
#    while Contoso Production is chosen) says where; one taken in
#    another tenant (kv-fabrikam-sandbox) says it is taken in Azure;
#    Next stays refused;
#  - a name held by a deleted vault (the seed's kv-contoso-old): the
#    offer, then recover: the vault is back in the sim, the console opens
#    its secrets;
#  - purge: a deleted vault purged from the offer (typed name), and back
#    on the page the name is free;
#  - purge protection: the offer says so, purging is refused without a
#    request, and the page asks for another name.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/vault-lib.sh"

vault_start 80 24
DEV=$(sv sub "Contoso Development")

# ---- taken ----------------------------------------------------------------
wiz_open
keys Tab
wiz_sub "Contoso Production"
keys BTab
type_text kv-contoso-dev
wait_for "it is your vault in" 15
capture name-taken-own
pass "a name of a vault in another subscription says where it is"
keys Enter Enter
sleep 0.5
assert_screen "New vault (1/5)" "Next is refused on a taken name"
keys C-u
type_text kv-fabrikam-sandbox
wait_for "is taken by a vault in another" 15
capture name-taken-elsewhere
pass "a name taken in another tenant says it is taken in Azure"
keys Escape
wait_gone "New vault" 5

# ---- a deleted vault holds the name: recover -------------------------------
sv deleted "$DEV" kv-contoso-old >/dev/null || fail "kv-contoso-old is not deleted in the seed"
w0=$(sv writes)
wiz_open
type_text kv-contoso-old
keys Tab
wiz_sub "Contoso Development"
keys BTab
wait_for "a deleted vault holds kv-contoso-old" 15
capture name-deleted
keys Enter Enter
wait_for "The name is held" 5
capture name-deleted-offer
assert_screen "recover it, with its secrets" "the offer proposes recovery first"
[ "$(sv writes)" = "$w0" ] || fail "a write before the review"
keys Enter
wait_for "[ Apply ]" 10
capture recover-review
keys Escape
wait_for "The name is held" 5
pass "Esc on the review comes back to the offer"
[ "$(sv writes)" = "$w0" ] || fail "a write after Esc"
keys Enter
wait_for "[ Apply ]" 10
keys Enter
wait_for "Done in" 60
keys Enter
wait_for "Recovered vault kv-contoso-old" 5
capture recover-outcome
sv deleted "$DEV" kv-contoso-old >/dev/null && fail "still deleted in the sim"
sv show kv-contoso-old >/dev/null || fail "not a vault again"
pass "recovered in the sim"
keys Enter
wait_for "Secrets of kv-contoso-old" 15
pass "the recovered vault's secrets are open"
keys Escape
wait_for "▶ Vaults" 5

# ---- purge from the offer -------------------------------------------------
sv mkdeleted "$DEV" rg-sandbox kv-purge-me westeurope
wiz_open
type_text kv-purge-me
keys Tab
wiz_sub "Contoso Development"
keys BTab
wait_for "a deleted vault holds kv-purge-me" 15
keys Enter Enter
wait_for "The name is held" 5
keys Right Enter
wait_for "[ Apply ]" 10
capture purge-review
type_text kv-purge-me
keys Enter
wait_for "Done in" 60
keys Enter
wait_for "New vault (1/5)" 5
wait_for "kv-purge-me is free" 15
capture purge-back-free
sv deleted "$DEV" kv-purge-me >/dev/null && fail "still deleted in the sim"
pass "purged; back on the page the name is free"
keys Escape
wait_gone "New vault" 5

# ---- purge protection -------------------------------------------------------
sv mkdeleted "$DEV" rg-sandbox kv-locked westeurope protect
wiz_open
type_text kv-locked
keys Tab
wiz_sub "Contoso Development"
keys BTab
wait_for "a deleted vault holds kv-locked" 15
keys Enter Enter
wait_for "The name is held" 5
assert_screen "It has purge protection" "the offer says purge protection holds it"
capture purge-protected-offer
w0=$(sv writes)
p0=$(st requests | python3 -c 'import json,sys; print(json.load(sys.stdin)["by_method"]["POST"])')
keys Right Enter
wait_for "cannot be purged" 5
capture purge-protected-refused
assert_screen "holds it" "the page says purge protection holds it"
assert_screen "another" "the page asks for another name"
assert_screen "New vault (1/5)" "back on the name page"
sv deleted "$DEV" kv-locked | grep -q "pp=1" || fail "kv-locked is not held deleted"
[ "$(sv writes)" = "$w0" ] || fail "a write was sent"
p1=$(st requests | python3 -c 'import json,sys; print(json.load(sys.stdin)["by_method"]["POST"])')
[ "$p1" = "$p0" ] || fail "a purge was posted ($p0 -> $p1 POSTs)"
pass "no purge was sent"
keys Escape
wait_gone "New vault" 5

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
