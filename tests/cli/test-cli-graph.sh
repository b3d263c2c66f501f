#!/bin/sh
# test-cli-graph.sh — `kvdeck vault list` across a tenant of 250
# subscriptions x 5 vaults from Azure Resource Graph (issue #12), against
# kvdeck-sim's Resource Graph: above graph-threshold ONE paged query (two
# pages by $skipToken) replaces 250 listings and gives the same vaults;
# at or below it, one listing per subscription; a 403 falls back to the
# listings and says so on stderr; a spent quota (x-ms-user-quota-remaining
# 0) holds the next page until x-ms-user-quota-resets-after, and a 429
# from a quota spent by another process is waited out; a vault kvdeck
# just created (or deleted) shows (or goes) at once although the index
# lags by a minute (kvdeck's own writes, from the journal, over the
# index); the pages after the first are asked together ($skip): 13 pages
# at 400 ms latency take 5 round trips, not 16, within the quota.
SIM_ARGS="--seed scale:subs=250,vaults=5,secrets=1 --lro-delay 100 --rbac-delay 0"
. "$(dirname "$0")/clilib.sh"

NSUB=250
SUB0=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["subscriptions"][0])' "$SIM_CONN")
cp "$T/config" "$T/graph.cfg"
echo "graph-threshold = 249" >>"$T/graph.cfg"
cp "$T/config" "$T/arm.cfg"
echo "graph-threshold = 250" >>"$T/arm.cfg"
# kvc CONFIG ARGS... — kvdeck with that config
kvc() {
    cfg=$1
    shift
    "$KVDECK" --config "$T/$cfg" "$@" >"$T/out" 2>"$T/err" </dev/null
    rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
}
sim_py() { python3 -c "
import sys, os, json
sys.path.insert(0, os.path.join('$top_srcdir', 'tests', 'cli'))
import simctl
sim = simctl.attach()
$1"; }
reset_counts() { sim_py "sim.control('DELETE', '/requests')"; }
# Resource Graph queries (the POSTs: nothing else here POSTs to Resource
# Manager) and ARM GETs answered since the last reset; the subscriptions'
# own list is 3 pages of 100
ngraph() { sim_py "print(sim.control('GET', '/requests').json()['by_area']['arm'].get('POST', 0))"; }
narmget() { sim_py "print(sim.control('GET', '/requests').json()['by_area']['arm'].get('GET', 0))"; }
NSUBGET=3
simcfg() { sim_py "r = sim.control('POST', '/config', $1); assert r.status == 200, r.body"; }
names() { jq_ '"\n".join(sorted(v["name"] for v in j))'; }

# --- above the threshold: one query, paged ---------------------------------
reset_counts
kvc graph.cfg vault list --json
want_rc 0 "vault list from Resource Graph"
check '[ "$(jq_ "len(j)")" = 1250 ]' "all 1250 vaults listed"
check '[ "$(jq_ "len(set(v[\"id\"] for v in j))")" = 1250 ]' "each once (no page twice)"
check '[ "$(ngraph)" = 3 ]' "one query: a first page of 100, the other 1150 in two pages asked together: 3 requests"
check '[ "$(narmget)" = $NSUBGET ]' "no listing per subscription (only the subscriptions' list)"
names >"$T/graph.names"
check '[ "$(jq_ "sorted(j, key=lambda v: v[\"id\"])[0][\"properties\"][\"vaultUri\"].startswith(\"https://\")")" = True ]' "rows carry the vault's properties"
check '[ -z "$err" ]' "nothing on stderr"

# --- at the threshold: today's listings --------------------------------------
reset_counts
kvc arm.cfg vault list --json
want_rc 0 "vault list per subscription"
check '[ "$(ngraph)" = 0 ]' "no Resource Graph query at the threshold"
check '[ "$(narmget)" = $((NSUB + NSUBGET)) ]' "one listing per subscription"
names >"$T/arm.names"
check 'cmp -s "$T/graph.names" "$T/arm.names"' "the same vaults either way"

# --- 403: the fallback, said ------------------------------------------------
simcfg '{"graph_forbidden": True}'
reset_counts
kvc graph.cfg vault list --json
want_rc 0 "vault list while Resource Graph refuses"
check '[ "$(jq_ "len(j)")" = 1250 ]' "all vaults through the fallback"
check 'echo "$err" | grep -q "Resource Graph refused"' "stderr says Resource Graph refused"
check 'echo "$err" | grep -q "listing each subscription instead"' "stderr says what kvdeck does instead"
check '[ "$(narmget)" = $((NSUB + NSUBGET)) ]' "then one listing per subscription"
simcfg '{"graph_forbidden": False}'

# --- the quota: remaining 0 waits for resets-after --------------------------
simcfg '{"graph_quota": 1, "graph_window_ms": 3000}'
sleep 3
reset_counts
t0=$(date +%s%N)
kvc graph.cfg vault list --json
t1=$(date +%s%N)
want_rc 0 "vault list with one query per 3 s window"
check '[ "$(jq_ "len(j)")" = 1250 ]' "all vaults"
check '[ "$(ngraph)" = 3 ]' "each later page waited for a reset: no 429, no retry"
check '[ $(( (t1 - t0) / 1000000 )) -ge 5500 ]' "it waited about two windows (3 s each)"
# the quota spent by someone else: kvdeck's first query is answered 429
# (a window long enough that it does not end before kvdeck asks)
simcfg '{"graph_quota": 1, "graph_window_ms": 6000}'
sleep 6
sim_py "
r = sim.arm('POST', '/providers/Microsoft.ResourceGraph/resources',
            {'subscriptions': ['$SUB0'], 'query': 'resources | count'},
            api='2022-10-01')
assert r.status == 200, r.status"
reset_counts
kvc graph.cfg vault list --json
want_rc 0 "the quota spent by another client: the 429 is waited out"
check '[ "$(jq_ "len(j)")" = 1250 ]' "all vaults after the 429"
check '[ "$(ngraph)" = 4 ]' "the 429, its retry after Retry-After, the two later pages"
simcfg '{"graph_quota": 15, "graph_window_ms": 5000}'

# --- the index lags: kvdeck's own writes show at once -------------------------
simcfg '{"graph_lag_ms": 60000}'
kvc graph.cfg vault create kv-graph-new --subscription "$SUB0" -g rg-scale-00 -l eastus --yes
want_rc 0 "vault create"
kvc graph.cfg vault list --json
check '[ "$(jq_ "len([v for v in j if v[\"name\"]==\"kv-graph-new\"])")" = 1 ]' "the new vault is listed at once"
check '[ "$(jq_ "[v for v in j if v[\"name\"]==\"kv-graph-new\"][0][\"properties\"][\"vaultUri\"] != None")" = True ]' "with its properties (read from Resource Manager)"
KVDECK_JOURNAL=$T/other.jsonl kvc graph.cfg vault list --json
check '[ "$(jq_ "len([v for v in j if v[\"name\"]==\"kv-graph-new\"])")" = 0 ]' "without kvdeck's journal the lagging index lacks it (the merge is what shows it)"
kvc graph.cfg vault delete kv-graph-new --yes
want_rc 0 "vault delete"
kvc graph.cfg vault list --json
check '[ "$(jq_ "len([v for v in j if v[\"name\"]==\"kv-graph-new\"])")" = 0 ]' "the deleted vault is gone at once"
check '[ "$(jq_ "len(j)")" = 1250 ]' "and the others are all there"
simcfg '{"graph_lag_ms": 0}'

# --- round trips: the pages after the first asked together ($skip) ----------
# Pages cut to 100 rows: 13 pages. Every Resource Manager answer 400 ms
# late: after the token, the subscriptions' 3 pages, the first page, then
# the 24 others together: 5 round trips; one page after the other would be
# 28. The service cuts every page at 50 rows here (fewer than the first
# page's 100 asked: kvdeck asks for 50 a page after it). Judged by the
# simulator's gauge of requests waiting out their latency at once, not by
# the clock (a loaded machine stretches any time).
simcfg '{"graph_page_rows": 50, "graph_quota": 1000}'
sim_py "r = sim.control('POST', '/faults', {'faults': ['latency,ms=400,area=arm']}); assert r.status in (200, 201), r.body"
reset_counts
kvc graph.cfg vault list --json
want_rc 0 "vault list from 25 pages"
check '[ "$(jq_ "len(set(v[\"id\"] for v in j))")" = 1250 ] && [ "$(jq_ "len(j)")" = 1250 ]' "all 1250 vaults, each once"
check '[ "$(jq_ "[v[\"id\"] for v in j] == sorted((v[\"id\"] for v in j))")" = True ]' "merged in the query's order (by id)"
check '[ "$(ngraph)" = 25 ]' "25 queries (one per page)"
# the simulator's gauge of requests waiting out their latency together
# (no request before this one had any latency to wait out)
lat=$(sim_py "print(sim.control('GET', '').json()['requests']['max_in_latency'])")
check '[ "$lat" -ge 24 ]' "the simulator saw the 24 later pages wait out their latency together ($lat at once)"
# graph-threshold 10: the subscriptions' first page (100, and a next
# page) is enough to choose Resource Graph; the query names no
# subscription (the tenant) and goes at once: 3 round trips (the
# subscriptions' first page, the query's first page, the others together)
cp "$T/config" "$T/tenant.cfg"
echo "graph-threshold = 10" >>"$T/tenant.cfg"
reset_counts
kvc tenant.cfg vault list --json
want_rc 0 "vault list for the tenant after the subscriptions' first page"
check '[ "$(jq_ "len(set(v[\"id\"] for v in j))")" = 1250 ] && [ "$(jq_ "len(j)")" = 1250 ]' "all 1250 vaults, each once"
check '[ "$(jq_ "[v[\"id\"] for v in j] == sorted((v[\"id\"] for v in j))")" = True ]' "in the query's order"
check '[ "$(ngraph)" = 25 ] && [ "$(narmget)" -le 2 ]' "25 queries; the subscriptions' list not read to its end ($(narmget) GETs)"
sim_py "sim.control('DELETE', '/faults')"
simcfg '{"graph_forbidden": True}'
kvc tenant.cfg vault list --json
want_rc 0 "the tenant's query refused"
check '[ "$(jq_ "len(j)")" = 1250 ]' "all vaults through the fallback (the whole subscription list read then)"
check 'echo "$err" | grep -q "listing each subscription instead"' "stderr says so"
simcfg '{"graph_forbidden": False}'

# The quota: 8 queries per 2 s, pages cut at 90 rows: 14 pages. After
# the first page 7 are left: 7 pages go together, the other 6 wait for
# the reset. Sent all at once, those 6 would each be answered 429 and
# retried (20 requests). Up to three more than 14 are let pass: a replay
# of a request whose connection closed under it, or a window turning over
# while a loaded machine delays the answers; a kvdeck that ignores the
# quota makes 20.
simcfg '{"graph_quota": 8, "graph_window_ms": 2000, "graph_page_rows": 90}'
sleep 2
reset_counts
kvc graph.cfg vault list --json
want_rc 0 "vault list from 14 pages with 8 queries per 2 s"
check '[ "$(jq_ "len(set(v[\"id\"] for v in j))")" = 1250 ] && [ "$(jq_ "len(j)")" = 1250 ]' "all 1250 vaults, each once"
n=$(ngraph)
check '[ "$n" -ge 14 ] && [ "$n" -le 17 ]' "$n queries: the parallel pages kept within the quota (no 429 for the 6 beyond it)"

# Pages cut at 100 rows, as many as the first page asked for: kvdeck
# cannot tell that cut from a full page, asks for 1,000 rows after it and
# gets 100: each later page asks again for the rest of its rows, so none
# is lost (1 + 10 + 2 queries).
simcfg '{"graph_quota": 1000, "graph_page_rows": 100}'
reset_counts
kvc graph.cfg vault list --json
want_rc 0 "vault list with pages cut shorter than asked"
check '[ "$(jq_ "len(set(v[\"id\"] for v in j))")" = 1250 ] && [ "$(jq_ "len(j)")" = 1250 ]' "all 1250 vaults, each once, though every later page came back cut short"
check '[ "$(ngraph)" = 13 ]' "13 queries: the two later pages asked again for their rest"
simcfg '{"graph_page_rows": 0, "graph_quota": 15, "graph_window_ms": 5000}'

exit $bad
