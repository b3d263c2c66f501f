/*
 * loop.c — the console's main loop: poll() on the terminal, the engine's
 * wake pipe and the signal pipe; keys go to the top modal screen, else
 * to the focused pane, results to the store (or to the screen that
 * asked), and each turn ends with one update of the dirty windows
 * (paint_update()).
 * Nothing here waits for the network.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "tui/action.h"
#include "tui/app.h"
#include "tui/frame.h"
#include "tui/screen-signin.h"
#include "tui/screen.h"
#include "tui/signals.h"
#include "tui/wizard-attach.h"
#include "tui/wizard-rotate.h"
#include "tui/wizard-secret.h"
#include "tui/wizard-vault.h"

#define LOOP_TICK_MS 500

static uint64_t
loop_submit(void *ctx, struct job *job)
{
    return engine_submit(ctx, job);
}

static void
loop_cancel(void *ctx, uint64_t id)
{
    engine_cancel(ctx, id);
}

/* Applies the config's "bind" lines; errors name file and line. */
static enum kv_status
loop_bind_keys(struct app *a, char **why)
{
    for (size_t i = 0; i < a->cfg->nbinds; i++) {
        char *msg = NULL;
        const struct config_bind *b = &a->cfg->binds[i];
        if (keytab_bind(a->keys, b->key, b->action, &msg) != KV_OK) {
            /* msg quotes the file: no control characters to the terminal */
            char *raw =
                xasprintf("%s:%d: %s", a->cfg->path ? a->cfg->path : "config",
                          b->line, msg);
            *why = str_escape_ctl(raw);
            free(raw);
            free(msg);
            return KV_ERR_CONFIG;
        }
    }
    return KV_OK;
}

static void
loop_init_views(struct app *a)
{
    static const struct view_ops *const ops[PANE_COUNT] = {
        [PANE_CONTEXT] = &view_context_ops,
        [PANE_VAULTS] = &view_vaults_ops,
        [PANE_SECRETS] = &view_secrets_ops,
        [PANE_ENDPOINTS] = &view_endpoints_ops,
        [PANE_DETAIL] = &view_detail_ops,
    };
    for (int i = 0; i < PANE_COUNT; i++) {
        struct view *v = &a->views[i];
        v->ops = ops[i];
        v->id = (enum pane_id)i;
        listview_init(&v->lv);
        filter_index_init(&v->fi);
        v->dirty = true;
        v->rows_dirty[0] = v->rows_dirty[1] = (size_t)-1;
        v->scroll_by = 0;
    }
}

/* Starts what a new subscription needs, and acts on the config's start
 * context once its subscription is known. */
static void
loop_after_subs(struct app *a)
{
    for (size_t i = 0; i < a->store->subs.len; i++) {
        struct store_sub *sub = a->store->subs.items[i];
        if (sub->vaults_load.state == LOAD_NONE)
            store_load_vaults(a->store, sub);
    }
    if (a->cfg->subscription != NULL && a->ctx_sub == NULL) {
        struct store_sub *sub = store_find_sub(a->store, a->cfg->subscription);
        if (sub != NULL) {
            app_set_context(a, sub, a->cfg->group);
            free(a->cfg->subscription);
            a->cfg->subscription = NULL;
        } else if (a->store->subs_load.state == LOAD_FRESH) {
            /* the list is in and names no such subscription: say so
             * rather than open on everything as if none were asked */
            app_message(a, true,
                        _("configuration: subscription = %s matches none of "
                          "the %zu subscriptions this sign-in can see"),
                        a->cfg->subscription, a->store->subs.len);
            free(a->cfg->subscription);
            a->cfg->subscription = NULL;
            free(a->cfg_group_check);
            a->cfg_group_check = NULL;
        }
    }
}

/* The configuration's "group =": once every vault list it could match
 * is in, a group no vault is in is said, not silently shown empty. */
