/*
 * client.c — authenticated calls (see client.h): token, send, and the
 * Key Vault challenge dance, as a small state machine per call.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/auth.h"
#include "azure/challenge.h"
#include "azure/client.h"
#include "azure/identity.h"
#include "azure/url.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/vec.h"
#include "base/xalloc.h"

struct known_challenge {
    char *origin; /* https://v.vault.azure.net:443 */
    char *tenant;
    char *scope;
};

struct az_client {
    struct az_cloud *cloud;
    struct az_http *http;
    struct az_auth *auth;
    char *arm_scope;
    struct vec calls;      /* struct call * */
    struct vec challenges; /* struct known_challenge * */
    uint64_t next_id;
    struct az_lro_policy lro;
    struct az_identity identity; /* of the latest ARM token */
    unsigned identity_seq;       /* changes with identity; 0: none yet */
};

struct call {
    uint64_t id;
    struct az_client *c;
    enum az_plane plane;
    struct az_request *req; /* NULL while the transport holds it */
    char *tenant, *scope;   /* the token this call uses */
    uint64_t waiter;        /* token fetch in progress */
    uint64_t http_id;       /* transfer in progress */
    bool token_sent;        /* the last attempt carried a token */
    bool challenged;        /* a challenge was already followed */
    bool reauthed;          /* a 401 with a token was already retried */
    bool claims_retried;    /* a claims challenge was already answered */
    char *held_body;        /* body held back from the unauthenticated try */
    size_t held_len;
    struct secret *held_secret; /* the same for a secret body */
    bool held_no_replay;        /* restored with the body */
    az_timer_fn timer;          /* a timer, not a request */
    int64_t due_ms;
    az_call_done_fn done;
    az_http_wait_fn wait;
    void *ud;
};

struct az_client *
az_client_new(const struct az_client_config *cfg, char **why)
{
    char *cred_why = NULL;
    struct az_cloud *cloud = az_cloud_resolve(cfg->cloud, why);
    if (cloud == NULL)
        return NULL;
    if (!az_credential_source_known(cfg->sign_in.auth, why)) {
        az_cloud_free(cloud);
        return NULL;
    }
    struct az_http *http = az_http_new(&cfg->http, why);
    if (http == NULL) {
        az_cloud_free(cloud);
        return NULL;
    }
    struct az_credential *cred =
        az_credential_chain(cloud, &cfg->sign_in, &cred_why);
    struct az_client *c = xcalloc(1, sizeof *c);
    c->cloud = cloud;
    c->http = http;
    c->auth = az_auth_new(cred, cred_why, http);
    c->arm_scope = az_cloud_arm_scope(cloud);
    c->next_id = 1;
    c->lro = cfg->lro.budget_ms > 0 ? cfg->lro : az_lro_default();
    free(cred_why);
    log_debug("client: cloud %s (%s), ARM %s, credential %s", cloud->name,
              cloud->origin, cloud->resource_manager,
              cred != NULL ? cred->name : "none");
    return c;
}

static void
call_free(struct call *k)
{
    az_request_free(k->req);
    free(k->tenant);
    free(k->scope);
    free(k->held_body);
    secret_free(k->held_secret);
    free(k);
}

void
az_client_free(struct az_client *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->calls.len; i++)
        call_free(c->calls.items[i]);
    vec_free(&c->calls);
    for (size_t i = 0; i < c->challenges.len; i++) {
        struct known_challenge *k = c->challenges.items[i];
        free(k->origin);
        free(k->tenant);
        free(k->scope);
        free(k);
    }
    vec_free(&c->challenges);
    az_identity_clear(&c->identity);
    az_auth_free(c->auth); /* before the transport: cancels its fetches */
    az_http_free(c->http);
    az_cloud_free(c->cloud);
    free(c->arm_scope);
    free(c);
}

const struct az_cloud *
az_client_cloud(const struct az_client *c)
{
    return c->cloud;
}

struct az_http *
az_client_http(struct az_client *c)
{
    return c->http;
}

struct az_auth *
az_client_auth(struct az_client *c)
{
    return c->auth;
}

const struct az_lro_policy *
az_client_lro(const struct az_client *c)
{
    return &c->lro;
}

