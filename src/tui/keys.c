/*
 * keys.c — actions, default bindings, key names and the generated help.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/keys.h"

#define KEY_ESC 27

struct action_info {
    const char *name;
    const char *help;
    bool writes;
};

#define KEY_ACTION_INFO(code, n, h, w) [code] = {n, h, w},
static const struct action_info key_actions[] = {
    KEY_ACTION_LIST(KEY_ACTION_INFO)};
#undef KEY_ACTION_INFO

struct binding {
    int key;
    enum key_action action;
};

struct keytab {
    struct binding *b;
    size_t n, cap;
    bool read_only;
};

static const struct {
    const char *key;
    enum key_action action;
} keys_defaults[] = {
    {"k", ACT_UP},           {"Up", ACT_UP},         {"j", ACT_DOWN},
    {"Down", ACT_DOWN},      {"PgUp", ACT_PAGE_UP},  {"C-b", ACT_PAGE_UP},
    {"PgDn", ACT_PAGE_DOWN}, {"C-f", ACT_PAGE_DOWN}, {"Space", ACT_PAGE_DOWN},
    {"g", ACT_HOME},         {"Home", ACT_HOME},     {"G", ACT_END},
    {"End", ACT_END},        {"Tab", ACT_NEXT_PANE}, {"BTab", ACT_PREV_PANE},
    {"Enter", ACT_ENTER},    {"l", ACT_ENTER},       {"Right", ACT_ENTER},
    {"Esc", ACT_BACK},       {"h", ACT_BACK},        {"Left", ACT_BACK},
    {"Backspace", ACT_BACK}, {"s", ACT_SECRETS},     {"e", ACT_ENDPOINTS},
    {"d", ACT_DETAIL},       {"/", ACT_FILTER},      {":", ACT_COMMAND},
    {"r", ACT_REFRESH},      {"F5", ACT_REFRESH},    {"v", ACT_REVEAL},
    {"y", ACT_COPY},         {"?", ACT_HELP},        {"F1", ACT_HELP},
    {"C-l", ACT_REDRAW},     {"q", ACT_QUIT},        {"E", ACT_EDIT},
    {"C", ACT_COPY_TO},      {"D", ACT_DELETE},      {"Delete", ACT_DELETE},
    {"x", ACT_DELETED},      {"U", ACT_RECOVER},     {"P", ACT_PURGE},
    {"Y", ACT_COPY_ID},      {"n", ACT_NEW_SECRET},  {"w", ACT_NEW_VERSION},
    {"R", ACT_ROTATE},       {"L", ACT_PURGE_PROTECTION},
    {"p", ACT_PUBLIC_ACCESS}, {"f", ACT_DEFAULT_ACTION}, {"i", ACT_ADD_IP_RULE},
    {"V", ACT_ADD_VNET_RULE}, {"A", ACT_APPROVE},       {"J", ACT_REJECT},
    {"a", ACT_ATTACH},       {"o", ACT_SORT},
};

/* Named keys; the first name of a code is the one shown. */
static const struct {
    const char *name;
    int key;
} keys_named[] = {
    {"Up", KEY_UP},
    {"Down", KEY_DOWN},
    {"Left", KEY_LEFT},
    {"Right", KEY_RIGHT},
    {"PgUp", KEY_PPAGE},
    {"PageUp", KEY_PPAGE},
    {"PgDn", KEY_NPAGE},
    {"PageDown", KEY_NPAGE},
    {"Home", KEY_HOME},
    {"End", KEY_END},
    {"Insert", KEY_IC},
    {"Delete", KEY_DC},
    {"Tab", '\t'},
    {"BTab", KEY_BTAB},
    {"S-Tab", KEY_BTAB},
    {"Enter", '\n'},
    {"Return", '\n'},
    {"Esc", KEY_ESC},
    {"Escape", KEY_ESC},
    {"Space", ' '},
    {"Backspace", KEY_BACKSPACE},
    {"BS", KEY_BACKSPACE},
};

/* Folds the codes terminals send for the same key into one. */
static int
keys_normalize(int key)
{
    if (key == '\r' || key == KEY_ENTER)
        return '\n';
    if (key == 127)
        return KEY_BACKSPACE;
    return key;
}

int
keys_parse(const char *name)
{
    if (name == NULL || *name == '\0')
        return -1;
    if (name[1] == '\0' && (unsigned char)name[0] > 32 &&
        (unsigned char)name[0] < 127)
        return (unsigned char)name[0];
    for (size_t i = 0; i < sizeof keys_named / sizeof keys_named[0]; i++)
        if (str_ieq(name, keys_named[i].name))
            return keys_named[i].key;
    if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' &&
        name[1] <= '9') {
        char *end;
        long n = strtol(name + 1, &end, 10);
        if (*end == '\0' && n >= 1 && n <= 12)
            return KEY_F((int)n);
        return -1;
    }
    if ((str_istarts(name, "C-") && strlen(name) == 3) ||
        (name[0] == '^' && strlen(name) == 2)) {
        int c = (unsigned char)name[strlen(name) - 1];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if (c >= 'a' && c <= 'z')
            return c & 0x1f;
        return -1;
    }
    return -1;
}

