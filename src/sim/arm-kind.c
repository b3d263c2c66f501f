/*
 * arm-kind.c — the generic resource handlers of arm-kind.h: GET, list,
 * PUT and DELETE of any kind described by a struct arm_kind, with the
 * long-running-operation answers of each provider style.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-kind.h"
#include "sim/arm-net.h"
#include "sim/fault.h"
#include "sim/store.h"
#include "sim/util.h"

char *
arm_kind_key(const struct arm_ctx *cx, const struct arm_kind *k, int n)
{
    struct buf b = BUF_INIT;
    char *l;

    buf_puts(&b, k->prefix);
    for (int i = 0; i < n && i < cx->ncap; i++)
        buf_printf(&b, "|%s", cx->cap[i]);
    l = util_lower(b.data);
    buf_free(&b);
    return l;
}

static void
kind_not_found(struct arm_ctx *cx, const struct arm_kind *k)
{
    if (k->not_found)
        k->not_found(cx);
    else
        arm_not_found(cx, k->type, cx->cap[k->depth - 1], cx->cap[1]);
}

cJSON *
arm_kind_need_parent(struct arm_ctx *cx, const struct arm_kind *k)
{
    if (k->parent)
        return arm_kind_need(cx, k->parent);
    return arm_need_rg(cx, cx->cap[0], cx->cap[1]);
}

cJSON *
arm_kind_need(struct arm_ctx *cx, const struct arm_kind *k)
{
    cJSON *parent = arm_kind_need_parent(cx, k), *doc;
    char *key;

    if (!parent)
        return NULL;
    cJSON_Delete(parent);
    key = arm_kind_key(cx, k, k->depth);
    doc = store_get_json(cx->sim->store, key);
    if (!doc)
        kind_not_found(cx, k);
    free(key);
    return doc;
}

void
arm_kind_json(struct arm_ctx *cx, const struct arm_kind *k, int status,
              cJSON *body)
{
    if (k->pretty)
        arm_net_json(cx, status, body);
    else
        resp_json(cx->rs, status, body);
}

void
arm_kind_get(struct arm_ctx *cx)
{
    const struct arm_kind *k = cx->kind;
    cJSON *parent = arm_kind_need_parent(cx, k), *doc;
    char *key;

    if (!parent)
        return;
    key = arm_kind_key(cx, k, k->depth);
    if ((doc = store_get_json(cx->sim->store, key))) {
        arm_kind_json(cx, k, 200, k->render(cx, doc));
        if (k->etag)
            resp_header(cx->rs, "ETag", "%s", json_str(doc, "etag"));
        cJSON_Delete(doc);
    } else {
        kind_not_found(cx, k);
    }
    cJSON_Delete(parent);
    free(key);
}

static cJSON *
render_item(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    (void)key;
    (void)ud;
    return cx->kind->render(cx, doc);
}

void
arm_kind_list(struct arm_ctx *cx)
{
    const struct arm_kind *k = cx->kind;
    cJSON *parent;
    char *key, *prefix;

    if (!k->parent) {
        arm_list_scoped(cx, k->prefix, render_item);
        return;
    }
    if (!(parent = arm_kind_need(cx, k->parent)))
        return;
    cJSON_Delete(parent);
    key = arm_kind_key(cx, k, k->depth - 1);
    prefix = xasprintf("%s|", key);
    arm_list(cx, prefix, NULL, render_item, NULL);
    free(key);
    free(prefix);
}

/* The record of an operation that will end Failed: {"error": error}
 * (caller deletes), or NULL when error is NULL. */
static cJSON *
op_extra(const cJSON *error)
{
    cJSON *extra;

    if (!error)
        return NULL;
    extra = cJSON_CreateObject();
    cJSON_AddItemToObject(extra, "error", cJSON_Duplicate(error, true));
    return extra;
}