const char *
az_client_credential_name(const struct az_client *c)
{
    return az_auth_name(c->auth);
}

void
az_client_reset_sign_in(struct az_client *c, bool cancel)
{
    az_auth_reset_sign_in(c->auth, cancel);
}

const struct az_identity *
az_client_identity(const struct az_client *c, unsigned *seq)
{
    *seq = c->identity_seq;
    return &c->identity;
}

void
az_client_set_tenant(struct az_client *c, const char *tenant)
{
    az_auth_set_tenant(c->auth, tenant);
}

static struct known_challenge *
find_challenge(struct az_client *c, const char *url)
{
    char *origin = az_url_origin(url);
    struct known_challenge *found = NULL;
    for (size_t i = 0; origin != NULL && i < c->challenges.len; i++) {
        struct known_challenge *k = c->challenges.items[i];
        if (strcmp(k->origin, origin) == 0)
            found = k;
    }
    free(origin);
    return found;
}

static void
remember_challenge(struct az_client *c, const char *url,
                   const struct az_challenge *ch)
{
    struct known_challenge *k = find_challenge(c, url);
    if (k == NULL) {
        k = xcalloc(1, sizeof *k);
        k->origin = az_url_origin(url);
        vec_push(&c->challenges, k);
    }
    free(k->tenant);
    free(k->scope);
    k->tenant = xstrdup(ch->tenant);
    k->scope = xstrdup(ch->scope);
}

/* Ends a call: unlists it, then tells its owner. */
static void
finish(struct call *k, struct az_response *resp, enum kv_status st,
       const char *why)
{
    struct az_client *c = k->c;
    for (size_t i = 0; i < c->calls.len; i++)
        if (c->calls.items[i] == k)
            vec_remove(&c->calls, i);
    k->done(k->ud, resp, st, why);
    call_free(k);
}

static void on_http(void *ud, struct az_request *req, struct az_response *resp);

static void
on_wait(void *ud, const struct az_http_wait *w)
{
    struct call *k = ud;
    if (k->wait != NULL)
        k->wait(k->ud, w);
}

/* Sends the request, with a bearer token or (token NULL) without one. */
static void
send_now(struct call *k, const struct secret *token)
{
    struct az_request *req = k->req;
    az_request_remove_header(req, "Authorization");
    if (token != NULL) {
        /* copied by hand into a block of its exact size (freed wiped with
         * the request): printf's buffer grows by realloc and would leave
         * pieces of the token behind in freed memory */
        static const char bearer[] = "Authorization: Bearer ";
        char *h = xmalloc(sizeof bearer + token->len);
        memcpy(h, bearer, sizeof bearer - 1);
        memcpy(h + sizeof bearer - 1, token->data, token->len + 1);
        vec_push(&req->headers, h);
        if (k->held_body != NULL) {
            req->body = k->held_body;
            req->body_len = k->held_len;
            k->held_body = NULL;
        }
        if (k->held_secret != NULL) {
            req->secret_body = k->held_secret;
            k->held_secret = NULL;
        }
        if (k->held_no_replay) {
            req->no_replay = true;
            k->held_no_replay = false;
        }
    }
    k->token_sent = token != NULL;
    k->req = NULL;
    k->http_id = az_http_send(k->c->http, req, on_http, on_wait, k);
}

/* Notes who a fresh Resource Manager token names, for the header and
 * whoami (only when it changed: a new sign-in, another tenant). */
static void
note_identity(struct az_client *c, const struct secret *token)
{
    struct az_identity id;
    if (!az_identity_from_token(token->data, token->len, &id))
        return;
    if (c->identity_seq != 0 && str_eq(id.object_id, c->identity.object_id) &&
        str_eq(id.tenant_id, c->identity.tenant_id)) {
        az_identity_clear(&id);
        return;
    }
    az_identity_clear(&c->identity);
    c->identity = id;
    c->identity_seq++;
}

static void
on_token(void *ud, enum kv_status st, const struct secret *token,
         const char *why, long http_status)
{
    struct call *k = ud;
    k->waiter = 0;
    if (st != KV_OK) {
        (void)http_status;
        finish(k, NULL, st, why);
        return;
    }
    if (k->plane == AZ_PLANE_ARM)
        note_identity(k->c, token);
    send_now(k, token);
}

