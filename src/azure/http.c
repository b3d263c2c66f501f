/*
 * http.c — the transport over the libcurl multi interface (see http.h).
 *
 * A request lives in one of four lists: pending (waiting for a free
 * slot; libcurl would otherwise start a transfer's timeout while it sits
 * in libcurl's own queue), running (in libcurl), waiting (backing off
 * before a retry) and finishing (done, callbacks about to run). Each
 * attempt uses a fresh easy handle; connections are kept and reused by
 * the multi handle, so a retry or the next page goes out on the same
 * connection (HTTP/2 stream or keep-alive).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "azure/http.h"
#include "azure/resolve.h"
#include "azure/url.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/wipealloc.h"
#include "base/xalloc.h"

struct xfer {
    uint64_t id;
    struct az_http *h;
    struct az_request *req;
    struct az_response *resp;
    az_http_done_fn done;
    az_http_wait_fn wait;
    void *ud;
    CURL *easy;
    struct curl_slist *hdrs;
    struct curl_slist *resolve; /* the override for this URL, or NULL */
    int64_t due_ms;             /* waiting: when to start again */
    int64_t started_ms;         /* running: when the attempt started */
    bool wait_throttled;
    bool too_large;
    bool reached; /* the attempt got past connecting: it may have landed */
    bool cancelled;
    char errbuf[CURL_ERROR_SIZE];
};

struct az_http {
    CURLM *multi;
    /* TLS sessions shared by every transfer: a new connection to a host
     * already met resumes the session instead of a full handshake
     * (certificate parsing and verification), e.g. the parallel
     * listings of each subscription's vaults. One thread uses it. */
    CURLSH *share;
    /* libcurl's default CA file alone, without its CA directory: a CA
     * store from a file only is parsed once per multi handle (libcurl
     * 7.87 and later) instead of once per connection */
    bool ca_file_cached;
    char *user_agent;
    long connect_timeout_ms, timeout_ms, low_speed_time_s;
    size_t max_body;
    int max_parallel;
    struct az_retry_policy retry;
    struct buf ca_blob; /* the extra CA (PEM), or empty */
    char *ca_dir;       /* system CA directory used beside ca_blob, or NULL */
    struct kv_strlist resolve; /* overrides (resolve.h), copied */
    uint64_t next_id;
    struct vec pending, running, waiting, finishing; /* struct xfer * */
    struct vec watches; /* struct watch *: file descriptors to wait on */
    uint64_t requests, retries;
    char last_request_id[96];
};

/* A file descriptor the loop waits on beside the transfers (a child
 * process's output: the az CLI credential). */
