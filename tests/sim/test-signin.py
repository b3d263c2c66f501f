"""A user's sign-in and the other sign-in surfaces of issue #8: the
device code flow for the demo user (approved, declined and listed through
the control endpoint; the token's user claims; the id token), device
codes that survive a restart of the simulator, Entra's device-code error
bodies (authorization_pending, authorization_declined, expired_token,
bad_verification_code; slow_down only when asked for, by option or by
fault), refresh tokens for ARM and Key Vault with rotation, expiry by
inactivity and revocation, the claims challenge (continuous access
evaluation) on ARM and the data plane, the clock-skew option, and the
managed-identity endpoint (IMDS and App Service forms, system- and
user-assigned identities)."""
import base64
import email.utils
import http.client
import json
import time
import urllib.parse

import simlib

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
AZ = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"  # az CLI's public client id
DEVICE = "urn:ietf:params:oauth:grant-type:device_code"
VAULT = "kv-contoso-dev"


def claims(tok):
    p = tok.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))


def post(sim, path, form):
    return sim.request("POST", sim.url(path), body=urllib.parse.urlencode(form),
                       headers=FORM)


def start_code(sim, scope=None):
    scope = scope or simlib.ARM_SCOPE + " offline_access openid profile"
    r = post(sim, "/organizations/oauth2/v2.0/devicecode",
             {"client_id": AZ, "scope": scope})
    if r.status != 200:
        raise simlib.Failed("devicecode: %d %s" % (r.status, r.body))
    return r.json()


def poll(sim, code, **extra):
    form = {"grant_type": DEVICE, "client_id": AZ, "device_code": code}
    form.update(extra)
    return post(sim, "/organizations/oauth2/v2.0/token", form)


def refresh(sim, rt, scope, client_id=AZ, **extra):
    form = {"grant_type": "refresh_token", "client_id": client_id,
            "refresh_token": rt, "scope": scope}
    form.update(extra)
    return post(sim, "/%s/oauth2/v2.0/token" % sim.tenant, form)


def decide(sim, user_code, action):
    return sim.control("POST", "/device", {"user_code": user_code,
                                           "action": action})


def user_sign_in(sim):
    """A device-code sign-in of the demo user; returns the token answer."""
    j = start_code(sim)
    r = decide(sim, j["user_code"], "approve")
    if r.status != 200:
        raise simlib.Failed("approve: %d %s" % (r.status, r.body))
    r = poll(sim, j["device_code"])
    if r.status != 200:
        raise simlib.Failed("device token: %d %s" % (r.status, r.body))
    return r.json()


def aad_shape(c, r, error, code, what):
    j = r.json()
    c.eq((r.status, j.get("error")), (400, error), what)
    c.ok(j.get("error_codes") == [code] and
         j.get("error_description", "").startswith("AADSTS%d: " % code) and
         all(k in j for k in ("timestamp", "trace_id", "correlation_id")),
         "%s: AADSTS%d body with error_codes, timestamp, trace_id, "
         "correlation_id" % (what, code))


def run(c):
    sim = simlib.Sim(["--device-interval", "1"])
    try:
        user(c, sim)
        device_errors(c, sim)
        restart(c, sim)
        refresh_tokens(c, sim)
        claims_challenge(c, sim)
        skew(c, sim)
        managed_identity(c, sim)
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


