#!/bin/sh
# test-screen-modal.sh — the modal screen stack in the real console (on
# the fake engine): help opens as a screen over the panes, keeps its keys
# and hints through a resize to 40x12 and back and through Ctrl-Z + fg
# from an interactive shell, and Esc closes it back to the panes.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

FAKE=$top_builddir/tests/tui/kvdeck-fake
[ -x "$FAKE" ] || skip "kvdeck-fake not built"

status_line() { screen_text | tail -n 1; }

tm new-session -d -s t -x 80 -y 24 "sh -i"
tm set-option -t t remain-on-exit on >/dev/null 2>&1
sleep 0.5
keys "$FAKE; echo STATUS=\$?" Enter
wait_for "Vaults (6)"
keys '?'
wait_for "Keys (Esc or q closes this help)"
refute_screen "Vaults (6)" "help covers the panes"
status_line | grep -qF "Esc close the help" || fail "no help hints on the status bar"
pass "the status bar shows the help's keys"

# Resize while the help is open: it is laid out anew, still on top.
screen_resize 40 12
wait_for "Esc close the help" 5
assert_screen "Keys (Esc or q closes" "40x12: the help is still shown"
refute_screen "Vaults (" "40x12: no pane shows through"
[ "$(screen_text | wc -L)" -le 40 ] || fail "40x12: a line is wider than the terminal"
keys j j j
wait_gone "Keys (Esc or q closes" 5
pass "40x12: j scrolls the help"
screen_resize 80 24
wait_for "Tab " 5
sleep 0.3
refute_screen "Vaults (6)" "80x24 again: the help is still on top"
status_line | grep -qF "Esc close the help" || fail "the hints went with the resize"
pass "80x24 again: the help and its hints are back"
keys g
wait_for "Keys (Esc or q closes this help)" 5

# Ctrl-Z inside the help, then fg: the help comes back as it was.
keys C-z
wait_for "Stopped" 10
refute_screen "Keys (Esc or q closes" "Ctrl-Z leaves the alternate screen"
keys "fg; echo AFTER_FG=\$?" Enter
wait_for "Keys (Esc or q closes this help)" 10
status_line | grep -qF "Esc close the help" || fail "the hints are gone after fg"
pass "fg brings the help back with its hints"

# Esc closes the help: the panes are back, nothing else changed.
keys Escape
wait_for "Vaults (6)" 5
wait_gone "Keys (Esc or q closes" 5
status_line | grep -qF "Enter open  Tab next pane" || fail "the panes' hints did not come back"
pass "Esc closes the help and the panes' hints are back"
screen_text | grep -qF "▶ Vaults (6)" || fail "the focus is not where it was"
pass "the focus is where it was"

# :help opens the same screen; q closes it; q then quits.
keys :
type_text "help"
keys Enter
wait_for "Keys (Esc or q closes this help)"
keys q
wait_gone "Keys (Esc or q closes this help)"
keys q
wait_for "AFTER_FG=0" 10
pass "q quits with status 0 after the help"
exit 0
