/*
 * cmdline.h — the one-line editor used by `:` and `/`, and the parser of
 * `:` commands. Pure (no curses): the loop feeds it keys as wide
 * characters or curses key codes and draws cmdline_text().
 */
#ifndef KV_TUI_CMDLINE_H
#define KV_TUI_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "base/status.h"

#define CMDLINE_MAX 256

struct cmdline {
    char prompt; /* ':' or '/' */
    wchar_t text[CMDLINE_MAX];
    size_t len, cursor; /* in characters */
};

enum cmdline_result {
    CMDLINE_EDITING, /* keep going */
    CMDLINE_CHANGED, /* text changed (an incremental filter reacts) */
    CMDLINE_ACCEPT,  /* Enter */
    CMDLINE_CANCEL,  /* Esc, or Backspace on an empty line */
};

void cmdline_start(struct cmdline *c, char prompt, const char *initial);
/* Feeds one key: is_key says ch is a curses KEY_* code, not a character. */
enum cmdline_result cmdline_feed(struct cmdline *c, int ch, bool is_key);
/* The text as UTF-8 into out. */
void cmdline_text(const struct cmdline *c, char *out, size_t n);
/* Columns before the cursor, for placing it. */
int cmdline_cursor_col(const struct cmdline *c);

/* X(code, name, needs an argument, help) */
#define CMD_LIST(X)                                                            \
    X(CMD_SUB, "sub", true, N_(":sub NAME|ID   go to a subscription"))         \
    X(CMD_GROUP, "group", true, N_(":group NAME   go to a resource group"))    \
    X(CMD_VAULT, "vault", true,                                                \
      N_(":vault NAME|URI   open a vault, even without Reader rights"))        \
    X(CMD_TENANT, "tenant", false,                                             \
      N_(":tenant [ID|NAME|DOMAIN]   list the tenants, or switch to one"))    \
    X(CMD_REFRESH, "refresh", false, N_(":refresh   reload the pane"))         \
    X(CMD_EXPIRING, "expiring", false,                                         \
      N_(":expiring [DAYS]   secrets expiring within DAYS days (30)"))       \
    X(CMD_PENDING, "pending", false,                                           \
      N_(":pending   retirements recorded for later; disable now"))           \
    X(CMD_NEW, "new", false,                                                   \
      N_(":new [NAME]   a new secret in the opened vault"))                    \
    X(CMD_ROTATE, "rotate", true,                                              \
      N_(":rotate NAME   rotate a secret (guided)"))                           \
    X(CMD_CREATE, "create", true,                                              \
      N_(":create vault   create a key vault (guided)"))                       \
    X(CMD_ATTACH, "attach", false,                                             \
      N_(":attach   a private endpoint for the opened vault (guided)"))        \
    X(CMD_HELP, "help", false, N_(":help   the keys and commands"))            \
    X(CMD_QUIT, "q", false, N_(":q   quit"))

#define CMD_ENUM(code, name, arg, help) code,
enum command_kind { CMD_LIST(CMD_ENUM) CMD_COUNT };
#undef CMD_ENUM

struct command {
    enum command_kind kind;
    char *arg; /* malloc'd, NULL when none; freed by command_clear() */
};

/* Parses "vault kv-app" (without the ':'). Accepts unique prefixes and
 * "quit". On error *why is set (caller frees). */
enum kv_status command_parse(const char *line, struct command *cmd, char **why);
void command_clear(struct command *cmd);
/* Help lines for the commands (static translated strings). */
const char *command_help(enum command_kind k);

#endif
