#!/usr/bin/env python3
# bench/console-cg.py — reads one callgrind dump (event Ir) and prints its
# total and, for each function named on the command line, how often it was
# called and the instructions spent in it and below it (inclusive), for
# bench/console.sh:
#
#   console-cg.py callgrind.out.PID.N frame_render doupdate ...
#   -> "totals N" then "NAME CALLS INCLUSIVE_IR" per name
#
# It sums the call records (calls= lines and the cost line after each)
# whose callee is NAME, so a function called from several places is
# counted once per call; recursion would be counted twice (none of the
# functions bench/console.sh asks about recurses).
import re
import sys


def main():
    path, want = sys.argv[1], sys.argv[2:]
    names = {}
    calls = {w: 0 for w in want}
    incl = {w: 0 for w in want}
    totals = None
    callee = None
    pending = False
    name_rx = re.compile(r"^c?fn=\((\d+)\)(?: (.*))?$")
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if pending:
                # the cost line of the call: "POSITION IR"
                parts = line.split()
                if callee in calls and len(parts) >= 2:
                    incl[callee] += int(parts[1])
                pending = False
                continue
            m = name_rx.match(line)
            if m:
                if m.group(2) is not None:
                    names[m.group(1)] = m.group(2)
                if line.startswith("cfn="):
                    callee = names.get(m.group(1))
                continue
            if line.startswith("calls="):
                n = int(line[6:].split()[0])
                if callee in calls:
                    calls[callee] += n
                pending = True
                continue
            if line.startswith("totals:") or line.startswith("summary:"):
                v = int(line.split()[1])
                if line.startswith("totals:") or totals is None:
                    totals = v
    print("totals %d" % (totals or 0))
    for w in want:
        print("%s %d %d" % (w, calls[w], incl[w]))


if __name__ == "__main__":
    main()
