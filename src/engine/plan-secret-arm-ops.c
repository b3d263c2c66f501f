/*
 * plan-secret-arm-ops.c — what the Resource Manager secret steps do when
 * a plan runs (on the worker; issue #10): read the ARM secret (its
 * latest version; 404: none), PUT a new version through Resource Manager
 * (az_arm_secret_set: the value in secure memory, never replayed), read
 * it again. A write whose answer was lost is resolved by reading the
 * latest version: a new one means it landed (Resource Manager cannot
 * show the value to compare), the old one that it did not (then it is
 * sent again, at most MAX_WRITE_TRIES times) — never a blind second PUT.
 * The verify step checks the version and the attributes; the value
 * cannot be read back, so plan_verified() stays false and its progress
 * says so.
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
#include "engine/plan-impl.h"

#define MAX_WRITE_TRIES 3

static char *
dup(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

/* The vault's ARM id of a step (arm_id is VAULT-ID/secrets/NAME). */
static char *
vault_id_of(const struct plan_step *s)
{
    const char *a = s->args.arm_id != NULL ? s->args.arm_id : "";
    const char *cut = str_icontains(a, "/secrets/");
    return cut != NULL ? xasprintf("%.*s", (int)(cut - a), a) : xstrdup(a);
}

/* The ARM secret read: its version goes to s->version. s->phase: 1 once
 * one was read. */
static void
read_page(void *ud, struct vec *items, bool more)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    (void)more;
    if (items->len == 0 || items->items[0] == NULL)
        return;
    struct kv_secret_version *v = items->items[0];
    free(s->version);
    s->version = dup(v->version);
    s->phase = 1;
    if (s->ops == &step_arm_secret_verify) {
        struct plan *p = plan_exec_plan(x);
        kv_secret_version_free(p->result);
        p->result = v;
        items->items[0] = NULL;
    }
}

static void
arm_get(struct plan_exec *x, struct plan_step *s, const struct az_op_cb *cb)
{
    s->phase = 0;
    free(s->version);
    s->version = NULL;
    s->op = az_arm_get(plan_exec_client(x), s->args.arm_id, AZ_API_KEYVAULT,
                       AZ_ITEM_ARM_SECRET, cb, x);
}

/* ---- latest / absent ---------------------------------------------------- */

static void
fail(struct plan_exec *x, const char *code, char *msg)
{
    struct az_failure mine = {
        .status = KV_ERR_CONFLICT, .code = code, .message = msg};
    plan_exec_step_end(x, &mine, false);
    free(msg);
}

static void
latest_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (f != NULL && f->status != KV_ERR_NOT_FOUND) {
        plan_exec_step_end(x, f, false);
        return;
    }
    free(p->prior_version);
    p->prior_version = f == NULL ? dup(s->version) : NULL;
    if (s->ops == &step_arm_secret_absent && p->prior_version != NULL) {
        fail(x, "SecretAlreadyExists",
             xasprintf(_("a secret named %s already exists in this vault; "
                         "write a new version of it instead"),
                       s->args.name));
        return;
    }
    bool rotate = strcmp(p->kind, "rotate-arm") == 0;
    if (rotate && !str_eq(p->expected_version, p->prior_version)) {
        fail(x, "ChangedSinceReview",
             xasprintf(_("%s changed since the review: its latest version "
                         "is now %.8s… (reviewed: %.8s…). Nothing was "
                         "written; review again."),
                       s->args.name,
                       p->prior_version ? p->prior_version : _("none"),
                       p->expected_version ? p->expected_version : _("none")));
        return;
    }
    plan_exec_step_end(x, NULL, false);
}

static const struct az_op_cb latest_cb = {
    .page = read_page,
    .done = latest_done,
    .wait = plan_on_wait,
};

static void
latest_run(struct plan_exec *x, struct plan_step *s)
{
    arm_get(x, s, &latest_cb);
}

const struct step_ops step_arm_secret_absent = {
    .op = "arm-secret-check-absent",
    .run = latest_run,
    .cancel = plan_step_cancel,
};

const struct step_ops step_arm_secret_latest = {
    .op = "arm-secret-latest",
    .run = latest_run,
    .cancel = plan_step_cancel,
};

/* ---- set ---------------------------------------------------------------- */

static void set_send(struct plan_exec *x, struct plan_step *s);

/* The written secret (phase 0), or the latest read after a lost answer
 * (phase 10: 11 once read). */
static void
set_page(void *ud, struct vec *items, bool more)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    (void)more;
    if (items->len == 0 || items->items[0] == NULL)
        return;
    struct kv_secret_version *v = items->items[0];
    if (s->phase >= 10) {
        s->phase = 11;
        free(s->version);
        s->version = dup(v->version);
        return; /* freed by the op */
    }
    items->items[0] = NULL;
    free(p->written_version);
    p->written_version = dup(v->version);
    free(s->version);
    s->version = dup(v->version);
    kv_secret_version_free(p->result);
    p->result = v;
}

