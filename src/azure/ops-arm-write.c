/*
 * ops-arm-write.c — Resource Manager writes (PUT, PATCH, POST, DELETE on
 * an ARM id) followed to the end of their long-running operation: the
 * state machine of lro.h decides, this file sends the write and the
 * polls (each poll after its wait, through a client timer), reports
 * progress once per poll and delivers the final body (see ops.h).
 *
 * Replay: the write itself follows the transport's rules (PUT and DELETE
 * retried, POST and PATCH never); polls are GETs. A failure after the
 * write was accepted (a poll that fails, the budget spent) leaves the
 * outcome unknown and is reported ambiguous.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/lro.h"
#include "azure/ops-int.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"

struct arm_write {
    struct az_lro lro;
    struct az_lro_policy policy; /* the client's, or the caller's poll */
    int64_t started_ms;
    bool accepted_only; /* AZ_ARM_ACCEPTED: the write's answer ends it */
};

static void
arm_write_free(void *p)
{
    struct arm_write *w = p;
    if (w == NULL)
        return;
    az_lro_clear(&w->lro);
    free(w);
}

static void
send_poll(void *ud)
{
    struct az_op *op = ud;
    struct arm_write *w = op->state;
    op->call = 0;
    az_op_send_request(op, az_request_new("GET", w->lro.poll_url));
}

/* The final body to resource(), then (with an item kind) to page(). */
static void
deliver_result(struct az_op *op, const struct az_response *resp, bool in_body)
{
    size_t len = 0;
    const char *body = in_body ? az_response_body(resp, &len) : "";
    if (!in_body)
        len = 0;
    if (op->cb.resource != NULL)
        op->cb.resource(op->ud, body, len);
    if (op->type->kind == AZ_ITEM_NONE || op->cb.page == NULL)
        return;
    struct vec items = VEC_INIT;
    char *why = NULL;
    cJSON *root = len > 0 ? json_parse(body, len, op->origin_url, &why) : NULL;
    if (root != NULL) {
        void *item = xcalloc(1, op->type->size);
        if (op->type->decode(root, item, &why) == KV_OK) {
            vec_push(&items, item);
        } else {
            log_debug("arm write: cannot decode the result of %s: %s",
                      op->origin_url, why);
            free(item);
        }
        cJSON_Delete(root);
    }
    free(why);
    az_op_deliver(op, &items, false);
}

static void
on_response(struct az_op *op, struct az_response *resp, enum kv_status st,
            const char *why)
{
    struct arm_write *w = op->state;
    if (resp == NULL || st != KV_OK) {
        az_op_fail_full(op, st, resp, why, NULL, w->lro.phase != AZ_LRO_START);
        return;
    }
    size_t len = 0;
    const char *body = az_response_body(resp, &len);
    struct az_lro_answer a = {
        .status = resp->status,
        .async_operation = resp->async_operation,
        .location = resp->location,
        .retry_after = resp->retry_after,
        .body = body,
        .len = len,
        .now = time_now(),
        .elapsed_ms = (long)(time_mono_ms() - w->started_ms),
    };
    struct az_lro_action act = az_lro_step(&w->lro, &w->policy, &a);
    switch (act.next) {
    case AZ_LRO_FAIL:
        az_op_fail_full(op, act.status, resp, act.message, act.code,
                        act.unknown);
        break;
    case AZ_LRO_DONE:
        deliver_result(op, resp, act.result_in_body);
        az_op_succeed(op);
        break;
    case AZ_LRO_GET:
        if (w->accepted_only) { /* accepted, still running: enough */
            deliver_result(op, resp, resp->status != 202 && len > 0);
            az_op_succeed(op);
            break;
        }
        if (act.poll && op->cb.progress != NULL) {
            char *text = az_lro_progress(&w->lro, act.delay_ms);
            op->cb.progress(op->ud, text);
            free(text);
        }
        if (act.delay_ms > 0)
            op->call = az_client_after(op->c, act.delay_ms, send_poll, op);
        else
            send_poll(op);
        break;
    }
    az_lro_action_clear(&act);
}

static bool
api_version_ok(const char *v)
{
    if (v == NULL || *v == '\0' || strlen(v) > 40)
        return false;
    for (const char *p = v; *p != '\0'; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '.'))
            return false;
    return true;
}

struct az_op *
az_arm_write_as(struct az_client *c, const char *method, const char *path,
                const char *api_version, const char *body,
                enum az_item_kind kind, const struct az_op_cb *cb, void *ud)
{
    return az_arm_write_every(c, method, path, api_version, body, kind, 0, cb,
                              ud);
}

struct az_op *
az_arm_write_every(struct az_client *c, const char *method, const char *path,
                   const char *api_version, const char *body,
                   enum az_item_kind kind, long poll_ms,
                   const struct az_op_cb *cb, void *ud)
{
    static const char *const methods[] = {"PUT", "PATCH", "POST", "DELETE"};
    char *p = az_op_id_path(path, "");
    bool api_ok = api_version_ok(api_version);
    char *url = p != NULL && api_ok ? az_op_arm_url(c, p, api_version) : NULL;
    struct az_op *op =
        az_op_new(c, AZ_OP_CUSTOM, AZ_PLANE_ARM, kind, url, cb, ud);
    struct arm_write *w = xcalloc(1, sizeof *w);
    w->policy = *az_client_lro(c);
    w->accepted_only = poll_ms == AZ_ARM_ACCEPTED;
    if (w->accepted_only) /* the answer ends it: no wait to give up on */
        w->policy.budget_ms = LONG_MAX;
    if (poll_ms > 0) {
        w->policy.default_ms = poll_ms;
        if (w->policy.min_ms > poll_ms)
            w->policy.min_ms = poll_ms;
    }
    op->state = w;
    op->state_free = arm_write_free;
    op->on_response = on_response;
    free(p);

    bool method_ok = false;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (str_ieq(method, methods[i]))
            method_ok = true;
    char *bad = NULL;
    if (!method_ok)
        bad = xasprintf(_("not an ARM write method: %s"),
                        method != NULL ? method : "(none)");
    else if (url == NULL && !api_ok)
        bad = xasprintf(_("not an api-version: %s"),
                        api_version != NULL ? api_version : "(none)");
    else if (url == NULL)
        bad = xasprintf(_("not an ARM resource id: %s"),
                        path != NULL ? path : "(none)");
    if (bad != NULL) {
        az_op_fail_later(op, KV_ERR_INVALID, bad);
        free(bad);
        return op;
    }
    az_lro_init(&w->lro, method, url);
    w->started_ms = time_mono_ms();
    struct az_request *req = az_request_new(w->lro.method, url);
    if (body != NULL)
        az_request_json(req, body);
    az_op_send_request(op, req);
    return op;
}

struct az_op *
az_arm_write(struct az_client *c, const char *method, const char *path,
             const char *api_version, const char *body,
             const struct az_op_cb *cb, void *ud)
{
    return az_arm_write_as(c, method, path, api_version, body, AZ_ITEM_NONE, cb,
                           ud);
}