struct watch {
    uint64_t id;
    int fd;              /* -1: a timer (az_http_after) */
    int64_t deadline_ms; /* time_mono_ms(); 0: none (fd watches only) */
    az_http_fd_fn fn;
    az_http_timer_fn timer_fn; /* a timer's callback */
    void *ud;
    bool fired; /* readable or due: its callback runs this turn */
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

/* Whether OpenSSL took the wiping functions (written once, under
 * global_once). */
static bool global_ssl_wipes;

/* libcurl's global state; never cleaned up (other threads may still be
 * in OpenSSL at exit, and it is reachable memory, not a leak). libcurl,
 * OpenSSL and cJSON allocate through wipealloc.h, so that the request
 * bodies, header lists, TLS records and token answers they held are
 * wiped when they free them. libcurl's OpenSSL backend sets
 * SSL_MODE_RELEASE_BUFFERS itself: an idle connection's record buffers
 * are freed (so wiped) rather than kept with the last plaintext. */
static void
global_init(void)
{
    /* refused once OpenSSL has allocated: hence first in main() */
    int took =
        CRYPTO_set_mem_functions(wipe_malloc_fl, wipe_realloc_fl, wipe_free_fl);
    global_ssl_wipes = took == 1;
    cJSON_Hooks hooks = {.malloc_fn = wipe_malloc, .free_fn = wipe_free};
    cJSON_InitHooks(&hooks);
    curl_global_init_mem(CURL_GLOBAL_DEFAULT, wipe_malloc, wipe_free,
                         wipe_realloc, wipe_strdup, wipe_calloc);
}

bool
az_http_global_init(void)
{
    pthread_once(&global_once, global_init);
    return global_ssl_wipes;
}

static uint32_t
random_u32(void)
{
    uint32_t r = 0;
    if (RAND_bytes((unsigned char *)&r, sizeof r) != 1)
        r = (uint32_t)time_mono_ms() * 2654435761u;
    return r;
}

/* ---- libcurl callbacks ----------------------------------------------- */

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *ud)
{
    struct xfer *x = ud;
    struct az_response *resp = x->resp;
    size_t n = size * nmemb;
    size_t have =
        resp->secret_body != NULL ? resp->secret_body->len : resp->body.len;

    if (n > x->h->max_body || have > x->h->max_body - n) {
        x->too_large = true;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    if (!x->req->secret_response) {
        buf_append(&resp->body, data, n);
        return n;
    }
    if (resp->secret_body == NULL)
        resp->secret_body = secret_new(n > 4096 ? n : 4096);
    if (!secret_append(resp->secret_body, data, n)) {
        struct secret *s = secret_new((have + n) * 2);
        secret_append(s, resp->secret_body->data, have);
        secret_append(s, data, n);
        secret_free(resp->secret_body);
        resp->secret_body = s;
    }
    return n;
}

/* Copies a header value without the line end and surrounding blanks. */
static char *
header_value(const char *v, size_t len)
{
    while (len > 0 && (*v == ' ' || *v == '\t'))
        v++, len--;
    while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' ||
                       v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    return xstrndup(v, len);
}

static void
keep_header(char **slot, const char *v, size_t len)
{
    free(*slot);
    *slot = header_value(v, len);
}

/* One header line into r (see http.h); header_cb hands each line here. */
size_t
az_response_header(struct az_response *r, const char *line, size_t n)
{
    if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        /* a new response (after a proxy CONNECT or a 100): start over */
        az_response_reset(r);
        return n;
    }
    const char *colon = memchr(line, ':', n);
    if (colon == NULL)
        return n;
    size_t nl = (size_t)(colon - line);
    const char *v = colon + 1;
    size_t vl = n - nl - 1;
#define IS(name) (nl == sizeof(name) - 1 && strncasecmp(line, name, nl) == 0)
    if (IS("x-ms-request-id"))
        keep_header(&r->request_id, v, vl);
    else if (IS("x-ms-correlation-request-id"))
        keep_header(&r->correlation_id, v, vl);
    else if (IS("retry-after"))
        keep_header(&r->retry_after, v, vl);
    else if (IS("retry-after-ms") || IS("x-ms-retry-after-ms")) {
        char *ms = header_value(v, vl);
        free(r->retry_after);
        r->retry_after = xasprintf("%.3f", strtod(ms, NULL) / 1000.0);
        free(ms);
    } else if (IS("www-authenticate"))
        keep_header(&r->www_authenticate, v, vl);
    else if (IS("location"))
        keep_header(&r->location, v, vl);
    else if (IS("azure-asyncoperation"))
        keep_header(&r->async_operation, v, vl);
    else if (IS("content-type"))
        keep_header(&r->content_type, v, vl);
    else if (IS("date"))
        keep_header(&r->date, v, vl);
    else if (IS("x-ms-user-quota-remaining"))
        keep_header(&r->quota_remaining, v, vl);
    else if (IS("x-ms-user-quota-resets-after"))
        keep_header(&r->quota_resets_after, v, vl);
#undef IS
    return n;
}

static size_t
header_cb(char *line, size_t size, size_t nmemb, void *ud)
{
    struct xfer *x = ud;

    return az_response_header(x->resp, line, size * nmemb);
}

/* ---- the transport ---------------------------------------------------- */

/* Appends a whole file to b; false if it cannot be read. */
static bool
slurp(struct buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    char chunk[16384];
    size_t n;
    if (f == NULL)
        return false;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(b, chunk, n);
    bool ok = !ferror(f);
    fclose(f);
    return ok;
}

/* The CA bundle libcurl would use by default (NULL if none is known). */
static char *
default_ca_bundle(void)
{
    char *path = NULL;
#if LIBCURL_VERSION_NUM >= 0x075400 /* CURLINFO_CAINFO: 7.84.0 */
    CURL *e = curl_easy_init();
    char *p = NULL;
    if (e != NULL && curl_easy_getinfo(e, CURLINFO_CAINFO, &p) == CURLE_OK &&
        p != NULL)
        path = xstrdup(p);
    curl_easy_cleanup(e);
#endif
    if (path == NULL) {
        static const char *const known[] = {
            "/etc/ssl/certs/ca-certificates.crt",
            "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"};
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (access(known[i], R_OK) == 0)
                return xstrdup(known[i]);
    }
    return path;
}

