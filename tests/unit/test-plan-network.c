/*
 * test-plan-network.c — the network plans of issue #10 as data, without a
 * network: a network edit is one PATCH carrying publicNetworkAccess and
 * the whole networkAcls (the rules as read plus the change), its sentence
 * names every change, closing access asks for the vault's name, the undo
 * PATCHes the values as read; refused: a bad CIDR, a rule already there,
 * one not there, a change of nothing. Endpoint connections: approve
 * (no typed name), reject and remove (typed), the state body. Attach: the
 * default name and the name check; the steps in order for each DNS mode,
 * manual approval and closing public access (only with automatic
 * approval; typed only when the review warned), each write's id and body
 * and its undo; a VNet in another region is said. The ARM secret plans:
 * their steps, and refused when asked to retire the old version.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/plan-impl.h"
#include "engine/plan.h"
#include "tests/tap.h"

#pragma GCC diagnostic ignored "-Wdiscarded-qualifiers"

#define SUB "00000000-0000-0000-0000-00000000aaaa"
#define VID                                                                    \
    "/subscriptions/" SUB "/resourceGroups/rg-app/providers/"                  \
    "Microsoft.KeyVault/vaults/kv-net"
#define VNET                                                                   \
    "/subscriptions/" SUB "/resourceGroups/rg-net/providers/"                  \
    "Microsoft.Network/virtualNetworks/vnet-hub"
#define SNET  VNET "/subnets/snet-pe"
#define SNET2 VNET "/subnets/snet-apps"

static cJSON *
body(const struct plan *p, size_t i)
{
    struct plan_step *s = plan_step_at(p, i);
    return s != NULL && s->args.body != NULL ? cJSON_Parse(s->args.body) : NULL;
}

static cJSON *
undo_body(const struct plan *p, size_t i)
{
    struct plan_step *s = plan_step_at(p, i);
    return s != NULL && s->undo_args.body != NULL
               ? cJSON_Parse(s->undo_args.body)
               : NULL;
}

/* properties.networkAcls.ipRules[].value joined with ',' (static). */
static const char *
ip_rules(cJSON *b)
{
    static char out[512];
    out[0] = '\0';
    cJSON *acl = cJSON_GetObjectItem(cJSON_GetObjectItem(b, "properties"),
                                     "networkAcls");
    cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(acl, "ipRules"))
    {
        if (out[0] != '\0')
            strcat(out, ",");
        strcat(out, json_str(r, "value") ? json_str(r, "value") : "?");
    }
    return out;
}

static const char *
acl_str(cJSON *b, const char *key)
{
    cJSON *props = cJSON_GetObjectItem(b, "properties");
    if (str_eq(key, "publicNetworkAccess"))
        return json_str(props, key);
    return json_str(cJSON_GetObjectItem(props, "networkAcls"), key);
}

static size_t
vnet_rules(cJSON *b)
{
    cJSON *acl = cJSON_GetObjectItem(cJSON_GetObjectItem(b, "properties"),
                                     "networkAcls");
    return (size_t)cJSON_GetArraySize(
        cJSON_GetObjectItem(acl, "virtualNetworkRules"));
}

/* The body printed contains needle. */
static bool
has(cJSON *b, const char *needle)
{
    char *t = b != NULL ? cJSON_PrintUnformatted(b) : NULL;
    bool yes = t != NULL && strstr(t, needle) != NULL;
    free(t);
    return yes;
}

static void
vault_init(struct kv_vault *v)
{
    memset(v, 0, sizeof *v);
    v->id = VID;
    v->name = "kv-net";
    v->subscription_id = SUB;
    v->resource_group = "rg-app";
    v->location = "westeurope";
    v->vault_uri = "https://kv-net.vault.azure.net";
    v->public_network_access = "Enabled";
    v->network_default_action = "Allow";
    v->has_network_acls = true;
    v->network_bypass = "AzureServices";
}

