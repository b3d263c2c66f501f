/*
 * imds.c — managed identity, served by the plain-HTTP listener on
 * loopback (no TLS, as on a VM or in App Service):
 *
 *   GET /metadata/identity/oauth2/token?api-version=2018-02-01
 *       &resource=R [&client_id=C | &object_id=O | &msi_res_id=ID]
 *       with the header "Metadata: true" (the IMDS form; the SDKs reach
 *       it through AZURE_POD_IDENTITY_AUTHORITY_HOST)
 *   GET /msi/token?api-version=2019-08-01&resource=R
 *       [&client_id=C | &principal_id=O | &mi_res_id=ID]
 *       with the header "X-IDENTITY-HEADER: <identity_header>" (the App
 *       Service form: IDENTITY_ENDPOINT and IDENTITY_HEADER)
 *
 * Two identities: the system-assigned one (no selector) and one
 * user-assigned identity. Their tokens are app tokens (idtyp app,
 * appidacr 2) with the identity's client id as appid and object id as
 * oid; the user-assigned one carries xms_mirid.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/auth.h"
#include "sim/sim.h"
#include "sim/util.h"

/* An IMDS error: {"error","error_description"}. */
static void
imds_error(struct sim_resp *rs, int status, const char *error, const char *desc)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "error", error);
    cJSON_AddStringToObject(o, "error_description", desc);
    resp_json(rs, status, o);
}

/* An App Service error: {"statusCode","message","correlationId"}. */
static void
appsvc_error(struct sim_req *rq, struct sim_resp *rs, int status,
             const char *msg)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "statusCode", status);
    cJSON_AddStringToObject(o, "message", msg);
    cJSON_AddStringToObject(o, "correlationId", rq->correlation_id);
    resp_json(rs, status, o);
}

/* Picks the identity the query names; false if it names an unknown
 * one. */
static bool
pick(struct sim_req *rq, const char *oid_key, const char *res_key,
     struct auth_subject *who)
{
    const struct sim_identity *id = &rq->sim->id;
    const char *cid = req_query(rq, "client_id");
    const char *oid = req_query(rq, oid_key);
    const char *mrid = req_query(rq, res_key);

    if (!mrid)
        mrid = req_query(rq, strcmp(res_key, "mi_res_id") == 0 ? "msi_res_id"
                                                               : "mi_res_id");
    who->user = false;
    who->acr = 2;
    if (!cid && !oid && !mrid) {
        who->client_id = id->mi_client_id;
        who->oid = id->mi_oid;
        return true;
    }
    if ((cid && strcasecmp(cid, id->uami_client_id) == 0) ||
        (oid && strcasecmp(oid, id->uami_oid) == 0) ||
        (mrid && strcasecmp(mrid, id->uami_resource_id) == 0)) {
        who->client_id = id->uami_client_id;
        who->oid = id->uami_oid;
        who->mi_res_id = id->uami_resource_id;
        return true;
    }
    return false;
}

static bool
resource_known(struct sim_req *rq, const char *res)
{
    return auth_audience_ok(rq, AUD_ARM, res) ||
           auth_audience_ok(rq, AUD_VAULT, res) ||
           auth_audience_ok(rq, AUD_GRAPH, res);
}

static void
add_num_str(cJSON *o, const char *key, long long v)
{
    char *s = xasprintf("%lld", v);

    cJSON_AddStringToObject(o, key, s);
    free(s);
}

/* The success answer; App Service leaves out the IMDS-only fields. */
static void
answer(struct sim_req *rq, struct sim_resp *rs, const char *res,
       const struct auth_subject *who, bool appsvc)
{
    int life = 0;
    char *at = auth_access_token(rq->sim, res, who, &life);
    long long now = (long long)sim_clock_s(rq->sim);
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "access_token", at);
    cJSON_AddStringToObject(o, "client_id", who->client_id);
    if (!appsvc) {
        add_num_str(o, "expires_in", life);
        add_num_str(o, "ext_expires_in", life);
    }
    add_num_str(o, "expires_on", now + life);
    if (!appsvc)
        add_num_str(o, "not_before", now);
    cJSON_AddStringToObject(o, "resource", res);
    cJSON_AddStringToObject(o, "token_type", "Bearer");
    resp_json(rs, 200, o);
    free(at);
}

