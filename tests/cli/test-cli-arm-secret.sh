#!/bin/sh
# test-cli-arm-secret.sh — kvdeck secret list|set|rotate --via-arm against
# kvdeck-sim (#10): in kv-contoso-core-prod (public network access
# disabled, reachable only through its private endpoint) `secret list`
# and `secret rotate` fail from this host with the 403 and the message
# names --via-arm; `secret list --via-arm` lists names and attributes
# through Resource Manager; `secret rotate --via-arm` writes a new
# version through Resource Manager: the output says the value could not be read back to
# verify, --json says verified false; the simulator holds the new version
# (read through the private path, 127.0.0.2) with the value written, and
# the old one is still enabled. --dry-run sends nothing; --retire-old now
# is refused (Resource Manager cannot disable a version); an unknown
# secret is exit 4; set --via-arm after closing kv-contoso-dev's public
# access works the same way.
. "$top_srcdir/tests/cli/clilib.sh"

CORE=kv-contoso-core-prod
S=sql-admin-password
nwrites() { echo $(( $(simctl count PUT) + $(simctl count PATCH) + $(simctl count DELETE) )); }
# value VAULT NAME — the latest value, read through the private path
pvalue() { python3 -c "
import sys, os
sys.path.insert(0, os.path.join('$top_srcdir', 'tests', 'cli'))
import simctl
r = simctl.attach().dp('GET', sys.argv[1], '/secrets/' + sys.argv[2], source='127.0.0.2')
assert r.status == 200, (r.status, r.body)
print(r.json()['value'])" "$1" "$2"; }

# --- the data plane refuses this host ----------------------------------------
kv secret list $CORE
check '[ "$rc" -eq 1 ] && echo "$err" | grep -q "Public network access is disabled"' "secret list: the 403 (public network access disabled)"
check 'echo "$err" | grep -q -- "--via-arm lists"' "secret list names --via-arm"
kv secret list $CORE --via-arm --json
want_rc 0 "secret list --via-arm --json"
check '[ "$(jq_ "sorted(s[\"name\"] for s in j)")" = "['"'"'sql-admin-password'"'"', '"'"'tls-cert-passphrase'"'"']" ]' "the secrets' names through Resource Manager"
check '[ "$(jq_ "[s[\"contentType\"] for s in j if s[\"name\"] == \"sql-admin-password\"][0], all(\"value\" not in s for s in j)")" = "password True" ]' "attributes (content type), never a value"
kv secret list $CORE --via-arm
want_rc 0 "secret list --via-arm (text)"
check 'echo "$out" | grep -q "^sql-admin-password .*enabled"' "text: a line per secret"
printf 'n3w-r0tated\n' >"$T/val"
kvin "$T/val" secret rotate $CORE $S --yes
check '[ "$rc" -ne 0 ] && echo "$err" | grep -q -- "--via-arm"' "rotate without --via-arm fails and names --via-arm"
before=$(simctl pversions $CORE $S)
check '[ "$(echo "$before" | grep -c enabled)" -ge 2 ]' "the secret has its versions, enabled"

# --- bad input, dry run: nothing sent ---------------------------------------------
w0=$(nwrites)
kvin "$T/val" secret rotate $CORE $S --via-arm --retire-old now --yes
want_rc 2 "rotate --via-arm --retire-old now: refused"
check 'echo "$err" | grep -q "cannot disable"' "it says why"
kvin "$T/val" secret rotate $CORE no-such-secret --via-arm --yes
want_rc 4 "rotate --via-arm of an unknown secret"
kvin "$T/val" secret rotate $CORE $S --via-arm
want_rc 5 "rotate --via-arm: no --yes without a terminal"
kvin "$T/val" secret rotate $CORE $S --via-arm --dry-run --json
want_rc 0 "rotate --via-arm --dry-run --json"
check '[ "$(jq_ "j[\"plan\"]")" = rotate-arm ]' "dry run: the rotate-arm plan"
check 'jq_ "\" \".join(s[\"text\"] for s in j[\"steps\"])" | grep -q "cannot be read back"' "the review says the value cannot be read back"
check '[ "$(nwrites)" = "$w0" ]' "bad input, no --yes and --dry-run wrote nothing"

# --- rotate through Resource Manager -------------------------------------------
kvin "$T/val" secret rotate $CORE $S --via-arm --yes
want_rc 0 "rotate --via-arm"
check 'echo "$out" | grep -q "could not be read back to verify"' "the output says the value could not be read back"
check 'echo "$out" | grep -q "old version stays enabled"' "the output says the old version stays enabled"
after=$(simctl pversions $CORE $S)
check '[ "$(echo "$after" | wc -l)" -eq $(( $(echo "$before" | wc -l) + 1 )) ]' "the simulator holds one more version"
check '[ "$(echo "$after" | grep -c disabled)" -eq 0 ]' "every version still enabled (the old one too)"
check '[ "$(pvalue $CORE $S)" = n3w-r0tated ]' "the latest value is the one written"
printf 'again-1\n' >"$T/val2"
kvin "$T/val2" secret rotate $CORE $S --via-arm --yes --json
want_rc 0 "rotate --via-arm --json"
check '[ "$(jq_ "j[\"outcome\"], j[\"verified\"], j[\"valueVerified\"], j[\"oldVersionEnabled\"]")" = "done False False True" ]' "json: done, not verified, the old version enabled"
check '[ "$(pvalue $CORE $S)" = again-1 ]' "the second value is the latest"

# --- set --via-arm into a vault closed by kvdeck ----------------------------------
kv vault network set $V --public-network-access Disabled --yes
want_rc 0 "close kv-contoso-dev's public access"
printf 'from-arm\n' >"$T/val3"
kvin "$T/val3" secret set $V arm-made --yes
check '[ "$rc" -ne 0 ] && echo "$err" | grep -q -- "--via-arm"' "set without --via-arm fails and names --via-arm"
kvin "$T/val3" secret set $V arm-made --via-arm --content-type text/plain --yes --json
want_rc 0 "set --via-arm"
check '[ "$(jq_ "j[\"plan\"], j[\"verified\"]")" = "secret-set-arm False" ]' "json: secret-set-arm, not verified"
kv vault network set $V --public-network-access Enabled --yes
want_rc 0 "open it again"
kv secret show $V arm-made --show-value --json
want_rc 0 "the secret written through Resource Manager reads back on the data plane"
check '[ "$(jq_ "j[\"value\"], j[\"contentType\"]")" = "from-arm text/plain" ]' "its value and content type"

exit $bad
