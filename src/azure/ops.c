/*
 * ops.c — list/get operations over az_client (see ops.h): URLs and
 * api-versions, paging with nextLink, decoding pages into structs, and
 * turning error answers into a struct az_failure. The op machinery here
 * is shared with the write operations through ops-int.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/arm.h"
#include "azure/cognitive.h"
#include "azure/json.h"
#include "azure/ops-int.h"
#include "azure/url.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/xalloc.h"

#define ITEM_WRAP(name, type, model)                                           \
    static enum kv_status name##_dec(const cJSON *j, void *out, char **why)    \
    {                                                                          \
        return az_##name##_decode(j, (struct type *)out, why);                 \
    }                                                                          \
    static void name##_release(void *p)                                        \
    {                                                                          \
        kv_##model##_free((struct type *)p);                                   \
    }
ITEM_WRAP(subscription, kv_subscription, subscription)
ITEM_WRAP(tenant, kv_tenant, tenant)
ITEM_WRAP(group, kv_group, group)
ITEM_WRAP(vault, kv_vault, vault)
ITEM_WRAP(pec, kv_endpoint_connection, endpoint_connection)
ITEM_WRAP(secret, kv_secret_item, secret_item)
ITEM_WRAP(secret_version, kv_secret_version, secret_version)
ITEM_WRAP(deleted_secret, kv_deleted_secret, deleted_secret)
ITEM_WRAP(location, kv_location, location)
ITEM_WRAP(deleted_vault, kv_deleted_vault, deleted_vault)
ITEM_WRAP(name_check, kv_name_check, name_check)
ITEM_WRAP(role_assignment, kv_role_assignment, role_assignment)
ITEM_WRAP(vnet, kv_vnet, vnet)
ITEM_WRAP(subnet, kv_subnet, subnet)
ITEM_WRAP(private_endpoint, kv_private_endpoint, private_endpoint)
ITEM_WRAP(dns_zone, kv_dns_zone, dns_zone)
ITEM_WRAP(vnet_link, kv_vnet_link, vnet_link)
ITEM_WRAP(permissions, kv_permissions, permissions)
ITEM_WRAP(arm_secret, kv_secret_version, secret_version)
ITEM_WRAP(zone_group, kv_zone_group, zone_group)
ITEM_WRAP(graph_subscription, kv_subscription, subscription)
ITEM_WRAP(graph_vault, kv_vault, vault)
ITEM_WRAP(ai_account, kv_ai_account, ai_account)
#undef ITEM_WRAP

/* AZ_ITEM_NONE: nothing is decoded into items. */
static enum kv_status
none_dec(const cJSON *j, void *out, char **why)
{
    (void)j;
    (void)out;
    *why = xstrdup("no item kind");
    return KV_ERR_INTERNAL;
}

