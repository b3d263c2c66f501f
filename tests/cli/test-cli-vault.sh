#!/bin/sh
# test-cli-vault.sh — kvdeck vault list|show|list-deleted|create|delete|
# recover|purge against kvdeck-sim (RBAC with a propagation delay):
# every sub-command with --json parsed; create with RBAC (the role is
# assigned, the command waits through the delay, then a secret set into
# the new vault works), with access policies, in a new group
# (--create-resource-group; without it exit 4), on a taken name and on a
# soft-deleted name (exit 5 naming recover and purge); delete →
# list-deleted → recover; purge; purge refused under purge protection;
# --dry-run, --read-only, a bad name and no --yes send no write.
RBAC_DELAY_MS=4000
SIM_ARGS="--rbac-delay $RBAC_DELAY_MS"
. "$top_srcdir/tests/cli/clilib.sh"

DEV="Contoso Development"
DEVID=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["subscriptions"][1])' "$SIM_CONN")
OID=$(conn client_object_id)
G=rg-app-dev
# writes the simulator took: PUT, PATCH, DELETE (simctl writes also
# counts POST, which checkNameAvailability is)
nwrites() { echo $(( $(simctl count PUT) + $(simctl count PATCH) + $(simctl count DELETE) )); }
# requests the simulator answered, all methods
nreq() { python3 -c "
import sys, os
sys.path.insert(0, os.path.join('$top_srcdir', 'tests', 'cli'))
import simctl
print(sum(simctl.attach().control('GET', '/requests').json()['by_method'].values()))"; }
# role assignments for our principal at the vault's scope and above
roles() { python3 -c "
import sys, os
sys.path.insert(0, os.path.join('$top_srcdir', 'tests', 'cli'))
import simctl
sim = simctl.attach()
vid = simctl.vault_id(sim, sys.argv[1])
r = sim.arm('GET', vid + '/providers/Microsoft.Authorization/roleAssignments'
            '?\$filter=atScope()', api='2022-04-01')
print(' '.join(a['properties']['roleDefinitionId'].rsplit('/', 1)[1]
               for a in r.json()['value']
               if a['properties']['principalId'] == '$OID'
               and a['properties']['scope'].lower() == vid.lower()))" "$1"; }
SECRETS_OFFICER=b86a8fe4-44ce-4948-aee5-eccb2c155cd7
# kvtty TYPED ARGS... — kvdeck with standard input and error on a
# terminal (a pty): answers the review's prompt with TYPED; sets rc, out
# (stdout) and err (what the terminal showed).
kvtty() {
    python3 - "$KVDECK" "$T/config" "$T/tty" "$@" >"$T/out" <<'PY'
import os, select, subprocess, sys, time
kv, cfg, log, typed = sys.argv[1:5]
m, s = os.openpty()
p = subprocess.Popen([kv, "--config", cfg] + sys.argv[5:], stdin=s,
                     stdout=sys.stdout, stderr=s)
os.close(s)
seen, sent, end = b"", False, time.time() + 120
while time.time() < end:
    r, _, _ = select.select([m], [], [], 0.2)
    if r:
        try:
            chunk = os.read(m, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    if not sent and (b"Type " in seen or b"[y/N]" in seen):
        os.write(m, typed.encode() + b"\n")
        sent = True
    if p.poll() is not None and not r:
        break
open(log, "wb").write(seen)
sys.exit(p.wait())
PY
    rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/tty")
}

# --- reads ----------------------------------------------------------------
kv vault list --json
want_rc 0 "vault list --json"
check '[ "$(jq_ "[v[\"resourceGroup\"]+\" \"+v[\"location\"] for v in j if v[\"name\"]==\"kv-contoso-dev\"][0]")" = "rg-app-dev westeurope" ]' "list: resourceGroup and location like az"
check '[ "$(jq_ "all(v[\"properties\"][\"vaultUri\"].startswith(\"https://\") and v[\"type\"]==\"Microsoft.KeyVault/vaults\" for v in j)")" = True ]' "list: properties.vaultUri and type"
check '[ "$(jq_ "len(j) >= 4")" = True ]' "list: the vaults of every subscription"
kv vault list --subscription "$DEV" -g $G --json
want_rc 0 "vault list --subscription NAME -g GROUP"
check '[ "$(jq_ "\",\".join(v[\"name\"] for v in j)")" = kv-contoso-dev ]' "list -g: only the group's vault"
kv vault list --subscription "$DEVID"
want_rc 0 "vault list (text)"
check 'echo "$out" | grep -q "^kv-contoso-dev  *westeurope  *rg-app-dev "' "list text: name, region, group"
kv vault list --subscription no-such-subscription
want_rc 4 "an unknown subscription: exit 4"

kv vault show kv-contoso-dev --json
want_rc 0 "vault show --json"
check '[ "$(jq_ "j[\"name\"]+\" \"+j[\"resourceGroup\"]+\" \"+j[\"properties\"][\"vaultUri\"].rstrip(\"/\").split(\"//\")[1].split(\".\")[0]")" = "kv-contoso-dev rg-app-dev kv-contoso-dev" ]' "show: name, resourceGroup, properties.vaultUri"
check '[ "$(jq_ "j[\"properties\"][\"sku\"][\"name\"]")" = standard ]' "show: properties.sku"
kv vault show -n kv-contoso-dev --subscription "$DEV" --json
want_rc 0 "vault show -n NAME (az's flag)"
check '[ "$(jq_ "j[\"name\"]")" = kv-contoso-dev ]' "show -n: the vault"
kv vault show kv-contoso-dev -n kv-contoso-dev
want_rc 2 "the name twice: exit 2"
kv vault list -n kv-contoso-dev
want_rc 2 "list takes no -n: exit 2"
kv vault show kv-contoso-dev
want_rc 0 "vault show (text)"
check 'echo "$out" | grep -q "^resource group: *rg-app-dev"' "show text: the group"
kv vault show kv-no-such-vault
want_rc 4 "show of a missing vault: exit 4"

kv vault list-deleted --json
want_rc 0 "vault list-deleted --json"
check '[ "$(jq_ "[d[\"properties\"][\"location\"] for d in j if d[\"name\"]==\"kv-contoso-old\"][0]")" = westeurope ]' "list-deleted: kv-contoso-old and its region"
check '[ "$(jq_ "all(\"scheduledPurgeDate\" in d[\"properties\"] and \"/resourceGroups/\" in d[\"properties\"][\"vaultId\"] for d in j)")" = True ]' "list-deleted: scheduledPurgeDate, vaultId"
kv vault list-deleted --subscription "$DEV"
want_rc 0 "vault list-deleted (text)"
check 'echo "$out" | grep -q "^kv-contoso-old .*rg-sandbox"' "list-deleted text: name and former group"

# --- create: refusals that send no write --------------------------------
w0=$(nwrites)
n0=$(nreq)
kv vault create 9kv-digit --subscription "$DEV" -g $G -l westeurope --yes
want_rc 2 "create with a name starting with a digit: exit 2"
kv vault create kv-c-hyphen- --subscription "$DEV" -g $G -l westeurope --yes
want_rc 2 "create with a name ending in a hyphen: exit 2"
kv vault create kv--double --subscription "$DEV" -g $G -l westeurope --yes
want_rc 2 "create with -- in the name: exit 2"
kv vault create kv-c-x --subscription "$DEV" -g $G -l westeurope --sku gold --yes
want_rc 2 "create --sku gold: exit 2"
kv vault create kv-c-x --subscription "$DEV" -g $G -l westeurope --retention-days 5 --yes
want_rc 2 "create --retention-days 5: exit 2"
kv vault create kv-c-x -g $G -l westeurope --yes
want_rc 2 "create without --subscription: exit 2"
check '[ "$(nreq)" = "$n0" ]' "bad names and options: no request at all"
kv vault create kv-c-x --subscription "$DEV" -g $G -l mars --yes
want_rc 2 "create in an unknown region: exit 2"
check 'echo "$err" | grep -q westeurope' "the refusal lists the regions"
kv vault create kv-c-x --subscription "$DEV" -g rg-c-missing -l westeurope --yes
want_rc 4 "create in a missing group: exit 4"
check 'echo "$err" | grep -q -- "--create-resource-group"' "the refusal names --create-resource-group"
kv vault create kv-contoso-app-prod --subscription "$DEV" -g $G -l westeurope --yes
want_rc 5 "create with a name taken in another subscription: exit 5"
check 'echo "$err" | grep -q "taken"' "the refusal says the name is taken"
kv vault create kv-contoso-old --subscription "$DEV" -g $G -l westeurope --yes
want_rc 5 "create on a soft-deleted name: exit 5"
check 'echo "$err" | grep -q "vault recover kv-contoso-old" && echo "$err" | grep -q "vault purge kv-contoso-old"' "the refusal names recover and purge"
kv --read-only vault create kv-c-rbac --subscription "$DEV" -g $G -l westeurope --yes
want_rc 5 "create under --read-only: exit 5"
kv vault create kv-c-rbac --subscription "$DEV" -g $G -l westeurope
want_rc 5 "create without --yes and no terminal: exit 5"
kv vault create kv-c-rbac --subscription "$DEV" -g $G -l "West Europe" --dry-run --json
want_rc 0 "create --dry-run --json"
check '[ "$(jq_ "j[\"outcome\"]+\" \"+str(all(s[\"state\"]==\"pending\" for s in j[\"steps\"]))")" = "dry-run True" ]' "dry-run: the plan, nothing run"
check '[ "$(jq_ "sum(s[\"writes\"] for s in j[\"steps\"]) >= 2")" = True ]' "dry-run: the vault PUT and the role assignment are in it"
check '[ "$(nwrites)" = "$w0" ]' "refusals and the dry run wrote nothing (no PUT, PATCH, DELETE)"
kv vault show kv-c-rbac
want_rc 4 "after the dry run the vault does not exist"

# --- create with RBAC: role, propagation wait, first secret -------------
t0=$(date +%s)
kv vault create kv-c-rbac --subscription "$DEV" -g $G -l westeurope --tags team=ops env=test --yes --json
t1=$(date +%s)
want_rc 0 "create with RBAC"
check '[ "$(jq_ "j[\"outcome\"]")" = done ]' "create --json: outcome done"
check '[ "$(jq_ "str(j[\"vault\"][\"properties\"][\"enableRbacAuthorization\"])+\" \"+j[\"vault\"][\"resourceGroup\"]+\" \"+j[\"vault\"][\"tags\"][\"team\"]")" = "True rg-app-dev ops" ]' "create --json: the vault (RBAC, group, tags)"
check '[ "$(jq_ "all(s[\"state\"]==\"done\" for s in j[\"steps\"])")" = True ]' "create: every step done"
check '[ "$(roles kv-c-rbac)" = $SECRETS_OFFICER ]' "the signed-in principal holds Key Vault Secrets Officer on the vault"
check '[ $((t1 - t0)) -ge $((RBAC_DELAY_MS / 1000 - 1)) ]' "create waited through the role's propagation ($((t1 - t0)) s)"
kv secret set kv-c-rbac first-secret --generate hex:16 --yes
want_rc 0 "the first secret written into the new vault right after"
kv vault show kv-c-rbac --json
check '[ "$(jq_ "j[\"properties\"][\"provisioningState\"]+\" \"+str(j[\"properties\"][\"softDeleteRetentionInDays\"])")" = "Succeeded 90" ]' "show: provisioned, 90 days retention by default"

# --- create with access policies in a new group -------------------------
kv vault create --name kv-c-policy --subscription "$DEVID" --resource-group rg-c-new --location westeurope --create-resource-group --enable-rbac-authorization false --sku premium --retention-days 7 --public-network-access Enabled --default-action Allow --tags team=ops env=test --yes --json
want_rc 0 "create with access policies and a new group"
check '[ "$(jq_ "str(j[\"vault\"][\"properties\"][\"enableRbacAuthorization\"])+\" \"+j[\"vault\"][\"properties\"][\"sku\"][\"name\"]+\" \"+str(j[\"vault\"][\"properties\"][\"softDeleteRetentionInDays\"])")" = "False premium 7" ]' "the vault: access policies, premium, 7 days"
check '[ "$(jq_ "[p[\"objectId\"] for p in j[\"vault\"][\"properties\"][\"accessPolicies\"] if \"set\" in [x.lower() for x in p[\"permissions\"][\"secrets\"]]][0]")" = "$OID" ]' "the signed-in principal has a policy that may set secrets"
kv vault list --subscription "$DEV" -g rg-c-new --json
check '[ "$(jq_ "\",\".join(v[\"name\"] for v in j)")" = kv-c-policy ]' "the new group holds the vault"
kv secret set kv-c-policy first --generate hex:8 --yes
want_rc 0 "a secret written into the access-policy vault"

# --- --no-wait -----------------------------------------------------------
# a propagation long enough that no machine load makes the write below
# come after it
simctl config '{"rbac_delay_ms": 600000}' >/dev/null
kv vault create kv-c-nowait --subscription "$DEV" -g $G -l westeurope --no-wait --yes --json
want_rc 0 "create --no-wait"
check '[ "$(jq_ "j[\"vault\"][\"name\"]")" = kv-c-nowait ]' "--no-wait: the vault accepted"
check '[ "$(jq_ "[s[\"op\"] for s in j[\"steps\"] if s[\"state\"]==\"done\"]==[\"vault-create\",\"role-assign\"] and not any(s[\"op\"]==\"vault-wait\" and s[\"state\"]==\"done\" for s in j[\"steps\"])")" = True ]' "--no-wait: vault and role, no wait for the data plane"
# the role has not taken effect yet: the wait above is what makes the
# first write work
kv secret set kv-c-nowait too-early --generate hex:8 --yes
want_rc 3 "right after --no-wait a write is refused while the role propagates (exit 3)"
check 'echo "$err" | grep -q "not authorised"' "the refusal says not authorised"
simctl config "{\"rbac_delay_ms\": $RBAC_DELAY_MS}" >/dev/null

# --- a step that fails: the plan stops and says what exists -------------
simctl fault "error,status=500,method=PUT,path=/subscriptions/$DEVID/resourceGroups/$G/providers/Microsoft.KeyVault/vaults/kv-c-fail/providers/Microsoft.Authorization/"
kv vault create kv-c-fail --subscription "$DEV" -g $G -l westeurope --yes --json
want_rc 1 "create whose role assignment fails: exit 1"
check '[ "$(jq_ "j[\"outcome\"]+\" \"+\",\".join(s[\"op\"]+\"=\"+s[\"state\"] for s in j[\"steps\"])")" = "failed vault-create=done,role-assign=failed,vault-wait=pending" ]' "the plan stopped at the role: the vault done, the wait not run"
check '[ "$(jq_ "[s for s in j[\"steps\"] if s[\"state\"]==\"failed\"][0][\"error\"][\"http_status\"]")" = 500 ]' "the failed step carries Azure's answer"
check 'echo "$err" | grep -q "kv-c-fail"' "the report on standard error names the vault"
simctl nofaults
kv vault show kv-c-fail --json
want_rc 0 "the vault the failed plan created exists"

# --- delete → list-deleted → recover ------------------------------------
w1=$(simctl writes)
kv vault delete kv-c-policy
want_rc 5 "delete without --yes and no terminal: exit 5"
kv vault delete kv-c-policy --dry-run
want_rc 0 "delete --dry-run"
kv --read-only vault delete kv-c-policy --yes
want_rc 5 "delete under --read-only: exit 5"
check '[ "$(simctl writes)" = "$w1" ]' "no write before --yes"
kvtty kv-c-wrong vault delete kv-c-policy
want_rc 5 "delete on a terminal, the wrong name typed: exit 5"
check 'echo "$err" | grep -q "Type kv-c-policy"' "delete asks for the vault's name typed"
check 'echo "$err" | grep -q "recovered for 7 days"' "the review says how long it stays recoverable"
check '[ "$(simctl writes)" = "$w1" ]' "no write before the name is typed"
kvtty kv-c-policy vault delete kv-c-policy
want_rc 0 "delete on a terminal with the name typed"
check 'echo "$out" | grep -q "recovered until .*(7 days)"' "delete says until when it stays recoverable"
kv vault show kv-c-policy
want_rc 4 "the deleted vault is gone"
kv vault list-deleted --subscription "$DEV" --json
check '[ "$(jq_ "[d[\"properties\"][\"vaultId\"].split(\"/\")[4] for d in j if d[\"name\"]==\"kv-c-policy\"][0]")" = rg-c-new ]' "list-deleted: the deleted vault and its group"
kv --read-only vault recover kv-c-policy --yes
want_rc 5 "recover under --read-only: exit 5"
kv vault recover kv-c-policy --yes --json
want_rc 0 "recover --yes"
check '[ "$(jq_ "j[\"outcome\"]")" = done ]' "recover --json: done"
kv vault show kv-c-policy --json
check '[ "$(jq_ "j[\"resourceGroup\"]+\" \"+str(j[\"properties\"][\"softDeleteRetentionInDays\"])")" = "rg-c-new 7" ]' "recovered into its group with its settings"
kv secret list kv-c-policy --json
check '[ "$(jq_ "\",\".join(s[\"name\"] for s in j)")" = first ]' "the recovered vault's secret is back"
kv vault recover kv-no-such-vault --yes
want_rc 4 "recover of a vault that is not deleted: exit 4"

# --- purge ---------------------------------------------------------------
kv vault delete kv-c-nowait --yes
want_rc 0 "delete kv-c-nowait"
w2=$(simctl writes)
kv vault purge kv-c-nowait
want_rc 5 "purge without --yes and no terminal: exit 5"
kv vault purge kv-c-nowait --dry-run --json
want_rc 0 "purge --dry-run --json"
check '[ "$(jq_ "j[\"outcome\"]")" = dry-run ]' "purge dry-run: the plan"
kv --read-only vault purge kv-c-nowait --yes
want_rc 5 "purge under --read-only: exit 5"
check '[ "$(simctl writes)" = "$w2" ]' "purge: no write before --yes"
kv vault purge kv-c-nowait --yes --json
want_rc 0 "purge --yes"
kv vault list-deleted --json
check '[ "$(jq_ "any(d[\"name\"]==\"kv-c-nowait\" for d in j)")" = False ]' "purged: no longer in list-deleted"
kv vault create kv-c-nowait --subscription "$DEV" -g $G -l westeurope --dry-run
want_rc 0 "purged: the name is free again"

# --- purge protection ----------------------------------------------------
kv vault create kv-c-pp --subscription "$DEV" -g $G -l westeurope --enable-purge-protection --default-action Deny --yes --json
want_rc 0 "create --enable-purge-protection --default-action Deny"
check '[ "$(jq_ "str(j[\"vault\"][\"properties\"][\"enablePurgeProtection\"])+\" \"+j[\"vault\"][\"properties\"][\"networkAcls\"][\"defaultAction\"]")" = "True Deny" ]' "purge protection on, networkAcls.defaultAction Deny"
check 'echo "$err" | grep -q "not waiting for the data plane"' "default action Deny: says it does not wait for the data plane"
kv vault delete kv-c-pp --yes
want_rc 0 "delete the protected vault"
check 'echo "$out" | grep -qi "purge protection"' "delete says purge protection forbids purging"
kv vault list-deleted --json
check '[ "$(jq_ "[d[\"properties\"].get(\"purgeProtectionEnabled\") for d in j if d[\"name\"]==\"kv-c-pp\"][0]")" = True ]' "list-deleted: purgeProtectionEnabled"
w3=$(simctl writes)
kv vault purge kv-c-pp --yes
want_rc 5 "purge under purge protection: exit 5"
check 'echo "$err" | grep -qi "purge protection"' "the refusal says purge protection"
check '[ "$(simctl writes)" = "$w3" ]' "the refused purge wrote nothing"
kv vault create kv-c-pp --subscription "$DEV" -g $G -l westeurope --yes
want_rc 5 "create on a protected soft-deleted name: exit 5"
check 'echo "$err" | grep -q "vault recover kv-c-pp" && echo "$err" | grep -q "cannot be purged"' "the refusal offers recover, not purge"

exit $bad
