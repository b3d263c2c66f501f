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
    AUTH_TENANT,     /* issued for another tenant */
    AUTH_AUDIENCE,   /* issued for another resource */
};

enum auth_audience { AUD_ARM, AUD_VAULT, AUD_GRAPH };

struct auth_subject {
    bool user;             /* delegated (device code) or application */
    const char *client_id; /* appid */
    const char *scope;     /* space separated, for refresh tokens */
    int acr;               /* appidacr: 1 secret, 2 certificate, 0 public */
};

/* An access token for audience aud; *expires_in receives the lifetime. */
char *auth_access_token(struct sim *sim, const char *aud,
                        const struct auth_subject *who, int *expires_in);
/* An OpenID id_token for a user sign-in. */
char *auth_id_token(struct sim *sim, const char *issuer,
                    const char *client_id);
/* A refresh token (a signed JWT, valid 90 days) for a user. */
char *auth_refresh_token(struct sim *sim, const char *client_id,
                         const char *scope);
/* Checks a refresh token; returns its claims (caller deletes) or NULL. */
cJSON *auth_check_refresh(struct sim *sim, const char *token);
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
