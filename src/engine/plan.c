/*
 * plan.c — plans as data: building steps, reading their state, the
 * report a person reads after a failure, and freeing (see plan.h). Pure:
 * nothing here sends a request, so plan building is unit-tested without
 * a network.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "azure/http.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/plan-impl.h"

struct plan *
plan_new(const char *kind, const char *title)
{
    struct plan *p = xcalloc(1, sizeof *p);
    p->kind = kind;
    p->title = xstrdup(title);
    az_http_uuid(p->id);
    vec_init(&p->steps);
    return p;
}

struct plan_step *
plan_add(struct plan *p, const struct step_ops *ops, const char *target,
         const char *fmt, ...)
{
    struct plan_step *s = xcalloc(1, sizeof *s);
    va_list ap;
    va_start(ap, fmt);
    s->text = xvasprintf(fmt, ap);
    va_end(ap);
    s->ops = ops;
    s->target = target != NULL ? xstrdup(target) : NULL;
    s->state = STEP_PENDING;
    vec_push(&p->steps, s);
    return s;
}

static char *
dup(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

struct plan_step *
plan_undo_step(const struct plan_step *s, const struct step_ops *ops,
               const char *text, const struct step_args *args)
{
    struct plan_step *u = xcalloc(1, sizeof *u);
    u->ops = ops;
    u->text = xstrdup(text);
    u->target = dup(s->target);
    u->state = STEP_PENDING;
    step_args_copy(&u->args, args);
    return u;
}

void
step_args_copy(struct step_args *d, const struct step_args *a)
{
    *d = *a;
    d->vault_uri = dup(a->vault_uri);
    d->name = dup(a->name);
    d->version = dup(a->version);
    d->to_vault_uri = dup(a->to_vault_uri);
    d->to_name = dup(a->to_name);
    d->content_type = dup(a->content_type);
    d->arm_id = dup(a->arm_id);
    d->api_version = dup(a->api_version);
    d->body = dup(a->body);
    d->tags.n = 0;
    d->tags.items = NULL;
    if (a->has_tags && a->tags.n > 0) {
        d->tags.items = xcalloc(a->tags.n, sizeof *d->tags.items);
        d->tags.n = a->tags.n;
        for (size_t i = 0; i < a->tags.n; i++) {
            d->tags.items[i].key = dup(a->tags.items[i].key);
            d->tags.items[i].value = dup(a->tags.items[i].value);
        }
    }
}

void
step_args_clear(struct step_args *a)
{
    free(a->vault_uri);
    free(a->name);
    free(a->version);
    free(a->to_vault_uri);
    free(a->to_name);
    free(a->content_type);
    free(a->arm_id);
    free(a->api_version);
    free(a->body);
    kv_tags_free(&a->tags);
    memset(a, 0, sizeof *a);
}

void
plan_failure_clear(struct plan_failure *f)
{
    free(f->code);
    free(f->inner_code);
    free(f->message);
    free(f->request_id);
    free(f->advice);
    memset(f, 0, sizeof *f);
}

void
plan_set_failure(struct plan_step *s, const struct plan_failure *f)
{
    plan_failure_clear(&s->failure);
    s->failure.status = f->status;
    s->failure.http_status = f->http_status;
    s->failure.code = dup(f->code);
    s->failure.inner_code = dup(f->inner_code);
    s->failure.message = dup(f->message);
    s->failure.request_id = dup(f->request_id);
    s->failure.advice = dup(f->advice);
    s->failure.unknown = f->unknown;
    s->failed = true;
}

void
plan_set_progress(struct plan_step *s, const char *text)
{
    free(s->progress);
    s->progress = dup(text);
}

void
plan_step_free(struct plan_step *s)
{
    if (s == NULL)
        return;
    free(s->text);
    free(s->target);
    free(s->progress);
    free(s->request_id);
    free(s->version);
    step_args_clear(&s->args);
    step_args_clear(&s->undo_args);
    plan_failure_clear(&s->failure);
    free(s);
}

void
plan_free(struct plan *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->steps.len; i++)
        plan_step_free(p->steps.items[i]);
    vec_free(&p->steps);
    free(p->title);
    free(p->confirm_name);
    secret_free(p->value);
    free(p->expected_version);
    free(p->written_version);
    free(p->prior_version);
    kv_secret_version_free(p->source);
    kv_secret_version_free(p->result);
    kv_vault_free(p->vault);
    kv_private_endpoint_free(p->endpoint);
    kv_dns_check_free(p->dns);
    plan_source_ctx_free(p->src);
    free(p);
}

struct plan_step *
plan_step_at(const struct plan *p, size_t i)
{
    return i < p->steps.len ? p->steps.items[i] : NULL;
}

/* ---- accessors ------------------------------------------------------ */

