/*
 * wizard-secret.c — new secret and new version (see wizard-secret.h) on
 * the wizard host. A create refused with 409 ObjectIsDeletedButRecoverable
 * (the name is soft-deleted) asks whether to recover it; after the
 * recovery it asks whether to write the value as the recovered secret's
 * new version. The value is kept (secure memory) until the wizard closes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "tui/view-secrets.h"
#include "tui/wizard-outcome.h"
#include "tui/wizard-secret.h"
#include "tui/wizard-value.h"
#include "tui/wizard.h"

enum { PAGE_VALUE, PAGE_ATTRS, PAGES };

enum stage {
    STAGE_WRITE,   /* the first plan: create, or new version */
    STAGE_RECOVER, /* recovering a soft-deleted name */
    STAGE_REWRITE, /* the value as the recovered secret's new version */
};

struct wsecret {
    char *vault_uri, *vault_name, *name;
    char *vault_id; /* a new version through Resource Manager (the data
                       plane refuses this host); NULL: the data plane */
    bool create;
    enum stage stage;
    char *def_ctype; /* defaults of the attributes page */
    struct kv_tags def_tags;
    struct wizard_value *wv;
    size_t f_name;
    size_t f_ctype, f_expires, f_nbf, f_tags;
    struct secret *value; /* made when the value page is left */
    /* the attributes as reviewed, for the write after a recovery */
    char *ctype;
    bool has_expires, has_nbf;
    int64_t expires, nbf;
    struct kv_tags tags;
};

static const char *
ws_check_name(const char *text, void *ctx)
{
    (void)ctx;
    return plan_check_secret_name(text);
}

static struct form *
ws_page(struct app *a, struct wizard *w, int i)
{
    (void)a;
    struct wsecret *ws = wizard_priv(w);
    struct form *f = form_new();
    const char *vn = ws->vault_name ? ws->vault_name : ws->vault_uri;
    if (i == PAGE_VALUE) {
        char *t;
        if (ws->create) {
            t = xasprintf(_("A new secret in %s."), vn);
            form_add_info(f, t);
            ws->f_name =
                form_add_text(f, _("Name"), ws->name, 127, ws_check_name, NULL);
            form_set_hint(f, ws->f_name, _("1-127 letters, digits and -"));
        } else {
            t = xasprintf(_("A new version of %s in %s."), ws->name, vn);
            form_add_info(f, t);
        }
        free(t);
        if (ws->vault_id != NULL)
            form_add_info(f, _("This host cannot reach the vault's data "
                               "plane: kvdeck writes through Resource "
                               "Manager, and the value cannot be read back "
                               "to verify it."));
        wizard_value_add(ws->wv, f);
        return f;
    }
    ws->f_ctype =
        form_add_text(f, _("Content type"), ws->def_ctype, 255, NULL, NULL);
    ws->f_expires =
        form_add_text(f, _("Expires"), NULL, 40, wizard_check_date, NULL);
    form_set_hint(f, ws->f_expires, _("2027-03-05, +90d; empty: never"));
    ws->f_nbf =
        form_add_text(f, _("Not before"), NULL, 40, wizard_check_date, NULL);
    char *tags = wizard_tags_format(&ws->def_tags);
    ws->f_tags = form_add_text(f, _("Tags"), tags, 4096, wizard_check_tags, NULL);
    free(tags);
    form_set_hint(f, ws->f_tags, _("key=value, key=value"));
    return f;
}

static bool
ws_next(struct app *a, struct wizard *w, int i, struct form *f)
{
    (void)a;
    struct wsecret *ws = wizard_priv(w);
    if (i != PAGE_VALUE)
        return true;
    if (ws->create) {
        free(ws->name);
        ws->name = xstrdup(form_text(f, ws->f_name));
    }
    char *why = NULL;
    size_t field = 0;
    struct secret *v = NULL;
    if (wizard_value_take(ws->wv, &v, &why, &field) != KV_OK) {
        form_set_error(f, field, why);
        free(why);
        return false;
    }
    secret_free(ws->value);
    ws->value = v;
    return true;
}

/* A set plan from what was reviewed (create or a new version). */
static struct plan *
ws_set_plan(struct wsecret *ws, bool create)
{
    struct secret_change ch;
    memset(&ch, 0, sizeof ch);
    ch.vault_uri = ws->vault_uri;
    ch.vault_name = ws->vault_name;
    ch.name = ws->name;
    ch.value = secret_dup(ws->value->data, ws->value->len);
    ch.content_type = ws->ctype;
    ch.has_expires = ws->has_expires;
    ch.expires = ws->expires;
    ch.has_not_before = ws->has_nbf;
    ch.not_before = ws->nbf;
    ch.has_tags = ws->tags.n > 0 || !create;
    ch.tags = &ws->tags;
    ch.create = create;
    struct plan *p = ws->vault_id != NULL
                         ? plan_secret_set_arm(&ch, ws->vault_id, false)
                         : plan_secret_set(&ch);
    secret_free(ch.value); /* NULL: taken */
    return p;
}

