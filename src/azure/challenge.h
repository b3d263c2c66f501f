/*
 * challenge.h — the Key Vault 401 challenge:
 *
 *   WWW-Authenticate: Bearer authorization="https://login.microsoftonline
 *     .com/{tenant}", resource="https://vault.azure.net"
 *
 * (also accepted: authorization_uri=, scope=, unquoted values, any order).
 * The tenant is the last path segment of the authorization URL; the
 * token scope is scope= if given, else resource + "/.default".
 *
 * Ownership: strings in struct az_challenge are owned by it;
 * az_challenge_clear() frees them.
 */
#ifndef KV_AZURE_CHALLENGE_H
#define KV_AZURE_CHALLENGE_H

#include <stdbool.h>

struct az_challenge {
    char *authority; /* the authorization URL as sent */
    char *tenant;    /* its last path segment */
    char *resource;  /* resource=, or derived from scope= */
    char *scope;     /* what to ask a token for */
};

/* Parses a WWW-Authenticate value. Returns false unless it is a Bearer
 * challenge with an authorization URL and a resource or scope. */
bool az_challenge_parse(const char *header, struct az_challenge *out);
/* True if the challenge's resource may be trusted for a request to url:
 * the resource's host must be the request's host or a parent domain of
 * it (vault.azure.net for v1.vault.azure.net), as the Azure SDKs check. */
bool az_challenge_fits(const struct az_challenge *c, const char *url);
void az_challenge_clear(struct az_challenge *c);

/* A claims challenge (continuous access evaluation, conditional access):
 *
 *   WWW-Authenticate: Bearer authorization_uri="...",
 *     error="insufficient_claims", claims="BASE64"
 *
 * Returns the decoded claims JSON (caller frees), or NULL when header is
 * not a Bearer challenge with error="insufficient_claims" and claims
 * that decode to a JSON object. */
char *az_challenge_claims(const char *header);

#endif
