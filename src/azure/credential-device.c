/*
 * credential-device.c — the device-code credential (credential-device.h):
 *
 *   acquire ─┬─ refresh token known ─▶ refresh_token grant ─▶ token
 *            │        (invalid_grant: forget it, fall through)
 *            └─ none ─▶ join the device flow (one at a time):
 *                 POST …/devicecode ─▶ notify CODE ─▶ timer(interval) ─▶
 *                 POST …/token (device_code grant)
 *                   pending ─▶ timer(interval); slow_down ─▶ +5 s, notify
 *                   token   ─▶ keep the refresh token; waiters for the
 *                              flow's (tenant, scope) get the token, the
 *                              others redeem the refresh token
 *                   declined, expired, bad code ─▶ failed state, notify
 *
 * Waiting between polls is a transport timer (az_http_after), so the
 * worker keeps serving every other request. The device code and the
 * refresh token live in secure memory and never reach the log; the user
 * code is logged neither (whoever reads the log could approve it with
 * their own account). Every callback to a waiter runs from the
 * transport's loop, never inside acquire().
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/credential-device.h"
#include "azure/credential-int.h"
#include "azure/token-store.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"

struct waiter {
    struct az_credential *cred;
    struct az_http *h;
    uint64_t id;
    char *tenant, *scope;
    uint64_t http_id;  /* a refresh in flight */
    uint64_t rt_gen;   /* of the refresh token it redeems */
    uint64_t timer_id; /* a failure waiting for the next turn */
    bool in_flow;      /* waits for the device flow */
    enum kv_status fail_st;
    char *fail_why;
    az_credential_done_fn done;
    void *ud;
};

struct flow {
    struct az_credential *cred;
    struct az_http *h;
    char *tenant, *scope;
    struct az_device_grant g;
    uint64_t http_id, timer_id;
    bool started; /* the code was shown */
};

struct device_priv {
    char *client_id;
    az_device_fn notify;
    void *notify_ud;
    const struct az_token_store *store;
    bool looked_up;
    struct secret *rt; /* the newest refresh token */
    uint64_t rt_gen;   /* counts the refresh tokens kept */
    char *account;
    uint64_t next_id;
    struct vec waiters; /* struct waiter * */
    struct flow *flow;
    enum kv_status failed; /* KV_OK, or why every acquire fails */
    char *failed_why;
    char *kept_only_why; /* no device code: fail with this instead */
};

static void join_flow(struct waiter *w);
static void refresh(struct waiter *w);

/* ---- small pieces ------------------------------------------------------ */

static void
tell(struct device_priv *p, const struct az_device_notice *n)
{
    if (p->notify != NULL)
        p->notify(p->notify_ud, n);
}

static void
waiter_free(struct waiter *w)
{
    free(w->tenant);
    free(w->scope);
    free(w->fail_why);
    free(w);
}

/* Takes w off the list and answers it; frees w. Takes token and why. */
static void
answer(struct waiter *w, enum kv_status st, struct secret *token,
       int64_t expires_at, char *why, long http_status)
{
    struct device_priv *p = w->cred->priv;
    for (size_t i = 0; i < p->waiters.len; i++)
        if (p->waiters.items[i] == w)
            vec_remove(&p->waiters, i);
    az_credential_done_fn done = w->done;
    void *ud = w->ud;
    waiter_free(w);
    done(ud, st, token, expires_at, why, http_status);
}

static void
fail_now(void *ud)
{
    struct waiter *w = ud;
    w->timer_id = 0;
    char *why = w->fail_why;
    w->fail_why = NULL;
    answer(w, w->fail_st, NULL, 0, why, 0);
}

/* Fails w on the transport's next turn (never inside acquire). */
static void
fail_later(struct waiter *w, enum kv_status st, const char *why)
{
    w->in_flow = false;
    w->fail_st = st;
    free(w->fail_why);
    w->fail_why = xstrdup(why);
    w->timer_id = az_http_after(w->h, 0, fail_now, w);
}

/* "SCOPE offline_access openid profile" */
static char *
scopes(const char *scope)
{
    return xasprintf("%s %s", scope, AZ_DEVICE_EXTRA_SCOPES);
}

/* The devicecode endpoint beside the token endpoint: …/token -> …/
 * devicecode (v2.0 and AD FS alike). */
