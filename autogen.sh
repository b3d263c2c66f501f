#!/bin/sh
# autogen.sh — regenerate the build system from a git checkout.
set -e
cd "$(dirname "$0")"
autoreconf -fi
