#!/bin/sh
# test-screen-longname.sh — a hostile name from outside does not freeze
# the console: a vault whose name is 200,000 characters long (the fake
# engine's KVFAKE_LONG_NAME) is opened at 80x24, the breadcrumb keeps the
# end of the name, and the next keys are answered. The breadcrumb's trim
# was once quadratic in the name's length: this screen took ~10 s per
# redraw, so the waits below (5 s, far above the milliseconds a linear
# trim takes) failed.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

FAKE=$top_builddir/tests/tui/kvdeck-fake
[ -x "$FAKE" ] || skip "kvdeck-fake not built"

screen_start 80 24 "env KVFAKE_LONG_NAME=200000 $FAKE"
wait_for "Vaults (6)"
assert_screen "kv-long-nnnn" "the long name is listed, cut to its column"
keys Enter
wait_for "Secrets of kv-long-n" 5
header() { screen_text | head -n 1; }
n=0
until header | grep -qE "nnn-end › api-key *$"; do
    n=$((n + 1))
    [ $n -lt 50 ] || fail "the breadcrumb does not end with the name's end and the secret"
    sleep 0.1
done
pass "the breadcrumb keeps the end of a 200,000-character name"
[ "$(header | wc -m)" -le 81 ] || fail "the header is wider than the terminal"
keys Down
wait_for "nnn-end › db-password" 5
pass "the next key is answered at once"
keys Down
wait_for "nnn-end › storage-conn" 5 2>/dev/null ||
    fail "the second key was not answered"
keys q
[ "$(wait_exit 5)" = 0 ] || fail "kvdeck-fake did not exit cleanly"
pass "clean exit"
