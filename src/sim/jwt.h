/*
 * jwt.h — JSON Web Tokens as Entra ID uses them: RS256 signing of the
 * simulator's access, id and refresh tokens, and verification of RS256
 * or PS256 signatures (client assertions, incoming bearer tokens).
 */
#ifndef KV_SIM_JWT_H
#define KV_SIM_JWT_H

#include <stdbool.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

/* Signs claims with key; the header carries typ, alg RS256, kid and x5t.
 * Returns the compact token (caller frees). */
char *jwt_sign(EVP_PKEY *key, const char *kid, const cJSON *claims);

struct jwt {
    cJSON *header;
    cJSON *claims;
    char *signing_input; /* "header.payload" */
    unsigned char *sig;
    size_t siglen;
};

/* Splits and decodes a compact JWT without checking its signature.
 * Returns false on malformed input. Free with jwt_free(). */
bool jwt_parse(const char *token, struct jwt *out);
void jwt_free(struct jwt *j);
/* Checks the signature (alg RS256 or PS256 from the header) with pub. */
bool jwt_verify(const struct jwt *j, EVP_PKEY *pub);

#endif
