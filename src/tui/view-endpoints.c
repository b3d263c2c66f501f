/*
 * view-endpoints.c — the endpoints pane: the opened vault's reachability.
 * On top, public network access and the network rules' default action
 * and bypass (or that no rule applies: every network may connect); then
 * one list of the IP rules, the virtual network rules and the private
 * endpoint connections, each connection followed by its endpoint's
 * resource id, subnet, private IP and the A records of its DNS zone
 * group. A value kvdeck could not read says "unknown", never a default.
 *
 * Keys here (action-network.c): p public access, f default action, i an
 * IP rule, V a virtual network rule, A/J approve/reject the connection,
 * D removes the selected rule or connection; each a plan with a review.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/action-network.h"
#include "tui/draw.h"
#include "tui/text.h"

/* One line of the list. Lines under a connection (its endpoint, subnet
 * and DNS records) select the connection. */
enum ep_kind {
    EP_NOTE,        /* a sentence ("no IP rules"), text in note */
    EP_IP,          /* vault->ip_rules.items[i] */
    EP_VNET,        /* vault->vnet_rules.items[i] */
    EP_CONN,        /* endpoints.items[i] */
    EP_CONN_MSG,    /* its description (the request or the answer) */
    EP_CONN_ID,     /* its private endpoint */
    EP_CONN_NET,    /* its private IP (or why the endpoint is unknown) */
    EP_CONN_SUBNET, /* its subnet */
    EP_CONN_DNS,    /* its zone groups' record j */
};

struct ep_row {
    enum ep_kind kind;
    size_t i, j;
    const char *note; /* EP_NOTE: static, translated */
};

struct ep_priv {
    struct store_vault *vault; /* the vault the rows are for */
    struct ep_row *rows;
    size_t n, cap;
};

static struct ep_priv *
ep_priv(struct view *v)
{
    if (v->priv == NULL)
        v->priv = xcalloc(1, sizeof(struct ep_priv));
    return v->priv;
}

static void
ep_add(struct ep_priv *p, enum ep_kind k, size_t i, size_t j, const char *note)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->rows = xreallocarray(p->rows, p->cap, sizeof *p->rows);
    }
    p->rows[p->n++] = (struct ep_row){.kind = k, .i = i, .j = j, .note = note};
}

/* "NAME (group GROUP)" of a private endpoint's resource id (the detail
 * pane has the whole id), else the id. */
static const char *
ep_endpoint_short(const char *id, char *buf, size_t n)
{
    const char *rg = id ? str_icontains(id, "/resourceGroups/") : NULL;
    const char *nm = id ? strrchr(id, '/') : NULL;
    if (rg == NULL || nm == NULL)
        return id ? id : "";
    rg += strlen("/resourceGroups/");
    const char *rge = strchr(rg, '/');
    if (rge == NULL)
        return id;
    /* TRANSLATORS: a private endpoint and its resource group */
    snprintf(buf, n, _("%s in %.*s"), nm + 1, (int)(rge - rg), rg);
    return buf;
}

/* "vnet/subnet" of a subnet's resource id, else the id. */
static const char *
ep_subnet_short(const char *id, char *buf, size_t n)
{
    const char *vn = id ? str_icontains(id, "/virtualNetworks/") : NULL;
    if (vn == NULL)
        return id ? id : "";
    vn += strlen("/virtualNetworks/");
    const char *sn = str_icontains(vn, "/subnets/");
    if (sn == NULL)
        return id;
    snprintf(buf, n, "%.*s/%s", (int)(sn - vn), vn, sn + strlen("/subnets/"));
    return buf;
}

/* The vault carries networkAcls (a default action is one of them). */
static bool
ep_has_acls(const struct kv_vault *kv)
{
    return kv->has_network_acls || kv->network_default_action != NULL;
}

