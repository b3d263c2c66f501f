#!/bin/sh
# test-seeds.sh — runs test-seeds.py (see its docstring); exit 77 when skipped.
exec "${PYTHON3:-python3}" "$top_srcdir/tests/sim/test-seeds.py"
