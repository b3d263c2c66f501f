"""Private networking: VNet and subnets, a private endpoint to a vault
(201 + Azure-AsyncOperation + Retry-After, operation status InProgress
then Succeeded, connection auto-approved on the vault), a manual one
(Pending, approved and rejected by PUT on the vault's connection),
privateLinkResources, the Private DNS zone (202 with both headers), its
VNet link, the zone group that writes the vault's A record, and the
public-access refusal: with publicNetworkAccess Disabled, data-plane
calls from 127.0.0.1 get 403 ForbiddenByConnection while calls from the
private network (127.0.0.2, or the private proxy) succeed."""
import socket
import ssl
import time

import simlib

NET = "Microsoft.Network"


def wait_op(c, sim, url, what):
    r = sim.request("GET", url, token=sim.token())
    c.eq((r.status, r.json()["status"]), (200, "InProgress"),
         what + ": operation InProgress")
    for _ in range(50):
        r = sim.request("GET", url, token=sim.token())
        if r.json()["status"] == "Succeeded":
            break
        time.sleep(0.1)
    c.eq(r.json()["status"], "Succeeded", what + ": operation Succeeded")


def run(c):
    sim = simlib.Sim(["--lro-delay", "400", "--retry-after", "1"])
    try:
        flow(c, sim)
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


