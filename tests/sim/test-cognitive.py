"""Azure AI services accounts in kvdeck-sim (src/sim/cog.h), as a person
checks them with the REST API over the demo seed:

- ARM (api-version 2023-05-01, and Debian's SDK's 2022-12-01): the
  accounts of the production subscription and of rg-ai-prod; GET of
  contoso-ai (kind OpenAI, sku S0, eastus2, its tags,
  properties.endpoint https://contoso-ai.openai.localhost:PORT/,
  provisioningState Succeeded, no key anywhere); POST listKeys gives two
  32-character lower-case hex keys; the demo vault's openai-api-key
  secret holds Key1 in its current version, tagged source-resource-id
  with the account's id (the older versions are as they were);
- POST regenerateKey {"keyName":"Key2"}: Key1 unchanged, Key2 new, and
  listKeys agrees; "Key3" and "key2" are 400 BadRequest as the service
  words it; an unknown account is 404 ResourceNotFound, an unknown group
  ResourceGroupNotFound, a wrong api-version NoRegisteredProviderFound;
- the endpoint (Host contoso-ai.openai.localhost:PORT, the simulator's
  certificate valid for it): GET /openai/models?api-version=2024-10-21
  is 200 with a model list for Key1 and the new Key2, 401 with Azure
  OpenAI's body for the old Key2, garbage and no key; a missing
  api-version is 404; the CognitiveServices-kind account has no
  /openai/models (404) but refuses a wrong key (401);
- RBAC: a managed identity without Owner, holding Cognitive Services
  OpenAI User on the account, is refused listKeys and regenerateKey (403
  AuthorizationFailed naming the action and the scope); Cognitive
  Services User may listKeys, not regenerateKey; Cognitive Services
  Contributor may both;
- a fault rule with area=openai makes the endpoint answer 500 once;
  /_sim/requests counts the endpoint under by_area.openai;
- after a restart on the same state directory the regenerated keys are
  still the account's, and the endpoint names the new port.
"""
import http.client
import re
import urllib.parse

import simlib

COG = "Microsoft.CognitiveServices/accounts"
API = "2023-05-01"
AZ = "/providers/Microsoft.Authorization"
ROLES = {
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Cognitive Services Contributor": "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68",
    "Cognitive Services User": "a97b65f3-24c7-4388-baec-2e87135dc908",
    "Cognitive Services OpenAI User": "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
}
DENIED = ("Access denied due to invalid subscription key or wrong API "
          "endpoint. Make sure to provide a valid key for an active "
          "subscription and use a correct regional API endpoint for your "
          "resource.")
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def err(r):
    try:
        e = r.json()["error"]
    except Exception:
        return (r.status, None, None)
    return (r.status, e.get("code"), e.get("message"))


def imds_token(sim, resource, client_id):
    conn = http.client.HTTPConnection("127.0.0.1", sim.conn["imds_port"],
                                      timeout=10)
    conn.request("GET", "/metadata/identity/oauth2/token?api-version="
                 "2018-02-01&resource=%s&client_id=%s" %
                 (urllib.parse.quote(resource, safe=""), client_id),
                 headers={"Metadata": "true"})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return simlib.Response(r.status, r.getheaders(), body).json()[
        "access_token"]


def models(sim, key, name="contoso-ai", host="openai", api="2024-10-21",
           path="/openai/models"):
    headers = {} if key is None else {"api-key": key}
    q = "" if api is None else "?api-version=" + api
    return sim.request("GET", "https://%s.%s.localhost:%d%s%s" %
                       (name, host, sim.port, path, q), headers=headers)


