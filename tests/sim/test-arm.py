"""ARM: resource groups (HEAD/PUT 201 then 200/GET/list with $top and
nextLink/tag filter/DELETE as a Location LRO), the generic /resources
listing, vaults (create answers RegisteringDns then Succeeded, replace,
PATCH, lists with paging, soft delete, deleted list/get, recover, purge
LRO, checkNameAvailability, access policies), case-insensitive paths,
api-version and body errors, request-id headers, and the two deviations.
"""
import time

import simlib

KV = "Microsoft.KeyVault"


def run(c):
    sim = simlib.Sim(["--lro-delay", "600", "--dns-delay", "500",
                      "--page-size", "2"])
    try:
        groups(c, sim)
        vaults(c, sim)
        errors(c, sim)
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()
    deviations(c)


def poll(sim, url, want=200, limit=40):
    for _ in range(limit):
        r = sim.request("GET", url, token=sim.token())
        if r.status == want:
            return r
        time.sleep(0.2)
    return r


def groups(c, sim):
    sub = sim.demo_sub("Contoso Development")
    base = "/subscriptions/%s/resourcegroups" % sub
    r = sim.arm("HEAD", base + "/rg-new", api="2022-09-01")
    c.eq(r.status, 404, "HEAD of a missing group is 404")
    r = sim.arm("PUT", base + "/rg-new", {"location": "westus",
                                          "tags": {"a": "b"}},
                api="2022-09-01", headers={"x-ms-client-request-id": "abc"})
    c.eq(r.status, 201, "group create is 201")
    c.eq(r.json()["properties"]["provisioningState"], "Succeeded",
         "group is Succeeded at once")
    c.eq(r.json()["id"], "/subscriptions/%s/resourceGroups/rg-new" % sub,
         "group id uses resourceGroups")
    c.ok(r.header("x-ms-request-id") and
         r.header("x-ms-correlation-request-id"), "request id headers")
    c.eq(r.header("x-ms-client-request-id"), "abc", "client request id echoed")
    c.ok(r.header("x-ms-ratelimit-remaining-subscription-writes") is not None,
         "ratelimit-remaining header on writes")
    r = sim.arm("PUT", base + "/rg-new", {"location": "westus", "tags": {}},
                api="2022-09-01")
    c.eq(r.status, 200, "group update is 200")
    r = sim.arm("PUT", base + "/rg-new", {"location": "eastus"},
                api="2022-09-01")
    c.eq(r.status, 409, "other location is a conflict")
    c.eq(r.json()["error"]["code"], "InvalidResourceGroupLocation",
         "InvalidResourceGroupLocation")
    r = sim.arm("HEAD", base + "/RG-NEW", api="2022-09-01")
    c.eq(r.status, 204, "HEAD matches names case-insensitively")
    r = sim.arm("PUT", base + "/rg-t", {"location": "westus",
                                        "tags": {"team": "x"}},
                api="2022-09-01")
    r = sim.arm("GET", base + "?$filter=tagname%20eq%20'team'",
                api="2022-09-01")
    c.eq([g["name"] for g in r.json()["value"]], ["rg-t"], "tag filter")
    items, pages = simlib.follow(
        sim, sim.url(base + "?api-version=2022-09-01&$top=1"), sim.token())
    c.eq(len(items), 4, "all groups through nextLink")
    c.eq(pages, 4, "$top=1 gives one group a page")
    r = sim.arm("DELETE", base + "/rg-t", api="2022-09-01")
    c.eq(r.status, 202, "group delete is 202")
    loc = r.header("Location")
    c.ok(loc and "/operationresults/" in loc, "delete has Location")
    r = sim.request("GET", loc, token=sim.token())
    c.eq(r.status, 202, "operation running")
    r = poll(sim, loc)
    c.eq(r.status, 200, "operation finishes with 200")
    r = sim.arm("GET", base + "/rg-t", api="2022-09-01")
    c.eq(r.status, 404, "deleted group is gone")
    c.eq(r.json()["error"]["code"], "ResourceGroupNotFound",
         "ResourceGroupNotFound")
    r = sim.arm("GET", "/subscriptions/%s/resources?$filter=resourceType"
                "%%20eq%%20'Microsoft.KeyVault%%2Fvaults'" % sub,
                api="2015-11-01")
    names = [v["name"] for v in r.json()["value"]]
    c.ok("kv-contoso-dev" in names, "/resources by type lists vaults")
    c.ok(all(set(v) >= {"id", "name", "type", "location", "tags"}
             for v in r.json()["value"]), "generic items have the fields")
    r = sim.arm("GET", "/subscriptions/%s/resources?$filter=resourceType"
                "%%20eq%%20'Microsoft.KeyVault%%2Fvaults'%%20and%%20name"
                "%%20eq%%20'kv-contoso-dev'" % sub, api="2015-11-01")
    c.eq([v["name"] for v in r.json()["value"]], ["kv-contoso-dev"],
         "/resources by type and name")


