/*
 * wizard-rotate.c — the rotate-an-API-key wizard (see wizard-rotate.h)
 * on the wizard host (wizard.h). The latest version is read when the
 * wizard opens (its value dropped at once): the review is about that
 * version, and the plan refuses to write if another one took its place
 * meanwhile.
 *
 * For a vault whose data plane refuses this host by network (the secrets
 * pane lists it through Resource Manager), the wizard writes through
 * Resource Manager instead (plan_secret_set_arm): the latest version is
 * the one the listing showed, the value cannot be read back to verify
 * it, and the old version stays enabled (Resource Manager cannot
 * disable one version).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/job.h"
#include "engine/plan-source.h"
#include "tui/view-secrets.h"
#include "tui/wizard-outcome.h"
#include "tui/text.h"
#include "tui/wizard-rotate.h"
#include "tui/wizard-value.h"
#include "tui/wizard.h"

enum { PAGE_CURRENT, PAGE_VALUE, PAGE_ATTRS, PAGES };
enum { RETIRE_CHOICE_KEEP, RETIRE_CHOICE_NOW, RETIRE_CHOICE_LATER };

struct rotate {
    char *vault_uri, *vault_name, *name;
    char *vault_id; /* through Resource Manager (the data plane refuses
                       this host); NULL: the data plane */
    struct kv_secret_version *current; /* the latest, as read */
    bool read_done;
    uint64_t job;
    struct wizard_value *wv;
    struct secret *value; /* made when the value page is left */
    struct form *attrs;   /* the attributes page's form, for its checks */
    size_t f_expires, f_nbf, f_ctype, f_tags, f_retire, f_grace;
    struct kv_tags tags; /* what the plan writes */
    enum retire_mode retire;
    /* page 1's "New value" choice (ROT_NO_HOW: not offered, the vault's
     * subscription is not known or Resource Manager writes) and the
     * subscription whose AI services accounts it offers */
    size_t f_how;
    char *sub;
};

#define ROT_NO_HOW ((size_t)-1)
enum { HOW_HERE, HOW_SOURCE };

static const char *
rot_check_grace(const char *text, void *ctx)
{
    struct rotate *r = ctx;
    int64_t d;
    if (r->attrs == NULL ||
        form_choice(r->attrs, r->f_retire) != RETIRE_CHOICE_LATER)
        return NULL;
    if (!time_parse_duration(text, &d) || d <= 0)
        return _("a delay such as 30m, 24h, 7d");
    return NULL;
}

/* Page 1: the latest version as it is now. */
static struct form *
rot_page_current(struct app *a, struct wizard *w, struct rotate *r)
{
    (void)w;
    const struct kv_secret_version *c = r->current;
    struct form *f = form_new();
    char when[32], left[32], *t;
    int64_t now = time_now();
    t = xasprintf(_("Secret        %s in %s"), r->name,
                  r->vault_name ? r->vault_name : r->vault_uri);
    form_add_info(f, t);
    free(t);
    t = xasprintf(_("Version       %.8s… (the latest, %s)"),
                  c->version ? c->version : _("unknown"),
                  c->attrs.enabled ? _("enabled") : _("disabled"));
    form_add_info(f, t);
    free(t);
    wizard_format_day(c->attrs.created, when, sizeof when);
    time_format_left(now - c->attrs.created, left, sizeof left);
    t = xasprintf(_("Created       %s (%s ago)"), when, left);
    form_add_info(f, t);
    free(t);
    if (c->attrs.expires != 0) {
        wizard_format_day(c->attrs.expires, when, sizeof when);
        time_format_left(c->attrs.expires - now, left, sizeof left);
        t = xasprintf(_("Expires       %s (%s)"), when, left);
    } else {
        t = xstrdup(_("Expires       never"));
    }
    form_add_info(f, t);
    free(t);
    t = xasprintf(_("Content type  %s"),
                  c->content_type && *c->content_type ? c->content_type : "-");
    form_add_info(f, t);
    free(t);
    /* one tag a line, under the first (a long endpoint URL then wraps
     * in its own line, not under the labels) */
    const char *tl = _("Tags          %s");
    const char *at = strstr(tl, "%s");
    int indent = at != NULL ? text_width_n(tl, (size_t)(at - tl)) : 0;
    for (size_t i = 0; i < c->tags.n || i == 0; i++) {
        const struct kv_tag *g = c->tags.n > 0 ? &c->tags.items[i] : NULL;
        char *kv =
            g != NULL ? xasprintf("%s=%s", g->key, g->value) : xstrdup("-");
        t = i == 0 ? xasprintf(_("Tags          %s"), kv)
                   : xasprintf("%*s%s", indent, "", kv);
        form_add_info(f, t);
        free(t);
        free(kv);
    }
    form_add_info(f, "");
    form_add_info(f, _("A new version gets a new value; applications that "
                       "read the secret without a version get it at once."));
    if (r->vault_id != NULL) {
        form_add_info(f, "");
        form_add_info(f, _("This host cannot reach the vault's data plane "
                           "(its network refuses it). kvdeck writes through "
                           "Resource Manager instead: the new value cannot "
                           "be read back to verify it, and the old version "
                           "stays enabled."));
    }
    /* the key of an AI services account: regenerate it there instead */
    const struct store_vault *sv = store_find_vault(a->store, r->vault_uri);
    free(r->sub);
    r->sub = r->vault_id == NULL && sv != NULL && sv->vault != NULL &&
                     sv->vault->subscription_id != NULL
                 ? xstrdup(sv->vault->subscription_id)
                 : NULL;
    r->f_how = ROT_NO_HOW;
    if (r->sub != NULL) {
        form_add_info(f, "");
        const char *how[] = {_("type, generate or read it here"),
                             _("regenerate at an AI services account")};
        r->f_how = form_add_choice(f, _("New value"), how, 2, HOW_HERE);
        form_set_hint(f, r->f_how,
                      _("when the secret is the key of an Azure OpenAI or "
                        "AI services account"));
    }
    form_focus(f, f->n);
    return f;
}

