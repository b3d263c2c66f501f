/*
 * action-vault.c — changing a vault from the vaults pane: delete it
 * (soft: the review says until when it can be recovered, or that purge
 * protection keeps it from being purged; the name typed), replace its
 * tags (a small form), turn purge protection on (typed; it can never be
 * turned off). Each is a vault plan (engine/plan.h) through action_run():
 * a review, the progress, then the subscription's vaults loaded again.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "tui/action.h"
#include "tui/widget-form.h"
#include "tui/wizard-value.h"
#include "tui/wizard-vault.h"

/* A vault kvdeck knows through Resource Manager (not only by URI). */
static bool
av_usable(struct app *a, const struct store_vault *sv)
{
    if (app_refuse_read_only(a))
        return false;
    if (sv == NULL) {
        app_message(a, false, "%s", _("no vault selected"));
        return false;
    }
    if (sv->by_uri || sv->vault->id == NULL) {
        app_message(a, true,
                    _("%s was opened by its URI: kvdeck does not know its "
                      "Azure resource (list it with Reader rights)"),
                    sv->vault->name);
        return false;
    }
    return true;
}

static void
av_run(struct app *a, struct plan *p, struct screen *under,
       const struct kv_vault *v)
{
    struct action_reload r = {.subscription_id = v->subscription_id};
    action_run(a, p, under, &r);
}

void
action_vault_delete(struct app *a, const struct store_vault *sv)
{
    if (!av_usable(a, sv))
        return;
    av_run(a, plan_vault_delete(sv->vault), NULL, sv->vault);
}

void
action_vault_protect(struct app *a, const struct store_vault *sv)
{
    if (!av_usable(a, sv))
        return;
    if (sv->vault->purge_protection) {
        app_message(a, false,
                    _("purge protection is on for %s already (it cannot be "
                      "turned off)"),
                    sv->vault->name);
        return;
    }
    av_run(a, plan_vault_purge_protection(sv->vault), NULL, sv->vault);
}

/* ---- tags ------------------------------------------------------------- */

struct av_tags {
    char *id; /* the vault's resource id: looked up again on submit */
    size_t f_tags;
};

static void
av_tags_free(void *ctx)
{
    struct av_tags *t = ctx;
    free(t->id);
    free(t);
}

static void
av_tags_done(struct app *a, struct screen *s, struct form *f, bool submitted,
             void *ctx)
{
    struct av_tags *t = ctx;
    if (!submitted)
        return;
    struct store_vault *sv = store_find_vault(a->store, t->id);
    if (sv == NULL) {
        app_message(a, true, "%s", _("the vault is no longer listed"));
        screen_pop(a, s);
        return;
    }
    struct kv_tags tags = {0};
    const char *bad = NULL;
    if (!wizard_tags_parse(form_text(f, t->f_tags), &tags, &bad)) {
        form_set_error(f, t->f_tags, bad);
        return;
    }
    struct plan *p = plan_vault_tags(sv->vault, &tags);
    kv_tags_free(&tags);
    av_run(a, p, s, sv->vault); /* the form goes with the review */
}

void
action_vault_tags(struct app *a, const struct store_vault *sv)
{
    if (!av_usable(a, sv))
        return;
    struct av_tags *t = xcalloc(1, sizeof *t);
    t->id = xstrdup(sv->vault->id);
    struct form *f = form_new();
    char *info = xasprintf(_("The tags of vault %s (they replace the ones it "
                             "has; empty removes them all)."),
                           sv->vault->name);
    form_add_info(f, info);
    free(info);
    char *now = wizard_tags_format(&sv->vault->tags);
    t->f_tags = form_add_text(f, _("Tags"), now, 4096, wizard_check_tags, NULL);
    free(now);
    form_set_hint(f, t->f_tags, _("key=value, key=value"));
    form_set_buttons(f, _("Review"), _("Cancel"));
    char *title = xasprintf(_("Tags of %s"), sv->vault->name);
    widget_form_push(a, title, f, av_tags_done, t, av_tags_free);
    free(title);
}
