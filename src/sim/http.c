/*
 * http.c — the request life cycle, routing to areas, response headers
 * and faults (see http.h): req_begin() and req_finish() know nothing of
 * libmicrohttpd; on_request() feeds them from a connection and
 * http_dispatch() from memory (the fuzz target).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/cog.h"
#include "sim/fault.h"
#include "sim/http.h"
#include "sim/util.h"

#define MAX_BODY (4u << 20)

struct http_server {
    struct MHD_Daemon *d;
    int fd;
    struct sim *sim;
    bool plain; /* the managed-identity listener: HTTP, every path IMDS */
};

static const struct sim_area_ops *const areas[AREA_COUNT] = {
    [AREA_LOGIN] = &entra_area,   [AREA_ARM] = &arm_area,
    [AREA_GRAPH] = &graph_area,   [AREA_VAULT] = &dp_area,
    [AREA_IMDS] = &imds_area,     [AREA_CONTROL] = &control_area,
    [AREA_OPENAI] = &openai_area,
};

static const char *const method_names[SIM_M_COUNT] = {
    [SIM_M_GET] = "GET",     [SIM_M_HEAD] = "HEAD", [SIM_M_PUT] = "PUT",
    [SIM_M_PATCH] = "PATCH", [SIM_M_POST] = "POST", [SIM_M_DELETE] = "DELETE",
    [SIM_M_OTHER] = "OTHER",
};

enum sim_method
sim_method_of(const char *method)
{
    for (int i = 0; i < SIM_M_OTHER; i++)
        if (strcmp(method, method_names[i]) == 0)
            return (enum sim_method)i;
    return SIM_M_OTHER;
}

const char *
sim_method_name(enum sim_method m)
{
    return method_names[m];
}

bool
sim_method_writes(enum sim_method m)
{
    return m == SIM_M_PUT || m == SIM_M_PATCH || m == SIM_M_POST ||
           m == SIM_M_DELETE;
}

int64_t
sim_now_ms(void)
{
    return util_now_ms();
}

int64_t
sim_clock_s(const struct sim *sim)
{
    return util_now_ms() / 1000 + atomic_load(&sim->clock_skew_s);
}

/* A name's value in an in-memory request's pairs (NULL-terminated). */
static const char *
field(const char *const *pairs, const char *name)
{
    for (size_t i = 0; pairs != NULL && pairs[i] && pairs[i + 1]; i += 2)
        if (strcasecmp(pairs[i], name) == 0)
            return pairs[i + 1];
    return NULL;
}

