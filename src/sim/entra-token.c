/*
 * entra-token.c — the token endpoint: grant dispatch, client credentials
 * (a secret, or a JWT client assertion checked against a registered
 * certificate), the claims request parameter, and the success answer
 * shared by every grant.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/secmem.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/auth.h"
#include "sim/entra.h"
#include "sim/jwt.h"
#include "sim/keys.h"
#include "sim/sim.h"
#include "sim/store.h"
#include "sim/util.h"

#define ASSERTION_TYPE "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#define DEVICE_GRANT   "urn:ietf:params:oauth:grant-type:device_code"

char *
entra_resource_of(const char *scope, const char *resource, bool *offline,
                  bool *openid)
{
    char *copy, *tok, *save = NULL, *res = NULL;

    *offline = *openid = false;
    if (!scope) {
        return resource ? xstrdup(resource) : NULL;
    }
    copy = xstrdup(scope);
    for (tok = strtok_r(copy, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save)) {
        if (strcmp(tok, "offline_access") == 0)
            *offline = true;
        else if (strcmp(tok, "openid") == 0)
            *openid = true;
        else if (strcmp(tok, "profile") == 0 || strcmp(tok, "email") == 0)
            continue;
        else if (!res) {
            if (str_ends(tok, "/.default"))
                res = xstrndup(tok, strlen(tok) - strlen("/.default"));
            else if (strstr(tok, "://") &&
                     strrchr(tok, '/') > strstr(tok, "://") + 2)
                res = xstrndup(tok, (size_t)(strrchr(tok, '/') - tok));
            else
                res = xstrdup(tok);
        }
    }
    free(copy);
    if (!res && resource)
        res = xstrdup(resource);
    if (!res)
        res = xstrdup("00000003-0000-0000-c000-000000000000");
    return res;
}

bool
entra_resource_known(struct sim_req *rq, const char *res)
{
    return auth_audience_ok(rq, AUD_ARM, res) ||
           auth_audience_ok(rq, AUD_VAULT, res) ||
           auth_audience_ok(rq, AUD_GRAPH, res);
}

/* Writes the success answer of the token endpoint. */
void
entra_token_answer(struct sim_req *rq, struct sim_resp *rs, const char *res,
                   const struct auth_subject *who, bool v1, bool refresh,
                   bool id_token, const char *issuer)
{
    struct auth_subject w = *who;
    char *claims = entra_form_get(rq, "claims");
    int life = 0;
    cJSON *o = cJSON_CreateObject();
    char *at, *ci;

    /* A claims request (after a claims challenge) may ask for a token
     * not valid before some time: it gets that nbf. */
    if (!w.not_before)
        w.not_before = auth_claims_nbf(claims);
    if (!w.tenant)
        w.tenant = rq->tenant; /* /TENANT2/...: a token of that tenant */
    free(claims);
    at = auth_access_token(rq->sim, res, &w, &life);

    cJSON_AddStringToObject(o, "token_type", "Bearer");
    if (who->user) {
        char *scope = xasprintf("%s/user_impersonation", res);

        cJSON_AddStringToObject(o, "scope", scope);
        free(scope);
    }
    cJSON_AddNumberToObject(o, "expires_in", life);
    cJSON_AddNumberToObject(o, "ext_expires_in", life);
    if (v1) {
        char *n = xasprintf("%lld", (long long)(sim_clock_s(rq->sim) + life));

        cJSON_AddStringToObject(o, "expires_on", n);
        free(n);
        cJSON_AddStringToObject(o, "resource", res);
    }
    cJSON_AddStringToObject(o, "access_token", at);
    if (refresh)
        entra_add_str(o, "refresh_token",
                      auth_refresh_token(rq->sim, who->client_id, who->scope));
    if (id_token)
        entra_add_str(o, "id_token",
                      auth_id_token(rq->sim, issuer, who->client_id));
    ci = entra_form_get(rq, "client_info");
    if (who->user && ci && strcmp(ci, "1") == 0)
        entra_add_str(o, "client_info", auth_client_info(rq->sim));
    free(ci);
    free(at);
    resp_json(rs, 200, o);
}

