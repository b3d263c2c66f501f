/*
 * view-vaults.c — the vaults pane: every vault of the chosen context
 * (all subscriptions, one subscription, or one resource group), streaming
 * in as each subscription's pages arrive. Enter opens a vault. On a
 * wide terminal (LAYOUT_WIDE_VAULTS columns, the pane then two thirds of
 * it) the rows are a table under column headings: name, location,
 * resource group, SKU and permission model.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "tui/draw.h"
#include "tui/text.h"
#include "tui/wizard-vault.h"

struct vaults_priv {
    struct app *app;
    struct load agg; /* borrowed strings: never load_clear()ed */
    char text[512];
};

static struct vaults_priv *
vaults_priv(struct view *v)
{
    if (v->priv == NULL)
        v->priv = xcalloc(1, sizeof(struct vaults_priv));
    return v->priv;
}

static struct store_vault *
vaults_at(struct app *a, struct view *v, size_t row)
{
    if (row >= v->fi.n)
        return NULL;
    return a->store->vaults.items[v->fi.rows[row]];
}

static bool
vaults_keep(void *ctx, size_t i)
{
    struct app *a = ctx;
    struct store_vault *sv = a->store->vaults.items[i];
    if (sv->by_uri)
        return a->ctx_sub == NULL;
    if (a->ctx_sub != NULL &&
        !str_ieq(sv->vault->subscription_id, a->ctx_sub->sub->subscription_id))
        return false;
    if (a->ctx_group != NULL &&
        !str_ieq(sv->vault->resource_group, a->ctx_group))
        return false;
    return true;
}

static const char *
vaults_text(void *ctx, size_t i)
{
    struct app *a = ctx;
    struct vaults_priv *p = a->views[PANE_VAULTS].priv;
    struct kv_vault *kv =
        ((struct store_vault *)a->store->vaults.items[i])->vault;
    snprintf(p->text, sizeof p->text, "%s %s %s", kv->name ? kv->name : "",
             kv->resource_group ? kv->resource_group : "",
             kv->location ? kv->location : "");
    return p->text;
}

/* Rebuilds the index (context or filter changed, or vaults removed). */
static void
vaults_rebuild(struct app *a, struct view *v)
{
    size_t keep_src = v->lv.n > 0 && v->lv.cursor < v->fi.n
                          ? v->fi.rows[v->lv.cursor]
                          : (size_t)-1;
    struct store_vault *keep = keep_src != (size_t)-1 &&
                                       keep_src < a->store->vaults.len &&
                                       v->epoch == a->store->vaults_epoch
                                   ? a->store->vaults.items[keep_src]
                                   : NULL;
    v->fi.keep = vaults_keep;
    filter_index_set(&v->fi, v->fi.pattern, a->store->vaults.len, vaults_text,
                     a);
    v->epoch = a->store->vaults_epoch;
    listview_set_count(&v->lv, v->fi.n);
    if (keep != NULL)
        for (size_t i = 0; i < v->fi.n; i++)
            if (a->store->vaults.items[v->fi.rows[i]] == keep) {
                listview_select(&v->lv, i);
                break;
            }
}

static bool
vaults_sync(struct app *a, struct view *v, unsigned changes)
{
    vaults_priv(v)->app = a;
    if (changes & (STORE_REMOVED | STORE_SUBS) ||
        v->epoch != a->store->vaults_epoch || changes == ~0u) {
        vaults_rebuild(a, v);
        return true;
    }
    if (changes & STORE_VAULTS) {
        v->fi.keep = vaults_keep;
        filter_index_extend(&v->fi, a->store->vaults.len, vaults_text, a);
        listview_set_count(&v->lv, v->fi.n);
        return true; /* an update in place may change visible rows */
    }
    return (changes & STORE_STATUS) != 0;
}

static void
vaults_filter(struct app *a, struct view *v, const char *pattern)
{
    free(v->fi.pattern);
    v->fi.pattern = xstrdup(pattern);
    vaults_rebuild(a, v);
}

