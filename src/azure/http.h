/*
 * http.h — the HTTP transport: one libcurl multi handle running many
 * requests at once (HTTP/2 multiplexing where the server offers it,
 * keep-alive otherwise), with timeouts, the retry policy of retry.h,
 * a body size limit, request ids and a debug log line per request.
 *
 * Threading: an az_http is used by ONE thread (the engine's worker),
 * except az_http_wakeup(), which any thread may call to interrupt
 * az_http_run(). Callbacks run inside az_http_run() on that thread; they
 * may send new requests and cancel others.
 *
 * TLS verification is always on. An extra CA file is added to the
 * system's trust store for every connection; it never replaces it.
 * Proxies come from the environment (https_proxy, no_proxy), as libcurl
 * reads them.
 *
 * Ownership: az_http_send() takes the request. The done callback receives
 * the request back and the response, and owns both from then on
 * (az_request_free(), az_response_free()). A cancelled request is freed
 * by the transport and no callback runs for it.
 */
#ifndef KV_AZURE_HTTP_H
#define KV_AZURE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "azure/model.h"
#include "azure/retry.h"
#include "base/buf.h"
#include "base/secmem.h"
#include "base/status.h"
#include "base/vec.h"

struct az_http_config {
    const char *user_agent;       /* NULL: "kvdeck/VERSION" */
    const char *ca_file;          /* extra trusted CAs (PEM) or NULL */
    /* curl's --resolve: "HOST:PORT:ADDRESS" entries (PORT may be '*')
     * handed to CURLOPT_RESOLVE for every transfer; NULL: none. Borrowed
     * for the call that takes the config (copied). */
    const struct kv_strlist *resolve;
    long connect_timeout_ms;      /* 0: 10 s */
    long timeout_ms;              /* per attempt; 0: 60 s */
    long low_speed_time_s;        /* abort when < 1 byte/s this long; 0: 30 */
    size_t max_body;              /* 0: 32 MiB */
    int max_parallel;             /* transfers at once; 0: 64 */
    struct az_retry_policy retry; /* max_attempts 0: az_retry_default() */
};

struct az_request {
    char *method;       /* "GET", ... (owned) */
    char *url;          /* (owned) */
    struct vec headers; /* "Name: value" strings (owned, wiped) */
    char *body;         /* request body or NULL (owned) */
    size_t body_len;
    struct secret *secret_body; /* a body carrying a credential (owned) */
    bool safe_to_replay;        /* a POST/PATCH that may be sent again */
    bool no_replay;       /* never re-sent once it may have reached the server
                             (a secret PUT makes a version each time); goes out
                             on a fresh connection so that libcurl cannot
                             replay it on a dead kept-alive one either */
    bool secret_response; /* keep the answer in secure memory */
    bool local_http;      /* plain http allowed, to a loopback or
                             link-local host only (the managed-identity
                             endpoints: IMDS, App Service), never through
                             a proxy; https everywhere else */
    bool single_attempt;  /* no retry whatever the answer (probes) */
    long timeout_ms;      /* this request's own limit, for connecting and
                             for the whole (probes); 0: the transport's */
};

struct az_response {
    enum kv_status result;      /* KV_OK when an HTTP answer arrived */
    char *why;                  /* when result != KV_OK: what went wrong */
    long status;                /* HTTP status, 0 without an answer */
    struct buf body;            /* the body (unless secret_response) */
    struct secret *secret_body; /* the body when secret_response */
    /* response headers kept for callers and error messages (or NULL) */
    char *request_id;        /* x-ms-request-id */
    char *correlation_id;    /* x-ms-correlation-request-id */
    char *client_request_id; /* the x-ms-client-request-id we sent */
    char *retry_after;
    char *www_authenticate;
    char *location;
    char *async_operation; /* Azure-AsyncOperation */
    char *content_type;
    char *date;     /* the server's clock (Date) */
    /* Resource Graph's per-user quota (ops-graph.c): queries left in the
     * window, and when it starts over ("hh:mm:ss"); NULL when absent */
    char *quota_remaining;    /* x-ms-user-quota-remaining */
    char *quota_resets_after; /* x-ms-user-quota-resets-after */
    int attempts;   /* attempts made */
    long waited_ms; /* back-off spent */
    bool throttled; /* some attempt was answered 429 */
    bool ambiguous; /* a request that is not replayable failed after it
                       may have reached the server (see retry.h) */
};

/* Why a request waits before its next attempt (for progress lines). */
struct az_http_wait {
    const char *reason; /* "throttled (429)", "connection reset ..." */
    long delay_ms;
    int attempt; /* the attempt that is about to start (2, 3 ...) */
    bool throttled;
    int64_t due_ms; /* time_mono_ms() when it starts */
};

struct az_http_stats {
    unsigned running; /* transfers in libcurl */
    unsigned pending; /* waiting for a free slot */
    unsigned waiting; /* backing off before a retry */
    bool throttled;   /* one of the waiting was throttled */
    int64_t backoff_until_ms;
    uint64_t requests; /* attempts started */
    uint64_t retries;  /* of which retries */
    char last_request_id[96];
};

