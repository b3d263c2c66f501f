/*
 * screen-pending.c — retirements recorded for later (rotate with
 * "disable after a grace period", or `kvdeck secret rotate --retire-old
 * 7d`): the journal keeps them until a later line retires the version.
 * On start the status bar says how many are pending and due; `:pending`
 * lists them (secret, vault, version, due time), and Enter disables the
 * selected version now (plan_secret_disable(): review, progress). The
 * list is read from the journal again while it is shown, so a version
 * disabled here, or by another kvdeck, leaves it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/journal.h"
#include "engine/plan-source.h"
#include "tui/action.h"
#include "tui/draw.h"
#include "tui/text.h"

#define PENDING_RELOAD_MS 1000

/* One pending retirement, parsed from its journal entry. */
struct pending_item {
    char *vault_uri, *vault, *name, *version;
    int64_t due;
    bool at_source; /* a rotate-source retirement: the key dies too */
    char *account_id; /* its AI services account (from the plan's steps),
                         NULL when the journal does not name it */
};

struct pending {
    struct vec items; /* struct pending_item * */
    struct listview lv;
    int64_t next_reload;
    struct stat seen; /* the journal when last read (size, mtime) */
};

static void
pending_item_free(void *p)
{
    struct pending_item *it = p;
    free(it->vault_uri);
    free(it->vault);
    free(it->name);
    free(it->version);
    free(it->account_id);
    free(it);
}

/* "https://host[:port]/secrets/NAME[/VERSION]" into its parts. */
static struct pending_item *
pending_parse(const struct journal_entry *e)
{
    const char *t = e->target;
    const char *sec = t != NULL ? strstr(t, "/secrets/") : NULL;
    if (sec == NULL || !str_istarts(t, "https://") || e->version == NULL)
        return NULL;
    struct pending_item *it = xcalloc(1, sizeof *it);
    it->vault_uri = xstrndup(t, (size_t)(sec - t));
    it->vault = xstrndup(t + 8, strcspn(t + 8, ".:/"));
    const char *n = sec + strlen("/secrets/");
    it->name = xstrndup(n, strcspn(n, "/?"));
    it->version = xstrdup(e->version);
    it->due = e->due;
    return it;
}

/* Reads the journal's pending retirements into out (emptied first). */
static void
pending_read(struct app *a, struct vec *out)
{
    vec_free_all(out, pending_item_free);
    const char *path = engine_journal_path(a->eng);
    struct vec all = VEC_INIT, pend = VEC_INIT;
    char *why = NULL;
    if (path == NULL || journal_read(path, &all, NULL, &why) != KV_OK) {
        free(why);
        return;
    }
    journal_pending(&all, &pend);
    for (size_t i = 0; i < pend.len; i++) {
        const struct journal_entry *e = pend.items[i];
        struct pending_item *it = pending_parse(e);
        if (it == NULL)
            continue;
        /* a rotation at the source: its account is the target of the
         * plan's account steps */
        it->at_source = str_eq(e->plan, "rotate-source");
        for (size_t k = 0; it->at_source && it->account_id == NULL &&
                           k < all.len;
             k++) {
            const struct journal_entry *o = all.items[k];
            if (o->target != NULL && str_eq(o->plan_id, e->plan_id) &&
                str_icontains(o->target,
                              "/providers/Microsoft.CognitiveServices/"
                              "accounts/") != NULL)
                it->account_id = xstrdup(o->target);
        }
        vec_push(out, it);
    }
    vec_free(&pend);
    for (size_t i = 0; i < all.len; i++)
        journal_entry_free(all.items[i]);
    vec_free(&all);
}

void
action_pending_notice(struct app *a)
{
    struct vec items = VEC_INIT;
    pending_read(a, &items);
    size_t due = 0;
    int64_t now = time_now();
    for (size_t i = 0; i < items.len; i++)
        due += ((struct pending_item *)items.items[i])->due <= now;
    if (items.len > 0) {
        app_message(a, due > 0,
                    P_("%zu pending retirement, %zu due — :pending",
                       "%zu pending retirements, %zu due — :pending",
                       items.len),
                    items.len, due);
        a->message_until_ms = time_mono_ms() + 20000;
    }
    vec_free_all(&items, pending_item_free);
}

static void
pending_size(struct app *a, struct screen *s, int max_h, int max_w, int *h,
             int *w)
{
    (void)a;
    struct pending *p = s->priv;
    *w = max_w < 82 ? max_w : 82;
    int want = (int)p->items.len + 4;
    *h = want < max_h ? want : max_h;
}

static void
pending_draw(struct app *a, struct screen *s, WINDOW *w)
{
    struct pending *p = s->priv;
    int rows, width;
    getmaxyx(w, rows, width);
    werase(w);
    if (p->items.len == 0) {
        draw_text(a, w, 0, 0, width, _("No retirement is pending."), ST_DIM,
                  true);
        return;
    }
    char line[512], due[40], when[48];
    /* TRANSLATORS: the headings of the :pending list */
    snprintf(line, sizeof line, "%-24.24s %-18.18s %-9.9s %s", _("Secret"),
             _("Vault"), _("Version"), _("Due"));
    draw_text(a, w, 0, 0, width, line, ST_DIM, true);
    int64_t now = time_now();
    int list_h = rows - 2;
    listview_set_count(&p->lv, p->items.len);
    listview_set_height(&p->lv, list_h > 0 ? list_h : 1);
    for (int y = 0; y < list_h && p->lv.top + (size_t)y < p->items.len; y++) {
        size_t i = p->lv.top + (size_t)y;
        const struct pending_item *it = p->items.items[i];
        draw_date(it->due, true, due, sizeof due);
        if (it->due <= now)
            snprintf(when, sizeof when, "%s (%s)", due, _("due"));
        else
            snprintf(when, sizeof when, "%s", due);
        snprintf(line, sizeof line, "%-24.24s %-18.18s %-8.8s  %s", it->name,
                 it->vault, it->version, when);
        draw_text_attr(a, w, 1 + y, 0, width, line,
                       i == p->lv.cursor ? term_attr(&a->term, ST_SELECTED)
                       : it->due <= now  ? term_attr(&a->term, ST_WARNING)
                                         : A_NORMAL,
                       true);
    }
    const struct pending_item *sel =
        p->lv.cursor < p->items.len ? p->items.items[p->lv.cursor] : NULL;
    draw_text(a, w, rows - 1, 0, width,
              sel != NULL && sel->at_source
                  ? _("Enter: regenerate its key at the source and disable "
                      "the version now")
                  : _("Enter: disable the selected version now"),
              ST_DIM, true);
}

