/*
 * job-dns.c — JOB_CHECK_DNS: does this host resolve a vault's name to
 * the private endpoint's address? The check is dns-lookup.h's (kvdeck's
 * resolve overrides first, localhost names as curl takes them, else
 * getaddrinfo() on a thread of its own, so the worker's loop keeps
 * serving other jobs); the worker looks for its answer on a short timer.
 * Cancelling only lets go of the worker's reference to the lookup: the
 * detached thread finishes on its own and frees it.
 */
#include "config.h"

#include <stdlib.h>

#include "base/xalloc.h"
#include "engine/dns-lookup.h"
#include "engine/run.h"
#include "engine/worker.h"

#define POLL_MS 20

struct dns_job {
    struct job_run *run;
    struct dns_lookup *lk;
    uint64_t timer;
    struct kv_dns_check *check; /* being filled */
};

static void
check_item_free(void *p)
{
    kv_dns_check_free(p);
}

/* Delivers the check and ends the run. */
static void
finish(struct dns_job *dj)
{
    struct job_run *run = dj->run;
    struct vec one = VEC_INIT;
    vec_push(&one, dj->check);
    run->state = NULL;
    free(dj);
    run_page(run, &one, false);
    vec_free(&one);
    run_done(run, NULL);
}

static void
poll_lookup(void *ud)
{
    struct dns_job *dj = ud;
    dj->timer = 0;
    if (!dns_check_poll(dj->lk, dj->check)) {
        dj->timer = az_client_after(dj->run->client, POLL_MS, poll_lookup, dj);
        return;
    }
    dj->lk = NULL; /* released by the poll */
    finish(dj);
}

static void
start_check_dns(struct job_run *run)
{
    struct job_dns_check *p = run->job->params;
    if (!run_param_set(p->host)) {
        run_missing(run);
        return;
    }
    struct dns_job *dj = xcalloc(1, sizeof *dj);
    dj->run = run;
    run->state = dj;
    dj->lk =
        dns_check_begin(&run->e->resolve, p->host, p->expected, &dj->check);
    if (dj->lk == NULL) {
        dns_check_finish(dj->check);
        finish(dj);
        return;
    }
    dj->timer = az_client_after(run->client, 0, poll_lookup, dj);
}

static void
cancel_check_dns(struct job_run *run)
{
    struct dns_job *dj = run->state;
    if (dj == NULL)
        return;
    if (dj->timer != 0)
        az_client_cancel(run->client, dj->timer);
    dns_lookup_release(dj->lk);
    kv_dns_check_free(dj->check);
    free(dj);
    run->state = NULL;
}

static void
dns_params_free(void *p)
{
    struct job_dns_check *d = p;
    if (d == NULL)
        return;
    free(d->host);
    free(d->expected);
    free(d);
}

const struct job_type job_type_check_dns = {
    .name = "CHECK_DNS",
    .kind = JOB_CHECK_DNS,
    .start = start_check_dns,
    .cancel = cancel_check_dns,
    .free_params = dns_params_free,
    .free_item = check_item_free,
};