def flow(c, sim):
    sub = sim.demo_sub("Contoso Production")
    rg = "/subscriptions/%s/resourceGroups/rg-ai-prod" % sub
    vault_id = rg + "/providers/Microsoft.KeyVault/vaults/kv-contoso-ai-prod"
    vnet = rg + "/providers/%s/virtualNetworks/vnet-ai" % NET
    r = sim.arm("PUT", vnet, {"location": "eastus2", "properties": {
        "addressSpace": {"addressPrefixes": ["10.30.0.0/16"]},
        "subnets": [{"name": "snet-a", "properties":
                     {"addressPrefix": "10.30.1.0/24"}}]}},
        api="2024-05-01")
    c.eq(r.status, 201, "vnet create 201")
    c.eq(r.json()["properties"]["provisioningState"], "Updating",
         "vnet Updating")
    wait_op(c, sim, r.header("Azure-AsyncOperation"), "vnet")
    r = sim.arm("PUT", vnet + "/subnets/snet-pe", {"properties": {
        "addressPrefix": "10.30.2.0/24",
        "privateEndpointNetworkPolicies": "Disabled"}}, api="2024-01-01")
    c.eq(r.status, 201, "subnet create 201")
    r = sim.arm("GET", vnet, api="2024-05-01")
    c.eq(sorted(s["name"] for s in r.json()["properties"]["subnets"]),
         ["snet-a", "snet-pe"], "vnet lists its subnets")
    pe = rg + "/providers/%s/privateEndpoints/pe-ai" % NET
    body = {"location": "eastus2", "properties": {
        "subnet": {"id": vnet + "/subnets/snet-pe"},
        "privateLinkServiceConnections": [{"name": "pec-ai", "properties": {
            "privateLinkServiceId": vault_id, "groupIds": ["vault"]}}]}}
    r = sim.arm("PUT", pe, body, api="2022-01-01")
    c.eq(r.status, 201, "private endpoint 201")
    c.ok(r.header("Retry-After") is not None, "PE answer has Retry-After")
    aso = r.header("Azure-AsyncOperation")
    c.ok(aso and "/providers/Microsoft.Network/locations/eastus2/operations/"
         in aso, "PE Azure-AsyncOperation URL")
    conn = r.json()["properties"]["privateLinkServiceConnections"][0]
    c.eq(conn["properties"]["privateLinkServiceConnectionState"]["status"],
         "Approved", "auto-approved connection")
    wait_op(c, sim, aso, "private endpoint")
    r = sim.arm("GET", pe, api="2022-01-01")
    c.eq(r.json()["properties"]["provisioningState"], "Succeeded",
         "PE Succeeded")
    ip = r.json()["properties"]["customDnsConfigs"][0]["ipAddresses"][0]
    c.ok(ip.startswith("10.30.2."), "PE address in its subnet")
    r = sim.arm("GET", vault_id + "/privateEndpointConnections/pec-ai")
    c.eq(r.json()["properties"]["privateLinkServiceConnectionState"]
         ["status"], "Approved", "vault side of the connection")
    r = sim.arm("GET", vault_id)
    c.eq(len(r.json()["properties"]["privateEndpointConnections"]), 1,
         "vault lists the connection")
    r = sim.arm("GET", vault_id + "/privateLinkResources")
    c.eq(r.json()["value"][0]["properties"]["requiredZoneNames"],
         ["privatelink.vaultcore.azure.net"], "privateLinkResources")

    # Manual connection: Pending, then approve / reject.
    body2 = {"location": "eastus2", "properties": {
        "subnet": {"id": vnet + "/subnets/snet-pe"},
        "manualPrivateLinkServiceConnections": [{"name": "pec-man",
            "properties": {"privateLinkServiceId": vault_id,
                           "groupIds": ["vault"],
                           "requestMessage": "please"}}]}}
    r = sim.arm("PUT", rg + "/providers/%s/privateEndpoints/pe-man" % NET,
                body2, api="2022-01-01")
    st = r.json()["properties"]["manualPrivateLinkServiceConnections"][0][
        "properties"]["privateLinkServiceConnectionState"]
    c.eq(st["status"], "Pending", "manual connection is Pending")
    pec = vault_id + "/privateEndpointConnections/pec-man"
    r = sim.arm("GET", pec)
    etag = r.json()["etag"]
    r = sim.arm("PUT", pec, {"etag": "bad", "properties": {
        "privateLinkServiceConnectionState": {"status": "Approved"}}})
    c.eq(r.status, 412, "stale etag refused")
    r = sim.arm("PUT", pec, {"etag": etag, "properties": {
        "privateLinkServiceConnectionState": {"status": "Approved",
                                              "description": "ok"}}})
    c.eq(r.status, 200, "approve")
    c.eq(r.json()["properties"]["provisioningState"], "Updating",
         "approval Updating")
    c.ok("kv-operation=" in (r.header("Azure-AsyncOperation") or ""),
         "approval Azure-AsyncOperation")
    time.sleep(0.5)
    r = sim.arm("GET", pec)
    c.eq((r.json()["properties"]["provisioningState"],
          r.json()["properties"]["privateLinkServiceConnectionState"]
          ["status"]), ("Succeeded", "Approved"), "approved connection")
    r = sim.arm("GET", rg + "/providers/%s/privateEndpoints/pe-man" % NET,
                api="2022-01-01")
    c.eq(r.json()["properties"]["manualPrivateLinkServiceConnections"][0]
         ["properties"]["privateLinkServiceConnectionState"]["status"],
         "Approved", "PE shows the approval")

    # DNS: zone, link, zone group, A record.
    zone = rg + "/providers/%s/privateDnsZones/privatelink.vaultcore.azure.net" \
        % NET
    r = sim.arm("PUT", zone, {"location": "global"}, api="2020-06-01")
    c.eq(r.status, 202, "zone create 202")
    aso, loc = r.header("Azure-AsyncOperation"), r.header("Location")
    c.ok(aso and loc and "privateDnsOperationStatuses" in aso and
         "privateDnsOperationResults" in loc, "zone has both headers")
    r = sim.request("GET", aso, token=sim.token())
    c.eq((r.status, r.json()["status"]), (202, "InProgress"),
         "dns status 202 InProgress")
    time.sleep(0.5)
    r = sim.request("GET", aso, token=sim.token())
    c.eq((r.status, r.json()["status"]), (200, "Succeeded"),
         "dns status 200 Succeeded")
    r = sim.arm("PUT", zone + "/virtualNetworkLinks/link-ai", {
        "location": "global", "properties": {
            "virtualNetwork": {"id": vnet}, "registrationEnabled": False}},
        api="2020-06-01")
    c.eq(r.status, 202, "vnet link 202")
    time.sleep(0.5)
    r = sim.arm("GET", zone + "/virtualNetworkLinks/link-ai", api="2020-06-01")
    c.eq(r.json()["properties"]["virtualNetworkLinkState"], "Completed",
         "link Completed")
    r = sim.arm("PUT", pe + "/privateDnsZoneGroups/default", {"properties": {
        "privateDnsZoneConfigs": [{"name": "vaultcore", "properties": {
            "privateDnsZoneId": zone}}]}}, api="2022-01-01")
    c.eq(r.status, 201, "zone group 201")
    c.ok(r.header("Azure-AsyncOperation") is not None,
         "zone group Azure-AsyncOperation")
    r = sim.arm("GET", zone + "/A/kv-contoso-ai-prod", api="2020-06-01")
    c.eq(r.status, 200, "zone group wrote the A record")
    c.eq(r.json()["properties"]["aRecords"][0]["ipv4Address"], ip,
         "A record points at the endpoint")
    r = sim.arm("GET", zone, api="2020-06-01")
    c.eq((r.json()["properties"]["numberOfRecordSets"],
          r.json()["properties"]["numberOfVirtualNetworkLinks"]), (2, 1),
         "zone counts record sets and links")

    # Public access refusal and the private path.
    r = sim.arm("PATCH", vault_id, {"properties": {
        "publicNetworkAccess": "Disabled"}})
    c.eq(r.json()["properties"]["publicNetworkAccess"], "Disabled",
         "public access disabled")
    r = sim.dp("GET", "kv-contoso-ai-prod", "/secrets")
    c.eq(r.status, 403, "public call refused")
    err = r.json()["error"]
    c.eq((err["code"], err["innererror"]["code"]),
         ("Forbidden", "ForbiddenByConnection"), "ForbiddenByConnection")
    c.ok(err["message"].startswith("Public network access is disabled and "
                                   "request is not from a trusted service "
                                   "nor via an approved private link."),
         "refusal message")
    r = sim.request("GET", sim.vault_url("kv-contoso-ai-prod",
                                         "/secrets?api-version=7.4"),
                    token=sim.vault_token(), source="127.0.0.2")
    c.eq(r.status, 200, "private network (127.0.0.2) allowed")
    c.eq(via_proxy(sim, sim.conn["private_proxy"]), 200,
         "private proxy tunnel allowed")
    c.eq(via_proxy(sim, sim.conn["proxy"]), 403,
         "public proxy tunnel refused")
    r = sim.arm("PUT", vault_id + "/privateEndpointConnections/pec-ai", {
        "properties": {"privateLinkServiceConnectionState": {
            "status": "Rejected", "description": "no"}}})
    c.eq(r.status, 200, "reject the connection")
    r = sim.arm("PUT", vault_id + "/privateEndpointConnections/pec-man", {
        "properties": {"privateLinkServiceConnectionState": {
            "status": "Rejected"}}})
    r = sim.request("GET", sim.vault_url("kv-contoso-ai-prod",
                                         "/secrets?api-version=7.4"),
                    token=sim.vault_token(), source="127.0.0.2")
    c.eq(r.status, 403, "rejected connections close the private path")

    # Deleting: subnet in use, endpoint, then the group.
    r = sim.arm("DELETE", vnet + "/subnets/snet-pe", api="2024-01-01")
    c.eq(r.json()["error"]["code"], "InUseSubnetCannotBeDeleted",
         "subnet in use")
    r = sim.arm("DELETE", pe, api="2022-01-01")
    c.eq(r.status, 202, "PE delete 202")
    c.ok(r.header("Location") and r.header("Azure-AsyncOperation"),
         "PE delete has both headers")
    r = sim.arm("GET", zone + "/A/kv-contoso-ai-prod", api="2020-06-01")
    c.eq(r.status, 404, "A record removed with the endpoint")
    r = sim.arm("GET", vault_id + "/privateEndpointConnections/pec-ai")
    c.eq(r.status, 404, "vault connection removed with the endpoint")


def via_proxy(sim, proxy):
    """GET /secrets through a CONNECT proxy; returns the status."""
    host, port = proxy.rsplit("//", 1)[1].split(":")
    s = socket.create_connection((host, int(port)), 10)
    target = "kv-contoso-ai-prod.vault.localhost:443"
    s.sendall(("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (target, target))
              .encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(1)
    if b" 200 " not in head.split(b"\r\n")[0]:
        return -1
    t = sim.ctx.wrap_socket(s, server_hostname="kv-contoso-ai-prod.vault."
                            "localhost")
    t.sendall(("GET /secrets?api-version=7.4 HTTP/1.1\r\nHost: "
               "kv-contoso-ai-prod.vault.localhost\r\nAuthorization: Bearer "
               "%s\r\nConnection: close\r\n\r\n" % sim.vault_token()).encode())
    data = b""
    while True:
        chunk = t.recv(65536)
        if not chunk:
            break
        data += chunk
    t.close()
    return int(data.split(b" ")[1])


simlib.main(run)