static const struct az_op_cb set_cb;

static void
set_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (s->phase < 10) {
        if (f == NULL || !f->ambiguous) {
            plan_exec_step_end(x, f, false);
            return;
        }
        log_debug("plan: ambiguous ARM secret write (%s); re-reading",
                  f->message);
        char *t = xasprintf(_("the answer was lost (%s); reading the latest "
                              "version through Resource Manager to see "
                              "whether the write landed"),
                            f->message);
        plan_exec_progress(x, t);
        free(t);
        arm_get(x, s, &set_cb);
        s->phase = 10;
        return;
    }
    /* the re-read ended: 11 a version was read, else none or a failure */
    if (f != NULL && f->status != KV_ERR_NOT_FOUND) {
        plan_exec_step_end(x, f, false);
        return;
    }
    if (s->phase == 11 && !str_eq(s->version, p->prior_version)) {
        free(p->written_version);
        p->written_version = dup(s->version);
        plan_exec_progress(x, _("a new version is there: the write had "
                                "landed; no second write sent"));
        plan_exec_step_end(x, NULL, false);
        return;
    }
    if (s->tries >= MAX_WRITE_TRIES) {
        struct az_failure mine = {
            .status = KV_ERR_HTTP,
            .message = _("the write did not land after several attempts; "
                         "nothing was changed")};
        plan_exec_step_end(x, &mine, false);
        return;
    }
    plan_exec_progress(x, _("the write had not landed; sending it again"));
    set_send(x, s);
}

static const struct az_op_cb set_cb = {
    .page = set_page,
    .done = set_done,
    .wait = plan_on_wait,
};

static void
set_send(struct plan_exec *x, struct plan_step *s)
{
    struct plan *p = plan_exec_plan(x);
    struct az_secret_write w;
    plan_to_write(&s->args, &w);
    char *vid = vault_id_of(s);
    s->phase = 0;
    s->tries++;
    s->op = az_arm_secret_set(plan_exec_client(x), vid, s->args.name, p->value,
                              &w, &set_cb, x);
    free(vid);
}

static void
set_run(struct plan_exec *x, struct plan_step *s)
{
    struct plan *p = plan_exec_plan(x);
    if (p->value == NULL) {
        struct az_failure mine = {.status = KV_ERR_INVALID,
                                  .message = _("no value to write")};
        plan_exec_step_end(x, &mine, false);
        return;
    }
    set_send(x, s);
}

const struct step_ops step_arm_secret_set = {
    .op = "arm-secret-set",
    .writes = true,
    .run = set_run,
    .cancel = plan_step_cancel,
};

/* ---- verify ------------------------------------------------------------- */

/* What differs between the attributes written and those read, or NULL
 * (static, translated). */
static const char *
attrs_differ(const struct step_args *a, const struct kv_secret_version *v)
{
    if (a->has_enabled && v->attrs.enabled != a->enabled)
        return _("enabled");
    if (a->has_expires && v->attrs.expires != a->expires)
        return _("expiry");
    if (a->has_not_before && v->attrs.not_before != a->not_before)
        return _("not-before date");
    if (a->content_type != NULL && !str_eq(a->content_type, v->content_type))
        return _("content type");
    return NULL;
}

static void
verify_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    p->verified = false; /* the value cannot be compared */
    if (f != NULL) {
        plan_exec_step_end(x, f, false);
        return;
    }
    const struct kv_secret_version *v = p->result;
    bool is_new =
        v != NULL && v->version != NULL &&
        (p->written_version != NULL ? str_eq(v->version, p->written_version)
                                    : !str_eq(v->version, p->prior_version));
    if (!is_new) {
        fail(x, "VerifyMismatch",
             xasprintf(_("the latest version of %s is %.8s…, not the one "
                         "written (%.8s…): another write came after it"),
                       s->args.name,
                       v != NULL && v->version ? v->version : _("none"),
                       p->written_version ? p->written_version : _("none")));
        return;
    }
    const char *diff = attrs_differ(&s->args, v);
    if (diff != NULL) {
        fail(x, "VerifyMismatch",
             xasprintf(_("version %.8s… is there, but its %s is not what "
                         "was written"),
                       v->version, diff));
        return;
    }
    char *t = xasprintf(_("version %.8s… is there with the attributes written; "
                          "its value cannot be read back through Resource "
                          "Manager (not compared)"),
                        v->version);
    plan_exec_progress(x, t);
    free(t);
    plan_exec_step_end(x, NULL, false);
}

static const struct az_op_cb verify_cb = {
    .page = read_page,
    .done = verify_done,
    .wait = plan_on_wait,
};

static void
verify_run(struct plan_exec *x, struct plan_step *s)
{
    arm_get(x, s, &verify_cb);
}

const struct step_ops step_arm_secret_verify = {
    .op = "arm-secret-verify",
    .run = verify_run,
    .cancel = plan_step_cancel,
};
