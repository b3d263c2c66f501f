/*
 * auth.c — the token cache (see auth.h). Entries are few (one per tenant
 * and scope: ARM plus one per vault resource), so they live in a vector.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/auth.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/vec.h"
#include "base/xalloc.h"

struct waiter {
    uint64_t id;
    uint64_t seq;    /* the fetch it waits for */
    struct entry *e; /* in the ready list: the entry to answer from */
    const char *why; /* in the ready list without e: why it fails */
    az_auth_fn fn;
    void *ud;
};

struct entry {
    struct az_auth *a;
    char *tenant, *scope;
    struct secret *token;
    int64_t obtained, expires;
    uint64_t fetch_id;  /* credential acquire in flight, 0 none */
    uint64_t fetch_seq; /* number of the latest fetch started */
    struct vec waiters; /* struct waiter * */
};

struct az_auth {
    struct az_credential *cred;
    char *missing_why;
    struct az_http *h;
    struct vec entries; /* struct entry * */
    struct vec ready;   /* struct waiter * to call from dispatch, with
                           the cache's answer (or the missing_why) */
    uint64_t next_waiter;
};

struct az_auth *
az_auth_new(struct az_credential *cred, const char *missing_why,
            struct az_http *h)
{
    struct az_auth *a = xcalloc(1, sizeof *a);
    a->cred = cred;
    a->missing_why =
        xstrdup(missing_why != NULL ? missing_why : _("no credential"));
    a->h = h;
    a->next_waiter = 1;
    return a;
}

static void
entry_free(struct entry *e)
{
    free(e->tenant);
    free(e->scope);
    secret_free(e->token);
    vec_free_all(&e->waiters, free);
    free(e);
}

void
az_auth_free(struct az_auth *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->entries.len; i++) {
        struct entry *e = a->entries.items[i];
        if (e->fetch_id != 0 && a->cred != NULL)
            a->cred->ops->cancel(a->cred, a->h, e->fetch_id);
        entry_free(e);
    }
    vec_free(&a->entries);
    vec_free_all(&a->ready, free);
    az_credential_free(a->cred);
    free(a->missing_why);
    free(a);
}

const char *
az_auth_tenant(const struct az_auth *a)
{
    return a->cred != NULL ? a->cred->tenant : NULL;
}

void
az_auth_set_tenant(struct az_auth *a, const char *tenant)
{
    if (a->cred == NULL || tenant == NULL)
        return;
    free(a->cred->tenant);
    a->cred->tenant = xstrdup(tenant);
}

const char *
az_auth_name(const struct az_auth *a)
{
    return a->cred != NULL ? a->cred->name : NULL;
}

int64_t
az_auth_margin(int64_t obtained, int64_t expires)
{
    int64_t life = expires - obtained;
    int64_t m = life / 4;
    return m < 300 ? m : 300;
}

static struct entry *
find_entry(struct az_auth *a, const char *tenant, const char *scope,
           bool create)
{
    for (size_t i = 0; i < a->entries.len; i++) {
        struct entry *e = a->entries.items[i];
        if (str_ieq(e->tenant, tenant) && str_eq(e->scope, scope))
            return e;
    }
    if (!create)
        return NULL;
    struct entry *e = xcalloc(1, sizeof *e);
    e->a = a;
    e->tenant = xstrdup(tenant);
    e->scope = xstrdup(scope);
    vec_push(&a->entries, e);
    return e;
}

static bool
entry_valid(const struct entry *e)
{
    return e->token != NULL &&
           time_now() < e->expires - az_auth_margin(e->obtained, e->expires);
}

const struct secret *
az_auth_cached(struct az_auth *a, const char *tenant, const char *scope)
{
    struct entry *e = find_entry(a, tenant, scope, false);
    return e != NULL && entry_valid(e) ? e->token : NULL;
}

/* Calls every waiter of e that joined fetch number seq or earlier. The
 * list is re-read after each call: a callback may cancel other waiters
 * or start a new fetch (whose waiters must not get this answer). */
static void
notify(struct entry *e, uint64_t seq, enum kv_status st, const char *why,
       long http_status)
{
    for (;;) {
        struct waiter *w = NULL;
        for (size_t i = 0; i < e->waiters.len; i++) {
            struct waiter *c = e->waiters.items[i];
            if (c->seq <= seq) {
                w = vec_remove(&e->waiters, i);
                break;
            }
        }
        if (w == NULL)
            return;
        w->fn(w->ud, st, st == KV_OK ? e->token : NULL, why, http_status);
        free(w);
    }
}

static void
fetched(void *ud, enum kv_status st, struct secret *token, int64_t expires_at,
        char *why, long http_status)
{
    struct entry *e = ud;
    uint64_t seq = e->fetch_seq;
    e->fetch_id = 0;
    if (st == KV_OK) {
        secret_free(e->token);
        e->token = token;
        e->obtained = time_now();
        e->expires = expires_at;
        log_debug("auth: token for %s %s, valid %lld s", e->tenant, e->scope,
                  (long long)(expires_at - e->obtained));
    } else {
        secret_free(token);
        log_debug("auth: no token for %s %s: %s", e->tenant, e->scope,
                  why != NULL ? why : "");
    }
    notify(e, seq, st, why, http_status);
    free(why);
}

