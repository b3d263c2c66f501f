/*
 * credential-device-parse.c — the answers of the device-code sign-in
 * (see credential-device.h): the devicecode endpoint's grant, and the
 * token endpoint's answer to a poll or a refresh, sorted into what the
 * flow does next. Pure: no I/O, unit-tested.
 *
 * Answers arrive in secure memory; cJSON's copies of the device code and
 * the tokens are wiped (json_scrub) before the tree is freed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/credential-device.h"
#include "azure/credential-int.h"
#include "azure/json.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

/* Wipes what an answer may carry that opens anything. */
static void
scrub(cJSON *root)
{
    json_scrub(root, "device_code");
    json_scrub(root, "access_token");
    json_scrub(root, "refresh_token");
    json_scrub(root, "id_token");
}

enum kv_status
az_device_parse_grant(const char *body, size_t len, int64_t now,
                      struct az_device_grant *g, char **why)
{
    memset(g, 0, sizeof *g);
    /* TRANSLATORS: goes into "malformed JSON in %s" */
    cJSON *root = json_parse(body, len, _("the device code answer"), why);
    if (root == NULL)
        return KV_ERR_PARSE;
    const char *dc = json_str(root, "device_code");
    const char *uc = json_str(root, "user_code");
    const char *uri = json_str(root, "verification_uri");
    if (uri == NULL)
        uri = json_str(root, "verification_url"); /* v1.0 and AD FS */
    enum kv_status st = KV_ERR_PARSE;
    if (dc == NULL || *dc == '\0' || uc == NULL || *uc == '\0' || uri == NULL ||
        *uri == '\0') {
        *why = xstrdup(_("the device code answer lacks device_code, "
                         "user_code or verification_uri"));
        goto out;
    }
    g->device_code = secret_dup(dc, strlen(dc));
    g->user_code = xstrdup(uc);
    g->verification_uri = xstrdup(uri);
    g->message = json_strdup(root, "message");
    int64_t in = json_int(root, "expires_in", 900);
    int64_t iv = json_int(root, "interval", 5);
    g->expires_at = now + (in > 0 && in <= INT64_C(86400) * 365 ? in : 900);
    g->interval = iv > 0 && iv < 600 ? (int)iv : 5;
    st = KV_OK;
out:
    scrub(root);
    cJSON_Delete(root);
    return st;
}

void
az_device_grant_clear(struct az_device_grant *g)
{
    secret_free(g->device_code);
    free(g->user_code);
    free(g->verification_uri);
    free(g->message);
    memset(g, 0, sizeof *g);
}

void
az_user_token_clear(struct az_user_token *t)
{
    secret_free(t->access_token);
    secret_free(t->refresh_token);
    free(t->account);
    memset(t, 0, sizeof *t);
}

/* The claims of a JWT (its middle part), or NULL. The claims name the
 * user; the signature, which makes a token usable, is not decoded. */
static cJSON *
jwt_claims(const char *jwt)
{
    const char *a = jwt != NULL ? strchr(jwt, '.') : NULL;
    const char *b = a != NULL ? strchr(a + 1, '.') : NULL;
    unsigned char *raw = NULL;
    size_t n = 0;
    if (b == NULL || !str_base64_decode(a + 1, (size_t)(b - a - 1), &raw, &n))
        return NULL;
    cJSON *c = cJSON_ParseWithLength((const char *)raw, n);
    free(raw);
    return c;
}

/* Who a token names: preferred_username, upn, unique_name, or oid. */
static char *
account_of(const char *jwt)
{
    static const char *const keys[] = {"preferred_username", "upn",
                                       "unique_name", "oid"};
    cJSON *c = jwt_claims(jwt);
    char *who = NULL;
    for (size_t i = 0; c != NULL && who == NULL && i < 4; i++) {
        const char *v = json_str(c, keys[i]);
        if (v != NULL && *v != '\0')
            who = xstrdup(v);
    }
    cJSON_Delete(c);
    return who;
}

/* Entra's error_description without its "Trace ID: ..." tail. */
static char *
description(const cJSON *root)
{
    const char *d = json_str(root, "error_description");
    if (d == NULL)
        return NULL;
    size_t n = strcspn(d, "\r\n");
    const char *trace = strstr(d, " Trace ID:");
    if (trace != NULL && (size_t)(trace - d) < n)
        n = (size_t)(trace - d);
    return xstrndup(d, n);
}

