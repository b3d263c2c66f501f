#!/bin/sh
# test-layers.sh — make check: the real tree obeys the layer rules, and the
# checker really catches each kind of violation (so this test can fail).
set -u
here=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
check="$here/tests/layers/layer-rules.sh"
fail=0

if out=$(sh "$check" "$here/src"); then
    echo "PASS: src/ obeys the layer rules"
else
    echo "FAIL: layer rules broken in src/:"; echo "$out"; fail=1
fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# One violation per rule; each must be reported.
while IFS='|' read -r file line rule; do
    rm -rf "$tmp/src"; mkdir -p "$tmp/src/base" "$tmp/src/tui" "$tmp/src/engine" \
        "$tmp/src/azure" "$tmp/src/cli" "$tmp/src/sim"
    mkdir -p "$(dirname "$tmp/src/$file")"
    printf '%s\n' "$line" > "$tmp/src/$file"
    if out=$(sh "$check" "$tmp/src"); then
        echo "FAIL: not caught: $rule ($file: $line)"; fail=1
    elif ! printf '%s' "$out" | grep -q "$file"; then
        echo "FAIL: wrong file reported for $rule: $out"; fail=1
    else
        echo "PASS: caught $rule"
    fi
done <<'CASES'
engine/store.c|#include <ncursesw/curses.h>|curses outside tui
cli/ls.c|#include <curses.h>|curses in cli
engine/worker.c|#include <curl/curl.h>|libcurl in engine
tui/view.c|#include <cjson/cJSON.h>|cJSON in tui
base/log.c|#include <openssl/evp.h>|OpenSSL in base
azure/http.c|#include <microhttpd.h>|libmicrohttpd outside sim
engine/store.c|#include <libsecret/secret.h>|libsecret outside keyring.c
base/buf.c|#include "engine/worker.h"|base includes engine
tui/view-secrets.c|#include "azure/arm.h"|tui calls azure directly
cli/ls.c|  #  include "azure/kv.h"|cli calls azure directly (odd spacing)
engine/plan.c|#include "tui/tui.h"|engine includes tui
azure/arm.c|#include "engine/store.h"|azure includes engine
CASES

# And the allowed places are allowed.
rm -rf "$tmp/src"; mkdir -p "$tmp/src/engine" "$tmp/src/tui" "$tmp/src/sim"
echo '#include <libsecret/secret.h>' > "$tmp/src/engine/keyring.c"
echo '#include <curses.h>' > "$tmp/src/tui/loop.c"
echo '#include <microhttpd.h>' > "$tmp/src/sim/server.c"
if out=$(sh "$check" "$tmp/src"); then
    echo "PASS: allowed includes are not flagged"
else
    echo "FAIL: allowed includes flagged: $out"; fail=1
fi
exit $fail
