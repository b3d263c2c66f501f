#!/bin/sh
# test-screen-vault-faults.sh — the create-a-vault wizard when Azure
# misbehaves (kvdeck-sim faults added while the review is shown), at
# 80x24:
#  - the vault's PUT answers 500 on every attempt: the plan stops at that
#    step and says why (Azure's code), nothing after it ran; r retries
#    from it and the vault is created;
#  - the vault's PUT accepted, then its provisioning ends Failed (the
#    sim's lro-fail: an LRO that fails as Azure's do): the plan stops at
#    the wait for the provisioning and says why; r sends the vault again
#    and reaches done;
#  - 429 and then 503 while the creation is followed (the GETs of the
#    long-running operation): retried, finished.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/vault-lib.sh"

vault_start 80 24
st config rbac_delay_ms=0
DEV=$(sv sub "Contoso Development")
VP="/subscriptions/$DEV/resourceGroups"

# to_review NAME — through the wizard (an existing group) to the review.
to_review() {
    wiz_open
    wiz_name "$1" "Contoso Development"
    keys Enter Enter
    wiz_page 2
    wait_for "rg-" 10
    keys Enter Enter
    wiz_page 3
    keys Enter Enter
    wiz_page 4
    keys Enter Enter Enter Enter
    wiz_page 5
    keys Enter Enter Enter
    wait_for "[ Apply ]" 10
}

# ---- the PUT fails: stop, why, retry ---------------------------------------
N=kv-fault-put
to_review $N
simctl nofaults
simctl fault "error,status=500,method=PUT,path=$VP,count=4"
keys Enter
wait_for "Stopped at step 1" 60
capture fault-stopped
assert_screen "500" "the failed step says Azure's status"
[ "$(sv show $N)" = missing ] || fail "a vault although the PUT failed"
sv roles $N >/dev/null 2>&1 && fail "the role step ran"
pass "the plan stopped at the vault's PUT, nothing after it"
simctl nofaults
keys r
wait_for "Done in" 60
capture fault-retried
keys Enter
wait_for "Created vault $N" 5
sv show $N >/dev/null || fail "no vault after the retry"
sv roles $N | grep -q "^SecretsOfficer " || fail "no role after the retry"
pass "r retries from the failed step: the vault and its role are made"
keys Enter
wait_for "Secrets of $N (0)" 20
keys Escape
wait_for "▶ Vaults" 5

# ---- the PUT accepted, the provisioning Failed: stop, why, retry -------------
N=kv-fault-lro
to_review $N
simctl nofaults
simctl fault "lro-fail,method=PUT,path=$VP,count=1"
keys Enter
wait_for "Stopped at step 3" 60
capture fault-lro-failed
assert_screen "provisioningState Failed" "the failed step says why"
sv show $N >/dev/null || fail "the vault Azure accepted is not there"
sv roles $N | grep -q "^SecretsOfficer " || fail "no role before the wait"
pass "the plan stopped at the wait for the provisioning"
simctl nofaults
keys r
wait_for "Done in" 60
capture fault-lro-retried
keys Enter
wait_for "Created vault $N" 5
pass "r sends the vault again: provisioned, done"
keys Enter
wait_for "Secrets of $N (0)" 20
keys Escape
wait_for "▶ Vaults" 5

# ---- 429, then 503, while the creation is followed --------------------------
for f in "throttle,method=GET,path=$VP,count=2,retry-after=1" \
         "error,status=503,method=GET,path=$VP,count=1"; do
    N=kv-fault-$(echo "$f" | cut -d, -f1)
    to_review $N
    simctl nofaults
    simctl fault "$f"
    keys Enter
    wait_for "Done in" 60
    keys Enter
    wait_for "Created vault $N" 5
    sv show $N >/dev/null || fail "$f: no vault"
    pass "$f during the creation: retried, created"
    simctl nofaults
    keys Enter
    wait_for "Secrets of $N (0)" 20
    keys Escape
    wait_for "▶ Vaults" 5
done

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