static struct plan *
ws_plan(struct app *a, struct wizard *w, char **why)
{
    (void)a;
    struct wsecret *ws = wizard_priv(w);
    struct form *f = wizard_form(w, PAGE_ATTRS);
    if (f == NULL || ws->value == NULL) {
        *why = xstrdup(_("the wizard lost its pages; start again"));
        return NULL;
    }
    int64_t now = time_now();
    free(ws->ctype);
    const char *ct = form_text(f, ws->f_ctype);
    ws->ctype = *ct ? xstrdup(ct) : NULL;
    ws->has_expires = *form_text(f, ws->f_expires) != '\0';
    ws->expires = 0;
    if (ws->has_expires)
        time_parse_date(form_text(f, ws->f_expires), now, &ws->expires);
    ws->has_nbf = *form_text(f, ws->f_nbf) != '\0';
    ws->nbf = 0;
    if (ws->has_nbf)
        time_parse_date(form_text(f, ws->f_nbf), now, &ws->nbf);
    const char *bad = NULL;
    wizard_tags_parse(form_text(f, ws->f_tags), &ws->tags, &bad);
    ws->stage = STAGE_WRITE;
    return ws_set_plan(ws, ws->create);
}

static void ws_end(struct app *a, struct wizard *w, struct plan *p);

static void
ws_rewrite_answer(struct app *a, struct wizard *w, bool yes)
{
    struct wsecret *ws = wizard_priv(w);
    if (!yes) {
        wizard_say(w, ST_NORMAL, "%s",
                   _("The new value was not written; the wizard wipes it "
                     "when it closes."));
        return;
    }
    ws->stage = STAGE_REWRITE;
    wizard_run(a, w, ws_set_plan(ws, false));
}

static void
ws_recover_answer(struct app *a, struct wizard *w, bool yes)
{
    struct wsecret *ws = wizard_priv(w);
    if (!yes) {
        wizard_say(w, ST_NORMAL, _("Nothing was written; %s stays deleted."),
                   ws->name);
        return;
    }
    struct secret_change ch;
    memset(&ch, 0, sizeof ch);
    ch.vault_uri = ws->vault_uri;
    ch.vault_name = ws->vault_name;
    ch.name = ws->name;
    ws->stage = STAGE_RECOVER;
    wizard_run(a, w, plan_secret_recover(&ch));
}

static bool
ws_is_deleted_conflict(const struct wizard_outcome *o)
{
    const struct plan_failure *f = o->failure;
    const char *k = "ObjectIsDeletedButRecoverable";
    return f != NULL && ((f->inner_code && strcmp(f->inner_code, k) == 0) ||
                         (f->code && strcmp(f->code, k) == 0));
}

static void
ws_end(struct app *a, struct wizard *w, struct plan *p)
{
    struct wsecret *ws = wizard_priv(w);
    const char *vn = ws->vault_name ? ws->vault_name : ws->vault_uri;
    struct wizard_outcome o;
    wizard_outcome_read(p, &o);
    wizard_outcome_refresh(a, ws->vault_uri, ws->name);
    if (ws->stage == STAGE_RECOVER) {
        if (plan_finished(p)) {
            wizard_say(w, ST_OK, _("%s Recovered %s in %s."), a->term.g.yes,
                       ws->name, vn);
            char *q = xasprintf(_("%s is back with its old versions. Write "
                                  "the new value as its new version now?"),
                                ws->name);
            wizard_ask(a, w, _("Write the new value"), q, _("Write"),
                       ws_rewrite_answer);
            free(q);
            return;
        }
        char *head = xasprintf(_("Recovering %s stopped."), ws->name);
        wizard_outcome_failure(a, w, &o, head);
        free(head);
        wizard_say(w, ST_NORMAL, "%s", _("The new value was not written."));
        return;
    }
    if (plan_finished(p)) {
        if (ws->create && ws->stage == STAGE_WRITE)
            wizard_say(w, ST_OK, _("%s Created %s in %s."), a->term.g.yes,
                       ws->name, vn);
        else
            wizard_say(w, ST_OK, _("%s Wrote a new version of %s in %s."),
                       a->term.g.yes, ws->name, vn);
        if (ws->vault_id != NULL)
            wizard_say(w, ST_NORMAL,
                       _("Version %.8s… written through Resource Manager; "
                         "its value cannot be read back to verify it."),
                       o.version ? o.version : "?");
        else
            wizard_say(w, ST_NORMAL,
                       _("Version %.8s… written, read back and verified."),
                       o.version ? o.version : "?");
    } else if (ws->create && ws->stage == STAGE_WRITE &&
               ws_is_deleted_conflict(&o)) {
        char *q = xasprintf(
            _("A deleted secret named %s is kept in %s until it is purged, "
              "and its name cannot be used meanwhile. Recover it (with its "
              "old versions)?"),
            ws->name, vn);
        wizard_say(w, ST_WARNING, _("%s is deleted but recoverable."),
                   ws->name);
        wizard_ask(a, w, _("Recover the deleted secret"), q, _("Recover it"),
                   ws_recover_answer);
        free(q);
        return;
    } else {
        char *head = xasprintf(_("Writing %s stopped."), ws->name);
        wizard_outcome_failure(a, w, &o, head);
        free(head);
        if (o.written && !o.verified)
            wizard_say(w, ST_WARNING,
                       _("Version %.8s… was written but not verified: check "
                         "it before you use it."),
                       o.version ? o.version : "?");
        else if (!o.written)
            wizard_say(w, ST_NORMAL, "%s", _("No new version was written."));
    }
    if (o.written && plan_new_value(p) != NULL)
        wizard_show_value(
            w, secret_dup(plan_new_value(p)->data, plan_new_value(p)->len));
}

