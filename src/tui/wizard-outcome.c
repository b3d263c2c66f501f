/*
 * wizard-outcome.c — reading how a plan ended for the wizards' last
 * screen, and refreshing the store after a write.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/explain.h"
#include "tui/wizard-outcome.h"

void
wizard_outcome_read(const struct plan *p, struct wizard_outcome *o)
{
    memset(o, 0, sizeof *o);
    o->plan = p;
    for (size_t i = 0; i < plan_steps(p); i++) {
        enum step_state st = plan_step_state(p, i);
        if (strcmp(plan_step_op(p, i), "secret-set") == 0 && st == STEP_DONE)
            o->written = true;
        if (st == STEP_FAILED)
            o->failure = plan_step_failure(p, i);
    }
    o->verified = plan_verified(p);
    o->cancelled = !plan_finished(p) && !plan_failed(p);
    const struct kv_secret_version *v = plan_result_version(p);
    o->version = v != NULL ? v->version : NULL;
}

void
wizard_outcome_failure(struct app *a, struct wizard *w,
                       const struct wizard_outcome *o, const char *headline)
{
    wizard_say(w, ST_ERROR, "%s %s",
               o->cancelled ? a->term.g.warn : a->term.g.no, headline);
    if (o->cancelled) {
        wizard_say(w, ST_NORMAL, "%s",
                   _("Stopped on request between two steps."));
        return;
    }
    const struct plan_failure *f = o->failure;
    if (f == NULL)
        return;
    char status[32] = "";
    /* a long-running operation that ended Failed was polled with a 200:
     * that number would only confuse */
    if (f->http_status >= 300)
        snprintf(status, sizeof status, "%ld ", f->http_status);
    /* the inner code says why: 409 Conflict (ObjectIsDeletedBut
     * Recoverable) */
    char code[160] = "";
    if (f->inner_code != NULL && !str_eq(f->inner_code, f->code))
        snprintf(code, sizeof code, f->code ? "%s (%s)" : "%s%s",
                 f->code ? f->code : "", f->inner_code);
    else if (f->code != NULL)
        snprintf(code, sizeof code, "%s", f->code);
    /* only an answer is Azure's word; a wait kvdeck gave up or a
     * connection that never answered is kvdeck's */
    bool azure = f->http_status > 0 || f->code != NULL;
    if (f->advice != NULL) /* kvdeck's reading of it, first */
        wizard_say(w, ST_WARNING, "%s", f->advice);
    wizard_say(w, ST_NORMAL,
               azure ? _("Azure said: %s%s%s%s") : _("Failed: %s%s%s%s"),
               status, code, code[0] != '\0' ? ": " : "",
               f->message ? f->message : kv_status_message(f->status));
    char *why = o->plan != NULL ? explain_plan(a, o->plan) : NULL;
    if (why != NULL)
        wizard_say(w, ST_WARNING, "%s", why);
    free(why);
    if (f->request_id != NULL)
        wizard_say(w, ST_DIM, _("Request id: %s"), f->request_id);
}

void
wizard_outcome_refresh(struct app *a, const char *vault_uri, const char *name)
{
    struct store_vault *v = store_find_vault(a->store, vault_uri);
    if (v == NULL)
        return;
    struct store_secret *sec = store_find_secret(v, name);
    if (sec != NULL && store_versions_load(sec)->state != LOAD_NONE)
        store_load_versions(a->store, v, sec);
    store_load_secrets(a->store, v);
}