static void
ep_build(struct app *a, struct ep_priv *p)
{
    p->n = 0;
    p->vault = a->vault;
    if (a->vault == NULL)
        return;
    const struct kv_vault *kv = a->vault->vault;
    if (ep_has_acls(kv)) {
        for (size_t i = 0; i < kv->ip_rules.n; i++)
            ep_add(p, EP_IP, i, 0, NULL);
        if (kv->ip_rules.n == 0)
            ep_add(p, EP_NOTE, 0, 0, _("No IP rules."));
        for (size_t i = 0; i < kv->vnet_rules.n; i++)
            ep_add(p, EP_VNET, i, 0, NULL);
        if (kv->vnet_rules.n == 0)
            ep_add(p, EP_NOTE, 0, 0, _("No virtual network rules."));
    }
    const struct load *l = &a->vault->endpoints_load;
    if (a->vault->endpoints.len > 0)
        ep_add(p, EP_NOTE, 0, 0, _("Private endpoint connections:"));
    for (size_t i = 0; i < a->vault->endpoints.len; i++) {
        const struct kv_endpoint_connection *c = a->vault->endpoints.items[i];
        ep_add(p, EP_CONN, i, 0, NULL);
        if (c->description != NULL && c->description[0] != '\0')
            ep_add(p, EP_CONN_MSG, i, 0, NULL);
        ep_add(p, EP_CONN_ID, i, 0, NULL);
        ep_add(p, EP_CONN_NET, i, 0, NULL);
        if (c->endpoint_read)
            ep_add(p, EP_CONN_SUBNET, i, 0, NULL);
        for (size_t j = 0; c->endpoint_read && j < c->n_records; j++)
            ep_add(p, EP_CONN_DNS, i, j, NULL);
        if (c->endpoint_read && c->n_records == 0)
            ep_add(p, EP_CONN_DNS, i, (size_t)-1, NULL);
    }
    if (a->vault->endpoints.len == 0)
        ep_add(p, EP_NOTE, 0, 0,
               l->state == LOAD_LOADING || l->state == LOAD_NONE
                   ? _("loading the private endpoint connections…")
               : l->state == LOAD_FAILED
                   ? _("could not list the private endpoint connections")
                   : _("No private endpoint connections."));
}

/* Rule i of a list, "" when the vault changed under the rows (they are
 * built again at the next store change). */
static const char *
ep_rule(const struct kv_strlist *l, size_t i)
{
    return i < l->n && l->items[i] != NULL ? l->items[i] : "";
}

static struct kv_endpoint_connection *
ep_conn(struct app *a, size_t i)
{
    return a->vault != NULL && i < a->vault->endpoints.len
               ? a->vault->endpoints.items[i]
               : NULL;
}

/* The text a row is filtered by: its rule or connection. */
static const char *
ep_row_text(void *ctx, size_t r)
{
    struct app *a = ctx;
    struct ep_priv *p = a->views[PANE_ENDPOINTS].priv;
    const struct ep_row *row = &p->rows[r];
    const struct kv_vault *kv = a->vault->vault;
    switch (row->kind) {
    case EP_IP:
        return ep_rule(&kv->ip_rules, row->i);
    case EP_VNET:
        return ep_rule(&kv->vnet_rules, row->i);
    case EP_NOTE:
        return row->note;
    default: {
        struct kv_endpoint_connection *c = ep_conn(a, row->i);
        return c && c->name ? c->name : "";
    }
    }
}

static const struct ep_row *
ep_row_at(struct app *a, struct view *v, size_t d)
{
    struct ep_priv *p = ep_priv(v);
    if (a->vault == NULL || p->vault != a->vault || d >= v->fi.n)
        return NULL;
    return &p->rows[v->fi.rows[d]];
}

bool
view_endpoints_selected(struct app *a, struct endpoints_selection *out)
{
    memset(out, 0, sizeof *out);
    struct view *v = &a->views[PANE_ENDPOINTS];
    if (v->priv == NULL)
        return false;
    const struct ep_row *row = ep_row_at(a, v, v->lv.cursor);
    if (row == NULL)
        return false;
    const struct kv_vault *kv = a->vault->vault;
    switch (row->kind) {
    case EP_IP:
        out->ip_rule = ep_rule(&kv->ip_rules, row->i);
        return true;
    case EP_VNET:
        out->vnet_rule = ep_rule(&kv->vnet_rules, row->i);
        return true;
    case EP_NOTE:
        return false;
    default:
        out->connection = ep_conn(a, row->i);
        return out->connection != NULL;
    }
}

static bool
endpoints_sync(struct app *a, struct view *v, unsigned changes)
{
    struct ep_priv *p = ep_priv(v);
    if (p->vault != a->vault || changes == ~0u ||
        (changes & (STORE_ENDPOINTS | STORE_VAULTS | STORE_STATUS))) {
        if (p->vault != a->vault)
            listview_init(&v->lv);
        ep_build(a, p);
        filter_index_set(&v->fi, v->fi.pattern, p->n, ep_row_text, a);
        listview_set_count(&v->lv, v->fi.n);
        return true;
    }
    return false;
}

static void
endpoints_filter(struct app *a, struct view *v, const char *pattern)
{
    free(v->fi.pattern);
    v->fi.pattern = xstrdup(pattern);
    endpoints_sync(a, v, ~0u);
}

static const struct load *
endpoints_load(struct app *a, struct view *v)
{
    (void)v;
    return a->vault ? &a->vault->endpoints_load : NULL;
}

