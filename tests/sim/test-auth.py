"""Entra ID and the 401 shapes: OpenID configuration on tenant and /adfs
paths, JWKS (token signatures verify against it), instance discovery,
client_credentials with a secret (and a wrong one) and with a JWT client
assertion checked against the registered certificate, the device code
flow (authorization_pending, approval through the control
endpoint, refresh and id tokens, expired_token, declined, auto-approve),
refresh_token for another resource, a short token lifetime, and the
401s of ARM (missing, expired, wrong audience, bad signature) and of the
data plane (the challenge, answered before the request body is sent)."""
import base64
import hashlib
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.parse

import simlib

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def claims(tok):
    p = tok.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))


def post(sim, path, form):
    return sim.request("POST", sim.url(path), body=urllib.parse.urlencode(form),
                       headers=FORM)


def assertion(sim, aud, key_pem, cert_der, iss=None, exp=600, thumb="x5t"):
    """thumb: "x5t", "x5t=" (padded, as MSAL Python sends it),
    "x5t#S256" or "x5t#S256=" (padded)."""
    name = thumb.rstrip("=")
    digest = (hashlib.sha256 if name == "x5t#S256" else hashlib.sha1)
    value = base64.urlsafe_b64encode(digest(cert_der).digest()).decode()
    hdr = {"alg": "RS256", "typ": "JWT",
           name: value if thumb.endswith("=") else value.rstrip("=")}
    now = int(time.time())
    cl = {"aud": aud, "iss": iss or sim.conn["client_id"],
          "sub": iss or sim.conn["client_id"], "jti": "j%d" % now,
          "nbf": now - 10, "exp": now + exp}
    inp = (b64u(json.dumps(hdr).encode()) + "." +
           b64u(json.dumps(cl).encode()))
    with tempfile.NamedTemporaryFile("w", delete=False) as k:
        k.write(key_pem)
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", k.name],
                         input=inp.encode(), capture_output=True,
                         check=True).stdout
    os.unlink(k.name)
    return inp + "." + b64u(sig)


def cert_parts(pem_path):
    with open(pem_path) as f:
        text = f.read()
    key = text[:text.index("-----BEGIN CERTIFICATE-----")]
    der = subprocess.run(["openssl", "x509", "-outform", "DER"],
                         input=text.encode(), capture_output=True,
                         check=True).stdout
    return key, der


def run(c):
    sim = simlib.Sim(["--device-interval", "1", "--device-lifetime", "4"])
    try:
        discovery(c, sim)
        client_credentials(c, sim)
        device(c, sim)
        arm_401(c, sim)
        dp_401(c, sim)
        graph(c, sim)
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()
    auto = simlib.Sim(["--device-auto-approve", "--device-interval", "1"])
    try:
        r = post(auto, "/organizations/oauth2/v2.0/devicecode",
                 {"client_id": "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
                  "scope": simlib.ARM_SCOPE})
        code = r.json()["device_code"]
        time.sleep(1.1)
        r = post(auto, "/organizations/oauth2/v2.0/token", {
            "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
            "client_id": "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
            "device_code": code})
        c.eq(r.status, 200, "auto-approve: token after one interval")
    finally:
        auto.cleanup()


