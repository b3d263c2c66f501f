/*
 * http.h — the HTTPS listener (libmicrohttpd with TLS, one thread per
 * connection so that latency faults and slow bodies never stall other
 * clients), request classification by Host header and path, common
 * Azure response headers, and fault application; the same without a
 * connection for a request held in memory (http_dispatch).
 */
#ifndef KV_SIM_HTTP_H
#define KV_SIM_HTTP_H

#include "base/status.h"
#include "sim/sim.h"

struct http_server;

/* Binds host:port (port 0: any free port; host must be a loopback
 * address) and starts serving; *bound receives the port. plain: HTTP
 * without TLS, every request answered by the managed-identity area
 * (IMDS and App Service forms); else HTTPS, classified by Host and path.
 * The HTTPS server must be started first (the IMDS answers name its
 * port). */
enum kv_status http_start(struct sim *sim, const char *host, int port,
                          bool plain, int *bound, struct http_server **out,
                          char **why);
void http_stop(struct http_server *h);
/* True if host is a loopback address (127.0.0.0/8 or ::1). */
bool http_is_loopback(const char *host);

/* One request in memory, as a connection would have brought it. */
struct sim_mem_req {
    bool plain;                 /* to the managed-identity listener */
    const char *method;         /* "GET", ... */
    const char *path;           /* decoded, without the query */
    const char *const *headers; /* name, value, name, value, ..., NULL */
    const char *const *query;   /* likewise (decoded) */
    const char *body;
    size_t body_len;
};

/* Runs in through the same steps as a request from a connection:
 * classification into an area by Host and path, the request counters,
 * fault rules (latency waited out), the area's precheck and handler, the
 * common headers. *rs gets the answer (free it with http_resp_free());
 * false when the connection would have been dropped without one. No
 * libmicrohttpd: the fuzz target tests/fuzz/fuzz-sim-router.c drives the
 * router with it. Thread-safe as the handlers are. */
bool http_dispatch(struct sim *sim, const struct sim_mem_req *in,
                   struct sim_resp *rs);
void http_resp_free(struct sim_resp *rs);

#endif
