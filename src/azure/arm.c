/*
 * arm.c — list-page and error envelopes (see arm.h), written against the
 * shapes recorded in ../shared/azure/recordings.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/arm.h"
#include "azure/json.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

enum kv_status
az_page_parse(const char *body, size_t len, const char *what,
              struct az_page *out, char **why)
{
    static const cJSON empty_array = {.type = cJSON_Array};
    char *perr = NULL;

    memset(out, 0, sizeof *out);
    out->root = json_parse(body, len, what, &perr);
    if (out->root == NULL) {
        if (why != NULL)
            *why = perr;
        else
            free(perr);
        return KV_ERR_PARSE;
    }
    const cJSON *value = cJSON_GetObjectItem(out->root, "value");
    if (!cJSON_IsObject(out->root) || value == NULL ||
        !(cJSON_IsArray(value) || cJSON_IsNull(value))) {
        if (why != NULL)
            *why =
                xasprintf(_("%s: a list page without a \"value\" array"), what);
        az_page_free(out);
        return KV_ERR_PARSE;
    }
    out->value = cJSON_IsArray(value) ? value : &empty_array;
    const cJSON *next = cJSON_GetObjectItem(out->root, "nextLink");
    if (next == NULL)
        next = cJSON_GetObjectItem(out->root, "@odata.nextLink");
    if (cJSON_IsString(next) && next->valuestring[0] != '\0') {
        out->next_link = xstrdup(next->valuestring);
    } else if (next != NULL && !cJSON_IsNull(next) && !cJSON_IsString(next)) {
        if (why != NULL)
            *why = xasprintf(_("%s: \"nextLink\" is not a string"), what);
        az_page_free(out);
        return KV_ERR_PARSE;
    }
    return KV_OK;
}

size_t
az_page_count(const struct az_page *p)
{
    return p->value != NULL ? (size_t)cJSON_GetArraySize(p->value) : 0;
}

void
az_page_free(struct az_page *p)
{
    cJSON_Delete(p->root);
    free(p->next_link);
    memset(p, 0, sizeof *p);
}

/* The code of the innermost innererror below e, or NULL. */
static char *
innermost_code(const cJSON *e)
{
    const char *code = NULL;
    const cJSON *in = cJSON_GetObjectItem(e, "innererror");
    for (int depth = 0; cJSON_IsObject(in) && depth < 16; depth++) {
        const char *c = json_str(in, "code");
        if (c != NULL)
            code = c;
        in = cJSON_GetObjectItem(in, "innererror");
    }
    return code != NULL ? xstrdup(code) : NULL;
}

/* Fills out from an ARM/data-plane error object {code, message, ...}. */
static void
from_object(const cJSON *e, struct az_error *out, int depth)
{
    const cJSON *d;

    out->code = json_strdup(e, "code");
    out->message = json_strdup(e, "message");
    out->target = json_strdup(e, "target");
    out->inner_code = innermost_code(e);
    if (depth > 8)
        return;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(e, "details"))
    {
        if (!cJSON_IsObject(d))
            continue;
        struct az_error *sub = xcalloc(1, sizeof *sub);
        from_object(d, sub, depth + 1);
        vec_push(&out->details, sub);
    }
}

bool
az_error_from_json(const cJSON *root, struct az_error *out)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(root))
        return false;
    const cJSON *e = cJSON_GetObjectItem(root, "error");
    if (cJSON_IsObject(e)) {
        from_object(e, out, 0);
    } else if (cJSON_IsString(e)) { /* OAuth 2.0 token endpoint */
        out->code = xstrdup(e->valuestring);
        out->message = json_strdup(root, "error_description");
    } else if (json_str(root, "code") != NULL &&
               json_str(root, "message") != NULL) {
        from_object(root, out, 0); /* a bare error object */
    } else {
        return false;
    }
    if (out->code == NULL && out->message == NULL) {
        az_error_free(out);
        return false;
    }
    return true;
}

bool
az_error_parse(const char *body, size_t len, struct az_error *out)
{
    memset(out, 0, sizeof *out);
    if (body == NULL || len == 0)
        return false;
    cJSON *root = json_parse(body, len, "error", NULL);
    bool ok = az_error_from_json(root, out);
    cJSON_Delete(root);
    return ok;
}

void
az_error_free(struct az_error *e)
{
    if (e == NULL)
        return;
    free(e->code);
    free(e->message);
    free(e->target);
    free(e->inner_code);
    for (size_t i = 0; i < e->details.len; i++) {
        az_error_free(e->details.items[i]);
        free(e->details.items[i]);
    }
    vec_free(&e->details);
    memset(e, 0, sizeof *e);
}

enum kv_status
az_status_from_http(long http_status, const char *code)
{
    if (code != NULL &&
        (str_ieq(code, "ResourceGroupNotFound") ||
         str_ieq(code, "SecretNotFound") || str_ieq(code, "ResourceNotFound")))
        return KV_ERR_NOT_FOUND;
    switch (http_status) {
    case 401:
        return KV_ERR_AUTH;
    case 403:
        return KV_ERR_FORBIDDEN;
    case 404:
        return KV_ERR_NOT_FOUND;
    case 409:
        return KV_ERR_CONFLICT;
    case 413:
        return KV_ERR_TOO_LARGE;
    case 429:
        return KV_ERR_THROTTLED;
    default:
        return http_status >= 200 && http_status < 300 ? KV_OK : KV_ERR_HTTP;
    }
}
