/*
 * action-network.c — the endpoints pane's small plans (see
 * action-network.h): each key builds one plan from the vault as the
 * store has it (plan_vault_network(), plan_endpoint_connection()), which
 * action_run() reviews (the typed name when access closes or a
 * connection is cut), runs with its progress, then reloads the vault,
 * its connections and its secrets. Adding a virtual network rule lists
 * the subscription's virtual networks first (JOB_LIST_VNETS) and offers
 * their subnets.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/job.h"
#include "engine/plan.h"
#include "tui/action-network.h"
#include "tui/action.h"
#include "tui/widget-form.h"

/* The opened vault, when kvdeck knows its Azure resource. */
static struct store_vault *
net_vault(struct app *a)
{
    struct store_vault *sv = a->vault;
    if (sv == NULL) {
        app_message(a, false, "%s", _("open a vault first"));
        return NULL;
    }
    if (sv->by_uri || sv->vault->id == NULL) {
        app_message(a, true,
                    _("%s was opened by its URI: kvdeck does not know its "
                      "Azure resource (list it with Reader rights)"),
                    sv->vault->name);
        return NULL;
    }
    return sv;
}

/* Reviews and runs p (taken); then the vault, its connections and its
 * secrets are loaded again. */
static void
net_run(struct app *a, struct plan *p, struct screen *under,
        const struct kv_vault *v)
{
    struct action_reload r = {
        .vault_uri = v->vault_uri,
        .subscription_id = v->subscription_id,
        .endpoints_of = v->id,
    };
    action_run(a, p, under, &r);
}

/* A network change of the vault, or the reason it is none. */
static void
net_change(struct app *a, struct store_vault *sv,
           const struct network_change *c)
{
    const char *why = NULL;
    struct plan *p = plan_vault_network(sv->vault, c, &why);
    if (p == NULL) {
        app_message(a, true, "%s", why ? why : _("nothing to change"));
        return;
    }
    net_run(a, p, NULL, sv->vault);
}

static const struct network_change net_leave = {
    .public_access = -1,
    .default_deny = -1,
};

static void
net_public(struct app *a, struct store_vault *sv)
{
    struct network_change c = net_leave;
    const char *pna = sv->vault->public_network_access;
    /* Azure's default is Enabled when the vault does not say */
    c.public_access = pna != NULL && str_ieq(pna, "Disabled") ? 1 : 0;
    net_change(a, sv, &c);
}

static void
net_default(struct app *a, struct store_vault *sv)
{
    struct network_change c = net_leave;
    const char *def = sv->vault->network_default_action;
    c.default_deny = def != NULL && str_ieq(def, "Deny") ? 0 : 1;
    net_change(a, sv, &c);
}

/* ---- a form on the vault (IP rule; approve/reject) ---------------------- */

struct net_form {
    char *vault_id;
    char *conn; /* approve/reject: the connection's name */
    enum pec_action pec;
    size_t field;
    struct vec ids; /* VNet rule: subnet ids, in choice order */
    struct vec labels;
};

static void
net_form_free(void *ctx)
{
    struct net_form *nf = ctx;
    free(nf->vault_id);
    free(nf->conn);
    for (size_t i = 0; i < nf->ids.len; i++) {
        free(nf->ids.items[i]);
        free(nf->labels.items[i]);
    }
    vec_free(&nf->ids);
    vec_free(&nf->labels);
    free(nf);
}

/* The vault of a form, looked up again on submit. */
static struct store_vault *
net_form_vault(struct app *a, struct screen *s, const struct net_form *nf)
{
    struct store_vault *sv = store_find_vault(a->store, nf->vault_id);
    if (sv == NULL) {
        app_message(a, true, "%s", _("the vault is no longer listed"));
        screen_pop(a, s);
    }
    return sv;
}

static const char *
net_check_ip(const char *text, void *ctx)
{
    (void)ctx;
    return plan_check_ip_rule(text, NULL);
}

