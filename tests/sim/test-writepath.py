"""What a secret write path meets in Key Vault, modelled strictly: PATCH
of a version's attributes (no value in the answer, tags replaced whole,
attributes merged, updated moves, the trailing-slash form meaning the
latest version, 404 SecretNotFound for an unknown version), the 403 of an
access policy naming the one permission each operation needs, set-body
limits (value, tags), 409 on a soft-deleted name, recover/purge of a
secret that is not deleted, purge under purge protection, and the
eventually consistent soft delete and recover of --soft-delete-delay
(also set by KVSIM_SOFT_DELETE_DELAY and POST /_sim/config)."""
import time

import simlib

V = "kv-contoso-dev"
HEX0 = "0" * 32
NOT_FOUND = ("A secret with (name/id) %s was not found in this key vault. "
             "If you recently deleted this secret you may be able to recover "
             "it using the correct recovery command. For help resolving this "
             "issue, please see https://go.microsoft.com/fwlink/?linkid="
             "2125182")
PERMS = ["get", "list", "set", "delete", "recover", "purge", "backup",
         "restore"]


def run(c):
    sim = simlib.Sim()
    try:
        patch(c, sim)
        validation(c, sim)
        permissions(c, sim)
        purge_protection(c, sim)
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()
    delay(c)
    delay_settings(c)


def err(r):
    e = r.json().get("error", {})
    return (r.status, e.get("code"), e.get("innererror", {}).get("code"),
            e.get("message"))


def version_of(r):
    return r.json()["id"].rsplit("/", 1)[1]


def patch(c, sim):
    r = sim.dp("PUT", V, "/secrets/wp", {"value": "one", "contentType": "ct",
                                        "tags": {"a": "1", "b": "2"}})
    v1 = version_of(r)
    created = r.json()["attributes"]["created"]
    r = sim.dp("PUT", V, "/secrets/wp", {"value": "two", "tags": {"k": "v"}})
    v2 = version_of(r)
    time.sleep(1.1)  # timestamps are whole seconds
    exp = int(time.time()) + 86400
    r = sim.dp("PATCH", V, "/secrets/wp/" + v1,
               {"attributes": {"exp": exp}, "tags": {"c": "3"}})
    j = r.json()
    c.eq(r.status, 200, "PATCH a version")
    c.eq(sorted(j), ["attributes", "contentType", "id", "tags"],
         "PATCH answers a SecretBundle without value")
    c.ok(j["id"].endswith("/secrets/wp/" + v1), "PATCH id names the version")
    c.eq(j["tags"], {"c": "3"}, "tags are replaced whole")
    c.eq(j["contentType"], "ct", "an absent contentType is kept")
    a = j["attributes"]
    c.eq(list(a), ["enabled", "exp", "created", "updated", "recoveryLevel",
                   "recoverableDays"], "attributes in the service's order")
    c.eq((a["enabled"], a["exp"], a["created"]), (True, exp, created),
         "attributes merged (enabled and created kept, exp set)")
    c.ok(a["updated"] > a["created"], "updated moved (%r > %r)"
         % (a["updated"], a["created"]))
    r = sim.dp("GET", V, "/secrets/wp/" + v2)
    c.eq((r.json()["value"], r.json()["tags"]), ("two", {"k": "v"}),
         "another version is untouched")
    r = sim.dp("PATCH", V, "/secrets/wp/", {"attributes": {"enabled": False}})
    c.eq((r.status, version_of(r), r.json()["attributes"]["enabled"]),
         (200, v2, False), "PATCH .../wp/ (empty version) updates the latest "
         "version, as azure-cli's set-attributes does")
    r = sim.dp("PATCH", V, "/secrets/wp/" + v1, {"tags": {}})
    c.ok(r.status == 200 and "tags" not in r.json(), "empty tags clear them")
    r = sim.dp("PATCH", V, "/secrets/wp/" + HEX0, {"tags": {}})
    c.eq(err(r), (404, "SecretNotFound", None, NOT_FOUND % ("wp/" + HEX0)),
         "PATCH of an unknown version: 404 SecretNotFound")
    r = sim.dp("PATCH", V, "/secrets/nowhere/" + HEX0, {"tags": {}})
    c.eq(r.status, 404, "PATCH of an unknown secret: 404")
    r = sim.dp("PATCH", V, "/secrets/wp/" + v1,
               {"tags": {"t%d" % i: "x" for i in range(16)}})
    c.eq(err(r)[:2], (400, "BadParameter"), "PATCH with 16 tags: 400")
    r = sim.dp("PATCH", V, "/secrets/wp/" + v1,
               {"attributes": {"enabled": "yes"}})
    c.eq(err(r)[:2], (400, "BadParameter"), "PATCH enabled not a boolean")


