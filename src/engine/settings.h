/*
 * settings.h — the user's configuration file, $XDG_CONFIG_HOME/kvdeck/config
 * (default ~/.config/kvdeck/config), or the file given with --config.
 *
 * One setting per line, '#' starts a comment:
 *
 *     cloud = AzureCloud          # or the path of a custom cloud file
 *     tenant = <uuid>
 *     client-id = <uuid>
 *     client-secret = <secret>    # allowed: the file must be mode 0600
 *     ca-file = /path/extra-ca.pem
 *     resolve = HOST:PORT:ADDRESS # as curl --resolve; repeatable (e.g. a
 *                                 # vault's private endpoint address)
 *     managed-identity = yes      # the chain may use the host's identity
 *     subscription = NAME|ID      # where the console opens
 *     group = NAME
 *     vault = NAME|URI
 *     color = auto|always|never
 *     ascii = auto|yes|no         # line drawing
 *     mouse = yes|no
 *     reveal-seconds = 5
 *     graph-threshold = 10        # Resource Graph above 10 subscriptions
 *     bind KEY ACTION             # e.g. bind C-d page-down; ACTION none
 * unbinds style ELEMENT FG [BG] [bold] [reverse] [underline]
 *
 * Errors name the file and line: "/home/a/.config/kvdeck/config:7: ...".
 * The file is refused when another user could read or change it, since
 * it may hold a client secret.
 *
 * struct settings is owned by the caller of settings_load()/settings_new()
 * and freed with settings_free() (which wipes the client secret).
 */
#ifndef KV_ENGINE_SETTINGS_H
#define KV_ENGINE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/secmem.h"
#include "base/status.h"
#include "engine/model.h"

enum config_tristate { CONFIG_AUTO, CONFIG_YES, CONFIG_NO };

/* "bind KEY ACTION" and "style ..." lines are kept raw with their line
 * number; the console checks key and action names (it knows them) and
 * reports errors as "FILE:LINE: ...". */
struct config_bind {
    char *key, *action;
    int line;
};

struct config_style {
    char *element, *fg, *bg; /* bg may be NULL */
    int attrs;               /* CONFIG_ATTR_* bits */
    int line;
};

#define CONFIG_ATTR_BOLD      1
#define CONFIG_ATTR_REVERSE   2
#define CONFIG_ATTR_UNDERLINE 4

struct settings {
    char *path; /* the file read, NULL when none */
    char *cloud, *tenant, *client_id, *ca_file;
    struct kv_strlist resolve; /* "resolve" lines, checked HOST:PORT:ADDR */
    struct secret *client_secret;
    char *auth;               /* "auto", "secret", "certificate" */
    char *client_certificate; /* PEM file: certificate and private key */
    struct secret *client_certificate_password;
    bool managed_identity;  /* managed-identity = yes: the chain may use
                               this machine's managed identity */
    char *device_client_id; /* device-client-id: the device code's public
                               client (NULL: the Azure CLI's) */
    char *subscription, *group, *vault;
    enum config_tristate color; /* YES = always, NO = never */
    enum config_tristate ascii;
    bool mouse;
    int reveal_seconds;
    int graph_threshold; /* graph-threshold: vault lists over more
                            subscriptions come from Azure Resource Graph
                            (0: always; "never": GRAPH_THRESHOLD_NEVER) */
    struct config_bind *binds;
    size_t nbinds;
    struct config_style *styles;
    size_t nstyles;
};

/* A config with the defaults. Never NULL. */
struct settings *settings_new(void);
void settings_free(struct settings *cfg);

/* The default path ($XDG_CONFIG_HOME or $HOME/.config + /kvdeck/config);
 * caller frees; NULL when neither variable is set. */
char *settings_default_path(void);

/* Reads path, or the default path when path is NULL (a missing default
 * file is fine: *out gets the defaults). Refuses files that are not
 * regular, not owned by the user, or open to group or others. On error
 * *why names the file (and line) and *out is NULL. */
enum kv_status settings_load(const char *path, struct settings **out,
                             char **why);

/* Parses text (modified in place and wiped afterwards by the caller if it
 * held a secret) into cfg; name is used in messages. Pure. */
enum kv_status settings_parse(struct settings *cfg, const char *name,
                              char *text, char **why);

/* NULL when tenant is NULL or one kvdeck may sign in to (a GUID, a
 * domain name, "organizations"/"common"/"consumers"), else a message
 * (caller frees) starting with origin ("--tenant") that quotes the
 * tenant terminal-safe: the front ends' check of a tenant they were given. */
char *settings_tenant_check(const char *tenant, const char *origin);

#endif