static const struct load *
vaults_load(struct app *a, struct view *v)
{
    if (a->ctx_sub != NULL)
        return &a->ctx_sub->vaults_load;
    struct vaults_priv *p = vaults_priv(v);
    memset(&p->agg, 0, sizeof p->agg);
    const struct load *failed = NULL;
    bool loading = false, any = false;
    int64_t oldest = 0;
    for (size_t i = 0; i < a->store->subs.len; i++) {
        struct store_sub *sub = a->store->subs.items[i];
        const struct load *l = &sub->vaults_load;
        if (l->state == LOAD_NONE)
            continue;
        any = true;
        if (l->state == LOAD_LOADING) {
            loading = true;
            if (l->progress != NULL && p->agg.progress == NULL)
                p->agg.progress = l->progress;
        } else if (l->state == LOAD_FAILED && failed == NULL)
            failed = l;
        else if (oldest == 0 || l->loaded_at < oldest)
            oldest = l->loaded_at;
    }
    if (!any)
        return a->store->subs_load.state == LOAD_NONE ? NULL
                                                      : &a->store->subs_load;
    if (loading) {
        p->agg.state = LOAD_LOADING;
    } else if (failed != NULL) {
        p->agg = *failed;
        p->agg.progress = NULL;
    } else {
        p->agg.state = LOAD_FRESH;
        p->agg.loaded_at = oldest;
    }
    if (loading && failed != NULL) {
        /* Keep showing the failure while others still load. */
        p->agg.status = failed->status;
        p->agg.http_status = failed->http_status;
        p->agg.error_code = failed->error_code;
        p->agg.message = failed->message;
        p->agg.request_id = failed->request_id;
    }
    return &p->agg;
}

static void
vaults_title(struct app *a, struct view *v, char *buf, size_t n)
{
    snprintf(buf, n, _("Vaults (%zu)"), v->fi.n);
}

/* The table's column widths, each with its separating blank; 0: the
 * column is left out. */
struct vaults_cols {
    int name, loc, group, sku, perm;
    bool short_perm; /* "RBAC" / "policies" instead of the long forms */
};

/* True when the pane shows the table (and its headings on line 1). */
static bool
vaults_wide(const struct app *a, const struct view *v)
{
    return a->lay.cols >= LAYOUT_WIDE_VAULTS && !a->lay.single &&
           v->rect.w >= 60;
}

/* Widths for a pane of w columns (the first holds the opened-vault mark):
 * what every column needs first, then the group takes what is left, up
 * to 40, after the permission model and the name got their full
 * widths back. Vault names have at most 24 characters. */
static void
vaults_cols(int w, struct vaults_cols *c)
{
    int avail = w - 1;
    *c = (struct vaults_cols){
        .name = 21, .loc = 12, .sku = 9, .perm = 9, .short_perm = true};
    int rest = avail - c->name - c->loc - c->sku - c->perm;
    if (rest < 10) { /* narrower than the layout ever makes it */
        c->sku = 0;
        rest += 9;
    }
    int more = rest - 16 > 0 ? rest - 16 : 0; /* beyond a 16-wide group */
    /* the long forms as wide as their translation needs (up to 24) */
    int permw = text_width(_("access policies"));
    const char *other[] = {_("Azure RBAC"), _("Permissions")};
    for (size_t i = 0; i < 2; i++)
        if (text_width(other[i]) > permw)
            permw = text_width(other[i]);
    permw = permw + 1 > 24 ? 24 : permw + 1 < 9 ? 9 : permw + 1;
    if (more >= permw - c->perm) {
        more -= permw - c->perm;
        c->perm = permw, c->short_perm = false;
    }
    int n = more < 4 ? more : 4; /* the name: 25 */
    c->name += n, more -= n;
    n = more < 3 ? more : 3; /* the location: 15 */
    c->loc += n, more -= n;
    c->group = avail - c->name - c->loc - c->sku - c->perm;
    if (c->group > 41)
        c->group = 41;
}

/* Column headings, aligned with the rows. */
static void
vaults_draw_header(struct app *a, struct view *v, int y)
{
    struct vaults_cols c;
    vaults_cols(v->rect.w, &c);
    const char *e = a->term.g.ellipsis;
    char name[128], loc[128], grp[200], sku[64], perm[128], line[1024];
    text_fit(_("Name"), c.name - 1, e, true, name, sizeof name);
    text_fit(_("Location"), c.loc - 1, e, true, loc, sizeof loc);
    /* the short headings when the long ones would be cut */
    const char *g = _("Resource group"), *p = _("Permissions");
    if (text_width(g) > c.group - 1)
        /* TRANSLATORS: short heading of the vaults' resource group column */
        g = _("Group");
    if (text_width(p) > c.perm - 1)
        /* TRANSLATORS: short heading of the vaults' permission model
         * column (its values: "RBAC", "policies"), 8 columns */
        p = _("Access");
    text_fit(g, c.group - 1, e, true, grp, sizeof grp);
    text_fit(c.sku ? _("SKU") : "", c.sku > 0 ? c.sku - 1 : 0, e, true, sku,
             sizeof sku);
    text_fit(p, c.perm - 1, e, false, perm, sizeof perm);
    snprintf(line, sizeof line, " %s %s %s %s%s%s", name, loc, grp, sku,
             c.sku ? " " : "", perm);
    draw_text(a, v->win, y, 0, v->rect.w, line, ST_DIM, true);
}