#define ITEM_TYPE(kind, type, name)                                            \
    [kind] = {kind, sizeof(struct type), name##_dec, name##_release}
static const struct az_item_type item_types[] = {
    ITEM_TYPE(AZ_ITEM_SUBSCRIPTION, kv_subscription, subscription),
    ITEM_TYPE(AZ_ITEM_GROUP, kv_group, group),
    ITEM_TYPE(AZ_ITEM_VAULT, kv_vault, vault),
    ITEM_TYPE(AZ_ITEM_PEC, kv_endpoint_connection, pec),
    ITEM_TYPE(AZ_ITEM_SECRET, kv_secret_item, secret),
    ITEM_TYPE(AZ_ITEM_VERSION, kv_secret_version, secret_version),
    ITEM_TYPE(AZ_ITEM_DELETED_SECRET, kv_deleted_secret, deleted_secret),
    [AZ_ITEM_NONE] = {AZ_ITEM_NONE, 1, none_dec, free},
    ITEM_TYPE(AZ_ITEM_TENANT, kv_tenant, tenant),
    ITEM_TYPE(AZ_ITEM_LOCATION, kv_location, location),
    ITEM_TYPE(AZ_ITEM_DELETED_VAULT, kv_deleted_vault, deleted_vault),
    ITEM_TYPE(AZ_ITEM_NAME_CHECK, kv_name_check, name_check),
    ITEM_TYPE(AZ_ITEM_ROLE_ASSIGNMENT, kv_role_assignment, role_assignment),
    ITEM_TYPE(AZ_ITEM_VNET, kv_vnet, vnet),
    ITEM_TYPE(AZ_ITEM_SUBNET, kv_subnet, subnet),
    ITEM_TYPE(AZ_ITEM_PRIVATE_ENDPOINT, kv_private_endpoint, private_endpoint),
    ITEM_TYPE(AZ_ITEM_DNS_ZONE, kv_dns_zone, dns_zone),
    ITEM_TYPE(AZ_ITEM_VNET_LINK, kv_vnet_link, vnet_link),
    ITEM_TYPE(AZ_ITEM_PERMISSIONS, kv_permissions, permissions),
    ITEM_TYPE(AZ_ITEM_ARM_SECRET, kv_secret_version, arm_secret),
    ITEM_TYPE(AZ_ITEM_ZONE_GROUP, kv_zone_group, zone_group),
    ITEM_TYPE(AZ_ITEM_GRAPH_SUBSCRIPTION, kv_subscription, graph_subscription),
    ITEM_TYPE(AZ_ITEM_GRAPH_VAULT, kv_vault, graph_vault),
    ITEM_TYPE(AZ_ITEM_AI_ACCOUNT, kv_ai_account, ai_account),
};
#undef ITEM_TYPE

const struct az_item_type *
az_op_item_type(enum az_item_kind kind)
{
    return &item_types[kind];
}

void
az_op_free_items(enum az_item_kind kind, struct vec *items)
{
    const struct az_item_type *t = &item_types[kind];
    for (size_t i = 0; i < items->len; i++)
        t->free_item(items->items[i]);
    vec_free(items);
}

void
az_op_free(struct az_op *op)
{
    if (op->state_free != NULL)
        op->state_free(op->state);
    free(op->origin_url);
    free(op->match);
    free(op->method);
    free(op->body);
    secret_free(op->secret_body);
    free(op->early_why);
    free(op);
}

void
az_op_fail(struct az_op *op, enum kv_status st, const struct az_response *resp,
           const char *why)
{
    az_op_fail_full(op, st, resp, why, NULL, false);
}

void
az_op_fail_full(struct az_op *op, enum kv_status st,
                const struct az_response *resp, const char *why,
                const char *code, bool ambiguous)
{
    struct az_error err = {0};
    struct az_failure f = {.status = st};
    char *msg = NULL;
    size_t len = 0;

    if (resp != NULL) {
        f.http_status = resp->status;
        f.request_id = az_response_request_id(resp);
        f.attempts = resp->attempts;
        f.ambiguous = resp->ambiguous;
        /* a write answered 2xx landed; what followed went wrong (a body
         * we cannot read): the caller must look before writing again */
        if (op->write && resp->status >= 200 && resp->status <= 299)
            f.ambiguous = true;
        const char *body = az_response_body(resp, &len);
        if (resp->status >= 400 && az_error_parse(body, len, &err)) {
            f.code = err.code;
            f.inner_code = err.inner_code;
            if (st == KV_ERR_HTTP || st == KV_OK)
                f.status = az_status_from_http(resp->status, err.code);
        }
    }
    if (code != NULL)
        f.code = code;
    if (ambiguous)
        f.ambiguous = true;
    if (why != NULL) /* our own finding wins over the body's */
        f.message = why;
    else if (err.message != NULL)
        f.message = err.message;
    else if (resp != NULL && resp->status >= 400)
        f.message = msg =
            xasprintf(_("HTTP %ld with no error details"), resp->status);
    else
        f.message = kv_status_message(f.status);
    if (f.status == KV_OK)
        f.status = KV_ERR_INTERNAL;
    /* No id from Azure (no answer: refused, timed out, TLS): the id kvdeck
     * sent is all there is, and it is said to be kvdeck's. */
    char *with_id = NULL;
    if (resp != NULL && f.request_id == NULL && resp->client_request_id != NULL)
        f.message = with_id = xasprintf(_("%s (kvdeck's client request id %s)"),
                                        f.message, resp->client_request_id);
    op->cb.done(op->ud, &f);
    free(with_id);
    az_error_free(&err);
    free(msg);
    az_op_free(op);
}

static void
fail_now(void *ud)
{
    struct az_op *op = ud;
    op->call = 0;
    az_op_fail(op, op->early_status, NULL, op->early_why);
}

void
az_op_fail_later(struct az_op *op, enum kv_status st, const char *why)
{
    op->early_status = st;
    free(op->early_why);
    op->early_why = xstrdup(why);
    op->call = az_client_after(op->c, 0, fail_now, op);
}

void
az_op_succeed(struct az_op *op)
{
    op->cb.done(op->ud, NULL);
    az_op_free(op);
}

void
az_op_deliver(struct az_op *op, struct vec *items, bool more)
{
    op->pages++;
    op->cb.page(op->ud, items, more);
    az_op_free_items(op->type->kind, items); /* whatever was not taken */
}

/* Decodes every element of a page; skips (and logs) bad entries. */
static void
decode_page(struct az_op *op, const struct az_page *page, struct vec *out)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, page->value)
    {
        char *why = NULL;
        void *item = xcalloc(1, op->type->size);
        if (op->type->decode(it, item, &why) != KV_OK) {
            log_debug("ops: skipping an entry of %s: %s", op->origin_url, why);
            free(why);
            free(item);
            continue;
        }
        vec_push(out, item);
    }
}

