/*
 * plan-vault-ops.c — what the vault steps do when a plan runs (on the
 * worker): each sends one Resource Manager write (az_arm_write_every, which
 * follows the long-running operation and reports each poll as progress)
 * with the id, api-version and body the builder put in the step, keeps
 * the vault Azure returned as the plan's result, and turns Azure's
 * conflicts into sentences that say what to do. The undos: a created or
 * recovered vault is deleted again, a deleted one recovered, tags
 * restored, a role assignment removed; a new resource group and a purge
 * have none. The wait for the data plane is plan-vault-wait.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/client.h"
#include "azure/ops.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/graph.h"
#include "engine/plan-impl.h"

/* How often a vault write is polled when Azure names no interval. */
#define LRO_POLL_MS 500
/* A role assignment for a principal Azure RBAC does not know yet (a new
 * service principal): tries, and the pause between them. */
#define PRINCIPAL_TRIES    10
#define PRINCIPAL_PAUSE_MS 3000

/* The vault (or role assignment) Azure answered with: a vault becomes
 * the plan's result; anything else is dropped. */
static void
arm_page(void *ud, struct vec *items, bool more)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    (void)more;
    bool vault = s->ops == &step_vault_create ||
                 s->ops == &step_vault_recover || s->ops == &step_vault_update;
    if (vault && items->len > 0) {
        kv_vault_free(p->vault);
        p->vault = items->items[0];
        items->items[0] = NULL;
    }
}

static void
arm_progress(void *ud, const char *text)
{
    plan_exec_progress(ud, text);
}

/* Azure's conflicts on a vault PUT, said so a person knows what to do. */
static bool
create_conflict(struct plan_exec *x, struct plan_step *s,
                const struct az_failure *f)
{
    const char *name = s->args.name != NULL ? s->args.name : "";
    char *msg = NULL;
    if (f->code != NULL && str_ieq(f->code, "VaultAlreadyExists"))
        msg = xasprintf(_("the name %s is taken by another vault (vault "
                          "names are unique across Azure): choose another "
                          "name"),
                        name);
    else if (f->http_status == 409 && f->message != NULL &&
             str_icontains(f->message, "deleted state") != NULL)
        msg = xasprintf(_("a deleted vault holds the name %s: recover it, "
                          "purge it (unless purge protection holds it), or "
                          "choose another name"),
                        name);
    if (msg == NULL)
        return false;
    struct az_failure mine = *f;
    mine.message = msg;
    plan_exec_step_end(x, &mine, false);
    free(msg);
    return true;
}

static void arm_send_again(void *ud);

static void
arm_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (f != NULL && s->ops == &step_role_assign && f->code != NULL &&
        str_ieq(f->code, "PrincipalNotFound") && s->tries < PRINCIPAL_TRIES) {
        /* a new principal takes a while to reach Azure RBAC */
        s->tries++;
        char *t = xasprintf(_("the principal is not known to Azure RBAC yet "
                              "(PrincipalNotFound); trying again in %d s"),
                            PRINCIPAL_PAUSE_MS / 1000);
        plan_exec_progress(x, t);
        free(t);
        s->timer = az_client_after(plan_exec_client(x), PRINCIPAL_PAUSE_MS,
                                   arm_send_again, x);
        return;
    }
    if (f != NULL && s->ops == &step_role_assign && f->code != NULL &&
        str_ieq(f->code, "RoleAssignmentExists")) {
        plan_exec_progress(x, _("the role was already assigned"));
        plan_exec_step_end(x, NULL, false);
        return;
    }
    if (f != NULL && s->ops == &step_vault_create && create_conflict(x, s, f))
        return;
    if (f == NULL &&
        (s->ops == &step_vault_create || s->ops == &step_vault_recover ||
         s->ops == &step_vault_update || s->ops == &step_vault_delete))
        /* merged over Resource Graph's lagging index (graph.h) */
        graph_note_write(s->args.arm_id, s->ops == &step_vault_delete);
    plan_exec_step_end(x, f, false);
}

static const struct az_op_cb arm_cb = {
    .page = arm_page,
    .done = arm_done,
    .wait = plan_on_wait,
    .progress = arm_progress,
};

static void
arm_send(struct plan_exec *x, struct plan_step *s, const char *method,
         enum az_item_kind kind)
{
    s->op = az_arm_write_every(
        plan_exec_client(x), method, s->args.arm_id, s->args.api_version,
        s->args.body, kind,
        s->args.accepted_only ? AZ_ARM_ACCEPTED : LRO_POLL_MS, &arm_cb, x);
}

