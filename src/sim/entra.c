/*
 * entra.c — the Entra ID (Azure AD) v2 and ADFS endpoints: OpenID
 * discovery, JWKS, instance discovery and the routing of the token and
 * device-code endpoints (entra-token.c, entra-user.c); the AADSTS error
 * body every Entra answer shares.
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
#include "sim/entra.h"
#include "sim/jwt.h"
#include "sim/keys.h"
#include "sim/sim.h"
#include "sim/store.h"
#include "sim/util.h"

/* The value of key in a form-encoded body (caller frees), or NULL. */
char *
entra_form_get(const struct sim_req *rq, const char *key)
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

void
entra_error(struct sim_req *rq, struct sim_resp *rs, int status,
            const char *error, int code, const char *fmt, ...)
{
    cJSON *root = cJSON_CreateObject();
    char *ts = util_iso_space(sim_clock_s(rq->sim));
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
    cJSON_AddItemToObject(root, "error_codes", cJSON_CreateIntArray(&code, 1));
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
tenant_ok(struct sim_req *rq, const char *t)
{
    struct sim *sim = rq->sim;

    if (sim->id.tenant2 && (strcasecmp(t, sim->id.tenant2) == 0 ||
                            strcasecmp(t, sim->id.domain2) == 0)) {
        rq->tenant = sim->id.tenant2; /* its tokens carry its tid */
        return true;
    }
    return strcasecmp(t, sim->id.tenant) == 0 ||
           strcasecmp(t, sim->id.domain) == 0 || strcasecmp(t, "common") == 0 ||
           strcasecmp(t, "organizations") == 0;
}

void
entra_add_str(cJSON *o, const char *key, char *val)
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

    entra_add_str(
        o, "token_endpoint",
        xasprintf("%s%s/%s/oauth2%s/token", rq->base, pfx, tenant, v));
    cJSON_AddItemToObject(o, "token_endpoint_auth_methods_supported",
                          cJSON_CreateStringArray(auth_methods, 3));
    entra_add_str(
        o, "jwks_uri",
        xasprintf("%s%s/%s/discovery%s/keys", rq->base, pfx, tenant, v));
    cJSON_AddItemToObject(o, "id_token_signing_alg_values_supported",
                          cJSON_CreateStringArray(algs, 1));
    entra_add_str(o, "issuer",
                  v2 ? xasprintf("%s%s/%s/v2.0", rq->base, pfx,
                                 generic ? "{tenantid}" : sim->id.tenant)
                     : xasprintf("https://sts.windows.net/%s/",
                                 generic ? "{tenantid}" : sim->id.tenant));
    entra_add_str(
        o, "authorization_endpoint",
        xasprintf("%s%s/%s/oauth2%s/authorize", rq->base, pfx, tenant, v));
    entra_add_str(
        o, "device_authorization_endpoint",
        xasprintf("%s%s/%s/oauth2%s/devicecode", rq->base, pfx, tenant, v));
    entra_add_str(
        o, "end_session_endpoint",
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

    entra_add_str(o, "issuer", xasprintf("%s/adfs", rq->base));
    entra_add_str(o, "authorization_endpoint",
                  xasprintf("%s/adfs/oauth2/authorize", rq->base));
    entra_add_str(o, "token_endpoint",
                  xasprintf("%s/adfs/oauth2/token", rq->base));
    entra_add_str(o, "device_authorization_endpoint",
                  xasprintf("%s/adfs/oauth2/devicecode", rq->base));
    entra_add_str(o, "jwks_uri", xasprintf("%s/adfs/discovery/keys", rq->base));
    entra_add_str(o, "end_session_endpoint",
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
    entra_add_str(k, "issuer",
                  xasprintf("%s/%s/v2.0", rq->base, rq->sim->id.tenant));
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
        entra_add_str(o, "tenant_discovery_endpoint",
                      xasprintf("%s/%s/v2.0/.well-known/openid-configuration",
                                rq->base, t));
        cJSON_AddStringToObject(o, "api-version", "1.1");
        cJSON_AddItemToObject(o, "metadata", cJSON_CreateArray());
    }
    resp_json(rs, 200, o);
}

/* The resource a scope list asks for (caller frees); sets flags. */
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
                entra_token_endpoint(rq, rs, false, "/adfs", true);
            else if (strcasecmp(seg[2], "devicecode") == 0)
                entra_devicecode_endpoint(rq, rs, false);
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
    if (!tenant_ok(rq, seg[0])) {
        entra_error(rq, rs, 400, "invalid_request", 90002,
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
        entra_token_endpoint(rq, rs, false, pfx, adfs);
    else if (n == 3 && strcasecmp(seg[1], "oauth2") == 0 &&
             strcasecmp(seg[2], "token") == 0)
        entra_token_endpoint(rq, rs, true, pfx, adfs);
    else if (n == 4 && strcasecmp(seg[1], "oauth2") == 0 &&
             strcasecmp(seg[2], "v2.0") == 0 &&
             strcasecmp(seg[3], "devicecode") == 0)
        entra_devicecode_endpoint(rq, rs, false);
    else if (n == 3 && strcasecmp(seg[1], "oauth2") == 0 &&
             strcasecmp(seg[2], "devicecode") == 0)
        entra_devicecode_endpoint(rq, rs, true);
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
