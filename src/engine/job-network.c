/*
 * job-network.c — the read jobs of the vault's network (issue #10):
 * a subscription's virtual networks (with their subnets) and private DNS
 * zones, a zone's virtual network links, the signed-in principal's
 * permissions at a scope, one private endpoint, and a vault's secrets
 * through Resource Manager (names and attributes, no values, no data
 * plane). Each is one azure operation (az_arm_list / az_arm_get) whose
 * callbacks report through run_op_cb, or a thin layer over it (the
 * endpoint asks its NIC for its address when it does not say it).
 * The DNS check lives in job-dns.c, the endpoint connections with their
 * endpoints in job-endpoints.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/ops.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/run.h"

#define ITEM_FREE(fn, type)                                                    \
    static void fn##_item(void *p)                                             \
    {                                                                          \
        fn((struct type *)p);                                                  \
    }
ITEM_FREE(kv_vnet_free, kv_vnet)
ITEM_FREE(kv_dns_zone_free, kv_dns_zone)
ITEM_FREE(kv_vnet_link_free, kv_vnet_link)
ITEM_FREE(kv_permissions_free, kv_permissions)
ITEM_FREE(kv_secret_item_free, kv_secret_item)
ITEM_FREE(kv_private_endpoint_free, kv_private_endpoint)
#undef ITEM_FREE

/* "/subscriptions/S[/resourceGroups/G]/providers/P" (S and G encoded). */
static char *
scope_path(const struct job_scope *p, const char *provider)
{
    char *s = str_url_encode(p->subscription_id);
    char *path;
    if (run_param_set(p->resource_group)) {
        char *g = str_url_encode(p->resource_group);
        path = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/%s", s,
                         g, provider);
        free(g);
    } else {
        path = xasprintf("/subscriptions/%s/providers/%s", s, provider);
    }
    free(s);
    return path;
}

static void
start_scoped_list(struct job_run *run, const char *provider, const char *api,
                  enum az_item_kind kind)
{
    struct job_scope *p = run->job->params;
    if (!run_param_set(p->subscription_id)) {
        run_missing(run);
        return;
    }
    char *path = scope_path(p, provider);
    run->state = az_arm_list(run->client, path, api, kind, &run_op_cb, run);
    free(path);
}

static void
start_vnets(struct job_run *run)
{
    start_scoped_list(run, "Microsoft.Network/virtualNetworks", AZ_API_NETWORK,
                      AZ_ITEM_VNET);
}

static void
start_dns_zones(struct job_run *run)
{
    start_scoped_list(run, "Microsoft.Network/privateDnsZones",
                      AZ_API_PRIVATE_DNS, AZ_ITEM_DNS_ZONE);
}

/* A job_vault_ref's vault_id (any ARM id here) with suffix, read as
 * kind through op (az_arm_list or az_arm_get). */
static void
start_by_id(struct job_run *run, const char *suffix, const char *api,
            enum az_item_kind kind, const struct az_op_cb *cb,
            struct az_op *(*op)(struct az_client *, const char *, const char *,
                                enum az_item_kind, const struct az_op_cb *,
                                void *))
{
    struct job_vault_ref *p = run->job->params;
    if (!run_param_set(p->vault_id)) {
        run_missing(run);
        return;
    }
    char *trim = str_rstrip_slash(p->vault_id);
    char *path = xasprintf("%s%s", trim, suffix);
    run->state = op(run->client, path, api, kind, cb, run);
    free(trim);
    free(path);
}

static void
start_vnet_links(struct job_run *run)
{
    start_by_id(run, "/virtualNetworkLinks", AZ_API_PRIVATE_DNS,
                AZ_ITEM_VNET_LINK, &run_op_cb, az_arm_list);
}

/* ---- permissions: the scope asked for goes into the answer ------------ */

