/*
 * job-endpoints.c — JOB_LIST_ENDPOINT_CONNECTIONS: a vault's private
 * endpoint connections, each completed from its private endpoint (GET,
 * Microsoft.Network) and that endpoint's DNS zone groups (their A
 * records), issue #10.
 *
 * The connection list goes on page by page while the endpoints of the
 * pages already listed are read, at most READS_AT_ONCE at a time; a page
 * is delivered (in order) once all its endpoints were read. An endpoint
 * that cannot be read (another tenant, no Reader right on it, gone) is
 * no failure of the job: the connection says so (endpoint_read false,
 * endpoint_error) and the pane shows "unknown". A failure of the list
 * itself ends the job.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/ops.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/run.h"

#define READS_AT_ONCE 4

struct ep_page {
    struct vec items; /* struct kv_endpoint_connection * */
    bool more;
    size_t started; /* connections whose reads began */
    size_t left;    /* connections whose reads are not finished */
};

struct ep_job;

/* The reads of one connection: its endpoint, then its zone groups. */
struct ep_read {
    struct ep_job *j;
    struct ep_page *pg;
    struct kv_endpoint_connection *c;
    struct az_op *op;
    char *nic_id; /* the endpoint's NIC, for its address */
};

struct ep_job {
    struct job_run *run;
    struct az_op *list; /* the connection list, while it runs */
    bool listed;        /* the list ended well */
    struct vec pages;   /* struct ep_page *, oldest first */
    struct vec reads;   /* struct ep_read * in flight */
};

static void pump(struct ep_job *j);

static void
page_free(struct ep_page *pg)
{
    az_op_free_items(AZ_ITEM_PEC, &pg->items);
    free(pg);
}

static void
ep_job_free(struct ep_job *j)
{
    for (size_t i = 0; i < j->reads.len; i++) {
        struct ep_read *r = j->reads.items[i];
        az_op_cancel(r->op);
        free(r->nic_id);
        free(r);
    }
    vec_free(&j->reads);
    for (size_t i = 0; i < j->pages.len; i++)
        page_free(j->pages.items[i]);
    vec_free(&j->pages);
    az_op_cancel(j->list);
    free(j);
}

/* A sentence for an endpoint that could not be read. */
static char *
read_error(const struct az_failure *f)
{
    if (f->http_status == 404)
        return xasprintf(_("the private endpoint was not found (HTTP 404%s%s)"),
                         f->code != NULL ? ", " : "",
                         f->code != NULL ? f->code : "");
    if (f->code != NULL)
        return xasprintf("%s (%s)", f->message, f->code);
    return xstrdup(f->message);
}

/* One connection's reads are over: account, deliver what is ready. */
static void
read_finished(struct ep_read *r)
{
    struct ep_job *j = r->j;
    for (size_t i = 0; i < j->reads.len; i++)
        if (j->reads.items[i] == r) {
            vec_remove(&j->reads, i);
            break;
        }
    r->pg->left--;
    free(r->nic_id);
    free(r);
    pump(j);
}

/* ---- the zone groups ---------------------------------------------------- */

static void
groups_page(void *ud, struct vec *items, bool more)
{
    struct ep_read *r = ud;
    struct kv_endpoint_connection *c = r->c;
    (void)more;
    for (size_t i = 0; i < items->len; i++) {
        struct kv_zone_group *g = items->items[i];
        if (g->n_records == 0)
            continue; /* a group without record sets (yet) */
        c->records = xreallocarray(c->records, c->n_records + g->n_records,
                                   sizeof *c->records);
        memcpy(c->records + c->n_records, g->records,
               g->n_records * sizeof *g->records);
        c->n_records += g->n_records;
        free(g->records); /* the records moved */
        g->records = NULL;
        g->n_records = 0;
    }
}

/* ---- the address, when the endpoint did not say it ---------------------- */

static void
nic_page(void *ud, struct vec *items, bool more)
{
    struct ep_read *r = ud;
    (void)more;
    /* a NIC read as a private endpoint: its ipConfigurations' first
     * private address lands in private_ip */
    struct kv_private_endpoint *nic = items->len > 0 ? items->items[0] : NULL;
    if (nic != NULL && nic->private_ip != NULL && r->c->private_ip == NULL) {
        r->c->private_ip = nic->private_ip;
        nic->private_ip = NULL;
    }
}

static void
nic_done(void *ud, const struct az_failure *f)
{
    struct ep_read *r = ud;
    (void)f; /* the address stays unknown */
    r->op = NULL;
    read_finished(r);
}

static void read_wait(void *ud, const struct az_http_wait *w);

static const struct az_op_cb nic_cb = {
    .page = nic_page,
    .done = nic_done,
    .wait = read_wait,
};

static void
groups_done(void *ud, const struct az_failure *f)
{
    struct ep_read *r = ud;
    struct kv_endpoint_connection *c = r->c;
    r->op = NULL;
    c->zone_groups_read = f == NULL;
    /* newer endpoints with a zone group leave customDnsConfigs empty: the
     * zone group's A record, else the NIC, knows the address */
    for (size_t i = 0; c->private_ip == NULL && i < c->n_records; i++)
        if (c->records[i].addresses.n > 0)
            c->private_ip = xstrdup(c->records[i].addresses.items[0]);
    if (c->private_ip == NULL && r->nic_id != NULL) {
        r->op = az_arm_get(r->j->run->client, r->nic_id, AZ_API_NETWORK,
                           AZ_ITEM_PRIVATE_ENDPOINT, &nic_cb, r);
        return;
    }
    read_finished(r);
}

