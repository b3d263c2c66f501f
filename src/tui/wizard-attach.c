/*
 * wizard-attach.c — the attach-a-private-endpoint wizard on the wizard
 * host (wizard.h). The pages (wizard-attach-pages.c): a VNet of the
 * listed subscriptions (the vault's region first), its subnet (with its
 * privateEndpointNetworkPolicies and free addresses), the endpoint's name
 * and group, DNS (the cloud's privatelink zone reused or created, or
 * managed by the user), the approval (automatic when the signed-in
 * principal may approve, else a request to the vault's owner) and,
 * with automatic approval, closing public network access after a check
 * of whether this host would still reach the vault. This file holds the
 * page table, the reads the pages need (JOB_LIST_VNETS,
 * JOB_GET_PERMISSIONS, JOB_LIST_DNS_ZONES, JOB_LIST_VNET_LINKS,
 * JOB_CHECK_DNS), the plan (plan_attach()) and the outcome: the
 * connection's state, the private IP, the A record and the DNS check.
 *
 * Nothing is sent but reads before Apply; Esc goes back a page, and on
 * the first page closes the wizard.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/job.h"
#include "tui/wizard-attach-int.h"
#include "tui/wizard-attach.h"
#include "tui/wizard-outcome.h"

#define WA_APPROVE_ACTION                                                      \
    "Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action"

/* ---- small readings ------------------------------------------------------ */

const struct kv_vnet *
wa_vnet(const struct wattach *wa)
{
    return wa->vnet_choice < wa->vnet_order.len
               ? wa->vnet_order.items[wa->vnet_choice]
               : NULL;
}

const struct kv_subnet *
wa_subnet(const struct wattach *wa)
{
    const struct kv_vnet *v = wa_vnet(wa);
    return v != NULL && wa->subnet_choice < v->n_subnets
               ? &v->subnets[wa->subnet_choice]
               : NULL;
}

bool
wa_may_approve(const struct wattach *wa)
{
    return wa->perms != NULL && kv_permits(wa->perms, WA_APPROVE_ACTION);
}

bool
wa_zone_linked(const struct wattach *wa)
{
    const struct kv_vnet *v = wa_vnet(wa);
    if (wa->zone == NULL || v == NULL)
        return false;
    for (size_t i = 0; i < wa->links.len; i++) {
        const struct kv_vnet_link *l = wa->links.items[i];
        if (str_ieq(l->vnet_id, v->id))
            return true;
    }
    return false;
}

static bool
wa_parse_ipv4(const char *s, unsigned long *out)
{
    unsigned a, b, c, d;
    char tail;
    if (s == NULL || sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 ||
        a > 255 || b > 255 || c > 255 || d > 255)
        return false;
    *out = (unsigned long)a << 24 | (unsigned long)b << 16 |
           (unsigned long)c << 8 | d;
    return true;
}

bool
wa_ip_in_prefix(const char *ip, const char *cidr)
{
    if (ip == NULL || cidr == NULL)
        return false;
    const char *slash = strchr(cidr, '/');
    char net[32];
    unsigned long a, n;
    int bits = slash != NULL ? atoi(slash + 1) : 32;
    snprintf(net, sizeof net, "%.*s",
             (int)(slash != NULL ? (size_t)(slash - cidr) : strlen(cidr)),
             cidr);
    if (!wa_parse_ipv4(ip, &a) || !wa_parse_ipv4(net, &n) || bits < 0 ||
        bits > 32)
        return false;
    unsigned long mask =
        bits == 0 ? 0 : (0xffffffffUL << (32 - bits)) & 0xffffffffUL;
    return (a & mask) == (n & mask);
}

bool
wa_dns_inside(const struct wattach *wa)
{
    const struct kv_subnet *s = wa_subnet(wa);
    if (wa->dns == NULL || s == NULL || !wa->dns->resolved)
        return false;
    for (size_t i = 0; i < wa->dns->addresses.n; i++)
        if (wa_ip_in_prefix(wa->dns->addresses.items[i], s->address_prefix))
            return true;
    return false;
}

void
wa_note_taken(struct app *a, struct wattach *wa)
{
    struct store_vault *sv = a->vault;
    if (sv == NULL || sv->vault == NULL ||
        !str_ieq(sv->vault->id, wa->vault->id))
        return; /* another vault opened since: keep what was noted */
    vec_free_all(&wa->taken, free);
    vec_init(&wa->taken);
    for (size_t i = 0; i < sv->endpoints.len; i++) {
        const struct kv_endpoint_connection *c = sv->endpoints.items[i];
        if (c->private_endpoint_id != NULL)
            vec_push(&wa->taken, xstrdup(c->private_endpoint_id));
    }
}

