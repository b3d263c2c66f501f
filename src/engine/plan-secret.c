/*
 * plan-secret.c — building the secret plans (see plan.h): each user
 * request becomes a list of steps with sentences a person can review.
 * Pure: no request is sent here; the steps' ops (plan-secret-ops.c) do
 * the work when the plan runs.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/plan-impl.h"

const char *
plan_check_secret_name(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;
    if (n == 0 || n > 127)
        return _("a secret name has 1-127 characters: letters, digits "
                 "and -");
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z') || c == '-'))
            return _("a secret name has 1-127 characters: letters, digits "
                     "and -");
    }
    return NULL;
}

static const char *
vname(const struct secret_change *c)
{
    return c->vault_name != NULL ? c->vault_name : c->vault_uri;
}

/* "https://v.vault.azure.net/secrets/NAME[/VERSION]" */
static char *
secret_url(const char *vault_uri, const char *name, const char *version)
{
    char *base = str_rstrip_slash(vault_uri);
    char *u = version != NULL
                  ? xasprintf("%s/secrets/%s/%s", base, name, version)
                  : xasprintf("%s/secrets/%s", base, name);
    free(base);
    return u;
}

/* A step acting on c's secret (version optional). */
static struct plan_step *
add(struct plan *p, const struct step_ops *ops, const struct secret_change *c,
    const char *version, const char *text)
{
    char *target = secret_url(c->vault_uri, c->name, version);
    struct plan_step *s = plan_add(p, ops, target, "%s", text);
    free(target);
    s->args.vault_uri = xstrdup(c->vault_uri);
    s->args.name = xstrdup(c->name);
    s->args.version = version != NULL ? xstrdup(version) : NULL;
    return s;
}

/* The attributes of c into a write step's arguments. */
static void
attrs(struct plan_step *s, const struct secret_change *c)
{
    struct step_args *a = &s->args;
    a->content_type = c->content_type ? xstrdup(c->content_type) : NULL;
    a->has_expires = c->has_expires;
    a->expires = c->expires;
    a->has_not_before = c->has_not_before;
    a->not_before = c->not_before;
    a->has_enabled = c->has_enabled;
    a->enabled = c->enabled;
    if (c->has_tags && c->tags != NULL) {
        struct step_args tmp = {.has_tags = true, .tags = *c->tags};
        struct step_args cp;
        step_args_copy(&cp, &tmp);
        a->has_tags = true;
        a->tags = cp.tags;
    }
}

/* "…, content type text/plain, expires 2027-03-05" for the sentences. */
static char *
describe(const struct secret_change *c)
{
    char day[32];
    char *out = xstrdup("");
    if (c->content_type != NULL && *c->content_type) {
        char *n = xasprintf(_("%s, content type %s"), out, c->content_type);
        free(out);
        out = n;
    }
    if (c->has_expires) {
        if (c->expires != 0)
            time_format_iso(c->expires, day, sizeof day);
        char *n = c->expires != 0 ? xasprintf(_("%s, expires %.10s"), out, day)
                                  : xasprintf(_("%s, no expiry"), out);
        free(out);
        out = n;
    }
    if (c->has_not_before && c->not_before != 0) {
        time_format_iso(c->not_before, day, sizeof day);
        char *n = xasprintf(_("%s, not before %.10s"), out, day);
        free(out);
        out = n;
    }
    if (c->has_tags && c->tags != NULL && c->tags->n > 0) {
        char *n = xasprintf(_("%s, %zu tag(s)"), out, c->tags->n);
        free(out);
        out = n;
    }
    return out;
}

static struct plan *
begin(const char *kind, char *title, struct secret_change *c)
{
    struct plan *p = plan_new(kind, title);
    free(title);
    p->value = c->value; /* taken */
    c->value = NULL;
    return p;
}

