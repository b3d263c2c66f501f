/*
 * view-vaults.c — the vaults pane: every vault of the chosen context
 * (all subscriptions, one subscription, or one resource group), streaming
 * in as each subscription's pages arrive. Enter opens a vault.
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

/* One vault row: name, region, group (and a state other than Succeeded). */
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
    char line[512];
    const char *mark = sv == a->vault ? a->term.g.dot : " ";
    if (w >= 60) {
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
    if (v->fi.n == 0) {
        const struct load *l = vaults_load(a, v);
        draw_empty(a, v,
                   l != NULL && l->state == LOAD_LOADING
                       ? _("loading vaults…")
                       : (v->fi.pattern[0] ? _("no vault matches the filter")
                                           : _("no vaults here")));
        return;
    }
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
        screen_deleted_vaults_push(
            a, a->ctx_sub != NULL ? a->ctx_sub->sub->subscription_id
               : sv != NULL       ? sv->vault->subscription_id
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
