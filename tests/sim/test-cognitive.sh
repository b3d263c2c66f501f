#!/bin/sh
# test-cognitive.sh — runs test-cognitive.py (see its docstring); exit 77
# when skipped.
py=${PYTHON3:-python3}
command -v "$py" >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
exec "$py" "$top_srcdir/tests/sim/test-cognitive.py"
