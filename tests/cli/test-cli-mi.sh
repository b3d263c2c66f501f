#!/bin/sh
# test-cli-mi.sh — signing in with a managed identity against kvdeck-sim's
# plain-HTTP endpoint: the IMDS form (AZURE_POD_IDENTITY_AUTHORITY_HOST,
# Metadata: true), system- and user-assigned (AZURE_CLIENT_ID), the App
# Service form (IDENTITY_ENDPOINT + IDENTITY_HEADER); an unknown identity
# and a wrong header each a clear message; opt-in only (the chain does
# not use it unless managed-identity = yes); plain http only on the
# machine itself (an IMDS host elsewhere is refused, nothing sent); no
# token in the debug log.
. "${top_srcdir:-.}/tests/cli/clilib.sh"

export AZURE_CONFIG_DIR=$T/azure # no az login here
base="cloud = $(conn cloud_file)
ca-file = $(conn ca)"
printf '%s\nauth = managed-identity\n' "$base" >"$T/config"
export AZURE_POD_IDENTITY_AUTHORITY_HOST
AZURE_POD_IDENTITY_AUTHORITY_HOST=$(conn imds)
log() { grep -F -- "$1" "$T/debug.log" >/dev/null 2>&1; }
kvl() { rm -f "$T/debug.log"; kv --log "$T/debug.log" "$@"; }

kvl secret list "$V" --json
want_rc 0 "auth = managed-identity: IMDS, system-assigned"
check '[ "$(jq_ "len(j) > 0")" = True ]' "the vault's secrets are listed"
check 'log "credential managed identity (IMDS)"' "the log names the source"
check 'log "GET http://127.0.0.1:$(conn imds_port)/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.localhost"' \
    "plain http to the IMDS path, api-version 2018-02-01, the vault's resource"
check '! grep -q "eyJ" "$T/debug.log"' "no token in the debug log"

AZURE_CLIENT_ID=$(conn uami_client_id) kvl secret list "$V"
want_rc 0 "AZURE_CLIENT_ID: the user-assigned identity"
check 'log "client_id=$(conn uami_client_id)"' "its client id is sent"
check 'log "managed identity (IMDS, user-assigned"' "and named"

AZURE_CLIENT_ID=00000000-0000-0000-0000-00000000dead kv secret list "$V"
want_rc 3 "an unknown identity: not signed in"
check 'echo "$err" | grep -q "Identity not found"' "IMDS's words are shown"
check 'echo "$err" | grep -q "AZURE_CLIENT_ID"' "and what to check"

IDENTITY_ENDPOINT=$(conn identity_endpoint) \
    IDENTITY_HEADER=$(conn identity_header) kvl secret list "$V"
want_rc 0 "the App Service form (IDENTITY_ENDPOINT, IDENTITY_HEADER)"
check 'log "/msi/token?api-version=2019-08-01"' "api-version 2019-08-01"
check '! grep -q "$(conn identity_header)" "$T/debug.log"' "the identity header is not logged"

IDENTITY_ENDPOINT=$(conn identity_endpoint) IDENTITY_HEADER=wrong \
    kv secret list "$V"
want_rc 3 "a wrong IDENTITY_HEADER"
check 'echo "$err" | grep -q "X-IDENTITY-HEADER"' "the endpoint's message is shown"

AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:1 kv secret list "$V"
want_rc 3 "no endpoint answering"
check 'echo "$err" | grep -q "no managed identity endpoint answered"' "says so"

AZURE_POD_IDENTITY_AUTHORITY_HOST=http://kvdeck.invalid kv secret list "$V"
check '[ "$rc" -ne 0 ]' "plain http to a host that is not on this machine"
check 'echo "$err" | grep -qi "protocol\|not supported\|disabled"' \
    "is refused by the transport ($(echo "$err" | head -1 | cut -c1-100))"

# opt-in: nothing else configured, the chain does not take it ...
printf '%s\n' "$base" >"$T/config"
kv secret list "$V"
want_rc 3 "not opted in: no managed identity"
# ... unless the config says so
printf '%s\nmanaged-identity = yes\n' "$base" >"$T/config"
kvl secret list "$V"
want_rc 0 "managed-identity = yes: the chain uses it"
check 'log "credential managed identity (IMDS)"' "(the log says so)"
printf '%s\nmanaged-identity = maybe\n' "$base" >"$T/config"
kv secret list "$V"
want_rc 2 "managed-identity must be yes or no"
# the command line picks it too
printf '%s\n' "$base" >"$T/config"
kvl --auth managed-identity secret list "$V"
want_rc 0 "--auth managed-identity"
exit $bad