static void
test_network(void)
{
    struct kv_vault v;
    vault_init(&v);
    char *ips[] = {"198.51.100.7/32"};
    v.ip_rules.n = 1;
    v.ip_rules.items = ips;
    const char *why = NULL;

    struct network_change c = {
        .public_access = -1, .default_deny = -1, .add_ip = "203.0.113.0/24"};
    struct plan *p = plan_vault_network(&v, &c, &why);
    ok(p != NULL, "add an IP rule (%s)", why ? why : "ok");
    if (p == NULL)
        return;
    is_int(plan_steps(p), 1, "one step");
    is_str(plan_kind(p), "vault-network", "kind");
    is_str(plan_step_op(p, 0), "vault-network", "op");
    is_str(plan_step_target(p, 0), VID, "the vault is the target");
    ok(strstr(plan_step_text(p, 0), "Add IP rule 203.0.113.0/24") != NULL,
       "the sentence names it: %s", plan_step_text(p, 0));
    ok(plan_confirm_name(p) == NULL, "adding a rule asks for nothing typed");
    ok(plan_step_writes(p, 0) && plan_step_has_undo(p, 0), "writes; undo");
    cJSON *b = body(p, 0);
    ok(b != NULL && strstr(ip_rules(b), "198.51.100.7") != NULL &&
           strstr(ip_rules(b), "203.0.113.0/24") != NULL,
       "the PATCH carries both rules (%s)", b ? ip_rules(b) : "no body");
    is_str(acl_str(b, "defaultAction"), "Allow", "default action as read");
    is_str(acl_str(b, "bypass"), "AzureServices", "bypass as read");
    cJSON_Delete(b);
    b = undo_body(p, 0);
    ok(b != NULL && strstr(ip_rules(b), "198.51.100.7") != NULL &&
           strstr(ip_rules(b), "203.0.113.0") == NULL,
       "the undo PATCHes the rules as read (%s)", b ? ip_rules(b) : "none");
    cJSON_Delete(b);
    plan_free(p);

    /* refusals */
    c.add_ip = "203.0.113.0/33";
    ok(plan_vault_network(&v, &c, &why) == NULL && why != NULL,
       "a bad CIDR is refused: %s", why ? why : "?");
    c.add_ip = "banana";
    why = NULL;
    ok(plan_vault_network(&v, &c, &why) == NULL && why != NULL,
       "not an address: %s", why ? why : "?");
    c.add_ip = "198.51.100.7/32";
    why = NULL;
    ok(plan_vault_network(&v, &c, &why) == NULL && why != NULL &&
           strstr(why, "already") != NULL,
       "a rule already there: %s", why ? why : "?");
    c.add_ip = NULL;
    c.remove_ip = "192.0.2.1";
    why = NULL;
    ok(plan_vault_network(&v, &c, &why) == NULL && why != NULL,
       "removing a rule that is not there: %s", why ? why : "?");
    c.remove_ip = NULL;
    c.public_access = 1; /* already Enabled */
    c.default_deny = 0;  /* already Allow */
    why = NULL;
    ok(plan_vault_network(&v, &c, &why) == NULL && why != NULL &&
           strstr(why, "nothing") != NULL,
       "a change of nothing: %s", why ? why : "?");
    c.public_access = -1;
    c.default_deny = -1;
    c.remove_subnet = SNET2;
    why = NULL;
    ok(plan_vault_network(&v, &c, &why) == NULL && why != NULL,
       "removing a subnet rule that is not there: %s", why ? why : "?");
    c.remove_subnet = NULL;
    c.add_subnet = "snet-apps";
    why = NULL;
    ok(plan_vault_network(&v, &c, &why) == NULL && why != NULL,
       "a subnet rule names a subnet id: %s", why ? why : "?");

    /* closing: public access off */
    struct network_change off = {.public_access = 0, .default_deny = -1};
    p = plan_vault_network(&v, &off, &why);
    ok(p != NULL && str_eq(plan_confirm_name(p), "kv-net"),
       "public access off asks for the vault's name typed");
    ok(p != NULL &&
           strstr(plan_step_text(p, 0), "Turn public network access off"),
       "and says so: %s", p ? plan_step_text(p, 0) : "");
    b = p != NULL ? body(p, 0) : NULL;
    is_str(acl_str(b, "publicNetworkAccess"), "Disabled", "sends Disabled");
    cJSON_Delete(b);
    b = p != NULL ? undo_body(p, 0) : NULL;
    is_str(acl_str(b, "publicNetworkAccess"), "Enabled", "undo: Enabled");
    cJSON_Delete(b);
    plan_free(p);

    /* Deny and a subnet rule in one PATCH */
    struct network_change deny = {
        .public_access = -1, .default_deny = 1, .add_subnet = SNET2};
    p = plan_vault_network(&v, &deny, &why);
    ok(p != NULL && strstr(plan_step_text(p, 0), "Deny") != NULL &&
           strstr(plan_step_text(p, 0), "vnet-hub/snet-apps") != NULL,
       "Deny and a subnet rule, both said: %s", p ? plan_step_text(p, 0) : "");
    ok(p != NULL && str_eq(plan_confirm_name(p), "kv-net"),
       "turning Deny on may shut this host out: typed");
    b = p != NULL ? body(p, 0) : NULL;
    is_str(acl_str(b, "defaultAction"), "Deny", "sends Deny");
    is_int(vnet_rules(b), 1, "with the subnet rule");
    cJSON_Delete(b);
    plan_free(p);

    /* removing the rule under Deny */
    v.network_default_action = "Deny";
    struct network_change rm = {
        .public_access = -1, .default_deny = -1, .remove_ip = "198.51.100.7"};
    p = plan_vault_network(&v, &rm, &why);
    ok(p != NULL && str_eq(plan_confirm_name(p), "kv-net"),
       "removing a rule under Deny is typed (%s)", why ? why : "ok");
    b = p != NULL ? body(p, 0) : NULL;
    is_str(b ? ip_rules(b) : "?", "", "no IP rule left");
    cJSON_Delete(b);
    plan_free(p);
    /* opening up is not */
    struct network_change allow = {.public_access = -1, .default_deny = 0};
    p = plan_vault_network(&v, &allow, &why);
    ok(p != NULL && plan_confirm_name(p) == NULL &&
           strstr(plan_step_text(p, 0), "Allow") != NULL,
       "Allow asks for nothing typed");
    plan_free(p);
}