static void
loop_check_config_group(struct app *a)
{
    if (a->cfg_group_check == NULL || a->cfg->subscription != NULL ||
        a->store->subs_load.state != LOAD_FRESH)
        return; /* still waiting for the subscription it belongs to */
    for (size_t i = 0; i < a->store->subs.len; i++) {
        struct store_sub *sub = a->store->subs.items[i];
        if (a->ctx_sub != NULL && sub != a->ctx_sub)
            continue;
        if (sub->vaults_load.state == LOAD_NONE ||
            sub->vaults_load.state == LOAD_LOADING)
            return;
    }
    bool found = false;
    for (size_t i = 0; !found && i < a->store->vaults.len; i++) {
        const struct kv_vault *v =
            ((struct store_vault *)a->store->vaults.items[i])->vault;
        found = v->resource_group != NULL &&
                str_ieq(v->resource_group, a->cfg_group_check) &&
                (a->ctx_sub == NULL ||
                 str_ieq(v->subscription_id, a->ctx_sub->sub->subscription_id));
    }
    if (!found)
        app_message(a, true,
                    _("configuration: group = %s matches no vault's "
                      "resource group"),
                    a->cfg_group_check);
    free(a->cfg_group_check);
    a->cfg_group_check = NULL;
}

enum {
    BENCH_FIRST_VAULT = 1,
    BENCH_ALL_VAULTS = 2,
    BENCH_OPEN = 4,
    BENCH_FIRST_SECRET = 8,
    BENCH_ALL_SECRETS = 16,
};

static void
loop_bench_mark(struct app *a, unsigned bit, const char *name, size_t n)
{
    if (a->bench_done & bit)
        return;
    a->bench_done |= bit;
    fprintf(a->bench, "%s %lld %zu\n", name,
            (long long)(time_mono_ms() - a->bench_t0), n);
    fflush(a->bench);
}

/* After a frame is on the screen: which milestones does it show? */
static void
loop_bench(struct app *a)
{
    if (a->bench == NULL)
        return;
    if (a->views[PANE_VAULTS].fi.n > 0)
        loop_bench_mark(a, BENCH_FIRST_VAULT, "first_vault_row",
                        a->views[PANE_VAULTS].fi.n);
    bool all =
        a->store->subs_load.state == LOAD_FRESH && a->store->subs.len > 0;
    for (size_t i = 0; all && i < a->store->subs.len; i++) {
        struct store_sub *sub = a->store->subs.items[i];
        all = sub->vaults_load.state == LOAD_FRESH ||
              sub->vaults_load.state == LOAD_FAILED;
    }
    if (all) {
        loop_bench_mark(a, BENCH_ALL_VAULTS, "all_vaults",
                        a->store->vaults.len);
        if (a->bench_open != NULL && !(a->bench_done & BENCH_OPEN)) {
            struct store_vault *v = store_find_vault(a->store, a->bench_open);
            if (v != NULL) {
                loop_bench_mark(a, BENCH_OPEN, "open_vault", 0);
                app_open_vault(a, v, PANE_SECRETS);
            }
        }
    }
    if (a->vault != NULL && (a->bench_done & BENCH_OPEN)) {
        if (a->views[PANE_SECRETS].fi.n > 0)
            loop_bench_mark(a, BENCH_FIRST_SECRET, "first_secret_row",
                            a->views[PANE_SECRETS].fi.n);
        if (a->vault->secrets_load.state == LOAD_FRESH)
            loop_bench_mark(a, BENCH_ALL_SECRETS, "all_secrets",
                            a->vault->secrets.len);
    }
}

