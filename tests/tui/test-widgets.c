/*
 * test-widgets.c — unit tests for the console's pure pieces: text
 * fitting, filter matching and the filter index, list cursor arithmetic,
 * layout at many sizes, the command line editor and command parser,
 * the key table (names, bindings, help), the OSC 52 sequence, the line
 * editor and the form model (editing, checks and their messages, focus,
 * submit refused while a field is wrong, secret fields that stay in
 * secure memory and show only masks).
 */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "base/secmem.h"
#include "base/str.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "tui/cmdline.h"
#include "tui/edit.h"
#include "tui/form.h"
#include "tui/filter.h"
#include "tui/keys.h"
#include "tui/layout.h"
#include "tui/listview.h"
#include "tui/osc52.h"
#include "tui/text.h"

static void
test_text(void)
{
    char out[128];
    is_int(text_width("abc"), 3, "ascii width");
    is_int(text_width("Größe"), 5, "umlauts are one column each");
    is_int(text_width("日本"), 4, "CJK is two columns each");
    text_fit("kv-app-prod", 20, "…", false, out, sizeof out);
    is_str(out, "kv-app-prod", "short text unchanged");
    text_fit("kv-app-production-westeurope", 10, "…", false, out, sizeof out);
    is_str(out, "kv-app-pr…", "long text cut with an ellipsis");
    is_int(text_width(out), 10, "cut text is exactly the width");
    text_fit("abc", 6, "~", true, out, sizeof out);
    is_str(out, "abc   ", "padding to the width");
    text_fit("a\033[2Jb\x07", 10, "~", false, out, sizeof out);
    is_str(out, "a?[2Jb?", "control characters are neutralised");
    text_fit("x\xc2\x9b"
             "31m",
             10, "~", false, out, sizeof out);
    is_str(out, "x?31m", "C1 CSI is neutralised");
    text_fit("日本語", 5, "~", false, out, sizeof out);
    is_int(text_width(out), 5, "wide characters do not overflow the width");
    text_fit("abcdef", 0, "~", false, out, sizeof out);
    is_str(out, "", "zero width gives nothing");

    struct vec lines = VEC_INIT;
    is_int((int)text_wrap("reload what this pane shows", 12, &lines), 3,
           "wrap: three lines at 12 columns");
    is_str(vec_get(&lines, 0), "reload what", "wrap: breaks at a blank");
    is_str(vec_get(&lines, 1), "this pane", "wrap: second line");
    is_str(vec_get(&lines, 2), "shows", "wrap: last line");
    vec_free_all(&lines, free);
    is_int((int)text_wrap("Größe groß", 5, &lines), 2,
           "wrap counts columns, not bytes");
    is_str(vec_get(&lines, 1), "groß", "wrap: umlauts kept whole");
    vec_free_all(&lines, free);
    is_int((int)text_wrap("    indented text", 12, &lines), 2,
           "wrap: an indented line");
    is_str(vec_get(&lines, 0), "    indented", "wrap: keeps its indentation");
    is_str(vec_get(&lines, 1), "text", "wrap: continuations start at a word");
    vec_free_all(&lines, free);
    is_int((int)text_wrap("abcdefghij", 4, &lines), 3,
           "wrap: a word longer than the line is cut");
    is_str(vec_get(&lines, 2), "ij", "wrap: the rest of the long word");
    vec_free_all(&lines, free);
    is_int((int)text_wrap("日本語", 1, &lines), 3,
           "wrap: a character wider than the line stays whole");
    is_str(vec_get(&lines, 0), "日", "wrap: one wide character");
    vec_free_all(&lines, free);
    is_int((int)text_wrap("", 10, &lines), 1, "wrap: empty text, one line");
    vec_free_all(&lines, free);
    int widest = 0;
    text_wrap("Read-only mode (--read-only): kvdeck will change nothing.", 20,
              &lines);
    for (size_t i = 0; i < lines.len; i++)
        if (text_width(lines.items[i]) > widest)
            widest = text_width(lines.items[i]);
    ok(widest <= 20 && lines.len >= 3, "wrap: no line wider than asked");
    vec_free_all(&lines, free);
}

/* Outside text may be very long (a 200,000-character vault name froze
 * the console once): the breadcrumb's tail, the fit and the wrap stay
 * right on it (tests/tui/test-screen-longname.sh checks they stay fast). */
