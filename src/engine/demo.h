/*
 * demo.h — `kvdeck --demo`: start kvdeck-sim with a seed in a private
 * temporary state directory, wait until it serves, read its connection
 * file (cloud file, CA, tenant and client credentials), and stop it again.
 *
 * The simulator runs in its own process group with PR_SET_PDEATHSIG, so
 * it dies with kvdeck even on a crash; demo_stop() ends it on a normal
 * exit and removes the state directory. The directory holds the sim's
 * keys and the demo's credentials, so a guard (a small /bin/sh started
 * first, holding one end of a socket) removes it when kvdeck ends
 * without demo_stop() — SIGKILL, a crash: it sees the socket close,
 * waits for the simulator to go, and removes the directory.
 *
 * struct demo is owned by the caller of demo_start() and released by
 * demo_stop() (which also wipes the client secret).
 */
#ifndef KV_ENGINE_DEMO_H
#define KV_ENGINE_DEMO_H

#include <sys/types.h>

#include "base/secmem.h"
#include "base/status.h"

struct demo {
    pid_t pid;        /* the simulator; also its process group id */
    char *sim_path;   /* the kvdeck-sim that was started */
    char *state_dir;  /* private temporary directory (removed on stop) */
    char *conn_path;  /* state_dir/connection.json */
    char *cloud_file; /* custom cloud file for the engine */
    char *ca_file;    /* the simulator's CA, trusted in addition */
    char *tenant, *client_id;
    char *client_certificate; /* the simulator's client certificate (PEM
                                 with key), or NULL */
    struct secret *client_secret;
    char *control;   /* the simulator's control endpoint */
    pid_t guard_pid; /* the guard (0: none) */
    int guard_fd;    /* kvdeck's end of the guard's socket (-1: none) */
};

/* Finds kvdeck-sim: $KVDECK_SIM, next to the running program, in its
 * sim/ or ../sim/ directory, or in BINDIR. Returns a malloc'd path, or
 * NULL with *why set. */
char *demo_find_sim(char **why);

/* Starts the simulator with seed (e.g. "demo") and waits up to
 * timeout_ms for its connection file. On failure *why says what went
 * wrong (with the end of the simulator's log) and nothing is left
 * running. */
enum kv_status demo_start(const char *seed, int timeout_ms, struct demo **out,
                          char **why);

/* Stops the simulator (SIGTERM, then SIGKILL after 3 s), removes the
 * state directory and frees d. NULL is fine. */
void demo_stop(struct demo *d);

#endif