void
arm_kind_dns_accepted(struct arm_ctx *cx, const char *op, const char *key,
                      bool deleting, const cJSON *error)
{
    cJSON *extra = op_extra(error);
    char *opid, *tok;

    if (!extra)
        extra = cJSON_CreateObject();
    cJSON_AddStringToObject(extra, "resource", key);
    cJSON_AddBoolToObject(extra, "delete", deleting);
    opid = arm_op_new(cx, op, atomic_load(&cx->sim->lro_delay_ms), extra);
    tok = str_base64url(opid, strlen(opid));
    resp_json(cx->rs, 202, deleting ? NULL : cJSON_CreateObject());
    resp_header(cx->rs, "Azure-AsyncOperation",
                "%s/subscriptions/%s/resourceGroups/%s/providers/"
                "Microsoft.Network/privateDnsOperationStatuses/%s?"
                "api-version=%s",
                cx->rq->base, cx->cap[0], cx->cap[1], tok, cx->api);
    resp_header(cx->rs, "Location",
                "%s/subscriptions/%s/resourceGroups/%s/providers/"
                "Microsoft.Network/privateDnsOperationResults/%s?"
                "api-version=%s",
                cx->rq->base, cx->cap[0], cx->cap[1], tok, cx->api);
    resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
    cJSON_Delete(extra);
    free(opid);
    free(tok);
}

/* The location of an operation: the resource's, else its parent's. */
static const char *
op_location(const cJSON *doc, const cJSON *parent)
{
    const char *loc = json_str(doc, "location");

    return loc ? loc : json_str(parent, "location");
}

static void
answer_put(struct arm_ctx *cx, const struct arm_kind *k, struct arm_put *p)
{
    char *opid;

    if (k->answer) {
        k->answer(cx, p);
        return;
    }
    switch (k->lro) {
    case ARM_LRO_NETWORK: {
        /* Rendered first: the answer shows what the write just made. */
        cJSON *shown = k->render(cx, p->doc);
        cJSON *extra = op_extra(arm_failed(p->doc));

        opid =
            arm_op_new(cx, k->op, atomic_load(&cx->sim->lro_delay_ms), extra);
        cJSON_Delete(extra);
        arm_net_json(cx, p->old ? 200 : 201, shown);
        arm_net_async_headers(cx, op_location(p->doc, p->parent), opid, false);
        free(opid);
        break;
    }
    case ARM_LRO_DNS:
        arm_kind_dns_accepted(cx, k->op, p->key, false, arm_failed(p->doc));
        break;
    case ARM_LRO_SYNC:
        resp_json(cx->rs, 200, k->render(cx, p->doc));
        break;
    }
}

static void
put_free(struct arm_put *p)
{
    store_txn_free(p->t);
    cJSON_Delete(p->parent);
    cJSON_Delete(p->body);
    cJSON_Delete(p->old);
    cJSON_Delete(p->doc);
    cJSON_Delete(p->ref);
    vec_free_all(&p->refs[0], free);
    vec_free_all(&p->refs[1], free);
    free(p->key);
    free(p->loc);
}

/* lro-stuck: the resource never gets ready (its operation, made after
 * this, never ends: cx->stuck); a vault's name never registers. Marked
 * "_stuck" so that a new PUT provisions it again. */
static void
put_lro_stuck(struct arm_ctx *cx, struct arm_put *p)
{
    double never = (double)(sim_now_ms() + ARM_STUCK_MS);

    cx->stuck = true;
    json_set(p->doc, "_stuck", cJSON_CreateTrue());
    json_set(p->doc, "_readyAt", cJSON_CreateNumber(never));
    if (cJSON_GetObjectItemCaseSensitive(p->doc, "_dnsAt"))
        json_set(p->doc, "_dnsAt", cJSON_CreateNumber(never));
}

