#!/usr/bin/env python3
"""cassette-bodies.py — extracts every non-empty response body from the
VCR.py YAML cassettes under RECORDINGS into OUTDIR, for the replay test
(tests/unit/test-azure-replay.c).

Usage: cassette-bodies.py RECORDINGS OUTDIR
Writes OUTDIR/N.body (the body bytes, verbatim) and OUTDIR/index.tsv with
one line per body: N <tab> METHOD <tab> STATUS <tab> URI <tab> FILE#INDEX.
Exits 77 when PyYAML is missing (the test then skips).
"""
import os
import sys

try:
    import yaml
except ImportError:
    print("PyYAML (python3-yaml) is not installed", file=sys.stderr)
    sys.exit(77)


def main():
    src, out = sys.argv[1], sys.argv[2]
    n = 0
    with open(os.path.join(out, "index.tsv"), "w") as index:
        for root, _, files in sorted(os.walk(src)):
            for name in sorted(files):
                if not name.endswith(".yaml"):
                    continue
                path = os.path.join(root, name)
                with open(path) as f:
                    cassette = yaml.safe_load(f)
                for i, it in enumerate(cassette["interactions"]):
                    resp = it["response"]
                    body = resp.get("body") or {}
                    text = body.get("string") if isinstance(body, dict) else body
                    if not text:
                        continue
                    if isinstance(text, str):
                        text = text.encode("utf-8")
                    with open(os.path.join(out, "%d.body" % n), "wb") as b:
                        b.write(text)
                    rel = os.path.relpath(path, src)
                    index.write("%d\t%s\t%d\t%s\t%s#%d\n" % (
                        n, it["request"]["method"], resp["status"]["code"],
                        it["request"]["uri"], rel, i))
                    n += 1
    print(n)


if __name__ == "__main__":
    main()
