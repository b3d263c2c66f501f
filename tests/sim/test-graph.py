"""Azure Resource Graph in kvdeck-sim, as a person checks it with the REST
API (POST /providers/Microsoft.ResourceGraph/resources?api-version=
2022-10-01, see src/sim/arm-graph.h and the KQL subset in src/sim/kql.h):

- the query subset over the demo seed: the vaults Resource Graph finds
  are the vaults ARM lists, in Resource Graph's row shape (type and
  resourceGroup lower case, kind/managedBy "", sku/identity/zones null);
  where with =~, in~, in, ==, !=, contains, and; project (properties.x
  named properties_x); order by asc/desc; count; limit/take;
  resourcecontainers (subscriptions and resource groups); the table
  format;
- paging: $top 1 walks every vault through $skipToken exactly once, with
  totalRecords right on every page; $skip; the rows of $skip and
  $skipToken pages equal those of one whole page (properties included); a forged, altered or foreign
  token is 400 InvalidSkipToken; a result without id is cut
  (resultTruncated "true", no token);
- refusals: KQL outside the subset (400 BadRequest, details InvalidQuery +
  UnsupportedQuery naming it), a syntax error (ParserFailure), another
  api-version, management groups, $top out of range;
- the quota: x-ms-user-quota-remaining counts down on every answer with
  x-ms-user-quota-resets-after as hh:mm:ss; when spent 429 RateLimiting
  with Retry-After; after the reset queries pass again;
- the index lag (graph_lag_ms through POST /_sim/config): a vault just
  created is not found, then is; a vault just deleted is still found,
  then is not;
- graph_forbidden (and --graph-forbidden): 403 AuthorizationFailed for
  Microsoft.ResourceGraph/resources/read;
- RBAC: without Owner on a subscription the principal finds neither it
  nor its vaults; Reader on one vault brings that vault back;
- the scale seed beyond 99 subscriptions: the subscription list pages
  with nextLink, Resource Graph counts every vault, and the secrets carry
  expiry dates (future and past) and rotation-days tags.
"""
import base64
import json
import time
import uuid

import simlib

API = "2022-10-01"
KV = "Microsoft.KeyVault"
AZ = "/providers/Microsoft.Authorization"
GRAPH = "/providers/Microsoft.ResourceGraph/resources"
VAULTS = "resources | where type =~ 'Microsoft.KeyVault/vaults'"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"


def query(sim, q, subs=None, api=API, token=None, **opts):
    body = {"query": q}
    if subs is not None:
        body["subscriptions"] = subs
    if opts:
        body["options"] = opts
    return sim.arm("POST", GRAPH, body, api=api, token=token)


def data(c, r, what):
    c.eq(r.status, 200, what)
    return r.json().get("data", []) if r.status == 200 else []


def arm_vaults(sim):
    subs = [s["subscriptionId"] for s in
            sim.arm("GET", "/subscriptions", api="2022-12-01").json()["value"]]
    ids = []
    for s in subs:
        r = sim.arm("GET", "/subscriptions/%s/providers/%s/vaults" % (s, KV))
        ids += [v["id"] for v in r.json()["value"]]
    return subs, sorted(ids, key=str.lower)


