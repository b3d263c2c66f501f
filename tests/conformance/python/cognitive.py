#!/usr/bin/python3
# tests/conformance/python/cognitive.py — kvdeck-sim's Azure AI services
# accounts with azure-mgmt-cognitiveservices as Debian packages it
# (python3-azure, api-version 2022-12-01): CognitiveServicesManagementClient
# lists the demo's accounts by subscription and by group, gets contoso-ai
# (kind OpenAI, its endpoint on the simulator), lists its keys and
# regenerates Key2 (Key1 unchanged); an unknown keyName is
# HttpResponseError 400 BadRequest, an unknown account
# ResourceNotFoundError. The demo vault's openai-api-key secret (read with
# azure-keyvault-secrets) holds Key1. The account's endpoint, called with
# `requests` through the simulator's proxy and trusting its CA: GET
# /openai/models is 200 for Key1 and the new Key2 and 401 (Azure OpenAI's
# body) for the old Key2 and a wrong key.
#
# Usage: cognitive.py CONNECTION_JSON
# The caller sets REQUESTS_CA_BUNDLE and HTTPS_PROXY (see test-cognitive.sh).
# Prints TAP; exit 0 all passed, 1 otherwise, 77 SDK missing.
import re
import sys
import time

try:
    import requests
    from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
    from taprun import Steps
    from azure.identity import ClientSecretCredential
    from azure.keyvault.secrets import SecretClient
    from azure.mgmt.cognitiveservices import CognitiveServicesManagementClient
    from azure.mgmt.cognitiveservices.models import KeyName
    from azure.mgmt.keyvault import KeyVaultManagementClient
except ImportError as exc:
    print("SKIP: Azure SDK for Python not importable: %s" % exc)
    sys.exit(77)

TIMEOUTS = dict(connection_timeout=10, read_timeout=60)
RG = "rg-ai-prod"
NAME = "contoso-ai"
HEX32 = re.compile(r"^[0-9a-f]{32}$")


