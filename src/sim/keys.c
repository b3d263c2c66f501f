/*
 * keys.c — CA, server and client certificates and the token signing key,
 * generated with OpenSSL 3 (see keys.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/buf.h"
#include "base/secmem.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/keys.h"
#include "sim/util.h"

#define SERVER_DAYS 397
#define CA_DAYS     3650

static const char server_san[] =
    "DNS:localhost,DNS:*.localhost,DNS:vault.localhost,"
    "DNS:*.vault.localhost,DNS:*.openai.localhost,"
    "DNS:*.cognitiveservices.localhost,"
    "IP:127.0.0.1,IP:127.0.0.2,IP:0:0:0:0:0:0:0:1,"
    "DNS:login.microsoftonline.com,DNS:login.windows.net,"
    "DNS:management.azure.com,DNS:management.core.windows.net,"
    "DNS:graph.microsoft.com";

static char *
ssl_error(const char *what)
{
    unsigned long e = ERR_get_error();
    char msg[256];

    ERR_error_string_n(e, msg, sizeof msg);
    ERR_clear_error();
    return xasprintf("%s: %s", what, e ? msg : "failed");
}

static bool
write_private(const char *path, const char *data, size_t len)
{
    char *tmp = xasprintf("%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = false;

    if (fd >= 0) {
        ok = write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
        close(fd);
        ok = ok && rename(tmp, path) == 0;
        if (!ok)
            unlink(tmp);
    }
    free(tmp);
    return ok;
}

static char *
pem_of_key(EVP_PKEY *k)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *data, *r;
    long n;

    PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
    n = BIO_get_mem_data(b, &data);
    r = xstrndup(data, (size_t)n);
    BIO_free(b);
    return r;
}

static char *
pem_of_cert(X509 *c)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *data, *r;
    long n;

    PEM_write_bio_X509(b, c);
    n = BIO_get_mem_data(b, &data);
    r = xstrndup(data, (size_t)n);
    BIO_free(b);
    return r;
}

static bool
add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509_EXTENSION *ex;

    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ex)
        return false;
    X509_add_ext(cert, ex, -1);
    X509_EXTENSION_free(ex);
    return true;
}

/* Builds a certificate for key, signed by (issuer, ikey) or self-signed. */
static X509 *
make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *ikey, int days,
          bool ca, const char *san, const char *eku)
{
    X509 *c = X509_new();
    X509_NAME *name = X509_NAME_new();
    unsigned char serial[16];
    BIGNUM *bn;
    bool ok = true;

    util_random(serial, sizeof serial);
    serial[0] &= 0x7f;
    bn = BN_bin2bn(serial, sizeof serial, NULL);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c));
    BN_free(bn);
    X509_set_version(c, 2);
    X509_gmtime_adj(X509_getm_notBefore(c), -3600);
    X509_gmtime_adj(X509_getm_notAfter(c), (long)days * 86400);
    X509_set_pubkey(c, key);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               (const unsigned char *)"kvdeck-sim", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(c, name);
    X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name);
    X509_NAME_free(name);
    if (ca) {
        ok &= add_ext(c, issuer ? issuer : c, NID_basic_constraints,
                      "critical,CA:TRUE");
        ok &= add_ext(c, issuer ? issuer : c, NID_key_usage,
                      "critical,keyCertSign,cRLSign,digitalSignature");
    } else {
        ok &= add_ext(c, issuer ? issuer : c, NID_basic_constraints,
                      "critical,CA:FALSE");
        ok &= add_ext(c, issuer ? issuer : c, NID_key_usage,
                      "critical,digitalSignature,keyEncipherment");
    }
    if (eku)
        ok &= add_ext(c, issuer ? issuer : c, NID_ext_key_usage, eku);
    if (san)
        ok &= add_ext(c, issuer ? issuer : c, NID_subject_alt_name, san);
    ok &= add_ext(c, issuer ? issuer : c, NID_subject_key_identifier, "hash");
    if (issuer)
        ok &= add_ext(c, issuer, NID_authority_key_identifier, "keyid:always");
    if (!ok || X509_sign(c, ikey ? ikey : key, EVP_sha256()) <= 0) {
        X509_free(c);
        return NULL;
    }
    return c;
}

