/*
 * h2front.h — nghttpx (Debian's nghttp2-proxy) as an HTTP/2 front for
 * kvdeck-sim in the C tests: kvdeck-sim speaks HTTP/1.1 only
 * (libmicrohttpd), real Azure answers HTTP/2, so a test that must see
 * kvdeck's HTTP/2 path puts nghttpx in front of it: TLS with h2 (and
 * http/1.1) by ALPN on 127.0.0.1:PORT, HTTP/1.1 over TLS to the sim on
 * 127.0.0.2:PORT. The same port keeps every URL the sim hands out
 * (vault URIs, challenges, token issuers: "127.0.0.1:PORT",
 * "NAME.vault.localhost:PORT") pointing at the front; the front uses the
 * sim's own server certificate, so the sim's CA is trusted as before.
 *
 *     const char *x = h2front_bin();           // NULL: exit 77, say why
 *     const char *extra[] = {H2FRONT_SIM_LISTEN, NULL};
 *     simproc_start(&sp, sim_bin, extra);      // the sim on 127.0.0.2
 *     struct h2front f;
 *     h2front_start(&f, x, &sp);               // the front on 127.0.0.1
 *     ... h2front_count(&f, &all, &h2) ...     // requests, and over h2
 *     h2front_stop(&f);
 *
 * Ownership: struct h2front owns its process and log until h2front_stop().
 */
#ifndef KV_TESTS_H2FRONT_H
#define KV_TESTS_H2FRONT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "tests/tools/simproc.h"

/* The extra argument that puts kvdeck-sim where the front reaches it. */
#define H2FRONT_SIM_LISTEN "--listen=127.0.0.2:0"

struct h2front {
    pid_t pid;
    char log[600];  /* its access log: "ALPN METHOD PATH STATUS" lines */
    char conf[600]; /* an empty configuration file */
};

/* $NGHTTPX, else nghttpx in PATH, /usr/sbin or /sbin; NULL when there is
 * none (static storage). */
const char *h2front_bin(void);

/* Starts nghttpx on 127.0.0.1:PORT in front of sp (listening on
 * 127.0.0.2:PORT); false when it did not accept connections within 10 s. */
bool h2front_start(struct h2front *f, const char *bin,
                   const struct simproc *sp);

/* Counts the requests in its access log, and those that came over h2. */
void h2front_count(const struct h2front *f, size_t *all, size_t *h2);

/* Stops it and removes its files. */
void h2front_stop(struct h2front *f);

#endif
