#!/bin/sh
# test-kill.sh — runs test-kill.py (see its docstring); exit 77 when skipped.
exec "${PYTHON3:-python3}" "$top_srcdir/tests/sim/test-kill.py"