/* A new PUT provisions afresh: a "Failed" left by an earlier lro-fail
 * goes (Azure's remedy for a failed resource is to PUT it again), and the
 * lro-fail fault may mark this one to end Failed where it would have
 * succeeded, the lro-stuck fault never end. Either way a resource that had
 * been ready provisions again. */
static void
put_lro_fail(struct arm_ctx *cx, struct arm_put *p)
{
    bool was_failed = p->old && arm_failed(p->old);
    char *code = NULL;
    cJSON *e;

    cJSON_DeleteItemFromObjectCaseSensitive(p->doc, "_failed");
    cJSON_DeleteItemFromObjectCaseSensitive(p->doc, "_stuck");
    if (faults_fire_code(cx->sim->faults, FAULT_LRO_FAIL, cx->rq->area,
                         cx->rq->method, cx->rq->path, &code)) {
        e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "code", code ? code : "InternalServerError");
        cJSON_AddStringToObject(e, "message",
                                "The operation failed: an internal error "
                                "occurred while provisioning the resource "
                                "(kvdeck-sim fault lro-fail).");
        json_set(p->doc, "_failed", e);
        was_failed = true;
    } else if (faults_fire(cx->sim->faults, FAULT_LRO_STUCK, cx->rq->area,
                           cx->rq->method, cx->rq->path)) {
        put_lro_stuck(cx, p);
        free(code);
        return;
    }
    if (was_failed && cJSON_GetObjectItemCaseSensitive(p->doc, "_readyAt"))
        arm_set_ready(cx->sim, p->doc);
    free(code);
}

void
arm_kind_put(struct arm_ctx *cx)
{
    const struct arm_kind *k = cx->kind;
    struct arm_put p = {.refs = {VEC_INIT, VEC_INIT}};

    if (!(p.parent = arm_kind_need_parent(cx, k)) || !(p.body = arm_body(cx)) ||
        (k->validate && !k->validate(cx, &p)))
        goto out;
    p.key = arm_kind_key(cx, k, k->depth);
    store_write_lock(cx->sim->store);
    p.old = store_get_json(cx->sim->store, p.key);
    p.created = !p.old;
    p.t = store_txn_new();
    if (k->build(cx, &p)) {
        put_lro_fail(cx, &p);
        store_txn_put(p.t, p.key, p.doc);
        if (arm_commit(cx, p.t))
            answer_put(cx, k, &p);
        p.t = NULL; /* the commit took it */
    }
    store_write_unlock(cx->sim->store);
out:
    put_free(&p);
}

static void
answer_deleted(struct arm_ctx *cx, const struct arm_kind *k, const char *key,
               const cJSON *doc, const cJSON *parent)
{
    switch (k->lro) {
    case ARM_LRO_NETWORK:
        arm_net_deleted(cx, op_location(doc, parent));
        break;
    case ARM_LRO_DNS:
        arm_kind_dns_accepted(cx, k->delete_op ? k->delete_op : k->op, key,
                              true, NULL);
        break;
    case ARM_LRO_SYNC:
        resp_json(cx->rs, 200, NULL);
        break;
    }
}

void
arm_kind_delete(struct arm_ctx *cx)
{
    const struct arm_kind *k = cx->kind;
    cJSON *parent = arm_kind_need_parent(cx, k), *doc;
    struct store_txn *t;
    char *key;

    if (!parent)
        return;
    key = arm_kind_key(cx, k, k->depth);
    store_write_lock(cx->sim->store);
    doc = store_get_json(cx->sim->store, key);
    if (!doc) {
        resp_json(cx->rs, 204, NULL);
    } else if (!k->deletable || k->deletable(cx, key, doc)) {
        t = store_txn_new();
        if (k->drop)
            k->drop(cx, t, key, doc);
        else
            store_txn_del(t, key);
        if (arm_commit(cx, t))
            answer_deleted(cx, k, key, doc, parent);
    }
    store_write_unlock(cx->sim->store);
    cJSON_Delete(parent);
    cJSON_Delete(doc);
    free(key);
}