typedef void (*az_http_done_fn)(void *ud, struct az_request *req,
                                struct az_response *resp);
typedef void (*az_http_wait_fn)(void *ud, const struct az_http_wait *w);

struct az_http;

/* Installs the wiping allocator (base/wipealloc.h) into OpenSSL, cJSON
 * and libcurl and initialises libcurl, once per process. Call it first
 * thing in main(), before any thread starts and before anything uses
 * OpenSSL (which accepts new memory functions only before its first
 * allocation); az_http_new() and engine_new() call it too. False when
 * OpenSSL refused the functions (it had allocated already). */
bool az_http_global_init(void);

/* Creates a transport. Fails (NULL, *why set, caller frees) when the CA
 * file cannot be read or holds no certificate. */
struct az_http *az_http_new(const struct az_http_config *cfg, char **why);
/* Stops every transfer without calling callbacks and frees everything. */
void az_http_free(struct az_http *h);

/* Starts a request (takes it). wait may be NULL. Returns its id (> 0). */
uint64_t az_http_send(struct az_http *h, struct az_request *req,
                      az_http_done_fn done, az_http_wait_fn wait, void *ud);
/* Stops a request; its callbacks never run. Returns false if unknown. */
bool az_http_cancel(struct az_http *h, uint64_t id);
/* Runs transfers and timers for up to timeout_ms (-1: until something
 * happens), calling callbacks. Returns the number of requests still
 * active (running, pending or waiting). */
unsigned az_http_run(struct az_http *h, int timeout_ms);
/* Waits (in az_http_run) until fd is readable (or at its end, or in
 * error) or timeout_ms passed (0: no limit), then calls fn once from
 * az_http_run; timed_out says which. A watch ends when it fires: watch
 * again for more. At most 16 watches are served per turn. Returns an id
 * for az_http_unwatch (> 0). The fd stays the caller's. */
typedef void (*az_http_fd_fn)(void *ud, int fd, bool timed_out);
uint64_t az_http_watch(struct az_http *h, int fd, long timeout_ms,
                       az_http_fd_fn fn, void *ud);
/* A timer: fn(ud) runs once from az_http_run(), no sooner than delay_ms
 * from now (0: on the next turn), never inside this call. A timer counts
 * as activity in az_http_run()'s answer. Returns an id for
 * az_http_unwatch (> 0). */
typedef void (*az_http_timer_fn)(void *ud);
uint64_t az_http_after(struct az_http *h, long delay_ms, az_http_timer_fn fn,
                       void *ud);
/* Ends a watch or a timer without calling it; unknown ids are ignored. */
void az_http_unwatch(struct az_http *h, uint64_t id);
/* Makes a blocked az_http_run() return soon. Thread-safe. */
void az_http_wakeup(struct az_http *h);
void az_http_stats(const struct az_http *h, struct az_http_stats *out);

/* Requests. az_request_new copies method and url. */
struct az_request *az_request_new(const char *method, const char *url);
void az_request_header(struct az_request *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Removes every header whose name matches (case-insensitive). */
void az_request_remove_header(struct az_request *r, const char *name);
/* Sets a JSON body (copied) and its Content-Type. */
void az_request_json(struct az_request *r, const char *json);
void az_request_free(struct az_request *r);

/* The body, whichever memory holds it; never NULL ("" when empty). */
const char *az_response_body(const struct az_response *resp, size_t *len);
/* The request id Azure gave for an error report: x-ms-request-id, else
 * the correlation id. NULL when Azure gave none (no answer at all): the
 * client request id kvdeck sent is then resp->client_request_id, and is
 * labelled as kvdeck's, never as Azure's. */
const char *az_response_request_id(const struct az_response *resp);
void az_response_free(struct az_response *resp);
/* Takes one response header line as libcurl hands it (n bytes, not
 * NUL-terminated, with its CRLF): a status line starts over, the headers
 * kvdeck reads are kept in resp. Returns n. (The header callback; public
 * for tests/fuzz.) */
size_t az_response_header(struct az_response *resp, const char *line,
                          size_t n);

/* Forgets what an attempt received (before the next attempt). */
void az_response_reset(struct az_response *resp);

/* True if url is http(s) to a loopback or link-local host (127.0.0.0/8,
 * ::1, localhost, 169.254.0.0/16, fe80::/10): where local_http may go. */
bool az_http_url_local(const char *url);

/* The system's trust store as libcurl uses it: "FILE" or "FILE and
 * DIR", or NULL when none is known (caller frees). */
char *az_http_system_ca(void);
/* The PEM certificates in the CA file path: their count (0: none), or
 * -1 with *why (caller frees) when it cannot be read. */
int az_http_ca_count(const char *path, char **why);

/* Fills out with a random UUID v4 (37 bytes with the NUL). */
void az_http_uuid(char out[37]);

#endif