class Cognitive(Steps):
    def __init__(self, conn_path):
        super().__init__(conn_path)

    def s_clients(self):
        c = self.conn
        self.cred = ClientSecretCredential(
            c["tenant"], c["client_id"], c["client_secret"],
            authority=c["login"], instance_discovery=False, **TIMEOUTS)
        self.kw = dict(base_url=self.arm, credential_scopes=[self.arm_scope],
                       **TIMEOUTS)
        # The production subscription: the one holding rg-ai-prod's account.
        self.sub = None
        for s in c["subscriptions"]:
            cs = CognitiveServicesManagementClient(self.cred, s, **self.kw)
            if any(a.name == NAME for a in cs.accounts.list()):
                self.sub, self.cs = s, cs
        self.check(self.sub, "no subscription lists %s" % NAME)

    def s_list(self):
        accts = {a.name: a for a in self.cs.accounts.list()}
        self.check(sorted(accts) == ["contoso-ai", "contoso-language"],
                   "accounts %r" % sorted(accts))
        self.check(accts["contoso-ai"].kind == "OpenAI" and
                   accts["contoso-language"].kind == "CognitiveServices",
                   "kinds %r" % {k: a.kind for k, a in accts.items()})
        by_rg = [a.name for a in self.cs.accounts.list_by_resource_group(RG)]
        self.check(by_rg == [NAME], "list_by_resource_group %r" % by_rg)

    def s_get(self):
        a = self.cs.accounts.get(RG, NAME)
        self.id = a.id
        self.endpoint = a.properties.endpoint
        want = "https://contoso-ai.openai.localhost:%d/" % self.conn["port"]
        self.check(a.id == "/subscriptions/%s/resourceGroups/%s/providers/"
                   "Microsoft.CognitiveServices/accounts/%s" %
                   (self.sub, RG, NAME), "id %r" % a.id)
        self.check(a.type == "Microsoft.CognitiveServices/accounts" and
                   a.location == "eastus2" and a.sku.name == "S0",
                   "type/location/sku %r %r %r" % (a.type, a.location, a.sku))
        self.check(self.endpoint == want, "endpoint %r" % self.endpoint)
        self.check(a.properties.provisioning_state == "Succeeded",
                   "provisioningState %r" % a.properties.provisioning_state)

    def s_keys(self):
        k = self.cs.accounts.list_keys(RG, NAME)
        self.check(HEX32.match(k.key1) and HEX32.match(k.key2) and
                   k.key1 != k.key2, "two distinct 32-hex keys")
        self.keys = k

    def s_secret(self):
        kv = KeyVaultManagementClient(self.cred, self.sub, **self.kw)
        uri = kv.vaults.get(RG, "kv-contoso-ai-prod").properties.vault_uri
        s = SecretClient(uri, self.cred, **TIMEOUTS).get_secret(
            "openai-api-key")
        self.check(s.value == self.keys.key1,
                   "the demo secret does not hold Key1")
        self.check(s.properties.tags.get("source-resource-id") == self.id,
                   "source-resource-id %r" %
                   s.properties.tags.get("source-resource-id"))

    def models(self, key):
        return requests.get(self.endpoint + "openai/models",
                            params={"api-version": "2024-10-21"},
                            headers={"api-key": key}, timeout=30,
                            verify=self.conn["ca"])

    def s_endpoint(self):
        for n in ("key1", "key2"):
            r = self.models(getattr(self.keys, n))
            self.check(r.status_code == 200, "%s: %d" % (n, r.status_code))
            self.check(r.json()["object"] == "list" and r.json()["data"],
                       "model list %r" % r.text[:200])
        r = self.models("0123456789abcdef0123456789abcdef")
        self.check(r.status_code == 401, "wrong key: %d" % r.status_code)
        e = r.json()["error"]
        self.check(e["code"] == "401" and e["message"].startswith(
            "Access denied due to invalid subscription key or wrong API "
            "endpoint."), "401 body %r" % e)

    def s_regenerate(self):
        old = self.keys
        # Debian's SDK (2022-12-01) takes the key name itself and sends
        # {"keyName": ...}.
        k = self.cs.accounts.regenerate_key(RG, NAME, KeyName.KEY2)
        self.check(k.key1 == old.key1, "Key1 changed")
        self.check(k.key2 != old.key2 and HEX32.match(k.key2), "Key2 not new")
        again = self.cs.accounts.list_keys(RG, NAME)
        self.check((again.key1, again.key2) == (k.key1, k.key2),
                   "list_keys disagrees")
        self.check(self.models(old.key2).status_code == 401,
                   "the old Key2 still works")
        self.check(self.models(k.key2).status_code == 200,
                   "the new Key2 does not work")
        self.check(self.models(k.key1).status_code == 200,
                   "Key1 does not work")

    def s_bad_key_name(self):
        try:
            self.cs.accounts.regenerate_key(RG, NAME, "Key3")
        except HttpResponseError as exc:
            self.check(exc.status_code == 400 and exc.error.code ==
                       "BadRequest", "%s %s" % (exc.status_code,
                                                exc.error.code))
            self.check("The key name 'Key3' is invalid." in exc.message,
                       exc.message)
            return
        raise AssertionError("keyName Key3 was accepted")

    def s_not_found(self):
        try:
            self.cs.accounts.get(RG, "no-such-account")
        except ResourceNotFoundError as exc:
            self.check(exc.status_code == 404 and
                       exc.error.code == "ResourceNotFound", str(exc))
            return
        raise AssertionError("an unknown account was found")

    def run(self):
        st = self.step
        st("ClientSecretCredential + CognitiveServicesManagementClient",
           self.s_clients)
        if self.failed:
            self.finish()
        st("accounts.list / list_by_resource_group", self.s_list)
        st("accounts.get: kind, sku, endpoint on the simulator", self.s_get)
        st("accounts.list_keys: two 32-hex keys", self.s_keys)
        st("SecretClient: openai-api-key holds Key1, tagged with the "
           "account", self.s_secret)
        st("requests + the simulator's CA: /openai/models 200 for each "
           "key, 401 for a wrong one", self.s_endpoint)
        st("accounts.regenerate_key Key2: Key1 kept, the old Key2 refused",
           self.s_regenerate)
        st("regenerate_key Key3: HttpResponseError 400 BadRequest",
           self.s_bad_key_name)
        st("accounts.get of an unknown account: ResourceNotFoundError",
           self.s_not_found)
        self.finish()

    def finish(self):
        print("1..%d" % self.n)
        print("# python cognitive: %d passed, %d failed, total %.1f s" % (
            self.n - self.failed, self.failed, time.monotonic() - self.t0))
        sys.exit(0 if self.failed == 0 else 1)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: cognitive.py CONNECTION_JSON", file=sys.stderr)
        sys.exit(2)
    Cognitive(sys.argv[1]).run()