static const char *
item_name(const struct az_op *op, const void *item)
{
    if (op->type->kind == AZ_ITEM_VAULT)
        return ((const struct kv_vault *)item)->name;
    return NULL;
}

static void
on_list_page(struct az_op *op, const struct az_response *resp)
{
    struct az_page page;
    struct vec items = VEC_INIT;
    char *why = NULL;
    size_t len;
    const char *body = az_response_body(resp, &len);

    if (az_page_parse(body, len, op->origin_url, &page, &why) != KV_OK) {
        az_op_fail(op, KV_ERR_PARSE, resp, why);
        free(why);
        return;
    }
    decode_page(op, &page, &items);
    char *next = page.next_link;
    page.next_link = NULL;
    az_page_free(&page);
    if (next != NULL && !az_url_same_origin(next, op->origin_url)) {
        why = xasprintf(_("refusing a nextLink to another host: %s"), next);
        az_op_free_items(op->type->kind, &items);
        az_op_fail(op, KV_ERR_PARSE, resp, why);
        free(why);
        free(next);
        return;
    }
    if (op->mode == AZ_OP_FIND) {
        for (size_t i = 0; i < items.len; i++) {
            if (str_ieq(item_name(op, items.items[i]), op->match)) {
                struct vec one = VEC_INIT;
                vec_push(&one, vec_remove(&items, i));
                az_op_free_items(op->type->kind, &items);
                az_op_deliver(op, &one, false);
                free(next);
                az_op_succeed(op);
                return;
            }
        }
        az_op_free_items(op->type->kind, &items);
        if (next == NULL) {
            why = xasprintf(_("no vault named \"%s\" in this subscription"),
                            op->match);
            az_op_fail(op, KV_ERR_NOT_FOUND, NULL, why);
            free(why);
            return;
        }
    } else if (items.len > 0 || next == NULL) {
        az_op_deliver(op, &items, next != NULL);
    }
    if (next == NULL) {
        az_op_succeed(op);
        return;
    }
    az_op_send(op, next);
    free(next);
}

