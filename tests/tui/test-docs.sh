#!/bin/sh
# test-docs.sh — the man page and the key table agree: the actions
# kvdeck(1) lists for "bind" are exactly those of src/tui/keys.h, and no
# source, translation or manual offers a feature as "not available in
# this version" (stubs are not features).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$top_srcdir" || exit 1
bad=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Action names from the X-macro: X(ACT_..., "name", ...)
sed -n 's/^ *X(ACT_[A-Z_]*, "\([a-z-]*\)".*/\1/p' src/tui/keys.h |
    grep -vx none | sort > "$tmp/table"
# The man page's list: from "is one of" to "to unbind" under "bind".
awk '/^\.I ACTION/ { on = 1 } on { print } on && /^\.B none/ { exit }' man/kvdeck.1 |
    grep '^\.BR' | sed 's/^\.BR //; s/"[^"]*"//g' | tr ' ,' '\n\n' |
    grep -E '^[a-z-]+$' | sort > "$tmp/man"
if [ ! -s "$tmp/table" ] || [ ! -s "$tmp/man" ]; then
    echo "FAIL: could not read the action lists"; exit 1
fi
if ! diff -u "$tmp/table" "$tmp/man"; then
    echo "FAIL: kvdeck(1) \"bind\" actions differ from src/tui/keys.h"; bad=1
else
    echo "ok - kvdeck(1) lists exactly the $(wc -l < "$tmp/table") actions of the key table"
fi
if grep -rniE "not available in this version|nicht verfügbar in dieser Version|in dieser Version nicht verfügbar" \
        src/tui src/engine src/kvdeck.c man/kvdeck.1 po/de.po; then
    echo "FAIL: a stub is offered as a feature"; bad=1
else
    echo "ok - no stub offered as a feature"
fi
exit $bad
