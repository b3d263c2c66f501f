/*
 * plan-source-ops.c — the rotate-source steps as they run on the worker
 * (see plan-source.h): read the secret and the account's keys and find
 * which key the secret holds (constant time, secure memory), regenerate
 * a key, write the new key through the secret-set step with its
 * source-key tag, probe the account's endpoint with it. Each step's
 * target is the account's id (the write's the secret's URL); the journal
 * gets names, ids and outcomes, never a key.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/cognitive.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/plan-source-int.h"

enum { P_SECRET, P_LATEST, P_ACCOUNT, P_KEYS };

static char *
dup_or_null(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

static bool
same(const struct secret *a, const struct secret *b)
{
    /* the length is not secret; the bytes are compared in constant time */
    return a != NULL && b != NULL && a->len == b->len &&
           secmem_equal(a->data, b->data, a->len);
}

/* Replaces the text of the first later step with ops (the review could
 * not know which key the secret holds; the report can). */
static void
retext(struct plan *p, const struct step_ops *ops, char *text)
{
    for (size_t i = 0; i < p->steps.len; i++) {
        struct plan_step *s = p->steps.items[i];
        if (s->ops == ops && s->state == STEP_PENDING) {
            free(s->text);
            s->text = text;
            return;
        }
    }
    free(text);
}

/* ---- read: the secret's value, the account, its keys ------------------ */

static const struct az_op_cb read_cb;

static void
read_secret(void *ud, struct kv_secret_version *meta, struct secret *value)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    struct source_ctx *c = p->src;
    if (s->phase == P_LATEST) {
        /* a due retirement: the latest must not hold the old key */
        if (same(value, c->old_value))
            s->tries = 1; /* flag: the latest still is the old key */
        secret_free(value);
        kv_secret_version_free(meta);
        return;
    }
    secret_free(c->old_value);
    c->old_value = value;
    free(s->version);
    s->version = dup_or_null(meta->version);
    if (!c->retiring) {
        free(p->prior_version);
        p->prior_version = dup_or_null(meta->version);
    }
    kv_secret_version_free(meta);
}

static void
read_page(void *ud, struct vec *items, bool more)
{
    struct plan_exec *x = ud;
    struct source_ctx *c = plan_exec_plan(x)->src;
    (void)more;
    if (items->len > 0) {
        const struct kv_ai_account *a = items->items[0];
        free(c->endpoint);
        c->endpoint = dup_or_null(a->endpoint);
    }
}

static void
read_keys(void *ud, struct secret *k1, struct secret *k2)
{
    struct plan_exec *x = ud;
    struct source_ctx *c = plan_exec_plan(x)->src;
    secret_free(c->key1);
    secret_free(c->key2);
    c->key1 = k1;
    c->key2 = k2;
}

/* Which key the value is; says so, or stops. */
static void
read_match(struct plan_exec *x, struct plan_step *s)
{
    struct plan *p = plan_exec_plan(x);
    struct source_ctx *c = p->src;
    bool m1 = same(c->old_value, c->key1);
    bool m2 = same(c->old_value, c->key2);
    c->held = m1 ? 1 : m2 ? 2 : 0;
    secret_free(c->key1);
    secret_free(c->key2);
    c->key1 = c->key2 = NULL;
    if (c->held == 0 && c->retiring) {
        plan_exec_progress(
            x, _("the old version holds neither key any more (already "
                 "regenerated): nothing to regenerate"));
        plan_exec_step_end(x, NULL, false);
        return;
    }
    if (c->held == 0) {
        char *msg = xasprintf(_("%s matches neither key of %s: nothing was "
                                "changed"),
                              s->args.name, c->account_name);
        struct az_failure mine = {
            .status = KV_ERR_CONFLICT, .code = "NoMatchingKey", .message = msg};
        plan_exec_step_end(x, &mine, false);
        free(msg);
        return;
    }
    const char *held = az_ai_key_name(c->held);
    if (c->retiring) {
        char *t = xasprintf(_("version %.8s… still holds %s of %s"),
                            c->old_version, held, c->account_name);
        plan_exec_progress(x, t);
        free(t);
        retext(p, &step_source_regenerate_old,
               xasprintf(_("Regenerate %s of %s (the old version's key): "
                           "anything still using it loses access (cannot "
                           "be undone)"),
                         held, c->account_name));
        plan_exec_step_end(x, NULL, false);
        return;
    }
    c->other = 3 - c->held;
    const char *other = az_ai_key_name(c->other);
    char *t = xasprintf(_("%s holds %s of %s; %s will be regenerated"),
                        s->args.name, held, c->account_name, other);
    plan_exec_progress(x, t);
    free(t);
    retext(p, &step_source_regenerate,
           xasprintf(_("Regenerate %s of %s (%s holds %s, which applications "
                       "keep using)"),
                     other, c->account_name, s->args.name, held));
    retext(p, &step_source_regenerate_old,
           xasprintf(_("Regenerate %s of %s (the old version's key): anything "
                       "still using it loses access (cannot be undone)"),
                     held, c->account_name));
    plan_exec_step_end(x, NULL, false);
}

