/*
 * credential-cert.c — the client-certificate credential: an OAuth 2.0
 * client_credentials grant whose proof is a JWT client assertion signed
 * with the certificate's private key. Against Entra ID the assertion is
 * PS256 and names the certificate by its SHA-256 thumbprint (x5t#S256),
 * as MSAL does; AD FS does not know PS256, so there it is RS256 with the
 * SHA-1 thumbprint (x5t).
 *
 * The PEM file holds the certificate and its private key (an encrypted
 * key takes a password). The key is read once, when the credential is
 * made, and stays in OpenSSL's memory; the password is not kept. Each
 * assertion is built in secure memory and lives for ten minutes.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "azure/credential-int.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"

/* Lifetime of an assertion (seconds); Entra ID accepts up to a day. */
#define ASSERTION_LIFETIME 600

struct cert_priv {
    char *client_id;
    EVP_PKEY *key;
    char *x5t, *x5t256; /* base64url thumbprints (SHA-1, SHA-256) */
    struct az_token_fetches fetches;
};

/* The certificate's thumbprint with md, base64url. */
static char *
thumbprint(X509 *cert, const EVP_MD *md)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (X509_digest(cert, md, d, &n) != 1)
        return NULL;
    return str_base64url(d, n);
}

/* base64url of text, appended to a secure buffer by the caller. */
static char *
b64(const char *text)
{
    return str_base64url(text, strlen(text));
}

/* A random RFC 4122 version-4 UUID for the assertion's jti. */
static void
uuid4(char out[37])
{
    unsigned char r[16];
    if (RAND_bytes(r, sizeof r) != 1)
        memset(r, 0, sizeof r); /* jti need only be unique per minute */
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x"
             "%02x",
             r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10],
             r[11], r[12], r[13], r[14], r[15]);
}

/* Signs input with the key: RSASSA-PSS (salt = digest length) or
 * PKCS #1 v1.5, SHA-256. Returns the signature base64url, or NULL. */
static char *
sign(EVP_PKEY *key, bool pss, const char *input)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pk = NULL;
    unsigned char *sig = NULL;
    size_t n = 0;
    char *out = NULL;
    if (md == NULL || EVP_DigestSignInit(md, &pk, EVP_sha256(), NULL, key) != 1)
        goto done;
    if (pss &&
        (EVP_PKEY_CTX_set_rsa_padding(pk, RSA_PKCS1_PSS_PADDING) != 1 ||
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pk, RSA_PSS_SALTLEN_DIGEST) != 1))
        goto done;
    if (EVP_DigestSign(md, NULL, &n, (const unsigned char *)input,
                       strlen(input)) != 1)
        goto done;
    sig = xmalloc(n);
    if (EVP_DigestSign(md, sig, &n, (const unsigned char *)input,
                       strlen(input)) == 1)
        out = str_base64url(sig, n);
done:
    free(sig);
    EVP_MD_CTX_free(md);
    return out;
}

/* The assertion "header.claims.signature" for the token endpoint at aud,
 * in secure memory, or NULL when signing failed. */
static struct secret *
assertion(const struct cert_priv *p, bool adfs, const char *aud)
{
    cJSON *h = cJSON_CreateObject(), *c = cJSON_CreateObject();
    char jti[37];
    int64_t now = time_now();
    cJSON_AddStringToObject(h, "alg", adfs ? "RS256" : "PS256");
    cJSON_AddStringToObject(h, "typ", "JWT");
    if (adfs)
        cJSON_AddStringToObject(h, "x5t", p->x5t);
    else
        cJSON_AddStringToObject(h, "x5t#S256", p->x5t256);
    uuid4(jti);
    cJSON_AddStringToObject(c, "aud", aud);
    cJSON_AddStringToObject(c, "iss", p->client_id);
    cJSON_AddStringToObject(c, "sub", p->client_id);
    cJSON_AddStringToObject(c, "jti", jti);
    cJSON_AddNumberToObject(c, "nbf", (double)now);
    cJSON_AddNumberToObject(c, "iat", (double)now);
    cJSON_AddNumberToObject(c, "exp", (double)(now + ASSERTION_LIFETIME));
    char *hj = cJSON_PrintUnformatted(h), *cj = cJSON_PrintUnformatted(c);
    char *hb = b64(hj), *cb = b64(cj);
    char *input = xasprintf("%s.%s", hb, cb);
    char *sig = sign(p->key, !adfs, input);
    struct secret *out = NULL;
    if (sig != NULL) {
        out = secret_new(strlen(input) + strlen(sig) + 2);
        secret_append(out, input, strlen(input));
        secret_append(out, ".", 1);
        secret_append(out, sig, strlen(sig));
        secmem_wipe(sig, strlen(sig));
    }
    free(sig);
    free(input);
    free(hb);
    free(cb);
    cJSON_free(hj);
    cJSON_free(cj);
    cJSON_Delete(h);
    cJSON_Delete(c);
    return out;
}

/* Returns 0 (the waiters fail) only when signing failed, which a key
 * that loaded and matched its certificate does not do. */
