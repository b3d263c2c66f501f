/*
 * plan-secret-life.c — the secret steps that change attributes and life
 * cycle (on the worker): PATCH a version's attributes (edit, disable,
 * enable, each with its undo), delete, recover (then wait until the
 * secret answers, on a timer), purge, and the retirement recorded for
 * later. The writing of values is plan-secret-ops.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "azure/client.h"
#include "azure/ops.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/plan-impl.h"

/* Polls of a recovered secret before giving up, RECOVER_PAUSE_MS apart. */
#define RECOVER_POLLS    30
#define RECOVER_PAUSE_MS 1000

static char *
str_dup_or_null(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

/* ---- update / disable / enable: PATCH a version ----------------------- */

/* An edit's answer is the plan's result; a retirement's (the old
 * version) is not: the rotation's result stays the version it wrote. */
static void
patch_page(void *ud, struct vec *items, bool more)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    (void)more;
    if (items->len > 0 && plan_exec_step(x)->ops == &step_secret_update) {
        kv_secret_version_free(p->result);
        p->result = items->items[0];
        items->items[0] = NULL;
        for (size_t i = 1; i < items->len; i++)
            kv_secret_version_free(items->items[i]);
        items->len = 0;
    }
}

static const struct az_op_cb patch_cb = {
    .page = patch_page,
    .done = plan_simple_done,
    .wait = plan_on_wait,
};

static void
patch_with(struct plan_exec *x, struct plan_step *s, const struct step_args *a)
{
    struct az_secret_write w;
    plan_to_write(a, &w);
    free(s->version);
    s->version = str_dup_or_null(a->version);
    s->op = az_secret_update(plan_exec_client(x), a->vault_uri, a->name,
                             a->version, &w, &patch_cb, x);
}

static void
update_run(struct plan_exec *x, struct plan_step *s)
{
    patch_with(x, s, &s->args);
}

static void
disable_run(struct plan_exec *x, struct plan_step *s)
{
    struct step_args a = s->args;
    a.has_enabled = true;
    a.enabled = false;
    a.content_type = NULL;
    a.has_expires = a.has_not_before = a.has_tags = false;
    patch_with(x, s, &a);
}

static void
enable_run(struct plan_exec *x, struct plan_step *s)
{
    struct step_args a = s->args;
    a.has_enabled = true;
    a.enabled = true;
    a.content_type = NULL;
    a.has_expires = a.has_not_before = a.has_tags = false;
    patch_with(x, s, &a);
}

static struct plan_step *
update_undo(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    if (s->undo_args.name == NULL)
        return NULL;
    return plan_undo_step(s, &step_secret_update,
                          _("Restore the version's previous attributes"),
                          &s->undo_args);
}

static struct plan_step *
disable_undo(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    return plan_undo_step(s, &step_secret_enable, _("Enable the version again"),
                          &s->args);
}

static struct plan_step *
enable_undo(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    return plan_undo_step(s, &step_secret_disable,
                          _("Disable the version again"), &s->args);
}

const struct step_ops step_secret_update = {
    .op = "secret-update",
    .writes = true,
    .run = update_run,
    .cancel = plan_step_cancel,
    .undo = update_undo,
};

const struct step_ops step_secret_disable = {
    .op = "secret-disable",
    .writes = true,
    .run = disable_run,
    .cancel = plan_step_cancel,
    .undo = disable_undo,
};

const struct step_ops step_secret_enable = {
    .op = "secret-enable",
    .writes = true,
    .run = enable_run,
    .cancel = plan_step_cancel,
    .undo = enable_undo,
};

/* ---- delete / recover / purge ---------------------------------------- */

static void
drop_page(void *ud, struct vec *items, bool more)
{
    (void)ud;
    (void)more;
    (void)items; /* the op frees what is not taken */
}

static const struct az_op_cb drop_cb = {
    .page = drop_page,
    .done = plan_simple_done,
    .wait = plan_on_wait,
};

