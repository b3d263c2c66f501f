/*
 * ops-secret-write.c — the Key Vault data plane's secret writes (see
 * ops.h): set (PUT, a new version), update (PATCH of a version's
 * attributes, content type and tags), delete, recover and purge.
 *
 * A set's body holds the value, so it is built in secure memory: the
 * value is JSON-escaped straight into a struct secret, never through
 * cJSON (whose strings live on the ordinary heap); only the fields
 * without a value go through cJSON. The answer echoes the value and is
 * received into secure memory too. A set is never replayed by the
 * transport (each PUT makes a version); see retry.h for the table.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/ops-int.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

/* The fields of w as a JSON object: no value ever goes in here. */
static cJSON *
fields_json(const struct az_secret_write *w)
{
    cJSON *o = cJSON_CreateObject();
    if (w == NULL)
        return o;
    if (w->content_type != NULL)
        cJSON_AddStringToObject(o, "contentType", w->content_type);
    if (w->enabled != AZ_LEAVE || w->set_not_before || w->set_expires) {
        cJSON *a = cJSON_AddObjectToObject(o, "attributes");
        if (w->enabled != AZ_LEAVE)
            cJSON_AddBoolToObject(a, "enabled", w->enabled == AZ_SET_TRUE);
        if (w->set_not_before && w->not_before != 0)
            cJSON_AddNumberToObject(a, "nbf", (double)w->not_before);
        else if (w->set_not_before)
            cJSON_AddNullToObject(a, "nbf");
        if (w->set_expires && w->expires != 0)
            cJSON_AddNumberToObject(a, "exp", (double)w->expires);
        else if (w->set_expires)
            cJSON_AddNullToObject(a, "exp");
    }
    if (w->tags != NULL) {
        cJSON *t = cJSON_AddObjectToObject(o, "tags");
        for (size_t i = 0; i < w->tags->n; i++) {
            const struct kv_tag *tag = &w->tags->items[i];
            if (tag->key != NULL)
                cJSON_AddStringToObject(t, tag->key,
                                        tag->value != NULL ? tag->value : "");
        }
    }
    return o;
}

static char *
fields_text(const struct az_secret_write *w)
{
    cJSON *o = fields_json(w);
    char *p = cJSON_PrintUnformatted(o);
    char *s = xstrdup(p != NULL ? p : "{}");
    cJSON_free(p);
    cJSON_Delete(o);
    return s;
}

/* True if the n bytes at p are well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
bool
az_op_utf8_ok(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char b = p[i];
        size_t more;
        unsigned long cp;
        if (b < 0x80) {
            i++;
            continue;
        } else if ((b & 0xe0) == 0xc0) {
            more = 1;
            cp = b & 0x1f;
        } else if ((b & 0xf0) == 0xe0) {
            more = 2;
            cp = b & 0x0f;
        } else if ((b & 0xf8) == 0xf0) {
            more = 3;
            cp = b & 0x07;
        } else {
            return false;
        }
        if (n - i <= more)
            return false;
        for (size_t k = 1; k <= more; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        static const unsigned long least[] = {0, 0x80, 0x800, 0x10000};
        if (cp < least[more] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += more + 1;
    }
    return true;
}

/* Bytes the JSON string escape of c takes. */
static size_t
escaped_size(unsigned char c)
{
    if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' ||
        c == '\r' || c == '\t')
        return 2;
    return c < 0x20 ? 6 : 1;
}

/* Writes the escape of c at out; returns the bytes written. */
static size_t
escape_into(char *out, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    const char *short_form = NULL;
    switch (c) {
    case '"':
        short_form = "\\\"";
        break;
    case '\\':
        short_form = "\\\\";
        break;
    case '\b':
        short_form = "\\b";
        break;
    case '\f':
        short_form = "\\f";
        break;
    case '\n':
        short_form = "\\n";
        break;
    case '\r':
        short_form = "\\r";
        break;
    case '\t':
        short_form = "\\t";
        break;
    default:
        break;
    }
    if (short_form != NULL) {
        out[0] = short_form[0];
        out[1] = short_form[1];
        return 2;
    }
    if (c < 0x20) {
        memcpy(out, "\\u00", 4);
        out[4] = hex[c >> 4];
        out[5] = hex[c & 15];
        return 6;
    }
    out[0] = (char)c;
    return 1;
}