def vaults(c, sim):
    sub = sim.demo_sub("Contoso Development")
    tenant = sim.tenant
    rgp = "/subscriptions/%s/resourceGroups/rg-new" % sub
    vp = rgp + "/providers/%s/vaults/kv-sim-test" % KV
    body = {"location": "westus", "properties": {
        "tenantId": tenant, "sku": {"family": "A", "name": "standard"},
        "accessPolicies": [], "softDeleteRetentionInDays": 7}}
    r = sim.arm("GET", vp)
    c.eq(r.status, 404, "missing vault is 404")
    c.eq(r.json()["error"]["code"], "ResourceNotFound", "ResourceNotFound")
    c.eq(r.header("x-ms-failure-cause"), "gateway", "failure cause header")
    r = sim.arm("POST", "/subscriptions/%s/providers/%s/checkNameAvailability"
                % (sub, KV), {"name": "kv-sim-test",
                              "type": "Microsoft.KeyVault/vaults"})
    c.eq(r.json(), {"nameAvailable": True}, "name is available")
    r = sim.arm("PUT", vp, body)
    c.eq(r.status, 200, "vault create is 200")
    p = r.json()["properties"]
    c.eq(p["provisioningState"], "RegisteringDns", "create: RegisteringDns")
    c.ok(not p["vaultUri"].endswith("/"), "first vaultUri has no slash")
    c.eq(p["publicNetworkAccess"], "Enabled", "publicNetworkAccess default")
    r = sim.dp("GET", "kv-sim-test", "/secrets") if False else None
    time.sleep(0.7)
    r = sim.arm("GET", vp)
    c.eq(r.json()["properties"]["provisioningState"], "Succeeded",
         "then Succeeded")
    c.ok(r.json()["properties"]["vaultUri"].endswith("/"),
         "later vaultUri has a slash")
    r = sim.arm("POST", "/subscriptions/%s/providers/%s/checkNameAvailability"
                % (sub, KV), {"name": "kv-sim-test",
                              "type": "Microsoft.KeyVault/vaults"})
    c.eq(r.json()["reason"], "AlreadyExists", "name now taken")
    r = sim.arm("PUT", "/subscriptions/%s/resourceGroups/rg-app-dev/providers"
                "/%s/vaults/kv-sim-test" % (sub, KV), body)
    c.eq((r.status, r.json()["error"]["code"]), (409, "VaultAlreadyExists"),
         "same name elsewhere: VaultAlreadyExists")
    r = sim.arm("PATCH", vp, {"tags": {"x": "1"},
                              "properties": {"enableRbacAuthorization": True}})
    c.eq(r.status, 200, "PATCH vault")
    c.eq(r.json()["tags"], {"x": "1"}, "PATCH sets tags")
    c.eq(r.json()["properties"]["enableRbacAuthorization"], True,
         "PATCH sets properties")
    pol = {"tenantId": tenant, "objectId": sim.conn["client_object_id"],
           "permissions": {"secrets": ["get", "list"]}}
    r = sim.arm("PUT", vp + "/accessPolicies/add",
                {"properties": {"accessPolicies": [pol]}})
    c.eq(r.status, 200, "accessPolicies add")
    pol["permissions"] = {"secrets": ["set"]}
    sim.arm("PUT", vp + "/accessPolicies/add",
            {"properties": {"accessPolicies": [pol]}})
    r = sim.arm("GET", vp)
    aps = r.json()["properties"]["accessPolicies"]
    c.eq(sorted(aps[0]["permissions"]["secrets"]), ["get", "list", "set"],
         "add merges permissions")
    pol["permissions"] = {"secrets": ["get", "list", "set"]}
    r = sim.arm("PUT", vp + "/accessPolicies/remove",
                {"properties": {"accessPolicies": [pol]}})
    c.eq(r.json()["properties"]["accessPolicies"], [],
         "remove of all permissions drops the entry")
    r = sim.arm("PUT", vp + "/accessPolicies/add",
                {"properties": {"accessPolicies": [
                    {"tenantId": tenant, "objectId": "x",
                     "permissions": {"secrets": ["fly"]}}]}})
    c.eq(r.status, 400, "unknown permission refused")
    # Paging: page size 2 from --page-size.
    first = sim.url("/subscriptions/%s/providers/%s/vaults?api-version="
                    "2023-07-01" % (sub, KV))
    items, pages = simlib.follow(sim, first, sim.token())
    c.eq(sorted(v["name"] for v in items), ["kv-contoso-dev", "kv-sim-test"],
         "vault list by subscription")
    r = sim.arm("GET", "/subscriptions/%s/providers/%s/vaults?$top=1"
                % (sub, KV))
    c.ok("nextLink" in r.json() and len(r.json()["value"]) == 1,
         "$top=1 gives a nextLink")
    r = sim.arm("GET", rgp + "/providers/%s/vaults" % KV)
    c.eq([v["name"] for v in r.json()["value"]], ["kv-sim-test"],
         "vault list by group")
    r = sim.arm("GET", "/subscriptions/%s/providers/%s/managedHSMs"
                % (sub, KV), api="2022-07-01")
    c.eq(r.json(), {"value": []}, "managed HSM list is empty")
    # Soft delete, deleted vaults, recover, purge.
    r = sim.arm("DELETE", vp)
    c.eq(r.status, 200, "vault delete is 200")
    r = sim.arm("GET", vp)
    c.eq(r.status, 404, "deleted vault is gone")
    r = sim.arm("GET", "/subscriptions/%s/providers/%s/deletedVaults"
                % (sub, KV))
    names = [v["name"] for v in r.json()["value"]]
    c.ok("kv-sim-test" in names and "kv-contoso-old" in names,
         "deletedVaults lists both deleted vaults")
    dv = "/subscriptions/%s/providers/%s/locations/westus/deletedVaults/" \
         "kv-sim-test" % (sub, KV)
    r = sim.arm("GET", dv)
    c.eq(r.status, 200, "deleted vault get")
    c.eq(r.json()["properties"]["vaultId"].lower(), ("/subscriptions/%s"
         "/resourceGroups/rg-new/providers/Microsoft.KeyVault/vaults/"
         "kv-sim-test" % sub).lower(), "deleted vault names its vault")
    r = sim.arm("PUT", vp, body)
    c.eq((r.status, r.json()["error"]["code"]), (409, "ConflictError"),
         "create over a deleted name: ConflictError")
    r = sim.arm("PUT", vp, {"location": "westus", "properties": {
        "tenantId": tenant, "sku": {"family": "A", "name": "standard"},
        "createMode": "recover"}})
    c.eq(r.status, 200, "recover")
    c.eq(r.json()["tags"], {"x": "1"}, "recovered vault keeps its tags")
    sim.arm("DELETE", vp)
    r = sim.arm("POST", dv + "/purge")
    c.eq(r.status, 202, "purge is 202")
    loc = r.header("Location")
    c.ok(loc and "/operationResults/" in loc, "purge has Location")
    r = sim.request("GET", loc, token=sim.token())
    c.eq((r.status, r.json()["status"]), (202, "NotStarted"),
         "purge operation running")
    r = poll(sim, loc)
    c.eq(r.json()["status"], "Succeeded", "purge operation succeeds")
    c.ok(" " in r.json()["createdDateTime"], "operation dates use a space")
    r = sim.arm("GET", dv)
    c.eq(r.status, 404, "purged vault is gone")


