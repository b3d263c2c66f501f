#!/bin/sh
# bench/sim-kill.sh — kvdeck-sim durability under SIGKILL, long: runs
# tests/sim/test-kill.py (writers putting secret versions and resource
# groups while the simulator is killed at random moments, with a tiny
# compaction threshold so kills also land in snapshot writes) for
# ROUNDS rounds (default 100) and prints its figures: rounds,
# acknowledged writes, lost (must be 0), restart time. Outside make check
# (several minutes); the figures go to the "## kvdeck-sim kills" section
# of bench/RESULTS.md by hand.
#
# Usage: [ROUNDS=N] [KVSIM_BUILD=_build] nice -n 10 bench/sim-kill.sh
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KVSIM_BUILD:-$top/_build}
case $build in /*) ;; *) build=$top/$build ;; esac
[ -x "$build/src/sim/kvdeck-sim" ] || {
    echo "bench/sim-kill.sh: $build/src/sim/kvdeck-sim is not built (set KVSIM_BUILD)" >&2
    exit 2
}
# a private copy of the program: a rebuild meanwhile must not break the run
tmp=$(mktemp -d /tmp/kvdeck-sim-kill.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/sim"
cp "$build/src/sim/kvdeck-sim" "$tmp/src/sim/"
start=$(date +%s)
out=$(KILL_ROUNDS=${ROUNDS:-100} top_builddir=$tmp top_srcdir=$top \
    python3 "$top/tests/sim/test-kill.py")
rc=$?
echo "$out" | grep -E '^(not ok|# lost)' | head -20
echo "$out" | tail -1
echo "$out" | grep '^# figures:' | sed 's/^# figures: //'
echo "wall time: $(( $(date +%s) - start )) s"
exit $rc
