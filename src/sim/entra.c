/*
 * entra.c — the Entra ID (Azure AD) v2 and ADFS endpoints: OpenID
 * discovery, JWKS, instance discovery, the token endpoint
 * (client_credentials with a secret or a JWT assertion, device code,
 * refresh_token) and the device-code endpoint.
 *
 * Paths may carry an "/adfs" prefix: /adfs/oauth2/token is ADFS proper;
 * /adfs/TENANT/... is accepted as an alias of /TENANT/... so that one
 * cloud file serves both az (ADFS mode, no instance discovery) and
 * clients that build tenant URLs from the same authority.
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
#include "sim/device.h"
#include "sim/jwt.h"
#include "sim/keys.h"
#include "sim/sim.h"
#include "sim/store.h"
#include "sim/util.h"

#define ASSERTION_TYPE "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#define DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

/* The value of key in a form-encoded body (caller frees), or NULL. */
static char *
form_get(const struct sim_req *rq, const char *key)
{
    const char *p = rq->body.data, *end = p ? p + rq->body.len : NULL;
    size_t klen = strlen(key);

    while (p && p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        char *k = str_url_decode(p, (size_t)((eq ? eq : stop) - p));

        if (k && strlen(k) == klen && strcmp(k, key) == 0) {
            free(k);
            return eq ? str_url_decode(eq + 1, (size_t)(stop - eq - 1))
                      : xstrdup("");
        }
        free(k);
        p = amp ? amp + 1 : NULL;
    }
    return NULL;
}

static void
aad_error(struct sim_req *rq, struct sim_resp *rs, int status,
          const char *error, int code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
aad_error(struct sim_req *rq, struct sim_resp *rs, int status,
          const char *error, int code, const char *fmt, ...)
{
    cJSON *root = cJSON_CreateObject();
    char *ts = util_iso_space(sim_now_ms() / 1000);
    char *msg, *desc;
    va_list ap;

    va_start(ap, fmt);
    msg = xvasprintf(fmt, ap);
    va_end(ap);
    desc = xasprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: "
                     "%s\r\nTimestamp: %s",
                     code, msg, rq->request_id, rq->correlation_id, ts);
    cJSON_AddStringToObject(root, "error", error);
    cJSON_AddStringToObject(root, "error_description", desc);
    cJSON_AddItemToObject(root, "error_codes",
                          cJSON_CreateIntArray(&code, 1));
    cJSON_AddStringToObject(root, "timestamp", ts);
    cJSON_AddStringToObject(root, "trace_id", rq->request_id);
    cJSON_AddStringToObject(root, "correlation_id", rq->correlation_id);
    {
        char *uri = xasprintf("%s/error?code=%d", rq->base, code);

        cJSON_AddStringToObject(root, "error_uri", uri);
        free(uri);
    }
    resp_json(rs, status, root);
    free(ts);
    free(msg);
    free(desc);
}

static bool
tenant_ok(const struct sim *sim, const char *t)
{
    return strcasecmp(t, sim->id.tenant) == 0 ||
           strcasecmp(t, sim->id.domain) == 0 ||
           strcasecmp(t, "common") == 0 ||
           strcasecmp(t, "organizations") == 0;
}

static void
add_str(cJSON *o, const char *key, char *val)
{
    cJSON_AddStringToObject(o, key, val);
    free(val);
}

