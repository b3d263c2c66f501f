#!/bin/sh
# layer-rules.sh — checks the include rules that keep kvdeck's layers honest
# (DESIGN.md §2). Usage: layer-rules.sh SRCDIR. Prints each violation as
# "file:line: rule" and exits 1 if there is any.
#
#   curses                      only in tui/
#   libcurl, cJSON, OpenSSL     only in azure/ and sim/
#   libmicrohttpd               only in sim/
#   libsecret / GLib            only in engine/keyring.c
#   base/                       includes nothing from other layers and no
#                               third-party library
#   tui/, cli/                  never include azure/ (they ask the engine)
#   engine/                     never includes tui/ or cli/
#   azure/                      never includes engine/, tui/ or cli/
set -u
src=${1:?usage: layer-rules.sh SRCDIR}
bad=0

# violation FILE-LIST-CMD PATTERN RULE
report() {
    # $1: grep -n output lines, $2: rule text
    if [ -n "$1" ]; then
        printf '%s\n' "$1" | while IFS= read -r l; do
            printf '%s: %s\n' "$l" "$2"
        done
        bad=1
    fi
}

inc() { # inc PATTERN FILES... -> matching #include lines
    pat=$1; shift
    [ $# -gt 0 ] || return 0
    grep -nHE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pat)" "$@" 2>/dev/null
}

files_except() { # files_except DIR... : all .c/.h under src not under the given dirs
    find "$src" -name '*.[ch]' | sort | while IFS= read -r f; do
        rel=${f#"$src"/}
        keep=1
        for d in "$@"; do
            case "$rel" in "$d"*) keep=0 ;; esac
        done
        [ $keep = 1 ] && printf '%s\n' "$f"
    done
}

CURSES='curses\.h|ncurses\.h|ncursesw/|term\.h|panel\.h|menu\.h|form\.h'
CURL='curl/'
CJSON='cjson/|cJSON\.h'
SSL='openssl/'
MHD='microhttpd\.h'
SECRET='libsecret/|glib\.h|glib/|gio/'

# shellcheck disable=SC2046
set -- $(files_except tui/); out=$(inc "$CURSES" "$@"); report "$out" "curses outside tui/"
set -- $(files_except azure/ sim/); out=$(inc "$CURL|$CJSON|$SSL" "$@"); report "$out" "libcurl/cJSON/OpenSSL outside azure/ and sim/"
set -- $(files_except sim/); out=$(inc "$MHD" "$@"); report "$out" "libmicrohttpd outside sim/"
set -- $(files_except engine/keyring.c); out=$(inc "$SECRET" "$@"); report "$out" "libsecret/GLib outside engine/keyring.c"
if [ -d "$src/base" ]; then
    set -- $(find "$src/base" -name '*.[ch]' | sort)
    out=$(inc "azure/|engine/|tui/|cli/|sim/|$CURSES|$CURL|$CJSON|$SSL|$MHD|$SECRET" "$@")
    report "$out" "base/ depends on another layer or library"
fi
set -- $(find "$src/tui" "$src/cli" -name '*.[ch]' 2>/dev/null | sort)
out=$(inc 'azure/' "$@"); report "$out" "tui/ or cli/ calls azure/ directly (ask the engine)"
set -- $(find "$src/engine" -name '*.[ch]' 2>/dev/null | sort)
out=$(inc 'tui/|cli/' "$@"); report "$out" "engine/ depends on the front ends"
set -- $(find "$src/azure" -name '*.[ch]' 2>/dev/null | sort)
out=$(inc 'engine/|tui/|cli/' "$@"); report "$out" "azure/ depends on a higher layer"

exit $bad
