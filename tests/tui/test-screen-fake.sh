#!/bin/sh
# test-screen-fake.sh — screen tests of the console on the fake engine
# (generated data, no simulator): panes at 80x24, moving around, the
# filter, expanding versions, reveal and re-masking, OSC 52 copy seen in
# the raw terminal output (and the value nowhere else), help from the key
# table, read-only mode, resize down to 40x12 and "too small", NO_COLOR,
# a rebound key from the config file, and a clean exit.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

FAKE=$top_builddir/tests/tui/kvdeck-fake
[ -x "$FAKE" ] || skip "kvdeck-fake not built"

cfg=$XDG_CONFIG_HOME/kvdeck/config
printf 'reveal-seconds = 2\nbind C-n down\n' > "$cfg"
chmod 600 "$cfg"

screen_start 80 24 "$FAKE"
wait_for "Vaults (6)"
assert_screen "Context (2)" "context pane at 80x24"
assert_screen "Subscription A" "subscriptions listed"
assert_screen "kv-b02-test" "vaults of all subscriptions listed"
assert_screen "Detail: kv-a00-prod" "detail pane follows the selection"
status_line() { screen_text | tail -n 1; }
status_line | grep -qE "\? help *$" || fail "no '? help' at the right of the status bar"
pass "status bar shows where help is"
status_line | grep -qF "Enter open  Tab next pane" || fail "no key hints in the status bar"
pass "status bar says what Enter and Tab do"
screen_text | grep -qF "▶ Vaults (6)" || fail "no focus marker on the vaults pane"
pass "the focused pane's title has the marker"
[ "$(screen_text | grep -c '▶')" = 1 ] || fail "more than one focus marker"
pass "only one pane is marked"
screen_text | head -n 1 | grep -qF "read-only" && fail "read-only in the header without --read-only"
pass "no read-only mark without --read-only"

# Before a vault is opened, Tab reaches the secrets and endpoints panes,
# and each says, right under its title, what to do.
keys Tab
wait_for "▶ Secrets"
screen_text | sed -n 3p | grep -qF "open a vault: select it and press Enter" ||
    fail "no hint under the secrets title"
keys Tab
wait_for "▶ Endpoints"
screen_text | sed -n 3p | grep -qF "open a vault: select it and press Enter" ||
    fail "no hint under the endpoints title"
pass "empty secrets and endpoints panes say how to fill them"
keys BTab BTab
wait_for "▶ Vaults (6)"

# Down twice (once through the rebound C-n), open the vault.
keys C-n Down
wait_for "Detail: kv-a02-test"
pass "C-n bound in the config file moves down"
keys Enter
wait_for "Secrets of kv-a02-test (30)"
assert_screen "api-key" "first secrets shown"
assert_screen "▶ Secrets of kv-a02-test" "Enter on a vault moves the focus to its secrets"
screen_text | grep -qE "Name +Updated +Expires" || fail "no column headings"
pass "the secrets pane has column headings"
status_line | grep -qF "Enter versions  Tab next pane  v show value" || fail "no secrets key hints"
pass "the status bar follows the focus"
# Tab: secrets and endpoints share a spot at 80x24; Tab shows each.
keys Tab
wait_for "▶ Endpoints of kv-a02-test (1)"
status_line | grep -qF "s secrets  Tab next pane" || fail "the key hints did not follow the focus"
pass "the key hints follow the focus"
assert_screen "Private endpoint connection" "the endpoints pane explains its rows"
assert_screen "Public network access: Disabled" "and the vault's network access"
keys Tab
wait_for "▶ Detail"
sleep 0.2
status_line | grep -qF "j scroll  Tab next pane  Esc back" || fail "the key hints stayed behind (detail)"
keys Tab
wait_for "▶ Context (2)"
sleep 0.2
status_line | grep -qF "Enter choose  Tab next pane" || fail "the key hints stayed behind (context)"
pass "the key hints follow the focus without a relayout"
keys BTab BTab
wait_for "▶ Endpoints of kv-a02-test (1)"
keys BTab
wait_for "▶ Secrets of kv-a02-test (30)"
pass "Tab and BTab walk context, vaults, secrets, endpoints, detail"
assert_screen "kvdeck [fake] › FakeCloud › All subscriptions › kv-a02-test" "breadcrumb"

# Filter.
keys /
wait_for "words to match; Enter keeps, Esc clears" 5
pass "the filter line says how it works"
type_text "openai"
wait_for "Secrets of kv-a02-test (1 of 30)"
refute_screen "db-password" "filtered rows hidden"
keys Enter
assert_screen "/openai" "filter shown in the title"

# Expand versions, then collapse.
keys Enter
wait_for "abc00002"
assert_screen "▾ openai-key" "expanded marker"
keys Down
wait_for "Version abc00002"
assert_screen "Expires:" "version detail shows expiry"
keys Escape
wait_gone "abc00002"
pass "Esc collapses the versions"

# Reveal: shown for 2 s, then masked again.
keys v
wait_for "value-of-openai-key"
pass "v reveals the value"
wait_gone "value-of-openai-key" 6
pass "the value is masked again"

