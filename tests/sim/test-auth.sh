#!/bin/sh
# test-auth.sh — runs test-auth.py (see its docstring); exit 77 when skipped.
exec "${PYTHON3:-python3}" "$top_srcdir/tests/sim/test-auth.py"