def user(c, sim):
    j = start_code(sim)
    r = sim.control("GET", "/device")
    mine = [d for d in r.json() if d["user_code"] == j["user_code"]]
    c.ok(len(mine) == 1 and mine[0]["state"] == "pending" and
         mine[0]["client_id"] == AZ, "the pending code is listed")
    c.eq(decide(sim, j["user_code"], "approve").status, 200,
         "POST /_sim/device action approve")
    c.eq(decide(sim, j["user_code"], "approve").status, 404,
         "an approved code cannot be decided again")
    r = poll(sim, j["device_code"], client_info="1")
    c.eq(r.status, 200, "token after approval")
    tj = r.json()
    at = claims(tj["access_token"])
    c.eq((at["upn"], at["oid"], at["tid"], at["idtyp"]),
         (sim.conn["user"], sim.conn["user_object_id"], sim.tenant, "user"),
         "access token: upn, oid, tid, idtyp user")
    c.ok(at.get("name") and at.get("scp") == "user_impersonation" and
         at.get("appid") == AZ and at.get("amr"), "name, scp, appid, amr")
    idt = claims(tj["id_token"])
    c.eq((idt["aud"], idt["preferred_username"], idt["oid"], idt["ver"]),
         (AZ, sim.conn["user"], sim.conn["user_object_id"], "2.0"),
         "id token (openid): aud, preferred_username, oid, v2.0")
    r = sim.arm("GET", "/subscriptions", api="2022-12-01",
                token=tj["access_token"])
    c.ok(r.status == 200 and len(r.json()["value"]) ==
         len(sim.conn["subscriptions"]), "the user lists the subscriptions")
    vs = "https://vault.localhost:%d/.default" % sim.port
    r = refresh(sim, tj["refresh_token"], vs + " offline_access")
    r = sim.dp("GET", VAULT, "/secrets", token=r.json()["access_token"])
    c.eq(r.status, 200, "the user lists a demo vault's secrets")
    # The other client's code, declined.
    j = start_code(sim)
    c.eq(decide(sim, j["user_code"], "decline").status, 200,
         "POST /_sim/device action decline")
    r = sim.control("POST", "/device", {"user_code": "NOPE"})
    c.eq(r.status, 400, "an action is required")


def device_errors(c, sim):
    aad_shape(c, poll(sim, "DAQABAAEAAADnosuchcode"), "bad_verification_code",
              70018, "unknown device code")
    j = start_code(sim)
    aad_shape(c, poll(sim, j["device_code"]), "authorization_pending", 70016,
              "pending")
    r = poll(sim, j["device_code"])
    c.eq(r.json()["error"], "authorization_pending",
         "polling at once: still authorization_pending (Entra has no "
         "slow_down)")
    decide(sim, j["user_code"], "decline")
    aad_shape(c, poll(sim, j["device_code"]), "authorization_declined", 70000,
              "declined")
    sim.control("POST", "/config", {"device_lifetime": 1})
    j = start_code(sim)
    time.sleep(1.2)
    aad_shape(c, poll(sim, j["device_code"]), "expired_token", 70019,
              "expired")
    c.eq(decide(sim, j["user_code"], "approve").status, 404,
         "an expired code cannot be approved")
    sim.control("POST", "/config", {"device_lifetime": 900})
    # slow_down when asked for: the option, then the fault.
    sim.control("POST", "/config", {"device_slow_down": True})
    j = start_code(sim)
    poll(sim, j["device_code"])
    aad_shape(c, poll(sim, j["device_code"]), "slow_down", 70016,
              "device_slow_down: polling too fast")
    mine = [d for d in sim.control("GET", "/device").json()
            if d["user_code"] == j["user_code"]]
    c.eq(mine[0]["interval"], 6, "slow_down adds 5 s to the interval")
    sim.control("POST", "/config", {"device_slow_down": False})
    sim.control("POST", "/faults", {"faults": ["slow-down,count=1"]})
    j = start_code(sim)
    c.eq(poll(sim, j["device_code"]).json()["error"], "slow_down",
         "slow-down fault: slow_down")
    time.sleep(1.1)
    c.eq(poll(sim, j["device_code"]).json()["error"], "authorization_pending",
         "slow-down,count=1: then pending again")
    sim.control("DELETE", "/faults")


