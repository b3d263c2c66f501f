"""simctl.py — the kvdeck-sim side of the batch-command tests: talks to a
simulator started by clilib.sh (its connection file in $SIM_CONN) through
tests/sim/simlib.py. Standard library only.

    simctl.py writes                 the write counter (PUT/PATCH/POST/DELETE)
    simctl.py count METHOD           ARM + data-plane requests of METHOD
    simctl.py fault SPEC             adds a fault rule
    simctl.py nofaults               removes them all
    simctl.py perms VAULT PERM...    the test principal's secret permissions
    simctl.py versions VAULT NAME    "VERSION enabled|disabled" per version
    simctl.py put VAULT NAME FILE    writes a version behind kvdeck's back
    simctl.py device CODE ACTION     approves or declines the pending
                                     device code CODE (exit 1: no such)
    simctl.py device-state CODE      pending, approved, declined, expired
                                     or gone (redeemed); and its interval
    simctl.py config JSON            POST /_sim/config
    simctl.py arm METHOD PATH [JSON] [API]
                                     a Resource Manager call; prints the
                                     status, then the body (exit 1: >= 400)
    simctl.py pversions VAULT NAME   as versions, from 127.0.0.2: the
                                     private network (through the vault's
                                     approved private endpoint)
    simctl.py ai id|keys|probe KEY   the demo's AI services account
                                     contoso-ai: its id; "KEY1 KEY2"
                                     (listKeys); the status its endpoint
                                     answers with api-key KEY
    simctl.py ai deny-keys           every principal that is Owner of the
                                     account's subscription becomes Reader
                                     there (effective at once): it may
                                     read the account, not list its keys
"""
import base64
import json
import os
import ssl
import sys
import uuid

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests",
                                "sim"))
import simlib  # noqa: E402


def attach():
    sim = simlib.Sim.__new__(simlib.Sim)
    with open(os.environ["SIM_CONN"]) as f:
        sim.conn = json.load(f)
    sim.port = sim.conn["port"]
    sim.ca = sim.conn["ca"]
    sim.tenant = sim.conn["tenant"]
    sim.ctx = ssl.create_default_context(cafile=sim.ca)
    sim._tokens = {}
    sim.proc = None
    return sim


def vault_id(sim, vault):
    for sub in sim.conn["subscriptions"]:
        r = sim.arm("GET", "/subscriptions/%s/providers/Microsoft.KeyVault/"
                    "vaults" % sub)
        for v in r.json().get("value", []):
            if v["name"] == vault:
                return v["id"]
    raise SystemExit("no vault %s" % vault)


OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"


def deny_keys(sim, sub):
    """Owner -> Reader at subscription sub for every principal that has
    it there (Reader first: removing Owner needs Owner)."""
    r = sim.control("POST", "/config", {"rbac_delay_ms": 0})
    assert r.status < 300, r.body
    api = "2022-04-01"
    base = sub + "/providers/Microsoft.Authorization/roleAssignments"
    r = sim.arm("GET", base + "?$filter=atScope()", api=api)
    assert r.status == 200, (r.status, r.body)
    owners = [a for a in r.json()["value"]
              if a["properties"]["roleDefinitionId"].endswith(OWNER) and
              a["properties"]["scope"].lower() == sub.lower()]
    assert owners, "no Owner assignment at " + sub
    for a in owners:
        p = a["properties"]
        body = {"properties": {
            "roleDefinitionId": sub + "/providers/Microsoft.Authorization/"
                                "roleDefinitions/" + READER,
            "principalId": p["principalId"],
            "principalType": p.get("principalType", "ServicePrincipal")}}
        r = sim.arm("PUT", base + "/" + str(uuid.uuid4()), body, api=api)
        assert r.status in (200, 201), (r.status, r.body)
    # this caller's own Owner last: without it the others cannot go
    part = sim.token().split(".")[1]
    me = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    owners.sort(key=lambda a: a["properties"]["principalId"] == me["oid"])
    for a in owners:
        r = sim.arm("DELETE", a["id"], api=api)
        assert r.status in (200, 204), (r.status, r.body)


def main(argv):
    sim = attach()
    cmd = argv[0]
    if cmd == "writes":
        print(sim.control("GET", "/requests").json()["writes"])
    elif cmd == "count":
        print(sim.control("GET", "/requests").json()["by_method"]
              .get(argv[1], 0))
    elif cmd == "fault":
        r = sim.control("POST", "/faults", {"faults": [argv[1]]})
        assert r.status < 300, r.body
    elif cmd == "nofaults":
        sim.control("DELETE", "/faults")
    elif cmd == "perms":
        pol = {"tenantId": sim.tenant,
               "objectId": sim.conn["client_object_id"],
               "permissions": {"secrets": argv[2:]}}
        r = sim.arm("PUT", vault_id(sim, argv[1]) +
                    "/accessPolicies/replace",
                    {"properties": {"accessPolicies": [pol]}})
        assert r.status == 200, r.body
    elif cmd in ("versions", "pversions"):
        src = "127.0.0.2" if cmd == "pversions" else None
        r = sim.dp("GET", argv[1], "/secrets/%s/versions" % argv[2],
                   source=src)
        assert r.status == 200, (r.status, r.body)
        for v in r.json()["value"]:
            print(v["id"].rsplit("/", 1)[1],
                  "enabled" if v["attributes"]["enabled"] else "disabled")
    elif cmd == "put":
        with open(argv[3]) as f:
            val = f.read()
        r = sim.dp("PUT", argv[1], "/secrets/" + argv[2], {"value": val})
        assert r.status == 200, r.body
        print(r.json()["id"].rsplit("/", 1)[1])
    elif cmd == "device":
        r = sim.control("POST", "/device", {"user_code": argv[1],
                                            "action": argv[2]})
        if r.status != 200:
            raise SystemExit("simctl: %d %s" % (r.status, r.body))
    elif cmd == "device-state":
        mine = [d for d in sim.control("GET", "/device").json()
                if d["user_code"] == argv[1]]
        print("%s %s" % (mine[0]["state"], mine[0]["interval"]) if mine
              else "gone")
    elif cmd == "arm":
        body = json.loads(argv[3]) if len(argv) > 3 and argv[3] else None
        api = argv[4] if len(argv) > 4 else "2024-01-01"
        r = sim.arm(argv[1], argv[2], body, api=api)
        print(r.status)
        print(r.body.decode() if isinstance(r.body, bytes) else r.body)
        if r.status >= 400:
            raise SystemExit(1)
    elif cmd == "config":
        r = sim.control("POST", "/config", json.loads(argv[1]))
        assert r.status < 300, r.body
    elif cmd == "ai":
        acct = ("/subscriptions/%s/resourceGroups/rg-ai-prod/providers/"
                "Microsoft.CognitiveServices/accounts/contoso-ai"
                % sim.demo_sub("Contoso Production"))
        if argv[1] == "id":
            print(acct)
        elif argv[1] == "deny-keys":
            deny_keys(sim, acct.split("/resourceGroups/")[0])
        elif argv[1] == "keys":
            r = sim.arm("POST", acct + "/listKeys", api="2023-05-01")
            assert r.status == 200, (r.status, r.body)
            print(r.json()["key1"], r.json()["key2"])
        else:
            print(sim.request("GET", "https://contoso-ai.openai.localhost:%d"
                              "/openai/models?api-version=2024-10-21"
                              % sim.port, headers={"api-key": argv[2]}).status)
    else:
        raise SystemExit("simctl: unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
