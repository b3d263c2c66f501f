#!/usr/bin/python3
# tests/conformance/python/scenario.py — kvdeck-sim acceptance with the Azure
# SDK for Python as Debian packages it (python3-azure: azure-identity,
# azure-mgmt-resource, azure-mgmt-keyvault, azure-mgmt-network,
# azure-mgmt-authorization, azure-keyvault-secrets). Run with Debian's
# /usr/bin/python3.
#
# Usage: scenario.py CONNECTION_JSON
# The caller sets REQUESTS_CA_BUNDLE (the simulator's CA) and HTTPS_PROXY
# (the simulator's CONNECT proxy, which answers NAME.vault.localhost).
# Prints TAP, one line per asserted step; exit 0 all passed, 1 otherwise.
# KVCONF_LRO_TIMEOUT (seconds, default 90) bounds every long-running wait.
import base64
import json
import logging
import os
import re
import sys
import ssl
import time
import traceback
import urllib.request
import uuid

try:
    from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
    from azure.identity import CertificateCredential, ClientSecretCredential
    from azure.keyvault.secrets import SecretClient
    from azure.mgmt.authorization import AuthorizationManagementClient
    from azure.mgmt.keyvault import KeyVaultManagementClient
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.resource import ResourceManagementClient, SubscriptionClient
except ImportError as exc:  # the caller checks first; this is the fallback
    print("SKIP: Azure SDK for Python not importable: %s" % exc)
    sys.exit(77)

LRO_TIMEOUT = float(os.environ.get("KVCONF_LRO_TIMEOUT", "90"))
HEX32 = re.compile(r"^[0-9a-f]{32}$")
# A request the simulator never answers fails its step instead of hanging.
TIMEOUTS = dict(connection_timeout=10, read_timeout=60)