static void
test_text_long(void)
{
    is_str(text_tail("kvdeck › a › b", 5), "a › b", "tail: the end that fits");
    is_str(text_tail("Größe", 3), "öße", "tail: whole characters");
    is_str(text_tail("日本語", 3), "語",
           "tail: a wide character that "
           "does not fit is dropped whole");
    is_str(text_tail("abc", 10), "abc", "tail: short text unchanged");
    size_t n = 200000;
    char *big = xmalloc(n + 1);
    memset(big, 'n', n);
    memcpy(big + n - 4, "-end", 4);
    big[n] = '\0';
    is_str(text_tail(big, 40), big + n - 40,
           "tail of a 200,000-character name: its last 40 columns");
    char out[1024];
    is_int(text_fit(big, 30, "…", false, out, sizeof out), 30,
           "fit of a 200,000-character name: 30 columns");
    for (size_t i = 7; i < n; i += 8)
        big[i] = ' ';
    struct vec lines;
    vec_init(&lines);
    size_t nl = text_wrap(big, 80, &lines);
    bool narrow = true;
    size_t kept = 0;
    for (size_t i = 0; i < lines.len; i++) {
        narrow = narrow && text_width(lines.items[i]) <= 80;
        kept += strlen(lines.items[i]);
    }
    ok(nl == lines.len && nl >= n / 80 && nl <= n / 72 + 1 && narrow,
       "wrap of a 200,000-character text: %zu lines of at most 80", nl);
    ok(kept + nl >= n - 8, "wrap keeps every word");
    vec_free_all(&lines, free);
    free(big);
}

static const char *names[] = {"kv-app-prod", "kv-app-dev",  "kv-data-prod",
                              "KV-Legacy",   "api-gateway", "kv-app-test"};

static const char *
name_at(void *ctx, size_t i)
{
    (void)ctx;
    return names[i];
}

static void
test_filter(void)
{
    ok(filter_match("", "anything"), "empty pattern matches");
    ok(filter_match("APP", "kv-app-prod"), "case-insensitive");
    ok(filter_match("app prod", "kv-app-prod"), "all words must occur");
    ok(!filter_match("app data", "kv-app-prod"), "a missing word fails");
    ok(!filter_match("xyz", "kv-app-prod"), "no match");
    ok(filter_match("  legacy ", "KV-Legacy"), "blanks around words ignored");

    struct filter_index fi;
    filter_index_init(&fi);
    filter_index_set(&fi, "app", 3, name_at, NULL);
    is_int(fi.n, 2, "two of the first three rows match");
    is_int(filter_index_extend(&fi, 6, name_at, NULL), 1,
           "streaming in three more rows adds one match");
    is_int(fi.rows[2], 5, "the new match is row 5");
    is_int(filter_index_find(&fi, 5), 2, "row 5 is at position 2");
    is_int((long long)filter_index_find(&fi, 2), -1,
           "a filtered-out row is not found");
    filter_index_set(&fi, "", 6, name_at, NULL);
    is_int(fi.n, 6, "clearing the filter shows every row");
    filter_index_free(&fi);
}

static void
test_listview(void)
{
    struct listview lv;
    listview_init(&lv);
    listview_set_height(&lv, 10);
    listview_set_count(&lv, 100000);
    is_int(lv.cursor, 0, "cursor starts at the top");
    is_int(listview_act(&lv, ACT_ENTER), -1, "Enter is no list move");
    is_int(listview_act(&lv, ACT_UP), 0, "up at the top: no move");
    is_int(listview_act(&lv, ACT_END), 1, "End moves");
    is_int((int)lv.cursor, 99999, "to the last row");
    is_int(listview_act(&lv, ACT_HOME), 1, "Home moves back");
    is_int(listview_act(&lv, ACT_PAGE_DOWN), 1, "PgDn moves");
    is_int((int)lv.cursor, 9, "by a page");
    listview_home(&lv);
    listview_move(&lv, 1);
    is_int(lv.cursor, 1, "down moves one row");
    is_int(lv.top, 0, "no scroll while on screen");
    listview_move(&lv, 9);
    is_int(lv.cursor, 10, "cursor at row 10");
    is_int(lv.top, 1, "scrolled by one line to keep it visible");
    ok(!listview_move(&lv, -100) || lv.cursor == 0, "up clamps at 0");
    is_int(lv.cursor, 0, "cursor back at 0");
    listview_end(&lv);
    is_int(lv.cursor, 99999, "End goes to the last row");
    is_int(lv.top, 99990, "and shows a full last page");
    ok(!listview_move(&lv, 1), "down at the end does nothing");
    listview_home(&lv);
    listview_page(&lv, 1);
    is_int(lv.top, 9, "PgDn scrolls by height-1");
    is_int(lv.cursor, 9, "cursor keeps its screen line");
    listview_page(&lv, -1);
    is_int(lv.top, 0, "PgUp back");
    listview_set_count(&lv, 3);
    listview_end(&lv);
    listview_page(&lv, 1);
    is_int(lv.cursor, 2, "PgDn on a short list goes to the last row");
    listview_set_count(&lv, 0);
    is_int(lv.cursor, 0, "empty list keeps cursor at 0");
    ok(!listview_move(&lv, 1), "moving in an empty list does nothing");
    is_int((long long)listview_row_at(&lv, 0), -1, "no row in an empty list");
    listview_set_count(&lv, 50);
    listview_select(&lv, 30);
    listview_set_height(&lv, 5);
    ok(lv.cursor >= lv.top && lv.cursor < lv.top + 5,
       "shrinking the height keeps the cursor visible");
    listview_select(&lv, 2);
    ok(!listview_set_count(&lv, 60), "rows appended off screen change nothing");
}

