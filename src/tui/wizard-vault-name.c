/*
 * wizard-vault-name.c — the create-a-vault wizard's first page: the name
 * and the subscription. The name is checked as it is typed: its shape at
 * once (plan_check_vault_name), and whether Azure has it free after a
 * pause of WV_CHECK_PAUSE_MS (JOB_CHECK_VAULT_NAME); typing on cancels
 * the check still out (engine_cancel), so only the last one counts. A
 * deleted vault of this subscription holding the name is offered to be
 * recovered, or purged (which purge protection forbids: then it says so
 * and asks for another name), or another name is typed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/job.h"
#include "tui/action.h"
#include "tui/draw.h"
#include "tui/widget-form.h"
#include "tui/wizard-vault-int.h"

#define WV_CHECK_PAUSE_MS 300

/* The field's check: the shape of a name, and a name Azure said is
 * taken (so Next stays refused until another is typed). */
static const char *
wv_check_name(const char *text, void *ctx)
{
    struct wvault *wv = ctx;
    const char *bad = plan_check_vault_name(text);
    if (bad != NULL)
        return bad;
    if (wv->ns == WV_NAME_TAKEN && wv->check != NULL &&
        str_ieq(wv->check->name, text))
        return _("this name is taken: a vault name is unique in all of "
                 "Azure");
    return NULL;
}

struct form *
wv_name_page(struct app *a, struct wvault *wv)
{
    struct form *f = form_new();
    char *uri = engine_vault_uri(a->eng, "NAME");
    char *t = uri != NULL
                  ? xasprintf(_("A new key vault. Its name is its address "
                                "(%s), so it must be free in all of Azure."),
                              uri)
                  : xstrdup(_("A new key vault. Its name must be free in all "
                              "of Azure."));
    form_add_info(f, t);
    free(t);
    free(uri);
    wv->f_name = form_add_text(f, _("Name"), wv->name, 24, wv_check_name, wv);
    form_set_hint(f, wv->f_name,
                  _("3-24 letters, digits and -, starting with a letter"));
    const char **subs = xcalloc(wv->sub_ids.len + 1, sizeof *subs);
    for (size_t i = 0; i < wv->sub_ids.len; i++) {
        struct store_sub *s = store_find_sub(a->store, wv->sub_ids.items[i]);
        subs[i] = s != NULL && s->sub->display_name != NULL
                      ? s->sub->display_name
                      : (const char *)wv->sub_ids.items[i];
    }
    wv->f_sub = form_add_choice(f, _("Subscription"), subs, wv->sub_ids.len,
                                wv->sub_choice);
    free(subs);
    /* a name kept from before is checked again */
    free(wv->seen);
    wv->seen = NULL;
    return f;
}

/* Stops the check still out, if any. */
static void
wv_cancel_check(struct app *a, struct wvault *wv)
{
    if (wv->check_job != 0)
        engine_cancel(a->eng, wv->check_job);
    wv->check_job = 0;
}

/* The subscription a vault the console knows lives in, by name. */
static const char *
wv_known_owner(struct app *a, const char *name)
{
    struct store_vault *v = store_find_vault(a->store, name);
    if (v == NULL || v->vault->subscription_id == NULL)
        return NULL;
    struct store_sub *s = store_find_sub(a->store, v->vault->subscription_id);
    return s != NULL && s->sub->display_name != NULL
               ? s->sub->display_name
               : v->vault->subscription_id;
}

/* Puts the state of the check under the name field. */
static void
wv_say(struct app *a, struct wvault *wv, struct form *f)
{
    const char *name = form_text(f, wv->f_name);
    char *hint = NULL, *err = NULL, day[32];
    switch (wv->ns) {
    case WV_NAME_EMPTY:
        hint = xstrdup(_("3-24 letters, digits and -, starting with a letter"));
        break;
    case WV_NAME_INVALID:
        break; /* the field's check says why */
    case WV_NAME_WAIT:
    case WV_NAME_CHECKING:
        hint = xstrdup(_("asking Azure whether the name is free…"));
        break;
    case WV_NAME_FREE:
        hint = xasprintf(_("%s %s is free"), a->term.g.yes, name);
        break;
    case WV_NAME_TAKEN: {
        const char *owner = wv_known_owner(a, name);
        if (owner != NULL)
            err = xasprintf(_("%s is taken: it is your vault in %s"), name,
                            owner);
        else if (wv->check != NULL && wv->check->message != NULL &&
                 str_eq(wv->check->reason, "AccountNameInvalid"))
            err = xstrdup(wv->check->message);
        else
            err = xasprintf(_("%s is taken by a vault in another "
                              "subscription or tenant: a vault name is "
                              "unique in all of Azure"),
                            name);
        break;
    }
    case WV_NAME_DELETED:
        draw_date(wv->check->deleted->scheduled_purge_date, false, day,
                  sizeof day);
        hint = xasprintf(_("%s a deleted vault holds %s until %s: Next "
                           "offers to recover or purge it"),
                         a->term.g.warn, name, day);
        break;
    case WV_NAME_UNKNOWN:
    default:
        hint = xasprintf(_("could not check the name (%s); creating the "
                           "vault will tell"),
                         wv->check_error != NULL ? wv->check_error : "?");
        break;
    }
    form_set_hint(f, wv->f_name, hint);
    form_set_error(f, wv->f_name, err);
    free(hint);
    free(err);
    wizard_page_changed(a, wv->w, WV_PAGE_NAME);
}

