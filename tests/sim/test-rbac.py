"""Azure RBAC in kvdeck-sim, as a person checks it with the REST API:

- role definitions: the built-in roles by their real ids, names and
  permissions, listed at a scope, found with $filter=roleName eq '...',
  read by id at any scope;
- the seed's assignments: Owner on each subscription and Key Vault
  Administrator on each seeded vault for the service principal, the user
  and both managed identities — and nothing on a new vault;
- a new RBAC vault refuses its creator (403 ForbiddenByRbac with Key
  Vault's body) until a role is assigned; the assignment grants only
  after the propagation delay (--rbac-delay, changed at run time with
  POST /_sim/config rbac_delay_ms); Secrets User reads, Secrets Officer
  writes, Key Vault Reader lists but cannot read values, Administrator
  does everything; assignments at the subscription's group, the vault and
  a single secret are inherited downwards; Owner grants no data access;
- role assignments: PUT (201, the same again 200), GET, list at a scope
  (at, above and below; atScope(); principalId eq; assignedTo()), DELETE
  (200, then 204), and Azure's errors: RoleAssignmentExists,
  RoleAssignmentUpdateNotPermitted, PrincipalNotFound,
  UnmatchedPrincipalType, InvalidRoleDefinitionId,
  RoleDefinitionDoesNotExist, InvalidRoleAssignmentId,
  RoleAssignmentNotFound, AuthorizationFailed for a caller without
  Microsoft.Authorization/roleAssignments/write;
- the vault life cycle the create-vault wizard meets: the subscription's
  locations, a name taken in another subscription (VaultAlreadyExists),
  checkNameAvailability (AccountNameInvalid, AlreadyExists for an active
  and a soft-deleted name), the PUT of a soft-deleted name (ConflictError),
  createMode recover (the vault's secrets come back, its role assignments
  do not: Key Vault deletes them with the vault), purge refused while
  purge protection holds.
"""
import http.client
import time
import urllib.parse
import uuid

import simlib

KV = "Microsoft.KeyVault"
AZ = "/providers/Microsoft.Authorization"
API = "2022-04-01"
ROLES = {
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
    "Key Vault Reader": "21090545-7ca7-4776-b22c-e363652d74d2",
}
DELAY_MS = 1500


def run(c):
    sim = simlib.Sim(["--dns-delay", "0", "--lro-delay", "0",
                      "--rbac-delay", str(DELAY_MS)])
    try:
        t = Rbac(c, sim)
        t.definitions()
        t.seeded()
        t.new_vault()
        t.errors()
        t.authorization_failed()
        lifecycle(c, sim, t)
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


def imds_token(sim, resource, client_id):
    conn = http.client.HTTPConnection("127.0.0.1", sim.conn["imds_port"],
                                      timeout=10)
    conn.request("GET", "/metadata/identity/oauth2/token?api-version="
                 "2018-02-01&resource=%s&client_id=%s" %
                 (urllib.parse.quote(resource, safe=""), client_id),
                 headers={"Metadata": "true"})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return simlib.Response(r.status, r.getheaders(), body).json()[
        "access_token"]


def err(r):
    try:
        e = r.json()["error"]
    except Exception:
        return (r.status, None, None)
    return (r.status, e.get("code"), (e.get("innererror") or {}).get("code"))