/* Adds w to the waiters of e's next (or current) fetch; with claims, a
 * fetch carrying them replaces the one in flight (whose token would not
 * satisfy the claims challenge). */
static void
wait_for_fetch(struct az_auth *a, struct entry *e, struct waiter *w,
               const char *claims)
{
    if (claims != NULL && e->fetch_id != 0) {
        a->cred->ops->cancel(a->cred, a->h, e->fetch_id);
        e->fetch_id = 0;
    }
    if (e->fetch_id == 0) {
        e->fetch_seq++;
        if (claims != NULL && a->cred->ops->acquire_claims != NULL)
            e->fetch_id = a->cred->ops->acquire_claims(
                a->cred, a->h, e->tenant, e->scope, claims, fetched, e);
        else
            e->fetch_id = a->cred->ops->acquire(a->cred, a->h, e->tenant,
                                                e->scope, fetched, e);
    }
    w->seq = e->fetch_seq;
    w->e = NULL;
    if (e->fetch_id == 0) { /* no request could be made: fail in dispatch */
        w->why = _("the credential could not make a token request (see the "
                   "debug log)");
        vec_push(&a->ready, w);
        return;
    }
    vec_push(&e->waiters, w);
}

uint64_t
az_auth_fetch(struct az_auth *a, const char *tenant, const char *scope,
              az_auth_fn fn, void *ud)
{
    struct waiter *w = xcalloc(1, sizeof *w);
    w->id = a->next_waiter++;
    w->fn = fn;
    w->ud = ud;
    if (a->cred == NULL || tenant == NULL) {
        vec_push(&a->ready, w); /* fails in dispatch */
        return w->id;
    }
    struct entry *e = find_entry(a, tenant, scope, true);
    if (entry_valid(e)) {
        w->e = e; /* answered from the cache in dispatch */
        vec_push(&a->ready, w);
        return w->id;
    }
    wait_for_fetch(a, e, w, NULL);
    return w->id;
}

uint64_t
az_auth_fetch_claims(struct az_auth *a, const char *tenant, const char *scope,
                     const char *claims, az_auth_fn fn, void *ud)
{
    if (a->cred == NULL || tenant == NULL || claims == NULL) {
        az_auth_invalidate(a, tenant, scope);
        return az_auth_fetch(a, tenant, scope, fn, ud);
    }
    struct waiter *w = xcalloc(1, sizeof *w);
    w->id = a->next_waiter++;
    w->fn = fn;
    w->ud = ud;
    struct entry *e = find_entry(a, tenant, scope, true);
    secret_free(e->token);
    e->token = NULL;
    log_debug("auth: claims challenge for %s %s: a fresh token%s", tenant,
              scope,
              a->cred->ops->acquire_claims != NULL ? " with the claims"
                                                   : " (the source takes no "
                                                     "claims)");
    wait_for_fetch(a, e, w, claims);
    return w->id;
}

static bool
take_waiter(struct vec *v, uint64_t id)
{
    for (size_t i = 0; i < v->len; i++) {
        struct waiter *w = v->items[i];
        if (w->id == id) {
            free(vec_remove(v, i));
            return true;
        }
    }
    return false;
}

void
az_auth_cancel(struct az_auth *a, uint64_t waiter)
{
    if (take_waiter(&a->ready, waiter))
        return;
    for (size_t i = 0; i < a->entries.len; i++) {
        struct entry *e = a->entries.items[i];
        if (take_waiter(&e->waiters, waiter))
            return; /* the fetch goes on: the token will serve others */
    }
}

void
az_auth_invalidate(struct az_auth *a, const char *tenant, const char *scope)
{
    struct entry *e = find_entry(a, tenant, scope, false);
    if (e != NULL && e->token != NULL) {
        secret_free(e->token);
        e->token = NULL;
    }
}

void
az_auth_reset_sign_in(struct az_auth *a, bool cancel)
{
    if (a->cred != NULL && a->cred->ops->reset != NULL)
        a->cred->ops->reset(a->cred, a->h, cancel);
}

bool
az_auth_has_ready(const struct az_auth *a)
{
    return a->ready.len > 0;
}

bool
az_auth_dispatch(struct az_auth *a)
{
    bool any = false;
    while (a->ready.len > 0) {
        struct waiter *w = vec_remove(&a->ready, 0);
        any = true;
        if (w->e == NULL) { /* no credential (or no tenant to ask) */
            w->fn(w->ud, KV_ERR_AUTH, NULL,
                  w->why != NULL    ? w->why
                  : a->cred == NULL ? a->missing_why
                                    : _("no tenant to ask a token from"),
                  0);
            free(w);
        } else if (entry_valid(w->e)) {
            w->fn(w->ud, KV_OK, w->e->token, NULL, 0);
            free(w);
        } else { /* invalidated meanwhile */
            wait_for_fetch(a, w->e, w, NULL);
        }
    }
    return any;
}