/* The hashed system CA directory (c_rehash layout), or NULL. */
static char *
default_ca_dir(void)
{
#if LIBCURL_VERSION_NUM >= 0x075400 /* CURLINFO_CAPATH: 7.84.0 */
    CURL *e = curl_easy_init();
    char *p = NULL;
    char *dir = NULL;
    if (e != NULL && curl_easy_getinfo(e, CURLINFO_CAPATH, &p) == CURLE_OK &&
        p != NULL)
        dir = xstrdup(p);
    curl_easy_cleanup(e);
    if (dir != NULL)
        return dir;
#endif
    struct stat st;
    if (stat("/etc/ssl/certs", &st) == 0 && S_ISDIR(st.st_mode))
        return xstrdup("/etc/ssl/certs");
    return NULL;
}

char *
az_http_system_ca(void)
{
    char *file = default_ca_bundle(), *dir = default_ca_dir();
    char *out = NULL;
    if (file != NULL && dir != NULL)
        /* TRANSLATORS: the system's CA bundle file and directory */
        out = xasprintf(_("%s and %s"), file, dir);
    else if (file != NULL || dir != NULL)
        out = xstrdup(file != NULL ? file : dir);
    free(file);
    free(dir);
    return out;
}

int
az_http_ca_count(const char *path, char **why)
{
    struct buf b = BUF_INIT;
    int certs = 0;
    X509 *cert;
    if (!slurp(&b, path)) {
        *why = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
        buf_free(&b);
        return -1;
    }
    BIO *bio = BIO_new_mem_buf(b.data, (int)b.len);
    while (bio != NULL &&
           (cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        certs++;
        X509_free(cert);
    }
    ERR_clear_error();
    BIO_free(bio);
    buf_free(&b);
    return certs;
}

/* Adds the CAs of path to the system's. A CA blob replaces libcurl's CA
 * file but not its CA directory, so the blob holds only the extra CA and
 * the system's trust comes from the hashed directory, looked up per
 * certificate: parsing the whole system bundle for every new connection
 * would serialise parallel handshakes on the worker thread. Without such
 * a directory, the blob is the system bundle plus the extra CA.
 * Verification itself is never relaxed. */
static enum kv_status
load_ca(struct az_http *h, const char *path, char **why)
{
    struct buf extra = BUF_INIT;
    int certs = 0;
    X509 *cert;
    enum kv_status st = KV_ERR_CONFIG;

#if LIBCURL_VERSION_NUM < 0x074d00
    *why =
        xasprintf(_("an extra CA file (%s) needs libcurl 7.77 or later"), path);
    goto out;
#endif
    if (!slurp(&extra, path)) {
        *why =
            xasprintf(_("cannot read CA file %s: %s"), path, strerror(errno));
        goto out;
    }
    BIO *bio = BIO_new_mem_buf(extra.data, (int)extra.len);
    while (bio != NULL &&
           (cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        certs++;
        X509_free(cert);
    }
    ERR_clear_error(); /* the loop ends with "no start line" */
    BIO_free(bio);
    if (certs == 0) {
        *why = xasprintf(_("CA file %s holds no PEM certificate"), path);
        goto out;
    }
    h->ca_dir = default_ca_dir();
    if (h->ca_dir == NULL) {
        char *sys = default_ca_bundle();
        if (sys != NULL && slurp(&h->ca_blob, sys))
            buf_putc(&h->ca_blob, '\n');
        else
            buf_reset(&h->ca_blob);
        free(sys);
    }
    buf_append(&h->ca_blob, extra.data, extra.len);
    st = KV_OK;
out:
    buf_free(&extra);
    return st;
}

struct az_http *
az_http_new(const struct az_http_config *cfg, char **why)
{
    if (!az_http_global_init())
        log_debug("http: OpenSSL allocated before the wiping allocator "
                  "was installed; its buffers are freed unwiped");
    struct az_http *h = xcalloc(1, sizeof *h);
    h->user_agent = xstrdup(
        cfg->user_agent != NULL ? cfg->user_agent : "kvdeck/" PACKAGE_VERSION);
    h->connect_timeout_ms =
        cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 10000;
    h->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 60000;
    h->low_speed_time_s =
        cfg->low_speed_time_s > 0 ? cfg->low_speed_time_s : 30;
    h->max_body = cfg->max_body > 0 ? cfg->max_body : 32u << 20;
    h->max_parallel = cfg->max_parallel > 0 ? cfg->max_parallel : 64;
    h->retry = cfg->retry.max_attempts > 0 ? cfg->retry : az_retry_default();
    h->next_id = 1;
    for (size_t i = 0; cfg->resolve != NULL && i < cfg->resolve->n; i++)
        kv_strlist_add(&h->resolve, cfg->resolve->items[i]);
    if (cfg->ca_file != NULL && load_ca(h, cfg->ca_file, why) != KV_OK) {
        az_http_free(h);
        return NULL;
    }
    h->multi = curl_multi_init();
    if (h->multi == NULL) {
        *why = xstrdup(_("cannot start libcurl"));
        az_http_free(h);
        return NULL;
    }
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    h->share = curl_share_init();
    if (h->share != NULL &&
        curl_share_setopt(h->share, CURLSHOPT_SHARE,
                          CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK) {
        curl_share_cleanup(h->share);
        h->share = NULL;
    }
#if LIBCURL_VERSION_NUM >= 0x075700 /* the multi handle's CA cache: 7.87.0 */
    if (h->ca_blob.len == 0) {
        char *file = default_ca_bundle();
        h->ca_file_cached = file != NULL && access(file, R_OK) == 0;
        free(file);
    }
#endif
    curl_multi_setopt(h->multi, CURLMOPT_MAX_CONCURRENT_STREAMS, 100L);
    return h;
}

static void
xfer_detach_easy(struct xfer *x)
{
    if (x->easy != NULL) {
        curl_multi_remove_handle(x->h->multi, x->easy);
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
    }
    for (struct curl_slist *s = x->hdrs; s != NULL; s = s->next)
        secmem_wipe(s->data, strlen(s->data)); /* Authorization */
    curl_slist_free_all(x->hdrs);
    curl_slist_free_all(x->resolve);
    x->resolve = NULL;
    x->hdrs = NULL;
}

static void
xfer_free(struct xfer *x)
{
    xfer_detach_easy(x);
    az_request_free(x->req);
    az_response_free(x->resp);
    free(x);
}

void
az_http_free(struct az_http *h)
{
    if (h == NULL)
        return;
    struct vec *lists[] = {&h->pending, &h->running, &h->waiting,
                           &h->finishing};
    for (size_t i = 0; i < 4; i++) {
        for (size_t j = 0; j < lists[i]->len; j++)
            xfer_free(lists[i]->items[j]);
        vec_free(lists[i]);
    }
    vec_free_all(&h->watches, free);
    if (h->multi != NULL)
        curl_multi_cleanup(h->multi);
    if (h->share != NULL) /* after the last easy handle is gone */
        curl_share_cleanup(h->share);
    buf_free(&h->ca_blob);
    free(h->ca_dir);
    free(h->user_agent);
    kv_strlist_free(&h->resolve);
    free(h);
}

static bool
vec_take(struct vec *v, const void *p)
{
    for (size_t i = 0; i < v->len; i++) {
        if (v->items[i] == p) {
            vec_remove(v, i);
            return true;
        }
    }
    return false;
}

static void
set_method(CURL *e, const struct az_request *r)
{
    const char *body = r->secret_body != NULL ? r->secret_body->data : r->body;
    size_t len = r->secret_body != NULL ? r->secret_body->len : r->body_len;

    if (str_ieq(r->method, "GET")) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        return;
    }
    if (str_ieq(r->method, "HEAD")) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        return;
    }
    if (!str_ieq(r->method, "POST"))
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
    if (body != NULL || str_ieq(r->method, "POST") ||
        str_ieq(r->method, "PUT") || str_ieq(r->method, "PATCH")) {
        /* not COPYPOSTFIELDS: a secret body must stay in secure memory */
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body != NULL ? body : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(body != NULL ? len : 0));
    }
}

