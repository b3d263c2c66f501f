#!/bin/sh
# test-cli-az.sh — signing in by reusing the az CLI's login, with a
# stand-in az (fake-az.py, which fetches real tokens from kvdeck-sim) so
# every answer az can give is covered: a token with expires_on, the
# local-time expiresOn of older az, "please run az login" (its words
# shown, exit 3), an answer that is not JSON, an az that hangs (the time
# limit), az not installed, az not signed in (no profile); the chain
# picks az only when it is signed in and nothing else is configured;
# the arguments kvdeck passes (--resource for ARM and for the vault,
# --tenant, -o json; no shell). (ARM's resource is checked where an ARM
# call is made: the console test and the conformance test.) The real az CLI against the sim is in
# tests/conformance/test-az-login.sh.
. "${top_srcdir:-.}/tests/cli/clilib.sh"

FAKE=$top_srcdir/tests/cli/fake-az.py
export FAKE_AZ_LOG=$T/az.log
export AZURE_CONFIG_DIR=$T/azure
mkdir -p "$AZURE_CONFIG_DIR"
TENANT=$(conn tenant)
# az's profile: a BOM, then the default subscription's tenant
printf '\357\273\277{"installationId": "x", "subscriptions": [{"id": "s1", "name": "Contoso", "state": "Enabled", "user": {"name": "admin@contoso.example", "type": "user"}, "isDefault": true, "tenantId": "%s", "environmentName": "KvdeckSim"}]}' "$TENANT" >"$AZURE_CONFIG_DIR/azureProfile.json"
# the config: the sim's cloud and CA only — no service principal
printf '%s\n' "cloud = $(conn cloud_file)" "ca-file = $(conn ca)" >"$T/config"
log() { grep -F -- "$1" "$T/debug.log" >/dev/null 2>&1; }
kvl() { rm -f "$T/debug.log"; kv --log "$T/debug.log" "$@"; }

export KVDECK_AZ=$FAKE
kvl secret list "$V" --json
want_rc 0 "nothing configured, az signed in: the chain uses az"
check '[ "$(jq_ "len(j) > 0")" = True ]' "and the vault's secrets are listed"
check 'log "credential az CLI login"' "the log names the source"
check 'grep -q "\"--resource\", \"https://vault.localhost" "$T/az.log"' "the vault's token asked for the challenge's resource"
check 'grep -q "\"--tenant\", \"$TENANT\"" "$T/az.log"' "with --tenant from the profile / challenge"
check 'grep -q "\"--output\", \"json\"" "$T/az.log"' "and --output json"
check '! grep -q "accessToken\|eyJ" "$T/debug.log"' "no token in the debug log"

: >"$FAKE_AZ_LOG"
FAKE_AZ_MODE=old kv secret list "$V"
want_rc 0 "an older az (expiresOn in local time only)"

FAKE_AZ_MODE=fail kv secret list "$V"
want_rc 3 "az not logged in: not signed in"
check 'echo "$err" | grep -q "Please run .az login. to setup account"' "az's own words are shown"
check 'echo "$err" | grep -q "run az login first"' "and what to do"

FAKE_AZ_MODE=garbage kv secret list "$V"
want_rc 3 "an answer that is not JSON"
check 'echo "$err" | grep -q "az CLI"' "says it was az's answer"

start=$(date +%s)
FAKE_AZ_MODE=hang KVDECK_AZ_TIMEOUT=2 kv secret list "$V"
took=$(( $(date +%s) - start ))
check '[ "$rc" -ne 0 ]' "an az that hangs fails"
check 'echo "$err" | grep -q "did not answer within 2 s"' "after its time limit, saying so"
check '[ "$took" -lt 60 ]' "and kvdeck does not wait for it ($took s)"
check '! pgrep -f "fake-az.py account" >/dev/null' "the hung az was killed"

KVDECK_AZ=$T/no-such-az kv --auth az secret list "$V"
want_rc 3 "az not installed"
check 'echo "$err" | grep -q "az CLI is not installed"' "says so"

mv "$AZURE_CONFIG_DIR/azureProfile.json" "$T/profile.away"
kv --auth az secret list "$V"
want_rc 3 "--auth az with az not signed in here"
check 'echo "$err" | grep -q "not signed in here.*run az login first"' "says to run az login"
kv secret list "$V"
want_rc 3 "nothing configured and az not signed in"
check 'echo "$err" | grep -q "az login"' "the message names az login as a way in"
mv "$T/profile.away" "$AZURE_CONFIG_DIR/azureProfile.json"

# A service principal in the config comes first; --auth az overrides.
printf '%s\n' "tenant = $TENANT" "client-id = $(conn client_id)" "client-secret = $(conn client_secret)" >>"$T/config"
kvl secret list "$V"
check 'log "credential client secret (configuration)"' "a configured secret comes before az"
kvl --auth az secret list "$V"
want_rc 0 "--auth az picks az over the configured secret"
check 'log "credential az CLI login"' "(the log says az)"
exit $bad