static void
ws_free(void *priv)
{
    struct wsecret *ws = priv;
    free(ws->vault_uri);
    free(ws->vault_name);
    free(ws->vault_id);
    free(ws->name);
    free(ws->def_ctype);
    kv_tags_free(&ws->def_tags);
    wizard_value_free(ws->wv);
    secret_free(ws->value);
    free(ws->ctype);
    kv_tags_free(&ws->tags);
    free(ws);
}

static const struct wizard_ops secret_ops = {
    .name = "secret",
    .pages = PAGES,
    .page = ws_page,
    .next = ws_next,
    .plan = ws_plan,
    .end = ws_end,
    .free = ws_free,
};

static struct wsecret *
ws_new(const char *vault_uri, const char *vault_name, const char *name)
{
    struct wsecret *ws = xcalloc(1, sizeof *ws);
    ws->vault_uri = xstrdup(vault_uri);
    ws->vault_name = vault_name ? xstrdup(vault_name) : NULL;
    ws->name = name ? xstrdup(name) : NULL;
    ws->wv = wizard_value_new();
    return ws;
}

void
wizard_secret_new(struct app *a, const char *vault_uri, const char *vault_name,
                  const char *name)
{
    struct wsecret *ws = ws_new(vault_uri, vault_name, name);
    ws->create = true;
    wizard_push(a, &secret_ops, ws, _("New secret"));
}

/* A new version; through Resource Manager when vault_id is set. */
static void
ws_version_push(struct app *a, const char *vault_uri, const char *vault_name,
                const struct kv_secret_item *item, const char *vault_id)
{
    struct wsecret *ws = ws_new(vault_uri, vault_name, item->name);
    ws->vault_id = vault_id != NULL ? xstrdup(vault_id) : NULL;
    ws->def_ctype = item->content_type ? xstrdup(item->content_type) : NULL;
    for (size_t i = 0; i < item->tags.n; i++)
        kv_tags_set(&ws->def_tags, item->tags.items[i].key,
                        item->tags.items[i].value ? item->tags.items[i].value
                                                  : "");
    char *t = xasprintf(_("New version of %s"), item->name);
    wizard_push(a, &secret_ops, ws, t);
    free(t);
}

void
wizard_secret_version(struct app *a, const char *vault_uri,
                      const char *vault_name, const struct kv_secret_item *item)
{
    ws_version_push(a, vault_uri, vault_name, item, NULL);
}

void
wizard_secret_new_here(struct app *a, const char *name)
{
    if (app_refuse_read_only(a))
        return;
    if (a->vault == NULL) {
        app_message(a, true, "%s", _("open a vault first (:vault NAME)"));
        return;
    }
    wizard_secret_new(a, a->vault->vault->vault_uri, a->vault->vault->name,
                      name);
}

void
wizard_secret_version_selected(struct app *a)
{
    struct secrets_selection sel;
    if (app_refuse_read_only(a))
        return;
    if (!view_secrets_selected(a, &sel)) {
        app_message(a, false, "%s",
                    _("select a secret in the secrets pane to write a new "
                      "version of it"));
        return;
    }
    /* the secrets were listed through Resource Manager: write that way */
    ws_version_push(a, sel.vault->vault->vault_uri, sel.vault->vault->name,
                    sel.secret->item,
                    sel.vault->secrets_refused != NULL ? sel.vault->vault->id
                                                       : NULL);
}