static char *
devicecode_url(const struct az_cloud *cloud, const char *tenant)
{
    char *tok = az_cloud_token_url(cloud, tenant);
    size_t n = strlen(tok);
    if (n >= 5 && str_eq(tok + n - 5, "token"))
        tok[n - 5] = '\0';
    char *url = xasprintf("%sdevicecode", tok);
    free(tok);
    return url;
}

static uint64_t
post(struct az_http *h, const char *url, struct secret *body,
     az_http_done_fn fn, void *ud)
{
    struct az_request *req = az_request_new("POST", url);
    req->secret_body = body;
    req->safe_to_replay = true; /* polls and grants have no side effect */
    req->secret_response = true;
    az_request_header(req, "Content-Type: application/x-www-form-urlencoded");
    return az_http_send(h, req, fn, NULL, ud);
}

/* Keeps a new refresh token (rotation) and hands it to the store. */
static void
keep_refresh_token(struct az_credential *c, struct az_user_token *t)
{
    struct device_priv *p = c->priv;
    if (t->account != NULL) {
        free(p->account);
        p->account = xstrdup(t->account);
    }
    if (t->refresh_token == NULL)
        return;
    secret_free(p->rt);
    p->rt = t->refresh_token;
    p->rt_gen++;
    t->refresh_token = NULL;
    if (p->store != NULL && p->store->store != NULL && p->account != NULL) {
        struct az_token_key key = {c->cloud->name, c->tenant, p->account,
                                   p->client_id};
        p->store->store(p->store->ud, &key, p->rt);
    }
}

/* ---- the refresh token -------------------------------------------------- */

static void
refreshed(void *ud, struct az_request *req, struct az_response *resp)
{
    struct waiter *w = ud;
    struct device_priv *p = w->cred->priv;
    struct az_user_token t;
    char *why = NULL;
    size_t len = 0;
    const char *body = az_response_body(resp, &len);
    w->http_id = 0;
    enum az_device_poll r =
        az_device_parse_poll(resp->result == KV_OK ? resp->status : 0, body,
                             len, time_now(), &t, &why);
    long status = resp->status;
    az_request_free(req);
    az_response_free(resp);
    if (r == AZ_POLL_TOKEN) {
        keep_refresh_token(w->cred, &t);
        log_debug("auth: device code: refresh token redeemed for %s", w->scope);
        struct secret *tok = t.access_token;
        t.access_token = NULL;
        int64_t exp = t.expires_at;
        az_user_token_clear(&t);
        answer(w, KV_OK, tok, exp, NULL, status);
        return;
    }
    if (r == AZ_POLL_INVALID_GRANT && p->rt != NULL && w->rt_gen != p->rt_gen) {
        free(why); /* refused, but a newer one came meanwhile: try that */
        refresh(w);
        return;
    }
    if (r == AZ_POLL_INVALID_GRANT) {
        /* revoked, expired, another client's: forget it, ask the person */
        log_debug("auth: device code: the refresh token was refused; a new "
                  "device code");
        if (p->store != NULL && p->store->remove != NULL) {
            struct az_token_key key = {w->cred->cloud->name, w->cred->tenant,
                                       p->account, p->client_id};
            p->store->remove(p->store->ud, &key);
        }
        secret_free(p->rt);
        p->rt = NULL;
        free(why);
        join_flow(w);
        return;
    }
    answer(w, az_device_status(r), NULL, 0, why, status);
}

static void
refresh(struct waiter *w)
{
    struct device_priv *p = w->cred->priv;
    w->rt_gen = p->rt_gen;
    char *sc = scopes(w->scope);
    const char *grant = "refresh_token";
    struct secret *body = secret_new(512 + p->rt->len * 3);
    az_form_add(&body, "grant_type", grant, strlen(grant));
    az_form_add(&body, "client_id", p->client_id, strlen(p->client_id));
    az_form_add(&body, "refresh_token", p->rt->data, p->rt->len);
    az_form_add(&body, "scope", sc, strlen(sc));
    free(sc);
    char *url = az_cloud_token_url(w->cred->cloud, w->tenant);
    log_debug("auth: device code: redeeming the refresh token for tenant %s, "
              "%s",
              w->tenant, w->scope);
    w->http_id = post(w->h, url, body, refreshed, w);
    free(url);
}

/* ---- the device flow ----------------------------------------------------- */

static void flow_end(struct device_priv *p);

/* Answers every waiter of the flow: with tok for the flow's own (tenant,
 * scope), through the refresh token for the others; or fails them. */
