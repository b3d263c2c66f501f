"""simnet.py — what the attach-wizard screen tests ask kvdeck-sim behind
the console's back (the simulator named by $SIM_CONN): private endpoints,
private DNS zones and their links, subnets and the vault's network,
through Resource Manager. Builds on tests/cli/simctl.py; standard library
only.

    simnet.py zones                  "SUB RG NAME" per private DNS zone
                                     named privatelink.vaultcore.azure.net
    simnet.py links                  "ZONE-RG VNET-NAME" per link of those
                                     zones
    simnet.py pe NAME                "STATE IP LOCATION SUBNET" of private
                                     endpoint NAME (any subscription;
                                     "missing", exit 1); STATE: its
                                     connection's status
    simnet.py records NAME           "FQDN IP" per A record of endpoint
                                     NAME's zone groups
    simnet.py policy VNET SUBNET     the subnet's
                                     privateEndpointNetworkPolicies
    simnet.py setpolicy VNET SUBNET VALUE
                                     sets it (a PUT of the subnet)
    simnet.py public VAULT           the vault's publicNetworkAccess
    simnet.py conns VAULT            "NAME STATUS" per private endpoint
                                     connection of the vault
    simnet.py demote SUB             the test principal's Owner role on
                                     subscription SUB replaced by Reader
                                     and Network Contributor: it may
                                     create endpoints there but not
                                     approve connections to its vaults
"""
import os
import sys
import uuid

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests",
                                "cli"))
import simctl  # noqa: E402

NET = "/providers/Microsoft.Network"
ZONE = "privatelink.vaultcore.azure.net"
NET_API = "2023-09-01"
DNS_API = "2020-06-01"
RA_API = "2022-04-01"
RA = "%s/providers/Microsoft.Authorization/roleAssignments"
ROLE_DEF = "/providers/Microsoft.Authorization/roleDefinitions/"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"


def listing(sim, path, api):
    r = sim.arm("GET", path, api=api)
    assert r.status == 200, (path, r.status, r.body)
    return r.json().get("value", [])


def rg_of(rid):
    return rid.split("/")[4]


def endpoints(sim):
    for sub in sim.conn["subscriptions"]:
        for pe in listing(sim, "/subscriptions/%s%s/privateEndpoints" %
                          (sub, NET), NET_API):
            yield pe


def find_pe(sim, name):
    for pe in endpoints(sim):
        if pe["name"] == name:
            return pe
    return None


def find_vnet(sim, name):
    for sub in sim.conn["subscriptions"]:
        for v in listing(sim, "/subscriptions/%s%s/virtualNetworks" %
                         (sub, NET), NET_API):
            if v["name"] == name:
                return v
    raise SystemExit("no vnet %s" % name)


def zones(sim):
    for sub in sim.conn["subscriptions"]:
        for z in listing(sim, "/subscriptions/%s%s/privateDnsZones" %
                         (sub, NET), DNS_API):
            if z["name"].lower() == ZONE:
                yield sub, z


def main(argv):
    sim = simctl.attach()
    cmd = argv[0]
    if cmd == "zones":
        for sub, z in zones(sim):
            print(sub, rg_of(z["id"]), z["name"])
    elif cmd == "links":
        for _, z in zones(sim):
            for ln in listing(sim, z["id"] + "/virtualNetworkLinks", DNS_API):
                vnet = ln["properties"]["virtualNetwork"]["id"]
                print(rg_of(z["id"]), vnet.rsplit("/", 1)[1])
    elif cmd == "pe":
        pe = find_pe(sim, argv[1])
        if pe is None:
            print("missing")
            return 1
        p = pe["properties"]
        conns = (p.get("privateLinkServiceConnections") or []) + \
            (p.get("manualPrivateLinkServiceConnections") or [])
        state = conns[0]["properties"]["privateLinkServiceConnectionState"][
            "status"] if conns else "-"
        dns = p.get("customDnsConfigs") or []
        ip = dns[0]["ipAddresses"][0] if dns else "-"
        print(state, ip, pe["location"], p["subnet"]["id"].rsplit("/", 1)[1])
    elif cmd == "records":
        pe = find_pe(sim, argv[1])
        if pe is None:
            return 1
        for zg in listing(sim, pe["id"] + "/privateDnsZoneGroups", NET_API):
            for c in zg["properties"].get("privateDnsZoneConfigs", []):
                for rs in c["properties"].get("recordSets", []):
                    print(rs["fqdn"], " ".join(rs.get("ipAddresses", [])))
    elif cmd in ("policy", "setpolicy"):
        v = find_vnet(sim, argv[1])
        path = "%s/subnets/%s" % (v["id"], argv[2])
        r = sim.arm("GET", path, api=NET_API)
        assert r.status == 200, r.body
        s = r.json()
        if cmd == "policy":
            print(s["properties"].get("privateEndpointNetworkPolicies", "-"))
            return 0
        props = {"addressPrefix": s["properties"]["addressPrefix"],
                 "privateEndpointNetworkPolicies": argv[3]}
        r = sim.arm("PUT", path, {"properties": props}, api=NET_API)
        assert r.status < 300, r.body
    elif cmd == "public":
        r = sim.arm("GET", simctl.vault_id(sim, argv[1]))
        print(r.json()["properties"].get("publicNetworkAccess", "-"))
    elif cmd == "conns":
        r = sim.arm("GET", simctl.vault_id(sim, argv[1]))
        for c in r.json()["properties"].get("privateEndpointConnections", []):
            st = c["properties"]["privateLinkServiceConnectionState"]
            print(c["id"].rsplit("/", 1)[1], st["status"])
    elif cmd == "demote":
        me = sim.conn["client_object_id"]
        scope = "/subscriptions/" + argv[1]
        ras = RA % scope
        owner = [ra for ra in listing(sim, ras, RA_API)
                 if ra["properties"]["principalId"] == me and
                 ra["properties"]["scope"].lower() == scope.lower()]
        for role in (READER, NETWORK_CONTRIBUTOR):
            body = {"properties": {
                "roleDefinitionId": scope + ROLE_DEF + role,
                "principalId": me, "principalType": "ServicePrincipal"}}
            r = sim.arm("PUT", "%s/%s" % (ras, uuid.uuid4()), body,
                        api=RA_API)
            assert r.status < 300, r.body
        for ra in owner:  # last: only the Owner may delete it
            r = sim.arm("DELETE", ra["id"], api=RA_API)
            assert r.status < 300, r.body
    else:
        raise SystemExit("simnet: unknown command " + cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
