/*
 * job.c — constructing and freeing jobs and results (see job.h). The
 * kinds' ops tables live with the code that runs them (job-read.c,
 * plan-run.c); this file only builds parameter structs.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "engine/expiring.h"
#include "engine/job.h"
#include "engine/run.h"

static char *
dup(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

/* Every kind's ops table, by kind. */
static const struct job_type *const job_types[JOB_KIND_COUNT] = {
    [JOB_LIST_SUBSCRIPTIONS] = &job_type_list_subscriptions,
    [JOB_LIST_TENANTS] = &job_type_list_tenants,
    [JOB_LIST_GROUPS] = &job_type_list_groups,
    [JOB_LIST_VAULTS] = &job_type_list_vaults,
    [JOB_GET_VAULT] = &job_type_get_vault,
    [JOB_LIST_SECRETS] = &job_type_list_secrets,
    [JOB_LIST_VERSIONS] = &job_type_list_versions,
    [JOB_GET_SECRET_VALUE] = &job_type_get_secret_value,
    [JOB_LIST_ENDPOINT_CONNECTIONS] = &job_type_list_endpoint_connections,
    [JOB_LIST_DELETED_SECRETS] = &job_type_list_deleted_secrets,
    [JOB_PLAN] = &job_type_plan,
    [JOB_TOKENS] = &job_type_tokens,
    [JOB_DOCTOR] = &job_type_doctor,
    [JOB_LIST_LOCATIONS] = &job_type_list_locations,
    [JOB_CHECK_VAULT_NAME] = &job_type_check_vault_name,
    [JOB_LIST_DELETED_VAULTS] = &job_type_list_deleted_vaults,
    [JOB_LIST_VNETS] = &job_type_list_vnets,
    [JOB_LIST_DNS_ZONES] = &job_type_list_dns_zones,
    [JOB_LIST_VNET_LINKS] = &job_type_list_vnet_links,
    [JOB_GET_PERMISSIONS] = &job_type_get_permissions,
    [JOB_CHECK_DNS] = &job_type_check_dns,
    [JOB_LIST_ARM_SECRETS] = &job_type_list_arm_secrets,
    [JOB_GET_PRIVATE_ENDPOINT] = &job_type_get_private_endpoint,
    [JOB_GRAPH_VAULTS] = &job_type_graph_vaults,
    [JOB_SCAN_EXPIRING] = &job_type_scan_expiring,
    [JOB_LIST_AI_ACCOUNTS] = &job_type_list_ai_accounts,
};

const struct job_type *
job_type_of(enum job_kind kind)
{
    return (unsigned)kind < JOB_KIND_COUNT ? job_types[kind] : NULL;
}

struct job *
job_new(enum job_kind kind)
{
    struct job *j = xcalloc(1, sizeof *j);
    j->type = job_type_of(kind);
    j->kind = kind;
    switch (kind) {
    case JOB_LIST_GROUPS:
    case JOB_LIST_VAULTS:
    case JOB_LIST_LOCATIONS:
    case JOB_LIST_DELETED_VAULTS:
    case JOB_LIST_VNETS:
    case JOB_LIST_DNS_ZONES:
    case JOB_LIST_AI_ACCOUNTS:
        j->params = xcalloc(1, sizeof(struct job_scope));
        break;
    case JOB_GET_VAULT:
    case JOB_LIST_ENDPOINT_CONNECTIONS:
    case JOB_CHECK_VAULT_NAME:
    case JOB_LIST_VNET_LINKS:
    case JOB_GET_PERMISSIONS:
    case JOB_LIST_ARM_SECRETS:
    case JOB_GET_PRIVATE_ENDPOINT:
        j->params = xcalloc(1, sizeof(struct job_vault_ref));
        break;
    case JOB_CHECK_DNS:
        j->params = xcalloc(1, sizeof(struct job_dns_check));
        break;
    case JOB_LIST_SECRETS:
    case JOB_LIST_VERSIONS:
    case JOB_GET_SECRET_VALUE:
    case JOB_LIST_DELETED_SECRETS:
        j->params = xcalloc(1, sizeof(struct job_secret_ref));
        break;
    case JOB_PLAN:
        j->params = xcalloc(1, sizeof(struct job_plan_params));
        break;
    case JOB_TOKENS:
        j->params = xcalloc(1, sizeof(struct job_tokens));
        break;
    case JOB_SCAN_EXPIRING:
        j->params = xcalloc(1, sizeof(struct job_expiring));
        break;
    default:
        break;
    }
    return j;
}

