# bench/local.mk — benchmarks (not run by make check).
EXTRA_DIST += bench/RESULTS.md
# bench/console.sh: the console against kvdeck-sim's scale seed (issue #4)
EXTRA_DIST += bench/console.sh bench/console-screen.py bench/console-cg.py
