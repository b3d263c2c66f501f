/*
 * keys.h — the key table: every action the console knows, its default
 * keys, key names for the config file ("C-d", "PgDn", "j"), and the help
 * screen, which is generated from this table so it never disagrees with
 * what the keys do.
 *
 * A struct keytab is owned by its creator and freed with keytab_free().
 */
#ifndef KV_TUI_KEYS_H
#define KV_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

/* X(code, name used in the config file, help text, changes something)
 *
 * Only actions that work are listed: the help, the man page's KEYS and
 * the config file's "bind" accept exactly these. To add an action that
 * changes something in Azure (the guided jobs: create a vault, rotate or
 * delete a secret, attach a private endpoint), add its line here with
 * `true` in the last column, its default key to keys_defaults[] in
 * keys.c and its handling to loop_action() or a view's key handler.
 * Under --read-only its keys stay bound and the help marks it
 * "(read-only)"; loop_action() refuses it before anyone sees it, with a
 * status message, and sends nothing (app_refuse_read_only()). */
#define KEY_ACTION_LIST(X)                                                     \
    X(ACT_NONE, "none", NULL, false)                                           \
    X(ACT_UP, "up", N_("move up"), false)                                      \
    X(ACT_DOWN, "down", N_("move down"), false)                                \
    X(ACT_PAGE_UP, "page-up", N_("one page up"), false)                        \
    X(ACT_PAGE_DOWN, "page-down", N_("one page down"), false)                  \
    X(ACT_HOME, "home", N_("first row"), false)                                \
    X(ACT_END, "end", N_("last row"), false)                                   \
    X(ACT_NEXT_PANE, "next-pane", N_("next pane"), false)                      \
    X(ACT_PREV_PANE, "prev-pane", N_("previous pane"), false)                  \
    X(ACT_ENTER, "enter", N_("open, or expand the versions"), false)           \
    X(ACT_BACK, "back", N_("back, or collapse"), false)                        \
    X(ACT_SECRETS, "secrets", N_("show the vault's secrets"), false)           \
    X(ACT_ENDPOINTS, "endpoints", N_("show the vault's endpoints"), false)     \
    X(ACT_DETAIL, "detail", N_("go to the detail pane"), false)                \
    X(ACT_FILTER, "filter", N_("filter the list as you type"), false)          \
    X(ACT_COMMAND, "command", N_("command line (:sub, :group, :vault, :q)"),   \
      false)                                                                   \
    X(ACT_REFRESH, "refresh", N_("reload what this pane shows"), false)        \
    X(ACT_SORT, "sort",                                                        \
      N_("order the list: by name, newest first, expiring first, as listed"),  \
      false)                                                                   \
    X(ACT_REVEAL, "reveal", N_("show the secret value for a few seconds"),     \
      false)                                                                   \
    X(ACT_COPY, "copy", N_("copy the secret value to the clipboard"), false)   \
    X(ACT_NEW_SECRET, "new-secret",                                            \
      N_("new secret in the opened vault (vaults pane: a new vault)"),         \
      true)                                                                    \
    X(ACT_NEW_VERSION, "new-version",                                          \
      N_("new version of the secret (generated, pasted or from a file)"),      \
      true)                                                                    \
    X(ACT_ROTATE, "rotate", N_("rotate the secret (guided)"), true)            \
    X(ACT_EDIT, "edit",                                                        \
      N_("edit the attributes (enabled, dates, content type, tags; a "         \
         "vault's tags)"),                                                     \
      true)                                                                    \
    X(ACT_COPY_TO, "copy-to", N_("copy the secret to another vault"), true)    \
    X(ACT_DELETE, "delete",                                                    \
      N_("delete the secret or vault (typed name)"),                           \
      true)                                                                    \
    X(ACT_DELETED, "deleted",                                                  \
      N_("show the deleted secrets (or vaults), or the secrets"),              \
      false)                                                                   \
    X(ACT_RECOVER, "recover", N_("recover the deleted secret or vault"), true) \
    X(ACT_PURGE, "purge",                                                      \
      N_("purge the deleted secret or vault (typed name)"), true)              \
    X(ACT_PURGE_PROTECTION, "purge-protection",                                \
      N_("turn on the vault's purge protection (typed; irreversible)"), true)  \
    X(ACT_PUBLIC_ACCESS, "public-access",                                      \
      N_("endpoints pane: turn public network access on or off"), true)        \
    X(ACT_DEFAULT_ACTION, "default-action",                                    \
      N_("endpoints pane: network rules' default action Allow or Deny"),       \
      true)                                                                    \
    X(ACT_ADD_IP_RULE, "add-ip-rule",                                          \
      N_("endpoints pane: add an IP rule (address or CIDR)"), true)            \
    X(ACT_ADD_VNET_RULE, "add-vnet-rule",                                      \
      N_("endpoints pane: add a virtual network rule (a subnet)"), true)       \
    X(ACT_APPROVE, "approve",                                                  \
      N_("endpoints pane: approve the private endpoint connection"), true)     \
    X(ACT_REJECT, "reject",                                                    \
      N_("endpoints pane: reject the private endpoint connection"), true)      \
    X(ACT_ATTACH, "attach",                                                    \
      N_("attach a private endpoint to the opened vault (guided)"), true)      \
    X(ACT_COPY_ID, "copy-id",                                                  \
      N_("copy the vault URI or the secret identifier"), false)                \
    X(ACT_HELP, "help", N_("this help"), false)                                \
    X(ACT_REDRAW, "redraw", N_("redraw the screen"), false)                    \
    X(ACT_QUIT, "quit", N_("quit"), false)

#define KEY_ACTION_ENUM(code, name, help, writes) code,
enum key_action { KEY_ACTION_LIST(KEY_ACTION_ENUM) KEY_ACTION_COUNT };
#undef KEY_ACTION_ENUM

/* Key codes of our own past curses' KEY_MAX: the start and end of a
 * bracketed paste (term.c asks the terminal for them, define_key()
 * names them), so a pasted line break or ESC is text, not a command. */
#define KEYS_PASTE_BEGIN 0x7f01
#define KEYS_PASTE_END   0x7f02

struct keytab;

/* A table with the default bindings. With read_only, actions that change
 * anything keep their keys, and keytab_help() marks them "(read-only)". */
struct keytab *keytab_new(bool read_only);
void keytab_free(struct keytab *kt);

/* The action bound to key (a curses key code or character), or ACT_NONE. */
enum key_action keytab_lookup(const struct keytab *kt, int key);

/* Binds key name to action name, as in a config line "bind C-d page-down".
 * Binding "none" unbinds. On error *why says what is wrong (caller
 * frees). */
enum kv_status keytab_bind(struct keytab *kt, const char *key,
                           const char *action, char **why);

/* Parses a key name; returns the key code or -1. */
int keys_parse(const char *name);
/* The name of a key code ("C-d", "PgDn", "j") into out (>= 16 bytes). */
void keys_name(int key, char *out, size_t n);
/* The action's config name ("page-down") and translated help text. */
const char *keys_action_name(enum key_action a);
const char *keys_action_help(enum key_action a);
bool keys_action_writes(enum key_action a);
enum key_action keys_action_parse(const char *name);

/* Help entries, one per action that has a key, in table order:
 * "j, Down\tmove down" (the keys, a tab, the translated help text).
 * Returns a NULL-terminated array of malloc'd strings; the caller frees
 * each and the array. */
char **keytab_help(const struct keytab *kt);

/* The keys bound to action, comma-separated ("j, Down"), into out. */
void keytab_keys_for(const struct keytab *kt, enum key_action a, char *out,
                     size_t n);

#endif
