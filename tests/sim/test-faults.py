"""Fault injection: fixed latency and jitter, 429 with Retry-After every
Nth request and with a probability (the same pattern for the same seed),
500 and 503, a connection dropped mid-response, a slow body, malformed
JSON, scoping by path prefix / area / method, count limits, and setting
faults by flag, by KVSIM_FAULTS and through the control endpoint; the
late kinds corrupt-value (a secret GET answers a well-formed bundle with
one character of the value changed) and drop-after-commit (a successful
write is kept but its answer never sent), counted only where they act;
lro-fail (an ARM PUT accepted whose operation then ends Failed: a vault's
provisioningState Failed, its name never resolving, a second PUT
provisioning it; a Network and a Private DNS operation's status Failed
with the error); and the request counters by method (writes) of
/_sim/requests."""
import http.client
import json
import socket
import ssl
import time

import simlib


def subs(sim):
    return sim.arm("GET", "/subscriptions", api="2022-12-01")


def pattern(sim, n):
    return [subs(sim).status for _ in range(n)]


V = "kv-contoso-dev"
DROPPED = (http.client.IncompleteRead, ConnectionError, ssl.SSLError,
           http.client.HTTPException, socket.error)


def no_answer(fn):
    """True when fn's request got no answer (the connection closed)."""
    try:
        fn()
    except DROPPED:
        return True
    return False


def rule(sim, kind):
    for r in sim.control("GET", "/faults").json()["faults"]:
        if r["kind"] == kind:
            return r
    return {}


def corrupt_value(c, sim):
    sim.dp("PUT", V, "/secrets/cv", {"value": "hello-world"})
    sim.control("PUT", "/faults", {"faults": ["corrupt-value,count=1"]})
    # Neither a write, a list, ARM nor a 404 uses the rule up.
    sim.dp("PUT", V, "/secrets/cv2", {"value": "other"})
    sim.dp("GET", V, "/secrets")
    sim.dp("GET", V, "/secrets/missing")
    subs(sim)
    c.eq(rule(sim, "corrupt-value").get("fired"), 0,
         "corrupt-value waits for a secret GET")
    r = sim.dp("GET", V, "/secrets/cv")
    j = r.json()
    got = j.get("value", "")
    c.eq(r.status, 200, "corrupt-value: still 200")
    c.ok(got != "hello-world" and len(got) == len("hello-world") and
         sum(a != b for a, b in zip(got, "hello-world")) == 1,
         "corrupt-value: one character differs (%r)" % got)
    c.ok(j["id"].split("/secrets/")[1].startswith("cv/") and
         j["attributes"]["enabled"] is True, "corrupt-value: a whole bundle")
    c.eq(sim.dp("GET", V, "/secrets/cv").json()["value"], "hello-world",
         "count=1: the next GET is right, the stored value untouched")
    sim.control("PUT", "/faults", {"faults": [
        {"kind": "corrupt-value", "every": 2, "path": "/secrets/cv"}]})
    got = [sim.dp("GET", V, "/secrets/cv").json()["value"] == "hello-world"
           for _ in range(4)]
    c.eq(got, [True, False, True, False], "corrupt-value every=2")
    c.eq(sim.dp("GET", V, "/secrets/cv2").json()["value"], "other",
         "path scope")
    # A rule added later (POST) leaves the earlier rules' counts alone: a
    # spent count=1 rule stays spent.
    sim.control("PUT", "/faults", {"faults": ["corrupt-value,count=1"]})
    sim.dp("GET", V, "/secrets/cv")
    sim.control("POST", "/faults", {"faults": ["error,status=503,path=/x"]})
    c.eq(sim.dp("GET", V, "/secrets/cv").json()["value"], "hello-world",
         "adding a rule does not re-arm a spent one")
    c.eq(rule(sim, "corrupt-value").get("fired"), 1,
         "and keeps its count")
    sim.control("DELETE", "/faults")


