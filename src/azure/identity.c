/*
 * identity.c — the signed-in identity from an access token's claims (see
 * identity.h). Only the payload (the middle part) is decoded; the
 * decoded claims are ordinary memory, the token is not.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/identity.h"
#include "azure/json.h"
#include "base/str.h"
#include "base/xalloc.h"

static char *
dup_or_null(const char *s)
{
    return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

bool
az_identity_from_token(const char *jwt, size_t len, struct az_identity *out)
{
    memset(out, 0, sizeof *out);
    const char *dot1 = memchr(jwt, '.', len);
    if (dot1 == NULL)
        return false;
    const char *p = dot1 + 1;
    const char *dot2 = memchr(p, '.', len - (size_t)(p - jwt));
    if (dot2 == NULL)
        return false;
    unsigned char *json = NULL;
    size_t n = 0;
    if (!str_base64_decode(p, (size_t)(dot2 - p), &json, &n))
        return false;
    char *perr = NULL;
    cJSON *root = json_parse((const char *)json, n, "", &perr);
    free(perr);
    free(json);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return false;
    }
    const char *acct = json_str(root, "upn");
    if (acct == NULL)
        acct = json_str(root, "unique_name");
    if (acct == NULL)
        acct = json_str(root, "preferred_username");
    const char *app = json_str(root, "appid");
    if (app == NULL)
        app = json_str(root, "azp");
    out->account = dup_or_null(acct);
    out->name = dup_or_null(json_str(root, "name"));
    out->app_id = dup_or_null(app);
    out->object_id = dup_or_null(json_str(root, "oid"));
    out->tenant_id = dup_or_null(json_str(root, "tid"));
    const char *idtyp = json_str(root, "idtyp");
    out->kind = xstrdup(idtyp != NULL          ? idtyp
                        : out->account != NULL ? "user"
                                               : "app");
    cJSON_Delete(root);
    return true;
}

const char *
az_identity_display(const struct az_identity *id)
{
    if (id->account != NULL)
        return id->account;
    if (id->app_id != NULL)
        return id->app_id;
    return id->object_id;
}

void
az_identity_copy(struct az_identity *dst, const struct az_identity *src)
{
    dst->account = dup_or_null(src->account);
    dst->name = dup_or_null(src->name);
    dst->app_id = dup_or_null(src->app_id);
    dst->object_id = dup_or_null(src->object_id);
    dst->tenant_id = dup_or_null(src->tenant_id);
    dst->kind = dup_or_null(src->kind);
}

void
az_identity_clear(struct az_identity *id)
{
    free(id->account);
    free(id->name);
    free(id->app_id);
    free(id->object_id);
    free(id->tenant_id);
    free(id->kind);
    memset(id, 0, sizeof *id);
}