static void
openid_config(struct sim_req *rq, struct sim_resp *rs, const char *pfx,
              const char *tenant, bool v2)
{
    struct sim *sim = rq->sim;
    cJSON *o = cJSON_CreateObject();
    const char *v = v2 ? "/v2.0" : "";
    bool generic = strcasecmp(tenant, "common") == 0 ||
                   strcasecmp(tenant, "organizations") == 0;
    const char *algs[] = {"RS256"};
    const char *auth_methods[] = {"client_secret_post", "private_key_jwt",
                                  "client_secret_basic"};

    add_str(o, "token_endpoint",
            xasprintf("%s%s/%s/oauth2%s/token", rq->base, pfx, tenant, v));
    cJSON_AddItemToObject(o, "token_endpoint_auth_methods_supported",
                          cJSON_CreateStringArray(auth_methods, 3));
    add_str(o, "jwks_uri", xasprintf("%s%s/%s/discovery%s/keys", rq->base,
                                     pfx, tenant, v));
    cJSON_AddItemToObject(o, "id_token_signing_alg_values_supported",
                          cJSON_CreateStringArray(algs, 1));
    add_str(o, "issuer",
            v2 ? xasprintf("%s%s/%s/v2.0", rq->base, pfx,
                           generic ? "{tenantid}" : sim->id.tenant)
               : xasprintf("https://sts.windows.net/%s/",
                           generic ? "{tenantid}" : sim->id.tenant));
    add_str(o, "authorization_endpoint",
            xasprintf("%s%s/%s/oauth2%s/authorize", rq->base, pfx, tenant,
                      v));
    add_str(o, "device_authorization_endpoint",
            xasprintf("%s%s/%s/oauth2%s/devicecode", rq->base, pfx, tenant,
                      v));
    add_str(o, "end_session_endpoint",
            xasprintf("%s%s/%s/oauth2%s/logout", rq->base, pfx, tenant, v));
    cJSON_AddStringToObject(o, "tenant_region_scope", "NA");
    cJSON_AddStringToObject(o, "cloud_instance_name", "microsoftonline.com");
    cJSON_AddStringToObject(o, "cloud_graph_host_name", "graph.windows.net");
    cJSON_AddStringToObject(o, "msgraph_host", "graph.microsoft.com");
    resp_json(rs, 200, o);
}

static void
adfs_config(struct sim_req *rq, struct sim_resp *rs)
{
    cJSON *o = cJSON_CreateObject();
    const char *algs[] = {"RS256"};

    add_str(o, "issuer", xasprintf("%s/adfs", rq->base));
    add_str(o, "authorization_endpoint",
            xasprintf("%s/adfs/oauth2/authorize", rq->base));
    add_str(o, "token_endpoint", xasprintf("%s/adfs/oauth2/token", rq->base));
    add_str(o, "device_authorization_endpoint",
            xasprintf("%s/adfs/oauth2/devicecode", rq->base));
    add_str(o, "jwks_uri", xasprintf("%s/adfs/discovery/keys", rq->base));
    add_str(o, "end_session_endpoint",
            xasprintf("%s/adfs/oauth2/logout", rq->base));
    cJSON_AddItemToObject(o, "id_token_signing_alg_values_supported",
                          cJSON_CreateStringArray(algs, 1));
    resp_json(rs, 200, o);
}

static void
jwks(struct sim_req *rq, struct sim_resp *rs)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *keys = cJSON_AddArrayToObject(o, "keys");
    cJSON *k = cJSON_CreateObject();
    cJSON *x5c = cJSON_CreateArray();
    const struct sim_keys *sk = &rq->sim->keys;

    cJSON_AddStringToObject(k, "kty", "RSA");
    cJSON_AddStringToObject(k, "use", "sig");
    cJSON_AddStringToObject(k, "kid", sk->kid);
    cJSON_AddStringToObject(k, "x5t", sk->kid);
    cJSON_AddStringToObject(k, "n", sk->jwk_n);
    cJSON_AddStringToObject(k, "e", sk->jwk_e);
    cJSON_AddItemToArray(x5c, cJSON_CreateString(sk->signing_x5c));
    cJSON_AddItemToObject(k, "x5c", x5c);
    add_str(k, "issuer", xasprintf("%s/%s/v2.0", rq->base,
                                   rq->sim->id.tenant));
    cJSON_AddItemToArray(keys, k);
    resp_json(rs, 200, o);
}