/* Starts one attempt of x in libcurl. */

/* The resolve override for the transfer's host and port, if any, as
 * CURLOPT_RESOLVE takes it (kept with the transfer: libcurl reads it
 * when the transfer starts). */
static void
set_resolve(struct xfer *x)
{
    char *host = NULL, *addrs = NULL;
    long port = 443;
    if (x->h->resolve.n == 0 || !az_resolve_target(x->req->url, &host, &port))
        return;
    addrs = az_resolve_lookup(&x->h->resolve, host, port);
    if (addrs != NULL) {
        char *entry = xasprintf("%s:%ld:%s", host, port, addrs);
        x->resolve = curl_slist_append(NULL, entry);
        curl_easy_setopt(x->easy, CURLOPT_RESOLVE, x->resolve);
        log_debug("http: %s:%ld resolves to %s (a resolve override)", host,
                  port, addrs);
        free(entry);
        free(addrs);
    }
    free(host);
}

static void
xfer_start(struct az_http *h, struct xfer *x)
{
    CURL *e = curl_easy_init();
    const struct az_request *r = x->req;
    struct curl_slist *hl = NULL;

    az_response_reset(x->resp);
    x->too_large = false;
    x->errbuf[0] = '\0';
    x->resp->attempts++;
    x->started_ms = time_mono_ms();
    h->requests++;
    if (x->resp->attempts > 1)
        h->retries++;
    if (e == NULL) {
        fprintf(stderr, "kvdeck: out of memory (libcurl)\n");
        abort();
    }
    x->easy = e;
    hl = curl_slist_append(hl, "Accept: application/json");
    char *crid =
        xasprintf("x-ms-client-request-id: %s", x->resp->client_request_id);
    hl = curl_slist_append(hl, crid);
    free(crid);
    hl = curl_slist_append(hl, "Expect:");
    for (size_t i = 0; i < r->headers.len; i++)
        hl = curl_slist_append(hl, r->headers.items[i]);
    x->hdrs = hl;

    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    if (r->local_http && az_http_url_local(r->url)) {
        /* a managed-identity endpoint on this machine: plain http is
         * what it speaks, and no proxy may see its tokens */
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    } else {
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
    }
    curl_easy_setopt(e, CURLOPT_USERAGENT, h->user_agent);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    /* A credential or a secret value that went over HTTP/2 stays in the
     * connection's nghttp2 session (its reused frame buffers) for as long
     * as the connection lives, unwiped by any free: such a transfer's
     * connection is closed when it ends, and its buffers freed through
     * wipefree.c (test-secret-memory-h2). */
    if (r->secret_body != NULL || r->secret_response)
        curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    /* no compression for an answer that carries a secret: libcurl's
     * brotli and zstd decoders allocate their windows with malloc, not
     * through the wiping functions (zlib's do) */
    if (!r->secret_response)
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    long connect_ms = h->connect_timeout_ms, total_ms = h->timeout_ms;
    if (r->timeout_ms > 0) { /* a probe's own, shorter limit */
        connect_ms = r->timeout_ms < connect_ms ? r->timeout_ms : connect_ms;
        total_ms = r->timeout_ms < total_ms ? r->timeout_ms : total_ms;
    }
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, total_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, h->low_speed_time_s);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
#if LIBCURL_VERSION_NUM >= 0x074d00 /* CURLOPT_CAINFO_BLOB: 7.77.0 */
    if (h->ca_blob.len > 0) {
        struct curl_blob blob = {.data = h->ca_blob.data,
                                 .len = h->ca_blob.len,
                                 .flags = CURL_BLOB_NOCOPY};
        curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob);
        if (h->ca_dir != NULL)
            curl_easy_setopt(e, CURLOPT_CAPATH, h->ca_dir);
    }
