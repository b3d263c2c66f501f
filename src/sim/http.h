/*
 * http.h — the HTTPS listener (libmicrohttpd with TLS, one thread per
 * connection so that latency faults and slow bodies never stall other
 * clients), request classification by Host header and path, common
 * Azure response headers, and fault application.
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

#endif
