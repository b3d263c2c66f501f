/*
 * proxy.h — the local CONNECT proxy. It answers "CONNECT host:443" (or
 * host:PORT) for the host names the simulator serves by tunnelling into
 * its own HTTPS listener; it never forwards anywhere else. A private
 * proxy opens its tunnels from 127.0.0.2, which the data plane treats as
 * the private network of the simulated VNets (see kvdeck-sim(1)).
 */
#ifndef KV_SIM_PROXY_H
#define KV_SIM_PROXY_H

#include <stdbool.h>

#include "base/status.h"
#include "sim/sim.h"

struct proxy;

/* Listens on host:port (loopback only); *bound receives the port. */
enum kv_status proxy_start(struct sim *sim, const char *host, int port,
                           bool private_path, struct proxy **out, int *bound,
                           char **why);
/* Stops accepting, ends the tunnels and waits for their threads. */
void proxy_stop(struct proxy *p);

#endif
