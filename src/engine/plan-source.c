/*
 * plan-source.c — building the rotate-source plans (see plan-source.h):
 * the steps as sentences, the new version's attributes (the reviewed
 * version's content type and tags, rotated-at, source-resource-id, the
 * rotation's expiry), and what a run found out, for the report. Pure: no
 * request is sent here (plan-source-ops.c runs the steps).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/cognitive.h"
#include "azure/resource.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/plan-source-int.h"
#include "engine/plan-source.h"

void
plan_source_ctx_free(struct source_ctx *c)
{
    if (c == NULL)
        return;
    free(c->account_id);
    free(c->account_name);
    free(c->endpoint);
    free(c->old_version);
    secret_free(c->old_value);
    secret_free(c->key1);
    secret_free(c->key2);
    free(c);
}

const char *
plan_source_account_of(const struct source_change *c)
{
    if (c->account_id != NULL && *c->account_id != '\0')
        return c->account_id;
    if (c->current != NULL)
        return kv_tags_get(&c->current->tags, PLAN_SOURCE_TAG);
    return NULL;
}

static const char *
vname(const struct source_change *c)
{
    return c->vault_name != NULL ? c->vault_name : c->vault_uri;
}

/* "https://v.vault.azure.net/secrets/NAME[/VERSION]" (the secret steps'
 * targets, so that a later secret-disable settles a retire-later). */
static char *
secret_url(const struct source_change *c, const char *version)
{
    char *base = str_rstrip_slash(c->vault_uri);
    char *u = version != NULL
                  ? xasprintf("%s/secrets/%s/%s", base, c->name, version)
                  : xasprintf("%s/secrets/%s", base, c->name);
    free(base);
    return u;
}

static struct plan_step *
add_secret(struct plan *p, const struct step_ops *ops,
           const struct source_change *c, const char *version, const char *text)
{
    char *target = secret_url(c, version);
    struct plan_step *s = plan_add(p, ops, target, "%s", text);
    free(target);
    s->args.vault_uri = xstrdup(c->vault_uri);
    s->args.name = xstrdup(c->name);
    s->args.version = version != NULL ? xstrdup(version) : NULL;
    return s;
}

static struct plan_step *
add_account(struct plan *p, const struct step_ops *ops,
            const struct source_change *c, const char *text)
{
    struct plan_step *s = plan_add(p, ops, p->src->account_id, "%s", text);
    s->args.arm_id = xstrdup(p->src->account_id);
    s->args.vault_uri = xstrdup(c->vault_uri);
    s->args.name = xstrdup(c->name);
    return s;
}

/* An ARM id of a Microsoft.CognitiveServices account (any case). */
static bool
is_account_id(const char *id)
{
    static const char want[] = "/providers/microsoft.cognitiveservices/"
                               "accounts/";
    if (id[0] != '/' || strpbrk(id, "?# ") != NULL)
        return false;
    char *low = xstrdup(id);
    for (char *q = low; *q != '\0'; q++)
        if (*q >= 'A' && *q <= 'Z')
            *q = (char)(*q - 'A' + 'a');
    bool ok = strstr(low, want) != NULL;
    free(low);
    return ok;
}

/* The plan with its context, or NULL and *why. */
static struct plan *
begin(const char *kind, char *title, const struct source_change *c, char **why)
{
    const char *acct = plan_source_account_of(c);
    char *name = acct != NULL ? az_id_segment(acct, "accounts") : NULL;
    if (acct == NULL) {
        *why = xasprintf(_("%s has no %s tag naming the AI services account "
                           "whose key it holds; give the account's id "
                           "(--account)"),
                         c->name, PLAN_SOURCE_TAG);
    } else if (name == NULL || !is_account_id(acct)) {
        *why = xasprintf(_("%s is not the id of an AI services account "
                           "(…/providers/Microsoft.CognitiveServices/"
                           "accounts/NAME)"),
                         acct);
    }
    if (acct == NULL || *why != NULL) {
        free(name);
        free(title);
        return NULL;
    }
    struct plan *p = plan_new(kind, title);
    free(title);
    p->src = xcalloc(1, sizeof *p->src);
    p->src->account_id = xstrdup(acct);
    p->src->account_name = name;
    return p;
}

