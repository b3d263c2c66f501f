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
 * address) and starts serving; sim->port is set. */
enum kv_status http_start(struct sim *sim, const char *host, int port,
                          struct http_server **out, char **why);
void http_stop(struct http_server *h);
/* True if host is a loopback address (127.0.0.0/8 or ::1). */
bool http_is_loopback(const char *host);

#endif
