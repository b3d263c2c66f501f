/*
 * auth.c — token minting and bearer-token checks (see auth.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/auth.h"
#include "sim/fault.h"
#include "sim/jwt.h"
#include "sim/util.h"

static char *
sts_issuer(const char *tenant)
{
    return xasprintf("https://sts.windows.net/%s/", tenant);
}

bool
auth_tenant_known(const struct sim *sim, const char *tid)
{
    return tid != NULL && (str_eq(tid, sim->id.tenant) ||
                           (sim->id.tenant2 && str_eq(tid, sim->id.tenant2)));
}

char *
auth_access_token(struct sim *sim, const char *aud,
                  const struct auth_subject *who, int *expires_in)
{
    int64_t now = sim_clock_s(sim);
    int64_t nbf = who->not_before > now ? who->not_before : now;
    int life = atomic_load(&sim->token_lifetime);
    cJSON *c = cJSON_CreateObject();
    const char *tid = who->tenant ? who->tenant : sim->id.tenant;
    char *iss = sts_issuer(tid), *uti = util_hex(22), *tok;
    const char *oid = who->oid ? who->oid : sim->id.sp_object_id;

    cJSON_AddStringToObject(c, "aud", aud);
    cJSON_AddStringToObject(c, "iss", iss);
    cJSON_AddNumberToObject(c, "iat", (double)now);
    cJSON_AddNumberToObject(c, "nbf", (double)nbf);
    cJSON_AddNumberToObject(c, "exp", (double)(now + life));
    if (who->user) {
        static const char *const amr[] = {"pwd", "mfa"};

        cJSON_AddStringToObject(c, "acr", "1");
        cJSON_AddItemToObject(c, "amr", cJSON_CreateStringArray(amr, 2));
    }
    cJSON_AddStringToObject(c, "aio", "kvdeck-sim");
    cJSON_AddStringToObject(c, "appid", who->client_id);
    cJSON_AddStringToObject(c, "appidacr",
                            who->acr == 2   ? "2"
                            : who->acr == 1 ? "1"
                                            : "0");
    cJSON_AddStringToObject(c, "idp", iss);
    cJSON_AddStringToObject(c, "idtyp", who->user ? "user" : "app");
    if (who->user) {
        cJSON_AddStringToObject(c, "name", sim->id.user_name);
        cJSON_AddStringToObject(c, "oid", sim->id.user_oid);
        cJSON_AddStringToObject(c, "scp", "user_impersonation");
        cJSON_AddStringToObject(c, "sub", sim->id.user_oid);
        cJSON_AddStringToObject(c, "upn", sim->id.user_upn);
        cJSON_AddStringToObject(c, "unique_name", sim->id.user_upn);
    } else {
        cJSON_AddStringToObject(c, "oid", oid);
        cJSON_AddStringToObject(c, "sub", oid);
    }
    cJSON_AddStringToObject(c, "tid", tid);
    cJSON_AddStringToObject(c, "uti", uti);
    cJSON_AddStringToObject(c, "ver", "1.0");
    if (who->mi_res_id)
        cJSON_AddStringToObject(c, "xms_mirid", who->mi_res_id);
    tok = jwt_sign(sim->keys.signing, sim->keys.kid, c);
    if (expires_in)
        *expires_in = life;
    cJSON_Delete(c);
    free(iss);
    free(uti);
    return tok;
}

char *
auth_id_token(struct sim *sim, const char *issuer, const char *client_id)
{
    int64_t now = sim_clock_s(sim);
    cJSON *c = cJSON_CreateObject();
    char *tok;

    cJSON_AddStringToObject(c, "aud", client_id);
    cJSON_AddStringToObject(c, "iss", issuer);
    cJSON_AddNumberToObject(c, "iat", (double)now);
    cJSON_AddNumberToObject(c, "nbf", (double)now);
    cJSON_AddNumberToObject(c, "exp", (double)(now + 3600));
    cJSON_AddStringToObject(c, "name", sim->id.user_name);
    cJSON_AddStringToObject(c, "oid", sim->id.user_oid);
    cJSON_AddStringToObject(c, "preferred_username", sim->id.user_upn);
    cJSON_AddStringToObject(c, "sub", sim->id.user_oid);
    cJSON_AddStringToObject(c, "tid", sim->id.tenant);
    cJSON_AddStringToObject(c, "ver", "2.0");
    tok = jwt_sign(sim->keys.signing, sim->keys.kid, c);
    cJSON_Delete(c);
    return tok;
}

char *
auth_refresh_token(struct sim *sim, const char *client_id, const char *scope)
{
    int64_t now = sim_now_ms() / 1000; /* lifetimes are real time */
    cJSON *c = cJSON_CreateObject();
    char *jti = util_uuid(), *tok;

    cJSON_AddStringToObject(c, "typ", "kvsim-refresh");
    cJSON_AddStringToObject(c, "client_id", client_id);
    cJSON_AddStringToObject(c, "scope", scope ? scope : "");
    cJSON_AddStringToObject(c, "oid", sim->id.user_oid);
    cJSON_AddStringToObject(c, "tid", sim->id.tenant);
    cJSON_AddStringToObject(c, "jti", jti);
    cJSON_AddNumberToObject(c, "iat", (double)now);
    cJSON_AddNumberToObject(c, "iat_ms", (double)sim_now_ms());
    cJSON_AddNumberToObject(
        c, "exp", (double)(now + atomic_load(&sim->refresh_lifetime)));
    tok = jwt_sign(sim->keys.signing, sim->keys.kid, c);
    cJSON_Delete(c);
    free(jti);
    return tok;
}

