"""simlib.py — helpers for the kvdeck-sim tests: start and stop the
simulator in a temporary state directory, get tokens, and make HTTPS
requests to the ARM, login and vault hosts (vault host names are sent as
SNI/Host while connecting to 127.0.0.1, since Python does not resolve
*.localhost). Standard library only.

A test exits 0 on success, 1 on failure, 77 to skip (with a reason).
"""
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

TOP_BUILDDIR = os.environ.get("top_builddir", ".")
SIM = os.path.join(TOP_BUILDDIR, "src", "sim", "kvdeck-sim")
ARM_SCOPE = "https://management.core.windows.net//.default"


def need_tools(*tools):
    """Skips the test when a command-line tool it uses is missing."""
    for t in tools:
        if not shutil.which(t):
            print("SKIP: %s not found" % t)
            sys.exit(77)


def skip_unless_built():
    if os.environ.get("KV_ENABLE_SIM") == "#":
        print("SKIP: kvdeck-sim is not built (--disable-sim)")
        sys.exit(77)
    if not os.access(SIM, os.X_OK):
        print("SKIP: %s is not built" % SIM)
        sys.exit(77)


class Failed(Exception):
    pass


class Checker:
    """Counts checks; prints each failure; exit code at the end."""

    def __init__(self):
        self.failures = 0
        self.count = 0

    def ok(self, cond, what):
        self.count += 1
        if cond:
            print("ok %d - %s" % (self.count, what))
        else:
            self.failures += 1
            print("not ok %d - %s" % (self.count, what))
        return cond

    def eq(self, got, want, what):
        good = got == want
        if not good:
            what = "%s (got %r, want %r)" % (what, got, want)
        return self.ok(good, what)

    def done(self):
        print("%d checks, %d failed" % (self.count, self.failures))
        sys.exit(1 if self.failures else 0)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        return json.loads(self.body.decode("utf-8"))


class Sim:
    def __init__(self, args=(), state_dir=None, env=None, seed="demo"):
        self.own_dir = state_dir is None
        self.dir = state_dir or tempfile.mkdtemp(prefix="kvsim-test-")
        self.args = list(args)
        self.seed = seed
        self.env = env
        self.proc = None
        self.start()

    def start(self, extra=()):
        cmd = [SIM, "--state-dir", os.path.join(self.dir, "state"),
               "--seed", self.seed] + self.args + list(extra)
        env = dict(os.environ)
        if self.env:
            env.update(self.env)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("ready "):
            err = self.proc.stderr.read().decode()
            raise Failed("simulator did not start: %r %s" % (line, err))
        self.conn_path = line.split(" ", 1)[1].strip()
        with open(self.conn_path) as f:
            self.conn = json.load(f)
        self.port = self.conn["port"]
        self.ca = self.conn["ca"]
        self.tenant = self.conn["tenant"]
        self.ctx = ssl.create_default_context(cafile=self.ca)
        self._tokens = {}

    def stop(self, check=True):
        """SIGTERM and wait; returns the exit status."""
        if not self.proc:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        err = self.proc.stderr.read().decode()
        self.proc.stdout.close()
        self.proc.stderr.close()
        self.proc = None
        if check and rc != 0:
            raise Failed("simulator exited with %d: %s" % (rc, err))
        return rc

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()
        self.proc = None

    def cleanup(self):
        if self.proc:
            self.stop(check=False)
        if self.own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    # ---- HTTP ----------------------------------------------------------
    def request(self, method, url, body=None, headers=None, token=None,
                source=None, raw=False, timeout=30):
        u = urllib.parse.urlsplit(url)
        host = u.hostname
        port = u.port or 443
        hdrs = {"Host": u.netloc}
        if token:
            hdrs["Authorization"] = "Bearer " + token
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            hdrs["Content-Type"] = "application/json"
        if isinstance(body, str):
            body = body.encode()
        if headers:
            hdrs.update(headers)
        path = u.path or "/"
        if u.query:
            path += "?" + u.query
        c = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout,
                                        context=self.ctx,
                                        source_address=(source, 0)
                                        if source else None)
        # SNI and certificate check against the URL's host name.
        c._tunnel_host = None
        sock = socket.create_connection(("127.0.0.1", port), timeout,
                                        (source, 0) if source else None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.sock = self.ctx.wrap_socket(sock, server_hostname=host)
        c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in hdrs.items():
            c.putheader(k, v)
        if body is not None:
            c.putheader("Content-Length", str(len(body)))
        c.endheaders(body)
        r = c.getresponse()
        data = r.read()
        resp = Response(r.status, r.getheaders(), data)
        c.close()
        return resp

    def url(self, path):
        return "https://127.0.0.1:%d%s" % (self.port, path)

    def vault_url(self, name, path):
        return "https://%s.vault.localhost:%d%s" % (name, self.port, path)

    def token(self, scope=ARM_SCOPE, fresh=False):
        if scope in self._tokens and not fresh:
            return self._tokens[scope]
        form = urllib.parse.urlencode({
            "grant_type": "client_credentials",
            "client_id": self.conn["client_id"],
            "client_secret": self.conn["client_secret"],
            "scope": scope})
        r = self.request("POST", self.url("/%s/oauth2/v2.0/token" %
                                          self.tenant), body=form,
                         headers={"Content-Type":
                                  "application/x-www-form-urlencoded"})
        if r.status != 200:
            raise Failed("token: %d %s" % (r.status, r.body))
        tok = r.json()["access_token"]
        self._tokens[scope] = tok
        return tok

    def vault_token(self):
        return self.token("https://vault.localhost:%d/.default" % self.port)

    def arm(self, method, path, body=None, api="2023-07-01", **kw):
        sep = "&" if "?" in path else "?"
        if api and "api-version=" not in path:
            path = path + sep + "api-version=" + api
        return self.request(method, self.url(path), body=body,
                            token=kw.pop("token", None) or self.token(), **kw)

    def dp(self, method, vault, path, body=None, api="7.4", **kw):
        sep = "&" if "?" in path else "?"
        if api and "api-version=" not in path:
            path = path + sep + "api-version=" + api
        return self.request(method, self.vault_url(vault, path), body=body,
                            token=kw.pop("token", None) or self.vault_token(),
                            **kw)

    def control(self, method, path, body=None):
        return self.request(method, self.url("/_sim" + path), body=body)

    def subscription(self, i=0):
        return self.conn["subscriptions"][i]

    def demo_sub(self, name):
        r = self.arm("GET", "/subscriptions", api="2022-12-01")
        for s in r.json()["value"]:
            if s["displayName"] == name:
                return s["subscriptionId"]
        raise Failed("no subscription %r" % name)


def follow(sim, first_url, token=None, limit=100000):
    """GETs a list and every nextLink; returns (items, pages)."""
    items, pages, url = [], 0, first_url
    while url and pages < limit:
        r = sim.request("GET", url, token=token)
        if r.status != 200:
            raise Failed("GET %s: %d %s" % (url, r.status, r.body[:300]))
        j = r.json()
        items += j["value"]
        pages += 1
        url = j.get("nextLink")
    return items, pages


def main(fn):
    """Runs fn(check) with the sim skipped-if-absent; exits properly."""
    skip_unless_built()
    c = Checker()
    try:
        fn(c)
    except Failed as e:
        c.ok(False, "fatal: %s" % e)
    c.done()
