/*
 * wizard-attach-pages.c — the attach-a-private-endpoint wizard's pages
 * (wizard-attach-int.h): the VNet (the vault's region first; another
 * region is said to be where the endpoint lives), the subnet with its
 * privateEndpointNetworkPolicies and free addresses (and the offer to
 * disable the policies), the endpoint's name and group, DNS (the cloud's
 * privatelink zone reused, with whether it is linked to the VNet, or
 * created; or "I manage DNS myself" with the A record to make), the
 * approval (automatic when the principal may approve, else a request
 * with a message) and closing public access, with what this host
 * resolves the vault's name to and the warning when it would lose the
 * vault. Each page builds its form from what was chosen before (so Back
 * and Next keep the choices) and keeps its fields when it is left.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/wizard-attach-int.h"

#define WA_NONE ((size_t)-1)

static void
wa_info(struct form *f, char *text) /* takes text */
{
    form_add_info(f, text);
    free(text);
}

static const char *
wa_sub_name(struct app *a, const char *sub_id)
{
    struct store_sub *s = store_find_sub(a->store, sub_id);
    return s != NULL && s->sub->display_name != NULL ? s->sub->display_name
                                                     : sub_id;
}

/* ---- page 1: the virtual network ----------------------------------------- */

/* The VNets as offered: the vault's region first, then the others, each
 * in the order they came. */
static void
wa_order_vnets(struct wattach *wa)
{
    vec_clear(&wa->vnet_order);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < wa->vnets.len; i++) {
            struct kv_vnet *v = wa->vnets.items[i];
            if (str_ieq(v->location, wa->vault->location) == (pass == 0))
                vec_push(&wa->vnet_order, v);
        }
}

struct form *
wa_vnet_page(struct app *a, struct wattach *wa)
{
    if (wa->n_vnet_loads == 0)
        return NULL;
    for (size_t i = 0; i < wa->n_vnet_loads; i++)
        if (!wa->vnet_loads[i].done)
            return NULL;
    wa_order_vnets(wa);
    struct form *f = form_new();
    wa_info(f, xasprintf(_("Vault %s is in %s (%s). Choose the virtual "
                           "network of its private endpoint: the vault's "
                           "region comes first; another region works too, "
                           "and the endpoint then lives in the VNet's "
                           "region."),
                         wa->vault->name,
                         wa->vault->location ? wa->vault->location : "?",
                         wa_sub_name(a, wa->vault->subscription_id)));
    if (wa->vault->endpoint_connections > 0)
        wa_info(f, xasprintf(P_("It has %zu private endpoint connection "
                                "already (the endpoints pane lists it); this "
                                "adds another.",
                                "It has %zu private endpoint connections "
                                "already (the endpoints pane lists them); "
                                "this adds another.",
                                wa->vault->endpoint_connections),
                             wa->vault->endpoint_connections));
    for (size_t i = 0; i < wa->n_vnet_loads; i++)
        if (wa->vnet_loads[i].error != NULL)
            wa_info(f, xasprintf(_("Some virtual networks could not be "
                                   "listed: %s"),
                                 wa->vnet_loads[i].error));
    size_t n = wa->vnet_order.len;
    if (n == 0) {
        form_add_info(f, _("No virtual network was found in the listed "
                           "subscriptions: an endpoint needs one (e.g. az "
                           "network vnet create)."));
        wa->f_vnet = WA_NONE;
        return f;
    }
    char **labels = xcalloc(n, sizeof *labels);
    for (size_t i = 0; i < n; i++) {
        const struct kv_vnet *v = wa->vnet_order.items[i];
        labels[i] =
            xasprintf("%s (%s, %s)", v->name, v->location ? v->location : "?",
                      v->resource_group ? v->resource_group : "?");
    }
    wa->f_vnet =
        form_add_choice_take(f, _("Virtual network"), labels, n,
                             wa->vnet_choice < n ? wa->vnet_choice : 0);
    form_set_hint(f, wa->f_vnet,
                  _("Left/Right: the next one (its region, "
                    "its resource group)"));
    return f;
}

bool
wa_vnet_next(struct app *a, struct wattach *wa, struct form *f)
{
    if (wa->f_vnet == WA_NONE) {
        app_message(a, true, "%s",
                    _("no virtual network to put the endpoint in"));
        return false;
    }
    size_t c = form_choice(f, wa->f_vnet);
    if (c != wa->vnet_choice)
        wa->subnet_choice = 0;
    wa->vnet_choice = c;
    const struct kv_vnet *v = wa_vnet(wa);
    if (v == NULL)
        return false;
    wa_load_zones(a, wa, v->subscription_id);
    return true;
}

/* ---- page 2: the subnet ---------------------------------------------------
 */

