"""Seeds: the demo tenant's content (subscriptions, groups, vaults,
versioned secrets including the AI endpoint key with content type and
expiry, a VNet with subnets, a vault behind an approved private endpoint
with public access disabled, a soft-deleted vault and secret), and the
scale seed: 2,000 vaults over 20 subscriptions and a vault of 25,000
secrets, all listable page by page with pages that stay fast from the
first to the last; small scale seeds are deterministic."""
import time

import simlib

KV = "Microsoft.KeyVault"


def run(c):
    demo(c)
    determinism(c)
    scale(c)


def demo(c):
    sim = simlib.Sim(seed="demo")
    try:
        r = sim.arm("GET", "/subscriptions", api="2022-12-01")
        c.eq(len(r.json()["value"]), 2, "demo: two subscriptions")
        prod = sim.demo_sub("Contoso Production")
        dev = sim.demo_sub("Contoso Development")
        r = sim.arm("GET", "/subscriptions/%s/resources?$filter=resourceType"
                    "%%20eq%%20'Microsoft.KeyVault%%2Fvaults'" % prod,
                    api="2015-11-01")
        c.eq(sorted(v["name"] for v in r.json()["value"]),
             ["kv-contoso-ai-prod", "kv-contoso-app-prod",
              "kv-contoso-core-prod"], "demo: production vaults")
        r = sim.dp("GET", "kv-contoso-ai-prod", "/secrets/openai-api-key/")
        j = r.json()
        c.eq(j["contentType"], "text/plain; api-key", "AI key content type")
        c.ok(j["attributes"]["exp"] > time.time(), "AI key has an expiry")
        r = sim.dp("GET", "kv-contoso-ai-prod",
                   "/secrets/openai-api-key/versions")
        c.eq(len(r.json()["value"]), 3, "AI key has three versions")
        r = sim.dp("GET", "kv-contoso-app-prod", "/secrets")
        c.ok(len(r.json()["value"]) >= 5, "app vault has secrets")
        vnet = "/subscriptions/%s/resourceGroups/rg-network-prod/providers/" \
               "Microsoft.Network/virtualNetworks/vnet-hub-prod" % prod
        r = sim.arm("GET", vnet, api="2024-05-01")
        c.eq(len(r.json()["properties"]["subnets"]), 3, "hub VNet subnets")
        core = "/subscriptions/%s/resourceGroups/rg-network-prod/providers/" \
               "%s/vaults/kv-contoso-core-prod" % (prod, KV)
        p = sim.arm("GET", core).json()["properties"]
        c.eq(p["publicNetworkAccess"], "Disabled", "core vault is private")
        c.eq(p["privateEndpointConnections"][0]["properties"]
             ["privateLinkServiceConnectionState"]["status"], "Approved",
             "core vault's endpoint is approved")
        r = sim.dp("GET", "kv-contoso-core-prod", "/secrets")
        c.eq(r.status, 403, "core vault refuses the public path")
        r = sim.request("GET", sim.vault_url("kv-contoso-core-prod",
                                             "/secrets?api-version=7.4"),
                        token=sim.vault_token(), source="127.0.0.2")
        c.eq(r.status, 200, "core vault answers the private path")
        r = sim.arm("GET", "/subscriptions/%s/providers/%s/deletedVaults"
                    % (dev, KV))
        c.eq([v["name"] for v in r.json()["value"]], ["kv-contoso-old"],
             "a soft-deleted vault")
        r = sim.dp("GET", "kv-contoso-dev", "/deletedsecrets")
        c.eq([x["id"].rsplit("/", 1)[1] for x in r.json()["value"]],
             ["old-ftp-password"], "a deleted secret")
        zone = "/subscriptions/%s/resourceGroups/rg-network-prod/providers/" \
               "Microsoft.Network/privateDnsZones/" \
               "privatelink.vaultcore.azure.net/A/kv-contoso-core-prod" % prod
        r = sim.arm("GET", zone, api="2020-06-01")
        c.eq(r.status, 200, "private DNS A record for the core vault")
    finally:
        c.eq(sim.stop(check=False), 0, "demo: clean exit")
        sim.cleanup()


def listing(sim):
    out = []
    for s in sim.conn["subscriptions"]:
        items, _ = simlib.follow(sim, sim.url(
            "/subscriptions/%s/providers/%s/vaults?api-version=2023-07-01"
            % (s, KV)), sim.token())
        for v in items:
            sec, _ = simlib.follow(sim, sim.vault_url(
                v["name"], "/secrets?api-version=7.4"), sim.vault_token())
            for x in sec:
                ver, _ = simlib.follow(sim, x["id"] + "/versions?api-version"
                                       "=7.4", sim.vault_token())
                out += sorted(y["id"].split(":%d" % sim.port)[1]
                              for y in ver)
    return sorted(out)


def determinism(c):
    spec = "scale:subs=2,groups=2,vaults=3,secrets=2,versions=2,bigvault=0"
    a = simlib.Sim(seed=spec)
    b = simlib.Sim(seed=spec)
    try:
        la, lb = listing(a), listing(b)
        c.eq(len(la), 2 * 3 * 2 * 2, "small scale seed size")
        c.eq(la, lb, "scale seed is deterministic")
        c.eq(a.conn["subscriptions"], b.conn["subscriptions"],
             "same subscriptions")
    finally:
        a.cleanup()
        b.cleanup()


def scale(c):
    t = time.time()
    sim = simlib.Sim(seed="scale")
    c.ok(time.time() - t < 60, "scale seed loads (%.1f s)" % (time.time() - t))
    try:
        c.eq(len(sim.conn["subscriptions"]), 20, "20 subscriptions")
        total = 0
        for s in sim.conn["subscriptions"]:
            items, pages = simlib.follow(sim, sim.url(
                "/subscriptions/%s/providers/%s/vaults?api-version=2023-07-01"
                "&$top=40" % (s, KV)), sim.token())
            total += len(items)
        c.eq(total, 2000, "2,000 vaults listable")
        big = "kvs00v000"
        url = sim.vault_url(big, "/secrets?api-version=7.4")
        n, pages, times = 0, 0, []
        tok = sim.vault_token()
        names = set()
        while url:
            t0 = time.time()
            r = sim.request("GET", url, token=tok)
            times.append(time.time() - t0)
            j = r.json()
            n += len(j["value"])
            names.update(x["id"] for x in j["value"])
            pages += 1
            url = j["nextLink"]
        c.eq((n, len(names)), (25000, 25000), "25,000 secrets listable")
        c.eq(pages, 1000, "in 1,000 pages of 25")
        first = sorted(times[:50])[25]
        last = sorted(times[-50:])[25]
        c.ok(last < 4 * first + 0.02,
             "last pages as fast as the first (median %.1f ms vs %.1f ms)"
             % (last * 1000, first * 1000))
        r = sim.dp("GET", big, "/secrets/secret-24999/versions")
        c.eq(len(r.json()["value"]), 1, "the last secret reads")
    finally:
        c.eq(sim.stop(check=False), 0, "scale: clean exit")
        sim.cleanup()


simlib.main(run)