/* A thumbprint from an assertion header without its base64 padding
 * (MSAL Python sends x5t with "="; Entra accepts both forms). Caller
 * frees; NULL for NULL. */
static char *
thumb_unpadded(const char *t)
{
    char *c;
    size_t n;

    if (!t)
        return NULL;
    c = xstrdup(t);
    n = strlen(c);
    for (int i = 0; i < 2 && n > 0 && c[n - 1] == '='; i++)
        c[--n] = '\0';
    return c;
}

/* Checks a client assertion; returns the AADSTS code or 0. */
static int
check_assertion(struct sim_req *rq, const char *assertion,
                const char *client_id, const char **msg)
{
    struct sim *sim = rq->sim;
    struct jwt j;
    const char *aud;
    char *x5t, *x5t256;
    EVP_PKEY *pub = NULL;
    int rc = 0;
    int64_t now = sim_clock_s(sim);

    if (!jwt_parse(assertion, &j)) {
        *msg = "The client assertion is not a valid JWT.";
        return 700025;
    }
    x5t = thumb_unpadded(json_str(j.header, "x5t"));
    x5t256 = thumb_unpadded(json_str(j.header, "x5t#S256"));
    if ((x5t && strcmp(x5t, sim->keys.client_x5t) == 0) ||
        (x5t256 && strcmp(x5t256, sim->keys.client_x5t256) == 0)) {
        pub = sim->keys.client_pub;
        EVP_PKEY_up_ref(pub);
    } else {
        char *key = xasprintf("cert|%s", x5t ? x5t : x5t256 ? x5t256 : "");
        cJSON *c = store_get_json(sim->store, key);
        X509 *cert = c ? keys_parse_cert(json_str(c, "pem")) : NULL;

        if (cert)
            pub = X509_get_pubkey(cert);
        X509_free(cert);
        cJSON_Delete(c);
        free(key);
    }
    aud = json_str(j.claims, "aud");
    if (!pub) {
        *msg = "The certificate with identifier used to sign the client "
               "assertion is not registered on application.";
        rc = 700027;
    } else if (!jwt_verify(&j, pub)) {
        *msg = "Client assertion failed signature validation.";
        rc = 7000274;
    } else if (!str_eq(json_str(j.claims, "iss"), client_id) ||
               !str_eq(json_str(j.claims, "sub"), client_id)) {
        *msg = "Client assertion application identifier doesn't match "
               "'client_id' parameter.";
        rc = 700021;
    } else if (!aud || (!str_ends(aud, "/oauth2/v2.0/token") &&
                        !str_ends(aud, "/oauth2/token"))) {
        *msg = "Client assertion audience claim does not match Realm "
               "issuer.";
        rc = 700016;
    } else if (json_int(j.claims, "exp", 0) <= now ||
               json_int(j.claims, "nbf", 0) > now + 300) {
        *msg = "Client assertion is not within its valid time range.";
        rc = 700024;
    }
    EVP_PKEY_free(pub);
    jwt_free(&j);
    free(x5t);
    free(x5t256);
    return rc;
}

/* client_id and secret from the form or HTTP Basic authentication. */
static void
client_credentials_of(struct sim_req *rq, char **id, char **secret)
{
    const char *h = req_header(rq, "Authorization");

    *id = entra_form_get(rq, "client_id");
    *secret = entra_form_get(rq, "client_secret");
    if (h && strncasecmp(h, "Basic ", 6) == 0) {
        unsigned char *raw = NULL;
        size_t len = 0;

        if (str_base64_decode(h + 6, strlen(h + 6), &raw, &len)) {
            char *colon = strchr((char *)raw, ':');

            if (colon) {
                *colon = '\0';
                free(*id);
                free(*secret);
                *id = str_url_decode((char *)raw, strlen((char *)raw));
                *secret = str_url_decode(colon + 1, strlen(colon + 1));
            }
        }
        free(raw);
    }
}