static void
read_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    struct source_ctx *c = p->src;
    struct az_client *cl = plan_exec_client(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (f != NULL && s->phase == P_KEYS && f->http_status == 403) {
        char *more = xasprintf(
            _("Listing the keys needs %s on %s: a role such as Cognitive "
              "Services Contributor or Cognitive Services User (Reader and "
              "Cognitive Services OpenAI User lack it). Nothing was "
              "changed."),
            AZ_AI_LISTKEYS_ACTION, c->account_name);
        plan_exec_step_fail(x, f, more);
        free(more);
        return;
    }
    if (f != NULL) {
        plan_exec_step_end(x, f, false);
        return;
    }
    switch (s->phase) {
    case P_SECRET:
        if (!c->retiring && !str_eq(p->prior_version, p->expected_version)) {
            char *msg = xasprintf(
                _("%s changed since the review: its latest version is now "
                  "%.8s… (reviewed: %.8s…). Nothing was changed; review "
                  "again."),
                s->args.name, p->prior_version ? p->prior_version : "?",
                p->expected_version ? p->expected_version : "?");
            struct az_failure mine = {.status = KV_ERR_CONFLICT,
                                      .code = "ChangedSinceReview",
                                      .message = msg};
            plan_exec_step_end(x, &mine, false);
            free(msg);
            return;
        }
        if (c->retiring) {
            s->phase = P_LATEST;
            s->tries = 0;
            s->op = az_get_secret(cl, s->args.vault_uri, s->args.name, NULL,
                                  &read_cb, x);
            return;
        }
        s->phase = P_ACCOUNT;
        s->op = az_ai_get_account(cl, s->args.arm_id, &read_cb, x);
        return;
    case P_LATEST:
        if (s->tries != 0) {
            s->tries = 0;
            struct az_failure mine = {
                .status = KV_ERR_CONFLICT,
                .code = "OldKeyStillLatest",
                .message = _("the latest version still holds the old "
                             "version's key: regenerating it would cut off "
                             "the applications; nothing was changed")};
            plan_exec_step_end(x, &mine, false);
            return;
        }
        s->phase = P_ACCOUNT;
        s->op = az_ai_get_account(cl, s->args.arm_id, &read_cb, x);
        return;
    case P_ACCOUNT:
        s->phase = P_KEYS;
        s->op = az_ai_list_keys(cl, s->args.arm_id, read_keys, &read_cb, x);
        return;
    default:
        read_match(x, s);
        return;
    }
}

static const struct az_op_cb read_cb = {
    .page = read_page,
    .secret = read_secret,
    .done = read_done,
    .wait = plan_on_wait,
};

static void
read_run(struct plan_exec *x, struct plan_step *s)
{
    struct source_ctx *c = plan_exec_plan(x)->src;
    s->phase = P_SECRET;
    s->tries = 0;
    s->op = az_get_secret(plan_exec_client(x), s->args.vault_uri, s->args.name,
                          c->retiring ? c->old_version : NULL, &read_cb, x);
}

const struct step_ops step_source_read = {
    .op = "source-read",
    .run = read_run,
    .cancel = plan_step_cancel,
};

/* ---- regenerate: the other key, or the old one ------------------------ */

static void
regen_keys(void *ud, struct secret *k1, struct secret *k2)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    struct source_ctx *c = p->src;
    if (s->ops == &step_source_regenerate) {
        /* the new key is the value the next steps write and prove */
        secret_free(p->value);
        p->value = c->other == 1 ? k1 : k2;
        secret_free(c->other == 1 ? k2 : k1);
    } else {
        secret_free(k1);
        secret_free(k2);
    }
}