/* Page 3: attributes and the old version's retirement. */
static struct form *
rot_page_attrs(struct rotate *r)
{
    const struct kv_secret_version *c = r->current;
    struct form *f = form_new();
    char rel[32], when[32], hint[160];
    r->attrs = f;
    /* relative ("+90d"), so that 90 days are 90 days from the moment of
     * writing, not from a midnight; the hint shows the date it makes */
    int64_t now = time_now();
    int64_t secs = plan_rotation_expiry(&c->tags, now) - now;
    if (secs % 86400 == 0)
        snprintf(rel, sizeof rel, "+%lldd", (long long)(secs / 86400));
    else if (secs % 3600 == 0)
        snprintf(rel, sizeof rel, "+%lldh", (long long)(secs / 3600));
    else
        snprintf(rel, sizeof rel, "+%lldm", (long long)(secs / 60));
    time_format_short(now + secs, when, sizeof when);
    snprintf(hint, sizeof hint,
             kv_tags_get(&c->tags, "rotation-days") ||
                     kv_tags_get(&c->tags, "rotation")
                 ? _("%s UTC, from the secret's rotation tag; a date, +90d, "
                     "or empty: never")
                 : _("%s UTC, 90 days from now; a date, +90d, or empty: "
                     "never"),
             when);
    r->f_expires =
        form_add_text(f, _("Expires"), rel, 40, wizard_check_date, NULL);
    form_set_hint(f, r->f_expires, hint);
    r->f_nbf =
        form_add_text(f, _("Not before"), NULL, 40, wizard_check_date, NULL);
    r->f_ctype =
        form_add_text(f, _("Content type"), c->content_type, 255, NULL, NULL);
    char *tags = wizard_tags_format(&c->tags);
    r->f_tags =
        form_add_text(f, _("Tags"), tags, 4096, wizard_check_tags, NULL);
    free(tags);
    form_set_hint(f, r->f_tags, _("key=value, …; rotated-at is added"));
    const char *retire[] = {_("keep it enabled"), _("disable it now"),
                            _("disable it after a grace period")};
    /* through Resource Manager: one version cannot be disabled */
    r->f_retire = form_add_choice(f, _("Old version"), retire,
                                  r->vault_id != NULL ? 1 : 3, 0);
    form_set_hint(f, r->f_retire,
                  r->vault_id != NULL
                      ? _("Resource Manager cannot disable one version")
                      : _("only after the new one is read back and "
                          "verified"));
    if (r->vault_id == NULL) /* else the old version can only be kept */
        r->f_grace =
            form_add_text(f, _("Grace period"), "7d", 16, rot_check_grace, r);
    return f;
}

