#!/bin/sh
# test-screen-graph.sh — the console's vault list from Azure Resource
# Graph (issue #12) against the demo's kvdeck-sim, graph-threshold = 0
# (always): the vaults come from one query (no listing per subscription),
# and when Resource Graph refuses (the sim's graph_forbidden: 403) `r`
# lists each subscription instead and the status bar says so.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/demo-lib.sh"

printf 'graph-threshold = 0\n' >"$XDG_CONFIG_HOME/kvdeck/config"
chmod 600 "$XDG_CONFIG_HOME/kvdeck/config"
sim_py() { python3 -c "
import sys, os
sys.path.insert(0, os.path.join('$top_srcdir', 'tests', 'cli'))
import simctl
sim = simctl.attach()
$1"; }
# Resource Graph queries (Resource Manager POSTs) and vault listings
# (GETs of .../providers/Microsoft.KeyVault/vaults) are told apart by the
# request counters: POSTs of the arm area, GETs of it.
nposts() { sim_py "print(sim.control('GET', '/requests').json()['by_area']['arm']['POST'])"; }

demo_start 120 30
wait_for "Vaults (" 20
sleep 1
n=$(screen_text | sed -n 's/.*Vaults (\([0-9]*\)).*/\1/p' | head -n 1)
[ -n "$n" ] && [ "$n" -gt 1 ] || fail "no vault count on screen"
pass "the vaults are listed ($n)"
[ "$(nposts)" -ge 1 ] || fail "no Resource Graph query was made"
pass "they came from Resource Graph"
refute_screen "Resource Graph" "nothing said while Resource Graph answers"

sim_py "r = sim.control('POST', '/config', {'graph_forbidden': True}); assert r.status == 200"
keys r
wait_for "listing each subscription instead" 15
pass "the fallback is said"
screen_text | tail -n 2 | grep -qF "Resource Graph" || fail "not in the status bar"
pass "in the status bar, naming Resource Graph"
wait_for "Vaults ($n)" 15
pass "the same vaults, listed per subscription"