class Rbac:
    def __init__(self, c, sim):
        self.c, self.sim = c, sim
        self.sub = sim.subscription(0)
        self.sp = sim.conn["client_object_id"]
        self.user = sim.conn["user_object_id"]
        self.mi = sim.conn["mi_object_id"]
        self.uami = sim.conn["uami_object_id"]
        self.rg = "/subscriptions/%s/resourceGroups/rg-rbac" % self.sub
        self.vid = self.rg + "/providers/%s/vaults/kv-rbac-new" % KV

    def role_id(self, name, sub=None):
        return ("/subscriptions/%s%s/roleDefinitions/%s" %
                (sub or self.sub, AZ, ROLES[name]))

    def assign(self, scope, role, principal, ptype="ServicePrincipal",
               name=None, token=None):
        name = name or str(uuid.uuid4())
        body = {"properties": {"roleDefinitionId": self.role_id(role),
                               "principalId": principal}}
        if ptype:
            body["properties"]["principalType"] = ptype
        r = self.sim.arm("PUT", "%s%s/roleAssignments/%s" % (scope, AZ, name),
                         body, api=API, token=token)
        return r, name

    def unassign(self, scope, name, token=None):
        return self.sim.arm("DELETE", "%s%s/roleAssignments/%s" %
                            (scope, AZ, name), api=API, token=token)

    def listing(self, scope, flt=None):
        path = "%s%s/roleAssignments" % (scope, AZ)
        if flt:
            path += "?$filter=" + urllib.parse.quote(flt)
        r = self.sim.arm("GET", path, api=API)
        self.c.eq(r.status, 200, "list role assignments at %s (%s)" %
                  (scope[-30:], flt))
        return r.json()["value"]

    def dp(self, method, path, body=None, vault="kv-rbac-new", token=None):
        return self.sim.dp(method, vault, path, body, token=token)

    # ---- role definitions -----------------------------------------------
    def definitions(self):
        c, sim = self.c, self.sim
        base = "/subscriptions/%s%s/roleDefinitions" % (self.sub, AZ)
        r = sim.arm("GET", base, api=API)
        c.eq(r.status, 200, "role definitions listed")
        got = {d["properties"]["roleName"]: d for d in r.json()["value"]}
        c.ok(all(got.get(n, {}).get("name") == i for n, i in ROLES.items()),
             "the built-in roles by their real ids")
        d = got["Key Vault Secrets User"]
        c.eq((d["id"], d["type"], d["properties"]["type"]),
             (self.role_id("Key Vault Secrets User"),
              "Microsoft.Authorization/roleDefinitions", "BuiltInRole"),
             "a role definition's id, type and role type")
        c.eq(d["properties"]["permissions"][0]["dataActions"],
             ["Microsoft.KeyVault/vaults/secrets/getSecret/action",
              "Microsoft.KeyVault/vaults/secrets/readMetadata/action"],
             "Key Vault Secrets User: getSecret and readMetadata")
        c.eq(got["Owner"]["properties"]["permissions"][0],
             {"actions": ["*"], "notActions": [], "dataActions": [],
              "notDataActions": []}, "Owner: every action, no data action")
        c.ok("Microsoft.Authorization/*/Write" in
             got["Contributor"]["properties"]["permissions"][0]["notActions"],
             "Contributor cannot write role assignments")
        r = sim.arm("GET", base + "?$filter=" + urllib.parse.quote(
            "roleName eq 'Key Vault Secrets Officer'"), api=API)
        v = r.json()["value"]
        c.eq([x["name"] for x in v], [ROLES["Key Vault Secrets Officer"]],
             "$filter=roleName eq finds one role")
        c.eq(v[0]["properties"]["permissions"][0]["dataActions"],
             ["Microsoft.KeyVault/vaults/secrets/*"],
             "Key Vault Secrets Officer: every secret data action")
        r = sim.arm("GET", base + "?$filter=" + urllib.parse.quote(
            "roleName eq 'No Such Role'"), api=API)
        c.eq(r.json()["value"], [], "an unknown role name: empty list")
        vault = ("/subscriptions/%s/resourceGroups/rg-app-prod/providers/%s/"
                 "vaults/kv-contoso-app-prod" % (sim.demo_sub(
                     "Contoso Production"), KV))
        r = sim.arm("GET", "%s%s/roleDefinitions/%s" %
                    (vault, AZ, ROLES["Key Vault Administrator"]), api=API)
        c.eq((r.status, r.json()["properties"]["roleName"]),
             (200, "Key Vault Administrator"), "GET a role by id at a vault")
        r = sim.arm("GET", "%s/roleDefinitions/%s" %
                    (AZ, ROLES["Key Vault Reader"]), api=API)
        c.eq((r.status, r.json()["id"]),
             (200, "%s/roleDefinitions/%s" % (AZ, ROLES["Key Vault Reader"])),
             "GET a role by id at the tenant root")
        r = sim.arm("GET", base + "/11111111-2222-3333-4444-555555555555",
                    api=API)
        c.eq(err(r)[:2], (404, "RoleDefinitionDoesNotExist"),
             "an unknown role id: 404 RoleDefinitionDoesNotExist")

    # ---- the seed ------------------------------------------------------
    def seeded(self):
        c, sim = self.c, self.sim
        for sub in sim.conn["subscriptions"]:
            v = self.listing("/subscriptions/" + sub, "atScope()")
            owners = {a["properties"]["principalId"] for a in v
                      if a["properties"]["roleDefinitionId"].endswith(
                          ROLES["Owner"])}
            c.ok({self.sp, self.user, self.mi, self.uami} <= owners,
                 "seed: the principals are Owner of subscription %s" % sub)
            c.ok(all(a["properties"]["scope"] == "/subscriptions/" + sub
                     for a in v),
                 "atScope() at a subscription: nothing below it")
        prod = sim.demo_sub("Contoso Production")
        vault = ("/subscriptions/%s/resourceGroups/rg-app-prod/providers/%s/"
                 "vaults/kv-contoso-app-prod" % (prod, KV))
        v = self.listing(vault, "atScope()")
        admin = [a for a in v if a["properties"]["scope"] == vault]
        c.eq(sorted(a["properties"]["principalId"] for a in admin),
             sorted([self.sp, self.user, self.mi, self.uami]),
             "seed: the principals are Key Vault Administrator of a seeded "
             "vault")
        c.ok(all(a["properties"]["roleDefinitionId"].endswith(
            ROLES["Key Vault Administrator"]) for a in admin),
            "seed: the vault's role is Key Vault Administrator")
        c.ok(len(v) > len(admin), "atScope() at a vault: the "
             "subscription's assignments too (inherited)")
        a = admin[0]
        c.eq((a["type"], a["id"]),
             ("Microsoft.Authorization/roleAssignments",
              "%s%s/roleAssignments/%s" % (vault, AZ, a["name"])),
             "an assignment's type and id")
        # Switched to RBAC, a seeded vault stays open to its principals.
        r = sim.arm("PATCH", vault, {"properties":
                                     {"enableRbacAuthorization": True}})
        c.eq(r.status, 200, "seeded vault switched to RBAC")
        r = sim.dp("GET", "kv-contoso-app-prod", "/secrets/db-password")
        c.eq(r.status, 200, "seeded vault on RBAC: Key Vault Administrator "
             "reads")
        sim.arm("PATCH", vault, {"properties":
                                 {"enableRbacAuthorization": False}})

    # ---- a new RBAC vault ------------------------------------------------
    def new_vault(self):
        c, sim = self.c, self.sim
        r = sim.arm("PUT", self.rg, {"location": "eastus"}, api="2021-04-01")
        c.eq(r.status, 201, "group created")
        r = sim.arm("PUT", self.vid, {"location": "eastus", "properties": {
            "tenantId": sim.tenant, "sku": {"family": "A", "name": "standard"},
            "enableRbacAuthorization": True}})
        c.eq(r.status, 200, "RBAC vault created")
        vault_token = sim.vault_token()

        r = self.dp("GET", "/secrets")
        c.eq(err(r), (403, "Forbidden", "ForbiddenByRbac"),
             "new RBAC vault: the creator is refused (ForbiddenByRbac)")
        msg = r.json()["error"]["message"]
        want = ("Caller is not authorized to perform action on resource.\r\n"
                "If role assignments, deny assignments or role definitions "
                "were changed recently, please observe propagation time.\r\n"
                "Caller: appid=%s;oid=%s;iss=https://sts.windows.net/%s/\r\n"
                "Action: 'Microsoft.KeyVault/vaults/secrets/readMetadata/"
                "action'\r\nResource: '%s'\r\nAssignment: (not found)\r\n"
                "DenyAssignmentId: null\r\nDecisionReason: "
                "'DeniedWithNoValidRBAC' \r\nVault: kv-rbac-new;"
                "location=eastus\r\n" % (sim.conn["client_id"], self.sp,
                                         sim.tenant, self.vid.lower()))
        c.eq(msg, want, "ForbiddenByRbac: Key Vault's message, word for word")
        r = self.dp("PUT", "/secrets/a", {"value": "x"})
        c.ok(err(r)[2] == "ForbiddenByRbac" and
             "Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'"
             in r.json()["error"]["message"] and
             "/vaults/kv-rbac-new/secrets/a'" in r.json()["error"]["message"],
             "a write is refused with the setSecret action on the secret")

        # Owner of the subscription: control plane only.
        c.eq(sim.arm("GET", self.vid).status, 200,
             "the Owner reads the vault through ARM")

        # Secrets User on the vault, after the propagation delay.
        t0 = time.time()
        r, user_name = self.assign(self.vid, "Key Vault Secrets User", self.sp)
        c.eq(r.status, 201, "Key Vault Secrets User assigned on the vault")
        p = r.json()["properties"]
        c.eq((p["scope"], p["principalId"], p["principalType"],
              p["roleDefinitionId"]),
             (self.vid, self.sp, "ServicePrincipal",
              self.role_id("Key Vault Secrets User")),
             "the assignment as ARM answers it")
        c.ok(any(a["name"] == user_name for a in
                 self.listing(self.vid, "atScope()")),
             "listed at once (ARM is consistent), before it grants")
        r = self.dp("GET", "/secrets")
        if time.time() - t0 < DELAY_MS / 1000.0 - 0.2:
            c.eq(err(r)[2], "ForbiddenByRbac",
                 "inside the propagation delay: still refused")
        time.sleep(max(0, DELAY_MS / 1000.0 + 0.2 - (time.time() - t0)))
        r = self.dp("GET", "/secrets")
        c.eq(r.status, 200, "after the propagation delay: Secrets User lists")
        r = self.dp("PUT", "/secrets/a", {"value": "x"})
        c.eq(err(r)[2], "ForbiddenByRbac", "Secrets User cannot write")

        # The delay changed at run time.
        r = sim.control("POST", "/config", {"rbac_delay_ms": 0})
        c.eq(r.status, 200, "rbac_delay_ms set to 0 through /_sim/config")
        c.eq(sim.control("GET", "").json()["rbac_delay_ms"], 0,
             "GET /_sim shows rbac_delay_ms")

        # Secrets Officer on the group: inherited by the vault, at once.
        r, off_name = self.assign(self.rg, "Key Vault Secrets Officer",
                                  self.sp)
        c.eq(r.status, 201, "Key Vault Secrets Officer assigned on the group")
        r = self.dp("PUT", "/secrets/a", {"value": "alpha"})
        c.eq(r.status, 200, "Secrets Officer (inherited from the group) "
             "writes")
        c.eq(self.dp("PUT", "/secrets/b", {"value": "beta"}).status, 200,
             "second secret written")
        c.eq(self.dp("PUT", "/secrets/c", {"value": "gamma"}).status, 200,
             "third secret written")
        c.eq(self.dp("DELETE", "/secrets/c").status, 200,
             "Secrets Officer deletes")
        c.eq(self.dp("PATCH", "/secrets/a/" + r.json()["id"].rsplit(
            "/", 1)[1], {"tags": {"k": "v"}}).status, 200,
            "Secrets Officer updates attributes")
        c.eq(self.dp("GET", "/secrets/a").json().get("value"), "alpha",
             "and reads the value")
        v = self.listing(self.rg)
        c.ok({user_name, off_name} <= {a["name"] for a in v},
             "listing at the group shows the vault's assignment (below) "
             "and its own")
        c.ok(user_name not in {a["name"] for a in
                               self.listing(self.rg, "atScope()")},
             "atScope() at the group leaves out the vault's")
        v = self.listing("/subscriptions/" + self.sub,
                         "principalId eq '%s'" % self.sp)
        c.ok({user_name, off_name} <= {a["name"] for a in v} and
             all(a["properties"]["principalId"] == self.sp for a in v),
             "principalId eq at the subscription: the principal's, below too")
        v = self.listing(self.vid, "atScope() and assignedTo('%s')" %
                         self.mi)
        c.ok(v and all(a["properties"]["principalId"] == self.mi for a in v),
             "atScope() and assignedTo(): only that principal's")
        c.eq(self.unassign(self.rg, off_name).status, 200,
             "Secrets Officer removed")
        c.eq(err(self.dp("PUT", "/secrets/a", {"value": "x"}))[2],
             "ForbiddenByRbac", "without it, writing is refused again")
        c.eq(self.unassign(self.vid, user_name).status, 200,
             "Secrets User removed")

        # Key Vault Reader: metadata, not values.
        r, rd = self.assign(self.vid, "Key Vault Reader", self.sp)
        c.eq(self.dp("GET", "/secrets").status, 200,
             "Key Vault Reader lists secrets")
        c.eq(self.dp("GET", "/secrets/a/versions").status, 200,
             "Key Vault Reader lists versions")
        r = self.dp("GET", "/secrets/a")
        c.ok(err(r)[2] == "ForbiddenByRbac" and "getSecret/action" in
             r.json()["error"]["message"],
             "Key Vault Reader cannot read a value")
        c.eq(self.dp("GET", "/deletedsecrets/c").status, 200,
             "Key Vault Reader reads a deleted secret (metadata, no value)")
        r = self.dp("POST", "/deletedsecrets/c/recover")
        c.ok(err(r)[2] == "ForbiddenByRbac" and "recover/action" in
             r.json()["error"]["message"], "Key Vault Reader cannot recover")
        self.unassign(self.vid, rd)

        # Reader (the general role): no data access at all.
        r, gr = self.assign(self.vid, "Reader", self.sp)
        c.eq(err(self.dp("GET", "/secrets"))[2], "ForbiddenByRbac",
             "Reader grants no data-plane access")
        self.unassign(self.vid, gr)

        # A single secret's scope.
        sec = self.vid + "/secrets/a"
        r, one = self.assign(sec, "Key Vault Secrets User", self.sp)
        c.eq(r.status, 201, "Secrets User assigned on one secret")
        c.eq(self.dp("GET", "/secrets/a").json().get("value"), "alpha",
             "the secret's reader reads it")
        c.eq(err(self.dp("GET", "/secrets/b"))[2], "ForbiddenByRbac",
             "but not another secret")
        c.eq(err(self.dp("GET", "/secrets"))[2], "ForbiddenByRbac",
             "nor the vault's list")
        c.ok(any(a["name"] == one for a in self.listing(sec)),
             "listed at the secret's scope")
        self.unassign(sec, one)

        # Administrator on the group: everything, the delete life cycle too.
        r, adm = self.assign(self.rg, "Key Vault Administrator", self.sp)
        c.eq(self.dp("DELETE", "/secrets/b").status, 200,
             "Administrator deletes")
        time.sleep(0.1)
        c.eq(self.dp("GET", "/deletedsecrets").status, 200,
             "Administrator lists deleted secrets")
        c.eq(self.dp("DELETE", "/deletedsecrets/b").status, 204,
             "Administrator purges")
        c.eq(self.dp("POST", "/secrets/a/backup").status, 200,
             "Administrator backs up")
        self.admin_name = adm
        del vault_token

    # ---- errors ------------------------------------------------------------
    def errors(self):
        c, sim = self.c, self.sim
        r, name = self.assign(self.vid, "Key Vault Secrets User", self.sp)
        c.eq(r.status, 201, "assignment for the error checks")
        r, _ = self.assign(self.vid, "Key Vault Secrets User", self.sp,
                           name=name)
        c.eq(r.status, 200, "the same PUT again: 200")
        r, _ = self.assign(self.vid, "Key Vault Secrets User", self.sp)
        c.eq(err(r)[:2], (409, "RoleAssignmentExists"),
             "the same role, principal and scope under a new name: 409 "
             "RoleAssignmentExists")
        c.eq(r.json()["error"]["message"], "The role assignment already "
             "exists.", "RoleAssignmentExists message")
        r, _ = self.assign(self.vid, "Key Vault Reader", self.sp, name=name)
        c.eq(err(r)[:2], (400, "RoleAssignmentUpdateNotPermitted"),
             "another role under an existing name: "
             "RoleAssignmentUpdateNotPermitted")
        r, _ = self.assign(self.rg, "Key Vault Secrets User", self.sp,
                           name=name)
        c.eq(err(r)[:2], (400, "RoleAssignmentUpdateNotPermitted"),
             "an existing name at another scope: "
             "RoleAssignmentUpdateNotPermitted")
        nobody = "00000000-0000-0000-0000-00000000beef"
        r, _ = self.assign(self.vid, "Key Vault Secrets User", nobody)
        c.ok(err(r)[:2] == (400, "PrincipalNotFound") and
             r.json()["error"]["message"].startswith(
                 "Principal %s does not exist in the directory %s." %
                 (nobody, sim.tenant)), "an unknown principal: "
             "PrincipalNotFound")
        r, _ = self.assign(self.vid, "Key Vault Secrets User", self.user,
                           ptype="ServicePrincipal")
        c.eq(err(r)[:2], (400, "UnmatchedPrincipalType"),
             "a user given as a service principal: UnmatchedPrincipalType")
        r, _ = self.assign(self.vid, "Key Vault Secrets User", self.user,
                           ptype=None)
        c.eq((r.status, r.json()["properties"]["principalType"]),
             (201, "User"), "principalType left out: taken from the "
             "directory")
        self.unassign(self.vid, r.json()["name"])
        path = "%s%s/roleAssignments/%s" % (self.vid, AZ, uuid.uuid4())
        r = sim.arm("PUT", path, {"properties": {
            "roleDefinitionId": "Key Vault Secrets User",
            "principalId": self.sp}}, api=API)
        c.eq(err(r)[:2], (400, "InvalidRoleDefinitionId"),
             "a role name instead of an id: InvalidRoleDefinitionId")
        r = sim.arm("PUT", path, {"properties": {
            "roleDefinitionId": "/subscriptions/%s%s/roleDefinitions/"
            "11111111-2222-3333-4444-555555555555" % (self.sub, AZ),
            "principalId": self.sp}}, api=API)
        c.eq(err(r)[:2], (400, "RoleDefinitionDoesNotExist"),
             "an unknown role id: RoleDefinitionDoesNotExist")
        r = sim.arm("PUT", "%s%s/roleAssignments/not-a-guid" % (self.vid, AZ),
                    {"properties": {"roleDefinitionId": self.role_id(
                        "Reader"), "principalId": self.sp}}, api=API)
        c.eq(err(r)[:2], (400, "InvalidRoleAssignmentId"),
             "a name that is not a GUID: InvalidRoleAssignmentId")
        r = sim.arm("GET", path, api=API)
        c.eq(err(r)[:2], (404, "RoleAssignmentNotFound"),
             "GET of no assignment: 404 RoleAssignmentNotFound")
        r = sim.arm("GET", "%s%s/roleAssignments/%s" % (self.rg, AZ, name),
                    api=API)
        c.eq(r.status, 404, "GET at another scope than the assignment's: 404")
        r = sim.arm("GET", "%s%s/roleAssignments/%s" % (self.vid, AZ, name),
                    api=API)
        c.eq((r.status, r.json()["name"]), (200, name), "GET by scope and name")
        r = self.unassign(self.vid, name)
        c.eq((r.status, r.json()["name"]), (200, name),
             "DELETE answers 200 with the assignment")
        c.eq(self.unassign(self.vid, name).status, 204,
             "DELETE again: 204")
        r = sim.arm("GET", "/subscriptions/%s/resourceGroups/rg-none%s/"
                    "roleAssignments" % (self.sub, AZ), api=API)
        c.eq(err(r)[:2], (404, "ResourceGroupNotFound"),
             "a group that does not exist: ResourceGroupNotFound")

    def authorization_failed(self):
        c, sim = self.c, self.sim
        arm = imds_token(sim, "https://management.azure.com/",
                         sim.conn["uami_client_id"])
        vault = imds_token(sim, "https://vault.localhost:%d" % sim.port,
                           sim.conn["uami_client_id"])
        sub = "/subscriptions/" + self.sub
        owner = [a for a in self.listing(sub, "atScope() and principalId eq "
                                         "'%s'" % self.uami)
                 if a["properties"]["roleDefinitionId"].endswith(
                     ROLES["Owner"])]
        c.eq(len(owner), 1, "the managed identity's seeded Owner")
        c.eq(self.unassign(sub, owner[0]["name"]).status, 200,
             "its Owner role removed")
        r, _ = self.assign(self.vid, "Key Vault Secrets User", self.uami,
                           token=arm)
        c.eq(err(r)[:2], (403, "AuthorizationFailed"),
             "without roleAssignments/write: 403 AuthorizationFailed")
        c.ok("does not have authorization to perform action "
             "'Microsoft.Authorization/roleAssignments/write' over scope"
             in r.json()["error"]["message"], "AuthorizationFailed names "
             "the action")
        self.assign(self.rg, "Contributor", self.uami)
        r, _ = self.assign(self.vid, "Key Vault Secrets User", self.uami,
                           token=arm)
        c.eq(err(r)[:2], (403, "AuthorizationFailed"),
             "Contributor cannot assign roles either")
        self.assign(self.vid, "User Access Administrator", self.uami)
        r, mine = self.assign(self.vid, "Key Vault Secrets User", self.uami,
                              token=arm)
        c.eq(r.status, 201, "User Access Administrator assigns roles")
        c.eq(sim.dp("GET", "kv-rbac-new", "/secrets/a",
                    token=vault).json().get("value"), "alpha",
             "the managed identity reads with its new role")
        r = self.unassign(self.rg, self.admin_name, token=arm)
        c.eq(err(r)[:2], (403, "AuthorizationFailed"),
             "deleting at the group needs roleAssignments/delete there")