def drop_after_commit(c, sim):
    sim.control("PUT", "/faults", {"faults": [
        "drop-after-commit,method=PUT,path=/secrets/,count=1"]})
    c.eq(sim.dp("GET", V, "/secrets/dac").status, 404, "reads are not hit")
    c.eq(sim.dp("PUT", V, "/secrets/dac", "not json").status, 400,
         "a refused write is answered and does not use the rule up")
    c.ok(no_answer(lambda: sim.dp("PUT", V, "/secrets/dac",
                                  {"value": "v1"})),
         "drop-after-commit: the first good PUT gets no answer")
    r = sim.dp("GET", V, "/secrets/dac")
    c.eq((r.status, r.json().get("value")), (200, "v1"),
         "drop-after-commit: the write was kept")
    c.eq(len(sim.dp("GET", V, "/secrets/dac/versions").json()["value"]), 1,
         "exactly one version")
    c.eq(sim.dp("PUT", V, "/secrets/dac", {"value": "v2"}).status, 200,
         "count=1: the next PUT is answered")
    c.eq((rule(sim, "drop-after-commit").get("fired")), 1, "fired once")
    sim.control("PUT", "/faults", {"faults": [
        {"kind": "drop-after-commit", "area": "arm", "method": "PUT",
         "count": 1}]})
    path = "/subscriptions/%s/resourcegroups/rg-dropped" % sim.subscription()
    c.ok(no_answer(lambda: sim.arm("PUT", path, {"location": "eastus"},
                                 api="2021-04-01")),
         "drop-after-commit on an ARM PUT")
    c.eq(sim.arm("GET", path, api="2021-04-01").status, 200,
         "the resource group exists")
    sim.control("DELETE", "/faults")


def settle(sim, url, busy="InProgress"):
    """The operation status at url once it is no longer busy."""
    for _ in range(50):
        r = sim.request("GET", url, token=sim.token())
        if r.json().get("status") != busy:
            return r
        time.sleep(0.1)
    return r


def lro_fail_vault(c, sim):
    sub = sim.demo_sub("Contoso Production")
    vp = ("/subscriptions/%s/resourceGroups/rg-ai-prod/providers/"
          "Microsoft.KeyVault/vaults/kv-lro-fail" % sub)
    body = {"location": "eastus2", "properties": {
        "tenantId": sim.tenant, "sku": {"family": "A", "name": "standard"},
        "accessPolicies": []}}
    sim.control("PUT", "/faults", {"faults": ["lro-fail,path=%s,count=1"
                                              % vp]})
    c.eq(sim.arm("GET", vp).status, 404, "lro-fail: a GET is not hit")
    c.eq(sim.arm("PUT", vp, {"location": "eastus2"}).status, 400,
         "a refused PUT is answered and does not use the rule up")
    c.eq(rule(sim, "lro-fail").get("fired"), 0, "not fired yet")
    r = sim.arm("PUT", vp, body)
    c.eq((r.status, r.json()["properties"]["provisioningState"]),
         (200, "RegisteringDns"), "lro-fail: the vault PUT is accepted")
    c.eq(rule(sim, "lro-fail").get("fired"), 1, "fired on the PUT")
    time.sleep(0.5)
    r = sim.arm("GET", vp)
    c.eq((r.status, r.json()["properties"]["provisioningState"]),
         (200, "Failed"), "then the vault stays, provisioningState Failed")
    c.ok("_failed" not in r.body.decode(), "no private mark shown")
    c.ok(no_answer(lambda: sim.dp("GET", "kv-lro-fail", "/secrets")),
         "the failed vault's name does not resolve")
    r = sim.arm("PUT", vp, body)
    c.eq((r.status, r.json()["properties"]["provisioningState"]),
         (200, "RegisteringDns"), "a second PUT provisions it again")
    time.sleep(0.5)
    c.eq(sim.arm("GET", vp).json()["properties"]["provisioningState"],
         "Succeeded", "and it ends Succeeded (count=1)")
    c.ok(sim.dp("GET", "kv-lro-fail", "/secrets").status in (200, 403),
         "its data plane answers")