static void
loop_results(struct app *a)
{
    struct result *r;
    unsigned changes = 0;
    while ((r = engine_next_result(a->eng)) != NULL) {
        result_dispatch(r); /* to whoever asked: store, reveal, screens */
        result_free(r);
    }
    changes = store_take_changes(a->store) | a->store_changes;
    a->store_changes = 0;
    if (changes == 0)
        return;
    if (changes & STORE_SUBS)
        loop_after_subs(a);
    if (changes & (STORE_SUBS | STORE_VAULTS | STORE_STATUS))
        loop_check_config_group(a);
    if (changes & STORE_REMOVED) {
        /* The opened vault may be gone. */
        bool found = false;
        for (size_t i = 0; i < a->store->vaults.len; i++)
            if (a->store->vaults.items[i] == a->vault)
                found = true;
        if (!found && a->vault != NULL) {
            a->vault = NULL;
            app_reveal_clear(a);
        }
    }
    for (int i = 0; i < PANE_COUNT; i++) {
        struct view *v = &a->views[i];
        if (v->ops->sync(a, v, changes))
            v->dirty = true;
    }
    if (changes & (STORE_VAULTS | STORE_STATUS))
        app_pending_vault(a);
    a->header_dirty = true;
    a->status_dirty = true;
}

/* The selection moved: the detail pane follows, drawing only the lines
 * that changed (draw_changes) unless it is to be drawn whole anyway. */
static void
loop_detail_changed(struct app *a)
{
    struct view *d = &a->views[PANE_DETAIL];
    if (!d->ops->sync(a, d, 0))
        return;
    if (d->ops->draw_changes != NULL && !d->dirty)
        d->rows_dirty[0] = 0; /* frame_rows() asks draw_changes */
    else
        d->dirty = true;
}

/* A key for the list in the focused pane. */
static enum view_result
loop_list_key(struct app *a, struct view *v, enum key_action act)
{
    size_t old_cursor = v->lv.cursor, old_top = v->lv.top;
    int moved = listview_act(&v->lv, act);
    if (moved < 0)
        return VIEW_IGNORED;
    if (moved == 0)
        return VIEW_HANDLED;
    long scrolled = (long)v->lv.top - (long)old_top;
    if (v->ops->draw_row != NULL && !v->dirty &&
        v->rows_dirty[0] == (size_t)-1 && v->scroll_by == 0 &&
        labs(scrolled) < v->lv.height) {
        /* Only the cursor moved, scrolling the list by less than a page:
         * the lines that stay move as they are (frame_rows), and what is
         * drawn is the two cursor rows and the rows that came into view
         * — not every row of the page. */
        v->scroll_by = scrolled;
        v->rows_dirty[0] = old_cursor;
        v->rows_dirty[1] = v->lv.cursor;
        a->header_dirty = true;
        loop_detail_changed(a);
        return VIEW_HANDLED;
    }
    return VIEW_REDRAW;
}

/* The pane Tab (dir 1) or BTab (-1) goes to: every pane in turn,
 * context, vaults, secrets, endpoints, detail. Where secrets and
 * endpoints share a spot (80x24), Tab shows one, then the other, so the
 * endpoints are found without knowing their key. */
static enum pane_id
loop_next_pane(struct app *a, int dir)
{
    int p = (int)a->focus;
    for (int i = 0; i < PANE_COUNT; i++) {
        p = (p + dir + PANE_COUNT) % PANE_COUNT;
        if (a->lay.single || a->lay.visible[p] || p == PANE_SECRETS ||
            p == PANE_ENDPOINTS)
            return (enum pane_id)p;
    }
    return a->focus;
}

static void
loop_start_mode(struct app *a, enum input_mode m)
{
    a->mode = m;
    if (m == MODE_FILTER)
        cmdline_start(&a->cmd, '/', a->views[a->focus].fi.pattern);
    else
        cmdline_start(&a->cmd, ':', NULL);
    a->status_dirty = true;
}

static void
loop_apply_result(struct app *a, struct view *v, enum view_result res)
{
    if (res & VIEW_REDRAW) {
        v->dirty = true;
        a->header_dirty = true;
        if (v->id != PANE_DETAIL &&
            a->views[PANE_DETAIL].ops->sync(a, &a->views[PANE_DETAIL], 0))
            a->views[PANE_DETAIL].dirty = true;
        a->views[PANE_DETAIL].dirty |= v->id == PANE_DETAIL;
    }
    if (res & VIEW_REDRAW_ALL) {
        for (int i = 0; i < PANE_COUNT; i++)
            a->views[i].dirty = true;
        a->views[PANE_DETAIL].ops->sync(a, &a->views[PANE_DETAIL], 0);
        a->header_dirty = a->status_dirty = true;
    }
    if (res & VIEW_QUIT)
        a->quit = true;
}

