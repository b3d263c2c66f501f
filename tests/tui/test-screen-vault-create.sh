#!/bin/sh
# test-screen-vault-create.sh — the create-a-vault wizard against
# kvdeck-sim, at 80x24:
#  - RBAC: the name checked as typed, an existing group, the review; the
#    vault created with "assign me Key Vault Secrets Officer": the role
#    is in the sim, the data-plane wait shows the 403 of the role's
#    propagation (the sim's rbac delay) and ends; the console lands in
#    the new vault's empty secrets pane, the vault selected, and n writes
#    the first secret there;
#  - access policies (from :create vault) in a new resource group with
#    its own region, premium, retention 7, tags: the group is in the sim
#    in that region, the vault has a policy for the signed-in principal
#    and no RBAC;
#  - RBAC with "assign me" cleared: no role step and no data-plane wait
#    in the review, no assignment in the sim, the outcome says so.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/vault-lib.sh"

vault_start 80 24
st config rbac_delay_ms=3000

# ---- RBAC, an existing group --------------------------------------------
N=kv-new-rbac
wiz_open
capture wizard-1-name-empty
type_text "9abc"
wait_for "with a letter" 5
pass "a name not starting with a letter is refused as it is typed"
keys C-u
wiz_name $N "Contoso Development"
capture wizard-1-name-free
keys Enter Enter
wiz_page 2
wait_for "rg-" 10
capture wizard-2-group
grp=$(screen_text | sed -n 's/.*Resource group ◂ \(rg-[a-z0-9-]*\) (.*/\1/p' | head -n 1)
[ -n "$grp" ] || fail "no existing group offered first"
# page 2 is shorter than page 1: page 1 must not show around it
[ "$(screen_text | grep -c '└─')" = 1 ] ||
    fail "the page before shows around page 2 (more than one box bottom)"
pass "only the current page is drawn, not the shorter page's predecessor"
keys Enter Enter
wiz_page 3
capture wizard-3-region
assert_screen "comes first" "the group's region comes first"
keys Enter Enter
wiz_page 4
capture wizard-4-access
assert_screen "Azure RBAC (recommended)" "RBAC is the default model"
assert_screen "[x]" "assign me is checked by default"
keys Enter Enter Enter Enter
wiz_page 5
capture wizard-5-network
keys Enter Enter Enter
wait_for "[ Apply ]" 10
capture wizard-6-review
assert_screen "Create vault $N in $grp" "the review names the vault and its group"
assert_screen "Secrets Officer on $N" "the review has the role step"
[ "$(sv show $N)" = missing ] || fail "a vault before Apply"
keys Enter
wait_for "ForbiddenByRbac" 30
capture wizard-7-progress-wait
pass "the data-plane wait shows the 403 while the role spreads"
wait_for "Done in" 30
capture wizard-8-done
keys Enter
wait_for "Created vault $N in $grp" 5
capture wizard-9-outcome
pass "the outcome says the vault was created"
sv roles $N | grep -q "^SecretsOfficer " || fail "no Secrets Officer role on $N: $(sv roles $N)"
pass "the sim has the Secrets Officer assignment on the vault"
sv show $N | grep -q " rbac=1 " || fail "not an RBAC vault: $(sv show $N)"
keys Enter
wait_gone "Created vault" 5
wait_for "Secrets of $N (0)" 15
wait_for "n adds one" 5
capture landed-secrets-pane
pass "lands in the new vault's empty secrets pane, with the hint"
screen_text | cut -c1-24 | grep -qF "$N" || fail "the vault is not in the vaults pane"

# The first secret, with the existing new-secret action.
keys n
wait_for "New secret (1/2)" 10
type_text "first-secret"
keys Enter Enter Enter Enter Enter Enter Enter
wait_for "(2/2)" 5
keys Enter Enter Enter Enter
wait_for "[ Apply ]" 5
keys Enter
wait_for "Done in" 30
keys Enter
wait_for "Created first-secret in $N" 5
sv secrets $N | grep -qx first-secret || fail "first-secret is not in $N"
pass "the first secret is written to the new vault"
keys Enter
wait_gone "Created first-secret" 5

# ---- access policies, a new group ---------------------------------------
N=kv-new-policies
keys Escape
wait_for "▶ Vaults" 5
keys :
type_text "create vault"
keys Enter
wiz_page 1
pass ":create vault opens the wizard"
wiz_name $N "Contoso Development"
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
keys Tab C-u
type_text "rg-kvdeck-new"
capture wizard-2-group-new
keys Enter
wiz_page 3
assert_screen "Group region" "a new group asks for its region"
capture wizard-3-region-newgroup
# the group in the second region offered, the vault in the first
keys Right Tab Tab Right
keys Enter
wiz_page 4
keys Right Tab Tab C-u
type_text "7"
keys Enter Enter
wiz_page 5
keys Tab Tab
type_text "team=payments, env=dev"
keys Enter
wait_for "[ Apply ]" 10
capture wizard-6-review-policies
assert_screen "rg-kvdeck-new" "the review creates the new group"
keys Enter
wait_for "Done in" 60
keys Enter
wait_for "Created vault $N in rg-kvdeck-new" 5
DEV=$(sv sub "Contoso Development")
gloc=$(sv group "$DEV" rg-kvdeck-new) || fail "the group is not in the sim"
show=$(sv show $N)
vloc=$(echo "$show" | cut -d' ' -f3)
[ "$gloc" != "$vloc" ] || fail "the group's region ($gloc) is the vault's ($vloc)"
pass "the new group is in its own region ($gloc), the vault in $vloc"
echo "$show" | grep -q " premium rbac=0 pp=0 days=7 policies=1 tags=env=dev,team=payments" ||
    fail "the vault is not as reviewed: $show"
pass "access policies (one, the signed-in principal's), premium, 7 days, tags"
keys Enter
wait_for "Secrets of $N (0)" 15
pass "lands in its secrets pane (the policy lets kvdeck list them)"

# ---- RBAC without the role: no role step, no wait, a warning ----------------
N=kv-new-norole
keys Escape
wait_for "▶ Vaults" 5
wiz_open
wiz_name $N "Contoso Development"
keys Enter Enter
wiz_page 2
wait_for "rg-" 10
keys Enter Enter
wiz_page 3
keys Enter Enter
wiz_page 4
keys Tab Space
wait_for "[ ]" 5
capture wizard-4-access-norole
keys Enter Enter Enter
wiz_page 5
keys Enter Enter Enter
wait_for "[ Apply ]" 10
refute_screen "Secrets Officer on $N" "without 'assign me' the review has no role step"
refute_screen "answers you" "nor a wait for a data plane that would refuse"
keys Enter
wait_for "Done in" 30
keys Enter
wait_for "No role was given to you" 5
capture wizard-9-outcome-norole
pass "the outcome says no role was given"
[ -z "$(sv roles $N)" ] || fail "a role on $N: $(sv roles $N)"
pass "no role assignment on the vault in the sim"
keys Enter
wait_gone "Created vault" 5

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