#endif
    /* the same trust as the bundle with the directory (the directory is
     * the bundle's certificates hashed), parsed once instead of per
     * connection: the cache is used only without a CA directory */
    if (h->ca_file_cached)
        curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
    if (h->share != NULL)
        curl_easy_setopt(e, CURLOPT_SHARE, h->share);
    set_resolve(x);
    if (r->no_replay) /* libcurl replays on a reused connection that died */
        curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
    set_method(e, r);
    if (log_enabled())
        log_debug("http: > %s %s (attempt %d, client request id %s)", r->method,
                  r->url, x->resp->attempts, x->resp->client_request_id);
    vec_push(&h->running, x);
    curl_multi_add_handle(h->multi, e);
}

uint64_t
az_http_send(struct az_http *h, struct az_request *req, az_http_done_fn done,
             az_http_wait_fn wait, void *ud)
{
    struct xfer *x = xcalloc(1, sizeof *x);
    char crid[37];
    x->id = h->next_id++;
    x->h = h;
    x->req = req;
    x->resp = xcalloc(1, sizeof *x->resp);
    az_http_uuid(crid);
    x->resp->client_request_id = xstrdup(crid);
    x->done = done;
    x->wait = wait;
    x->ud = ud;
    vec_push(&h->pending, x);
    return x->id;
}