static void
loop_action(struct app *a, enum key_action act)
{
    struct view *v = &a->views[a->focus];
    /* One place for --read-only: a writing action goes no further. */
    if (keys_action_writes(act) && app_refuse_read_only(a))
        return;
    switch (act) {
    case ACT_QUIT:
        a->quit = true;
        return;
    case ACT_HELP:
        screen_help_push(a);
        return;
    case ACT_COMMAND:
        loop_start_mode(a, MODE_COMMAND);
        return;
    case ACT_FILTER:
        if (v->ops->filter == NULL) {
            app_message(a, false, "%s", _("this pane has no filter"));
            return;
        }
        loop_start_mode(a, MODE_FILTER);
        return;
    case ACT_REDRAW:
        clearok(curscr, TRUE);
        a->all_dirty = true;
        return;
    case ACT_REFRESH:
        if (screen_signin_retry(a)) /* after a failed sign-in: a new code */
            return;
        break;
    case ACT_NEW_SECRET:
        if (a->focus == PANE_VAULTS) /* in the vaults pane: a new vault */
            wizard_vault_new(a);
        else
            wizard_secret_new_here(a, NULL);
        return;
    case ACT_NEW_VERSION:
        wizard_secret_version_selected(a);
        return;
    case ACT_ROTATE:
        wizard_rotate_selected(a);
        return;
    case ACT_ATTACH:
        wizard_attach_new(a);
        return;
    case ACT_NEXT_PANE:
    case ACT_PREV_PANE:
        app_focus(a, loop_next_pane(a, act == ACT_NEXT_PANE ? 1 : -1));
        return;
    case ACT_DETAIL:
        app_focus(a, PANE_DETAIL);
        return;
    case ACT_COPY_ID:
        action_copy_id(a);
        return;
    case ACT_DELETED:
        if (a->focus == PANE_VAULTS)
            break; /* the vaults pane: the subscription's deleted vaults */
        /* the deleted secrets are a mode of the secrets pane */
        if (a->vault == NULL) {
            app_message(a, false, "%s", _("open a vault first"));
            return;
        }
        if (a->focus != PANE_SECRETS)
            app_focus(a, PANE_SECRETS);
        v = &a->views[PANE_SECRETS];
        break;
    case ACT_SECRETS:
    case ACT_ENDPOINTS:
        if (a->focus == PANE_VAULTS)
            break; /* the vaults pane opens the vault under the cursor */
        if (a->vault == NULL) {
            app_message(a, false, "%s", _("open a vault first"));
            return;
        }
        app_focus(a, act == ACT_SECRETS ? PANE_SECRETS : PANE_ENDPOINTS);
        return;
    default:
        break;
    }
    enum view_result res = v->ops->key ? v->ops->key(a, v, act) : VIEW_IGNORED;
    if (res == VIEW_IGNORED && act == ACT_BACK) {
        /* Back: first drop the filter, then go to the parent pane. */
        if (v->fi.pattern != NULL && v->fi.pattern[0] != '\0' &&
            v->ops->filter != NULL) {
            v->ops->filter(a, v, "");
            res = VIEW_REDRAW;
        } else {
            static const enum pane_id parent[PANE_COUNT] = {
                [PANE_CONTEXT] = PANE_CONTEXT, [PANE_VAULTS] = PANE_CONTEXT,
                [PANE_SECRETS] = PANE_VAULTS,  [PANE_ENDPOINTS] = PANE_VAULTS,
                [PANE_DETAIL] = PANE_DETAIL,
            };
            enum pane_id to =
                v->id == PANE_DETAIL ? a->last_list : parent[v->id];
            if (to != v->id)
                app_focus(a, to);
            res = VIEW_REDRAW_ALL;
        }
    }
    if (res == VIEW_IGNORED && v->id != PANE_DETAIL)
        res = loop_list_key(a, v, act);
    if (res == VIEW_IGNORED &&
        (act == ACT_REVEAL || act == ACT_COPY || act == ACT_EDIT ||
         act == ACT_DELETE || act == ACT_COPY_TO))
        app_message(a, false, "%s",
                    _("select a secret or a version in the secrets pane"));
    if (res == VIEW_IGNORED && act == ACT_PURGE_PROTECTION)
        app_message(a, false, "%s",
                    _("select a vault in the vaults pane to protect it from "
                      "purging"));
    if (res == VIEW_IGNORED &&
        (act == ACT_PUBLIC_ACCESS || act == ACT_DEFAULT_ACTION ||
         act == ACT_ADD_IP_RULE || act == ACT_ADD_VNET_RULE ||
         act == ACT_APPROVE || act == ACT_REJECT))
        app_message(a, false, "%s",
                    _("open a vault and press e: its network and endpoints "
                      "are changed there"));
    if (res == VIEW_IGNORED && (act == ACT_RECOVER || act == ACT_PURGE))
        app_message(a, false, "%s",
                    _("press x in the secrets pane for the deleted secrets"));
    loop_apply_result(a, v, res);
}