static void
imds_token(struct sim_req *rq, struct sim_resp *rs)
{
    const char *md = req_header(rq, "Metadata");
    const char *ver = req_query(rq, "api-version");
    const char *res = req_query(rq, "resource");
    struct auth_subject who = {0};

    if (req_header(rq, "X-Forwarded-For")) {
        imds_error(rs, 400, "invalid_request",
                   "Request containing X-Forwarded-For header is not "
                   "allowed");
    } else if (!md || strcasecmp(md, "true") != 0) {
        imds_error(rs, 400, "invalid_request",
                   "Required metadata header not specified");
    } else if (!ver || !*ver) {
        imds_error(rs, 400, "invalid_request",
                   "Required query variable 'api-version' is missing");
    } else if (!res || !*res) {
        imds_error(rs, 400, "invalid_request",
                   "Required query variable 'resource' is missing");
    } else if (!pick(rq, "object_id", "msi_res_id", &who)) {
        imds_error(rs, 400, "invalid_request", "Identity not found");
    } else if (!resource_known(rq, res)) {
        char *d = xasprintf("AADSTS500011: The resource principal named %s "
                            "was not found in the tenant named %s.",
                            res, rq->sim->id.domain);

        imds_error(rs, 400, "invalid_resource", d);
        free(d);
    } else {
        answer(rq, rs, res, &who, false);
    }
}

static void
appsvc_token(struct sim_req *rq, struct sim_resp *rs)
{
    const char *h = req_header(rq, "X-IDENTITY-HEADER");
    const char *ver = req_query(rq, "api-version");
    const char *res = req_query(rq, "resource");
    struct auth_subject who = {0};

    if (!h || strcmp(h, rq->sim->id.identity_header) != 0) {
        appsvc_error(rq, rs, 401,
                     "The X-IDENTITY-HEADER header is missing or invalid.");
    } else if (!ver || strcmp(ver, "2019-08-01") != 0) {
        appsvc_error(rq, rs, 400,
                     "The api-version is missing or not supported; use "
                     "2019-08-01.");
    } else if (!res || !*res) {
        appsvc_error(rq, rs, 400, "The resource parameter is missing.");
    } else if (!pick(rq, "principal_id", "mi_res_id", &who)) {
        appsvc_error(rq, rs, 400,
                     "Unable to load the proper Managed Identity.");
    } else if (!resource_known(rq, res)) {
        appsvc_error(rq, rs, 400,
                     "AADSTS500011: The resource principal was not found in "
                     "the tenant.");
    } else {
        answer(rq, rs, res, &who, true);
    }
}

static void
imds_handle(struct sim_req *rq, struct sim_resp *rs)
{
    bool imds = strcasecmp(rq->path, "/metadata/identity/oauth2/token") == 0;
    bool appsvc = strcasecmp(rq->path, "/msi/token") == 0 ||
                  strcasecmp(rq->path, "/msi/token/") == 0;

    if (!imds && !appsvc) {
        resp_text(rs, 404, "text/plain; charset=utf-8", "Not Found");
        return;
    }
    if (strcmp(rq->method, "GET") != 0) {
        resp_text(rs, 405, "text/plain; charset=utf-8", "Method Not Allowed");
        resp_header(rs, "Allow", "GET");
        return;
    }
    if (imds)
        imds_token(rq, rs);
    else
        appsvc_token(rq, rs);
}

const struct sim_area_ops imds_area = {
    .name = "imds",
    .precheck = NULL,
    .handle = imds_handle,
};