/* Sends with a token for (k->tenant, k->scope), fetching one if needed. */
static void
with_token(struct call *k)
{
    const struct secret *tok = az_auth_cached(k->c->auth, k->tenant, k->scope);
    if (tok != NULL) {
        send_now(k, tok);
        return;
    }
    k->waiter = az_auth_fetch(k->c->auth, k->tenant, k->scope, on_token, k);
}

static void
set_target(struct call *k, const char *tenant, const char *scope)
{
    free(k->tenant);
    free(k->scope);
    k->tenant = tenant != NULL ? xstrdup(tenant) : NULL;
    k->scope = xstrdup(scope);
}

/* Follows a data-plane challenge; false if it cannot be trusted. */
static bool
follow_challenge(struct call *k, struct az_response *resp, char **why)
{
    struct az_challenge ch;
    if (!az_challenge_parse(resp->www_authenticate, &ch)) {
        *why = xasprintf(_("the vault refused the request (401) without a "
                           "usable challenge: %s"),
                         resp->www_authenticate != NULL
                             ? resp->www_authenticate
                             : _("no WWW-Authenticate header"));
        return false;
    }
    if (!az_challenge_fits(&ch, k->req->url)) {
        *why = xasprintf(_("the vault's challenge names resource %s, which "
                           "does not match %s; not sending a token"),
                         ch.resource, k->req->url);
        az_challenge_clear(&ch);
        return false;
    }
    if (k->token_sent)
        az_auth_invalidate(k->c->auth, k->tenant, k->scope);
    log_debug("client: challenge for %s: tenant %s scope %s", k->req->url,
              ch.tenant, ch.scope);
    remember_challenge(k->c, k->req->url, &ch);
    set_target(k, ch.tenant, ch.scope);
    az_challenge_clear(&ch);
    k->challenged = true;
    return true;
}

/* A claims challenge (insufficient_claims) to a request that carried a
 * token: the session was revoked or a policy wants more. Once, the token
 * is replaced by one asked for with those claims and the request goes
 * again; a second challenge ends the call. True when resp was handled
 * (taken). */
static bool
follow_claims(struct call *k, struct az_response *resp)
{
    char *claims = az_challenge_claims(resp->www_authenticate);
    if (claims == NULL)
        return false;
    if (k->claims_retried || k->tenant == NULL) {
        free(claims);
        finish(k, resp, KV_ERR_AUTH,
               _("Azure asked again for claims the sign-in does not give "
                 "(insufficient_claims), even with a fresh token asked for "
                 "with them: the session was revoked or a conditional access "
                 "policy applies; sign in again, or ask an administrator"));
        return true;
    }
    log_debug("client: claims challenge for %s %s: fresh token, one retry",
              k->req->method, k->req->url);
    k->claims_retried = true;
    az_response_free(resp);
    k->waiter = az_auth_fetch_claims(k->c->auth, k->tenant, k->scope, claims,
                                     on_token, k);
    free(claims);
    return true;
}

static void
on_http(void *ud, struct az_request *req, struct az_response *resp)
{
    struct call *k = ud;
    char *why = NULL;
    k->http_id = 0;
    k->req = req;
    if (resp->result != KV_OK || resp->status != 401) {
        finish(k, resp, resp->result, resp->why);
        return;
    }
    if (k->token_sent && follow_claims(k, resp))
        return;
    if (k->plane == AZ_PLANE_DATA && !k->challenged &&
        resp->www_authenticate != NULL) {
        if (!follow_challenge(k, resp, &why)) {
            finish(k, resp, KV_ERR_AUTH, why);
            free(why);
            return;
        }
        az_response_free(resp);
        with_token(k);
        return;
    }
    if (k->token_sent && !k->reauthed && k->tenant != NULL) {
        /* the token may have expired or been revoked: one fresh try */
        k->reauthed = true;
        az_auth_invalidate(k->c->auth, k->tenant, k->scope);
        az_response_free(resp);
        with_token(k);
        return;
    }
    finish(k, resp, resp->result, resp->why);
}