def lifecycle(c, sim, t):
    sub, other = sim.conn["subscriptions"][0], sim.conn["subscriptions"][1]
    r = sim.arm("GET", "/subscriptions/%s/locations" % sub, api="2022-12-01")
    names = [l["name"] for l in r.json()["value"]]
    c.ok(r.status == 200 and "eastus" in names and "westeurope" in names,
         "the subscription's locations")
    loc = r.json()["value"][0]
    c.eq((loc["id"], loc["type"]),
         ("/subscriptions/%s/locations/%s" % (sub, loc["name"]), "Region"),
         "a location's id and type")
    c.ok(all(l.get("displayName") for l in r.json()["value"]),
         "every location has a display name")
    east = [l for l in r.json()["value"] if l["name"] == "eastus"][0]
    m = east["metadata"]
    c.eq((east["regionalDisplayName"], m["regionType"], m["geographyGroup"],
          m["pairedRegion"][0]["name"]),
         ("(US) East US", "Physical", "US", "westus"),
         "eastus as Azure describes it (regionalDisplayName, metadata)")

    check = "/subscriptions/%s/providers/%s/checkNameAvailability" % (
        other, KV)

    def name_check(n):
        return sim.arm("POST", check, {"name": n,
                                       "type": "Microsoft.KeyVault/vaults"})
    j = name_check("kv-rbac-new").json()
    c.eq((j["nameAvailable"], j["reason"]), (False, "AlreadyExists"),
         "checkNameAvailability: taken in another subscription")
    c.ok(j["message"].startswith("The vault name 'kv-rbac-new' is already in "
                                 "use. Vault names are globally unique"),
         "AlreadyExists message as Azure words it")
    j = name_check("1bad").json()
    c.eq((j["nameAvailable"], j["reason"]), (False, "AccountNameInvalid"),
         "checkNameAvailability: invalid name")
    c.eq(name_check("kv-free-name").json(), {"nameAvailable": True},
         "checkNameAvailability: a free name")
    grp = "/subscriptions/%s/resourceGroups/rg-other" % other
    sim.arm("PUT", grp, {"location": "westeurope"}, api="2021-04-01")
    body = {"location": "westeurope", "properties": {
        "tenantId": sim.tenant, "sku": {"family": "A", "name": "standard"},
        "enableRbacAuthorization": True}}
    r = sim.arm("PUT", grp + "/providers/%s/vaults/kv-rbac-new" % KV, body)
    c.eq(err(r)[:2], (409, "VaultAlreadyExists"),
         "a name taken in another subscription: VaultAlreadyExists")

    # Soft delete: the name stays reserved; the vault's assignments go.
    sim.control("POST", "/config", {"rbac_delay_ms": 0})
    c.eq(t.unassign(t.rg, t.admin_name).status, 200,
         "Administrator on the group removed")
    r, kept = t.assign(t.rg, "Key Vault Secrets User", t.sp)
    c.eq(r.status, 201, "Secrets User on the group (outlives the vault)")
    c.ok(t.listing(t.vid, "atScope()") and
         [a for a in t.listing(t.vid) if a["properties"]["scope"] ==
          t.vid], "the vault has assignments of its own before deletion")
    c.eq(sim.arm("DELETE", t.vid).status, 200, "RBAC vault deleted")
    j = name_check("kv-rbac-new").json()
    c.eq((j["nameAvailable"], j["reason"]), (False, "AlreadyExists"),
         "checkNameAvailability: a soft-deleted name is not available")
    r = sim.arm("PUT", t.vid, body)
    c.eq(err(r)[:2], (409, "ConflictError"),
         "PUT of a soft-deleted name: 409 ConflictError")
    c.ok("already exists in deleted state" in r.json()["error"]["message"],
         "ConflictError says recover or purge")
    r = sim.arm("GET", "/subscriptions/%s/providers/%s/locations/eastus/"
                "deletedVaults/kv-rbac-new" % (sub, KV))
    c.eq(r.status, 200, "the deleted vault is found")
    rec = dict(body, location="eastus")
    rec["properties"] = dict(body["properties"], createMode="recover")
    r = sim.arm("PUT", t.vid, rec)
    c.eq(r.status, 200, "createMode recover")
    mine = [a for a in t.listing(t.vid) if a["properties"]["scope"] != t.rg
            and a["properties"]["scope"].lower().startswith(t.vid.lower())]
    c.eq(mine, [], "recovered vault: its own role assignments are gone "
         "(Key Vault deletes them with the vault)")
    c.ok(any(a["name"] == kept for a in t.listing(t.vid, "atScope()")),
         "the group's assignment still applies to it")
    c.eq(sim.dp("GET", "kv-rbac-new", "/secrets/a").json().get("value"),
         "alpha", "recovered vault: its secrets are back, readable through "
         "the group's role")
    r = sim.dp("PUT", "kv-rbac-new", "/secrets/c", {"value": "x"})
    c.eq(err(r)[2], "ForbiddenByRbac", "the vault's own roles are not back "
         "(no write)")

    # Purge protection.
    prot = t.rg + "/providers/%s/vaults/kv-rbac-prot" % KV
    pb = dict(body, location="eastus")
    pb["properties"] = dict(body["properties"], enablePurgeProtection=True)
    c.eq(sim.arm("PUT", prot, pb).status, 200, "vault with purge protection")
    c.eq(sim.arm("DELETE", prot).status, 200, "and deleted")
    r = sim.arm("POST", "/subscriptions/%s/providers/%s/locations/eastus/"
                "deletedVaults/kv-rbac-prot/purge" % (sub, KV))
    c.ok(r.status == 409 and "purge protection is enabled" in
         r.json()["error"]["message"],
         "purge refused while purge protection holds")


if __name__ == "__main__":
    simlib.main(run)