static void
test_connections(void)
{
    struct kv_endpoint_connection c = {
        .id = VID "/privateEndpointConnections/pe-x.1234",
        .name = "pe-x.1234",
        .vault_id = VID,
        .private_endpoint_id = VNET "/../privateEndpoints/pe-x",
        .status = "Pending",
        .etag = "W/\"1\"",
    };
    struct plan *p = plan_endpoint_connection(&c, "kv-net", PEC_APPROVE, "ok");
    is_str(plan_kind(p), "pec-approve", "approve");
    is_str(plan_step_op(p, 0), "pec-approve", "its op");
    ok(plan_confirm_name(p) == NULL, "approving is not typed");
    ok(!plan_step_has_undo(p, 0), "no undo (Azure has none)");
    ok(strstr(plan_step_text(p, 0), "pe-x") != NULL &&
           strstr(plan_step_text(p, 0), "\"ok\"") != NULL,
       "names the endpoint and the description: %s", plan_step_text(p, 0));
    cJSON *b = body(p, 0);
    cJSON *st = cJSON_GetObjectItem(cJSON_GetObjectItem(b, "properties"),
                                    "privateLinkServiceConnectionState");
    is_str(json_str(st, "status"), "Approved", "PUTs Approved");
    is_str(json_str(st, "description"), "ok", "with the description");
    cJSON_Delete(b);
    plan_free(p);
    p = plan_endpoint_connection(&c, "kv-net", PEC_REJECT, "no");
    ok(str_eq(plan_confirm_name(p), "pe-x.1234"), "reject: the name typed");
    b = body(p, 0);
    st = cJSON_GetObjectItem(cJSON_GetObjectItem(b, "properties"),
                             "privateLinkServiceConnectionState");
    is_str(json_str(st, "status"), "Rejected", "PUTs Rejected");
    cJSON_Delete(b);
    plan_free(p);
    p = plan_endpoint_connection(&c, "kv-net", PEC_REMOVE, NULL);
    ok(str_eq(plan_confirm_name(p), "pe-x.1234") &&
           str_eq(plan_step_op(p, 0), "pec-remove") && body(p, 0) == NULL,
       "remove: typed, a DELETE without a body");
    plan_free(p);
}

/* The ops of p joined with ' ' (static). */
static const char *
ops(const struct plan *p)
{
    static char out[512];
    out[0] = '\0';
    for (size_t i = 0; i < plan_steps(p); i++) {
        if (i > 0)
            strcat(out, " ");
        strcat(out, plan_step_op(p, i));
    }
    return out;
}