int64_t
wv_name_tick(struct app *a, struct wvault *wv, int64_t now)
{
    struct form *f = wizard_form(wv->w, WV_PAGE_NAME);
    if (f == NULL)
        return 0;
    if (wv->recheck && widget_form_of(screen_top(a)) == f) {
        /* back from a purge: the name may be free now */
        wv->recheck = false;
        free(wv->seen);
        wv->seen = NULL;
    }
    const char *name = form_text(f, wv->f_name);
    size_t sc = form_choice(f, wv->f_sub);
    const char *sub = sc < wv->sub_ids.len ? wv->sub_ids.items[sc] : "";
    char *key = xasprintf("%s/%s", sub, name);
    if (wv->seen == NULL || strcmp(key, wv->seen) != 0) {
        free(wv->seen);
        wv->seen = key;
        key = NULL;
        wv_cancel_check(a, wv);
        wv_load_lists(a, wv, sub); /* read while the name is typed */
        wv->changed_at = now;
        /* the shape is said as it is typed, not only on leaving */
        f->fields[wv->f_name].shown = *name != '\0';
        wv->ns = *name == '\0'                         ? WV_NAME_EMPTY
                 : plan_check_vault_name(name) != NULL ? WV_NAME_INVALID
                                                       : WV_NAME_WAIT;
        wv_say(a, wv, f);
    }
    free(key);
    if (wv->ns != WV_NAME_WAIT)
        return 0;
    if (now - wv->changed_at < WV_CHECK_PAUSE_MS)
        return wv->changed_at + WV_CHECK_PAUSE_MS;
    wv->ns = WV_NAME_CHECKING;
    wv->check_job = wizard_submit(a, wv->w, job_check_vault_name(sub, name));
    return 0;
}

/* Reads Azure's answer into the state. */
static void
wv_judge(struct wvault *wv)
{
    const struct kv_name_check *c = wv->check;
    if (c->available)
        wv->ns = WV_NAME_FREE;
    else if (c->deleted != NULL)
        wv->ns = WV_NAME_DELETED;
    else
        wv->ns = WV_NAME_TAKEN;
}

bool
wv_name_result(struct app *a, struct wvault *wv, struct result *r)
{
    if (r->kind != JOB_CHECK_VAULT_NAME)
        return false;
    if (r->job_id != wv->check_job || wv->check_job == 0)
        return true; /* an earlier name's: typed on since */
    struct form *f = wizard_form(wv->w, WV_PAGE_NAME);
    switch (r->type) {
    case RESULT_PAGE:
        if (r->items.len == 0)
            return true;
        kv_name_check_free(wv->check);
        wv->check = r->items.items[0];
        r->items.items[0] = NULL;
        for (size_t i = 1; i < r->items.len; i++)
            if (r->items.items[i] != NULL && r->free_item != NULL)
                r->free_item(r->items.items[i]);
        r->items.len = 0;
        wv_judge(wv);
        break;
    case RESULT_DONE:
        wv->check_job = 0;
        if (wv->ns != WV_NAME_CHECKING)
            return true;
        free(wv->check_error);
        wv->check_error = xstrdup(_("no answer"));
        wv->ns = WV_NAME_UNKNOWN;
        break;
    case RESULT_ERROR:
        wv->check_job = 0;
        free(wv->check_error);
        wv->check_error = xstrdup(
            r->message != NULL ? r->message : kv_status_message(r->status));
        wv->ns = WV_NAME_UNKNOWN;
        break;
    default:
        return true;
    }
    if (f != NULL)
        wv_say(a, wv, f);
    return true;
}

/* ---- a deleted vault holds the name ------------------------------------ */

enum { WV_OFFER_RECOVER, WV_OFFER_PURGE, WV_OFFER_OTHER };

