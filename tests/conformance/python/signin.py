#!/usr/bin/python3
# tests/conformance/python/signin.py — kvdeck-sim's sign-in surfaces (issue
# #8) with azure-identity as Debian packages it: DeviceCodeCredential (the
# prompt callback approves, or declines, through the simulator's control
# endpoint, as a person would in a browser), one device-code sign-in then
# serving ARM and Key Vault (the second scope through the refresh token),
# ManagedIdentityCredential in the IMDS form (AZURE_POD_IDENTITY_AUTHORITY_HOST)
# and the App Service form (IDENTITY_ENDPOINT + IDENTITY_HEADER), system-
# and user-assigned, and the ARM claims challenge (azure-mgmt-core's
# ARMChallengeAuthenticationPolicy asks for a token with the claims).
#
# Usage: signin.py CONNECTION_JSON
# The caller sets REQUESTS_CA_BUNDLE and HTTPS_PROXY (see test-python.sh).
# Prints TAP; exit 0 all passed, 1 otherwise.
import base64
import json
import logging
import os
import ssl
import sys
import time
import traceback
import urllib.request

try:
    from azure.identity import DeviceCodeCredential, ManagedIdentityCredential
    from azure.keyvault.secrets import SecretClient
    from azure.mgmt.resource import SubscriptionClient
except ImportError as exc:
    print("SKIP: Azure SDK for Python not importable: %s" % exc)
    sys.exit(77)

AZ_CLIENT = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"  # a public client id
VAULT = "kv-contoso-dev"  # a demo vault
TIMEOUTS = dict(connection_timeout=10, read_timeout=60)
MI_ENV = ("AZURE_POD_IDENTITY_AUTHORITY_HOST", "IDENTITY_ENDPOINT",
          "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT",
          "IDENTITY_SERVER_THUMBPRINT", "AZURE_CLIENT_ID")


def claims_of(tok):
    p = tok.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))


