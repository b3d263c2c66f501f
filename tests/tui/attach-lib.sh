# attach-lib.sh — shared by the attach-wizard screen tests (sourced after
# screen-lib.sh): starts `kvdeck --demo` in tmux, opens a vault and drives
# the attach-a-private-endpoint wizard page by page. Skips without
# kvdeck, kvdeck-sim or python3.
#   sn ARGS...              tests/tui/simnet.py (networks in the sim)
#   attach_start COLS ROWS [ARGS [ENV]]
#   capture NAME            the screen into $KVDECK_CAPTURES/NAME.txt
#                           (when that directory is set)
#   open_vault NAME         :vault NAME, then its endpoints pane
#   wa_open VAULT           the wizard's first page for VAULT (a)
#   wa_page N               waits for page N of 6
#   wa_choose TEXT          Right on the focused choice until it shows TEXT
#   wa_next N               Enter until page N (or the review, N=review)
#   box_has TEXT MESSAGE    TEXT is in the top box's text, its lines
#                           joined (wrapping does not matter)
. "$top_srcdir/tests/tui/demo-lib.sh"
KV_LOG=$SCR_DIR/kvdeck.log

sn() { python3 "$top_srcdir/tests/tui/simnet.py" "$@"; }

attach_start() {
    demo_start "${1:-80}" "${2:-24}" "--log $KV_LOG ${3:-}" "${4:-}"
    wait_for "kv-contoso-dev" 20
    wait_for "Vaults (" 10
}

capture() {
    [ -n "${KVDECK_CAPTURES:-}" ] || return 0
    mkdir -p "$KVDECK_CAPTURES"
    screen_text > "$KVDECK_CAPTURES/$1.txt"
}

open_vault() {
    keys :
    type_text "vault $1"
    keys Enter
    wait_for "Secrets of $1" 20
    keys e
    sleep 0.3
}

wa_page() { wait_for "Private endpoint for $WA_VAULT ($1/6)" "${2:-20}"; }

wa_open() {
    WA_VAULT=$1
    keys a
    wa_page 1
}

# wa_choose TEXT — the focused choice turned until it shows TEXT.
wa_choose() {
    i=0
    until screen_text | grep -qF -- "◂ $1"; do
        [ $i -lt 12 ] || fail "no '$1' in the choice"
        keys Right
        sleep 0.3
        i=$((i + 1))
    done
}

# wa_next N — Enter (field by field, then the Next button) until page N
# shows (N=review: the review's Apply).
wa_next() {
    if [ "$1" = review ]; then want="[ Apply ]"; else
        want="Private endpoint for $WA_VAULT ($1/6)"; fi
    i=0
    until screen_text | grep -qF -- "$want"; do
        [ $i -lt 20 ] || fail "page '$1' did not come"
        keys Enter
        n=0
        # up to 1 s for the page; 25 s while a read is said to be going on
        while [ $n -lt $((250 * tfactor)) ] && ! screen_text | grep -qF -- "$want"; do
            if [ $n -ge 10 ] && ! screen_text |
                grep -qE "Loading|Looking for|Reading whether|Checking what"
            then break; fi
            sleep 0.1
            n=$((n + 1))
        done
        i=$((i + 1))
    done
}

# box_text — the text inside the top box (the last one drawn whose title
# line starts with ┌), its lines joined with single spaces.
box_text() {
    screen_text | python3 -c '
import sys
lines = sys.stdin.read().split("\n")
top = [i for i, l in enumerate(lines) if "┌" in l and "┐" in l]
if not top:
    sys.exit(0)
t = top[-1]
a = lines[t].index("┌")
b = lines[t].index("┐", a)
out = []
for l in lines[t + 1:]:
    if len(l) > a and l[a] == "└":
        break
    out.append(l[a + 1:b].strip())
print(" ".join(" ".join(out).split()))'
}

box_has() {
    box_text | grep -qF -- "$1" || fail "$2: '$1' not in the box"
    pass "$2"
}
