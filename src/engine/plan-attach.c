/*
 * plan-attach.c — building the attach-a-private-endpoint plan (see
 * plan.h, issue #10): [subnet policy] → endpoint → [DNS zone] → [its VNet
 * link] → [zone group] → the connection's approval → the DNS check here
 * → [public access off]. Pure: each step carries the id, api-version and
 * body it sends and, for what the plan creates, its undo (DELETE; the
 * subnet's old policy; public access on again). A zone or a link that
 * existed before is never touched by the undo. The steps run in
 * plan-attach-ops.c and plan-network-ops.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/ops.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/plan-impl.h"

/* Azure's limit on a private endpoint's name. */
#define PE_NAME_MAX 64

static const char *
nz(const char *s)
{
    return s != NULL ? s : "";
}

static bool
alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

char *
plan_attach_default_name(const char *vault_name)
{
    char *n = xasprintf("pe-%s", nz(vault_name));
    size_t len = strlen(n);
    if (len > PE_NAME_MAX)
        len = PE_NAME_MAX;
    /* it must end with a letter, a digit or '_' */
    while (len > 0 && !(alnum(n[len - 1]) || n[len - 1] == '_'))
        len--;
    n[len] = '\0';
    return n;
}

const char *
plan_check_endpoint_name(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;
    if (n < 2 || n > PE_NAME_MAX)
        return _("an endpoint name has 2-64 characters");
    for (size_t i = 0; i < n; i++)
        if (!(alnum(name[i]) || name[i] == '_' || name[i] == '-' ||
              name[i] == '.'))
            return _("an endpoint name has only letters, digits and _ - .");
    if (!alnum(name[0]))
        return _("an endpoint name starts with a letter or a digit");
    if (!(alnum(name[n - 1]) || name[n - 1] == '_'))
        return _("an endpoint name ends with a letter, a digit or _");
    return NULL;
}

/* A step writing to Resource Manager: id, api-version, body (taken). */
static struct plan_step *
add_arm(struct plan *p, const struct step_ops *ops, const char *id,
        const char *api, char *body, char *text)
{
    struct plan_step *s = plan_add(p, ops, id, "%s", text);
    free(text);
    s->args.arm_id = xstrdup(nz(id));
    s->args.api_version = xstrdup(api);
    s->args.body = body;
    return s;
}

/* The undo of a created resource: DELETE it (text taken). */
static void
undo_delete(struct plan_step *s, char *text)
{
    s->undo_args.arm_id = xstrdup(s->args.arm_id);
    s->undo_args.api_version = xstrdup(s->args.api_version);
    s->undo_args.name = text;
}

/* "/subscriptions/S/resourceGroups/G/providers/Microsoft.Network/T/N" */
static char *
network_id(const char *sub, const char *group, const char *type,
           const char *name)
{
    return xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                     "Microsoft.Network/%s/%s",
                     nz(sub), nz(group), type, nz(name));
}

/* The vault's host name ("kv-x.vault.azure.net") from its URI (caller
 * frees). */
static char *
vault_host(const struct kv_vault *v)
{
    const char *u = nz(v->vault_uri);
    const char *h = strstr(u, "://");
    h = h != NULL ? h + 3 : u;
    size_t n = strcspn(h, "/:");
    return xasprintf("%.*s", (int)n, h);
}

static void
add_subnet_policy(struct plan *p, const struct attach_spec *s)
{
    const struct kv_subnet *sn = s->subnet;
    struct plan_step *st = add_arm(
        p, &step_subnet_policy, sn->id, AZ_API_NETWORK,
        az_subnet_policy_body(sn, "Disabled"),
        xasprintf(_("Set privateEndpointNetworkPolicies of subnet %s to "
                    "Disabled (now %s), so that it takes a private "
                    "endpoint"),
                  nz(sn->name),
                  sn->pe_policies ? sn->pe_policies : _("not set")));
    if (sn->pe_policies != NULL) {
        st->undo_args.arm_id = xstrdup(nz(sn->id));
        st->undo_args.api_version = xstrdup(AZ_API_NETWORK);
        st->undo_args.body = az_subnet_policy_body(sn, sn->pe_policies);
        st->undo_args.name = xasprintf(
            _("Set privateEndpointNetworkPolicies of subnet %s back to %s"),
            nz(sn->name), sn->pe_policies);
    }
}