class Cog:
    def __init__(self, c, sim):
        self.c, self.sim = c, sim
        self.sub = sim.demo_sub("Contoso Production")
        self.rg = "/subscriptions/%s/resourceGroups/rg-ai-prod" % self.sub
        self.id = "%s/providers/%s/contoso-ai" % (self.rg, COG)

    def post(self, what, body=None, token=None, name="contoso-ai",
             api=API):
        return self.sim.arm("POST", "%s/providers/%s/%s/%s" %
                            (self.rg, COG, name, what), body, api=api,
                            token=token)

    def keys(self):
        r = self.post("listKeys")
        self.c.eq(r.status, 200, "listKeys 200")
        return r.json()

    def accounts(self):
        c, sim = self.c, self.sim
        r = sim.arm("GET", "/subscriptions/%s/providers/%s" % (self.sub, COG),
                    api=API)
        c.eq(r.status, 200, "list by subscription 200")
        names = sorted(a["name"] for a in r.json()["value"])
        c.eq(names, ["contoso-ai", "contoso-language"],
             "the production subscription's accounts")
        kinds = {a["name"]: a["kind"] for a in r.json()["value"]}
        c.eq(kinds, {"contoso-ai": "OpenAI",
                     "contoso-language": "CognitiveServices"}, "their kinds")
        r = sim.arm("GET", "%s/providers/%s" % (self.rg, COG), api="2022-12-01")
        c.eq([a["id"] for a in r.json()["value"]], [self.id],
             "rg-ai-prod lists contoso-ai only (api-version 2022-12-01)")
        r = sim.arm("GET", self.id, api=API)
        a = r.json()
        c.eq(r.status, 200, "GET contoso-ai 200")
        c.eq((a["id"], a["name"], a["type"], a["location"], a["kind"],
              a["sku"]), (self.id, "contoso-ai", COG, "eastus2", "OpenAI",
                          {"name": "S0"}), "id, name, type, location, kind, sku")
        c.eq(a["tags"], {"env": "prod", "workload": "ai-assistant"}, "tags")
        p = a["properties"]
        c.eq(p["endpoint"], "https://contoso-ai.openai.localhost:%d/" %
             sim.port, "properties.endpoint on the simulator's port")
        c.eq(p["provisioningState"], "Succeeded", "provisioningState")
        c.ok("key" not in r.body.decode().lower().replace("keyvault", ""),
             "GET shows no key")
        r = sim.arm("GET", "/subscriptions/%s/resourceGroups/rg-app-prod/"
                    "providers/%s/contoso-language" % (self.sub, COG), api=API)
        c.eq(r.json()["properties"]["endpoint"],
             "https://contoso-language.cognitiveservices.localhost:%d/" %
             sim.port, "the CognitiveServices account's endpoint")

    def errors(self):
        c, sim = self.c, self.sim
        r = sim.arm("GET", "%s/providers/%s/nope" % (self.rg, COG), api=API)
        c.eq(err(r)[:2], (404, "ResourceNotFound"), "unknown account 404")
        c.ok("'%s/nope' under resource group 'rg-ai-prod'" % COG
             in err(r)[2], "404 names type, account and group")
        c.eq(err(self.post("listKeys", name="nope"))[:2],
             (404, "ResourceNotFound"), "listKeys of an unknown account 404")
        c.eq(err(self.post("regenerateKey", {"keyName": "Key1"},
                           name="nope"))[:2],
             (404, "ResourceNotFound"), "regenerateKey of an unknown account")
        r = sim.arm("GET", "/subscriptions/%s/resourceGroups/rg-none/"
                    "providers/%s/contoso-ai" % (self.sub, COG), api=API)
        c.eq(err(r)[:2], (404, "ResourceGroupNotFound"), "unknown group")
        r = sim.arm("GET", self.id, api="2023-07-01")
        c.eq(err(r)[:2], (400, "NoRegisteredProviderFound"),
             "Key Vault's api-version refused")
        r = sim.request("GET", sim.url(self.id), token=sim.token())
        c.eq(err(r)[:2], (400, "MissingApiVersionParameter"),
             "no api-version")
        for bad in ("Key3", "key2"):
            r = self.post("regenerateKey", {"keyName": bad})
            c.eq(err(r), (400, "BadRequest",
                          "The key name '%s' is invalid. Valid values are "
                          "'Key1' and 'Key2'." % bad),
                 "keyName %s: 400 BadRequest" % bad)
        r = self.post("regenerateKey")
        c.eq(err(r)[:2], (400, "InvalidRequestContent"), "no body: 400")

    def keys_and_secret(self):
        c, sim = self.c, self.sim
        k = self.keys()
        c.ok(HEX32.match(k["key1"]) and HEX32.match(k["key2"]) and
             k["key1"] != k["key2"], "two distinct 32-hex keys")
        s = sim.dp("GET", "kv-contoso-ai-prod", "/secrets/openai-api-key")
        j = s.json()
        c.eq(j["value"] == k["key1"], True, "the demo secret holds Key1")
        c.eq(j["tags"].get("source-resource-id"), self.id,
             "tagged source-resource-id = the account's id")
        c.eq(j["tags"].get("provider"), "azure-openai", "old tags kept")
        r = sim.dp("GET", "kv-contoso-ai-prod",
                   "/secrets/openai-api-key/versions")
        older = [v for v in r.json()["value"] if v["id"] != j["id"]]
        c.eq(len(older), 2, "two older versions")
        c.ok(all("source-resource-id" not in v.get("tags", {})
                 for v in older), "older versions without the new tag")
        return k

    def endpoint(self, k):
        c, sim = self.c, self.sim
        for n in ("key1", "key2"):
            r = models(sim, k[n])
            c.eq(r.status, 200, "endpoint 200 with %s" % n)
        j = r.json()
        c.eq(j["object"], "list", "a model list")
        c.ok(len(j["data"]) >= 1 and all(m["object"] == "model"
                                         for m in j["data"]), "models")
        c.eq(err(models(sim, "0" * 32)), (401, "401", DENIED),
             "garbage key: 401 with Azure OpenAI's body")
        c.eq(err(models(sim, None))[:2], (401, "401"), "no key: 401")
        c.eq(err(models(sim, k["key1"] + "0"))[:2], (401, "401"),
             "a longer key: 401")
        c.eq(err(models(sim, k["key1"], api=None))[:2], (404, "404"),
             "no api-version: 404")
        c.eq(err(models(sim, k["key1"], path="/openai/deployments"))[:2],
             (404, "404"), "another path: 404")
        c.eq(err(models(sim, k["key1"], name="nope"))[:2], (404, "404"),
             "an unknown account's host: 404")
        lk = self.sim.arm("POST", "/subscriptions/%s/resourceGroups/"
                          "rg-app-prod/providers/%s/contoso-language/listKeys"
                          % (self.sub, COG), api=API).json()
        c.eq(err(models(sim, lk["key1"], name="contoso-language",
                        host="cognitiveservices"))[:2], (404, "404"),
             "CognitiveServices account: no /openai/models")
        c.eq(err(models(sim, k["key1"], name="contoso-language",
                        host="cognitiveservices"))[:2], (401, "401"),
             "CognitiveServices account: another account's key 401")

    def regenerate(self, k):
        c, sim = self.c, self.sim
        r = self.post("regenerateKey", {"keyName": "Key2"})
        c.eq(r.status, 200, "regenerateKey Key2 200")
        n = r.json()
        c.eq(n["key1"], k["key1"], "Key1 unchanged")
        c.ok(n["key2"] != k["key2"] and HEX32.match(n["key2"]),
             "Key2 new, 32 hex")
        c.eq(self.keys(), n, "listKeys gives the new pair")
        c.eq(err(models(sim, k["key2"])), (401, "401", DENIED),
             "the old Key2 is refused")
        c.eq(models(sim, n["key2"]).status, 200, "the new Key2 works")
        c.eq(models(sim, n["key1"]).status, 200, "Key1 still works")
        s = sim.dp("GET", "kv-contoso-ai-prod", "/secrets/openai-api-key")
        c.eq(s.json()["value"] == n["key1"], True,
             "the secret still holds Key1")
        return n

    def assign(self, role, principal):
        import uuid
        body = {"properties": {"roleDefinitionId": "/subscriptions/%s%s/"
                               "roleDefinitions/%s" % (self.sub, AZ,
                                                       ROLES[role]),
                               "principalId": principal,
                               "principalType": "ServicePrincipal"}}
        r = self.sim.arm("PUT", "%s%s/roleAssignments/%s" %
                         (self.id, AZ, uuid.uuid4()), body, api="2022-04-01")
        self.c.eq(r.status, 201, "%s assigned on the account" % role)

    def rbac(self):
        c, sim = self.c, self.sim
        uami = sim.conn["uami_object_id"]
        sub = "/subscriptions/" + self.sub
        r = sim.arm("GET", "%s%s/roleAssignments?$filter=%s" %
                    (sub, AZ, urllib.parse.quote(
                        "atScope() and principalId eq '%s'" % uami)),
                    api="2022-04-01")
        owner = [a for a in r.json()["value"] if a["properties"][
            "roleDefinitionId"].endswith(ROLES["Owner"])]
        c.eq(len(owner), 1, "the managed identity's seeded Owner")
        r = sim.arm("DELETE", "%s%s/roleAssignments/%s" %
                    (sub, AZ, owner[0]["name"]), api="2022-04-01")
        c.eq(r.status, 200, "its Owner removed")
        tok = imds_token(sim, "https://management.azure.com/",
                         sim.conn["uami_client_id"])
        self.assign("Cognitive Services OpenAI User", uami)
        r = sim.arm("GET", self.id, api=API, token=tok)
        c.eq(r.status, 200, "OpenAI User reads the account")
        r = self.post("listKeys", token=tok)
        code = err(r)
        c.eq(code[:2], (403, "AuthorizationFailed"), "OpenAI User: listKeys 403")
        c.ok(re.match(r"^The client '[^']*' with object id '%s' does not have "
                      r"authorization to perform action "
                      r"'Microsoft\.CognitiveServices/accounts/listKeys/action'"
                      r" over scope '%s' or the scope is invalid\. If access "
                      r"was recently granted, please refresh your credentials"
                      r"\.$" % (uami, re.escape(self.id)), code[2] or ""),
             "the message names object id, action and scope")
        r = self.post("regenerateKey", {"keyName": "Key1"}, token=tok)
        c.eq(err(r)[:2], (403, "AuthorizationFailed"),
             "OpenAI User: regenerateKey 403")
        c.ok("regenerateKey/action" in (err(r)[2] or ""),
             "names regenerateKey/action")
        self.assign("Cognitive Services User", uami)
        c.eq(self.post("listKeys", token=tok).status, 200,
             "Cognitive Services User: listKeys 200")
        c.eq(err(self.post("regenerateKey", {"keyName": "Key1"},
                           token=tok))[:2], (403, "AuthorizationFailed"),
             "Cognitive Services User: regenerateKey 403")
        self.assign("Cognitive Services Contributor", uami)
        before = self.keys()
        r = self.post("regenerateKey", {"keyName": "Key1"}, token=tok)
        c.eq(r.status, 200, "Contributor: regenerateKey 200")
        c.ok(r.json()["key1"] != before["key1"] and
             r.json()["key2"] == before["key2"], "only Key1 changed")
        return r.json()

    def fault(self, k):
        c, sim = self.c, self.sim
        sim.control("DELETE", "/requests")
        sim.control("PUT", "/faults",
                    {"faults": ["error,area=openai,count=1"]})
        c.eq(models(sim, k["key1"]).status, 500, "area=openai fault: 500")
        c.eq(models(sim, k["key1"]).status, 200, "then 200 again")
        c.eq(self.sim.arm("GET", self.id, api=API).status, 200,
             "ARM is not the openai area")
        sim.control("DELETE", "/faults")
        j = sim.control("GET", "/requests").json()
        c.eq(j["by_area"].get("openai", {}).get("GET"), 2,
             "by_area.openai counts the endpoint's GETs")


def run(c):
    sim = simlib.Sim(["--rbac-delay", "0"])
    try:
        t = Cog(c, sim)
        t.accounts()
        t.errors()
        k = t.keys_and_secret()
        t.endpoint(k)
        k = t.regenerate(k)
        k = t.rbac()
        t.fault(k)
        c.eq(sim.stop(), 0, "clean exit")
        sim.start()
        t = Cog(c, sim)
        c.eq(t.keys(), k, "the keys survive a restart")
        c.eq(models(sim, k["key2"]).status, 200, "the endpoint after restart")
        c.eq(sim.arm("GET", t.id, api=API).json()["properties"]["endpoint"],
             "https://contoso-ai.openai.localhost:%d/" % sim.port,
             "the endpoint names the new port")
    finally:
        sim.stop(check=False)
        sim.cleanup()


simlib.main(run)
