#!/bin/sh
# test-cli-errors.sh — how batch errors name what Azure said (issue 11):
#  - a 409 keeps its inner code: setting a secret whose name is deleted
#    but recoverable says "409 Conflict (ObjectIsDeletedButRecoverable)",
#    and --json gives code Conflict and inner_code (Azure's shape, as in
#    shared/azure/recordings/test_keyvault_secret_soft_delete.yaml);
#  - a 503 is the service unavailable, never "throttled";
#  - with no answer at all (a closed port) the only id is the one kvdeck
#    sent: it reads "kvdeck's client request id", not "request id";
#  - a tenant that is no GUID or domain (AZURE_TENANT_ID, --tenant) is
#    refused before any request, naming where it came from.
. "$top_srcdir/tests/cli/clilib.sh"

# --- 409 Conflict / ObjectIsDeletedButRecoverable ------------------------
# old-ftp-password is a deleted secret of the demo seed.
printf 'v1' >"$T/value"
kvin "$T/value" secret set $V old-ftp-password --yes
want_rc 5 "set over a deleted secret: refused (exit 5)"
check 'echo "$err" | grep -q "409 Conflict (ObjectIsDeletedButRecoverable): Secret old-ftp-password is currently in a deleted but recoverable state"' \
    "the report gives the code and the inner code"
kvin "$T/value" secret set $V old-ftp-password --yes --json
want_rc 5 "the same with --json"
check '[ "$(jq_ "[s[\"error\"] for s in j[\"steps\"] if \"error\" in s][0][\"code\"]")" = Conflict ]' \
    "--json: error.code is Azure's code (Conflict)"
check '[ "$(jq_ "[s[\"error\"] for s in j[\"steps\"] if \"error\" in s][0][\"inner_code\"]")" = ObjectIsDeletedButRecoverable ]' \
    "--json: error.inner_code is ObjectIsDeletedButRecoverable"

# --- 503: unavailable, not throttled ---------------------------------------
simctl fault 'error,status=503,method=GET,path=/secrets,count=20'
kv secret list $V
want_rc 1 "a list answered 503 every time fails (exit 1)"
check 'echo "$err" | grep -q "503\|ServiceUnavailable\|unable to handle the request"' "the error gives what Azure said"
check '! echo "$err" | grep -qi "throttl"' "and does not call it throttling"
simctl nofaults

# --- no answer: kvdeck's client request id ---------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
python3 - "$(conn cloud_file)" "$T/cloud-closed.json" "$port" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["endpoints"]["resourceManager"] = "https://127.0.0.1:%s/" % sys.argv[3]
json.dump(c, open(sys.argv[2], "w"))
PY
sed "s|^cloud = .*|cloud = $T/cloud-closed.json|" "$T/config" >"$T/config-closed"
"$KVDECK" --config "$T/config-closed" vault list >"$T/out" 2>"$T/err" </dev/null
rc=$?
out=$(cat "$T/out")
err=$(cat "$T/err")
want_rc 1 "Resource Manager on a closed port: exit 1"
check 'echo "$err" | grep -Eq "kvdeck.s client request id [0-9a-f-]{36}"' \
    "the id shown is labelled kvdeck's client request id"
check '! echo "$err" | grep -qi "(request id\|^request id"' \
    "and not as a request id Azure gave"

# --- a bad tenant: refused before any request, saying where it came from -
grep -v '^tenant\|^client-' "$T/config" >"$T/config-notenant"
AZURE_TENANT_ID='evil.example/x?' AZURE_CLIENT_ID=$(conn client_id) \
    AZURE_CLIENT_SECRET=$(conn client_secret) \
    "$KVDECK" --log "$T/tenant.log" --config "$T/config-notenant" vault list \
    >"$T/out" 2>"$T/err" </dev/null
rc=$?
out=$(cat "$T/out")
err=$(cat "$T/err")
check '[ "$rc" -ne 0 ] && echo "$err" | grep -q "AZURE_TENANT_ID: tenant \"evil.example/x?\" is neither a tenant ID"' \
    "a bad AZURE_TENANT_ID is refused, naming the variable"
"$KVDECK" --log "$T/tenant.log" --config "$T/config" login --tenant 'evil.example/x?' \
    >"$T/out" 2>"$T/err" </dev/null
rc=$?
out=$(cat "$T/out")
err=$(cat "$T/err")
check '[ "$rc" -eq 2 ] && echo "$err" | grep -q -- "--tenant: tenant \"evil.example/x?\" is neither"' \
    "a bad --tenant is a usage error naming the option"
check '! grep -q "http: >" "$T/tenant.log"' "and kvdeck sent no request for either (its debug log)"

exit $bad