static struct form *
rot_page(struct app *a, struct wizard *w, int i)
{
    struct rotate *r = wizard_priv(w);
    switch (i) {
    case PAGE_CURRENT:
        if (r->current != NULL || (r->vault_id != NULL && r->read_done))
            return rot_page_current(a, w, r);
        if (r->job == 0 && !r->read_done)
            r->job = wizard_submit(
                a, w, job_get_secret_value(r->vault_uri, r->name, NULL));
        return NULL;
    case PAGE_VALUE: {
        struct form *f = form_new();
        wizard_value_add(r->wv, f);
        return f;
    }
    case PAGE_ATTRS:
    default:
        return rot_page_attrs(r);
    }
}

static const char *
rot_loading(struct app *a, struct wizard *w)
{
    (void)a;
    (void)w;
    return _("Reading the latest version…");
}

/* The latest version: keep its metadata, drop its value at once. */
static void
rot_on_result(struct app *a, struct wizard *w, struct result *r)
{
    struct rotate *rot = wizard_priv(w);
    secret_free(r->value);
    r->value = NULL;
    if (r->job_id != rot->job)
        return;
    if (r->type == RESULT_PAGE && r->items.len > 0 && rot->current == NULL) {
        rot->current = vec_remove(&r->items, 0);
        return;
    }
    if (r->type == RESULT_ERROR) {
        rot->job = 0;
        rot->read_done = true;
        app_message(a, true, _("rotate %s: %s%s%s"), rot->name,
                    r->message ? r->message : kv_status_message(r->status),
                    r->request_id ? _(" — request id ") : "",
                    r->request_id ? r->request_id : "");
        wizard_close(a, w);
        return;
    }
    if (r->type == RESULT_DONE) {
        rot->job = 0;
        rot->read_done = true;
        if (rot->current == NULL) {
            app_message(a, true, _("rotate %s: no version returned"),
                        rot->name);
            wizard_close(a, w);
            return;
        }
        wizard_update(a, w);
    }
}

static bool
rot_next(struct app *a, struct wizard *w, int i, struct form *f)
{
    struct rotate *r = wizard_priv(w);
    if (i == PAGE_CURRENT && r->f_how != ROT_NO_HOW &&
        form_choice(f, r->f_how) == HOW_SOURCE) {
        /* this wizard closes (freeing r): copy what the next one needs */
        char *uri = xstrdup(r->vault_uri), *name = xstrdup(r->name);
        char *vname = r->vault_name ? xstrdup(r->vault_name) : NULL;
        char *sub = xstrdup(r->sub);
        wizard_close(a, w);
        wizard_rotate_source_pick(a, uri, vname, sub, name);
        free(uri);
        free(vname);
        free(sub);
        free(name);
        return false;
    }
    if (i != PAGE_VALUE)
        return true;
    char *why = NULL;
    size_t field = 0;
    struct secret *v = NULL;
    if (wizard_value_take(r->wv, &v, &why, &field) != KV_OK) {
        form_set_error(f, field, why);
        free(why);
        return false;
    }
    secret_free(r->value);
    r->value = v;
    return true;
}

static struct plan *
rot_plan(struct app *a, struct wizard *w, char **why)
{
    (void)a;
    struct rotate *r = wizard_priv(w);
    struct form *f = wizard_form(w, PAGE_ATTRS);
    if (f == NULL || r->value == NULL || r->current == NULL) {
        *why = xstrdup(_("the wizard lost its pages; start again"));
        return NULL;
    }
    int64_t now = time_now();
    struct secret_change ch;
    memset(&ch, 0, sizeof ch);
    ch.vault_uri = r->vault_uri;
    ch.vault_name = r->vault_name;
    ch.name = r->name;
    ch.value = secret_dup(r->value->data, r->value->len);
    const char *ct = form_text(f, r->f_ctype);
    ch.content_type = *ct ? ct : NULL;
    ch.has_expires = true;
    if (*form_text(f, r->f_expires) != '\0')
        time_parse_date(form_text(f, r->f_expires), now, &ch.expires);
    if (*form_text(f, r->f_nbf) != '\0') {
        ch.has_not_before = true;
        time_parse_date(form_text(f, r->f_nbf), now, &ch.not_before);
    }
    const char *bad = NULL;
    wizard_tags_parse(form_text(f, r->f_tags), &r->tags, &bad);
    plan_rotation_tags(&r->tags, now);
    ch.has_tags = true;
    ch.tags = &r->tags;
    ch.current = r->current;
    switch (form_choice(f, r->f_retire)) {
    case RETIRE_CHOICE_NOW:
        ch.retire = RETIRE_NOW;
        break;
    case RETIRE_CHOICE_LATER:
        ch.retire = RETIRE_LATER;
        time_parse_duration(form_text(f, r->f_grace), &ch.retire_after);
        break;
    default:
        ch.retire = RETIRE_KEEP;
        break;
    }
    r->retire = ch.retire;
    struct plan *p = r->vault_id != NULL
                         ? plan_secret_set_arm(&ch, r->vault_id, true)
                         : plan_rotate(&ch);
    if (p == NULL && *why == NULL)
        *why = xstrdup(_("Resource Manager cannot disable the old version: "
                         "keep it enabled"));
    secret_free(ch.value); /* NULL: the plan took it */
    return p;
}

