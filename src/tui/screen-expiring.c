/*
 * screen-expiring.c — `:expiring [DAYS]` (issue #12): the secrets of
 * every vault the console knows that expire within DAYS days (30 by
 * default), or whose rotation-days tag makes a rotation due by then, in
 * one list, expired ones first, then soonest first (engine/expiring.h),
 * streamed in as the vaults answer (JOB_SCAN_EXPIRING) with "12/40
 * vaults" above it. Vaults that could not be read are listed after the
 * secrets with the reason ("kv-x: not readable: Forbidden (…)").
 *
 * Enter opens the row's vault in the secrets pane with the secret
 * selected (and closes the list); R opens the vault the same way and
 * starts the rotation wizard on the secret above the list (the list is
 * there again when the wizard closes); r scans again. Esc while the scan
 * runs stops it (what came is kept); Esc again closes.
 *
 * The vaults are the store's (every subscription's vault list, which
 * the console loads at start); while some are still loading, the scan
 * waits for them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/expiring.h"
#include "tui/action.h"
#include "tui/draw.h"
#include "tui/screen.h"
#include "tui/text.h"
#include "tui/view-secrets.h"
#include "tui/wizard-rotate.h"

struct xps {
    int days;
    struct vec rows; /* struct kv_expiring_row *, in kv_expiring_cmp order */
    struct listview lv;
    uint64_t job;
    size_t total, answered, unreadable;
    bool waiting; /* for the vault lists to load */
    bool asked;   /* the vault lists never loaded were asked for */
    bool loading, stopped;
    bool moved;     /* the cursor was moved: it follows its row, else the top */
    int64_t now;    /* the scan's now */
    char *progress; /* the last back-off said, or NULL */
    char *error;
};

static void
xps_row_free(void *r)
{
    kv_expiring_row_free(r);
}

/* A vault list of some subscription is still loading. Lists never
 * loaded are asked for once, all together (store_load_all_vaults(): one
 * Resource Graph query when there are many subscriptions). */
static bool
xps_vaults_loading(struct app *a, struct xps *p)
{
    int64_t now = time_now();
    bool none = false, loading = false;
    if (store_load_state(a->store, &a->store->subs_load, now) == LOAD_LOADING)
        return true;
    for (size_t i = 0; i < a->store->subs.len; i++) {
        struct store_sub *sub = a->store->subs.items[i];
        enum load_state st = store_load_state(a->store, &sub->vaults_load, now);
        none |= st == LOAD_NONE;
        loading |= st == LOAD_LOADING;
    }
    if (none && !loading && !p->asked) {
        p->asked = true;
        store_load_all_vaults(a->store);
        return true;
    }
    return loading;
}

static void
xps_title(struct app *a, struct screen *s)
{
    struct xps *p = s->priv;
    char *t = xasprintf(_("Secrets expiring within %d days"), p->days);
    screen_set_title(a, s, t);
    free(t);
}

/* Starts the scan over the store's vaults (or waits for them). */
static void
xps_load(struct app *a, struct screen *s)
{
    struct xps *p = s->priv;
    if (p->job != 0)
        engine_cancel(a->eng, p->job);
    p->job = 0;
    vec_free_all(&p->rows, xps_row_free);
    listview_init(&p->lv);
    p->moved = false;
    p->answered = p->unreadable = 0;
    p->stopped = false;
    free(p->progress);
    p->progress = NULL;
    free(p->error);
    p->error = NULL;
    s->dirty = true;
    p->waiting = xps_vaults_loading(a, p);
    if (p->waiting)
        return;
    struct job *j = job_scan_expiring(p->days);
    p->now = time_now();
    job_expiring(j)->now = p->now;
    p->total = 0;
    for (size_t i = 0; i < a->store->vaults.len; i++) {
        const struct kv_vault *v =
            ((struct store_vault *)a->store->vaults.items[i])->vault;
        if (v->vault_uri == NULL && v->id == NULL)
            continue;
        job_expiring_add_vault(j, v->name, v->vault_uri, v->id);
        p->total++;
    }
    p->loading = true;
    p->job = screen_submit(a, s, j);
}