static void
endpoints_title(struct app *a, struct view *v, char *buf, size_t n)
{
    if (a->vault == NULL)
        snprintf(buf, n, "%s", _("Endpoints"));
    else if (v->rect.w < 50)
        snprintf(buf, n, _("Endpoints (%zu)"), a->vault->endpoints.len);
    else
        snprintf(buf, n, _("Endpoints of %s (%zu)"), a->vault->vault->name,
                 a->vault->endpoints.len);
}

static enum style
endpoints_status_style(const char *status)
{
    if (str_ieq(status, "Approved"))
        return ST_OK;
    if (str_ieq(status, "Pending"))
        return ST_WARNING;
    return ST_ERROR;
}

/* "label value" on line y; the value in style st. */
static int
ep_pair(struct app *a, struct view *v, int y, int x, const char *label,
        const char *value, enum style st)
{
    int w = v->rect.w;
    if (x >= w)
        return x;
    x += draw_text(a, v->win, y, x, w - x, label, ST_NORMAL, false);
    if (x < w)
        x += draw_text(a, v->win, y, x, 1, " ", ST_NORMAL, false);
    if (x < w)
        x += draw_text(a, v->win, y, x, w - x, value, st, false);
    return x;
}

/* Lines 1 and 2: public network access; default action and bypass. */
static void
ep_draw_top(struct app *a, struct view *v)
{
    const struct kv_vault *kv = a->vault->vault;
    const char *pna = kv->public_network_access;
    const char *unknown = _("unknown");
    draw_text(a, v->win, 1, 0, v->rect.w, "", ST_NORMAL, true);
    draw_text(a, v->win, 2, 0, v->rect.w, "", ST_NORMAL, true);
    ep_pair(a, v, 1, 1, _("Public network access:"),
            pna == NULL                ? unknown
            : str_ieq(pna, "Disabled") ? _("Disabled")
            : str_ieq(pna, "Enabled")  ? _("Enabled")
                                       : pna,
            pna == NULL                ? ST_DIM
            : str_ieq(pna, "Disabled") ? ST_OK
                                       : ST_WARNING);
    if (a->vault->by_uri) {
        /* opened by URI: Resource Manager was never read, so whether
         * any rule applies is not known (not "every network") */
        ep_pair(a, v, 2, 1, _("Network rules:"), unknown, ST_DIM);
        return;
    }
    if (!ep_has_acls(kv)) {
        bool off = pna != NULL && str_ieq(pna, "Disabled");
        draw_text(a, v->win, 2, 1, v->rect.w - 1,
                  off ? _("No network rules: private endpoints only.")
                      : _("No network rules: every network may connect."),
                  off ? ST_NORMAL : ST_WARNING, false);
        return;
    }
    const char *def = kv->network_default_action;
    int x = ep_pair(a, v, 2, 1, _("Default action:"),
                    def == NULL             ? unknown
                    : str_ieq(def, "Deny")  ? _("Deny")
                    : str_ieq(def, "Allow") ? _("Allow")
                                            : def,
                    def == NULL            ? ST_DIM
                    : str_ieq(def, "Deny") ? ST_OK
                                           : ST_WARNING);
    const char *by = kv->network_bypass;
    ep_pair(a, v, 2, x + 3, _("Bypass:"),
            by == NULL                     ? unknown
            : str_ieq(by, "AzureServices") ? _("Azure services")
            : str_ieq(by, "None")          ? _("none")
                                           : by,
            by == NULL ? ST_DIM : ST_NORMAL);
}

/* A label in the first column, then the text. */
static void
ep_draw_line(struct app *a, struct view *v, int y, attr_t at, int indent,
             const char *label, const char *text)
{
    char line[1024], lab[128];
    /* the texts start in column 11 whatever the indent */
    text_fit(label, 10 - indent, a->term.g.ellipsis, true, lab, sizeof lab);
    snprintf(line, sizeof line, "%*s%s %s", indent, "", lab, text);
    draw_text_attr(a, v->win, y, 0, v->rect.w, line, at, true);
}