static void
flow_answer(struct device_priv *p, enum kv_status st, const char *why,
            const struct az_user_token *t, const char *tenant,
            const char *scope)
{
    for (size_t i = 0; i < p->waiters.len; i++) {
        struct waiter *w = p->waiters.items[i];
        if (!w->in_flow)
            continue;
        w->in_flow = false;
        if (st != KV_OK)
            fail_later(w, st, why);
        else if (str_ieq(w->tenant, tenant) && str_eq(w->scope, scope))
            continue; /* answered with the token itself, below */
        else if (p->rt != NULL)
            refresh(w);
        else
            fail_later(w, KV_ERR_AUTH,
                       _("the sign-in gave no refresh token for the other "
                         "resources (offline_access refused)"));
    }
    if (st != KV_OK || t == NULL)
        return;
    /* the token itself: answered in a second pass (answer() edits the
     * list) */
    for (;;) {
        struct waiter *w = NULL;
        for (size_t i = 0; i < p->waiters.len && w == NULL; i++) {
            struct waiter *c = p->waiters.items[i];
            if (c->http_id == 0 && c->timer_id == 0 && !c->in_flow &&
                str_ieq(c->tenant, tenant) && str_eq(c->scope, scope))
                w = c;
        }
        if (w == NULL)
            break;
        answer(w, KV_OK,
               secret_dup(t->access_token->data, t->access_token->len),
               t->expires_at, NULL, 200);
    }
}

static void poll_now(void *ud);

static void
schedule_poll(struct device_priv *p)
{
    struct flow *f = p->flow;
    f->timer_id = az_http_after(f->h, (long)f->g.interval * 1000, poll_now, p);
}

static void
notice_code(struct device_priv *p, enum az_device_event ev)
{
    struct flow *f = p->flow;
    struct az_device_notice n = {
        .event = ev,
        .user_code = f->g.user_code,
        .verification_uri = f->g.verification_uri,
        .message = f->g.message,
        .expires_at = f->g.expires_at,
        .interval = f->g.interval,
    };
    tell(p, &n);
}

/* The flow ends in failure: decline, expiry, a refused code. */
static void
flow_failed(struct device_priv *p, enum kv_status st, const char *why,
            bool sticky)
{
    log_debug("auth: device code: %s", why);
    if (sticky) {
        p->failed = st;
        free(p->failed_why);
        p->failed_why = xstrdup(why);
    }
    flow_end(p);
    flow_answer(p, st, why, NULL, NULL, NULL);
    struct az_device_notice n = {
        .event = AZ_DEVICE_FAILED, .status = st, .why = why};
    tell(p, &n);
}

static void
polled(void *ud, struct az_request *req, struct az_response *resp)
{
    struct device_priv *p = ud;
    struct flow *f = p->flow;
    struct az_user_token t;
    char *why = NULL;
    size_t len = 0;
    const char *body = az_response_body(resp, &len);
    f->http_id = 0;
    enum az_device_poll r =
        az_device_parse_poll(resp->result == KV_OK ? resp->status : 0, body,
                             len, time_now(), &t, &why);
    az_request_free(req);
    az_response_free(resp);
    switch (r) {
    case AZ_POLL_TOKEN: {
        char *tenant = xstrdup(f->tenant), *scope = xstrdup(f->scope);
        keep_refresh_token(f->cred, &t);
        log_debug("auth: device code: signed in");
        flow_end(p);
        struct az_device_notice n = {.event = AZ_DEVICE_SIGNED_IN,
                                     .account = p->account};
        tell(p, &n);
        flow_answer(p, KV_OK, NULL, &t, tenant, scope);
        az_user_token_clear(&t);
        free(tenant);
        free(scope);
        break;
    }
    case AZ_POLL_SLOW_DOWN:
        f->g.interval += 5; /* RFC 8628 3.5 */
        log_debug("auth: device code: slow_down, polling every %d s",
                  f->g.interval);
        notice_code(p, AZ_DEVICE_SLOW_DOWN);
        /* fall through */
    case AZ_POLL_PENDING:
    case AZ_POLL_RETRY:
        if (time_now() >= f->g.expires_at) {
            free(why);
            why = xstrdup(_("the sign-in code expired before it was used"));
            flow_failed(p, KV_ERR_SIGNIN_EXPIRED, why, true);
        } else {
            schedule_poll(p);
        }
        break;
    case AZ_POLL_DECLINED:
    case AZ_POLL_EXPIRED:
    case AZ_POLL_BAD_CODE:
        flow_failed(p, az_device_status(r), why, true);
        break;
    default:
        flow_failed(p, az_device_status(r), why, false);
        break;
    }
    free(why);
}

