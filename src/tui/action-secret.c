/*
 * action-secret.c — the actions on the secrets pane's selection: edit a
 * version's attributes (a form prefilled with what it has now, PATCH),
 * copy the secret to another vault the store knows, delete it (typed
 * name), and copy an identifier (vault URI, secret id) to the clipboard.
 * Each builds a plan and hands it to action_run() (review, progress).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "tui/action.h"
#include "tui/frame.h"
#include "tui/osc52.h"
#include "tui/view-secrets.h"
#include "tui/widget-form.h"
#include "tui/wizard-value.h"

/* The selection, or a message saying what to select. */
static bool
action_selected(struct app *a, struct secrets_selection *sel)
{
    if (view_secrets_selected(a, sel))
        return true;
    app_message(a, false, "%s",
                _("select a secret in the secrets pane (open a vault with "
                  "Enter)"));
    return false;
}

const char *
action_parse_day(const char *text, int64_t *out)
{
    int y, m, d;
    char tail;
    *out = 0;
    if (text[0] == '\0')
        return NULL;
    if (strlen(text) != 10 ||
        sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return _("a date as YYYY-MM-DD, or empty for none");
    char iso[32], back[32];
    snprintf(iso, sizeof iso, "%sT00:00:00Z", text);
    if (!time_parse_iso(iso, out))
        return _("a date as YYYY-MM-DD, or empty for none");
    time_format_iso(*out, back, sizeof back);
    if (strncmp(back, text, 10) != 0) /* 2027-02-30 */
        return _("no such day");
    return NULL;
}

/* ---- edit ------------------------------------------------------------- */

struct attr_edit {
    char *vault_uri, *vault_name, *name;
    struct kv_secret_version *cur; /* a copy of the version edited */
    size_t enabled, expires, nbf, ctype, tags;
};

static void
edit_free(void *ctx)
{
    struct attr_edit *e = ctx;
    free(e->vault_uri);
    free(e->vault_name);
    free(e->name);
    kv_secret_version_free(e->cur);
    free(e);
}

/* What the edit needs of a version (metadata only), copied. */
static struct kv_secret_version *
edit_copy_version(const struct kv_secret_version *v)
{
    struct kv_secret_version *c = xcalloc(1, sizeof *c);
    c->version = v->version ? xstrdup(v->version) : NULL;
    c->name = v->name ? xstrdup(v->name) : NULL;
    c->content_type = v->content_type ? xstrdup(v->content_type) : NULL;
    c->attrs.enabled = v->attrs.enabled;
    c->attrs.expires = v->attrs.expires;
    c->attrs.not_before = v->attrs.not_before;
    for (size_t i = 0; i < v->tags.n; i++)
        kv_tags_set(&c->tags, v->tags.items[i].key,
                        v->tags.items[i].value ? v->tags.items[i].value : "");
    return c;
}

static const char *
edit_check_day(const char *text, void *ctx)
{
    (void)ctx;
    int64_t t;
    return action_parse_day(text, &t);
}

static void
edit_done(struct app *a, struct screen *s, struct form *f, bool submitted,
          void *ctx)
{
    struct attr_edit *e = ctx;
    if (!submitted)
        return;
    const struct kv_secret_version *cur = e->cur;
    struct secret_change c = {
        .vault_uri = e->vault_uri,
        .vault_name = e->vault_name,
        .name = e->name,
        .current = cur,
    };
    bool en = form_checked(f, e->enabled);
    c.has_enabled = en != cur->attrs.enabled;
    c.enabled = en;
    action_parse_day(form_text(f, e->expires), &c.expires);
    c.has_expires = c.expires != cur->attrs.expires;
    action_parse_day(form_text(f, e->nbf), &c.not_before);
    c.has_not_before = c.not_before != cur->attrs.not_before;
    const char *ct = form_text(f, e->ctype);
    if (!str_eq(ct, cur->content_type ? cur->content_type : ""))
        c.content_type = ct; /* "" clears it */
    struct kv_tags tags = {0, NULL};
    const char *why = NULL;
    wizard_tags_parse(form_text(f, e->tags), &tags, &why);
    char *now = wizard_tags_format(&tags),
         *was = wizard_tags_format(&cur->tags);
    c.has_tags = !str_eq(now, was);
    c.tags = &tags;
    free(now);
    free(was);
    if (!c.has_enabled && !c.has_expires && !c.has_not_before &&
        c.content_type == NULL && !c.has_tags) {
        app_message(a, false, "%s",
                    _("nothing changed: edit a field, or Esc to leave"));
        kv_tags_free(&tags);
        return;
    }
    struct action_reload r = {.vault_uri = e->vault_uri, .name = e->name};
    action_run(a, plan_secret_edit(&c), s, &r);
    kv_tags_free(&tags);
}

void
action_secret_edit(struct app *a)
{
    struct secrets_selection sel;
    if (!action_selected(a, &sel))
        return;
    const struct kv_secret_version *v =
        sel.version != NULL ? sel.version : sel.latest;
    if (v == NULL) {
        /* The attributes to prefill are a version's: fetch them first. */
        if (store_versions_load(sel.secret)->state != LOAD_LOADING)
            store_load_versions(a->store, sel.vault, sel.secret);
        char key[96];
        frame_first_key(a, ACT_EDIT, key, sizeof key);
        app_message(a, false, _("loading the versions of %s; press %s again"),
                    sel.secret->item->name, key);
        return;
    }
    struct attr_edit *e = xcalloc(1, sizeof *e);
    e->vault_uri = xstrdup(sel.vault->vault->vault_uri);
    e->vault_name = xstrdup(sel.vault->vault->name);
    e->name = xstrdup(sel.secret->item->name);
    e->cur = edit_copy_version(v);
    char exp[16], nbf[16];
    wizard_format_day(v->attrs.expires, exp, sizeof exp);
    wizard_format_day(v->attrs.not_before, nbf, sizeof nbf);
    char *tags = wizard_tags_format(&v->tags);
    struct form *f = form_new();
    char *info = xasprintf(_("Version %s of %s in %s"), v->version, e->name,
                           e->vault_name);
    form_add_info(f, info);
    free(info);
    e->enabled = form_add_check(f, _("Enabled"), v->attrs.enabled);
    e->expires = form_add_text(f, _("Expires"), exp, 10, edit_check_day, NULL);
    form_set_hint(f, e->expires, _("YYYY-MM-DD (UTC), empty for never"));
    e->nbf = form_add_text(f, _("Not before"), nbf, 10, edit_check_day, NULL);
    form_set_hint(f, e->nbf, _("YYYY-MM-DD (UTC), empty for none"));
    e->ctype =
        form_add_text(f, _("Content type"), v->content_type, 255, NULL, NULL);
    e->tags = form_add_text(f, _("Tags"), tags, 4096, wizard_check_tags, NULL);
    form_set_hint(f, e->tags, _("key=value, key=value (at most 15)"));
    free(tags);
    form_set_buttons(f, _("Review"), _("Cancel"));
    widget_form_push(a, _("Edit attributes"), f, edit_done, e, edit_free);
}

/* ---- delete ----------------------------------------------------------- */

void
action_secret_delete(struct app *a)
{
    struct secrets_selection sel;
    if (!action_selected(a, &sel))
        return;
    struct secret_change c = {
        .vault_uri = sel.vault->vault->vault_uri,
        .vault_name = sel.vault->vault->name,
        .name = sel.secret->item->name,
    };
    struct action_reload r = {.vault_uri = c.vault_uri};
    /* plan_confirm_name(): the review asks for the name typed */
    action_run(a, plan_secret_delete(&c), NULL, &r);
}

/* ---- copy to another vault --------------------------------------------- */

struct copy_to {
    char *vault_uri, *vault_name, *name;
    struct vec uris, names; /* the target vaults, in choice order */
    size_t vault, to_name;
};

static void
copy_to_free(void *ctx)
{
    struct copy_to *ct = ctx;
    free(ct->vault_uri);
    free(ct->vault_name);
    free(ct->name);
    for (size_t i = 0; i < ct->uris.len; i++) {
        free(ct->uris.items[i]);
        free(ct->names.items[i]);
    }
    vec_free(&ct->uris);
    vec_free(&ct->names);
    free(ct);
}

static const char *
copy_to_check_name(const char *text, void *ctx)
{
    (void)ctx;
    return text[0] == '\0' ? NULL : plan_check_secret_name(text);
}

static void
copy_to_done(struct app *a, struct screen *s, struct form *f, bool submitted,
             void *ctx)
{
    struct copy_to *ct = ctx;
    if (!submitted)
        return;
    size_t i = form_choice(f, ct->vault);
    const char *to = form_text(f, ct->to_name);
    struct secret_change c = {
        .vault_uri = ct->vault_uri,
        .vault_name = ct->vault_name,
        .name = ct->name,
        .to_vault_uri = ct->uris.items[i],
        .to_vault_name = ct->names.items[i],
        .to_name = to[0] != '\0' ? to : NULL,
    };
    struct action_reload r = {.vault_uri = ct->vault_uri,
                              .vault_uri2 = ct->uris.items[i]};
    action_run(a, plan_secret_copy(&c), s, &r);
}

void
action_secret_copy_to(struct app *a)
{
    struct secrets_selection sel;
    if (!action_selected(a, &sel))
        return;
    struct copy_to *ct = xcalloc(1, sizeof *ct);
    ct->vault_uri = xstrdup(sel.vault->vault->vault_uri);
    ct->vault_name = xstrdup(sel.vault->vault->name);
    ct->name = xstrdup(sel.secret->item->name);
    for (size_t i = 0; i < a->store->vaults.len; i++) {
        struct store_vault *v = a->store->vaults.items[i];
        if (v == sel.vault || v->vault->vault_uri == NULL)
            continue;
        vec_push(&ct->uris, xstrdup(v->vault->vault_uri));
        vec_push(&ct->names, xstrdup(v->vault->name));
    }
    if (ct->uris.len == 0) {
        app_message(a, false, "%s",
                    _("no other vault is known to copy to (open one with "
                      ":vault NAME first)"));
        copy_to_free(ct);
        return;
    }
    struct form *f = form_new();
    char *info = xasprintf(_("Copy the latest value of %s, with its content "
                             "type, tags and expiry, from %s to:"),
                           ct->name, ct->vault_name);
    form_add_info(f, info);
    free(info);
    ct->vault = form_add_choice(
        f, _("Vault"), (const char *const *)ct->names.items, ct->names.len, 0);
    form_set_hint(f, ct->vault, _("Left/Right or Space: another vault"));
    ct->to_name =
        form_add_text(f, _("New name"), NULL, 127, copy_to_check_name, NULL);
    form_set_hint(f, ct->to_name, _("empty: the same name"));
    form_set_buttons(f, _("Review"), _("Cancel"));
    widget_form_push(a, _("Copy to another vault"), f, copy_to_done, ct,
                     copy_to_free);
}

/* ---- copy an identifier -------------------------------------------------- */

struct copy_id {
    struct vec labels, texts; /* char *, in choice order */
    size_t choice;
};

static void
copy_id_free(void *ctx)
{
    struct copy_id *ci = ctx;
    for (size_t i = 0; i < ci->texts.len; i++) {
        free(ci->labels.items[i]);
        free(ci->texts.items[i]);
    }
    vec_free(&ci->labels);
    vec_free(&ci->texts);
    free(ci);
}

static void
copy_id_add(struct copy_id *ci, struct form *f, const char *label,
            const char *text)
{
    vec_push(&ci->labels, xstrdup(label));
    vec_push(&ci->texts, xstrdup(text));
    char *line = xasprintf("%s: %s", label, text);
    form_add_info(f, line);
    free(line);
}

static void
copy_id_done(struct app *a, struct screen *s, struct form *f, bool submitted,
             void *ctx)
{
    struct copy_id *ci = ctx;
    if (!submitted)
        return;
    size_t i = form_choice(f, ci->choice);
    const char *text = ci->texts.items[i];
    struct secret *v = secret_dup(text, strlen(text));
    char *why = NULL;
    enum osc52_mode mode = osc52_mode_from_env(getenv("TMUX"), getenv("STY"));
    /* Not secret: the status bar says exactly what was copied. */
    if (osc52_write(a->term.fd, v, mode, &why) == KV_OK)
        app_message(a, false, _("copied %s to the clipboard: %s"),
                    (const char *)ci->labels.items[i], text);
    else
        app_message(a, true, "%s", why);
    free(why);
    secret_free(v);
    screen_pop(a, s);
}

void
action_copy_id(struct app *a)
{
    struct secrets_selection sel;
    bool have = view_secrets_selected(a, &sel);
    struct store_vault *vault = have ? sel.vault : a->vault;
    if (a->focus == PANE_VAULTS || vault == NULL) {
        /* the vault under the cursor in the vaults pane, if any */
        const char *n =
            a->views[PANE_VAULTS].ops->selected_name(a, &a->views[PANE_VAULTS]);
        struct store_vault *sv = n ? store_find_vault(a->store, n) : NULL;
        if (sv != NULL && a->focus == PANE_VAULTS) {
            vault = sv;
            have = false;
        }
    }
    if (vault == NULL || vault->vault->vault_uri == NULL) {
        app_message(a, false, "%s", _("select a vault or a secret first"));
        return;
    }
    struct copy_id *ci = xcalloc(1, sizeof *ci);
    struct form *f = form_new();
    copy_id_add(ci, f, _("vault URI"), vault->vault->vault_uri);
    if (have) {
        const struct kv_secret_version *v =
            sel.version != NULL ? sel.version : sel.latest;
        char *id = xasprintf("%s/secrets/%s", vault->vault->vault_uri,
                             sel.secret->item->name);
        copy_id_add(ci, f, _("secret identifier (no version)"), id);
        if (v != NULL && v->version != NULL) {
            char *vid = xasprintf("%s/%s", id, v->version);
            copy_id_add(ci, f, _("secret identifier (this version)"), vid);
            free(vid);
        }
        free(id);
    }
    ci->choice =
        form_add_choice(f, _("Copy"), (const char *const *)ci->labels.items,
                        ci->labels.len, have ? 1 : 0);
    form_set_hint(f, ci->choice, _("Left/Right or Space: another one"));
    form_set_buttons(f, _("Copy"), _("Cancel"));
    widget_form_push(a, _("Copy an identifier"), f, copy_id_done, ci,
                     copy_id_free);
}
