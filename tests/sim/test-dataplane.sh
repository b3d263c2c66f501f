#!/bin/sh
# test-dataplane.sh — runs test-dataplane.py (see its docstring); exit 77 when skipped.
exec "${PYTHON3:-python3}" "$top_srcdir/tests/sim/test-dataplane.py"
