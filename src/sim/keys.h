/*
 * keys.h — the simulator's own PKI, created on first start in the state
 * directory: a CA (trusted only by whoever is told to), the server
 * certificate for localhost, 127.0.0.1, *.vault.localhost, the AI
 * services account endpoints *.openai.localhost and
 * *.cognitiveservices.localhost (cog.h) and the
 * Microsoft host names used in proxy mode, the RSA key that signs access
 * tokens, and a client certificate registered for JWT client assertions.
 * Private key files are written 0600.
 */
#ifndef KV_SIM_KEYS_H
#define KV_SIM_KEYS_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/status.h"

struct sim_keys {
    char *server_key_pem; /* for libmicrohttpd */
    char *server_cert_pem;
    char *ca_path;         /* absolute paths */
    char *client_pem_path; /* client key + certificate */
    char *client_cert_path;
    EVP_PKEY *signing;    /* RS256 token key */
    char *kid;            /* base64url SHA-1 of the signing cert */
    char *signing_x5c;    /* base64 DER */
    char *jwk_n, *jwk_e;  /* base64url modulus and exponent */
    EVP_PKEY *client_pub; /* public key of the client certificate */
    char *client_x5t;     /* base64url SHA-1 thumbprint */
    char *client_x5t256;  /* base64url SHA-256 thumbprint */
};

/* Loads the keys in dir, creating any that are missing (and the server
 * certificate again when it is close to expiry). */
enum kv_status keys_ensure(const char *dir, struct sim_keys *k, char **why);
void keys_free(struct sim_keys *k);
/* Thumbprints (base64url, caller frees) of a certificate. */
void keys_thumbprints(X509 *cert, char **x5t, char **x5t256);
/* Parses a PEM certificate (caller X509_free()s), or NULL. */
X509 *keys_parse_cert(const char *pem);

#endif