/* No two visible panes overlap and all stay inside the body. */
static bool
layout_sane(const struct layout *l)
{
    for (int i = 0; i < PANE_COUNT; i++) {
        if (!l->visible[i])
            continue;
        const struct rect *a = &l->pane[i];
        if (a->h < 2 || a->w < 10 || a->y < 1 || a->x < 0 ||
            a->y + a->h > l->rows - 1 || a->x + a->w > l->cols)
            return false;
        for (int j = i + 1; j < PANE_COUNT; j++) {
            if (!l->visible[j])
                continue;
            const struct rect *b = &l->pane[j];
            if (a->x < b->x + b->w && b->x < a->x + a->w &&
                a->y < b->y + b->h && b->y < a->y + a->h)
                return false;
        }
    }
    return true;
}

static void
test_layout(void)
{
    struct layout l;
    layout_compute(&l, 24, 80, PANE_VAULTS, PANE_SECRETS);
    ok(!l.too_small && !l.single, "80x24 shows several panes");
    ok(l.visible[PANE_CONTEXT] && l.visible[PANE_VAULTS] &&
           l.visible[PANE_SECRETS] && l.visible[PANE_DETAIL],
       "80x24: context, vaults, secrets and detail visible");
    ok(!l.visible[PANE_ENDPOINTS], "80x24: endpoints share the secrets spot");
    is_int(l.pane[PANE_VAULTS].w, 24, "80x24: vault names (<= 24) fit");
    ok(layout_sane(&l), "80x24 panes do not overlap");
    is_int(l.status.y, 23, "status bar on the last row");
    layout_compute(&l, 24, 80, PANE_ENDPOINTS, PANE_ENDPOINTS);
    ok(l.visible[PANE_ENDPOINTS] && !l.visible[PANE_SECRETS],
       "80x24: endpoints replace secrets when chosen");
    layout_compute(&l, 50, 160, PANE_VAULTS, PANE_SECRETS);
    ok(l.visible[PANE_SECRETS] && l.visible[PANE_ENDPOINTS],
       "160x50 shows secrets and endpoints together");
    ok(layout_sane(&l), "160x50 panes do not overlap");
    is_int(l.pane[PANE_VAULTS].w, 106,
           "160x50: the focused vaults take two thirds for their columns");
    layout_compute(&l, 50, 160, PANE_SECRETS, PANE_SECRETS);
    is_int(l.pane[PANE_VAULTS].w, 36, "160x50: narrow again without the focus");
    layout_compute(&l, 30, 100, PANE_VAULTS, PANE_SECRETS);
    is_int(l.pane[PANE_VAULTS].w, 66, "100x30: the focused vaults get 66");
    layout_compute(&l, 30, 99, PANE_VAULTS, PANE_SECRETS);
    is_int(l.pane[PANE_VAULTS].w, 29, "99x30: as before, no table");
    layout_compute(&l, 12, 40, PANE_SECRETS, PANE_SECRETS);
    ok(!l.too_small && l.single, "40x12 is usable, one pane at a time");
    ok(l.visible[PANE_SECRETS] && !l.visible[PANE_VAULTS],
       "40x12 shows the focused pane");
    is_int(l.pane[PANE_SECRETS].h, 10, "40x12: the pane gets 10 rows");
    layout_compute(&l, 11, 40, PANE_SECRETS, PANE_SECRETS);
    ok(l.too_small, "40x11 is too small");
    layout_compute(&l, 12, 39, PANE_SECRETS, PANE_SECRETS);
    ok(l.too_small, "39x12 is too small");
    bool all = true;
    for (int r = 12; r <= 70; r++)
        for (int c = 40; c <= 250; c += 3)
            for (int f = 0; f < PANE_COUNT; f++) {
                layout_compute(&l, r, c, (enum pane_id)f,
                               f == PANE_ENDPOINTS ? PANE_ENDPOINTS
                                                   : PANE_SECRETS);
                if (l.too_small || !layout_sane(&l) || !l.visible[f])
                    all = false;
            }
    ok(all, "every size from 40x12 to 250x70 gives a sane layout");
}

