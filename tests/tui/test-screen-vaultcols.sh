#!/bin/sh
# test-screen-vaultcols.sh — the vaults pane on a wide terminal (issue
# #12): from 100 columns up, while it has the focus, it is a table with
# headings (name, location, resource group, SKU, permission model), each
# value under its heading; at 80 columns, or once the focus moves on, it
# is the narrow list of names it always was. On the fake engine
# (kv-a00-prod is premium, kv-b02-test uses access policies).
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

FAKE=$top_builddir/tests/tui/kvdeck-fake
[ -x "$FAKE" ] || skip "kvdeck-fake not built"

heading='Name +Location +Resource group +SKU +Permissions'
# col TEXT LINE: the column TEXT starts at on the screen's line matching
# LINE (awk regex), or -1
col() {
    screen_text | awk -v t="$1" -v l="$2" '$0 ~ l { print index($0, t) - 1; f = 1; exit }
        END { if (!f) print -1 }'
}
check_table() { # WHAT
    screen_text | grep -qE "$heading" || fail "$1: no column headings"
    pass "$1: the vaults pane has column headings"
    screen_text | grep -qE "kv-a00-prod +northeurope +rg-data +premium +Azure RBAC" ||
        fail "$1: kv-a00-prod's row lacks its columns"
    screen_text | grep -qE "kv-b02-test +northeurope +rg-data +standard +access policies" ||
        fail "$1: kv-b02-test's row lacks its columns"
    pass "$1: location, group, SKU and permission model in the rows"
    for pair in "Location:northeurope" "Resource group:rg-data" "SKU:premium" \
        "Permissions:Azure RBAC"; do
        h=${pair%%:*} v=${pair#*:}
        [ "$(col "$h" "$heading")" = "$(col "$v" kv-a00-prod)" ] ||
            fail "$1: '$v' is not under '$h' ($(col "$h" "$heading") vs $(col "$v" kv-a00-prod))"
    done
    pass "$1: each value starts under its heading"
}
check_narrow() { # WHAT
    screen_text | grep -qE "Resource group +SKU" && fail "$1: column headings at this width"
    screen_text | grep -E "kv-b02-test" | grep -q "access policies" &&
        fail "$1: the permission model in a vault row"
    screen_text | grep -qE "^ ?kv-a00-prod +│" || fail "$1: the vault row is not the narrow one"
    pass "$1: the narrow list of names, as before"
}

screen_start 120 30 "$FAKE"
wait_for "Vaults (6)"
wait_for "kv-b02-test"
check_table "120x30"

# the focus elsewhere: the left column narrows, the table goes
keys Tab
wait_for "▶ Secrets"
check_narrow "120x30, focus on the secrets"
keys BTab
wait_for "▶ Vaults (6)"
check_table "120x30, focus back"

# a narrower terminal: as before the wide layout
screen_resize 80 24
wait_gone "Resource group"
check_narrow "80x24"
screen_resize 100 30
wait_for " Access"
screen_text | grep -qE "Name +Location +Group +SKU +Access" || fail "100x30: no short headings"
screen_text | grep -qE "kv-b02-test +northeurope +rg-data +standard +policies" ||
    fail "100x30: kv-b02-test's row lacks its columns"
pass "100x30: the table with short headings and values"
keys q
screen_kill

# without colours: the same table (headings dim, the cursor in reverse)
NO_COLOR=1 screen_start 160 40 "env NO_COLOR=1 $FAKE"
wait_for "kv-b02-test"
check_table "160x40 NO_COLOR"
screen_attrs | grep -E "kv-a00-prod +northeurope" | grep -q "\[[0-9;]*7m" ||
    fail "160x40 NO_COLOR: the cursor row is not in reverse video"
pass "160x40 NO_COLOR: the cursor row in reverse video"
keys q
screen_kill
exit 0
