"""ARM api-versions: every version the current SDKs send is registered
(Key Vault 2026-02-01 from @azure/arm-keyvault 5, Network 2025-05-01 from
@azure/arm-network 36), unknown ones are refused with the real
NoRegisteredProviderFound error, and the behaviour that changed with a
version follows it: from Key Vault 2026-02-01 on a new vault defaults to
RBAC (enableRbacAuthorization true, so access policies no longer decide
data-plane access) while a replaced vault keeps its model; from Network
2024-05-01 on a VNet shows privateEndpointVNetPolicies.
"""
import simlib

KV = "Microsoft.KeyVault"
NET = "Microsoft.Network"
NOBODY = "00000000-0000-0000-0000-00000000beef"


def run(c):
    sim = simlib.Sim(["--dns-delay", "0", "--lro-delay", "0",
                      "--rbac-delay", "0"])
    try:
        registered(c, sim)
        rbac_default(c, sim)
        vnet_policies(c, sim)
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


def registered(c, sim):
    sub = sim.subscription(0)
    kv_list = "/subscriptions/%s/providers/%s/vaults" % (sub, KV)
    for v in ("2026-02-01", "2026-04-01-preview", "2025-05-01",
              "2023-07-01", "2022-07-01", "2019-09-01"):
        r = sim.arm("GET", kv_list, api=v)
        c.eq(r.status, 200, "Key Vault api-version %s is registered" % v)
    r = sim.arm("POST", "/subscriptions/%s/providers/%s/checkNameAvailability"
                % (sub, KV), {"name": "kvapinew", "type":
                              "Microsoft.KeyVault/vaults"}, api="2026-02-01")
    c.eq(r.status, 200, "checkNameAvailability at 2026-02-01")
    for v in ("2026-03-01", "2027-01-01", "2025-05-02"):
        r = sim.arm("GET", kv_list, api=v)
        c.eq(r.status, 400, "unknown Key Vault api-version %s refused" % v)
        e = r.json()["error"]
        c.eq(e["code"], "NoRegisteredProviderFound", "code for %s" % v)
        c.ok(e["message"].startswith(
            "No registered resource provider found for location 'eastus' "
            "and API version '%s' for type 'vaults'. The supported "
            "api-versions are '2026-04-01-preview, 2026-02-01, 2025-05-01, "
            % v), "message names the version and the current list (%s)"
             % e["message"][:160])
    net_list = "/subscriptions/%s/providers/%s/virtualNetworks" % (sub, NET)
    for v in ("2025-05-01", "2025-03-01", "2025-01-01", "2024-10-01",
              "2022-07-01"):
        r = sim.arm("GET", net_list, api=v)
        c.eq(r.status, 200, "Network api-version %s is registered" % v)
    r = sim.arm("GET", net_list, api="2025-06-01")
    c.eq((r.status, r.json()["error"]["code"]),
         (400, "NoRegisteredProviderFound"), "Network 2025-06-01 refused")
    c.ok("for type 'virtualNetworks'" in r.json()["error"]["message"],
         "Network refusal names the type")


def vault_body(sim, **props):
    p = {"tenantId": sim.tenant, "sku": {"family": "A", "name": "standard"},
         "accessPolicies": [{"tenantId": sim.tenant, "objectId": NOBODY,
                             "permissions": {"secrets": ["all"]}}]}
    p.update(props)
    return {"location": "eastus", "properties": p}