bool
wa_endpoint_taken(const struct wattach *wa, const char *group, const char *name)
{
    const struct kv_vnet *v = wa_vnet(wa);
    if (v == NULL)
        return false;
    char *id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                         "Microsoft.Network/privateEndpoints/%s",
                         v->subscription_id, group, name);
    bool taken = false;
    for (size_t i = 0; i < wa->taken.len && !taken; i++)
        taken = str_ieq(wa->taken.items[i], id);
    free(id);
    return taken;
}

char *
wa_record_name(const struct wattach *wa)
{
    return xasprintf("%s.%s", wa->vault->name, wa->zone_name);
}

/* ---- the reads ----------------------------------------------------------- */

static void
wa_load_reset(struct app *a, struct wa_load *l)
{
    if (l->job != 0)
        engine_cancel(a->eng, l->job);
    l->job = 0;
    l->done = false;
    free(l->error);
    l->error = NULL;
}

static void
wa_zone_free(void *z)
{
    kv_dns_zone_free(z);
}

static void
wa_link_free(void *l)
{
    kv_vnet_link_free(l);
}

static void
wa_vnet_free(void *v)
{
    kv_vnet_free(v);
}

void
wa_load_zones(struct app *a, struct wattach *wa, const char *sub_id)
{
    if (wa->zones_sub != NULL && str_ieq(wa->zones_sub, sub_id))
        return;
    free(wa->zones_sub);
    wa->zones_sub = xstrdup(sub_id);
    wa_load_reset(a, &wa->zones_load);
    wa_load_reset(a, &wa->links_load);
    vec_free_all(&wa->zones, wa_zone_free);
    vec_free_all(&wa->links, wa_link_free);
    wa->zone = NULL;
    wa->links_load.done = true; /* until a zone is found */
    wa->zones_load.job =
        wizard_submit(a, wa->w, job_list_dns_zones(sub_id, NULL));
}

void
wa_check_dns(struct app *a, struct wattach *wa)
{
    wa_load_reset(a, &wa->dns_load);
    kv_dns_check_free(wa->dns);
    wa->dns = NULL;
    const char *host =
        wa->vault->vault_uri != NULL ? wa->vault->vault_uri : wa->vault->name;
    wa->dns_load.job = wizard_submit(a, wa->w, job_check_dns(host, NULL));
}

/* The zones are in: the cloud's zone, and then its links. */
static void
wa_zones_done(struct app *a, struct wattach *wa)
{
    wa->zone = NULL;
    for (size_t i = 0; i < wa->zones.len && wa->zone == NULL; i++) {
        const struct kv_dns_zone *z = wa->zones.items[i];
        if (str_ieq(z->name, wa->zone_name))
            wa->zone = z;
    }
    if (wa->zone != NULL) {
        wa->links_load.done = false;
        wa->links_load.job =
            wizard_submit(a, wa->w, job_list_vnet_links(wa->zone->id));
    }
}

/* Whose read r answers, and where its items go; false: none of ours. */
static bool
wa_route(struct wattach *wa, struct result *r, struct wa_load **l,
         struct vec **into, void ***one)
{
    *into = NULL;
    *one = NULL;
    for (size_t i = 0; i < wa->n_vnet_loads; i++)
        if (wa->vnet_loads[i].job == r->job_id) {
            *l = &wa->vnet_loads[i];
            *into = &wa->vnets;
            return true;
        }
    if (r->job_id == wa->zones_load.job) {
        *l = &wa->zones_load;
        *into = &wa->zones;
    } else if (r->job_id == wa->links_load.job) {
        *l = &wa->links_load;
        *into = &wa->links;
    } else if (r->job_id == wa->perms_load.job) {
        *l = &wa->perms_load;
        *one = (void **)&wa->perms;
    } else if (r->job_id == wa->dns_load.job) {
        *l = &wa->dns_load;
        *one = (void **)&wa->dns;
    } else {
        return false;
    }
    return true;
}

static void
wa_on_result(struct app *a, struct wizard *w, struct result *r)
{
    struct wattach *wa = wizard_priv(w);
    struct wa_load *l;
    struct vec *into;
    void **one;
    if (r->job_id == 0 || !wa_route(wa, r, &l, &into, &one))
        return;
    switch (r->type) {
    case RESULT_PAGE:
        for (size_t i = 0; i < r->items.len; i++) {
            void *it = r->items.items[i];
            if (into != NULL) {
                vec_push(into, it);
            } else if (*one == NULL) {
                *one = it;
            } else if (r->free_item != NULL) {
                r->free_item(it);
            }
        }
        r->items.len = 0; /* taken */
        return;
    case RESULT_ERROR:
        free(l->error);
        l->error = xstrdup(r->message != NULL ? r->message
                                              : kv_status_message(r->status));
        /* fall through */
    case RESULT_DONE:
        l->done = true;
        l->job = 0;
        if (l == &wa->zones_load)
            wa_zones_done(a, wa);
        wizard_update(a, w);
        return;
    default:
        return;
    }
}