struct job_scope *
job_scope(const struct job *j)
{
    return j != NULL &&
                   (j->kind == JOB_LIST_GROUPS || j->kind == JOB_LIST_VAULTS ||
                    j->kind == JOB_LIST_LOCATIONS ||
                    j->kind == JOB_LIST_DELETED_VAULTS ||
                    j->kind == JOB_LIST_VNETS || j->kind == JOB_LIST_DNS_ZONES ||
                    j->kind == JOB_LIST_AI_ACCOUNTS)
               ? j->params
               : NULL;
}

struct job_vault_ref *
job_vault_ref(const struct job *j)
{
    return j != NULL && (j->kind == JOB_GET_VAULT ||
                         j->kind == JOB_LIST_ENDPOINT_CONNECTIONS ||
                         j->kind == JOB_CHECK_VAULT_NAME ||
                         j->kind == JOB_LIST_VNET_LINKS ||
                         j->kind == JOB_GET_PERMISSIONS ||
                         j->kind == JOB_LIST_ARM_SECRETS ||
                         j->kind == JOB_GET_PRIVATE_ENDPOINT)
               ? j->params
               : NULL;
}

struct job_dns_check *
job_dns_check(const struct job *j)
{
    return j != NULL && j->kind == JOB_CHECK_DNS ? j->params : NULL;
}

struct job_secret_ref *
job_secret_ref(const struct job *j)
{
    return j != NULL &&
                   (j->kind == JOB_LIST_SECRETS ||
                    j->kind == JOB_LIST_VERSIONS ||
                    j->kind == JOB_GET_SECRET_VALUE ||
                    j->kind == JOB_LIST_DELETED_SECRETS)
               ? j->params
               : NULL;
}

struct job_plan_params *
job_plan_params(const struct job *j)
{
    return j != NULL && j->kind == JOB_PLAN ? j->params : NULL;
}

struct job *
job_list_subscriptions(void)
{
    return job_new(JOB_LIST_SUBSCRIPTIONS);
}

struct job *
job_list_tenants(void)
{
    return job_new(JOB_LIST_TENANTS);
}

struct job *
job_list_groups(const char *subscription_id)
{
    struct job *j = job_new(JOB_LIST_GROUPS);
    struct job_scope *p = j->params;
    p->subscription_id = dup(subscription_id);
    return j;
}

struct job *
job_list_vaults(const char *subscription_id, const char *resource_group)
{
    struct job *j = job_new(JOB_LIST_VAULTS);
    struct job_scope *p = j->params;
    p->subscription_id = dup(subscription_id);
    p->resource_group = dup(resource_group);
    return j;
}

struct job *
job_get_vault(const char *vault_id)
{
    struct job *j = job_new(JOB_GET_VAULT);
    struct job_vault_ref *p = j->params;
    p->vault_id = dup(vault_id);
    return j;
}

static struct job *
secret_job(enum job_kind kind, const char *vault_uri, const char *name,
           const char *version)
{
    struct job *j = job_new(kind);
    struct job_secret_ref *p = j->params;
    p->vault_uri = dup(vault_uri);
    p->name = dup(name);
    p->version = dup(version);
    return j;
}

struct job *
job_list_secrets(const char *vault_uri)
{
    return secret_job(JOB_LIST_SECRETS, vault_uri, NULL, NULL);
}

struct job *
job_list_versions(const char *vault_uri, const char *name)
{
    return secret_job(JOB_LIST_VERSIONS, vault_uri, name, NULL);
}

struct job *
job_get_secret_value(const char *vault_uri, const char *name,
                     const char *version)
{
    return secret_job(JOB_GET_SECRET_VALUE, vault_uri, name, version);
}

struct job *
job_list_deleted_secrets(const char *vault_uri)
{
    return secret_job(JOB_LIST_DELETED_SECRETS, vault_uri, NULL, NULL);
}

struct job *
job_list_endpoint_connections(const char *vault_id)
{
    struct job *j = job_new(JOB_LIST_ENDPOINT_CONNECTIONS);
    struct job_vault_ref *p = j->params;
    p->vault_id = dup(vault_id);
    return j;
}

