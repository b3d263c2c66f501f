#!/bin/sh
# tests/fuzz/run.sh — make check-fuzz: runs each libFuzzer target for
# FUZZ_SECONDS (default 30) over its seed corpus (tests/fuzz/corpus/NAME,
# read only: new inputs go to a scratch directory), FUZZ_JOBS targets at
# a time (default 2), and prints one line per target with its execs,
# exec/s and coverage. Fails on any crash, leak, timeout or out-of-memory
# (libFuzzer exits non-zero and leaves a crash-*/leak-*/timeout-* file,
# kept under the scratch directory and named in the output).
#
#   run.sh SRCDIR BUILDDIR/tests/fuzz TARGET...
#
# Extra libFuzzer flags: FUZZ_FLAGS (e.g. -runs=1000000). FUZZ_OUT: where
# to keep logs and findings (default: a new directory under /tmp, removed
# when nothing was found).
set -u
src=$1 bin=$2
shift 2
secs=${FUZZ_SECONDS:-30}
jobs=${FUZZ_JOBS:-2}
out=${FUZZ_OUT:-}
own_out=
[ -n "$out" ] || { out=$(mktemp -d /tmp/kvdeck-fuzz.XXXXXX); own_out=1; }
mkdir -p "$out"

# run_one NAME: one target; writes $out/NAME.log and $out/NAME.rc
run_one() {
    name=$1
    dict=
    case $name in
    fuzz-http-header|fuzz-challenge|fuzz-url) dict=$src/tests/fuzz/http.dict ;;
    fuzz-config|fuzz-cli-args|fuzz-lro) dict= ;;
    *) dict=$src/tests/fuzz/json.dict ;;
    esac
    [ -f "$src/tests/fuzz/$name.dict" ] && dict=$src/tests/fuzz/$name.dict
    mkdir -p "$out/$name/new" "$out/$name/findings"
    seeds=$src/tests/fuzz/corpus/$name
    [ -d "$seeds" ] || seeds=
    (
        cd "$out/$name/findings" &&
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:allocator_may_return_null=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
            -max_len=65536 -close_fd_mask=3 -print_final_stats=1 \
            ${dict:+-dict="$dict"} ${FUZZ_FLAGS:-} \
            "$out/$name/new" $seeds
    ) >"$out/$name.log" 2>&1
    echo $? >"$out/$name.rc"
}

running=0
for t in "$@"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait

status=0
printf '%-18s %12s %10s %8s %8s  %s\n' target execs exec/s cov ft result
for t in "$@"; do
    log=$out/$t.log
    rc=$(cat "$out/$t.rc" 2>/dev/null || echo 1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | sed 's/cov: //')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | sed 's/ft: //')
    if [ "$rc" = 0 ]; then
        res=ok
    else
        res="FAILED (exit $rc; log $log)"
        status=1
    fi
    printf '%-18s %12s %10s %8s %8s  %s\n' "$t" "${execs:--}" "${rate:--}" \
        "${cov:--}" "${ft:--}" "$res"
    if [ "$rc" != 0 ]; then
        grep -E 'ERROR: |SUMMARY: |^artifact_prefix|Test unit written' "$log" | head -8
        ls "$out/$t/findings" 2>/dev/null | sed 's/^/  finding: /'
    fi
done
if [ "$status" = 0 ] && [ -n "$own_out" ]; then
    rm -rf "$out" # nothing found: no logs to keep
else
    echo "fuzz logs and findings: $out"
fi
exit $status
