/*
 * signin.h — a person's sign-in as the user interface hears of it: the
 * device code to show, the server asking to poll less often, the
 * outcome. The engine turns the credential's notices (on the worker)
 * into RESULT_SIGN_IN results (job_id 0) in the result queue, delivered
 * to whoever engine_on_sign_in() named (engine.h); the console shows a
 * modal screen, a batch command writes to standard error.
 *
 * Ownership: a struct engine_sign_in belongs to its result
 * (result_free() frees it); take it by setting r->sign_in to NULL.
 */
#ifndef KV_ENGINE_SIGNIN_H
#define KV_ENGINE_SIGNIN_H

#include <stdint.h>

#include "base/status.h"

enum engine_sign_in_event {
    SIGN_IN_CODE,      /* show user_code and verification_uri */
    SIGN_IN_SLOW_DOWN, /* the same code; the server polls less often */
    SIGN_IN_DONE,      /* signed in (account, or NULL) */
    SIGN_IN_FAILED,    /* status (KV_ERR_SIGNIN_DECLINED, _EXPIRED,
                          _CODE, ...) and why; retry with
                          engine_sign_in_retry() */
};

struct engine_sign_in {
    enum engine_sign_in_event event;
    char *user_code;        /* CODE, SLOW_DOWN */
    char *verification_uri; /* CODE, SLOW_DOWN */
    char *message;          /* the server's sentence, or NULL */
    int64_t expires_at;     /* time_now() seconds */
    int interval;           /* seconds between polls */
    char *account;          /* DONE */
    enum kv_status status;  /* FAILED */
    char *why;              /* FAILED */
};

void engine_sign_in_free(struct engine_sign_in *s); /* NULL is fine */

#endif