class Scenario:
    def __init__(self, conn_path):
        with open(conn_path, encoding="utf-8") as f:
            self.conn = json.load(f)
        c = self.conn
        self.arm = c["arm"].rstrip("/")
        aud = c["arm_audience"]
        self.arm_scope = aud.rstrip("/") + "/.default"
        self.tenant = c["tenant"]
        self.sub = c["subscriptions"][0]
        run = os.urandom(3).hex()
        self.rg = "conf-py-rg-" + run
        self.vault = "confpy" + run
        self.vnet = "conf-py-vnet"
        self.subnet = "pe"
        self.pe = "conf-py-pe"
        self.n = 0
        self.failed = 0
        self.t0 = time.monotonic()
        self.vault_obj = None
        self.pe_obj = None
        self.versions = []
        self.object_id = None

    # ---- bookkeeping ---------------------------------------------------------
    def step(self, desc, fn, critical=False):
        t = time.monotonic()
        try:
            fn()
            ok, why = True, None
        except AssertionError as exc:
            ok, why = False, "assertion failed: %s" % exc
        except HttpResponseError as exc:
            resp = exc.response
            body = ""
            if resp is not None:
                try:
                    body = resp.text()[:800]
                except Exception:  # pragma: no cover - diagnostics only
                    body = "?"
            ok, why = False, "HTTP %s %s: %s\n%s" % (
                getattr(exc, "status_code", "?"), getattr(resp, "reason", ""), exc.message, body)
        except Exception:  # noqa: BLE001 - every failure is a step failure
            ok, why = False, traceback.format_exc(limit=6)
        ms = int((time.monotonic() - t) * 1000)
        self.n += 1
        if ok:
            print("ok %d - %s (%d ms)" % (self.n, desc, ms), flush=True)
        else:
            self.failed += 1
            print("not ok %d - %s (%d ms)" % (self.n, desc, ms), flush=True)
            for line in str(why).rstrip().splitlines():
                print("#   " + line)
            if critical:
                print("# stopping: later steps depend on this one")
                self.finish()
        return ok

    def finish(self):
        el = time.monotonic() - self.t0
        print("1..%d" % self.n)
        print("# python: %d passed, %d failed, total %.1f s" % (self.n - self.failed, self.failed, el))
        sys.stdout.flush()
        os._exit(0 if self.failed == 0 else 1)

    @staticmethod
    def check(cond, what):
        if not cond:
            raise AssertionError(what)

    def wait_lro(self, poller, what):
        poller.wait(LRO_TIMEOUT)
        self.check(poller.done(), "%s: not finished after %.0f s (status %r)" % (what, LRO_TIMEOUT, poller.status()))
        return poller.result()

    @staticmethod
    def same_id(a, b):
        return (a or "").lower() == (b or "").lower()

    # ---- sign-in -------------------------------------------------------------
    def s_token(self):
        c = self.conn
        self.cred = ClientSecretCredential(
            c["tenant"], c["client_id"], c["client_secret"],
            authority=c["login"], instance_discovery=False, **TIMEOUTS)
        tok = self.cred.get_token(self.arm_scope)
        self.check(tok.token, "empty access token")
        self.check(tok.expires_on > time.time() + 300, "token expires too soon: %r" % tok.expires_on)
        self.arm_token = tok.token

    def s_token_jwt(self):
        # Entra ID access tokens are JWTs; kvdeck reads oid from them to
        # build an access policy for the signed-in principal.
        parts = self.arm_token.split(".")
        self.check(len(parts) == 3, "access token is not a JWT (%d parts)" % len(parts))
        pad = "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + pad))
        self.check(claims.get("tid") == self.tenant, "tid %r" % claims.get("tid"))
        self.check(claims.get("oid"), "no oid claim")
        self.check(claims.get("aud"), "no aud claim")
        self.object_id = claims["oid"]

    def s_wrong_secret(self):
        c = self.conn
        bad = ClientSecretCredential(c["tenant"], c["client_id"], "wrong-secret",
                                     authority=c["login"], instance_discovery=False)
        quiet = logging.getLogger("azure.identity")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # the expected failure is logged as a warning
        try:
            bad.get_token(self.arm_scope)
        except Exception as exc:  # ClientAuthenticationError
            self.check("AADSTS7000215" in str(exc) or "invalid_client" in str(exc),
                       "unexpected error text: %s" % str(exc)[:300])
            return
        finally:
            quiet.setLevel(level)
        raise AssertionError("a wrong client secret got a token")

    def s_certificate(self):
        # A service principal with a certificate: the SDK signs a client
        # assertion (RS256 JWT with x5t) that the token endpoint verifies.
        c = self.conn
        self.check(c.get("client_certificate"), "connection.json has no client_certificate")
        cred = CertificateCredential(c["tenant"], c["client_id"], c["client_certificate"],
                                     authority=c["login"], instance_discovery=False, **TIMEOUTS)
        tok = cred.get_token(self.arm_scope)
        self.check(tok.token and tok.expires_on > time.time() + 300, "certificate token")
        got = list(SubscriptionClient(cred, base_url=self.arm, credential_scopes=[self.arm_scope],
                                      **TIMEOUTS).subscriptions.list())
        self.check(sorted(x.subscription_id for x in got) == sorted(c["subscriptions"]), "subscriptions with the certificate")

    def clients(self):
        kw = dict(base_url=self.arm, credential_scopes=[self.arm_scope], **TIMEOUTS)
        self.subs = SubscriptionClient(self.cred, **kw)
        self.res = ResourceManagementClient(self.cred, self.sub, **kw)
        self.kv = KeyVaultManagementClient(self.cred, self.sub, **kw)
        self.net = NetworkManagementClient(self.cred, self.sub, **kw)
        self.authz = AuthorizationManagementClient(self.cred, self.sub, api_version="2022-04-01", **kw)

    # ---- subscriptions and groups --------------------------------------------
    def s_subscriptions(self):
        self.clients()
        got = list(self.subs.subscriptions.list())
        ids = sorted(s.subscription_id for s in got)
        self.check(ids == sorted(self.conn["subscriptions"]), "subscriptions %r" % ids)
        for s in got:
            self.check(s.id == "/subscriptions/" + s.subscription_id, "id %r" % s.id)
            self.check(s.state == "Enabled", "state %r" % s.state)
            self.check(s.display_name, "no displayName")
            self.check(s.tenant_id == self.tenant, "tenantId %r" % s.tenant_id)
        one = self.subs.subscriptions.get(self.sub)
        self.check(one.subscription_id == self.sub, "get subscription")
        locs = {x.name: x for x in self.subs.subscriptions.list_locations(self.sub)}
        east = locs.get("eastus")
        self.check(east and east.display_name == "East US" and east.regional_display_name == "(US) East US",
                   "list_locations eastus %r" % east)
        self.check(east.metadata.geography_group == "US" and east.metadata.paired_region[0].name == "westus",
                   "eastus metadata %r" % east.metadata)

    def s_groups(self):
        got = list(self.res.resource_groups.list())
        for g in got:
            self.check(g.name and g.location and g.id, "incomplete group %r" % g)
            self.check(g.properties.provisioning_state == "Succeeded", "group state")
        self.groups_before = len(got)
        print("# %d groups in %s" % (len(got), self.sub))

    def s_group_create(self):
        g = self.res.resource_groups.create_or_update(self.rg, {"location": "eastus", "tags": {"purpose": "conformance"}})
        self.check(g.name == self.rg and g.location == "eastus", "created group %r" % g)
        self.check(g.properties.provisioning_state == "Succeeded", "state %r" % g.properties.provisioning_state)
        self.check(self.same_id(g.id, "/subscriptions/%s/resourceGroups/%s" % (self.sub, self.rg)), "id %r" % g.id)
        self.check(self.res.resource_groups.check_existence(self.rg) is True, "check_existence (HEAD) false")
        self.check(self.res.resource_groups.check_existence(self.rg + "-none") is False, "HEAD of a missing group true")
        got = self.res.resource_groups.get(self.rg)
        self.check(got.tags == {"purpose": "conformance"}, "tags %r" % got.tags)
        n = len(list(self.res.resource_groups.list()))
        self.check(n == self.groups_before + 1, "group count %d, expected %d" % (n, self.groups_before + 1))

    # ---- vault ---------------------------------------------------------------
    def s_vault_create(self):
        oid = self.object_id or self.conn["client_id"]
        params = {
            "location": "eastus",
            "tags": {"purpose": "conformance"},
            "properties": {
                "tenant_id": self.tenant,
                "sku": {"family": "A", "name": "standard"},
                "access_policies": [{
                    "tenant_id": self.tenant, "object_id": oid,
                    "permissions": {"secrets": ["all"], "keys": [], "certificates": []},
                }],
                "enable_rbac_authorization": False,
                "enable_soft_delete": True,
                "soft_delete_retention_in_days": 7,
            },
        }
        seen = []

        def hook(resp):
            try:
                body = json.loads(resp.http_response.text() or "{}")
                seen.append("%s %s %s" % (resp.http_request.method, resp.http_response.status_code,
                                          body.get("properties", {}).get("provisioningState")))
            except Exception:  # noqa: BLE001
                seen.append("%s %s ?" % (resp.http_request.method, resp.http_response.status_code))

        poller = self.kv.vaults.begin_create_or_update(self.rg, self.vault, params, polling_interval=1,
                                                       raw_response_hook=hook)
        self.vault_seen = seen
        v = self.wait_lro(poller, "vault create")
        print("# vault create responses: %s" % "; ".join(seen))
        self.check(poller.status() == "Succeeded", "poller status %r" % poller.status())
        self.check(v.properties.provisioning_state == "Succeeded", "provisioningState %r" % v.properties.provisioning_state)
        want_uri = "https://%s%s:%d/" % (self.vault, self.conn["vault_dns_suffix"], self.conn["port"])
        self.check(v.properties.vault_uri == want_uri, "vaultUri %r, expected %r" % (v.properties.vault_uri, want_uri))
        self.check(v.name == self.vault and v.type == "Microsoft.KeyVault/vaults", "name/type %r %r" % (v.name, v.type))
        self.check(self.same_id(v.id, "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/vaults/%s"
                                % (self.sub, self.rg, self.vault)), "id %r" % v.id)
        self.check(v.properties.sku.name == "standard" and v.properties.sku.family == "A", "sku")
        self.check(v.properties.tenant_id == self.tenant, "tenantId")
        self.check(len(v.properties.access_policies) == 1 and v.properties.access_policies[0].object_id == oid,
                   "access policies %r" % v.properties.access_policies)
        self.check(v.properties.soft_delete_retention_in_days == 7, "retention %r" % v.properties.soft_delete_retention_in_days)
        self.check(v.properties.enable_rbac_authorization is False, "enableRbacAuthorization %r" % v.properties.enable_rbac_authorization)
        self.vault_obj = v

    def control(self, path, body):
        # The simulator's control endpoint (not Azure): run-time settings.
        req = urllib.request.Request(self.conn["control"] + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        ctx = ssl.create_default_context(cafile=self.conn["ca"])
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPSHandler(context=ctx))
        with opener.open(req, timeout=10) as r:
            return json.loads(r.read())

    def s_access_denied(self):
        # A vault whose only access policy is for somebody else: the data
        # plane refuses this caller with 403 Forbidden / AccessDenied,
        # naming the permission the operation needs (set) as Key Vault does.
        name = self.vault + "deny"
        other = "00000000-0000-0000-0000-0000000000aa"
        p = self.kv.vaults.begin_create_or_update(self.rg, name, {
            "location": "eastus",
            "properties": {
                "tenant_id": self.tenant, "sku": {"family": "A", "name": "standard"},
                "enable_rbac_authorization": False,
                "access_policies": [{"tenant_id": self.tenant, "object_id": other,
                                     "permissions": {"secrets": ["all"]}}],
            }}, polling_interval=1)
        v = self.wait_lro(p, "second vault create")
        sc = SecretClient(v.properties.vault_uri, self.cred, **TIMEOUTS)
        try:
            sc.set_secret("nope", "x")
        except HttpResponseError as exc:
            self.check(exc.status_code == 403, "HTTP %r" % exc.status_code)
            err = json.loads(exc.response.text())["error"]
            self.check(err.get("code") == "Forbidden", "code %r" % err.get("code"))
            inner = (err.get("innererror") or {}).get("code")
            self.check(inner == "AccessDenied", "innererror %r" % inner)
            want = ("The user, group or application 'appid=%s;oid=%s;iss=https://sts.windows.net/%s/' does "
                    "not have secrets set permission on key vault '%s;location=eastus'. For help resolving "
                    "this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287"
                    % (self.conn["client_id"], self.object_id, self.tenant, name))
            self.check(err.get("message") == want, "message %r" % err.get("message"))
        else:
            raise AssertionError("set_secret without an access policy succeeded")

    def s_rbac(self):
        # A vault on Azure RBAC: its creator (Owner of the subscription,
        # which grants no data access) is refused with ForbiddenByRbac until
        # a data role is assigned and has propagated; then the read passes.
        name = self.vault + "rbac"
        p = self.kv.vaults.begin_create_or_update(self.rg, name, {
            "location": "eastus",
            "properties": {"tenant_id": self.tenant, "sku": {"family": "A", "name": "standard"},
                           "enable_rbac_authorization": True}}, polling_interval=1)
        v = self.wait_lro(p, "RBAC vault create")
        self.check(v.properties.enable_rbac_authorization is True, "enableRbacAuthorization %r" % v.properties.enable_rbac_authorization)
        sc = SecretClient(v.properties.vault_uri, self.cred, **TIMEOUTS)

        def refused(what, fn):
            try:
                fn()
            except HttpResponseError as exc:
                err = json.loads(exc.response.text())["error"]
                inner = (err.get("innererror") or {}).get("code")
                self.check(exc.status_code == 403 and err.get("code") == "Forbidden" and inner == "ForbiddenByRbac",
                           "%s: HTTP %r %r %r" % (what, exc.status_code, err.get("code"), inner))
                self.check("Action: 'Microsoft.KeyVault/vaults/secrets/" in err.get("message", ""),
                           "message %r" % err.get("message"))
            else:
                raise AssertionError("%s without a role succeeded" % what)
        refused("list_properties_of_secrets", lambda: list(sc.list_properties_of_secrets()))
        refused("get_secret", lambda: sc.get_secret("any"))

        roles = list(self.authz.role_definitions.list(v.id, filter="roleName eq 'Key Vault Secrets Officer'"))
        self.check([r.name for r in roles] == ["b86a8fe4-44ce-4948-aee5-eccb2c155cd7"], "role definitions %r" % roles)
        self.check(roles[0].role_name == "Key Vault Secrets Officer" and roles[0].role_type == "BuiltInRole", "role %r" % roles[0])
        self.check(roles[0].permissions[0].data_actions == ["Microsoft.KeyVault/vaults/secrets/*"], "dataActions %r" % roles[0].permissions[0].data_actions)
        self.control("/config", {"rbac_delay_ms": 2000})
        ra_name = str(uuid.uuid4())
        ra = self.authz.role_assignments.create(v.id, ra_name, {
            "role_definition_id": roles[0].id, "principal_id": self.object_id, "principal_type": "ServicePrincipal"})
        t_assigned = time.monotonic()
        self.check(ra.name == ra_name and self.same_id(ra.scope, v.id) and ra.principal_id == self.object_id,
                   "created %r" % ra)
        self.check(ra.role_definition_id.lower().endswith(roles[0].name), "roleDefinitionId %r" % ra.role_definition_id)
        at = list(self.authz.role_assignments.list_for_scope(v.id, filter="atScope()"))
        self.check(ra_name in [a.name for a in at], "list_for_scope atScope(): %r" % [a.name for a in at])
        mine = list(self.authz.role_assignments.list_for_subscription(filter="principalId eq '%s'" % self.object_id))
        self.check(ra_name in [a.name for a in mine], "list_for_subscription principalId eq: %r" % [a.name for a in mine])
        got = self.authz.role_assignments.get(v.id, ra_name)
        self.check(got.id == ra.id, "get %r" % got.id)
        if time.monotonic() - t_assigned < 1.5:
            refused("get_secret inside the propagation delay", lambda: sc.get_secret("any"))
        deadline = time.monotonic() + 20
        while True:
            try:
                sc.set_secret("first", "rbac-ok")
                break
            except HttpResponseError as exc:
                if exc.status_code != 403 or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        waited = time.monotonic() - t_assigned
        print("# role effective after %.1f s (rbac_delay_ms 2000)" % waited)
        self.check(waited >= 1.5, "the role granted after %.1f s, before the propagation delay" % waited)
        self.check(sc.get_secret("first").value == "rbac-ok", "read after the role")
        self.check([s.name for s in sc.list_properties_of_secrets()] == ["first"], "list after the role")
        self.authz.role_assignments.delete(v.id, ra_name)
        self.control("/config", {"rbac_delay_ms": 0})
        refused("get_secret after the assignment was deleted", lambda: sc.get_secret("first"))

    def s_vault_create_wire(self):
        # Real Azure answers the PUT synchronously with 200 (not 201) and
        # provisioningState RegisteringDns, then GETs show Succeeded.
        seen = self.vault_seen
        self.check(seen and seen[0] in ("PUT 200 RegisteringDns", "PUT 200 Succeeded"),
                   "first response %r, real Azure: 'PUT 200 RegisteringDns'" % seen[:1])

    def s_name_check(self):
        r = self.kv.vaults.check_name_availability({"name": self.vault, "type": "Microsoft.KeyVault/vaults"})
        self.check(r.name_available is False and r.reason == "AlreadyExists", "taken name: %r %r" % (r.name_available, r.reason))
        r = self.kv.vaults.check_name_availability({"name": "confpyfree" + os.urandom(3).hex(), "type": "Microsoft.KeyVault/vaults"})
        self.check(r.name_available is True, "free name reported taken: %r" % r.reason)

    def s_vault_list(self):
        mine = [v for v in self.kv.vaults.list_by_subscription() if v.name == self.vault]
        self.check(len(mine) == 1 and self.same_id(mine[0].id, self.vault_obj.id), "list_by_subscription: %r" % mine)
        self.check(mine[0].properties.vault_uri == self.vault_obj.properties.vault_uri, "vaultUri in list")
        generic = [r for r in self.kv.vaults.list() if r.name == self.vault]  # /resources?$filter=...
        self.check(len(generic) == 1 and self.same_id(generic[0].id, self.vault_obj.id), "/resources filter: %r" % generic)
        self.check(generic[0].type == "Microsoft.KeyVault/vaults" and generic[0].location == "eastus", "generic item")
        in_rg = list(self.kv.vaults.list_by_resource_group(self.rg))
        self.check([v.name for v in in_rg] == [self.vault], "list_by_resource_group: %r" % [v.name for v in in_rg])

    def s_vault_get(self):
        v = self.kv.vaults.get(self.rg, self.vault)
        self.check(v.id == self.vault_obj.id and v.properties.provisioning_state == "Succeeded", "get")
        self.check(v.tags == {"purpose": "conformance"}, "tags %r" % v.tags)
        try:
            self.kv.vaults.get(self.rg, self.vault + "x")
        except ResourceNotFoundError as exc:
            self.check(exc.status_code == 404, "status %r" % exc.status_code)
            return
        raise AssertionError("get of a missing vault succeeded")

    # ---- data plane ----------------------------------------------------------
    def s_secret_set(self):
        self.sc = SecretClient(self.vault_obj.properties.vault_uri, self.cred, **TIMEOUTS)
        s = self.sc.set_secret("rot", "v1", content_type="text/plain", tags={"k": "v"})
        self.check(s.value == "v1" and s.name == "rot", "set %r" % s.name)
        self.check(s.properties.content_type == "text/plain" and s.properties.tags == {"k": "v"}, "props")
        self.check(HEX32.match(s.properties.version or ""), "version %r" % s.properties.version)
        self.check(s.id == self.vault_obj.properties.vault_uri + "secrets/rot/" + s.properties.version, "id %r" % s.id)
        self.check(s.properties.enabled is True and s.properties.created_on is not None, "attributes")
        self.check(s.properties.recovery_level, "no recoveryLevel")
        self.versions.append(s.properties.version)
        for i in (2, 3):
            s = self.sc.set_secret("rot", "v%d" % i)
            self.versions.append(s.properties.version)
        self.check(len(set(self.versions)) == 3, "versions not distinct: %r" % self.versions)

    def s_secret_many(self):
        # 27 more secrets: more than one page (25 is the data-plane maximum).
        for i in range(27):
            s = self.sc.set_secret("page-%02d" % i, "p%d" % i)
            self.check(s.value == "p%d" % i, "set page-%02d" % i)

    def s_secret_get(self):
        s = self.sc.get_secret("rot")
        self.check(s.value == "v3" and s.properties.version == self.versions[2], "latest %r %r" % (s.value, s.properties.version))
        s = self.sc.get_secret("rot", self.versions[0])
        self.check(s.value == "v1" and s.properties.content_type == "text/plain", "v1 %r" % s.value)
        try:
            self.sc.get_secret("conf-missing")
        except ResourceNotFoundError as exc:
            self.check("SecretNotFound" in str(exc), "error %s" % str(exc)[:200])
            return
        raise AssertionError("get of a missing secret succeeded")

    def s_secret_list(self):
        want = sorted(["rot"] + ["page-%02d" % i for i in range(27)])
        names = sorted(p.name for p in self.sc.list_properties_of_secrets())
        self.check(names == want, "listed %d names, expected %d: missing %r" % (
            len(names), len(want), sorted(set(want) - set(names))[:5]))
        pages = [list(p) for p in self.sc.list_properties_of_secrets(max_page_size=10).by_page()]
        sizes = [len(p) for p in pages]
        self.check(sum(sizes) == len(want), "paged total %d (%r)" % (sum(sizes), sizes))
        self.check(len(pages) >= 3 and max(sizes) <= 10, "maxresults=10 gave pages %r" % sizes)
        rot = [p for p in pages[0] + pages[1] + pages[2] if p.name == "rot"]
        if rot:
            self.check(rot[0].version is None, "list item carries a version: %r" % rot[0].version)

    def s_secret_versions(self):
        vs = list(self.sc.list_properties_of_secret_versions("rot"))
        self.check(sorted(v.version for v in vs) == sorted(self.versions), "versions %r" % [v.version for v in vs])
        pages = [list(p) for p in self.sc.list_properties_of_secret_versions("rot", max_page_size=1).by_page()]
        self.check([len(p) for p in pages] == [1, 1, 1], "maxresults=1 gave pages %r" % [len(p) for p in pages])

    def s_secret_update(self):
        # PATCH /secrets/rot/{version}: attributes merge, tags replace, no value.
        first = self.sc.get_secret("rot", self.versions[0]).properties
        p = self.sc.update_secret_properties("rot", version=self.versions[0], enabled=False,
                                             tags={"state": "retired"})
        self.check(p.version == self.versions[0], "updated version %r" % p.version)
        self.check(p.enabled is False and p.tags == {"state": "retired"}, "props %r %r" % (p.enabled, p.tags))
        self.check(p.content_type == "text/plain", "contentType kept: %r" % p.content_type)
        self.check(p.created_on == first.created_on and p.updated_on >= first.updated_on, "timestamps")
        try:
            self.sc.get_secret("rot", self.versions[0])
        except HttpResponseError as exc:
            self.check(exc.status_code == 403, "disabled version: HTTP %r" % exc.status_code)
        else:
            raise AssertionError("a disabled version can be read")
        s = self.sc.get_secret("rot")
        self.check(s.value == "v3" and s.properties.enabled is True, "latest untouched")
        # Without a version the SDK PATCHes .../rot/ : the latest version.
        p = self.sc.update_secret_properties("rot", content_type="application/x-conf")
        self.check(p.version == self.versions[2] and p.content_type == "application/x-conf",
                   "no version: latest %r %r" % (p.version, p.content_type))
        p = self.sc.update_secret_properties("rot", version=self.versions[0], enabled=True)
        self.check(p.enabled is True and p.tags == {"state": "retired"}, "re-enabled, tags kept")
        try:
            self.sc.update_secret_properties("rot", version="0" * 32, enabled=False)
        except ResourceNotFoundError as exc:
            self.check("SecretNotFound" in str(exc), "error %s" % str(exc)[:200])
        else:
            raise AssertionError("update of an unknown version succeeded")

    def s_arm_secrets(self):
        # The management-plane secret (secrets.json): a new data-plane
        # version written through Resource Manager, never the value back.
        from azure.mgmt.keyvault.models import (SecretCreateOrUpdateParameters, SecretPatchParameters,
                                                SecretPatchProperties, SecretProperties, SecretAttributes)
        s = self.kv.secrets.create_or_update(self.rg, self.vault, "arm-made", SecretCreateOrUpdateParameters(
            properties=SecretProperties(value="arm-v1", content_type="text/plain"), tags={"via": "arm"}))
        self.check(s.name == "arm-made" and s.properties.value is None, "create: %r value %r" % (s.name, s.properties.value))
        self.check(s.type == "Microsoft.KeyVault/vaults/secrets" and s.id == self.vault_obj.id + "/secrets/arm-made",
                   "id/type %r %r" % (s.id, s.type))
        uri = self.vault_obj.properties.vault_uri + "secrets/arm-made"
        self.check(s.properties.secret_uri == uri, "secretUri %r" % s.properties.secret_uri)
        ver = (s.properties.secret_uri_with_version or "").rsplit("/", 1)[-1]
        self.check(HEX32.match(ver) and s.properties.secret_uri_with_version == uri + "/" + ver,
                   "secretUriWithVersion %r" % s.properties.secret_uri_with_version)
        self.check(s.properties.content_type == "text/plain" and s.properties.attributes.enabled is True,
                   "contentType/attributes")
        d = self.sc.get_secret("arm-made")
        self.check(d.value == "arm-v1" and d.properties.version == ver, "data plane reads %r %r" % (d.value, d.properties.version))
        s2 = self.kv.secrets.create_or_update(self.rg, self.vault, "arm-made", SecretCreateOrUpdateParameters(
            properties=SecretProperties(value="arm-v2")))
        ver2 = s2.properties.secret_uri_with_version.rsplit("/", 1)[-1]
        self.check(ver2 != ver and self.sc.get_secret("arm-made").value == "arm-v2", "second version")
        self.check(self.sc.get_secret("arm-made", ver).properties.enabled is True, "old version stays enabled")
        g = self.kv.secrets.get(self.rg, self.vault, "arm-made")
        self.check(g.properties.value is None and g.properties.secret_uri_with_version.endswith(ver2), "get")
        names = [x.name for x in self.kv.secrets.list(self.rg, self.vault)]
        self.check("arm-made" in names and "rot" in names and len(names) == len(set(names)) >= 29,
                   "list: %d names" % len(names))
        self.check(all(x.properties.value is None for x in self.kv.secrets.list(self.rg, self.vault)), "list: no values")
        pages = [list(p) for p in self.kv.secrets.list(self.rg, self.vault, top=10).by_page()]
        sizes = [len(p) for p in pages]
        self.check(len(pages) >= 3 and max(sizes) <= 10 and sum(sizes) == len(names), "top=10 pages %r" % sizes)
        u = self.kv.secrets.update(self.rg, self.vault, "arm-made", SecretPatchParameters(
            properties=SecretPatchProperties(content_type="password", attributes=SecretAttributes(enabled=True))))
        self.check(u.properties.content_type == "password" and u.properties.secret_uri_with_version.endswith(ver2),
                   "update %r" % u.properties.content_type)
        try:
            self.kv.secrets.get(self.rg, self.vault, "arm-missing")
        except ResourceNotFoundError as exc:
            self.check(exc.status_code == 404, "status %r" % exc.status_code)
        else:
            raise AssertionError("get of a missing ARM secret succeeded")

    def s_secret_delete(self):
        # Key Vault's delete is eventually consistent; with the simulator's
        # soft_delete_delay_ms the deleted secret shows only after 3 s and
        # the SDK's poller must wait for it (and recover's for the secret).
        self.control("/config", {"soft_delete_delay_ms": 3000})
        t0 = time.monotonic()
        poller = self.sc.begin_delete_secret("rot")
        try:
            self.sc.get_deleted_secret("rot")
        except ResourceNotFoundError:
            pass
        else:
            raise AssertionError("the deleted secret showed at once despite the delay")
        poller.wait(LRO_TIMEOUT)
        self.check(poller.done(), "delete poller not done after %.0f s" % LRO_TIMEOUT)
        self.check(time.monotonic() - t0 >= 2.5, "the delete poller did not wait (%.1f s)" % (time.monotonic() - t0))
        d = poller.result()
        self.check(d.name == "rot" and d.recovery_id == self.vault_obj.properties.vault_uri + "deletedsecrets/rot",
                   "recoveryId %r" % d.recovery_id)
        self.check(d.deleted_date is not None and d.scheduled_purge_date is not None
                   and d.scheduled_purge_date > d.deleted_date, "dates")
        g = self.sc.get_deleted_secret("rot")
        self.check(g.properties.version == self.versions[2], "deleted version %r" % g.properties.version)
        deleted = [s.name for s in self.sc.list_deleted_secrets()]
        self.check("rot" in deleted, "list_deleted_secrets %r" % deleted)
        try:
            self.sc.get_secret("rot")
        except ResourceNotFoundError:
            pass
        else:
            raise AssertionError("a deleted secret can still be read")
        try:
            self.sc.set_secret("rot", "x")
        except HttpResponseError as exc:
            self.check(exc.status_code == 409, "set on a deleted name: HTTP %r" % exc.status_code)
        else:
            raise AssertionError("set on a soft-deleted name succeeded")

    def s_secret_recover(self):
        t0 = time.monotonic()
        poller = self.sc.begin_recover_deleted_secret("rot")
        try:
            poller.wait(LRO_TIMEOUT)
            self.check(poller.done(), "recover poller not done")
            self.check(time.monotonic() - t0 >= 2.5, "the recover poller did not wait (%.1f s)" % (time.monotonic() - t0))
            r = poller.result()
        finally:
            self.control("/config", {"soft_delete_delay_ms": 0})
        self.check(r.name == "rot" and r.version == self.versions[2], "recovered %r %r" % (r.name, r.version))
        s = self.sc.get_secret("rot")
        self.check(s.value == "v3", "value after recover %r" % s.value)

    # ---- network and private endpoint -----------------------------------------
    def s_vnet(self):
        p = self.net.virtual_networks.begin_create_or_update(
            self.rg, self.vnet, {"location": "eastus", "address_space": {"address_prefixes": ["10.30.0.0/16"]}},
            polling_interval=1)
        v = self.wait_lro(p, "vnet create")
        self.check(v.provisioning_state == "Succeeded" and v.address_space.address_prefixes == ["10.30.0.0/16"], "vnet")
        p = self.net.subnets.begin_create_or_update(
            self.rg, self.vnet, self.subnet,
            {"address_prefix": "10.30.1.0/24", "private_endpoint_network_policies": "Disabled"}, polling_interval=1)
        s = self.wait_lro(p, "subnet create")
        self.check(s.provisioning_state == "Succeeded", "subnet state %r" % s.provisioning_state)
        self.check(s.private_endpoint_network_policies == "Disabled", "policies %r" % s.private_endpoint_network_policies)
        self.subnet_obj = s

    def s_pe(self):
        body = {
            "location": "eastus",
            "subnet": {"id": self.subnet_obj.id},
            "private_link_service_connections": [{
                "name": "conf-conn",
                "private_link_service_id": self.vault_obj.id,
                "group_ids": ["vault"],
            }],
        }
        p = self.net.private_endpoints.begin_create_or_update(self.rg, self.pe, body, polling_interval=1)
        pe = self.wait_lro(p, "private endpoint create")
        self.check(pe.provisioning_state == "Succeeded", "state %r" % pe.provisioning_state)
        self.check(len(pe.private_link_service_connections) == 1, "connections")
        c = pe.private_link_service_connections[0]
        self.check(c.group_ids == ["vault"] and self.same_id(c.private_link_service_id, self.vault_obj.id), "connection")
        self.check(c.private_link_service_connection_state.status == "Approved",
                   "status %r" % c.private_link_service_connection_state.status)
        self.check(self.same_id(pe.subnet.id, self.subnet_obj.id), "subnet id %r" % pe.subnet.id)
        self.pe_obj = pe
        got = self.net.private_endpoints.get(self.rg, self.pe)
        self.check(got.id == pe.id, "get pe")

    def s_pec(self):
        cons = list(self.kv.private_endpoint_connections.list_by_resource(self.rg, self.vault))
        self.check(len(cons) == 1, "%d connections" % len(cons))
        c = cons[0]
        self.check(self.same_id(c.private_endpoint.id, self.pe_obj.id), "privateEndpoint.id %r" % c.private_endpoint.id)
        self.check(c.private_link_service_connection_state.status == "Approved", "status")
        self.check(c.provisioning_state == "Succeeded", "provisioningState %r" % c.provisioning_state)
        self.check(c.id.lower().startswith(self.vault_obj.id.lower() + "/privateendpointconnections/"), "id %r" % c.id)
        name = c.id.rsplit("/", 1)[1]
        one = self.kv.private_endpoint_connections.get(self.rg, self.vault, name)
        self.check(one.id == c.id, "get connection")
        v = self.kv.vaults.get(self.rg, self.vault)
        pecs = v.properties.private_endpoint_connections or []
        self.check(len(pecs) == 1 and self.same_id(pecs[0].private_endpoint.id, self.pe_obj.id),
                   "vault.properties.privateEndpointConnections %r" % pecs)

    def run(self):
        st = self.step
        st("ClientSecretCredential get_token (authority + no instance discovery)", self.s_token, critical=True)
        st("access token is a JWT with tid/oid/aud", self.s_token_jwt)
        st("wrong client secret is refused (invalid_client)", self.s_wrong_secret)
        st("CertificateCredential get_token + subscriptions", self.s_certificate)
        st("SubscriptionClient list + get + list_locations", self.s_subscriptions, critical=True)
        st("resource_groups.list", self.s_groups)
        st("resource_groups create_or_update / check_existence / get", self.s_group_create, critical=True)
        st("vaults.begin_create_or_update + poller (RegisteringDns -> Succeeded)", self.s_vault_create, critical=True)
        st("vault create PUT answered 200 + RegisteringDns", self.s_vault_create_wire)
        st("vaults.check_name_availability", self.s_name_check)
        st("vaults list_by_subscription / list / list_by_resource_group", self.s_vault_list)
        st("vaults.get (and 404 for a missing vault)", self.s_vault_get)
        st("data plane refuses a caller without an access policy (403)", self.s_access_denied)
        st("RBAC vault: ForbiddenByRbac, role_assignments create/list/get, read after propagation", self.s_rbac)
        st("SecretClient.set_secret (challenge, 3 versions)", self.s_secret_set, critical=True)
        st("set 27 more secrets", self.s_secret_many)
        st("get_secret latest / by version / missing", self.s_secret_get)
        st("list_properties_of_secrets (all pages, maxresults)", self.s_secret_list)
        st("list_properties_of_secret_versions", self.s_secret_versions)
        st("update_secret_properties (by version, latest, unknown version)", self.s_secret_update)
        st("ARM secrets: create_or_update (new data-plane version) / get / list (pages) / update", self.s_arm_secrets)
        st("begin_delete_secret (eventually consistent) + deleted get/list + 409 on set", self.s_secret_delete)
        st("begin_recover_deleted_secret (eventually consistent)", self.s_secret_recover)
        st("virtual_networks + subnets begin_create_or_update", self.s_vnet, critical=True)
        st("private_endpoints.begin_create_or_update (groupIds vault)", self.s_pe, critical=True)
        st("private_endpoint_connections list_by_resource / get, vault shows it", self.s_pec)
        self.finish()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: scenario.py CONNECTION_JSON", file=sys.stderr)
        sys.exit(2)
    Scenario(sys.argv[1]).run()
