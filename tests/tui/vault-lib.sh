# vault-lib.sh — shared by the vault screen tests (sourced after
# screen-lib.sh): starts `kvdeck --demo` in tmux (the vaults pane has the
# focus), and drives the create-a-vault wizard page by page. Skips
# without kvdeck, kvdeck-sim or python3.
#   sv ARGS...              tests/tui/simvault.py (vaults in the sim)
#   vault_start COLS ROWS [ARGS [ENV]]
#   capture NAME            the screen into $KVDECK_CAPTURES/NAME.txt
#                           (when that directory is set)
#   wiz_name NAME [SUB]     n, the name typed (SUB chosen), until Azure
#                           said it is free; then on to page 2
#   wiz_page N              waits for page N of 5
. "$top_srcdir/tests/tui/demo-lib.sh"
KV_LOG=$SCR_DIR/kvdeck.log

sv() { python3 "$top_srcdir/tests/tui/simvault.py" "$@"; }

vault_start() {
    demo_start "${1:-80}" "${2:-24}" "--log $KV_LOG ${3:-}" "${4:-}"
    wait_for "kv-contoso-dev" 20
    wait_for "Vaults (" 10
}

capture() {
    [ -n "${KVDECK_CAPTURES:-}" ] || return 0
    mkdir -p "$KVDECK_CAPTURES"
    screen_text > "$KVDECK_CAPTURES/$1.txt"
}

wiz_page() { wait_for "New vault ($1/5)" "${2:-15}"; }

# wiz_sub NAME — on page 1, the subscription choice turned to NAME.
wiz_sub() {
    i=0
    until screen_text | grep -qF "◂ $1 ▸"; do
        [ $i -lt 6 ] || fail "no subscription $1 in the choice"
        keys Right
        sleep 0.3
        i=$((i + 1))
    done
}

# wiz_open — the wizard's first page from the vaults pane.
wiz_open() {
    keys n
    wiz_page 1
}

# wiz_name NAME [SUB] — types NAME, chooses SUB, waits for "is free".
wiz_name() {
    type_text "$1"
    if [ -n "${2:-}" ]; then
        keys Tab
        wiz_sub "$2"
        keys BTab
    fi
    wait_for "$1 is free" 15
}