/* Back on the name page with a message under the name. */
static void
wv_other_name(struct app *a, struct wvault *wv, const char *msg)
{
    struct form *f = wizard_form(wv->w, WV_PAGE_NAME);
    if (f == NULL)
        return;
    form_set_error(f, wv->f_name, msg);
    form_focus(f, wv->f_name);
    wizard_page_changed(a, wv->w, WV_PAGE_NAME);
}

static void
wv_offer_done(struct app *a, struct screen *s, struct form *f, bool submitted,
              void *ctx)
{
    struct wvault *wv = ctx;
    if (!submitted || wv->check == NULL || wv->check->deleted == NULL)
        return; /* Back: the name page as it was */
    const struct kv_deleted_vault *d = wv->check->deleted;
    size_t c = form_choice(f, 1 + (d->purge_protection ? 1 : 0));
    if (c == WV_OFFER_RECOVER) {
        char oid[64], tenant[64], type[32];
        if (!wv_identity(a, oid, tenant, type, sizeof oid)) {
            struct store_sub *sub = store_find_sub(a->store, wv->sub_id);
            snprintf(tenant, sizeof tenant, "%s",
                     sub != NULL && sub->sub->tenant_id ? sub->sub->tenant_id
                                                        : "");
        }
        char *uri = engine_vault_uri(a->eng, d->name);
        struct plan *p =
            plan_vault_recover(d, *tenant ? tenant : NULL, uri, uri != NULL);
        free(uri);
        wv->stage = WV_STAGE_RECOVER;
        wizard_review(a, wv->w, p); /* over this question: Esc comes back */
        return;
    }
    if (c == WV_OFFER_PURGE) {
        const char *why = NULL;
        struct plan *p = plan_vault_purge(d, &why);
        if (p == NULL) {
            char day[32];
            draw_date(d->scheduled_purge_date, false, day, sizeof day);
            char *m = d->purge_protection
                          ? xasprintf(_("%s cannot be purged before %s: "
                                        "purge protection holds it. Choose "
                                        "another name."),
                                      d->name, day)
                          : xasprintf(_("%s cannot be purged: %s"), d->name,
                                      why != NULL ? why : "");
            screen_pop(a, s);
            wv_other_name(a, wv, m);
            free(m);
            return;
        }
        wv->recheck = true; /* once back on the page */
        action_run(a, p, s, NULL);
        return;
    }
    screen_pop(a, s);
    wv_other_name(a, wv,
                  _("a deleted vault holds this name: choose another one"));
}

/* Asks what to do about the deleted vault holding the name. */
static void
wv_offer(struct app *a, struct wvault *wv)
{
    const struct kv_deleted_vault *d = wv->check->deleted;
    char del[32], purge[32];
    draw_date(d->deletion_date, false, del, sizeof del);
    draw_date(d->scheduled_purge_date, false, purge, sizeof purge);
    struct form *f = form_new();
    char *t =
        xasprintf(_("A vault named %s was deleted on %s (group %s, %s). "
                    "Azure keeps it, and its name, until %s; meanwhile "
                    "no vault can take the name."),
                  d->name, del, d->resource_group ? d->resource_group : "?",
                  d->location ? d->location : "?", purge);
    form_add_info(f, t);
    free(t);
    if (d->purge_protection) {
        t = xasprintf(_("It has purge protection: nobody can purge it before "
                        "%s."),
                      purge);
        form_add_info(f, t);
        free(t);
    }
    const char *choices[] = {
        _("recover it, with its secrets"),
        _("purge it for ever, then create anew"),
        _("choose another name"),
    };
    form_add_choice(f, _("What now"), choices, 3, 0);
    form_set_buttons(f, _("OK"), _("Back"));
    widget_form_push(a, _("The name is held"), f, wv_offer_done, wv, NULL);
}

bool
wv_name_next(struct app *a, struct wvault *wv, struct form *f)
{
    free(wv->name);
    wv->name = xstrdup(form_text(f, wv->f_name));
    wv->sub_choice = form_choice(f, wv->f_sub);
    free(wv->sub_id);
    wv->sub_id = xstrdup(wv->sub_choice < wv->sub_ids.len
                             ? (const char *)wv->sub_ids.items[wv->sub_choice]
                             : "");
    switch (wv->ns) {
    case WV_NAME_FREE:
    case WV_NAME_UNKNOWN:
        return true;
    case WV_NAME_DELETED:
        wv_offer(a, wv);
        return false;
    case WV_NAME_WAIT:
    case WV_NAME_CHECKING:
        form_set_error(f, wv->f_name,
                       _("a moment: checking whether the name is free"));
        wizard_page_changed(a, wv->w, WV_PAGE_NAME);
        return false;
    default:
        return false;
    }
}
