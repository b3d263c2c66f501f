/*
 * entra.h — what the Entra ID files (entra.c, entra-token.c,
 * entra-user.c) share: form fields, the AADSTS error body, scope parsing
 * and the token endpoint's success answer.
 */
#ifndef KV_SIM_ENTRA_H
#define KV_SIM_ENTRA_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "sim/auth.h"
#include "sim/sim.h"

/* The value of key in a form-encoded body (caller frees), or NULL. */
char *entra_form_get(const struct sim_req *rq, const char *key);
/* An Entra error answer: error, error_description "AADSTScode: msg"
 * with trace and correlation ids and timestamp, error_codes, timestamp,
 * trace_id, correlation_id, error_uri. */
void entra_error(struct sim_req *rq, struct sim_resp *rs, int status,
                 const char *error, int code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* cJSON_AddStringToObject that frees val. */
void entra_add_str(cJSON *o, const char *key, char *val);
/* The resource a scope list (or the v1 resource) asks for (caller
 * frees); sets whether offline_access and openid were asked for. */
char *entra_resource_of(const char *scope, const char *resource, bool *offline,
                        bool *openid);
bool entra_resource_known(struct sim_req *rq, const char *res);
/* The issuer of id tokens for the path prefix (caller frees). */
char *entra_issuer(struct sim_req *rq, const char *pfx, bool adfs);
/* Writes the token endpoint's success answer: an access token for res,
 * a refresh token when refresh, an id token when id_token. */
void entra_token_answer(struct sim_req *rq, struct sim_resp *rs,
                        const char *res, const struct auth_subject *who,
                        bool v1, bool refresh, bool id_token,
                        const char *issuer);

/* The endpoints. v1: the /oauth2/token form (resource=, expires_on). */
void entra_token_endpoint(struct sim_req *rq, struct sim_resp *rs, bool v1,
                          const char *pfx, bool adfs);
void entra_devicecode_endpoint(struct sim_req *rq, struct sim_resp *rs,
                               bool v1);
void entra_grant_device_code(struct sim_req *rq, struct sim_resp *rs, bool v1,
                             const char *pfx, bool adfs);
void entra_grant_refresh(struct sim_req *rq, struct sim_resp *rs, bool v1,
                         const char *pfx, bool adfs);

#endif
