"""A vault's network as Azure decides it, against the demo seed:
the seed's networks (vnet-hub-prod in eastus with snet-apps carrying the
Microsoft.KeyVault service endpoint, snet-private-endpoints, snet-data
with private endpoint network policies Enabled; vnet-spoke-westus2; the
privatelink.vaultcore.azure.net zone linked to vnet-hub-prod;
kv-contoso-app-prod without an endpoint); an endpoint refused in a
subnet with policies Enabled at an api-version from before they became
GA, an endpoint outside its VNet's region refused and one in
vnet-spoke-westus2 to an eastus vault accepted, accepted once the subnet PUT disabled them, and the subnet listing
its ipConfigurations and privateEndpoints; approval decided by the
caller's rights (a principal with Network Contributor and Reader:
automatic connection 403 LinkedAuthorizationFailed, a manual one
Pending with its message, approving and deleting 403
AuthorizationFailed, the permissions API without the approval action;
an owner approves); Pending and Rejected connections do not admit the
private path; ipRules (a bare address stored as /32, a CIDR, bypass
echoed, a bad one 400) and virtualNetworkRules (refused for a subnet
without the service endpoint unless ignoreMissingVnetServiceEndpoint;
a rule naming snet-apps admits the private network) enforced on the
next data-plane call."""
import http.client
import time
import urllib.parse

import simlib

NET = "Microsoft.Network"
AZ = "/providers/Microsoft.Authorization"
AUTHZ_API = "2022-04-01"
ROLES = {"Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
         "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7"}
APPROVE = "Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/" \
    "action"


def run(c):
    sim = simlib.Sim(["--lro-delay", "200", "--retry-after", "1",
                      "--rbac-delay", "0"])
    try:
        t = Net(c, sim)
        t.seed()
        t.subnet_policy()
        t.region()
        t.approval()
        t.acls()
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


def mi_token(sim):
    conn = http.client.HTTPConnection("127.0.0.1", sim.conn["imds_port"],
                                      timeout=10)
    conn.request("GET", "/metadata/identity/oauth2/token?api-version="
                 "2018-02-01&resource=%s" % urllib.parse.quote(
                     "https://management.azure.com/", safe=""),
                 headers={"Metadata": "true"})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return simlib.Response(r.status, r.getheaders(), body).json()[
        "access_token"]


