/*
 * screen-deleted-vaults.c — the soft-deleted vaults of one subscription
 * (`x` in the vaults pane; JOB_LIST_DELETED_VAULTS) in a modal list:
 * name, region, deletion date, scheduled purge date and whether purge
 * protection holds it. U recovers the selected one (into its former group
 * and region), P purges it for ever (typed name; refused while purge
 * protection holds it, and the status bar says until when). Tab shows
 * the next subscription's, r reloads; the list is read again when a
 * recovery or purge it started is closed.
 *
 * Like the deleted secrets (view-deleted.c), every change goes through
 * action_run(): a review, then the progress; --read-only refuses first.
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
#include "tui/text.h"
#include "tui/wizard-vault.h"

struct dvaults {
    size_t sub;       /* index in the store's subscriptions */
    struct vec items; /* struct kv_deleted_vault * */
    struct listview lv;
    uint64_t job;
    bool loading, reload_on_top;
    char *error;
};

static void
dv_item_free(void *d)
{
    kv_deleted_vault_free(d);
}

static struct store_sub *
dv_sub(struct app *a, const struct dvaults *p)
{
    return p->sub < a->store->subs.len ? a->store->subs.items[p->sub] : NULL;
}

static const char *
dv_sub_name(struct app *a, const struct dvaults *p)
{
    struct store_sub *s = dv_sub(a, p);
    if (s == NULL)
        return "?";
    return s->sub->display_name ? s->sub->display_name
                                : s->sub->subscription_id;
}

/* Loads the list (again), the screen's title naming the subscription. */
static void
dv_load(struct app *a, struct screen *s)
{
    struct dvaults *p = s->priv;
    struct store_sub *sub = dv_sub(a, p);
    if (p->job != 0)
        engine_cancel(a->eng, p->job);
    vec_free_all(&p->items, dv_item_free);
    listview_set_count(&p->lv, 0);
    free(p->error);
    p->error = NULL;
    char *t = xasprintf(_("Deleted vaults of %s"), dv_sub_name(a, p));
    screen_set_title(a, s, t);
    free(t);
    p->loading = sub != NULL;
    p->job = sub != NULL
                 ? screen_submit(
                       a, s, job_list_deleted_vaults(sub->sub->subscription_id))
                 : 0;
    s->dirty = true;
}

static void
dv_size(struct app *a, struct screen *s, int max_h, int max_w, int *h, int *w)
{
    (void)a;
    struct dvaults *p = s->priv;
    *w = max_w < 78 ? max_w : 78;
    int want = (int)(p->items.len > 0 ? p->items.len : 1) + 3;
    *h = want < max_h ? want : max_h;
}

