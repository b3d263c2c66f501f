/*
 * cli-int.h — what the batch command files share: the parsed command
 * line (struct cli), exit codes, option bits, and the helpers of
 * cli-args.c, cli-run.c, cli-output.c, cli-value.c and cli-time.c.
 *
 * Ownership: struct cli belongs to cli_run() (cli.c); its strings point
 * into argv (borrowed) except tags, which it owns (kv_tags_free).
 */
#ifndef KV_CLI_INT_H
#define KV_CLI_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/secmem.h"
#include "base/vec.h"
#include "cli/cli.h"
#include "engine/engine.h"
#include "engine/model.h"
#include "engine/plan.h"
#include "engine/session.h"

/* The documented exit codes (man page, EXIT STATUS). */
enum cli_exit {
    CLI_OK = 0,        /* done */
    CLI_FAILED = 1,    /* failed */
    CLI_USAGE = 2,     /* bad command line or configuration */
    CLI_AUTH = 3,      /* not signed in / not authorised (401, 403) */
    CLI_NOT_FOUND = 4, /* the vault, secret or version does not exist */
    CLI_REFUSED = 5,   /* conflict, changed since review, read-only, no
                          --yes without a terminal */
};

/* Option bits: which options a command accepts. */
enum {
    OPT_JSON = 1u << 0,
    OPT_DRY_RUN = 1u << 1,
    OPT_YES = 1u << 2,
    OPT_VERSION = 1u << 3,
    OPT_SHOW_VALUE = 1u << 4,
    OPT_VALUE_FILE = 1u << 5,
    OPT_GENERATE = 1u << 6,
    OPT_CONTENT_TYPE = 1u << 7,
    OPT_EXPIRES = 1u << 8,
    OPT_NOT_BEFORE = 1u << 9,
    OPT_TAGS = 1u << 10,
    OPT_RETIRE_OLD = 1u << 11,
    OPT_NAME = 1u << 12,
    OPT_IF_VERSION = 1u << 13,
    OPT_ALL = 1u << 14,         /* logout --all */
    OPT_TENANT = 1u << 15,      /* --tenant T */
    OPT_DEVICE_CODE = 1u << 16, /* login --device-code */
    /* vault commands (az keyvault's names) */
    OPT_SUBSCRIPTION = 1u << 17,     /* --subscription S */
    OPT_GROUP = 1u << 18,            /* -g, --resource-group G */
    OPT_LOCATION = 1u << 19,         /* -l, --location L */
    OPT_CREATE_GROUP = 1u << 20,     /* --create-resource-group */
    OPT_SKU = 1u << 21,              /* --sku standard|premium */
    OPT_RBAC = 1u << 22,             /* --enable-rbac-authorization [B] */
    OPT_RETENTION = 1u << 23,        /* --retention-days N */
    OPT_PURGE_PROTECTION = 1u << 24, /* --enable-purge-protection [B] */
    OPT_PUBLIC_ACCESS = 1u << 25,    /* --public-network-access E|D */
    OPT_DEFAULT_ACTION = 1u << 26,   /* --default-action Allow|Deny */
    OPT_NO_WAIT = 1u << 27,          /* --no-wait */
    OPT_NO_SELF_PERMS = 1u << 28,    /* --no-self-perms */
    OPT_VAULT_NAME = 1u << 29,       /* -n, --name: the positional NAME */
    OPT_VIA_ARM = 1u << 30,          /* secret set|rotate --via-arm */
};
/* The network commands' options (issue #10): past 32 bits, hence
 * uint64_t masks (struct cli.given, struct cli_cmd.opts). */
#define OPT_SUBNET         (UINT64_C(1) << 31) /* --subnet ID */
#define OPT_DNS_ZONE       (UINT64_C(1) << 32) /* --dns-zone ID */
#define OPT_NO_DNS         (UINT64_C(1) << 33) /* --no-dns */
#define OPT_MANUAL_REQUEST (UINT64_C(1) << 34) /* --manual-request MSG */
#define OPT_CLOSE_PUBLIC   (UINT64_C(1) << 35) /* --close-public-access */
#define OPT_DESCRIPTION    (UINT64_C(1) << 36) /* --description D */
#define OPT_ADD_IP         (UINT64_C(1) << 37) /* --add-ip CIDR */
#define OPT_REMOVE_IP      (UINT64_C(1) << 38) /* --remove-ip CIDR */
#define OPT_ADD_SUBNET     (UINT64_C(1) << 39) /* --add-subnet ID */
#define OPT_REMOVE_SUBNET  (UINT64_C(1) << 40) /* --remove-subnet ID */
#define OPT_DAYS           (UINT64_C(1) << 41) /* secret expiring --days N */
#define OPT_AT_SOURCE      (UINT64_C(1) << 42) /* secret rotate --at-source */
#define OPT_ACCOUNT        (UINT64_C(1) << 43) /* --account ID (at source) */
#define OPT_RETIRE_PENDING (UINT64_C(1) << 44) /* --retire-pending */
#define OPT_COMMON         (OPT_JSON | OPT_DRY_RUN | OPT_YES)
#define OPT_WRITE_ATTRS                                                        \
    (OPT_VALUE_FILE | OPT_GENERATE | OPT_CONTENT_TYPE | OPT_EXPIRES |          \
     OPT_NOT_BEFORE | OPT_TAGS)