def subset(c, sim):
    subs, ids = arm_vaults(sim)
    r = query(sim, VAULTS)
    j = r.json()
    c.eq(r.status, 200, "vault query answers 200")
    c.eq(sorted((v["id"] for v in j["data"]), key=str.lower), ids,
         "the vaults Resource Graph finds are the vaults ARM lists")
    c.eq((j["totalRecords"], j["count"], j["resultTruncated"], j["facets"]),
         (len(ids), len(ids), "false", []), "totalRecords, count, facets")
    c.ok("$skipToken" not in j, "no $skipToken when all rows fit")
    row = next(v for v in j["data"] if v["name"] == "kv-contoso-app-prod")
    c.eq(sorted(row), sorted(["id", "name", "type", "tenantId", "kind",
                              "location", "resourceGroup", "subscriptionId",
                              "managedBy", "sku", "plan", "properties",
                              "tags", "identity", "zones",
                              "extendedLocation"]),
         "a row has Resource Graph's columns")
    c.eq((row["type"], row["kind"], row["managedBy"], row["sku"],
          row["identity"], row["tenantId"]),
         ("microsoft.keyvault/vaults", "", "", None, None, sim.tenant),
         "type lower case, kind/managedBy empty, sku/identity null")
    c.eq(row["resourceGroup"], row["id"].split("/")[4].lower(),
         "resourceGroup lower case")
    c.ok(row["properties"]["vaultUri"].startswith("https://kv-contoso-app"),
         "properties as ARM renders them")
    dev = sim.demo_sub("Contoso Development")
    got = data(c, query(sim, VAULTS + " and subscriptionId in ('%s')" % dev),
               "and + subscriptionId in")
    c.eq([v["name"] for v in got], ["kv-contoso-dev"],
         "subscriptionId in keeps that subscription's vaults")
    got = data(c, query(sim, VAULTS, subs=[dev]), "subscriptions scope")
    c.eq([v["name"] for v in got], ["kv-contoso-dev"],
         "the body's subscriptions scope the query")
    got = data(c, query(sim, "resources | where type in~ "
                        "('MICROSOFT.NETWORK/PRIVATEENDPOINTS', "
                        "'microsoft.network/privatednszones') "
                        "| project name, type"), "type in~")
    c.eq(sorted(v["type"] for v in got),
         ["microsoft.network/privatednszones",
          "microsoft.network/privateendpoints"], "in~ is case-insensitive")
    got = data(c, query(sim, "resources | where type == "
                        "'Microsoft.KeyVault/vaults'"), "== ")
    c.eq(got, [], "== is case-sensitive (types are lower case)")
    got = data(c, query(sim, VAULTS + " | where name =~ 'KV-CONTOSO-DEV' "
                        "| project id, name, properties.vaultUri, "
                        "env = tags.env"), "project")
    c.eq(sorted(got[0]) if got else None,
         ["env", "id", "name", "properties_vaultUri"],
         "project names properties.x properties_x and NAME = field NAME")
    got = data(c, query(sim, VAULTS + " | where resourceGroup =~ "
                        "'RG-APP-PROD' | project name"), "resourceGroup =~")
    c.eq(got, [{"name": "kv-contoso-app-prod"}], "resourceGroup =~")
    got = data(c, query(sim, VAULTS + " | where name contains 'prod' and "
                        "name != 'kv-contoso-ai-prod' | order by name asc "
                        "| project name"), "contains/and/!=/order")
    c.eq([v["name"] for v in got],
         ["kv-contoso-app-prod", "kv-contoso-core-prod"],
         "contains, and, != and order by asc")
    got = data(c, query(sim, VAULTS + " | order by name | take 2 "
                        "| project name"), "order by (desc) + take")
    c.eq([v["name"] for v in got], ["kv-contoso-dev", "kv-contoso-core-prod"],
         "order by sorts descending unless told; take 2")
    got = data(c, query(sim, VAULTS + " | count"), "count")
    c.eq(got, [{"Count": len(ids)}], "| count answers one row {Count: N}")
    got = data(c, query(sim, "resourcecontainers | where type =~ "
                        "'microsoft.resources/subscriptions' "
                        "| project subscriptionId, name"), "subscriptions")
    c.eq(sorted(v["subscriptionId"] for v in got), sorted(subs),
         "resourcecontainers: the token's tenant's subscriptions")
    c.ok(any(v["name"] == "Contoso Development" for v in got),
         "a subscription's name is its display name")
    rgs = sim.arm("GET", "/subscriptions/%s/resourcegroups" % dev,
                  api="2021-04-01").json()["value"]
    got = data(c, query(sim, "ResourceContainers | where type =~ "
                        "'microsoft.resources/subscriptions/resourcegroups' "
                        "and subscriptionId == '%s' | project id, "
                        "resourceGroup" % dev), "resource groups")
    c.eq(sorted(v["id"].lower() for v in got),
         sorted(g["id"].lower() for g in rgs),
         "resourcecontainers: the groups ARM lists")
    r = query(sim, VAULTS + " | project name, location | order by name asc",
              resultFormat="table")
    t = r.json().get("data", {})
    c.eq((t.get("columns"), t.get("rows", [])[:1]),
         ([{"name": "name", "type": "string"},
           {"name": "location", "type": "string"}],
          [["kv-contoso-ai-prod", "eastus2"]]), "resultFormat table")


