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
conf_az_env
ARM=$(conn_get arm)

s_login() {
    conf_az_login
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
