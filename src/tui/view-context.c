/*
 * view-context.c — the context pane: cloud and tenant on top, then "All
 * subscriptions", each subscription, and (expanded) its resource groups.
 * Enter picks the context the vaults pane shows.
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

struct ctx_row {
    struct store_sub *sub; /* NULL: "All subscriptions" */
    struct kv_group *group;
};

struct ctx_priv {
    struct ctx_row *rows;
    size_t n, cap;
    struct vec expanded; /* struct store_sub * */
};

static struct ctx_priv *
ctx_priv(struct view *v)
{
    if (v->priv == NULL)
        v->priv = xcalloc(1, sizeof(struct ctx_priv));
    return v->priv;
}

static bool
ctx_is_expanded(struct ctx_priv *p, struct store_sub *sub)
{
    for (size_t i = 0; i < p->expanded.len; i++)
        if (p->expanded.items[i] == sub)
            return true;
    return false;
}

static void
ctx_push(struct ctx_priv *p, struct store_sub *sub, struct kv_group *g)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->rows = xreallocarray(p->rows, p->cap, sizeof *p->rows);
    }
    p->rows[p->n].sub = sub;
    p->rows[p->n].group = g;
    p->n++;
}

static void
ctx_rebuild(struct app *a, struct view *v)
{
    struct ctx_priv *p = ctx_priv(v);
    struct ctx_row keep = {NULL, NULL};
    bool had = v->lv.cursor < p->n;
    if (had)
        keep = p->rows[v->lv.cursor];
    p->n = 0;
    const char *pat = v->fi.pattern;
    ctx_push(p, NULL, NULL);
    for (size_t i = 0; i < a->store->subs.len; i++) {
        struct store_sub *sub = a->store->subs.items[i];
        bool exp = ctx_is_expanded(p, sub);
        bool sub_match = filter_match(pat, sub->sub->display_name) ||
                         filter_match(pat, sub->sub->subscription_id);
        size_t first = p->n;
        ctx_push(p, sub, NULL);
        bool any_group = false;
        if (exp || pat[0] != '\0')
            for (size_t j = 0; j < sub->groups.len; j++) {
                struct kv_group *g = sub->groups.items[j];
                if (!sub_match && !filter_match(pat, g->name))
                    continue;
                if (!exp && sub_match)
                    continue;
                ctx_push(p, sub, g);
                any_group = true;
            }
        if (!sub_match && !any_group)
            p->n = first;
    }
    listview_set_count(&v->lv, p->n);
    if (had)
        for (size_t i = 0; i < p->n; i++)
            if (p->rows[i].sub == keep.sub && p->rows[i].group == keep.group) {
                listview_select(&v->lv, i);
                break;
            }
}

static bool
ctx_sync(struct app *a, struct view *v, unsigned changes)
{
    if (changes & (STORE_SUBS | STORE_GROUPS) || changes == ~0u) {
        if (changes & STORE_GROUPS || changes == ~0u) {
            /* Group pointers may have been replaced: keep the cursor on
             * the subscription, not on a freed group. */
            struct ctx_priv *p = ctx_priv(v);
            if (v->lv.cursor < p->n)
                p->rows[v->lv.cursor].group = NULL;
        }
        ctx_rebuild(a, v);
        return true;
    }
    return (changes & STORE_STATUS) != 0;
}

static void
ctx_filter(struct app *a, struct view *v, const char *pattern)
{
    free(v->fi.pattern);
    v->fi.pattern = xstrdup(pattern);
    ctx_rebuild(a, v);
}

static const struct load *
ctx_load(struct app *a, struct view *v)
{
    struct ctx_priv *p = ctx_priv(v);
    if (v->lv.cursor < p->n && p->rows[v->lv.cursor].sub != NULL &&
        p->rows[v->lv.cursor].sub->groups_load.state != LOAD_NONE &&
        ctx_is_expanded(p, p->rows[v->lv.cursor].sub))
        return &p->rows[v->lv.cursor].sub->groups_load;
    return &a->store->subs_load;
}

static void
ctx_title(struct app *a, struct view *v, char *buf, size_t n)
{
    snprintf(buf, n, _("Context (%zu)"), a->store->subs.len);
}

