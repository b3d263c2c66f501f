"""canary-token-proxy.py — for tests/tui/test-canary-sweep.sh: an HTTPS
reverse proxy put in front of kvdeck-sim's sign-in endpoint (the test's
cloud file names it as activeDirectory), so that the tokens kvdeck is
given become canaries too. Every request is passed to the simulator as
is; from every answer carrying access_token, refresh_token or id_token
those are appended to the markers file as "token-N VALUE" lines.
Standard library only.

    canary-token-proxy.py CERT KEY SIM_URL SIM_CA MARKERS

Prints "ready PORT" once it listens on 127.0.0.1; runs until killed.
"""
import http.client
import http.server
import json
import ssl
import sys
import threading
import urllib.parse

CERT, KEY, SIM_URL, SIM_CA, MARKERS = sys.argv[1:6]
SIM = urllib.parse.urlsplit(SIM_URL)
LOCK = threading.Lock()
SEEN = set()


def record(body):
    try:
        j = json.loads(body)
    except ValueError:
        return
    if not isinstance(j, dict):
        return
    with LOCK, open(MARKERS, "a") as fh:
        for k in ("access_token", "refresh_token", "id_token"):
            v = j.get(k)
            if isinstance(v, str) and v and v not in SEEN:
                SEEN.add(v)
                fh.write("token-%d %s\n" % (len(SEEN), v))


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def relay(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        ctx = ssl.create_default_context(cafile=SIM_CA)
        c = http.client.HTTPSConnection(SIM.hostname, SIM.port, context=ctx,
                                        timeout=30)
        hdrs = {k: v for k, v in self.headers.items()
                if k.lower() not in ("host", "connection", "content-length")}
        c.request(self.command, self.path, body=body, headers=hdrs)
        r = c.getresponse()
        data = r.read()
        c.close()
        record(data)
        self.send_response(r.status, r.reason)
        for k, v in r.getheaders():
            if k.lower() not in ("connection", "content-length",
                                 "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = relay


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("ready %d" % srv.server_address[1], flush=True)
srv.serve_forever()