cJSON *
auth_check_refresh(struct sim *sim, const char *token, enum auth_refresh *why)
{
    struct jwt j;
    cJSON *claims = NULL;

    *why = AUTH_RT_MALFORMED;
    if (!jwt_parse(token, &j))
        return NULL;
    if (jwt_verify(&j, sim->keys.signing) &&
        str_eq(json_str(j.claims, "typ"), "kvsim-refresh") &&
        auth_tenant_known(sim, json_str(j.claims, "tid"))) {
        if (json_int(j.claims, "iat_ms", json_int(j.claims, "iat", 0) * 1000) <
            atomic_load(&sim->refresh_revoked))
            *why = AUTH_RT_REVOKED;
        else if (json_int(j.claims, "exp", 0) <= sim_now_ms() / 1000)
            *why = AUTH_RT_EXPIRED;
        else
            *why = AUTH_RT_OK;
        claims = j.claims;
        j.claims = NULL;
    }
    jwt_free(&j);
    return claims;
}

char *
auth_client_info(struct sim *sim)
{
    char *json = xasprintf("{\"uid\":\"%s\",\"utid\":\"%s\"}", sim->id.user_oid,
                           sim->id.tenant);
    char *r = str_base64url(json, strlen(json));

    free(json);
    return r;
}

char *
auth_vault_resource(const struct sim_req *rq)
{
    const char *colon = strrchr(rq->host, ':');

    if (colon && !strchr(colon, ']'))
        return xasprintf("https://vault.localhost%s", colon);
    return xstrdup("https://vault.localhost");
}

char *
auth_graph_resource(const struct sim *sim)
{
    return xasprintf("https://127.0.0.1:%d/", sim->port);
}

/* aud equal to one of the forms, trailing slash optional. */
static bool
aud_is(const char *aud, const char *form)
{
    size_t n = strlen(form);

    if (form[n - 1] == '/')
        n--;
    return strncasecmp(aud, form, n) == 0 &&
           (aud[n] == '\0' || (aud[n] == '/' && aud[n + 1] == '\0'));
}

bool
auth_audience_ok(struct sim_req *rq, enum auth_audience cls, const char *aud)
{
    char *r;
    bool ok = false;

    if (!aud)
        return false;
    switch (cls) {
    case AUD_ARM:
        return aud_is(aud, "https://management.core.windows.net/") ||
               aud_is(aud, "https://management.azure.com/");
    case AUD_VAULT:
        r = auth_vault_resource(rq);
        ok = aud_is(aud, r) || aud_is(aud, "https://vault.localhost") ||
             aud_is(aud, "https://vault.azure.net");
        if (!ok) {
            char *p = xasprintf("https://vault.localhost:%d", rq->sim->port);

            ok = aud_is(aud, p);
            free(p);
        }
        free(r);
        return ok;
    case AUD_GRAPH:
        r = auth_graph_resource(rq->sim);
        ok = aud_is(aud, r) || aud_is(aud, "https://graph.microsoft.com") ||
             strcmp(aud, "00000003-0000-0000-c000-000000000000") == 0;
        free(r);
        return ok;
    }
    return false;
}