static void
arm_send_again(void *ud)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->timer = 0;
    if (plan_exec_interrupted(x)) {
        struct az_failure mine = {
            .status = KV_ERR_CANCELLED,
            .code = "PrincipalNotFound",
            .message = _("stopped at your request while Azure RBAC did not "
                         "know the principal yet; retry to try again")};
        plan_exec_step_end(x, &mine, false);
        return;
    }
    arm_send(x, s, "PUT", AZ_ITEM_ROLE_ASSIGNMENT);
}

static void
put_run(struct plan_exec *x, struct plan_step *s)
{
    arm_send(x, s, "PUT", AZ_ITEM_NONE);
}

static void
vault_put_run(struct plan_exec *x, struct plan_step *s)
{
    arm_send(x, s, "PUT", AZ_ITEM_VAULT);
}

static void
patch_run(struct plan_exec *x, struct plan_step *s)
{
    arm_send(x, s, "PATCH", AZ_ITEM_VAULT);
}

static void
delete_run(struct plan_exec *x, struct plan_step *s)
{
    arm_send(x, s, "DELETE", AZ_ITEM_NONE);
}

static void
post_run(struct plan_exec *x, struct plan_step *s)
{
    arm_send(x, s, "POST", AZ_ITEM_NONE);
}

static void
role_run(struct plan_exec *x, struct plan_step *s)
{
    arm_send(x, s, "PUT", AZ_ITEM_ROLE_ASSIGNMENT);
}

/* ---- undos ------------------------------------------------------------ */

/* A created or recovered vault: delete it again (soft: it keeps its name
 * until it is purged). */
static struct plan_step *
delete_again(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    struct step_args a = {.arm_id = s->args.arm_id,
                          .api_version = s->args.api_version,
                          .name = s->args.name};
    return plan_undo_step(
        s, &step_vault_delete,
        _("Delete the vault again (it stays deleted, holding its "
          "name, until it is purged)"),
        &a);
}

static struct plan_step *
recover_again(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    if (s->undo_args.arm_id == NULL)
        return NULL;
    return plan_undo_step(s, &step_vault_recover,
                          _("Recover the deleted vault"), &s->undo_args);
}

static struct plan_step *
update_undo(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    if (s->undo_args.arm_id == NULL)
        return NULL;
    return plan_undo_step(s, &step_vault_update, _("Restore the previous tags"),
                          &s->undo_args);
}

static struct plan_step *
unassign(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    return plan_undo_step(s, &step_role_unassign,
                          _("Remove the role assignment"), &s->args);
}

static struct plan_step *
assign_again(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    if (s->args.body == NULL)
        return NULL;
    return plan_undo_step(s, &step_role_assign, _("Assign the role again"),
                          &s->args);
}

/* ---- the table -------------------------------------------------------- */

const struct step_ops step_group_create = {
    .op = "group-create",
    .writes = true,
    .run = put_run,
    .cancel = plan_step_cancel,
};

const struct step_ops step_vault_create = {
    .op = "vault-create",
    .writes = true,
    .run = vault_put_run,
    .cancel = plan_step_cancel,
    .undo = delete_again,
};

const struct step_ops step_vault_recover = {
    .op = "vault-recover",
    .writes = true,
    .run = vault_put_run,
    .cancel = plan_step_cancel,
    .undo = delete_again,
};

const struct step_ops step_vault_delete = {
    .op = "vault-delete",
    .writes = true,
    .run = delete_run,
    .cancel = plan_step_cancel,
    .undo = recover_again,
};

const struct step_ops step_vault_purge = {
    .op = "vault-purge",
    .writes = true,
    .run = post_run,
    .cancel = plan_step_cancel,
};

const struct step_ops step_vault_update = {
    .op = "vault-update",
    .writes = true,
    .run = patch_run,
    .cancel = plan_step_cancel,
    .undo = update_undo,
};

const struct step_ops step_role_assign = {
    .op = "role-assign",
    .writes = true,
    .run = role_run,
    .cancel = plan_step_cancel,
    .undo = unassign,
};

const struct step_ops step_role_unassign = {
    .op = "role-unassign",
    .writes = true,
    .run = delete_run,
    .cancel = plan_step_cancel,
    .undo = assign_again,
};
