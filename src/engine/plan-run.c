/*
 * plan-run.c — running a plan on the worker (the JOB_PLAN job type):
 * one step at a time, each step's outcome journaled and then reported
 * (RESULT_STEP); a failure stops the plan; an interrupt stops it between
 * steps; retry resumes at the failed step; roll back runs the undo of
 * each done step, last first. The terminal result hands the plan back.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/client.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "engine/journal.h"
#include "engine/plan-impl.h"
#include "engine/run.h"
#include "engine/worker.h"

struct plan_exec {
    struct job_run *run;
    struct plan *plan;
    enum plan_mode mode;
    size_t cur;                 /* the step running (index) */
    struct plan_step *undo;     /* rollback: the undo step running */
    bool running;               /* a step is in flight */
    char *advice;               /* plan_exec_step_fail's, for the step */
    char *journal_error;        /* the first journal failure, if any */
};

struct az_client *
plan_exec_client(struct plan_exec *x)
{
    return x->run->client;
}

long
plan_wait_cap_ms(struct plan_exec *x, long cap_ms)
{
    long budget = az_client_lro(x->run->client)->budget_ms;
    return budget > 0 && budget < cap_ms ? budget : cap_ms;
}

bool
plan_exec_interrupted(struct plan_exec *x)
{
    return x->run->interrupted;
}

const struct kv_strlist *
plan_exec_resolve(struct plan_exec *x)
{
    return &x->run->e->resolve;
}

struct plan *
plan_exec_plan(struct plan_exec *x)
{
    return x->plan;
}

/* The step whose request is in flight (the undo step while rolling back). */
static struct plan_step *
active(struct plan_exec *x)
{
    return x->undo != NULL ? x->undo : plan_step_at(x->plan, x->cur);
}

struct plan_step *
plan_exec_step(struct plan_exec *x)
{
    return active(x);
}

static void
push_step(struct plan_exec *x, const char *message)
{
    struct plan_step *s = plan_step_at(x->plan, x->cur);
    struct result *r = result_new(RESULT_STEP);
    r->step = x->cur;
    r->step_state = s->state;
    r->message = message != NULL ? xstrdup(message) : NULL;
    if (s->state == STEP_FAILED) {
        r->status = s->failure.status;
        r->http_status = s->failure.http_status;
        r->error_code = s->failure.code ? xstrdup(s->failure.code) : NULL;
        r->request_id =
            s->failure.request_id ? xstrdup(s->failure.request_id) : NULL;
    }
    run_push(x->run, r);
}

/* One journal line for the outcome of step (index x->cur). */
static void
journal(struct plan_exec *x, const struct plan_step *s, const char *outcome)
{
    struct engine *e = x->run->e;
    struct journal_entry je = {
        .cloud = e->cloud_name,
        .tenant = e->tenant_id,
        .principal = e->principal,
        .plan = (char *)x->plan->kind,
        .plan_id = x->plan->id,
        .step = (int)x->cur + 1,
        .steps = (int)x->plan->steps.len,
        .op = (char *)s->ops->op,
        .text = s->text,
        .target = s->target,
        .outcome = (char *)outcome,
        .version = s->version,
        .http_status = s->failed ? s->failure.http_status : 0,
        .error_code = s->failed ? s->failure.code : NULL,
        .request_id = s->failed && s->failure.request_id != NULL
                          ? s->failure.request_id
                          : s->request_id,
        .due = s->args.due,
    };
    char *why = NULL;
    if (journal_append(e->journal_path, &je, &why) != KV_OK) {
        log_debug("plan: journal: %s", why);
        if (x->journal_error == NULL)
            x->journal_error = why;
        else
            free(why);
    }
}

static void exec_next(struct plan_exec *x);