/* The answer of a 200: the tokens. */
static enum az_device_poll
parse_tokens(cJSON *root, int64_t now, struct az_user_token *t, char **why)
{
    if (az_token_of(root, "access_token", "token_type", false,
                    _("the token answer"), now, &t->access_token,
                    &t->expires_at, why) != KV_OK)
        return AZ_POLL_ERROR;
    if (t->expires_at < 0)
        t->expires_at = now + 300; /* unknown: assume short */
    const char *at = json_str(root, "access_token");
    const char *rt = json_str(root, "refresh_token");
    if (rt != NULL && *rt != '\0')
        t->refresh_token = secret_dup(rt, strlen(rt));
    t->account = account_of(json_str(root, "id_token"));
    if (t->account == NULL)
        t->account = account_of(at);
    return AZ_POLL_TOKEN;
}

enum az_device_poll
az_device_parse_poll(long status, const char *body, size_t len, int64_t now,
                     struct az_user_token *t, char **why)
{
    memset(t, 0, sizeof *t);
    if (status == 0 || status >= 500 || status == 429) {
        *why = status == 0 ? xstrdup(_("no answer from the sign-in server"))
                           : xasprintf(_("the sign-in server answered HTTP "
                                         "%ld"),
                                       status);
        return AZ_POLL_RETRY;
    }
    char *perr = NULL;
    cJSON *root = json_parse(body, len, _("the token answer"), &perr);
    if (root == NULL) {
        *why = xasprintf(_("sign-in failed (HTTP %ld): %s"), status, perr);
        free(perr);
        return AZ_POLL_ERROR;
    }
    enum az_device_poll p = AZ_POLL_ERROR;
    if (status == 200) {
        p = parse_tokens(root, now, t, why);
        goto out;
    }
    const char *err = json_str(root, "error");
    char *desc = description(root);
    const cJSON *codes = cJSON_GetObjectItem(root, "error_codes");
    const cJSON *first = cJSON_IsArray(codes) ? codes->child : NULL;
    char aadsts[32] = "";
    if (cJSON_IsNumber(first))
        snprintf(aadsts, sizeof aadsts, "AADSTS%.0f", first->valuedouble);
    if (str_eq(err, "authorization_pending")) {
        p = AZ_POLL_PENDING;
    } else if (str_eq(err, "slow_down")) {
        p = AZ_POLL_SLOW_DOWN;
    } else if (str_eq(err, "authorization_declined") ||
               str_eq(err, "access_denied")) {
        p = AZ_POLL_DECLINED;
        *why = xasprintf(_("the sign-in was declined at the sign-in page "
                           "(%s)"),
                         *aadsts != '\0' ? aadsts : err);
    } else if (str_eq(err, "expired_token") || str_eq(err, "code_expired")) {
        p = AZ_POLL_EXPIRED;
        *why = xasprintf(_("the sign-in code expired before it was used "
                           "(%s)"),
                         *aadsts != '\0' ? aadsts : err);
    } else if (str_eq(err, "bad_verification_code")) {
        p = AZ_POLL_BAD_CODE;
        *why = xasprintf(_("the sign-in code was not accepted: unknown or "
                           "already used (%s)"),
                         *aadsts != '\0' ? aadsts : err);
    } else if (str_eq(err, "invalid_grant")) {
        p = AZ_POLL_INVALID_GRANT;
        *why = xasprintf(_("the saved sign-in is no longer valid: %s"),
                         desc != NULL ? desc : err);
    } else {
        *why = xasprintf(_("sign-in failed (HTTP %ld): %s%s%s"), status,
                         err != NULL ? err : _("no error code"),
                         desc != NULL ? ": " : "", desc != NULL ? desc : "");
    }
    free(desc);
out:
    scrub(root);
    cJSON_Delete(root);
    return p;
}

enum kv_status
az_device_status(enum az_device_poll p)
{
    switch (p) {
    case AZ_POLL_TOKEN:
    case AZ_POLL_PENDING:
    case AZ_POLL_SLOW_DOWN:
        return KV_OK;
    case AZ_POLL_DECLINED:
        return KV_ERR_SIGNIN_DECLINED;
    case AZ_POLL_EXPIRED:
        return KV_ERR_SIGNIN_EXPIRED;
    case AZ_POLL_BAD_CODE:
        return KV_ERR_SIGNIN_CODE;
    case AZ_POLL_RETRY:
        return KV_ERR_CONNECT;
    case AZ_POLL_INVALID_GRANT:
    case AZ_POLL_ERROR:
    default:
        return KV_ERR_AUTH;
    }
}