struct job *
job_list_locations(const char *subscription_id)
{
    struct job *j = job_new(JOB_LIST_LOCATIONS);
    struct job_scope *p = j->params;
    p->subscription_id = dup(subscription_id);
    return j;
}

struct job *
job_check_vault_name(const char *subscription_id, const char *name)
{
    struct job *j = job_new(JOB_CHECK_VAULT_NAME);
    struct job_vault_ref *p = j->params;
    p->subscription_id = dup(subscription_id);
    p->name = dup(name);
    return j;
}

struct job *
job_list_deleted_vaults(const char *subscription_id)
{
    struct job *j = job_new(JOB_LIST_DELETED_VAULTS);
    struct job_scope *p = j->params;
    p->subscription_id = dup(subscription_id);
    return j;
}

static struct job *
scope_job(enum job_kind kind, const char *subscription_id, const char *group)
{
    struct job *j = job_new(kind);
    struct job_scope *p = j->params;
    p->subscription_id = dup(subscription_id);
    p->resource_group = dup(group);
    return j;
}

static struct job *
id_job(enum job_kind kind, const char *id)
{
    struct job *j = job_new(kind);
    struct job_vault_ref *p = j->params;
    p->vault_id = dup(id);
    return j;
}

struct job *
job_list_vnets(const char *subscription_id, const char *group)
{
    return scope_job(JOB_LIST_VNETS, subscription_id, group);
}

struct job *
job_list_ai_accounts(const char *subscription_id, const char *group)
{
    return scope_job(JOB_LIST_AI_ACCOUNTS, subscription_id, group);
}

struct job *
job_list_dns_zones(const char *subscription_id, const char *group)
{
    return scope_job(JOB_LIST_DNS_ZONES, subscription_id, group);
}

struct job *
job_list_vnet_links(const char *zone_id)
{
    return id_job(JOB_LIST_VNET_LINKS, zone_id);
}

struct job *
job_get_permissions(const char *scope)
{
    return id_job(JOB_GET_PERMISSIONS, scope);
}

struct job *
job_list_arm_secrets(const char *vault_id)
{
    return id_job(JOB_LIST_ARM_SECRETS, vault_id);
}

struct job *
job_get_private_endpoint(const char *endpoint_id)
{
    return id_job(JOB_GET_PRIVATE_ENDPOINT, endpoint_id);
}

struct job *
job_check_dns(const char *host, const char *expected)
{
    struct job *j = job_new(JOB_CHECK_DNS);
    struct job_dns_check *p = j->params;
    p->host = dup(host);
    p->expected = dup(expected);
    return j;
}

struct job *
job_plan(struct plan *p, enum plan_mode mode)
{
    struct job *j = job_new(JOB_PLAN);
    struct job_plan_params *pp = j->params;
    pp->plan = p;
    pp->mode = mode;
    return j;
}

void
job_free(struct job *j)
{
    if (j == NULL)
        return;
    if (j->type != NULL && j->type->free_params != NULL)
        j->type->free_params(j->params);
    else
        free(j->params);
    free(j);
}

const char *
job_kind_name(enum job_kind kind)
{
    const struct job_type *t = job_type_of(kind);
    return t != NULL ? t->name : "?";
}

struct result *
result_new(enum result_type type)
{
    struct result *r = xcalloc(1, sizeof *r);
    r->type = type;
    r->status = KV_OK;
    return r;
}

bool
result_dispatch(struct result *r)
{
    if (r == NULL || r->deliver == NULL)
        return false;
    r->deliver(r->ctx, r);
    return true;
}

/* (here with the result that owns it, not in signin.c: a front end
 * with a fake engine frees results too) */
void
engine_sign_in_free(struct engine_sign_in *s)
{
    if (s == NULL)
        return;
    free(s->user_code);
    free(s->verification_uri);
    free(s->message);
    free(s->account);
    free(s->why);
    free(s);
}

void
result_free(struct result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->items.len; i++) {
        if (r->items.items[i] == NULL)
            continue;
        if (r->free_item != NULL)
            r->free_item(r->items.items[i]);
        else
            free(r->items.items[i]);
    }
    vec_free(&r->items);
    secret_free(r->value);
    plan_free(r->plan);
    engine_sign_in_free(r->sign_in);
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
    case RESULT_STEP:
        return "STEP";
    case RESULT_SIGN_IN:
        return "SIGN_IN";
    }
    return "?";
}
