/*
 * plan-secret-ops.c — what the secret steps do when a plan runs (on the
 * worker): each step starts one azure operation and ends the step from
 * its callback. The write step resolves an ambiguous failure (the PUT may
 * have landed: connection lost after sending, 5xx) by re-reading the
 * latest version and comparing it with the value written — never a blind
 * second PUT. Values are compared in constant time, in secure memory.
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

/* Writes sent at most for one step while resolving ambiguous failures. */
#define MAX_WRITE_TRIES 3

static char *
dup(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

void
plan_step_cancel(struct plan_exec *x, struct plan_step *s)
{
    az_op_cancel(s->op);
    s->op = NULL;
    if (s->timer != 0)
        az_client_cancel(plan_exec_client(x), s->timer);
    s->timer = 0;
}

/* The request id of the last answer, for the journal. */
void
plan_note_request(struct plan_step *s, const struct az_failure *f)
{
    if (f != NULL && f->request_id != NULL) {
        free(s->request_id);
        s->request_id = xstrdup(f->request_id);
    }
}

void
plan_on_wait(void *ud, const struct az_http_wait *w)
{
    struct plan_exec *x = ud;
    char *t = xasprintf(_("%s, retrying in %ld s (attempt %d)"), w->reason,
                        (w->delay_ms + 999) / 1000, w->attempt);
    plan_exec_progress(x, t);
    free(t);
}

/* The write arguments of a step as the azure layer takes them. */
void
plan_to_write(const struct step_args *a, struct az_secret_write *w)
{
    memset(w, 0, sizeof *w);
    w->content_type = a->content_type;
    if (a->has_enabled)
        w->enabled = a->enabled ? AZ_SET_TRUE : AZ_SET_FALSE;
    w->set_expires = a->has_expires;
    w->expires = a->expires;
    w->set_not_before = a->has_not_before;
    w->not_before = a->not_before;
    w->tags = a->has_tags ? &a->tags : NULL;
}

/* A copy's write takes what the source had, unless told otherwise. */
static void
from_source(const struct kv_secret_version *src, struct az_secret_write *w)
{
    if (src == NULL)
        return;
    if (w->content_type == NULL)
        w->content_type = src->content_type;
    if (!w->set_expires && src->attrs.expires != 0) {
        w->set_expires = true;
        w->expires = src->attrs.expires;
    }
    if (!w->set_not_before && src->attrs.not_before != 0) {
        w->set_not_before = true;
        w->not_before = src->attrs.not_before;
    }
    if (w->tags == NULL)
        w->tags = &src->tags;
}

/* ---- absent: the name must be free ---------------------------------- */

static void
absent_secret(void *ud, struct kv_secret_version *meta, struct secret *value)
{
    (void)ud;
    kv_secret_version_free(meta);
    secret_free(value);
}

/* The deleted secret of the same name (phase 1): its purge date, so
 * the message can say until when it can be recovered. */
static void
absent_page(void *ud, struct vec *items, bool more)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    (void)more;
    for (size_t i = 0; i < items->len; i++) {
        const struct kv_deleted_secret *d = items->items[i];
        s->phase = 2; /* found */
        s->purge_at = d->scheduled_purge_date;
    }
}

static const struct az_op_cb absent_cb;

/* No live secret has the name; a soft-deleted one would make the write
 * fail with 409 ObjectIsDeletedButRecoverable only when it is sent, so
 * ask first, and say so before anything is written. */
static void
absent_deleted_done(struct plan_exec *x, struct plan_step *s,
                    const struct az_failure *f)
{
    if (s->phase != 2) {
        /* not deleted either (404), or not allowed to look (403: the
         * write will tell): the name is free as far as can be seen */
        if (f != NULL && f->status != KV_ERR_NOT_FOUND)
            log_debug("plan: deleted-secret check of %s: %s", s->args.name,
                      f->message != NULL ? f->message : "failed");
        plan_exec_step_end(x, NULL, false);
        return;
    }
    char day[32] = "";
    if (s->purge_at > 0)
        time_format_iso(s->purge_at, day, sizeof day);
    char *msg =
        *day != '\0'
            ? xasprintf(_("a deleted secret named %s is kept in this vault "
                          "until %.10s; recover it, or purge it to use the "
                          "name again"),
                        s->args.name, day)
            : xasprintf(_("a deleted secret named %s is kept in this vault; "
                          "recover it, or purge it to use the name again"),
                        s->args.name);
    struct az_failure mine = {.status = KV_ERR_CONFLICT,
                              .http_status = 409,
                              .code = "ObjectIsDeletedButRecoverable",
                              .message = msg};
    plan_exec_step_end(x, &mine, false);
    free(msg);
}