def discovery(c, sim):
    t = sim.tenant
    r = sim.request("GET", sim.url("/%s/v2.0/.well-known/openid-configuration"
                                   % t))
    j = r.json()
    c.eq(j["token_endpoint"], sim.url("/%s/oauth2/v2.0/token" % t),
         "openid token_endpoint has the tenant")
    c.ok("authorization_endpoint" in j and "issuer" in j and
         "device_authorization_endpoint" in j, "openid fields")
    r = sim.request("GET", sim.url("/adfs/.well-known/openid-configuration"))
    c.eq(r.json()["token_endpoint"], sim.url("/adfs/oauth2/token"),
         "ADFS openid configuration")
    r = sim.request("GET", sim.url("/common/discovery/instance?api-version="
                                   "1.0&authorization_endpoint=x"))
    c.ok("tenant_discovery_endpoint" in r.json(), "instance discovery 1.0")
    r = sim.request("GET", sim.url("/common/discovery/instance?api-version="
                                   "1.1"))
    c.eq(r.json(), {"metadata": []}, "instance discovery 1.1")
    r = sim.request("GET", sim.url("/nosuchtenant/v2.0/.well-known/"
                                   "openid-configuration"))
    c.ok(r.status == 400 and "AADSTS90002" in r.json()["error_description"],
         "unknown tenant")
    # The token's signature verifies with the JWKS key.
    jwks = sim.request("GET", sim.url("/%s/discovery/v2.0/keys" % t)).json()
    k = jwks["keys"][0]
    tok = sim.token()
    hdr = json.loads(base64.urlsafe_b64decode(tok.split(".")[0] + "=="))
    c.eq(hdr["kid"], k["kid"], "token kid matches JWKS")
    n = int.from_bytes(base64.urlsafe_b64decode(k["n"] + "=="), "big")
    e = int.from_bytes(base64.urlsafe_b64decode(k["e"] + "=="), "big")
    sig = int.from_bytes(base64.urlsafe_b64decode(
        tok.split(".")[2] + "=" * (-len(tok.split(".")[2]) % 4)), "big")
    em = pow(sig, e, n).to_bytes((n.bit_length() + 7) // 8, "big")
    digest = hashlib.sha256(".".join(tok.split(".")[:2]).encode()).digest()
    c.ok(em.endswith(digest) and em.startswith(b"\x00\x01\xff"),
         "RS256 signature verifies with the JWKS modulus")
    cl = claims(tok)
    c.eq((cl["aud"], cl["tid"]), ("https://management.core.windows.net/", t),
         "token aud and tid")
    c.ok(cl["exp"] - cl["iat"] == 3599, "default lifetime 3599 s")


def client_credentials(c, sim):
    t = sim.tenant
    good = {"grant_type": "client_credentials",
            "client_id": sim.conn["client_id"],
            "client_secret": sim.conn["client_secret"],
            "scope": simlib.ARM_SCOPE, "client_info": "1", "claims": "{}"}
    r = post(sim, "/%s/oauth2/v2.0/token" % t, good)
    c.eq(r.status, 200, "client_credentials with the secret")
    c.eq((r.json()["token_type"], "refresh_token" in r.json()),
         ("Bearer", False), "Bearer, no refresh token")
    r = post(sim, "/adfs/oauth2/token", good)
    c.eq(r.status, 200, "ADFS token endpoint")
    bad = dict(good, client_secret="wrong")
    r = post(sim, "/%s/oauth2/v2.0/token" % t, bad)
    c.eq((r.status, r.json()["error"]), (401, "invalid_client"),
         "wrong secret: 401 invalid_client")
    c.ok("AADSTS7000215" in r.json()["error_description"], "AADSTS7000215")
    r = post(sim, "/%s/oauth2/v2.0/token" % t,
             dict(good, client_id="11111111-1111-1111-1111-111111111111"))
    c.eq(r.json()["error"], "unauthorized_client", "unknown client")
    r = post(sim, "/%s/oauth2/v2.0/token" % t,
             dict(good, scope="https://evil.example/.default"))
    c.eq(r.json()["error"], "invalid_resource", "unknown resource")
    # JWT client assertion with the registered certificate.
    key, der = cert_parts(sim.conn["client_certificate"])
    aud = sim.url("/%s/oauth2/v2.0/token" % t)
    form = {"grant_type": "client_credentials",
            "client_id": sim.conn["client_id"], "scope": simlib.ARM_SCOPE,
            "client_assertion_type":
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion(sim, aud, key, der)}
    r = post(sim, "/%s/oauth2/v2.0/token" % t, form)
    c.eq(r.status, 200, "client assertion accepted")
    c.eq(claims(r.json()["access_token"])["appidacr"], "2",
         "certificate credential: appidacr 2")
    for thumb in ("x5t=", "x5t#S256", "x5t#S256="):
        r = post(sim, "/%s/oauth2/v2.0/token" % t, dict(
            form, client_assertion=assertion(sim, aud, key, der,
                                             thumb=thumb)))
        c.eq(r.status, 200, "client assertion identified by %s accepted"
             % thumb)
    r = post(sim, "/%s/oauth2/v2.0/token" % t, dict(
        form, client_assertion=assertion(sim, aud, key, der, exp=-100)))
    c.ok(r.status == 401 and "AADSTS700024" in r.json()["error_description"],
         "expired assertion refused")
    # A key that is not registered, then registered via the control API.
    d = tempfile.mkdtemp()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-subj", "/CN=other", "-keyout", d + "/k.pem",
                    "-out", d + "/c.pem", "-days", "2"], capture_output=True,
                   check=True)
    with open(d + "/k.pem") as f:
        okey = f.read()
    with open(d + "/c.pem") as f:
        ocert = f.read()
    oder = subprocess.run(["openssl", "x509", "-outform", "DER"],
                          input=ocert.encode(), capture_output=True,
                          check=True).stdout
    r = post(sim, "/%s/oauth2/v2.0/token" % t, dict(
        form, client_assertion=assertion(sim, aud, okey, oder)))
    c.ok(r.status == 401 and "AADSTS700027" in r.json()["error_description"],
         "unregistered certificate refused")
    r = sim.control("POST", "/certificates", {"pem": ocert})
    c.eq(r.status, 200, "certificate registered")
    r = post(sim, "/%s/oauth2/v2.0/token" % t, dict(
        form, client_assertion=assertion(sim, aud, okey, oder)))
    c.eq(r.status, 200, "registered certificate accepted")
    r = post(sim, "/%s/oauth2/v2.0/token" % t, dict(
        form, client_assertion=assertion(sim, aud, okey, oder, thumb="x5t=")))
    c.eq(r.status, 200, "registered certificate with a padded x5t accepted")
    r = post(sim, "/%s/oauth2/v2.0/token" % t, dict(
        form, client_assertion=assertion(sim, aud, okey, oder,
                                         thumb="x5t#S256=")))
    c.eq(r.status, 200, "registered certificate with a padded x5t#S256 "
         "accepted")
    forged = assertion(sim, aud, okey, der)  # claims the default cert
    r = post(sim, "/%s/oauth2/v2.0/token" % t, dict(form,
                                                    client_assertion=forged))
    c.ok(r.status == 401, "assertion signed with the wrong key refused")


