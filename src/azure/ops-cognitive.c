/*
 * ops-cognitive.c — the AI services account operations of cognitive.h:
 * list and GET accounts (the ops of ops.c with their own item kind),
 * listKeys and regenerateKey (POSTs whose answers are kept in secure
 * memory and parsed into struct secret), and the endpoint probe, which
 * goes straight to the transport: it carries the account's key, not a
 * Resource Manager token, so it is no az_client call.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/cognitive.h"
#include "azure/arm.h"
#include "azure/http.h"
#include "azure/ops-int.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

#define PROBE_TIMEOUT_MS 20000

struct keys_state {
    az_ai_keys_fn keys;
};

struct probe_state {
    struct az_http *http;
    uint64_t id; /* the transfer in flight, 0: none */
};

struct az_op *
az_ai_list_accounts(struct az_client *c, const char *subscription,
                    const char *group, const struct az_op_cb *cb, void *ud)
{
    char *s = str_url_encode(subscription), *path;
    if (group != NULL) {
        char *g = str_url_encode(group);
        path = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                         "Microsoft.CognitiveServices/accounts",
                         s, g);
        free(g);
    } else {
        path = xasprintf("/subscriptions/%s/providers/"
                         "Microsoft.CognitiveServices/accounts",
                         s);
    }
    struct az_op *op =
        az_op_new(c, AZ_OP_LIST, AZ_PLANE_ARM, AZ_ITEM_AI_ACCOUNT,
                  az_op_arm_url(c, path, AZ_API_COGNITIVE), cb, ud);
    az_op_send(op, op->origin_url);
    free(s);
    free(path);
    return op;
}

struct az_op *
az_ai_get_account(struct az_client *c, const char *account_id,
                  const struct az_op_cb *cb, void *ud)
{
    char *path = az_op_id_path(account_id, "");
    struct az_op *op = az_op_new(
        c, AZ_OP_GET, AZ_PLANE_ARM, AZ_ITEM_AI_ACCOUNT,
        path != NULL ? az_op_arm_url(c, path, AZ_API_COGNITIVE) : NULL, cb, ud);
    if (path == NULL)
        az_op_fail_later(op, KV_ERR_INVALID,
                         _("not an AI services account id"));
    else
        az_op_send(op, op->origin_url);
    free(path);
    return op;
}

/* listKeys / regenerateKey answered: the pair into secure memory. */
static void
on_keys(struct az_op *op, struct az_response *resp, enum kv_status st,
        const char *why)
{
    struct keys_state *ks = op->state;
    if (resp == NULL || st != KV_OK) {
        az_op_fail(op, st != KV_OK ? st : KV_ERR_INTERNAL, resp, why);
        return;
    }
    if (resp->status < 200 || resp->status > 299) {
        az_op_fail(op, az_status_from_http(resp->status, NULL), resp, NULL);
        return;
    }
    size_t len;
    const char *body = az_response_body(resp, &len);
    struct secret *k1, *k2;
    char *w = NULL;
    if (az_ai_keys_parse(body, len, &k1, &k2, &w) != KV_OK) {
        az_op_fail(op, KV_ERR_PARSE, resp, w);
        free(w);
        return;
    }
    ks->keys(op->ud, k1, k2);
    az_op_succeed(op);
}

static struct az_op *
keys_post(struct az_client *c, const char *account_id, const char *action,
          const char *body, az_ai_keys_fn keys, const struct az_op_cb *cb,
          void *ud)
{
    char *path = az_op_id_path(account_id, action);
    char *url = path != NULL ? az_op_arm_url(c, path, AZ_API_COGNITIVE) : NULL;
    struct az_op *op =
        az_op_new(c, AZ_OP_CUSTOM, AZ_PLANE_ARM, AZ_ITEM_NONE, url, cb, ud);
    struct keys_state *ks = xcalloc(1, sizeof *ks);
    ks->keys = keys;
    op->state = ks;
    op->state_free = free;
    op->on_response = on_keys;
    op->write = body != NULL; /* regenerateKey changes the account */
    free(path);
    if (url == NULL) {
        az_op_fail_later(op, KV_ERR_INVALID,
                         _("not an AI services account id"));
        return op;
    }
    struct az_request *req = az_request_new("POST", url);
    if (body != NULL) {
        az_request_json(req, body);
    } else {
        /* listKeys changes nothing: sent again after a lost answer */
        req->safe_to_replay = true;
        az_request_header(req, "Content-Type: application/json");
    }
    req->secret_response = true; /* the keys: secure memory, no reuse */
    az_op_send_request(op, req);
    return op;
}