def restart(c, sim):
    pending = start_code(sim)
    declined = start_code(sim)
    approved = start_code(sim)
    decide(sim, declined["user_code"], "decline")
    decide(sim, approved["user_code"], "approve")
    sim.stop()
    sim.start()
    states = {d["user_code"]: d["state"]
              for d in sim.control("GET", "/device").json()}
    c.eq((states.get(pending["user_code"]), states.get(declined["user_code"]),
          states.get(approved["user_code"])),
         ("pending", "declined", "approved"), "device codes survive a restart")
    c.eq(poll(sim, pending["device_code"]).json()["error"],
         "authorization_pending", "after the restart: pending")
    c.eq(poll(sim, declined["device_code"]).json()["error"],
         "authorization_declined", "after the restart: declined")
    c.eq(poll(sim, approved["device_code"]).status, 200,
         "after the restart: the approved code gives a token")
    decide(sim, pending["user_code"], "approve")
    c.eq(poll(sim, pending["device_code"]).status, 200,
         "after the restart: approve the pending code, token")
    sim.stop()
    sim.start()
    c.eq(poll(sim, approved["device_code"]).json()["error"],
         "bad_verification_code", "a redeemed code stays redeemed")


def refresh_tokens(c, sim):
    tj = user_sign_in(sim)
    rt = tj["refresh_token"]
    vs = "https://vault.localhost:%d/.default offline_access" % sim.port
    r = refresh(sim, rt, "https://management.azure.com/.default "
                "offline_access")
    c.eq(r.status, 200, "refresh for https://management.azure.com/.default")
    arm = r.json()
    c.ok(arm.get("refresh_token") and arm["refresh_token"] != rt,
         "rotation: a new refresh token")
    c.eq(sim.arm("GET", "/subscriptions", api="2022-12-01",
                 token=arm["access_token"]).status, 200,
         "the refreshed ARM token works")
    r = refresh(sim, arm["refresh_token"], vs)
    c.eq(r.status, 200, "the rotated refresh token buys a vault token")
    c.eq(sim.dp("GET", VAULT, "/secrets",
                token=r.json()["access_token"]).status, 200,
         "the refreshed vault token works")
    c.eq(refresh(sim, rt, vs).status, 200,
         "the first refresh token stays valid (Entra does not revoke it)")
    aad_shape(c, refresh(sim, rt[:-4] + "AAAA", vs), "invalid_grant",
              9002313, "tampered refresh token")
    aad_shape(c, refresh(sim, rt, vs, client_id="11111111-2222-3333-4444-"
                         "555555555555"), "invalid_grant", 70000,
              "refresh token of another client")
    sim.control("POST", "/config", {"refresh_lifetime": 1})
    short = user_sign_in(sim)["refresh_token"]
    time.sleep(2.1)
    aad_shape(c, refresh(sim, short, vs), "invalid_grant", 700082,
              "refresh token inactive longer than its lifetime")
    sim.control("POST", "/config", {"refresh_lifetime": 90 * 86400})
    c.eq(sim.control("POST", "/refresh/revoke").status, 200,
         "POST /_sim/refresh/revoke")
    aad_shape(c, refresh(sim, arm["refresh_token"], vs), "invalid_grant",
              50173, "revoked refresh token")
    sim.stop()
    sim.start()  # on another port: the vault resource changes
    vs = "https://vault.localhost:%d/.default offline_access" % sim.port
    c.eq(refresh(sim, arm["refresh_token"], vs).json().get("error"),
         "invalid_grant", "the revocation survives a restart")
    fresh = user_sign_in(sim)["refresh_token"]
    c.eq(refresh(sim, fresh, vs).status, 200,
         "a sign-in after the revocation refreshes")


def challenge_of(r):
    h = r.header("WWW-Authenticate") or ""
    if 'error="insufficient_claims"' not in h or 'claims="' not in h:
        return None
    b = h.split('claims="', 1)[1].split('"', 1)[0]
    return json.loads(base64.b64decode(b + "=" * (-len(b) % 4)))