const char *
req_query(const struct sim_req *rq, const char *key)
{
    if (rq->fields != NULL)
        return field(rq->fields->query, key);
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *
req_header(const struct sim_req *rq, const char *name)
{
    if (rq->fields != NULL)
        return field(rq->fields->headers, name);
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

cJSON *
req_json(const struct sim_req *rq)
{
    return json_parse_object(rq->body.data, rq->body.len);
}

void
resp_header(struct sim_resp *rs, const char *name, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vec_push(&rs->headers, xstrdup(name));
    vec_push(&rs->headers, xvasprintf(fmt, ap));
    va_end(ap);
}

void
resp_json(struct sim_resp *rs, int status, cJSON *body)
{
    rs->status = status;
    buf_reset(&rs->body);
    if (body) {
        char *s = json_print(body);

        buf_puts(&rs->body, s);
        free(s);
        cJSON_Delete(body);
    }
}

void
resp_text(struct sim_resp *rs, int status, const char *ctype, const char *text)
{
    rs->status = status;
    buf_reset(&rs->body);
    buf_puts(&rs->body, text);
    resp_header(rs, "Content-Type", "%s", ctype);
}

bool
http_is_loopback(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;

    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, host, &a6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&a6);
    return false;
}

static void
resp_init(struct sim_resp *rs)
{
    memset(rs, 0, sizeof *rs);
    rs->status = 500;
}

static void
resp_free(struct sim_resp *rs)
{
    buf_free(&rs->body);
    vec_free_all(&rs->headers, free);
}

static bool
has_header(const struct sim_resp *rs, const char *name)
{
    for (size_t i = 0; i + 1 < rs->headers.len; i += 2)
        if (strcasecmp(rs->headers.items[i], name) == 0)
            return true;
    return false;
}

/* Splits the Host header and decides which area answers. */
static void
classify(struct sim_req *rq)
{
    const char *h = req_header(rq, "Host");
    const char *first;
    char *colon;

    rq->host =
        h && *h ? util_lower(h) : xasprintf("127.0.0.1:%d", rq->sim->port);
    if (rq->host[0] == '[') {
        char *close = strchr(rq->host, ']');

        rq->hostname = xstrndup(rq->host, close ? (size_t)(close - rq->host + 1)
                                                : strlen(rq->host));
    } else {
        colon = strchr(rq->host, ':');
        rq->hostname = colon ? xstrndup(rq->host, (size_t)(colon - rq->host))
                             : xstrdup(rq->host);
    }
    rq->base = xasprintf("https://%s", rq->host);
    if (str_ends(rq->hostname, ".vault.localhost")) {
        rq->area = AREA_VAULT;
        rq->vault = xstrndup(rq->hostname,
                             strlen(rq->hostname) - strlen(".vault.localhost"));
        return;
    }
    if (str_ends(rq->hostname, ".openai.localhost") ||
        str_ends(rq->hostname, ".cognitiveservices.localhost")) {
        rq->area = AREA_OPENAI;
        return;
    }
    if (strcmp(rq->hostname, "login.microsoftonline.com") == 0 ||
        strcmp(rq->hostname, "login.windows.net") == 0) {
        rq->area = AREA_LOGIN;
        return;
    }
    if (strcmp(rq->hostname, "graph.microsoft.com") == 0) {
        rq->area = AREA_GRAPH;
        return;
    }
    if (strcmp(rq->hostname, "vault.localhost") == 0) {
        rq->area = AREA_VAULT;
        rq->vault = xstrdup("");
        return;
    }
    first = rq->path + (rq->path[0] == '/');
    if (str_istarts(first, "_sim/") || strcasecmp(first, "_sim") == 0)
        rq->area = AREA_CONTROL;
    else if (str_istarts(first, "v1.0/") || str_istarts(first, "beta/"))
        rq->area = AREA_GRAPH;
    else if (str_istarts(first, "subscriptions") ||
             str_istarts(first, "tenants") || str_istarts(first, "providers") ||
             str_istarts(first, "metadata/") || *first == '\0')
        rq->area = AREA_ARM;
    else
        rq->area = AREA_LOGIN;
}

/* The request line and headers (rq->conn or rq->fields set): method,
 * path, area, ids. */
static void
req_init(struct sim_req *rq, bool plain, const char *url, const char *method)
{
    const char *corr;

    rq->method = xstrdup(method);
    rq->path = xstrdup(url && *url ? url : "/");
    if (plain) {
        const char *h = req_header(rq, "Host");

        rq->area = AREA_IMDS;
        rq->host = h && *h ? util_lower(h) : xstrdup("127.0.0.1");
        rq->hostname = xstrdup(rq->host);
        rq->base = xasprintf("http://%s", rq->host);
    } else {
        classify(rq);
    }
    rq->request_id = util_uuid();
    corr = req_header(rq, "x-ms-correlation-request-id");
    rq->correlation_id = corr && *corr ? xstrdup(corr) : util_uuid();
}

static struct sim_req *
req_new(struct sim *sim, bool plain, struct MHD_Connection *c, const char *url,
        const char *method)
{
    struct sim_req *rq = xcalloc(1, sizeof *rq);
    const union MHD_ConnectionInfo *ci;

    rq->sim = sim;
    rq->conn = c;
    ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;

        if (sa->sa_family == AF_INET) {
            const struct sockaddr_in *in = (const void *)sa;

            inet_ntop(AF_INET, &in->sin_addr, rq->peer, sizeof rq->peer);
            rq->private_path = ntohl(in->sin_addr.s_addr) != 0x7f000001u &&
                               (ntohl(in->sin_addr.s_addr) >> 24) == 127;
        } else if (sa->sa_family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const void *)sa;

            inet_ntop(AF_INET6, &in6->sin6_addr, rq->peer, sizeof rq->peer);
        }
    }
    req_init(rq, plain, url, method);
    return rq;
}