static void
instance_discovery(struct sim_req *rq, struct sim_resp *rs)
{
    const char *ver = req_query(rq, "api-version");
    cJSON *o = cJSON_CreateObject();

    if (ver && strcmp(ver, "1.1") == 0) {
        cJSON_AddItemToObject(o, "metadata", cJSON_CreateArray());
    } else {
        const char *auth = req_query(rq, "authorization_endpoint");
        const char *t = rq->sim->id.tenant;

        (void)auth;
        add_str(o, "tenant_discovery_endpoint",
                xasprintf("%s/%s/v2.0/.well-known/openid-configuration",
                          rq->base, t));
        cJSON_AddStringToObject(o, "api-version", "1.1");
        cJSON_AddItemToObject(o, "metadata", cJSON_CreateArray());
    }
    resp_json(rs, 200, o);
}

/* The resource a scope list asks for (caller frees); sets flags. */
static char *
resource_of(const char *scope, const char *resource, bool *offline,
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
            else if (strstr(tok, "://") && strrchr(tok, '/') >
                                               strstr(tok, "://") + 2)
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

static bool
resource_known(struct sim_req *rq, const char *res)
{
    return auth_audience_ok(rq, AUD_ARM, res) ||
           auth_audience_ok(rq, AUD_VAULT, res) ||
           auth_audience_ok(rq, AUD_GRAPH, res);
}

/* Writes the success answer of the token endpoint. */
static void
token_answer(struct sim_req *rq, struct sim_resp *rs, const char *res,
             const struct auth_subject *who, bool v1, bool refresh,
             bool id_token, const char *issuer)
{
    int life = 0;
    char *at = auth_access_token(rq->sim, res, who, &life);
    cJSON *o = cJSON_CreateObject();
    char *ci;

    cJSON_AddStringToObject(o, "token_type", "Bearer");
    if (who->user) {
        char *scope = xasprintf("%s/user_impersonation", res);

        cJSON_AddStringToObject(o, "scope", scope);
        free(scope);
    }
    cJSON_AddNumberToObject(o, "expires_in", life);
    cJSON_AddNumberToObject(o, "ext_expires_in", life);
    if (v1) {
        char *n = xasprintf("%lld", (long long)(sim_now_ms() / 1000 + life));

        cJSON_AddStringToObject(o, "expires_on", n);
        free(n);
        cJSON_AddStringToObject(o, "resource", res);
    }
    cJSON_AddStringToObject(o, "access_token", at);
    if (refresh)
        add_str(o, "refresh_token",
                auth_refresh_token(rq->sim, who->client_id, who->scope));
    if (id_token)
        add_str(o, "id_token",
                auth_id_token(rq->sim, issuer, who->client_id));
    ci = form_get(rq, "client_info");
    if (who->user && ci && strcmp(ci, "1") == 0)
        add_str(o, "client_info", auth_client_info(rq->sim));
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
    int64_t now = sim_now_ms() / 1000;

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

    *id = form_get(rq, "client_id");
    *secret = form_get(rq, "client_secret");
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
    char *id, *secret, *atype = form_get(rq, "client_assertion_type");
    char *assertion = form_get(rq, "client_assertion");
    struct auth_subject who = {0};

    client_credentials_of(rq, &id, &secret);
    if (!id || !*id) {
        aad_error(rq, rs, 400, "invalid_request", 900144,
                  "The request body must contain the following parameter: "
                  "'client_id'.");
        goto out;
    }
    if (strcasecmp(id, sim->id.client_id) != 0) {
        aad_error(rq, rs, 400, "unauthorized_client", 700016,
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
            aad_error(rq, rs, 400, "invalid_request", 50027,
                      "Invalid client_assertion_type.");
            goto out;
        }
        if ((code = check_assertion(rq, assertion, id, &msg)) != 0) {
            aad_error(rq, rs, 401, "invalid_client", code, "%s", msg);
            goto out;
        }
        who.acr = 2;
    } else if (secret) {
        if (strlen(secret) != strlen(sim->id.client_secret) ||
            !secmem_equal(secret, sim->id.client_secret, strlen(secret))) {
            aad_error(rq, rs, 401, "invalid_client", 7000215,
                      "Invalid client secret provided. Ensure the secret "
                      "being sent in the request is the client secret value, "
                      "not the client secret ID, for a secret added to app "
                      "'%s'.",
                      id);
            goto out;
        }
        who.acr = 1;
    } else {
        aad_error(rq, rs, 401, "invalid_client", 7000216,
                  "'client_assertion', 'client_secret' or 'request' is "
                  "required for the 'client_credentials' grant type.");
        goto out;
    }
    token_answer(rq, rs, res, &who, v1, false, false, NULL);
out:
    free(id);
    if (secret)
        secmem_wipe(secret, strlen(secret));
    free(secret);
    free(atype);
    free(assertion);
}

static char *
issuer_for(struct sim_req *rq, const char *pfx, bool adfs)
{
    if (adfs)
        return xasprintf("%s/adfs", rq->base);
    return xasprintf("%s%s/%s/v2.0", rq->base, pfx, rq->sim->id.tenant);
}

static void
grant_device_code(struct sim_req *rq, struct sim_resp *rs, bool v1,
                  const char *pfx, bool adfs)
{
    struct sim *sim = rq->sim;
    char *code = form_get(rq, "device_code");
    char *id = form_get(rq, "client_id");
    char *scope = NULL, *res;
    bool offline, openid;
    struct auth_subject who = {.user = true};

    if (!code) {
        code = form_get(rq, "code"); /* v1 spelling */
    }
    if (!code || !id) {
        aad_error(rq, rs, 400, "invalid_request", 900144,
                  "The request body must contain the following parameter: "
                  "'device_code'.");
        goto out;
    }
    switch (devices_poll(sim->devices, code, id,
                         atomic_load(&sim->device_auto_approve), &scope)) {
    case DEV_PENDING:
        aad_error(rq, rs, 400, "authorization_pending", 70016,
                  "OAuth 2.0 device flow error. Authorization is pending. "
                  "Continue polling.");
        goto out;
    case DEV_SLOW_DOWN:
        aad_error(rq, rs, 400, "slow_down", 70016,
                  "OAuth 2.0 device flow error. Polling too frequently; "
                  "slow down.");
        goto out;
    case DEV_EXPIRED:
        aad_error(rq, rs, 400, "expired_token", 70020,
                  "The provided value for the input parameter 'device_code' "
                  "is not valid. This device code has expired.");
        goto out;
    case DEV_DECLINED:
        aad_error(rq, rs, 400, "authorization_declined", 70000,
                  "The user declined to authorize the request.");
        goto out;
    case DEV_UNKNOWN:
        aad_error(rq, rs, 400, "bad_verification_code", 70019,
                  "The provided value for the input parameter 'device_code' "
                  "is not valid.");
        goto out;
    case DEV_APPROVED:
        break;
    }
    res = resource_of(scope, NULL, &offline, &openid);
    who.client_id = id;
    who.scope = scope;
    {
        char *iss = issuer_for(rq, pfx, adfs);

        token_answer(rq, rs, res, &who, v1, offline || v1, openid || v1,
                     iss);
        free(iss);
    }
    free(res);
out:
    free(code);
    free(id);
    free(scope);
}

static void
grant_refresh(struct sim_req *rq, struct sim_resp *rs, bool v1,
              const char *pfx, bool adfs)
{
    char *rt = form_get(rq, "refresh_token");
    char *id = form_get(rq, "client_id");
    char *scope = form_get(rq, "scope");
    char *resource = form_get(rq, "resource");
    cJSON *claims = rt ? auth_check_refresh(rq->sim, rt) : NULL;
    bool offline, openid;
    char *res = NULL, *iss;
    struct auth_subject who = {.user = true};

    if (!claims || !id || !str_eq(json_str(claims, "client_id"), id)) {
        aad_error(rq, rs, 400, "invalid_grant", 9002313,
                  "Invalid request. Request is malformed or invalid.");
        goto out;
    }
    res = resource_of(scope ? scope : resource ? NULL
                                               : json_str(claims, "scope"),
                      resource, &offline, &openid);
    if (!resource_known(rq, res)) {
        aad_error(rq, rs, 400, "invalid_resource", 500011,
                  "The resource principal named %s was not found in the "
                  "tenant named %s.",
                  res, rq->sim->id.domain);
        goto out;
    }
    who.client_id = id;
    who.scope = scope ? scope : json_str(claims, "scope");
    iss = issuer_for(rq, pfx, adfs);
    token_answer(rq, rs, res, &who, v1, true, openid, iss);
    free(iss);
out:
    cJSON_Delete(claims);
    free(rt);
    free(id);
    free(scope);
    free(resource);
    free(res);
}

static void
token_endpoint(struct sim_req *rq, struct sim_resp *rs, bool v1,
               const char *pfx, bool adfs)
{
    char *grant = form_get(rq, "grant_type");
    char *scope = form_get(rq, "scope");
    char *resource = form_get(rq, "resource");
    char *res = NULL;
    bool offline, openid;

    if (strcmp(rq->method, "POST") != 0) {
        aad_error(rq, rs, 400, "invalid_request", 900561,
                  "The endpoint only accepts POST requests.");
        goto out;
    }
    if (!grant) {
        aad_error(rq, rs, 400, "invalid_request", 900144,
                  "The request body must contain the following parameter: "
                  "'grant_type'.");
        goto out;
    }
    if (strcmp(grant, "client_credentials") == 0) {
        res = resource_of(scope, resource, &offline, &openid);
        if (!scope && !resource) {
            aad_error(rq, rs, 400, "invalid_request", 900144,
                      "The request body must contain the following "
                      "parameter: 'scope'.");
        } else if (!resource_known(rq, res)) {
            aad_error(rq, rs, 400, "invalid_resource", 500011,
                      "The resource principal named %s was not found in "
                      "the tenant named %s.",
                      res, rq->sim->id.domain);
        } else {
            grant_client_credentials(rq, rs, res, v1);
        }
    } else if (strcmp(grant, DEVICE_GRANT) == 0 ||
               strcmp(grant, "device_code") == 0) {
        grant_device_code(rq, rs, v1, pfx, adfs);
    } else if (strcmp(grant, "refresh_token") == 0) {
        grant_refresh(rq, rs, v1, pfx, adfs);
    } else {
        aad_error(rq, rs, 400, "unsupported_grant_type", 70003,
                  "The app requested an unsupported grant type '%s'.",
                  grant);
    }
out:
    free(grant);
    free(scope);
    free(resource);
    free(res);
}

static void
devicecode_endpoint(struct sim_req *rq, struct sim_resp *rs, bool v1)
{
    struct sim *sim = rq->sim;
    char *id = form_get(rq, "client_id");
    char *scope = form_get(rq, "scope");
    char *resource = form_get(rq, "resource");
    char *user_code = NULL, *device_code, *uri, *msg;
    int life = atomic_load(&sim->device_lifetime);
    int interval = atomic_load(&sim->device_interval);
    cJSON *o;

    if (!id || !*id) {
        aad_error(rq, rs, 400, "invalid_request", 900144,
                  "The request body must contain the following parameter: "
                  "'client_id'.");
        goto out;
    }
    if (!scope && resource)
        scope = xasprintf("%s/.default", resource);
    device_code = devices_create(sim->devices, id, scope, life, interval,
                                 &user_code);
    uri = xasprintf("https://127.0.0.1:%d/_sim/devicelogin", sim->port);
    msg = xasprintf("To sign in, use a web browser to open the page %s and "
                    "enter the code %s to authenticate.",
                    uri, user_code);
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "user_code", user_code);
    cJSON_AddStringToObject(o, "device_code", device_code);
    cJSON_AddStringToObject(o, v1 ? "verification_url" : "verification_uri",
                            uri);
    cJSON_AddNumberToObject(o, "expires_in", life);
    cJSON_AddNumberToObject(o, "interval", interval);
    cJSON_AddStringToObject(o, "message", msg);
    resp_json(rs, 200, o);
    free(device_code);
    free(uri);
    free(msg);
out:
    free(id);
    free(scope);
    free(resource);
    free(user_code);
}

