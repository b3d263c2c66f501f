/*
 * session.h — one session setup for every front end: read the config
 * file, start the embedded simulator for --demo, pick the cloud and the
 * credential, and start the engine. The console (tui/) and the batch
 * commands (cli/) both open a session the same way, so a flag means the
 * same thing in both.
 *
 *     struct session_options o = {.cloud = "AzureCloud"};
 *     struct session *s;
 *     if (session_open(&o, &s, &why) != KV_OK) { print why; exit 2; }
 *     ... s->eng, s->cfg ...
 *     session_close(s);
 *
 * Ownership: session_open() gives the caller a session it frees with
 * session_close() (engine first, then the simulator, then the config).
 * The options are borrowed for the call only.
 */
#ifndef KV_ENGINE_SESSION_H
#define KV_ENGINE_SESSION_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/status.h"
#include "engine/demo.h"
#include "engine/engine.h"
#include "engine/settings.h"

struct session_options {
    const char *cloud;       /* NULL: the config's, else AzureCloud */
    const char *config_path; /* NULL: the default config file */
    bool demo;               /* start kvdeck-sim and use it */
    const char *demo_seed;   /* NULL: "demo" */
    int demo_timeout_ms;     /* 0: 30000 */
    const char *auth;        /* --auth; NULL: the config's "auth" */
    const char *tenant;      /* kvdeck login --tenant; NULL: the config's */
    /* Someone sees a device code (the console; a batch command on a
     * terminal, or kvdeck login): the chain may end in one. */
    bool interactive;
    /* kvdeck doctor: a config file that cannot be used (unreadable, too
     * open) gives the defaults instead of a failure; the message is in
     * session.config_error. */
    bool config_errors_ok;
    /* Called after the config is read and before the simulator starts
     * (the console installs its signal handlers there); may be NULL.
     * A failure stops the setup with its message. */
    enum kv_status (*before_start)(char **why);
};

struct session {
    struct settings *cfg; /* owned */
    struct demo *demo;    /* owned; NULL without --demo */
    struct engine *eng;   /* owned */
    char *config_error;   /* owned; see config_errors_ok, else NULL */
};

/* The setup. On failure *why (caller frees) says what went wrong and
 * nothing is left running; KV_ERR_CONFIG for a bad config file or cloud,
 * others when the simulator or the engine could not start. */
enum kv_status session_open(const struct session_options *o,
                            struct session **out, char **why);

/* The simulator's process group (0 without --demo), so a crash handler
 * can end it too. */
pid_t session_child_group(const struct session *s);

/* Stops the engine and the simulator and frees s. NULL is fine. */
void session_close(struct session *s);

#endif