static void
test_cmdline(void)
{
    struct cmdline c;
    char out[CMDLINE_MAX * 4];
    cmdline_start(&c, ':', NULL);
    const char *typed = "vault kv-x";
    for (const char *p = typed; *p; p++)
        cmdline_feed(&c, *p, false);
    cmdline_text(&c, out, sizeof out);
    is_str(out, "vault kv-x", "typing fills the line");
    is_int(cmdline_feed(&c, 127, false), CMDLINE_CHANGED, "backspace edits");
    cmdline_feed(&c, 23, false);
    cmdline_text(&c, out, sizeof out);
    is_str(out, "vault ", "C-w deletes the word");
    cmdline_feed(&c, KEY_HOME, true);
    cmdline_feed(&c, 'X', false);
    cmdline_text(&c, out, sizeof out);
    is_str(out, "Xvault ", "Home then typing inserts at the start");
    is_int(cmdline_feed(&c, '\r', false), CMDLINE_ACCEPT, "Enter accepts");
    cmdline_start(&c, '/', "ab");
    is_int(cmdline_cursor_col(&c), 2, "cursor after the initial text");
    cmdline_feed(&c, 127, false);
    cmdline_feed(&c, 127, false);
    is_int(cmdline_feed(&c, 127, false), CMDLINE_CANCEL,
           "backspace on an empty line cancels");
    is_int(cmdline_feed(&c, 27, false), CMDLINE_CANCEL, "Esc cancels");
    cmdline_start(&c, ':', NULL);
    cmdline_feed(&c, 0x00e4, false); /* ä */
    cmdline_text(&c, out, sizeof out);
    is_str(out, "ä", "non-ASCII characters are kept as UTF-8");

    struct command cmd;
    char *why = NULL;
    is_int(command_parse("vault kv-app-prod", &cmd, &why), KV_OK,
           "parse :vault");
    is_int(cmd.kind, CMD_VAULT, ":vault kind");
    is_str(cmd.arg, "kv-app-prod", ":vault argument");
    command_clear(&cmd);
    is_int(command_parse("  va https://kv.vault.azure.net/ ", &cmd, &why),
           KV_OK, "unique prefix accepted");
    is_str(cmd.arg, "https://kv.vault.azure.net/", "argument trimmed");
    command_clear(&cmd);
    is_int(command_parse("q", &cmd, &why), KV_OK, ":q");
    is_int(cmd.kind, CMD_QUIT, ":q quits");
    ok(cmd.arg == NULL, ":q has no argument");
    is_int(command_parse("quit", &cmd, &why), KV_OK, ":quit");
    is_int(command_parse("sub", &cmd, &why), KV_ERR_INVALID,
           ":sub without an argument is refused");
    ok(why != NULL && strstr(why, "sub") != NULL, "and the message says which");
    free(why);
    why = NULL;
    is_int(command_parse("frobnicate", &cmd, &why), KV_ERR_INVALID,
           "unknown command refused");
    free(why);
    why = NULL;
    is_int(command_parse("r", &cmd, &why), KV_OK, ":r");
    is_int(cmd.kind, CMD_REFRESH, ":r is still :refresh (not :rotate)");
    is_int(command_parse("ro", &cmd, &why), KV_ERR_INVALID,
           ":ro is :rotate, which needs a name");
    free(why);
    why = NULL;
    is_int(command_parse("group rg-app", &cmd, &why), KV_OK, ":group");
    is_int(cmd.kind, CMD_GROUP, ":group kind");
    command_clear(&cmd);
}

