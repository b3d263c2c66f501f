/*
 * signin.c — a person's sign-in on the worker's side (signin.h): the
 * device-code credential's notices become RESULT_SIGN_IN results in the
 * result queue; the UI's retry and cancel (engine_sign_in_retry() and
 * _cancel() in engine.c, which a test's fake engine replaces) are taken
 * on the worker's next turn.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "engine/engine.h"
#include "engine/signin.h"
#include "engine/worker.h"

static char *
dup(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

void
engine_sign_in_notice(void *ud, const struct az_device_notice *n)
{
    struct engine *e = ud;
    static const enum engine_sign_in_event ev[] = {
        [AZ_DEVICE_CODE] = SIGN_IN_CODE,
        [AZ_DEVICE_SLOW_DOWN] = SIGN_IN_SLOW_DOWN,
        [AZ_DEVICE_SIGNED_IN] = SIGN_IN_DONE,
        [AZ_DEVICE_FAILED] = SIGN_IN_FAILED,
    };
    struct engine_sign_in *s = xcalloc(1, sizeof *s);
    s->event = ev[n->event];
    s->user_code = dup(n->user_code);
    s->verification_uri = dup(n->verification_uri);
    s->message = dup(n->message);
    s->expires_at = n->expires_at;
    s->interval = n->interval;
    s->account = dup(n->account);
    s->status = n->status;
    s->why = dup(n->why);
    struct result *r = result_new(RESULT_SIGN_IN);
    r->kind = JOB_KIND_COUNT; /* no job */
    r->sign_in = s;
    r->status = n->event == AZ_DEVICE_FAILED ? n->status : KV_OK;
    r->message = dup(n->why);
    pthread_mutex_lock(&e->mu);
    r->deliver = e->sign_in_deliver;
    r->ctx = e->sign_in_ctx;
    result_queue_push(&e->results, r);
    pthread_cond_broadcast(&e->cond);
    pthread_mutex_unlock(&e->mu);
}

void
engine_sign_in_work(struct engine *e)
{
    pthread_mutex_lock(&e->mu);
    int what = e->sign_in_req;
    e->sign_in_req = 0;
    pthread_mutex_unlock(&e->mu);
    if (what == 0)
        return;
    log_debug("engine: sign-in %s",
              what == SIGN_IN_REQ_CANCEL ? "cancelled" : "retried");
    az_client_reset_sign_in(e->client, what == SIGN_IN_REQ_CANCEL);
}