static void
ep_draw_conn(struct app *a, struct view *v, int y, attr_t at, bool sel,
             const struct kv_endpoint_connection *c)
{
    int w = v->rect.w;
    char name[300];
    /* the names' column: the longest name, so the states line up */
    int namew = 8;
    for (size_t i = 0; i < a->vault->endpoints.len; i++) {
        const struct kv_endpoint_connection *o = a->vault->endpoints.items[i];
        int nw = o->name ? text_width(o->name) + 2 : 0;
        if (nw > namew)
            namew = nw;
    }
    if (namew > w - 15)
        namew = w - 15 > 8 ? w - 15 : 8;
    draw_text_attr(a, v->win, y, 0, w, "", at, true);
    text_fit(c->name ? c->name : "?", namew - 1, a->term.g.ellipsis, true, name,
             sizeof name);
    draw_text_attr(a, v->win, y, 1, namew, name, at, true);
    if (namew + 1 < w)
        draw_text(a, v->win, y, namew + 1, 13,
                  c->status ? c->status : _("unknown"),
                  sel && a->focus == v->id ? ST_SELECTED
                  : c->status == NULL      ? ST_DIM
                                           : endpoints_status_style(c->status),
                  true);
}

static void
ep_draw_row(struct app *a, struct view *v, size_t d, int y)
{
    const struct ep_row *row = ep_row_at(a, v, d);
    if (row == NULL)
        return;
    bool sel = d == v->lv.cursor;
    attr_t at = draw_row_attr(a, v, sel);
    const struct kv_vault *kv = a->vault->vault;
    const struct kv_endpoint_connection *c = NULL;
    if (row->kind >= EP_CONN)
        c = ep_conn(a, row->i);
    char buf[600], sn[300];
    const char *unknown = _("unknown");
    switch (row->kind) {
    case EP_NOTE:
        draw_text_attr(a, v->win, y, 0, v->rect.w, "", at, true);
        draw_text(a, v->win, y, 1, v->rect.w - 1, row->note,
                  sel && a->focus == v->id ? ST_SELECTED : ST_DIM, true);
        return;
    case EP_IP:
        ep_draw_line(a, v, y, at, 1, _("IP rule"),
                     ep_rule(&kv->ip_rules, row->i));
        return;
    case EP_VNET:
        ep_draw_line(
            a, v, y, at, 1, _("VNet rule"),
            ep_subnet_short(ep_rule(&kv->vnet_rules, row->i), sn, sizeof sn));
        return;
    case EP_CONN:
        if (c != NULL)
            ep_draw_conn(a, v, y, at, sel, c);
        return;
    case EP_CONN_MSG:
        ep_draw_line(a, v, y, at, 2, _("message"),
                     c && c->description ? c->description : "");
        return;
    case EP_CONN_SUBNET:
        ep_draw_line(a, v, y, at, 2, _("subnet"),
                     c && c->subnet_id
                         ? ep_subnet_short(c->subnet_id, sn, sizeof sn)
                         : unknown);
        return;
    case EP_CONN_ID:
        ep_draw_line(
            a, v, y, at, 2, _("endpoint"),
            c && c->private_endpoint_id
                ? ep_endpoint_short(c->private_endpoint_id, sn, sizeof sn)
                : unknown);
        return;
    case EP_CONN_NET:
        if (c == NULL)
            return;
        if (!c->endpoint_read) {
            snprintf(buf, sizeof buf, "%s%s%s", unknown,
                     c->endpoint_error ? ": " : "",
                     c->endpoint_error ? c->endpoint_error : "");
            ep_draw_line(a, v, y, at, 2, _("IP"), buf);
            return;
        }
        ep_draw_line(a, v, y, at, 2, _("IP"),
                     c->private_ip ? c->private_ip : unknown);
        return;
    case EP_CONN_DNS:
        if (c == NULL)
            return;
        if (row->j == (size_t)-1 || row->j >= c->n_records) {
            ep_draw_line(a, v, y, at, 2, _("DNS"),
                         c->zone_groups_read ? _("no zone group: no A record "
                                                 "kept for it")
                                             : unknown);
            return;
        }
        {
            const struct kv_dns_record *r = &c->records[row->j];
            struct buf b = BUF_INIT;
            for (size_t k = 0; k < r->addresses.n; k++)
                buf_printf(&b, "%s ", r->addresses.items[k]);
            buf_puts(&b, r->fqdn ? r->fqdn : "?");
            ep_draw_line(a, v, y, at, 2, _("DNS"), buf_str(&b));
            buf_free(&b);
        }
        return;
    }
}

static void
endpoints_draw(struct app *a, struct view *v)
{
    if (a->vault == NULL) {
        draw_text(a, v->win, 1, 1, v->rect.w - 2,
                  _("open a vault: select it and press Enter"), ST_DIM, false);
        return;
    }
    if (ep_priv(v)->vault != a->vault)
        endpoints_sync(a, v, ~0u);
    ep_draw_top(a, v);
    for (int y = 0; y < v->lv.height; y++) {
        size_t d = listview_row_at(&v->lv, y);
        if (d == (size_t)-1 || d >= v->fi.n)
            break;
        ep_draw_row(a, v, d, v->body_y + y);
    }
}