/* How it ended, in sentences; the value stays on screen when it was
 * written, so it can still be copied. */
static void
rot_end(struct app *a, struct wizard *w, struct plan *p)
{
    struct rotate *r = wizard_priv(w);
    const char *old = r->current->version ? r->current->version : "?";
    struct wizard_outcome o;
    wizard_outcome_read(p, &o);
    if (plan_finished(p) && r->vault_id != NULL) {
        wizard_say(w, ST_OK, _("%s Rotated %s in %s through Resource Manager."),
                   a->term.g.yes, r->name,
                   r->vault_name ? r->vault_name : r->vault_uri);
        wizard_say(w, ST_NORMAL,
                   _("New version %.8s… written; its version and attributes "
                     "were checked, but its value cannot be read back "
                     "through Resource Manager to verify it."),
                   o.version ? o.version : "?");
        wizard_say(w, ST_NORMAL, _("The old version %.8s… stays enabled."),
                   old ? old : "?");
    } else if (plan_finished(p)) {
        wizard_say(w, ST_OK, _("%s Rotated %s in %s."), a->term.g.yes, r->name,
                   r->vault_name ? r->vault_name : r->vault_uri);
        wizard_say(w, ST_NORMAL,
                   _("New version %.8s… written, read back and verified."),
                   o.version ? o.version : "?");
        if (r->retire == RETIRE_NOW)
            wizard_say(w, ST_NORMAL, _("The old version %.8s… is disabled."),
                       old);
        else if (r->retire == RETIRE_LATER)
            wizard_say(w, ST_NORMAL,
                       _("The old version %.8s… stays enabled until its "
                         "grace period ends; kvdeck reminds you (:pending)."),
                       old);
        else
            wizard_say(w, ST_NORMAL, _("The old version %.8s… stays enabled."),
                       old);
    } else {
        char *head = xasprintf(_("The rotation of %s stopped."), r->name);
        wizard_outcome_failure(a, w, &o, head);
        free(head);
        if (o.written && !o.verified)
            wizard_say(w, ST_WARNING,
                       _("New version %.8s… was written but not verified: "
                         "check it before you use it. Applications reading "
                         "the latest version get it now."),
                       o.version ? o.version : "?");
        else if (o.written)
            wizard_say(w, ST_NORMAL,
                       _("New version %.8s… was written and verified."),
                       o.version ? o.version : "?");
        else
            wizard_say(w, ST_NORMAL, "%s", _("No new version was written."));
        wizard_say(w, ST_WARNING,
                   _("The previous version %.8s… is still enabled."), old);
    }
    if (o.written && plan_new_value(p) != NULL)
        wizard_show_value(
            w, secret_dup(plan_new_value(p)->data, plan_new_value(p)->len));
    wizard_outcome_refresh(a, r->vault_uri, r->name);
}

static void
rot_free(void *priv)
{
    struct rotate *r = priv;
    free(r->vault_uri);
    free(r->vault_name);
    free(r->name);
    free(r->vault_id);
    free(r->sub);
    kv_secret_version_free(r->current);
    wizard_value_free(r->wv);
    secret_free(r->value);
    kv_tags_free(&r->tags);
    free(r);
}

static const struct wizard_ops rotate_ops = {
    .name = "rotate",
    .pages = PAGES,
    .page = rot_page,
    .next = rot_next,
    .plan = rot_plan,
    .end = rot_end,
    .on_result = rot_on_result,
    .loading = rot_loading,
    .free = rot_free,
};

