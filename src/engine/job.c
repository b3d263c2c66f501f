/*
 * job.c — constructing and freeing jobs and results (see job.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "engine/job.h"

static char *
dup(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

struct job *
job_new(enum job_kind kind)
{
    struct job *j = xcalloc(1, sizeof *j);
    j->kind = kind;
    return j;
}

struct job *
job_list_subscriptions(void)
{
    return job_new(JOB_LIST_SUBSCRIPTIONS);
}

struct job *
job_list_groups(const char *subscription_id)
{
    struct job *j = job_new(JOB_LIST_GROUPS);
    j->subscription_id = dup(subscription_id);
    return j;
}

struct job *
job_list_vaults(const char *subscription_id, const char *resource_group)
{
    struct job *j = job_new(JOB_LIST_VAULTS);
    j->subscription_id = dup(subscription_id);
    j->resource_group = dup(resource_group);
    return j;
}

struct job *
job_get_vault(const char *vault_id)
{
    struct job *j = job_new(JOB_GET_VAULT);
    j->vault_id = dup(vault_id);
    return j;
}

struct job *
job_list_secrets(const char *vault_uri)
{
    struct job *j = job_new(JOB_LIST_SECRETS);
    j->vault_uri = dup(vault_uri);
    return j;
}

struct job *
job_list_versions(const char *vault_uri, const char *name)
{
    struct job *j = job_new(JOB_LIST_VERSIONS);
    j->vault_uri = dup(vault_uri);
    j->name = dup(name);
    return j;
}

struct job *
job_get_secret_value(const char *vault_uri, const char *name,
                     const char *version)
{
    struct job *j = job_new(JOB_GET_SECRET_VALUE);
    j->vault_uri = dup(vault_uri);
    j->name = dup(name);
    j->version = dup(version);
    return j;
}

struct job *
job_list_endpoint_connections(const char *vault_id)
{
    struct job *j = job_new(JOB_LIST_ENDPOINT_CONNECTIONS);
    j->vault_id = dup(vault_id);
    return j;
}

void
job_free(struct job *j)
{
    if (j == NULL)
        return;
    free(j->subscription_id);
    free(j->resource_group);
    free(j->vault_id);
    free(j->vault_uri);
    free(j->name);
    free(j->version);
    free(j);
}

const char *
job_kind_name(enum job_kind kind)
{
    static const char *const names[] = {
        [JOB_LIST_SUBSCRIPTIONS] = "LIST_SUBSCRIPTIONS",
        [JOB_LIST_GROUPS] = "LIST_GROUPS",
        [JOB_LIST_VAULTS] = "LIST_VAULTS",
        [JOB_GET_VAULT] = "GET_VAULT",
        [JOB_LIST_SECRETS] = "LIST_SECRETS",
        [JOB_LIST_VERSIONS] = "LIST_VERSIONS",
        [JOB_GET_SECRET_VALUE] = "GET_SECRET_VALUE",
        [JOB_LIST_ENDPOINT_CONNECTIONS] = "LIST_ENDPOINT_CONNECTIONS",
    };
    return (unsigned)kind < JOB_KIND_COUNT ? names[kind] : "?";
}

struct result *
result_new(enum result_type type)
{
    struct result *r = xcalloc(1, sizeof *r);
    r->type = type;
    r->status = KV_OK;
    return r;
}

/* Frees one model item of the given job kind. */
static void
item_free(enum job_kind kind, void *item)
{
    switch (kind) {
    case JOB_LIST_SUBSCRIPTIONS:
        kv_subscription_free(item);
        break;
    case JOB_LIST_GROUPS:
        kv_group_free(item);
        break;
    case JOB_LIST_VAULTS:
    case JOB_GET_VAULT:
        kv_vault_free(item);
        break;
    case JOB_LIST_SECRETS:
        kv_secret_item_free(item);
        break;
    case JOB_LIST_VERSIONS:
    case JOB_GET_SECRET_VALUE:
        kv_secret_version_free(item);
        break;
    case JOB_LIST_ENDPOINT_CONNECTIONS:
        kv_endpoint_connection_free(item);
        break;
    default:
        free(item);
        break;
    }
}

void
result_free(struct result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->items.len; i++)
        if (r->items.items[i] != NULL)
            item_free(r->kind, r->items.items[i]);
    vec_free(&r->items);
    secret_free(r->value);
    free(r->error_code);
    free(r->inner_code);
    free(r->message);
    free(r->request_id);
    free(r);
}

const char *
result_type_name(enum result_type type)
{
    switch (type) {
    case RESULT_PAGE:
        return "PAGE";
    case RESULT_DONE:
        return "DONE";
    case RESULT_ERROR:
        return "ERROR";
    case RESULT_PROGRESS:
        return "PROGRESS";
    }
    return "?";
}
