/*
 * job-read.c — the read jobs' ops tables: each kind starts one azure
 * operation (azure/ops.h) whose callbacks report through run_op_cb, and
 * cancels it (the endpoint connections, which read more: job-endpoints.c).
 * Parameters are checked here, so a job missing one ends with a clear ERROR
 * instead of a malformed request.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/ops.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/graph.h"
#include "engine/run.h"

bool
run_param_set(const char *s)
{
    return s != NULL && *s != '\0';
}

void
run_missing(struct job_run *run)
{
    char *msg = xasprintf(_("job %s is missing a parameter"),
                          job_kind_name(run->job->kind));
    run_fail_msg(run, KV_ERR_INVALID, msg);
    free(msg);
}

void
run_op_cancel(struct job_run *run)
{
    az_op_cancel(run->state);
    run->state = NULL;
}

void
job_scope_free(void *p)
{
    struct job_scope *s = p;
    if (s == NULL)
        return;
    free(s->subscription_id);
    free(s->resource_group);
    free(s);
}

void
job_vault_ref_free(void *p)
{
    struct job_vault_ref *v = p;
    if (v == NULL)
        return;
    free(v->vault_id);
    free(v->subscription_id);
    free(v->name);
    free(v->vault_uri);
    free(v);
}

static void
secret_ref_free(void *p)
{
    struct job_secret_ref *s = p;
    if (s == NULL)
        return;
    free(s->vault_uri);
    free(s->name);
    free(s->version);
    free(s);
}

#define ITEM_FREE(fn, type)                                                    \
    static void fn##_item(void *p)                                             \
    {                                                                          \
        fn((struct type *)p);                                                  \
    }
ITEM_FREE(kv_subscription_free, kv_subscription)
ITEM_FREE(kv_tenant_free, kv_tenant)
ITEM_FREE(kv_group_free, kv_group)
ITEM_FREE(kv_vault_free, kv_vault)
ITEM_FREE(kv_secret_item_free, kv_secret_item)
ITEM_FREE(kv_secret_version_free, kv_secret_version)
ITEM_FREE(kv_deleted_secret_free, kv_deleted_secret)
#undef ITEM_FREE

/* ---- starts ----------------------------------------------------------- */

/* Why Resource Graph did not give the subscription list: a PROGRESS. */
static void
subs_progress(void *ud, const char *text)
{
    run_progress(ud, text);
}

static void
start_subscriptions(struct job_run *run)
{
    const struct job_subs *p = run->job->params; /* graph.h; may be NULL */
    if (p != NULL && p->graph_threshold < GRAPH_THRESHOLD_NEVER) {
        struct az_op_cb cb = run_op_cb; /* copied by the op */
        cb.progress = subs_progress;
        run->state = az_list_subscriptions_graph(run->client,
                                                 p->graph_threshold, &cb, run);
    } else {
        run->state = az_list_subscriptions(run->client, &run_op_cb, run);
    }
}

static void
start_tenants(struct job_run *run)
{
    run->state = az_list_tenants(run->client, &run_op_cb, run);
}

static void
start_groups(struct job_run *run)
{
    struct job_scope *p = run->job->params;
    if (!run_param_set(p->subscription_id)) {
        run_missing(run);
        return;
    }
    run->state =
        az_list_groups(run->client, p->subscription_id, &run_op_cb, run);
}

static void
start_vaults(struct job_run *run)
{
    struct job_scope *p = run->job->params;
    if (!run_param_set(p->subscription_id)) {
        run_missing(run);
        return;
    }
    run->state = az_list_vaults(
        run->client, p->subscription_id,
        run_param_set(p->resource_group) ? p->resource_group : NULL, &run_op_cb,
        run);
}

/* GET_VAULT with only a URI: what can be known without Resource
 * Manager (the name is the host's first label). */
static void
vault_from_uri(struct job_run *run, const char *uri)
{
    const char *host = strstr(uri, "://");
    host = host != NULL ? host + 3 : uri;
    size_t n = strcspn(host, ".:/");
    if (n == 0 || !str_istarts(uri, "https://")) {
        run_fail_msg(run, KV_ERR_INVALID,
                     _("not a vault URI (https://NAME...)"));
        return;
    }
    struct kv_vault *v = xcalloc(1, sizeof *v);
    v->name = xstrndup(host, n);
    v->vault_uri = str_rstrip_slash(uri);
    v->soft_delete = true;
    v->json = xasprintf("{\n  \"name\": \"%s\",\n  \"vaultUri\": \"%s\"\n}",
                        v->name, v->vault_uri);
    struct vec one = VEC_INIT;
    vec_push(&one, v);
    run_page(run, &one, false);
    vec_free(&one);
    run_done(run, NULL);
}

