#!/bin/sh
# test-cli-faults.sh — kvdeck secret rotate when Azure misbehaves
# (kvdeck-sim faults): a value read back that differs from the one
# written (exit 1, the old version stays enabled, the message says so);
# the answer to the PUT lost after it committed (the rotation still ends
# with exactly one new version); 429 and 503 on the PUT (retried,
# finished); a wrong client secret (exit 3, not signed in).
. "$top_srcdir/tests/cli/clilib.sh"
N=db-password

versions() { simctl versions $V $N | wc -l; }
latest() { kv secret show $V $N --json; jq_ 'j["version"]'; }

# corrupt-value: the third secret GET answering 200 is the verify step's
# (kvdeck's read of the latest, the plan's check, then the verify).
old=$(latest)
simctl fault 'corrupt-value,every=3,count=1'
kv secret rotate $V $N --generate hex:16 --retire-old now --yes
want_rc 1 "verify mismatch: exit 1"
check 'echo "$err" | grep -Eiq "differ|does not match|mismatch"' "the message says the value read back differs"
check 'simctl versions $V $N | grep "^$old enabled" >/dev/null' "the old version is still enabled"
simctl nofaults

# drop-after-commit on the first PUT: exactly one new version.
n0=$(versions)
simctl fault 'drop-after-commit,method=PUT,path=/secrets/,count=1'
kv secret rotate $V $N --generate hex:16 --yes --json
want_rc 0 "rotate with the PUT's answer lost"
check '[ "$(versions)" -eq $((n0 + 1)) ]' "exactly one new version ($(versions) after $n0)"
check '[ "$(jq_ "j[\"verified\"]")" = True ]' "and it was verified"
simctl nofaults

for f in 'throttle,method=PUT,count=1,retry-after=1' 'error,status=503,method=PUT,count=1'; do
    n0=$(versions)
    puts0=$(simctl count PUT)
    simctl fault "$f"
    kv secret rotate $V $N --generate hex:16 --yes
    want_rc 0 "rotate through $f"
    check '[ "$(versions)" -eq $((n0 + 1)) ] && [ "$(simctl count PUT)" -eq $((puts0 + 2)) ]' "$f: retried once, one new version"
    simctl nofaults
done

# not signed in: a wrong client secret.
sed 's/^client-secret = .*/client-secret = wrong/' "$T/config" >"$T/config2"
chmod 600 "$T/config2"
"$KVDECK" --config "$T/config2" secret list $V >"$T/out" 2>"$T/err" </dev/null
rc=$?
err=$(cat "$T/err")
want_rc 3 "a wrong client secret: exit 3"
check 'echo "$err" | grep -qi "not signed in"' "it says not signed in"
exit $bad
