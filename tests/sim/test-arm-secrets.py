"""The management-plane secret (Microsoft.KeyVault/vaults/secrets,
secrets.json): PUT writes a new data-plane version (201 new, 200 again;
secretUri and secretUriWithVersion, never the value), the data plane
then reads that value, GET one and the paged list ($top, nextLink) show
no value, PATCH changes the current version's attributes/contentType/tags
(with a value: a new version), all of it while the vault's public
network access is Disabled; 404 for a missing vault or secret, 400 for a
bad name, 403 AuthorizationFailed without secrets/write. And
GET {scope}/providers/Microsoft.Authorization/permissions: the caller's
effective actions at a subscription, group and vault."""
import time
import urllib.parse

import simlib

KV = "2023-07-01"
AZ = "/providers/Microsoft.Authorization"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"


def run(c):
    sim = simlib.Sim(["--rbac-delay", "0"])
    try:
        flow(c, sim)
        permissions(c, sim)
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


def flow(c, sim):
    sub = sim.demo_sub("Contoso Production")
    rg = "/subscriptions/%s/resourceGroups/rg-app-prod" % sub
    vid = rg + "/providers/Microsoft.KeyVault/vaults/kv-contoso-app-prod"
    sec = vid + "/secrets/arm-made"

    # Public access off: Resource Manager still writes.
    r = sim.arm("PATCH", vid, {"properties": {
        "publicNetworkAccess": "Disabled"}}, api=KV)
    c.eq(r.status, 200, "public access disabled")
    r = sim.arm("PUT", sec, {"properties": {
        "value": "s3cret-one", "contentType": "text/plain",
        "attributes": {"enabled": True, "exp": 2000000000}},
        "tags": {"owner": "ops"}}, api=KV)
    c.eq(r.status, 201, "ARM secret create 201")
    j = r.json()
    c.ok("value" not in j["properties"], "create answer has no value")
    c.ok("s3cret-one" not in r.body.decode(), "value nowhere in the answer")
    c.eq((j["id"], j["name"], j["type"], j["location"]),
         (sec, "arm-made", "Microsoft.KeyVault/vaults/secrets", "eastus"),
         "id, name, type, location")
    p = j["properties"]
    c.eq(p["secretUri"], "https://kv-contoso-app-prod.vault.localhost:%d/"
         "secrets/arm-made" % sim.port, "secretUri")
    ver1 = p["secretUriWithVersion"].rsplit("/", 1)[1]
    c.ok(p["secretUriWithVersion"].startswith(p["secretUri"] + "/") and
         len(ver1) == 32, "secretUriWithVersion names a 32-hex version")
    c.eq((p["contentType"], p["attributes"]["enabled"],
          p["attributes"]["exp"]), ("text/plain", True, 2000000000),
         "contentType and attributes")
    c.ok(p["attributes"]["created"] == p["attributes"]["updated"] > 0,
         "created = updated")
    c.eq(j.get("tags"), {"owner": "ops"}, "tags")

    # The data plane (from the private network) reads what ARM wrote.
    def dp(path):
        return sim.request("GET", sim.vault_url(
            "kv-contoso-app-prod", path + "?api-version=7.4"),
            token=sim.vault_token(), source="127.0.0.2")
    r = sim.dp("GET", "kv-contoso-app-prod", "/secrets/arm-made")
    c.eq(r.status, 403, "public data plane refused")
    sim.arm("PATCH", vid, {"properties": {
        "publicNetworkAccess": "Enabled"}}, api=KV)
    r = sim.dp("GET", "kv-contoso-app-prod", "/secrets/arm-made")
    c.eq((r.status, r.json().get("value")), (200, "s3cret-one"),
         "data plane reads the ARM-written value")
    c.eq(r.json()["id"].rsplit("/", 1)[1], ver1, "same version")

    # A second PUT: a new version, the old one stays enabled.
    r = sim.arm("PUT", sec, {"properties": {"value": "s3cret-two"}}, api=KV)
    c.eq(r.status, 200, "ARM secret update 200")
    ver2 = r.json()["properties"]["secretUriWithVersion"].rsplit("/", 1)[1]
    c.ok(ver2 != ver1, "a new version")
    r = sim.dp("GET", "kv-contoso-app-prod", "/secrets/arm-made")
    c.eq(r.json().get("value"), "s3cret-two", "data plane: new value")
    r = sim.dp("GET", "kv-contoso-app-prod", "/secrets/arm-made/" + ver1)
    c.eq((r.json().get("value"), r.json()["attributes"]["enabled"]),
         ("s3cret-one", True), "old version kept, enabled")
    r = sim.dp("GET", "kv-contoso-app-prod", "/secrets/arm-made/versions")
    c.eq(len(r.json()["value"]), 2, "two versions")

    # GET one, PATCH.
    r = sim.arm("GET", sec, api=KV)
    c.eq((r.status, "value" in r.json()["properties"]), (200, False),
         "GET: no value")
    c.ok(r.json()["properties"]["secretUriWithVersion"].endswith(ver2),
         "GET: the current version")
    r = sim.arm("PATCH", sec, {"properties": {
        "contentType": "password", "attributes": {"enabled": False}},
        "tags": {"rotated": "yes"}}, api=KV)
    c.eq(r.status, 200, "PATCH 200")
    c.eq((r.json()["properties"]["contentType"],
          r.json()["properties"]["attributes"]["enabled"],
          r.json()["properties"]["secretUriWithVersion"].rsplit("/", 1)[1],
          r.json().get("tags")),
         ("password", False, ver2, {"rotated": "yes"}),
         "PATCH changes the current version")
    r = sim.dp("GET", "kv-contoso-app-prod", "/secrets/arm-made/" + ver2)
    c.eq(r.json()["error"]["innererror"]["code"], "SecretDisabled",
         "data plane sees the disabled version")
    r = sim.arm("PATCH", sec, {"properties": {"value": "s3cret-three"}},
                api=KV)
    ver3 = r.json()["properties"]["secretUriWithVersion"].rsplit("/", 1)[1]
    c.eq((r.status, ver3 != ver2, r.json()["properties"]["contentType"]),
         (200, True, "password"), "PATCH with a value: new version, "
         "keeps contentType")
    r = sim.dp("GET", "kv-contoso-app-prod", "/secrets/arm-made")
    c.eq(r.json().get("value"), "s3cret-three", "data plane: PATCHed value")

    # List: paged, no values.
    r = sim.arm("GET", vid + "/secrets", api=KV)
    names = [s["name"] for s in r.json()["value"]]
    c.ok("arm-made" in names and "db-password" in names,
         "list has ARM and seeded secrets")
    c.ok(all("value" not in s["properties"] for s in r.json()["value"]),
         "list: no values")
    total = len(names)
    r = sim.arm("GET", vid + "/secrets?$top=2", api=KV)
    c.eq(len(r.json()["value"]), 2, "$top=2 page")
    c.ok(r.json().get("nextLink"), "nextLink")
    seen = [s["name"] for s in r.json()["value"]]
    nxt = r.json().get("nextLink")
    while nxt:
        r = sim.request("GET", nxt, token=sim.token())
        seen += [s["name"] for s in r.json()["value"]]
        nxt = r.json().get("nextLink")
    c.eq(sorted(seen), sorted(names), "pages add up to the list (%d)" % total)

    # Errors.
    r = sim.arm("GET", vid + "/secrets/no-such", api=KV)
    c.eq((r.status, r.json()["error"]["code"]), (404, "ResourceNotFound"),
         "missing secret 404")
    r = sim.arm("PATCH", vid + "/secrets/no-such", {"properties": {
        "contentType": "x"}}, api=KV)
    c.eq(r.status, 404, "PATCH of a missing secret 404")
    r = sim.arm("PUT", rg + "/providers/Microsoft.KeyVault/vaults/kv-nope/"
                "secrets/x", {"properties": {"value": "v"}}, api=KV)
    c.eq((r.status, r.json()["error"]["code"]), (404, "ResourceNotFound"),
         "missing vault 404")
    r = sim.arm("PUT", vid + "/secrets/bad_name", {"properties": {
        "value": "v"}}, api=KV)
    c.eq(r.status, 400, "bad name 400")
    r = sim.arm("PUT", vid + "/secrets/novalue", {"properties": {}}, api=KV)
    c.eq(r.status, 400, "PUT without a value 400")
    for api in ("2019-09-01", "2022-07-01", "2024-11-01"):
        r = sim.arm("GET", sec, api=api)
        c.eq(r.status, 200, "api-version %s" % api)

    # A reader may list but not write.
    mi = sim.conn["mi_object_id"]
    owner = [a for a in sim.arm(
        "GET", "/subscriptions/%s%s/roleAssignments?$filter=%s" % (
            sub, AZ, urllib.parse.quote("principalId eq '%s'" % mi)),
        api="2022-04-01").json()["value"]
        if a["properties"]["scope"] == "/subscriptions/" + sub]
    for a in owner:
        sim.arm("DELETE", a["id"], api="2022-04-01")
    sim.arm("PUT", "/subscriptions/%s%s/roleAssignments/%s" % (
        sub, AZ, "11111111-2222-3333-4444-555555555555"), {"properties": {
            "roleDefinitionId": "/subscriptions/%s%s/roleDefinitions/%s" % (
                sub, AZ, READER), "principalId": mi,
            "principalType": "ServicePrincipal"}}, api="2022-04-01")
    tok = mi_token(sim)
    r = sim.arm("GET", vid + "/secrets", api=KV, token=tok)
    c.eq(r.status, 200, "Reader lists ARM secrets")
    r = sim.arm("PUT", sec, {"properties": {"value": "x"}}, api=KV,
                token=tok)
    c.eq((r.status, r.json()["error"]["code"]),
         (403, "AuthorizationFailed"), "Reader may not write: 403")
    c.ok("Microsoft.KeyVault/vaults/secrets/write" in
         r.json()["error"]["message"], "403 names the action")
    r = sim.arm("GET", "/subscriptions/%s%s/permissions" % (sub, AZ),
                api="2022-04-01", token=tok)
    c.eq(r.json()["value"], [{"actions": ["*/read"], "notActions": [],
                              "dataActions": [], "notDataActions": []}],
         "permissions: the Reader's")