struct plan *
plan_rotate_source(const struct source_change *c, char **why)
{
    *why = NULL;
    if (c->current == NULL || c->current->version == NULL) {
        *why = xasprintf(_("%s has no version to rotate"), c->name);
        return NULL;
    }
    struct plan *p =
        begin("rotate-source",
              xasprintf(_("Rotate %s in %s at its source"), c->name, vname(c)),
              c, why);
    if (p == NULL)
        return NULL;
    struct source_ctx *x = p->src;
    const char *old = c->current->version;
    const char *acct = x->account_name;
    int64_t now = c->now != 0 ? c->now : time_now();
    p->expected_version = xstrdup(old);
    x->old_version = xstrdup(old);
    char *t;

    t = xasprintf(_("Read %s (version %.8s…) and the keys of %s, and find "
                    "which key it holds"),
                  c->name, old, acct);
    add_account(p, &step_source_read, c, t);
    free(t);
    t = xasprintf(_("Regenerate the key of %s that %s does not hold "
                    "(applications keep using the other)"),
                  acct, c->name);
    add_account(p, &step_source_regenerate, c, t);
    free(t);

    char day[32];
    int64_t exp = plan_rotation_expiry(&c->current->tags, now);
    time_format_iso(exp, day, sizeof day);
    t = xasprintf(_("Write the new key as a new version of %s in %s, "
                    "expires %.10s, tags source-key and rotated-at"),
                  c->name, vname(c), day);
    struct plan_step *w = add_secret(p, &step_source_write, c, NULL, t);
    free(t);
    struct step_args *a = &w->args;
    a->content_type = c->current->content_type != NULL
                          ? xstrdup(c->current->content_type)
                          : NULL;
    a->has_expires = true;
    a->expires = exp;
    a->has_tags = true;
    for (size_t i = 0; i < c->current->tags.n; i++)
        kv_tags_set(&a->tags, c->current->tags.items[i].key,
                    c->current->tags.items[i].value);
    plan_rotation_tags(&a->tags, now);
    kv_tags_set(&a->tags, PLAN_SOURCE_TAG, x->account_id);

    add_secret(p, &step_secret_verify, c, NULL,
               _("Read the new version back and compare it with the key "
                 "written"));
    t = xasprintf(_("Call the endpoint of %s with the new version's key "
                    "(only 200 counts)"),
                  acct);
    add_account(p, &step_source_probe, c, t);
    free(t);

    if (c->retire == RETIRE_NOW) {
        p->confirm_name = xstrdup(acct);
        t = xasprintf(_("Regenerate the key the old version %.8s… holds at "
                        "%s: anything still using it loses access (cannot "
                        "be undone)"),
                      old, acct);
        add_account(p, &step_source_regenerate_old, c, t);
        free(t);
        t = xasprintf(_("Disable the old version %.8s…"), old);
        add_secret(p, &step_secret_disable, c, old, t);
        free(t);
    } else if (c->retire == RETIRE_LATER) {
        char left[32];
        time_format_left(c->retire_after, left, sizeof left);
        t = xasprintf(_("Record that the old key is to be regenerated at %s "
                        "and version %.8s… disabled in %s (kvdeck reminds "
                        "you; :pending)"),
                      acct, old, left);
        struct plan_step *s = add_secret(p, &step_retire_later, c, old, t);
        s->args.due = c->retire_after; /* relative until it runs */
        free(t);
    }
    return p;
}