struct secret *
az_secret_set_body(const struct secret *value, const struct az_secret_write *w)
{
    static const char head[] = "{\"value\":\"";
    const unsigned char *v = (const unsigned char *)value->data;
    char *rest = fields_text(w); /* "{}" or "{...}" */
    size_t rest_len = strlen(rest);
    size_t esc = 0;

    for (size_t i = 0; i < value->len; i++)
        esc += escaped_size(v[i]);
    /* head, value, '"', then "}" or "," + rest without its '{' */
    size_t total = sizeof head - 1 + esc + 1 + (rest_len > 2 ? rest_len : 1);
    struct secret *s = secret_new(total);
    char *out = s->data;
    size_t at = 0;
    memcpy(out, head, sizeof head - 1);
    at += sizeof head - 1;
    for (size_t i = 0; i < value->len; i++)
        at += escape_into(out + at, v[i]);
    out[at++] = '"';
    if (rest_len > 2) {
        out[at++] = ',';
        memcpy(out + at, rest + 1, rest_len - 1);
        at += rest_len - 1;
    } else {
        out[at++] = '}';
    }
    out[at] = '\0';
    s->len = at;
    free(rest);
    return s;
}

/* A write op on the data plane; NULL url pieces are checked first. */
static struct az_op *
write_op(struct az_client *c, enum az_op_mode mode, enum az_item_kind kind,
         const char *method, const char *vault_uri, const char *collection,
         const char *name, const char *rest, const struct az_op_cb *cb,
         void *ud, char **why)
{
    bool uri_ok = vault_uri != NULL && str_istarts(vault_uri, "https://");
    char *url =
        uri_ok ? az_op_data_url(vault_uri, collection, name, rest, NULL) : NULL;
    struct az_op *op = az_op_new(c, mode, AZ_PLANE_DATA, kind, url, cb, ud);
    op->method = xstrdup(method);
    op->write = true;
    if (!uri_ok)
        *why = xasprintf(_("not a vault URI: %s"),
                         vault_uri != NULL ? vault_uri : "(none)");
    else if (!az_op_secret_name_ok(name))
        *why = xasprintf(_("\"%s\" is not a valid secret name (1 to 127 "
                           "letters, digits and dashes)"),
                         name != NULL ? name : "");
    return op;
}

/* Sends the op, or ends it from the loop with why (taken). */
static struct az_op *
start(struct az_op *op, char *why)
{
    if (why != NULL) {
        az_op_fail_later(op, KV_ERR_INVALID, why);
        free(why);
        return op;
    }
    az_op_send(op, op->origin_url);
    return op;
}

struct az_op *
az_secret_set(struct az_client *c, const char *vault_uri, const char *name,
              const struct secret *value, const struct az_secret_write *w,
              const struct az_op_cb *cb, void *ud)
{
    char *why = NULL;
    struct az_op *op = write_op(c, AZ_OP_SECRET, AZ_ITEM_VERSION, "PUT",
                                vault_uri, "secrets", name, NULL, cb, ud, &why);
    op->no_replay = true; /* every PUT makes a version */
    if (why == NULL && value == NULL)
        why = xstrdup(_("no value to set"));
    else if (why == NULL &&
             !az_op_utf8_ok((const unsigned char *)value->data,
                           value->len))
        why = xstrdup(_("the value is not UTF-8 text; Key Vault stores "
                        "text (encode binary data, e.g. as base64)"));
    if (why == NULL)
        op->secret_body = az_secret_set_body(value, w);
    return start(op, why);
}

struct az_op *
az_secret_update(struct az_client *c, const char *vault_uri, const char *name,
                 const char *version, const struct az_secret_write *w,
                 const struct az_op_cb *cb, void *ud)
{
    char *why = NULL;
    char *v = str_url_encode(version != NULL ? version : "");
    char *rest = xasprintf("/%s", v);
    struct az_op *op = write_op(c, AZ_OP_GET, AZ_ITEM_VERSION, "PATCH",
                                vault_uri, "secrets", name, rest, cb, ud, &why);
    free(v);
    free(rest);
    op->body = fields_text(w);
    return start(op, why);
}

struct az_op *
az_secret_delete(struct az_client *c, const char *vault_uri, const char *name,
                 const struct az_op_cb *cb, void *ud)
{
    char *why = NULL;
    struct az_op *op = write_op(c, AZ_OP_GET, AZ_ITEM_DELETED_SECRET, "DELETE",
                                vault_uri, "secrets", name, NULL, cb, ud, &why);
    return start(op, why);
}

struct az_op *
az_secret_recover(struct az_client *c, const char *vault_uri, const char *name,
                  const struct az_op_cb *cb, void *ud)
{
    char *why = NULL;
    struct az_op *op =
        write_op(c, AZ_OP_GET, AZ_ITEM_VERSION, "POST", vault_uri,
                 "deletedsecrets", name, "/recover", cb, ud, &why);
    return start(op, why);
}

struct az_op *
az_secret_purge(struct az_client *c, const char *vault_uri, const char *name,
                const struct az_op_cb *cb, void *ud)
{
    char *why = NULL;
    struct az_op *op =
        write_op(c, AZ_OP_EMPTY, AZ_ITEM_NONE, "DELETE", vault_uri,
                 "deletedsecrets", name, NULL, cb, ud, &why);
    return start(op, why);
}