/* Ends the job, handing the plan back. */
static void
finish(struct plan_exec *x, enum kv_status st, const char *msg)
{
    struct job_run *run = x->run;
    struct job_plan_params *pp = job_plan_params(run->job);
    struct result *r = result_new(RESULT_DONE);
    r->plan = x->plan;
    pp->plan = NULL; /* handed to the result */
    run->state = NULL;
    if (x->journal_error != NULL) {
        /* the change happened; say that the journal did not record it */
        char *m = xasprintf(_("%s%sthe journal could not be written: %s"),
                            msg != NULL ? msg : "", msg != NULL ? "; " : "",
                            x->journal_error);
        free(x->journal_error);
        x->journal_error = m;
        msg = m;
    }
    if (st == KV_OK) {
        if (msg != NULL)
            r->message = xstrdup(msg);
        free(x->journal_error);
        free(x->advice);
        free(x);
        run_done(run, r);
        return;
    }
    const struct plan_failure *f = NULL;
    for (size_t i = 0; i < r->plan->steps.len && f == NULL; i++) {
        struct plan_step *s = r->plan->steps.items[i];
        if (s->failed)
            f = &s->failure;
    }
    struct az_failure af = {.status = st, .message = msg};
    if (f != NULL && st != KV_ERR_CANCELLED) {
        af.http_status = f->http_status;
        af.code = f->code;
        af.inner_code = f->inner_code;
        af.request_id = f->request_id;
        if (msg == NULL)
            af.message = f->message;
    }
    if (af.message == NULL)
        af.message = kv_status_message(st);
    run_fail(run, &af, r);
    free(x->journal_error);
    free(x->advice);
    free(x);
}

void
plan_exec_progress(struct plan_exec *x, const char *text)
{
    struct plan_step *s = plan_step_at(x->plan, x->cur);
    plan_set_progress(s, text);
    push_step(x, text);
}

void
plan_exec_step_fail(struct plan_exec *x, const struct az_failure *f,
                    const char *advice)
{
    free(x->advice);
    x->advice = advice != NULL ? xstrdup(advice) : NULL;
    plan_exec_step_end(x, f, false);
}

void
plan_exec_step_end(struct plan_exec *x, const struct az_failure *f,
                   bool skipped)
{
    struct plan_step *s = plan_step_at(x->plan, x->cur);
    struct plan_step *a = active(x);
    x->running = false;
    a->op = NULL;
    if (f != NULL) {
        struct plan_failure pf = {
            .status = f->status != KV_OK ? f->status : KV_ERR_INTERNAL,
            .http_status = f->http_status,
            .code = (char *)f->code,
            .inner_code = (char *)f->inner_code,
            .message = (char *)f->message,
            .request_id = (char *)f->request_id,
            .advice = x->advice,
            .unknown = f->ambiguous && a->ops->writes,
        };
        plan_set_failure(s, &pf);
    }
    free(x->advice); /* it was this step's */
    x->advice = NULL;
    if (x->undo != NULL) { /* rolling back step s */
        struct plan_step *u = x->undo;
        x->undo = NULL;
        if (f == NULL) {
            s->state = STEP_UNDONE;
            free(s->version);
            s->version = u->version ? xstrdup(u->version) : NULL;
            struct plan_step tmp = *u;
            tmp.target = u->target ? u->target : s->target;
            journal(x, &tmp, "undone");
            plan_step_free(u);
            push_step(x, NULL);
            exec_next(x);
            return;
        }
        s->state = STEP_DONE; /* still in place */
        journal(x, u, "failed");
        plan_step_free(u);
        push_step(x, f->message);
        finish(x, f->status != KV_OK ? f->status : KV_ERR_INTERNAL,
               _("the roll back stopped: a step could not be undone"));
        return;
    }
    if (f != NULL) {
        s->state = STEP_FAILED;
        journal(x, s, "failed");
        push_step(x, f->message);
        finish(x, s->failure.status, NULL);
        return;
    }
    s->state = skipped ? STEP_SKIPPED : STEP_DONE;
    s->failed = false;
    plan_failure_clear(&s->failure);
    if (s->ops->writes || s->ops->done_outcome != NULL || skipped)
        journal(x, s,
                skipped                    ? "skipped"
                : s->ops->done_outcome != NULL ? s->ops->done_outcome
                                               : "done");
    push_step(x, NULL);
    exec_next(x);
}