enum auth_result
auth_check(struct sim_req *rq, enum auth_audience cls, char **found)
{
    const char *h = req_header(rq, "Authorization");
    struct jwt j;
    enum auth_result res = AUTH_OK;
    const char *aud, *tid;
    int64_t exp, nbf, now = sim_clock_s(rq->sim);

    if (found)
        *found = NULL;
    if (!h || !*h)
        return AUTH_MISSING;
    if (strncasecmp(h, "Bearer ", 7) != 0)
        return AUTH_BAD_FORMAT;
    h += 7;
    while (*h == ' ')
        h++;
    if (!jwt_parse(h, &j))
        return AUTH_INVALID;
    if (!jwt_verify(&j, rq->sim->keys.signing) ||
        str_eq(json_str(j.claims, "typ"), "kvsim-refresh")) {
        res = AUTH_INVALID;
        goto out;
    }
    exp = json_int(j.claims, "exp", 0);
    nbf = json_int(j.claims, "nbf", 0);
    if (exp <= now || nbf > now + 300) {
        res = AUTH_EXPIRED;
        if (found)
            *found = xasprintf("%lld", (long long)exp);
        goto out;
    }
    tid = json_str(j.claims, "tid");
    if (!auth_tenant_known(rq->sim, tid)) {
        res = AUTH_TENANT;
        if (found)
            *found = xstrdup(tid ? tid : "");
        goto out;
    }
    aud = json_str(j.claims, "aud");
    if (!auth_audience_ok(rq, cls, aud)) {
        res = AUTH_AUDIENCE;
        if (found)
            *found = xstrdup(aud ? aud : "");
        goto out;
    }
    if (faults_fire(rq->sim->faults, FAULT_TOKEN_EXPIRED, rq->area, rq->method,
                    rq->path)) {
        /* as if it had expired on its way here */
        res = AUTH_EXPIRED;
        if (found)
            *found = xasprintf("%lld", (long long)exp);
        goto out;
    }
    rq->claims = j.claims;
    j.claims = NULL;
out:
    jwt_free(&j);
    return res;
}

int64_t
auth_claims_nbf(const char *claims)
{
    cJSON *c = claims ? cJSON_Parse(claims) : NULL;
    const cJSON *nbf =
        cJSON_GetObjectItem(cJSON_GetObjectItem(c, "access_token"), "nbf");
    const cJSON *v = cJSON_GetObjectItem(nbf, "value");
    int64_t r = 0;

    if (cJSON_IsString(v))
        r = strtoll(v->valuestring, NULL, 10);
    else
        r = json_int(nbf, "value", 0); /* a number past int64: 0 */
    cJSON_Delete(c);
    return r > 0 ? r : 0;
}

bool
auth_claims_challenge(struct sim_req *rq, char **claims)
{
    struct sim *sim = rq->sim;
    int64_t nbf = json_int(rq->claims, "nbf", 0);
    int64_t want = atomic_load(&sim->claims_nbf[rq->area]);
    char *json;

    if (want == 0 || nbf >= want) {
        if (!faults_fire(sim->faults, FAULT_CLAIMS_CHALLENGE, rq->area,
                         rq->method, rq->path))
            return false;
        /* The "revocation" is now; a token minted in this very second
         * must ask for the claims to pass. */
        want = sim_clock_s(sim);
        if (want <= nbf)
            want = nbf + 1;
        atomic_store(&sim->claims_nbf[rq->area], want);
    }
    json = xasprintf("{\"access_token\":{\"nbf\":{\"essential\":true,"
                     "\"value\":\"%lld\"}}}",
                     (long long)want);
    *claims = str_base64(json, strlen(json));
    free(json);
    return true;
}