struct form *
wa_subnet_page(struct app *a, struct wattach *wa)
{
    (void)a;
    const struct kv_vnet *v = wa_vnet(wa);
    if (v == NULL)
        return NULL;
    struct form *f = form_new();
    if (!str_ieq(v->location, wa->vault->location))
        wa_info(f, xasprintf(_("Note: %s is in %s, the vault in %s. The "
                               "endpoint will live in %s, the VNet's region; "
                               "it reaches the vault across regions."),
                             v->name, v->location ? v->location : "?",
                             wa->vault->location ? wa->vault->location : "?",
                             v->location ? v->location : "?"));
    if (v->n_subnets == 0) {
        wa_info(f, xasprintf(_("%s has no subnet: add one first."), v->name));
        wa->f_subnet = wa->f_policy = WA_NONE;
        return f;
    }
    wa_info(f, xasprintf(_("The endpoint takes an address in a subnet of "
                           "%s (its privateEndpointNetworkPolicies, the "
                           "addresses left):"),
                         v->name));
    char **labels = xcalloc(v->n_subnets, sizeof *labels);
    for (size_t i = 0; i < v->n_subnets; i++) {
        const struct kv_subnet *s = &v->subnets[i];
        char free_s[32];
        if (s->free_addresses >= 0)
            snprintf(free_s, sizeof free_s, _("%ld free"), s->free_addresses);
        else
            snprintf(free_s, sizeof free_s, "%s", _("free: unknown"));
        wa_info(f, xasprintf(_("  %s %s: %s, %s"), s->name,
                             s->address_prefix ? s->address_prefix : "?",
                             s->pe_policies ? s->pe_policies : _("not set"),
                             free_s));
        labels[i] = xasprintf("%s (%s)", s->name,
                              s->address_prefix ? s->address_prefix : "?");
    }
    wa->f_subnet = form_add_choice(
        f, _("Subnet"), (const char *const *)labels, v->n_subnets,
        wa->subnet_choice < v->n_subnets ? wa->subnet_choice : 0);
    for (size_t i = 0; i < v->n_subnets; i++)
        free(labels[i]);
    free(labels);
    wa->f_policy = form_add_check(f, _("Disable policies"), !wa->no_policy);
    form_set_hint(f, wa->f_policy,
                  _("set the subnet's policy to Disabled if it is not (its "
                    "NSG and routes then leave the endpoint alone)"));
    return f;
}

bool
wa_subnet_next(struct app *a, struct wattach *wa, struct form *f)
{
    (void)a;
    if (wa->f_subnet == WA_NONE) {
        app_message(a, true, "%s", _("this VNet has no subnet"));
        return false;
    }
    wa->subnet_choice = form_choice(f, wa->f_subnet);
    const struct kv_subnet *s = wa_subnet(wa);
    if (s == NULL)
        return false;
    if (s->free_addresses == 0) {
        form_set_error(f, wa->f_subnet,
                       _("no free address left in this subnet"));
        return false;
    }
    wa->no_policy = !form_checked(f, wa->f_policy);
    wa->set_policy = !wa->no_policy && !str_ieq(s->pe_policies, "Disabled");
    return true;
}

/* ---- page 3: the endpoint's name and group ------------------------------- */

static const char *
wa_check_name(const char *text, void *ctx)
{
    (void)ctx;
    return plan_check_endpoint_name(text);
}

static const char *
wa_check_group(const char *text, void *ctx)
{
    (void)ctx;
    return plan_check_group_name(text);
}

struct form *
wa_name_page(struct app *a, struct wattach *wa)
{
    const struct kv_vnet *v = wa_vnet(wa);
    if (v == NULL)
        return NULL;
    struct form *f = form_new();
    wa_info(f, xasprintf(_("The endpoint lives in %s (the VNet's region), in "
                           "a resource group of %s."),
                         v->location ? v->location : "?",
                         wa_sub_name(a, v->subscription_id)));
    wa_note_taken(a, wa);
    char *def = wa->name != NULL ? xstrdup(wa->name)
                                 : plan_attach_default_name(wa->vault->name);
    /* the vault's own endpoint of that name exists: "pe-VAULT-2", ... */
    for (int n = 2; wa->name == NULL && n < 100 &&
                    wa_endpoint_taken(wa, v->resource_group, def);
         n++) {
        char *base = plan_attach_default_name(wa->vault->name);
        free(def);
        def = xasprintf("%.*s-%d", 60, base, n);
        free(base);
    }
    wa->f_name =
        form_add_text(f, _("Endpoint name"), def, 64, wa_check_name, NULL);
    free(def);
    form_set_hint(f, wa->f_name, _("2-64: letters, digits, _ - ."));
    wa->f_group = form_add_text(f, _("Resource group"),
                                wa->group ? wa->group : v->resource_group, 90,
                                wa_check_group, NULL);
    form_set_hint(f, wa->f_group,
                  _("an existing group; the VNet's by default"));
    return f;
}

