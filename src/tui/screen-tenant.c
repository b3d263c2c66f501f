/*
 * screen-tenant.c — `:tenant`: the tenants the signed-in account may use
 * (GET /tenants, JOB_LIST_TENANTS) in a modal list, the current one
 * marked; Enter switches. `:tenant ID|NAME|DOMAIN` switches directly: the
 * same screen loads the list, picks the match and closes (an unknown
 * name says so and nothing changes).
 *
 * A switch points the engine's Resource Manager calls at the new tenant
 * (engine_set_tenant(): the next call signs in for it), forgets what the
 * store holds (store_reset(): running loads are cancelled first) and
 * loads the subscriptions again; the header names the new tenant once a
 * token for it was obtained. Should that sign-in fail, the subscriptions
 * pane shows the error and `:tenant` still lists the tenants to go back.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/action.h"
#include "tui/draw.h"
#include "tui/screen.h"

struct tenant_screen {
    struct vec items; /* struct kv_tenant * */
    struct listview lv;
    bool loading;
    char *error; /* the list failed: why */
    char *want;  /* :tenant ARG: switch to this one, no list shown */
    char current[64];
};

/* A name for messages: "Fabrikam (fabrikam.onmicrosoft.com)". */
static void
tenant_label(const struct kv_tenant *t, char *buf, size_t n)
{
    const char *name = t->display_name != NULL ? t->display_name : t->id;
    if (t->default_domain != NULL)
        snprintf(buf, n, "%s (%s)", name, t->default_domain);
    else
        snprintf(buf, n, "%s", name);
}

/* Switches to t: engine first, then the store anew. */
static void
tenant_switch(struct app *a, const struct kv_tenant *t)
{
    char label[320];
    tenant_label(t, label, sizeof label);
    engine_set_tenant(a->eng, t->id);
    app_reveal_clear(a);
    a->vault = NULL;
    a->ctx_sub = NULL;
    free(a->ctx_group);
    a->ctx_group = NULL;
    free(a->pending_vault);
    a->pending_vault = NULL;
    a->pending_job = 0;
    store_reset(a->store);
    for (int i = 0; i < PANE_COUNT; i++)
        if (a->views[i].ops->sync(a, &a->views[i], ~0u))
            a->views[i].dirty = true;
    store_load_subscriptions(a->store);
    app_focus(a, PANE_VAULTS);
    a->all_dirty = a->header_dirty = a->status_dirty = true;
    app_message(a, false, _("switched to tenant %s"), label);
}

/* The tenant ARG names: its id, default domain or display name (a
 * unique prefix of it will do). NULL with *ambiguous when several. */
static const struct kv_tenant *
tenant_match(const struct vec *items, const char *arg, bool *ambiguous)
{
    const struct kv_tenant *found = NULL;
    *ambiguous = false;
    for (size_t i = 0; i < items->len; i++) {
        const struct kv_tenant *t = items->items[i];
        if (str_ieq(t->id, arg) || str_ieq(t->default_domain, arg) ||
            str_ieq(t->display_name, arg))
            return t;
    }
    for (size_t i = 0; i < items->len; i++) {
        const struct kv_tenant *t = items->items[i];
        if (t->display_name != NULL && str_istarts(t->display_name, arg)) {
            if (found != NULL) {
                *ambiguous = true;
                return NULL;
            }
            found = t;
        }
    }
    return found;
}

static void
tenant_size(struct app *a, struct screen *s, int max_h, int max_w, int *h,
            int *w)
{
    (void)a;
    struct tenant_screen *p = s->priv;
    *w = max_w < 78 ? max_w : 78;
    int want = (int)(p->items.len > 0 ? p->items.len : 1) + 3;
    *h = want < max_h ? want : max_h;
}

static void
tenant_draw(struct app *a, struct screen *s, WINDOW *w)
{
    struct tenant_screen *p = s->priv;
    int rows, width;
    getmaxyx(w, rows, width);
    werase(w);
    if (p->error != NULL) {
        draw_text(a, w, 0, 0, width, p->error, ST_ERROR, true);
        return;
    }
    if (p->loading && p->items.len == 0) {
        draw_text(a, w, 0, 0, width, _("loading the tenants…"), ST_DIM, true);
        return;
    }
    if (p->items.len == 0) {
        draw_text(a, w, 0, 0, width, _("No tenant is listed."), ST_DIM, true);
        return;
    }
    char line[512];
    /* TRANSLATORS: the headings of the :tenant list */
    snprintf(line, sizeof line, "  %-26.26s %-30.30s %s", _("Tenant"),
             _("Domain"), _("ID"));
    draw_text(a, w, 0, 0, width, line, ST_DIM, true);
    int list_h = rows - 2;
    listview_set_count(&p->lv, p->items.len);
    listview_set_height(&p->lv, list_h > 0 ? list_h : 1);
    for (int y = 0; y < list_h && p->lv.top + (size_t)y < p->items.len; y++) {
        size_t i = p->lv.top + (size_t)y;
        const struct kv_tenant *t = p->items.items[i];
        bool cur = str_ieq(t->id, p->current);
        snprintf(line, sizeof line, "%s %-26.26s %-30.30s %.8s",
                 cur ? "*" : " ", t->display_name ? t->display_name : "",
                 t->default_domain ? t->default_domain : "", t->id);
        draw_text_attr(a, w, 1 + y, 0, width, line,
                       i == p->lv.cursor ? term_attr(&a->term, ST_SELECTED)
                                         : A_NORMAL,
                       true);
    }
    draw_text(a, w, rows - 1, 0, width,
              _("Enter: switch to the selected tenant (* the current one)"),
              ST_DIM, true);
}

