"""canary-scan.py — the search half of tests/tui/test-canary-sweep.sh:
looks for canaries (secret values, the client secret, access tokens) in
files and byte streams, in every form a careless program could write
them. Standard library only.

    canary-scan.py MARKERS [--term RAW --reveal NAME:FROM:TO
                   --osc52 NAME,...] [LABEL=PATH ...] [--dir LABEL=DIR ...]

MARKERS is a file of lines "NAME VALUE". Every marker is searched as:
raw; its longest run of letters and digits when that is 16 characters
or more (catches URL, JSON and shell escaping around it); hex (lower and
upper); UTF-16 (LE and BE); base64 at each of the three offsets a value
can take in a longer encoded text, standard and URL-safe alphabet.

LABEL=PATH   a file to search (missing: an error — say what must exist).
--dir LABEL=DIR
             every regular file under DIR.
--term RAW   the terminal byte stream (tmux pipe-pane) with two
             exceptions: the marker NAME in clear between the byte
             offsets FROM and TO (a reveal asked for, --reveal may be
             repeated; it must be there), and each marker listed in --osc52 inside an OSC 52
             sequence as base64 of exactly that value (it must be there:
             the copy asked for).
Prints "ok - ..." or "FAIL: NAME (FORM) in LABEL (PATH) at byte N";
exits 1 on any hit or missing expectation.
"""
import base64
import os
import re
import sys

B64STD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64_fragments(m):
    """The base64 characters fully determined by m at offsets 0, 1, 2."""
    out = []
    for k in range(3):
        enc = base64.b64encode(b"\0" * k + m).rstrip(b"=")
        lo, hi = 8 * k, 8 * (k + len(m))
        keep = [i for i in range(len(enc)) if 6 * i >= lo and 6 * i + 6 <= hi]
        out.append((k, enc[keep[0]:keep[-1] + 1]))
    return out


def forms(value):
    m = value.encode()
    f = [("raw", m), ("hex", m.hex().encode()), ("HEX", m.hex().upper().encode()),
         ("UTF-16LE", value.encode("utf-16-le")),
         ("UTF-16BE", value.encode("utf-16-be"))]
    runs = re.findall(rb"[A-Za-z0-9]+", m)
    core = max(runs, key=len) if runs else b""
    if len(core) >= 16 and core != m:
        f.append(("its core " + core[:8].decode() + "...", core))
    for k, frag in b64_fragments(m):
        f.append(("base64 at offset %d" % k, frag))
        url = frag.translate(bytes.maketrans(b"+/", b"-_"))
        if url != frag:
            f.append(("base64url at offset %d" % k, url))
    return f


def load_markers(path):
    marks = []
    with open(path) as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line:
                name, value = line.split(" ", 1)
                if len(value) < 12:
                    sys.exit("canary-scan: marker %s is too short" % name)
                marks.append((name, value, forms(value)))
    return marks


class Scan:
    def __init__(self, marks):
        self.marks = marks
        self.bad = 0
        self.places = 0
        self.seen = set()

    def fail(self, msg):
        print("FAIL: " + msg)
        self.bad = 1

    def search(self, label, path, data):
        self.places += 1
        hits = 0
        for name, _, fs in self.marks:
            for form, pat in fs:
                at = data.find(pat)
                if at >= 0:  # the first form found names the leak
                    hits += 1
                    self.fail("%s (%s) in %s (%s) at byte %d"
                              % (name, form, label, path, at))
                    break
        return hits

    def new(self, path):
        """False for a file already searched (under another label)."""
        real = os.path.realpath(path)
        if real in self.seen:
            return False
        self.seen.add(real)
        return True

    def file(self, label, path):
        if not self.new(path):
            return
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as e:
            self.fail("cannot read %s (%s): %s" % (label, path, e))
            return
        if not self.search(label, path, data):
            print("ok - no canary in %s (%s, %d bytes)"
                  % (label, os.path.basename(path), len(data)))

    def tree(self, label, top):
        n = done = 0
        for d, _, files in os.walk(top):
            for f in sorted(files):
                p = os.path.join(d, f)
                if not os.path.isfile(p) or os.path.islink(p):
                    continue
                n += 1
                if self.new(p):
                    with open(p, "rb") as fh:
                        self.search("%s: %s" % (label, os.path.relpath(p, top)),
                                    p, fh.read())
                else:
                    done += 1
        print("ok - %d files under %s (%s) searched%s"
              % (n, label, top, " (%d above)" % done if done else ""))

    def term(self, path, reveal, osc):
        with open(path, "rb") as fh:
            raw = bytearray(fh.read())
        value = dict((n, v) for n, v, _ in self.marks)
        for rv in reveal:
            name, lo, hi = rv.split(":")
            lo, hi, m = int(lo), int(hi), value[name].encode()
            window = bytes(raw[lo:hi])
            if m not in window:
                self.fail("%s not in clear in the terminal during the reveal "
                          "(bytes %d-%d)" % (name, lo, hi))
            else:
                print("ok - %s in clear during the reveal" % name)
            raw[lo:hi] = window.replace(m, b"#" * len(m))
        seqs = re.compile(rb"(?:\x1bPtmux;\x1b|\x1bP)?\x1b\]52;[a-z0-9]*;"
                          rb"([A-Za-z0-9+/=]*)\x07(?:\x1b\\)?")
        copied = []
        for s in seqs.finditer(bytes(raw)):
            try:
                copied.append(base64.b64decode(s.group(1)).decode())
            except ValueError:
                self.fail("an OSC 52 sequence that is not base64 at byte %d"
                          % s.start())
        for name in [n for n in (osc or "").split(",") if n]:
            if value[name] in copied:
                print("ok - %s copied in an OSC 52 sequence" % name)
            else:
                self.fail("%s was not copied in an OSC 52 sequence" % name)
        for c in copied:
            if c not in value.values():
                self.fail("an OSC 52 sequence copied something else: %r"
                          % c[:40])
        rest = seqs.sub(b"", bytes(raw))
        if not self.search("the terminal byte stream (outside the reveal and "
                           "OSC 52)", path, rest):
            print("ok - no canary in the terminal byte stream outside the "
                  "reveal and OSC 52 (%d bytes)" % len(rest))


def main(argv):
    marks = load_markers(argv[0])
    sc = Scan(marks)
    args = argv[1:]
    term = osc = None
    reveal = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--term", "--reveal", "--osc52", "--dir"):
            v = args[i + 1]
            i += 2
            if a == "--term":
                term = v
            elif a == "--reveal":
                reveal.append(v)
            elif a == "--osc52":
                osc = v
            else:
                label, path = v.split("=", 1)
                sc.tree(label, path)
            continue
        label, path = a.split("=", 1)
        sc.file(label, path)
        i += 1
    if term:
        sc.term(term, reveal, osc)
    print("ok - %d markers in %d forms or more each searched in %d files"
          % (len(marks), min(len(f) for _, _, f in marks), sc.places))
    return sc.bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
