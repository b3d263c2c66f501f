#!/usr/bin/env python3
"""fake-az.py — stands in for the az CLI in test-cli-az.sh: answers
`az account get-access-token --resource R [--tenant T] --output json`
with a real token from kvdeck-sim (client credentials, as the sim's
service principal), in az's output format. Records each argv in
$FAKE_AZ_LOG. $FAKE_AZ_MODE: ok (default), old (only the local-time
expiresOn of az before 2.54), fail (az's "please run az login" on
stderr, exit 1), hang (never answers), garbage (not JSON)."""
import json, os, ssl, sys, time, urllib.parse, urllib.request

with open(os.environ["FAKE_AZ_LOG"], "a") as f:
    f.write(json.dumps(sys.argv[1:]) + "\n")
mode = os.environ.get("FAKE_AZ_MODE", "ok")
if mode == "fail":
    sys.stderr.write("ERROR: Please run 'az login' to setup account.\n")
    sys.exit(1)
if mode == "hang":
    time.sleep(120)
if mode == "garbage":
    print("this is not json")
    sys.exit(0)
args = sys.argv[1:]
if args[:2] != ["account", "get-access-token"]:
    sys.stderr.write("fake az: unexpected command %r\n" % args)
    sys.exit(2)
resource = args[args.index("--resource") + 1]
conn = json.load(open(os.environ["SIM_CONN"]))
tenant = args[args.index("--tenant") + 1] if "--tenant" in args else conn["tenant"]
body = urllib.parse.urlencode({
    "grant_type": "client_credentials", "client_id": conn["client_id"],
    "client_secret": conn["client_secret"],
    # az asks MSAL for RESOURCE/.default (ARM's "…net/" gives "…net//.default")
    "scope": resource + "/.default"}).encode()
ctx = ssl.create_default_context(cafile=conn["ca"])
url = "https://127.0.0.1:%d/%s/oauth2/v2.0/token" % (conn["port"], tenant)
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                     urllib.request.HTTPSHandler(context=ctx))
tok = json.load(opener.open(url, body))
exp = int(time.time()) + int(tok["expires_in"])
out = {"accessToken": tok["access_token"],
       "expiresOn": time.strftime("%Y-%m-%d %H:%M:%S.000000",
                                  time.localtime(exp)),
       "tenant": tenant, "tokenType": "Bearer"}
if mode != "old":
    out["expires_on"] = exp
print(json.dumps(out, indent=2))