def validation(c, sim):
    r = sim.dp("PUT", V, "/secrets/val", {"contentType": "x"})
    c.eq(err(r)[:2], (400, "BadParameter"), "set without a value")
    r = sim.dp("PUT", V, "/secrets/val", {"value": "x" * 25601})
    c.eq(err(r), (400, "BadParameter", "SecretTooLarge",
                  "Secret is beyond the maximum permitted length of 25600 "
                  "characters."), "value over 25600 characters")
    r = sim.dp("PUT", V, "/secrets/val", {"value": "\u00e9" * 25600})
    c.eq(r.status, 200, "25600 characters in two bytes each are accepted")
    tags = {"t%02d" % i: "v" for i in range(15)}
    c.eq(sim.dp("PUT", V, "/secrets/val", {"value": "x", "tags": tags})
         .status, 200, "15 tags accepted")
    tags["t15"] = "v"
    c.eq(err(sim.dp("PUT", V, "/secrets/val", {"value": "x", "tags": tags})),
         (400, "BadParameter", None, "Property has invalid value\r\n"),
         "16 tags refused")
    for what, t, ok in (("name of 512", {"n" * 512: "v"}, True),
                        ("name of 513", {"n" * 513: "v"}, False),
                        ("value of 256", {"n": "v" * 256}, True),
                        ("value of 257", {"n": "v" * 257}, False)):
        r = sim.dp("PUT", V, "/secrets/val", {"value": "x", "tags": t})
        c.eq(r.status, 200 if ok else 400, "tag %s" % what)
    r = sim.dp("PUT", V, "/secrets/val", {"value": "x", "tags": {"n": 1}})
    c.eq(err(r)[:2], (400, "BadParameter"), "tag values are strings")
    r = sim.dp("PUT", V, "/secrets/val", {"value": "x", "contentType": 5})
    c.eq(err(r)[:2], (400, "BadParameter"), "contentType is a string")

    sim.dp("DELETE", V, "/secrets/val")
    r = sim.dp("PUT", V, "/secrets/val", {"value": "again"})
    c.eq(err(r), (409, "Conflict", "ObjectIsDeletedButRecoverable",
                  "Secret val is currently in a deleted but recoverable "
                  "state, and its name cannot be reused; in this state, the "
                  "secret can only be recovered or purged."),
         "set on a soft-deleted name: 409 as recorded")
    sim.dp("PUT", V, "/secrets/live", {"value": "x"})
    gone = (404, "SecretNotFound", None, "Deleted Secret not found: live")
    c.eq(err(sim.dp("POST", V, "/deletedsecrets/live/recover")), gone,
         "recover of a secret that is not deleted: 404")
    c.eq(err(sim.dp("DELETE", V, "/deletedsecrets/live")), gone,
         "purge of a secret that is not deleted: 404")
    c.eq(err(sim.dp("GET", V, "/deletedsecrets/live")), gone,
         "deleted get of a live secret: 404")
    c.eq(sim.dp("GET", V, "/secrets/live").status, 200,
         "the live secret is untouched")


def vault_id(sim):
    sub = sim.demo_sub("Contoso Development")
    return "/subscriptions/%s/resourceGroups/rg-app-dev/providers/" \
           "Microsoft.KeyVault/vaults/%s" % (sub, V)


def set_perms(sim, perms):
    pol = {"tenantId": sim.tenant, "objectId": sim.conn["client_object_id"],
           "permissions": {"secrets": perms}}
    r = sim.arm("PUT", vault_id(sim) + "/accessPolicies/replace",
                {"properties": {"accessPolicies": [pol]}})
    if r.status != 200:
        raise simlib.Failed("access policy: %d %s" % (r.status, r.body))