/* Adds one to *gauge and raises *max to it. */
static void
gauge_up(_Atomic int *gauge, _Atomic int *max)
{
    int now = atomic_fetch_add(gauge, 1) + 1;
    int m = atomic_load(max);

    while (now > m && !atomic_compare_exchange_weak(max, &m, now))
        ;
}

/* Counts a request in (until req_free). */
static void
req_count_in(struct sim_req *rq)
{
    if (rq->area == AREA_CONTROL)
        return;
    rq->counted = true;
    atomic_fetch_add(&rq->sim->requests, 1);
    atomic_fetch_add(&rq->sim->by_method[rq->area][sim_method_of(rq->method)],
                     1);
    gauge_up(&rq->sim->in_flight, &rq->sim->in_flight_max);
}

/* Waits out the injected latency, before anything else is done for the
 * request. No lock may be held here: requests wait side by side, which
 * in_latency_max shows (one at a time would mean something serialises
 * them). */
static void
latency_wait(struct sim_req *rq)
{
    struct sim *sim = rq->sim;

    gauge_up(&sim->in_latency, &sim->in_latency_max);
    usleep((useconds_t)rq->fault.latency_ms * 1000);
    atomic_fetch_sub(&sim->in_latency, 1);
}

static void
req_free(struct sim_req *rq)
{
    if (!rq)
        return;
    if (rq->counted)
        atomic_fetch_sub(&rq->sim->in_flight, 1);
    free(rq->method);
    free(rq->path);
    free(rq->host);
    free(rq->hostname);
    free(rq->base);
    free(rq->vault);
    buf_free(&rq->body);
    free(rq->request_id);
    free(rq->correlation_id);
    cJSON_Delete(rq->claims);
    free(rq);
}

/* The headers every Azure front door adds, by area. */
static void
common_headers(struct sim_req *rq, struct sim_resp *rs)
{
    const char *crid = req_header(rq, "x-ms-client-request-id");
    const char *lcrid = req_header(rq, "client-request-id");
    struct sim *sim = rq->sim;

    if (crid && *crid && !has_header(rs, "x-ms-client-request-id"))
        resp_header(rs, "x-ms-client-request-id", "%s", crid);
    resp_header(rs, "Cache-Control", "no-cache");
    resp_header(rs, "X-Content-Type-Options", "nosniff");
    resp_header(rs, "Strict-Transport-Security", "max-age=31536000");
    switch (rq->area) {
    case AREA_ARM:
        if (rs->no_common)
            break;
        resp_header(rs, "Pragma", "no-cache");
        resp_header(rs, "Expires", "-1");
        resp_header(rs, "x-ms-request-id", "%s", rq->request_id);
        resp_header(rs, "x-ms-correlation-request-id", "%s",
                    rq->correlation_id);
        resp_header(rs, "x-ms-routing-request-id", "EASTUS:%lld:%s",
                    (long long)(sim_now_ms() / 1000), rq->request_id);
        if (strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0)
            resp_header(rs, "x-ms-ratelimit-remaining-subscription-reads",
                        "%ld",
                        11999 - (atomic_fetch_add(&sim->reads, 1) % 11999));
        else if (strcmp(rq->method, "DELETE") == 0)
            resp_header(rs, "x-ms-ratelimit-remaining-subscription-deletes",
                        "%ld",
                        14999 - (atomic_fetch_add(&sim->deletes, 1) % 14999));
        else
            resp_header(rs, "x-ms-ratelimit-remaining-subscription-writes",
                        "%ld",
                        1199 - (atomic_fetch_add(&sim->writes, 1) % 1199));
        break;
    case AREA_VAULT:
        resp_header(rs, "x-ms-request-id", "%s", rq->request_id);
        resp_header(rs, "x-ms-keyvault-region", "eastus");
        resp_header(rs, "x-ms-keyvault-service-version", "1.9.1234.1");
        resp_header(rs, "x-ms-keyvault-network-info",
                    "conn_type=Ipv4;addr=%s;act_addr_fam=InterNetwork;",
                    rq->peer);
        break;
    case AREA_LOGIN:
        resp_header(rs, "x-ms-request-id", "%s", rq->request_id);
        resp_header(rs, "x-ms-ests-server", "kvdeck-sim");
        if (lcrid && *lcrid)
            resp_header(rs, "client-request-id", "%s", lcrid);
        break;
    case AREA_GRAPH:
        resp_header(rs, "request-id", "%s", rq->request_id);
        resp_header(rs, "client-request-id", "%s",
                    lcrid && *lcrid ? lcrid : rq->request_id);
        break;
    default:
        break;
    }
}