static enum view_result
tenant_key(struct app *a, struct screen *s, int ch, bool is_key)
{
    struct tenant_screen *p = s->priv;
    if (!is_key && (ch == 'q' || ch == 27))
        return VIEW_CLOSE;
    enum key_action act = keytab_lookup(a->keys, ch);
    if (listview_act(&p->lv, act) >= 0)
        return VIEW_REDRAW;
    switch (act) {
    case ACT_ENTER:
        if (p->lv.cursor < p->items.len) {
            tenant_switch(a, p->items.items[p->lv.cursor]);
            return VIEW_CLOSE;
        }
        return VIEW_HANDLED;
    case ACT_BACK:
    case ACT_QUIT:
        return VIEW_CLOSE;
    default:
        return VIEW_HANDLED;
    }
}

/* :tenant ARG once the list is in: switch, or say why not. */
static void
tenant_resolve(struct app *a, struct screen *s)
{
    struct tenant_screen *p = s->priv;
    bool ambiguous;
    const struct kv_tenant *t = tenant_match(&p->items, p->want, &ambiguous);
    if (t != NULL)
        tenant_switch(a, t);
    else if (ambiguous)
        app_message(a, true, _("\"%s\" matches more than one tenant"), p->want);
    else
        app_message(a, true, _("no tenant \"%s\" (:tenant lists them)"),
                    p->want);
    screen_pop(a, s);
}

static void
tenant_on_result(struct app *a, struct screen *s, struct result *r)
{
    struct tenant_screen *p = s->priv;
    switch (r->type) {
    case RESULT_PAGE:
        for (size_t i = 0; i < r->items.len; i++)
            vec_push(&p->items, r->items.items[i]);
        r->items.len = 0; /* taken */
        break;
    case RESULT_DONE:
        p->loading = false;
        listview_set_count(&p->lv, p->items.len);
        for (size_t i = 0; i < p->items.len; i++)
            if (str_ieq(((struct kv_tenant *)p->items.items[i])->id,
                        p->current))
                listview_select(&p->lv, i);
        if (p->want != NULL) {
            tenant_resolve(a, s);
            return;
        }
        screen_refit(a, s);
        break;
    case RESULT_ERROR:
        p->loading = false;
        free(p->error);
        p->error = xasprintf(_("cannot list the tenants: %s"),
                             r->message != NULL ? r->message : "?");
        if (p->want != NULL) {
            app_message(a, true, "%s", p->error);
            screen_pop(a, s);
            return;
        }
        break;
    default:
        return;
    }
    s->dirty = true;
}

static const struct frame_hint tenant_hints[] = {
    {.act = ACT_ENTER, .label = N_("switch")},
    {.act = ACT_DOWN, .label = N_("next")},
    {.act = ACT_BACK, .label = N_("close")},
    {.label = NULL},
};

static const struct frame_hint *
tenant_hints_get(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return tenant_hints;
}

static void
tenant_item_free(void *t)
{
    kv_tenant_free(t);
}

static void
tenant_destroy(struct screen *s)
{
    struct tenant_screen *p = s->priv;
    vec_free_all(&p->items, tenant_item_free);
    free(p->error);
    free(p->want);
    free(p);
}

static const struct screen_ops screen_tenant_ops = {
    .name = "tenant",
    .key = tenant_key,
    .draw = tenant_draw,
    .size = tenant_size,
    .on_result = tenant_on_result,
    .hints = tenant_hints_get,
    .destroy = tenant_destroy,
};

void
screen_tenant_push(struct app *a, const char *arg)
{
    struct tenant_screen *p = xcalloc(1, sizeof *p);
    listview_init(&p->lv);
    struct engine_identity id;
    if (engine_identity(a->eng, &id))
        snprintf(p->current, sizeof p->current, "%s", id.tenant_id);
    p->loading = true;
    if (arg != NULL && *arg != '\0')
        p->want = xstrdup(arg);
    struct screen *s = screen_push(a, &screen_tenant_ops, p, _("Tenants"));
    screen_submit(a, s, job_list_tenants());
}