static struct xfer *
find_in(struct vec *v, uint64_t id)
{
    for (size_t i = 0; i < v->len; i++) {
        struct xfer *x = v->items[i];
        if (x->id == id)
            return x;
    }
    return NULL;
}

bool
az_http_cancel(struct az_http *h, uint64_t id)
{
    struct vec *lists[] = {&h->pending, &h->running, &h->waiting};
    for (size_t i = 0; i < 3; i++) {
        struct xfer *x = find_in(lists[i], id);
        if (x != NULL) {
            vec_take(lists[i], x);
            if (log_enabled())
                log_debug("http: cancelled %s %s", x->req->method, x->req->url);
            xfer_free(x);
            return true;
        }
    }
    struct xfer *x = find_in(&h->finishing, id);
    if (x != NULL && !x->cancelled) {
        x->cancelled = true; /* freed by the loop running callbacks */
        return true;
    }
    return false;
}

static enum kv_status
status_of_curl(CURLcode rc, bool too_large)
{
    if (too_large)
        return KV_ERR_TOO_LARGE;
    switch (rc) {
    case CURLE_OK:
        return KV_OK;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return KV_ERR_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return KV_ERR_TIMEOUT;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return KV_ERR_TLS;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return KV_ERR_INVALID;
    case CURLE_OUT_OF_MEMORY:
        return KV_ERR_INTERNAL;
    default: /* reset, cut short, HTTP/2 stream errors, ... */
        return KV_ERR_IO;
    }
}

/* Moves due waiting requests to pending and fills free slots. */
static void
schedule(struct az_http *h)
{
    int64_t now = time_mono_ms();
    for (size_t i = 0; i < h->waiting.len;) {
        struct xfer *x = h->waiting.items[i];
        if (x->due_ms <= now) {
            vec_remove(&h->waiting, i);
            vec_push(&h->pending, x);
        } else {
            i++;
        }
    }
    while (h->pending.len > 0 && h->running.len < (size_t)h->max_parallel)
        xfer_start(h, vec_remove(&h->pending, 0));
}

/* Records the end of an attempt in x->resp and the log. */
static void
attempt_ended(struct az_http *h, struct xfer *x, CURLcode rc)
{
    struct az_response *resp = x->resp;
    long code = 0, header_bytes = 0;
    curl_off_t tls_done = 0, uploaded = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
    /* Whether the request may have left: headers or body written, or at
     * least the connection (and TLS) was up when it failed. */
    curl_easy_getinfo(x->easy, CURLINFO_REQUEST_SIZE, &header_bytes);
    curl_easy_getinfo(x->easy, CURLINFO_SIZE_UPLOAD_T, &uploaded);
    curl_easy_getinfo(x->easy, CURLINFO_APPCONNECT_TIME_T, &tls_done);
    x->reached =
        rc == CURLE_OK || header_bytes > 0 || uploaded > 0 || tls_done > 0;
    xfer_detach_easy(x);
    resp->result = status_of_curl(rc, x->too_large);
    if (resp->result == KV_OK) {
        resp->status = code;
    } else {
        resp->status = 0;
        if (x->too_large)
            resp->why =
                xasprintf(_("the answer to %s %s is larger than the "
                            "%zu MiB limit"),
                          x->req->method, x->req->url, h->max_body >> 20);
        else
            /* Our words for what went wrong, then libcurl's own
             * (English) detail, like a server's message. */
            resp->why = xasprintf(
                _("%s %s: %s (%s)"), x->req->method, x->req->url,
                kv_status_message(resp->result),
                x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(rc));
    }
    const char *rid = az_response_request_id(resp);
    if (resp->result == KV_OK && rid != NULL)
        snprintf(h->last_request_id, sizeof h->last_request_id, "%s", rid);
    if (log_enabled()) {
        size_t len = 0;
        az_response_body(resp, &len);
        log_debug("http: < %s %s -> %ld %s (%zu bytes, %lld ms, attempt %d"
                  ", request id %s)",
                  x->req->method, x->req->url, resp->status,
                  resp->result == KV_OK ? "" : resp->why, len,
                  (long long)(time_mono_ms() - x->started_ms), resp->attempts,
                  rid != NULL ? rid : "-");
        if (resp->status >= 400 && !x->req->secret_response)
            log_debug("http: error body: %.2000s", buf_str(&resp->body));
    }
}

