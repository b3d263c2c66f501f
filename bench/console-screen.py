#!/usr/bin/env python3
# bench/console-screen.py — waits for text to appear on a tmux pane and says
# when it did, for bench/console.sh. The console is watched from outside
# only: `tmux capture-pane` in a loop, no hook in kvdeck.
#
#   console-screen.py --socket S --target T [--attach SESSION]
#       [--launch CMD --since FILE | --since FILE | --send KEY]
#       [--interval SEC] [--interval2 SEC] [--timeout SEC] NAME=REGEX ...
#
# The pane is read through one tmux control-mode client (`tmux -C attach`,
# output notifications off), so a capture costs a round trip to the tmux
# server instead of a new process (about 10 ms instead of 50 on a busy
# 2-core machine). Set the window's window-size option to manual first,
# so the control client cannot resize it.
#
# The control client attaches to SESSION (default "keep", which must
# exist) before anything is timed; --launch then creates session TARGET
# (80x24, window-size manual) running CMD, and --send types KEY into it,
# both through that client, so neither Python's start-up nor the attach
# delays the first capture.
#
# Time zero is either the wall-clock nanoseconds written in FILE (the
# launcher writes `date +%s%N` just before it execs kvdeck) or the moment
# just before the KEY is sent (--send). Every NAME=REGEX is searched
# (Python re, MULTILINE) in each capture until all have matched; for each
# one it prints "NAME MS", MS being the end of the first capture that
# matched, in ms after time zero (an upper bound: the capture before did
# not match). Finally "capture_ms AVG" (mean time between two captures,
# i.e. the resolution). Exit 0 when all matched, 1 on timeout (the last
# screen goes to stderr).
import argparse
import re
import subprocess
import sys
import time


class Control:
    """A tmux control-mode client; run() returns a command's output lines."""

    def __init__(self, socket, target):
        self.p = subprocess.Popen(
            ["tmux", "-S", socket, "-C", "attach", "-t", target],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, bufsize=0)
        self.n = 0
        # skip the attach command's own block and any notification
        self.run("refresh-client -f no-output")

    def run(self, command):
        self.n += 1
        marker = "kvbench-%d" % self.n
        # the marker command's block tells where the answer ends
        self.p.stdin.write(("%s\ndisplay-message -p %s\n" %
                            (command, marker)).encode())
        blocks, cur = [], None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise EOFError("tmux control client ended")
            line = line.decode("utf-8", "replace").rstrip("\n")
            if cur is None:
                if line.startswith("%begin"):
                    cur = []
                continue
            if line.startswith("%end") or line.startswith("%error"):
                if cur == [marker]:
                    return blocks[-1] if blocks else []
                blocks.append(cur)
                cur = None
                continue
            cur.append(line)

    def close(self):
        try:
            self.p.stdin.close()
            self.p.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.p.kill()


def read_start(path):
    """The launcher's `date +%s%N`, waited for (5 s) if not written yet."""
    deadline = time.time() + 5
    while True:
        try:
            with open(path) as f:
                return int(f.read().strip())
        except (OSError, ValueError, TypeError):
            if time.time() > deadline:
                print("no start time in %s" % path, file=sys.stderr)
                return None
            time.sleep(0.01)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--target", default="t")
    ap.add_argument("--attach", default="keep")
    ap.add_argument("--launch")
    ap.add_argument("--since")
    ap.add_argument("--send")
    ap.add_argument("--interval", type=float, default=0.02)
    ap.add_argument("--interval2", type=float,
                    help="pause once the first mark has matched")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("marks", nargs="+")
    a = ap.parse_args()

    marks = []
    for m in a.marks:
        name, _, rx = m.partition("=")
        marks.append((name, re.compile(rx, re.M)))
    ctl = Control(a.socket, a.attach)
    t0 = None
    if a.launch is not None:
        if "'" in a.launch:
            print("--launch: no single quotes please", file=sys.stderr)
            return 2
        ctl.run("new-session -d -s %s -x 80 -y 24 '%s'" % (a.target, a.launch))
        ctl.run("set-option -w -t %s window-size manual" % a.target)
    if a.send is not None:
        t0 = time.time_ns()
        ctl.run("send-keys -t %s %s" % (a.target, a.send))
    found = {}
    screen = ""
    n = 0
    first = time.time_ns()
    deadline = time.time() + a.timeout
    while len(found) < len(marks):
        screen = "\n".join(ctl.run("capture-pane -p -t " + a.target))
        t = time.time_ns()
        n += 1
        for name, rx in marks:
            if name not in found and rx.search(screen):
                found[name] = t
        if len(found) == len(marks):
            break
        if time.time() > deadline:
            sys.stderr.write("timed out; waiting for %s; last screen:\n%s\n" %
                             (", ".join(m[0] for m in marks
                                        if m[0] not in found), screen))
            ctl.close()
            return 1
        time.sleep(a.interval2 if found and a.interval2 is not None
                   else a.interval)
    ctl.close()
    if t0 is None:
        t0 = read_start(a.since)
        if t0 is None:
            return 1
    for name, _ in marks:
        print("%s %.0f" % (name, (found[name] - t0) / 1e6))
    print("capture_ms %.1f" % ((time.time_ns() - first) / 1e6 / max(n, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
