#!/usr/bin/env python3
"""kvtest-server.py — a small fake Azure over HTTPS on 127.0.0.1 for the
worker/transport tests (tests/unit/test-worker-*.c).

Usage: kvtest-server.py DIR
Creates a throw-away CA and server certificate in DIR with the openssl
CLI (never committed), writes DIR/cloud.json (az cloud register format),
listens on 127.0.0.1 on a free port, prints "ready PORT" and serves until
its stdin is closed. Every request is appended to DIR/requests.log as
"METHOD HOST PATH auth=0|1 peer=PORT ua=... crid=..." and DIR/stats.json keeps the
highest number of requests seen in flight at once.

Behaviour is chosen by the path (see route()): subscription names such as
"throttle", "unavail", "err500", "reset", "cut", "big", "hang", "slow",
"par-N" trigger the faults the tests need. Only loopback is used.

Data-plane secret writes (PUT/PATCH/DELETE/POST) echo what they were
sent; the last body of each method is kept in DIR/body-METHOD.json. Secret
names "drop" (connection closed once the PUT is read, no answer),
"unavail" (503), "throttle" (429 with Retry-After: 1, then success) and
"hang" (no answer) are faults. ARM paths under providers/Microsoft.Test
play long-running operations (see lro()).
"""
import base64
import hashlib
import http.server
import json
import os
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import urllib.parse

TENANT = "tenant-1"
# Entra takes a tenant's verified domain for its id: the same tenant.
TENANT_DOMAIN = "tenant-1.example.com"
CLIENT_ID = "client-1"
CLIENT_SECRET = "s3cret-value"
ARM_SCOPE = "https://management.core.windows.net//.default"

lock = threading.Lock()
counts = {}  # path -> requests seen
tokens = {}  # access token -> scope
token_tenant = {}  # access token -> the tenant it was issued in
claimed = set()  # access tokens asked for with claims=
OTHER_TENANT = "tenant-2"  # vault kvother lives here
CAE_CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}'
inflight = 0
max_inflight = 0
request_no = 0


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_certs(d):
    ca_key, ca = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
    key, csr, crt = (os.path.join(d, n) for n in ("srv.key", "srv.csr", "srv.pem"))
    ext = os.path.join(d, "ext.cnf")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", ca_key,
            "-out", ca, "-days", "2", "-subj", "/CN=kvdeck test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=localhost")
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:localhost,DNS:*.vault.localhost,"
                "IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                "extendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
            "-CAcreateserial", "-out", crt, "-days", "2", "-extfile", ext)
    return crt, key


