#!/bin/sh
# test-proxy.sh — runs test-proxy.py (see its docstring); exit 77 when skipped.
exec "${PYTHON3:-python3}" "$top_srcdir/tests/sim/test-proxy.py"
