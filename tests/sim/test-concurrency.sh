#!/bin/sh
# test-concurrency.sh — runs test-concurrency.py (see its docstring); exit 77 when skipped.
exec "${PYTHON3:-python3}" "$top_srcdir/tests/sim/test-concurrency.py"
