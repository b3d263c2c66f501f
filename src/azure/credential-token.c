/*
 * credential-token.c — one POST to the cloud's token endpoint and its
 * answer, for the sources that sign in with a form (client secret,
 * certificate assertion; see credential-int.h). The form body lives in
 * secure memory from first byte to last.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/arm.h"
#include "azure/credential-int.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "base/xalloc.h"

struct az_token_fetch {
    struct az_token_fetches *owner;
    struct az_credential *cred;
    uint64_t http_id;
    az_credential_done_fn done;
    void *ud;
};

/* Appends len bytes, growing *dst (secure memory) when full. */
static void
put(struct secret **dst, const char *s, size_t len)
{
    if (secret_append(*dst, s, len))
        return;
    struct secret *big = secret_new(((*dst)->cap + len) * 2);
    secret_append(big, (*dst)->data, (*dst)->len);
    secret_append(big, s, len);
    secret_free(*dst);
    *dst = big;
}

void
az_form_add(struct secret **body, const char *name, const char *value,
            size_t value_len)
{
    static const char hex[] = "0123456789ABCDEF";
    if ((*body)->len > 0)
        put(body, "&", 1);
    put(body, name, strlen(name));
    put(body, "=", 1);
    for (size_t i = 0; i < value_len; i++) {
        unsigned char c = (unsigned char)value[i];
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
        put(body, enc, n);
        secmem_wipe(enc, sizeof enc);
    }
}

static void
fetch_done(void *ud, struct az_request *req, struct az_response *resp)
{
    struct az_token_fetch *f = ud;
    struct secret *token = NULL;
    int64_t expires_at = 0;
    char *why = NULL;
    enum kv_status st;
    size_t len;
    const char *body = az_response_body(resp, &len);

    for (size_t i = 0; i < f->owner->v.len; i++)
        if (f->owner->v.items[i] == f)
            vec_remove(&f->owner->v, i);
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

uint64_t
az_token_post(struct az_token_fetches *fs, struct az_credential *c,
              struct az_http *h, const char *tenant, struct secret *body,
              az_credential_done_fn done, void *ud)
{
    char *url = az_cloud_token_url(c->cloud, tenant);
    struct az_request *req = az_request_new("POST", url);
    req->secret_body = body;
    req->safe_to_replay = true; /* a token grant has no side effect */
    req->secret_response = true;
    az_request_header(req, "Content-Type: application/x-www-form-urlencoded");
    log_debug("auth: %s token for tenant %s", c->ops->kind,
              tenant != NULL ? tenant : "(organizations)");

    struct az_token_fetch *f = xcalloc(1, sizeof *f);
    f->owner = fs;
    f->cred = c;
    f->done = done;
    f->ud = ud;
    vec_push(&fs->v, f);
    f->http_id = az_http_send(h, req, fetch_done, NULL, f);
    free(url);
    return f->http_id;
}

void
az_token_cancel(struct az_token_fetches *fs, struct az_http *h, uint64_t id)
{
    for (size_t i = 0; i < fs->v.len; i++) {
        struct az_token_fetch *f = fs->v.items[i];
        if (f->http_id == id) {
            az_http_cancel(h, id);
            vec_remove(&fs->v, i);
            free(f);
            return;
        }
    }
}

void
az_token_fetches_free(struct az_token_fetches *fs)
{
    vec_free_all(&fs->v, free);
}
