/*
 * view-deleted.c — the secrets pane's deleted mode (`x` toggles it): the
 * opened vault's soft-deleted secrets with their deletion date and
 * scheduled purge date; the detail pane adds the recovery id. `U`
 * recovers the selected one, `P` purges it (typed name). Key Vault
 * shows a deletion in this list only after a short while, so an empty
 * list right after a delete says to refresh.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/timeutil.h"
#include "tui/action.h"
#include "tui/draw.h"
#include "tui/text.h"
#include "tui/view-secrets.h"

/* The deleted secret on list row `row`, or NULL. */
static const struct kv_deleted_secret *
deleted_at(struct app *a, size_t row)
{
    if (a->vault == NULL || row >= a->vault->deleted.len)
        return NULL;
    return a->vault->deleted.items[row];
}

size_t
view_deleted_count(struct app *a)
{
    return a->vault != NULL ? a->vault->deleted.len : 0;
}

void
view_deleted_title(struct app *a, struct view *v, char *buf, size_t n)
{
    size_t total = view_deleted_count(a);
    if (v->rect.w < 50 || a->vault == NULL)
        snprintf(buf, n, _("Deleted secrets (%zu)"), total);
    else
        snprintf(buf, n, _("Deleted secrets of %s (%zu)"),
                 a->vault->vault->name, total);
}

/* Name, deleted on, purged on: the dates go first when narrow. */
void
view_deleted_draw_row(struct app *a, struct view *v, size_t row, int y)
{
    const struct kv_deleted_secret *d = deleted_at(a, row);
    if (d == NULL)
        return;
    int w = v->rect.w;
    char del[32], purge[32], name[256], line[512];
    draw_date(d->deleted_date, false, del, sizeof del);
    draw_date(d->scheduled_purge_date, false, purge, sizeof purge);
    int namew = w - 2 - 2 * 11 - 1;
    bool dates = namew >= 10;
    text_fit(d->name ? d->name : "?", dates ? namew : w - 2, a->term.g.ellipsis,
             true, name, sizeof name);
    if (dates)
        snprintf(line, sizeof line, "  %s %-10s %-10s", name, del, purge);
    else
        snprintf(line, sizeof line, "  %s", name);
    draw_text_attr(a, v->win, y, 0, w, line,
                   draw_row_attr(a, v, row == v->lv.cursor), true);
}

void
view_deleted_draw(struct app *a, struct view *v)
{
    if (v->lv.n == 0) {
        const struct load *l = &a->vault->deleted_load;
        const char *empty =
            l->state == LOAD_LOADING  ? _("loading deleted secrets…")
            : l->state == LOAD_FAILED ? _("could not list the deleted secrets")
                                      : _("no deleted secrets (a deletion "
                                          "shows after a while: r reloads)");
        draw_text(a, v->win, 1, 1, v->rect.w - 2, empty, ST_DIM, false);
        return;
    }
    char name[256], line[512];
    int namew = v->rect.w - 2 - 2 * 11 - 1;
    if (namew >= 10) {
        text_fit(_("Name"), namew, a->term.g.ellipsis, true, name, sizeof name);
        /* TRANSLATORS: column headings of the deleted secrets, each
         * 10 characters wide */
        snprintf(line, sizeof line, "  %s %-10.10s %-10.10s", name,
                 _("Deleted"), _("Purge on"));
        draw_text(a, v->win, 1, 0, v->rect.w, line, ST_DIM, true);
    }
    for (int y = 0; y < v->lv.height; y++) {
        size_t row = listview_row_at(&v->lv, y);
        if (row == (size_t)-1 || row >= v->lv.n)
            break;
        view_deleted_draw_row(a, v, row, v->body_y + y);
    }
}

void
view_deleted_detail(struct app *a, struct view *v, struct buf *out)
{
    const struct kv_deleted_secret *d = deleted_at(a, v->lv.cursor);
    if (d == NULL)
        return;
    char t[40];
    buf_printf(out, "%s %s\n", _("Deleted secret"), d->name);
    draw_date(d->deleted_date, true, t, sizeof t);
    buf_printf(out, "%s: %s\n", _("Deleted"), t);
    draw_date(d->scheduled_purge_date, true, t, sizeof t);
    buf_printf(out, "%s: %s\n", _("Scheduled purge"), t);
    buf_printf(out, "%s: %s\n", _("Recovery id"),
               d->recovery_id ? d->recovery_id : "-");
    buf_printf(out, "%s: %s\n", _("Recovery level"),
               d->attrs.recovery_level ? d->attrs.recovery_level : "-");
    buf_printf(out, "%s: %s\n", _("Content type"),
               d->content_type ? d->content_type : "-");
    if (d->json)
        buf_printf(out, "\n%s", d->json);
}

const char *
view_deleted_selected_name(struct app *a, struct view *v)
{
    const struct kv_deleted_secret *d = deleted_at(a, v->lv.cursor);
    return d != NULL ? d->name : NULL;
}

enum view_result
view_deleted_key(struct app *a, struct view *v, enum key_action act)
{
    const struct kv_deleted_secret *d = deleted_at(a, v->lv.cursor);
    switch (act) {
    case ACT_RECOVER:
    case ACT_PURGE:
        if (d == NULL || d->name == NULL) {
            app_message(a, false, "%s", _("no deleted secret selected"));
            return VIEW_HANDLED;
        }
        if (act == ACT_RECOVER)
            action_deleted_recover(a, a->vault->vault->vault_uri,
                                   a->vault->vault->name, d->name);
        else
            action_deleted_purge(a, a->vault->vault->vault_uri,
                                 a->vault->vault->name, d->name);
        return VIEW_HANDLED;
    case ACT_ENTER:
        if (d != NULL)
            app_focus(a, PANE_DETAIL);
        return VIEW_REDRAW_ALL;
    case ACT_REFRESH:
        store_load_deleted(a->store, a->vault);
        return VIEW_REDRAW;
    case ACT_REVEAL:
    case ACT_COPY:
    case ACT_EDIT:
    case ACT_DELETE:
    case ACT_COPY_TO:
        app_message(a, false, "%s",
                    _("a deleted secret: recover it first (U), or x for the "
                      "secrets"));
        return VIEW_HANDLED;
    default:
        return VIEW_IGNORED;
    }
}

/* ---- recover and purge ----------------------------------------------------
 */

void
action_deleted_recover(struct app *a, const char *vault_uri,
                       const char *vault_name, const char *name)
{
    struct secret_change c = {
        .vault_uri = vault_uri, .vault_name = vault_name, .name = name};
    struct action_reload r = {.vault_uri = vault_uri};
    action_run(a, plan_secret_recover(&c), NULL, &r);
}

void
action_deleted_purge(struct app *a, const char *vault_uri,
                     const char *vault_name, const char *name)
{
    struct secret_change c = {
        .vault_uri = vault_uri, .vault_name = vault_name, .name = name};
    struct action_reload r = {.vault_uri = vault_uri};
    /* irreversible: the review asks for the name (plan_confirm_name()),
     * and a vault with purge protection refuses in Azure's words */
    action_run(a, plan_secret_purge(&c), NULL, &r);
}