static void
permissions_page(void *ud, struct vec *items, bool more)
{
    struct job_run *run = ud;
    struct job_vault_ref *p = run->job->params;
    for (size_t i = 0; i < items->len; i++) {
        struct kv_permissions *perm = items->items[i];
        free(perm->scope);
        perm->scope = xstrdup(p->vault_id);
    }
    run_op_cb.page(ud, items, more);
}

static void
op_done(void *ud, const struct az_failure *f)
{
    struct job_run *run = ud;
    run->state = NULL; /* the op frees itself after done() */
    run_op_cb.done(ud, f);
}

static void
op_wait(void *ud, const struct az_http_wait *w)
{
    run_op_cb.wait(ud, w);
}

static const struct az_op_cb permissions_cb = {
    .page = permissions_page,
    .done = op_done,
    .wait = op_wait,
};

static void
start_permissions(struct job_run *run)
{
    start_by_id(run, "/providers/Microsoft.Authorization/permissions",
                AZ_API_PERMISSIONS, AZ_ITEM_PERMISSIONS, &permissions_cb,
                az_arm_get);
}

/* ---- the vault's secrets through Resource Manager --------------------- */

/* A list item from an ARM secret (its fields moved; v is freed). The
 * item's id is the secret's, without the version, which goes to
 * latest_version. */
static struct kv_secret_item *
item_from_version(struct kv_secret_version *v)
{
    struct kv_secret_item *s = xcalloc(1, sizeof *s);
    if (v->vault_uri != NULL && v->name != NULL) {
        s->id = xasprintf("%s/secrets/%s", v->vault_uri, v->name);
        free(v->id);
    } else {
        s->id = v->id;
    }
    s->name = v->name;
    s->vault_uri = v->vault_uri;
    s->content_type = v->content_type;
    s->managed = v->managed;
    s->attrs = v->attrs;
    s->tags = v->tags;
    s->json = v->json;
    s->latest_version = v->version;
    free(v);
    return s;
}

static void
arm_secrets_page(void *ud, struct vec *items, bool more)
{
    for (size_t i = 0; i < items->len; i++)
        items->items[i] = item_from_version(items->items[i]);
    run_op_cb.page(ud, items, more);
}

static const struct az_op_cb arm_secrets_cb = {
    .page = arm_secrets_page,
    .done = op_done,
    .wait = op_wait,
};

static void
start_arm_secrets(struct job_run *run)
{
    start_by_id(run, "/secrets", AZ_API_KEYVAULT, AZ_ITEM_ARM_SECRET,
                &arm_secrets_cb, az_arm_list);
}

/* ---- one private endpoint (its NIC asked when it does not say its
 * address: endpoints with a DNS zone group may leave customDnsConfigs
 * empty) ------------------------------------------------------------------ */

struct pe_job {
    struct job_run *run;
    struct az_op *op;
    struct kv_private_endpoint *pe; /* read, not yet delivered */
};

static void
pe_job_end(struct pe_job *pj, const struct az_failure *f)
{
    struct job_run *run = pj->run;
    run->state = NULL;
    if (f == NULL && pj->pe != NULL) {
        struct vec one = VEC_INIT;
        vec_push(&one, pj->pe);
        pj->pe = NULL;
        run_page(run, &one, false);
        vec_free(&one);
    }
    kv_private_endpoint_free(pj->pe);
    free(pj);
    if (f == NULL)
        run_done(run, NULL);
    else
        run_fail(run, f, NULL);
}

static void
pe_page(void *ud, struct vec *items, bool more)
{
    struct pe_job *pj = ud;
    (void)more;
    if (items->len > 0 && pj->pe == NULL) {
        pj->pe = items->items[0];
        vec_remove(items, 0);
    }
}

static void
pe_wait(void *ud, const struct az_http_wait *w)
{
    struct pe_job *pj = ud;
    run_op_cb.wait(pj->run, w);
}

/* The NIC, read as a private endpoint: its first private address lands
 * in private_ip. */
