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
# The man page's example of a configuration error is one the program
# gives: write the setting it names on the line it names, run kvdeck.
: "${top_builddir:=$top_srcdir}"
ex=$(tr -d '\n' < man/kvdeck.1 | grep -o 'config:[0-9]*: unknown setting \\(dq[^\\]*\\(dq' | head -1)
line=$(printf '%s' "$ex" | sed -n 's/^config:\([0-9]*\):.*/\1/p')
name=$(printf '%s' "$ex" | sed -n 's/.*\\(dq\(.*\)\\(dq$/\1/p')
if [ -z "$line" ] || [ -z "$name" ]; then
    echo "FAIL: no 'unknown setting' example found in kvdeck(1)"; bad=1
elif [ ! -x "$top_builddir/src/kvdeck" ]; then
    echo "# src/kvdeck not built: the man page's error example is not run"
else
    mkdir -p "$tmp/xdg/kvdeck"
    i=1
    while [ "$i" -lt "$line" ]; do echo "# line $i"; i=$((i + 1)); done \
        > "$tmp/xdg/kvdeck/config"
    echo "$name = 1" >> "$tmp/xdg/kvdeck/config"
    chmod 600 "$tmp/xdg/kvdeck/config"
    out=$(XDG_CONFIG_HOME=$tmp/xdg LC_ALL=C "$top_builddir/src/kvdeck" \
        </dev/null 2>&1 >/dev/null)
    rc=$?
    want="$tmp/xdg/kvdeck/config:$line: unknown setting \"$name\""
    case $rc:$out in
    2:*"$want"*) echo "ok - kvdeck(1)'s example error is the program's: $name is refused" ;;
    *) echo "FAIL: kvdeck(1) cites 'unknown setting \"$name\"' but kvdeck says (exit $rc): $out"
       bad=1 ;;
    esac
fi
exit $bad
