#!/bin/sh
# test-network.sh — runs test-network.py (see its docstring); exit 77 when skipped.
exec "${PYTHON3:-python3}" "$top_srcdir/tests/sim/test-network.py"
