#!/bin/bash
# tests/conformance/test-python-signin.sh — kvdeck-sim's sign-in surfaces
# (device code, managed identity, claims challenge) with azure-identity from
# Debian's python3-azure: python/signin.py against a fresh simulator with a
# one-second device-code interval. Prints TAP; exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/lib.sh"

PY=${KVCONF_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || conf_skip "$PY not found (Debian's python3)"
command -v jq >/dev/null 2>&1 || conf_skip "jq not installed"
"$PY" -c 'import azure.identity, azure.mgmt.resource, azure.keyvault.secrets' 2>/dev/null ||
    conf_skip "Azure SDK for Python not installed (apt-get install python3-azure)"

sim_start --device-interval 1 "$@"
conf_client_env
export REQUESTS_CA_BUNDLE=$SIM_CA
unset PYTHONPATH PYTHONHOME

t0=$(conf_now_ms)
conf_run timeout -k 5 "${KVCONF_SCENARIO_TIMEOUT:-600}" "$PY" -u -B "$conf_dir/python/signin.py" "$CONN"
rc=$?
el=$(( $(conf_now_ms) - t0 ))
echo "# python sign-in took $el ms (exit $rc)"
[ -n "${KVCONF_TIMINGS:-}" ] && echo "python-signin: $(awk -v m=$el 'BEGIN { printf "%.1f", m / 1000 }') s, exit $rc" >>"$KVCONF_TIMINGS"
[ $rc -eq 0 ] && exit 0
[ $rc -eq 77 ] && exit 77
sim_log_tail 30
exit 1