struct plan *
plan_source_retire(const struct source_change *c, const char *old_version,
                   char **why)
{
    *why = NULL;
    if (old_version == NULL || *old_version == '\0') {
        *why = xstrdup(_("no version to retire"));
        return NULL;
    }
    struct plan *p = begin("rotate-source-retire",
                           xasprintf(_("Retire version %.8s… of %s in %s at "
                                       "its source"),
                                     old_version, c->name, vname(c)),
                           c, why);
    if (p == NULL)
        return NULL;
    struct source_ctx *x = p->src;
    x->retiring = true;
    x->old_version = xstrdup(old_version);
    p->confirm_name = xstrdup(x->account_name);
    char *t = xasprintf(_("Read version %.8s… of %s and the keys of %s, and "
                          "find which key it still holds"),
                        old_version, c->name, x->account_name);
    add_account(p, &step_source_read, c, t);
    free(t);
    t = xasprintf(_("Regenerate the key the old version %.8s… holds at %s: "
                    "anything still using it loses access (cannot be "
                    "undone)"),
                  old_version, x->account_name);
    add_account(p, &step_source_regenerate_old, c, t);
    free(t);
    t = xasprintf(_("Disable the old version %.8s…"), old_version);
    add_secret(p, &step_secret_disable, c, old_version, t);
    free(t);
    return p;
}

const char *
plan_source_old_key(const struct plan *p)
{
    return p->src != NULL ? az_ai_key_name(p->src->held) : NULL;
}

const char *
plan_source_new_key(const struct plan *p)
{
    return p->src != NULL ? az_ai_key_name(p->src->other) : NULL;
}

bool
plan_source_endpoint_ok(const struct plan *p)
{
    return p->src != NULL && p->src->endpoint_ok;
}

const char *
plan_source_account(const struct plan *p)
{
    return p->src != NULL ? p->src->account_name : NULL;
}

/* The state of the first step whose op is ops, or STEP_PENDING. */
static enum step_state
state_of(const struct plan *p, const struct step_ops *ops)
{
    for (size_t i = 0; i < p->steps.len; i++) {
        const struct plan_step *s = p->steps.items[i];
        if (s->ops == ops)
            return s->state;
    }
    return STEP_PENDING;
}

char *
plan_source_summary(const struct plan *p)
{
    const struct source_ctx *x = p->src;
    if (x == NULL)
        return xstrdup("");
    const char *acct = x->account_name;
    const char *oldk = az_ai_key_name(x->held);
    const char *newk = az_ai_key_name(x->other);
    const char *ver = x->old_version != NULL ? x->old_version : "?";
    bool written = state_of(p, &step_source_write) == STEP_DONE;
    bool regen = state_of(p, &step_source_regenerate) == STEP_DONE;
    bool disabled = state_of(p, &step_secret_disable) == STEP_DONE;
    if (x->retiring) {
        if (oldk == NULL && state_of(p, &step_source_read) != STEP_DONE)
            return xasprintf(_("Nothing was changed at %s."), acct);
        return xasprintf(
            _("Version %.8s…: its key at %s %s; the version is %s."), ver, acct,
            x->old_regenerated ? _("was regenerated")
                               : _("was not regenerated"),
            disabled ? _("disabled") : _("still enabled"));
    }
    if (oldk == NULL || (!regen && !written))
        return xasprintf(_("Nothing was changed: the vault's latest version "
                           "and the keys of %s are as they were."),
                         acct);
    if (!written)
        return xasprintf(_("%s of %s was regenerated but not stored; the "
                           "vault's latest version still holds %s, which is "
                           "still valid at %s (a regenerate cannot be "
                           "undone; retry writes the key)."),
                         newk, acct, oldk, acct);
    if (!x->endpoint_ok)
        return xasprintf(_("The vault's latest version holds %s (new, not "
                           "verified at the endpoint); %s (the previous "
                           "version %.8s…) is still valid at %s."),
                         newk, oldk, ver, acct);
    if (x->old_regenerated)
        return xasprintf(_("The vault's latest version holds %s, verified at "
                           "the endpoint of %s. %s was regenerated: the old "
                           "value is dead%s."),
                         newk, acct, oldk,
                         disabled ? _("; the old version is disabled") : "");
    return xasprintf(_("The vault's latest version holds %s, verified at the "
                       "endpoint of %s. %s (the previous version %.8s…) is "
                       "still valid there until it is retired."),
                     newk, acct, oldk, ver);
}