static void
grant_client_credentials(struct sim_req *rq, struct sim_resp *rs,
                         const char *res, bool v1)
{
    struct sim *sim = rq->sim;
    char *id, *secret, *atype = entra_form_get(rq, "client_assertion_type");
    char *assertion = entra_form_get(rq, "client_assertion");
    struct auth_subject who = {0};

    client_credentials_of(rq, &id, &secret);
    if (!id || !*id) {
        entra_error(rq, rs, 400, "invalid_request", 900144,
                    "The request body must contain the following parameter: "
                    "'client_id'.");
        goto out;
    }
    if (strcasecmp(id, sim->id.client_id) != 0) {
        entra_error(rq, rs, 400, "unauthorized_client", 700016,
                    "Application with identifier '%s' was not found in the "
                    "directory '%s'.",
                    id, sim->id.domain);
        goto out;
    }
    who.client_id = sim->id.client_id;
    if (assertion) {
        const char *msg = NULL;
        int code;

        if (!atype || strcmp(atype, ASSERTION_TYPE) != 0) {
            entra_error(rq, rs, 400, "invalid_request", 50027,
                        "Invalid client_assertion_type.");
            goto out;
        }
        if ((code = check_assertion(rq, assertion, id, &msg)) != 0) {
            entra_error(rq, rs, 401, "invalid_client", code, "%s", msg);
            goto out;
        }
        who.acr = 2;
    } else if (secret) {
        if (strlen(secret) != strlen(sim->id.client_secret) ||
            !secmem_equal(secret, sim->id.client_secret, strlen(secret))) {
            entra_error(rq, rs, 401, "invalid_client", 7000215,
                        "Invalid client secret provided. Ensure the secret "
                        "being sent in the request is the client secret value, "
                        "not the client secret ID, for a secret added to app "
                        "'%s'.",
                        id);
            goto out;
        }
        who.acr = 1;
    } else {
        entra_error(rq, rs, 401, "invalid_client", 7000216,
                    "'client_assertion', 'client_secret' or 'request' is "
                    "required for the 'client_credentials' grant type.");
        goto out;
    }
    entra_token_answer(rq, rs, res, &who, v1, false, false, NULL);
out:
    free(id);
    if (secret)
        secmem_wipe(secret, strlen(secret));
    free(secret);
    free(atype);
    free(assertion);
}

char *
entra_issuer(struct sim_req *rq, const char *pfx, bool adfs)
{
    if (adfs)
        return xasprintf("%s/adfs", rq->base);
    return xasprintf("%s%s/%s/v2.0", rq->base, pfx, rq->sim->id.tenant);
}

void
entra_token_endpoint(struct sim_req *rq, struct sim_resp *rs, bool v1,
                     const char *pfx, bool adfs)
{
    char *grant = entra_form_get(rq, "grant_type");
    char *scope = entra_form_get(rq, "scope");
    char *resource = entra_form_get(rq, "resource");
    char *res = NULL;
    bool offline, openid;

    if (strcmp(rq->method, "POST") != 0) {
        entra_error(rq, rs, 400, "invalid_request", 900561,
                    "The endpoint only accepts POST requests.");
        goto out;
    }
    if (!grant) {
        entra_error(rq, rs, 400, "invalid_request", 900144,
                    "The request body must contain the following parameter: "
                    "'grant_type'.");
        goto out;
    }
    if (strcmp(grant, "client_credentials") == 0) {
        res = entra_resource_of(scope, resource, &offline, &openid);
        if (!scope && !resource) {
            entra_error(rq, rs, 400, "invalid_request", 900144,
                        "The request body must contain the following "
                        "parameter: 'scope'.");
        } else if (!entra_resource_known(rq, res)) {
            entra_error(rq, rs, 400, "invalid_resource", 500011,
                        "The resource principal named %s was not found in "
                        "the tenant named %s.",
                        res, rq->sim->id.domain);
        } else {
            grant_client_credentials(rq, rs, res, v1);
        }
    } else if (strcmp(grant, DEVICE_GRANT) == 0 ||
               strcmp(grant, "device_code") == 0) {
        entra_grant_device_code(rq, rs, v1, pfx, adfs);
    } else if (strcmp(grant, "refresh_token") == 0) {
        entra_grant_refresh(rq, rs, v1, pfx, adfs);
    } else {
        entra_error(rq, rs, 400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '%s'.", grant);
    }
out:
    free(grant);
    free(scope);
    free(resource);
    free(res);
}