void
keys_name(int key, char *out, size_t n)
{
    key = keys_normalize(key);
    for (size_t i = 0; i < sizeof keys_named / sizeof keys_named[0]; i++)
        if (keys_named[i].key == key) {
            snprintf(out, n, "%s", keys_named[i].name);
            return;
        }
    if (key >= KEY_F(1) && key <= KEY_F(12))
        snprintf(out, n, "F%d", key - KEY_F(0));
    else if (key > 32 && key < 127)
        snprintf(out, n, "%c", key);
    else if (key >= 1 && key <= 26)
        snprintf(out, n, "C-%c", key + 'a' - 1);
    else
        snprintf(out, n, "#%d", key);
}

const char *
keys_action_name(enum key_action a)
{
    return (unsigned)a < KEY_ACTION_COUNT ? key_actions[a].name : "none";
}

const char *
keys_action_help(enum key_action a)
{
    if ((unsigned)a >= KEY_ACTION_COUNT || key_actions[a].help == NULL)
        return "";
    return _(key_actions[a].help);
}

bool
keys_action_writes(enum key_action a)
{
    return (unsigned)a < KEY_ACTION_COUNT && key_actions[a].writes;
}

enum key_action
keys_action_parse(const char *name)
{
    for (int a = 0; a < KEY_ACTION_COUNT; a++)
        if (str_eq(name, key_actions[a].name))
            return (enum key_action)a;
    return KEY_ACTION_COUNT;
}

/* Sets (or with ACT_NONE removes) the binding of one key. */
static void
keytab_set(struct keytab *kt, int key, enum key_action a)
{
    key = keys_normalize(key);
    for (size_t i = 0; i < kt->n; i++)
        if (kt->b[i].key == key) {
            if (a == ACT_NONE) {
                kt->b[i] = kt->b[--kt->n];
            } else {
                kt->b[i].action = a;
            }
            return;
        }
    if (a == ACT_NONE)
        return;
    if (kt->n == kt->cap) {
        kt->cap = kt->cap ? kt->cap * 2 : 64;
        kt->b = xreallocarray(kt->b, kt->cap, sizeof *kt->b);
    }
    kt->b[kt->n].key = key;
    kt->b[kt->n].action = a;
    kt->n++;
}

struct keytab *
keytab_new(bool read_only)
{
    struct keytab *kt = xcalloc(1, sizeof *kt);
    kt->read_only = read_only;
    for (size_t i = 0; i < sizeof keys_defaults / sizeof keys_defaults[0];
         i++) {
        keytab_set(kt, keys_parse(keys_defaults[i].key),
                   keys_defaults[i].action);
    }
    return kt;
}

void
keytab_free(struct keytab *kt)
{
    if (kt == NULL)
        return;
    free(kt->b);
    free(kt);
}

enum key_action
keytab_lookup(const struct keytab *kt, int key)
{
    key = keys_normalize(key);
    for (size_t i = 0; i < kt->n; i++)
        if (kt->b[i].key == key)
            return kt->b[i].action;
    return ACT_NONE;
}

enum kv_status
keytab_bind(struct keytab *kt, const char *key, const char *action, char **why)
{
    int code = keys_parse(key);
    if (code < 0) {
        *why = xasprintf(_("unknown key \"%s\""), key);
        return KV_ERR_CONFIG;
    }
    enum key_action a = keys_action_parse(action);
    if (a == KEY_ACTION_COUNT) {
        *why = xasprintf(_("unknown action \"%s\""), action);
        return KV_ERR_CONFIG;
    }
    keytab_set(kt, code, a);
    return KV_OK;
}

void
keytab_keys_for(const struct keytab *kt, enum key_action a, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    /* Defaults first in their table order, so help reads naturally. */
    for (size_t i = 0; i < kt->n; i++) {
        if (kt->b[i].action != a)
            continue;
        char name[16];
        keys_name(kt->b[i].key, name, sizeof name);
        int w = snprintf(out + o, n - o, "%s%s", o ? ", " : "", name);
        if (w < 0 || (size_t)w >= n - o)
            break;
        o += (size_t)w;
    }
}

char **
keytab_help(const struct keytab *kt)
{
    char **lines = xcalloc(KEY_ACTION_COUNT + 1, sizeof *lines);
    size_t n = 0;
    for (int a = 1; a < KEY_ACTION_COUNT; a++) {
        char keys[96];
        keytab_keys_for(kt, (enum key_action)a, keys, sizeof keys);
        if (keys[0] == '\0')
            continue;
        if (kt->read_only && keys_action_writes((enum key_action)a))
            /* TRANSLATORS: a help entry of a writing action under
             * --read-only: "delete the secret (read-only)" */
            lines[n++] = xasprintf(_("%s\t%s (read-only)"), keys,
                                   keys_action_help((enum key_action)a));
        else
            lines[n++] =
                xasprintf("%s\t%s", keys, keys_action_help((enum key_action)a));
    }
    lines[n] = NULL;
    return lines;
}
