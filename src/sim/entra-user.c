/*
 * entra-user.c — a user's sign-in: the device-code endpoint, the device
 * code grant (authorization_pending, slow_down, authorization_declined,
 * expired_token, bad_verification_code) and the refresh_token grant
 * (rotation, expiry by inactivity, revocation).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/auth.h"
#include "sim/entra.h"
#include "sim/device.h"
#include "sim/fault.h"
#include "sim/sim.h"
#include "sim/util.h"

/* The answer to a poll that did not yield a token. */
static void
device_refusal(struct sim_req *rq, struct sim_resp *rs, enum device_poll p)
{
    switch (p) {
    case DEV_PENDING:
        entra_error(rq, rs, 400, "authorization_pending", 70016,
                    "OAuth 2.0 device flow error. Authorization is pending. "
                    "Continue polling.");
        break;
    case DEV_SLOW_DOWN:
        entra_error(rq, rs, 400, "slow_down", 70016,
                    "OAuth 2.0 device flow error. Authorization is pending. "
                    "Polling too frequently; slow down.");
        break;
    case DEV_EXPIRED:
        entra_error(rq, rs, 400, "expired_token", 70019,
                    "The provided value for the input parameter "
                    "'device_code' is not valid. This device code has "
                    "expired.");
        break;
    case DEV_DECLINED:
        entra_error(rq, rs, 400, "authorization_declined", 70000,
                    "The user declined to authorize the request.");
        break;
    default:
        entra_error(rq, rs, 400, "bad_verification_code", 70018,
                    "The provided value for the input parameter "
                    "'device_code' is not valid.");
        break;
    }
}

void
entra_grant_device_code(struct sim_req *rq, struct sim_resp *rs, bool v1,
                        const char *pfx, bool adfs)
{
    struct sim *sim = rq->sim;
    char *code = entra_form_get(rq, "device_code");
    char *id = entra_form_get(rq, "client_id");
    char *scope = NULL, *res, *iss;
    bool offline, openid;
    enum device_poll p;
    struct auth_subject who = {.user = true};

    if (!code)
        code = entra_form_get(rq, "code"); /* v1 spelling */
    if (!code || !id) {
        entra_error(rq, rs, 400, "invalid_request", 900144,
                    "The request body must contain the following parameter: "
                    "'%s'.",
                    id ? "device_code" : "client_id");
        goto out;
    }
    p = devices_poll(sim->devices, code, id,
                     atomic_load(&sim->device_auto_approve),
                     atomic_load(&sim->device_slow_down), &scope);
    /* The slow-down fault: this pending poll is told to slow down. */
    if (p == DEV_PENDING && faults_fire(sim->faults, FAULT_SLOW_DOWN,
                                        AREA_LOGIN, rq->method, rq->path))
        p = DEV_SLOW_DOWN;
    if (p != DEV_APPROVED) {
        device_refusal(rq, rs, p);
        goto out;
    }
    res = entra_resource_of(scope, NULL, &offline, &openid);
    who.client_id = id;
    who.scope = scope;
    iss = entra_issuer(rq, pfx, adfs);
    entra_token_answer(rq, rs, res, &who, v1, offline || v1, openid || v1, iss);
    free(iss);
    free(res);
out:
    free(code);
    free(id);
    free(scope);
}

void
entra_grant_refresh(struct sim_req *rq, struct sim_resp *rs, bool v1,
                    const char *pfx, bool adfs)
{
    char *rt = entra_form_get(rq, "refresh_token");
    char *id = entra_form_get(rq, "client_id");
    char *scope = entra_form_get(rq, "scope");
    char *resource = entra_form_get(rq, "resource");
    enum auth_refresh why = AUTH_RT_MALFORMED;
    cJSON *claims = rt ? auth_check_refresh(rq->sim, rt, &why) : NULL;
    bool offline, openid;
    char *res = NULL, *iss;
    struct auth_subject who = {.user = true};

    if (!rt || !id) {
        entra_error(rq, rs, 400, "invalid_request", 900144,
                    "The request body must contain the following parameter: "
                    "'%s'.",
                    id ? "refresh_token" : "client_id");
        goto out;
    }
    if (why == AUTH_RT_EXPIRED) {
        char *iat = util_iso(json_int(claims, "iat", 0));
        int life =
            (int)(json_int(claims, "exp", 0) - json_int(claims, "iat", 0));

        entra_error(rq, rs, 400, "invalid_grant", 700082,
                    "The refresh token has expired due to inactivity. The "
                    "token was issued on %s and was inactive for "
                    "%d.%02d:%02d:%02d.",
                    iat, life / 86400, life % 86400 / 3600, life % 3600 / 60,
                    life % 60);
        free(iat);
        goto out;
    }
    if (why == AUTH_RT_REVOKED) {
        entra_error(rq, rs, 400, "invalid_grant", 50173,
                    "The provided grant has expired due to it being revoked, "
                    "a fresh auth token is needed. The user might have "
                    "changed or reset their password.");
        goto out;
    }
    if (!claims) {
        entra_error(rq, rs, 400, "invalid_grant", 9002313,
                    "Invalid request. Request is malformed or invalid.");
        goto out;
    }
    if (!str_eq(json_str(claims, "client_id"), id)) {
        entra_error(rq, rs, 400, "invalid_grant", 70000,
                    "Provided grant is invalid or malformed.");
        goto out;
    }
    res = entra_resource_of(scope      ? scope
                            : resource ? NULL
                                       : json_str(claims, "scope"),
                            resource, &offline, &openid);
    if (!entra_resource_known(rq, res)) {
        entra_error(rq, rs, 400, "invalid_resource", 500011,
                    "The resource principal named %s was not found in the "
                    "tenant named %s.",
                    res, rq->sim->id.domain);
        goto out;
    }
    who.client_id = id;
    who.scope = scope ? scope : json_str(claims, "scope");
    iss = entra_issuer(rq, pfx, adfs);
    /* A new refresh token with every answer (rotation); the one
     * redeemed stays valid until it expires, as on Entra. */
    entra_token_answer(rq, rs, res, &who, v1, true, openid, iss);
    free(iss);
out:
    cJSON_Delete(claims);
    free(rt);
    free(id);
    free(scope);
    free(resource);
    free(res);
}

void
entra_devicecode_endpoint(struct sim_req *rq, struct sim_resp *rs, bool v1)
{
    struct sim *sim = rq->sim;
    char *id = entra_form_get(rq, "client_id");
    char *scope = entra_form_get(rq, "scope");
    char *resource = entra_form_get(rq, "resource");
    char *user_code = NULL, *device_code, *uri, *msg;
    int life = atomic_load(&sim->device_lifetime);
    int interval = atomic_load(&sim->device_interval);
    cJSON *o;

    if (!id || !*id) {
        entra_error(rq, rs, 400, "invalid_request", 900144,
                    "The request body must contain the following parameter: "
                    "'client_id'.");
        goto out;
    }
    if (!scope && resource)
        scope = xasprintf("%s/.default", resource);
    device_code =
        devices_create(sim->devices, id, scope, life, interval, &user_code);
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