/* The body of a 429/5xx fault, shaped like the area's errors. */
static void
fault_response(struct sim_req *rq, struct sim_resp *rs)
{
    const struct fault_decision *d = &rq->fault;
    cJSON *root = cJSON_CreateObject(), *err;
    const char *code, *msg;

    if (rq->area == AREA_LOGIN) {
        cJSON_AddStringToObject(root, "error",
                                d->status == 429 ? "temporarily_unavailable"
                                                 : "server_error");
        cJSON_AddStringToObject(root, "error_description",
                                "AADSTS90033: A transient error has occurred. "
                                "Please try again.");
        resp_json(rs, d->status, root);
    } else {
        if (d->status == 429) {
            code = rq->area == AREA_VAULT ? "Throttled" : "TooManyRequests";
            msg = rq->area == AREA_VAULT
                      ? "Request was not processed because too many requests "
                        "were received. Reason: A1"
                      : "The request is being throttled as the limit has "
                        "been reached for operation type - "
                        "Read_ObservationWindow_00:05:00.";
        } else if (d->status == 503) {
            code = "ServiceUnavailable";
            msg = "The server is currently unable to handle the request due "
                  "to a temporary overload or maintenance. Please retry the "
                  "request later.";
        } else {
            code = "InternalServerError";
            msg = "Encountered internal server error. Please try again.";
        }
        err = cJSON_AddObjectToObject(root, "error");
        cJSON_AddStringToObject(err, "code", code);
        cJSON_AddStringToObject(err, "message", msg);
        resp_json(rs, d->status, root);
    }
    if (d->status == 429 || d->status == 503)
        resp_header(rs, "Retry-After", "%d",
                    d->retry_after > 0 ? d->retry_after : 1);
}

struct body_cb {
    char *data;
    size_t len;
    size_t cut; /* stop (and fail) here when < len */
    int bps;
};

static ssize_t
body_reader(void *cls, uint64_t pos, char *out, size_t max)
{
    struct body_cb *b = cls;
    size_t n;

    if (pos >= b->cut)
        return b->cut < b->len ? MHD_CONTENT_READER_END_WITH_ERROR
                               : MHD_CONTENT_READER_END_OF_STREAM;
    n = b->cut - (size_t)pos;
    if (n > max)
        n = max;
    if (b->bps > 0) {
        size_t chunk = (size_t)(b->bps / 10 > 0 ? b->bps / 10 : 1);

        if (n > chunk)
            n = chunk;
        usleep(100000);
    }
    memcpy(out, b->data + pos, n);
    return (ssize_t)n;
}

static void
body_free(void *cls)
{
    struct body_cb *b = cls;

    free(b->data);
    free(b);
}

/* What every answer gets before it goes out: the common headers, the
 * Date under clock skew, a Content-Type, and the malformed-body fault. */
static void
resp_finish(struct sim_req *rq, struct sim_resp *rs)
{
    common_headers(rq, rs);
    if (atomic_load(&rq->sim->clock_skew_s) != 0 && !has_header(rs, "Date")) {
        /* libmicrohttpd adds the true Date only when none is set. */
        time_t t = (time_t)sim_clock_s(rq->sim);
        struct tm tm;
        char date[64];

        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        resp_header(rs, "Date", "%s", date);
    }
    if (rs->body.len && !has_header(rs, "Content-Type"))
        resp_header(rs, "Content-Type", "application/json; charset=utf-8");
    if (rq->fault.kind == FAULT_MALFORMED && rs->body.len > 1) {
        /* Keep the length honest, break the JSON. */
        size_t half = rs->body.len / 2;

        rs->body.len = half;
        rs->body.data[half] = '\0';
        buf_puts(&rs->body, "\",]}<truncated");
    }
}

