#!/bin/sh
# test-cli-rotate-source.sh — `kvdeck secret rotate VAULT NAME --at-source`
# (issue #13) against kvdeck-sim's demo seed, where openai-api-key holds
# Key1 of the AI services account contoso-ai: --dry-run and --read-only
# send no write (the sim's write counter), no --yes without a terminal
# is refused; the full rotation (the latest holds the new Key2, the
# endpoint takes it, Key1 regenerated and refused, the old version
# disabled, --json names keys, never values); the endpoint check failing
# (fault area=openai): exit 1, the application's key untouched and still
# 200, the message says which key is live where; --retire-old 1h, then
# --retire-pending (the old key dies, nothing pending);
# a secret matching
# neither key (--account given): exit 5, nothing changed; --value-file
# refused with --at-source. Neither key's value reaches stdout, stderr,
# the journal, the debug log or the simulator's log of any of these runs.
. "$top_srcdir/tests/cli/clilib.sh"

V=kv-contoso-ai-prod
N=openai-api-key
cat >"$T/cog.py" <<'PY'
import json, os, sys
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "cli"))
import simctl
sim = simctl.attach()
cmd = sys.argv[1]
if cmd in ("id", "keys", "probe"):  # tests/cli/simctl.py ai
    simctl.main(["ai"] + sys.argv[1:])
elif cmd == "value":
    print(sim.dp("GET", "kv-contoso-ai-prod",
                 "/secrets/openai-api-key").json()["value"])
elif cmd == "tag":
    print(sim.dp("GET", "kv-contoso-ai-prod", "/secrets/openai-api-key")
          .json().get("tags", {}).get(sys.argv[2], ""))
PY
cog() { python3 "$T/cog.py" "$@"; }
ACCT=$(cog id)
set -- $(cog keys)
K1=$1 K2=$2
# no key in what kvdeck printed, journaled or logged
clean() {
    for k in "$@"; do
        if grep -qF "$k" "$T/out" "$T/err" "$KVDECK_JOURNAL" "$T/debug.log" 2>/dev/null; then
            return 1
        fi
    done
    return 0
}
kvl() { rm -f "$T/debug.log"; kv --log "$T/debug.log" "$@"; }

check '[ "$(cog value)" = "$K1" ]' "the demo secret holds Key1"

# --- refusals that send nothing -----------------------------------------
w0=$(simctl writes)
kv secret rotate $V $N --at-source --dry-run --json
want_rc 0 "--dry-run"
check '[ "$(jq_ "j[\"plan\"]+\" \"+\",\".join(s[\"op\"] for s in j[\"steps\"])")" = "rotate-source source-read,source-regenerate,secret-set,secret-verify,source-probe" ]' "dry-run --json: the plan's steps (retire: keep)"
kv secret rotate $V $N --at-source --retire-old now --dry-run
want_rc 0 "--dry-run, text"
check 'echo "$out" | grep -q "anything still using it loses access"' "the review marks the old key's regeneration as access-closing"
kv --read-only secret rotate $V $N --at-source --yes
want_rc 5 "--read-only: exit 5"
kv secret rotate $V $N --at-source
want_rc 5 "no --yes and no terminal: exit 5"
kv secret rotate $V $N --at-source --value-file /dev/null --yes
want_rc 2 "--value-file with --at-source: usage (exit 2)"
check '[ "$(simctl writes)" = "$w0" ]' "refusals and dry runs wrote nothing"
check '[ "$(cog keys)" = "$K1 $K2" ]' "the keys unchanged"

# --- the full rotation ------------------------------------------------------
kvl secret rotate $V $N --at-source --retire-old now --yes --json
want_rc 0 "rotation at the source"
check '[ "$(jq_ "j[\"outcome\"]+\" \"+j[\"source\"][\"oldKey\"]+\" \"+j[\"source\"][\"newKey\"]+\" \"+str(j[\"source\"][\"endpointVerified\"])")" = "done Key1 Key2 True" ]' "--json: done, Key1 -> Key2, verified at the endpoint"
set -- $(cog keys)
B1=$1 B2=$2
check '[ "$B1" != "$K1" ] && [ "$B2" != "$K2" ]' "both keys changed (Key2 new, Key1 regenerated)"
check '[ "$(cog value)" = "$B2" ]' "the latest version holds the new Key2"
check '[ "$(cog tag source-key)" = Key2 ] && [ "$(cog tag source-resource-id)" = "$ACCT" ]' "tags source-key=Key2 and source-resource-id"
check '[ "$(cog probe "$B2")" = 200 ]' "the endpoint takes the new key"
check '[ "$(cog probe "$K1")" = 401 ]' "the old key is dead"
check '[ "$(simctl versions $V $N | grep -c disabled)" -ge 1 ]' "the old version is disabled"
check 'clean "$K1" "$K2" "$B1" "$B2"' "no key in stdout, stderr, the journal or the debug log"