static void
net_ip_done(struct app *a, struct screen *s, struct form *f, bool submitted,
            void *ctx)
{
    struct net_form *nf = ctx;
    if (!submitted)
        return;
    struct store_vault *sv = net_form_vault(a, s, nf);
    if (sv == NULL)
        return;
    struct network_change c = net_leave;
    c.add_ip = form_text(f, nf->field);
    const char *why = NULL;
    struct plan *p = plan_vault_network(sv->vault, &c, &why);
    if (p == NULL) {
        form_set_error(f, nf->field, why ? why : _("nothing to change"));
        return;
    }
    net_run(a, p, s, sv->vault); /* the form goes with the review */
}

static void
net_add_ip(struct app *a, struct store_vault *sv)
{
    struct net_form *nf = xcalloc(1, sizeof *nf);
    nf->vault_id = xstrdup(sv->vault->id);
    struct form *f = form_new();
    char *info = xasprintf(_("An IP rule of vault %s: the addresses it lets "
                             "in when the default action is Deny."),
                           sv->vault->name);
    form_add_info(f, info);
    free(info);
    nf->field =
        form_add_text(f, _("Address or range"), NULL, 64, net_check_ip, NULL);
    form_set_hint(f, nf->field, _("203.0.113.7 or 203.0.113.0/24"));
    form_set_buttons(f, _("Review"), _("Cancel"));
    widget_form_push(a, _("Add an IP rule"), f, net_ip_done, nf, net_form_free);
}

/* ---- virtual network rule: the subscription's subnets ----------------- */

struct net_vnets {
    struct app *a;
    char *vault_id;
    struct vec vnets; /* struct kv_vnet * */
};

static void
net_vnets_free(struct net_vnets *nv)
{
    for (size_t i = 0; i < nv->vnets.len; i++)
        kv_vnet_free(nv->vnets.items[i]);
    vec_free(&nv->vnets);
    free(nv->vault_id);
    free(nv);
}

static void
net_vnet_done(struct app *a, struct screen *s, struct form *f, bool submitted,
              void *ctx)
{
    struct net_form *nf = ctx;
    if (!submitted)
        return;
    struct store_vault *sv = net_form_vault(a, s, nf);
    if (sv == NULL)
        return;
    struct network_change c = net_leave;
    c.add_subnet = nf->ids.items[form_choice(f, nf->field)];
    const char *why = NULL;
    struct plan *p = plan_vault_network(sv->vault, &c, &why);
    if (p == NULL) {
        form_set_error(f, nf->field, why ? why : _("nothing to change"));
        return;
    }
    net_run(a, p, s, sv->vault);
}

/* The virtual networks are listed: choose a subnet. */
static void
net_vnet_form(struct app *a, struct net_vnets *nv)
{
    struct store_vault *sv = store_find_vault(a->store, nv->vault_id);
    if (sv == NULL || sv != a->vault)
        return; /* another vault was opened meanwhile */
    struct net_form *nf = xcalloc(1, sizeof *nf);
    nf->vault_id = xstrdup(nv->vault_id);
    for (size_t i = 0; i < nv->vnets.len; i++) {
        const struct kv_vnet *vn = nv->vnets.items[i];
        for (size_t j = 0; j < vn->n_subnets; j++) {
            const struct kv_subnet *sn = &vn->subnets[j];
            if (sn->id == NULL)
                continue;
            vec_push(&nf->ids, xstrdup(sn->id));
            vec_push(&nf->labels,
                     xasprintf("%s/%s (%s)", vn->name ? vn->name : "?",
                               sn->name ? sn->name : "?",
                               sn->address_prefix ? sn->address_prefix
                                                  : _("unknown")));
        }
    }
    if (nf->ids.len == 0) {
        app_message(a, false, "%s",
                    _("no virtual network with a subnet in the vault's "
                      "subscription"));
        net_form_free(nf);
        return;
    }
    struct form *f = form_new();
    char *info = xasprintf(_("A virtual network rule of vault %s lets in a "
                             "subnet of the vault's subscription (the subnet "
                             "needs the Microsoft.KeyVault service "
                             "endpoint)."),
                           sv->vault->name);
    form_add_info(f, info);
    free(info);
    nf->field =
        form_add_choice(f, _("Subnet"), (const char *const *)nf->labels.items,
                        nf->labels.len, 0);
    form_set_hint(f, nf->field, _("Left/Right or Space: another subnet"));
    form_set_buttons(f, _("Review"), _("Cancel"));
    widget_form_push(a, _("Add a virtual network rule"), f, net_vnet_done, nf,
                     net_form_free);
}

