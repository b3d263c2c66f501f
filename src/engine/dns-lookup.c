/*
 * dns-lookup.c — one getaddrinfo() on a detached thread, its answer
 * picked up by the worker (see dns-lookup.h). The thread and the worker
 * share the struct under its mutex; the last reference frees it. Then
 * the DNS check made of it (overrides, localhost, the comparison).
 */
#include "config.h"

#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "azure/resolve.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/dns-lookup.h"

struct dns_lookup {
    pthread_mutex_t mu;
    int refs;  /* (mu) the thread's and the caller's */
    bool done; /* (mu) */
    char *host;
    struct kv_strlist addresses; /* (mu until done) */
    char *error;                 /* (mu until done) */
};

static void
release(struct dns_lookup *lk)
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
    struct dns_lookup *lk = arg;
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
    release(lk);
    return NULL;
}

struct dns_lookup *
dns_lookup_start(const char *host)
{
    struct dns_lookup *lk = xcalloc(1, sizeof *lk);
    pthread_mutex_init(&lk->mu, NULL);
    lk->refs = 2;
    lk->host = xstrdup(host != NULL ? host : "");
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int err = pthread_create(&t, &attr, lookup_main, lk);
    pthread_attr_destroy(&attr);
    if (err != 0) {
        lk->refs = 1; /* no thread took its reference */
        lk->error =
            xasprintf(_("cannot start the name lookup: %s"), strerror(err));
        lk->done = true;
    }
    return lk;
}

bool
dns_lookup_poll(struct dns_lookup *lk, struct kv_strlist *addrs, char **error)
{
    pthread_mutex_lock(&lk->mu);
    bool done = lk->done;
    pthread_mutex_unlock(&lk->mu);
    if (!done)
        return false;
    /* done: the thread no longer touches the answer */
    *addrs = lk->addresses;
    memset(&lk->addresses, 0, sizeof lk->addresses);
    *error = lk->error;
    lk->error = NULL;
    return true;
}

void
dns_lookup_release(struct dns_lookup *lk)
{
    if (lk != NULL)
        release(lk);
}

/* ---- the check ----------------------------------------------------------- */

/* Adds the addresses of an override ("a,b,[::1]") without brackets. */
static void
add_override(struct kv_strlist *l, const char *addrs)
{
    for (const char *a = addrs; *a != '\0';) {
        size_t n = strcspn(a, ",");
        if (n >= 2 && a[0] == '[' && a[n - 1] == ']') {
            a++;
            n -= 2;
        }
        if (n > 0) {
            char *v = xasprintf("%.*s", (int)n, a);
            kv_strlist_add(l, v);
            free(v);
        }
        a += n;
        a += strspn(a, "],");
    }
}

/* "localhost" and names under it: curl never asks the resolver for them
 * and connects to loopback (RFC 6761), so that is where kvdeck goes. */
static bool
is_localhost(const char *host)
{
    static const char sfx[] = ".localhost";
    size_t n = strlen(host);
    return str_ieq(host, "localhost") ||
           (n > sizeof sfx - 1 && str_ieq(host + n - (sizeof sfx - 1), sfx));
}

struct dns_lookup *
dns_check_begin(const struct kv_strlist *resolve, const char *target,
                const char *expected, struct kv_dns_check **out)
{
    struct kv_dns_check *c = xcalloc(1, sizeof *c);
    char *host = NULL;
    long port = 443;
    *out = c;
    c->expected = expected != NULL ? xstrdup(expected) : NULL;
    if (target == NULL || !az_resolve_target(target, &host, &port)) {
        c->host = xstrdup(target != NULL ? target : "");
        c->error = xasprintf(_("not a host name or URL: %s"), c->host);
        return NULL;
    }
    c->host = host;
    char *addrs =
        resolve != NULL ? az_resolve_lookup(resolve, host, port) : NULL;
    if (addrs != NULL) {
        c->overridden = true;
        add_override(&c->addresses, addrs);
        free(addrs);
        return NULL;
    }
    if (is_localhost(host)) {
        kv_strlist_add(&c->addresses, "127.0.0.1");
        kv_strlist_add(&c->addresses, "::1");
        return NULL;
    }
    return dns_lookup_start(host);
}

bool
dns_check_poll(struct dns_lookup *lk, struct kv_dns_check *c)
{
    char *error = NULL;
    if (!dns_lookup_poll(lk, &c->addresses, &error))
        return false;
    free(c->error);
    c->error = error;
    dns_lookup_release(lk);
    dns_check_finish(c);
    return true;
}

void
dns_check_finish(struct kv_dns_check *c)
{
    c->resolved = c->addresses.n > 0;
    c->matches = false;
    for (size_t i = 0; c->expected != NULL && i < c->addresses.n; i++)
        if (str_ieq(c->addresses.items[i], c->expected))
            c->matches = true;
}
