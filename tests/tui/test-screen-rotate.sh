#!/bin/sh
# test-screen-rotate.sh — the rotate wizard (R) against kvdeck-sim:
#  - Esc backs out of every page and sends no write (the sim's counter);
#  - the happy path with "disable it now": one new version, the old one
#    disabled in the sim, the outcome says so, the value shown on v is
#    the sim's latest value, the secrets pane shows the new version;
#  - a version written behind the console's back while the review is
#    shown: the plan refuses, nothing of ours is written, the old version
#    stays enabled and the screen says so;
#  - a resize to 60x16 and back inside a form: the form stays usable;
#  - :rotate NAME opens the same wizard.
# Needs tmux, kvdeck-sim and python3.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"
. "$top_srcdir/tests/tui/wizard-lib.sh"
N=db-password

wizard_start 80 24
old=$(latest_version $N)
n0=$(versions $N)
w0=$(simctl writes)

# Esc on each page goes back; on the first page it closes.
keys R
wait_for "Rotate $N (1/3)" 15
wait_for "${old%"${old#????????}"}" 5
pass "page 1 shows the latest version ${old%"${old#????????}"}…"
keys Enter
wait_for "(2/3)" 5
keys Escape
wait_for "(1/3)" 5
keys Escape
wait_gone "Rotate $N" 5
[ "$(simctl writes)" = "$w0" ] || fail "Esc sent a write"
pass "Esc backs out of the wizard and sends nothing"

# Happy path: disable the old version now.
rotate_to_review 1
assert_screen "Disable the old version ${old%"${old#????????}"}" "the review lists the retirement"
keys Enter
wait_for "Done in" 20
keys Enter
wait_for "Rotated $N in $V." 5
assert_screen "read back and verified" "the outcome says verified"
assert_screen "The old version ${old%"${old#????????}"}… is disabled." "the outcome says the old version is disabled"
assert_screen "characters, hidden" "the value is masked"
[ "$(versions $N)" -eq $((n0 + 1)) ] || fail "not exactly one new version"
pass "exactly one new version in the sim"
exp=$(wizsim exp "$V" $N)
left=$((exp - $(date +%s)))
[ "$left" -gt $((90 * 86400 - 300)) ] && [ "$left" -le $((90 * 86400)) ] ||
    fail "the new version expires in $left s, not 90 days from now"
pass "the new version expires 90 days from the rotation (not from a midnight)"
simctl versions $V $N | grep "^$old disabled" >/dev/null || fail "the old version is not disabled in the sim"
pass "the old version is disabled in the sim"
new=$(latest_version $N)
value=$(latest_value $N)
refute_screen "$value" "the value is not on screen before v"
keys v
wait_for "$value" 5
pass "v shows the value written (the sim's latest)"
keys v
wait_gone "$value" 5
pass "v masks it again"
grep -q "\"plan\":\"rotate\"\|rotate" "$KVDECK_JOURNAL" || fail "no rotate in the journal"
keys Enter
wait_gone "Rotated $N" 5
keys Enter
wait_for "${new%"${new#????????}"}" 15
pass "the secrets pane shows the new version ${new%"${new#????????}"}"
keys Escape

# Changed since the review: another version arrives while it is shown.
old=$(latest_version $N)
n0=$(versions $N)
rotate_to_review 1
printf 'written-behind-its-back\n' > "$SCR_DIR/other"
simctl put $V $N "$SCR_DIR/other" >/dev/null || fail "could not write behind the console's back"
n1=$(versions $N)
keys Enter
wait_for "Stopped at step 1" 20
assert_screen "changed since the review" "the plan refuses: changed since the review"
keys l
wait_for "The rotation of $N stopped." 5
assert_screen "No new version was written." "the outcome says nothing was written"
assert_screen "The previous version ${old%"${old#????????}"}… is still enabled." "the outcome says the previous version stays enabled"
[ "$(versions $N)" -eq "$n1" ] || fail "the refused rotation wrote a version"
simctl versions $V $N | grep "^$old enabled" >/dev/null || fail "the old version was disabled"
pass "nothing of ours was written; the reviewed version is still enabled"
keys Enter
wait_gone "The rotation of" 5

# Resize inside a form: the form is laid out anew and still takes keys.
keys :
type_text "rotate $N"
keys Enter
wait_for "Rotate $N (1/3)" 15
wait_for "the latest" 10
keys Enter
wait_for "(2/3)" 5
screen_resize 60 16
sleep 0.5
wait_for "(2/3)" 5
[ "$(screen_text | wc -L)" -le 60 ] || fail "60x16: a line is wider than the terminal"
keys Down Down
type_text "7"
screen_resize 80 24
wait_for "Length" 5
wait_for "327" 5
pass "after a resize to 60x16 and back the form keeps its text and takes keys"
keys Escape
wait_for "(1/3)" 5
keys Escape
wait_gone "Rotate $N" 5
pass ":rotate NAME opens the wizard; Esc closes it"

keys q
st=$(wait_exit 15)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