/* Inserts r in order, the cursor staying on its row. */
static void
xps_insert(struct xps *p, struct kv_expiring_row *r)
{
    size_t lo = 0, hi = p->rows.len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (kv_expiring_cmp(&p->rows.items[mid], &r) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    vec_insert(&p->rows, lo, r);
    listview_set_count(&p->lv, p->rows.len);
    if (p->moved && p->rows.len > 1 && lo <= p->lv.cursor)
        listview_select(&p->lv, p->lv.cursor + 1);
}

static void
xps_on_result(struct app *a, struct screen *s, struct result *r)
{
    struct xps *p = s->priv;
    (void)a;
    if (r->job_id != p->job)
        return;
    switch (r->type) {
    case RESULT_PAGE:
        for (size_t i = 0; i < r->items.len; i++) {
            struct kv_expiring_row *row = r->items.items[i];
            r->items.items[i] = NULL;
            if (row->kind != KV_EXPIRING_SECRET)
                p->answered++;
            if (row->kind == KV_EXPIRING_VAULT_DONE) {
                kv_expiring_row_free(row);
                continue;
            }
            if (row->kind == KV_EXPIRING_UNREADABLE ||
                row->kind == KV_EXPIRING_FAILED)
                p->unreadable++;
            xps_insert(p, row);
        }
        free(p->progress);
        p->progress = NULL;
        break;
    case RESULT_PROGRESS:
        free(p->progress);
        p->progress = r->message != NULL ? xstrdup(r->message) : NULL;
        break;
    case RESULT_DONE:
        p->loading = false;
        p->job = 0;
        free(p->progress);
        p->progress = NULL;
        break;
    case RESULT_ERROR:
        p->loading = false;
        p->job = 0;
        p->error = xasprintf(_("the scan failed: %s"),
                             r->message != NULL ? r->message : "?");
        break;
    default:
        return;
    }
    s->dirty = true;
}

/* The vault lists came in: start. */
static int64_t
xps_tick(struct app *a, struct screen *s, int64_t now)
{
    struct xps *p = s->priv;
    (void)now;
    if (p->waiting && !xps_vaults_loading(a, p))
        xps_load(a, s);
    return p->waiting ? time_mono_ms() + 200 : 0;
}

/* The line above the list: progress and counts. */
static void
xps_status_line(struct app *a, struct xps *p, char *buf, size_t n)
{
    size_t secrets = p->rows.len - p->unreadable;
    if (p->waiting) {
        snprintf(buf, n, "%s", _("waiting for the vault lists…"));
        return;
    }
    int len = snprintf(buf, n, _("%zu/%zu vaults · %zu secrets"), p->answered,
                       p->total, secrets);
    if (len < 0 || (size_t)len >= n)
        return;
    if (p->unreadable > 0)
        len += snprintf(buf + len, n - (size_t)len, _(" · %zu not read"),
                        p->unreadable);
    if (len >= 0 && (size_t)len < n && p->stopped)
        len += snprintf(buf + len, n - (size_t)len, "%s", _(" · stopped"));
    else if (len >= 0 && (size_t)len < n && p->loading)
        len += snprintf(buf + len, n - (size_t)len, " %s", a->term.g.ellipsis);
    if (len >= 0 && (size_t)len < n && p->progress != NULL)
        snprintf(buf + len, n - (size_t)len, " · %s", p->progress);
}

/* Column widths: due 10, left 20, content type 16; vault and name share
 * the rest (the content type goes first when narrow). */
struct xps_cols {
    int vault, name, left, ctype;
};

static void
xps_cols(int width, struct xps_cols *c)
{
    c->left = 20;
    c->ctype = width >= 90 ? 16 : 0;
    int rest = width - 2 - 11 - (c->left + 1) - (c->ctype ? c->ctype + 1 : 0);
    c->vault = rest * 2 / 5;
    if (c->vault > 24)
        c->vault = 24;
    if (c->vault < 6)
        c->vault = 6;
    c->name = rest - c->vault - 1;
    if (c->name < 6)
        c->name = 6;
}

static void
xps_draw_row(struct app *a, struct xps *p, WINDOW *w, int y, int width,
             const struct kv_expiring_row *r, bool selected)
{
    attr_t attr = selected ? term_attr(&a->term, ST_SELECTED) : A_NORMAL;
    char *line;
    if (r->kind != KV_EXPIRING_SECRET) {
        const char *why = r->error != NULL ? r->error : "?";
        line = r->kind == KV_EXPIRING_UNREADABLE
                   ? xasprintf(_("%s: not readable: %s"), r->vault_name, why)
                   : xasprintf(_("%s: failed: %s"), r->vault_name, why);
        char *text = xasprintf("  %s", line);
        draw_text_attr(a, w, y, 0, width, text,
                       selected ? attr : term_attr(&a->term, ST_ERROR), true);
        free(text);
        free(line);
        return;
    }
    struct xps_cols c;
    xps_cols(width, &c);
    char day[32], left[96], fl[128], vault[256], name[512], ct[128];
    draw_date(r->due, false, day, sizeof day);
    kv_expiring_left(r, p->now, left, sizeof left);
    text_fit(left, c.left, a->term.g.ellipsis, true, fl, sizeof fl);
    text_fit(r->vault_name, c.vault, a->term.g.ellipsis, true, vault,
             sizeof vault);
    text_fit(r->name, c.name, a->term.g.ellipsis, true, name, sizeof name);
    ct[0] = '\0';
    if (c.ctype > 0)
        text_fit(r->content_type != NULL ? r->content_type : "", c.ctype,
                 a->term.g.ellipsis, true, ct, sizeof ct);
    line = xasprintf("  %-10s %s %s %s%s%s", day, fl, vault, name,
                     c.ctype > 0 ? " " : "", ct);
    if (!selected && (r->expired || kv_expiring_days_left(r, p->now) < 0))
        attr = term_attr(&a->term, ST_ERROR);
    draw_text_attr(a, w, y, 0, width, line, attr, true);
    free(line);
}

static void
xps_draw(struct app *a, struct screen *s, WINDOW *w)
{
    struct xps *p = s->priv;
    int rows, width;
    getmaxyx(w, rows, width);
    werase(w);
    char status[512];
    xps_status_line(a, p, status, sizeof status);
    draw_text(a, w, 0, 0, width, status, ST_DIM, true);
    if (p->error != NULL) {
        draw_text(a, w, 2, 0, width, p->error, ST_ERROR, true);
        return;
    }
    if (p->rows.len == 0) {
        const char *say =
            p->waiting || p->loading
                ? _("listing the vaults' secrets…")
                : _("No secret expires or is due for rotation within these "
                    "days.");
        draw_text(a, w, 2, 2, width - 2, say, ST_DIM, true);
        return;
    }
    struct xps_cols c;
    xps_cols(width, &c);
    char fl[128], vault[256], name[512], ct[128];
    /* TRANSLATORS: the headings of :expiring; the date is 10 wide */
    text_fit(_("Time left"), c.left, a->term.g.ellipsis, true, fl, sizeof fl);
    text_fit(_("Vault"), c.vault, a->term.g.ellipsis, true, vault,
             sizeof vault);
    text_fit(_("Secret"), c.name, a->term.g.ellipsis, true, name, sizeof name);
    ct[0] = '\0';
    if (c.ctype > 0)
        text_fit(_("Content type"), c.ctype, a->term.g.ellipsis, true, ct,
                 sizeof ct);
    char *line = xasprintf("  %-10.10s %s %s %s%s%s", _("Due"), fl, vault, name,
                           c.ctype > 0 ? " " : "", ct);
    draw_text(a, w, 1, 0, width, line, ST_DIM, true);
    free(line);
    int list_h = rows - 2;
    listview_set_count(&p->lv, p->rows.len);
    listview_set_height(&p->lv, list_h > 0 ? list_h : 1);
    for (int y = 0; y < list_h && p->lv.top + (size_t)y < p->rows.len; y++) {
        size_t i = p->lv.top + (size_t)y;
        xps_draw_row(a, p, w, 2 + y, width, p->rows.items[i],
                     i == p->lv.cursor);
    }
}

/* Opens the row's vault in the secrets pane, the secret selected.
 * Returns the vault, NULL (and says why) when the store lost it. */
static struct store_vault *
xps_open(struct app *a, const struct kv_expiring_row *r)
{
    struct store_vault *v = NULL;
    if (r->vault_id != NULL)
        v = store_find_vault(a->store, r->vault_id);
    if (v == NULL && r->vault_uri != NULL)
        v = store_find_vault(a->store, r->vault_uri);
    if (v == NULL) {
        app_message(a, true, _("vault %s is no longer listed (r reloads)"),
                    r->vault_name);
        return NULL;
    }
    app_open_vault(a, v, PANE_SECRETS);
    if (r->name != NULL)
        view_secrets_select_name(a, r->name);
    return v;
}

static void
xps_rotate(struct app *a, const struct kv_expiring_row *r)
{
    if (app_refuse_read_only(a))
        return;
    if (r->kind != KV_EXPIRING_SECRET) {
        app_message(a, false, "%s", _("select a secret to rotate it"));
        return;
    }
    struct store_vault *v = xps_open(a, r);
    if (v == NULL)
        return;
    /* listed through Resource Manager: the wizard that writes that way
     * needs the pane's listing of it */
    if (r->via_arm && store_find_secret(v, r->name) == NULL) {
        app_message(a, false,
                    _("%s's secrets are being listed through Resource "
                      "Manager: R again once %s shows"),
                    r->vault_name, r->name);
        return;
    }
    wizard_rotate_named(a, r->name);
}

static enum view_result
xps_key(struct app *a, struct screen *s, int ch, bool is_key)
{
    struct xps *p = s->priv;
    enum key_action act = keytab_lookup(a->keys, ch);
    bool esc = (!is_key && ch == 27) || act == ACT_BACK;
    if (esc && p->loading) { /* stop the scan, keep what came */
        engine_cancel(a->eng, p->job);
        p->job = 0;
        p->loading = false;
        p->stopped = true;
        free(p->progress);
        p->progress = NULL;
        return VIEW_REDRAW;
    }
    if (esc || (!is_key && ch == 'q') || act == ACT_QUIT)
        return VIEW_CLOSE;
    if (listview_act(&p->lv, act) >= 0) {
        p->moved = true;
        return VIEW_REDRAW;
    }
    const struct kv_expiring_row *r =
        p->lv.cursor < p->rows.len ? p->rows.items[p->lv.cursor] : NULL;
    switch (act) {
    case ACT_ENTER:
        if (r != NULL && xps_open(a, r) != NULL)
            return VIEW_CLOSE;
        return VIEW_STATUS;
    case ACT_ROTATE:
        if (r != NULL)
            xps_rotate(a, r);
        return VIEW_REDRAW | VIEW_STATUS;
    case ACT_REFRESH:
        xps_load(a, s);
        return VIEW_REDRAW;
    default:
        return VIEW_HANDLED;
    }
}

static const struct frame_hint xps_hints[] = {
    {.act = ACT_ENTER, .label = N_("open")},
    {.act = ACT_ROTATE, .label = N_("rotate")},
    {.act = ACT_REFRESH, .label = N_("scan again")},
    {.act = ACT_BACK, .label = N_("stop / close")},
    {.label = NULL},
};

static const struct frame_hint *
xps_hints_get(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return xps_hints;
}

static void
xps_destroy(struct screen *s)
{
    struct xps *p = s->priv;
    vec_free_all(&p->rows, xps_row_free);
    free(p->progress);
    free(p->error);
    free(p);
}

static const struct screen_ops screen_expiring_ops = {
    .name = "expiring",
    .key = xps_key,
    .draw = xps_draw,
    .on_result = xps_on_result,
    .tick = xps_tick,
    .hints = xps_hints_get,
    .destroy = xps_destroy,
};

void
screen_expiring_push(struct app *a, const char *arg)
{
    int days = KV_EXPIRING_DAYS;
    if (arg != NULL && *arg != '\0') {
        char *end = NULL;
        long d = strtol(arg, &end, 10);
        if (end == arg || *end != '\0' || d < 0 || d > 36500) {
            app_message(a, true,
                        _(":expiring DAYS wants a whole number of days, not "
                          "\"%s\""),
                        arg);
            return;
        }
        days = (int)d;
    }
    struct xps *p = xcalloc(1, sizeof *p);
    p->days = days;
    vec_init(&p->rows);
    listview_init(&p->lv);
    struct screen *s = screen_push(a, &screen_expiring_ops, p, NULL);
    xps_title(a, s);
    xps_load(a, s);
}
