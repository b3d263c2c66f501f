"""Key Vault data plane: set (32-hex versions, unix-second timestamps),
get latest / by version / trailing slash, list and versions paging
(maxresults 1..25, absolute nextLink with $skiptoken, explicit null at the
end), update attributes (enabled, nbf, exp, contentType, tags), disabled
secrets, delete, deleted list/get, ObjectIsDeletedButRecoverable on
reuse, recover, purge (204), backup/restore, the 25 KB limit, name and
api-version errors, the supported api-versions, and access policies."""
import re
import time

import simlib

V = "kv-contoso-dev"


def run(c):
    sim = simlib.Sim()
    try:
        basics(c, sim)
        paging(c, sim)
        lifecycle(c, sim)
        errors(c, sim)
        policies(c, sim)
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


def basics(c, sim):
    now = int(time.time())
    r = sim.dp("PUT", V, "/secrets/api-key", {"value": "one",
                                             "tags": {"a": "1"}})
    c.eq(r.status, 200, "set")
    j = r.json()
    m = re.match(r"https://%s\.vault\.localhost:%d/secrets/api-key/"
                 r"([0-9a-f]{32})$" % (V, sim.port), j["id"])
    c.ok(m is not None, "id ends in a 32-hex version")
    v1 = m.group(1) if m else ""
    a = j["attributes"]
    c.ok(isinstance(a["created"], int) and abs(a["created"] - now) < 5,
         "created is unix seconds")
    c.eq((a["enabled"], a["recoveryLevel"], a["recoverableDays"]),
         (True, "CustomizedRecoverable+Purgeable", 7),
         "attributes with recovery level of a 7-day vault")
    r = sim.dp("PUT", V, "/secrets/api-key", {
        "value": "two", "contentType": "text/plain",
        "attributes": {"exp": now + 3600, "nbf": now - 60}})
    v2 = r.json()["id"].rsplit("/", 1)[1]
    c.ok(v2 != v1, "second version")
    r = sim.dp("GET", V, "/secrets/api-key/")
    c.eq((r.json()["value"], r.json()["contentType"]), ("two", "text/plain"),
         "latest via trailing slash")
    c.eq(r.json()["attributes"]["exp"], now + 3600, "exp kept")
    r = sim.dp("GET", V, "/secrets/api-key/" + v1)
    c.eq(r.json()["value"], "one", "get by version")
    r = sim.dp("GET", V, "/secrets/API-KEY")
    c.eq(r.status, 200, "names are case-insensitive")
    r = sim.dp("PATCH", V, "/secrets/api-key/" + v1, {
        "attributes": {"enabled": False}, "tags": {"retired": "yes"},
        "contentType": "old"})
    c.eq(r.status, 200, "update attributes")
    c.ok("value" not in r.json(), "update answer has no value")
    c.eq((r.json()["attributes"]["enabled"], r.json()["tags"],
          r.json()["contentType"]), (False, {"retired": "yes"}, "old"),
         "update applied")
    r = sim.dp("GET", V, "/secrets/api-key/" + v1)
    c.eq((r.status, r.json()["error"]["innererror"]["code"]),
         (403, "SecretDisabled"), "disabled version cannot be read")
    r = sim.dp("GET", V, "/secrets/api-key/versions")
    vers = {x["id"].rsplit("/", 1)[1]: x for x in r.json()["value"]}
    c.eq(sorted(vers), sorted([v1, v2]), "versions list")
    c.ok(all("value" not in x for x in r.json()["value"]),
         "list items carry no value")
    for api in ("7.3", "7.4", "7.5", "7.6", "2025-07-01"):
        r = sim.dp("GET", V, "/secrets/api-key", api=api)
        c.eq(r.status, 200, "api-version %s" % api)


def paging(c, sim):
    for i in range(30):
        sim.dp("PUT", V, "/secrets/page-%02d" % i, {"value": str(i)})
    for i in range(6):
        sim.dp("PUT", V, "/secrets/page-00", {"value": "v%d" % i})
    items, pages = simlib.follow(sim, sim.vault_url(V, "/secrets?api-version="
                                                    "7.4&maxresults=7"),
                                 token=sim.vault_token())
    names = [x["id"].rsplit("/", 1)[1] for x in items]
    c.eq(len([n for n in names if n.startswith("page-")]), 30,
         "all 30 secrets through nextLink")
    c.eq(names, sorted(names), "list is ordered by name")
    c.eq(len(set(names)), len(names), "no duplicates across pages")
    r = sim.dp("GET", V, "/secrets?maxresults=7")
    nl = r.json()["nextLink"]
    c.ok(nl.startswith("https://%s.vault.localhost:%d/secrets?api-version=7.4"
                       "&$skiptoken=" % (V, sim.port)) and
         nl.endswith("&maxresults=7"), "nextLink shape")
    items, pages = simlib.follow(sim, sim.vault_url(
        V, "/secrets/page-00/versions?api-version=7.4&maxresults=2"),
        token=sim.vault_token())
    c.eq((len(items), pages), (7, 4), "versions paging, 2 a page")
    r = sim.dp("GET", V, "/secrets?maxresults=26")
    c.eq((r.status, r.json()["error"]["code"]), (400, "BadParameter"),
         "maxresults above 25")
    r = sim.dp("GET", V, "/secrets?maxresults=0")
    c.eq(r.status, 400, "maxresults 0")
    r = sim.dp("GET", V, "/secrets")
    c.eq(len(r.json()["value"]), 25, "default page is 25")


