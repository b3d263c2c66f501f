/*
 * dp.c — the Key Vault data plane front: which vault a host names (an
 * unknown vault or one whose DNS is not registered yet does not answer,
 * like a name that does not resolve), the 401 challenge answered before
 * any body is read, network rules (publicNetworkAccess, firewall ipRules
 * by source address, virtualNetworkRules for the private network,
 * private endpoints), api-versions, then dispatch to the secrets API;
 * and the paging every data-plane list shares (dp_page).
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-net.h"
#include "sim/arm.h"
#include "sim/auth.h"
#include "sim/dp.h"
#include "sim/store.h"
#include "sim/util.h"

static const char *const dp_versions[] = {
    "7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "2025-07-01", NULL};

void
dp_error(struct dp_ctx *cx, int status, const char *code, const char *inner,
         const char *fmt, ...)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(root, "error");
    char *msg;
    va_list ap;

    va_start(ap, fmt);
    msg = xvasprintf(fmt, ap);
    va_end(ap);
    cJSON_AddStringToObject(err, "code", code);
    cJSON_AddStringToObject(err, "message", msg);
    if (inner)
        cJSON_AddStringToObject(cJSON_AddObjectToObject(err, "innererror"),
                                "code", inner);
    free(msg);
    resp_json(cx->rs, status, root);
}

/* The active vault for this host (caller deletes), or NULL. */
static cJSON *
vault_of(struct sim *sim, const char *vname)
{
    char *nk = xasprintf("vname|%s", vname);
    cJSON *ne = store_get_json(sim->store, nk), *v = NULL;

    if (ne && str_eq(json_str(ne, "state"), "active"))
        v = store_get_json(sim->store, json_str(ne, "key"));
    cJSON_Delete(ne);
    free(nk);
    return v;
}

/* An approved private endpoint connection whose endpoint still exists. */
static bool
has_private_link(struct sim *sim, const cJSON *vault)
{
    char *vkey = arm_key_of_id(json_str(vault, "id"));
    char *prefix = vkey ? xasprintf("pec|%s|", vkey + strlen("vault|")) : NULL;
    struct vec pecs = VEC_INIT;
    bool ok = false;

    if (prefix)
        store_scan(sim->store, prefix, NULL, 0, NULL, NULL, &pecs, NULL);
    for (size_t i = 0; i < pecs.len && !ok; i++) {
        struct store_kv *kv = pecs.items[i];
        cJSON *p = cJSON_Parse(kv->val);
        const cJSON *st =
            cJSON_GetObjectItem(cJSON_GetObjectItem(p, "properties"),
                                "privateLinkServiceConnectionState");
        char *pekey = arm_key_of_id(
            json_str(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "properties"),
                                         "privateEndpoint"),
                     "id"));
        char *pe = pekey ? store_get(sim->store, pekey) : NULL;

        ok = pe && str_eq(json_str(st, "status"), "Approved");
        free(pe);
        free(pekey);
        cJSON_Delete(p);
    }
    vec_free_all(&pecs, store_kv_free);
    free(prefix);
    free(vkey);
    return ok;
}

static bool
ip_in_rule(const char *ip, const char *rule)
{
    struct in_addr a, r;
    char net[64];
    const char *slash = strchr(rule, '/');
    int bits = slash ? atoi(slash + 1) : 32;
    uint32_t mask;

    snprintf(net, sizeof net, "%.*s",
             (int)(slash ? slash - rule : (long)strlen(rule)), rule);
    if (inet_pton(AF_INET, ip, &a) != 1 || inet_pton(AF_INET, net, &r) != 1)
        return false;
    mask = bits <= 0 ? 0 : bits >= 32 ? 0xffffffffu : ~0u << (32 - bits);
    return (ntohl(a.s_addr) & mask) == (ntohl(r.s_addr) & mask);
}

bool
dp_network_ok(struct sim_req *rq, const cJSON *vault, bool *firewall)
{
    const cJSON *props = cJSON_GetObjectItem(vault, "properties");
    const cJSON *acl = cJSON_GetObjectItem(props, "networkAcls");
    const cJSON *r;

    *firewall = false;
    if (rq->private_path && has_private_link(rq->sim, vault))
        return true;
    if (str_eq(json_str(props, "publicNetworkAccess"), "Disabled"))
        return false;
    if (!acl || !str_eq(json_str(acl, "defaultAction"), "Deny"))
        return true;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(acl, "ipRules"))
    {
        if (ip_in_rule(rq->peer,
                       json_str(r, "value") ? json_str(r, "value") : ""))
            return true;
    }
    /* The private network stands for every subnet that has the
     * Microsoft.KeyVault service endpoint: a rule naming one admits it. */
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(acl, "virtualNetworkRules"))
    {
        if (rq->private_path &&
            arm_acl_subnet_admits(rq->sim, json_str(r, "id")))
            return true;
    }
    *firewall = true;
    return false;
}