static const char *
wa_loading(struct app *a, struct wizard *w)
{
    (void)a;
    struct wattach *wa = wizard_priv(w);
    for (size_t i = 0; i < wa->n_vnet_loads; i++)
        if (!wa->vnet_loads[i].done)
            return _("Loading the subscriptions' virtual networks…");
    if (!wa->zones_load.done || !wa->links_load.done)
        return _("Looking for the private DNS zone and its links…");
    if (!wa->perms_load.done)
        return _("Reading whether you may approve the connection…");
    return _("Checking what this host resolves the vault's name to…");
}

/* ---- the host's ops ------------------------------------------------------ */

static const struct wa_page_ops {
    struct form *(*build)(struct app *a, struct wattach *wa);
    bool (*next)(struct app *a, struct wattach *wa, struct form *f);
} wa_pages[WA_PAGES] = {
    [WA_PAGE_VNET] = {.build = wa_vnet_page, .next = wa_vnet_next},
    [WA_PAGE_SUBNET] = {.build = wa_subnet_page, .next = wa_subnet_next},
    [WA_PAGE_NAME] = {.build = wa_name_page, .next = wa_name_next},
    [WA_PAGE_DNS] = {.build = wa_dns_page, .next = wa_dns_next},
    [WA_PAGE_APPROVAL] = {.build = wa_approval_page, .next = wa_approval_next},
    [WA_PAGE_PUBLIC] = {.build = wa_public_page, .next = wa_public_next},
};

static struct form *
wa_page(struct app *a, struct wizard *w, int i)
{
    return i >= 0 && i < WA_PAGES ? wa_pages[i].build(a, wizard_priv(w)) : NULL;
}

static bool
wa_next(struct app *a, struct wizard *w, int i, struct form *f)
{
    return i >= 0 && i < WA_PAGES && wa_pages[i].next(a, wizard_priv(w), f);
}

static struct plan *
wa_plan(struct app *a, struct wizard *w, char **why)
{
    (void)a;
    struct wattach *wa = wizard_priv(w);
    const struct kv_vnet *v = wa_vnet(wa);
    const struct kv_subnet *s = wa_subnet(wa);
    if (v == NULL || s == NULL) {
        *why = xstrdup(_("choose a virtual network and a subnet"));
        return NULL;
    }
    bool close = wa->close_public && !wa->manual;
    struct attach_spec spec = {
        .vault = wa->vault,
        .vnet = v,
        .subnet = s,
        .set_subnet_policy = wa->set_policy,
        .endpoint_name = wa->name,
        .endpoint_group = wa->group,
        .dns = wa->dns_mode,
        .zone_name = wa->zone_name,
        .zone_group =
            wa->dns_mode == ATTACH_DNS_NEW_ZONE ? wa->zone_group : NULL,
        .zone_id = wa->dns_mode == ATTACH_DNS_REUSE_ZONE && wa->zone != NULL
                       ? wa->zone->id
                       : NULL,
        .link_exists =
            wa->dns_mode == ATTACH_DNS_REUSE_ZONE && wa_zone_linked(wa),
        .manual = wa->manual,
        .request_message = wa->manual ? wa->message : NULL,
        .close_public_access = close,
        .check_outside = close && !wa_dns_inside(wa),
    };
    struct plan *p = plan_attach(&spec);
    if (p == NULL)
        *why = xstrdup(_("the endpoint's plan could not be made"));
    return p;
}

/* What exists after a plan that stopped: the steps done. */
static void
wa_say_done_steps(struct app *a, struct wizard *w, const struct plan *p)
{
    size_t done = 0;
    for (size_t i = 0; i < plan_steps(p); i++) {
        if (!plan_step_writes(p, i))
            continue;
        enum step_state st = plan_step_state(p, i);
        const struct plan_failure *f = plan_step_failure(p, i);
        /* a write Azure accepted and whose operation then failed: what
         * it made stays, failed */
        bool half = st == STEP_FAILED && f != NULL && f->http_status >= 200 &&
                    f->http_status < 300;
        if (st != STEP_DONE && !half)
            continue;
        if (done++ == 0)
            wizard_say(w, ST_NORMAL, "%s", _("What exists now (left as is):"));
        if (half)
            wizard_say(w, ST_WARNING,
                       _("  %s %s (accepted, then failed: it "
                         "stays in Azure, failed)"),
                       a->term.g.warn, plan_step_text(p, i));
        else
            wizard_say(w, ST_NORMAL, "  %s %s", a->term.g.yes,
                       plan_step_text(p, i));
    }
    if (done == 0)
        wizard_say(w, ST_NORMAL, "%s", _("Nothing was changed."));
}

