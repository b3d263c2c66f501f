#!/bin/sh
# test-po.sh — translations: po/POTFILES.in lists every source file that
# marks strings with _(), N_() or P_(); po/de.po passes msgfmt --check and
# translates every message (none untranslated, none fuzzy).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
command -v msgfmt >/dev/null 2>&1 || { echo "SKIP: msgfmt is not installed"; exit 77; }
cd "$top_srcdir" || exit 1
bad=0
for f in $(grep -rlE '(^|[^A-Za-z0-9_])(N_|P_|_)\("' src --include='*.c' --include='*.h' | sort); do
    grep -qxF "$f" po/POTFILES.in || { echo "FAIL: $f has translatable strings but is not in po/POTFILES.in"; bad=1; }
done
grep -v '^#' po/POTFILES.in | while read -r f; do
    [ -z "$f" ] || [ -f "$f" ] || { echo "FAIL: po/POTFILES.in lists missing $f"; exit 1; }
done || bad=1
out=$(msgfmt --check --statistics -o /dev/null po/de.po 2>&1) || { echo "FAIL: msgfmt --check: $out"; exit 1; }
echo "$out"
case "$out" in
    *untranslated*|*fuzzy*) echo "FAIL: po/de.po is incomplete"; bad=1 ;;
esac
# Every message of the sources is in de.po (xgettext over POTFILES.in).
if command -v xgettext >/dev/null 2>&1 && command -v msgcmp >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    xgettext --keyword=_ --keyword=N_ --keyword=P_:1,2 --from-code=UTF-8 \
        -f po/POTFILES.in -o "$tmp/kvdeck.pot" 2>/dev/null
    if ! msgcmp po/de.po "$tmp/kvdeck.pot" 2>"$tmp/err"; then
        echo "FAIL: po/de.po lacks messages of the sources:"; head -20 "$tmp/err"; bad=1
    fi
    rm -rf "$tmp"
fi
[ $bad = 0 ] && echo "ok - POTFILES.in complete, de.po complete and valid"
exit $bad
