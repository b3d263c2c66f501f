# wizard-lib.sh — shared by the wizard screen tests (sourced after
# screen-lib.sh): starts `kvdeck --demo` in tmux with the journal and a
# debug log in the test directory, opens kv-contoso-dev, and points
# tests/cli/simctl.py and tests/tui/simtui.py at the demo's simulator.
# Skips without kvdeck, kvdeck-sim or python3.
. "$top_srcdir/tests/tui/demo-lib.sh"
KV_LOG=$SCR_DIR/kvdeck.log

wizsim() { st "$@"; }
versions() { simctl versions "$V" "$1" | wc -l; }
# The latest version's id / value in the sim.
latest_version() { wizsim latest "$V" "$1" | cut -d' ' -f1; }
latest_value() { wizsim latest "$V" "$1" | cut -d' ' -f2-; }

# wizard_start [COLS ROWS] — the console on the demo, kv-contoso-dev
# open, the cursor on its first secret (db-password).
wizard_start() {
    demo_start "${1:-80}" "${2:-24}" "--log $KV_LOG"
    keys :
    type_text "vault $V"
    keys Enter
    wait_for "Secrets of $V (3)" 20
    wait_for "db-password" 10
}

# rotate_to_review RETIRE — R on the selected secret, through its pages
# to the review; RETIRE is how many times Right goes on the "Old
# version" choice (0 keep, 1 now, 2 after a grace period).
rotate_to_review() {
    keys R
    wait_for "(1/3)" 15
    wait_for "the latest" 15
    keys Enter
    wait_for "(2/3)" 5
    keys Enter Enter Enter Enter Enter Enter
    wait_for "(3/3)" 5
    keys Down Down Down Down
    i=0
    while [ "$i" -lt "$1" ]; do keys Right; i=$((i + 1)); done
    keys Enter Enter
    wait_for "[ Apply ]" 5
}
