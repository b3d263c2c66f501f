/*
 * plan-secret-arm.c — building the plans that set or rotate a secret
 * through Resource Manager (see plan.h, issue #10), for a vault whose
 * data plane this host cannot reach: read the latest version through
 * ARM (rotate: refuse if it changed since the review), PUT the new
 * version (the value in secure memory), read it again. The review says
 * plainly that the value cannot be read back, and that the old version
 * stays enabled (Resource Manager cannot disable one version). Pure; the
 * steps run in plan-secret-arm-ops.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/plan-impl.h"

static const char *
vname(const struct secret_change *c, const char *vault_id)
{
    if (c->vault_name != NULL)
        return c->vault_name;
    const char *s = strrchr(vault_id, '/');
    return s != NULL ? s + 1 : vault_id;
}

/* A step on the ARM secret (id: VAULT-ID/secrets/NAME). */
static struct plan_step *
add(struct plan *p, const struct step_ops *ops, const char *id,
    const struct secret_change *c, char *text)
{
    struct plan_step *s = plan_add(p, ops, id, "%s", text);
    free(text);
    s->args.arm_id = xstrdup(id);
    s->args.api_version = xstrdup(AZ_API_KEYVAULT);
    s->args.name = xstrdup(c->name);
    s->args.vault_uri = c->vault_uri != NULL ? xstrdup(c->vault_uri) : NULL;
    return s;
}

/* The attributes written (as the data-plane set takes them). */
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

/* ", content type password, expires 2027-03-05" (caller frees). */
static char *
describe(const struct secret_change *c)
{
    char day[32];
    char *ct = c->content_type != NULL && *c->content_type
                   ? xasprintf(_(", content type %s"), c->content_type)
                   : xstrdup("");
    char *ex;
    if (c->has_expires && c->expires != 0) {
        time_format_iso(c->expires, day, sizeof day);
        ex = xasprintf(_(", expires %.10s"), day);
    } else {
        ex = xstrdup(c->has_expires ? _(", no expiry") : "");
    }
    char *out = xasprintf("%s%s", ct, ex);
    free(ct);
    free(ex);
    return out;
}

struct plan *
plan_secret_set_arm(struct secret_change *c, const char *vault_id, bool rotate)
{
    if (c == NULL || vault_id == NULL || c->name == NULL ||
        c->retire != RETIRE_KEEP || c->value == NULL)
        return NULL; /* c->value stays the caller's */
    const char *vn = vname(c, vault_id);
    char *id = xasprintf("%s/secrets/%s", vault_id, c->name);
    char *t = rotate ? xasprintf(_("Rotate %s in %s through Resource Manager"),
                                 c->name, vn)
                     : xasprintf(_("New version of %s in %s through Resource "
                                   "Manager"),
                                 c->name, vn);
    struct plan *p = plan_new(rotate ? "rotate-arm" : "secret-set-arm", t);
    free(t);
    p->value = c->value; /* taken */
    c->value = NULL;
    const char *old = c->current != NULL ? c->current->version : NULL;
    if (rotate) {
        p->expected_version = old != NULL ? xstrdup(old) : NULL;
        t = old != NULL
                ? xasprintf(_("Check through Resource Manager that version "
                              "%.8s… is still the latest of %s"),
                            old, c->name)
                : xasprintf(_("Check through Resource Manager that %s has no "
                              "version yet"),
                            c->name);
    } else if (c->create) {
        t = xasprintf(_("Check through Resource Manager that %s does not "
                        "exist in %s yet"),
                      c->name, vn);
    } else {
        t = xasprintf(_("Read the latest version of %s in %s through "
                        "Resource Manager"),
                      c->name, vn);
    }
    add(p,
        c->create && !rotate ? &step_arm_secret_absent
                             : &step_arm_secret_latest,
        id, c, t);
    char *d = describe(c);
    t = xasprintf(_("Write a new version of %s in %s through Resource "
                    "Manager%s (no data-plane access needed; the old version "
                    "stays enabled: Resource Manager cannot disable one "
                    "version)"),
                  c->name, vn, d);
    attrs(add(p, &step_arm_secret_set, id, c, t), c);
    free(d);
    t = xasprintf(_("Read %s through Resource Manager again: the new version "
                    "and its attributes (its value cannot be read back "
                    "through Resource Manager, so it is not compared)"),
                  c->name);
    attrs(add(p, &step_arm_secret_verify, id, c, t), c);
    free(id);
    return p;
}