def errors(c, sim):
    sub = sim.subscription(0)
    r = sim.arm("GET", "/subscriptions/%s/resourcegroups" % sub, api=None)
    c.eq((r.status, r.json()["error"]["code"]),
         (400, "MissingApiVersionParameter"), "missing api-version")
    r = sim.arm("GET", "/subscriptions/%s/resourcegroups" % sub,
                api="2099-01-01")
    c.eq(r.json()["error"]["code"], "InvalidApiVersionParameter",
         "bad api-version for groups")
    r = sim.arm("GET", "/subscriptions/%s/providers/%s/vaults" % (sub, KV),
                api="2099-01-01")
    c.eq(r.json()["error"]["code"], "NoRegisteredProviderFound",
         "bad api-version for a provider type")
    r = sim.arm("GET", "/SUBSCRIPTIONS/%s/PROVIDERS/microsoft.keyvault/VAULTS"
                % sub)
    c.eq(r.status, 200, "path segments are case-insensitive")
    vp = "/subscriptions/%s/resourceGroups/rg-app-prod/providers/%s/vaults/" \
         % (sub, KV)
    r = sim.arm("PUT", vp + "kv-x", "{not json")
    c.eq(r.json()["error"]["code"], "InvalidRequestContent", "bad JSON body")
    r = sim.arm("PUT", vp + "kv-x", {"location": "eastus", "properties": {
        "sku": {"family": "A", "name": "standard"}}})
    c.eq(r.json()["error"]["code"], "InvalidRequestContent", "no tenantId")
    r = sim.arm("PUT", vp + "9bad--name", {"location": "eastus"})
    c.eq(r.json()["error"]["code"], "VaultNameNotValid", "bad vault name")
    r = sim.arm("GET", "/subscriptions/%s/resourceGroups/nope/providers/%s/"
                "vaults/x" % (sub, KV))
    c.eq(r.json()["error"]["code"], "ResourceGroupNotFound",
         "vault in a missing group")
    r = sim.arm("GET", "/subscriptions/00000000-0000-0000-0000-000000000001/"
                "resourcegroups", api="2022-09-01")
    c.eq(r.json()["error"]["code"], "SubscriptionNotFound",
         "unknown subscription")


def deviations(c):
    sim = simlib.Sim(["--deviate", "provisioning-state", "--page-size", "1"],
                     env={"KVSIM_DEVIATE": "no-nextlink"})
    try:
        sub = sim.demo_sub("Contoso Production")
        r = sim.arm("GET", "/subscriptions/%s/providers/%s/vaults" % (sub, KV))
        j = r.json()
        c.eq(len(j["value"]), 1, "deviation: one page")
        c.ok("nextLink" not in j, "deviation no-nextlink drops nextLink")
        c.eq(j["value"][0]["properties"]["provisioningState"], "Provisioning",
             "deviation provisioning-state")
        r = sim.dp("GET", "kv-contoso-app-prod", "/secrets?maxresults=1")
        c.eq(r.json()["nextLink"], None, "deviation: data plane nextLink null")
    finally:
        sim.cleanup()


simlib.main(run)
