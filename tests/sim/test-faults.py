"""Fault injection: fixed latency and jitter, 429 with Retry-After every
Nth request and with a probability (the same pattern for the same seed),
500 and 503, a connection dropped mid-response, a slow body, malformed
JSON, scoping by path prefix / area / method, count limits, and setting
faults by flag, by KVSIM_FAULTS and through the control endpoint."""
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
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()

    env = simlib.Sim(env={"KVSIM_FAULTS": "error,status=503,every=2,area=login"})
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
    finally:
        env.cleanup()


simlib.main(run)