static void
dv_draw(struct app *a, struct screen *s, WINDOW *w)
{
    struct dvaults *p = s->priv;
    int rows, width;
    getmaxyx(w, rows, width);
    werase(w);
    const char *say = p->error;
    if (say == NULL && p->items.len == 0)
        say = p->loading ? _("loading the deleted vaults…")
                         : _("No deleted vault in this subscription (a "
                             "deletion shows after a while: r reloads).");
    if (say != NULL) { /* wrapped: a reason is read in full */
        struct vec l = VEC_INIT;
        text_wrap(say, width, &l);
        for (size_t i = 0; i < l.len && (int)i < rows; i++)
            draw_text(a, w, (int)i, 0, width, l.items[i],
                      p->error != NULL ? ST_ERROR : ST_DIM, true);
        vec_free_all(&l, free);
        return;
    }
    /* The name takes what the fixed columns leave; narrower, the region
     * and the deletion date go first, then "Protected". */
    int namew = width - 2 - (14 + 1) - 2 * (10 + 1) - 10;
    int cols = 3;
    if (namew < 12) {
        cols = 2;
        namew = width - 2 - 11 - 10;
    }
    if (namew < 12) {
        cols = 1;
        namew = width - 2 - 11;
    }
    char line[512], name[128];
    text_fit(_("Name"), namew, a->term.g.ellipsis, true, name, sizeof name);
    /* TRANSLATORS: the headings of the deleted vaults: region 14 wide,
     * the dates 10, "Protected" 9 */
    if (cols == 3)
        snprintf(line, sizeof line, "  %s %-14.14s %-10.10s %-10.10s %s", name,
                 _("Region"), _("Deleted"), _("Purge on"), _("Protected"));
    else if (cols == 2)
        snprintf(line, sizeof line, "  %s %-10.10s %s", name, _("Purge on"),
                 _("Protected"));
    else
        snprintf(line, sizeof line, "  %s %-10.10s", name, _("Purge on"));
    draw_text(a, w, 0, 0, width, line, ST_DIM, true);
    int list_h = rows - 2;
    listview_set_count(&p->lv, p->items.len);
    listview_set_height(&p->lv, list_h > 0 ? list_h : 1);
    for (int y = 0; y < list_h && p->lv.top + (size_t)y < p->items.len; y++) {
        size_t i = p->lv.top + (size_t)y;
        const struct kv_deleted_vault *d = p->items.items[i];
        char del[32], purge[32];
        draw_date(d->deletion_date, false, del, sizeof del);
        draw_date(d->scheduled_purge_date, false, purge, sizeof purge);
        text_fit(d->name ? d->name : "?", namew, a->term.g.ellipsis, true, name,
                 sizeof name);
        const char *pp = d->purge_protection ? _("yes") : _("no");
        if (cols == 3)
            snprintf(line, sizeof line, "  %s %-14.14s %-10s %-10s %s", name,
                     d->location ? d->location : "", del, purge, pp);
        else if (cols == 2)
            snprintf(line, sizeof line, "  %s %-10s %s", name, purge, pp);
        else
            snprintf(line, sizeof line, "  %s %-10s", name, purge);
        draw_text_attr(a, w, 1 + y, 0, width, line,
                       i == p->lv.cursor ? term_attr(&a->term, ST_SELECTED)
                                         : A_NORMAL,
                       true);
    }
    draw_text(a, w, rows - 1, 0, width,
              _("U recovers it, P purges it for ever (typed name)"), ST_DIM,
              true);
}

static void
dv_recover(struct app *a, struct screen *s, const struct kv_deleted_vault *d)
{
    struct dvaults *p = s->priv;
    struct store_sub *sub = dv_sub(a, p);
    struct engine_identity id;
    const char *tenant = NULL;
    if (engine_identity(a->eng, &id) && id.tenant_id[0])
        tenant = id.tenant_id;
    else if (sub != NULL)
        tenant = sub->sub->tenant_id;
    /* no wait for its data plane: recovering is the point here, and a
     * vault you hold no data-plane role on would keep it waiting */
    struct plan *pl = plan_vault_recover(d, tenant, NULL, false);
    struct action_reload r = {.subscription_id = d->subscription_id};
    p->reload_on_top = true;
    action_run(a, pl, NULL, &r);
}

static void
dv_purge(struct app *a, struct screen *s, const struct kv_deleted_vault *d)
{
    struct dvaults *p = s->priv;
    const char *why = NULL;
    struct plan *pl = plan_vault_purge(d, &why);
    if (pl == NULL) {
        char day[32];
        draw_date(d->scheduled_purge_date, false, day, sizeof day);
        if (d->purge_protection)
            app_message(a, true,
                        _("%s: purge protection holds it until %s (U "
                          "recovers it)"),
                        d->name, day);
        else
            app_message(a, true, _("%s cannot be purged: %s"), d->name,
                        why != NULL ? why : "");
        return;
    }
    p->reload_on_top = true;
    action_run(a, pl, NULL, NULL);
}

