#!/bin/sh
# test-cli-fault-matrix-rotate.sh — the fault matrix (issue #11) for
# `kvdeck secret rotate --json` (check the latest, write, read back): each
# fault on the data plane, the writes' faults on the PUT; the report must
# match the versions the simulator holds (test-cli-fault-matrix.lib).
# Long-running operations do not occur on the data plane: lro-fail and
# lro-stuck have no occasion (n/a) and the rotation finishes.
SIM_ARGS="--lro-delay 300 --rbac-delay 0"
. "$top_srcdir/tests/cli/test-cli-fault-matrix.lib"
N=db-password
R=rotate
ARGS="secret rotate $V $N --generate hex:16 --yes --json"
W="area=vault,method=PUT,path=/secrets/"

cell latency $R 'latency,ms=300,area=vault' -- $ARGS
cell 429 $R "throttle,count=2,retry-after=1,$W" -- $ARGS
cell 500 $R "error,status=500,count=1,$W" -- $ARGS
cell 503 $R "error,status=503,count=1,$W" -- $ARGS
cell drop $R "drop,count=1,$W" -- $ARGS
cell slow $R 'slow,bps=2000,area=vault' -- $ARGS
cell malformed $R "malformed,count=1,$W" -- $ARGS
cell token-expiry $R "token-expired,count=1,$W" -- $ARGS
cell lro-fail $R 'lro-fail' n/a -- $ARGS
cell lro-stuck $R 'lro-stuck' n/a -- $ARGS
exit $bad