def lro_fail_network(c, sim):
    sub = sim.demo_sub("Contoso Production")
    rg = "/subscriptions/%s/resourceGroups/rg-ai-prod" % sub
    vnet = rg + "/providers/Microsoft.Network/virtualNetworks/vnet-lrofail"
    zone = rg + "/providers/Microsoft.Network/privateDnsZones/lrofail.example"
    vbody = {"location": "eastus2", "properties": {
        "addressSpace": {"addressPrefixes": ["10.77.0.0/16"]}}}
    sim.control("PUT", "/faults", {"faults": [
        {"kind": "lro-fail", "path": vnet, "count": 1,
         "code": "NetworkProvisioningFailed"},
        "lro-fail,path=%s,count=1" % zone]})
    c.eq(rule(sim, "lro-fail").get("code"), "NetworkProvisioningFailed",
         "the control endpoint lists the rule's code")
    r = sim.arm("PUT", vnet, vbody, api="2024-05-01")
    c.eq((r.status, r.json()["properties"]["provisioningState"]),
         (201, "Updating"), "lro-fail: the vnet PUT is accepted (201)")
    r = settle(sim, r.header("Azure-AsyncOperation"))
    j = r.json()
    c.eq((r.status, j["status"], j.get("error", {}).get("code")),
         (200, "Failed", "NetworkProvisioningFailed"),
         "Network operation: status Failed with the error's code")
    c.ok(j["error"].get("message"), "and a message")
    c.eq(sim.arm("GET", vnet, api="2024-05-01").json()["properties"]
         ["provisioningState"], "Failed", "the vnet reads Failed")
    r = sim.arm("PUT", vnet, vbody, api="2024-05-01")
    r = settle(sim, r.header("Azure-AsyncOperation"))
    c.eq(r.json(), {"status": "Succeeded"}, "a second PUT succeeds")
    c.eq(sim.arm("GET", vnet, api="2024-05-01").json()["properties"]
         ["provisioningState"], "Succeeded", "the vnet reads Succeeded")

    r = sim.arm("PUT", zone, {"location": "global"}, api="2020-06-01")
    c.eq(r.status, 202, "lro-fail: the zone PUT is accepted (202)")
    loc = r.header("Location")
    r = settle(sim, r.header("Azure-AsyncOperation"))
    j = r.json()
    c.eq((r.status, j["status"], j.get("error", {}).get("code")),
         (200, "Failed", "InternalServerError"),
         "Private DNS operation: Failed, default code InternalServerError")
    r = sim.request("GET", loc, token=sim.token())
    c.eq((r.status, r.json()["error"]["code"]), (400, "InternalServerError"),
         "its Location URL answers the error")
    c.eq(sim.arm("GET", zone, api="2020-06-01").json()["properties"]
         ["provisioningState"], "Failed", "the zone reads Failed")
    sim.control("DELETE", "/faults")


def counters(c, sim):
    sim.control("DELETE", "/requests")
    j = sim.control("GET", "/requests").json()
    c.eq((j["writes"], j["by_method"]["PUT"], j["total"]), (0, 0, 0),
         "counters reset by DELETE")
    sim.token(fresh=True)
    sim.dp("GET", V, "/secrets")
    subs(sim)
    j = sim.control("GET", "/requests").json()
    c.eq(j["writes"], 0, "no write sent: writes 0 (token POSTs are not "
         "writes)")
    c.eq(j["by_area"]["login"]["POST"], 1, "the token POST under login")
    sim.dp("PUT", V, "/secrets/cnt", {"value": "x"})
    sim.dp("PATCH", V, "/secrets/cnt/", {"tags": {"a": "b"}})
    sim.dp("POST", V, "/secrets/cnt/backup")
    sim.dp("DELETE", V, "/secrets/cnt")
    sim.arm("PUT", "/subscriptions/%s/resourcegroups/rg-cnt"
            % sim.subscription(), {"location": "eastus"}, api="2021-04-01")
    j = sim.control("GET", "/requests").json()
    c.eq(j["writes"], 5, "writes counts PUT, PATCH, POST and DELETE")
    c.eq({k: j["by_method"][k] for k in ("GET", "PUT", "PATCH", "POST",
                                         "DELETE")},
         {"GET": 2, "PUT": 2, "PATCH": 1, "POST": 1, "DELETE": 1},
         "by_method (ARM and data plane)")
    c.eq((j["by_area"]["vault"]["writes"], j["by_area"]["arm"]["writes"]),
         (4, 1), "by_area writes")
    c.eq(j["total"], 8, "total keeps counting everything but control")