struct plan *
plan_secret_set(struct secret_change *c)
{
    struct plan *p = begin(
        c->create ? "secret-create" : "secret-set",
        c->create ? xasprintf(_("Create secret %s in %s"), c->name, vname(c))
                  : xasprintf(_("New version of %s in %s"), c->name, vname(c)),
        c);
    char *d = describe(c), *t;
    if (c->create) {
        t = xasprintf(_("Check that %s does not exist in %s yet"), c->name,
                      vname(c));
        add(p, &step_secret_absent, c, NULL, t);
    } else {
        t = xasprintf(_("Read the latest version of %s in %s"), c->name,
                      vname(c));
        add(p, &step_secret_latest, c, NULL, t);
    }
    free(t);
    t = c->create ? xasprintf(_("Write %s in %s%s"), c->name, vname(c), d)
                  : xasprintf(_("Write a new version of %s in %s%s"), c->name,
                              vname(c), d);
    attrs(add(p, &step_secret_set, c, NULL, t), c);
    free(t);
    t = xasprintf(_("Read the new version back and compare it with the "
                    "value written"));
    add(p, &step_secret_verify, c, NULL, t);
    free(t);
    free(d);
    return p;
}

struct plan *
plan_rotate(struct secret_change *c)
{
    struct plan *p =
        begin("rotate", xasprintf(_("Rotate %s in %s"), c->name, vname(c)), c);
    const char *old = c->current != NULL ? c->current->version : NULL;
    p->expected_version = old != NULL ? xstrdup(old) : NULL;
    char *d = describe(c), *t;
    t = old != NULL
            ? xasprintf(_("Check that version %.8s… is still the latest of %s"),
                        old, c->name)
            : xasprintf(_("Check that %s has no version yet"), c->name);
    add(p, &step_secret_latest, c, NULL, t);
    free(t);
    t = xasprintf(_("Write a new version of %s in %s%s"), c->name, vname(c), d);
    attrs(add(p, &step_secret_set, c, NULL, t), c);
    free(t);
    t = xasprintf(_("Read the new version back and compare it with the "
                    "value written"));
    add(p, &step_secret_verify, c, NULL, t);
    free(t);
    if (old != NULL && c->retire == RETIRE_NOW) {
        t = xasprintf(_("Disable the old version %.8s…"), old);
        add(p, &step_secret_disable, c, old, t);
        free(t);
    } else if (old != NULL && c->retire == RETIRE_LATER) {
        char left[32];
        time_format_left(c->retire_after, left, sizeof left);
        t = xasprintf(_("Record that the old version %.8s… is to be "
                        "disabled in %s (kvdeck reminds you; :pending)"),
                      old, left);
        struct plan_step *s = add(p, &step_retire_later, c, old, t);
        s->args.due = c->retire_after; /* relative until it runs */
        free(t);
    }
    free(d);
    return p;
}

struct plan *
plan_secret_edit(struct secret_change *c)
{
    const char *ver = c->current != NULL ? c->current->version : NULL;
    struct plan *p = begin("secret-edit",
                           xasprintf(_("Edit version %.8s… of %s in %s"),
                                     ver ? ver : "?", c->name, vname(c)),
                           c);
    char *d = describe(c);
    if (c->has_enabled) {
        char *n =
            xasprintf("%s, %s", d, c->enabled ? _("enabled") : _("disabled"));
        free(d);
        d = n;
    }
    char *t = xasprintf(_("Change the attributes of version %.8s… of %s%s"),
                        ver ? ver : "?", c->name, d);
    struct plan_step *s = add(p, &step_secret_update, c, ver, t);
    attrs(s, c);
    if (c->current != NULL) { /* what the undo restores */
        const struct kv_secret_version *v = c->current;
        struct step_args old = {
            /* "" clears a content type the edit set */
            .content_type = v->content_type ? v->content_type : (char *)"",
            .has_enabled = true,
            .enabled = v->attrs.enabled,
            .has_expires = true,
            .expires = v->attrs.expires,
            .has_not_before = true,
            .not_before = v->attrs.not_before,
            .has_tags = true,
            .tags = v->tags,
        };
        step_args_copy(&s->undo_args, &old);
        s->undo_args.vault_uri = xstrdup(c->vault_uri);
        s->undo_args.name = xstrdup(c->name);
        s->undo_args.version = ver != NULL ? xstrdup(ver) : NULL;
    }
    free(t);
    free(d);
    return p;
}

