/*
 * simproc.h — kvdeck-sim as a child process for the C tests that run the
 * engine against it: start it on a loopback port with the demo seed in a
 * private state directory, read its connection file, make an engine
 * config of it, talk to its control endpoint (/_sim/...), stop it.
 *
 *     struct simproc sp;
 *     const char *bin = simproc_bin();            // NULL: skip the test
 *     if (!simproc_start(&sp, bin, extra_args)) ...
 *     struct engine_config c = {.retry_base_ms = 100};
 *     simproc_config(&sp, &c);                    // c borrows from sp
 *     simproc_control(&sp, "POST", "/faults", "{\"faults\":[...]}");
 *     simproc_stop(&sp);                          // kills, removes the dir
 *
 * struct simproc owns what it holds until simproc_stop().
 */
#ifndef KV_TESTS_SIMPROC_H
#define KV_TESTS_SIMPROC_H

#include <stdbool.h>
#include <sys/types.h>

#include "azure/json.h"
#include "base/secmem.h"
#include "engine/engine.h"

struct simproc {
    pid_t pid;
    char dir[64];   /* its private state directory */
    cJSON *conn;    /* its connection file */
    char url[256];  /* https://127.0.0.1:PORT */
    const char *ca; /* its CA file (in conn) */
    struct secret *client_secret;
};

/* The simulator to run: $KVDECK_SIM (a build without a sim of its own,
 * e.g. the TSan build, uses another build's), else
 * $top_builddir/src/sim/kvdeck-sim. NULL when it is not executable
 * (static storage). */
const char *simproc_bin(void);

/* Starts bin with the demo seed and extra arguments (NULL-terminated, or
 * NULL); false when it did not become ready. */
bool simproc_start(struct simproc *sp, const char *bin,
                   const char *const *extra);

/* Fills the connection fields of c (cloud file, CA, tenant, client id and
 * secret; no environment). c borrows from sp. */
void simproc_config(const struct simproc *sp, struct engine_config *c);

/* Sends one request to the control endpoint (path below /_sim) with an
 * optional JSON body, through curl; true on a 2xx. */
bool simproc_control(const struct simproc *sp, const char *method,
                     const char *path, const char *json);

/* Stops it, frees what sp holds and removes its state directory. */
void simproc_stop(struct simproc *sp);

#endif
