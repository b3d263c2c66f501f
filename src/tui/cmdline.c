/*
 * cmdline.c — line editing for `:` and `/`, and `:` command parsing.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/cmdline.h"

void
cmdline_start(struct cmdline *c, char prompt, const char *initial)
{
    memset(c, 0, sizeof *c);
    c->prompt = prompt;
    if (initial != NULL) {
        mbstate_t st;
        memset(&st, 0, sizeof st);
        const char *p = initial;
        size_t n = mbsrtowcs(c->text, &p, CMDLINE_MAX - 1, &st);
        c->len = n == (size_t)-1 ? 0 : n;
        c->text[c->len] = L'\0';
        c->cursor = c->len;
    }
}

static void
cmdline_delete(struct cmdline *c, size_t from, size_t to)
{
    memmove(c->text + from, c->text + to, (c->len - to + 1) * sizeof(wchar_t));
    c->len -= to - from;
    c->cursor = from;
}

enum cmdline_result
cmdline_feed(struct cmdline *c, int ch, bool is_key)
{
    if (is_key) {
        switch (ch) {
        case KEY_LEFT:
            if (c->cursor > 0)
                c->cursor--;
            return CMDLINE_EDITING;
        case KEY_RIGHT:
            if (c->cursor < c->len)
                c->cursor++;
            return CMDLINE_EDITING;
        case KEY_HOME:
            c->cursor = 0;
            return CMDLINE_EDITING;
        case KEY_END:
            c->cursor = c->len;
            return CMDLINE_EDITING;
        case KEY_BACKSPACE:
            ch = 127;
            break;
        case KEY_DC:
            if (c->cursor < c->len) {
                cmdline_delete(c, c->cursor, c->cursor + 1);
                return CMDLINE_CHANGED;
            }
            return CMDLINE_EDITING;
        case KEY_ENTER:
            return CMDLINE_ACCEPT;
        default:
            return CMDLINE_EDITING;
        }
    }
    switch (ch) {
    case '\n':
    case '\r':
        return CMDLINE_ACCEPT;
    case 27:
    case 7: /* C-g */
        return CMDLINE_CANCEL;
    case 127:
    case 8:
        if (c->len == 0)
            return CMDLINE_CANCEL;
        if (c->cursor == 0)
            return CMDLINE_EDITING;
        cmdline_delete(c, c->cursor - 1, c->cursor);
        return CMDLINE_CHANGED;
    case 1: /* C-a */
        c->cursor = 0;
        return CMDLINE_EDITING;
    case 5: /* C-e */
        c->cursor = c->len;
        return CMDLINE_EDITING;
    case 21: /* C-u */
        if (c->cursor == 0)
            return CMDLINE_EDITING;
        cmdline_delete(c, 0, c->cursor);
        return CMDLINE_CHANGED;
    case 23: { /* C-w: the word before the cursor */
        size_t i = c->cursor;
        while (i > 0 && c->text[i - 1] == L' ')
            i--;
        while (i > 0 && c->text[i - 1] != L' ')
            i--;
        if (i == c->cursor)
            return CMDLINE_EDITING;
        cmdline_delete(c, i, c->cursor);
        return CMDLINE_CHANGED;
    }
    default:
        break;
    }
    if (ch < 32 || !iswprint((wint_t)ch) || c->len + 1 >= CMDLINE_MAX)
        return CMDLINE_EDITING;
    memmove(c->text + c->cursor + 1, c->text + c->cursor,
            (c->len - c->cursor + 1) * sizeof(wchar_t));
    c->text[c->cursor++] = (wchar_t)ch;
    c->len++;
    return CMDLINE_CHANGED;
}

void
cmdline_text(const struct cmdline *c, char *out, size_t n)
{
    const wchar_t *p = c->text;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t r = wcsrtombs(out, &p, n - 1, &st);
    if (r == (size_t)-1)
        r = 0;
    out[r < n ? r : n - 1] = '\0';
}

int
cmdline_cursor_col(const struct cmdline *c)
{
    int w = wcswidth(c->text, c->cursor);
    return w < 0 ? (int)c->cursor : w;
}

struct command_info {
    const char *name;
    bool arg;
    const char *help;
};

#define CMD_INFO(code, n, a, h) [code] = {n, a, h},
static const struct command_info commands[] = {CMD_LIST(CMD_INFO)};
#undef CMD_INFO

const char *
command_help(enum command_kind k)
{
    return (unsigned)k < CMD_COUNT ? _(commands[k].help) : "";
}

enum kv_status
command_parse(const char *line, struct command *cmd, char **why)
{
    memset(cmd, 0, sizeof *cmd);
    while (*line == ' ' || *line == ':')
        line++;
    size_t n = strcspn(line, " ");
    if (n == 0) {
        *why = xstrdup(_("empty command"));
        return KV_ERR_INVALID;
    }
    char *word = xstrndup(line, n);
    const char *rest = line + n;
    while (*rest == ' ')
        rest++;
    int found = -1, matches = 0;
    if (str_eq(word, "quit") || str_eq(word, "q")) {
        found = CMD_QUIT;
        matches = 1;
    } else if (str_eq(word, "r")) { /* as before :rotate came */
        found = CMD_REFRESH;
        matches = 1;
    } else {
        for (int k = 0; k < CMD_COUNT; k++) {
            if (str_eq(word, commands[k].name)) {
                found = k;
                matches = 1;
                break;
            }
            if (str_starts(commands[k].name, word)) {
                found = k;
                matches++;
            }
        }
    }
    enum kv_status st = KV_OK;
    if (matches != 1) {
        *why = xasprintf(matches == 0 ? _("unknown command \"%s\"")
                                      : _("ambiguous command \"%s\""),
                         word);
        st = KV_ERR_INVALID;
        goto out;
    }
    cmd->kind = (enum command_kind)found;
    char *arg = str_trim(xstrdup(rest));
    if (commands[found].arg && *arg == '\0') {
        *why = xasprintf(_(":%s needs an argument"), commands[found].name);
        free(arg);
        st = KV_ERR_INVALID;
        goto out;
    }
    if (*arg == '\0') {
        free(arg);
        arg = NULL;
    }
    cmd->arg = arg;
out:
    free(word);
    return st;
}

void
command_clear(struct command *cmd)
{
    free(cmd->arg);
    cmd->arg = NULL;
}
