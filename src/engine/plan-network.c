/*
 * plan-network.c — building the plans of a vault's network (see plan.h,
 * issue #10): one PATCH of the vault's publicNetworkAccess and its whole
 * networkAcls (Azure replaces the object: the builder sends the vault's
 * rules as read plus the change), and approving, rejecting or removing a
 * private endpoint connection. Pure: the steps carry the id,
 * api-version and body they send; plan-network-ops.c sends them.
 *
 * What closes access (typed confirmation of the vault's name): turning
 * public network access off; and, with the default action Deny as a
 * result (public access not off), turning Deny on or removing a rule —
 * the builder cannot know which address this host presents, so any
 * change that narrows who is let in asks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/ops.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/plan-impl.h"

static const char *
nz(const char *s)
{
    return s != NULL ? s : "";
}

/* The canonical form of an IP rule (caller frees); s itself when it does
 * not validate (a rule Azure holds is compared as it is). */
static char *
norm_ip(const char *s)
{
    char *n = NULL;
    if (az_check_ip_rule(s, &n) != NULL || n == NULL) {
        free(n);
        return xstrdup(nz(s));
    }
    return n;
}

/* Index of the IP rule equal to ip (canonical) in l, or -1. */
static long
find_ip(const struct kv_strlist *l, const char *ip)
{
    for (size_t i = 0; i < l->n; i++) {
        char *n = norm_ip(l->items[i]);
        bool same = str_eq(n, ip);
        free(n);
        if (same)
            return (long)i;
    }
    return -1;
}

/* Index of the subnet id in l (ids compare case-insensitively), or -1. */
static long
find_id(const struct kv_strlist *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (str_ieq(l->items[i], id))
            return (long)i;
    return -1;
}

/* A copy of l without item skip (-1: none). */
static void
copy_without(struct kv_strlist *dst, const struct kv_strlist *l, long skip)
{
    for (size_t i = 0; i < l->n; i++)
        if ((long)i != skip)
            kv_strlist_add(dst, l->items[i]);
}

/* The last path segment of an id ("snet-apps" of a subnet id): borrowed. */
static const char *
last_segment(const char *id)
{
    const char *s = strrchr(nz(id), '/');
    return s != NULL ? s + 1 : nz(id);
}

/* "vnet-hub/snet-apps" for a subnet id (caller frees). */
static char *
subnet_label(const char *id)
{
    const char *p = str_icontains(nz(id), "/virtualNetworks/");
    if (p == NULL)
        return xstrdup(nz(id));
    p += strlen("/virtualNetworks/");
    const char *sub = str_icontains(p, "/subnets/");
    if (sub == NULL)
        return xstrdup(p);
    return xasprintf("%.*s/%s", (int)(sub - p), p, last_segment(id));
}

/* The change as it applies to v: the new lists and settings, the
 * sentences, whether it closes access. */
struct net_edit {
    struct kv_strlist ips, subnets;
    const char *public_access;  /* "Enabled"/"Disabled" or NULL: left */
    const char *default_action; /* the result */
    struct buf text;
    size_t changes;
    bool closes, narrows;
};

static void
say(struct net_edit *ed, const char *sentence)
{
    buf_printf(&ed->text, "%s%s", ed->changes > 0 ? "; " : "", sentence);
    ed->changes++;
}

static void
net_edit_free(struct net_edit *ed)
{
    kv_strlist_free(&ed->ips);
    kv_strlist_free(&ed->subnets);
    buf_free(&ed->text);
}

/* The IP rule part of c applied to ed; a message when it is refused. */
static const char *
edit_ips(const struct kv_vault *v, const struct network_change *c,
         struct net_edit *ed)
{
    char *add = NULL, *rm = NULL;
    const char *why = NULL;
    long rm_at = -1;
    if (c->add_ip != NULL && (why = az_check_ip_rule(c->add_ip, &add)) != NULL)
        goto out;
    if (c->remove_ip != NULL &&
        (why = az_check_ip_rule(c->remove_ip, &rm)) != NULL)
        goto out;
    if (add != NULL && find_ip(&v->ip_rules, add) >= 0) {
        why = _("that IP rule is already there");
        goto out;
    }
    if (rm != NULL && (rm_at = find_ip(&v->ip_rules, rm)) < 0) {
        why = _("the vault has no such IP rule");
        goto out;
    }
    copy_without(&ed->ips, &v->ip_rules, rm_at);
    if (rm != NULL) {
        char *t = xasprintf(_("Remove IP rule %s"), rm);
        say(ed, t);
        free(t);
        ed->narrows = true;
    }
    if (add != NULL) {
        kv_strlist_add(&ed->ips, add);
        char *t = xasprintf(_("Add IP rule %s"), add);
        say(ed, t);
        free(t);
    }
out:
    free(add);
    free(rm);
    return why;
}