def device(c, sim):
    az = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
    scope = simlib.ARM_SCOPE + " offline_access openid profile"
    r = post(sim, "/organizations/oauth2/v2.0/devicecode",
             {"client_id": az, "scope": scope})
    j = r.json()
    c.ok(all(k in j for k in ("device_code", "user_code", "verification_uri",
                              "expires_in", "interval", "message")),
         "devicecode fields")
    poll = {"grant_type": "urn:ietf:params:oauth:grant-type:device_code",
            "client_id": az, "device_code": j["device_code"],
            "client_info": "1"}
    r = post(sim, "/organizations/oauth2/v2.0/token", poll)
    c.eq(r.json()["error"], "authorization_pending", "authorization_pending")
    r = post(sim, "/organizations/oauth2/v2.0/token", poll)
    c.eq(r.json()["error"], "authorization_pending",
         "polling too fast: Entra keeps answering authorization_pending")
    r = sim.control("POST", "/device/approve", {"user_code": j["user_code"]})
    c.eq(r.status, 200, "approve through the control endpoint")
    time.sleep(1.1)
    r = post(sim, "/organizations/oauth2/v2.0/token", poll)
    c.eq(r.status, 200, "device token after approval")
    tj = r.json()
    c.ok("refresh_token" in tj and "id_token" in tj and "client_info" in tj,
         "refresh, id token and client_info")
    c.eq(claims(tj["access_token"])["upn"], sim.conn["user"],
         "token is the user's")
    c.eq(claims(tj["id_token"])["aud"], az, "id_token audience is the app")
    r = post(sim, "/organizations/oauth2/v2.0/token", poll)
    c.eq(r.json()["error"], "bad_verification_code", "code used only once")
    # Refresh for another resource (the vault).
    vscope = "https://vault.localhost:%d/.default offline_access" % sim.port
    r = post(sim, "/%s/oauth2/v2.0/token" % sim.tenant, {
        "grant_type": "refresh_token", "client_id": az,
        "refresh_token": tj["refresh_token"], "scope": vscope})
    c.eq(r.status, 200, "refresh_token grant")
    c.eq(claims(r.json()["access_token"])["aud"],
         "https://vault.localhost:%d" % sim.port, "refreshed for the vault")
    r = post(sim, "/%s/oauth2/v2.0/token" % sim.tenant, {
        "grant_type": "refresh_token", "client_id": az,
        "refresh_token": tj["refresh_token"] + "x", "scope": vscope})
    c.eq(r.json()["error"], "invalid_grant", "tampered refresh token")
    # Declined and expired codes.
    j2 = post(sim, "/organizations/oauth2/v2.0/devicecode",
              {"client_id": az, "scope": scope}).json()
    sim.control("POST", "/device/deny", {"user_code": j2["user_code"]})
    r = post(sim, "/organizations/oauth2/v2.0/token",
             dict(poll, device_code=j2["device_code"]))
    c.eq(r.json()["error"], "authorization_declined", "declined")
    j3 = post(sim, "/organizations/oauth2/v2.0/devicecode",
              {"client_id": az, "scope": scope}).json()
    time.sleep(4.2)
    r = post(sim, "/organizations/oauth2/v2.0/token",
             dict(poll, device_code=j3["device_code"]))
    c.eq(r.json()["error"], "expired_token", "expired_token")