/* A table row: the same columns as the headings, then a provisioning
 * state other than Succeeded. */
static void
vaults_wide_row(struct app *a, struct view *v, const struct kv_vault *kv,
                const char *mark, char *line, size_t n)
{
    struct vaults_cols c;
    vaults_cols(v->rect.w, &c);
    const char *e = a->term.g.ellipsis;
    char name[128], loc[128], grp[200], sku[64], perm[128];
    text_fit(kv->name ? kv->name : "?", c.name - 1, e, true, name, sizeof name);
    text_fit(kv->location ? kv->location : "", c.loc - 1, e, true, loc,
             sizeof loc);
    text_fit(kv->resource_group ? kv->resource_group : "", c.group - 1, e, true,
             grp, sizeof grp);
    text_fit(c.sku && kv->sku ? kv->sku : "", c.sku > 0 ? c.sku - 1 : 0, e,
             true, sku, sizeof sku);
    const char *model =
        kv->id == NULL ? "" /* opened by URI: not known */
        /* TRANSLATORS: the permission model in the vaults' table when
         * it is narrow (8 columns): Azure RBAC, or access policies */
        : c.short_perm ? (kv->rbac ? _("RBAC") : _("policies"))
        : kv->rbac     ? _("Azure RBAC")
                       : _("access policies");
    bool odd =
        kv->provisioning_state && !str_eq(kv->provisioning_state, "Succeeded");
    text_fit(model, c.perm - 1, e, odd, perm, sizeof perm);
    snprintf(line, n, "%s%s %s %s %s%s%s%s%s", mark, name, loc, grp, sku,
             c.sku ? " " : "", perm, odd ? " " : "",
             odd ? kv->provisioning_state : "");
}

/* One vault row: name, region, group (and a state other than Succeeded);
 * the table's columns when the pane is wide. */
static void
vaults_draw_row(struct app *a, struct view *v, size_t row, int y)
{
    int w = v->rect.w;
    struct store_vault *sv = vaults_at(a, v, row);
    if (sv == NULL)
        return;
    struct kv_vault *kv = sv->vault;
    bool sel = row == v->lv.cursor;
    attr_t at = draw_row_attr(a, v, sel);
    char line[1024];
    const char *mark = sv == a->vault ? a->term.g.dot : " ";
    if (vaults_wide(a, v)) {
        vaults_wide_row(a, v, kv, mark, line, sizeof line);
    } else if (w >= 60) {
        int namew = 25, locw = 13;
        char name[200], loc[64], grp[200];
        bool odd = kv->provisioning_state &&
                   !str_eq(kv->provisioning_state, "Succeeded");
        text_fit(kv->name ? kv->name : "?", namew - 1, a->term.g.ellipsis, true,
                 name, sizeof name);
        text_fit(kv->location ? kv->location : "", locw - 1, a->term.g.ellipsis,
                 true, loc, sizeof loc);
        snprintf(grp, sizeof grp, "%s%s%s",
                 kv->resource_group ? kv->resource_group : "", odd ? "  " : "",
                 odd ? kv->provisioning_state : "");
        snprintf(line, sizeof line, "%s%s %s %s", mark, name, loc, grp);
    } else {
        snprintf(line, sizeof line, "%s%s", mark, kv->name ? kv->name : "?");
    }
    draw_text_attr(a, v->win, y, 0, w, line, at, true);
}

static void
vaults_draw(struct app *a, struct view *v)
{
    /* the headings take line 1 when the pane is wide */
    int body_y = vaults_wide(a, v) ? 2 : 1;
    if (v->body_y != body_y) {
        v->body_y = body_y;
        listview_set_height(&v->lv, v->rect.h - v->body_y);
    }
    if (v->fi.n == 0) {
        const struct load *l = vaults_load(a, v);
        draw_empty(a, v,
                   l != NULL && l->state == LOAD_LOADING
                       ? _("loading vaults…")
                       : (v->fi.pattern[0] ? _("no vault matches the filter")
                                           : _("no vaults here")));
        return;
    }
    if (body_y == 2)
        vaults_draw_header(a, v, 1);
    for (int y = 0; y < v->lv.height; y++) {
        size_t row = listview_row_at(&v->lv, y);
        if (row == (size_t)-1)
            break;
        vaults_draw_row(a, v, row, v->body_y + y);
    }
}

