"""Serving, certificates and the connection/cloud files: the simulator
answers HTTPS with its own CA (trusted by curl --cacert, refused with
another CA), writes connection.json/cloud.json with the fields of the
contract, keeps private keys 0600, refuses non-loopback listeners, and
answers client_credentials tokens, ARM lists and data-plane reads with
the demo seed."""
import http.client
import json
import os
import stat
import subprocess
import tempfile

import simlib


def run(c):
    sim = simlib.Sim()
    try:
        conn = sim.conn
        for k in ("version", "pid", "port", "arm", "login", "adfs",
                  "arm_audience", "vault_dns_suffix", "vault_resource",
                  "proxy", "control", "ca", "cloud_file", "tenant",
                  "client_id", "client_secret", "subscriptions"):
            c.ok(k in conn, "connection.json has %s" % k)
        c.eq(conn["pid"], sim.proc.pid, "pid is the simulator's")
        c.eq(conn["arm"], "https://127.0.0.1:%d/" % sim.port, "arm endpoint")
        c.eq(conn["vault_resource"], "https://vault.localhost:%d" % sim.port,
             "vault resource")
        c.eq(len(conn["subscriptions"]), 2, "demo has two subscriptions")
        with open(conn["cloud_file"]) as f:
            cloud = json.load(f)
        ep = cloud["endpoints"]
        for k in ("resourceManager", "activeDirectory",
                  "activeDirectoryResourceId",
                  "activeDirectoryGraphResourceId",
                  "microsoftGraphResourceId"):
            c.ok(k in ep, "cloud.json endpoints.%s" % k)
        c.eq(cloud["suffixes"]["keyvaultDns"], ".vault.localhost",
             "cloud.json keyvaultDns suffix")
        st = os.path.dirname(conn["ca"])
        for f in ("ca-key.pem", "server-key.pem", "signing-key.pem",
                  "client-key.pem", "client-combined.pem", "sim.json",
                  "connection.json"):
            mode = stat.S_IMODE(os.stat(os.path.join(st, f)).st_mode)
            c.eq(mode, 0o600, "%s is 0600" % f)

        # curl with the CA works; with another CA it fails.
        url = "https://127.0.0.1:%d/_sim" % sim.port
        r = subprocess.run(["curl", "-sS", "--cacert", conn["ca"], url],
                           capture_output=True)
        c.eq(r.returncode, 0, "curl --cacert CA succeeds")
        other = tempfile.mkdtemp()
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec",
                        "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-subj", "/CN=other", "-keyout",
                        other + "/k.pem", "-out", other + "/c.pem",
                        "-days", "2"], capture_output=True, check=True)
        r = subprocess.run(["curl", "-sS", "--cacert", other + "/c.pem", url],
                           capture_output=True)
        c.eq(r.returncode, 60, "curl with another CA fails verification")
        vurl = "https://kv-contoso-ai-prod.vault.localhost:%d/" % sim.port
        r = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w",
                            "%{http_code}", "--cacert", conn["ca"],
                            vurl + "secrets?api-version=7.4"],
                           capture_output=True, text=True)
        c.eq(r.stdout, "401", "curl reaches NAME.vault.localhost (401)")

        # Tokens and the first reads.
        tok = sim.token()
        c.ok(tok.count(".") == 2, "client_credentials gives a JWT")
        r = sim.arm("GET", "/subscriptions", api="2022-12-01")
        c.eq(r.status, 200, "subscriptions list")
        names = sorted(s["displayName"] for s in r.json()["value"])
        c.eq(names, ["Contoso Development", "Contoso Production"],
             "subscription names")
        prod = sim.demo_sub("Contoso Production")
        r = sim.arm("GET", "/subscriptions/%s/resourcegroups" % prod,
                    api="2021-04-01")
        c.eq(sorted(g["name"] for g in r.json()["value"]),
             ["rg-ai-prod", "rg-app-prod", "rg-network-prod"], "groups")
        r = sim.arm("GET", "/subscriptions/%s/providers/Microsoft.KeyVault/"
                    "vaults" % prod)
        vaults = {v["name"]: v for v in r.json()["value"]}
        c.ok("kv-contoso-ai-prod" in vaults, "vault list has the AI vault")
        c.eq(vaults["kv-contoso-ai-prod"]["properties"]["vaultUri"],
             "https://kv-contoso-ai-prod.vault.localhost:%d/" % sim.port,
             "vaultUri names the vault host")
        r = sim.dp("GET", "kv-contoso-ai-prod", "/secrets/openai-api-key/")
        c.eq(r.status, 200, "data plane get latest")
        c.ok(len(r.json()["value"]) > 0, "secret has a value")
        r = sim.dp("GET", "kv-contoso-ai-prod",
                   "/secrets/openai-api-key/versions")
        c.eq(len(r.json()["value"]), 3, "openai-api-key has 3 versions")
        c.ok("nextLink" in r.json() and r.json()["nextLink"] is None,
             "explicit null nextLink")
        # A request line without the leading slash (found by
        # tests/fuzz/fuzz-sim-router: the control endpoint read past the
        # path "_sim"): the status page, as for "/_sim".
        hc = http.client.HTTPSConnection("127.0.0.1", sim.port, timeout=30,
                                         context=sim.ctx)
        hc.putrequest("GET", "_sim", skip_host=True,
                      skip_accept_encoding=True)
        hc.putheader("Host", "127.0.0.1:%d" % sim.port)
        hc.endheaders()
        r = hc.getresponse()
        body = r.read()
        hc.close()
        c.ok(r.status == 200 and b'"name":"kvdeck-sim"' in body,
             "GET _sim (no slash): the status page")
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit on SIGTERM")
        c.ok(not os.path.exists(sim.conn_path),
             "connection.json removed on clean exit")
        sim.cleanup()

    # A non-loopback listener is refused.
    d = tempfile.mkdtemp()
    r = subprocess.run([simlib.SIM, "--state-dir", d + "/s", "--listen",
                        "0.0.0.0:0"], capture_output=True, text=True,
                       timeout=30)
    c.ok(r.returncode != 0 and "loopback" in r.stderr,
         "--listen 0.0.0.0 refused")


simlib.need_tools("curl", "openssl")
simlib.main(run)
