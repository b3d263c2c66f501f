/*
 * auth.h — tokens: minting the access, id and refresh tokens the Entra
 * ID endpoints hand out (RS256 JWTs signed with the simulator's key), and
 * checking the bearer token of every ARM, Graph and data-plane request
 * (signature, expiry, tenant, audience).
 */
#ifndef KV_SIM_AUTH_H
#define KV_SIM_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim/sim.h"

enum auth_result {
    AUTH_OK,
    AUTH_MISSING,    /* no Authorization header */
    AUTH_BAD_FORMAT, /* not "Bearer <jwt>" */
    AUTH_INVALID,    /* undecodable or bad signature */
    AUTH_EXPIRED,
    AUTH_TENANT,   /* issued for another tenant */
    AUTH_AUDIENCE, /* issued for another resource */
};

enum auth_audience { AUD_ARM, AUD_VAULT, AUD_GRAPH };

struct auth_subject {
    bool user;             /* delegated (device code) or application */
    const char *client_id; /* appid */
    const char *scope;     /* space separated, for refresh tokens */
    int acr;               /* appidacr: 1 secret, 2 certificate, 0 public */
    const char *oid;       /* application: NULL for the registered service
                              principal, else a managed identity's */
    const char *mi_res_id; /* a user-assigned identity's resource id */
    int64_t not_before;    /* from a claims request (s; 0: none) */
    const char *tenant;    /* the token's tid; NULL: the home tenant */
};

/* Why a refresh token is refused. */
enum auth_refresh {
    AUTH_RT_OK,
    AUTH_RT_MALFORMED, /* undecodable, bad signature, other tenant */
    AUTH_RT_EXPIRED,   /* inactive longer than its lifetime */
    AUTH_RT_REVOKED,   /* issued before POST /_sim/refresh/revoke */
};

/* True when tid is the home tenant or the second one (tenant2). */
bool auth_tenant_known(const struct sim *sim, const char *tid);
/* An access token for audience aud; *expires_in receives the lifetime. */
char *auth_access_token(struct sim *sim, const char *aud,
                        const struct auth_subject *who, int *expires_in);
/* An OpenID id_token for a user sign-in. */
char *auth_id_token(struct sim *sim, const char *issuer, const char *client_id);
/* A refresh token (a signed JWT, valid sim->refresh_lifetime, 90 days
 * by default) for a user. */
char *auth_refresh_token(struct sim *sim, const char *client_id,
                         const char *scope);
/* Checks a refresh token; *why receives the verdict. Returns its claims
 * whenever the signature holds, also when expired or revoked (caller
 * deletes), else NULL. */
cJSON *auth_check_refresh(struct sim *sim, const char *token,
                          enum auth_refresh *why);
/* The claims challenge (Continuous Access Evaluation): true when a
 * request whose token passed auth_check() must be refused with 401
 * error="insufficient_claims" — a claims-challenge fault fired on it,
 * or an earlier challenge asked for tokens not before a time this token
 * predates. *claims receives the challenge's base64 claims value
 * (caller frees). */
bool auth_claims_challenge(struct sim_req *rq, char **claims);
/* The nbf a claims request parameter (JSON) asks for, or 0. */
int64_t auth_claims_nbf(const char *claims);
/* client_info=1: base64url {"uid","utid"} (caller frees). */
char *auth_client_info(struct sim *sim);

/* Verifies the request's bearer token for the given audience class. On
 * AUTH_OK rq->claims is set; otherwise *found (may be NULL) receives the
 * offending value (audience, issuer or expiry) to quote (caller frees). */
enum auth_result auth_check(struct sim_req *rq, enum auth_audience aud,
                            char **found);
/* True if aud names the resource class (exact forms Azure accepts). */
bool auth_audience_ok(struct sim_req *rq, enum auth_audience cls,
                      const char *aud);
/* The vault resource the challenge names for this request's host. */
char *auth_vault_resource(const struct sim_req *rq);
/* The graph resource of the simulated cloud ("https://127.0.0.1:P/"). */
char *auth_graph_resource(const struct sim *sim);

#endif