bool
wa_name_next(struct app *a, struct wattach *wa, struct form *f)
{
    free(wa->name);
    wa->name = xstrdup(form_text(f, wa->f_name));
    free(wa->group);
    wa->group = xstrdup(form_text(f, wa->f_group));
    wa_note_taken(a, wa);
    if (wa_endpoint_taken(wa, wa->group, wa->name)) {
        form_set_error(f, wa->f_name,
                       _("this vault has an endpoint of that name already: "
                         "choose another"));
        form_focus(f, wa->f_name);
        return false;
    }
    return true;
}

/* ---- page 4: DNS ------------------------------------------------------------
 */

struct form *
wa_dns_page(struct app *a, struct wattach *wa)
{
    (void)a;
    const struct kv_vnet *v = wa_vnet(wa);
    if (v == NULL || !wa->zones_load.done || !wa->links_load.done)
        return NULL;
    struct form *f = form_new();
    char *rec = wa_record_name(wa);
    const char *labels[2];
    char *first;
    if (wa->zone != NULL) {
        wa_info(f, xasprintf(_("The private DNS zone %s exists (group %s): "
                               "the endpoint's zone group adds the A record "
                               "%s to it."),
                             wa->zone_name,
                             wa->zone->resource_group ? wa->zone->resource_group
                                                      : "?",
                             rec));
        if (wa->links_load.error != NULL)
            wa_info(f, xasprintf(_("Its VNet links could not be read (%s): "
                                   "a link to %s is added."),
                                 wa->links_load.error, v->name));
        else if (wa_zone_linked(wa))
            wa_info(f, xasprintf(_("It is already linked to %s: that link "
                                   "is kept, not made again."),
                                 v->name));
        else
            wa_info(f, xasprintf(_("It is not linked to %s yet: a link is "
                                   "added."),
                                 v->name));
        first = xasprintf(_("reuse %s"), wa->zone_name);
    } else {
        if (wa->zones_load.error != NULL)
            wa_info(f, xasprintf(_("The private DNS zones could not be "
                                   "listed (%s)."),
                                 wa->zones_load.error));
        wa_info(f, xasprintf(_("No private DNS zone %s in this subscription: "
                               "a new one is created and linked to %s; the "
                               "endpoint's zone group adds the A record %s."),
                             wa->zone_name, v->name, rec));
        first = xasprintf(_("create %s"), wa->zone_name);
    }
    labels[0] = first;
    labels[1] = _("I manage DNS myself");
    wa->f_dns = form_add_choice(f, _("DNS"), labels, 2,
                                wa->dns_mode == ATTACH_DNS_NONE ? 1 : 0);
    free(first);
    char *hint = xasprintf(_("yourself: create the A record %s → the "
                             "endpoint's private IP (shown at the end)"),
                           rec);
    form_set_hint(f, wa->f_dns, hint);
    free(hint);
    free(rec);
    wa->f_zone_group = WA_NONE;
    if (wa->zone == NULL) {
        wa->f_zone_group =
            form_add_text(f, _("Zone's group"),
                          wa->zone_group ? wa->zone_group : v->resource_group,
                          90, wa_check_group, NULL);
        form_set_hint(f, wa->f_zone_group,
                      _("where a new zone goes: an existing group"));
    }
    return f;
}

bool
wa_dns_next(struct app *a, struct wattach *wa, struct form *f)
{
    (void)a;
    bool self = form_choice(f, wa->f_dns) == 1;
    wa->dns_mode = self               ? ATTACH_DNS_NONE
                   : wa->zone != NULL ? ATTACH_DNS_REUSE_ZONE
                                      : ATTACH_DNS_NEW_ZONE;
    if (wa->f_zone_group != WA_NONE) {
        free(wa->zone_group);
        wa->zone_group = xstrdup(form_text(f, wa->f_zone_group));
    }
    return true;
}

/* ---- page 5: the approval ----------------------------------------------- */

