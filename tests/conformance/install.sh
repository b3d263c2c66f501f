#!/bin/sh
# tests/conformance/install.sh — installs the official Azure clients that
# `make check-conformance` drives: Debian's azure-cli and python3-azure (plus
# jq for the assertions) with apt-get, and the JavaScript SDK packages pinned
# by tests/conformance/js/package-lock.json with npm. Safe to run again:
# installs only what is missing. Run as root or with sudo available.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

pkgs="azure-cli python3-azure jq ca-certificates"
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
missing=
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "conformance/install.sh: apt-get install$missing"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
    echo "conformance/install.sh: node $(node --version 2>/dev/null) < 20; the JavaScript part will be skipped" >&2
    exit 0
fi
if [ -f "$here/js/node_modules/.package-lock.json" ] &&
    ! [ "$here/js/package-lock.json" -nt "$here/js/node_modules/.package-lock.json" ]; then
    echo "conformance/install.sh: JavaScript SDK already installed"
    exit 0
fi
echo "conformance/install.sh: npm ci in $here/js"
cd "$here/js"
npm ci --no-audit --no-fund --loglevel=error