void
dp_page(struct dp_ctx *cx, const char *prefix, dp_item_fn item, void *ud)
{
    const char *mr = req_query(cx->rq, "maxresults");
    const char *tok = req_query(cx->rq, "$skiptoken");
    long max = 25;
    unsigned char *after = NULL;
    size_t alen = 0;
    struct vec kvs = VEC_INIT;
    bool more = false;
    cJSON *root, *arr;

    if (mr) {
        char *end;

        max = strtol(mr, &end, 10);
        if (*end || max < 1 || max > 25) {
            dp_error(cx, 400, "BadParameter", NULL,
                     "Invalid value for maxresults: %s. The value must be "
                     "between 1 and 25.",
                     mr);
            return;
        }
    }
    if (tok && *tok &&
        (!str_base64_decode(tok, strlen(tok), &after, &alen) ||
         strncmp((char *)after, prefix, strlen(prefix)) != 0)) {
        free(after);
        dp_error(cx, 400, "BadParameter", NULL, "Invalid skip token.");
        return;
    }
    store_scan(cx->sim->store, prefix, (char *)after, (size_t)max, NULL, NULL,
               &kvs, &more);
    root = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(root, "value");
    for (size_t i = 0; i < kvs.len; i++) {
        cJSON *it = item(cx, kvs.items[i], ud);

        if (it)
            cJSON_AddItemToArray(arr, it);
    }
    if (more && kvs.len &&
        !(atomic_load(&cx->sim->deviations) & SIM_DEV_NO_NEXTLINK)) {
        struct store_kv *last = kvs.items[kvs.len - 1];
        char *t64 = str_base64url(last->key, strlen(last->key));
        bool port = strchr(cx->rq->host, ':') != NULL;
        char *next =
            xasprintf("https://%s%s%s?api-version=%s&$skiptoken=%s%s%s",
                      cx->rq->host, port ? "" : ":443", cx->rq->path, cx->api,
                      t64, mr ? "&maxresults=" : "", mr ? mr : "");

        cJSON_AddStringToObject(root, "nextLink", next);
        free(t64);
        free(next);
    } else {
        cJSON_AddNullToObject(root, "nextLink");
    }
    resp_json(cx->rs, 200, root);
    vec_free_all(&kvs, store_kv_free);
    free(after);
}

static char *
caller_of(const struct sim_req *rq)
{
    return xasprintf("appid=%s;oid=%s;iss=https://sts.windows.net/%s/",
                     json_str(rq->claims, "appid"), json_str(rq->claims, "oid"),
                     rq->sim->id.tenant);
}

