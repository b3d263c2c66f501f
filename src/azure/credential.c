/*
 * credential.c — what every credential source shares: freeing one, and
 * reading a token endpoint's answer. The sources (credential-*.c) build
 * on this file only; credential-chain.c picks among them, so no source
 * depends on the chain.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/credential.h"
#include "azure/json.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

void
az_credential_free(struct az_credential *c)
{
    if (c == NULL)
        return;
    if (c->ops != NULL && c->ops->free != NULL)
        c->ops->free(c);
    az_cloud_free(c->cloud);
    free(c->tenant);
    free(c->name);
    free(c);
}

enum kv_status
az_credential_parse_token(const char *body, size_t len, int64_t now,
                          struct secret **token, int64_t *expires_at,
                          char **why)
{
    /* TRANSLATORS: goes into "malformed JSON in %s" */
    cJSON *root = json_parse(body, len, _("the token answer"), why);
    enum kv_status st = KV_ERR_PARSE;
    *token = NULL;
    if (root == NULL)
        return KV_ERR_PARSE;
    const char *tok = json_str(root, "access_token");
    const char *type = json_str(root, "token_type");
    if (tok == NULL || *tok == '\0') {
        *why = xstrdup(_("the token answer has no access_token"));
        goto out;
    }
    if (type != NULL && !str_ieq(type, "Bearer")) {
        *why = xasprintf(_("unsupported token type \"%s\""), type);
        goto out;
    }
    int64_t in = json_int(root, "expires_in", -1);
    int64_t on = json_int(root, "expires_on", -1);
    if (in > 0)
        *expires_at = now + in;
    else if (on > 0)
        *expires_at = on;
    else
        *expires_at = now + 300; /* unknown: assume short */
    *token = secret_dup(tok, strlen(tok));
    st = KV_OK;
out:
    json_scrub(root, "access_token");
    json_scrub(root, "refresh_token");
    json_scrub(root, "id_token");
    cJSON_Delete(root);
    return st;
}