static void
loop_mouse(struct app *a)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || a->lay.too_small || a->mode != MODE_NORMAL ||
        screen_top(a) != NULL)
        return;
    for (int i = 0; i < PANE_COUNT; i++) {
        struct view *v = &a->views[i];
        if (!a->lay.visible[i] || ev.y < v->rect.y ||
            ev.y >= v->rect.y + v->rect.h || ev.x < v->rect.x ||
            ev.x >= v->rect.x + v->rect.w)
            continue;
        if (a->focus != v->id)
            app_focus(a, v->id);
        if (ev.bstate & BUTTON4_PRESSED) {
            loop_action(a, ACT_UP);
            loop_action(a, ACT_UP);
            loop_action(a, ACT_UP);
        } else if (ev.bstate & BUTTON5_PRESSED) {
            loop_action(a, ACT_DOWN);
            loop_action(a, ACT_DOWN);
            loop_action(a, ACT_DOWN);
        } else if (v->id != PANE_DETAIL) {
            size_t row = listview_row_at(&v->lv, ev.y - v->rect.y - v->body_y);
            if (row != (size_t)-1 && listview_select(&v->lv, row))
                loop_apply_result(a, v, VIEW_REDRAW);
        }
        return;
    }
}

static void
loop_key(struct app *a, int ch, bool is_key)
{
    if (is_key && ch == KEY_MOUSE) {
        loop_mouse(a);
        return;
    }
    if (is_key && ch == KEY_RESIZE) {
        frame_relayout(a, true);
        return;
    }
    if (a->lay.too_small) {
        if (!is_key && (ch == 'q' || ch == 3))
            a->quit = true;
        return;
    }
    if (!is_key && keytab_lookup(a->keys, ch) == ACT_REDRAW && ch < 32) {
        /* C-l redraws wherever the keys go (a control key, so a form
         * field never loses a letter to it). */
        clearok(curscr, TRUE);
        a->all_dirty = true;
        return;
    }
    if (screen_key(a, ch, is_key))
        return;
    switch (a->mode) {
    case MODE_FILTER:
    case MODE_COMMAND: {
        enum cmdline_result r = cmdline_feed(&a->cmd, ch, is_key);
        char text[CMDLINE_MAX * 4];
        cmdline_text(&a->cmd, text, sizeof text);
        struct view *v = &a->views[a->focus];
        a->status_dirty = true;
        if (a->mode == MODE_FILTER) {
            if (r == CMDLINE_CHANGED || r == CMDLINE_CANCEL) {
                v->ops->filter(a, v, r == CMDLINE_CANCEL ? "" : text);
                loop_apply_result(a, v, VIEW_REDRAW);
            }
            if (r == CMDLINE_ACCEPT || r == CMDLINE_CANCEL)
                a->mode = MODE_NORMAL;
            return;
        }
        if (r == CMDLINE_CANCEL)
            a->mode = MODE_NORMAL;
        if (r == CMDLINE_ACCEPT) {
            a->mode = MODE_NORMAL;
            app_command(a, text);
        }
        return;
    }
    case MODE_NORMAL:
    default:
        break;
    }
    enum key_action act = keytab_lookup(a->keys, is_key ? ch : ch);
    if (act != ACT_NONE)
        loop_action(a, act);
}