def arm_401(c, sim):
    sub = sim.subscription(0)
    url = sim.url("/subscriptions/%s/resourcegroups?api-version=2022-09-01"
                  % sub)
    r = sim.request("GET", url)
    c.eq((r.status, r.json()["error"]["code"]), (401, "AuthenticationFailed"),
         "ARM without a token")
    c.ok('error="invalid_token"' in (r.header("WWW-Authenticate") or ""),
         "ARM WWW-Authenticate")
    r = sim.request("GET", url, token=sim.vault_token())
    c.eq(r.json()["error"]["code"], "InvalidAuthenticationTokenAudience",
         "ARM with a vault token")
    tok = sim.token()
    parts = tok.split(".")
    r = sim.request("GET", url, token=parts[0] + "." + parts[1] + ".AAAA")
    c.eq(r.json()["error"]["code"], "InvalidAuthenticationToken",
         "ARM with a bad signature")
    sim.control("POST", "/config", {"token_lifetime": 1})
    short = sim.token(fresh=True)
    c.eq(claims(short)["exp"] - claims(short)["iat"], 1,
         "token lifetime set at run time")
    time.sleep(2.1)
    r = sim.request("GET", url, token=short)
    c.eq((r.status, r.json()["error"]["code"]),
         (401, "ExpiredAuthenticationToken"), "ARM with an expired token")
    sim.control("POST", "/config", {"token_lifetime": 3599})
    sim.token(fresh=True)
    sim._tokens.clear()


def dp_401(c, sim):
    r = sim.request("PUT", sim.vault_url("kv-contoso-app-prod",
                                         "/secrets/x?api-version=7.4"),
                    body={"value": "v"})
    c.eq(r.status, 401, "data plane without a token")
    c.eq(r.json()["error"]["message"],
         "AKV10000: Request is missing a Bearer or PoP token.",
         "AKV10000 message")
    c.eq(r.header("WWW-Authenticate"),
         'Bearer authorization="https://127.0.0.1:%d/%s", resource="https://'
         'vault.localhost:%d"' % (sim.port, sim.tenant, sim.port),
         "challenge names the tenant and the vault resource")
    r = sim.dp("GET", "kv-contoso-app-prod", "/secrets", token=sim.token())
    c.ok(r.status == 401 and "AKV10022" in r.json()["error"]["message"],
         "ARM token on the data plane: invalid audience")
    # The challenge comes before the body: send headers only.
    s = socket.create_connection(("127.0.0.1", sim.port), 10)
    t = sim.ctx.wrap_socket(s, server_hostname="kv-contoso-app-prod.vault."
                            "localhost")
    t.sendall(("PUT /secrets/x?api-version=7.4 HTTP/1.1\r\nHost: "
               "kv-contoso-app-prod.vault.localhost:%d\r\nContent-Type: "
               "application/json\r\nContent-Length: 100000\r\n\r\n"
               % sim.port).encode())
    t.settimeout(5)
    try:
        head = t.recv(4096)
    except socket.timeout:
        head = b""
    c.ok(head.startswith(b"HTTP/1.1 401"), "401 answered before the body")
    t.close()


def graph(c, sim):
    gt = sim.token("https://127.0.0.1:%d//.default" % sim.port)
    r = sim.request("GET", sim.url("/v1.0/me"), token=gt)
    c.eq(r.status, 400, "Graph /me with an app token is 400")
    r = sim.request("GET", sim.url(
        "/v1.0/servicePrincipals?$filter=servicePrincipalNames/any(c:c%%20eq"
        "%%20'%s')" % sim.conn["client_id"]), token=gt)
    c.eq(r.json()["value"][0]["id"], sim.conn["client_object_id"],
         "servicePrincipals lookup gives the object id")
    r = sim.request("GET", sim.url("/v1.0/me"))
    c.eq(r.status, 401, "Graph without a token")


simlib.need_tools("openssl")
simlib.main(run)