# --- the endpoint check fails -----------------------------------------------
simctl fault "error,area=openai"
kvl secret rotate $V $N --at-source --retire-old now --yes
want_rc 1 "endpoint fault: exit 1"
simctl nofaults
check 'echo "$err" | grep -q "did not accept the new key"' "says the endpoint refused"
check 'echo "$err" | grep -q "Key2 (the previous version .*) is still valid at contoso-ai"' "says the application's key is still valid"
set -- $(cog keys)
C1=$1 C2=$2
check '[ "$C2" = "$B2" ] && [ "$C1" != "$B1" ]' "Key2 (in use) untouched; only Key1 regenerated"
check '[ "$(cog probe "$B2")" = 200 ]' "the application's key still answers 200"
check 'clean "$B1" "$B2" "$C1"' "no key in the output, journal or log"

# --- retire later, then the due retirement ----------------------------------
kvl secret rotate $V $N --at-source --retire-old 1h --yes
want_rc 0 "--retire-old 1h"
set -- $(cog keys)
D1=$1 D2=$2
check '[ "$D1" = "$C1" ] && [ "$D2" != "$C2" ]' "Key2 regenerated and stored, Key1 (the old version's) kept"
check '[ "$(cog probe "$C1")" = 200 ]' "the old key still works until the retirement"
kv journal
check 'echo "$out" | grep -q "Pending retirements: 1"' "kvdeck journal lists the pending retirement"
kvl secret rotate $V $N --at-source --retire-pending --yes
want_rc 0 "--retire-pending (an hour early, as asked)"
check 'echo "$err" | grep -q "was due .*; doing it now"' "says it is done early"
check 'echo "$out" | grep -q "was regenerated; the version is disabled"' "says the old key was regenerated and the version disabled"
check '[ "$(cog probe "$C1")" = 401 ]' "the old key is dead"
check '[ "$(cog probe "$D2")" = 200 ]' "the new key still works"
kv journal
check 'echo "$out" | grep -q "Pending retirements: 0"' "nothing pending any more"
kvl secret rotate $V $N --at-source --retire-pending --yes
want_rc 0 "--retire-pending with nothing pending"
check 'echo "$err" | grep -q "no retirement of openai-api-key at its source is pending"' "says so"
set -- $(cog keys)
C1=$1 B2=$2
check 'clean "$C1" "$B2" "$D2"' "no key in the output, journal or log"

# --- neither key --------------------------------------------------------------
printf 'not-a-key-of-anyone' >"$T/v"
simctl put $V $N "$T/v" >/dev/null
n0=$(simctl versions $V $N | wc -l)
kvl secret rotate $V $N --at-source --account "$ACCT" --retire-old now --yes
want_rc 5 "neither key: exit 5"
check 'echo "$err" | grep -q "openai-api-key matches neither key of contoso-ai: nothing was changed"' "says so"
check '[ "$(simctl versions $V $N | wc -l)" = "$n0" ]' "no new version (listKeys is the only POST sent)"
check '[ "$(cog keys)" = "$C1 $B2" ]' "the keys unchanged"
check '! grep -qF -e "$K1" -e "$K2" -e "$B1" -e "$C1" -e "$D2" "$T/sim.log"' "no key in the simulator's log"

# --- a caller that may read the account but not list its keys ---------------
simctl ai deny-keys || echo "not ok - simctl ai deny-keys failed"
n0=$(simctl versions $V $N | wc -l)
kvl secret rotate $V $N --at-source --account "$ACCT" --yes
want_rc 3 "listKeys refused: exit 3 (not authorised)"
check 'echo "$out$err" | grep -q "Listing the keys needs Microsoft.CognitiveServices/accounts/listKeys/action on contoso-ai"' "names the permission and the account"
check 'echo "$out$err" | grep -q "Cognitive Services Contributor"' "and a role that has it"
check 'echo "$out$err" | grep -q "AuthorizationFailed"' "with Azure's own words"
kvl secret rotate $V $N --at-source --account "$ACCT" --yes --json
want_rc 3 "--json: exit 3"
check 'echo "$out" | python3 -c "
import json, sys
d = json.load(sys.stdin)
e = [s[\"error\"] for s in d[\"steps\"] if \"error\" in s][0]
assert e[\"http_status\"] == 403 and \"Cognitive Services User\" in e[\"advice\"], e
"' "--json: the step's error carries the advice"
check '[ "$(simctl versions $V $N | wc -l)" = "$n0" ]' "no new version"
exit $bad