def permissions(c, sim):
    loc = sim.arm("GET", vault_id(sim)).json()["location"]
    sim.dp("PUT", V, "/secrets/perm", {"value": "p"})
    blob = sim.dp("POST", V, "/secrets/perm/backup").json()["value"]
    sim.dp("PUT", V, "/secrets/gone", {"value": "g"})
    sim.dp("DELETE", V, "/secrets/gone")
    ops = [
        ("get", "GET", "/secrets/perm", None),
        ("get", "GET", "/secrets/perm/", None),
        ("list", "GET", "/secrets", None),
        ("list", "GET", "/secrets/perm/versions", None),
        ("list", "GET", "/deletedsecrets", None),
        ("get", "GET", "/deletedsecrets/gone", None),
        ("set", "PUT", "/secrets/perm", {"value": "q"}),
        ("set", "PATCH", "/secrets/perm/", {"tags": {}}),
        ("backup", "POST", "/secrets/perm/backup", None),
        ("restore", "POST", "/secrets/restore", {"value": blob}),
        ("recover", "POST", "/deletedsecrets/gone/recover", None),
        ("purge", "DELETE", "/deletedsecrets/gone", None),
        ("delete", "DELETE", "/secrets/perm", None),
    ]
    want = ("The user, group or application 'appid=%s;oid=%s;iss=https://"
            "sts.windows.net/%s/' does not have secrets %%s permission on key "
            "vault '%s;location=%s'. For help resolving this issue, please "
            "see https://go.microsoft.com/fwlink/?linkid=2125287"
            % (sim.conn["client_id"], sim.conn["client_object_id"],
               sim.tenant, V, loc))
    for perm, method, path, body in ops:
        set_perms(sim, [p for p in PERMS if p != perm])
        r = sim.dp(method, V, path, body)
        c.eq(err(r), (403, "Forbidden", "AccessDenied", want % perm),
             "%s %s without %s: 403 naming it" % (method, path, perm))
        set_perms(sim, [perm.capitalize()])
        r = sim.dp(method, V, path, body)
        c.ok(r.status != 403, "%s %s with only %s: not 403 (%d)"
             % (method, path, perm, r.status))
    set_perms(sim, [])
    sim.arm("PATCH", vault_id(sim),
            {"properties": {"enableRbacAuthorization": True}})
    r = sim.dp("PUT", V, "/secrets/rbac", {"value": "r"})
    c.eq(r.status, 200, "RBAC vault: access policies not consulted (RBAC "
         "decisions are not modelled yet)")
    sim.arm("PATCH", vault_id(sim),
            {"properties": {"enableRbacAuthorization": False}})
    set_perms(sim, ["all"])


def purge_protection(c, sim):
    loc = sim.arm("GET", vault_id(sim)).json()["location"]
    r = sim.arm("PATCH", vault_id(sim),
                {"properties": {"enablePurgeProtection": True}})
    c.eq(r.status, 200, "purge protection on")
    sim.dp("PUT", V, "/secrets/pp", {"value": "x"})
    r = sim.dp("DELETE", V, "/secrets/pp")
    c.eq(r.json()["attributes"]["recoveryLevel"], "CustomizedRecoverable",
         "recovery level without +Purgeable")
    r = sim.dp("DELETE", V, "/deletedsecrets/pp")
    c.eq(err(r), (403, "Forbidden", None,
                  "Operation \"purge\" is not allowed because purge "
                  "protection is enabled for this vault. Key Vault service "
                  "will automatically purge it after the retention period "
                  "has passed.\r\nVault: %s;location=%s" % (V, loc)),
         "purge under purge protection: 403 as Key Vault words it")
    c.eq(sim.dp("GET", V, "/deletedsecrets/pp").status, 200,
         "the deleted secret stays")