static enum view_result
vaults_key(struct app *a, struct view *v, enum key_action act)
{
    struct store_vault *sv = vaults_at(a, v, v->lv.cursor);
    switch (act) {
    case ACT_ENTER:
    case ACT_SECRETS:
        if (sv == NULL)
            return VIEW_HANDLED;
        app_open_vault(a, sv, PANE_SECRETS);
        return VIEW_REDRAW_ALL;
    case ACT_ENDPOINTS:
        if (sv == NULL)
            return VIEW_HANDLED;
        app_open_vault(a, sv, PANE_ENDPOINTS);
        return VIEW_REDRAW_ALL;
    case ACT_REFRESH:
        if (a->ctx_sub != NULL)
            store_load_vaults(a->store, a->ctx_sub);
        else
            store_load_all_vaults(a->store);
        /* the vault under the cursor from Resource Manager, whatever the
         * list came from (Resource Graph lags) */
        store_refresh_vault(a->store, sv);
        return VIEW_REDRAW;
    /* the vault's life cycle (wizard-vault.h) */
    case ACT_DELETE:
        action_vault_delete(a, sv);
        return VIEW_HANDLED;
    case ACT_EDIT:
        action_vault_tags(a, sv);
        return VIEW_HANDLED;
    case ACT_PURGE_PROTECTION:
        action_vault_protect(a, sv);
        return VIEW_HANDLED;
    case ACT_DELETED:
        screen_deleted_vaults_push(a, a->ctx_sub != NULL
                                          ? a->ctx_sub->sub->subscription_id
                                      : sv != NULL ? sv->vault->subscription_id
                                                   : NULL);
        return VIEW_HANDLED;
    case ACT_RECOVER:
    case ACT_PURGE:
        app_message(a, false, "%s",
                    _("x shows the deleted vaults; recover or purge them "
                      "there"));
        return VIEW_HANDLED;
    default:
        return VIEW_IGNORED;
    }
}

static void
vaults_detail(struct app *a, struct view *v, struct buf *out)
{
    struct store_vault *sv = vaults_at(a, v, v->lv.cursor);
    if (sv == NULL)
        return;
    struct kv_vault *kv = sv->vault;
    buf_printf(out, "%s: %s\n", _("Vault"), kv->name ? kv->name : "?");
    if (kv->vault_uri)
        buf_printf(out, "%s: %s\n", _("URI"), kv->vault_uri);
    if (sv->by_uri) {
        /* no Resource Manager answer was read: nothing to default from */
        const char *unk = _("unknown");
        buf_printf(out, "%s: %s  %s: %s\n", _("Location"), unk, _("SKU"), unk);
        buf_printf(out, "%s: %s  %s: %s\n", _("Permissions"), unk,
                   _("Purge protection"), unk);
    }
    if (kv->location && !sv->by_uri)
        buf_printf(out, "%s: %s  %s: %s\n", _("Location"), kv->location,
                   _("SKU"), kv->sku ? kv->sku : "-");
    if (kv->id && !sv->by_uri)
        buf_printf(out, "%s: %s  %s: %s\n", _("Permissions"),
                   kv->rbac ? _("Azure RBAC") : _("access policies"),
                   _("Purge protection"),
                   kv->purge_protection ? _("on") : _("off"));
    if (kv->json) {
        buf_puts(out, "\n");
        buf_puts(out, kv->json);
    } else if (sv->by_uri) {
        buf_printf(out, "\n%s\n",
                   _("Opened by URI: no Azure Resource Manager data."));
    }
}

static const char *
vaults_selected_name(struct app *a, struct view *v)
{
    struct store_vault *sv = vaults_at(a, v, v->lv.cursor);
    return sv ? sv->vault->name : NULL;
}

static void
vaults_destroy(struct view *v)
{
    free(v->priv);
    v->priv = NULL;
}

const struct view_ops view_vaults_ops = {
    .name = "vaults",
    .title = vaults_title,
    .load = vaults_load,
    .draw = vaults_draw,
    .key = vaults_key,
    .sync = vaults_sync,
    .filter = vaults_filter,
    .detail = vaults_detail,
    .selected_name = vaults_selected_name,
    .draw_row = vaults_draw_row,
    .destroy = vaults_destroy,
};