class Net:
    def __init__(self, c, sim):
        self.c, self.sim = c, sim
        self.sub = sim.demo_sub("Contoso Production")
        self.net = "/subscriptions/%s/resourceGroups/rg-network-prod/" \
            "providers/%s" % (self.sub, NET)
        self.hub = self.net + "/virtualNetworks/vnet-hub-prod"
        self.vault = "/subscriptions/%s/resourceGroups/rg-app-prod/" \
            "providers/Microsoft.KeyVault/vaults/kv-contoso-app-prod" % \
            self.sub

    def pe_body(self, subnet, manual=False, msg=None):
        conn = {"name": "pec-" + subnet.rsplit("/", 1)[1], "properties": {
            "privateLinkServiceId": self.vault, "groupIds": ["vault"]}}
        if msg:
            conn["properties"]["requestMessage"] = msg
        kind = "manualPrivateLinkServiceConnections" if manual else \
            "privateLinkServiceConnections"
        return {"location": "eastus", "properties": {
            "subnet": {"id": subnet}, kind: [conn]}}

    def private_get(self, vault="kv-contoso-app-prod"):
        return self.sim.request("GET", self.sim.vault_url(
            vault, "/secrets?api-version=7.4"),
            token=self.sim.vault_token(), source="127.0.0.2")

    def seed(self):
        c, sim = self.c, self.sim
        r = sim.arm("GET", self.hub, api="2024-01-01")
        c.eq(r.json()["location"], "eastus", "vnet-hub-prod in eastus")
        subs = {s["name"]: s["properties"]
                for s in r.json()["properties"]["subnets"]}
        c.eq({n: p["privateEndpointNetworkPolicies"] for n, p in subs.items()},
             {"snet-apps": "Disabled", "snet-private-endpoints": "Disabled",
              "snet-data": "Enabled"}, "seeded subnets' policies")
        c.eq([e["service"] for e in subs["snet-apps"]["serviceEndpoints"]],
             ["Microsoft.KeyVault"], "snet-apps has the Key Vault endpoint")
        c.eq(len(subs["snet-private-endpoints"]["privateEndpoints"]), 1,
             "snet-private-endpoints holds the core vault's endpoint")
        r = sim.arm("GET", self.net + "/virtualNetworks/vnet-spoke-westus2",
                    api="2024-01-01")
        c.eq((r.status, r.json()["location"],
              [s["name"] for s in r.json()["properties"]["subnets"]]),
             (200, "westus2", ["snet-endpoints"]), "vnet-spoke-westus2")
        r = sim.arm("GET", self.net + "/privateDnsZones/privatelink."
                    "vaultcore.azure.net/virtualNetworkLinks",
                    api="2020-06-01")
        c.eq([l["properties"]["virtualNetwork"]["id"] for l in
              r.json()["value"]], [self.hub], "zone linked to vnet-hub-prod")
        r = sim.arm("GET", self.vault + "/privateEndpointConnections")
        c.eq(r.json()["value"], [], "kv-contoso-app-prod has no endpoint")

    def subnet_policy(self):
        c, sim = self.c, self.sim
        data = self.hub + "/subnets/snet-data"
        pe = self.net + "/privateEndpoints/pe-data"
        r = sim.arm("PUT", pe, self.pe_body(data), api="2021-05-01")
        e = r.json()["error"]
        c.eq((r.status, e["code"]), (400, "PrivateEndpointCannotBeCreated"
                                     "InSubnetThatHasNetworkPoliciesEnabled"),
             "refused in a subnet with policies Enabled (2021-05-01)")
        c.eq(e["message"], "Private endpoint %s cannot be created in a "
             "subnet %s since it has private endpoint network policies "
             "enabled." % (pe, data), "refusal message")
        # az network vnet subnet update --disable-private-endpoint-network-
        # policies: GET, then PUT the subnet with the policy changed.
        s = sim.arm("GET", data, api="2021-05-01").json()
        s["properties"]["privateEndpointNetworkPolicies"] = "Disabled"
        r = sim.arm("PUT", data, s, api="2021-05-01")
        c.eq((r.status, r.json()["properties"]
              ["privateEndpointNetworkPolicies"]), (200, "Disabled"),
             "subnet PUT disables the policy")
        r = sim.arm("PUT", pe, self.pe_body(data), api="2021-05-01")
        c.eq(r.status, 201, "endpoint accepted after the change")
        ip = r.json()["properties"]["customDnsConfigs"][0]["ipAddresses"][0]
        c.eq(ip, "10.10.3.4", "first address of snet-data's prefix")
        r = sim.arm("GET", data, api="2024-01-01")
        p = r.json()["properties"]
        c.eq([x["id"] for x in p["privateEndpoints"]], [pe],
             "subnet lists the endpoint")
        c.ok(len(p["ipConfigurations"]) == 1 and "/networkInterfaces/pe-data"
             ".nic." in p["ipConfigurations"][0]["id"],
             "subnet lists the endpoint's NIC ip configuration")
        r = sim.arm("DELETE", pe, api="2021-05-01")
        c.eq(r.status, 202, "endpoint deleted")
        r = sim.arm("GET", self.vault + "/privateEndpointConnections/"
                    "pec-snet-data")
        c.eq(r.status, 404, "its connection went with it")
        s = sim.arm("GET", data, api="2024-01-01").json()
        c.ok("privateEndpoints" not in s["properties"],
             "subnet no longer lists it")
        s["properties"]["privateEndpointNetworkPolicies"] = "Enabled"
        r = sim.arm("PUT", data, s, api="2024-01-01")
        r = sim.arm("PUT", pe, self.pe_body(data), api="2024-01-01")
        c.eq(r.status, 201, "2024-01-01: accepted with policies Enabled")
        sim.arm("DELETE", pe, api="2024-01-01")

    def region(self):
        c, sim = self.c, self.sim
        spoke = self.net + "/virtualNetworks/vnet-spoke-westus2/subnets/" \
            "snet-endpoints"
        pe = self.net + "/privateEndpoints/pe-spoke"
        r = sim.arm("PUT", pe, self.pe_body(spoke), api="2024-01-01")
        c.eq((r.status, r.json()["error"]["code"]),
             (400, "InvalidResourceReference"),
             "an endpoint outside its VNet's region is refused")
        c.ok("both resources are in the same region" in
             r.json()["error"]["message"], "Azure's words")
        body = self.pe_body(spoke)
        body["location"] = "westus2"
        r = sim.arm("PUT", pe, body, api="2024-01-01")
        c.eq(r.status, 201, "in the VNet's region (westus2) to an eastus "
             "vault: accepted")
        c.eq(r.json()["properties"]["customDnsConfigs"][0]["ipAddresses"],
             ["10.40.1.4"], "address from snet-endpoints")
        c.eq(sim.arm("DELETE", pe, api="2024-01-01").status, 202, "removed")

    def approval(self):
        c, sim = self.c, self.sim
        mi = sim.conn["mi_object_id"]
        subscope = "/subscriptions/" + self.sub
        # The MI: Network Contributor + Reader on the subscription instead
        # of Owner.
        r = sim.arm("GET", subscope + AZ + "/roleAssignments?$filter=%s" %
                    urllib.parse.quote("principalId eq '%s'" % mi),
                    api=AUTHZ_API)
        for a in r.json()["value"]:
            if a["properties"]["scope"] == subscope:
                c.eq(sim.arm("DELETE", a["id"], api=AUTHZ_API).status, 200,
                     "MI's Owner removed")
        for i, role in enumerate(("Network Contributor", "Reader")):
            r = sim.arm("PUT", subscope + AZ + "/roleAssignments/"
                        "0000000%d-aaaa-bbbb-cccc-dddddddddddd" % i,
                        {"properties": {
                            "roleDefinitionId": subscope + AZ +
                            "/roleDefinitions/" + ROLES[role],
                            "principalId": mi,
                            "principalType": "ServicePrincipal"}},
                        api=AUTHZ_API)
            c.eq(r.status, 201, "MI gets " + role)
        tok = mi_token(sim)
        r = sim.arm("GET", self.vault + AZ + "/permissions", api=AUTHZ_API,
                    token=tok)
        acts = [a for p in r.json()["value"] for a in p["actions"]]
        c.ok("Microsoft.Network/*" in acts and "*/read" in acts and
             "*" not in acts, "permissions: Network Contributor + Reader")

        pe_subnet = self.hub + "/subnets/snet-private-endpoints"
        pe = self.net + "/privateEndpoints/pe-app"
        r = sim.arm("PUT", pe, self.pe_body(pe_subnet), api="2024-01-01",
                    token=tok)
        e = r.json()["error"]
        c.eq((r.status, e["code"]), (403, "LinkedAuthorizationFailed"),
             "automatic connection without the right: 403")
        c.ok(APPROVE in e["message"] and self.vault in e["message"] and
             "has permission to perform action 'Microsoft.Network/"
             "privateEndpoints/write'" in e["message"],
             "LinkedAuthorizationFailed names the action and linked scope")
        r = sim.arm("GET", pe, api="2024-01-01")
        c.eq(r.status, 404, "nothing was created")
        r = sim.arm("PUT", pe, self.pe_body(pe_subnet, True, "for app-prod"),
                    api="2024-01-01", token=tok)
        c.eq(r.status, 201, "manual connection accepted")
        st = r.json()["properties"]["manualPrivateLinkServiceConnections"][
            0]["properties"]["privateLinkServiceConnectionState"]
        c.eq((st["status"], st["description"]), ("Pending", "for app-prod"),
             "Pending with the request message")
        pec = self.vault + "/privateEndpointConnections/pec-snet-private-" \
            "endpoints"
        time.sleep(0.3)
        approve = {"properties": {"privateLinkServiceConnectionState": {
            "status": "Approved", "description": "ok"}}}
        r = sim.arm("PUT", pec, approve, token=tok)
        c.eq((r.status, r.json()["error"]["code"]),
             (403, "AuthorizationFailed"), "MI may not approve")
        c.ok(APPROVE in r.json()["error"]["message"], "403 names the action")
        r = sim.arm("DELETE", pec, token=tok)
        c.eq(r.status, 403, "MI may not delete the connection")

        # Pending does not admit the private path.
        sim.arm("PATCH", self.vault, {"properties": {
            "publicNetworkAccess": "Disabled"}})
        c.eq(self.private_get().status, 403, "Pending: private path refused")
        r = sim.arm("PUT", pec, approve)
        c.eq(r.status, 200, "the owner approves")
        c.eq(self.private_get().status, 200, "Approved: private path allowed")
        r = sim.arm("PUT", pec, {"properties": {
            "privateLinkServiceConnectionState": {"status": "Rejected"}}})
        c.eq(self.private_get().status, 403, "Rejected: private path refused")
        sim.arm("PATCH", self.vault, {"properties": {
            "publicNetworkAccess": "Enabled"}})
        r = sim.arm("DELETE", pe, api="2024-01-01", token=tok)
        c.eq(r.status, 202, "the MI removes its endpoint")
        r = sim.arm("GET", pec)
        c.eq(r.status, 404, "the connection went with the endpoint")

    def acls(self):
        c, sim = self.c, self.sim

        def acl(body):
            return sim.arm("PATCH", self.vault, {"properties": {
                "networkAcls": body}})
        data = (self.hub + "/subnets/snet-data").lower()
        apps = (self.hub + "/subnets/snet-apps").lower()
        r = acl({"defaultAction": "Deny",
                 "virtualNetworkRules": [{"id": data}]})
        e = r.json()["error"]
        c.eq((r.status, e["code"]), (400, "NetworkAclsValidationFailure"),
             "rule for a subnet without the service endpoint refused")
        c.ok("SubnetsHaveNoServiceEndpointsConfigured:Subnets snet-data of "
             "virtual network " in e["message"] and "Add Microsoft.KeyVault "
             "to subnet's ServiceEndpoints collection" in e["message"],
             "refusal names the subnet and the service")
        r = acl({"defaultAction": "Deny", "virtualNetworkRules": [
            {"id": data, "ignoreMissingVnetServiceEndpoint": True}]})
        c.eq((r.status, r.json()["properties"]["networkAcls"]
              ["virtualNetworkRules"]), (200, [{"id": data}]),
             "ignoreMissingVnetServiceEndpoint: accepted, not echoed")
        c.eq(self.private_get().json()["error"]["innererror"]["code"],
             "ForbiddenByFirewall", "a subnet without the service endpoint "
             "does not admit the private network")
        r = acl({"defaultAction": "Deny", "bypass": "None",
                 "virtualNetworkRules": [{"id": apps}]})
        c.eq((r.status, r.json()["properties"]["networkAcls"]["bypass"]),
             (200, "None"), "rule for snet-apps; bypass echoed")
        c.eq(self.private_get().status, 200, "snet-apps rule admits the "
             "private network")
        r = sim.dp("GET", "kv-contoso-app-prod", "/secrets")
        c.eq(r.json()["error"]["innererror"]["code"], "ForbiddenByFirewall",
             "outside (127.0.0.1) refused by the firewall")
        r = acl({"defaultAction": "Deny", "ipRules": [
            {"value": "127.0.0.1"}, {"value": "10.1.0.0/16"}]})
        c.eq(r.json()["properties"]["networkAcls"]["ipRules"],
             [{"value": "127.0.0.1/32"}, {"value": "10.1.0.0/16"}],
             "a bare address stored as /32, a CIDR as sent")
        c.eq(sim.dp("GET", "kv-contoso-app-prod", "/secrets").status, 200,
             "the ip rule admits 127.0.0.1")
        c.eq(self.private_get().status, 403,
             "the vnet rule removed: private network refused")
        r = acl({"defaultAction": "Deny", "ipRules": [{"value": "300.1.1.1"}]})
        c.eq(r.status, 400, "a bad address 400")
        r = acl({"defaultAction": "Allow"})
        c.ok("networkAcls" not in r.json()["properties"] or
             r.json()["properties"]["networkAcls"]["defaultAction"] ==
             "Allow", "rules cleared")


simlib.main(run)