static bool
dp_precheck(struct sim_req *rq, struct sim_resp *rs)
{
    struct dp_ctx cx = {.rq = rq, .rs = rs, .sim = rq->sim};
    cJSON *vault =
        rq->vault && *rq->vault ? vault_of(rq->sim, rq->vault) : NULL;
    char *found = NULL, *res, *caller;
    const char *tenant;
    enum auth_result r;
    bool firewall;

    if (!vault || json_int(vault, "_dnsAt", 0) > sim_now_ms() ||
        arm_failed(vault)) {
        /* Like a host name that does not resolve (yet; a vault whose
         * provisioning failed never registered it). */
        rq->close_now = true;
        cJSON_Delete(vault);
        return true;
    }
    r = auth_check(rq, AUD_VAULT, &found);
    tenant = json_str(cJSON_GetObjectItem(vault, "properties"), "tenantId");
    if (r == AUTH_OK && tenant &&
        !str_eq(json_str(rq->claims, "tid"), tenant)) {
        /* A token of the account's other tenant: the vault's is wanted,
         * and the challenge names it. */
        found = xstrdup(json_str(rq->claims, "tid"));
        cJSON_Delete(rq->claims);
        rq->claims = NULL;
        r = AUTH_TENANT;
    }
    if (r != AUTH_OK) {
        res = auth_vault_resource(rq);
        switch (r) {
        case AUTH_MISSING:
        case AUTH_BAD_FORMAT:
            dp_error(&cx, 401, "Unauthorized", NULL,
                     "AKV10000: Request is missing a Bearer or PoP token.");
            break;
        case AUTH_AUDIENCE:
            dp_error(&cx, 401, "Unauthorized", NULL,
                     "AKV10022: Invalid audience. Expected %s, found: %s.", res,
                     found ? found : "");
            break;
        case AUTH_TENANT:
            dp_error(&cx, 401, "Unauthorized", NULL,
                     "AKV10032: Invalid issuer. Expected one of "
                     "https://sts.windows.net/%s/, found "
                     "https://sts.windows.net/%s/.",
                     tenant ? tenant : rq->sim->id.tenant, found ? found : "");
            break;
        case AUTH_EXPIRED:
            dp_error(&cx, 401, "Unauthorized", NULL,
                     "Token validation failed: the token has expired.");
            break;
        default:
            dp_error(&cx, 401, "Unauthorized", NULL,
                     "Token validation failed: the signature is invalid.");
            break;
        }
        resp_header(rs, "WWW-Authenticate",
                    "Bearer authorization=\"https://127.0.0.1:%d/%s\", "
                    "resource=\"%s\"",
                    rq->sim->port, tenant ? tenant : rq->sim->id.tenant, res);
        free(res);
        free(found);
        cJSON_Delete(vault);
        return true;
    }
    if (auth_claims_challenge(rq, &res)) {
        /* Continuous access evaluation: a challenge without authorization
         * or resource, so that clients take it for a claims challenge. */
        dp_error(&cx, 401, "Unauthorized", NULL,
                 "Token validation failed: continuous access evaluation "
                 "requires a token issued after a revocation event; "
                 "acquire one with the claims of the challenge.");
        resp_header(rs, "WWW-Authenticate",
                    "Bearer realm=\"\", authorization_uri=\"https://"
                    "127.0.0.1:%d/common/oauth2/authorize\", "
                    "error=\"insufficient_claims\", claims=\"%s\"",
                    rq->sim->port, res);
        free(res);
        cJSON_Delete(vault);
        return true;
    }
    if (!dp_network_ok(rq, vault, &firewall)) {
        caller = caller_of(rq);
        if (firewall)
            dp_error(&cx, 403, "Forbidden", "ForbiddenByFirewall",
                     "Client address is not authorized and caller is not a "
                     "trusted service.\r\nClient address: %s\r\nCaller: "
                     "%s\r\nVault: %s;location=%s",
                     rq->peer, caller, json_str(vault, "name"),
                     json_str(vault, "location"));
        else
            dp_error(&cx, 403, "Forbidden", "ForbiddenByConnection",
                     "Public network access is disabled and request is not "
                     "from a trusted service nor via an approved private "
                     "link.\r\nCaller: %s\r\nVault: %s;location=%s",
                     caller, json_str(vault, "name"),
                     json_str(vault, "location"));
        free(caller);
        cJSON_Delete(vault);
        return true;
    }
    cJSON_Delete(vault);
    return false;
}

static void
dp_handle(struct sim_req *rq, struct sim_resp *rs)
{
    struct dp_ctx cx = {.rq = rq, .rs = rs, .sim = rq->sim};
    char *copy = NULL, *save = NULL, *tok;
    char *seg[8];
    int n = 0;
    bool ok = false;

    cx.vault = vault_of(rq->sim, rq->vault);
    cx.vname = rq->vault;
    if (!cx.vault) {
        rq->close_now = true;
        return;
    }
    cx.api = req_query(rq, "api-version");
    if (!cx.api || !*cx.api) {
        dp_error(&cx, 400, "BadParameter", NULL,
                 "The api-version query parameter is missing.");
        goto out;
    }
    for (size_t i = 0; dp_versions[i]; i++)
        if (strcmp(dp_versions[i], cx.api) == 0)
            ok = true;
    if (!ok) {
        dp_error(&cx, 400, "BadParameter", NULL,
                 "The specified version (%s) is not recognized. Consider "
                 "using the latest supported version (2025-07-01).",
                 cx.api);
        goto out;
    }
    copy = xstrdup(rq->path);
    for (tok = strtok_r(copy, "/", &save); tok && n < 8;
         tok = strtok_r(NULL, "/", &save))
        seg[n++] = tok;
    if (n >= 1 && (strcasecmp(seg[0], "secrets") == 0 ||
                   strcasecmp(seg[0], "deletedsecrets") == 0)) {
        dp_secrets(&cx, seg, n);
    } else {
        dp_error(&cx, 404, "NotFound", NULL,
                 "The requested path %s is not served by this simulator "
                 "(only secrets are modelled).",
                 rq->path);
    }
out:
    free(copy);
    cJSON_Delete(cx.vault);
}

const struct sim_area_ops dp_area = {
    .name = "vault",
    .precheck = dp_precheck,
    .handle = dp_handle,
};