def run(c):
    sim = simlib.Sim(["--fault", "throttle,every=3,retry-after=7,"
                                 "path=/subscriptions"])
    try:
        sim.token()
        got = pattern(sim, 6)
        c.eq(got, [200, 200, 429, 200, 200, 429], "flag: every third is 429")
        r = subs(sim)
        r = subs(sim)
        r = subs(sim)
        c.eq((r.status, r.header("Retry-After"), r.json()["error"]["code"]),
             (429, "7", "TooManyRequests"), "ARM 429 shape and Retry-After")
        r = sim.dp("GET", "kv-contoso-dev", "/secrets")
        c.eq(r.status, 200, "path scope leaves the data plane alone")
        st = sim.control("GET", "/faults").json()["faults"][0]
        c.eq((st["matched"], st["fired"]), (9, 3), "control reports counters")
        sim.control("DELETE", "/faults")
        c.eq(pattern(sim, 3), [200, 200, 200], "DELETE clears faults")

        sim.control("POST", "/faults", {"faults": [
            {"kind": "throttle", "area": "vault", "every": 1, "count": 2}]})
        r = sim.dp("GET", "kv-contoso-dev", "/secrets")
        c.eq((r.status, r.json()["error"]["code"]), (429, "Throttled"),
             "data-plane 429 shape")
        r = sim.dp("GET", "kv-contoso-dev", "/secrets")
        r = sim.dp("GET", "kv-contoso-dev", "/secrets")
        c.eq(r.status, 200, "count=2 stops after two")

        sim.control("PUT", "/faults", {"seed": 42, "faults": [
            "throttle,p=0.5,path=/subscriptions"]})
        a = pattern(sim, 16)
        sim.control("PUT", "/faults", {"seed": 42, "faults": [
            "throttle,p=0.5,path=/subscriptions"]})
        b = pattern(sim, 16)
        c.eq(a, b, "same seed, same pattern")
        c.ok(200 in a and 429 in a, "probability gives both outcomes")
        sim.control("PUT", "/faults", {"seed": 43, "faults": [
            "throttle,p=0.5,path=/subscriptions"]})
        c.ok(pattern(sim, 16) != a, "another seed, another pattern")

        sim.control("PUT", "/faults", {"faults": ["error,status=503,every=1,"
                                                  "method=GET,area=arm"]})
        r = subs(sim)
        c.eq((r.status, r.json()["error"]["code"], r.header("Retry-After")),
             (503, "ServiceUnavailable", "1"), "503 with Retry-After")
        sim.control("PUT", "/faults", {"faults": ["500,every=1,area=arm"]})
        c.eq(subs(sim).status, 500, "500")

        sim.control("PUT", "/faults", {"faults": ["latency,ms=300,jitter=100,"
                                                  "area=arm"]})
        t = time.time()
        subs(sim)
        dt = time.time() - t
        c.ok(0.3 <= dt < 1.5, "latency 300..400 ms (%.2f s)" % dt)

        sim.control("PUT", "/faults", {"faults": ["malformed,area=arm"]})
        r = subs(sim)
        try:
            json.loads(r.body)
            bad = False
        except ValueError:
            bad = True
        c.ok(r.status == 200 and bad, "malformed JSON body with a 200")

        sim.control("PUT", "/faults", {"faults": ["slow,bps=400,area=arm"]})
        t = time.time()
        r = subs(sim)
        dt = time.time() - t
        c.ok(len(r.body) / 400.0 * 0.7 <= dt, "slow body (%d bytes, %.2f s)"
             % (len(r.body), dt))
        c.eq(r.status, 200, "slow body is complete")

        sim.control("PUT", "/faults", {"faults": ["drop,area=arm"]})
        try:
            subs(sim)
            dropped = False
        except (http.client.IncompleteRead, ConnectionError, ssl.SSLError,
                http.client.HTTPException, socket.error):
            dropped = True
        c.ok(dropped, "connection dropped mid-response")
        sim.control("DELETE", "/faults")
        c.eq(subs(sim).status, 200, "normal again")
        r = sim.control("POST", "/faults", {"faults": ["nonsense"]})
        c.eq(r.status, 400, "bad fault spec refused")
        corrupt_value(c, sim)
        drop_after_commit(c, sim)
        sim.control("POST", "/config", {"lro_delay_ms": 300,
                                        "dns_delay_ms": 300})
        lro_fail_vault(c, sim)
        lro_fail_network(c, sim)
        counters(c, sim)
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()

    env = simlib.Sim(env={"KVSIM_FAULTS": "error,status=503,every=2,"
                          "area=login;corrupt-value,path=/secrets/cv,count=1"},
                     args=["--fault", "drop-after-commit,method=PATCH,count=1"])
    try:
        import urllib.parse
        form = urllib.parse.urlencode({
            "grant_type": "client_credentials",
            "client_id": env.conn["client_id"],
            "client_secret": env.conn["client_secret"],
            "scope": simlib.ARM_SCOPE})
        st = [env.request("POST", env.url("/%s/oauth2/v2.0/token" %
                                          env.tenant), body=form,
                          headers={"Content-Type":
                                   "application/x-www-form-urlencoded"})
              .status for _ in range(4)]
        c.eq(st, [200, 503, 200, 503], "KVSIM_FAULTS applies to logins")
        env.vault_token()  # the 5th login: every=2 lets it through
        env.dp("PUT", V, "/secrets/cv", {"value": "abc"})
        c.ok(env.dp("GET", V, "/secrets/cv").json()["value"] != "abc",
             "corrupt-value from KVSIM_FAULTS")
        c.ok(no_answer(lambda: env.dp("PATCH", V, "/secrets/cv/",
                                    {"tags": {"t": "1"}})),
             "drop-after-commit from --fault")
        c.eq(env.dp("GET", V, "/secrets/cv").json()["tags"], {"t": "1"},
             "the dropped PATCH was kept")
    finally:
        env.cleanup()


simlib.main(run)