static void
test_keys(void)
{
    char name[16];
    is_int(keys_parse("j"), 'j', "a letter");
    is_int(keys_parse("C-d"), 4, "C-d");
    is_int(keys_parse("^D"), 4, "^D");
    is_int(keys_parse("PgDn"), KEY_NPAGE, "PgDn");
    is_int(keys_parse("pagedown"), KEY_NPAGE, "names ignore case");
    is_int(keys_parse("F5"), KEY_F(5), "F5");
    is_int(keys_parse("Enter"), '\n', "Enter");
    is_int(keys_parse("F13"), -1, "F13 is refused");
    is_int(keys_parse("C-1"), -1, "C-1 is refused");
    is_int(keys_parse("Hyper"), -1, "unknown name refused");
    keys_name(4, name, sizeof name);
    is_str(name, "C-d", "name of C-d");
    keys_name(KEY_NPAGE, name, sizeof name);
    is_str(name, "PgDn", "name of PgDn");
    keys_name('\r', name, sizeof name);
    is_str(name, "Enter", "carriage return is Enter");

    struct keytab *kt = keytab_new(false);
    is_int(keytab_lookup(kt, 'j'), ACT_DOWN, "j moves down");
    is_int(keytab_lookup(kt, KEY_DOWN), ACT_DOWN, "Down moves down");
    is_int(keytab_lookup(kt, '\r'), ACT_ENTER, "CR is Enter");
    is_int(keytab_lookup(kt, KEY_ENTER), ACT_ENTER, "keypad Enter is Enter");
    /* The writing actions that work have their keys; guided jobs of
     * later versions (create a vault, attach an endpoint) are not in the
     * table until they work: no stubs. */
    is_int(keytab_lookup(kt, 'n'), ACT_NEW_SECRET, "n: new secret");
    is_int(keytab_lookup(kt, 'R'), ACT_ROTATE, "R: rotate");
    is_int(keytab_lookup(kt, 'D'), ACT_DELETE, "D: delete");
    is_int(keytab_lookup(kt, KEY_DC), ACT_DELETE, "Delete: delete");
    is_int(keytab_lookup(kt, 'x'), ACT_DELETED, "x: the deleted secrets");
    ok(keys_action_writes(ACT_DELETE) && keys_action_writes(ACT_PURGE) &&
           keys_action_writes(ACT_EDIT) && keys_action_writes(ACT_RECOVER) &&
           keys_action_writes(ACT_COPY_TO),
       "delete, purge, edit, recover and copy-to write");
    ok(!keys_action_writes(ACT_DELETED) && !keys_action_writes(ACT_COPY_ID),
       "showing the deleted secrets and copying an identifier do not");
    is_int(keytab_lookup(kt, 'A'), ACT_APPROVE,
           "A: approve a connection (the endpoints pane)");
    ok(keys_action_writes(ACT_PUBLIC_ACCESS) &&
           keys_action_writes(ACT_DEFAULT_ACTION) &&
           keys_action_writes(ACT_ADD_IP_RULE) &&
           keys_action_writes(ACT_ADD_VNET_RULE) &&
           keys_action_writes(ACT_APPROVE) && keys_action_writes(ACT_REJECT),
       "the endpoints pane's network keys write");
    is_int(keys_action_parse("new-vault"), KEY_ACTION_COUNT,
           "no \"new-vault\" action to bind yet");
    is_int(keys_action_parse("attach-endpoint"), KEY_ACTION_COUNT,
           "no \"attach-endpoint\" action to bind yet");
    char *why = NULL;
    is_int(keytab_bind(kt, "C-d", "page-down", &why), KV_OK, "bind C-d");
    is_int(keytab_lookup(kt, 4), ACT_PAGE_DOWN, "C-d now pages down");
    is_int(keytab_bind(kt, "j", "none", &why), KV_OK, "unbind j");
    is_int(keytab_lookup(kt, 'j'), ACT_NONE, "j does nothing now");
    is_int(keytab_bind(kt, "Hyper-x", "up", &why), KV_ERR_CONFIG,
           "bad key name refused");
    ok(why && strstr(why, "Hyper-x"), "message names the key");
    free(why);
    why = NULL;
    is_int(keytab_bind(kt, "x", "teleport", &why), KV_ERR_CONFIG,
           "bad action refused");
    ok(why && strstr(why, "teleport"), "message names the action");
    free(why);
    why = NULL;
    char keys[96];
    keytab_keys_for(kt, ACT_DOWN, keys, sizeof keys);
    is_str(keys, "Down", "help shows only the keys still bound");
    char **help = keytab_help(kt);
    bool found_quit = false, found_filter = false, stub = false;
    int entries = 0;
    for (char **h = help; *h; h++) {
        entries++;
        if (str_eq(*h, "q\tquit"))
            found_quit = true;
        if (str_eq(*h, "/\tfilter the list as you type"))
            found_filter = true;
        if (strstr(*h, "create a vault") || strstr(*h, "not available") ||
            strstr(*h, "(read-only)"))
            stub = true;
        free(*h);
    }
    free(help);
    ok(found_quit, "help entry \"q<TAB>quit\"");
    ok(found_filter, "help entry for / with its text");
    ok(!stub, "help offers no action that does not work");
    keytab_free(kt);

    /* Every action but "none" has a default key and a help text, so the
     * help (generated from the table) shows all of them. */
    kt = keytab_new(false);
    int with_keys = 0;
    for (int a = 1; a < KEY_ACTION_COUNT; a++) {
        keytab_keys_for(kt, (enum key_action)a, keys, sizeof keys);
        if (keys[0] != '\0' && keys_action_help((enum key_action)a)[0] != '\0')
            with_keys++;
    }
    is_int(with_keys, KEY_ACTION_COUNT - 1,
           "every action has a default key and a help text");
    keytab_free(kt);

    /* --read-only: the writing actions keep their keys (loop_action()
     * refuses them), so the read-only table is the full one. */
    struct keytab *rw = keytab_new(false);
    kt = keytab_new(true);
    bool same = true;
    for (int a = 1; a < KEY_ACTION_COUNT; a++) {
        char k1[96], k2[96];
        keytab_keys_for(rw, (enum key_action)a, k1, sizeof k1);
        keytab_keys_for(kt, (enum key_action)a, k2, sizeof k2);
        same = same && str_eq(k1, k2);
    }
    ok(same, "read-only keeps every key, the writing ones too");
    help = keytab_help(kt);
    bool marked = false, unmarked = false;
    for (char **h = help; *h; h++) {
        if (str_starts(*h, "D, Delete\t"))
            marked = strstr(*h, "(read-only)") != NULL;
        if (str_starts(*h, "v\t"))
            unmarked = strstr(*h, "(read-only)") == NULL;
        free(*h);
    }
    free(help);
    ok(marked, "read-only: help marks delete (read-only)");
    ok(unmarked, "read-only: help leaves reveal unmarked");
    is_int(keytab_lookup(kt, 'v'), ACT_REVEAL, "read-only: v still reveals");
    is_int(keytab_lookup(kt, 'y'), ACT_COPY, "read-only: y still copies");
    keytab_free(kt);
    keytab_free(rw);
}

