#!/bin/bash
# tests/conformance/test-js-signin.sh — kvdeck-sim's sign-in surfaces with the
# Azure SDK for JavaScript (js/signin.mjs: device code, Key Vault claims
# challenge), the npm packages pinned by js/package-lock.json.
#
# Installs them into js/node_modules when missing or older than the lock
# file (npm install --no-audit --no-fund), starts a fresh simulator (device-code
# interval 1 s) and runs js/signin.mjs with NODE_EXTRA_CA_CERTS and the
# simulator's proxy.
# Prints TAP; exit 0 pass, 1 fail, 77 skip (Node/npm or packages missing).
set -u
. "$(dirname "$0")/lib.sh"

command -v node >/dev/null 2>&1 || conf_skip "node not installed"
command -v jq >/dev/null 2>&1 || conf_skip "jq not installed"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || conf_skip "node $(node --version) is too old; @azure/identity 4 needs Node.js >= 20"

jsdir=$conf_dir/js
if [ ! -f "$jsdir/node_modules/.package-lock.json" ] ||
    [ "$jsdir/package-lock.json" -nt "$jsdir/node_modules/.package-lock.json" ]; then
    command -v npm >/dev/null 2>&1 || conf_skip "npm not installed and js/node_modules missing"
    echo "# npm install in $jsdir"
    if ! (cd "$jsdir" && npm install --no-audit --no-fund --no-save >"$conf_work/npm.log" 2>&1); then
        sed 's/^/#   npm: /' "$conf_work/npm.log" | tail -n 15
        conf_skip "npm install of the Azure SDK for JavaScript failed (see above)"
    fi
fi
vers=
for p in identity arm-keyvault arm-network arm-resources arm-resources-subscriptions keyvault-secrets; do
    v=$(jq -r .version "$jsdir/node_modules/@azure/$p/package.json" 2>/dev/null) ||
        conf_skip "@azure/$p is not installed in $jsdir/node_modules"
    vers="$vers @azure/$p@$v"
done 2>/dev/null
echo "# node $(node --version);${vers:-}"

sim_start --device-interval 1 "$@"
conf_client_env
export NODE_EXTRA_CA_CERTS=$SIM_CA
unset NODE_OPTIONS NODE_TLS_REJECT_UNAUTHORIZED

t0=$(conf_now_ms)
# A watchdog: a simulator that stops answering must fail the test, not hang it.
conf_run timeout -k 5 "${KVCONF_SCENARIO_TIMEOUT:-600}" node "$jsdir/signin.mjs" "$CONN"
rc=$?
el=$(( $(conf_now_ms) - t0 ))
echo "# js sign-in took $el ms (exit $rc)"
[ -n "${KVCONF_TIMINGS:-}" ] && echo "js-signin: $(awk -v m=$el 'BEGIN { printf "%.1f", m / 1000 }') s, scenario exit $rc" >>"$KVCONF_TIMINGS"
[ $rc -eq 124 ] && echo "Bail out! the scenario was killed after ${KVCONF_SCENARIO_TIMEOUT:-600} s (hung)"
[ $rc -eq 0 ] && exit 0
sim_log_tail 30
exit 1