def lifecycle(c, sim):
    sim.dp("PUT", V, "/secrets/temp", {"value": "t"})
    r = sim.dp("DELETE", V, "/secrets/temp")
    j = r.json()
    c.eq(r.status, 200, "delete")
    c.eq(j["recoveryId"], "https://%s.vault.localhost:%d/deletedsecrets/temp"
         % (V, sim.port), "recoveryId")
    c.eq(j["scheduledPurgeDate"] - j["deletedDate"], 7 * 86400,
         "scheduled purge after the retention")
    r = sim.dp("GET", V, "/secrets/temp")
    c.eq((r.status, r.json()["error"]["code"]), (404, "SecretNotFound"),
         "deleted secret is not found")
    r = sim.dp("PUT", V, "/secrets/temp", {"value": "again"})
    c.eq((r.status, r.json()["error"]["innererror"]["code"]),
         (409, "ObjectIsDeletedButRecoverable"), "reuse of a deleted name")
    r = sim.dp("GET", V, "/deletedsecrets")
    names = [x["id"].rsplit("/", 1)[1] for x in r.json()["value"]]
    c.ok("temp" in names and "old-ftp-password" in names, "deleted list")
    r = sim.dp("GET", V, "/deletedsecrets/temp")
    c.eq(r.status, 200, "deleted get")
    r = sim.dp("POST", V, "/deletedsecrets/temp/recover")
    c.eq(r.status, 200, "recover")
    r = sim.dp("GET", V, "/secrets/temp")
    c.eq(r.json()["value"], "t", "recovered value")
    sim.dp("DELETE", V, "/secrets/temp")
    r = sim.dp("DELETE", V, "/deletedsecrets/temp")
    c.eq((r.status, r.body), (204, b""), "purge is 204 with no body")
    r = sim.dp("PUT", V, "/secrets/temp", {"value": "fresh"})
    c.eq(r.status, 200, "name reusable after purge")
    r = sim.dp("GET", V, "/secrets/temp/versions")
    c.eq(len(r.json()["value"]), 1, "purge removed the old versions")
    r = sim.dp("POST", V, "/secrets/temp/backup")
    blob = r.json()["value"]
    sim.dp("DELETE", V, "/secrets/temp")
    sim.dp("DELETE", V, "/deletedsecrets/temp")
    r = sim.dp("POST", V, "/secrets/restore", {"value": blob})
    c.eq(r.status, 200, "restore")
    r = sim.dp("GET", V, "/secrets/temp")
    c.eq(r.json()["value"], "fresh", "restored value")


def errors(c, sim):
    r = sim.dp("PUT", V, "/secrets/big", {"value": "x" * 25601})
    c.eq((r.status, r.json()["error"]["code"]), (400, "BadParameter"),
         "value over 25 KB refused")
    r = sim.dp("PUT", V, "/secrets/big", {"value": "x" * 25600})
    c.eq(r.status, 200, "value of 25 KB accepted")
    r = sim.dp("PUT", V, "/secrets/bad_name", {"value": "x"})
    c.eq(r.json()["error"]["code"], "BadParameter", "bad secret name")
    r = sim.dp("PUT", V, "/secrets/x", "not json")
    c.eq(r.status, 400, "bad body")
    r = sim.dp("GET", V, "/secrets", api="9.9")
    c.eq((r.status, r.json()["error"]["code"]), (400, "BadParameter"),
         "unknown api-version")
    r = sim.dp("GET", V, "/secrets/nope")
    c.eq(r.status, 404, "missing secret 404")


def policies(c, sim):
    sub = sim.demo_sub("Contoso Development")
    vid = "/subscriptions/%s/resourceGroups/rg-app-dev/providers/" \
          "Microsoft.KeyVault/vaults/%s" % (sub, V)
    pol = {"tenantId": sim.tenant, "objectId": sim.conn["client_object_id"],
           "permissions": {"secrets": ["all"]}}
    r = sim.arm("PUT", vid + "/accessPolicies/replace",
                {"properties": {"accessPolicies": [dict(
                    pol, permissions={"secrets": ["list"]})]}})
    c.eq(r.status, 200, "policy narrowed to list")
    r = sim.dp("GET", V, "/secrets/temp")
    err = r.json()["error"]
    c.eq((r.status, err["code"], err["innererror"]["code"]),
         (403, "Forbidden", "AccessDenied"),
         "get without permission: Forbidden/AccessDenied")
    r = sim.dp("GET", V, "/secrets")
    c.eq(r.status, 200, "list still allowed")
    sim.arm("PATCH", vid, {"properties": {"enableRbacAuthorization": True}})
    r = sim.dp("GET", V, "/secrets/temp")
    c.eq(r.status, 200, "RBAC vault: policies not consulted")


simlib.main(run)