def client_token(sim, scope, claims_json=None):
    form = {"grant_type": "client_credentials",
            "client_id": sim.conn["client_id"],
            "client_secret": sim.conn["client_secret"], "scope": scope}
    if claims_json:
        form["claims"] = claims_json
    r = post(sim, "/%s/oauth2/v2.0/token" % sim.tenant, form)
    return r.json()["access_token"]


def claims_challenge(c, sim):
    vs = "https://vault.localhost:%d/.default" % sim.port
    for area, scope, call in (
            ("vault", vs, lambda t: sim.dp("GET", VAULT, "/secrets",
                                           token=t)),
            ("arm", simlib.ARM_SCOPE,
             lambda t: sim.arm("GET", "/subscriptions", api="2022-12-01",
                               token=t))):
        sim.control("POST", "/faults", {"faults": [
            "claims-challenge,count=1,area=%s" % area]})
        old = client_token(sim, scope)
        r = call(old)
        cl = challenge_of(r)
        c.ok(r.status == 401 and cl is not None and
             cl["access_token"]["nbf"]["essential"] is True,
             "%s: 401 insufficient_claims with base64 claims" % area)
        if area == "vault":
            c.ok("resource=" not in r.header("WWW-Authenticate"),
                 "vault: the claims challenge names no resource")
        c.eq(call(old).status, 401, "%s: the old token is challenged again"
             % area)
        new = client_token(sim, scope, json.dumps(cl))
        c.ok(claims(new)["nbf"] >= int(cl["access_token"]["nbf"]["value"]),
             "%s: a token asked with claims= has that nbf" % area)
        c.eq(call(new).status, 200, "%s: the new token passes" % area)
        sim.control("DELETE", "/faults")
    # an nbf past what a 64-bit number holds (found by fuzz-sim: the
    # conversion was undefined) is no claim at all: a token, not a crash
    huge = {"access_token": {"nbf": {"essential": True, "value": 2.2e46}}}
    tok = client_token(sim, vs, json.dumps(huge))
    c.eq(sim.dp("GET", VAULT, "/secrets", token=tok).status, 200,
         "claims with an nbf of 2.2e46: a token that passes")


def skew(c, sim):
    sim.control("POST", "/config", {"clock_skew_s": 600})
    r = sim.arm("GET", "/subscriptions", api="2022-12-01",
                token=client_token(sim, simlib.ARM_SCOPE))
    date = email.utils.parsedate_to_datetime(r.header("Date")).timestamp()
    c.ok(abs(date - time.time() - 600) < 5, "clock_skew_s 600: Date is 10 "
         "minutes ahead (%s)" % r.header("Date"))
    c.eq(len([h for h, _ in r.headers if h.lower() == "date"]), 1,
         "one Date header")
    c.eq(r.status, 200, "the simulator accepts its own skewed token")
    tok = client_token(sim, simlib.ARM_SCOPE)
    c.ok(abs(claims(tok)["iat"] - time.time() - 600) < 5,
         "token iat is 10 minutes ahead")
    r = sim.request("GET", sim.url("/%s/v2.0/.well-known/openid-"
                                   "configuration" % sim.tenant))
    date = email.utils.parsedate_to_datetime(r.header("Date")).timestamp()
    c.ok(abs(date - time.time() - 600) < 5, "the login host's Date too")
    sim.control("POST", "/config", {"clock_skew_s": 0})
    r = sim.request("GET", sim.url("/_sim"))
    date = email.utils.parsedate_to_datetime(r.header("Date")).timestamp()
    c.ok(abs(date - time.time()) < 5, "clock_skew_s 0: Date is now")


def imds_get(sim, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", sim.conn["imds_port"],
                                      timeout=10)
    conn.request("GET", path, headers=headers or {})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return simlib.Response(r.status, r.getheaders(), body)