/* The DNS check's result, in a sentence. */
static void
wa_say_dns(struct wizard *w, const struct kv_dns_check *c, const char *ip)
{
    if (c == NULL)
        return;
    if (!c->resolved) {
        wizard_say(w, ST_WARNING, _("DNS here: %s does not resolve (%s)."),
                   c->host, c->error != NULL ? c->error : _("no answer"));
        return;
    }
    char addrs[256] = "";
    size_t o = 0;
    for (size_t i = 0; i < c->addresses.n && o < sizeof addrs; i++)
        o += (size_t)snprintf(addrs + o, sizeof addrs - o, "%s%s",
                              i > 0 ? ", " : "", c->addresses.items[i]);
    if (c->matches)
        wizard_say(w, ST_OK,
                   _("DNS here: %s resolves to %s, the endpoint's address%s: "
                     "this host reaches the vault privately."),
                   c->host, addrs,
                   c->overridden ? _(" (a resolve line of the config)") : "");
    else
        wizard_say(w, ST_WARNING,
                   _("DNS here: %s resolves to %s, not to the endpoint's %s: "
                     "this host reaches the vault over the internet."),
                   c->host, addrs, ip != NULL ? ip : _("address"));
}

static void
wa_end(struct app *a, struct wizard *w, struct plan *p)
{
    struct wattach *wa = wizard_priv(w);
    struct store_vault *sv = a->vault;
    if (sv != NULL && sv->vault != NULL &&
        str_ieq(sv->vault->id, wa->vault->id))
        store_load_endpoints(a->store, sv);
    /* and the vault's network (public access), from its subscription */
    struct store_sub *sub =
        store_find_sub(a->store, wa->vault->subscription_id);
    if (sub != NULL)
        store_load_vaults(a->store, sub);
    if (!plan_finished(p)) {
        struct wizard_outcome o;
        wizard_outcome_read(p, &o);
        char *head = xasprintf(_("Attaching %s to vault %s stopped."), wa->name,
                               wa->vault->name);
        wizard_outcome_failure(a, w, &o, head);
        free(head);
        wa_say_done_steps(a, w, p);
        return;
    }
    const struct kv_private_endpoint *e = plan_result_endpoint(p);
    const char *ip = e != NULL ? e->private_ip : NULL;
    const char *state = e != NULL ? e->connection_status : NULL;
    if (plan_attach_pending(p)) {
        wizard_say(w, ST_WARNING,
                   _("%s Endpoint %s created: Pending — ask "
                     "the vault's owner."),
                   a->term.g.warn, wa->name);
        wizard_say(w, ST_NORMAL, "%s",
                   _("The vault's owner approves the connection in the "
                     "vault's endpoints pane (or the portal); until then no "
                     "traffic passes."));
    } else {
        wizard_say(w, ST_OK, _("%s Endpoint %s attached to vault %s."),
                   a->term.g.yes, wa->name, wa->vault->name);
    }
    wizard_say(w, ST_NORMAL, _("Connection: %s"),
               state != NULL ? state : _("unknown"));
    wizard_say(w, ST_NORMAL, _("Private IP: %s"),
               ip != NULL ? ip : _("unknown"));
    char *rec = wa_record_name(wa);
    if (wa->dns_mode == ATTACH_DNS_NONE)
        wizard_say(w, ST_WARNING,
                   _("Create this A record in your DNS: %s → %s"), rec,
                   ip != NULL ? ip : _("the private IP"));
    else
        wizard_say(w, ST_NORMAL, _("A record: %s → %s (zone group)"), rec,
                   ip != NULL ? ip : _("unknown"));
    free(rec);
    wa_say_dns(w, plan_result_dns(p), ip);
    if (wa->close_public && !wa->manual)
        wizard_say(w, ST_NORMAL, "%s",
                   _("Public network access is now disabled."));
    wizard_say(w, ST_NORMAL, "%s", "");
    wizard_say(w, ST_NORMAL, "%s",
               _("Enter closes this; the endpoints pane shows the "
                 "connection."));
}

