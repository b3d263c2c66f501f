/*
 * kv-secrets.c — decoders for the Key Vault data plane's secrets: list
 * items (SecretItem), version items and bundles (SecretBundle), deleted
 * secrets (DeletedSecretItem/Bundle), PROTOCOL.md §5. Times are unix seconds; a
 * bundle's value goes to secure memory and is wiped from the parse tree.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/resource.h"
#include "base/i18n.h"
#include "base/secmem.h"
#include "base/str.h"
#include "base/xalloc.h"

/* Splits "https://host[:port]/COLLECTION/NAME[/VERSION]" into its vault
 * URI, name and version. Returns false if id has no such shape. */
static bool
split_id(const char *id, struct kv_secret_version *out)
{
    const char *host = strstr(id, "://");
    if (host == NULL)
        return false;
    host += 3;
    const char *path = strchr(host, '/');
    if (path == NULL || path == host)
        return false;
    const char *name = strchr(path + 1, '/');
    if (name == NULL || name[1] == '\0')
        return false;
    name++;
    size_t nlen = strcspn(name, "/?");
    if (nlen == 0)
        return false;
    out->vault_uri = xstrndup(id, (size_t)(path - id));
    out->name = xstrndup(name, nlen);
    const char *ver = name + nlen;
    if (*ver == '/' && ver[1] != '\0' && ver[1] != '?') {
        ver++;
        out->version = xstrndup(ver, strcspn(ver, "/?"));
    }
    return true;
}

static void
attrs_decode(const cJSON *a, struct kv_secret_attrs *out)
{
    memset(out, 0, sizeof *out);
    out->enabled = json_bool(a, "enabled", true);
    out->created = json_time(a, "created");
    out->updated = json_time(a, "updated");
    out->not_before = json_time(a, "nbf");
    out->expires = json_time(a, "exp");
    out->recoverable_days = (int)json_int(a, "recoverableDays", 0);
    out->recovery_level = json_strdup(a, "recoveryLevel");
}

/* Fills everything but json; on failure *out owns nothing. */
static enum kv_status
decode_fields(const cJSON *j, struct kv_secret_version *out, char **why)
{
    memset(out, 0, sizeof *out);
    const char *id = json_str(j, "id");
    if (!cJSON_IsObject(j) || id == NULL) {
        *why = xstrdup(_("a secret entry without an id"));
        return KV_ERR_PARSE;
    }
    out->id = xstrdup(id);
    if (!split_id(id, out)) {
        *why = xasprintf(_("a secret id that is not a Key Vault URL: %s"), id);
        free(out->id); /* split_id() set nothing */
        out->id = NULL;
        return KV_ERR_PARSE;
    }
    out->content_type = json_strdup(j, "contentType");
    out->managed = json_bool(j, "managed", false);
    attrs_decode(cJSON_GetObjectItem(j, "attributes"), &out->attrs);
    az_tags_decode(cJSON_GetObjectItem(j, "tags"), &out->tags);
    return KV_OK;
}

enum kv_status
az_secret_version_decode(const cJSON *j, struct kv_secret_version *out,
                         char **why)
{
    enum kv_status st = decode_fields(j, out, why);
    if (st != KV_OK)
        return st;
    if (cJSON_GetObjectItem(j, "value") != NULL) {
        /* never keep a value in ordinary memory, even by mistake */
        cJSON *copy = cJSON_Duplicate(j, true);
        json_scrub(copy, "value");
        out->json = json_pretty(copy);
        cJSON_Delete(copy);
    } else {
        out->json = json_pretty(j);
    }
    return KV_OK;
}

/* A list item is a version without the version: decode one, move it. */
enum kv_status
az_secret_decode(const cJSON *j, struct kv_secret_item *out, char **why)
{
    struct kv_secret_version v;
    memset(out, 0, sizeof *out);
    enum kv_status st = az_secret_version_decode(j, &v, why);
    if (st != KV_OK)
        return st;
    free(v.version);
    out->id = v.id;
    out->name = v.name;
    out->vault_uri = v.vault_uri;
    out->content_type = v.content_type;
    out->managed = v.managed;
    out->attrs = v.attrs;
    out->tags = v.tags;
    out->json = v.json;
    return KV_OK;
}

enum kv_status
az_deleted_secret_decode(const cJSON *j, struct kv_deleted_secret *out,
                         char **why)
{
    struct kv_secret_version v;
    memset(out, 0, sizeof *out);
    enum kv_status st = az_secret_version_decode(j, &v, why);
    if (st != KV_OK)
        return st;
    out->id = v.id;
    out->name = v.name;
    out->version = v.version;
    out->vault_uri = v.vault_uri;
    out->content_type = v.content_type;
    out->managed = v.managed;
    out->attrs = v.attrs;
    out->tags = v.tags;
    out->json = v.json;
    out->recovery_id = json_strdup(j, "recoveryId");
    out->deleted_date = json_time(j, "deletedDate");
    out->scheduled_purge_date = json_time(j, "scheduledPurgeDate");
    return KV_OK;
}

enum kv_status
az_secret_bundle_decode(const char *body, size_t len,
                        struct kv_secret_version *out, struct secret **value,
                        char **why)
{
    enum kv_status st;
    *value = NULL;
    memset(out, 0, sizeof *out);
    /* TRANSLATORS: goes into "malformed JSON in %s" */
    cJSON *root = json_parse(body, len, _("secret bundle"), why);
    if (root == NULL)
        return KV_ERR_PARSE;
    const cJSON *v = cJSON_GetObjectItem(root, "value");
    if (!cJSON_IsString(v)) {
        *why = xstrdup(_("the secret bundle has no \"value\""));
        st = KV_ERR_PARSE;
        goto out;
    }
    st = decode_fields(root, out, why);
    if (st != KV_OK)
        goto out;
    *value = secret_dup(v->valuestring, strlen(v->valuestring));
    json_scrub(root, "value");
    out->json = json_pretty(root);
out:
    if (st != KV_OK && cJSON_IsString(v))
        json_scrub(root, "value");
    cJSON_Delete(root);
    return st;
}
