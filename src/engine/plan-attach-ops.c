/*
 * plan-attach-ops.c — what the attach plan's writes do when it runs (on
 * the worker; issue #10): the subnet's policy, the endpoint, the DNS
 * zone, its VNet link and the zone group are PUTs through the shared ARM
 * runner (plan_arm_send: a failed long-running operation stops the plan;
 * a retry PUTs again, which Azure takes as the same resource), each with
 * its undo (DELETE, or the subnet's old policy). Turning public network
 * access off first looks at the DNS check's result: when this host
 * would lose the data plane and the review did not warn, it fails
 * before sending anything. The connection's wait and the DNS check are
 * plan-attach-wait.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/ops.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "engine/plan-impl.h"

static void
put_run(struct plan_exec *x, struct plan_step *s)
{
    plan_arm_send(x, s, "PUT", AZ_ITEM_NONE);
}

static void
endpoint_run(struct plan_exec *x, struct plan_step *s)
{
    plan_arm_send(x, s, "PUT", AZ_ITEM_PRIVATE_ENDPOINT);
}

/* Turning public access off: not when this host would be shut out
 * unwarned (the vault stays open, nothing is lost). */
static void
public_off_run(struct plan_exec *x, struct plan_step *s)
{
    const struct plan *p = plan_exec_plan(x);
    const struct kv_dns_check *d = p->dns;
    if (!s->args.warned && (d == NULL || !d->matches)) {
        char *why =
            d == NULL ? xstrdup(_("whether this host reaches the vault through "
                                  "the endpoint could not be checked"))
            : d->resolved && d->addresses.n > 0
                ? xasprintf(_("this host resolves %s to %s, not to the "
                              "endpoint's private address %s"),
                            d->host != NULL ? d->host : "",
                            d->addresses.items[0],
                            d->expected != NULL ? d->expected : "?")
                : xasprintf(_("this host does not resolve %s (%s)"),
                            d->host != NULL ? d->host : "",
                            d->error != NULL ? d->error : "?");
        char *msg = xasprintf(_("%s: turning public network access off would "
                                "shut kvdeck here out of the vault's data "
                                "plane, and the review did not warn of it. "
                                "Nothing was sent: the vault stays open; "
                                "review again to close it knowingly."),
                              why);
        struct az_failure mine = {.status = KV_ERR_INVALID,
                                  .code = "OutsideNotConfirmed",
                                  .message = msg};
        plan_exec_step_end(x, &mine, false);
        free(msg);
        free(why);
        return;
    }
    plan_arm_send(x, s, "PATCH", AZ_ITEM_VAULT);
}

/* ---- undos ------------------------------------------------------------ */

/* A resource this plan created: DELETE it (undo_args.name: the text). */
static struct plan_step *
delete_undo(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    if (s->undo_args.arm_id == NULL)
        return NULL;
    struct step_args a = {.arm_id = s->undo_args.arm_id,
                          .api_version = s->undo_args.api_version};
    return plan_undo_step(s, &step_arm_delete,
                          s->undo_args.name != NULL ? s->undo_args.name
                                                    : _("Delete it again"),
                          &a);
}

/* The subnet's policy as it was (undo_args.name: the text). */
static struct plan_step *
policy_undo(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    if (s->undo_args.arm_id == NULL || s->undo_args.body == NULL)
        return NULL;
    struct step_args a = {.arm_id = s->undo_args.arm_id,
                          .api_version = s->undo_args.api_version,
                          .body = s->undo_args.body};
    return plan_undo_step(s, &step_subnet_policy, s->undo_args.name, &a);
}

static struct plan_step *
public_on_undo(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    if (s->undo_args.arm_id == NULL || s->undo_args.body == NULL)
        return NULL;
    return plan_undo_step(s, &step_vault_network,
                          _("Turn public network access back on"),
                          &s->undo_args);
}

/* ---- the table -------------------------------------------------------- */

const struct step_ops step_subnet_policy = {
    .op = "subnet-policy",
    .writes = true,
    .run = put_run,
    .cancel = plan_step_cancel,
    .undo = policy_undo,
};

const struct step_ops step_pe_create = {
    .op = "pe-create",
    .writes = true,
    .run = endpoint_run,
    .cancel = plan_step_cancel,
    .undo = delete_undo,
};

const struct step_ops step_dns_zone = {
    .op = "dns-zone",
    .writes = true,
    .run = put_run,
    .cancel = plan_step_cancel,
    .undo = delete_undo,
};

const struct step_ops step_dns_link = {
    .op = "dns-link",
    .writes = true,
    .run = put_run,
    .cancel = plan_step_cancel,
    .undo = delete_undo,
};

const struct step_ops step_zone_group = {
    .op = "zone-group",
    .writes = true,
    .run = put_run,
    .cancel = plan_step_cancel,
    .undo = delete_undo,
};

const struct step_ops step_public_off = {
    .op = "public-off",
    .writes = true,
    .run = public_off_run,
    .cancel = plan_step_cancel,
    .undo = public_on_undo,
};