static void
read_wait(void *ud, const struct az_http_wait *w)
{
    struct ep_read *r = ud;
    run_op_cb.wait(r->j->run, w);
}

static const struct az_op_cb groups_cb = {
    .page = groups_page,
    .done = groups_done,
    .wait = read_wait,
};

/* ---- the endpoint -------------------------------------------------------- */

static void
endpoint_page(void *ud, struct vec *items, bool more)
{
    struct ep_read *r = ud;
    struct kv_endpoint_connection *c = r->c;
    (void)more;
    if (items->len == 0)
        return;
    struct kv_private_endpoint *e = items->items[0];
    c->endpoint_read = true;
    c->subnet_id = e->subnet_id;
    e->subnet_id = NULL;
    c->private_ip = e->private_ip;
    e->private_ip = NULL;
    c->endpoint_location = e->location;
    e->location = NULL;
    r->nic_id = e->nic_id;
    e->nic_id = NULL;
}

static void
endpoint_done(void *ud, const struct az_failure *f)
{
    struct ep_read *r = ud;
    struct kv_endpoint_connection *c = r->c;
    r->op = NULL;
    if (f != NULL || !c->endpoint_read) {
        c->endpoint_read = false;
        c->endpoint_error =
            f != NULL ? read_error(f)
                      : xstrdup(_("the private endpoint's answer was empty"));
        read_finished(r);
        return;
    }
    char *path = xasprintf("%s/privateDnsZoneGroups", c->private_endpoint_id);
    r->op = az_arm_list(r->j->run->client, path, AZ_API_NETWORK,
                        AZ_ITEM_ZONE_GROUP, &groups_cb, r);
    free(path);
}

static const struct az_op_cb endpoint_cb = {
    .page = endpoint_page,
    .done = endpoint_done,
    .wait = read_wait,
};

/* Starts the reads of the next connections (bounded); delivers the
 * finished pages in order; ends the job when all is done. */
static void
pump(struct ep_job *j)
{
    for (size_t p = 0; p < j->pages.len && j->reads.len < READS_AT_ONCE; p++) {
        struct ep_page *pg = j->pages.items[p];
        while (pg->started < pg->items.len && j->reads.len < READS_AT_ONCE) {
            struct kv_endpoint_connection *c = pg->items.items[pg->started++];
            if (!run_param_set(c->private_endpoint_id)) {
                c->endpoint_error =
                    xstrdup(_("the connection names no private endpoint"));
                pg->left--;
                continue;
            }
            struct ep_read *r = xcalloc(1, sizeof *r);
            r->j = j;
            r->pg = pg;
            r->c = c;
            vec_push(&j->reads, r);
            r->op = az_arm_get(j->run->client, c->private_endpoint_id,
                               AZ_API_NETWORK, AZ_ITEM_PRIVATE_ENDPOINT,
                               &endpoint_cb, r);
        }
    }
    while (j->pages.len > 0) {
        struct ep_page *pg = j->pages.items[0];
        if (pg->left > 0)
            return;
        vec_remove(&j->pages, 0);
        run_page(j->run, &pg->items, pg->more);
        page_free(pg);
    }
    if (j->listed && j->list == NULL) {
        struct job_run *run = j->run;
        run->state = NULL;
        ep_job_free(j);
        run_done(run, NULL);
    }
}

/* ---- the connection list ---------------------------------------------- */

static void
list_page(void *ud, struct vec *items, bool more)
{
    struct ep_job *j = ud;
    struct ep_page *pg = xcalloc(1, sizeof *pg);
    pg->items = *items;
    vec_init(items);
    pg->more = more;
    pg->left = pg->items.len;
    vec_push(&j->pages, pg);
    pump(j); /* the reads start now, while the list goes on */
}

static void
list_done(void *ud, const struct az_failure *f)
{
    struct ep_job *j = ud;
    j->list = NULL;
    if (f != NULL) {
        struct job_run *run = j->run;
        run->state = NULL;
        ep_job_free(j);
        run_fail(run, f, NULL);
        return;
    }
    j->listed = true;
    pump(j);
}

static void
list_wait(void *ud, const struct az_http_wait *w)
{
    struct ep_job *j = ud;
    run_op_cb.wait(j->run, w);
}

static const struct az_op_cb list_cb = {
    .page = list_page,
    .done = list_done,
    .wait = list_wait,
};

static void
start_endpoints(struct job_run *run)
{
    struct job_vault_ref *p = run->job->params;
    if (!run_param_set(p->vault_id)) {
        run_missing(run);
        return;
    }
    struct ep_job *j = xcalloc(1, sizeof *j);
    j->run = run;
    vec_init(&j->pages);
    vec_init(&j->reads);
    run->state = j;
    j->list =
        az_list_endpoint_connections(run->client, p->vault_id, &list_cb, j);
}

static void
cancel_endpoints(struct job_run *run)
{
    struct ep_job *j = run->state;
    if (j != NULL)
        ep_job_free(j);
    run->state = NULL;
}

static void
connection_item_free(void *p)
{
    kv_endpoint_connection_free(p);
}

const struct job_type job_type_list_endpoint_connections = {
    .name = "LIST_ENDPOINT_CONNECTIONS",
    .kind = JOB_LIST_ENDPOINT_CONNECTIONS,
    .start = start_endpoints,
    .cancel = cancel_endpoints,
    .free_params = job_vault_ref_free,
    .free_item = connection_item_free,
};