struct cli {
    const struct cli_globals *g;
    const char *cmd; /* "secret set", for messages */
    struct session *s;
    struct engine *e;
    uint64_t given; /* OPT_* bits seen */
    bool json, dry_run, yes, show_value;
    const char *version, *value_file, *generate, *content_type, *expires,
        *not_before, *retire_old, *name, *if_version;
    bool all;           /* --all */
    const char *tenant; /* --tenant */
    bool device_code;   /* --device-code: --auth device-code */
    bool login;         /* the command signs in: tenant and a code shown
                           whether or not stderr is a terminal */
    char *signed_in;    /* login: the account a device code signed in */
    /* vault commands: strings as given (whether --enable-rbac-
     * authorization and --enable-purge-protection were given at all:
     * the bits in given) */
    const char *subscription, *group, *location, *sku, *retention,
        *public_access, *default_action;
    bool rbac, purge_protection, create_group, no_wait, no_self_perms;
    const char *vault_name; /* -n NAME, then also pos[0] */
    /* network commands (issue #10) and --via-arm */
    bool via_arm, no_dns, close_public;
    const char *subnet, *dns_zone, *manual_request, *description, *add_ip,
        *remove_ip, *add_subnet, *remove_subnet;
    const char *days; /* secret expiring --days N (issue #12) */
    /* secret rotate --at-source [--account ID] (issue #13) */
    bool at_source, retire_pending;
    const char *account;
    /* set, rotate, list: what a data-plane 403 ForbiddenByConnection /
     * ForbiddenByFirewall adds (cli_fail: CLI_HINT_WRITE, CLI_HINT_LIST
     * name --via-arm) */
    enum { CLI_HINT_NONE, CLI_HINT_WRITE, CLI_HINT_LIST } arm_hint;
    /* endpoint attach: the spec of the plan cli_plan() runs */
    const struct attach_spec *attach;
    struct kv_tags tags;
    char **pos; /* positional arguments (borrowed from argv) */
    int npos;
};

/* A command of a subject: its positional arguments and options. */
struct cli_cmd {
    const char *name;
    int min_pos, max_pos;
    uint64_t opts;
    bool writes; /* refused under --read-only before anything is sent */
    int (*run)(struct cli *c);
    const char *args; /* usage after the name, e.g. "VAULT NAME" */
};

/* cli-args.c: parses argv (after the command's words) into c. Returns
 * CLI_OK or CLI_USAGE (with the message printed). */
int cli_args_parse(struct cli *c, const struct cli_cmd *cmd, int argc,
                   char **argv);

/* cli-run.c */
/* Opens the session (engine) on first use; CLI_OK or an exit code (the
 * message printed). */
int cli_session(struct cli *c);
/* The vault's data-plane URI from a name or URI (caller frees). */
char *cli_vault_uri(struct cli *c, const char *vault);
/* The vault's name for sentences, from a name or URI (caller frees). */
char *cli_vault_name(const char *vault);
/* Runs a read job to its end: items of every PAGE are moved into items
 * (caller frees them with the kind's *_free), a value into *value when
 * value is not NULL (caller frees). Returns the terminal result (caller
 * frees). */
struct result *cli_wait_job(struct cli *c, struct job *j, struct vec *items,
                            struct secret **value);
/* The vaults of the subscriptions in ids (of group, when not NULL) from
 * one Resource Graph query when there are more than graph-threshold of
 * them (engine/graph.h; cli-vault.c). True when that answered (items
 * filled with struct kv_vault *); false when it was not wanted or, said
 * on stderr, Resource Graph refused: the caller lists per subscription. */
bool cli_vault_graph(struct cli *c, const struct vec *ids, const char *group,
                     struct vec *items);
/* The exit code and a message on stderr for a failed result or step. */
int cli_fail(struct cli *c, enum kv_status st, long http, const char *code,
             const char *inner, const char *message, const char *request_id);
int cli_fail_result(struct cli *c, const struct result *r);
/* Review, confirm and run a plan (taken); prints the outcome. */
int cli_plan(struct cli *c, struct plan *p);

