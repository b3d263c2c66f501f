#!/bin/sh
# test-faults.sh — runs test-faults.py (see its docstring); exit 77 when skipped.
exec "${PYTHON3:-python3}" "$top_srcdir/tests/sim/test-faults.py"