/* The virtual network rule part of c applied to ed. */
static const char *
edit_subnets(const struct kv_vault *v, const struct network_change *c,
             struct net_edit *ed)
{
    long rm_at = -1;
    if (c->add_subnet != NULL &&
        (*c->add_subnet != '/' ||
         str_icontains(c->add_subnet, "/subnets/") == NULL))
        return _("a virtual network rule names a subnet by its resource id "
                 "(/subscriptions/…/virtualNetworks/V/subnets/S)");
    if (c->add_subnet != NULL && find_id(&v->vnet_rules, c->add_subnet) >= 0)
        return _("that virtual network rule is already there");
    if (c->remove_subnet != NULL &&
        (rm_at = find_id(&v->vnet_rules, c->remove_subnet)) < 0)
        return _("the vault has no such virtual network rule");
    copy_without(&ed->subnets, &v->vnet_rules, rm_at);
    if (rm_at >= 0) {
        char *l = subnet_label(c->remove_subnet);
        char *t = xasprintf(_("Remove virtual network rule %s"), l);
        say(ed, t);
        free(t);
        free(l);
        ed->narrows = true;
    }
    if (c->add_subnet != NULL) {
        kv_strlist_add(&ed->subnets, c->add_subnet);
        char *l = subnet_label(c->add_subnet);
        char *t = xasprintf(_("Add virtual network rule %s (the subnet needs "
                              "the Microsoft.KeyVault service endpoint)"),
                            l);
        say(ed, t);
        free(t);
        free(l);
    }
    return NULL;
}

static bool
is_deny(const char *action)
{
    return action != NULL && str_ieq(action, "Deny");
}

static bool
is_disabled(const char *pna)
{
    return pna != NULL && str_ieq(pna, "Disabled");
}

/* The public access and default action parts of c applied to ed. */
static void
edit_switches(const struct kv_vault *v, const struct network_change *c,
              struct net_edit *ed)
{
    bool was_off = is_disabled(v->public_network_access);
    bool was_deny = is_deny(v->network_default_action);
    if (c->public_access == 0 && !was_off) {
        ed->public_access = "Disabled";
        say(ed, _("Turn public network access off (only private endpoints "
                  "reach the vault's data plane then)"));
        ed->closes = true;
    } else if (c->public_access == 1 && was_off) {
        ed->public_access = "Enabled";
        say(ed, _("Turn public network access on (the firewall rules "
                  "decide who reaches the data plane)"));
    }
    ed->default_action = was_deny ? "Deny" : "Allow";
    if (c->default_deny == 1 && !was_deny) {
        ed->default_action = "Deny";
        say(ed, _("Set the default action to Deny (only the rules below "
                  "and trusted services are let in)"));
        ed->narrows = true;
    } else if (c->default_deny == 0 && was_deny) {
        ed->default_action = "Allow";
        say(ed, _("Set the default action to Allow (every network is let "
                  "in)"));
    }
}

/* A PATCH body of the network: the lists, default action and public
 * access given, the vault's bypass. */
static char *
network_body(const struct kv_vault *v, const char *pna, const char *action,
             const struct kv_strlist *ips, const struct kv_strlist *subnets)
{
    struct az_vault_network n = {
        .public_network_access = pna,
        .default_action = action,
        .bypass = v->network_bypass,
        .ip_rules = ips,
        .vnet_rules = subnets,
    };
    return az_vault_network_body(&n);
}

const char *
plan_check_ip_rule(const char *s, char **norm)
{
    return az_check_ip_rule(s, norm);
}