static void
wa_free(void *priv)
{
    struct wattach *wa = priv;
    struct app *a = wa->a;
    for (size_t i = 0; i < wa->n_vnet_loads; i++)
        wa_load_reset(a, &wa->vnet_loads[i]);
    free(wa->vnet_loads);
    wa_load_reset(a, &wa->perms_load);
    wa_load_reset(a, &wa->zones_load);
    wa_load_reset(a, &wa->links_load);
    wa_load_reset(a, &wa->dns_load);
    vec_free(&wa->vnet_order);
    vec_free_all(&wa->taken, free);
    vec_free_all(&wa->vnets, wa_vnet_free);
    vec_free_all(&wa->zones, wa_zone_free);
    vec_free_all(&wa->links, wa_link_free);
    kv_permissions_free(wa->perms);
    kv_dns_check_free(wa->dns);
    kv_vault_free(wa->vault);
    free(wa->zones_sub);
    free(wa->name);
    free(wa->group);
    free(wa->zone_group);
    free(wa->message);
    free(wa);
}

static const struct wizard_ops attach_ops = {
    .name = "attach",
    .pages = WA_PAGES,
    .page = wa_page,
    .next = wa_next,
    .plan = wa_plan,
    .end = wa_end,
    .on_result = wa_on_result,
    .loading = wa_loading,
    .free = wa_free,
};

static char *
dup_or_null(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

void
wizard_attach_new(struct app *a)
{
    if (app_refuse_read_only(a))
        return;
    struct store_vault *sv = a->vault;
    if (sv == NULL) {
        app_message(a, false, "%s",
                    _("open a vault first (Enter in the vaults pane)"));
        return;
    }
    const struct kv_vault *v = sv->vault;
    if (sv->by_uri || v->id == NULL || v->subscription_id == NULL) {
        app_message(a, true, "%s",
                    _("this vault was opened by its address: kvdeck does not "
                      "know its Azure resource to attach an endpoint to"));
        return;
    }
    const char *zone = engine_private_dns_zone(a->eng);
    if (zone == NULL) {
        app_message(a, true, "%s",
                    _("this cloud has no private DNS zone for Key Vault"));
        return;
    }
    struct wattach *wa = xcalloc(1, sizeof *wa);
    wa->a = a;
    wa->zone_name = zone;
    wa->vault = xcalloc(1, sizeof *wa->vault);
    wa->vault->id = xstrdup(v->id);
    wa->vault->name = dup_or_null(v->name);
    wa->vault->subscription_id = dup_or_null(v->subscription_id);
    wa->vault->resource_group = dup_or_null(v->resource_group);
    wa->vault->location = dup_or_null(v->location);
    wa->vault->tenant_id = dup_or_null(v->tenant_id);
    wa->vault->vault_uri = dup_or_null(v->vault_uri);
    wa->vault->public_network_access = dup_or_null(v->public_network_access);
    wa->vault->endpoint_connections = v->endpoint_connections;
    wa->vault->network_default_action = dup_or_null(v->network_default_action);
    vec_init(&wa->taken);
    /* the vault's endpoints (names a new one must not take): listed
     * now unless the endpoints pane has them; wa_note_taken() reads
     * them when the name page is built */
    if (sv->endpoints_load.state == LOAD_NONE)
        store_load_endpoints(a->store, sv);
    vec_init(&wa->vnets);
    vec_init(&wa->vnet_order);
    vec_init(&wa->zones);
    vec_init(&wa->links);
    wa->dns_mode = ATTACH_DNS_NEW_ZONE;
    wa->links_load.done = wa->zones_load.done = true;
    char *title = xasprintf(_("Private endpoint for %s"), wa->vault->name);
    wa->w = wizard_push(a, &attach_ops, wa, title);
    free(title);
    /* the reads: VNets of every subscription listed (the vault's own
     * first), and whether the principal may approve */
    size_t n = a->store->subs.len > 0 ? a->store->subs.len : 1;
    wa->vnet_loads = xcalloc(n, sizeof *wa->vnet_loads);
    wa->vnet_loads[wa->n_vnet_loads++].job = wizard_submit(
        a, wa->w, job_list_vnets(wa->vault->subscription_id, NULL));
    for (size_t i = 0; i < a->store->subs.len && wa->n_vnet_loads < n; i++) {
        const char *id =
            ((struct store_sub *)a->store->subs.items[i])->sub->subscription_id;
        if (!str_ieq(id, wa->vault->subscription_id))
            wa->vnet_loads[wa->n_vnet_loads++].job =
                wizard_submit(a, wa->w, job_list_vnets(id, NULL));
    }
    wa->perms_load.job =
        wizard_submit(a, wa->w, job_get_permissions(wa->vault->id));
}