static void
on_get(struct az_op *op, const struct az_response *resp)
{
    char *why = NULL;
    size_t len;
    const char *body = az_response_body(resp, &len);

    if (op->mode == AZ_OP_EMPTY) {
        az_op_succeed(op);
        return;
    }
    if (op->mode == AZ_OP_SECRET) {
        struct kv_secret_version *meta = xcalloc(1, sizeof *meta);
        struct secret *value = NULL;
        if (az_secret_bundle_decode(body, len, meta, &value, &why) != KV_OK) {
            free(meta);
            az_op_fail(op, KV_ERR_PARSE, resp, why);
            free(why);
            return;
        }
        op->cb.secret(op->ud, meta, value);
        az_op_succeed(op);
        return;
    }
    cJSON *root = json_parse(body, len, op->origin_url, &why);
    if (op->plane == AZ_PLANE_DATA)
        json_scrub(root, "value"); /* should a bundle ever echo one */
    void *item = xcalloc(1, op->type->size);
    if (root == NULL || op->type->decode(root, item, &why) != KV_OK) {
        cJSON_Delete(root);
        free(item);
        az_op_fail(op, KV_ERR_PARSE, resp, why);
        free(why);
        return;
    }
    cJSON_Delete(root);
    struct vec one = VEC_INIT;
    vec_push(&one, item);
    az_op_deliver(op, &one, false);
    az_op_succeed(op);
}

static void
on_done(void *ud, struct az_response *resp, enum kv_status st, const char *why)
{
    struct az_op *op = ud;
    op->call = 0;
    if (op->mode == AZ_OP_CUSTOM) {
        op->on_response(op, resp, st, why);
    } else if (resp == NULL || st != KV_OK) {
        az_op_fail(op, st, resp, why);
    } else if (resp->status < 200 || resp->status > 299) {
        az_op_fail(op, az_status_from_http(resp->status, NULL), resp, NULL);
    } else if (op->mode == AZ_OP_LIST || op->mode == AZ_OP_FIND) {
        on_list_page(op, resp);
    } else {
        on_get(op, resp);
    }
    az_response_free(resp);
}

static void
on_wait(void *ud, const struct az_http_wait *w)
{
    struct az_op *op = ud;
    if (op->cb.wait != NULL)
        op->cb.wait(op->ud, w);
}

void
az_op_send_request(struct az_op *op, struct az_request *req)
{
    op->call = az_client_call(op->c, op->plane, req, on_done, on_wait, op);
}

void
az_op_send(struct az_op *op, const char *url)
{
    struct az_request *req =
        az_request_new(op->method != NULL ? op->method : "GET", url);
    if (op->body != NULL)
        az_request_json(req, op->body);
    if (op->secret_body != NULL) { /* one request takes it */
        req->secret_body = op->secret_body;
        op->secret_body = NULL;
        az_request_header(req, "Content-Type: application/json");
    }
    req->no_replay = op->no_replay;
    req->secret_response = op->mode == AZ_OP_SECRET;
    /* a data-plane write may echo a value (a bundle): secure memory */
    if (op->write && op->plane == AZ_PLANE_DATA)
        req->secret_response = true;
    free(op->method); /* later requests (nextLink) are GETs */
    op->method = NULL;
    free(op->body);
    op->body = NULL;
    az_op_send_request(op, req);
}

struct az_op *
az_op_new(struct az_client *c, enum az_op_mode mode, enum az_plane plane,
          enum az_item_kind kind, char *url, const struct az_op_cb *cb,
          void *ud)
{
    struct az_op *op = xcalloc(1, sizeof *op);
    op->c = c;
    op->mode = mode;
    op->plane = plane;
    op->type = &item_types[kind];
    op->origin_url = url; /* taken */
    op->cb = *cb;
    op->ud = ud;
    return op;
}

static struct az_op *
op_start(struct az_client *c, enum az_op_mode mode, enum az_plane plane,
         enum az_item_kind kind, char *url, const struct az_op_cb *cb, void *ud)
{
    struct az_op *op = az_op_new(c, mode, plane, kind, url, cb, ud);
    az_op_send(op, url);
    return op;
}

