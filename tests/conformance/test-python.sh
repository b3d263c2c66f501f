#!/bin/bash
# tests/conformance/test-python.sh — kvdeck-sim acceptance with the Azure SDK
# for Python from Debian (python3-azure), run by Debian's /usr/bin/python3
# (not a pyenv or venv python that happens to be first on PATH).
#
# Starts a fresh simulator (extra arguments go to kvdeck-sim, e.g.
# --deviate NAME for the self-test) and runs python/scenario.py against it.
# Prints TAP; exit 0 pass, 1 fail, 77 skip (SDK not installed), 99 hard error.
set -u
. "$(dirname "$0")/lib.sh"

PY=${KVCONF_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || conf_skip "$PY not found (Debian's python3)"
command -v jq >/dev/null 2>&1 || conf_skip "jq not installed"
missing=$("$PY" - <<'PYEOF' 2>&1
import importlib
mods = ["azure.identity", "azure.mgmt.resource", "azure.mgmt.keyvault",
        "azure.mgmt.network", "azure.mgmt.authorization",
        "azure.keyvault.secrets"]
bad = []
for m in mods:
    try:
        importlib.import_module(m)
    except Exception as exc:
        bad.append("%s (%s)" % (m, exc))
print(", ".join(bad))
PYEOF
)
[ -z "$missing" ] || conf_skip "Azure SDK for Python not installed (apt-get install python3-azure): $missing"

sim_start "$@"
conf_client_env
export REQUESTS_CA_BUNDLE=$SIM_CA
unset PYTHONPATH PYTHONHOME

t0=$(conf_now_ms)
# A watchdog: a simulator that stops answering must fail the test, not hang it.
conf_run timeout -k 5 "${KVCONF_SCENARIO_TIMEOUT:-600}" "$PY" -u -B "$conf_dir/python/scenario.py" "$CONN"
rc=$?
el=$(( $(conf_now_ms) - t0 ))
echo "# python scenario took $el ms (exit $rc)"
[ -n "${KVCONF_TIMINGS:-}" ] && echo "python${KVCONF_TAG:-}: $(awk -v m=$el 'BEGIN { printf "%.1f", m / 1000 }') s, scenario exit $rc" >>"$KVCONF_TIMINGS"
[ $rc -eq 124 ] && echo "Bail out! the scenario was killed after ${KVCONF_SCENARIO_TIMEOUT:-600} s (hung)"
[ $rc -eq 0 ] && exit 0
[ $rc -eq 77 ] && exit 77
sim_log_tail 30
exit 1
