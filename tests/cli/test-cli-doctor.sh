#!/bin/sh
# test-cli-doctor.sh — kvdeck doctor against kvdeck-sim: a healthy sim
# (every line ok, exit 0, --json), a CA the sim's certificate does not
# chain to (the TLS lines fail: the CA is not trusted), a closed port
# (connection refused, and still over within seconds), a 10-minute clock
# skew (the clock line fails naming the offset), and nothing configured
# (the credentials line says what to set).
SIM_ARGS=
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/cli/clilib.sh"
# line WHAT — the report's line whose check is WHAT
line() { printf '%s\n' "$out" | grep -E "^(ok|warn|fail) +$1 " | head -1; }

# 1. healthy
kv doctor
want_rc 0 "healthy: exit 0"
check '! printf "%s\n" "$out" | grep -q "^fail"' "healthy: no line fails"
for w in "DNS\+TLS sign-in" "DNS\+TLS Resource Manager" "DNS\+TLS vault" clock sign-in credentials "config file" CA cloud; do
    check 'line "$w" | grep -q "^ok"' "healthy: $w ok"
done
check 'line "DNS\+TLS Resource Manager" | grep -q "certificate verified in [0-9]* ms"' "healthy: the TLS line says it verified, with the time"
check 'line sign-in | grep -q "tokens for Resource Manager and Key Vault, as "' "healthy: sign-in names the audiences and who"
check 'line credentials | grep -q "client secret (configuration)"' "healthy: the configured secret is named"
check 'line CA | grep -q "plus ca-file .*(1 certificate)"' "healthy: the ca-file and its count"
n=$(printf '%s\n' "$out" | grep -cE '^(ok|warn|fail) ')
check '[ "$n" -eq 11 ]' "healthy: eleven lines ($n)"
check '! grep -q "$(conn client_secret)" "$T/out" "$T/err"' "healthy: the secret is never printed"

kv doctor --json
want_rc 0 "--json: exit 0"
check '[ "$(jq_ "j[\"ok\"]")" = True ]' "--json: ok is true"
check '[ "$(jq_ "[c[\"status\"] for c in j[\"checks\"] if c[\"check\"]==\"tls-arm\"][0]")" = ok ]' "--json: tls-arm ok"
check '[ "$(jq_ "len(j[\"checks\"])")" = 11 ]' "--json: eleven checks"

# a configured vault: TLS to it
{ cat "$T/config"; echo "vault = $V"; } >"$T/config.v"
"$KVDECK" --config "$T/config.v" doctor >"$T/out" 2>"$T/err"; rc=$?; out=$(cat "$T/out")
want_rc 0 "configured vault: exit 0"
check 'line "DNS\+TLS vault" | grep -q "^ok.*$V\.vault\.localhost.*certificate verified"' "configured vault: TLS to it verified"

# 2. a CA the sim's certificate does not chain to
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/other.key" \
    -out "$T/other.pem" -days 2 -subj "/CN=another CA" >/dev/null 2>&1 ||
    { echo "FAIL: openssl could not make a CA"; exit 1; }
sed "s|^ca-file = .*|ca-file = $T/other.pem|" "$T/config" >"$T/config.ca"
cp "$T/config" "$T/config.good"
cp "$T/config.ca" "$T/config"
kv doctor
want_rc 1 "wrong CA: exit 1"
check 'line "DNS\+TLS Resource Manager" | grep -q "^fail.*the CA is not trusted: set ca-file"' "wrong CA: the TLS line says the CA is not trusted"
check 'line sign-in | grep -q "^fail"' "wrong CA: sign-in fails too"
cp "$T/config.good" "$T/config"

# 3. a closed port: a cloud file whose endpoints point where nothing listens
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$(conn cloud_file)" "$T/closed.json" "$port" <<'PY'
import json, re, sys
c = json.load(open(sys.argv[1]))
ep = c["endpoints"]
for k, v in list(ep.items()):
    if isinstance(v, str) and v.startswith("https://127.0.0.1:"):
        ep[k] = re.sub(r":\d+", ":" + sys.argv[3], v, count=1)
json.dump(c, open(sys.argv[2], "w"))
PY
sed "s|^cloud = .*|cloud = $T/closed.json|" "$T/config.good" >"$T/config"
t0=$(date +%s)
kv doctor
t1=$(date +%s)
want_rc 1 "closed port: exit 1"
check 'line "DNS\+TLS Resource Manager" | grep -q "^fail.*connection refused"' "closed port: connection refused"
check 'line "DNS\+TLS sign-in" | grep -q "^fail.*connection refused"' "closed port: the sign-in host refused too"
check 'line sign-in | grep -q "^fail.*cannot be reached"' "closed port: sign-in not tried"
check '[ $((t1 - t0)) -le 8 ]' "closed port: over in $((t1 - t0)) s"
cp "$T/config.good" "$T/config"

# 4. a 10-minute clock skew
simctl config '{"clock_skew_s":600}' >/dev/null
kv doctor
want_rc 1 "clock skew: exit 1"
# the Date header has whole seconds and a loaded machine delays the answer:
# 600 s give or take a few
check 'line clock | grep -qE "^fail.*(59[5-9]|60[0-5]) s \((9|10) min\) behind.*fix the clock \(timedatectl / NTP\)"' "clock skew: the clock line fails naming the offset"
simctl config '{"clock_skew_s":0}' >/dev/null

# 5. no credential configured
grep -v -E '^(tenant|client-id|client-secret) ' "$T/config.good" >"$T/config"
export AZURE_CONFIG_DIR="$T/no-az"
kv doctor
want_rc 1 "no credential: exit 1"
check 'line credentials | grep -q "^fail.*none configured.*client-secret.*AZURE_CLIENT_SECRET.*az login"' "no credential: the credentials line says what to set"

# 6. a config file others can read
cp "$T/config.good" "$T/config"
chmod 644 "$T/config"
kv doctor
check 'line "config file" | grep -q "^fail.*chmod 600"' "config too open: the line fails saying chmod 600"
check 'line "DNS\+TLS Resource Manager" | grep -q "^ok\|^fail"' "config too open: the other checks still run"
exit $bad