static void
poll_now(void *ud)
{
    struct device_priv *p = ud;
    struct flow *f = p->flow;
    f->timer_id = 0;
    const char *grant = "urn:ietf:params:oauth:grant-type:device_code";
    struct secret *body = secret_new(512 + f->g.device_code->len * 3);
    az_form_add(&body, "grant_type", grant, strlen(grant));
    az_form_add(&body, "client_id", p->client_id, strlen(p->client_id));
    az_form_add(&body, "device_code", f->g.device_code->data,
                f->g.device_code->len);
    /* polled on even when nobody waits right now: the person may be
     * signing in, and the next request takes the refresh token */
    char *url = az_cloud_token_url(f->cred->cloud, f->tenant);
    f->http_id = post(f->h, url, body, polled, p);
    free(url);
}

static void
got_code(void *ud, struct az_request *req, struct az_response *resp)
{
    struct device_priv *p = ud;
    struct flow *f = p->flow;
    char *why = NULL;
    size_t len = 0;
    const char *body = az_response_body(resp, &len);
    f->http_id = 0;
    enum kv_status st;
    if (resp->result != KV_OK) {
        st = resp->result;
        why = xasprintf(_("sign-in failed: %s"), resp->why);
    } else if (resp->status != 200) {
        struct az_user_token t;
        st = az_device_status(
            az_device_parse_poll(resp->status, body, len, 0, &t, &why));
        az_user_token_clear(&t);
        if (st == KV_OK) /* a 400 "pending" here is nonsense */
            st = KV_ERR_AUTH;
        if (why == NULL)
            why = xasprintf(_("sign-in failed (HTTP %ld from %s)"),
                            resp->status, req->url);
    } else {
        st = az_device_parse_grant(body, len, time_now(), &f->g, &why);
    }
    az_request_free(req);
    az_response_free(resp);
    if (st != KV_OK) {
        flow_failed(p, st, why, false);
        free(why);
        return;
    }
    log_debug("auth: device code issued, valid %lld s, polling every %d s",
              (long long)(f->g.expires_at - time_now()), f->g.interval);
    f->started = true;
    notice_code(p, AZ_DEVICE_CODE);
    schedule_poll(p);
}

static void
flow_start(struct waiter *w)
{
    struct device_priv *p = w->cred->priv;
    struct flow *f = xcalloc(1, sizeof *f);
    f->cred = w->cred;
    f->h = w->h;
    f->tenant = xstrdup(w->tenant);
    f->scope = xstrdup(w->scope);
    p->flow = f;
    char *sc = scopes(w->scope);
    struct secret *body = secret_new(512);
    az_form_add(&body, "client_id", p->client_id, strlen(p->client_id));
    az_form_add(&body, "scope", sc, strlen(sc));
    free(sc);
    char *url = devicecode_url(w->cred->cloud, w->tenant);
    log_debug("auth: device code requested from %s", url);
    f->http_id = post(w->h, url, body, got_code, p);
    free(url);
}

static void
flow_end(struct device_priv *p)
{
    struct flow *f = p->flow;
    if (f == NULL)
        return;
    if (f->http_id != 0)
        az_http_cancel(f->h, f->http_id);
    if (f->timer_id != 0)
        az_http_unwatch(f->h, f->timer_id);
    az_device_grant_clear(&f->g);
    free(f->tenant);
    free(f->scope);
    free(f);
    p->flow = NULL;
}

static void
join_flow(struct waiter *w)
{
    struct device_priv *p = w->cred->priv;
    if (p->kept_only_why != NULL) {
        fail_later(w, KV_ERR_AUTH, p->kept_only_why);
        return;
    }
    w->in_flow = true;
    if (p->flow == NULL)
        flow_start(w);
}

/* ---- the ops ------------------------------------------------------------ */