static EVP_PKEY *
load_key(const char *path)
{
    FILE *f = fopen(path, "r");
    EVP_PKEY *k;

    if (!f)
        return NULL;
    k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    return k;
}

static X509 *
load_cert(const char *path)
{
    FILE *f = fopen(path, "r");
    X509 *c;

    if (!f)
        return NULL;
    c = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    return c;
}

static bool
save_pair(const char *dir, const char *base, EVP_PKEY *k, X509 *c)
{
    char *kp = xasprintf("%s/%s-key.pem", dir, base);
    char *cp = xasprintf("%s/%s.pem", dir, base);
    char *ks = pem_of_key(k), *cs = pem_of_cert(c);
    bool ok = write_private(kp, ks, strlen(ks)) &&
              write_private(cp, cs, strlen(cs)) && chmod(cp, 0644) == 0;

    free(kp);
    free(cp);
    free(ks);
    free(cs);
    return ok;
}

/* True when every DNS name of san (a wildcard as one of its names) is
 * valid for c. */
static bool
san_covered(X509 *c, const char *san)
{
    char *copy, *save = NULL, *tok;
    bool ok = true;

    if (!san)
        return true;
    copy = xstrdup(san);
    for (tok = strtok_r(copy, ",", &save); tok && ok;
         tok = strtok_r(NULL, ",", &save)) {
        char *name;

        /* OpenSSL matches no wildcard of a single label (*.localhost). */
        if (strncmp(tok, "DNS:", 4) != 0 ||
            (tok[4] == '*' && !strchr(tok + 6, '.')))
            continue;
        name = tok[4] == '*' ? xasprintf("x%s", tok + 5) : xstrdup(tok + 4);
        ok = X509_check_host(c, name, 0, 0, NULL) == 1;
        free(name);
    }
    free(copy);
    return ok;
}

/* Loads dir/base{-key,}.pem or creates them. */
static enum kv_status
pair(const char *dir, const char *base, const char *keytype, const char *cn,
     X509 *issuer, EVP_PKEY *ikey, int days, bool ca, const char *san,
     const char *eku, EVP_PKEY **kout, X509 **cout, char **why)
{
    char *kp = xasprintf("%s/%s-key.pem", dir, base);
    char *cp = xasprintf("%s/%s.pem", dir, base);
    EVP_PKEY *k = load_key(kp);
    X509 *c = load_cert(cp);
    enum kv_status rc = KV_OK;

    /* Renew a leaf certificate in its last 30 days, or when it lacks a
     * name of san (a state directory from before the name was added). */
    if (c && !ca) {
        time_t soon = time(NULL) + 30 * 86400;

        if (X509_cmp_time(X509_get0_notAfter(c), &soon) < 0 ||
            !san_covered(c, san)) {
            X509_free(c);
            c = NULL;
        }
    }
    if (!k) {
        X509_free(c);
        c = NULL;
        if (strcmp(keytype, "RSA") == 0)
            k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
        else
            k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        if (!k) {
            *why = ssl_error("key generation");
            rc = KV_ERR_INTERNAL;
            goto out;
        }
    }
    if (!c) {
        c = make_cert(k, cn, issuer, ikey, days, ca, san, eku);
        if (!c) {
            *why = ssl_error("certificate");
            rc = KV_ERR_INTERNAL;
            goto out;
        }
        if (!save_pair(dir, base, k, c)) {
            *why = xasprintf("cannot write %s: %s", cp, strerror(errno));
            rc = KV_ERR_IO;
            goto out;
        }
    }
out:
    if (rc != KV_OK) {
        EVP_PKEY_free(k);
        X509_free(c);
        k = NULL;
        c = NULL;
    }
    *kout = k;
    *cout = c;
    free(kp);
    free(cp);
    return rc;
}

void
keys_thumbprints(X509 *cert, char **x5t, char **x5t256)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n;

    X509_digest(cert, EVP_sha1(), md, &n);
    *x5t = str_base64url(md, n);
    X509_digest(cert, EVP_sha256(), md, &n);
    *x5t256 = str_base64url(md, n);
}

X509 *
keys_parse_cert(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    X509 *c = PEM_read_bio_X509(b, NULL, NULL, NULL);

    BIO_free(b);
    return c;
}