static void
endpoints_draw_one(struct app *a, struct view *v, size_t row, int y)
{
    ep_draw_row(a, v, row, y);
}

static enum view_result
endpoints_key(struct app *a, struct view *v, enum key_action act)
{
    (void)v;
    switch (act) {
    case ACT_REFRESH:
        if (a->vault != NULL) {
            store_load_endpoints(a->store, a->vault);
            if (a->vault->vault->subscription_id != NULL) {
                struct store_sub *sub =
                    store_find_sub(a->store, a->vault->vault->subscription_id);
                if (sub != NULL)
                    store_load_vaults(a->store, sub);
            }
        }
        return VIEW_REDRAW;
    case ACT_ENTER:
        app_focus(a, PANE_DETAIL);
        return VIEW_REDRAW_ALL;
    case ACT_PUBLIC_ACCESS:
    case ACT_DEFAULT_ACTION:
    case ACT_ADD_IP_RULE:
    case ACT_ADD_VNET_RULE:
    case ACT_APPROVE:
    case ACT_REJECT:
    case ACT_DELETE:
        action_network_key(a, act);
        return VIEW_HANDLED;
    default:
        return VIEW_IGNORED;
    }
}

static void
endpoints_detail(struct app *a, struct view *v, struct buf *out)
{
    struct endpoints_selection sel;
    (void)v;
    if (a->vault == NULL)
        return;
    if (!view_endpoints_selected(a, &sel) || sel.connection == NULL) {
        /* A rule or nothing: the vault the pane is about. */
        buf_printf(out, "%s: %s\n", _("Vault"), a->vault->vault->name);
        if (sel.ip_rule != NULL)
            buf_printf(out, "%s: %s\n", _("IP rule"), sel.ip_rule);
        if (sel.vnet_rule != NULL)
            buf_printf(out, "%s: %s\n", _("Virtual network rule"),
                       sel.vnet_rule);
        if (a->vault->vault->json != NULL)
            buf_printf(out, "\n%s", a->vault->vault->json);
        return;
    }
    const struct kv_endpoint_connection *c = sel.connection;
    const char *unknown = _("unknown");
    buf_printf(out, "%s: %s\n%s: %s\n%s: %s\n", _("Connection"), c->name,
               _("State"), c->status ? c->status : unknown, _("Description"),
               c->description ? c->description : "-");
    buf_printf(out, "%s: %s\n", _("Private endpoint"),
               c->private_endpoint_id ? c->private_endpoint_id : unknown);
    if (c->endpoint_read) {
        buf_printf(out, "%s: %s\n%s: %s\n%s: %s\n", _("Subnet"),
                   c->subnet_id ? c->subnet_id : unknown, _("Private IP"),
                   c->private_ip ? c->private_ip : unknown, _("Region"),
                   c->endpoint_location ? c->endpoint_location : unknown);
        for (size_t j = 0; j < c->n_records; j++) {
            buf_printf(out, "%s: %s A", _("DNS"),
                       c->records[j].fqdn ? c->records[j].fqdn : "?");
            for (size_t k = 0; k < c->records[j].addresses.n; k++)
                buf_printf(out, " %s", c->records[j].addresses.items[k]);
            buf_puts(out, "\n");
        }
    } else {
        buf_printf(out, "%s: %s%s%s\n", _("Endpoint"), unknown,
                   c->endpoint_error ? ": " : "",
                   c->endpoint_error ? c->endpoint_error : "");
    }
    if (c->json)
        buf_printf(out, "\n%s", c->json);
}

static const char *
endpoints_selected_name(struct app *a, struct view *v)
{
    (void)v;
    struct endpoints_selection sel;
    if (!view_endpoints_selected(a, &sel))
        return NULL;
    return sel.connection ? sel.connection->name
           : sel.ip_rule  ? sel.ip_rule
                          : NULL;
}

static void
endpoints_destroy(struct view *v)
{
    struct ep_priv *p = v->priv;
    if (p == NULL)
        return;
    free(p->rows);
    free(p);
    v->priv = NULL;
}

const struct view_ops view_endpoints_ops = {
    .name = "endpoints",
    .title = endpoints_title,
    .load = endpoints_load,
    .draw = endpoints_draw,
    .draw_row = endpoints_draw_one,
    .key = endpoints_key,
    .sync = endpoints_sync,
    .filter = endpoints_filter,
    .detail = endpoints_detail,
    .selected_name = endpoints_selected_name,
    .destroy = endpoints_destroy,
    .top_lines = 2, /* public access; default action and bypass */
};