/* The next step to undo (last done writing step), or SIZE_MAX. */
static size_t
next_undo(const struct plan *p)
{
    for (size_t i = p->steps.len; i-- > 0;) {
        struct plan_step *s = p->steps.items[i];
        if (s->state == STEP_DONE && s->ops->writes)
            return i;
    }
    return (size_t)-1;
}

static void
exec_next(struct plan_exec *x)
{
    if (x->run->interrupted) {
        finish(x, KV_ERR_CANCELLED,
               _("stopped between steps at your request; the steps "
                 "not run are still pending"));
        return;
    }
    struct plan *p = x->plan;
    if (x->mode == PLAN_ROLLBACK) {
        size_t i = next_undo(p);
        if (i == (size_t)-1) {
            finish(x, KV_OK, _("rolled back"));
            return;
        }
        struct plan_step *s = p->steps.items[i];
        struct plan_step *u = s->ops->undo != NULL ? s->ops->undo(p, s) : NULL;
        if (u == NULL) {
            finish(x, KV_ERR_UNSUPPORTED,
                   _("this step cannot be undone; the roll back stopped"));
            return;
        }
        x->cur = i;
        x->undo = u;
        x->running = true;
        s->state = STEP_RUNNING;
        push_step(x, u->text);
        u->ops->run(x, u);
        return;
    }
    size_t i = 0;
    while (i < p->steps.len &&
           ((struct plan_step *)p->steps.items[i])->state != STEP_PENDING)
        i++;
    if (i == p->steps.len) {
        finish(x, KV_OK, NULL);
        return;
    }
    struct plan_step *s = p->steps.items[i];
    x->cur = i;
    x->running = true;
    s->state = STEP_RUNNING;
    s->phase = 0;
    s->tries = 0;
    push_step(x, NULL);
    s->ops->run(x, s);
}

static void
plan_start(struct job_run *run)
{
    struct job_plan_params *pp = run->job->params;
    if (pp->plan == NULL) {
        run_fail_msg(run, KV_ERR_INVALID, _("no plan to run"));
        return;
    }
    struct plan_exec *x = xcalloc(1, sizeof *x);
    x->run = run;
    x->plan = pp->plan;
    x->mode = pp->mode;
    run->state = x;
    if (x->mode == PLAN_RETRY) {
        for (size_t i = 0; i < x->plan->steps.len; i++) {
            struct plan_step *s = x->plan->steps.items[i];
            if (s->state == STEP_FAILED || s->state == STEP_RUNNING) {
                s->state = STEP_PENDING;
                s->failed = false;
                plan_failure_clear(&s->failure);
            }
        }
    }
    log_debug("plan: %s %s (%zu steps)", x->plan->kind, x->plan->id,
              x->plan->steps.len);
    exec_next(x);
}

/* The UI cancelled the job, or the engine stops: stop the request in
 * flight; the plan is freed with the job (nobody will see it again). */
static void
plan_cancel(struct job_run *run)
{
    struct plan_exec *x = run->state;
    if (x == NULL)
        return;
    struct plan_step *a = active(x);
    if (x->running && a != NULL && a->ops->cancel != NULL)
        a->ops->cancel(x, a);
    plan_step_free(x->undo);
    free(x->journal_error);
    free(x->advice);
    free(x);
    run->state = NULL;
}

static void
plan_interrupt(struct job_run *run)
{
    run->interrupted = true; /* exec_next() stops before the next step */
}

static void
plan_params_free(void *p)
{
    struct job_plan_params *pp = p;
    if (pp == NULL)
        return;
    plan_free(pp->plan);
    free(pp);
}

const struct job_type job_type_plan = {
    .name = "PLAN",
    .kind = JOB_PLAN,
    .start = plan_start,
    .cancel = plan_cancel,
    .interrupt = plan_interrupt,
    .free_params = plan_params_free,
    .free_item = free,
};