static char *
add_endpoint(struct plan *p, const struct attach_spec *s)
{
    const struct kv_vault *v = s->vault;
    const struct kv_vnet *vn = s->vnet;
    char *id = network_id(vn->subscription_id, s->endpoint_group,
                          "privateEndpoints", s->endpoint_name);
    bool elsewhere = v->location != NULL && vn->location != NULL &&
                     !str_ieq(v->location, vn->location);
    char *region =
        elsewhere
            ? xasprintf(_(" (the endpoint lives in the VNet's region, %s; "
                          "the vault is in %s: that works)"),
                        nz(vn->location), nz(v->location))
            : xstrdup("");
    char *how = s->manual
                    ? xasprintf(_("; request approval from the vault's owner "
                                  "with the message \"%s\""),
                                nz(s->request_message))
                    : xstrdup("");
    char *t =
        xasprintf(_("Create private endpoint %s in %s (%s, subnet "
                    "%s/%s) connected to vault %s%s%s; wait until it "
                    "is provisioned"),
                  nz(s->endpoint_name), nz(s->endpoint_group), nz(vn->location),
                  nz(vn->name), nz(s->subnet->name), nz(v->name), how, region);
    struct plan_step *st =
        add_arm(p, &step_pe_create, id, AZ_API_NETWORK,
                az_private_endpoint_body(vn->location, s->subnet->id, v->id,
                                         s->endpoint_name, s->manual,
                                         s->request_message),
                t);
    undo_delete(st, xasprintf(_("Delete the private endpoint %s"),
                              nz(s->endpoint_name)));
    free(region);
    free(how);
    return id;
}

/* The DNS steps; returns the zone's id (caller frees) or NULL. */
static char *
add_dns(struct plan *p, const struct attach_spec *s, const char *pe_id)
{
    if (s->dns == ATTACH_DNS_NONE)
        return NULL;
    const struct kv_vnet *vn = s->vnet;
    char *zone_id;
    if (s->dns == ATTACH_DNS_NEW_ZONE) {
        zone_id = network_id(vn->subscription_id, s->zone_group,
                             "privateDnsZones", s->zone_name);
        struct plan_step *st = add_arm(
            p, &step_dns_zone, zone_id, AZ_API_PRIVATE_DNS, az_dns_zone_body(),
            xasprintf(_("Create the private DNS zone %s in %s"),
                      nz(s->zone_name), nz(s->zone_group)));
        undo_delete(st, xasprintf(_("Delete the private DNS zone %s"),
                                  nz(s->zone_name)));
    } else {
        zone_id = xstrdup(nz(s->zone_id));
    }
    const char *zname = strrchr(zone_id, '/');
    zname = zname != NULL ? zname + 1 : zone_id;
    if (!s->link_exists) {
        char *lname = xasprintf("link-%s", nz(vn->name));
        char *lid = xasprintf("%s/virtualNetworkLinks/%s", zone_id, lname);
        struct plan_step *st = add_arm(
            p, &step_dns_link, lid, AZ_API_PRIVATE_DNS,
            az_vnet_link_body(vn->id),
            xasprintf(_("Link the zone %s to virtual network %s (link %s), "
                        "so that the VNet resolves the vault's name to the "
                        "endpoint"),
                      zname, nz(vn->name), lname));
        undo_delete(st, xasprintf(_("Remove the link %s"), lname));
        free(lid);
        free(lname);
    }
    char *gid = xasprintf("%s/privateDnsZoneGroups/default", pe_id);
    struct plan_step *st = add_arm(
        p, &step_zone_group, gid, AZ_API_NETWORK, az_zone_group_body(zone_id),
        xasprintf(_("Create the endpoint's DNS zone group: Azure keeps the "
                    "A record %s.%s pointing at its private address"),
                  nz(s->vault->name), zname));
    undo_delete(st, xstrdup(_("Delete the endpoint's DNS zone group (and its "
                              "A record)")));
    free(gid);
    return zone_id;
}

