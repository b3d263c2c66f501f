/*
 * job-cognitive.c — JOB_LIST_AI_ACCOUNTS (issue #13): the Azure AI
 * services accounts of a subscription or group (azure/cognitive.h), for
 * picking the account whose key a secret holds when no
 * source-resource-id tag names it. PAGE results carry struct
 * kv_ai_account; no keys are ever read here (the rotate-source plan
 * lists them in its own step).
 */
#include "config.h"

#include <stdlib.h>

#include "azure/cognitive.h"
#include "engine/run.h"

static void
kv_ai_account_free_item(void *p)
{
    kv_ai_account_free(p);
}

static void
start_ai_accounts(struct job_run *run)
{
    struct job_scope *p = run->job->params;
    if (!run_param_set(p->subscription_id)) {
        run_missing(run);
        return;
    }
    run->state = az_ai_list_accounts(
        run->client, p->subscription_id,
        run_param_set(p->resource_group) ? p->resource_group : NULL, &run_op_cb,
        run);
}

const struct job_type job_type_list_ai_accounts = {
    .name = "LIST_AI_ACCOUNTS",
    .kind = JOB_LIST_AI_ACCOUNTS,
    .start = start_ai_accounts,
    .cancel = run_op_cancel,
    .free_params = job_scope_free,
    .free_item = kv_ai_account_free_item,
};