def count(key):
    with lock:
        counts[key] = counts.get(key, 0) + 1
        return counts[key]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kvtest"

    def log_message(self, *a):
        pass

    # ---- helpers -----------------------------------------------------
    def base(self):
        return "https://127.0.0.1:%d" % self.server.port

    def send_json(self, code, obj, headers=None, raw=None):
        global request_no
        body = raw if raw is not None else json.dumps(obj).encode()
        with lock:
            request_no += 1
            rid = "srv-%d" % request_no
        self.send_response(code)
        if body:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-ms-request-id", rid)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def arm_error(self, code, ecode, msg, headers=None):
        self.send_json(code, {"error": {"code": ecode, "message": msg}}, headers)

    def rst(self, partial_header=True):
        """Ends the connection abruptly (RST), after part of a status line
        so that libcurl cannot replay the request by itself."""
        if partial_header:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        # close() (not shutdown(), which sends a FIN) with linger 0: RST
        socket.socket.close(self.connection)
        self.close_connection = True
        raise ConnectionAbortedError("test reset")

    def bearer(self):
        h = self.headers.get("Authorization", "")
        if not h.startswith("Bearer "):
            return None
        with lock:
            return tokens.get(h[7:])

    # ---- dispatch ----------------------------------------------------
    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (ConnectionAbortedError, ConnectionResetError, BrokenPipeError,
                ssl.SSLError, OSError):
            self.close_connection = True

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_PATCH(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def dispatch(self):
        global inflight, max_inflight
        host = self.headers.get("Host", "")
        with lock:
            inflight += 1
            max_inflight = max(max_inflight, inflight)
            with open(self.server.log, "a") as f:
                f.write("%s %s %s auth=%d peer=%d ua=%s crid=%s\n" % (
                    self.command, host, self.path,
                    1 if "Authorization" in self.headers else 0,
                    self.client_address[1],
                    self.headers.get("User-Agent", "-").replace(" ", "_"),
                    self.headers.get("x-ms-client-request-id", "-")))
        try:
            length = int(self.headers.get("Content-Length") or 0)
            self.body = self.rfile.read(length) if length else b""
            self.route(host)
        finally:
            with lock:
                inflight -= 1
                with open(self.server.stats + ".tmp", "w") as f:
                    json.dump({"max_inflight": max_inflight}, f)
                os.replace(self.server.stats + ".tmp", self.server.stats)

    def route(self, host):
        u = urllib.parse.urlsplit(self.path)
        path, q = u.path, urllib.parse.parse_qs(u.query)
        parts = [p for p in path.split("/") if p]
        if ".vault.localhost" in host:
            return self.data_plane(host.split(".")[0], parts, q)
        if self.command == "POST" and path.endswith("/oauth2/v2.0/token"):
            return self.token(parts[0])
        if parts[:1] == ["http"]:
            return self.transport(parts[1:])
        scope = self.bearer()
        if scope != ARM_SCOPE:
            return self.arm_error(401, "InvalidAuthenticationToken",
                                  "The access token is missing or invalid.")
        if "/providers/microsoft.test/" in path.lower():
            return self.lro(parts)
        if parts == ["subscriptions"]:
            return self.subscriptions(q)
        if len(parts) == 3 and parts[0] == "subscriptions" and parts[2].lower() == "resourcegroups":
            return self.groups(parts[1], q)
        if len(parts) >= 2 and parts[0] == "subscriptions" and "vaults" in [p.lower() for p in parts]:
            return self.vaults(parts, q)
        self.arm_error(404, "NotFound", "no such path " + path)

    # ---- Entra ID ----------------------------------------------------
    def token(self, tenant):
        form = urllib.parse.parse_qs(self.body.decode())
        cid = form.get("client_id", [""])[0]
        sec = form.get("client_secret", [""])[0]
        scope = form.get("scope", [""])[0]
        count("token " + scope)
        if tenant == TENANT_DOMAIN:
            tenant = TENANT
        if tenant not in (TENANT, OTHER_TENANT) or cid != CLIENT_ID or \
                sec != CLIENT_SECRET:
            return self.send_json(401, {
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided."})
        tok = "tok-%s-%d" % (hashlib.sha256(scope.encode()).hexdigest()[:8],
                             count("tokens"))
        with lock:
            tokens[tok] = scope
            token_tenant[tok] = tenant
            if form.get("claims", [""])[0] == CAE_CLAIMS:
                claimed.add(tok)
        if "claims" in form:
            count("claims " + form["claims"][0])
        self.send_json(200, {"token_type": "Bearer", "expires_in": 3599,
                             "ext_expires_in": 3599, "access_token": tok})

    # ---- Resource Manager --------------------------------------------
    def subscriptions(self, q):
        page = q.get("$skiptoken", ["1"])[0]
        mk = lambda s: {"id": "/subscriptions/" + s, "subscriptionId": s,
                        "tenantId": TENANT, "displayName": "Sub " + s,
                        "state": "Enabled"}
        nl = lambda p: "%s/subscriptions?api-version=2022-12-01&%%24skiptoken=%s" % (self.base(), p)
        if page == "1":
            return self.send_json(200, {"value": [mk("sub-a"), mk("sub-b")], "nextLink": nl("2")})
        if page == "2":  # an empty page that still carries a nextLink
            return self.send_json(200, {"value": [], "nextLink": nl("3")})
        self.send_json(200, {"value": [mk("sub-c")]})

    def group(self, sub, name):
        return {"id": "/subscriptions/%s/resourceGroups/%s" % (sub, name),
                "name": name, "type": "Microsoft.Resources/resourceGroups",
                "location": "westeurope", "tags": {"env": "test"},
                "properties": {"provisioningState": "Succeeded"}}

    def groups(self, sub, q):
        n = count("groups " + sub)
        if sub == "throttle" and n == 1:
            return self.arm_error(429, "TooManyRequests", "Slow down.",
                                  {"Retry-After": "1"})
        if sub == "unavail" and n == 1:
            return self.arm_error(503, "ServiceUnavailable", "Try later.")
        if sub == "err500":
            return self.arm_error(500, "InternalServerError", "It broke.")
        if sub == "reset" and n == 1:
            return self.rst()
        if sub == "cut" and n == 1:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b'{"value": [' + b" " * 90)
            self.wfile.flush()
            return self.rst(partial_header=False)
        if sub == "hang":
            time.sleep(30)
            return self.rst(partial_header=False)
        if sub == "slow":
            time.sleep(3)
        if sub.startswith("par-"):
            time.sleep(0.05)
            return self.send_json(200, {"value": [self.group(sub, "rg-" + sub[4:])]})
        if sub == "big":  # about 10 MB in one page
            pad = "x" * 200
            value = [dict(self.group(sub, "rg-%05d" % i), tags={"pad": pad})
                     for i in range(40000)]
            return self.send_json(200, {"value": value})
        if sub == "missing":
            return self.arm_error(404, "SubscriptionNotFound",
                                  "The subscription 'missing' could not be found.")
        self.send_json(200, {"value": [self.group(sub, g) for g in ("g1", "g2", "g3")]})

    def vault(self, sub, name, slash=True):
        vid = "/subscriptions/%s/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/%s" % (sub, name)
        port = self.server.port
        return {"id": vid, "name": name, "type": "Microsoft.KeyVault/vaults",
                "location": "westeurope", "tags": {"owner": "tests"},
                "systemData": {"createdAt": "2023-07-25T07:39:58.285Z"},
                "properties": {"sku": {"family": "A", "name": "standard"},
                               "tenantId": TENANT, "accessPolicies": [],
                               "enableRbacAuthorization": True,
                               "enableSoftDelete": True,
                               "softDeleteRetentionInDays": 7,
                               "vaultUri": "https://%s.vault.localhost:%d%s" % (name, port, "/" if slash else ""),
                               "provisioningState": "Succeeded",
                               "publicNetworkAccess": "Enabled"}}

    def vaults(self, parts, q):
        sub = parts[1]
        low = [p.lower() for p in parts]
        i = low.index("vaults")
        if i == len(parts) - 1:  # a list
            page = q.get("$skiptoken", ["1"])[0]
            nl = "%s/subscriptions/%s/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01&$skiptoken=%%s" % (self.base(), sub)
            if page == "1":
                return self.send_json(200, {"value": [self.vault(sub, "kv1")], "nextLink": nl % "2"})
            if page == "2":
                return self.send_json(200, {"value": [], "nextLink": nl % "3"})
            return self.send_json(200, {"value": [self.vault(sub, "kv2", slash=False)]})
        name = parts[i + 1]
        if name == "missing":
            # the body of R:pna #0 (test_keyvault_public_network_access.yaml)
            return self.arm_error(404, "ResourceNotFound",
                                  "The Resource 'Microsoft.KeyVault/vaults/missing' under resource group 'rg1' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
                                  {"x-ms-failure-cause": "gateway"})
        if len(parts) > i + 2 and low[i + 2] == "privateendpointconnections":
            vid = "/" + "/".join(parts[:i + 2])
            return self.send_json(200, {"value": [{
                "id": vid + "/privateEndpointConnections/pe1.conn",
                "name": "pe1.conn", "etag": "W/\"1\"",
                "properties": {"privateEndpoint": {"id": "/subscriptions/%s/resourceGroups/rg1/providers/Microsoft.Network/privateEndpoints/pe1" % sub},
                               "privateLinkServiceConnectionState": {"status": "Approved", "description": "Auto Approved", "actionsRequired": "None"},
                               "provisioningState": "Succeeded"}}]})
        self.send_json(200, self.vault(sub, name))

    # ---- long-running operations (providers/Microsoft.Test) ----------
    def lro(self, parts):
        """Resources .../things/NAME whose name picks the pattern: async*
        (201 + Azure-AsyncOperation), both* (202 + both headers, status
        answering 202 then 200), loc* and del* (202 + Location), prov*
        (200 with provisioningState RegisteringDns, then Succeeded on the
        second GET), fail* (the operation fails), slow* (never ends),
        evil* (a Location on another host), post* (POST .../purge)."""
        low = [p.lower() for p in parts]
        opbase = "%s/subscriptions/%s/providers/Microsoft.Test" % (self.base(), parts[1])
        ra = {"Retry-After": "1"}
        if "operations" in low:  # Azure-AsyncOperation status
            op = parts[low.index("operations") + 1]
            n = count("op " + op)
            if op.startswith("fail"):
                return self.send_json(200, {"status": "Failed", "error": {
                    "code": "ZoneFailed", "message": "The zone could not be created."}})
            if n == 1:
                return self.send_json(202 if op.startswith("both") else 200,
                                      {"status": "InProgress"}, ra)
            return self.send_json(200, {"status": "Succeeded"})
        if "operationresults" in low:  # Location
            op = parts[low.index("operationresults") + 1]
            n = count("res " + op)
            if op.startswith("slow"):
                return self.send_json(202, None, ra, raw=b"")
            if op.startswith("post"):
                if n == 1:
                    return self.send_json(202, {"status": "NotStarted"}, ra)
                return self.send_json(200, {"status": "Succeeded", "purged": True})
            if n == 1:
                return self.send_json(202, None, ra, raw=b"")
            if op.startswith("del"):
                return self.send_json(204, None, raw=b"")
            return self.send_json(200, None, raw=b"")
        i = low.index("things")
        name = parts[i + 1]
        rid = "/" + "/".join(parts[:i + 2])

        def res(state):
            return {"id": rid, "name": name, "type": "Microsoft.Test/things",
                    "location": "westeurope",
                    "properties": {"provisioningState": state}}
        if self.command == "GET":
            n = count("get " + name)
            if name.startswith("prov") and n == 1:
                return self.send_json(200, res("RegisteringDns"))
            return self.send_json(200, res("Succeeded"))
        if name == "missing":
            return self.arm_error(404, "ResourceNotFound", "The Resource 'Microsoft.Test/things/missing' was not found.")
        ao = "%s/operations/%s?api-version=2024-01-01&t=63&s=a%%2Bb" % (opbase, name)
        loc = "%s/operationResults/%s?api-version=2024-01-01" % (opbase, name)
        if name.startswith("async") or name.startswith("fail"):
            return self.send_json(201, res("Creating"), dict(ra, **{"Azure-AsyncOperation": ao}))
        if name.startswith("both"):
            return self.send_json(202, {}, {"Azure-AsyncOperation": ao, "Location": loc})
        if name.startswith(("loc", "del", "slow", "post")):
            return self.send_json(202, None, dict(ra, Location=loc), raw=b"")
        if name.startswith("evil"):
            return self.send_json(202, None, {"Location": "https://attacker.example/op"}, raw=b"")
        if name.startswith("prov"):
            return self.send_json(200, res("RegisteringDns"))
        return self.send_json(200, res("Succeeded"))

    # ---- Key Vault data plane ----------------------------------------
    def data_plane(self, vault, parts, q):
        port = self.server.port
        res = "https://vault.localhost:%d" % port
        if vault == "kvevil":
            res = "https://attacker.example"
        scope = self.bearer()
        tenant = OTHER_TENANT if vault == "kvother" else TENANT
        h = self.headers.get("Authorization", "")[7:]
        with lock:
            tok_tenant = token_tenant.get(h)
            tok_claimed = h in claimed
        if scope is None or scope != res + "/.default" or tok_tenant != tenant:
            count("challenge " + vault)
            return self.send_json(401, {"error": {"code": "Unauthorized", "message": "AKV10000: Request is missing a Bearer or PoP token."}},
                                  {"WWW-Authenticate": 'Bearer authorization="%s/%s", resource="%s"' % (self.base(), tenant, res)})
        # kvcae: continuous access evaluation, satisfied by a token asked
        # for with the claims; kvcae2 challenges every token
        if (vault == "kvcae" and not tok_claimed) or vault == "kvcae2":
            count("claims-challenge " + vault)
            b64 = base64.b64encode(CAE_CLAIMS.encode()).decode()
            return self.send_json(401, {"error": {"code": "Unauthorized", "message": "Token validation failed: insufficient claims."}},
                                  {"WWW-Authenticate": 'Bearer realm="", authorization_uri="%s/common/oauth2/authorize", error="insufficient_claims", claims="%s"' % (self.base(), b64)})
        vurl = "https://%s.vault.localhost:%d" % (vault, port)
        attrs = {"enabled": True, "created": 1690270834, "updated": 1690270834,
                 "recoveryLevel": "CustomizedRecoverable+Purgeable", "recoverableDays": 7}
        if parts == ["secrets"]:
            n = min(int(q.get("maxresults", ["25"])[0]), 25)
            skip = int(q.get("$skiptoken", ["0"])[0])
            names = ["secret-%02d" % i for i in range(60)]
            value = [{"id": "%s/secrets/%s" % (vurl, s), "attributes": attrs,
                      "tags": {"n": s}, "contentType": "text/plain"} for s in names[skip:skip + n]]
            nxt = None
            if skip + n < len(names):
                nxt = "%s/secrets?api-version=7.5&$skiptoken=%d&maxresults=%d" % (vurl, skip + n, n)
            return self.send_json(200, {"value": value, "nextLink": nxt})
        if len(parts) == 3 and parts[0] == "secrets" and parts[2] == "versions":
            value = [{"id": "%s/secrets/%s/%032x" % (vurl, parts[1], i), "attributes": attrs} for i in range(3)]
            return self.send_json(200, {"value": value, "nextLink": None})
        if self.command != "GET" or parts[:1] == ["deletedsecrets"]:
            return self.data_write(vurl, parts, attrs)
        if len(parts) in (2, 3) and parts[0] == "secrets":
            name = parts[1]
            if name == "missing":
                return self.send_json(404, {"error": {"code": "SecretNotFound", "message": "A secret with (name/id) missing was not found in this key vault."}})
            ver = parts[2] if len(parts) == 3 else "%032x" % 7
            return self.send_json(200, {"value": "the-value-of-" + name,
                                        "id": "%s/secrets/%s/%s" % (vurl, name, ver),
                                        "attributes": attrs, "tags": {}})
        self.send_json(404, {"error": {"code": "NotFound", "message": "no such path"}})

    def data_write(self, vurl, parts, attrs):
        with open(os.path.join(self.server.dir, "body-%s.json" % self.command), "wb") as f:
            f.write(self.body)
        req = json.loads(self.body) if self.body else {}
        name = parts[1] if len(parts) > 1 else ""
        ver = "%032x" % (count("version " + name) + 0xabc000)
        a = dict(attrs)
        a.update({k: v for k, v in req.get("attributes", {}).items() if v is not None})
        bundle = {"id": "%s/secrets/%s/%s" % (vurl, name, ver), "attributes": a,
                  "tags": req.get("tags", {})}
        if "contentType" in req:
            bundle["contentType"] = req["contentType"]
        deleted = {"recoveryId": "%s/deletedsecrets/%s" % (vurl, name),
                   "deletedDate": 1690270840, "scheduledPurgeDate": 1690875640,
                   "id": "%s/secrets/%s/%032x" % (vurl, name, 5),
                   "attributes": attrs, "tags": {"test": "foo"}, "contentType": "text/plain"}
        if name == "missing":
            return self.send_json(404, {"error": {"code": "SecretNotFound", "message": "A secret with (name/id) missing was not found in this key vault."}})
        if self.command == "PUT" and parts[0] == "secrets" and len(parts) == 2:
            n = count("put " + name)
            if name == "drop":
                return self.rst(partial_header=False)
            if name == "hang":
                time.sleep(20)
                return self.rst(partial_header=False)
            if name == "unavail":
                return self.send_json(503, {"error": {"code": "ServiceUnavailable", "message": "Try later."}})
            if name == "throttle" and n == 1:
                return self.send_json(429, {"error": {"code": "Throttled", "message": "Slow down."}}, {"Retry-After": "1"})
            if not isinstance(req.get("value"), str):
                return self.send_json(400, {"error": {"code": "BadParameter", "message": "value is required"}})
            bundle["value"] = req["value"]
            return self.send_json(201 if name == "throttle" else 200, bundle)
        if self.command == "PATCH" and parts[0] == "secrets" and len(parts) == 3:
            bundle["id"] = "%s/secrets/%s/%s" % (vurl, name, parts[2] or "%032x" % 7)
            return self.send_json(200, bundle)
        if self.command == "DELETE" and parts[0] == "secrets" and len(parts) == 2:
            return self.send_json(200, deleted)
        if self.command == "POST" and parts[0] == "deletedsecrets" and parts[2:] == ["recover"]:
            return self.send_json(200, bundle)
        if self.command == "DELETE" and parts[0] == "deletedsecrets" and len(parts) == 2:
            return self.send_json(204, None, raw=b"")
        if self.command == "GET" and parts == ["deletedsecrets"]:
            q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            skip = int(q.get("$skiptoken", ["0"])[0])
            n = int(q.get("maxresults", ["25"])[0])
            names = ["gone-%02d" % i for i in range(5)]
            value = []
            for s in names[skip:skip + n]:
                d = dict(deleted, recoveryId="%s/deletedsecrets/%s" % (vurl, s), id="%s/secrets/%s" % (vurl, s))
                value.append(d)
            nxt = None
            if skip + n < len(names):
                nxt = "%s/deletedsecrets?api-version=7.5&$skiptoken=%d&maxresults=%d" % (vurl, skip + n, n)
            return self.send_json(200, {"value": value, "nextLink": nxt})
        if self.command == "GET" and parts[0] == "deletedsecrets" and len(parts) == 2:
            return self.send_json(200, deleted)
        self.send_json(404, {"error": {"code": "NotFound", "message": "no such path"}})

    # ---- plain transport checks (no auth) -----------------------------
    def transport(self, parts):
        what = parts[0] if parts else ""
        n = count("http " + self.command + " " + what)
        if what == "echo":
            return self.send_json(200, {"ua": self.headers.get("User-Agent"),
                                        "crid": self.headers.get("x-ms-client-request-id"),
                                        "accept": self.headers.get("Accept"),
                                        "n": n})
        if what == "err500":
            return self.arm_error(500, "InternalServerError", "It broke.")
        if what == "reset":
            return self.rst()
        if what == "date429" and n == 1:
            when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 2))
            return self.arm_error(429, "TooManyRequests", "Slow down.", {"Retry-After": when})
        if what == "ms429" and n == 1:
            return self.arm_error(429, "TooManyRequests", "Slow down.", {"retry-after-ms": "700"})
        self.send_json(200, {"n": n})


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512

    def handle_error(self, request, client_address):
        pass  # resets are deliberate


def main():
    d = sys.argv[1]
    crt, key = make_certs(d)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(crt, key)
    ctx.set_alpn_protocols(["http/1.1"])
    srv = Server(("127.0.0.1", 0), Handler)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                 do_handshake_on_connect=False)
    srv.port = srv.server_address[1]
    srv.log = os.path.join(d, "requests.log")
    srv.stats = os.path.join(d, "stats.json")
    srv.dir = d
    open(srv.log, "w").close()
    with open(os.path.join(d, "cloud.json"), "w") as f:
        json.dump({"name": "kvtest",
                   "endpoints": {
                       "resourceManager": "https://127.0.0.1:%d/" % srv.port,
                       "activeDirectory": "https://127.0.0.1:%d" % srv.port,
                       "activeDirectoryResourceId": "https://management.core.windows.net/",
                       "activeDirectoryGraphResourceId": "https://graph.windows.net/",
                       "microsoftGraphResourceId": "https://graph.microsoft.com/"},
                   "suffixes": {"keyvaultDns": ".vault.localhost"}}, f)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("ready %d" % srv.port, flush=True)
    sys.stdin.read()  # until the test closes our stdin (or dies)
    os._exit(0)


if __name__ == "__main__":
    main()