static enum MHD_Result
queue(struct sim_req *rq, struct sim_resp *rs)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    int kind = rq->fault.kind;

    resp_finish(rq, rs);
    if ((kind == FAULT_DROP || kind == FAULT_SLOW) && rs->body.len > 0) {
        struct body_cb *b = xcalloc(1, sizeof *b);

        b->len = rs->body.len;
        b->data = buf_steal(&rs->body);
        b->cut = kind == FAULT_DROP ? b->len / 2 : b->len;
        b->bps = kind == FAULT_SLOW ? rq->fault.bps : 0;
        r = MHD_create_response_from_callback(b->len, 4096, body_reader, b,
                                              body_free);
    } else {
        r = MHD_create_response_from_buffer(
            rs->body.len, rs->body.data ? rs->body.data : (char *)"",
            MHD_RESPMEM_MUST_COPY);
    }
    for (size_t i = 0; i + 1 < rs->headers.len; i += 2)
        MHD_add_response_header(r, rs->headers.items[i],
                                rs->headers.items[i + 1]);
    ret = MHD_queue_response(rq->conn, (unsigned)rs->status, r);
    MHD_destroy_response(r);
    rq->answered = true;
    return ret;
}

/* The drop-after-commit fault: a write to ARM or the data plane that
 * was handled with success loses its answer (the change is kept). */
static bool
lost_after_commit(struct sim_req *rq, const struct sim_resp *rs)
{
    if ((rq->area != AREA_ARM && rq->area != AREA_VAULT) ||
        !sim_method_writes(sim_method_of(rq->method)) || rs->status < 200 ||
        rs->status > 299 || rq->fault.kind != FAULT_NONE)
        return false;
    return faults_fire(rq->sim->faults, FAULT_DROP_AFTER_COMMIT, rq->area,
                       rq->method, rq->path);
}

/* Once the request line and headers are in: counts the request, decides
 * its faults, waits out any latency, then answers a throttle or error
 * fault, or lets the area's precheck answer. True when *rs is the answer
 * (or rq->close_now: none); false: read the body, then req_finish(). */
static bool
req_begin(struct sim_req *rq, struct sim_resp *rs)
{
    const struct sim_area_ops *ops = areas[rq->area];

    req_count_in(rq);
    faults_decide(rq->sim->faults, rq->area, rq->method, rq->path, &rq->fault);
    /* The latency comes first, as a slow network would: requests that
     * arrive together then wait together, whatever their handlers cost
     * afterwards. */
    if (rq->fault.latency_ms > 0)
        latency_wait(rq);
    if (rq->fault.kind == FAULT_THROTTLE || rq->fault.kind == FAULT_ERROR) {
        fault_response(rq, rs);
        rq->fault.kind = FAULT_NONE;
        return true;
    }
    return ops->precheck && ops->precheck(rq, rs);
}

/* Once the body is in: the area's handler (or 413), and the
 * drop-after-commit fault (rq->close_now). */
static void
req_finish(struct sim_req *rq, struct sim_resp *rs)
{
    if (rq->too_large) {
        cJSON *root = cJSON_CreateObject();
        cJSON *err = cJSON_AddObjectToObject(root, "error");

        cJSON_AddStringToObject(err, "code", "RequestEntityTooLarge");
        cJSON_AddStringToObject(err, "message",
                                "The request body is too large.");
        resp_json(rs, 413, root);
    } else {
        areas[rq->area]->handle(rq, rs);
    }
    if (lost_after_commit(rq, rs))
        rq->close_now = true;
}

bool
http_dispatch(struct sim *sim, const struct sim_mem_req *in,
              struct sim_resp *rs)
{
    struct sim_req *rq = xcalloc(1, sizeof *rq);
    bool answered;

    rq->sim = sim;
    rq->fields = in;
    snprintf(rq->peer, sizeof rq->peer, "127.0.0.1");
    req_init(rq, in->plain, in->path, in->method);
    resp_init(rs);
    if (!req_begin(rq, rs)) {
        if (in->body_len > MAX_BODY)
            rq->too_large = true;
        else if (in->body_len > 0)
            buf_append(&rq->body, in->body, in->body_len);
        req_finish(rq, rs);
    }
    answered = !rq->close_now;
    if (answered)
        resp_finish(rq, rs);
    req_free(rq);
    return answered;
}