static void
test_osc52(void)
{
    const char *v = "s3cr3t-v@lue!";
    char *b64 = str_base64(v, strlen(v));
    char want[256];
    struct secret *s = osc52_build(v, strlen(v), OSC52_PLAIN);
    snprintf(want, sizeof want, "\033]52;c;%s\a", b64);
    is_str(s->data, want, "plain OSC 52 with the base64 payload");
    secret_free(s);
    s = osc52_build(v, strlen(v), OSC52_TMUX);
    snprintf(want, sizeof want, "\033Ptmux;\033\033]52;c;%s\a\033\\", b64);
    is_str(s->data, want, "tmux passthrough doubles the ESC");
    secret_free(s);
    free(b64);
    is_int(osc52_mode_from_env("/tmp/tmux-0/default,1,0", NULL), OSC52_TMUX,
           "$TMUX selects tmux passthrough");
    is_int(osc52_mode_from_env(NULL, "123.pts-0"), OSC52_SCREEN,
           "$STY selects screen passthrough");
    is_int(osc52_mode_from_env("", ""), OSC52_PLAIN, "else plain");
    char big[200];
    memset(big, 'x', sizeof big);
    s = osc52_build(big, sizeof big, OSC52_SCREEN);
    /* 200 bytes -> 268 base64 chars -> 4 chunks of <= 76 */
    int breaks = 0;
    for (const char *p = s->data; (p = strstr(p, "\033\\\033P")); p++)
        breaks++;
    is_int(breaks, 3, "screen: payload split into 76-byte chunks");
    ok(str_starts(s->data, "\033P\033]52;c;"), "screen: DCS start");
    ok(str_ends(s->data, "\a\033\\"), "screen: DCS end");
    secret_free(s);
    s = osc52_build("", 0, OSC52_PLAIN);
    is_str(s->data, "\033]52;c;\a", "empty value gives an empty payload");
    secret_free(s);
}

static void
type_into(struct form *f, const char *s)
{
    /* characters as wget_wch() gives them: one wide character each */
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t len = strlen(s);
    while (len > 0) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s, len, &st);
        if (n == 0 || n > len)
            break;
        form_feed(f, (int)wc, false);
        s += n;
        len -= n;
    }
}

static void
test_edit(void)
{
    char buf[32] = "";
    struct edit e;
    edit_init(&e, buf, 16);
    const char *w = "vault kv-x";
    for (const char *p = w; *p; p++)
        edit_feed(&e, *p, false);
    is_str(buf, "vault kv-x", "typing fills the buffer");
    is_int(edit_feed(&e, 23, false), EDIT_CHANGED, "C-w deletes a word");
    is_str(buf, "vault ", "C-w: the word before the cursor");
    edit_feed(&e, 1, false);
    edit_feed(&e, 'X', false);
    is_str(buf, "Xvault ", "C-a then typing inserts at the start");
    edit_feed(&e, KEY_RIGHT, true);
    edit_feed(&e, 11, false);
    is_str(buf, "Xv", "C-k deletes to the end");
    edit_feed(&e, KEY_LEFT, true);
    edit_feed(&e, 21, false);
    is_str(buf, "v", "C-u deletes to the start");
    edit_feed(&e, 5, false);
    edit_feed(&e, 0x00f6, false); /* ö */
    is_str(buf, "v\xc3\xb6", "a wide character is stored as UTF-8");
    is_int((int)edit_chars(&e, e.len), 2, "two characters, three bytes");
    edit_feed(&e, KEY_LEFT, true);
    is_int((int)e.cursor, 1, "Left steps over the whole character");
    edit_feed(&e, KEY_DC, true);
    is_str(buf, "v", "Delete removes the whole character");
    ok(buf[1] == 0 && buf[2] == 0, "the freed bytes are wiped");
    edit_feed(&e, KEY_BACKSPACE, true);
    is_str(buf, "", "Backspace");
    for (int i = 0; i < 16; i++)
        edit_feed(&e, 'a', false);
    is_int(edit_feed(&e, 'b', false), EDIT_FULL, "no more than cap bytes");
    is_int((int)e.len, 16, "length stays at cap");
    is_int(edit_feed(&e, 7, false), EDIT_IGNORED, "a control key is ignored");
    is_int(edit_feed(&e, 0x9b, false), EDIT_IGNORED, "C1 CSI is not typed");
}

