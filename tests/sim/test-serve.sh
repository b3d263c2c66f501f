#!/bin/sh
# test-serve.sh — runs test-serve.py (see its docstring); exit 77 when skipped.
exec "${PYTHON3:-python3}" "$top_srcdir/tests/sim/test-serve.py"
