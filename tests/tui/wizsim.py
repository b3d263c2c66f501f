"""wizsim.py — what the wizard screen tests ask kvdeck-sim behind the
console's back (its connection file in $SIM_CONN), through
tests/cli/simctl.py's attach(). Standard library only.

    wizsim.py latest VAULT NAME     "VERSION VALUE" of the latest version
    wizsim.py show VAULT NAME       content type, tags, exp of the latest
    wizsim.py deleted VAULT NAME    exit 0 when NAME is soft-deleted
    wizsim.py requests              the sim's request counters as JSON
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests",
                                "cli"))
import simctl  # noqa: E402


def main(argv):
    sim = simctl.attach()
    cmd = argv[0]
    if cmd == "latest":
        r = sim.dp("GET", argv[1], "/secrets/%s" % argv[2])
        assert r.status == 200, r.body
        j = r.json()
        print(j["id"].rsplit("/", 1)[1], j["value"])
    elif cmd == "show":
        r = sim.dp("GET", argv[1], "/secrets/%s" % argv[2])
        assert r.status == 200, r.body
        j = r.json()
        print(json.dumps({"contentType": j.get("contentType"),
                          "tags": j.get("tags", {}),
                          "exp": j["attributes"].get("exp")}, sort_keys=True))
    elif cmd == "deleted":
        r = sim.dp("GET", argv[1], "/deletedsecrets/%s" % argv[2])
        sys.exit(0 if r.status == 200 else 1)
    elif cmd == "requests":
        print(json.dumps(sim.control("GET", "/requests").json()))
    else:
        raise SystemExit("wizsim: unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
