/*
 * job-dns.c — JOB_CHECK_DNS: does this host resolve a vault's name to
 * the private endpoint's address? kvdeck's own resolve overrides answer
 * first (they are what its connections use, as curl's --resolve); else
 * getaddrinfo() runs on a thread of its own, so the worker's loop keeps
 * serving other jobs, and the worker looks for its answer on a short
 * timer.
 *
 * The thread and the worker share one struct lookup under its mutex,
 * with a reference each; whoever lets go last frees it. Cancelling the
 * job only lets go of the worker's reference: getaddrinfo() cannot be
 * interrupted, the detached thread finishes on its own (within the
 * resolver's timeout) and frees the lookup; nothing it touches belongs
 * to the job any more.
 */
#include "config.h"

#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "azure/resolve.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/run.h"
#include "engine/worker.h"

#define POLL_MS 20

struct lookup {
    pthread_mutex_t mu;
    int refs;  /* (mu) the thread's and the worker's */
    bool done; /* (mu) */
    char *host;
    /* the answer (mu until done; then only the worker reads it) */
    struct kv_strlist addresses;
    char *error;
};

struct dns_job {
    struct job_run *run;
    struct lookup *lk;
    uint64_t timer;
    struct kv_dns_check *check; /* being filled */
};

/* Lets go of one reference; the last frees. */
static void
lookup_release(struct lookup *lk)
{
    pthread_mutex_lock(&lk->mu);
    bool last = --lk->refs == 0;
    pthread_mutex_unlock(&lk->mu);
    if (!last)
        return;
    pthread_mutex_destroy(&lk->mu);
    free(lk->host);
    kv_strlist_free(&lk->addresses);
    free(lk->error);
    free(lk);
}

static void *
lookup_main(void *arg)
{
    struct lookup *lk = arg;
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    struct kv_strlist found = {0};
    char *error = NULL;

    int rc = getaddrinfo(lk->host, NULL, &hints, &res);
    if (rc != 0) {
        error = xstrdup(gai_strerror(rc));
    } else {
        for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
            char addr[NI_MAXHOST];
            if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof addr,
                            NULL, 0, NI_NUMERICHOST) != 0)
                continue;
            bool seen = false;
            for (size_t i = 0; i < found.n && !seen; i++)
                seen = strcmp(found.items[i], addr) == 0;
            if (!seen)
                kv_strlist_add(&found, addr);
        }
        freeaddrinfo(res);
    }
    pthread_mutex_lock(&lk->mu);
    lk->addresses = found;
    lk->error = error;
    lk->done = true;
    pthread_mutex_unlock(&lk->mu);
    lookup_release(lk);
    return NULL;
}

static void
check_item_free(void *p)
{
    kv_dns_check_free(p);
}

static void
dns_job_free(struct dns_job *dj)
{
    if (dj == NULL)
        return;
    if (dj->lk != NULL)
        lookup_release(dj->lk);
    kv_dns_check_free(dj->check);
    free(dj);
}

/* Compares the addresses with the expected one, delivers and ends. */
static void
finish(struct dns_job *dj)
{
    struct job_run *run = dj->run;
    struct kv_dns_check *c = dj->check;
    dj->check = NULL;
    c->resolved = c->addresses.n > 0;
    for (size_t i = 0; c->expected != NULL && i < c->addresses.n; i++)
        if (str_ieq(c->addresses.items[i], c->expected))
            c->matches = true;
    run->state = NULL;
    dns_job_free(dj);
    struct vec one = VEC_INIT;
    vec_push(&one, c);
    run_page(run, &one, false);
    vec_free(&one);
    run_done(run, NULL);
}

static void
poll_lookup(void *ud)
{
    struct dns_job *dj = ud;
    struct lookup *lk = dj->lk;
    dj->timer = 0;
    pthread_mutex_lock(&lk->mu);
    bool done = lk->done;
    pthread_mutex_unlock(&lk->mu);
    if (!done) {
        dj->timer = az_client_after(dj->run->client, POLL_MS, poll_lookup, dj);
        return;
    }
    /* done: the thread no longer writes the answer */
    dj->check->addresses = lk->addresses;
    memset(&lk->addresses, 0, sizeof lk->addresses);
    if (lk->error != NULL)
        dj->check->error = xstrdup(lk->error);
    finish(dj);
}

/* Adds the addresses of an override ("a,b,[::1]") without brackets. */
static void
add_override(struct kv_strlist *l, const char *addrs)
{
    for (const char *a = addrs; *a != '\0';) {
        size_t n = strcspn(a, ",");
        if (n >= 2 && a[0] == '[' && a[n - 1] == ']') {
            char *v = xstrndup(a + 1, n - 2);
            kv_strlist_add(l, v);
            free(v);
        } else if (n > 0) {
            char *v = xstrndup(a, n);
            kv_strlist_add(l, v);
            free(v);
        }
        a += n;
        if (*a == ',')
            a++;
    }
}

static void
start_check_dns(struct job_run *run)
{
    struct job_dns_check *p = run->job->params;
    char *host = NULL;
    long port = 443;
    if (!run_param_set(p->host)) {
        run_missing(run);
        return;
    }
    if (!az_resolve_target(p->host, &host, &port)) {
        char *msg = xasprintf(_("not a host name or URL: %s"), p->host);
        run_fail_msg(run, KV_ERR_INVALID, msg);
        free(msg);
        return;
    }
    struct dns_job *dj = xcalloc(1, sizeof *dj);
    dj->run = run;
    run->state = dj;
    dj->check = xcalloc(1, sizeof *dj->check);
    dj->check->host = host;
    dj->check->expected = p->expected != NULL ? xstrdup(p->expected) : NULL;

    char *addrs = az_resolve_lookup(&run->e->resolve, host, port);
    if (addrs != NULL) {
        dj->check->overridden = true;
        add_override(&dj->check->addresses, addrs);
        free(addrs);
        finish(dj);
        return;
    }
    struct lookup *lk = xcalloc(1, sizeof *lk);
    pthread_mutex_init(&lk->mu, NULL);
    lk->refs = 2;
    lk->host = xstrdup(host);
    dj->lk = lk;
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int err = pthread_create(&t, &attr, lookup_main, lk);
    pthread_attr_destroy(&attr);
    if (err != 0) {
        lk->refs = 1; /* no thread took its reference */
        dj->check->error =
            xasprintf(_("cannot start the name lookup: %s"), strerror(err));
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
    dns_job_free(dj);
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