struct plan *
plan_vault_network(const struct kv_vault *v, const struct network_change *c,
                   const char **why)
{
    struct net_edit ed = {.text = BUF_INIT};
    const char *w = NULL;
    if (v == NULL || v->id == NULL || c == NULL) {
        w = _("no vault to change");
        goto refuse;
    }
    edit_switches(v, c, &ed);
    if ((w = edit_ips(v, c, &ed)) != NULL ||
        (w = edit_subnets(v, c, &ed)) != NULL)
        goto refuse;
    if (ed.changes == 0) {
        w = _("this changes nothing in the vault's network");
        goto refuse;
    }
    /* narrowing under Deny, with the data plane still public, may shut
     * this host out */
    if (ed.narrows && is_deny(ed.default_action) &&
        !is_disabled(ed.public_access != NULL ? ed.public_access
                                              : v->public_network_access))
        ed.closes = true;
    char *t = xasprintf(_("Change the network of %s"), nz(v->name));
    struct plan *p = plan_new("vault-network", t);
    free(t);
    if (ed.closes)
        p->confirm_name = xstrdup(nz(v->name));
    const char *changes = buf_str(&ed.text);
    t = ed.closes ? xasprintf(_("%s (one PATCH of %s's network settings; "
                                "this may shut kvdeck on this host out of "
                                "the vault's data plane)"),
                              changes, nz(v->name))
                  : xasprintf(_("%s (one PATCH of %s's network settings)"),
                              changes, nz(v->name));
    struct plan_step *s = plan_add(p, &step_vault_network, v->id, "%s", t);
    free(t);
    s->args.arm_id = xstrdup(v->id);
    s->args.api_version = xstrdup(AZ_API_KEYVAULT);
    s->args.name = xstrdup(nz(v->name));
    s->args.body = network_body(v, ed.public_access, ed.default_action, &ed.ips,
                                &ed.subnets);
    /* the undo: the vault's settings as read */
    s->undo_args.arm_id = xstrdup(v->id);
    s->undo_args.api_version = xstrdup(AZ_API_KEYVAULT);
    s->undo_args.name = xstrdup(nz(v->name));
    s->undo_args.body = network_body(
        v, ed.public_access != NULL ? nz(v->public_network_access) : NULL,
        is_deny(v->network_default_action) ? "Deny" : "Allow", &v->ip_rules,
        &v->vnet_rules);
    if (ed.public_access != NULL && v->public_network_access == NULL) {
        /* not read: restoring it means Enabled (Azure's default) */
        free(s->undo_args.body);
        s->undo_args.body = network_body(
            v, "Enabled", is_deny(v->network_default_action) ? "Deny" : "Allow",
            &v->ip_rules, &v->vnet_rules);
    }
    net_edit_free(&ed);
    return p;
refuse:
    net_edit_free(&ed);
    if (why != NULL)
        *why = w;
    return NULL;
}

/* ---- private endpoint connections ------------------------------------ */

struct plan *
plan_endpoint_connection(const struct kv_endpoint_connection *c,
                         const char *vault_name, enum pec_action a,
                         const char *description)
{
    static const char *const kinds[] = {[PEC_APPROVE] = "pec-approve",
                                        [PEC_REJECT] = "pec-reject",
                                        [PEC_REMOVE] = "pec-remove"};
    static const struct step_ops *const ops[] = {
        [PEC_APPROVE] = &step_pec_approve,
        [PEC_REJECT] = &step_pec_reject,
        [PEC_REMOVE] = &step_pec_remove};
    const char *vault = nz(vault_name);
    const char *name = nz(c->name);
    const char *pe = c->private_endpoint_id != NULL
                         ? last_segment(c->private_endpoint_id)
                         : _("an unknown endpoint");
    const char *d = description != NULL ? description : "";
    char *title, *t;
    switch (a) {
    case PEC_APPROVE:
        title = xasprintf(_("Approve the connection %s to %s"), name, vault);
        t = xasprintf(_("Approve the private endpoint connection %s of %s "
                        "(endpoint %s) with the description \"%s\"; wait "
                        "until Azure says Succeeded"),
                      name, vault, pe, d);
        break;
    case PEC_REJECT:
        title = xasprintf(_("Reject the connection %s to %s"), name, vault);
        t = xasprintf(_("Reject the private endpoint connection %s of %s "
                        "(endpoint %s) with the description \"%s\": the "
                        "endpoint loses access, and a rejected connection "
                        "cannot be approved again"),
                      name, vault, pe, d);
        break;
    default:
        a = PEC_REMOVE;
        title = xasprintf(_("Remove the connection %s from %s"), name, vault);
        t = xasprintf(_("Remove the private endpoint connection %s from %s "
                        "(endpoint %s loses access; the endpoint itself "
                        "stays, disconnected)"),
                      name, vault, pe);
        break;
    }
    struct plan *p = plan_new(kinds[a], title);
    free(title);
    if (a != PEC_APPROVE)
        p->confirm_name = xstrdup(name);
    struct plan_step *s = plan_add(p, ops[a], c->id, "%s", t);
    free(t);
    s->args.arm_id = xstrdup(nz(c->id));
    s->args.api_version = xstrdup(AZ_API_KEYVAULT);
    s->args.name = xstrdup(name);
    if (a != PEC_REMOVE)
        s->args.body = az_pec_state_body(
            a == PEC_APPROVE ? "Approved" : "Rejected", d, c->etag);
    return p;
}