static void
loop_signal(struct app *a, int sig)
{
    switch (sig) {
    case SIGWINCH:
        term_resize(&a->term);
        frame_relayout(a, true);
        break;
    case SIGTSTP:
        term_suspend(&a->term);
        frame_relayout(a, true);
        break;
    case SIGCONT:
        /* The size may have changed while stopped: lay out anew, the
         * screens included. */
        term_resize(&a->term);
        frame_relayout(a, true);
        clearok(curscr, TRUE);
        a->all_dirty = true;
        break;
    case SIGTERM:
    case SIGHUP:
    case SIGINT:
        a->quit = true;
        break;
    default:
        break;
    }
}

/* Timers: masking a shown value, expiring messages, the spinner. Returns
 * the poll timeout in ms (-1: none). */
static int
loop_timers(struct app *a)
{
    int64_t now = time_mono_ms();
    int64_t next = -1;
    if (a->reveal.value != NULL && !a->reveal.copy && a->reveal.until_ms > 0) {
        if (now >= a->reveal.until_ms) {
            app_reveal_clear(a);
        } else {
            /* once a second for the countdown shown next to the value */
            int64_t t = now + 1000 - (a->reveal.until_ms - now) % 1000;
            if (t > a->reveal.until_ms)
                t = a->reveal.until_ms;
            next = t;
            if (now >= a->next_tick_ms) {
                a->views[PANE_SECRETS].dirty = true;
                a->views[PANE_DETAIL].dirty = true;
                a->next_tick_ms = now + 1000;
            }
        }
    }
    if (a->message != NULL) {
        if (now >= a->message_until_ms) {
            free(a->message);
            a->message = NULL;
            a->status_dirty = true;
        } else if (next < 0 || a->message_until_ms < next) {
            next = a->message_until_ms;
        }
    }
    struct engine_stats st;
    engine_stats(a->eng, &st);
    bool busy = st.jobs > 0 || st.in_flight > 0 || st.throttled;
    if (busy != a->last_busy) {
        /* activity started or ended: the status bar must say so */
        a->last_busy = busy;
        a->status_dirty = true;
    }
    if (busy) {
        static const int64_t tick = LOOP_TICK_MS;
        if (now >= a->next_tick_ms - 1) {
            a->spin++;
            a->status_dirty = true;
            for (int i = 0; i < PANE_COUNT; i++) {
                struct view *v = &a->views[i];
                const struct load *l = v->ops->load ? v->ops->load(a, v) : NULL;
                if (l != NULL && l->state == LOAD_LOADING)
                    v->dirty = true;
            }
            a->next_tick_ms = now + tick;
        }
        if (next < 0 || a->next_tick_ms < next)
            next = a->next_tick_ms;
    } else if (a->store->last_error != NULL &&
               time_now() - a->store->last_error_at < 61) {
        /* wake up once to take an old error off the status bar */
        int64_t t = now + 1000;
        if (next < 0 || t < next)
            next = t;
        a->status_dirty = true;
    }
    int timeout = next < 0 ? -1 : next - now > 0 ? (int)(next - now) : 0;
    int screens = screen_tick(a, now);
    if (screens >= 0 && (timeout < 0 || screens < timeout))
        timeout = screens;
    return timeout;
}

