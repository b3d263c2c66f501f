#!/bin/bash
# tests/conformance/test-graph.sh — kvdeck-sim's Azure Resource Graph with
# Azure's own clients: python/graph.py (azure-mgmt-resourcegraph from
# Debian's python3-azure pages a vault query through $skipToken, the table
# format, a refused query, 429 retried by the SDK), then Debian's az CLI,
# which has no `az graph` (an extension): `az rest --method post` with the
# query body, paged with $skipToken until the answer has none, finding the
# vaults `az keyvault list` lists. Prints TAP; exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/lib.sh"

PY=${KVCONF_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || conf_skip "$PY not found (Debian's python3)"
command -v jq >/dev/null 2>&1 || conf_skip "jq not installed"
"$PY" -c 'import azure.identity, azure.mgmt.resourcegraph, azure.mgmt.keyvault' 2>/dev/null ||
    conf_skip "azure-mgmt-resourcegraph not installed (apt-get install python3-azure)"

sim_start "$@"
conf_client_env
export REQUESTS_CA_BUNDLE=$SIM_CA
unset PYTHONHOME

t0=$(conf_now_ms)
(unset PYTHONPATH; conf_run timeout -k 5 "${KVCONF_SCENARIO_TIMEOUT:-300}" \
    "$PY" -u -B "$conf_dir/python/graph.py" "$CONN")
rc=$?
echo "# python graph took $(($(conf_now_ms) - t0)) ms (exit $rc)"
[ $rc -eq 77 ] && exit 77

# ---- az rest -------------------------------------------------------------------
if ! command -v az >/dev/null 2>&1; then
    echo "# az CLI not installed: the az rest part is skipped"
    [ $rc -eq 0 ] && exit 0
    sim_log_tail 30
    exit 1
fi
TENANT=$(conn_get tenant)
CLIENT_ID=$(conn_get client_id)
ARM=$(conn_get arm)
CLOUD_FILE=$(conn_get cloud_file)
export AZURE_CONFIG_DIR=$conf_work/azconfig
export AZURE_CORE_COLLECT_TELEMETRY=false AZURE_CORE_NO_COLOR=true
export PYTHONPATH=$conf_dir/az${PYTHONPATH:+:$PYTHONPATH}
mkdir -p "$AZURE_CONFIG_DIR" && chmod 700 "$AZURE_CONFIG_DIR"
printf '{"versions":{"azure-cli":{"local":"2.45.0"},"core":{"local":"2.45.0"},"telemetry":{"local":"1.0.8"}},"update_time":"%s"}\n' \
    "$(date '+%Y-%m-%d %H:%M:%S.%6N')" >"$AZURE_CONFIG_DIR/versionCheck.json"
OUT=$conf_work/out.json
ERR=$conf_work/err.txt
azj() {
    timeout "${KVCONF_AZ_TIMEOUT:-180}" az "$@" -o json >"$OUT" 2>"$ERR"
}

s_login() {
    azj cloud register -n kvsim --cloud-config @"$CLOUD_FILE" &&
        azj cloud set -n kvsim &&
        azj login --service-principal -u "$CLIENT_ID" -p "$(conn_get client_secret)" --tenant "$TENANT"
}
s_rest_paging() {
    # az keyvault list lists the current subscription's vaults: the query
    # names the same one in its subscriptions.
    azj account show || return 1
    sub=$(jq -r .id "$OUT")
    azj keyvault list || return 1
    jq -r '.[].id | ascii_downcase' "$OUT" | sort >"$conf_work/want.txt"
    [ -s "$conf_work/want.txt" ] || { echo "az keyvault list found no vault"; return 1; }
    : >"$conf_work/got.txt"
    tok=
    pages=0
    while [ $pages -lt 50 ]; do
        jq -n --arg t "$tok" --arg s "$sub" '{subscriptions: [$s], query: "resources | where type =~ '"'microsoft.keyvault/vaults'"' | project id, name",
            options: ({"$top": 2} + (if $t == "" then {} else {"$skipToken": $t} end))}' >"$conf_work/body.json"
        azj rest --method post --url "${ARM%/}/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01" \
            --body @"$conf_work/body.json" || return 1
        pages=$((pages + 1))
        jq -e '.count >= 1 and .resultTruncated == "false" and (.data | type) == "array"' "$OUT" >/dev/null ||
            { echo "page $pages: $(head -c 300 "$OUT")"; return 1; }
        jq -r '.data[].id | ascii_downcase' "$OUT" >>"$conf_work/got.txt"
        tok=$(jq -r '."$skipToken" // ""' "$OUT")
        [ -n "$tok" ] || break
    done
    sort "$conf_work/got.txt" >"$conf_work/got.sorted"
    if ! cmp -s "$conf_work/want.txt" "$conf_work/got.sorted"; then
        echo "az rest paging found:"; cat "$conf_work/got.sorted"
        echo "az keyvault list:"; cat "$conf_work/want.txt"
        return 1
    fi
    echo "# $pages pages"
}
s_rest_bad_query() {
    echo '{"query": "resources | summarize count() by location"}' >"$conf_work/body.json"
    if azj rest --method post --url "${ARM%/}/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01" \
        --body @"$conf_work/body.json"; then
        echo "an unsupported query was answered"
        return 1
    fi
    grep -q "Bad Request\|BadRequest" "$ERR" && grep -q "summarize" "$ERR"
}

step "az login (custom cloud, service principal)" s_login || conf_finish graph
step "az rest POST .../Microsoft.ResourceGraph/resources pages with \$skipToken" s_rest_paging
step "az rest: a query outside the subset is 400 BadRequest" s_rest_bad_query
[ $rc -eq 0 ] || { echo "# the python part failed"; conf_failed=$((conf_failed + 1)); }
conf_finish graph