static void
start_get_vault(struct job_run *run)
{
    struct job_vault_ref *p = run->job->params;
    if (run_param_set(p->vault_id))
        run->state = az_get_vault(run->client, p->vault_id, &run_op_cb, run);
    else if (run_param_set(p->subscription_id) && run_param_set(p->name))
        run->state = az_find_vault(run->client, p->subscription_id, p->name,
                                   &run_op_cb, run);
    else if (run_param_set(p->vault_uri))
        vault_from_uri(run, p->vault_uri);
    else
        run_missing(run);
}

static void
start_secrets(struct job_run *run)
{
    struct job_secret_ref *p = run->job->params;
    if (!run_param_set(p->vault_uri)) {
        run_missing(run);
        return;
    }
    run->state = az_list_secrets(run->client, p->vault_uri, p->page_size,
                                 &run_op_cb, run);
}

static void
start_deleted(struct job_run *run)
{
    struct job_secret_ref *p = run->job->params;
    if (!run_param_set(p->vault_uri)) {
        run_missing(run);
        return;
    }
    run->state = az_list_deleted_secrets(run->client, p->vault_uri,
                                         p->page_size, &run_op_cb, run);
}

static void
start_versions(struct job_run *run)
{
    struct job_secret_ref *p = run->job->params;
    if (!run_param_set(p->vault_uri) || !run_param_set(p->name)) {
        run_missing(run);
        return;
    }
    run->state = az_list_versions(run->client, p->vault_uri, p->name,
                                  p->page_size, &run_op_cb, run);
}

static void
start_value(struct job_run *run)
{
    struct job_secret_ref *p = run->job->params;
    if (!run_param_set(p->vault_uri) || !run_param_set(p->name)) {
        run_missing(run);
        return;
    }
    run->state = az_get_secret(run->client, p->vault_uri, p->name, p->version,
                               &run_op_cb, run);
}

/* ---- the tables ------------------------------------------------------- */

#define READ_TYPE(var, nm, k, st, pf, itf)                                     \
    const struct job_type var = {                                              \
        .name = nm,                                                            \
        .kind = k,                                                             \
        .start = st,                                                           \
        .cancel = run_op_cancel,                                               \
        .free_params = pf,                                                     \
        .free_item = itf,                                                      \
    }

READ_TYPE(job_type_list_subscriptions, "LIST_SUBSCRIPTIONS",
          JOB_LIST_SUBSCRIPTIONS, start_subscriptions, free,
          kv_subscription_free_item);
READ_TYPE(job_type_list_tenants, "LIST_TENANTS", JOB_LIST_TENANTS,
          start_tenants, free, kv_tenant_free_item);
READ_TYPE(job_type_list_groups, "LIST_GROUPS", JOB_LIST_GROUPS, start_groups,
          job_scope_free, kv_group_free_item);
READ_TYPE(job_type_list_vaults, "LIST_VAULTS", JOB_LIST_VAULTS, start_vaults,
          job_scope_free, kv_vault_free_item);
READ_TYPE(job_type_get_vault, "GET_VAULT", JOB_GET_VAULT, start_get_vault,
          job_vault_ref_free, kv_vault_free_item);
READ_TYPE(job_type_list_secrets, "LIST_SECRETS", JOB_LIST_SECRETS,
          start_secrets, secret_ref_free, kv_secret_item_free_item);
READ_TYPE(job_type_list_versions, "LIST_VERSIONS", JOB_LIST_VERSIONS,
          start_versions, secret_ref_free, kv_secret_version_free_item);
READ_TYPE(job_type_get_secret_value, "GET_SECRET_VALUE", JOB_GET_SECRET_VALUE,
          start_value, secret_ref_free, kv_secret_version_free_item);
READ_TYPE(job_type_list_deleted_secrets, "LIST_DELETED_SECRETS",
          JOB_LIST_DELETED_SECRETS, start_deleted, secret_ref_free,
          kv_deleted_secret_free_item);
#undef READ_TYPE