static void
ctx_draw(struct app *a, struct view *v)
{
    struct ctx_priv *p = ctx_priv(v);
    int w = v->rect.w;
    /* First line: cloud and tenant (not selectable). */
    char info[300];
    const char *tenant = NULL;
    if (a->ctx_sub != NULL)
        tenant = a->ctx_sub->sub->tenant_id;
    else if (a->store->subs.len > 0)
        tenant = ((struct store_sub *)a->store->subs.items[0])->sub->tenant_id;
    if (w >= 50)
        snprintf(info, sizeof info, "%s %s  %s %s", _("Cloud:"),
                 engine_cloud_name(a->eng), _("Tenant:"),
                 tenant ? tenant : "-");
    else
        snprintf(info, sizeof info, "%s %s %s", engine_cloud_name(a->eng),
                 a->term.g.dot, tenant ? tenant : "-");
    draw_text(a, v->win, 1, 0, w, info, ST_DIM, true);
    for (int y = 0; y < v->lv.height; y++) {
        size_t row = listview_row_at(&v->lv, y);
        if (row == (size_t)-1)
            break;
        struct ctx_row *r = &p->rows[row];
        bool sel = row == v->lv.cursor;
        bool chosen =
            r->sub == a->ctx_sub &&
            (r->group == NULL ? a->ctx_group == NULL
                              : a->ctx_group != NULL &&
                                    str_ieq(r->group->name, a->ctx_group));
        char line[512];
        if (r->sub == NULL) {
            snprintf(line, sizeof line, "%s%s", chosen ? a->term.g.dot : " ",
                     _("All subscriptions"));
        } else if (r->group == NULL) {
            const char *st = r->sub->sub->state;
            snprintf(line, sizeof line, "%s%s %s%s%s%s",
                     chosen ? a->term.g.dot : " ",
                     ctx_is_expanded(p, r->sub) ? a->term.g.expanded
                                                : a->term.g.collapsed,
                     r->sub->sub->display_name ? r->sub->sub->display_name
                                               : r->sub->sub->subscription_id,
                     st && !str_eq(st, "Enabled") ? " (" : "",
                     st && !str_eq(st, "Enabled") ? st : "",
                     st && !str_eq(st, "Enabled") ? ")" : "");
        } else {
            snprintf(line, sizeof line, "%s   %s", chosen ? a->term.g.dot : " ",
                     r->group->name);
        }
        draw_text_attr(a, v->win, v->body_y + y, 0, w, line,
                       draw_row_attr(a, v, sel), true);
    }
}

static void
ctx_toggle(struct app *a, struct view *v, struct store_sub *sub, bool open)
{
    struct ctx_priv *p = ctx_priv(v);
    for (size_t i = 0; i < p->expanded.len; i++)
        if (p->expanded.items[i] == sub) {
            if (!open)
                vec_remove(&p->expanded, i);
            ctx_rebuild(a, v);
            return;
        }
    if (!open)
        return;
    vec_push(&p->expanded, sub);
    if (sub->groups_load.state == LOAD_NONE)
        store_load_groups(a->store, sub);
    ctx_rebuild(a, v);
}

static enum view_result
ctx_key(struct app *a, struct view *v, enum key_action act)
{
    struct ctx_priv *p = ctx_priv(v);
    struct ctx_row *r = v->lv.cursor < p->n ? &p->rows[v->lv.cursor] : NULL;
    switch (act) {
    case ACT_ENTER:
        if (r == NULL)
            return VIEW_HANDLED;
        if (r->sub != NULL && r->group == NULL)
            ctx_toggle(a, v, r->sub, true);
        app_set_context(a, r->sub, r->group ? r->group->name : NULL);
        if (r->sub == NULL || r->group != NULL)
            app_focus(a, PANE_VAULTS);
        return VIEW_REDRAW_ALL;
    case ACT_BACK:
        if (r != NULL && r->sub != NULL && ctx_is_expanded(p, r->sub)) {
            struct store_sub *sub = r->sub;
            ctx_toggle(a, v, sub, false);
            for (size_t i = 0; i < p->n; i++)
                if (p->rows[i].sub == sub && p->rows[i].group == NULL)
                    listview_select(&v->lv, i);
            return VIEW_REDRAW;
        }
        return VIEW_IGNORED;
    case ACT_REFRESH:
        store_load_subscriptions(a->store);
        if (r != NULL && r->sub != NULL)
            store_load_groups(a->store, r->sub);
        return VIEW_REDRAW;
    default:
        return VIEW_IGNORED;
    }
}

static void
ctx_detail(struct app *a, struct view *v, struct buf *out)
{
    struct ctx_priv *p = ctx_priv(v);
    if (v->lv.cursor >= p->n)
        return;
    struct ctx_row *r = &p->rows[v->lv.cursor];
    if (r->group != NULL && r->group->json != NULL)
        buf_puts(out, r->group->json);
    else if (r->sub != NULL && r->sub->sub->json != NULL)
        buf_puts(out, r->sub->sub->json);
    else if (r->sub == NULL)
        buf_printf(out, "%s: %s\n%s: %s\n%s: %zu\n", _("Cloud"),
                   engine_cloud_name(a->eng), _("Signed in with"),
                   engine_credential_name(a->eng)
                       ? engine_credential_name(a->eng)
                       : _("no credential configured"),
                   _("Subscriptions"), a->store->subs.len);
}

static const char *
ctx_selected_name(struct app *a, struct view *v)
{
    return NULL;
}

static void
ctx_destroy(struct view *v)
{
    struct ctx_priv *p = v->priv;
    if (p == NULL)
        return;
    free(p->rows);
    vec_free(&p->expanded);
    free(p);
    v->priv = NULL;
}

const struct view_ops view_context_ops = {
    .name = "context",
    .title = ctx_title,
    .load = ctx_load,
    .draw = ctx_draw,
    .key = ctx_key,
    .sync = ctx_sync,
    .filter = ctx_filter,
    .detail = ctx_detail,
    .selected_name = ctx_selected_name,
    .destroy = ctx_destroy,
    .top_lines = 1,
};
