/*
 * arm-cognitive.c — decoders of the AI services account resource
 * (Microsoft.CognitiveServices/accounts) and of its keys' answer (see
 * cognitive.h). The keys go straight from the secure response body into
 * struct secret; the parse tree's copies are wiped before it is freed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/cognitive.h"
#include "azure/json.h"
#include "azure/resource.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

void
kv_ai_account_free(struct kv_ai_account *a)
{
    if (a == NULL)
        return;
    free(a->id);
    free(a->name);
    free(a->kind);
    free(a->location);
    free(a->endpoint);
    kv_tags_free(&a->tags);
    free(a->json);
    free(a);
}

enum kv_status
az_ai_account_decode(const cJSON *j, struct kv_ai_account *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j) || json_str(j, "id") == NULL) {
        *why = xstrdup(_("an AI services account without an id"));
        return KV_ERR_PARSE;
    }
    out->id = json_strdup(j, "id");
    out->name = json_strdup(j, "name");
    if (out->name == NULL)
        out->name = az_id_segment(out->id, "accounts");
    out->kind = json_strdup(j, "kind");
    out->location = json_strdup(j, "location");
    out->endpoint = json_strdup(j, "properties.endpoint");
    az_tags_decode(cJSON_GetObjectItem(j, "tags"), &out->tags);
    out->json = json_pretty(j);
    return KV_OK;
}

const char *
az_ai_key_name(int which)
{
    return which == 1 ? "Key1" : which == 2 ? "Key2" : NULL;
}

/* A key as Azure gives it: a non-empty string (secure copy), or NULL. */
static struct secret *
key_at(const cJSON *root, const char *name)
{
    const cJSON *k = cJSON_GetObjectItem(root, name);
    if (!cJSON_IsString(k) || k->valuestring[0] == '\0')
        return NULL;
    return secret_dup(k->valuestring, strlen(k->valuestring));
}

enum kv_status
az_ai_keys_parse(const char *body, size_t len, struct secret **key1,
                 struct secret **key2, char **why)
{
    *key1 = *key2 = NULL;
    /* TRANSLATORS: goes into "malformed JSON in %s" */
    cJSON *root = json_parse(body, len, _("the account's keys"), why);
    if (root == NULL)
        return KV_ERR_PARSE;
    struct secret *a = key_at(root, "key1"), *b = key_at(root, "key2");
    json_scrub(root, "key1");
    json_scrub(root, "key2");
    cJSON_Delete(root);
    if (a == NULL || b == NULL) {
        secret_free(a);
        secret_free(b);
        *why = xstrdup(_("the answer does not hold both keys (key1, key2)"));
        return KV_ERR_PARSE;
    }
    *key1 = a;
    *key2 = b;
    return KV_OK;
}