/* Either schedules another attempt or hands the result to the caller. */
static void
attempt_decide(struct az_http *h, struct xfer *x)
{
    struct az_response *resp = x->resp;
    struct az_retry_input in = {
        .method = x->req->method,
        .safe_to_replay = x->req->safe_to_replay,
        .no_replay = x->req->no_replay,
        .reached = x->reached,
        .transport = resp->result,
        .http_status = resp->status,
        .retry_after = resp->retry_after,
        .attempts = resp->attempts,
        .waited_ms = resp->waited_ms,
        .now = time_now(),
        .random = random_u32(),
    };
    struct az_retry_decision d = az_retry_decide(&h->retry, &in);
    if (x->req->single_attempt)
        d.retry = false;
    if (d.throttled)
        resp->throttled = true;
    if (!d.retry) {
        resp->ambiguous = d.ambiguous;
        if (d.ambiguous)
            log_debug("http: %s %s may have reached the server: ambiguous",
                      x->req->method, x->req->url);
        if (d.budget_spent && resp->result != KV_OK) {
            char *why = xasprintf(_("%s (gave up after %d attempts)"),
                                  resp->why, resp->attempts);
            free(resp->why);
            resp->why = why;
        }
        x->done(x->ud, x->req, resp);
        x->req = NULL;
        x->resp = NULL;
        xfer_free(x);
        return;
    }
    x->due_ms = time_mono_ms() + d.delay_ms;
    x->wait_throttled = d.throttled;
    resp->waited_ms += d.delay_ms;
    log_debug("http: retrying %s %s in %ld ms: %s", x->req->method, x->req->url,
              d.delay_ms, d.reason);
    vec_push(&h->waiting, x);
    if (x->wait != NULL) {
        struct az_http_wait w = {
            .reason = d.reason,
            .delay_ms = d.delay_ms,
            .attempt = resp->attempts + 1,
            .throttled = d.throttled,
            .due_ms = x->due_ms,
        };
        x->wait(x->ud, &w);
    }
}

uint64_t
az_http_watch(struct az_http *h, int fd, long timeout_ms, az_http_fd_fn fn,
              void *ud)
{
    struct watch *w = xcalloc(1, sizeof *w);
    w->id = h->next_id++;
    w->fd = fd;
    w->deadline_ms = timeout_ms > 0 ? time_mono_ms() + timeout_ms : 0;
    w->fn = fn;
    w->ud = ud;
    vec_push(&h->watches, w);
    return w->id;
}

uint64_t
az_http_after(struct az_http *h, long delay_ms, az_http_timer_fn fn, void *ud)
{
    struct watch *w = xcalloc(1, sizeof *w);
    w->id = h->next_id++;
    w->fd = -1;
    w->deadline_ms = time_mono_ms() + (delay_ms > 0 ? delay_ms : 0);
    w->timer_fn = fn;
    w->ud = ud;
    vec_push(&h->watches, w);
    return w->id;
}

void
az_http_unwatch(struct az_http *h, uint64_t id)
{
    for (size_t i = 0; i < h->watches.len; i++) {
        struct watch *w = h->watches.items[i];
        if (w->id == id) {
            vec_remove(&h->watches, i);
            free(w);
            return;
        }
    }
}

/* Calls back the watches that fired (each once: a watch ends when it
 * fires; the callback watches again if it wants more). Callbacks may add
 * and remove watches. */
static void
run_watches(struct az_http *h)
{
    for (;;) {
        struct watch *w = NULL;
        for (size_t i = 0; i < h->watches.len && w == NULL; i++) {
            struct watch *c = h->watches.items[i];
            if (c->fired)
                w = vec_remove(&h->watches, i);
        }
        if (w == NULL)
            return;
        bool timed_out =
            w->deadline_ms != 0 && time_mono_ms() >= w->deadline_ms;
        az_http_fd_fn fn = w->fn;
        az_http_timer_fn timer_fn = w->timer_fn;
        void *ud = w->ud;
        int fd = w->fd;
        free(w);
        if (fd < 0)
            timer_fn(ud);
        else
            fn(ud, fd, timed_out);
    }
}

