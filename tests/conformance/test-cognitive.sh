#!/bin/bash
# tests/conformance/test-cognitive.sh — kvdeck-sim's Azure AI services
# accounts (Microsoft.CognitiveServices/accounts, src/sim/cog.h) with
# Azure's own clients: python/cognitive.py (azure-mgmt-cognitiveservices
# from Debian's python3-azure: list, list_by_resource_group, get,
# list_keys, regenerate_key; the demo secret holds Key1; the account
# endpoint checked with `requests` and the simulator's CA), then Debian's
# az CLI: `az cognitiveservices account list`, `... show`, `... keys list`
# and `... keys regenerate --key-name key2` (Key1 kept, Key2 new, the new
# pair listed), and a wrong key name refused. Prints TAP; exit 0 pass,
# 1 fail, 77 skip.
set -u
. "$(dirname "$0")/lib.sh"

PY=${KVCONF_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || conf_skip "$PY not found (Debian's python3)"
command -v jq >/dev/null 2>&1 || conf_skip "jq not installed"
"$PY" -c 'import azure.identity, azure.mgmt.cognitiveservices, azure.keyvault.secrets, requests' 2>/dev/null ||
    conf_skip "azure-mgmt-cognitiveservices not installed (apt-get install python3-azure)"

sim_start "$@"
conf_client_env
export REQUESTS_CA_BUNDLE=$SIM_CA
unset PYTHONHOME

t0=$(conf_now_ms)
(unset PYTHONPATH; conf_run timeout -k 5 "${KVCONF_SCENARIO_TIMEOUT:-300}" \
    "$PY" -u -B "$conf_dir/python/cognitive.py" "$CONN")
rc=$?
echo "# python cognitive took $(($(conf_now_ms) - t0)) ms (exit $rc)"
[ $rc -eq 77 ] && exit 77

# ---- az cognitiveservices -------------------------------------------------------
if ! command -v az >/dev/null 2>&1; then
    echo "# az CLI not installed: the az part is skipped"
    [ $rc -eq 0 ] && exit 0
    sim_log_tail 30
    exit 1
fi
conf_az_env

s_login() {
    conf_az_login && azj account set --subscription "Contoso Production"
}
s_list() {
    azj cognitiveservices account list || return 1
    got=$(jq -r '[.[] | "\(.name)=\(.kind)"] | sort | join(" ")' "$OUT")
    [ "$got" = "contoso-ai=OpenAI contoso-language=CognitiveServices" ] ||
        { echo "accounts: $got"; return 1; }
    azj cognitiveservices account list -g rg-ai-prod || return 1
    [ "$(jq -r '[.[].name] | join(" ")' "$OUT")" = contoso-ai ]
}
s_show() {
    azj cognitiveservices account show -n contoso-ai -g rg-ai-prod || return 1
    want="https://contoso-ai.openai.localhost:$(conn_get port)/"
    jq -e --arg e "$want" '.properties.endpoint == $e and .properties.provisioningState == "Succeeded"
        and .kind == "OpenAI" and .location == "eastus2"' "$OUT" >/dev/null
}
s_keys_list() {
    azj cognitiveservices account keys list -n contoso-ai -g rg-ai-prod || return 1
    jq -e '(.key1 | test("^[0-9a-f]{32}$")) and (.key2 | test("^[0-9a-f]{32}$")) and .key1 != .key2' "$OUT" >/dev/null ||
        return 1
    # Kept in the private work dir only (mode 700), never printed.
    cp "$OUT" "$conf_work/keys-before.json"
}
s_keys_regenerate() {
    azj cognitiveservices account keys regenerate -n contoso-ai -g rg-ai-prod --key-name key2 || return 1
    cp "$OUT" "$conf_work/keys-after.json"
    jq -e --slurpfile b "$conf_work/keys-before.json" \
        '.key1 == $b[0].key1 and .key2 != $b[0].key2 and (.key2 | test("^[0-9a-f]{32}$"))' "$OUT" >/dev/null ||
        { echo "Key1 changed or Key2 did not"; return 1; }
    azj cognitiveservices account keys list -n contoso-ai -g rg-ai-prod || return 1
    jq -e --slurpfile a "$conf_work/keys-after.json" '. == $a[0]' "$OUT" >/dev/null ||
        { echo "keys list disagrees with the regenerated pair"; return 1; }
}
s_keys_unknown() {
    if azj cognitiveservices account keys list -n no-such-account -g rg-ai-prod; then
        echo "an unknown account's keys were listed"
        return 1
    fi
    grep -q "ResourceNotFound" "$ERR"
}

step "az login (custom cloud, service principal), Contoso Production" s_login || conf_finish cognitive
step "az cognitiveservices account list (subscription, -g rg-ai-prod)" s_list
step "az cognitiveservices account show: the endpoint on the simulator" s_show
step "az cognitiveservices account keys list: two 32-hex keys" s_keys_list
step "az cognitiveservices account keys regenerate --key-name key2" s_keys_regenerate
step "az cognitiveservices account keys list of an unknown account: ResourceNotFound" s_keys_unknown
[ $rc -eq 0 ] || { echo "# the python part failed"; conf_failed=$((conf_failed + 1)); }
conf_finish cognitive
