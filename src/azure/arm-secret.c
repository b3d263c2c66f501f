/*
 * arm-secret.c — the decoder of a Microsoft.KeyVault/vaults/secrets
 * resource (the management-plane secret, issue #10) into the data
 * plane's struct kv_secret_version: id and version from
 * properties.secretUriWithVersion, vault_uri and name from secretUri,
 * attributes (unix seconds), contentType and tags. Resource Manager
 * never returns a value; should an answer carry one it is wiped from the
 * tree before json is printed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/resource.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

/* "https://host/secrets/NAME[/VERSION]": the vault URI, the name and
 * the version (each NULL when missing). */
static void
split_uri(const char *uri, char **vault_uri, char **name, char **version)
{
    const char *host = uri != NULL ? strstr(uri, "://") : NULL;
    if (host == NULL)
        return;
    const char *path = strchr(host + 3, '/');
    if (path == NULL)
        return;
    if (vault_uri != NULL && *vault_uri == NULL)
        *vault_uri = xstrndup(uri, (size_t)(path - uri));
    const char *n = str_icontains(path, "/secrets/");
    if (n == NULL)
        return;
    n += strlen("/secrets/");
    size_t nlen = strcspn(n, "/?");
    if (nlen > 0 && name != NULL && *name == NULL)
        *name = xstrndup(n, nlen);
    const char *v = n + nlen;
    if (*v == '/' && v[1] != '\0' && v[1] != '?' && version != NULL &&
        *version == NULL)
        *version = xstrndup(v + 1, strcspn(v + 1, "/?"));
}

enum kv_status
az_arm_secret_decode(const cJSON *j, struct kv_secret_version *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("a secret resource without an id"));
        return KV_ERR_PARSE;
    }
    const cJSON *p = cJSON_GetObjectItem(j, "properties");
    const char *with_version = json_str(p, "secretUriWithVersion");
    const char *uri = json_str(p, "secretUri");
    split_uri(uri, &out->vault_uri, &out->name, NULL);
    split_uri(with_version, &out->vault_uri, &out->name, &out->version);
    if (out->name == NULL)
        out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(json_str(j, "id"), "secrets");
    if (with_version != NULL)
        out->id = xstrdup(with_version);
    else if (uri != NULL)
        out->id = xstrdup(uri);
    else
        out->id = json_strdup(j, "id");
    out->content_type = json_strdup(p, "contentType");
    const cJSON *a = json_at(p, "attributes");
    out->attrs.enabled = json_bool(a, "enabled", true);
    out->attrs.created = json_time(a, "created");
    out->attrs.updated = json_time(a, "updated");
    out->attrs.not_before = json_time(a, "nbf");
    out->attrs.expires = json_time(a, "exp");
    az_tags_decode(cJSON_GetObjectItem(j, "tags"), &out->tags);
    cJSON *copy = cJSON_Duplicate(j, true);
    json_scrub(cJSON_GetObjectItem(copy, "properties"), "value");
    out->json = json_pretty(copy);
    cJSON_Delete(copy);
    return KV_OK;
}
