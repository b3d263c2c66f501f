#!/bin/sh
# test-tmux-bin.sh — the screen tests find tmux even when configure ran
# inside a tmux session. tmux exports TMUX (its socket path) into every
# pane; configure once looked tmux up as TMUX, took that path for the
# program, and the screen tests then skipped with "tmux is not installed".
# Checks (1) the TMUX_BIN the harness hands to tests is a runnable tmux
# whenever tmux is installed, and (2) configure, rerun here with this
# build's options inside a fake tmux environment, still names the tmux
# program in its summary.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$(pwd)}"
tmux_path=$(command -v tmux || true)
[ -n "$tmux_path" ] || { echo "SKIP: tmux is not installed"; exit 77; }
bad=0

# 1. What the harness passes to the screen tests.
if [ -n "${TMUX_BIN:-}" ] && [ -x "$TMUX_BIN" ] && [ ! -d "$TMUX_BIN" ] &&
    "$TMUX_BIN" -V 2>/dev/null | grep -q '^tmux '; then
    echo "ok - TMUX_BIN is a runnable tmux ($TMUX_BIN)"
else
    echo "FAIL: tmux is installed ($tmux_path) but TMUX_BIN is '${TMUX_BIN:-}'"
    bad=1
fi

# 2. configure inside a tmux session (TMUX set to a socket, as tmux does).
[ -x "$top_builddir/config.status" ] || {
    echo "SKIP: no config.status in $top_builddir to take configure's options from"
    exit 77
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvdeck-tmuxbin.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
opts=$("$top_builddir/config.status" --config)
fake_sock=$tmp/tmux-1000/default
mkdir -p "$(dirname "$fake_sock")" && : > "$fake_sock"
(
    cd "$tmp" || exit 1
    eval "set -- $opts"
    # the same options, but the sources are named absolutely (make
    # distcheck configures with a relative --srcdir)
    for o in "$@"; do
        shift
        case $o in --srcdir=*) ;; *) set -- "$@" "$o" ;; esac
    done
    TMUX="$fake_sock,4242,0" TMUX_PANE=%0 "$top_srcdir/configure" \
        "$@" > configure.out 2>&1
) || { echo "FAIL: configure did not run:"; tail -20 "$tmp/configure.out"; exit 1; }
named=$(sed -n 's/^ *tmux (UI tests): *//p' "$tmp/configure.out")
if [ "$named" = "$tmux_path" ] || { [ -x "$named" ] && [ ! -d "$named" ] &&
    "$named" -V 2>/dev/null | grep -q '^tmux '; }; then
    echo "ok - configure inside tmux names the program: $named"
else
    echo "FAIL: configure inside tmux took '$named' for tmux (TMUX=$fake_sock,4242,0)"
    bad=1
fi
# The Makefile it wrote hands the program, not the socket, to the tests.
if grep -q "$fake_sock" "$tmp/Makefile"; then
    echo "FAIL: the generated Makefile carries tmux's socket path:"
    grep -n "$fake_sock" "$tmp/Makefile"
    bad=1
else
    echo "ok - the generated Makefile does not carry the socket path"
fi
exit $bad
