/*
 * jwt.c — compact JWS with RSA (see jwt.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/rsa.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/jwt.h"
#include "sim/util.h"

static char *
b64url_json(const cJSON *j)
{
    char *s = json_print(j);
    char *r = str_base64url(s, strlen(s));

    free(s);
    return r;
}

char *
jwt_sign(EVP_PKEY *key, const char *kid, const cJSON *claims)
{
    cJSON *hdr = cJSON_CreateObject();
    char *h, *p, *input, *sig64, *tok;
    unsigned char *sig = NULL;
    size_t siglen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();

    cJSON_AddStringToObject(hdr, "typ", "JWT");
    cJSON_AddStringToObject(hdr, "alg", "RS256");
    cJSON_AddStringToObject(hdr, "x5t", kid);
    cJSON_AddStringToObject(hdr, "kid", kid);
    h = b64url_json(hdr);
    p = b64url_json(claims);
    input = xasprintf("%s.%s", h, p);
    if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
        EVP_DigestSign(ctx, NULL, &siglen, (unsigned char *)input,
                       strlen(input)) != 1)
        abort();
    sig = xmalloc(siglen);
    if (EVP_DigestSign(ctx, sig, &siglen, (unsigned char *)input,
                       strlen(input)) != 1)
        abort();
    sig64 = str_base64url(sig, siglen);
    tok = xasprintf("%s.%s", input, sig64);
    EVP_MD_CTX_free(ctx);
    cJSON_Delete(hdr);
    free(h);
    free(p);
    free(input);
    free(sig);
    free(sig64);
    return tok;
}

static cJSON *
decode_part(const char *s, size_t n)
{
    unsigned char *raw = NULL;
    size_t len = 0;
    cJSON *j;

    if (!str_base64_decode(s, n, &raw, &len))
        return NULL;
    j = json_parse_object((const char *)raw, len);
    free(raw);
    return j;
}

bool
jwt_parse(const char *token, struct jwt *out)
{
    const char *d1, *d2;

    memset(out, 0, sizeof *out);
    if (!token || !(d1 = strchr(token, '.')) || !(d2 = strchr(d1 + 1, '.')) ||
        strchr(d2 + 1, '.'))
        return false;
    out->header = decode_part(token, (size_t)(d1 - token));
    out->claims = decode_part(d1 + 1, (size_t)(d2 - d1 - 1));
    if (!out->header || !out->claims ||
        !str_base64_decode(d2 + 1, strlen(d2 + 1), &out->sig, &out->siglen)) {
        jwt_free(out);
        return false;
    }
    out->signing_input = xstrndup(token, (size_t)(d2 - token));
    return true;
}

void
jwt_free(struct jwt *j)
{
    cJSON_Delete(j->header);
    cJSON_Delete(j->claims);
    free(j->signing_input);
    free(j->sig);
    memset(j, 0, sizeof *j);
}

bool
jwt_verify(const struct jwt *j, EVP_PKEY *pub)
{
    const char *alg = json_str(j->header, "alg");
    EVP_MD_CTX *ctx;
    EVP_PKEY_CTX *pctx = NULL;
    bool pss, ok;

    if (!alg || !pub || !j->sig)
        return false;
    if (strcmp(alg, "RS256") == 0)
        pss = false;
    else if (strcmp(alg, "PS256") == 0)
        pss = true;
    else
        return false;
    ctx = EVP_MD_CTX_new();
    ok = EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), NULL, pub) == 1;
    if (ok && pss)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) == 1;
    ok = ok && EVP_DigestVerify(ctx, j->sig, j->siglen,
                                (const unsigned char *)j->signing_input,
                                strlen(j->signing_input)) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}