const char *
plan_kind(const struct plan *p)
{
    return p->kind;
}

const char *
plan_title(const struct plan *p)
{
    return p->title;
}

const char *
plan_id(const struct plan *p)
{
    return p->id;
}

size_t
plan_steps(const struct plan *p)
{
    return p->steps.len;
}

const char *
plan_step_text(const struct plan *p, size_t i)
{
    struct plan_step *s = plan_step_at(p, i);
    return s != NULL ? s->text : NULL;
}

const char *
plan_step_op(const struct plan *p, size_t i)
{
    struct plan_step *s = plan_step_at(p, i);
    return s != NULL ? s->ops->op : NULL;
}

const char *
plan_step_target(const struct plan *p, size_t i)
{
    struct plan_step *s = plan_step_at(p, i);
    return s != NULL ? s->target : NULL;
}

enum step_state
plan_step_state(const struct plan *p, size_t i)
{
    struct plan_step *s = plan_step_at(p, i);
    return s != NULL ? s->state : STEP_PENDING;
}

const char *
plan_step_progress(const struct plan *p, size_t i)
{
    struct plan_step *s = plan_step_at(p, i);
    return s != NULL ? s->progress : NULL;
}

const struct plan_failure *
plan_step_failure(const struct plan *p, size_t i)
{
    struct plan_step *s = plan_step_at(p, i);
    return s != NULL && s->state == STEP_FAILED ? &s->failure : NULL;
}

bool
plan_step_writes(const struct plan *p, size_t i)
{
    struct plan_step *s = plan_step_at(p, i);
    return s != NULL && s->ops->writes;
}

bool
plan_step_has_undo(const struct plan *p, size_t i)
{
    struct plan_step *s = plan_step_at(p, i);
    if (s == NULL || s->ops->undo == NULL)
        return false;
    struct plan_step *u = s->ops->undo(p, s);
    plan_step_free(u);
    return u != NULL;
}

const char *
plan_confirm_name(const struct plan *p)
{
    return p->confirm_name;
}

bool
plan_writes(const struct plan *p)
{
    for (size_t i = 0; i < p->steps.len; i++)
        if (plan_step_writes(p, i))
            return true;
    return false;
}

bool
plan_failed(const struct plan *p)
{
    for (size_t i = 0; i < p->steps.len; i++)
        if (plan_step_state(p, i) == STEP_FAILED)
            return true;
    return false;
}

bool
plan_finished(const struct plan *p)
{
    for (size_t i = 0; i < p->steps.len; i++) {
        enum step_state st = plan_step_state(p, i);
        if (st != STEP_DONE && st != STEP_SKIPPED)
            return false;
    }
    return true;
}

bool
plan_can_roll_back(const struct plan *p)
{
    bool any = false;
    for (size_t i = 0; i < p->steps.len; i++) {
        if (plan_step_state(p, i) != STEP_DONE || !plan_step_writes(p, i))
            continue;
        if (!plan_step_has_undo(p, i))
            return false;
        any = true;
    }
    return any;
}

const char *
step_state_key(enum step_state st)
{
    static const char *const keys[] = {
        [STEP_PENDING] = "pending", [STEP_RUNNING] = "running",
        [STEP_DONE] = "done",       [STEP_FAILED] = "failed",
        [STEP_SKIPPED] = "skipped", [STEP_UNDONE] = "undone",
    };
    return (unsigned)st <= STEP_UNDONE ? keys[st] : "?";
}

const char *
step_state_name(enum step_state st)
{
    switch (st) {
    case STEP_PENDING:
        return _("pending");
    case STEP_RUNNING:
        return _("running");
    case STEP_DONE:
        return _("done");
    case STEP_FAILED:
        return _("failed");
    case STEP_SKIPPED:
        return _("skipped");
    case STEP_UNDONE:
        return _("undone");
    }
    return "?";
}

