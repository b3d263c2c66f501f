#!/usr/bin/env python3
"""memprobe.py PID — reads a running process's memory (/proc/PID/mem) as
someone who can attach to it would, and looks for secrets outside its
secure memory (mappings marked MADV_DONTDUMP, "dd" in /proc/PID/smaps'
VmFlags: kvdeck's secmem pages).

The needles come on standard input, one a line (never argv: that is
readable by everyone); each is searched whole and as 16-byte pieces (one
every 64 bytes), so that partial copies are found too. The access tokens
are found in the process's secure memory (JSON web tokens) and searched
the same way (their payload and signature; the header is common to all).

Exit 0: nothing found (the number of tokens is printed); 1: hits, each
printed with its mapping and offset; 2: the memory cannot be read
(kvdeck makes itself non-dumpable: reading it takes root or
CAP_SYS_PTRACE).
"""
import re
import sys

MAX_SECURE = 64 << 20  # larger "dd" mappings: sanitizer shadow, no data


def pieces(n):
    out = [n] if len(n) <= 200 else []
    if len(n) >= 32:
        out += [n[i:i + 16] for i in range(0, len(n) - 15, 64)]
        out.append(n[-16:])
    return out


def regions(pid):
    regs, cur = [], None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$",
                         line)
            if m:
                cur = {"start": int(m.group(1), 16), "end": int(m.group(2), 16),
                       "r": m.group(3)[0] == "r",
                       "path": m.group(4) or "[anonymous]", "dd": False}
                regs.append(cur)
            elif line.startswith("VmFlags:") and cur is not None:
                cur["dd"] = " dd" in line
    return regs


def main():
    pid = int(sys.argv[1])
    labels = {}
    for i, line in enumerate(sys.stdin.read().splitlines()):
        if len(line) >= 12:
            for p in pieces(line.encode()):
                labels.setdefault(p, f"needle {i + 1}")
    try:
        regs = regions(pid)
        mem = open(f"/proc/{pid}/mem", "rb", 0)
    except OSError as e:
        print(f"cannot read the memory of {pid}: {e}")
        return 2
    chunks, secure = [], []
    for r in regs:
        if not r["r"] or r["end"] - r["start"] > (1 << 34):
            continue
        try:
            mem.seek(r["start"])
            data = mem.read(r["end"] - r["start"])
        except OSError:
            continue  # [vvar] and the like
        if not data:
            continue
        if r["dd"]:
            if r["end"] - r["start"] <= MAX_SECURE:
                secure.append(data)
        else:
            chunks.append((r, data))
    if not chunks:
        print(f"cannot read the memory of {pid}")
        return 2
    tokens = set()
    for data in secure:
        for m in re.finditer(rb"eyJ[A-Za-z0-9_-]{8,}\.([A-Za-z0-9_-]{8,}\."
                             rb"[A-Za-z0-9_-]{8,})", data):
            tokens.add(m.group(1))
    for t in tokens:
        for p in pieces(t):
            labels.setdefault(p, "access token")
    hits = 0
    for r, data in chunks:
        seen = set()
        for p, label in labels.items():
            i = data.find(p)
            if i >= 0 and label not in seen:
                seen.add(label)
                hits += 1
                print(f"{label} found in {r['path']} at "
                      f"{r['start'] + i:#x} (+{i:#x})")
    print(f"{len(tokens)} tokens in secure memory, {hits} hits")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