class Signin:
    def __init__(self, conn_path):
        with open(conn_path, encoding="utf-8") as f:
            self.conn = json.load(f)
        c = self.conn
        self.arm = c["arm"].rstrip("/")
        self.arm_scope = c["arm_audience"].rstrip("/") + "/.default"
        self.vault_scope = c["vault_resource"] + "/.default"
        self.vault_url = "https://%s%s:%d/" % (VAULT, c["vault_dns_suffix"],
                                               c["port"])
        self.n = self.failed = 0
        self.t0 = time.monotonic()
        self.prompts = []

    # ---- bookkeeping (as scenario.py) ---------------------------------------
    def step(self, desc, fn):
        t = time.monotonic()
        try:
            fn()
            ok, why = True, None
        except Exception:  # noqa: BLE001 - every failure is a step failure
            ok, why = False, traceback.format_exc(limit=6)
        ms = int((time.monotonic() - t) * 1000)
        self.n += 1
        print("%s %d - %s (%d ms)" % ("ok" if ok else "not ok", self.n, desc,
                                      ms), flush=True)
        if not ok:
            self.failed += 1
            for line in str(why).rstrip().splitlines():
                print("#   " + line)

    @staticmethod
    def check(cond, what):
        if not cond:
            raise AssertionError(what)

    def control(self, method, path, body=None):
        """The simulator's control endpoint (not Azure), without the proxy."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.conn["control"] + path, data=data,
                                     headers={"Content-Type":
                                              "application/json"},
                                     method=method)
        ctx = ssl.create_default_context(cafile=self.conn["ca"])
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPSHandler(context=ctx))
        with opener.open(req, timeout=10) as r:
            return json.loads(r.read() or b"null")

    def device_credential(self, action):
        def prompt(uri, user_code, expires_on):
            # What a person does in the browser: enter the code, sign in.
            self.prompts.append((uri, user_code))
            codes = [d for d in self.control("GET", "/device")
                     if d["user_code"] == user_code]
            self.check(codes and codes[0]["state"] == "pending",
                       "the user code is listed as pending: %r" % codes)
            self.control("POST", "/device", {"user_code": user_code,
                                             "action": action})
        c = self.conn
        return DeviceCodeCredential(
            AZ_CLIENT, tenant_id=c["tenant"], authority=c["login"],
            instance_discovery=False, prompt_callback=prompt, timeout=60,
            **TIMEOUTS)

    # ---- device code ---------------------------------------------------------
    def s_device(self):
        self.user_cred = self.device_credential("approve")
        tok = self.user_cred.get_token(self.arm_scope)
        cl = claims_of(tok.token)
        self.check(cl.get("upn") == self.conn["user"], "upn %r" % cl.get("upn"))
        self.check(cl.get("oid") == self.conn["user_object_id"], "oid")
        self.check(cl.get("tid") == self.conn["tenant"], "tid")
        self.check(len(self.prompts) == 1, "prompts %r" % self.prompts)

    def s_device_arm(self):
        got = list(SubscriptionClient(self.user_cred, base_url=self.arm,
                                      credential_scopes=[self.arm_scope],
                                      **TIMEOUTS).subscriptions.list())
        self.check(sorted(s.subscription_id for s in got) ==
                   sorted(self.conn["subscriptions"]), "subscriptions")

    def s_device_vault(self):
        # Another scope: MSAL redeems the refresh token, no second prompt.
        names = [p.name for p in SecretClient(
            self.vault_url, self.user_cred,
            **TIMEOUTS).list_properties_of_secrets()]
        self.check(names, "no secrets in %s" % VAULT)
        self.check(len(self.prompts) == 1,
                   "signed in again: %r" % self.prompts)

    def s_device_declined(self):
        cred = self.device_credential("decline")
        quiet = logging.getLogger("azure.identity")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)
        try:
            cred.get_token(self.arm_scope)
        except Exception as exc:  # ClientAuthenticationError
            self.check("authorization_declined" in str(exc) or
                       "declined" in str(exc), "error text %r" % str(exc)[:300])
            return
        finally:
            quiet.setLevel(level)
        raise AssertionError("a declined device code got a token")

    # ---- managed identity ----------------------------------------------------
    def mi_env(self, **env):
        for k in MI_ENV:
            os.environ.pop(k, None)
        os.environ.update(env)

    def mi_check(self, cred, oid, what):
        tok = cred.get_token(self.arm_scope)
        self.check(claims_of(tok.token).get("oid") == oid,
                   "%s: oid %r" % (what, claims_of(tok.token).get("oid")))
        got = list(SubscriptionClient(cred, base_url=self.arm,
                                      credential_scopes=[self.arm_scope],
                                      **TIMEOUTS).subscriptions.list())
        self.check(len(got) == len(self.conn["subscriptions"]),
                   "%s: subscriptions" % what)
        names = [p.name for p in SecretClient(
            self.vault_url, cred, **TIMEOUTS).list_properties_of_secrets()]
        self.check(names, "%s: no secrets" % what)

    def s_imds(self):
        self.mi_env(AZURE_POD_IDENTITY_AUTHORITY_HOST=self.conn["imds"])
        self.mi_check(ManagedIdentityCredential(**TIMEOUTS),
                      self.conn["mi_object_id"], "IMDS system-assigned")

    def s_imds_user(self):
        self.mi_env(AZURE_POD_IDENTITY_AUTHORITY_HOST=self.conn["imds"])
        self.mi_check(ManagedIdentityCredential(
            client_id=self.conn["uami_client_id"], **TIMEOUTS),
            self.conn["uami_object_id"], "IMDS user-assigned")

    def s_appservice(self):
        self.mi_env(IDENTITY_ENDPOINT=self.conn["identity_endpoint"],
                    IDENTITY_HEADER=self.conn["identity_header"])
        self.mi_check(ManagedIdentityCredential(**TIMEOUTS),
                      self.conn["mi_object_id"], "App Service system-assigned")
        self.mi_check(ManagedIdentityCredential(
            client_id=self.conn["uami_client_id"], **TIMEOUTS),
            self.conn["uami_object_id"], "App Service user-assigned")
        self.mi_env()

    # ---- claims challenge ----------------------------------------------------
    def s_claims_challenge(self):
        # Continuous access evaluation concerns users: the device-code
        # sign-in's refresh token is redeemed with the claims (MSAL skips
        # its token cache when claims are asked for). azure-identity 1.13's
        # ClientSecretCredential drops the claims, so it would fail against
        # Azure as well.
        c = self.conn
        subs = SubscriptionClient(self.user_cred, base_url=self.arm,
                                  credential_scopes=[self.arm_scope],
                                  **TIMEOUTS)
        list(subs.subscriptions.list())  # a cached token first
        self.control("POST", "/faults", {"faults": [
            "claims-challenge,count=1,area=arm"]})
        try:
            got = list(subs.subscriptions.list())
            rules = self.control("GET", "/faults")["faults"]
            self.check(rules[0].get("fired") == 1, "rule %r" % rules)
            self.check(len(got) == len(c["subscriptions"]), "subscriptions")
            self.check(len(self.prompts) == 2, "signed in again: %r"
                       % self.prompts)
        finally:
            self.control("DELETE", "/faults")

    def run(self):
        st = self.step
        st("DeviceCodeCredential: the prompt approves through the control "
           "endpoint; the user's token (upn, oid, tid)", self.s_device)
        st("DeviceCodeCredential token lists subscriptions (ARM)",
           self.s_device_arm)
        st("the same sign-in lists a vault's secrets (refresh token, no "
           "second prompt)", self.s_device_vault)
        st("a declined device code is refused (authorization_declined)",
           self.s_device_declined)
        st("ManagedIdentityCredential, IMDS (AZURE_POD_IDENTITY_AUTHORITY_"
           "HOST): system-assigned, ARM + vault", self.s_imds)
        st("ManagedIdentityCredential, IMDS: user-assigned by client_id",
           self.s_imds_user)
        st("ManagedIdentityCredential, App Service (IDENTITY_ENDPOINT + "
           "IDENTITY_HEADER): system- and user-assigned", self.s_appservice)
        st("ARM claims challenge (insufficient_claims): the device-code "
           "sign-in's refresh token redeemed with the claims, the call "
           "passes",
           self.s_claims_challenge)
        el = time.monotonic() - self.t0
        print("1..%d" % self.n)
        print("# python-signin: %d passed, %d failed, total %.1f s"
              % (self.n - self.failed, self.failed, el))
        sys.stdout.flush()
        os._exit(0 if self.failed == 0 else 1)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: signin.py CONNECTION_JSON", file=sys.stderr)
        sys.exit(2)
    Signin(sys.argv[1]).run()