static char *
bn_b64url(EVP_PKEY *k, const char *param)
{
    BIGNUM *bn = NULL;
    unsigned char *bytes;
    char *r;
    int n;

    if (!EVP_PKEY_get_bn_param(k, param, &bn))
        return xstrdup("");
    n = BN_num_bytes(bn);
    bytes = xmalloc((size_t)n);
    BN_bn2bin(bn, bytes);
    r = str_base64url(bytes, (size_t)n);
    free(bytes);
    BN_free(bn);
    return r;
}

enum kv_status
keys_ensure(const char *dir, struct sim_keys *k, char **why)
{
    EVP_PKEY *cakey = NULL, *skey = NULL, *ckey = NULL;
    X509 *ca = NULL, *scert = NULL, *sigcert = NULL, *ccert = NULL;
    enum kv_status rc;
    char *x5t256 = NULL;
    unsigned char *der = NULL;
    int derlen;

    memset(k, 0, sizeof *k);
    if ((rc = pair(dir, "ca", "EC", "kvdeck-sim local CA", NULL, NULL, CA_DAYS,
                   true, NULL, NULL, &cakey, &ca, why)) != KV_OK ||
        (rc = pair(dir, "server", "EC", "localhost", ca, cakey, SERVER_DAYS,
                   false, server_san, "serverAuth", &skey, &scert, why)) !=
            KV_OK ||
        (rc = pair(dir, "signing", "RSA", "kvdeck-sim token signing", ca, cakey,
                   CA_DAYS, false, NULL, NULL, &k->signing, &sigcert, why)) !=
            KV_OK ||
        (rc = pair(dir, "client", "RSA", "kvdeck-sim client", ca, cakey,
                   CA_DAYS, false, NULL, "clientAuth", &ckey, &ccert, why)) !=
            KV_OK)
        goto out;
    k->server_key_pem = pem_of_key(skey);
    k->server_cert_pem = pem_of_cert(scert);
    k->ca_path = xasprintf("%s/ca.pem", dir);
    k->client_cert_path = xasprintf("%s/client.pem", dir);
    k->client_pem_path = xasprintf("%s/client-combined.pem", dir);
    {
        /* What AZURE_CLIENT_CERTIFICATE_PATH expects: key then cert. */
        char *ks = pem_of_key(ckey), *cs = pem_of_cert(ccert);
        char *both = xasprintf("%s%s", ks, cs);

        if (!write_private(k->client_pem_path, both, strlen(both))) {
            *why = xasprintf("cannot write %s", k->client_pem_path);
            rc = KV_ERR_IO;
        }
        free(ks);
        free(cs);
        free(both);
        if (rc != KV_OK)
            goto out;
    }
    keys_thumbprints(sigcert, &k->kid, &x5t256);
    free(x5t256);
    derlen = i2d_X509(sigcert, &der);
    k->signing_x5c = str_base64(der, (size_t)derlen);
    OPENSSL_free(der);
    k->jwk_n = bn_b64url(k->signing, OSSL_PKEY_PARAM_RSA_N);
    k->jwk_e = bn_b64url(k->signing, OSSL_PKEY_PARAM_RSA_E);
    keys_thumbprints(ccert, &k->client_x5t, &k->client_x5t256);
    k->client_pub = X509_get_pubkey(ccert);
out:
    EVP_PKEY_free(cakey);
    EVP_PKEY_free(skey);
    EVP_PKEY_free(ckey);
    X509_free(ca);
    X509_free(scert);
    X509_free(sigcert);
    X509_free(ccert);
    if (rc != KV_OK)
        keys_free(k);
    return rc;
}

void
keys_free(struct sim_keys *k)
{
    if (k->server_key_pem)
        secmem_wipe(k->server_key_pem, strlen(k->server_key_pem));
    free(k->server_key_pem);
    free(k->server_cert_pem);
    free(k->ca_path);
    free(k->client_pem_path);
    free(k->client_cert_path);
    EVP_PKEY_free(k->signing);
    free(k->kid);
    free(k->signing_x5c);
    free(k->jwk_n);
    free(k->jwk_e);
    EVP_PKEY_free(k->client_pub);
    free(k->client_x5t);
    free(k->client_x5t256);
    memset(k, 0, sizeof *k);
}
