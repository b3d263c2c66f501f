/*
 * lro.c — the long-running-operation state machine (see lro.h). Pure:
 * everything it knows comes in through struct az_lro_answer, so the unit
 * tests walk every pattern PROTOCOL.md §7 lists without a network.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "azure/arm.h"
#include "azure/json.h"
#include "azure/lro.h"
#include "azure/retry.h"
#include "azure/url.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

struct az_lro_policy
az_lro_default(void)
{
    struct az_lro_policy p = {
        .default_ms = 10000,
        .min_ms = 1000,
        .max_ms = 60000,
        .budget_ms = 30L * 60 * 1000,
    };
    return p;
}

void
az_lro_init(struct az_lro *l, const char *method, const char *url)
{
    memset(l, 0, sizeof *l);
    l->method = xstrdup(method);
    for (char *p = l->method; *p != '\0'; p++)
        *p = (char)toupper((unsigned char)*p);
    l->resource_url = xstrdup(url);
    l->phase = AZ_LRO_START;
}

void
az_lro_clear(struct az_lro *l)
{
    free(l->method);
    free(l->resource_url);
    free(l->poll_url);
    free(l->final_url);
    free(l->state);
    memset(l, 0, sizeof *l);
}

void
az_lro_action_clear(struct az_lro_action *a)
{
    free(a->code);
    free(a->message);
    a->code = a->message = NULL;
}

enum state_kind { STATE_NONE, STATE_RUNNING, STATE_SUCCEEDED, STATE_FAILED };

static enum state_kind
classify(const char *s)
{
    if (s == NULL)
        return STATE_NONE;
    if (str_ieq(s, "Succeeded"))
        return STATE_SUCCEEDED;
    if (str_ieq(s, "Failed") || str_ieq(s, "Canceled") ||
        str_ieq(s, "Cancelled"))
        return STATE_FAILED;
    return STATE_RUNNING;
}

static bool
is_put_or_patch(const struct az_lro *l)
{
    return str_eq(l->method, "PUT") || str_eq(l->method, "PATCH");
}

static void
remember_state(struct az_lro *l, const char *s, const char *label)
{
    if (s == NULL)
        return;
    free(l->state);
    l->state = xstrdup(s);
    l->state_label = label;
}

/* The wait before the next poll: Retry-After or the default, clamped. */
static long
poll_delay(const struct az_lro_policy *p, const struct az_lro_answer *a)
{
    long ms;
    if (!az_retry_parse_after(a->retry_after, a->now, &ms))
        ms = p->default_ms;
    if (ms < p->min_ms)
        ms = p->min_ms;
    if (ms > p->max_ms)
        ms = p->max_ms;
    return ms;
}

static struct az_lro_action
fail(struct az_lro *l, enum kv_status st, char *message)
{
    struct az_lro_action act = {.next = AZ_LRO_FAIL, .status = st};
    act.unknown = l->phase != AZ_LRO_START;
    act.message = message;
    l->phase = AZ_LRO_END;
    return act;
}

/* An operation that ended Failed/Canceled: the error object of its body
 * (the async status shape, or a resource's), else our own sentence. */
static struct az_lro_action
fail_state(struct az_lro *l, const cJSON *root, const char *what,
           const char *state)
{
    struct az_error err;
    char *msg = NULL;
    bool have = az_error_from_json(root, &err);
    if (have && err.message != NULL)
        msg = xstrdup(err.message);
    else
        msg = xasprintf(_("the operation ended with %s: %s"), what, state);
    struct az_lro_action act = fail(l, KV_ERR_HTTP, msg);
    act.unknown = false; /* it failed, and the service says so */
    if (have && err.code != NULL)
        act.code = xstrdup(err.code);
    if (have)
        az_error_free(&err);
    return act;
}

static struct az_lro_action
done(struct az_lro *l, bool result_in_body)
{
    struct az_lro_action act = {.next = AZ_LRO_DONE};
    act.result_in_body = result_in_body;
    l->phase = AZ_LRO_END;
    return act;
}

/* Asks for a GET of url (copied into poll_url) in the given phase. */
static struct az_lro_action
get(struct az_lro *l, const struct az_lro_policy *p,
    const struct az_lro_answer *a, enum az_lro_phase phase, const char *url,
    bool poll)
{
    if (url != l->poll_url) {
        free(l->poll_url);
        l->poll_url = xstrdup(url);
    }
    struct az_lro_action act;
    if (!az_url_same_origin(l->poll_url, l->resource_url) ||
        !str_istarts(l->poll_url, "https://")) {
        act = fail(l, KV_ERR_PARSE,
                   xasprintf(_("refusing to poll an operation on another "
                               "host: %s"),
                             l->poll_url));
        act.unknown = true; /* the write itself was accepted */
        return act;
    }
    long delay = poll ? poll_delay(p, a) : 0;
    if (a->elapsed_ms + delay > p->budget_ms) {
        act = fail(l, KV_ERR_TIMEOUT,
                   xasprintf(_("gave up waiting for the operation after "
                               "%ld s (last state: %s)"),
                             a->elapsed_ms / 1000,
                             l->state != NULL ? l->state : _("unknown")));
        act.unknown = true;
        return act;
    }
    act = (struct az_lro_action){.next = AZ_LRO_GET, .poll = poll};
    act.delay_ms = delay;
    l->phase = phase;
    l->polls++;
    act.url = l->poll_url;
    return act;
}

