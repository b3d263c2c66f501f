/*
 * plan-vault-wait.c — the last step of creating or recovering a vault:
 * wait until its data plane answers this principal (a secret list with
 * maxresults=1 returns 200). A new vault's name takes a while to
 * resolve, and a new role assignment a while to propagate (403
 * ForbiddenByRbac meanwhile); the step polls on a client timer, first
 * after FIRST_POLL_MS, the pause doubling up to POLL_MS (short delays are
 * not rounded up to a whole second; long ones cost one request a second) (the
 * worker keeps serving other jobs), says what it waits for and for how long,
 * gives up after WAIT_CAP_MS, and stops between polls when engine_interrupt()
 * asks. An answer that is not one of the expected transient ones stops the plan
 * with Azure's reason; a firewall or disabled public access (403
 * ForbiddenByFirewall/ForbiddenByConnection) skips the step: the vault exists,
 * this network cannot reach it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/client.h"
#include "azure/ops.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/plan-impl.h"

#define FIRST_POLL_MS 250
#define POLL_MS       1000
#define WAIT_CAP_MS   (10 * 60 * 1000)

static void wait_poll(struct plan_exec *x, struct plan_step *s);

static const char *
uri_of(struct plan_exec *x, struct plan_step *s)
{
    const struct plan *p = plan_exec_plan(x);
    if (s->args.vault_uri != NULL && *s->args.vault_uri != '\0')
        return s->args.vault_uri;
    return p->vault != NULL ? p->vault->vault_uri : NULL;
}

static long
elapsed_s(const struct plan_step *s)
{
    return (long)((time_mono_ms() - s->started_ms) / 1000);
}

/* What a failed probe means while a new vault settles, or NULL when it
 * is not one of the expected transient answers (caller frees). */
static char *
transient(const struct az_failure *f)
{
    switch (f->status) {
    case KV_ERR_CONNECT:
        if (f->message != NULL && str_icontains(f->message, "resolve"))
            return xstrdup(_("DNS not resolving yet"));
        return xstrdup(_("not accepting connections yet"));
    case KV_ERR_FORBIDDEN:
        if (f->inner_code != NULL && str_ieq(f->inner_code, "ForbiddenByRbac"))
            return xstrdup(_("403 ForbiddenByRbac: the role assignment is "
                             "propagating"));
        return xasprintf(_("403 %s: the access is propagating"),
                         f->inner_code != NULL ? f->inner_code
                         : f->code != NULL     ? f->code
                                               : "Forbidden");
    case KV_ERR_AUTH:
        return xstrdup(_("401: the vault does not accept the sign-in yet"));
    case KV_ERR_NOT_FOUND:
        return xstrdup(_("404: the data plane does not know the vault yet"));
    case KV_ERR_THROTTLED:
    case KV_ERR_TIMEOUT:
    case KV_ERR_IO:
        if (f->status == KV_ERR_IO)
            return xstrdup(_("no answer yet: the name is still being "
                             "registered (DNS)"));
        return xasprintf(_("%s: not ready yet"), f->message);
    case KV_ERR_HTTP:
        if (f->http_status >= 500)
            return xasprintf(_("HTTP %ld: not ready yet"), f->http_status);
        return NULL;
    default:
        return NULL;
    }
}

static void
pause_end(void *ud)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->timer = 0;
    wait_poll(x, s);
}

static void
wait_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (f == NULL) {
        char *t = xasprintf(_("the vault answers (after %ld s)"), elapsed_s(s));
        plan_exec_progress(x, t);
        free(t);
        plan_exec_step_end(x, NULL, false);
        return;
    }
    if (f->status == KV_ERR_FORBIDDEN && f->inner_code != NULL &&
        (str_ieq(f->inner_code, "ForbiddenByFirewall") ||
         str_ieq(f->inner_code, "ForbiddenByConnection"))) {
        /* it answers, but not to this network: waiting cannot help */
        char *t = xasprintf(_("the vault exists, but its network rules "
                              "refuse this address (403 %s); not waited "
                              "for"),
                            f->inner_code);
        plan_exec_progress(x, t);
        free(t);
        plan_exec_step_end(x, NULL, true);
        return;
    }
    if (f->status == KV_ERR_FORBIDDEN && !s->args.expect_access) {
        /* nothing in this plan gives access: waiting cannot help */
        char *t = xasprintf(_("the vault answers, but does not let you in "
                              "(403 %s): reading its secrets needs a role "
                              "(e.g. Key Vault Secrets Officer) or an access "
                              "policy; not waited for"),
                            f->inner_code != NULL ? f->inner_code
                            : f->code != NULL     ? f->code
                                                  : "Forbidden");
        plan_exec_progress(x, t);
        free(t);
        plan_exec_step_end(x, NULL, true);
        return;
    }
    char *why = transient(f);
    if (why == NULL) {
        log_debug("plan: vault wait: %s", f->message);
        plan_exec_step_end(x, f, false);
        return;
    }
    if (time_mono_ms() - s->started_ms >= WAIT_CAP_MS) {
        char *msg = xasprintf(_("the vault did not answer within %d minutes "
                                "(last: %s); retry to wait longer"),
                              WAIT_CAP_MS / 60000, why);
        struct az_failure mine = *f;
        mine.status = KV_ERR_TIMEOUT;
        mine.message = msg;
        plan_exec_step_end(x, &mine, false);
        free(msg);
        free(why);
        return;
    }
    char *t = xasprintf(_("waiting for %s: %s (%ld s)"),
                        s->args.name != NULL ? s->args.name : _("the vault"),
                        why, elapsed_s(s));
    plan_exec_progress(x, t);
    free(t);
    free(why);
    /* s->phase: the pause before the next poll (ms) */
    s->phase = s->phase <= 0            ? FIRST_POLL_MS
               : s->phase * 2 > POLL_MS ? POLL_MS
                                        : s->phase * 2;
    s->timer = az_client_after(plan_exec_client(x), s->phase, pause_end, x);
}

static const struct az_op_cb wait_cb = {
    .done = wait_done,
};

static void
wait_poll(struct plan_exec *x, struct plan_step *s)
{
    if (plan_exec_interrupted(x)) {
        struct az_failure mine = {
            .status = KV_ERR_CANCELLED,
            .message = _("stopped waiting at your request; retry to wait "
                         "again")};
        plan_exec_step_end(x, &mine, false);
        return;
    }
    s->tries++;
    s->op = az_vault_probe(plan_exec_client(x), uri_of(x, s), &wait_cb, x);
}

static void
wait_run(struct plan_exec *x, struct plan_step *s)
{
    s->started_ms = time_mono_ms();
    s->phase = 0;
    if (uri_of(x, s) == NULL) {
        struct az_failure mine = {
            .status = KV_ERR_INVALID,
            .message = _("the vault's data-plane address is not known")};
        plan_exec_step_end(x, &mine, false);
        return;
    }
    wait_poll(x, s);
}

const struct step_ops step_vault_wait = {
    .op = "vault-wait",
    .run = wait_run,
    .cancel = plan_step_cancel,
};