struct form *
wa_approval_page(struct app *a, struct wattach *wa)
{
    (void)a;
    if (!wa->perms_load.done)
        return NULL;
    struct form *f = form_new();
    wa->f_manual = WA_NONE;
    if (wa_may_approve(wa)) {
        wa_info(f, xasprintf(_("You may approve private endpoint connections "
                               "on %s: the connection is approved at once."),
                             wa->vault->name));
        const char *modes[] = {_("automatic (approved at once)"),
                               _("manual (a request to the owner)")};
        wa->f_manual =
            form_add_choice(f, _("Approval"), modes, 2, wa->manual ? 1 : 0);
    } else if (wa->perms_load.error != NULL) {
        wa_info(f, xasprintf(_("Your permissions on %s could not be read "
                               "(%s): a request goes to the vault's owner, "
                               "and the connection stays Pending until they "
                               "approve it."),
                             wa->vault->name, wa->perms_load.error));
    } else {
        wa_info(f, xasprintf(_("You may not approve connections on %s (no "
                               "privateEndpointConnectionsApproval right): a "
                               "request goes to the vault's owner, and the "
                               "connection stays Pending until they approve "
                               "it."),
                             wa->vault->name));
    }
    const struct kv_vnet *v = wa_vnet(wa);
    char *def =
        wa->message != NULL
            ? xstrdup(wa->message)
            : xasprintf(_("Private endpoint %s in %s (kvdeck)"),
                        wa->name ? wa->name : "", v != NULL ? v->name : "");
    wa->f_message =
        form_add_text(f, _("Request message"), def, 140, NULL, NULL);
    free(def);
    form_set_hint(f, wa->f_message,
                  _("only for a manual request: the vault's owner reads it"));
    return f;
}

bool
wa_approval_next(struct app *a, struct wattach *wa, struct form *f)
{
    wa->manual = wa->f_manual == WA_NONE || form_choice(f, wa->f_manual) == 1;
    free(wa->message);
    wa->message = xstrdup(form_text(f, wa->f_message));
    if (!wa->manual && !str_ieq(wa->vault->public_network_access, "Disabled"))
        wa_check_dns(a, wa);
    return true;
}

/* ---- page 6: public network access ----------------------------------------
 */

/* What this host resolves the vault's name to, and what closing means. */
static void
wa_dns_info(struct form *f, struct wattach *wa)
{
    const struct kv_subnet *s = wa_subnet(wa);
    const struct kv_dns_check *c = wa->dns;
    const char *prefix = s && s->address_prefix ? s->address_prefix : "?";
    if (wa->dns_load.error != NULL || c == NULL || !c->resolved) {
        wa_info(f,
                xasprintf(_("This host cannot resolve %s (%s). If public "
                            "access is closed, kvdeck itself loses access to "
                            "this vault's secrets from here: every read and "
                            "write answers 403 until it connects from inside "
                            "the VNet. The review then asks for the vault's "
                            "name."),
                          c && c->host ? c->host : wa->vault->name,
                          wa->dns_load.error ? wa->dns_load.error
                          : c && c->error    ? c->error
                                             : _("no answer")));
        return;
    }
    char addrs[256] = "";
    size_t o = 0;
    for (size_t i = 0; i < c->addresses.n && o < sizeof addrs; i++)
        o += (size_t)snprintf(addrs + o, sizeof addrs - o, "%s%s",
                              i > 0 ? ", " : "", c->addresses.items[i]);
    if (wa_dns_inside(wa))
        wa_info(f, xasprintf(_("This host resolves %s to %s, inside %s (%s): "
                               "kvdeck keeps reaching the vault through the "
                               "endpoint when public access is closed."),
                             c->host, addrs, s->name, prefix));
    else
        wa_info(f, xasprintf(_("Warning: this host resolves %s to %s, "
                               "outside %s (%s). If public access is closed, "
                               "kvdeck itself loses access to this vault's "
                               "secrets from here: every read and write "
                               "answers 403 until it connects from inside "
                               "the VNet. The review then asks for the "
                               "vault's name."),
                             c->host, addrs, s ? s->name : "?", prefix));
}

struct form *
wa_public_page(struct app *a, struct wattach *wa)
{
    (void)a;
    bool closed = str_ieq(wa->vault->public_network_access, "Disabled");
    if (!wa->manual && !closed && !wa->dns_load.done)
        return NULL;
    struct form *f = form_new();
    wa->f_close = WA_NONE;
    if (closed) {
        wa_info(f, xasprintf(_("Public network access to %s is already "
                               "disabled."),
                             wa->vault->name));
        return f;
    }
    if (wa->manual) {
        wa_info(f, xasprintf(_("Public network access to %s stays enabled: "
                               "close it once the owner approved the "
                               "connection (endpoints pane)."),
                             wa->vault->name));
        return f;
    }
    wa_dns_info(f, wa);
    wa->f_close = form_add_check(f, _("Close public access"), wa->close_public);
    form_set_hint(f, wa->f_close,
                  _("publicNetworkAccess Disabled once the connection is "
                    "Approved: only the VNet reaches the vault"));
    return f;
}

bool
wa_public_next(struct app *a, struct wattach *wa, struct form *f)
{
    (void)a;
    wa->close_public = wa->f_close != WA_NONE && form_checked(f, wa->f_close);
    return true;
}