struct az_op *
az_ai_list_keys(struct az_client *c, const char *account_id, az_ai_keys_fn keys,
                const struct az_op_cb *cb, void *ud)
{
    return keys_post(c, account_id, "/listKeys", NULL, keys, cb, ud);
}

struct az_op *
az_ai_regenerate_key(struct az_client *c, const char *account_id,
                     const char *key_name, az_ai_keys_fn keys,
                     const struct az_op_cb *cb, void *ud)
{
    if (!str_eq(key_name, "Key1") && !str_eq(key_name, "Key2")) {
        struct az_op *op = az_op_new(c, AZ_OP_CUSTOM, AZ_PLANE_ARM,
                                     AZ_ITEM_NONE, NULL, cb, ud);
        az_op_fail_later(op, KV_ERR_INVALID, _("a key name is Key1 or Key2"));
        return op;
    }
    char body[40];
    snprintf(body, sizeof body, "{\"keyName\":\"%s\"}", key_name);
    return keys_post(c, account_id, "/regenerateKey", body, keys, cb, ud);
}

char *
az_ai_probe_url(const char *endpoint)
{
    if (endpoint == NULL || strncmp(endpoint, "https://", 8) != 0 ||
        endpoint[8] == '\0' || endpoint[8] == '/' ||
        strpbrk(endpoint, "?# ") != NULL)
        return NULL;
    char *base = str_rstrip_slash(endpoint);
    char *url =
        xasprintf("%s/openai/models?api-version=%s", base, AZ_API_OPENAI);
    free(base);
    return url;
}

static void
probe_state_free(void *p)
{
    struct probe_state *ps = p;
    if (ps->id != 0)
        az_http_cancel(ps->http, ps->id);
    free(ps);
}

static void
probe_done(void *ud, struct az_request *req, struct az_response *resp)
{
    struct az_op *op = ud;
    struct probe_state *ps = op->state;
    ps->id = 0;
    az_request_free(req); /* its api-key header wiped */
    if (resp->result != KV_OK)
        az_op_fail(op, resp->result, resp, resp->why);
    else if (resp->status == 200)
        az_op_succeed(op);
    else
        az_op_fail(op, az_status_from_http(resp->status, NULL), resp, NULL);
    az_response_free(resp);
}

struct az_op *
az_ai_probe(struct az_client *c, const char *endpoint, const struct secret *key,
            const struct az_op_cb *cb, void *ud)
{
    char *url = az_ai_probe_url(endpoint);
    struct az_op *op =
        az_op_new(c, AZ_OP_CUSTOM, AZ_PLANE_ARM, AZ_ITEM_NONE, url, cb, ud);
    struct probe_state *ps = xcalloc(1, sizeof *ps);
    ps->http = az_client_http(c);
    op->state = ps;
    op->state_free = probe_state_free;
    if (url == NULL || key == NULL || key->len == 0 ||
        memchr(key->data, '\r', key->len) != NULL ||
        memchr(key->data, '\n', key->len) != NULL) {
        az_op_fail_later(op, KV_ERR_INVALID,
                         url == NULL ? _("the account has no https endpoint")
                                     : _("no key to try"));
        return op;
    }
    struct az_request *req = az_request_new("GET", url);
    /* the header copied by hand into a block of its exact size, wiped
     * when the request is freed (printf's buffer would leave pieces of
     * the key behind in freed memory) */
    static const char name[] = "api-key: ";
    char *h = xmalloc(sizeof name + key->len);
    memcpy(h, name, sizeof name - 1);
    memcpy(h + sizeof name - 1, key->data, key->len);
    h[sizeof name - 1 + key->len] = '\0';
    vec_push(&req->headers, h);
    req->secret_response = true; /* the connection is closed after it */
    req->single_attempt = true;
    req->timeout_ms = PROBE_TIMEOUT_MS;
    ps->id = az_http_send(ps->http, req, probe_done, NULL, op);
    return op;
}
