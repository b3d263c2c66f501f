#!/bin/bash
# tests/conformance/test-deviation.sh — proves the conformance suite has teeth.
#
# Runs the Python scenario (the fastest client) against simulators started
# with a deliberate deviation from real Azure and asserts the scenario FAILS,
# and fails at the step that the deviation breaks:
#   --deviate provisioning-state  vaults never reach Succeeded
#                                  -> the vault-create poller must time out
#   --deviate no-nextlink         lists drop nextLink
#                                  -> listing 28 secrets must come up short
# Exit 0 when every deviation was caught, 1 when one slipped through, 77 when
# the Python SDK or the simulator's --deviate option is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kvconf-dev.XXXXXX")
trap 'rm -rf "$work"' EXIT

n=0
failed=0
skipped=0
# case NAME STEP-PATTERN: the deviation NAME must make the step matching
# STEP-PATTERN (an extended regex on its TAP description) fail.
check_case() {
    n=$((n + 1))
    t0=$(date +%s%3N)
    KVCONF_TAG=" (--deviate $1)" KVCONF_LRO_TIMEOUT=10 bash "$here/test-python.sh" --deviate "$1" >"$work/$1.log" 2>&1
    rc=$?
    ms=$(( $(date +%s%3N) - t0 ))
    # the inner run's failures, without its passes and its simulator log
    sed '/^# --- kvdeck-sim stderr/,$d' "$work/$1.log" | grep -v '^ok ' | sed 's/^/#   | /' | head -n 30
    case $rc in
    0)
        echo "not ok $n - --deviate $1: the scenario PASSED against a deviating simulator ($ms ms)"
        failed=$((failed + 1))
        ;;
    1)
        if grep -Eq "^not ok [0-9]+ - ($2)" "$work/$1.log"; then
            echo "ok $n - --deviate $1 is caught by the step '$2' ($ms ms)"
        else
            echo "not ok $n - --deviate $1 failed the scenario, but not at '$2' ($ms ms)"
            failed=$((failed + 1))
        fi
        ;;
    77)
        echo "ok $n - # SKIP --deviate $1: $(grep -m1 '^SKIP:' "$work/$1.log")"
        skipped=$((skipped + 1))
        ;;
    *)
        if grep -q "before it was ready" "$work/$1.log"; then
            echo "ok $n - # SKIP kvdeck-sim does not start with --deviate $1 (see SIM-BUGS.md)"
            skipped=$((skipped + 1))
        else
            echo "not ok $n - --deviate $1: harness error (exit $rc) ($ms ms)"
            failed=$((failed + 1))
        fi
        ;;
    esac
}

# Control: without a deviation the same steps must pass, so that a failure
# below is the deviation's doing and not a bug that fails them anyway.
n=$((n + 1))
KVCONF_TAG=" (control for deviation)" bash "$here/test-python.sh" >"$work/control.log" 2>&1
rc=$?
if [ $rc -eq 77 ]; then
    echo "SKIP: $(grep -m1 '^SKIP:' "$work/control.log")"
    exit 77
fi
miss=
for s in 'vaults\.begin_create_or_update' 'list_properties_of_secrets'; do
    grep -Eq "^ok [0-9]+ - ($s)" "$work/control.log" || miss="$miss '$s'"
done
if [ -z "$miss" ]; then
    echo "ok $n - control run without a deviation passes the steps the deviations must break"
else
    echo "not ok $n - control run without a deviation does not pass:$miss (exit $rc)"
    sed '/^# --- kvdeck-sim stderr/,$d' "$work/control.log" | grep -v '^ok ' | sed 's/^/#   | /' | head -n 30
    failed=$((failed + 1))
fi

check_case provisioning-state 'vaults\.begin_create_or_update'
check_case no-nextlink 'list_properties_of_secrets'
echo "1..$n"
echo "# deviation: $((n - failed - skipped)) of $n checks passed, $failed failed, $skipped skipped"
[ $failed -gt 0 ] && exit 1
[ $skipped -eq $((n - 1)) ] && { echo "SKIP: no deviation could be tested"; exit 77; }
exit 0
