#!/bin/sh
# bench/fuzz.sh — runs every libFuzzer target long: until FUZZ_RUNS
# executions (default 10 million) or FUZZ_SECONDS (default 3600) per
# target, whichever comes first, FUZZ_JOBS (default 2) at a time, under
# nice -n 10. Prints the table for the "## Fuzzing" section of
# bench/RESULTS.md (execs, exec/s, cov, ft, findings) and keeps logs and
# any crash-*/leak-*/timeout-* inputs under FUZZ_OUT.
#
#   bench/fuzz.sh [BUILD-DIR]        (default: _build-fuzz, configured
#                                     with --enable-fuzzing CC=clang and
#                                     built here when missing)
#
# FUZZ_TARGETS="fuzz-lro fuzz-arm" runs only those. FUZZ_TIMEOUT (default
# 120 s, make check-fuzz has 10): libFuzzer's limit for one input is
# wall-clock time, and a long run under nice on a busy machine can be
# starved past 10 s by an input that replays in 0.3 s.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build-fuzz}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
if [ ! -f "$build/Makefile" ]; then
    mkdir -p "$build"
    (cd "$build" && "$top/configure" --enable-fuzzing CC=clang >/dev/null)
fi
targets=$(sed -n 's|^noinst_PROGRAMS += tests/fuzz/||p' "$top/tests/fuzz/local.mk")
grep -q '^am__EXEEXT_[0-9]* = tests/fuzz/fuzz-sim' "$build/Makefile" ||
    targets=$(echo "$targets" | grep -v '^fuzz-sim')  # and fuzz-sim-router
grep -q '^FUZZ_LDFLAGS = -fsanitize=fuzzer' "$build/Makefile" ||
    { echo "bench/fuzz.sh: $build is not configured with --enable-fuzzing CC=clang" >&2; exit 1; }
[ -z "${FUZZ_TARGETS:-}" ] || targets=$FUZZ_TARGETS
targets=$(echo $targets)
make -C "$build" -j2 $(for t in $targets; do echo "tests/fuzz/$t"; done) >/dev/null
out=${FUZZ_OUT:-$(mktemp -d /tmp/kvdeck-fuzz-bench.XXXXXX)}
mkdir -p "$out"
echo "bench/fuzz.sh: $targets"
echo "  up to ${FUZZ_RUNS:-10000000} runs or ${FUZZ_SECONDS:-3600} s each, ${FUZZ_JOBS:-2} at a time; logs in $out"
start=$(date -u +%Y-%m-%dT%H:%MZ)
set +e
FUZZ_SECONDS=${FUZZ_SECONDS:-3600} FUZZ_JOBS=${FUZZ_JOBS:-2} FUZZ_OUT=$out \
FUZZ_FLAGS="-runs=${FUZZ_RUNS:-10000000} -timeout=${FUZZ_TIMEOUT:-120} ${FUZZ_FLAGS:-}" \
    nice -n 10 sh "$top/tests/fuzz/run.sh" "$top" "$build/tests/fuzz" $targets \
    >"$out/table.txt" 2>&1
rc=$?
cat "$out/table.txt"
echo "started $start, ended $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/table.txt"; tail -1 "$out/table.txt"
exit $rc
