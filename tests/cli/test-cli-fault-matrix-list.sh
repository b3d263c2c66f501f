#!/bin/sh
# test-cli-fault-matrix-list.sh — the fault matrix (issue #11) for
# `kvdeck secret list --json` over three pages (60 secrets added): the
# one-shot faults hit the second page (the third data-plane request: the
# first is the sign-in challenge); the list must come out whole or not at
# all (no half list on standard output). No write and no long-running
# operation: lro-fail and lro-stuck have no occasion (n/a). One simulator
# for every cell (FM_KEEP).
SIM_ARGS="--lro-delay 300 --rbac-delay 0"
. "$top_srcdir/tests/cli/test-cli-fault-matrix.lib"
FM_KEEP=1
"$PY" - <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "cli"))
import simctl
sim = simctl.attach()
for i in range(60):
    r = sim.dp("PUT", "kv-contoso-dev", "/secrets/fm-page-%02d" % i,
               {"value": "v%d" % i})
    assert r.status == 200, r.body
PY
ARGS="secret list $V --json"
G="area=vault,method=GET,path=/secrets"

cell latency list "latency,ms=300,$G" -- $ARGS
cell 429 list "throttle,every=3,count=1,retry-after=1,$G" -- $ARGS
cell 500 list "error,status=500,every=3,count=1,$G" -- $ARGS
cell 503 list "error,status=503,every=3,count=1,$G" -- $ARGS
cell drop list "drop,every=3,count=1,$G" -- $ARGS
cell slow list "slow,bps=4000,$G" -- $ARGS
cell malformed list "malformed,every=3,count=1,$G" -- $ARGS
cell token-expiry list "token-expired,every=2,count=1,$G" -- $ARGS
cell lro-fail list 'lro-fail' n/a -- $ARGS
cell lro-stuck list 'lro-stuck' n/a -- $ARGS
exit $bad