static void
absent_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (s->phase >= 1) {
        absent_deleted_done(x, s, f);
        return;
    }
    if (f != NULL && f->status == KV_ERR_NOT_FOUND) {
        s->phase = 1; /* free of live secrets; deleted ones? */
        plan_exec_progress(x, _("checking the vault's deleted secrets…"));
        s->op = az_get_deleted_secret(plan_exec_client(x), s->args.vault_uri,
                                      s->args.name, &absent_cb, x);
        return;
    }
    if (f != NULL &&
        !(f->http_status == 403 && f->code != NULL &&
          strcmp(f->code, "Forbidden") == 0 && f->inner_code != NULL &&
          strcmp(f->inner_code, "SecretDisabled") == 0)) {
        plan_exec_step_end(x, f, false);
        return;
    }
    char *msg = xasprintf(_("a secret named %s already exists in this "
                            "vault; write a new version of it instead"),
                          s->args.name);
    struct az_failure mine = {.status = KV_ERR_CONFLICT,
                              .http_status = 409,
                              .code = "SecretAlreadyExists",
                              .message = msg};
    plan_exec_step_end(x, &mine, false);
    free(msg);
}

static const struct az_op_cb absent_cb = {
    .page = absent_page,
    .secret = absent_secret,
    .done = absent_done,
    .wait = plan_on_wait,
};

static void
absent_run(struct plan_exec *x, struct plan_step *s)
{
    s->op = az_get_secret(plan_exec_client(x), s->args.vault_uri, s->args.name,
                          NULL, &absent_cb, x);
}

const struct step_ops step_secret_absent = {
    .op = "secret-check-absent",
    .run = absent_run,
    .cancel = plan_step_cancel,
};

/* ---- latest: what is there now (rotate: refuse if it changed) ------- */

/* The latest version's id through the versions list would page through
 * every version; GET of the latest answers in one round trip (its value
 * is dropped at once). A disabled latest version answers 403
 * SecretDisabled, which still names nothing: the list is the fallback. */
static void
latest_secret(void *ud, struct kv_secret_version *meta, struct secret *value)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    secret_free(value);
    free(p->prior_version);
    p->prior_version = dup(meta->version);
    free(s->version);
    s->version = dup(meta->version);
    kv_secret_version_free(meta);
}

static void
latest_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (f != NULL && f->status == KV_ERR_NOT_FOUND) {
        free(p->prior_version);
        p->prior_version = NULL;
    } else if (f != NULL) {
        plan_exec_step_end(x, f, false);
        return;
    }
    bool rotate = strcmp(p->kind, "rotate") == 0;
    if (rotate && (p->expected_version == NULL) != (p->prior_version == NULL)) {
        goto changed;
    }
    if (rotate && p->expected_version != NULL &&
        strcmp(p->expected_version, p->prior_version) != 0)
        goto changed;
    plan_exec_step_end(x, NULL, false);
    return;
changed:;
    char *msg = xasprintf(
        _("%s changed since the review: its latest version is now %.8s… "
          "(reviewed: %.8s…). Nothing was written; review again."),
        s->args.name, p->prior_version ? p->prior_version : _("none"),
        p->expected_version ? p->expected_version : _("none"));
    struct az_failure mine = {.status = KV_ERR_CONFLICT,
                              .code = "ChangedSinceReview",
                              .message = msg};
    plan_exec_step_end(x, &mine, false);
    free(msg);
}

static const struct az_op_cb latest_cb = {
    .secret = latest_secret,
    .done = latest_done,
    .wait = plan_on_wait,
};

static void
latest_run(struct plan_exec *x, struct plan_step *s)
{
    s->op = az_get_secret(plan_exec_client(x), s->args.vault_uri, s->args.name,
                          NULL, &latest_cb, x);
}

const struct step_ops step_secret_latest = {
    .op = "secret-check-latest",
    .run = latest_run,
    .cancel = plan_step_cancel,
};

/* ---- set: PUT a new version ------------------------------------------ */

static void set_send(struct plan_exec *x, struct plan_step *s);
static const struct az_op_cb set_cb;

static void
set_landed(struct plan_exec *x, struct plan_step *s,
           struct kv_secret_version *meta)
{
    struct plan *p = plan_exec_plan(x);
    free(p->written_version);
    p->written_version = dup(meta->version);
    free(s->version);
    s->version = dup(meta->version);
    kv_secret_version_free(p->result);
    p->result = meta;
}

static void
set_secret(void *ud, struct kv_secret_version *meta, struct secret *value)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    struct plan *p = plan_exec_plan(x);
    if (s->phase == 1) {
        /* re-reading after an ambiguous failure: is the latest ours? */
        bool ours = p->value != NULL && value != NULL &&
                    value->len == p->value->len &&
                    secmem_equal(value->data, p->value->data, value->len) &&
                    (p->prior_version == NULL ||
                     strcmp(meta->version, p->prior_version) != 0);
        log_debug("plan: re-read: latest %s (prior %s), value %s (%zu/%zu)",
                  meta->version, p->prior_version ? p->prior_version : "none",
                  ours ? "ours" : "not ours", value ? value->len : 0,
                  p->value ? p->value->len : 0);
        secret_free(value);
        if (ours) {
            s->phase = 2; /* landed */
            set_landed(x, s, meta);
        } else if (p->prior_version != NULL &&
                   strcmp(meta->version, p->prior_version) == 0) {
            s->phase = 3; /* still the old one: ours did not land */
            kv_secret_version_free(meta);
        } else {
            s->phase = 4; /* someone else's version */
            kv_secret_version_free(meta);
        }
        return;
    }
    secret_free(value); /* the echo; the verify step reads it back */
    set_landed(x, s, meta);
}