void
az_op_cancel(struct az_op *op)
{
    if (op == NULL)
        return;
    if (op->call != 0)
        az_client_cancel(op->c, op->call);
    az_op_free(op);
}

char *
az_op_arm_url(struct az_client *c, const char *path, const char *api)
{
    char *base = az_cloud_arm_url(az_client_cloud(c), path);
    char *url = xasprintf("%s%capi-version=%s", base,
                          strchr(base, '?') != NULL ? '&' : '?', api);
    free(base);
    return url;
}

struct az_op *
az_list_subscriptions(struct az_client *c, const struct az_op_cb *cb, void *ud)
{
    return op_start(c, AZ_OP_LIST, AZ_PLANE_ARM, AZ_ITEM_SUBSCRIPTION,
                    az_op_arm_url(c, "/subscriptions", AZ_API_SUBSCRIPTIONS),
                    cb, ud);
}

struct az_op *
az_list_tenants(struct az_client *c, const struct az_op_cb *cb, void *ud)
{
    return op_start(c, AZ_OP_LIST, AZ_PLANE_ARM, AZ_ITEM_TENANT,
                    az_op_arm_url(c, "/tenants", AZ_API_SUBSCRIPTIONS),
                    cb, ud);
}

struct az_op *
az_list_groups(struct az_client *c, const char *subscription,
               const struct az_op_cb *cb, void *ud)
{
    char *s = str_url_encode(subscription);
    char *path = xasprintf("/subscriptions/%s/resourcegroups", s);
    struct az_op *op = op_start(c, AZ_OP_LIST, AZ_PLANE_ARM, AZ_ITEM_GROUP,
                                az_op_arm_url(c, path, AZ_API_GROUPS), cb, ud);
    free(s);
    free(path);
    return op;
}

struct az_op *
az_list_vaults(struct az_client *c, const char *subscription, const char *group,
               const struct az_op_cb *cb, void *ud)
{
    char *s = str_url_encode(subscription), *path;
    if (group != NULL) {
        char *g = str_url_encode(group);
        path = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                         "Microsoft.KeyVault/vaults",
                         s, g);
        free(g);
    } else {
        path = xasprintf("/subscriptions/%s/providers/Microsoft.KeyVault/"
                         "vaults",
                         s);
    }
    struct az_op *op =
        op_start(c, AZ_OP_LIST, AZ_PLANE_ARM, AZ_ITEM_VAULT,
                 az_op_arm_url(c, path, AZ_API_KEYVAULT), cb, ud);
    free(s);
    free(path);
    return op;
}

struct az_op *
az_find_vault(struct az_client *c, const char *subscription, const char *name,
              const struct az_op_cb *cb, void *ud)
{
    char *s = str_url_encode(subscription);
    char *path = xasprintf("/subscriptions/%s/providers/Microsoft.KeyVault/"
                           "vaults",
                           s);
    struct az_op *op =
        az_op_new(c, AZ_OP_FIND, AZ_PLANE_ARM, AZ_ITEM_VAULT,
                  az_op_arm_url(c, path, AZ_API_KEYVAULT), cb, ud);
    op->match = xstrdup(name);
    az_op_send(op, op->origin_url);
    free(s);
    free(path);
    return op;
}

char *
az_op_id_path(const char *id, const char *suffix)
{
    if (id == NULL || id[0] != '/' || strpbrk(id, "?# ") != NULL)
        return NULL;
    char *trim = str_rstrip_slash(id);
    char *p = xasprintf("%s%s", trim, suffix);
    free(trim);
    return p;
}

struct az_op *
az_get_vault(struct az_client *c, const char *vault_id,
             const struct az_op_cb *cb, void *ud)
{
    char *path = az_op_id_path(vault_id, "");
    char *url = path != NULL ? az_op_arm_url(c, path, AZ_API_KEYVAULT)
                             : xasprintf("%s", "invalid-vault-id:");
    free(path);
    return op_start(c, AZ_OP_GET, AZ_PLANE_ARM, AZ_ITEM_VAULT, url, cb, ud);
}

