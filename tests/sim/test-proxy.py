"""The CONNECT proxy: a client that insists on Microsoft's login host is
tunnelled into the simulator (instance discovery, tenant OpenID
configuration and tokens answered for login.microsoftonline.com), ARM is
reachable as management.azure.com, vault hosts on :443 work, and any
other destination or method is refused: the proxy never forwards."""
import socket
import urllib.parse

import simlib


def connect(proxy, target):
    host, port = proxy.rsplit("//", 1)[1].split(":")
    s = socket.create_connection((host, int(port)), 10)
    s.sendall(("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (target, target))
              .encode())
    head = b""
    while b"\r\n\r\n" not in head:
        b = s.recv(1)
        if not b:
            break
        head += b
    return s, int(head.split(b" ")[1]) if head else 0


def https(sim, sock, host, method, path, body=None, headers=()):
    t = sim.ctx.wrap_socket(sock, server_hostname=host)
    extra = "".join("%s: %s\r\n" % h for h in headers)
    data = body.encode() if body else b""
    t.sendall(("%s %s HTTP/1.1\r\nHost: %s\r\n%sContent-Length: %d\r\n"
               "Connection: close\r\n\r\n" % (method, path, host, extra,
                                              len(data))).encode() + data)
    out = b""
    while True:
        chunk = t.recv(65536)
        if not chunk:
            break
        out += chunk
    t.close()
    head, _, rest = out.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), rest


def run(c):
    sim = simlib.Sim()
    try:
        p = sim.conn["proxy"]
        s, st = connect(p, "login.microsoftonline.com:443")
        c.eq(st, 200, "CONNECT login.microsoftonline.com:443")
        code, body = https(sim, s, "login.microsoftonline.com", "GET",
                           "/common/discovery/instance?api-version=1.1&"
                           "authorization_endpoint=x")
        c.eq((code, body), (200, b'{"metadata":[]}'),
             "instance discovery through the proxy")
        s, st = connect(p, "login.microsoftonline.com:443")
        code, body = https(sim, s, "login.microsoftonline.com", "GET",
                           "/%s/v2.0/.well-known/openid-configuration"
                           % sim.tenant)
        c.ok(code == 200 and b"https://login.microsoftonline.com/" in body,
             "OpenID configuration names the login host")
        form = urllib.parse.urlencode({
            "grant_type": "client_credentials",
            "client_id": sim.conn["client_id"],
            "client_secret": sim.conn["client_secret"],
            "scope": simlib.ARM_SCOPE})
        s, st = connect(p, "login.microsoftonline.com:443")
        code, body = https(sim, s, "login.microsoftonline.com", "POST",
                           "/%s/oauth2/v2.0/token" % sim.tenant, form,
                           [("Content-Type",
                             "application/x-www-form-urlencoded")])
        c.eq(code, 200, "token through the proxy")
        s, st = connect(p, "management.azure.com:443")
        code, body = https(sim, s, "management.azure.com", "GET",
                           "/subscriptions?api-version=2022-12-01", None,
                           [("Authorization", "Bearer " + sim.token())])
        c.ok(code == 200 and b"Contoso Production" in body,
             "ARM as management.azure.com")
        s, st = connect(p, "kv-contoso-dev.vault.localhost:443")
        code, body = https(sim, s, "kv-contoso-dev.vault.localhost", "GET",
                           "/secrets?api-version=7.4")
        c.eq(code, 401, "vault host on :443 through the proxy")
        s, st = connect(p, "example.com:443")
        c.eq(st, 403, "other hosts are refused")
        s.close()
        s, st = connect(p, "login.microsoftonline.com:8443")
        c.eq(st, 403, "other ports are refused")
        s.close()
        host, port = p.rsplit("//", 1)[1].split(":")
        s = socket.create_connection((host, int(port)), 10)
        s.sendall(b"GET http://example.com/ HTTP/1.1\r\nHost: example.com"
                  b"\r\n\r\n")
        c.ok(s.recv(100).startswith(b"HTTP/1.1 405"),
             "plain HTTP proxying refused")
        s.close()
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


simlib.main(run)