def delay(c):
    sim = simlib.Sim(["--soft-delete-delay", "1500"])
    try:
        sim.dp("PUT", V, "/secrets/ec", {"value": "kept"})
        t0 = time.time()
        r = sim.dp("DELETE", V, "/secrets/ec")
        c.eq(r.status, 200, "delete answers at once")
        gone = (404, "SecretNotFound", None, "Deleted Secret not found: ec")
        c.eq(err(sim.dp("GET", V, "/deletedsecrets/ec")), gone,
             "right after delete: deleted get 404")
        names = [x["id"].rsplit("/", 1)[1] for x in
                 sim.dp("GET", V, "/deletedsecrets").json()["value"]]
        c.ok("ec" not in names and "old-ftp-password" in names,
             "right after delete: not in the deleted list yet")
        c.eq(err(sim.dp("POST", V, "/deletedsecrets/ec/recover")), gone,
             "right after delete: recover 404")
        c.eq(err(sim.dp("DELETE", V, "/deletedsecrets/ec"))[:3],
             (409, "Conflict", "ObjectIsBeingDeleted"),
             "right after delete: purge 409 (being deleted)")
        c.eq(err(sim.dp("PUT", V, "/secrets/ec", {"value": "x"}))[2],
             "ObjectIsDeletedButRecoverable",
             "right after delete: set 409 as recorded")
        c.eq(sim.dp("GET", V, "/secrets/ec").status, 404,
             "right after delete: the secret is gone")
        c.ok(time.time() - t0 < 1.4, "all that inside the window")
        time.sleep(max(0, t0 + 1.6 - time.time()))
        r = sim.dp("GET", V, "/deletedsecrets/ec")
        c.eq(r.status, 200, "after the window: deleted get 200")
        names = [x["id"].rsplit("/", 1)[1] for x in
                 sim.dp("GET", V, "/deletedsecrets").json()["value"]]
        c.ok("ec" in names, "after the window: in the deleted list")
        t0 = time.time()
        r = sim.dp("POST", V, "/deletedsecrets/ec/recover")
        c.eq(r.status, 200, "recover")
        c.eq(err(sim.dp("GET", V, "/secrets/ec"))[:2], (404, "SecretNotFound"),
             "right after recover: get 404 (the SDK pollers wait for it)")
        names = [x["id"].rsplit("/", 1)[1] for x in
                 sim.dp("GET", V, "/secrets").json()["value"]]
        c.ok("ec" not in names, "right after recover: not listed")
        c.eq(sim.dp("GET", V, "/deletedsecrets/ec").status, 404,
             "right after recover: no longer deleted")
        time.sleep(max(0, t0 + 1.6 - time.time()))
        r = sim.dp("GET", V, "/secrets/ec")
        c.eq((r.status, r.json().get("value")), (200, "kept"),
             "after the window: the recovered value")
        r = sim.control("POST", "/config", {"soft_delete_delay_ms": 0})
        c.eq(r.json()["soft_delete_delay_ms"], 0, "config turns it off")
        sim.dp("DELETE", V, "/secrets/ec")
        c.eq(sim.dp("GET", V, "/deletedsecrets/ec").status, 200,
             "off: deleted get at once")
        c.eq(sim.dp("DELETE", V, "/deletedsecrets/ec").status, 204,
             "off: purge at once")
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit (delay)")
        sim.cleanup()


def delay_settings(c):
    sim = simlib.Sim(env={"KVSIM_SOFT_DELETE_DELAY": "800"})
    try:
        c.eq(sim.control("GET", "").json()["soft_delete_delay_ms"], 800,
             "KVSIM_SOFT_DELETE_DELAY sets it")
        r = sim.control("POST", "/config", {"soft_delete_delay_ms": -1})
        c.eq(r.status, 400, "a negative delay is refused")
    finally:
        sim.cleanup()
    sim = simlib.Sim(["--soft-delete-delay", "300"],
                     env={"KVSIM_SOFT_DELETE_DELAY": "800"})
    try:
        c.eq(sim.control("GET", "").json()["soft_delete_delay_ms"], 300,
             "the option wins over the environment")
    finally:
        sim.cleanup()
    sim = simlib.Sim()
    try:
        c.eq(sim.control("GET", "").json()["soft_delete_delay_ms"], 0,
             "default 0")
    finally:
        sim.cleanup()


simlib.main(run)
