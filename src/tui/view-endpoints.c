/*
 * view-endpoints.c — the endpoints pane: the opened vault's public network
 * access and network rules on top, then its private endpoint connections
 * with their state (Approved, Pending, Rejected, Disconnected).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/draw.h"
#include "tui/text.h"

static struct kv_endpoint_connection *
endpoints_at(struct app *a, struct view *v, size_t row)
{
    if (a->vault == NULL || row >= v->fi.n)
        return NULL;
    return a->vault->endpoints.items[v->fi.rows[row]];
}

static const char *
endpoints_text(void *ctx, size_t i)
{
    struct store_vault *sv = ctx;
    struct kv_endpoint_connection *c = sv->endpoints.items[i];
    return c->name;
}

static bool
endpoints_sync(struct app *a, struct view *v, unsigned changes)
{
    if (v->priv != a->vault || changes == ~0u ||
        (changes & (STORE_ENDPOINTS | STORE_VAULTS))) {
        if (v->priv != a->vault)
            listview_init(&v->lv);
        v->priv = a->vault;
        filter_index_set(&v->fi, v->fi.pattern,
                         a->vault ? a->vault->endpoints.len : 0, endpoints_text,
                         a->vault);
        listview_set_count(&v->lv, v->fi.n);
        return true;
    }
    return (changes & STORE_STATUS) != 0;
}

static void
endpoints_filter(struct app *a, struct view *v, const char *pattern)
{
    free(v->fi.pattern);
    v->fi.pattern = xstrdup(pattern);
    v->priv = NULL;
    endpoints_sync(a, v, ~0u);
}

static const struct load *
endpoints_load(struct app *a, struct view *v)
{
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

static void
endpoints_draw(struct app *a, struct view *v)
{
    int w = v->rect.w;
    char line[512];
    if (a->vault == NULL) {
        draw_text(a, v->win, 1, 1, w - 2,
                  _("open a vault: select it and press Enter"), ST_DIM, false);
        return;
    }
    const struct kv_vault *kv = a->vault->vault;
    const char *pna = kv->public_network_access;
    /* TRANSLATORS: the vault's publicNetworkAccess setting */
    snprintf(line, sizeof line, "%s ", _("Public network access:"));
    int x = draw_text(a, v->win, 1, 0, w, line, ST_NORMAL, false);
    draw_text(a, v->win, 1, x, w - x,
              pna ? (str_ieq(pna, "Enabled") ? _("Enabled") : _("Disabled"))
                  : _("unknown"),
              pna && str_ieq(pna, "Disabled") ? ST_OK : ST_WARNING, true);
    const char *def = kv->network_default_action;
    snprintf(line, sizeof line, "%s %s", _("Network rules: default action"),
             def ? (str_ieq(def, "Deny") ? _("Deny") : _("Allow"))
                 : _("Allow (no rules)"));
    draw_text(a, v->win, 2, 0, w, line, ST_NORMAL, true);
    int statw = 14;
    int namew = w - statw - 1;
    if (namew > 40)
        namew = 40;
    if (v->fi.n == 0) {
        /* on the line of the column headings */
        const struct load *l = &a->vault->endpoints_load;
        draw_text(a, v->win, 3, 1, w - 2,
                  l->state == LOAD_LOADING ? _("loading endpoints…")
                  : l->state == LOAD_FAILED
                      ? _("could not list the private endpoint connections")
                      : _("no private endpoint connections"),
                  ST_DIM, true);
        return;
    }
    /* The headings of the list below: what these rows are. */
    char name[300], state[64], head[512];
    text_fit(_("Private endpoint connection"), namew - 1, a->term.g.ellipsis,
             true, name, sizeof name);
    text_fit(_("State"), statw, a->term.g.ellipsis, true, state, sizeof state);
    snprintf(head, sizeof head, " %s %s %s", name, state, _("Description"));
    draw_text(a, v->win, 3, 0, w, head, ST_DIM, true);
    for (int y = 0; y < v->lv.height; y++) {
        size_t row = listview_row_at(&v->lv, y);
        struct kv_endpoint_connection *c = endpoints_at(a, v, row);
        if (c == NULL)
            break;
        bool sel = row == v->lv.cursor;
        attr_t at = draw_row_attr(a, v, sel);
        draw_text_attr(a, v->win, v->body_y + y, 0, w, "", at, true);
        snprintf(name, sizeof name, " %s", c->name ? c->name : "?");
        draw_text_attr(a, v->win, v->body_y + y, 0, namew, name, at, true);
        draw_text(a, v->win, v->body_y + y, namew + 1, statw,
                  c->status ? c->status : "?",
                  sel && a->focus == v->id ? ST_SELECTED
                                           : endpoints_status_style(c->status),
                  true);
        int dx = namew + 1 + statw + 1;
        if (dx < w)
            draw_text_attr(a, v->win, v->body_y + y, dx, w - dx,
                           c->description ? c->description : "", at, true);
    }
}

static enum view_result
endpoints_key(struct app *a, struct view *v, enum key_action act)
{
    switch (act) {
    case ACT_REFRESH:
        if (a->vault != NULL)
            store_load_endpoints(a->store, a->vault);
        return VIEW_REDRAW;
    case ACT_ENTER:
        app_focus(a, PANE_DETAIL);
        return VIEW_REDRAW_ALL;
    default:
        return VIEW_IGNORED;
    }
}

static void
endpoints_detail(struct app *a, struct view *v, struct buf *out)
{
    struct kv_endpoint_connection *c = endpoints_at(a, v, v->lv.cursor);
    if (c == NULL) {
        /* No connection to show: the vault the pane is about. */
        if (a->vault != NULL) {
            buf_printf(out, "%s: %s\n\n", _("Vault"), a->vault->vault->name);
            if (a->vault->vault->json != NULL)
                buf_puts(out, a->vault->vault->json);
        }
        return;
    }
    buf_printf(out, "%s: %s\n%s: %s\n%s: %s\n", _("Connection"), c->name,
               _("State"), c->status ? c->status : "-", _("Private endpoint"),
               c->private_endpoint_id ? c->private_endpoint_id : "-");
    if (c->json)
        buf_printf(out, "\n%s", c->json);
}

static const char *
endpoints_selected_name(struct app *a, struct view *v)
{
    struct kv_endpoint_connection *c = endpoints_at(a, v, v->lv.cursor);
    return c ? c->name : NULL;
}

const struct view_ops view_endpoints_ops = {
    .name = "endpoints",
    .title = endpoints_title,
    .load = endpoints_load,
    .draw = endpoints_draw,
    .key = endpoints_key,
    .sync = endpoints_sync,
    .filter = endpoints_filter,
    .detail = endpoints_detail,
    .selected_name = endpoints_selected_name,
    .top_lines = 3, /* public access, network rules, column headings */
};