static void
nic_page(void *ud, struct vec *items, bool more)
{
    struct pe_job *pj = ud;
    (void)more;
    struct kv_private_endpoint *nic = items->len > 0 ? items->items[0] : NULL;
    if (nic != NULL && nic->private_ip != NULL) {
        pj->pe->private_ip = nic->private_ip;
        nic->private_ip = NULL;
    }
}

static void
nic_done(void *ud, const struct az_failure *f)
{
    struct pe_job *pj = ud;
    (void)f; /* the address stays unknown; the endpoint was read */
    pj->op = NULL;
    pe_job_end(pj, NULL);
}

static const struct az_op_cb nic_cb = {
    .page = nic_page,
    .done = nic_done,
    .wait = pe_wait,
};

static void
pe_done(void *ud, const struct az_failure *f)
{
    struct pe_job *pj = ud;
    pj->op = NULL;
    if (f == NULL && pj->pe != NULL && pj->pe->private_ip == NULL &&
        pj->pe->nic_id != NULL) {
        pj->op = az_arm_get(pj->run->client, pj->pe->nic_id, AZ_API_NETWORK,
                            AZ_ITEM_PRIVATE_ENDPOINT, &nic_cb, pj);
        return;
    }
    pe_job_end(pj, f);
}

static const struct az_op_cb pe_cb = {
    .page = pe_page,
    .done = pe_done,
    .wait = pe_wait,
};

static void
start_private_endpoint(struct job_run *run)
{
    struct job_vault_ref *p = run->job->params;
    if (!run_param_set(p->vault_id)) {
        run_missing(run);
        return;
    }
    struct pe_job *pj = xcalloc(1, sizeof *pj);
    pj->run = run;
    run->state = pj;
    pj->op = az_arm_get(run->client, p->vault_id, AZ_API_NETWORK,
                        AZ_ITEM_PRIVATE_ENDPOINT, &pe_cb, pj);
}

static void
cancel_private_endpoint(struct job_run *run)
{
    struct pe_job *pj = run->state;
    if (pj == NULL)
        return;
    az_op_cancel(pj->op);
    kv_private_endpoint_free(pj->pe);
    free(pj);
    run->state = NULL;
}

/* ---- the tables ------------------------------------------------------- */

#define NET_TYPE(var, nm, k, st, pf, itf)                                      \
    const struct job_type var = {                                              \
        .name = nm,                                                            \
        .kind = k,                                                             \
        .start = st,                                                           \
        .cancel = run_op_cancel,                                               \
        .free_params = pf,                                                     \
        .free_item = itf,                                                      \
    }

NET_TYPE(job_type_list_vnets, "LIST_VNETS", JOB_LIST_VNETS, start_vnets,
         job_scope_free, kv_vnet_free_item);
NET_TYPE(job_type_list_dns_zones, "LIST_DNS_ZONES", JOB_LIST_DNS_ZONES,
         start_dns_zones, job_scope_free, kv_dns_zone_free_item);
NET_TYPE(job_type_list_vnet_links, "LIST_VNET_LINKS", JOB_LIST_VNET_LINKS,
         start_vnet_links, job_vault_ref_free, kv_vnet_link_free_item);
NET_TYPE(job_type_get_permissions, "GET_PERMISSIONS", JOB_GET_PERMISSIONS,
         start_permissions, job_vault_ref_free, kv_permissions_free_item);
NET_TYPE(job_type_list_arm_secrets, "LIST_ARM_SECRETS", JOB_LIST_ARM_SECRETS,
         start_arm_secrets, job_vault_ref_free, kv_secret_item_free_item);
#undef NET_TYPE

const struct job_type job_type_get_private_endpoint = {
    .name = "GET_PRIVATE_ENDPOINT",
    .kind = JOB_GET_PRIVATE_ENDPOINT,
    .start = start_private_endpoint,
    .cancel = cancel_private_endpoint,
    .free_params = job_vault_ref_free,
    .free_item = kv_private_endpoint_free_item,
};