static void
regen_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    struct source_ctx *c = p->src;
    s->op = NULL;
    plan_note_request(s, f);
    if (f != NULL && f->http_status == 403) {
        char *more = xasprintf(
            _("Regenerating a key needs %s on %s: a role such as Cognitive "
              "Services Contributor (Cognitive Services User may list the "
              "keys but not regenerate them)."),
            AZ_AI_REGENERATE_ACTION, c->account_name);
        plan_exec_step_fail(x, f, more);
        free(more);
        return;
    }
    if (f != NULL) {
        plan_exec_step_end(x, f, false);
        return;
    }
    if (s->ops == &step_source_regenerate_old)
        c->old_regenerated = true;
    plan_exec_step_end(x, NULL, false);
}

static const struct az_op_cb regen_cb = {
    .done = regen_done,
    .wait = plan_on_wait,
};

static void
regen_run(struct plan_exec *x, struct plan_step *s)
{
    struct source_ctx *c = plan_exec_plan(x)->src;
    int which = s->ops == &step_source_regenerate ? c->other : c->held;
    if (which == 0 && s->ops == &step_source_regenerate_old && c->retiring) {
        plan_exec_progress(x, _("the old version holds neither key: nothing "
                                "to regenerate"));
        plan_exec_step_end(x, NULL, true);
        return;
    }
    if (which == 0 || (s->ops == &step_source_regenerate_old && !c->retiring &&
                       (c->held == c->other || !c->endpoint_ok))) {
        struct az_failure mine = {
            .status = KV_ERR_INTERNAL,
            .message = _("which key to regenerate is not known; nothing "
                         "was regenerated")};
        plan_exec_step_end(x, &mine, false);
        return;
    }
    s->op =
        az_ai_regenerate_key(plan_exec_client(x), s->args.arm_id,
                             az_ai_key_name(which), regen_keys, &regen_cb, x);
}

const struct step_ops step_source_regenerate = {
    .op = "source-regenerate",
    .writes = true,
    .run = regen_run,
    .cancel = plan_step_cancel,
};

const struct step_ops step_source_regenerate_old = {
    .op = "source-regenerate-old",
    .writes = true,
    .run = regen_run,
    .cancel = plan_step_cancel,
};

/* ---- write: secret-set with the key's name as a tag ------------------- */

static void
write_run(struct plan_exec *x, struct plan_step *s)
{
    struct source_ctx *c = plan_exec_plan(x)->src;
    const char *k = az_ai_key_name(c->other);
    if (k != NULL) {
        s->args.has_tags = true;
        kv_tags_set(&s->args.tags, "source-key", k);
    }
    step_secret_set.run(x, s);
}

const struct step_ops step_source_write = {
    .op = "secret-set",
    .writes = true,
    .run = write_run,
    .cancel = plan_step_cancel,
};

/* ---- probe: the endpoint with the new key ----------------------------- */

static void
probe_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    struct plan_step *s = plan_exec_step(x);
    struct source_ctx *c = p->src;
    s->op = NULL;
    plan_note_request(s, f);
    const char *newk = az_ai_key_name(c->other);
    const char *oldk = az_ai_key_name(c->held);
    if (f == NULL) {
        c->endpoint_ok = true;
        char *t = xasprintf(_("the endpoint of %s answered 200 with %s"),
                            c->account_name, newk);
        plan_exec_progress(x, t);
        free(t);
        plan_exec_step_end(x, NULL, false);
        return;
    }
    char *msg = xasprintf(
        _("the endpoint of %s did not accept the new key (%s). The vault's "
          "latest version holds %s (new, not verified); %s (the previous "
          "version %.8s…) is still valid at %s and was not touched."),
        c->account_name, f->message, newk, oldk,
        c->old_version ? c->old_version : "?", c->account_name);
    struct az_failure g = *f;
    g.message = msg;
    plan_exec_step_end(x, &g, false);
    free(msg);
}

static const struct az_op_cb probe_cb = {
    .done = probe_done,
    .wait = plan_on_wait,
};

static void
probe_run(struct plan_exec *x, struct plan_step *s)
{
    struct plan *p = plan_exec_plan(x);
    struct source_ctx *c = p->src;
    c->endpoint_ok = false;
    if (c->endpoint == NULL || p->value == NULL) {
        char *msg = xasprintf(
            _("%s has no endpoint to call (kind without one?); the new key "
              "cannot be verified"),
            c->account_name);
        struct az_failure mine = {.status = KV_ERR_UNSUPPORTED, .message = msg};
        plan_exec_step_end(x, &mine, false);
        free(msg);
        return;
    }
    s->op =
        az_ai_probe(plan_exec_client(x), c->endpoint, p->value, &probe_cb, x);
}

const struct step_ops step_source_probe = {
    .op = "source-probe",
    .run = probe_run,
    .cancel = plan_step_cancel,
};
