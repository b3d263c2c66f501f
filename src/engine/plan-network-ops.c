/*
 * plan-network-ops.c — what the network steps do when a plan runs (on
 * the worker; issue #10): the ARM step runner they share
 * (plan_arm_send: one write, its long-running operation followed, each
 * poll as progress; a vault answer becomes the plan's vault, an
 * endpoint the plan's endpoint), the vault's network PATCH with its undo
 * (the settings as read, PATCHed back), and the private endpoint
 * connection's approve, reject (PUT of its state) and remove (DELETE):
 * Azure has no undo for those. The attach steps are plan-attach-ops.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/client.h"
#include "azure/ops.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "engine/plan-impl.h"

/* How often a write is polled when Azure names no interval. */
#define LRO_POLL_MS 500

/* The resource Azure answered with, decoded as the step asked
 * (s->phase holds the kind while the write runs). */
static void
net_page(void *ud, struct vec *items, bool more)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    (void)more;
    if (items->len == 0 || items->items[0] == NULL)
        return;
    if (s->phase == AZ_ITEM_VAULT) {
        kv_vault_free(p->vault);
        p->vault = items->items[0];
        items->items[0] = NULL;
    } else if (s->phase == AZ_ITEM_PRIVATE_ENDPOINT) {
        kv_private_endpoint_free(p->endpoint);
        p->endpoint = items->items[0];
        items->items[0] = NULL;
    } /* anything else is freed by the op */
}

static void
net_progress(void *ud, const char *text)
{
    plan_exec_progress(ud, text);
}

static void
net_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (f != NULL && f->status == KV_ERR_NOT_FOUND &&
        s->ops == &step_arm_delete) {
        /* an undo of something already gone: nothing left to delete */
        plan_exec_progress(x, _("already gone"));
        plan_exec_step_end(x, NULL, false);
        return;
    }
    plan_exec_step_end(x, f, false);
}

static const struct az_op_cb net_cb = {
    .page = net_page,
    .done = net_done,
    .wait = plan_on_wait,
    .progress = net_progress,
};

void
plan_arm_send(struct plan_exec *x, struct plan_step *s, const char *method,
              enum az_item_kind kind)
{
    s->phase = (int)kind;
    s->op = az_arm_write_every(plan_exec_client(x), method, s->args.arm_id,
                               s->args.api_version, s->args.body, kind,
                               LRO_POLL_MS, &net_cb, x);
}

static void
vault_patch_run(struct plan_exec *x, struct plan_step *s)
{
    plan_arm_send(x, s, "PATCH", AZ_ITEM_VAULT);
}

static void
put_run(struct plan_exec *x, struct plan_step *s)
{
    plan_arm_send(x, s, "PUT", AZ_ITEM_NONE);
}

static void
delete_run(struct plan_exec *x, struct plan_step *s)
{
    plan_arm_send(x, s, "DELETE", AZ_ITEM_NONE);
}

/* The vault's network as read, PATCHed back. */
static struct plan_step *
network_undo(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    if (s->undo_args.arm_id == NULL || s->undo_args.body == NULL)
        return NULL;
    return plan_undo_step(s, &step_vault_network,
                          _("Restore the vault's previous network settings"),
                          &s->undo_args);
}

const struct step_ops step_vault_network = {
    .op = "vault-network",
    .writes = true,
    .run = vault_patch_run,
    .cancel = plan_step_cancel,
    .undo = network_undo,
};

const struct step_ops step_pec_approve = {
    .op = "pec-approve",
    .writes = true,
    .run = put_run,
    .cancel = plan_step_cancel,
};

const struct step_ops step_pec_reject = {
    .op = "pec-reject",
    .writes = true,
    .run = put_run,
    .cancel = plan_step_cancel,
};

const struct step_ops step_pec_remove = {
    .op = "pec-remove",
    .writes = true,
    .run = delete_run,
    .cancel = plan_step_cancel,
};

/* The undo of a resource the plan created: DELETE it (a 404 counts as
 * done). No undo of its own. */
const struct step_ops step_arm_delete = {
    .op = "resource-delete",
    .writes = true,
    .run = delete_run,
    .cancel = plan_step_cancel,
};