static enum view_result
dv_key(struct app *a, struct screen *s, int ch, bool is_key)
{
    struct dvaults *p = s->priv;
    if (!is_key && (ch == 'q' || ch == 27))
        return VIEW_CLOSE;
    enum key_action act = keytab_lookup(a->keys, ch);
    if (listview_act(&p->lv, act) >= 0)
        return VIEW_REDRAW;
    const struct kv_deleted_vault *d =
        p->lv.cursor < p->items.len ? p->items.items[p->lv.cursor] : NULL;
    switch (act) {
    case ACT_RECOVER:
    case ACT_PURGE:
        if (app_refuse_read_only(a))
            return VIEW_STATUS;
        if (d == NULL) {
            app_message(a, false, "%s", _("no deleted vault selected"));
            return VIEW_STATUS;
        }
        if (act == ACT_RECOVER)
            dv_recover(a, s, d);
        else
            dv_purge(a, s, d);
        return VIEW_STATUS;
    case ACT_REFRESH:
        dv_load(a, s);
        return VIEW_REDRAW;
    case ACT_NEXT_PANE:
    case ACT_PREV_PANE:
        if (a->store->subs.len > 1) {
            size_t n = a->store->subs.len;
            p->sub = (p->sub + (act == ACT_NEXT_PANE ? 1 : n - 1)) % n;
            dv_load(a, s);
            screen_refit(a, s);
        }
        return VIEW_REDRAW;
    case ACT_BACK:
    case ACT_QUIT:
        return VIEW_CLOSE;
    default:
        return VIEW_HANDLED;
    }
}

static void
dv_on_result(struct app *a, struct screen *s, struct result *r)
{
    struct dvaults *p = s->priv;
    if (r->job_id != p->job)
        return;
    switch (r->type) {
    case RESULT_PAGE:
        for (size_t i = 0; i < r->items.len; i++)
            vec_push(&p->items, r->items.items[i]);
        r->items.len = 0; /* taken */
        listview_set_count(&p->lv, p->items.len);
        break;
    case RESULT_DONE:
        p->loading = false;
        p->job = 0;
        break;
    case RESULT_ERROR:
        p->loading = false;
        p->job = 0;
        free(p->error);
        p->error = xasprintf(_("cannot list the deleted vaults: %s"),
                             r->message != NULL ? r->message : "?");
        break;
    default:
        return;
    }
    screen_refit(a, s);
    s->dirty = true;
}

/* Back on top after a recovery or purge it started: read the list. */
static int64_t
dv_tick(struct app *a, struct screen *s, int64_t now)
{
    (void)now;
    struct dvaults *p = s->priv;
    if (p->reload_on_top && screen_top(a) == s) {
        p->reload_on_top = false;
        dv_load(a, s);
    }
    return 0;
}

static const struct frame_hint dv_hints[] = {
    {.act = ACT_RECOVER, .label = N_("recover")},
    {.act = ACT_PURGE, .label = N_("purge")},
    {.act = ACT_NEXT_PANE, .label = N_("next subscription")},
    {.act = ACT_BACK, .label = N_("close")},
    {.label = NULL},
};

static const struct frame_hint *
dv_hints_get(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return dv_hints;
}

static void
dv_destroy(struct screen *s)
{
    struct dvaults *p = s->priv;
    vec_free_all(&p->items, dv_item_free);
    free(p->error);
    free(p);
}

static const struct screen_ops screen_deleted_vaults_ops = {
    .name = "deleted-vaults",
    .key = dv_key,
    .draw = dv_draw,
    .size = dv_size,
    .on_result = dv_on_result,
    .tick = dv_tick,
    .hints = dv_hints_get,
    .destroy = dv_destroy,
};

void
screen_deleted_vaults_push(struct app *a, const char *sub_id)
{
    if (a->store->subs.len == 0) {
        app_message(a, false, "%s", _("no subscription is listed"));
        return;
    }
    struct dvaults *p = xcalloc(1, sizeof *p);
    vec_init(&p->items);
    listview_init(&p->lv);
    for (size_t i = 0; sub_id != NULL && i < a->store->subs.len; i++) {
        struct store_sub *s = a->store->subs.items[i];
        if (str_ieq(s->sub->subscription_id, sub_id))
            p->sub = i;
    }
    struct screen *s = screen_push(a, &screen_deleted_vaults_ops, p, NULL);
    dv_load(a, s);
}
