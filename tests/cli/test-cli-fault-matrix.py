"""test-cli-fault-matrix.py — the judge of the fault matrix
(test-cli-fault-matrix-*.sh, through test-cli-fault-matrix.lib): compares
what a batch command reported under a kvdeck-sim fault with what the
simulator holds afterwards. Run after the faults were cleared (its own
requests must not be faulted). Standard library only.

    test-cli-fault-matrix.py before OP SPECS ARGS...
        prints the state the check compares against (a line), then arms
        the faults (SPECS: fault specs separated by ';')
    test-cli-fault-matrix.py check OP RC OUT ERR BEFORE
        prints how often the faults fired ("# fired N"), clears them, then
        prints "ok - ..." or "FAIL: ..." lines; exit 1 on any FAIL

OP is list (secret list --json of VAULT), rotate (VAULT NAME: secret
rotate --json), vault (vault create --json) or attach (endpoint attach
--json). The rules, for every cell:
  - the command either finished (exit 0, outcome done, every step done
    or skipped) or stopped (exit != 0) with a report naming a failed step;
  - a list that finished holds exactly the simulator's secrets; one that
    stopped printed nothing on standard output (no half list);
  - a write step reported done is in the simulator (the resource exists,
    a new secret version is there and is the one reported); a write step
    not run is not (no resource, no version);
  - a write step reported failed whose write is in the simulator anyway
    must say so: its error is marked "unknown" (accepted, then lost sight
    of), or the resource reads provisioningState Failed (Azure's own
    word that it exists, failed);
  - never two versions for one rotation.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simctl  # noqa: E402

API = {
    "microsoft.network/privateendpoints": "2024-01-01",
    "microsoft.network/privatednszones": "2020-06-01",
    "microsoft.keyvault/vaults": "2023-07-01",
    "microsoft.authorization/roleassignments": "2022-04-01",
}

bad = 0


def ok(cond, what):
    global bad
    if cond:
        print("ok - " + what)
    else:
        print("FAIL: " + what)
        bad = 1


def api_of(arm_id):
    low = arm_id.lower()
    best = None
    for k, v in API.items():
        i = low.rfind(k)
        if i >= 0 and (best is None or i > best[0]):
            best = (i, v)
    return best[1] if best else "2023-07-01"


def arm_state(sim, arm_id):
    """(exists, provisioningState or None) of an ARM resource."""
    r = sim.arm("GET", arm_id, api=api_of(arm_id))
    if r.status == 404:
        return False, None
    assert r.status == 200, (arm_id, r.status, r.body)
    return True, (r.json().get("properties") or {}).get("provisioningState")


def versions(sim, vault, name):
    r = sim.dp("GET", vault, "/secrets/%s/versions?maxresults=25" % name)
    assert r.status == 200, (r.status, r.body)
    out = []
    url = None
    body = r.json()
    while True:
        out += [v["id"].rsplit("/", 1)[1] for v in body["value"]]
        url = body.get("nextLink")
        if not url:
            return out
        body = sim.request("GET", url, token=sim.vault_token()).json()


def secret_names(sim, vault):
    names, path = [], "/secrets?maxresults=25"
    r = sim.dp("GET", vault, path)
    body = r.json()
    while True:
        names += [s["id"].rsplit("/", 1)[1] for s in body["value"]]
        if not body.get("nextLink"):
            return sorted(names)
        body = sim.request("GET", body["nextLink"],
                           token=sim.vault_token()).json()


def before(op, specs, args):
    sim = simctl.attach()
    pre = {}
    if op == "rotate":
        pre = {"versions": versions(sim, args[0], args[1])}
    if op == "list":
        pre = {"names": secret_names(sim, args[0])}
    for spec in filter(None, specs.split(";")):
        r = sim.control("POST", "/faults", {"faults": [spec]})
        assert r.status < 300, r.body
    return pre


def load(path):
    with open(path) as f:
        text = f.read()
    return text


def step_exists(sim, step, op, pre, report):
    """Whether the step's write is in the simulator: (exists, state)."""
    t = step.get("target") or ""
    if t.startswith("/subscriptions/"):
        return arm_state(sim, t)
    if op == "rotate" and step["op"] == "secret-set":
        url = t.split("/secrets/", 1)
        vault = url[0].split("//", 1)[1].split(".", 1)[0]
        now = versions(sim, vault, url[1])
        new = [v for v in now if v not in pre["versions"]]
        ok(len(new) <= 1, "one rotation made at most one version (%d)"
           % len(new))
        return bool(new), new[0] if new else None
    return None, None


def check(op, rc, out, err, pre):
    sim = simctl.attach()
    print("# fired %d" % sum(r["fired"] for r in
                             sim.control("GET", "/faults").json()["faults"]))
    sim.control("DELETE", "/faults")
    if op == "list":
        if rc == 0:
            got = sorted(s["name"] for s in json.loads(out))
            ok(got == pre["names"], "the list is whole (%d of %d)"
               % (len(got), len(pre["names"])))
        else:
            ok(out.strip() == "", "a list that stopped printed no half list")
            ok(err.strip() != "", "and said why on standard error")
        return
    if rc != 0 and not out.strip():
        # stopped before the plan ran (e.g. a read the plan needs failed):
        # nothing may have been written
        ok(err.strip() != "", "stopped before the plan, saying why")
        return
    rep = json.loads(out)
    steps = rep["steps"]
    states = ",".join("%s=%s" % (s["op"], s["state"]) for s in steps)
    print("# outcome %s (exit %d): %s" % (rep["outcome"], rc, states))
    if rep["outcome"] == "done":
        ok(rc == 0, "outcome done: exit 0")
        ok(all(s["state"] in ("done", "skipped") for s in steps),
           "outcome done: every step done or skipped")
    else:
        ok(rc != 0, "outcome %s: exit not 0" % rep["outcome"])
        failed = [s for s in steps if s["state"] == "failed"]
        ok(len(failed) == 1, "one failed step named")
        ok("[failed]" in err, "the report on standard error names it")
    for s in steps:
        if not s["writes"]:
            continue
        exists, state = step_exists(sim, s, op, pre, rep)
        if exists is None:
            continue
        what = "%s %s" % (s["op"], s["state"])
        if s["state"] == "done":
            ok(exists, "%s: it is in the simulator" % what)
            if op == "rotate":
                ok(rep.get("secret", {}).get("version") == state,
                   "%s: the version reported is the new one" % what)
            elif rep["outcome"] == "done" and state is not None:
                ok(state == "Succeeded", "%s: provisioned (%s)" % (what, state))
        elif s["state"] in ("pending", "skipped"):
            ok(not exists, "%s (not run): not in the simulator" % what)
        elif s["state"] == "failed":
            e = s.get("error") or {}
            ok(not exists or e.get("unknown") or state == "Failed",
               "%s: %s in the simulator%s" % (
                   what, "it is" if exists else "not",
                   ", and the report says it may be in place (unknown)"
                   if exists and e.get("unknown") else
                   ", provisioningState Failed" if state == "Failed" else ""))


def main(argv):
    if argv[0] == "before":
        print(json.dumps(before(argv[1], argv[2], argv[3:])))
        return 0
    op, rc = argv[1], int(argv[2])
    pre = json.loads(load(argv[5]))
    check(op, rc, load(argv[3]), load(argv[4]), pre)
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
