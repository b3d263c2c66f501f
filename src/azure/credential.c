/*
 * credential.c — what every credential source shares: freeing one, and
 * reading a token endpoint's answer. The sources (credential-*.c) build
 * on this file only; credential-chain.c picks among them, so no source
 * depends on the chain.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/credential-int.h"
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
az_token_of(const cJSON *root, const char *key, const char *type_key,
            bool on_first, const char *what, int64_t now, struct secret **token,
            int64_t *expires_at, char **why)
{
    const char *tok = json_str(root, key);
    const char *type = json_str(root, type_key);
    *token = NULL;
    if (tok == NULL || *tok == '\0') {
        /* TRANSLATORS: "no access_token in the token answer"; the
         * second %s is the answer's noun as in "malformed JSON in %s" */
        *why = xasprintf(_("no %s in %s"), key, what);
        return KV_ERR_PARSE;
    }
    if (type != NULL && !str_ieq(type, "Bearer")) {
        *why = xasprintf(_("unsupported token type \"%s\""), type);
        return KV_ERR_PARSE;
    }
    int64_t in = json_int(root, "expires_in", -1);
    int64_t on = json_int(root, "expires_on", -1);
    /* a lifetime past a year is nonsense (and now + in must not
     * overflow): a year */
    if (in > INT64_C(86400) * 365)
        in = INT64_C(86400) * 365;
    if (on > 0 && (on_first || in <= 0))
        *expires_at = on;
    else if (in > 0)
        *expires_at = now + in;
    else
        *expires_at = -1;
    *token = secret_dup(tok, strlen(tok));
    return KV_OK;
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
    st = az_token_of(root, "access_token", "token_type", false,
                     _("the token answer"), now, token, expires_at, why);
    if (st == KV_OK && *expires_at < 0)
        *expires_at = now + 300; /* unknown: assume short */
    json_scrub(root, "access_token");
    json_scrub(root, "refresh_token");
    json_scrub(root, "id_token");
    cJSON_Delete(root);
    return st;
}