static void
test_attach(void)
{
    char *n = plan_attach_default_name("kv-net");
    is_str(n, "pe-kv-net", "the default name");
    free(n);
    char long_vault[80];
    memset(long_vault, 'v', 70);
    long_vault[61] = '-';
    long_vault[70] = '\0';
    n = plan_attach_default_name(long_vault);
    ok(strlen(n) <= 64 && plan_check_endpoint_name(n) == NULL,
       "a long vault's default is trimmed and valid (%s)", n);
    free(n);
    ok(plan_check_endpoint_name("pe_1.a-b") == NULL, "pe_1.a-b is valid");
    ok(plan_check_endpoint_name("p") != NULL, "too short");
    ok(plan_check_endpoint_name("-pe") != NULL, "a leading hyphen");
    ok(plan_check_endpoint_name("pe.") != NULL, "a trailing period");
    ok(plan_check_endpoint_name("pe x") != NULL, "a blank");

    struct kv_vault v;
    vault_init(&v);
    struct kv_subnet sn = {.id = SNET,
                           .name = "snet-pe",
                           .vnet_id = VNET,
                           .address_prefix = "10.0.2.0/24",
                           .pe_policies = "Enabled",
                           .json = "{\"name\":\"snet-pe\",\"properties\":{"
                                   "\"addressPrefix\":\"10.0.2.0/24\","
                                   "\"privateEndpointNetworkPolicies\":"
                                   "\"Enabled\"}}"};
    struct kv_vnet vn = {.id = VNET,
                         .name = "vnet-hub",
                         .subscription_id = SUB,
                         .resource_group = "rg-net",
                         .location = "westeurope",
                         .n_subnets = 1,
                         .subnets = &sn};
    struct attach_spec s = {
        .vault = &v,
        .vnet = &vn,
        .subnet = &sn,
        .set_subnet_policy = true,
        .endpoint_name = "pe-kv-net",
        .endpoint_group = "rg-net",
        .dns = ATTACH_DNS_NEW_ZONE,
        .zone_name = "privatelink.vaultcore.azure.net",
        .zone_group = "rg-net",
    };
    struct plan *p = plan_attach(&s);
    ok(p != NULL, "attach with a new zone");
    if (p == NULL)
        return;
    is_str(ops(p),
           "subnet-policy pe-create dns-zone dns-link zone-group pec-wait "
           "dns-check",
           "its steps");
    is_str(plan_kind(p), "attach", "kind");
    ok(plan_confirm_name(p) == NULL, "nothing closes: nothing typed");
    const char *pe = "/subscriptions/" SUB "/resourceGroups/rg-net/providers/"
                     "Microsoft.Network/privateEndpoints/pe-kv-net";
    is_str(plan_step_target(p, 1), pe, "the endpoint's id");
    cJSON *b = body(p, 1);
    is_str(json_str(b, "location"), "westeurope", "in the VNet's region");
    ok(b != NULL && has(b, VID) && has(b, SNET), "to the vault, in the subnet");
    cJSON_Delete(b);
    b = body(p, 0);
    is_str(json_str(cJSON_GetObjectItem(b, "properties"),
                    "privateEndpointNetworkPolicies"),
           "Disabled", "the subnet's policy becomes Disabled");
    cJSON_Delete(b);
    b = undo_body(p, 0);
    is_str(json_str(cJSON_GetObjectItem(b, "properties"),
                    "privateEndpointNetworkPolicies"),
           "Enabled", "its undo puts Enabled back");
    cJSON_Delete(b);
    ok(str_iends(plan_step_target(p, 2),
                 "/privateDnsZones/privatelink.vaultcore.azure.net"),
       "the zone");
    ok(str_iends(plan_step_target(p, 3), "/virtualNetworkLinks/link-vnet-hub"),
       "its link");
    is_str(plan_step_target(p, 4),
           "/subscriptions/" SUB
           "/resourceGroups/rg-net/providers/Microsoft.Network/"
           "privateEndpoints/pe-kv-net/privateDnsZoneGroups/default",
           "the zone group");
    bool undo = true;
    for (size_t i = 0; i < 5; i++)
        undo = undo && plan_step_writes(p, i) && plan_step_has_undo(p, i);
    ok(undo, "every write has an undo");
    ok(!plan_step_writes(p, 5) && !plan_step_writes(p, 6),
       "the wait and the check read");
    ok(strstr(plan_step_text(p, 5), "approves") != NULL, "the wait: %s",
       plan_step_text(p, 5));
    ok(strstr(plan_step_text(p, 6), "kv-net.vault.azure.net") != NULL,
       "the check names the host: %s", plan_step_text(p, 6));
    plan_free(p);

    /* a reused zone already linked; closing, this host inside */
    s.set_subnet_policy = false;
    s.dns = ATTACH_DNS_REUSE_ZONE;
    s.zone_id = "/subscriptions/" SUB "/resourceGroups/rg-dns/providers/"
                "Microsoft.Network/privateDnsZones/"
                "privatelink.vaultcore.azure.net";
    s.link_exists = true;
    s.close_public_access = true;
    p = plan_attach(&s);
    is_str(p ? ops(p) : "",
           "pe-create zone-group pec-wait dns-check public-off",
           "reused and linked: no zone, no link; public access off last");
    ok(p != NULL && plan_confirm_name(p) == NULL,
       "closing while this host is inside: nothing typed");
    b = p != NULL ? body(p, 1) : NULL;
    ok(b != NULL && has(b, "rg-dns"),
       "the zone group points at the zone reused");
    cJSON_Delete(b);
    plan_free(p);

    /* outside: warned, typed */
    s.check_outside = true;
    p = plan_attach(&s);
    ok(p != NULL && str_eq(plan_confirm_name(p), "kv-net"),
       "closing from outside: the vault's name typed");
    ok(p != NULL && strstr(plan_step_text(p, 4), "loses data-plane access"),
       "and the step says so: %s", p ? plan_step_text(p, 4) : "");
    ok(p != NULL && plan_step_has_undo(p, 4), "public-off has an undo");
    plan_free(p);

    /* manual: no public-off, Pending */
    s.manual = true;
    s.request_message = "please approve";
    s.dns = ATTACH_DNS_NONE;
    vn.location = "northeurope";
    p = plan_attach(&s);
    is_str(p ? ops(p) : "", "pe-create pec-wait dns-check",
           "manual, own DNS: no DNS writes, no public-off");
    ok(p != NULL && plan_confirm_name(p) == NULL, "nothing typed");
    ok(p != NULL && strstr(plan_step_text(p, 0), "please approve") &&
           strstr(plan_step_text(p, 0), "northeurope"),
       "the request's message and the other region are said: %s",
       p ? plan_step_text(p, 0) : "");
    b = p != NULL ? body(p, 0) : NULL;
    ok(b != NULL && has(b, "manualPrivateLinkServiceConnections"),
       "a manual connection");
    cJSON_Delete(b);
    ok(p != NULL && strstr(plan_step_text(p, 2), "A record") != NULL &&
           strstr(plan_step_text(p, 2), "kv-net.privatelink") != NULL,
       "the record to create is said: %s", p ? plan_step_text(p, 2) : "");
    ok(p != NULL && !plan_attach_pending(p), "not pending before it ran");
    plan_free(p);

    s.endpoint_group = NULL;
    ok(plan_attach(&s) == NULL, "no group: no plan");
    s.endpoint_group = "rg-net";
    s.endpoint_name = "-bad";
    ok(plan_attach(&s) == NULL, "a bad endpoint name: no plan");
}