static void
net_vnets_deliver(void *ctx, struct result *r)
{
    struct net_vnets *nv = ctx;
    struct app *a = nv->a;
    switch (r->type) {
    case RESULT_PAGE:
        for (size_t i = 0; i < r->items.len; i++) {
            vec_push(&nv->vnets, r->items.items[i]);
            r->items.items[i] = NULL;
        }
        return;
    case RESULT_ERROR:
        app_message(a, true, _("could not list the virtual networks: %s"),
                    r->message ? r->message : kv_status_message(r->status));
        net_vnets_free(nv);
        return;
    case RESULT_DONE:
        net_vnet_form(a, nv);
        net_vnets_free(nv);
        return;
    default:
        return;
    }
}

static void
net_add_vnet(struct app *a, struct store_vault *sv)
{
    if (sv->vault->subscription_id == NULL) {
        app_message(a, true, "%s", _("the vault's subscription is unknown"));
        return;
    }
    struct net_vnets *nv = xcalloc(1, sizeof *nv);
    nv->a = a;
    nv->vault_id = xstrdup(sv->vault->id);
    struct job *j = job_list_vnets(sv->vault->subscription_id, NULL);
    j->deliver = net_vnets_deliver;
    j->ctx = nv;
    if (engine_submit(a->eng, j) == 0) {
        app_message(a, true, "%s", _("the engine is not running"));
        net_vnets_free(nv);
        return;
    }
    app_message(a, false, "%s",
                _("listing the virtual networks of the vault's "
                  "subscription…"));
}

/* ---- private endpoint connections ------------------------------------- */

static const struct kv_endpoint_connection *
net_find_conn(const struct store_vault *sv, const char *name)
{
    for (size_t i = 0; i < sv->endpoints.len; i++) {
        const struct kv_endpoint_connection *c = sv->endpoints.items[i];
        if (c->name != NULL && str_eq(c->name, name))
            return c;
    }
    return NULL;
}

static void
net_pec_done(struct app *a, struct screen *s, struct form *f, bool submitted,
             void *ctx)
{
    struct net_form *nf = ctx;
    if (!submitted)
        return;
    struct store_vault *sv = net_form_vault(a, s, nf);
    if (sv == NULL)
        return;
    const struct kv_endpoint_connection *c = net_find_conn(sv, nf->conn);
    if (c == NULL) {
        app_message(a, true, _("the connection %s is no longer listed"),
                    nf->conn);
        screen_pop(a, s);
        return;
    }
    const char *d = form_text(f, nf->field);
    struct plan *p = plan_endpoint_connection(c, sv->vault->name, nf->pec,
                                              d[0] != '\0' ? d : NULL);
    if (p == NULL) {
        form_set_error(f, nf->field, _("kvdeck cannot change this connection"));
        return;
    }
    net_run(a, p, s, sv->vault);
}

/* The last segment of a resource id (the detail pane has the whole id),
 * or "unknown". */
static const char *
net_last(const char *id)
{
    const char *s = id != NULL ? strrchr(id, '/') : NULL;
    return s != NULL && s[1] != '\0' ? s + 1 : id != NULL ? id : _("unknown");
}

