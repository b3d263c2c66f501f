#!/bin/sh
# test-cli-cert.sh — signing in with a client certificate against
# kvdeck-sim (a JWT client assertion): the simulator's certificate from
# the config file and from AZURE_CLIENT_CERTIFICATE_PATH; RS256 with x5t
# on its AD FS authority and PS256 with x5t#S256 on an Entra ID v2 one;
# an encrypted key with the right password (config or environment), none
# and a wrong one; a file without a key, a missing file, a key that is
# not the certificate's; --auth picking the source; an unknown --auth.
. "${top_srcdir:-.}/tests/cli/clilib.sh"
command -v openssl >/dev/null 2>&1 || { echo "SKIP: openssl (the command) not found"; exit 77; }

PEM=$(conn client_certificate)
base="cloud = $(conn cloud_file)
ca-file = $(conn ca)
tenant = $(conn tenant)
client-id = $(conn client_id)"
# cfg LINES... — the config: the connection, then LINES
cfg() { printf '%s\n' "$base" "$@" >"$T/config"; }
log() { grep -F "$1" "$T/debug.log" >/dev/null 2>&1; }
kvl() { rm -f "$T/debug.log"; kv --log "$T/debug.log" "$@"; }

# 1. The certificate from the config file (no secret anywhere).
cfg "client-certificate = $PEM"
kvl secret list "$V" --json
want_rc 0 "signed in with the certificate from the config"
check '[ "$(jq_ "len(j) > 0")" = True ]' "and the secrets are listed"
check 'log "credential client certificate (configuration)"' "the log names the source"
check 'log "client assertion RS256, x5t"' "AD FS: RS256 with the SHA-1 thumbprint"
check '! grep -q "client_assertion=\|eyJ" "$T/debug.log"' "the assertion is not in the log"

# 2. An Entra ID v2 authority (the same sim without /adfs): PS256.
sed 's#/adfs"#"#' "$(conn cloud_file)" >"$T/cloud-v2.json"
printf '%s\n' "cloud = $T/cloud-v2.json" "ca-file = $(conn ca)" \
    "tenant = $(conn tenant)" "client-id = $(conn client_id)" \
    "client-certificate = $PEM" >"$T/config"
kvl secret list "$V" --json
want_rc 0 "signed in against the v2 authority"
check 'log "client assertion PS256, x5t#S256"' "Entra ID: PS256 with the SHA-256 thumbprint"
check 'log "/oauth2/v2.0/token"' "at the v2 token endpoint"

# 3. The environment, with a secret in the config too: --auth picks.
cfg "client-secret = $(conn client_secret)"
AZURE_CLIENT_CERTIFICATE_PATH=$PEM kvl --auth certificate secret list "$V"
want_rc 0 "--auth certificate with AZURE_CLIENT_CERTIFICATE_PATH"
check 'log "client certificate (environment)"' "the environment's certificate was used"
AZURE_CLIENT_CERTIFICATE_PATH=$PEM kvl secret list "$V"
check 'log "credential client secret (configuration)"' "without --auth the configured secret comes first"
cfg
kvl --auth certificate secret list "$V"
want_rc 3 "--auth certificate with no certificate anywhere: not signed in"
check 'echo "$err" | grep -q "AZURE_CLIENT_CERTIFICATE_PATH"' "and it says what to set"
kv --auth kerberos secret list "$V"
want_rc 2 "an unknown --auth is a usage error"
check 'echo "$err" | grep -q "auto, secret, certificate, az.*managed-identity"' "listing the sources"

# 4. An encrypted key.
openssl pkey -in "$PEM" -aes256 -passout pass:open-sesame -out "$T/enc.pem" 2>/dev/null
openssl x509 -in "$PEM" >>"$T/enc.pem" 2>/dev/null
chmod 600 "$T/enc.pem"
cfg "client-certificate = $T/enc.pem"
kv secret list "$V"
want_rc 3 "an encrypted key without a password"
check 'echo "$err" | grep -q "is encrypted: set AZURE_CLIENT_CERTIFICATE_PASSWORD"' "says a password is needed"
AZURE_CLIENT_CERTIFICATE_PASSWORD=wrong kv secret list "$V"
want_rc 3 "a wrong password"
check 'echo "$err" | grep -q "does not open with the password given"' "says the password is wrong"
check '! echo "$err" | grep -q wrong' "without echoing the password"
AZURE_CLIENT_CERTIFICATE_PASSWORD=open-sesame kv secret list "$V"
want_rc 0 "the password from the environment opens it"
cfg "client-certificate = $T/enc.pem" "client-certificate-password = open-sesame"
kv secret list "$V"
want_rc 0 "the password from the config opens it"

# 5. Files that cannot sign in.
openssl x509 -in "$PEM" >"$T/cert-only.pem" 2>/dev/null
cfg "client-certificate = $T/cert-only.pem"
kv secret list "$V"
want_rc 3 "a certificate without its key"
check 'echo "$err" | grep -q "holds no private key"' "says the key is missing"
cfg "client-certificate = $T/nowhere.pem"
kv secret list "$V"
want_rc 3 "a missing file"
check 'echo "$err" | grep -q "cannot read the client certificate"' "says it cannot read it"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/other.pem" 2>/dev/null
openssl x509 -in "$PEM" >>"$T/other.pem" 2>/dev/null
cfg "client-certificate = $T/other.pem"
kv secret list "$V"
want_rc 3 "a key that is not the certificate's"
check 'echo "$err" | grep -q "does not belong to its certificate"' "says they are not a pair"
exit $bad
