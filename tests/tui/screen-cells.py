#!/usr/bin/env python3
# screen-cells.py — stdin (tmux capture-pane -e) as one line per screen
# line of "char attrs" cells: what a person sees. A blank keeps only the
# attributes that show on a blank (reverse, underline, a background
# colour): ncurses may clear a line's end with a dim or coloured
# foreground still set, after a redraw but not after an update, and
# tmux keeps that in the cell although nothing differs on screen.
# Used by tests/tui/test-screen-scroll.sh and test-screen-paint.sh.

import re, sys
SGR = re.compile(r"\x1b\[([0-9;]*)m")
# tmux writes only the changes from one cell to the next, across lines
attrs = {}
for line in sys.stdin.read().split("\n"):
    out, pos = [], 0
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
