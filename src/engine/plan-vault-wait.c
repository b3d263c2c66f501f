/*
 * plan-vault-wait.c — the last step of creating or recovering a vault:
 * wait until its data plane answers this principal (a secret list with
 * maxresults=1 returns 200). When the plan assigned the role while the
 * vault was still provisioning (args.arm_id set), first wait for its
 * provisioningState Succeeded (Failed or Canceled stop the plan). A new vault's
 * name takes a while to resolve, and a new role assignment a while to propagate
 * (403 ForbiddenByRbac meanwhile). The step polls on a client timer (the worker
 * keeps serving other jobs): every FAST_POLL_MS for the first FAST_FOR_MS, so
 * that a short delay is not rounded up (the vault answers at most a quarter
 * second after it could), then every POLL_MS (a propagation that takes minutes
 * costs one request a second). It says what it waits for and for how long,
 * gives up after WAIT_CAP_MS (or KVDECK_WAIT_LIMIT, plan_wait_cap_ms), and
 * stops between polls when engine_interrupt()
 * asks. An answer that is not one of the expected transient ones stops the plan
 * with Azure's reason; a firewall or disabled public access (403
 * ForbiddenByFirewall/ForbiddenByConnection) skips the step: the vault
 * exists, this network cannot reach it.
 *
 * A vault that ends provisioningState Failed stays in Azure, failed;
 * waiting again cannot help, and Azure's remedy for a failed resource is
 * to PUT it again. So the step, which then holds the vault-create step's
 * body (args.body), marks itself (args.put_again) and says that a retry
 * sends the vault again; the retry PUTs it (accepted, as the create step
 * did) before it waits for the provisioning once more.
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

#define FAST_POLL_MS 250
#define FAST_FOR_MS  15000
#define POLL_MS      1000
#define WAIT_CAP_MS  (10 * 60 * 1000)

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
    long cap = plan_wait_cap_ms(x, WAIT_CAP_MS);
    if (time_mono_ms() - s->started_ms >= cap) {
        char *msg = xasprintf(_("the vault did not answer within %ld s "
                                "(last: %s); retry to wait longer"),
                              cap / 1000, why);
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
    int pause =
        time_mono_ms() - s->started_ms < FAST_FOR_MS ? FAST_POLL_MS : POLL_MS;
    s->timer = az_client_after(plan_exec_client(x), pause, pause_end, x);
}

static const struct az_op_cb wait_cb = {
    .done = wait_done,
};

/* Provisioning first (with args.arm_id: the role was assigned while the
 * vault provisioned): the vault as Resource Manager has it now becomes
 * the plan's result. s->phase: 0 while provisioning, 1 after. */
static void
prov_page(void *ud, struct vec *items, bool more)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    (void)more;
    if (items->len > 0 && items->items[0] != NULL) {
        kv_vault_free(p->vault);
        p->vault = items->items[0];
        items->items[0] = NULL;
    }
}

static void
prov_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    const struct plan *p = plan_exec_plan(x);
    s->op = NULL;
    plan_note_request(s, f);
    const char *state = p->vault != NULL && p->vault->provisioning_state
                            ? p->vault->provisioning_state
                            : "";
    bool again =
        f != NULL && (f->status == KV_ERR_THROTTLED || f->http_status >= 500 ||
                      (f->http_status == 0 &&
                       (f->status == KV_ERR_IO || f->status == KV_ERR_TIMEOUT ||
                        f->status == KV_ERR_CONNECT)));
    if (f != NULL && !again) {
        plan_exec_step_end(x, f, false);
        return;
    }
    if (f == NULL && (str_ieq(state, "Failed") || str_ieq(state, "Canceled"))) {
        s->args.put_again = s->args.body != NULL;
        char *msg = s->args.put_again
                        ? xasprintf(_("Azure could not provision the vault "
                                      "(provisioningState %s); a retry "
                                      "sends the vault to Azure again"),
                                    state)
                        : xasprintf(_("Azure could not provision the vault "
                                      "(provisioningState %s)"),
                                    state);
        struct az_failure mine = {.status = KV_ERR_HTTP, .message = msg};
        plan_exec_step_end(x, &mine, false);
        free(msg);
        return;
    }
    if (f == NULL && (str_ieq(state, "Succeeded") || *state == '\0')) {
        s->phase = 1;
        wait_poll(x, s);
        return;
    }
    long cap = plan_wait_cap_ms(x, WAIT_CAP_MS);
    if (time_mono_ms() - s->started_ms >= cap) {
        char *msg = xasprintf(_("the vault was not provisioned within %ld s "
                                "(last: %s); retry to wait longer"),
                              cap / 1000, f != NULL ? f->message : state);
        struct az_failure mine = {.status = KV_ERR_TIMEOUT, .message = msg};
        plan_exec_step_end(x, &mine, false);
        free(msg);
        return;
    }
    char *t = xasprintf(_("waiting for %s: provisioning (%s) (%ld s)"),
                        s->args.name != NULL ? s->args.name : _("the vault"),
                        f != NULL ? f->message : state, elapsed_s(s));
    plan_exec_progress(x, t);
    free(t);
    s->timer = az_client_after(plan_exec_client(x), FAST_POLL_MS, pause_end, x);
}

static const struct az_op_cb prov_cb = {
    .page = prov_page,
    .done = prov_done,
    .wait = plan_on_wait,
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
    if (s->args.arm_id != NULL && s->phase == 0) {
        s->op = az_get_vault(plan_exec_client(x), s->args.arm_id, &prov_cb, x);
        return;
    }
    if (uri_of(x, s) == NULL) {
        struct az_failure mine = {
            .status = KV_ERR_INVALID,
            .message = _("the vault's data-plane address is not known")};
        plan_exec_step_end(x, &mine, false);
        return;
    }
    s->op = az_vault_probe(plan_exec_client(x), uri_of(x, s), &wait_cb, x);
}

/* The vault PUT again (args.put_again): accepted, the wait goes on. */
static void
put_again_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (f != NULL) {
        plan_exec_step_end(x, f, false);
        return;
    }
    s->args.put_again = false;
    wait_poll(x, s);
}

static void
put_again_progress(void *ud, const char *text)
{
    plan_exec_progress(ud, text);
}

static const struct az_op_cb put_again_cb = {
    .page = prov_page,
    .done = put_again_done,
    .wait = plan_on_wait,
    .progress = put_again_progress,
};

static void
wait_run(struct plan_exec *x, struct plan_step *s)
{
    s->started_ms = time_mono_ms();
    s->phase = 0;
    if (s->args.put_again && s->args.body != NULL && s->args.arm_id != NULL) {
        plan_exec_progress(x, _("sending the vault to Azure again (its "
                                "provisioning had failed)"));
        s->op = az_arm_write_every(
            plan_exec_client(x), "PUT", s->args.arm_id, s->args.api_version,
            s->args.body, AZ_ITEM_VAULT, AZ_ARM_ACCEPTED, &put_again_cb, x);
        return;
    }
    wait_poll(x, s);
}

const struct step_ops step_vault_wait = {
    .op = "vault-wait",
    .run = wait_run,
    .cancel = plan_step_cancel,
};