def paging(c, sim):
    _, ids = arm_vaults(sim)
    seen, tok, pages = [], None, 0
    while pages < 20:
        opts = {"$top": 1}
        if tok:
            opts["$skipToken"] = tok
        r = query(sim, VAULTS + " | project id, name", **opts)
        if not c.eq(r.status, 200, "page %d" % pages):
            break
        j = r.json()
        pages += 1
        c.eq((j["totalRecords"], j["count"]), (len(ids), 1),
             "page %d: totalRecords and count" % pages)
        seen += [v["id"] for v in j["data"]]
        tok = j.get("$skipToken")
        if not tok:
            break
    c.eq(seen, ids, "$top 1 + $skipToken visit every vault once, by id")
    c.eq(pages, len(ids), "one page per vault")
    r = query(sim, VAULTS + " | project id", **{"$top": 2, "$skip": 1})
    c.eq([v["id"] for v in r.json()["data"]], ids[1:3], "$skip 1 $top 2")
    # whole rows: the properties are rendered for each page's rows, the
    # later pages (by $skip or $skipToken) served from the first's result
    whole = query(sim, VAULTS + " | order by id asc").json()["data"]
    by_skip = query(sim, VAULTS + " | order by id asc",
                    **{"$top": 2, "$skip": 1}).json()
    c.eq(by_skip["data"], whole[1:3],
         "$skip pages carry the same whole rows as one page")
    p1 = query(sim, VAULTS + " | order by id asc", **{"$top": 2}).json()
    p2 = query(sim, VAULTS + " | order by id asc",
               **{"$top": 2, "$skipToken": p1["$skipToken"]}).json()
    c.eq(p1["data"] + p2["data"], whole[:4],
         "$skipToken pages carry the same whole rows as one page")
    c.ok(all(v["properties"].get("vaultUri") for v in p2["data"]),
         "a later page's rows have their properties (vaultUri)")
    first = query(sim, VAULTS + " | project id", **{"$top": 1}).json()
    tok = first["$skipToken"]
    raw = json.loads(base64.b64decode(tok))
    raw["skip"] = 10 ** 12
    forged = base64.b64encode(json.dumps(raw).encode()).decode()
    for t, what in ((forged, "a forged offset"), ("bm90IGEgdG9rZW4=", "junk"),
                    ("%%%", "not base64")):
        r = query(sim, VAULTS + " | project id", **{"$skipToken": t})
        c.eq((r.status, r.json()["error"]["code"],
              r.json()["error"]["details"][0]["code"]),
             (400, "BadRequest", "InvalidSkipToken"), "%s is 400" % what)
    r = query(sim, VAULTS + " | project id, name", **{"$skipToken": tok})
    c.eq(r.status, 400, "a token of another query is 400")
    r = query(sim, VAULTS + " | project name", **{"$top": 1})
    j = r.json()
    c.eq((j["resultTruncated"], "$skipToken" in j, j["count"]),
         ("true", False, 1), "without id: resultTruncated, no token")


def refusals(c, sim):
    def bad(r, code, what):
        j = r.json() if r.body else {}
        e = j.get("error", {})
        c.eq((r.status, e.get("code")), (400, code), what)
        return e

    e = bad(query(sim, "resources | summarize count() by location"),
            "BadRequest", "summarize: 400 BadRequest")
    d = e.get("details", [])
    c.eq([x.get("code") for x in d], ["InvalidQuery", "UnsupportedQuery"],
         "details InvalidQuery, UnsupportedQuery")
    c.ok(len(d) == 2 and "'summarize'" in d[1]["message"],
         "the message names what is not supported")
    e = bad(query(sim, VAULTS + " or name =~ 'x'"), "BadRequest", "or: 400")
    c.ok("'or'" in json.dumps(e), "'or' named")
    e = bad(query(sim, "resources | where name =~"), "BadRequest",
            "syntax error: 400")
    c.eq(e.get("details", [{}, {}])[1].get("code"), "ParserFailure",
         "syntax error: ParserFailure")
    e = bad(query(sim, "securityresources"), "BadRequest", "other table")
    c.ok("securityresources" in json.dumps(e), "the table is named")
    r = query(sim, VAULTS, api="2019-01-01")
    c.eq((r.status, r.json()["error"]["code"]),
         (400, "NoRegisteredProviderFound"), "unknown api-version")
    r = sim.arm("POST", GRAPH, {"query": VAULTS, "managementGroups": ["mg"]},
                api=API)
    c.eq(r.status, 400, "management groups refused")
    r = query(sim, VAULTS, **{"$top": 1001})
    c.eq(r.status, 400, "$top 1001 refused")
    r = sim.arm("POST", GRAPH, {"subscriptions": []}, api=API)
    c.eq(r.status, 400, "no query refused")