def rbac_default(c, sim):
    sub = sim.subscription(0)
    rg = "/subscriptions/%s/resourceGroups/rg-api" % sub
    r = sim.arm("PUT", rg, {"location": "eastus"}, api="2021-04-01")
    c.eq(r.status, 201, "group created")
    vp = rg + "/providers/%s/vaults/" % KV

    r = sim.arm("PUT", vp + "kvapinew", vault_body(sim), api="2026-02-01")
    c.eq(r.status, 200, "vault create at 2026-02-01")
    c.eq(r.json()["properties"].get("enableRbacAuthorization"), True,
         "2026-02-01: a new vault defaults to RBAC")
    r = sim.arm("GET", vp + "kvapinew", api="2023-07-01")
    c.eq(r.json()["properties"].get("enableRbacAuthorization"), True,
         "the stored model shows in older api-versions too")

    r = sim.arm("PUT", vp + "kvapiold", vault_body(sim), api="2025-05-01")
    c.eq(r.status, 200, "vault create at 2025-05-01")
    c.ok("enableRbacAuthorization" not in r.json()["properties"],
         "2025-05-01: no default, the vault uses access policies")

    r = sim.arm("PUT", vp + "kvapioptout",
                vault_body(sim, enableRbacAuthorization=False),
                api="2026-02-01")
    c.eq(r.json()["properties"].get("enableRbacAuthorization"), False,
         "2026-02-01 with enableRbacAuthorization false keeps policies")

    # Data plane: the policies name somebody else, so only RBAC lets the
    # caller in — once a role is assigned to it, as in Azure.
    r = sim.dp("GET", "kvapinew", "/secrets")
    c.eq(r.status, 403, "RBAC vault: no role yet, the caller is refused")
    c.eq(r.json()["error"].get("innererror", {}).get("code"),
         "ForbiddenByRbac", "RBAC vault: refused by RBAC, not policies")
    oid = sim.conn["client_object_id"]
    role = ("/subscriptions/%s/providers/Microsoft.Authorization/"
            "roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6" % sub)
    r = sim.arm("PUT", vp + "kvapinew/providers/Microsoft.Authorization/"
                "roleAssignments/6b2f2c0e-7c55-4a8e-9a57-1d4c0a9a0001",
                {"properties": {"roleDefinitionId": role, "principalId": oid,
                                "principalType": "ServicePrincipal"}},
                api="2022-04-01")
    c.eq(r.status, 201, "Key Vault Secrets User assigned on the vault")
    r = sim.dp("GET", "kvapinew", "/secrets")
    c.eq(r.status, 200, "RBAC vault: data plane open with the role")
    r = sim.dp("GET", "kvapiold", "/secrets")
    c.eq(r.status, 403, "policy vault: caller without a policy is refused")
    r = sim.dp("GET", "kvapioptout", "/secrets")
    c.eq(r.status, 403, "opted-out vault: policies decide")

    # A replacing PUT without the property keeps the vault's model, in
    # any api-version.
    r = sim.arm("PUT", vp + "kvapinew", vault_body(sim), api="2023-07-01")
    c.eq(r.status, 200, "replace at 2023-07-01")
    c.eq(r.json()["properties"].get("enableRbacAuthorization"), True,
         "replace without the property keeps RBAC")
    r = sim.arm("PUT", vp + "kvapiold", vault_body(sim), api="2026-02-01")
    c.ok(r.json()["properties"].get("enableRbacAuthorization") in
         (None, False), "2026-02-01 replace does not switch a policy vault "
         "to RBAC")
    r = sim.dp("GET", "kvapiold", "/secrets")
    c.eq(r.status, 403, "policy vault still refuses after the replace")


def vnet_policies(c, sim):
    sub = sim.subscription(0)
    vnet = ("/subscriptions/%s/resourceGroups/rg-api/providers/%s/"
            "virtualNetworks/vnet-api" % (sub, NET))
    r = sim.arm("PUT", vnet, {"location": "eastus", "properties": {
        "addressSpace": {"addressPrefixes": ["10.9.0.0/16"]}}},
        api="2025-05-01")
    c.eq(r.status, 201, "vnet create at 2025-05-01")
    c.eq(r.json()["properties"].get("privateEndpointVNetPolicies"),
         "Disabled", "2025-05-01: privateEndpointVNetPolicies Disabled")
    r = sim.arm("GET", vnet, api="2022-07-01")
    c.ok("privateEndpointVNetPolicies" not in r.json()["properties"],
         "2022-07-01: no privateEndpointVNetPolicies")
    r = sim.arm("PUT", vnet, {"location": "eastus", "properties": {
        "addressSpace": {"addressPrefixes": ["10.9.0.0/16"]},
        "privateEndpointVNetPolicies": "Basic"}}, api="2025-05-01")
    c.eq(r.json()["properties"].get("privateEndpointVNetPolicies"), "Basic",
         "privateEndpointVNetPolicies Basic is kept")


simlib.main(run)