static uint64_t
device_acquire(struct az_credential *c, struct az_http *h, const char *tenant,
               const char *scope, az_credential_done_fn done, void *ud)
{
    struct device_priv *p = c->priv;
    struct waiter *w = xcalloc(1, sizeof *w);
    w->cred = c;
    w->h = h;
    w->id = ++p->next_id;
    w->tenant = xstrdup(tenant != NULL ? tenant : c->tenant);
    w->scope = xstrdup(scope);
    w->done = done;
    w->ud = ud;
    vec_push(&p->waiters, w);
    if (p->failed != KV_OK) {
        fail_later(w, p->failed, p->failed_why);
        return w->id;
    }
    if (!p->looked_up && p->store != NULL && p->store->lookup != NULL) {
        /* once, on the worker: a refresh token kept from an earlier run */
        struct az_token_key key = {c->cloud->name, c->tenant, NULL,
                                   p->client_id};
        struct secret *rt = NULL;
        char *account = NULL;
        if (p->store->lookup(p->store->ud, &key, &rt, &account) == KV_OK &&
            rt != NULL && p->rt == NULL) {
            log_debug("auth: device code: a kept refresh token");
            p->rt = rt;
            rt = NULL;
            free(p->account);
            p->account = account;
            account = NULL;
        }
        secret_free(rt);
        free(account);
    }
    p->looked_up = true;
    if (p->rt != NULL)
        refresh(w);
    else
        join_flow(w);
    return w->id;
}

static void
device_cancel(struct az_credential *c, struct az_http *h, uint64_t id)
{
    struct device_priv *p = c->priv;
    for (size_t i = 0; i < p->waiters.len; i++) {
        struct waiter *w = p->waiters.items[i];
        if (w->id != id)
            continue;
        if (w->http_id != 0)
            az_http_cancel(h, w->http_id);
        if (w->timer_id != 0)
            az_http_unwatch(h, w->timer_id);
        vec_remove(&p->waiters, i);
        waiter_free(w);
        return; /* the flow goes on: the sign-in serves whoever asks next */
    }
}

static void
device_reset(struct az_credential *c, struct az_http *h, bool cancel)
{
    struct device_priv *p = c->priv;
    (void)h;
    free(p->failed_why);
    p->failed_why = NULL;
    p->failed = KV_OK;
    if (!cancel)
        return;
    const char *why = _("the sign-in was cancelled");
    p->failed = KV_ERR_CANCELLED;
    p->failed_why = xstrdup(why);
    flow_end(p);
    flow_answer(p, KV_ERR_CANCELLED, why, NULL, NULL, NULL);
}

static void
device_free_priv(struct az_credential *c)
{
    struct device_priv *p = c->priv;
    flow_end(p); /* the transport outlives its credentials */
    for (size_t i = 0; i < p->waiters.len; i++) {
        struct waiter *w = p->waiters.items[i];
        if (w->http_id != 0)
            az_http_cancel(w->h, w->http_id);
        if (w->timer_id != 0)
            az_http_unwatch(w->h, w->timer_id);
        waiter_free(w);
    }
    vec_free(&p->waiters);
    secret_free(p->rt);
    free(p->account);
    free(p->failed_why);
    free(p->kept_only_why);
    free(p->client_id);
    free(p);
}

void
az_credential_device_kept_only(struct az_credential *c, const char *why)
{
    struct device_priv *p = c->priv;
    free(p->kept_only_why);
    p->kept_only_why = xstrdup(why);
    free(c->name);
    c->name = xstrdup(_("a kept sign-in (refresh token)"));
}

static const struct az_credential_ops device_ops = {
    .kind = "device code",
    .acquire = device_acquire,
    .cancel = device_cancel,
    .free = device_free_priv,
    .reset = device_reset,
};

struct az_credential *
az_credential_device_new(const struct az_cloud *cloud, const char *tenant,
                         const char *client_id, az_device_fn notify,
                         void *notify_ud, const struct az_token_store *store)
{
    struct az_credential *c = xcalloc(1, sizeof *c);
    struct device_priv *p = xcalloc(1, sizeof *p);
    p->client_id =
        xstrdup(client_id != NULL && *client_id != '\0' ? client_id
                                                        : AZ_DEVICE_CLIENT_ID);
    p->notify = notify;
    p->notify_ud = notify_ud;
    p->store = store;
    p->failed = KV_OK;
    c->ops = &device_ops;
    c->cloud = az_cloud_dup(cloud);
    c->tenant =
        xstrdup(tenant != NULL && *tenant != '\0' ? tenant : "organizations");
    c->name = xstrdup(_("device code sign-in"));
    c->priv = p;
    return c;
}