/* cli-output.c: JSON shaped like the REST API's, and text. */
void cli_json_string(FILE *f, const char *s);
void cli_json_secret_value(FILE *f, const struct secret *v);
void cli_json_item(FILE *f, const struct kv_secret_item *s);
void cli_json_version(FILE *f, const struct kv_secret_version *v,
                      const struct secret *value);
void cli_json_deleted(FILE *f, const struct kv_deleted_secret *d);
void cli_text_version(FILE *f, const struct kv_secret_version *v,
                      const struct secret *value);
/* A unix time as ISO 8601, or "-" for 0 (into out, >= 24 bytes). */
const char *cli_time(int64_t t, char *out, size_t n);

/* cli-value.c: the new value from --value-file, --generate or stdin.
 * Returns CLI_OK with *out set (caller frees) or an exit code. */
int cli_value(struct cli *c, struct secret **out);

/* cli-secret.c, cli-secret-write.c, cli-journal.c */
extern const struct cli_cmd cli_secret_cmds[];
int cli_secret_set(struct cli *c);
int cli_secret_rotate(struct cli *c);
int cli_secret_copy(struct cli *c);
int cli_secret_delete(struct cli *c);
int cli_secret_recover(struct cli *c);
int cli_secret_purge(struct cli *c);
int cli_journal(struct cli *c);
/* cli-expiring.c: `kvdeck secret expiring` (issue #12) */
int cli_secret_expiring(struct cli *c);
/* cli-secret-arm.c: secret set|rotate --via-arm (Resource Manager) */
int cli_secret_set_arm(struct cli *c, struct secret_change *ch);
int cli_secret_rotate_arm(struct cli *c, struct secret_change *ch);
/* cli-secret-source.c: `secret rotate --at-source` (issue #13), and what
 * its plan produced for the outcome (text or the JSON's "source"
 * member; nothing for other plans). */
int cli_secret_rotate_source(struct cli *c);
void cli_source_outcome(const struct cli *c, FILE *f, const struct plan *p,
                        bool json);
/* cli-vault.c, cli-vault-write.c: `kvdeck vault ...` */
extern const struct cli_cmd cli_vault_cmds[];
int cli_vault_create(struct cli *c);
int cli_vault_delete(struct cli *c);
int cli_vault_recover(struct cli *c);
int cli_vault_purge(struct cli *c);
/* The subscription ids (malloc'd, into ids) a vault command works in:
 * --subscription (an id or a display name), else the configuration's
 * subscription, else, when all is true, every one this sign-in sees. */
int cli_vault_subs(struct cli *c, bool all, struct vec *ids);
/* A vault by name in those subscriptions (*out: caller frees with
 * kv_vault_free), or an exit code with the message (4: none). */
int cli_vault_find(struct cli *c, const char *name, struct kv_vault **out);
/* A soft-deleted vault by name, the same way (kv_deleted_vault_free). */
int cli_vault_find_deleted(struct cli *c, const char *name,
                           struct kv_deleted_vault **out);
/* A vault as az prints it: the ARM resource plus resourceGroup. */
void cli_json_vault(FILE *f, const struct kv_vault *v);
/* A deleted vault: the deletedVaults resource as Azure returned it. */
void cli_json_deleted_vault(FILE *f, const struct kv_deleted_vault *d);
/* cli-network.c: `kvdeck vault network show|set` */
extern const struct cli_cmd cli_vault_network_cmds[];
/* cli-endpoint.c, cli-attach.c: `kvdeck endpoint ...` */
extern const struct cli_cmd cli_endpoint_cmds[];
int cli_endpoint_attach(struct cli *c);
/* What an attach plan ended with (the connection's state, the private
 * IP, the A record, the DNS check), for c->attach's plan: text after the
 * report, or members added to the plan's JSON object. Nothing when
 * c->attach is NULL. */
void cli_attach_outcome(const struct cli *c, FILE *f, const struct plan *p,
                        bool json);
/* The pieces of an ARM id ("/subscriptions/S/resourceGroups/G/providers/
 * .../TYPE/NAME"): the subscription, the group, the last name (caller
 * frees; NULL when absent). */
char *cli_arm_part(const char *id, const char *key);
char *cli_arm_last(const char *id);
int cli_whoami(struct cli *c); /* cli-whoami.c */
/* cli-login.c: kvdeck login; and a person's sign-in news on stderr
 * (engine_on_sign_in(), ctx the struct cli) for every command. */
int cli_login(struct cli *c);
void cli_sign_in_deliver(void *ctx, struct result *r);
/* cli-logout.c */
int cli_logout(struct cli *c);
/* cli-doctor.c: opens its own session (a bad config file is a line) */
int cli_doctor(struct cli *c);

#endif