def quota(c):
    sim = simlib.Sim(["--graph-quota", "3", "--graph-window-ms", "2000"])
    try:
        left = []
        for _ in range(3):
            r = query(sim, VAULTS + " | count")
            c.eq(r.status, 200, "within the quota")
            left.append(r.header("x-ms-user-quota-remaining"))
            reset = r.header("x-ms-user-quota-resets-after")
        c.eq(left, ["2", "1", "0"], "x-ms-user-quota-remaining counts down")
        c.ok(reset in ("00:00:01", "00:00:02"),
             "x-ms-user-quota-resets-after as hh:mm:ss (%s)" % reset)
        r = query(sim, VAULTS + " | count")
        j = r.json()
        c.eq((r.status, j["error"]["code"], j["error"]["details"][0]["code"]),
             (429, "RateLimiting", "RateLimiting"), "spent: 429 RateLimiting")
        c.eq(r.header("x-ms-user-quota-remaining"), "0",
             "429 carries remaining 0")
        ra = r.header("Retry-After")
        c.ok(ra in ("1", "2"), "429 carries Retry-After (%s)" % ra)
        wait = r.header("x-ms-user-quota-resets-after")
        h, m, s = (int(x) for x in wait.split(":"))
        time.sleep(h * 3600 + m * 60 + s + 0.1)
        r = query(sim, VAULTS + " | count")
        c.eq((r.status, r.header("x-ms-user-quota-remaining")), (200, "2"),
             "after the reset the quota is back")
    finally:
        sim.cleanup()


def lag(c, sim):
    dev = sim.demo_sub("Contoso Development")
    vp = ("/subscriptions/%s/resourceGroups/rg-app-dev/providers/%s/vaults/"
          "kv-graph-lag" % (dev, KV))
    q = VAULTS + " | where name =~ 'kv-graph-lag' | project id"
    r = sim.control("POST", "/config", {"graph_lag_ms": 1500})
    c.eq(r.status, 200, "graph_lag_ms set through /_sim/config")
    body = {"location": "westus", "properties": {
        "tenantId": sim.tenant, "sku": {"family": "A", "name": "standard"},
        "accessPolicies": []}}
    r = sim.arm("PUT", vp, body)
    c.eq(r.status, 200, "vault created")
    c.eq(data(c, query(sim, q), "query at once"), [],
         "a vault just created is not in the index yet")
    time.sleep(1.7)
    c.eq(len(data(c, query(sim, q), "query after the lag")), 1,
         "after the lag it is")
    r = sim.arm("DELETE", vp)
    c.eq(r.status, 200, "vault deleted")
    c.eq(len(data(c, query(sim, q), "query at once")), 1,
         "a vault just deleted is still in the index")
    time.sleep(1.7)
    c.eq(data(c, query(sim, q), "query after the lag"), [],
         "after the lag it is gone")
    sim.control("POST", "/config", {"graph_lag_ms": 0})


def forbidden(c, sim):
    sim.control("POST", "/config", {"graph_forbidden": True})
    r = query(sim, VAULTS)
    e = r.json().get("error", {})
    c.eq((r.status, e.get("code")), (403, "AuthorizationFailed"),
         "graph_forbidden: 403 AuthorizationFailed")
    c.ok("'Microsoft.ResourceGraph/resources/read'" in e.get("message", ""),
         "the message names the action")
    c.ok(r.header("x-ms-user-quota-remaining") is not None,
         "quota headers on the refusal too")
    sim.control("POST", "/config", {"graph_forbidden": False})
    c.eq(query(sim, VAULTS).status, 200, "switched off again")
    other = simlib.Sim(["--graph-forbidden"], seed="empty")
    try:
        c.eq(query(other, "resources").status, 403, "--graph-forbidden")
        c.eq(other.control("GET", "").json().get("graph_forbidden"), True,
             "GET /_sim shows graph_forbidden")
    finally:
        other.cleanup()


