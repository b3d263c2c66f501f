#!/bin/sh
# test-cli-whoami.sh — kvdeck whoami against kvdeck-sim: the service
# principal (application id, object id, tenant, type app, the credential
# source, the cloud), --json with the same facts, the managed identity's
# object id when signed in as it, not signed in (exit 3 with the chain's
# message), and never a token on standard output or error.
. "${top_srcdir:-.}/tests/cli/clilib.sh"

export AZURE_CONFIG_DIR=$T/azure # no az login here
kv whoami
want_rc 0 "whoami as the service principal"
check 'echo "$out" | grep -q "application: *$(conn client_id)"' "the application id"
check 'echo "$out" | grep -q "object id: *$(conn client_object_id)"' "its object id"
check 'echo "$out" | grep -q "tenant: *$(conn tenant)"' "the tenant"
check 'echo "$out" | grep -q "type: *app"' "the type"
check 'echo "$out" | grep -q "signed in with: *client secret (configuration)"' "the credential source"
check 'echo "$out" | grep -q "cloud: *KvdeckSim"' "the cloud"
check 'echo "$out" | grep -q "^tokens: "' "where tokens are kept"
check '! grep -q "eyJ" "$T/out" "$T/err"' "no token printed"

kv whoami --json
want_rc 0 "whoami --json"
got=$(jq_ '" ".join(str(j[k]) for k in ("appId", "objectId", "tenantId", "type", "account"))')
check '[ "$got" = "$(conn client_id) $(conn client_object_id) $(conn tenant) app None" ]' \
    "appId, objectId, tenantId, type; no account for an app"
got=$(jq_ '" ".join(str(j[k]) for k in ("cloud", "subscriptions", "credential"))')
check '[ "$got" = "KvdeckSim 2 client secret (configuration)" ]' \
    "cloud, subscriptions, credential"

printf '%s\n' "cloud = $(conn cloud_file)" "ca-file = $(conn ca)" \
    "auth = managed-identity" >"$T/config"
AZURE_POD_IDENTITY_AUTHORITY_HOST=$(conn imds) kv whoami --json
want_rc 0 "whoami as the managed identity"
got=$(jq_ '" ".join(str(j[k]) for k in ("objectId", "appId", "type"))')
check '[ "$got" = "$(conn mi_object_id) $(conn mi_client_id) app" ]' \
    "its object id and client id"

printf '%s\n' "cloud = $(conn cloud_file)" "ca-file = $(conn ca)" >"$T/config"
kv whoami
want_rc 3 "whoami with no credential: not signed in"
check 'echo "$err" | grep -q "no Azure credential"' "with the chain's message"
exit $bad