static void
test_arm_secret(void)
{
    struct kv_secret_version cur = {.version =
                                        "0123456789abcdef0123456789abcdef"};
    struct secret_change c = {
        .vault_name = "kv-net",
        .name = "db-password",
        .value = secret_dup("s3cret", 6),
        .current = &cur,
        .retire = RETIRE_NOW,
    };
    ok(plan_secret_set_arm(&c, VID, true) == NULL && c.value != NULL,
       "disabling the old version is refused (the value stays the caller's)");
    c.retire = RETIRE_KEEP;
    struct plan *p = plan_secret_set_arm(&c, VID, true);
    ok(p != NULL && c.value == NULL, "rotate through Resource Manager");
    if (p == NULL)
        return;
    is_str(plan_kind(p), "rotate-arm", "kind");
    is_str(ops(p), "arm-secret-latest arm-secret-set arm-secret-verify",
           "its steps");
    is_str(plan_step_target(p, 1), VID "/secrets/db-password", "the target");
    ok(strstr(plan_step_text(p, 0), "01234567") != NULL,
       "checks the version reviewed: %s", plan_step_text(p, 0));
    ok(strstr(plan_step_text(p, 1), "stays enabled") != NULL,
       "says the old version stays enabled: %s", plan_step_text(p, 1));
    ok(strstr(plan_step_text(p, 2), "cannot be read back") != NULL,
       "says the value cannot be read back: %s", plan_step_text(p, 2));
    ok(plan_new_value(p) != NULL && !plan_verified(p), "holds the value");
    plan_free(p);
    c.value = secret_dup("x", 1);
    c.create = true;
    c.current = NULL;
    p = plan_secret_set_arm(&c, VID, false);
    is_str(p ? plan_kind(p) : "", "secret-set-arm", "set");
    is_str(p ? plan_step_op(p, 0) : "", "arm-secret-check-absent",
           "a new secret: the name must be free");
    plan_free(p);
}

int
main(void)
{
    test_network();
    test_connections();
    test_attach();
    test_arm_secret();
    return tap_done();
}
