#!/bin/sh
# test-screen-rotate-faults.sh — the rotate wizard when Azure misbehaves
# (kvdeck-sim faults added while the review is shown):
#  - the value read back differs (corrupt-value on the verify's GET): the
#    plan stops, the old version stays enabled in the sim and the outcome
#    says so and that the new version is not verified;
#  - 429 and then 503 on the PUT: retried, finished, one new version,
#    two PUTs;
#  - the PUT's answer lost after it committed (drop-after-commit): the
#    re-read finds the write landed, exactly one new version, one PUT;
#  - c during a slow apply stops between steps: nothing written, the old
#    version enabled, the outcome says it stopped on request.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/wizard-lib.sh"
N=db-password
short() { printf '%.8s' "$1"; }
puts() { wizsim requests | python3 -c 'import json,sys; print(json.load(sys.stdin)["by_method"].get("PUT", 0))'; }

wizard_start 80 24

# Verify mismatch.
old=$(latest_version $N)
n0=$(versions $N)
rotate_to_review 1
simctl nofaults
simctl fault 'corrupt-value,every=2,count=1'
keys Enter
wait_for "Stopped at step 3" 20
assert_screen "differs from the value" "the verify step says the value read back differs"
keys l
wait_for "The rotation of $N stopped." 5
assert_screen "was written but not verified" "the outcome says the new version is not verified"
assert_screen "The previous version $(short "$old")… is still enabled." "the outcome says the old version stays enabled"
simctl versions $V $N | grep "^$old enabled" >/dev/null || fail "the old version was disabled"
[ "$(versions $N)" -eq $((n0 + 1)) ] || fail "not one new version"
pass "in the sim: the old version enabled, one new (unverified) version"
simctl nofaults
keys Enter
wait_gone "The rotation of" 5

# 429, then 503, on the PUT: retried and finished.
for f in 'throttle,method=PUT,count=1,retry-after=1' 'error,status=503,method=PUT,count=1'; do
    n0=$(versions $N)
    rotate_to_review 0
    p0=$(puts)
    simctl nofaults
    simctl fault "$f"
    keys Enter
    wait_for "Done in" 30
    keys Enter
    wait_for "Rotated $N in $V." 5
    [ "$(versions $N)" -eq $((n0 + 1)) ] || fail "$f: not exactly one new version"
    [ "$(puts)" -eq $((p0 + 2)) ] || fail "$f: not two PUTs ($(puts) after $p0)"
    pass "$f: retried, finished, one new version"
    simctl nofaults
    keys Enter
    wait_gone "Rotated $N" 5
done

# The PUT's answer lost after it committed.
n0=$(versions $N)
rotate_to_review 0
p0=$(puts)
simctl nofaults
simctl fault 'drop-after-commit,method=PUT,path=/secrets/,count=1'
keys Enter
wait_for "Done in" 30
keys Enter
wait_for "Rotated $N in $V." 5
assert_screen "read back and verified" "the rotation ends verified"
[ "$(versions $N)" -eq $((n0 + 1)) ] || fail "drop-after-commit: $(versions $N) versions after $n0"
[ "$(puts)" -eq $((p0 + 1)) ] || fail "drop-after-commit: a second PUT was sent"
pass "a lost answer resolved by the re-read: one PUT, exactly one new version"
simctl nofaults
keys Enter
wait_gone "Rotated $N" 5

# c between steps, on a slow vault.
old=$(latest_version $N)
n0=$(versions $N)
rotate_to_review 1
simctl nofaults
simctl fault 'latency,ms=1500,area=vault'
keys Enter
sleep 0.3
keys c
wait_for "Stopped on request" 20
keys l
wait_for "The rotation of $N stopped." 5
assert_screen "Stopped on request between two steps." "the outcome says it was stopped on request"
assert_screen "The previous version $(short "$old")… is still enabled." "the outcome says the old version stays enabled"
simctl nofaults
[ "$(versions $N)" -eq "$n0" ] || fail "c: a version was written"
simctl versions $V $N | grep "^$old enabled" >/dev/null || fail "c: the old version was disabled"
pass "c stopped before the write: nothing written, the old version enabled"
keys Enter
wait_gone "The rotation of" 5

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
