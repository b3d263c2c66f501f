#!/bin/bash
# tests/conformance/test-az-reuse.sh — kvdeck signing in by reusing the
# real az CLI's login (issue #8): Debian's az is signed in to a fresh
# kvdeck-sim as its service principal (a private AZURE_CONFIG_DIR), and
# kvdeck — configured with the sim's cloud and CA only, no credential —
# lists a vault's secrets through `az account get-access-token`, both by
# the chain and with --auth az; after `az logout` kvdeck says to run az
# login, in az's own words. Prints TAP; exit 0 pass, 1 fail, 77 skip (az,
# jq or kvdeck missing).
set -u
. "$(dirname "$0")/lib.sh"

command -v az >/dev/null 2>&1 || conf_skip "az CLI not installed (apt-get install azure-cli)"
command -v jq >/dev/null 2>&1 || conf_skip "jq not installed (needed for the assertions)"
KVDECK=${top_builddir:-.}/src/kvdeck
[ -x "$KVDECK" ] || conf_skip "src/kvdeck not built"

sim_start "$@"
conf_client_env

TENANT=$(conn_get tenant)
CLIENT_ID=$(conn_get client_id)
CLOUD_FILE=$(conn_get cloud_file)
export AZURE_CONFIG_DIR=$conf_work/azconfig
export AZURE_CORE_COLLECT_TELEMETRY=false
export AZURE_CORE_NO_COLOR=true
export REQUESTS_CA_BUNDLE=$SIM_CA
export PYTHONPATH=$conf_dir/az${PYTHONPATH:+:$PYTHONPATH}
mkdir -p "$AZURE_CONFIG_DIR" && chmod 700 "$AZURE_CONFIG_DIR"
printf '{"versions":{"azure-cli":{"local":"2.45.0"},"core":{"local":"2.45.0"},"telemetry":{"local":"1.0.8"}},"update_time":"%s"}\n' \
    "$(date '+%Y-%m-%d %H:%M:%S.%6N')" >"$AZURE_CONFIG_DIR/versionCheck.json"
unset AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET AZURE_CLIENT_CERTIFICATE_PATH
OUT=$conf_work/out.json
ERR=$conf_work/err.txt
LOG=$conf_work/kvdeck.log
CFG=$conf_work/kvdeck.conf
printf '%s\n' "cloud = $CLOUD_FILE" "ca-file = $SIM_CA" >"$CFG"
chmod 600 "$CFG"
export KVDECK_JOURNAL=$conf_work/journal.jsonl
VAULT=kv-contoso-dev

azq() { timeout 180 az "$@" >"$OUT" 2>"$ERR"; }
kv() { rm -f "$LOG"; timeout 120 "$KVDECK" --config "$CFG" --log "$LOG" "$@" >"$OUT" 2>"$ERR"; }

s_login() {
    azq cloud register -n kvsim --cloud-config @"$CLOUD_FILE" &&
        azq cloud set -n kvsim &&
        azq login --service-principal -u "$CLIENT_ID" -p "$(conn_get client_secret)" --tenant "$TENANT"
}
s_chain() {
    kv secret list "$VAULT" --json || return 1
    jq -e 'length > 0 and all(.[]; .id | test("/secrets/"))' "$OUT" >/dev/null || {
        echo "no secrets listed"
        return 1
    }
    grep -q "credential az CLI login" "$LOG" || {
        echo "the debug log does not name the az CLI login"
        return 1
    }
    grep -q "az account get-access-token --resource" "$LOG"
}
s_auth_az() {
    kv --auth az secret show "$VAULT" db-password --json || return 1
    jq -e '.id | test("/secrets/db-password/")' "$OUT" >/dev/null
}
s_no_token_logged() {
    ! grep -q "eyJ" "$LOG"
}
s_logout() {
    azq logout || azq account clear || return 1
    kv --auth az secret list "$VAULT"
    rc=$?
    [ $rc -eq 3 ] || {
        echo "exit $rc, want 3"
        return 1
    }
    grep -q "az login" "$ERR"
}

step "az login --service-principal (kvdeck-sim)" s_login || conf_finish az-reuse
step "kvdeck with nothing configured uses az's login (chain)" s_chain
step "kvdeck --auth az reads a secret" s_auth_az
step "no token in kvdeck's debug log" s_no_token_logged
step "after az logout: not signed in, run az login" s_logout
conf_finish az-reuse
