#!/bin/sh
# test-cli-fault-matrix-vault.sh — the fault matrix (issue #11) for
# `kvdeck vault create --json` (the vault PUT, its role assignment, the
# wait for its data plane): the one-shot faults hit the vault's PUT; the
# token expires on the second write (the role assignment); lro-fail and
# lro-stuck hit the vault's provisioning (a stuck one ends at
# KVDECK_WAIT_LIMIT). The report must match whether the vault and the role
# exist and how the vault is provisioned (test-cli-fault-matrix.lib).
SIM_ARGS="--lro-delay 300 --rbac-delay 0 --dns-delay 500"
. "$top_srcdir/tests/cli/test-cli-fault-matrix.lib"
VP=$RG/providers/Microsoft.KeyVault/vaults/kv-fm-new
ARGS="vault create kv-fm-new --subscription $DEVID -g rg-app-dev -l westeurope --yes --json"
P="method=PUT,path=$VP"

cell latency vault 'latency,ms=300,area=arm' -- $ARGS
cell 429 vault "throttle,count=2,retry-after=1,$P" -- $ARGS
cell 500 vault "error,status=500,count=1,$P" -- $ARGS
cell 503 vault "error,status=503,count=1,$P" -- $ARGS
cell drop vault "drop,count=1,$P" -- $ARGS
cell slow vault 'slow,bps=2000,area=arm' -- $ARGS
cell malformed vault "malformed,count=1,$P" -- $ARGS
cell token-expiry vault "token-expired,count=1,method=PUT,path=$VP/providers/Microsoft.Authorization" -- $ARGS
cell lro-fail vault "lro-fail,count=1,$P" -- $ARGS
cell lro-stuck vault "lro-stuck,count=1,$P" wait=4 -- $ARGS
# the vault's PUT, accepted while it provisions, is done (its answer ends
# it: the 4 s limit must not give it up before it is taken); the wait for
# the provisioning is what stops, saying so
check 'grep -q "vault-create=done,role-assign=done,vault-wait=failed" "$T/judge"' "lro-stuck x vault: the stuck provisioning stops the wait, not the accepted create"
check 'echo "$err" | grep -q "not provisioned within 4 s (last: RegisteringDns)"' "lro-stuck x vault: the report says what it waited for and how long"
check '! echo "$err" | grep -q "Azure said:.*not provisioned"' "lro-stuck x vault: kvdeck's own give-up is not put in Azure's mouth"
check 'echo "$err" | grep -q "step 3 failed and 0 step(s) after it did not run"' "lro-stuck x vault: the failed wait is not counted among the steps that did not run"
exit $bad