# Copy: OSC 52 in the raw output, never on screen.
keys y
wait_for "copied openai-key to the clipboard"
b64=$(printf '%s' "value-of-openai-key" | base64 | tr -d '\n')
sleep 0.3
grep -qF "]52;c;$b64" "$SCR_RAW" || fail "no OSC 52 sequence with the value in the raw output"
pass "OSC 52 sequence with the base64 value written to the terminal"
# Inside tmux the sequence is wrapped for passthrough (ESC doubled).
esc=$(printf '\033')
grep -qF "${esc}Ptmux;${esc}${esc}]52;c;$b64" "$SCR_RAW" || fail "not wrapped for tmux"
pass "wrapped for tmux passthrough"
refute_screen "value-of-openai-key" "copied value not on screen"
n=$(grep -c "value-of-openai-key" "$SCR_RAW" || true)
# The only plain occurrence is from the earlier reveal.
[ "$n" -le 1 ] || fail "the value appears $n times in the raw output"
pass "the copy itself never wrote the value in clear"

# :vault NAME for a vault no listing holds opens the URI the engine
# gives the name in this cloud (the fake engine: https://NAME.vault.fake;
# the listed vaults are on vault.example, so no guessing from them).
keys :
type_text "vault kv-elsewhere"
keys Enter
wait_for "Secrets of kv-elsewhere (30)"
assert_screen "Vaults (7)" "the vault opened by URI is listed with the others"
assert_screen "opened https://kv-elsewhere.vault.fake by URI" ":vault NAME uses engine_vault_uri()"
keys :
type_text "vault kv-a02-test"
keys Enter
wait_for "Secrets of kv-a02-test (30)"
keys /
type_text "openai"
keys Enter
wait_for "Secrets of kv-a02-test (1 of 30)"

# Clear the filter (Esc in the list), help, endpoints.
keys Escape
wait_for "Secrets of kv-a02-test (30)"
keys '?'
wait_for "Keys (Esc or q closes this help)"
assert_screen "copy the secret value to the clipboard" "help lists the actions"
status_line | grep -qF "Esc close the help" || fail "the status bar does not say how to leave the help"
pass "the status bar says how to leave the help"
# Only what works is offered: the guided jobs of later versions are not
# in the key table, so neither in the help.
for w in "not available" "delete" "rotate" "create a vault" "attach"; do
    screen_text | grep -qiF -- "$w" && fail "help offers '$w'"
done
pass "help offers no stub"
keys G
wait_for ":vault NAME|URI"
pass "help lists the commands"
keys q
wait_gone "Keys (Esc or q closes this help)"
keys e
wait_for "Endpoints of kv-a02-test (1)"
assert_screen "Approved" "endpoint connection state"
assert_screen "Public network access: Disabled" "public network access"
assert_screen "Default action: Deny" "network rules"
assert_screen "endpoint unknown" "an endpoint not read says unknown"
assert_screen "IP       unknown" "and so does its private IP (no default shown)"

# Small terminal: one pane at a time; too small; back.
screen_resize 40 12
wait_for "Endpoints (1)"
refute_screen "Context (" "40x12 shows only the focused pane"
# (once the last message has gone)
end=$(( $(date +%s) + 10 ))
until status_line | grep -qE "^ Tab next pane"; do
    [ "$(date +%s)" -le "$end" ] || fail "40x12: the status bar does not start with Tab"
    sleep 0.2
done
pass "one pane at a time: the status bar says first that Tab shows the others"
keys Tab
wait_for "Detail"
screen_resize 30 10
wait_for "terminal too small"
assert_screen "q quits" "too small: says how to leave"
screen_resize 80 24
wait_for "Vaults (7)"
assert_screen "Context (2)" "back at 80x24"

# :q quits cleanly.
keys :
type_text "q"
keys Enter
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
pass ":q exits with status 0"
tm kill-session -t t

# Read-only: the mode is shown in the header and explained in the help;
# reading values still works. Colours off with NO_COLOR, ASCII lines with
# LC_ALL=C; the help key rebound in the config file.
: > "$SCR_RAW"
rm -f "$SCR_DIR/status"
printf 'reveal-seconds = 2\nbind ? none\n' > "$cfg"
screen_start 80 24 "env NO_COLOR=1 LC_ALL=C $FAKE --read-only"
wait_for "Vaults (6)"
screen_text | grep -qF "> Vaults (6)" || fail "no ASCII focus marker"
pass "ASCII focus marker on the focused pane"
status_line | grep -qE "F1 help *$" || fail "the status bar does not show the help key in effect"
pass "the status bar names the help key in effect (F1, ? unbound)"
screen_text | grep -q '│' && fail "UTF-8 line drawing with LC_ALL=C"
pass "ASCII line drawing"
# Without colour the focused title is in reverse video (and marked).
screen_attrs | grep -F "> Vaults (6)" | grep -q "$(printf '\033')\[[0-9;]*7m" ||
    fail "the focused title is not in reverse video"
pass "the focused title is reversed without colour"
screen_text | head -n 1 | grep -qE "read-only *$" || fail "read-only not at the right of the header"
pass "read-only shown in the header"
keys F1
wait_for "Keys (Esc or q closes this help)"
keys G
wait_for "Read-only mode (--read-only): kvdeck will change nothing."
assert_screen "only say so; nothing is sent to Azure." "the help says what read-only does to the writing keys"
keys Escape
wait_gone "Keys (Esc or q closes this help)"
keys Enter
wait_for "Secrets of kv-a00-prod (30)"
keys v
wait_for "value-of-api-key"
pass "read-only: v still shows a value"
screen_attrs | grep -q "$(printf '\033')\[3[0-7]m" && fail "colour codes with NO_COLOR"
pass "no colours with NO_COLOR"
keys q
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
pass "q exits"
exit 0