def rbac(c, sim):
    dev = sim.demo_sub("Contoso Development")
    sp = sim.conn["client_object_id"]
    scope = "/subscriptions/%s" % dev
    r = sim.arm("GET", "%s%s/roleAssignments?$filter=%s" %
                (scope, AZ, "principalId%20eq%20'" + sp + "'"),
                api="2022-04-01")
    owner = [a for a in r.json()["value"]
             if a["properties"]["roleDefinitionId"].endswith(OWNER) and
             a["properties"]["scope"].lower() == scope.lower()]
    c.eq(len(owner), 1, "the service principal is Owner of the subscription")
    before = data(c, query(sim, "resources | where subscriptionId == '%s' "
                           "| project id, type" % dev), "dev resources")
    types = sorted(set(v["type"] for v in before))
    c.ok("microsoft.keyvault/vaults" in types and len(types) > 1,
         "the development subscription holds vaults and more (%s)" % types)
    vault = next(v["id"] for v in before
                 if v["type"] == "microsoft.keyvault/vaults")
    body = {"properties": {
        "roleDefinitionId": "%s%s/roleDefinitions/%s" % (scope, AZ, READER),
        "principalId": sp, "principalType": "ServicePrincipal"}}
    r = sim.arm("PUT", "%s%s/roleAssignments/%s" % (vault, AZ, uuid.uuid4()),
                body, api="2022-04-01")
    c.eq(r.status, 201, "Reader on one vault")
    for a in owner:
        r = sim.arm("DELETE", a["id"], api="2022-04-01")
        c.eq(r.status, 200, "Owner assignment on the subscription deleted")
    got = data(c, query(sim, "resources | where subscriptionId == '%s' "
                        "| project id, type" % dev), "after the deletion")
    c.eq(got, [{"id": vault, "type": "microsoft.keyvault/vaults"}],
         "without a role on the subscription only the vault it may read")
    got = data(c, query(sim, "resourcecontainers | project subscriptionId"),
               "containers after the deletion")
    c.ok(dev not in [v["subscriptionId"] for v in got] and len(got) > 0,
         "nor the subscription and its groups, but the others")


def scale(c):
    sim = simlib.Sim(["--page-size", "100"],
                     seed="scale:subs=150,groups=1,vaults=1,secrets=15,"
                          "versions=1,bigvault=0")
    try:
        items, pages = simlib.follow(
            sim, sim.url("/subscriptions?api-version=2022-12-01"),
            token=sim.token())
        c.eq((len(items), pages), (150, 2),
             "150 subscriptions list in two pages (nextLink)")
        r = query(sim, VAULTS + " | count")
        c.eq(r.json().get("data"), [{"Count": 150}],
             "Resource Graph counts all 150 vaults")
        now = time.time()
        exp_future = exp_past = rot = 0
        for k in range(15):
            r = sim.dp("GET", "kvs00v000", "/secrets/secret-%05d" % k)
            j = r.json()
            exp = j["attributes"].get("exp")
            if exp and now < exp <= now + 91 * 86400:
                exp_future += 1
            elif exp and exp < now:
                exp_past += 1
            if (j.get("tags") or {}).get("rotation-days") and not exp:
                rot += 1
        c.ok(exp_future >= 2 and exp_past >= 1 and rot >= 2,
             "scale secrets: %d expire within 90 days, %d expired, %d with "
             "rotation-days" % (exp_future, exp_past, rot))
    finally:
        sim.cleanup()


def run(c):
    sim = simlib.Sim(["--dns-delay", "0", "--lro-delay", "0",
                      "--rbac-delay", "0", "--graph-quota", "1000"])
    try:
        subset(c, sim)
        paging(c, sim)
        refusals(c, sim)
        lag(c, sim)
        forbidden(c, sim)
        rbac(c, sim)
    finally:
        sim.cleanup()
    quota(c)
    scale(c)


simlib.main(run)