static const char *
check_name(const char *text, void *ctx)
{
    (void)ctx;
    size_t n = strlen(text);
    bool ok = n >= 1 && n <= 127;
    for (const char *p = text; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
             (*p >= '0' && *p <= '9') || *p == '-';
    return ok ? NULL : "1-127 characters: letters, digits and -";
}

static const char *
check_nonempty(const char *text, void *ctx)
{
    (void)ctx;
    return *text ? NULL : "type the value";
}

static void
test_form(void)
{
    struct form *f = form_new();
    size_t info = form_add_info(f, "The value is stored in kv-app-prod.");
    size_t name = form_add_text(f, "Name", NULL, 127, check_name, NULL);
    size_t value = form_add_secret(f, "Value", 64, check_nonempty, NULL);
    static const char *const types[] = {"text/plain", "application/json",
                                        "none"};
    size_t type = form_add_choice(f, "Content type", types, 3, 0);
    size_t on = form_add_check(f, "Enabled", true);
    form_set_buttons(f, "Review", "Cancel");
    ok(!form_focusable(f, info), "an info line takes no focus");
    is_int((int)f->focus, (int)name, "the first field has the focus");

    /* A wrong name: the message waits until the field is left. */
    type_into(f, "my key");
    ok(form_error(f, name) == NULL, "no message while typing");
    ok(!form_ok(f), "but the form is not ok");
    is_int(form_feed(f, '\t', false), FORM_REDRAW, "Tab moves on");
    is_int((int)f->focus, (int)value, "to the secret field");
    is_str(form_error(f, name), "1-127 characters: letters, digits and -",
           "the name's message shows once the field is left");
    ok(form_error(f, value) == NULL, "an untouched field shows nothing");

    /* Submit refused: the focus jumps to the first field in error. */
    form_feed(f, KEY_DOWN, true);
    form_feed(f, KEY_DOWN, true);
    form_feed(f, KEY_DOWN, true);
    is_int((int)f->focus, (int)f->n, "Down reaches the submit button");
    is_int(form_feed(f, '\r', false), FORM_REDRAW, "Enter on it is refused");
    is_int((int)f->focus, (int)name, "focus on the first field in error");
    is_str(form_error(f, value), "type the value",
           "after a submit every message shows");

    /* Fix the name: its message goes at once. */
    form_feed(f, 23, false); /* C-w: "key" */
    form_feed(f, KEY_BACKSPACE, true);
    form_feed(f, KEY_HOME, true);
    type_into(f, "openai-");
    is_str(form_text(f, name), "openai-my", "editing at the start");
    ok(form_error(f, name) == NULL, "the message goes when the text is right");

    /* The secret: secure memory only, masks on screen. */
    form_focus(f, value);
    type_into(f, "s3cr3t-Vä");
    const struct secret *sec = form_secret(f, value);
    is_str(sec->data, "s3cr3t-V\xc3\xa4", "the value is in the secret");
    is_int((int)sec->len, 10, "its length in bytes");
    ok(form_text(f, value) == NULL, "no plain text for a secret field");
    char shown[256];
    int col;
    form_display(f, value, 30, "•", shown, sizeof shown, &col);
    is_str(shown, "•••••••••", "shown as one mask per character");
    is_int(col, 9, "the cursor after the last mask");
    form_display(f, value, 30, "*", shown, sizeof shown, &col);
    is_str(shown, "*********", "ASCII mask without UTF-8");
    ok(strpbrk(shown, "s3crtVä") == NULL, "no character of the value shown");
    const char *data = sec->data;
    form_feed(f, 21, false); /* C-u */
    is_int((int)form_secret(f, value)->len, 0, "C-u empties the value");
    bool wiped = true;
    for (int i = 0; i < 10; i++)
        wiped = wiped && data[i] == 0;
    ok(wiped, "and wipes its bytes");
    type_into(f, "new-value");

    /* Choice and checkbox. */
    form_focus(f, type);
    form_feed(f, KEY_RIGHT, true);
    is_int((int)form_choice(f, type), 1, "Right picks the next choice");
    form_feed(f, KEY_LEFT, true);
    form_feed(f, KEY_LEFT, true);
    is_int((int)form_choice(f, type), 2, "Left wraps round");
    form_feed(f, ' ', false);
    is_int((int)form_choice(f, type), 0, "Space cycles");
    form_focus(f, on);
    form_feed(f, ' ', false);
    ok(!form_checked(f, on), "Space toggles the checkbox");

    /* Enter on the last field submits now that all is well. */
    ok(form_ok(f), "every field checks out");
    is_int(form_feed(f, '\n', false), FORM_SUBMIT,
           "Enter on the last field submits");
    struct secret *taken = form_take_secret(f, value);
    is_str(taken->data, "new-value", "the value is handed over");
    is_int((int)form_secret(f, value)->len, 0, "and the field is empty");
    secret_free(taken);

    /* A message from elsewhere (the server) shows until the next edit. */
    form_set_error(f, name, "a secret of that name exists");
    ok(!form_ok(f), "a set error keeps the form from submitting");
    form_focus(f, name);
    type_into(f, "2");
    ok(form_error(f, name) == NULL, "an edit clears it");

    /* Paste: a line break at the end of a copied key is dropped, Esc
     * inside the paste is no cancel. */
    form_focus(f, value);
    form_feed(f, 21, false);
    form_feed(f, KEYS_PASTE_BEGIN, true);
    type_into(f, "sk-abc\033\n");
    form_feed(f, KEYS_PASTE_END, true);
    is_str(form_secret(f, value)->data, "sk-abc", "pasted text, no controls");

    /* Long text scrolls inside the field, the cursor stays in view. */
    form_focus(f, name);
    form_feed(f, 21, false);
    for (int i = 0; i < 100; i++)
        form_feed(f, 'a' + i % 26, false);
    form_display(f, name, 20, "*", shown, sizeof shown, &col);
    is_int(col, 19, "cursor at the field's last column");
    ok(text_width(shown) <= 20, "no wider than the field");
    is_int(shown[18], 'a' + 99 % 26, "the end of the text is shown");
    form_feed(f, KEY_HOME, true);
    form_display(f, name, 20, "*", shown, sizeof shown, &col);
    is_int(col, 0, "Home: the start is shown");
    is_int(shown[0], 'a', "from its first character");
    is_int(form_feed(f, 27, false), FORM_CANCEL, "Esc cancels");
    form_free(f);
}

static void
test_dialog(void)
{
    struct form *f = form_dialog(
        "Purging cannot be undone. Type the secret's name to purge it:",
        "db-password", "Purge");
    size_t field = 1;
    is_int((int)f->focus, (int)field, "the focus starts in the name field");
    ok(!form_ok(f), "the purge button is disabled while nothing is typed");
    type_into(f, "db-passwor");
    ok(!form_ok(f), "still disabled for a prefix of the name");
    is_int(form_feed(f, '\r', false), FORM_REDRAW,
           "Enter refuses a wrong name");
    is_str(form_error(f, field), "type db-password exactly to confirm",
           "and says what to type");
    form_feed(f, KEY_DOWN, true);
    is_int(form_feed(f, '\r', false), FORM_REDRAW,
           "the disabled button refuses too");
    is_int((int)f->focus, (int)field, "and sends the focus back to the name");
    type_into(f, "D");
    ok(!form_ok(f), "the comparison is exact (case counts)");
    form_feed(f, KEY_BACKSPACE, true);
    type_into(f, "d");
    ok(form_ok(f), "the exact name enables the button");
    ok(form_error(f, field) == NULL, "the message goes");
    is_int(form_feed(f, '\r', false), FORM_SUBMIT, "Enter confirms");
    form_free(f);

    f = form_dialog("Close the form without saving?", NULL, "Close");
    is_int((int)f->focus, (int)f->n, "a plain dialog starts on its button");
    is_int(form_feed(f, '\n', false), FORM_SUBMIT, "Enter answers yes");
    form_feed(f, '\t', false);
    is_int(form_feed(f, '\n', false), FORM_CANCEL, "Cancel answers no");
    is_int(form_feed(f, 27, false), FORM_CANCEL, "Esc answers no");
    form_free(f);

    /* A choice of labels made by the caller (a list of resources): the
     * form takes them (ASan's leak check sees one free too many or few),
     * an initial choice out of range falls back to the first, and an
     * empty list is a choice of nothing. */
    f = form_new();
    char **labels = xcalloc(2, sizeof *labels);
    labels[0] = xstrdup("contoso-ai (OpenAI, eastus2)");
    labels[1] = xstrdup("contoso-language (CognitiveServices, eastus)");
    size_t acct = form_add_choice_take(f, "Key of", labels, 2, 7);
    is_int((int)form_choice(f, acct), 0,
           "an initial choice out of range: the first");
    form_focus(f, acct);
    form_feed(f, KEY_RIGHT, true);
    is_int((int)form_choice(f, acct), 1, "Right: the caller's second label");
    size_t none =
        form_add_choice_take(f, "Nothing", xcalloc(1, sizeof *labels), 0, 0);
    is_int((int)form_choice(f, none), 0, "an empty list: choice 0");
    form_free(f);
}

/* In a locale without UTF-8 (LC_ALL=C) kvdeck's own typography becomes
 * ASCII, one stand-in per character, and anything else one '?'. */
static void
test_text_ascii(void)
{
    char out[128];
    setlocale(LC_ALL, "C");
    text_fit("Check that version 9c4c661d\xe2\x80\xa6 is the latest", 60, "~",
             false, out, sizeof out);
    is_str(out, "Check that version 9c4c661d... is the latest",
           "C locale: an ellipsis is three dots");
    is_int(text_width("a\xe2\x80\xa6"
                      "b"),
           5, "and counts three columns");
    text_fit("\xe2\x80\x9cok\xe2\x80\x9d \xe2\x9c\x93 \xe6\x97\xa5", 20, "~",
             false, out, sizeof out);
    is_str(out, "\"ok\" v ?", "quotes and ticks become ASCII, others one ?");
    text_fit("\xe2\x80\xa6\xe2\x80\xa6\xe2\x80\xa6", 7, "~", false, out,
             sizeof out);
    is_int(text_width(out), 7, "a cut never overflows the width");
    setlocale(LC_ALL, "C.UTF-8");
    /* text_fit takes runs of ASCII at once and glyphs between them */
    text_fit("\xe2\x96\xb8 db-password \xe2\x9c\x93 2026-11-06", 18,
             "\xe2\x80\xa6", true, out, sizeof out);
    is_str(out, "\xe2\x96\xb8 db-password \xe2\x9c\x93 2\xe2\x80\xa6",
           "a cut in a run after glyphs keeps room for the ellipsis");
    is_int(text_fit("ab\xe2\x9c\x93", 3, "~", true, out, sizeof out), 3,
           "glyphs count one column each");
    text_fit("abcdef", 4, "\xe2\x80\xa6", true, out, 4);
    is_str(out, "abc", "a short out: as much as fits, no overflow");
    text_fit("e\xcc\x81x", -1, "~", false, out, sizeof out);
    is_str(out, "", "no width: nothing, not even a combining mark's base");
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    test_text();
    test_text_ascii();
    test_text_long();
    test_filter();
    test_listview();
    test_layout();
    test_cmdline();
    test_keys();
    test_osc52();
    test_edit();
    test_form();
    test_dialog();
    return tap_done();
}
