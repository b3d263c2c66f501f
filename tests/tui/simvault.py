"""simvault.py — what the vault screen tests ask kvdeck-sim behind the
console's back (the simulator named by $SIM_CONN): vaults, groups,
deleted vaults and role assignments, through Resource Manager. Builds on
tests/cli/simctl.py; standard library only.

    simvault.py sub NAME             the id of the subscription NAME
    simvault.py show NAME            one line: sub rg location sku rbac=0|1
                                     pp=0|1 days=N policies=N tags=k=v,..
                                     ("missing" and exit 1 when none)
    simvault.py group SUB RG         its location ("missing", exit 1)
    simvault.py deleted SUB NAME     "deleted pp=0|1" (exit 0) or
                                     "not-deleted" (exit 1)
    simvault.py roles NAME           "ROLE PRINCIPAL" per assignment made
                                     on the vault itself
    simvault.py mk SUB RG NAME LOC [protect]
                                     a vault created (RBAC, 7 days' retention;
                                     purge protection when asked)
    simvault.py mkdeleted SUB RG NAME LOC [protect]
                                     the same, then deleted
    simvault.py secrets NAME         the names of the vault's secrets
    simvault.py writes               PUTs, PATCHes and DELETEs (ARM and data
                                     plane; the name checks are POSTs)
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests",
                                "cli"))
import simctl  # noqa: E402

KV = "/providers/Microsoft.KeyVault"
ROLES = {
    "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "SecretsOfficer",
    "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Administrator",
    "4633458b-17de-408a-b874-0445c86b69e6": "SecretsUser",
}


def find_vault(sim, name):
    for sub in sim.conn["subscriptions"]:
        r = sim.arm("GET", "/subscriptions/%s%s/vaults" % (sub, KV))
        for v in r.json().get("value", []):
            if v["name"].lower() == name.lower():
                return v
    return None


def main(argv):
    sim = simctl.attach()
    cmd = argv[0]
    if cmd == "sub":
        r = sim.arm("GET", "/subscriptions", api="2022-12-01")
        for s in r.json()["value"]:
            if s["displayName"] == argv[1]:
                print(s["subscriptionId"])
                return 0
        return 1
    if cmd == "show":
        v = find_vault(sim, argv[1])
        if v is None:
            print("missing")
            return 1
        p = v["properties"]
        parts = v["id"].split("/")
        tags = ",".join("%s=%s" % kv for kv in sorted(
            (v.get("tags") or {}).items()))
        print("%s %s %s %s rbac=%d pp=%d days=%s policies=%d tags=%s" % (
            parts[2], parts[4], v["location"], p["sku"]["name"],
            1 if p.get("enableRbacAuthorization") else 0,
            1 if p.get("enablePurgeProtection") else 0,
            p.get("softDeleteRetentionInDays", "-"),
            len(p.get("accessPolicies") or []), tags or "-"))
        return 0
    if cmd == "group":
        r = sim.arm("GET", "/subscriptions/%s/resourceGroups/%s" %
                    (argv[1], argv[2]), api="2021-04-01")
        if r.status != 200:
            print("missing")
            return 1
        print(r.json()["location"])
        return 0
    if cmd == "deleted":
        r = sim.arm("GET", "/subscriptions/%s%s/deletedVaults" %
                    (argv[1], KV))
        for d in r.json().get("value", []):
            if d["name"].lower() == argv[2].lower():
                pp = d["properties"].get("purgeProtectionEnabled")
                print("deleted pp=%d" % (1 if pp else 0))
                return 0
        print("not-deleted")
        return 1
    if cmd == "roles":
        v = find_vault(sim, argv[1])
        if v is None:
            return 1
        r = sim.arm("GET", v["id"] + "/providers/Microsoft.Authorization/"
                    "roleAssignments?$filter=atScope()", api="2022-04-01")
        for a in r.json().get("value", []):
            p = a["properties"]
            if p.get("scope", "").lower() != v["id"].lower():
                continue
            rid = p["roleDefinitionId"].rsplit("/", 1)[1]
            print(ROLES.get(rid, rid), p["principalId"])
        return 0
    if cmd in ("mk", "mkdeleted"):
        sub, rg, name, loc = argv[1:5]
        protect = len(argv) > 5 and argv[5] == "protect"
        vid = "/subscriptions/%s/resourceGroups/%s%s/vaults/%s" % (
            sub, rg, KV, name)
        props = {"tenantId": sim.tenant, "sku": {"family": "A",
                                                  "name": "standard"},
                 "enableRbacAuthorization": True,
                 "softDeleteRetentionInDays": 7}
        if protect:
            props["enablePurgeProtection"] = True
        r = sim.arm("PUT", vid, {"location": loc, "properties": props})
        assert r.status < 300, r.body
        for _ in range(100):
            r = sim.arm("GET", vid)
            if r.json()["properties"].get("provisioningState") == "Succeeded":
                break
            time.sleep(0.1)
        if cmd == "mkdeleted":
            r = sim.arm("DELETE", vid)
            assert r.status < 300, r.body
        return 0
    if cmd == "secrets":
        r = sim.dp("GET", argv[1], "/secrets")
        for s in r.json().get("value", []):
            print(s["id"].rsplit("/", 1)[1])
        return 0
    if cmd == "writes":
        m = sim.control("GET", "/requests").json()["by_method"]
        print(m["PUT"] + m["PATCH"] + m["DELETE"])
        return 0
    return simctl.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) or 0)