def managed_identity(c, sim):
    conn = sim.conn
    c.ok(conn.get("imds", "").startswith("http://127.0.0.1:") and
         conn.get("identity_endpoint", "").endswith("/msi/token") and
         conn.get("identity_header"), "connection.json: imds, "
         "identity_endpoint, identity_header")
    arm = urllib.parse.quote("https://management.azure.com/", safe="")
    path = ("/metadata/identity/oauth2/token?api-version=2018-02-01"
            "&resource=" + arm)
    r = imds_get(sim, path)
    c.eq((r.status, r.json().get("error_description")),
         (400, "Required metadata header not specified"),
         "IMDS without Metadata: true is refused")
    r = imds_get(sim, path, {"Metadata": "true"})
    j = r.json()
    c.eq(r.status, 200, "IMDS token (system-assigned)")
    c.ok(all(isinstance(j.get(k), str) for k in
             ("access_token", "expires_in", "expires_on", "not_before",
              "resource", "token_type", "client_id")),
         "IMDS answer fields (numbers as strings)")
    at = claims(j["access_token"])
    c.eq((at["oid"], at["appid"], at["idtyp"], at["aud"]),
         (conn["mi_object_id"], conn["mi_client_id"], "app",
          "https://management.azure.com/"), "system-assigned identity token")
    c.eq(sim.arm("GET", "/subscriptions", api="2022-12-01",
                 token=j["access_token"]).status, 200,
         "the managed identity reads ARM")
    r = imds_get(sim, path + "&client_id=" + conn["uami_client_id"],
                 {"Metadata": "true"})
    at = claims(r.json()["access_token"])
    c.eq((at["oid"], at.get("xms_mirid")),
         (conn["uami_object_id"], conn["uami_resource_id"]),
         "user-assigned identity by client_id")
    r = imds_get(sim, path + "&client_id=00000000-0000-0000-0000-00000000dead",
                 {"Metadata": "true"})
    c.eq((r.status, r.json().get("error_description")),
         (400, "Identity not found"), "unknown identity")
    r = imds_get(sim, "/metadata/identity/oauth2/token?api-version=2018-02-01"
                 "&resource=https%3A%2F%2Fevil.example", {"Metadata": "true"})
    c.eq(r.json().get("error"), "invalid_resource", "unknown resource")
    vres = urllib.parse.quote("https://vault.localhost:%d" % sim.port, safe="")
    r = imds_get(sim, "/metadata/identity/oauth2/token?api-version=2018-02-01"
                 "&resource=" + vres + "&client_id=" + conn["uami_client_id"],
                 {"Metadata": "true"})
    c.eq(sim.dp("GET", VAULT, "/secrets",
                token=r.json()["access_token"]).status, 200,
         "the user-assigned identity lists a demo vault's secrets")
    # App Service: IDENTITY_ENDPOINT + IDENTITY_HEADER.
    ep = urllib.parse.urlsplit(conn["identity_endpoint"]).path
    apath = ep + "?api-version=2019-08-01&resource=" + arm
    r = imds_get(sim, apath)
    c.eq(r.status, 401, "App Service form without X-IDENTITY-HEADER")
    r = imds_get(sim, apath, {"X-IDENTITY-HEADER": conn["identity_header"]})
    j = r.json()
    c.ok(r.status == 200 and j.get("token_type") == "Bearer" and
         j.get("expires_on") and j.get("resource") ==
         "https://management.azure.com/", "App Service form token")
    c.eq(claims(j["access_token"])["oid"], conn["mi_object_id"],
         "App Service: system-assigned by default")
    r = imds_get(sim, apath + "&mi_res_id=" + urllib.parse.quote(
        conn["uami_resource_id"], safe=""),
                 {"X-IDENTITY-HEADER": conn["identity_header"]})
    c.eq(claims(r.json()["access_token"])["oid"], conn["uami_object_id"],
         "App Service: user-assigned by mi_res_id")
    r = imds_get(sim, ep + "?api-version=2018-02-01&resource=" + arm,
                 {"X-IDENTITY-HEADER": conn["identity_header"]})
    c.eq(r.status, 400, "App Service form wants api-version 2019-08-01")


simlib.main(run)