uint64_t
az_client_call(struct az_client *c, enum az_plane plane, struct az_request *req,
               az_call_done_fn done, az_http_wait_fn wait, void *ud)
{
    struct call *k = xcalloc(1, sizeof *k);
    k->id = c->next_id++;
    k->c = c;
    k->plane = plane;
    k->req = req;
    k->done = done;
    k->wait = wait;
    k->ud = ud;
    vec_push(&c->calls, k);

    if (!str_istarts(req->url, "https://")) {
        /* never a token over plain http; the transport (https only)
         * fails it with a clear message */
        send_now(k, NULL);
        return k->id;
    }
    if (plane == AZ_PLANE_ARM) {
        set_target(k, az_auth_tenant(c->auth), c->arm_scope);
        with_token(k);
        return k->id;
    }
    struct known_challenge *kc = find_challenge(c, req->url);
    if (kc != NULL) {
        set_target(k, kc->tenant, kc->scope);
        k->challenged = true;
        with_token(k);
        return k->id;
    }
    /* first contact with this vault: ask without a token (and without a
     * body) to learn the tenant and resource from the challenge */
    k->held_body = req->body;
    k->held_len = req->body_len;
    k->held_secret = req->secret_body;
    k->held_no_replay = req->no_replay;
    req->body = NULL;
    req->body_len = 0;
    req->secret_body = NULL;
    req->no_replay = false; /* without its body it cannot write anything */
    send_now(k, NULL);
    return k->id;
}

void
az_client_cancel(struct az_client *c, uint64_t id)
{
    for (size_t i = 0; i < c->calls.len; i++) {
        struct call *k = c->calls.items[i];
        if (k->id != id)
            continue;
        vec_remove(&c->calls, i);
        if (k->waiter != 0)
            az_auth_cancel(c->auth, k->waiter);
        if (k->http_id != 0)
            az_http_cancel(c->http, k->http_id);
        call_free(k);
        return;
    }
}

uint64_t
az_client_after(struct az_client *c, long delay_ms, az_timer_fn fn, void *ud)
{
    struct call *k = xcalloc(1, sizeof *k);
    k->id = c->next_id++;
    k->c = c;
    k->timer = fn;
    k->due_ms = time_mono_ms() + (delay_ms > 0 ? delay_ms : 0);
    k->ud = ud;
    vec_push(&c->calls, k);
    return k->id;
}

/* Milliseconds until the next timer is due, or -1 without timers. */
static long
next_timer(const struct az_client *c)
{
    long best = -1;
    int64_t now = time_mono_ms();
    for (size_t i = 0; i < c->calls.len; i++) {
        const struct call *k = c->calls.items[i];
        if (k->timer == NULL)
            continue;
        long d = k->due_ms > now ? (long)(k->due_ms - now) : 0;
        if (best < 0 || d < best)
            best = d;
    }
    return best;
}

/* Runs the due timers; one at a time, since each may add or cancel. */
static void
run_timers(struct az_client *c)
{
    int64_t now = time_mono_ms();
    for (;;) {
        struct call *due = NULL;
        for (size_t i = 0; i < c->calls.len && due == NULL; i++) {
            struct call *k = c->calls.items[i];
            if (k->timer != NULL && k->due_ms <= now) {
                due = k;
                vec_remove(&c->calls, i);
            }
        }
        if (due == NULL)
            return;
        due->timer(due->ud);
        call_free(due);
    }
}

unsigned
az_client_run(struct az_client *c, int timeout_ms)
{
    az_auth_dispatch(c->auth);
    long t = next_timer(c);
    if (az_auth_has_ready(c->auth))
        t = 0;
    else if (t < 0 || (timeout_ms >= 0 && timeout_ms < t))
        t = timeout_ms;
    unsigned n = az_http_run(c->http, t > INT32_MAX ? INT32_MAX : (int)t);
    az_auth_dispatch(c->auth);
    run_timers(c);
    return n > c->calls.len ? n : (unsigned)c->calls.len;
}

void
az_client_wakeup(struct az_client *c)
{
    az_http_wakeup(c->http);
}

void
az_client_stats(const struct az_client *c, struct az_http_stats *out)
{
    az_http_stats(c->http, out);
}
