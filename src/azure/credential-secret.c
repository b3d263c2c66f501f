/*
 * credential-secret.c — the client-secret credential: an OAuth 2.0
 * client_credentials grant against {authority}/{tenant}/oauth2/v2.0/token
 * (or {authority}/oauth2/token on AD FS). The form body carrying the
 * secret is built and sent from secure memory; the answer is received
 * into secure memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/arm.h"
#include "azure/credential.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/vec.h"
#include "base/xalloc.h"

struct secret_priv {
    char *client_id;
    struct secret *secret;
    struct vec fetches; /* struct fetch * in flight */
};

struct fetch {
    struct az_credential *cred;
    uint64_t http_id;
    az_credential_done_fn done;
    void *ud;
};

/* Appends s form-urlencoded to a secret buffer (no copy in the heap). */
static void
form_append(struct secret **dst, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char enc[3];
        size_t n = 1;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~') {
            enc[0] = (char)c;
        } else {
            enc[0] = '%';
            enc[1] = hex[c >> 4];
            enc[2] = hex[c & 15];
            n = 3;
        }
        if (!secret_append(*dst, enc, n)) {
            struct secret *big = secret_new(((*dst)->cap + n) * 2);
            secret_append(big, (*dst)->data, (*dst)->len);
            secret_append(big, enc, n);
            secret_free(*dst);
            *dst = big;
        }
        secmem_wipe(enc, sizeof enc);
    }
}

static void
form_put(struct secret **dst, const char *s)
{
    form_append(dst, s, strlen(s));
}

static void
form_raw(struct secret **dst, const char *s)
{
    if (!secret_append(*dst, s, strlen(s))) {
        struct secret *big = secret_new(((*dst)->cap + strlen(s)) * 2);
        secret_append(big, (*dst)->data, (*dst)->len);
        secret_append(big, s, strlen(s));
        secret_free(*dst);
        *dst = big;
    }
}

static void
fetch_done(void *ud, struct az_request *req, struct az_response *resp)
{
    struct fetch *f = ud;
    struct secret_priv *p = f->cred->priv;
    struct secret *token = NULL;
    int64_t expires_at = 0;
    char *why = NULL;
    enum kv_status st;
    size_t len;
    const char *body = az_response_body(resp, &len);

    for (size_t i = 0; i < p->fetches.len; i++)
        if (p->fetches.items[i] == f)
            vec_remove(&p->fetches, i);
    if (resp->result != KV_OK) {
        st = resp->result;
        why = xasprintf(_("sign-in failed: %s"), resp->why);
    } else if (resp->status == 200) {
        st = az_credential_parse_token(body, len, time_now(), &token,
                                       &expires_at, &why);
    } else {
        struct az_error e;
        st = resp->status == 400 || resp->status == 401 ? KV_ERR_AUTH
                                                        : KV_ERR_HTTP;
        if (az_error_parse(body, len, &e))
            why = xasprintf(_("sign-in failed (HTTP %ld): %s%s%s"),
                            resp->status, e.code != NULL ? e.code : "",
                            e.message != NULL ? ": " : "",
                            e.message != NULL ? e.message : "");
        else
            why = xasprintf(_("sign-in failed (HTTP %ld from %s)"),
                            resp->status, req->url);
        az_error_free(&e);
    }
    long status = resp->status;
    az_request_free(req);
    az_response_free(resp);
    f->done(f->ud, st, token, expires_at, why, status);
    free(f);
}

static uint64_t
secret_acquire(struct az_credential *c, struct az_http *h, const char *tenant,
               const char *scope, az_credential_done_fn done, void *ud)
{
    struct secret_priv *p = c->priv;
    char *url = az_cloud_token_url(c->cloud, tenant);
    struct az_request *req = az_request_new("POST", url);
    struct secret *body = secret_new(256 + p->secret->len * 3);

    form_raw(&body, "grant_type=client_credentials&client_id=");
    form_put(&body, p->client_id);
    form_raw(&body, "&client_secret=");
    form_append(&body, p->secret->data, p->secret->len);
    form_raw(&body, "&scope=");
    form_put(&body, scope);
    req->secret_body = body;
    req->safe_to_replay = true; /* a token grant has no side effect */
    req->secret_response = true;
    az_request_header(req, "Content-Type: application/x-www-form-urlencoded");
    log_debug("auth: client secret token for tenant %s scope %s", tenant,
              scope);

    struct fetch *f = xcalloc(1, sizeof *f);
    f->cred = c;
    f->done = done;
    f->ud = ud;
    vec_push(&p->fetches, f);
    f->http_id = az_http_send(h, req, fetch_done, NULL, f);
    free(url);
    return f->http_id;
}

static void
secret_cancel(struct az_credential *c, struct az_http *h, uint64_t id)
{
    struct secret_priv *p = c->priv;
    for (size_t i = 0; i < p->fetches.len; i++) {
        struct fetch *f = p->fetches.items[i];
        if (f->http_id == id) {
            az_http_cancel(h, id);
            vec_remove(&p->fetches, i);
            free(f);
            return;
        }
    }
}

static void
secret_free_priv(struct az_credential *c)
{
    struct secret_priv *p = c->priv;
    /* transfers still in flight are freed by az_http_free() */
    vec_free_all(&p->fetches, free);
    free(p->client_id);
    secret_free(p->secret);
    free(p);
}

static const struct az_credential_ops secret_ops = {
    .kind = "client secret",
    .acquire = secret_acquire,
    .cancel = secret_cancel,
    .free = secret_free_priv,
};

struct az_credential *
az_credential_secret_new(const struct az_cloud *cloud, const char *tenant,
                         const char *client_id, const struct secret *secret,
                         const char *origin)
{
    struct az_credential *c = xcalloc(1, sizeof *c);
    struct secret_priv *p = xcalloc(1, sizeof *p);
    p->client_id = xstrdup(client_id);
    p->secret = secret_dup(secret->data, secret->len);
    c->ops = &secret_ops;
    c->cloud = az_cloud_dup(cloud);
    c->tenant = xstrdup(tenant);
    c->name = xasprintf(_("client secret (%s)"), _(origin));
    c->priv = p;
    return c;
}