/* A rotation at the source: the old version's key is regenerated at the
 * account, then the version disabled (plan_source_retire). Only
 * disabling it would leave the leaked key valid. */
static void
pending_retire_source(struct app *a, const struct pending_item *it)
{
    if (it->account_id == NULL) {
        app_message(a, true,
                    _("the journal does not name the AI services account of "
                      "%s: retire it with kvdeck secret rotate %s %s "
                      "--at-source --account ID --retire-pending"),
                    it->name, it->vault, it->name);
        return;
    }
    struct source_change c = {.vault_uri = it->vault_uri,
                              .vault_name = it->vault,
                              .name = it->name,
                              .account_id = it->account_id};
    char *why = NULL;
    struct plan *p = plan_source_retire(&c, it->version, &why);
    if (p == NULL) {
        app_message(a, true, "%s", why);
        free(why);
        return;
    }
    struct action_reload r = {.vault_uri = it->vault_uri, .name = it->name};
    action_run(a, p, NULL, &r);
}

static void
pending_disable(struct app *a, const struct pending_item *it)
{
    if (it->at_source) {
        pending_retire_source(a, it);
        return;
    }
    struct kv_secret_version cur = {.name = it->name, .version = it->version};
    cur.attrs.enabled = true;
    struct secret_change c = {.vault_uri = it->vault_uri,
                              .vault_name = it->vault,
                              .name = it->name,
                              .current = &cur};
    struct action_reload r = {.vault_uri = it->vault_uri, .name = it->name};
    action_run(a, plan_secret_disable(&c), NULL, &r);
}

static enum view_result
pending_key(struct app *a, struct screen *s, int ch, bool is_key)
{
    struct pending *p = s->priv;
    if (!is_key && (ch == 'q' || ch == 27))
        return VIEW_CLOSE;
    enum key_action act = keytab_lookup(a->keys, ch);
    if (listview_act(&p->lv, act) >= 0)
        return VIEW_REDRAW;
    switch (act) {
    case ACT_ENTER:
        if (p->lv.cursor < p->items.len)
            pending_disable(a, p->items.items[p->lv.cursor]);
        return VIEW_REDRAW;
    case ACT_BACK:
    case ACT_QUIT:
        return VIEW_CLOSE;
    default:
        return VIEW_HANDLED;
    }
}

/* Reads the journal again now and then while this list is on top. */
/* Whether the journal's size or time changed since it was last read
 * (stat, not a read: the list is checked every second). */
static bool
pending_journal_changed(struct app *a, struct pending *p)
{
    struct stat st;
    const char *path = engine_journal_path(a->eng);
    if (path == NULL || stat(path, &st) != 0)
        st = (struct stat){0};
    bool changed = st.st_size != p->seen.st_size ||
                   st.st_mtim.tv_sec != p->seen.st_mtim.tv_sec ||
                   st.st_mtim.tv_nsec != p->seen.st_mtim.tv_nsec;
    p->seen = st;
    return changed;
}

static int64_t
pending_tick(struct app *a, struct screen *s, int64_t now)
{
    struct pending *p = s->priv;
    if (now < p->next_reload)
        return p->next_reload;
    p->next_reload = now + PENDING_RELOAD_MS;
    if (screen_top(a) == s && pending_journal_changed(a, p)) {
        size_t before = p->items.len;
        pending_read(a, &p->items);
        listview_set_count(&p->lv, p->items.len);
        if (before != p->items.len) {
            s->dirty = true;
            screen_refit(a, s);
        }
    }
    return p->next_reload;
}

static const struct frame_hint pending_hints[] = {
    {.act = ACT_ENTER, .label = N_("disable now")},
    {.act = ACT_DOWN, .label = N_("next")},
    {.act = ACT_BACK, .label = N_("close")},
    {.label = NULL},
};

static const struct frame_hint *
pending_hints_get(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return pending_hints;
}

static void
pending_destroy(struct screen *s)
{
    struct pending *p = s->priv;
    vec_free_all(&p->items, pending_item_free);
    free(p);
}

static const struct screen_ops screen_pending_ops = {
    .name = "pending",
    .key = pending_key,
    .draw = pending_draw,
    .size = pending_size,
    .tick = pending_tick,
    .hints = pending_hints_get,
    .destroy = pending_destroy,
};

void
screen_pending_push(struct app *a)
{
    struct pending *p = xcalloc(1, sizeof *p);
    listview_init(&p->lv);
    pending_journal_changed(a, p);
    pending_read(a, &p->items);
    listview_set_count(&p->lv, p->items.len);
    p->next_reload = time_mono_ms() + PENDING_RELOAD_MS;
    screen_push(a, &screen_pending_ops, p, _("Pending retirements"));
}