struct plan *
plan_secret_copy(struct secret_change *c)
{
    const char *to = c->to_name != NULL ? c->to_name : c->name;
    const char *tv = c->to_vault_name ? c->to_vault_name : c->to_vault_uri;
    struct plan *p = begin(
        "secret-copy",
        xasprintf(_("Copy %s from %s to %s in %s"), c->name, vname(c), to, tv),
        c);
    char *t =
        xasprintf(_("Read the latest value of %s in %s"), c->name, vname(c));
    add(p, &step_secret_read, c, NULL, t);
    free(t);
    struct secret_change dst = *c;
    dst.vault_uri = c->to_vault_uri;
    dst.vault_name = c->to_vault_name;
    dst.name = to;
    t = xasprintf(_("Read the latest version of %s in %s (if any)"), to, tv);
    add(p, &step_secret_latest, &dst, NULL, t);
    free(t);
    t = xasprintf(_("Write %s in %s with the same value, content type, tags "
                    "and expiry"),
                  to, tv);
    add(p, &step_secret_set, &dst, NULL, t);
    free(t);
    t = xasprintf(_("Read it back and compare it with the value copied"));
    add(p, &step_secret_verify, &dst, NULL, t);
    free(t);
    return p;
}

/* A plan of one step on c's secret: kind, title and sentence (both
 * taken), the step's ops, the version it acts on (or NULL); confirm: the
 * review asks for the secret's name typed. */
static struct plan *
one_step(struct secret_change *c, const char *kind, char *title, char *text,
         const struct step_ops *ops, const char *version, bool confirm)
{
    struct plan *p = begin(kind, title, c);
    if (confirm)
        p->confirm_name = xstrdup(c->name);
    add(p, ops, c, version, text);
    free(text);
    return p;
}

struct plan *
plan_secret_delete(struct secret_change *c)
{
    return one_step(c, "secret-delete",
                    xasprintf(_("Delete %s in %s"), c->name, vname(c)),
                    xasprintf(_("Delete %s (all versions) in %s; it can be "
                                "recovered until it is purged"),
                              c->name, vname(c)),
                    &step_secret_delete, NULL, true);
}

struct plan *
plan_secret_recover(struct secret_change *c)
{
    return one_step(c, "secret-recover",
                    xasprintf(_("Recover %s in %s"), c->name, vname(c)),
                    xasprintf(_("Recover the deleted secret %s in %s and wait "
                                "until it answers"),
                              c->name, vname(c)),
                    &step_secret_recover, NULL, false);
}

struct plan *
plan_secret_purge(struct secret_change *c)
{
    return one_step(c, "secret-purge",
                    xasprintf(_("Purge %s in %s"), c->name, vname(c)),
                    xasprintf(_("Purge the deleted secret %s in %s for ever "
                                "(this cannot be undone)"),
                              c->name, vname(c)),
                    &step_secret_purge, NULL, true);
}

struct plan *
plan_secret_disable(struct secret_change *c)
{
    const char *ver = c->current != NULL ? c->current->version : NULL;
    const char *v = ver != NULL ? ver : "?";
    return one_step(
        c, "retire",
        xasprintf(_("Disable version %.8s… of %s in %s"), v, c->name, vname(c)),
        xasprintf(_("Disable version %.8s… of %s"), v, c->name),
        &step_secret_disable, ver, false);
}

int64_t
plan_rotation_expiry(const struct kv_tags *tags, int64_t now)
{
    const char *days = kv_tags_get(tags, "rotation-days");
    const char *dur = kv_tags_get(tags, "rotation");
    int64_t d;
    if (days != NULL && atoi(days) > 0)
        return now + (int64_t)atoi(days) * 86400;
    if (dur != NULL && time_parse_duration(dur, &d) && d > 0)
        return now + d;
    return now + 90 * 86400;
}

void
plan_rotation_tags(struct kv_tags *tags, int64_t now)
{
    char iso[32];
    time_format_iso(now, iso, sizeof iso);
    kv_tags_set(tags, "rotated-at", iso);
}
