/*
 * app.c — what the panes ask of the console as a whole: focus, the
 * context and the opened vault, transient messages, and secret values
 * (fetched only when asked for, shown for a few seconds or copied).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "tui/app.h"
#include "tui/screen.h"
#include "tui/frame.h"
#include "tui/osc52.h"

void
app_message(struct app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(a->message);
    a->message = xvasprintf(fmt, ap);
    va_end(ap);
    a->message_error = error;
    a->message_until_ms = time_mono_ms() + (error ? 8000 : 4000);
    struct screen *top = screen_top(a);
    a->message_screen = top != NULL ? top->id : 0;
    a->status_dirty = true;
}

bool
app_refuse_read_only(struct app *a)
{
    if (!a->opt.read_only)
        return false;
    app_message(a, true, "%s",
                _("read-only: kvdeck was started with --read-only; nothing "
                  "was sent"));
    return true;
}

void
app_mark_dirty(struct app *a, enum pane_id p)
{
    a->views[p].dirty = true;
}

void
app_focus(struct app *a, enum pane_id p)
{
    if (p == PANE_SECRETS || p == PANE_ENDPOINTS)
        a->right_top = p;
    if (p != PANE_DETAIL)
        a->last_list = p;
    enum pane_id old = a->focus;
    a->focus = p;
    a->views[old].dirty = true;
    a->views[p].dirty = true;
    a->header_dirty = true;
    a->status_dirty = true; /* its key hints follow the focus */
    frame_relayout(a, false);
    a->views[PANE_DETAIL].ops->sync(a, &a->views[PANE_DETAIL], 0);
    a->views[PANE_DETAIL].dirty = true;
}

/* Lets every view catch up with a change it did not see (context,
 * opened vault). */
static void
app_sync_all(struct app *a)
{
    for (int i = 0; i < PANE_COUNT; i++) {
        struct view *v = &a->views[i];
        if (v->ops->sync(a, v, ~0u))
            v->dirty = true;
    }
    a->header_dirty = true;
}

void
app_set_context(struct app *a, struct store_sub *sub, const char *group)
{
    a->ctx_sub = sub;
    free(a->ctx_group);
    a->ctx_group = group ? xstrdup(group) : NULL;
    if (sub != NULL && sub->vaults_load.state == LOAD_NONE)
        store_load_vaults(a->store, sub);
    app_sync_all(a);
}

void
app_open_vault(struct app *a, struct store_vault *v, enum pane_id focus)
{
    int64_t now = time_now();
    a->vault = v;
    enum load_state ss = store_load_state(a->store, &v->secrets_load, now);
    if (ss == LOAD_NONE || ss == LOAD_STALE || ss == LOAD_FAILED)
        store_load_secrets(a->store, v);
    enum load_state es = store_load_state(a->store, &v->endpoints_load, now);
    if (es == LOAD_NONE || es == LOAD_STALE || es == LOAD_FAILED)
        store_load_endpoints(a->store, v);
    app_sync_all(a);
    /* the vaults pane's cursor on it (a :vault, a vault just created) */
    struct view *vv = &a->views[PANE_VAULTS];
    for (size_t r = 0; r < vv->fi.n; r++)
        if (a->store->vaults.items[vv->fi.rows[r]] == v) {
            listview_select(&vv->lv, r);
            vv->dirty = true;
            break;
        }
    app_focus(a, focus);
}

bool
app_is_revealed(const struct app *a, const char *name, const char *version)
{
    const struct reveal *r = &a->reveal;
    return r->value != NULL && !r->copy && a->vault != NULL &&
           str_eq(r->vault_uri, a->vault->vault->vault_uri) &&
           str_eq(r->name, name) &&
           (version == NULL ? r->version == NULL : str_eq(r->version, version));
}

/* Masks a shown value and wipes it. */
void
app_reveal_clear(struct app *a)
{
    struct reveal *r = &a->reveal;
    if (r->job_id != 0)
        engine_cancel(a->eng, r->job_id);
    secret_free(r->value);
    free(r->vault_uri);
    free(r->name);
    free(r->version);
    memset(r, 0, sizeof *r);
    a->views[PANE_SECRETS].dirty = true;
    a->views[PANE_DETAIL].dirty = true;
}

void
app_request_value(struct app *a, const char *vault_uri, const char *name,
                  const char *version, bool copy)
{
    app_reveal_clear(a);
    struct reveal *r = &a->reveal;
    r->copy = copy;
    r->vault_uri = xstrdup(vault_uri);
    r->name = xstrdup(name);
    r->version = version ? xstrdup(version) : NULL;
    struct job *job = job_get_secret_value(vault_uri, name, version);
    job->deliver = app_value_deliver;
    job->ctx = a;
    r->job_id = engine_submit(a->eng, job);
    if (r->job_id == 0) {
        app_message(a, true, "%s", _("the engine is not running"));
        return;
    }
    app_message(a, false,
                copy ? _("fetching %s to copy it…") : _("fetching %s…"), name);
}

/* A GET_SECRET_VALUE result for the current request. */
void
app_value_deliver(void *ctx, struct result *r)
{
    struct app *a = ctx;
    struct reveal *rv = &a->reveal;
    if (r->job_id != rv->job_id || rv->job_id == 0)
        return;
    switch (r->type) {
    case RESULT_PAGE:
        if (r->value == NULL)
            break;
        secret_free(rv->value);
        rv->value = r->value;
        r->value = NULL;
        if (rv->copy) {
            char *why = NULL;
            enum osc52_mode mode =
                osc52_mode_from_env(getenv("TMUX"), getenv("STY"));
            char *name = xstrdup(rv->name);
            enum kv_status st = osc52_write(a->term.fd, rv->value, mode, &why);
            app_reveal_clear(a); /* wipes it; the job's DONE is dropped */
            if (st == KV_OK)
                app_message(a, false, _("copied %s to the clipboard (OSC 52)"),
                            name);
            else
                app_message(a, true, "%s", why);
            free(why);
            free(name);
            break;
        }
        /* Shown from now on, masked again after reveal-seconds. */
        rv->until_ms = time_mono_ms() + (int64_t)a->cfg->reveal_seconds * 1000;
        free(a->message);
        a->message = NULL;
        a->status_dirty = true;
        a->views[PANE_SECRETS].dirty = true;
        a->views[PANE_DETAIL].dirty = true;
        break;
    case RESULT_DONE:
        rv->job_id = 0;
        if (rv->value == NULL) {
            app_message(a, true, _("%s: no value returned"), rv->name);
            app_reveal_clear(a);
        }
        break;
    case RESULT_ERROR: {
        rv->job_id = 0;
        char *msg = xasprintf(
            "%s: %s%s%s%s", rv->name,
            r->message ? r->message : kv_status_message(r->status),
            r->request_id ? " (" : "", r->request_id ? r->request_id : "",
            r->request_id ? ")" : "");
        app_message(a, true, "%s", msg);
        free(msg);
        app_reveal_clear(a);
        break;
    }
    case RESULT_PROGRESS:
    default:
        break;
    }
}