void
http_resp_free(struct sim_resp *rs)
{
    resp_free(rs);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
           const char *method, const char *version, const char *upload,
           size_t *upload_size, void **ctx)
{
    struct http_server *srv = cls;
    struct sim *sim = srv->sim;
    struct sim_req *rq = *ctx;
    struct sim_resp rs;
    enum MHD_Result ret;

    if (!rq) {
        rq = req_new(sim, srv->plain, c, url, method);
        *ctx = rq;
        resp_init(&rs);
        if (req_begin(rq, &rs)) {
            if (rq->close_now) {
                resp_free(&rs);
                return MHD_NO;
            }
            ret = queue(rq, &rs);
            resp_free(&rs);
            return ret;
        }
        resp_free(&rs);
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rq->answered) {
            if (rq->body.len + *upload_size > MAX_BODY)
                rq->too_large = true;
            else
                buf_append(&rq->body, upload, *upload_size);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->answered)
        return MHD_YES;
    resp_init(&rs);
    req_finish(rq, &rs);
    if (rq->close_now) {
        resp_free(&rs);
        return MHD_NO;
    }
    ret = queue(rq, &rs);
    resp_free(&rs);
    return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **ctx,
             enum MHD_RequestTerminationCode toe)
{
    req_free(*ctx);
    *ctx = NULL;
}

enum kv_status
http_start(struct sim *sim, const char *host, int port, bool plain, int *bound,
           struct http_server **out, char **why)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int fd, one = 1;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
                     MHD_USE_ERROR_LOG | (plain ? 0 : MHD_USE_TLS);
    struct http_server *h;

    memset(&ss, 0, sizeof ss);
    if (!http_is_loopback(host)) {
        *why = xasprintf("refusing to listen on %s: only loopback addresses "
                         "(127.0.0.0/8, ::1) are allowed",
                         host);
        return KV_ERR_INVALID;
    }
    if (strchr(host, ':')) {
        struct sockaddr_in6 *in6 = (void *)&ss;

        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        inet_pton(AF_INET6, host, &in6->sin6_addr);
        sl = sizeof *in6;
        flags |= MHD_USE_IPv6;
    } else {
        struct sockaddr_in *in = (void *)&ss;

        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)port);
        inet_pton(AF_INET, host, &in->sin_addr);
        sl = sizeof *in;
    }
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 512) != 0) {
        *why = xasprintf("cannot listen on %s:%d: %s", host, port,
                         strerror(errno));
        if (fd >= 0)
            close(fd);
        return KV_ERR_IO;
    }
    sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *bound =
        ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                       : ((struct sockaddr_in *)&ss)->sin_port);
    h = xcalloc(1, sizeof *h);
    h->fd = fd;
    h->sim = sim;
    h->plain = plain;
    if (plain)
        h->d = MHD_start_daemon(
            flags, 0, NULL, NULL, on_request, h, MHD_OPTION_LISTEN_SOCKET, fd,
            MHD_OPTION_NOTIFY_COMPLETED, on_completed, sim,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)300,
            MHD_OPTION_THREAD_STACK_SIZE, (size_t)(1u << 20), MHD_OPTION_END);
    else
        h->d = MHD_start_daemon(
            flags, 0, NULL, NULL, on_request, h, MHD_OPTION_LISTEN_SOCKET, fd,
            MHD_OPTION_HTTPS_MEM_KEY, sim->keys.server_key_pem,
            MHD_OPTION_HTTPS_MEM_CERT, sim->keys.server_cert_pem,
            MHD_OPTION_NOTIFY_COMPLETED, on_completed, sim,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)4000,
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)300,
            MHD_OPTION_THREAD_STACK_SIZE, (size_t)(1u << 20), MHD_OPTION_END);
    if (!h->d) {
        *why = xstrdup("libmicrohttpd could not start the server");
        close(fd);
        free(h);
        return KV_ERR_INTERNAL;
    }
    *out = h;
    return KV_OK;
}

void
http_stop(struct http_server *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d); /* closes the listening socket too */
    free(h);
}