def mi_token(sim):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", sim.conn["imds_port"],
                                      timeout=10)
    conn.request("GET", "/metadata/identity/oauth2/token?api-version="
                 "2018-02-01&resource=%s" % urllib.parse.quote(
                     "https://management.azure.com/", safe=""),
                 headers={"Metadata": "true"})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return simlib.Response(r.status, r.getheaders(), body).json()[
        "access_token"]


def permissions(c, sim):
    sub = sim.demo_sub("Contoso Production")
    vid = "/subscriptions/%s/resourceGroups/rg-app-prod/providers/" \
        "Microsoft.KeyVault/vaults/kv-contoso-app-prod" % sub
    for scope, want in (("/subscriptions/" + sub, 1),
                        ("/subscriptions/%s/resourceGroups/rg-app-prod" % sub,
                         1), (vid, 2)):
        r = sim.arm("GET", scope + AZ + "/permissions", api="2022-04-01")
        c.eq(r.status, 200, "permissions at " + scope)
        v = r.json()["value"]
        c.eq(len(v), want, "one entry per assignment at/above " + scope)
        c.eq(v[0], {"actions": ["*"], "notActions": [], "dataActions": [],
                    "notDataActions": []}, "Owner's permissions first")
    c.eq(v[1]["dataActions"], ["Microsoft.KeyVault/vaults/*"],
         "Key Vault Administrator's data actions at the vault")
    r = sim.arm("GET", "/subscriptions/%s/resourceGroups/nope%s/permissions"
                % (sub, AZ), api="2022-04-01")
    c.eq(r.status, 404, "permissions of a missing group 404")


simlib.main(run)
