/*
 * plan-source-int.h — what the rotate-source builder (plan-source.c) and
 * its steps (plan-source-ops.c) share: the plan's context and the step
 * ops. Not for the UI (plan-source.h is).
 *
 * Ownership: the context belongs to the plan (p->src) and is freed with
 * it (plan_source_ctx_free); the value and the keys are secure memory,
 * wiped then.
 */
#ifndef KV_ENGINE_PLAN_SOURCE_INT_H
#define KV_ENGINE_PLAN_SOURCE_INT_H

#include <stdbool.h>

#include "base/secmem.h"
#include "engine/plan-impl.h"

struct source_ctx {
    char *account_id;
    char *account_name;
    char *endpoint;    /* properties.endpoint, read by step 1 */
    char *old_version; /* the version holding the old key */
    bool retiring;     /* a due retirement: step 1 reads old_version
                          and a value matching neither key is fine */
    struct secret *old_value;
    struct secret *key1, *key2;
    int held;             /* 1 or 2: the key the old version holds; 0 */
    int other;            /* the key regenerated and written; 0 */
    bool endpoint_ok;     /* the new key answered 200 */
    bool old_regenerated; /* the old key was regenerated */
};

extern const struct step_ops step_source_read;           /* GET, GET, POST */
extern const struct step_ops step_source_regenerate;     /* the other key */
extern const struct step_ops step_source_write;          /* secret-set + tag */
extern const struct step_ops step_source_probe;          /* the endpoint */
extern const struct step_ops step_source_regenerate_old; /* the old key */

#endif