static void
entra_handle(struct sim_req *rq, struct sim_resp *rs)
{
    char *copy = xstrdup(rq->path), *save = NULL, *tok;
    const char *seg[8];
    int n = 0;
    const char *pfx = "";
    bool adfs = false;

    for (tok = strtok_r(copy, "/", &save); tok && n < 8;
         tok = strtok_r(NULL, "/", &save))
        seg[n++] = tok;
    if (n >= 1 && strcasecmp(seg[0], "adfs") == 0) {
        if (n == 3 && strcasecmp(seg[1], ".well-known") == 0 &&
            strcasecmp(seg[2], "openid-configuration") == 0) {
            adfs_config(rq, rs);
            goto out;
        }
        if (n == 3 && strcasecmp(seg[1], "oauth2") == 0) {
            if (strcasecmp(seg[2], "token") == 0)
                token_endpoint(rq, rs, false, "/adfs", true);
            else if (strcasecmp(seg[2], "devicecode") == 0)
                devicecode_endpoint(rq, rs, false);
            else
                goto notfound;
            goto out;
        }
        if (n == 3 && strcasecmp(seg[1], "discovery") == 0 &&
            strcasecmp(seg[2], "keys") == 0) {
            jwks(rq, rs);
            goto out;
        }
        pfx = "/adfs";
        adfs = false;
        memmove(seg, seg + 1, sizeof seg[0] * (size_t)(--n));
    }
    if (n == 3 && strcasecmp(seg[1], "discovery") == 0 &&
        strcasecmp(seg[2], "instance") == 0) {
        instance_discovery(rq, rs);
        goto out;
    }
    if (n < 2)
        goto notfound;
    if (!tenant_ok(rq->sim, seg[0])) {
        aad_error(rq, rs, 400, "invalid_request", 90002,
                  "Tenant '%s' not found. Check to make sure you have the "
                  "correct tenant ID and are signing into the correct "
                  "cloud.",
                  seg[0]);
        goto out;
    }
    if (n == 4 && strcasecmp(seg[1], "v2.0") == 0 &&
        strcasecmp(seg[2], ".well-known") == 0 &&
        strcasecmp(seg[3], "openid-configuration") == 0)
        openid_config(rq, rs, pfx, seg[0], true);
    else if (n == 3 && strcasecmp(seg[1], ".well-known") == 0 &&
             strcasecmp(seg[2], "openid-configuration") == 0)
        openid_config(rq, rs, pfx, seg[0], false);
    else if (n == 4 && strcasecmp(seg[1], "oauth2") == 0 &&
             strcasecmp(seg[2], "v2.0") == 0 &&
             strcasecmp(seg[3], "token") == 0)
        token_endpoint(rq, rs, false, pfx, adfs);
    else if (n == 3 && strcasecmp(seg[1], "oauth2") == 0 &&
             strcasecmp(seg[2], "token") == 0)
        token_endpoint(rq, rs, true, pfx, adfs);
    else if (n == 4 && strcasecmp(seg[1], "oauth2") == 0 &&
             strcasecmp(seg[2], "v2.0") == 0 &&
             strcasecmp(seg[3], "devicecode") == 0)
        devicecode_endpoint(rq, rs, false);
    else if (n == 3 && strcasecmp(seg[1], "oauth2") == 0 &&
             strcasecmp(seg[2], "devicecode") == 0)
        devicecode_endpoint(rq, rs, true);
    else if ((n == 4 && strcasecmp(seg[1], "discovery") == 0 &&
              strcasecmp(seg[2], "v2.0") == 0 &&
              strcasecmp(seg[3], "keys") == 0) ||
             (n == 3 && strcasecmp(seg[1], "discovery") == 0 &&
              strcasecmp(seg[2], "keys") == 0))
        jwks(rq, rs);
    else
        goto notfound;
out:
    free(copy);
    return;
notfound:
    resp_text(rs, 404, "text/html; charset=utf-8",
              "<html><body>404 - not found</body></html>");
    free(copy);
}

const struct sim_area_ops entra_area = {
    .name = "login",
    .precheck = NULL,
    .handle = entra_handle,
};
