#!/bin/sh
# test-arm.sh — runs test-arm.py (see its docstring); exit 77 when skipped.
exec "${PYTHON3:-python3}" "$top_srcdir/tests/sim/test-arm.py"