static void
delete_run(struct plan_exec *x, struct plan_step *s)
{
    s->op = az_secret_delete(plan_exec_client(x), s->args.vault_uri,
                             s->args.name, &drop_cb, x);
}

static void
purge_run(struct plan_exec *x, struct plan_step *s)
{
    s->op = az_secret_purge(plan_exec_client(x), s->args.vault_uri,
                            s->args.name, &drop_cb, x);
}

/* Recover, then wait until the secret answers again (recovery takes a
 * few seconds in Key Vault; a write right after it would fail). */
static void recover_poll(struct plan_exec *x, struct plan_step *s);

static void
recover_pause_end(void *ud)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->timer = 0;
    recover_poll(x, s);
}

static void
recover_secret(void *ud, struct kv_secret_version *meta, struct secret *value)
{
    (void)ud;
    secret_free(value);
    kv_secret_version_free(meta);
}

static void
recover_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (s->phase == 0) {
        if (f != NULL) {
            plan_exec_step_end(x, f, false);
            return;
        }
        s->phase = 1;
        recover_poll(x, s);
        return;
    }
    if (f == NULL) {
        plan_exec_step_end(x, NULL, false);
        return;
    }
    if (f->status != KV_ERR_NOT_FOUND || s->tries >= RECOVER_POLLS) {
        plan_exec_step_end(x, f, false);
        return;
    }
    char *t =
        xasprintf(_("recovering… (waiting for it to answer, %d s)"), s->tries);
    plan_exec_progress(x, t);
    free(t);
    /* a timer, not a sleep: the worker keeps serving the other jobs */
    s->timer = az_client_after(plan_exec_client(x), RECOVER_PAUSE_MS,
                               recover_pause_end, x);
}

static const struct az_op_cb recover_cb = {
    .page = drop_page,
    .secret = recover_secret,
    .done = recover_done,
    .wait = plan_on_wait,
};

static void
recover_poll(struct plan_exec *x, struct plan_step *s)
{
    s->tries++;
    s->op = az_get_secret(plan_exec_client(x), s->args.vault_uri, s->args.name,
                          NULL, &recover_cb, x);
}

static void
recover_run(struct plan_exec *x, struct plan_step *s)
{
    s->op = az_secret_recover(plan_exec_client(x), s->args.vault_uri,
                              s->args.name, &recover_cb, x);
}

static struct plan_step *
delete_undo(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    return plan_undo_step(s, &step_secret_recover,
                          _("Recover the deleted secret"), &s->args);
}

static struct plan_step *
recover_undo(const struct plan *p, const struct plan_step *s)
{
    (void)p;
    return plan_undo_step(s, &step_secret_delete, _("Delete the secret again"),
                          &s->args);
}

const struct step_ops step_secret_delete = {
    .op = "secret-delete",
    .writes = true,
    .run = delete_run,
    .cancel = plan_step_cancel,
    .undo = delete_undo,
};

const struct step_ops step_secret_recover = {
    .op = "secret-recover",
    .writes = true,
    .run = recover_run,
    .cancel = plan_step_cancel,
    .undo = recover_undo,
};

const struct step_ops step_secret_purge = {
    .op = "secret-purge",
    .writes = true,
    .run = purge_run,
    .cancel = plan_step_cancel,
};

/* ---- retire later: the journal remembers ------------------------------ */

static void
retire_later_run(struct plan_exec *x, struct plan_step *s)
{
    /* due was relative when the plan was built; it is absolute from now */
    if (s->args.due < 1000000000)
        s->args.due = time_now() + s->args.due;
    free(s->version);
    s->version = str_dup_or_null(s->args.version);
    plan_exec_step_end(x, NULL, false);
}

const struct step_ops step_retire_later = {
    .op = "retire-later",
    .done_outcome = "scheduled",
    .run = retire_later_run,
};