static uint64_t
cert_acquire_claims(struct az_credential *c, struct az_http *h,
                    const char *tenant, const char *scope, const char *claims,
                    az_credential_done_fn done, void *ud)
{
    struct cert_priv *p = c->priv;
    char *aud = az_cloud_token_url(c->cloud, tenant);
    struct secret *a = assertion(p, c->cloud->adfs, aud);
    free(aud);
    if (a == NULL) {
        log_debug("auth: signing the client assertion failed");
        return 0;
    }
    /* what a person checks when Entra refuses it; never the assertion */
    log_debug("auth: client assertion %s, %s",
              c->cloud->adfs ? "RS256" : "PS256",
              c->cloud->adfs ? "x5t" : "x5t#S256");
    static const char type[] =
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    const char *grant = "client_credentials";
    struct secret *body = secret_new(512 + a->len * 2);
    az_form_add(&body, "grant_type", grant, strlen(grant));
    az_form_add(&body, "client_id", p->client_id, strlen(p->client_id));
    az_form_add(&body, "client_assertion_type", type, sizeof type - 1);
    az_form_add(&body, "client_assertion", a->data, a->len);
    az_form_add(&body, "scope", scope, strlen(scope));
    if (claims != NULL) /* after a claims challenge */
        az_form_add(&body, "claims", claims, strlen(claims));
    secret_free(a);
    return az_token_post(&p->fetches, c, h, tenant, body, done, ud);
}

static uint64_t
cert_acquire(struct az_credential *c, struct az_http *h, const char *tenant,
             const char *scope, az_credential_done_fn done, void *ud)
{
    return cert_acquire_claims(c, h, tenant, scope, NULL, done, ud);
}

static void
cert_cancel(struct az_credential *c, struct az_http *h, uint64_t id)
{
    struct cert_priv *p = c->priv;
    az_token_cancel(&p->fetches, h, id);
}

static void
cert_free_priv(struct az_credential *c)
{
    struct cert_priv *p = c->priv;
    az_token_fetches_free(&p->fetches);
    EVP_PKEY_free(p->key);
    free(p->client_id);
    free(p->x5t);
    free(p->x5t256);
    free(p);
}

static const struct az_credential_ops cert_ops = {
    .kind = "client certificate",
    .acquire = cert_acquire,
    .cancel = cert_cancel,
    .free = cert_free_priv,
    .acquire_claims = cert_acquire_claims,
};

/* The password callback: the caller's password, or none (an encrypted
 * key then fails to load, and the message says a password is needed). */
static int
password_cb(char *buf, int size, int rwflag, void *u)
{
    const struct secret *pw = u;
    (void)rwflag;
    if (pw == NULL || pw->len == 0 || (int)pw->len > size)
        return 0;
    memcpy(buf, pw->data, pw->len);
    return (int)pw->len;
}

/* Whether a PEM block header of path contains word ("ENCRYPTED" in
 * "BEGIN ENCRYPTED PRIVATE KEY" or "Proc-Type: 4,ENCRYPTED"). */
static bool
file_has(const char *path, const char *word)
{
    FILE *f = fopen(path, "r");
    char line[256];
    bool found = false;
    while (f != NULL && !found && fgets(line, sizeof line, f) != NULL)
        found = (strncmp(line, "-----BEGIN", 10) == 0 ||
                 strncmp(line, "Proc-Type:", 10) == 0) &&
                strstr(line, word) != NULL;
    if (f != NULL)
        fclose(f);
    return found;
}

/* Reads the certificate and key of path; NULL and *why when unusable. */
static bool
load(const char *path, const struct secret *password, X509 **cert,
     EVP_PKEY **key, char **why)
{
    BIO *b = BIO_new_file(path, "r");
    if (b == NULL) {
        *why = xasprintf(_("cannot read the client certificate %s: %s"), path,
                         strerror(errno != 0 ? errno : ENOENT));
        return false;
    }
    *cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    if (*cert == NULL) {
        *why = xasprintf(_("%s holds no certificate (a PEM file with the "
                           "certificate and its private key is needed)"),
                         path);
        ERR_clear_error();
        return false;
    }
    b = BIO_new_file(path, "r");
    *key = b != NULL
               ? PEM_read_bio_PrivateKey(b, NULL, password_cb, (void *)password)
               : NULL;
    BIO_free(b);
    if (*key == NULL) {
        ERR_clear_error();
        bool encrypted = file_has(path, "ENCRYPTED");
        if (encrypted && password != NULL && password->len > 0)
            *why = xasprintf(_("the private key in %s does not open with "
                               "the password given"),
                             path);
        else if (encrypted)
            *why = xasprintf(_("the private key in %s is encrypted: set "
                               "AZURE_CLIENT_CERTIFICATE_PASSWORD"),
                             path);
        else
            *why = xasprintf(_("%s holds no private key (a PEM file with the "
                               "certificate and its private key is needed)"),
                             path);
        return false;
    }
    if (EVP_PKEY_get_base_id(*key) != EVP_PKEY_RSA) {
        *why = xasprintf(_("the key in %s is not an RSA key (Entra ID signs "
                           "in certificates with RSA keys)"),
                         path);
        return false;
    }
    if (X509_check_private_key(*cert, *key) != 1) {
        ERR_clear_error();
        *why = xasprintf(_("the private key in %s does not belong to its "
                           "certificate"),
                         path);
        return false;
    }
    return true;
}

struct az_credential *
az_credential_cert_new(const struct az_cloud *cloud, const char *tenant,
                       const char *client_id, const char *path,
                       const struct secret *password, const char *origin,
                       char **why)
{
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    if (!load(path, password, &cert, &key, why)) {
        X509_free(cert);
        EVP_PKEY_free(key);
        return NULL;
    }
    struct az_credential *c = xcalloc(1, sizeof *c);
    struct cert_priv *p = xcalloc(1, sizeof *p);
    p->client_id = xstrdup(client_id);
    p->key = key;
    p->x5t = thumbprint(cert, EVP_sha1());
    p->x5t256 = thumbprint(cert, EVP_sha256());
    X509_free(cert);
    c->ops = &cert_ops;
    c->cloud = az_cloud_dup(cloud);
    c->tenant = xstrdup(tenant);
    c->name = xasprintf(_("client certificate (%s)"), _(origin));
    c->priv = p;
    return c;
}