struct az_op *
az_list_endpoint_connections(struct az_client *c, const char *vault_id,
                             const struct az_op_cb *cb, void *ud)
{
    char *path = az_op_id_path(vault_id, "/privateEndpointConnections");
    char *url = path != NULL ? az_op_arm_url(c, path, AZ_API_KEYVAULT)
                             : xasprintf("%s", "invalid-vault-id:");
    free(path);
    return op_start(c, AZ_OP_LIST, AZ_PLANE_ARM, AZ_ITEM_PEC, url, cb, ud);
}

static int
page_size(int n)
{
    return n >= 1 && n <= 25 ? n : 25;
}

char *
az_op_data_url(const char *vault_uri, const char *collection, const char *name,
               const char *rest, const char *query)
{
    char *base = str_rstrip_slash(vault_uri);
    char *n = name != NULL ? str_url_encode(name) : NULL;
    char *url = xasprintf("%s/%s%s%s%s?api-version=%s%s", base, collection,
                          n != NULL ? "/" : "", n != NULL ? n : "",
                          rest != NULL ? rest : "", AZ_API_DATA,
                          query != NULL ? query : "");
    free(base);
    free(n);
    return url;
}

bool
az_op_secret_name_ok(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;
    if (n == 0 || n > 127)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
              (ch >= 'A' && ch <= 'Z') || ch == '-'))
            return false;
    }
    return true;
}

struct az_op *
az_list_secrets(struct az_client *c, const char *vault_uri, int size,
                const struct az_op_cb *cb, void *ud)
{
    char q[32];
    snprintf(q, sizeof q, "&maxresults=%d", page_size(size));
    return op_start(c, AZ_OP_LIST, AZ_PLANE_DATA, AZ_ITEM_SECRET,
                    az_op_data_url(vault_uri, "secrets", NULL, NULL, q), cb,
                    ud);
}

struct az_op *
az_list_versions(struct az_client *c, const char *vault_uri, const char *name,
                 int size, const struct az_op_cb *cb, void *ud)
{
    char q[32];
    snprintf(q, sizeof q, "&maxresults=%d", page_size(size));
    return op_start(c, AZ_OP_LIST, AZ_PLANE_DATA, AZ_ITEM_VERSION,
                    az_op_data_url(vault_uri, "secrets", name, "/versions", q),
                    cb, ud);
}

struct az_op *
az_get_secret(struct az_client *c, const char *vault_uri, const char *name,
              const char *version, const struct az_op_cb *cb, void *ud)
{
    char *v = str_url_encode(version != NULL ? version : "");
    char *rest = xasprintf("/%s", v);
    char *url = az_op_data_url(vault_uri, "secrets", name, rest, NULL);
    free(v);
    free(rest);
    return op_start(c, AZ_OP_SECRET, AZ_PLANE_DATA, AZ_ITEM_VERSION, url, cb,
                    ud);
}

struct az_op *
az_list_deleted_secrets(struct az_client *c, const char *vault_uri, int size,
                        const struct az_op_cb *cb, void *ud)
{
    char q[32];
    snprintf(q, sizeof q, "&maxresults=%d", page_size(size));
    return op_start(c, AZ_OP_LIST, AZ_PLANE_DATA, AZ_ITEM_DELETED_SECRET,
                    az_op_data_url(vault_uri, "deletedsecrets", NULL, NULL, q),
                    cb, ud);
}

struct az_op *
az_get_deleted_secret(struct az_client *c, const char *vault_uri,
                      const char *name, const struct az_op_cb *cb, void *ud)
{
    return op_start(
        c, AZ_OP_GET, AZ_PLANE_DATA, AZ_ITEM_DELETED_SECRET,
        az_op_data_url(vault_uri, "deletedsecrets", name, NULL, NULL), cb, ud);
}