int
app_run(const struct app_options *opt, char **why)
{
    struct app app;
    struct app *a = &app;
    memset(a, 0, sizeof *a);
    a->opt = *opt;
    a->eng = opt->engine;
    a->cfg = opt->cfg;
    a->keys = keytab_new(opt->read_only);
    a->focus = PANE_VAULTS;
    a->right_top = PANE_SECRETS;
    a->last_list = PANE_VAULTS;
    int rc = 1;
    /* Config problems first, while the terminal is still normal. */
    if (loop_bind_keys(a, why) != KV_OK ||
        term_apply_styles(&a->term, a->cfg, why) != KV_OK)
        goto out_keys;
    if (signals_init(why) != KV_OK)
        goto out_keys;
    const char *bench = getenv("KVDECK_BENCH");
    if (bench != NULL && *bench != '\0') {
        a->bench = fopen(bench, "w");
        a->bench_open = getenv("KVDECK_BENCH_OPEN");
        a->bench_t0 = time_mono_ms();
    }
    /* The subscriptions (and the token before them) are asked for
     * before the terminal is set up: the first vault row waits on the
     * network, not on curses. Results wait in the engine's queue until
     * the loop runs; a device code to show reaches the sign-in screen. */
    a->store = store_new(loop_submit, loop_cancel, a->eng);
    a->store->graph_threshold = a->cfg->graph_threshold;
    engine_on_sign_in(a->eng, screen_signin_deliver, a);
    store_load_subscriptions(a->store);
    if (term_open(&a->term, a->cfg, why) != KV_OK) {
        store_free(a->store);
        if (a->bench != NULL)
            fclose(a->bench);
        goto out_keys;
    }
    term_apply_styles(&a->term, a->cfg, why);
    loop_init_views(a);
    if (a->cfg->group != NULL) {
        a->cfg_group_check = xstrdup(a->cfg->group);
        /* a group without a subscription: that group in any of them */
        if (a->cfg->subscription == NULL)
            app_set_context(a, NULL, a->cfg->group);
    }
    if (a->cfg->vault != NULL) {
        if (str_istarts(a->cfg->vault, "https://")) {
            char *w = NULL;
            struct store_vault *v =
                store_add_vault_uri(a->store, a->cfg->vault, &w);
            if (v != NULL)
                app_open_vault(a, v, PANE_SECRETS);
            free(w);
        } else {
            a->pending_vault = xstrdup(a->cfg->vault);
        }
    }
    action_pending_notice(a); /* "2 pending retirements, 1 due" */
    frame_relayout(a, true);
    for (int i = 0; i < PANE_COUNT; i++)
        a->views[i].ops->sync(a, &a->views[i], ~0u);

    struct pollfd fds[3];
    while (!a->quit) {
        int timeout = loop_timers(a);
        frame_render(a);
        loop_bench(a);
        fds[0].fd = STDIN_FILENO;
        fds[0].events = POLLIN;
        fds[1].fd = engine_wake_fd(a->eng);
        fds[1].events = POLLIN;
        fds[2].fd = signals_fd();
        fds[2].events = POLLIN;
        int n = poll(fds, 3, timeout);
        if (n < 0 && errno != EINTR)
            break;
        if (fds[2].revents & POLLIN) {
            int sig;
            while ((sig = signals_next()) != 0)
                loop_signal(a, sig);
        }
        if (fds[0].revents & (POLLHUP | POLLERR))
            a->quit = true;
        if (fds[0].revents & POLLIN) {
            wint_t wc;
            int r;
            while ((r = wget_wch(stdscr, &wc)) != ERR && !a->quit)
                loop_key(a, (int)wc, r == KEY_CODE_YES);
        }
        if (fds[1].revents & POLLIN)
            loop_results(a);
        screen_reap(a);
    }
    rc = 0;
    screen_free_all(a);
    app_reveal_clear(a);
    frame_free(a);
    term_close(&a->term);
    for (int i = 0; i < PANE_COUNT; i++) {
        struct view *v = &a->views[i];
        if (v->ops->destroy)
            v->ops->destroy(v);
        filter_index_free(&v->fi);
    }
    store_free(a->store);
    free(a->ctx_group);
    free(a->cfg_group_check);
    free(a->pending_vault);
    free(a->message);
    if (a->bench != NULL)
        fclose(a->bench);
out_keys:
    keytab_free(a->keys);
    return rc;
}
