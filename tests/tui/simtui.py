"""simtui.py — what the console's screen tests ask kvdeck-sim behind the
console's back (the simulator named by $SIM_CONN, the demo's
connection.json). Builds on tests/cli/simctl.py; standard library only.

    simtui.py config KEY=N           POST /_sim/config {"KEY": N}
    simtui.py attrs VAULT NAME       "enabled=1 exp=DAY nbf=DAY ct=T tags=k=v,..."
                                     of the latest version ("missing" if none)
    simtui.py latest VAULT NAME      "VERSION VALUE" of the latest version
    simtui.py show VAULT NAME        content type, tags, exp of the latest (JSON)
    simtui.py exp VAULT NAME         the latest version's expiry (unix seconds)
    simtui.py requests               the sim's request counters (JSON)
    simtui.py deleted VAULT NAME     "deleted" (exit 0) or "not-deleted" (exit 1)
    simtui.py protect VAULT          switches purge protection on (ARM PATCH)
    simtui.py rbac VAULT             switches the vault to Azure RBAC
    simtui.py …                      anything else goes to simctl.py
"""
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests",
                                "cli"))
import simctl  # noqa: E402


def day(t):
    if not t:
        return "-"
    return datetime.datetime.fromtimestamp(
        t, datetime.timezone.utc).strftime("%Y-%m-%d")


def main(argv):
    cmd = argv[0]
    if cmd not in ("config", "attrs", "exp", "deleted", "protect", "rbac",
                   "latest", "show", "requests"):
        return simctl.main(argv)
    sim = simctl.attach()
    if cmd == "config":
        k, v = argv[1].split("=", 1)
        r = sim.control("POST", "/config", {k: int(v)})
        assert r.status < 300, r.body
    elif cmd == "attrs":
        # from the versions list: a GET of a disabled version is refused
        r = sim.dp("GET", argv[1], "/secrets/%s/versions" % argv[2])
        vs = r.json().get("value", []) if r.status == 200 else []
        if not vs:
            print("missing")
            return
        j = max(vs, key=lambda v: v.get("attributes", {}).get("created", 0))
        a = j.get("attributes", {})
        tags = ",".join("%s=%s" % kv for kv in sorted(j.get("tags", {})
                                                        .items()))
        print("enabled=%d exp=%s nbf=%s ct=%s tags=%s" % (
            1 if a.get("enabled") else 0, day(a.get("exp")),
            day(a.get("nbf")), j.get("contentType") or "-", tags or "-"))
    elif cmd == "exp":
        # the latest version's expiry in unix seconds (or "none")
        r = sim.dp("GET", argv[1], "/secrets/%s/versions" % argv[2])
        vs = r.json().get("value", []) if r.status == 200 else []
        j = max(vs, key=lambda v: v.get("attributes", {}).get("created", 0))
        print(j.get("attributes", {}).get("exp", "none"))
    elif cmd == "latest":
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
    elif cmd == "requests":
        print(json.dumps(sim.control("GET", "/requests").json()))
    elif cmd == "deleted":
        r = sim.dp("GET", argv[1], "/deletedsecrets/%s" % argv[2])
        print("deleted" if r.status == 200 else "not-deleted")
        sys.exit(0 if r.status == 200 else 1)
    elif cmd in ("protect", "rbac"):
        prop = ("enablePurgeProtection" if cmd == "protect"
                else "enableRbacAuthorization")
        r = sim.arm("PATCH", simctl.vault_id(sim, argv[1]),
                    {"properties": {prop: True}})
        assert r.status < 300, r.body


if __name__ == "__main__":
    main(sys.argv[1:])