static void
add_wait_and_check(struct plan *p, const struct attach_spec *s,
                   const char *pe_id)
{
    const struct kv_vault *v = s->vault;
    char *t = s->manual
                  ? xasprintf(_("Leave the connection Pending: the owner of "
                                "%s approves it"),
                              nz(v->name))
                  : xasprintf(_("Wait until %s approves the connection "
                                "(automatic: you may approve it)"),
                              nz(v->name));
    struct plan_step *st = plan_add(p, &step_pec_wait, pe_id, "%s", t);
    free(t);
    st->args.arm_id = xstrdup(pe_id);
    st->args.api_version = xstrdup(AZ_API_NETWORK);
    st->args.manual = s->manual;
    st->args.name = xstrdup(nz(v->name));
    char *host = vault_host(v);
    t = s->dns == ATTACH_DNS_NONE
            ? xasprintf(_("Check whether this host resolves %s to the "
                          "endpoint's private address (you manage DNS: "
                          "create the A record %s.%s for that address)"),
                        host, nz(v->name),
                        s->zone_name != NULL
                            ? s->zone_name
                            : "privatelink.vaultcore.azure.net")
            : xasprintf(_("Check whether this host resolves %s to the "
                          "endpoint's private address"),
                        host);
    st = plan_add(p, &step_dns_check, v->vault_uri, "%s", t);
    free(t);
    st->args.vault_uri = xstrdup(nz(v->vault_uri));
    st->args.name = host; /* taken */
    st->args.to_name = s->dns == ATTACH_DNS_NONE
                           ? xasprintf("%s.%s", nz(v->name),
                                       s->zone_name != NULL
                                           ? s->zone_name
                                           : "privatelink.vaultcore.azure.net")
                           : NULL;
}

static void
add_public_off(struct plan *p, const struct attach_spec *s)
{
    const struct kv_vault *v = s->vault;
    char *t = s->check_outside
                  ? xasprintf(_("Turn public network access off for %s: this "
                                "host does not reach it through the endpoint, "
                                "so kvdeck here loses data-plane access to it "
                                "(Resource Manager writes still work)"),
                              nz(v->name))
                  : xasprintf(_("Turn public network access off for %s (only "
                                "private endpoints reach it then)"),
                              nz(v->name));
    struct plan_step *st = add_arm(
        p, &step_public_off, v->id, AZ_API_KEYVAULT,
        xstrdup("{\"properties\":{\"publicNetworkAccess\":\"Disabled\"}}"), t);
    st->args.name = xstrdup(nz(v->name));
    st->args.warned = s->check_outside;
    st->undo_args.arm_id = xstrdup(nz(v->id));
    st->undo_args.api_version = xstrdup(AZ_API_KEYVAULT);
    st->undo_args.name = xstrdup(nz(v->name));
    st->undo_args.body =
        xstrdup("{\"properties\":{\"publicNetworkAccess\":\"Enabled\"}}");
}

struct plan *
plan_attach(const struct attach_spec *s)
{
    if (s == NULL || s->vault == NULL || s->vnet == NULL || s->subnet == NULL ||
        plan_check_endpoint_name(s->endpoint_name) != NULL ||
        plan_check_group_name(s->endpoint_group) != NULL ||
        (s->dns == ATTACH_DNS_NEW_ZONE &&
         (s->zone_name == NULL || s->zone_group == NULL)) ||
        (s->dns == ATTACH_DNS_REUSE_ZONE && s->zone_id == NULL))
        return NULL;
    char *t = xasprintf(_("Attach private endpoint %s to %s"),
                        nz(s->endpoint_name), nz(s->vault->name));
    struct plan *p = plan_new("attach", t);
    free(t);
    bool close = s->close_public_access && !s->manual;
    if (close && s->check_outside)
        p->confirm_name = xstrdup(nz(s->vault->name));
    if (s->set_subnet_policy)
        add_subnet_policy(p, s);
    char *pe_id = add_endpoint(p, s);
    free(add_dns(p, s, pe_id));
    add_wait_and_check(p, s, pe_id);
    if (close)
        add_public_off(p, s);
    free(pe_id);
    return p;
}

const struct kv_private_endpoint *
plan_result_endpoint(const struct plan *p)
{
    return p != NULL ? p->endpoint : NULL;
}

const struct kv_dns_check *
plan_result_dns(const struct plan *p)
{
    return p != NULL ? p->dns : NULL;
}

bool
plan_attach_pending(const struct plan *p)
{
    return p != NULL && p->pending;
}
