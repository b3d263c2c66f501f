#!/bin/sh
# test-screen-scroll.sh — a key that scrolls a list draws only what
# changed (frame_rows: the lines move inside the window, the rows that
# came into view and the two cursor rows are drawn): what is on the
# terminal afterwards, characters and attributes, must be what a full
# redraw (C-l) of the same state puts there. Runs on the fake engine
# (200 secrets) at 80x24 and 100x30, in colour and with NO_COLOR:
# scrolling down row by row past a page, up, by pages, in one burst of keys
# (one frame for several moves), through a secret's expanded versions,
# and on the vaults pane.
. "${top_srcdir:-.}/tests/tui/screen-lib.sh"

FAKE=$top_builddir/tests/tui/kvdeck-fake
[ -x "$FAKE" ] || skip "kvdeck-fake not built"
command -v python3 >/dev/null || skip "python3 is not installed"

# cells — stdin (capture-pane -e) as one line per screen line of
# "char attrs" cells: what a person sees. A blank keeps only the
# attributes that show on a blank (reverse, underline, a background
# colour): ncurses may clear a line's end with a dim or coloured
# foreground still set, after a redraw but not after an update, and
# tmux keeps that in the cell although nothing differs on screen.
cells() {
    python3 -c '
import re, sys
SGR = re.compile(r"\x1b\[([0-9;]*)m")
for line in sys.stdin.read().split("\n"):
    attrs, out, pos = {}, [], 0
    for m in list(SGR.finditer(line)) + [None]:
        end = m.start() if m else len(line)
        for ch in line[pos:end]:
            a = attrs
            if ch == " ":
                a = {k: v for k, v in attrs.items() if k in ("7", "4", "bg")}
            out.append(ch + repr(sorted(a.items())))
        if m is None:
            break
        pos = m.end()
        codes = (m.group(1) or "0").split(";")
        i = 0
        while i < len(codes):
            c = codes[i]
            if c in ("0", ""):
                attrs = {}
            elif c in ("39", "49"):  # the default colour: none
                attrs.pop("fg" if c == "39" else "bg", None)
            elif c in ("38", "48"):
                n = 3 if codes[i + 1:i + 2] == ["5"] else 5
                attrs["fg" if c == "38" else "bg"] = ";".join(codes[i:i + n])
                i += n - 1
            elif c.startswith("3") and len(c) == 2 or c.startswith("9"):
                attrs["fg"] = c
            elif c.startswith("4") and len(c) == 2 or c.startswith("10"):
                attrs["bg"] = c
            elif c in ("22", "23", "24", "25", "27"):
                for k in {"22": ("1", "2"), "23": ("3",), "24": ("4",),
                          "25": ("5",), "27": ("7",)}[c]:
                    attrs.pop(k, None)
            else:
                attrs[c] = True
            i += 1
    while out and out[-1] == " []":
        out.pop()
    print(" ".join(out))
'
}

# settled — the screen's cells once two captures 0.2 s apart agree
settled() {
    prev=
    for _ in $(seq 1 50); do
        cur=$(screen_attrs | cells)
        [ -n "$prev" ] && [ "$cur" = "$prev" ] && break
        prev=$cur
        sleep 0.2
    done
    printf '%s\n' "$cur"
}

# same_as_redraw WHAT — the screen now equals the screen after C-l
same_as_redraw() {
    settled >"$SCR_DIR/moved"
    keys C-l
    sleep 0.3
    settled >"$SCR_DIR/redrawn"
    if ! cmp -s "$SCR_DIR/moved" "$SCR_DIR/redrawn"; then
        diff "$SCR_DIR/moved" "$SCR_DIR/redrawn" | cut -c1-300 | head -20
        fail "$1: the screen differs from a full redraw"
    fi
    pass "$1: the screen is what a full redraw gives"
}

# presses KEY N — N presses, each its own frame
presses() {
    for _ in $(seq 1 "$2"); do
        keys "$1"
        sleep 0.03
    done
}

run() { # COLS ROWS LABEL [env...]
    cols=$1 rows=$2 label=$3
    shift 3
    screen_start "$cols" "$rows" env KVFAKE_SECRETS=200 "$@" "$FAKE"
    wait_for "Vaults (6)"
    keys Enter
    wait_for "Secrets of kv-a00-prod (200)"
    presses j 30
    wait_for "› secret-000030"
    same_as_redraw "$label: 30 j, scrolling row by row"
    presses k 25
    wait_for "› secret-000005"
    same_as_redraw "$label: 25 k, scrolling back up"
    keys j j j j j j j j j j j j j j j j j j j j k k j
    wait_for "› secret-000024"
    same_as_redraw "$label: a burst of keys drawn in fewer frames"
    presses NPage 2 # less than a page at once: rows drawn as they come into view
    presses PPage 1
    same_as_redraw "$label: page down twice, up once"
    keys Enter # the secret's versions under it
    sleep 0.3
    presses j 12
    presses k 3
    same_as_redraw "$label: through expanded versions"
    keys BTab # the vaults pane
    presses j 5
    presses k 2
    same_as_redraw "$label: the vaults pane"
    screen_kill
}

run 80 24 "80x24 colour"
run 100 30 "100x30 NO_COLOR" NO_COLOR=1