unsigned
az_http_run(struct az_http *h, int timeout_ms)
{
    CURLMsg *msg;
    int left, still;

    schedule(h);
    long wait = timeout_ms < 0 ? 60000 : timeout_ms;
    int64_t now = time_mono_ms();
    for (size_t i = 0; i < h->waiting.len; i++) {
        struct xfer *x = h->waiting.items[i];
        long d = x->due_ms > now ? (long)(x->due_ms - now) : 0;
        if (d < wait)
            wait = d;
    }
    /* File descriptors (at most 16 a turn) beside the transfers; timers
     * and time limits shorten the wait. */
    struct curl_waitfd fds[16];
    size_t polled[16]; /* fds[k] is the watch at index polled[k] */
    unsigned nfds = 0;
    for (size_t i = 0; i < h->watches.len; i++) {
        struct watch *w = h->watches.items[i];
        if (w->fd >= 0 && nfds == 16)
            continue;
        if (w->fd >= 0) {
            polled[nfds] = i;
            fds[nfds++] =
                (struct curl_waitfd){.fd = w->fd, .events = CURL_WAIT_POLLIN};
        }
        long d = w->deadline_ms == 0    ? wait
                 : w->deadline_ms > now ? (long)(w->deadline_ms - now)
                                        : 0;
        if (d < wait)
            wait = d;
    }
    curl_multi_poll(h->multi, fds, nfds, (int)wait, NULL);
    curl_multi_perform(h->multi, &still);
    now = time_mono_ms();
    /* (libcurl's perform calls none of our callbacks that could change
     * the watches, so the indexes still hold) */
    for (size_t i = 0; i < h->watches.len; i++) {
        struct watch *w = h->watches.items[i];
        w->fired = w->deadline_ms != 0 && now >= w->deadline_ms;
    }
    for (unsigned k = 0; k < nfds; k++) {
        struct watch *w = h->watches.items[polled[k]];
        if (fds[k].revents != 0)
            w->fired = true;
    }

    while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct xfer *x = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        vec_take(&h->running, x);
        attempt_ended(h, x, msg->data.result);
        vec_push(&h->finishing, x);
    }
    /* callbacks last: they may send and cancel */
    while (h->finishing.len > 0) {
        struct xfer *x = vec_remove(&h->finishing, 0);
        if (x->cancelled)
            xfer_free(x);
        else
            attempt_decide(h, x);
    }
    run_watches(h);
    schedule(h);
    return (unsigned)(h->running.len + h->pending.len + h->waiting.len +
                      h->watches.len);
}

bool
az_http_url_local(const char *url)
{
    if (!str_istarts(url, "http://") && !str_istarts(url, "https://"))
        return false;
    char *host = az_url_host(url);
    bool local = false;
    if (host != NULL) {
        unsigned a, b, c, d;
        char end;
        if (sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &end) == 4 &&
            a < 256 && b < 256 && c < 256 && d < 256)
            local = a == 127 || (a == 169 && b == 254);
        else
            local = str_ieq(host, "localhost") || str_ieq(host, "::1") ||
                    str_istarts(host, "fe80:");
    }
    free(host);
    return local;
}

void
az_http_wakeup(struct az_http *h)
{
    curl_multi_wakeup(h->multi);
}

void
az_http_stats(const struct az_http *h, struct az_http_stats *out)
{
    memset(out, 0, sizeof *out);
    out->running = (unsigned)h->running.len;
    out->pending = (unsigned)h->pending.len;
    out->waiting = (unsigned)h->waiting.len;
    for (size_t i = 0; i < h->waiting.len; i++) {
        const struct xfer *x = h->waiting.items[i];
        if (x->wait_throttled)
            out->throttled = true;
        if (x->due_ms > out->backoff_until_ms)
            out->backoff_until_ms = x->due_ms;
    }
    out->requests = h->requests;
    out->retries = h->retries;
    snprintf(out->last_request_id, sizeof out->last_request_id, "%s",
             h->last_request_id);
}
