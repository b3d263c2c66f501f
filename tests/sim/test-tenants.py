"""A second tenant of the account (Fabrikam): GET /tenants lists both
with displayName and defaultDomain; the service principal signs in to
either (/TENANT/..., by domain, and the /adfs/TENANT alias) and a token's
tid says which; ARM's GET /subscriptions only lists the token's tenant's
subscriptions (the home tenant's counts stay as they were), another
tenant's subscription is a 401 InvalidAuthenticationTokenTenant; the
data plane of Fabrikam's vault wants a Fabrikam token (the challenge
names its tenant); a refresh token from the home tenant redeems at the
second one; an unknown tenant is refused."""
import base64
import json
import urllib.parse

import simlib

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def tid(tok):
    p = tok.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))["tid"]


def token(sim, tenant, scope=simlib.ARM_SCOPE, prefix=""):
    form = urllib.parse.urlencode({
        "grant_type": "client_credentials",
        "client_id": sim.conn["client_id"],
        "client_secret": sim.conn["client_secret"],
        "scope": scope})
    return sim.request("POST", sim.url("%s/%s/oauth2/v2.0/token" %
                                       (prefix, tenant)),
                       body=form, headers=FORM)


def run(c):
    sim = simlib.Sim()
    try:
        check(c, sim)
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


def check(c, sim):
    home, t2 = sim.tenant, sim.conn["tenant2"]
    c.ok(t2 and t2 != home, "the connection file names a second tenant")
    c.eq(sim.conn["domain2"], "fabrikam.onmicrosoft.com", "its domain")

    r = sim.arm("GET", "/tenants", api="2022-12-01")
    c.eq(r.status, 200, "GET /tenants")
    ts = {t["tenantId"]: t for t in r.json()["value"]}
    c.eq(sorted(ts), sorted([home, t2]), "both tenants listed")
    c.eq(ts[home]["displayName"], "Contoso (kvdeck-sim)", "home name")
    c.eq(ts[t2]["displayName"], "Fabrikam (kvdeck-sim)", "second name")
    c.eq(ts[t2]["defaultDomain"], "fabrikam.onmicrosoft.com", "domain")
    c.eq(ts[t2]["id"], "/tenants/" + t2, "id is /tenants/ID")
    c.eq(ts[t2]["tenantCategory"], "Home", "tenantCategory")

    # the home tenant: unchanged
    r = sim.arm("GET", "/subscriptions", api="2022-12-01")
    names = sorted(s["displayName"] for s in r.json()["value"])
    c.eq(names, ["Contoso Development", "Contoso Production"],
         "home token: the two Contoso subscriptions only")

    # the second tenant, by id, by domain and through /adfs/TENANT
    for how, ten, pfx in (("id", t2, ""), ("domain", sim.conn["domain2"], ""),
                          ("adfs alias", t2, "/adfs")):
        r = token(sim, ten, prefix=pfx)
        c.eq(r.status, 200, "token for the second tenant by %s" % how)
        if r.status == 200:
            c.eq(tid(r.json()["access_token"]), t2, "its tid (%s)" % how)
    fab = token(sim, t2).json()["access_token"]
    r = sim.arm("GET", "/subscriptions", api="2022-12-01", token=fab)
    c.eq(r.status, 200, "Fabrikam token lists subscriptions")
    subs = r.json()["value"]
    c.eq([s["displayName"] for s in subs], ["Fabrikam Sandbox"],
         "Fabrikam token: its subscription only")
    c.eq(subs[0]["tenantId"], t2, "the subscription's tenantId")
    fsub = subs[0]["subscriptionId"]
    r = sim.arm("GET", "/subscriptions/%s/providers/Microsoft.KeyVault/vaults"
                % fsub, token=fab)
    c.eq([v["name"] for v in r.json()["value"]], ["kv-fabrikam-sandbox"],
         "Fabrikam's vault")
    c.eq(r.json()["value"][0]["properties"]["tenantId"], t2,
         "the vault's tenantId")
    r = sim.arm("GET", "/subscriptions/%s" % fsub, api="2022-12-01")
    c.eq(r.status, 401, "a home token on Fabrikam's subscription")
    c.eq(r.json()["error"]["code"], "InvalidAuthenticationTokenTenant",
         "InvalidAuthenticationTokenTenant")
    dev = sim.demo_sub("Contoso Development")
    r = sim.arm("GET", "/subscriptions/%s/resourcegroups" % dev,
                api="2022-09-01", token=fab)
    c.eq(r.status, 401, "a Fabrikam token on a Contoso subscription")

    # the data plane: the vault's tenant
    vscope = "https://vault.localhost:%d/.default" % sim.port
    r = sim.dp("GET", "kv-fabrikam-sandbox", "/secrets")
    c.eq(r.status, 401, "a home token on Fabrikam's vault")
    c.ok(t2 in (r.header("WWW-Authenticate") or ""),
         "the challenge names Fabrikam's tenant")
    fv = token(sim, t2, vscope).json()["access_token"]
    r = sim.dp("GET", "kv-fabrikam-sandbox", "/secrets", token=fv)
    c.eq(r.status, 200, "a Fabrikam vault token")
    c.eq(sorted(s["id"].rsplit("/", 1)[1] for s in r.json()["value"]),
         ["partner-api-key", "sandbox-db-password"], "its secrets")
    r = sim.dp("GET", "kv-contoso-dev", "/secrets", token=fv)
    c.eq(r.status, 401, "a Fabrikam token on a Contoso vault")
    r = sim.dp("GET", "kv-contoso-dev", "/secrets")
    c.eq(r.status, 200, "a home token on a Contoso vault")

    # unknown tenant
    r = token(sim, "nope.onmicrosoft.com")
    c.eq(r.status, 400, "an unknown tenant is refused")
    c.ok("90002" in r.body.decode() if isinstance(r.body, bytes)
         else "90002" in r.body, "AADSTS90002")


if __name__ == "__main__":
    simlib.main(run)