/* What follows a Succeeded operation status. */
static struct az_lro_action
after_success(struct az_lro *l, const struct az_lro_policy *p,
              const struct az_lro_answer *a, bool body_is_result)
{
    if (is_put_or_patch(l))
        return get(l, p, a, AZ_LRO_FINAL, l->resource_url, false);
    if (str_eq(l->method, "POST") && l->final_url != NULL)
        return get(l, p, a, AZ_LRO_FINAL, l->final_url, false);
    return done(l, body_is_result && !str_eq(l->method, "DELETE"));
}

static struct az_lro_action
step_start(struct az_lro *l, const struct az_lro_policy *p,
           const struct az_lro_answer *a, const cJSON *root)
{
    const char *ps = json_str(root, "properties.provisioningState");
    enum state_kind k = classify(ps);
    remember_state(l, ps, "provisioningState");
    if (k == STATE_FAILED)
        return fail_state(l, root, "provisioningState", ps);
    if (a->status == 204)
        return done(l, false);
    bool running = a->status == 202 || k == STATE_RUNNING ||
                   (a->status == 201 && k == STATE_NONE &&
                    (a->async_operation != NULL || a->location != NULL));
    if (!running)
        return done(l, true);
    if (str_eq(l->method, "POST") && a->location != NULL &&
        a->async_operation != NULL)
        l->final_url = xstrdup(a->location);
    if (a->async_operation != NULL)
        return get(l, p, a, AZ_LRO_ASYNC, a->async_operation, true);
    if (a->location != NULL)
        return get(l, p, a, AZ_LRO_LOCATION, a->location, true);
    if (is_put_or_patch(l) && k == STATE_RUNNING)
        return get(l, p, a, AZ_LRO_RESOURCE, l->resource_url, true);
    return done(l, true); /* accepted, with nothing to follow */
}

static struct az_lro_action
step_async(struct az_lro *l, const struct az_lro_policy *p,
           const struct az_lro_answer *a, const cJSON *root)
{
    const char *st = json_str(root, "status");
    const char *label = "status";
    if (st == NULL) {
        st = json_str(root, "properties.provisioningState");
        label = "provisioningState";
    }
    enum state_kind k = classify(st);
    remember_state(l, st, label);
    if (k == STATE_FAILED)
        return fail_state(l, root, label, st);
    if (k == STATE_SUCCEEDED || (k == STATE_NONE && a->status != 202))
        return after_success(l, p, a, true);
    return get(l, p, a, AZ_LRO_ASYNC, l->poll_url, true);
}

static struct az_lro_action
step_location(struct az_lro *l, const struct az_lro_policy *p,
              const struct az_lro_answer *a, const cJSON *root)
{
    const char *st = json_str(root, "status");
    remember_state(l, st, "status");
    if (a->status == 202)
        return get(l, p, a, AZ_LRO_LOCATION, l->poll_url, true);
    if (classify(st) == STATE_FAILED)
        return fail_state(l, root, "status", st);
    if (is_put_or_patch(l))
        return get(l, p, a, AZ_LRO_FINAL, l->resource_url, false);
    return done(l, a->status != 204 && !str_eq(l->method, "DELETE"));
}

static struct az_lro_action
step_resource(struct az_lro *l, const struct az_lro_policy *p,
              const struct az_lro_answer *a, const cJSON *root)
{
    const char *ps = json_str(root, "properties.provisioningState");
    enum state_kind k = classify(ps);
    remember_state(l, ps, "provisioningState");
    if (k == STATE_FAILED)
        return fail_state(l, root, "provisioningState", ps);
    if (k == STATE_RUNNING)
        return get(l, p, a, AZ_LRO_RESOURCE, l->resource_url, true);
    return done(l, true);
}

struct az_lro_action
az_lro_step(struct az_lro *l, const struct az_lro_policy *p,
            const struct az_lro_answer *a)
{
    struct az_lro_action act;
    if (l->phase == AZ_LRO_END)
        return fail(l, KV_ERR_INTERNAL,
                    xstrdup(_("the operation has already ended")));
    if (a->status < 200 || a->status > 299) {
        /* the answer's error body says what; the caller decodes it */
        enum kv_status st = az_status_from_http(a->status, NULL);
        return fail(l, st == KV_OK ? KV_ERR_HTTP : st, NULL);
    }
    cJSON *root = a->len > 0 ? json_parse(a->body, a->len, "lro", NULL) : NULL;
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        root = NULL;
    }
    switch (l->phase) {
    case AZ_LRO_START:
        act = step_start(l, p, a, root);
        break;
    case AZ_LRO_ASYNC:
        act = step_async(l, p, a, root);
        break;
    case AZ_LRO_LOCATION:
        act = step_location(l, p, a, root);
        break;
    case AZ_LRO_FINAL: /* the resource may still be settling */
    case AZ_LRO_RESOURCE:
        act = step_resource(l, p, a, root);
        break;
    default:
        act = fail(l, KV_ERR_INTERNAL, NULL);
        break;
    }
    cJSON_Delete(root);
    return act;
}

char *
az_lro_progress(const struct az_lro *l, long delay_ms)
{
    const char *verb;
    if (str_eq(l->method, "PUT"))
        verb = _("Creating or updating");
    else if (str_eq(l->method, "PATCH"))
        verb = _("Updating");
    else if (str_eq(l->method, "DELETE"))
        verb = _("Deleting");
    else
        verb = _("Running");
    const char *label = l->state_label != NULL ? l->state_label : "status";
    long s = (delay_ms + 999) / 1000;
    if (l->state != NULL)
        /* TRANSLATORS: "Deleting… (status: InProgress); next check in 10 s"
         */
        return xasprintf(_("%s… (%s: %s); next check in %ld s"), verb, label,
                         l->state, s);
    /* TRANSLATORS: "Deleting… (accepted); next check in 10 s" */
    return xasprintf(_("%s… (accepted); next check in %ld s"), verb, s);
}
