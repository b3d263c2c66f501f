"""simacl.py — what the endpoints-pane screen tests ask kvdeck-sim behind
the console's back (the simulator named by $SIM_CONN): a vault's network
settings, its secrets' versions read from the private network, and a
private endpoint asking for manual approval. Builds on tests/cli/simctl.py;
standard library only.

    simacl.py acl VAULT              one line: pna=Enabled|Disabled|-
                                     default=Allow|Deny|- ips=A,B|-
                                     vnets=N
    simacl.py versions VAULT NAME    "VERSION enabled|disabled" per version,
                                     read over the sim's private network
                                     (from 127.0.0.2: admitted when the
                                     vault has an approved private link)
    simacl.py request VAULT PE VNET SUBNET MESSAGE
                                     a private endpoint PE in that subnet
                                     (same subscription and group as the
                                     VNet) asking VAULT for a connection
                                     by manual approval; waits until the
                                     vault lists it
    simacl.py conns VAULT            "NAME STATUS" per connection
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests",
                                "cli"))
import simctl  # noqa: E402

NET = "/providers/Microsoft.Network"
NET_API = "2023-09-01"


def vault(sim, name):
    r = sim.arm("GET", simctl.vault_id(sim, name))
    assert r.status == 200, r.body
    return r.json()


def find_vnet(sim, name):
    for sub in sim.conn["subscriptions"]:
        r = sim.arm("GET", "/subscriptions/%s%s/virtualNetworks" % (sub, NET),
                    api=NET_API)
        for v in r.json().get("value", []):
            if v["name"] == name:
                return v
    raise SystemExit("no vnet %s" % name)


def main(argv):
    sim = simctl.attach()
    cmd = argv[0]
    if cmd == "acl":
        p = vault(sim, argv[1])["properties"]
        acl = p.get("networkAcls") or {}
        ips = ",".join(r["value"] for r in acl.get("ipRules") or [])
        print("pna=%s default=%s ips=%s vnets=%d" % (
            p.get("publicNetworkAccess", "-"), acl.get("defaultAction", "-"),
            ips or "-", len(acl.get("virtualNetworkRules") or [])))
    elif cmd == "versions":
        r = sim.dp("GET", argv[1], "/secrets/%s/versions" % argv[2],
                   source="127.0.0.2")
        assert r.status == 200, (r.status, r.body)
        for v in r.json()["value"]:
            print(v["id"].rsplit("/", 1)[1],
                  "enabled" if v["attributes"]["enabled"] else "disabled")
    elif cmd == "request":
        name, pe, vnet, subnet, msg = argv[1:6]
        vid = simctl.vault_id(sim, name)
        vn = find_vnet(sim, vnet)
        base = vn["id"].split("/providers/")[0]
        body = {"location": vn["location"], "properties": {
            "subnet": {"id": "%s/subnets/%s" % (vn["id"], subnet)},
            "manualPrivateLinkServiceConnections": [{
                "name": pe + "-connection",
                "properties": {"privateLinkServiceId": vid,
                               "groupIds": ["vault"],
                               "requestMessage": msg}}]}}
        r = sim.arm("PUT", "%s%s/privateEndpoints/%s" % (base, NET, pe), body,
                    api=NET_API)
        assert r.status < 300, (r.status, r.body)
        for _ in range(200):
            conns = vault(sim, name)["properties"].get(
                "privateEndpointConnections") or []
            if any(c["properties"]["privateEndpoint"]["id"].endswith("/" + pe)
                   for c in conns):
                return 0
            time.sleep(0.1)
        raise SystemExit("the vault never listed the connection of %s" % pe)
    elif cmd == "conns":
        p = vault(sim, argv[1])["properties"]
        for c in p.get("privateEndpointConnections") or []:
            st = c["properties"]["privateLinkServiceConnectionState"]
            print(c["id"].rsplit("/", 1)[1], st["status"])
    else:
        return simctl.main(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) or 0)