static void
set_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (s->phase == 0) {
        if (f == NULL) {
            plan_exec_step_end(x, NULL, false);
        } else if (f->ambiguous) {
            /* the write may have landed: look before writing again */
            log_debug("plan: ambiguous write (%s); re-reading", f->message);
            char *t = xasprintf(_("the answer was lost (%s); reading the "
                                  "latest version to see whether the write "
                                  "landed"),
                                f->message);
            plan_exec_progress(x, t);
            free(t);
            s->phase = 1;
            s->op = az_get_secret(plan_exec_client(x), s->args.vault_uri,
                                  s->args.name, NULL, &set_cb, x);
        } else {
            plan_exec_step_end(x, f, false);
        }
        return;
    }
    /* phase 1 ended: 2 landed, 3 not ours, or the re-read failed */
    if (s->phase == 2) {
        plan_exec_progress(x, _("the write had landed; no second write sent"));
        plan_exec_step_end(x, NULL, false);
        return;
    }
    if (s->phase == 4) {
        struct az_failure mine = {
            .status = KV_ERR_CONFLICT,
            .code = "ChangedSinceReview",
            .message = _("another version was written meanwhile and ours did "
                         "not land; nothing of ours was changed")};
        plan_exec_step_end(x, &mine, false);
        return;
    }
    bool not_landed =
        s->phase == 3 || (f != NULL && f->status == KV_ERR_NOT_FOUND);
    if (f != NULL && !not_landed) {
        plan_exec_step_end(x, f, false);
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
    .secret = set_secret,
    .done = set_done,
    .wait = plan_on_wait,
};

static void
set_send(struct plan_exec *x, struct plan_step *s)
{
    struct plan *p = plan_exec_plan(x);
    struct az_secret_write w;
    plan_to_write(&s->args, &w);
    from_source(p->source, &w);
    s->phase = 0;
    s->tries++;
    s->op = az_secret_set(plan_exec_client(x), s->args.vault_uri, s->args.name,
                          p->value, &w, &set_cb, x);
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

const struct step_ops step_secret_set = {
    .op = "secret-set",
    .writes = true,
    .run = set_run,
    .cancel = plan_step_cancel,
};

/* ---- verify: read the new version back -------------------------------- */

static void
verify_secret(void *ud, struct kv_secret_version *meta, struct secret *value)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    p->verified = p->value != NULL && value != NULL &&
                  value->len == p->value->len &&
                  secmem_equal(value->data, p->value->data, value->len);
    secret_free(value);
    kv_secret_version_free(meta);
}

static void
verify_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (f != NULL) {
        plan_exec_step_end(x, f, false);
        return;
    }
    if (!p->verified) {
        struct az_failure mine = {
            .status = KV_ERR_CONFLICT,
            .code = "VerifyMismatch",
            .message = _("the value read back differs from the value "
                         "written; the previous version stays enabled")};
        plan_exec_step_end(x, &mine, false);
        return;
    }
    plan_exec_step_end(x, NULL, false);
}

static const struct az_op_cb verify_cb = {
    .secret = verify_secret,
    .done = verify_done,
    .wait = plan_on_wait,
};

static void
verify_run(struct plan_exec *x, struct plan_step *s)
{
    struct plan *p = plan_exec_plan(x);
    p->verified = false;
    free(s->version);
    s->version = dup(p->written_version);
    s->op = az_get_secret(plan_exec_client(x), s->args.vault_uri, s->args.name,
                          p->written_version, &verify_cb, x);
}

const struct step_ops step_secret_verify = {
    .op = "secret-verify",
    .run = verify_run,
    .cancel = plan_step_cancel,
};

/* ---- read: the value to copy ----------------------------------------- */

static void
read_secret(void *ud, struct kv_secret_version *meta, struct secret *value)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    secret_free(p->value);
    p->value = value;
    free(s->version);
    s->version = dup(meta->version);
    kv_secret_version_free(p->source);
    p->source = meta;
}

void
plan_simple_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->op = NULL;
    plan_note_request(s, f);
    plan_exec_step_end(x, f, false);
}

static const struct az_op_cb read_cb = {
    .secret = read_secret,
    .done = plan_simple_done,
    .wait = plan_on_wait,
};

static void
read_run(struct plan_exec *x, struct plan_step *s)
{
    s->op = az_get_secret(plan_exec_client(x), s->args.vault_uri, s->args.name,
                          NULL, &read_cb, x);
}

const struct step_ops step_secret_read = {
    .op = "secret-read",
    .run = read_run,
    .cancel = plan_step_cancel,
};