void
wizard_rotate_start(struct app *a, const char *vault_uri,
                    const char *vault_name, const char *name)
{
    struct rotate *r = xcalloc(1, sizeof *r);
    r->f_how = ROT_NO_HOW;
    r->vault_uri = xstrdup(vault_uri);
    r->vault_name = vault_name ? xstrdup(vault_name) : NULL;
    r->name = xstrdup(name);
    r->wv = wizard_value_new();
    char *t = xasprintf(_("Rotate %s"), name);
    wizard_push(a, &rotate_ops, r, t);
    free(t);
}

/* The latest version as the Resource Manager listing showed it: its
 * attributes, tags and version. */
static struct kv_secret_version *
rot_from_item(const struct kv_secret_item *it)
{
    struct kv_secret_version *c = xcalloc(1, sizeof *c);
    c->id = it->id ? xstrdup(it->id) : NULL;
    c->name = xstrdup(it->name);
    c->vault_uri = it->vault_uri ? xstrdup(it->vault_uri) : NULL;
    c->content_type = it->content_type ? xstrdup(it->content_type) : NULL;
    c->attrs = it->attrs;
    c->attrs.recovery_level =
        it->attrs.recovery_level ? xstrdup(it->attrs.recovery_level) : NULL;
    for (size_t i = 0; i < it->tags.n; i++)
        kv_tags_set(&c->tags, it->tags.items[i].key, it->tags.items[i].value);
    c->version = it->latest_version ? xstrdup(it->latest_version) : NULL;
    return c;
}

/* Rotation through Resource Manager of a secret the store listed that
 * way (sel's vault refuses this host on its data plane). */
static void
wizard_rotate_arm(struct app *a, const struct store_vault *sv,
                  const struct kv_secret_item *it)
{
    struct rotate *r = xcalloc(1, sizeof *r);
    r->f_how = ROT_NO_HOW;
    r->vault_uri = xstrdup(sv->vault->vault_uri);
    r->vault_name = xstrdup(sv->vault->name);
    r->vault_id = xstrdup(sv->vault->id);
    r->name = xstrdup(it->name);
    r->current = rot_from_item(it);
    r->read_done = true;
    r->wv = wizard_value_new();
    char *t = xasprintf(_("Rotate %s through Resource Manager"), it->name);
    wizard_push(a, &rotate_ops, r, t);
    free(t);
}

void
wizard_rotate_selected(struct app *a)
{
    struct secrets_selection sel;
    if (app_refuse_read_only(a))
        return;
    if (!view_secrets_selected(a, &sel)) {
        app_message(a, false, "%s",
                    _("select a secret in the secrets pane to rotate it"));
        return;
    }
    if (sel.vault->secrets_refused != NULL && sel.vault->vault->id != NULL) {
        wizard_rotate_arm(a, sel.vault, sel.secret->item);
        return;
    }
    if (kv_tags_get(&sel.secret->item->tags, PLAN_SOURCE_TAG) != NULL) {
        wizard_rotate_source_start(a, sel.vault->vault->vault_uri,
                                   sel.vault->vault->name,
                                   sel.secret->item->name);
        return;
    }
    wizard_rotate_start(a, sel.vault->vault->vault_uri, sel.vault->vault->name,
                        sel.secret->item->name);
}

void
wizard_rotate_named(struct app *a, const char *name)
{
    if (app_refuse_read_only(a))
        return;
    if (a->vault == NULL) {
        app_message(a, true, "%s", _("open a vault first (:vault NAME)"));
        return;
    }
    const char *bad = plan_check_secret_name(name);
    if (bad != NULL) {
        app_message(a, true, "%s: %s", name, bad);
        return;
    }
    /* listed through Resource Manager: rotate that way */
    struct store_secret *sec = a->vault->secrets_refused != NULL
                                   ? store_find_secret(a->vault, name)
                                   : NULL;
    if (sec != NULL && a->vault->vault->id != NULL) {
        wizard_rotate_arm(a, a->vault, sec->item);
        return;
    }
    sec = store_find_secret(a->vault, name);
    if (sec != NULL && kv_tags_get(&sec->item->tags, PLAN_SOURCE_TAG) != NULL) {
        wizard_rotate_source_start(a, a->vault->vault->vault_uri,
                                   a->vault->vault->name, name);
        return;
    }
    wizard_rotate_start(a, a->vault->vault->vault_uri, a->vault->vault->name,
                        name);
}