static void
net_pec(struct app *a, struct store_vault *sv,
        const struct kv_endpoint_connection *c, enum pec_action act)
{
    if (act == PEC_REMOVE) {
        struct plan *p =
            plan_endpoint_connection(c, sv->vault->name, act, NULL);
        if (p == NULL) {
            app_message(a, true, "%s",
                        _("kvdeck cannot remove this connection"));
            return;
        }
        net_run(a, p, NULL, sv->vault);
        return;
    }
    const char *want = act == PEC_APPROVE ? "Approved" : "Rejected";
    if (c->status != NULL && str_ieq(c->status, want)) {
        app_message(a, false,
                    act == PEC_APPROVE ? _("%s is approved already")
                                       : _("%s is rejected already"),
                    c->name);
        return;
    }
    if (act == PEC_APPROVE && c->status != NULL &&
        str_ieq(c->status, "Rejected")) {
        app_message(a, true,
                    _("%s was rejected: Azure cannot approve it again (remove "
                      "it; its owner requests a new one)"),
                    c->name);
        return;
    }
    struct net_form *nf = xcalloc(1, sizeof *nf);
    nf->vault_id = xstrdup(sv->vault->id);
    nf->conn = xstrdup(c->name);
    nf->pec = act;
    struct form *f = form_new();
    char *info = xasprintf(
        act == PEC_APPROVE
            ? _("Approve %s: the endpoint %s then reaches vault %s.")
            : _("Reject %s: the endpoint %s loses vault %s for good (a "
                "rejected connection cannot be approved again)."),
        c->name, net_last(c->private_endpoint_id), sv->vault->name);
    form_add_info(f, info);
    free(info);
    if (c->description != NULL) {
        info = xasprintf(_("Its request: %s"), c->description);
        form_add_info(f, info);
        free(info);
    }
    nf->field = form_add_text(
        f, _("Description"),
        act == PEC_APPROVE ? _("Approved with kvdeck") : NULL, 140, NULL, NULL);
    form_set_hint(f, nf->field, _("what the endpoint's owner reads"));
    form_set_buttons(f, _("Review"), _("Cancel"));
    widget_form_push(a,
                     act == PEC_APPROVE ? _("Approve the connection")
                                        : _("Reject the connection"),
                     f, net_pec_done, nf, net_form_free);
}

/* ---- the keys ------------------------------------------------------------ */

/* D: the selected rule or connection. */
static void
net_remove(struct app *a, struct store_vault *sv,
           const struct endpoints_selection *sel)
{
    struct network_change c = net_leave;
    if (sel->connection != NULL) {
        net_pec(a, sv, sel->connection, PEC_REMOVE);
        return;
    }
    c.remove_ip = sel->ip_rule;
    c.remove_subnet = sel->vnet_rule;
    net_change(a, sv, &c);
}

void
action_network_key(struct app *a, enum key_action act)
{
    if (app_refuse_read_only(a))
        return;
    struct store_vault *sv = net_vault(a);
    if (sv == NULL)
        return;
    struct endpoints_selection sel;
    bool have = view_endpoints_selected(a, &sel);
    switch (act) {
    case ACT_PUBLIC_ACCESS:
        net_public(a, sv);
        return;
    case ACT_DEFAULT_ACTION:
        net_default(a, sv);
        return;
    case ACT_ADD_IP_RULE:
        net_add_ip(a, sv);
        return;
    case ACT_ADD_VNET_RULE:
        net_add_vnet(a, sv);
        return;
    case ACT_APPROVE:
    case ACT_REJECT:
        if (!have || sel.connection == NULL) {
            app_message(a, false, "%s",
                        _("select a private endpoint connection first"));
            return;
        }
        net_pec(a, sv, sel.connection,
                act == ACT_APPROVE ? PEC_APPROVE : PEC_REJECT);
        return;
    case ACT_DELETE:
        if (!have) {
            app_message(a, false, "%s",
                        _("select an IP rule, a virtual network rule or a "
                          "connection to remove it"));
            return;
        }
        net_remove(a, sv, &sel);
        return;
    default:
        return;
    }
}
