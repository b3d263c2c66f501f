# bench/local.mk — benchmarks (not run by make check).
EXTRA_DIST += bench/RESULTS.md
