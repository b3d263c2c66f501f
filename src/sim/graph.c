/*
 * graph.c — the few Microsoft Graph reads `az keyvault create` makes:
 * GET /v1.0/me (400 for an application token, the user otherwise) and
 * GET /v1.0/servicePrincipals?$filter=servicePrincipalNames/any(...).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/auth.h"
#include "sim/util.h"

static void
graph_error(struct sim_resp *rs, int status, const char *code, const char *msg,
            const char *rid)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(root, "error");
    cJSON *inner = cJSON_AddObjectToObject(err, "innerError");
    char *date = util_iso(sim_now_ms() / 1000);

    cJSON_AddStringToObject(err, "code", code);
    cJSON_AddStringToObject(err, "message", msg);
    cJSON_AddStringToObject(inner, "date", date);
    cJSON_AddStringToObject(inner, "request-id", rid);
    cJSON_AddStringToObject(inner, "client-request-id", rid);
    resp_json(rs, status, root);
    free(date);
}

static bool
graph_precheck(struct sim_req *rq, struct sim_resp *rs)
{
    enum auth_result r = auth_check(rq, AUD_GRAPH, NULL);

    if (r == AUTH_OK)
        return false;
    graph_error(rs, 401, "InvalidAuthenticationToken",
                r == AUTH_MISSING    ? "Access token is empty."
                : r == AUTH_EXPIRED  ? "Lifetime validation failed, the "
                                       "token is expired."
                : r == AUTH_AUDIENCE ? "Invalid audience."
                                     : "Access token validation failure.",
                rq->request_id);
    resp_header(rs, "WWW-Authenticate",
                "Bearer realm=\"\", authorization_uri=\"https://127.0.0.1:%d/"
                "%s\", client_id=\"00000003-0000-0000-c000-000000000000\"",
                rq->sim->port, rq->sim->id.tenant);
    return true;
}

static cJSON *
user_object(struct sim *sim)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "@odata.context",
                            "https://graph.microsoft.com/v1.0/$metadata#users/"
                            "$entity");
    cJSON_AddItemToObject(o, "businessPhones", cJSON_CreateArray());
    cJSON_AddStringToObject(o, "displayName", sim->id.user_name);
    cJSON_AddNullToObject(o, "givenName");
    cJSON_AddNullToObject(o, "jobTitle");
    cJSON_AddNullToObject(o, "mail");
    cJSON_AddNullToObject(o, "mobilePhone");
    cJSON_AddNullToObject(o, "officeLocation");
    cJSON_AddNullToObject(o, "preferredLanguage");
    cJSON_AddNullToObject(o, "surname");
    cJSON_AddStringToObject(o, "userPrincipalName", sim->id.user_upn);
    cJSON_AddStringToObject(o, "id", sim->id.user_oid);
    return o;
}

static cJSON *
sp_object(struct sim *sim)
{
    cJSON *o = cJSON_CreateObject(), *names = cJSON_CreateArray();

    cJSON_AddStringToObject(o, "id", sim->id.sp_object_id);
    cJSON_AddStringToObject(o, "appId", sim->id.client_id);
    cJSON_AddStringToObject(o, "appDisplayName", sim->id.app_name);
    cJSON_AddStringToObject(o, "displayName", sim->id.app_name);
    cJSON_AddBoolToObject(o, "accountEnabled", true);
    cJSON_AddStringToObject(o, "servicePrincipalType", "Application");
    cJSON_AddStringToObject(o, "appOwnerOrganizationId", sim->id.tenant);
    cJSON_AddItemToArray(names, cJSON_CreateString(sim->id.client_id));
    cJSON_AddItemToObject(o, "servicePrincipalNames", names);
    return o;
}

static void
graph_handle(struct sim_req *rq, struct sim_resp *rs)
{
    struct sim *sim = rq->sim;
    const char *p = rq->path;
    bool user = str_eq(json_str(rq->claims, "idtyp"), "user");

    if (strcmp(rq->method, "GET") != 0) {
        graph_error(rs, 405, "Request_BadRequest",
                    "Only reads are modelled by kvdeck-sim.", rq->request_id);
        return;
    }
    if (strcasecmp(p, "/v1.0/me") == 0 || strcasecmp(p, "/beta/me") == 0) {
        if (user)
            resp_json(rs, 200, user_object(sim));
        else
            graph_error(rs, 400, "BadRequest",
                        "/me request is only valid with delegated "
                        "authentication flow.",
                        rq->request_id);
        return;
    }
    if (strcasecmp(p, "/v1.0/servicePrincipals") == 0) {
        const char *f = req_query(rq, "$filter");
        cJSON *root = cJSON_CreateObject();
        cJSON *arr;
        char want[256] = "";

        cJSON_AddStringToObject(root, "@odata.context",
                                "https://graph.microsoft.com/v1.0/$metadata#"
                                "servicePrincipals");
        arr = cJSON_AddArrayToObject(root, "value");
        if (f &&
            (sscanf(f, "servicePrincipalNames/any(c:c eq '%255[^']')", want) ==
                 1 ||
             sscanf(f, "appId eq '%255[^']'", want) == 1) &&
            strcasecmp(want, sim->id.client_id) == 0)
            cJSON_AddItemToArray(arr, sp_object(sim));
        resp_json(rs, 200, root);
        return;
    }
    if (str_istarts(p, "/v1.0/servicePrincipals/") &&
        strcasecmp(p + strlen("/v1.0/servicePrincipals/"),
                   sim->id.sp_object_id) == 0) {
        resp_json(rs, 200, sp_object(sim));
        return;
    }
    graph_error(rs, 404, "Request_ResourceNotFound",
                "Resource not found for the segment.", rq->request_id);
}

const struct sim_area_ops graph_area = {
    .name = "graph",
    .precheck = graph_precheck,
    .handle = graph_handle,
};