char *
plan_report(const struct plan *p)
{
    struct buf b = BUF_INIT;
    const struct plan_failure *f = NULL;
    bool f_writes = false;
    buf_printf(&b, "%s\n", p->title);
    for (size_t i = 0; i < p->steps.len; i++) {
        struct plan_step *s = p->steps.items[i];
        buf_printf(&b, "  %zu. [%s] %s\n", i + 1, step_state_name(s->state),
                   s->text);
        if (s->state == STEP_FAILED) {
            f = &s->failure;
            f_writes = s->ops->writes;
        }
    }
    if (f != NULL) {
        /* only an answer is Azure's word; a wait kvdeck gave up or a
         * connection that never answered is kvdeck's */
        bool azure = f->http_status > 0 || f->code != NULL;
        if (f->advice != NULL) /* the conclusion first */
            buf_printf(&b, "%s\n", f->advice);
        buf_printf(&b, "%s", azure ? _("Azure said: ") : _("Failed: "));
        /* a long-running operation that failed was read with a 200: that
         * number would only confuse */
        if (f->http_status >= 300)
            buf_printf(&b, "%ld ", f->http_status);
        if (f->code != NULL)
            buf_printf(&b, "%s", f->code);
        /* the inner code says why: 409 Conflict (ObjectIsDeletedBut
         * Recoverable), 403 Forbidden (ForbiddenByFirewall) */
        if (f->inner_code != NULL && !str_eq(f->inner_code, f->code))
            buf_printf(&b, f->code != NULL ? " (%s)" : "%s", f->inner_code);
        if (f->code != NULL || f->inner_code != NULL)
            buf_puts(&b, ": ");
        buf_printf(&b, "%s\n", f->message != NULL ? f->message : "");
        if (f->request_id != NULL)
            buf_printf(&b, _("Request id: %s\n"), f->request_id);
    }
    size_t done = 0, pending = 0, failed_at = 0;
    for (size_t i = 0; i < p->steps.len; i++) {
        enum step_state st = plan_step_state(p, i);
        if (st == STEP_DONE && plan_step_writes(p, i))
            done++;
        else if (st == STEP_PENDING)
            pending++;
        else if (st == STEP_FAILED)
            failed_at = i + 1;
    }
    bool accepted =
        f != NULL && (f->unknown || (f_writes && f->http_status >= 200 &&
                                     f->http_status < 300));
    if (accepted && done > 0)
        /* what the steps before it made (an attach's endpoint, ...) */
        buf_printf(&b,
                   _("%zu change(s) before it were made and are in "
                     "place.\n"),
                   done);
    if (f != NULL && f->unknown)
        buf_printf(&b, "%s\n",
                   _("The failed step's write was accepted, and then its "
                     "outcome was lost: it may be in place. Retry looks "
                     "again."));
    else if (f != NULL && f_writes && f->http_status >= 200 &&
             f->http_status < 300)
        /* a 2xx that failed: the operation Azure accepted ended Failed
         * (its resource stays, failed; a retry sends the write again) */
        buf_printf(&b, "%s\n",
                   _("The failed step's write was accepted, and then Azure "
                     "could not complete it: what it made stays in Azure, "
                     "failed. Retry sends it again."));
    else if (done == 0 && (pending > 0 || failed_at > 0))
        buf_printf(&b, "%s\n", _("Nothing was changed in Azure."));
    else if (failed_at > 0)
        buf_printf(&b,
                   _("%zu change(s) were made and are in place; step %zu "
                     "failed and %zu step(s) after it did not run.\n"),
                   done, failed_at, pending);
    else if (pending > 0)
        buf_printf(&b,
                   _("%zu change(s) were made and are in place; %zu step(s) "
                     "did not run.\n"),
                   done, pending);
    return buf_steal(&b);
}

const struct kv_secret_version *
plan_result_version(const struct plan *p)
{
    return p->result;
}

const struct secret *
plan_new_value(const struct plan *p)
{
    return p->value;
}

bool
plan_verified(const struct plan *p)
{
    return p->verified;
}
