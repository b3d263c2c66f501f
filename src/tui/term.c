/*
 * term.c — curses start/stop, colours with monochrome fallbacks, glyphs.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/keys.h"
#include "tui/signals.h"
#include "tui/term.h"
#include "tui/text.h"

static const char *const term_spin_utf8[] = {"⠋", "⠙", "⠹", "⠸", "⠼",
                                             "⠴", "⠦", "⠧", "⠇", "⠏"};
static const char *const term_spin_ascii[] = {"|", "/", "-", "\\"};

static const struct glyphs term_glyphs_utf8 = {.vline = "│",
                                               .hline = "─",
                                               .crumb = " › ",
                                               .expanded = "▾",
                                               .collapsed = "▸",
                                               .yes = "✓",
                                               .no = "✗",
                                               .ellipsis = "…",
                                               .warn = "!",
                                               .dot = "•",
                                               .focus = "▶",
                                               .spinner = term_spin_utf8,
                                               .nspinner = 10};

static const struct glyphs term_glyphs_ascii = {.vline = "|",
                                                .hline = "-",
                                                .crumb = " > ",
                                                .expanded = "-",
                                                .collapsed = "+",
                                                .yes = "y",
                                                .no = "x",
                                                .ellipsis = "~",
                                                .warn = "!",
                                                .dot = "*",
                                                .focus = ">",
                                                .spinner = term_spin_ascii,
                                                .nspinner = 4};

#define STYLE_NAME(code, name) [code] = name,
static const char *const term_style_names[] = {STYLE_LIST(STYLE_NAME)};
#undef STYLE_NAME

/* Default looks: colour, and the monochrome attribute used without it. */
static const struct {
    short fg, bg;
    attr_t color_attr, mono_attr;
} term_defaults[ST_COUNT] = {
    [ST_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [ST_HEADER] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE},
    [ST_TITLE] = {COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ST_TITLE_FOCUS] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD},
    [ST_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ST_SELECTED_INACTIVE] = {-1, -1, A_REVERSE | A_DIM, A_UNDERLINE},
    [ST_STATUS] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE},
    [ST_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [ST_WARNING] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [ST_OK] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [ST_DIM] = {-1, -1, A_DIM, A_DIM},
    [ST_VALUE] = {COLOR_MAGENTA, -1, A_BOLD, A_BOLD | A_UNDERLINE},
};

static void
term_set_style(struct termctl *t, enum style s, short fg, short bg, attr_t a)
{
    t->attr[s] = a;
    t->pair[s] = 0;
    if (t->color && (fg != -1 || bg != -1)) {
        t->pair[s] = (short)(s + 1);
        init_pair(t->pair[s], fg, bg);
    }
}

/* Asks the terminal to mark pastes (or to stop). */
static void
term_paste(struct termctl *t, bool on)
{
    fputs(on ? "\033[?2004h" : "\033[?2004l", t->out);
    fflush(t->out);
}

enum kv_status
term_open(struct termctl *t, const struct settings *cfg, char **why)
{
    memset(t, 0, sizeof *t);
    t->in = stdin;
    t->out = stdout;
    t->fd = STDOUT_FILENO;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        *why = xstrdup(_("the console needs a terminal on standard input "
                         "and output"));
        return KV_ERR_UNSUPPORTED;
    }
    const char *termname = getenv("TERM");
    if (termname == NULL || *termname == '\0') {
        *why = xstrdup(_("TERM is not set"));
        return KV_ERR_UNSUPPORTED;
    }
    tcgetattr(t->fd, &t->saved);
    t->scr = newterm(NULL, t->out, t->in);
    if (t->scr == NULL) {
        *why = xasprintf(_("unknown terminal type \"%s\""), termname);
        return KV_ERR_UNSUPPORTED;
    }
    t->active = true;
    set_term(t->scr);
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    leaveok(stdscr, TRUE);
    /* Bracketed paste: a pasted line break or ESC reaches a form as text
     * (keys.h KEYS_PASTE_*); terminals without it ignore the request. */
    define_key("\033[200~", KEYS_PASTE_BEGIN);
    define_key("\033[201~", KEYS_PASTE_END);
    term_paste(t, true);

    t->utf8 = cfg->ascii == CONFIG_NO ||
              (cfg->ascii == CONFIG_AUTO && text_locale_utf8());
    t->g = t->utf8 ? term_glyphs_utf8 : term_glyphs_ascii;

    const char *nc = getenv("NO_COLOR");
    bool want = cfg->color == CONFIG_YES ||
                (cfg->color == CONFIG_AUTO && (nc == NULL || *nc == '\0'));
    t->color = want && has_colors();
    if (t->color) {
        start_color();
        use_default_colors();
    }
    for (int s = 0; s < ST_COUNT; s++)
        term_set_style(t, (enum style)s, term_defaults[s].fg,
                       term_defaults[s].bg,
                       t->color ? term_defaults[s].color_attr
                                : term_defaults[s].mono_attr);
    if (cfg->mouse) {
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
                      BUTTON5_PRESSED,
                  NULL);
        mouseinterval(0);
        t->mouse = true;
    }

    /* What the crash path writes: leave the alternate screen, show the
     * cursor, plain attributes, mouse reporting off. */
    char reset[128] = "";
    const char *caps[] = {"rmcup", "cnorm", "sgr0"};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        const char *v = tigetstr(caps[i]);
        if (v != NULL && v != (char *)-1 &&
            strlen(reset) + strlen(v) + 1 < sizeof reset)
            strcat(reset, v);
    }
    if (t->mouse && strlen(reset) + 16 < sizeof reset)
        strcat(reset, "\033[?1000l\033[?1006l");
    if (strlen(reset) + 11 < sizeof reset)
        strcat(reset, "\033[?2004l"); /* bracketed paste off */
    strcat(reset, "\r\n");
    signals_arm_restore(t->fd, &t->saved, reset);
    paint_open(&t->paint, t->fd);
    return KV_OK;
}

static short
term_color_parse(const char *name, bool *ok)
{
    static const char *const names[] = {"black", "red",     "green", "yellow",
                                        "blue",  "magenta", "cyan",  "white"};
    *ok = true;
    if (name == NULL || str_ieq(name, "default"))
        return -1;
    for (short i = 0; i < 8; i++)
        if (str_ieq(name, names[i]))
            return i;
    if (str_istarts(name, "bright") || str_istarts(name, "light"))
        for (short i = 0; i < 8; i++)
            if (str_ieq(name + (str_istarts(name, "bright") ? 6 : 5), names[i]))
                return (short)(i + 8);
    if (str_istarts(name, "colour") || str_istarts(name, "color")) {
        char *end;
        long n = strtol(name + (str_istarts(name, "colour") ? 6 : 5), &end, 10);
        if (*end == '\0' && n >= 0 && n <= 255)
            return (short)n;
    }
    *ok = false;
    return -1;
}

enum kv_status
term_apply_styles(struct termctl *t, const struct settings *cfg, char **why)
{
    for (size_t i = 0; i < cfg->nstyles; i++) {
        const struct config_style *cs = &cfg->styles[i];
        int s = -1;
        for (int k = 0; k < ST_COUNT; k++)
            if (str_eq(cs->element, term_style_names[k]))
                s = k;
        bool okf, okb;
        short fg = term_color_parse(cs->fg, &okf);
        short bg = term_color_parse(cs->bg, &okb);
        const char *bad = s < 0  ? cs->element
                          : !okf ? cs->fg
                          : !okb ? cs->bg
                                 : NULL;
        if (bad != NULL) {
            /* quotes the file: no control characters to the terminal */
            char *raw =
                xasprintf(s < 0 ? _("%s:%d: unknown style \"%s\"")
                                : _("%s:%d: unknown colour \"%s\""),
                          cfg->path ? cfg->path : "config", cs->line, bad);
            *why = str_escape_ctl(raw);
            free(raw);
            return KV_ERR_CONFIG;
        }
        if (t->scr == NULL)
            continue;
        attr_t a = A_NORMAL;
        if (cs->attrs & CONFIG_ATTR_BOLD)
            a |= A_BOLD;
        if (cs->attrs & CONFIG_ATTR_REVERSE)
            a |= A_REVERSE;
        if (cs->attrs & CONFIG_ATTR_UNDERLINE)
            a |= A_UNDERLINE;
        if (!t->color) {
            /* Without colour only the attributes count; keep the default
             * so a colour-only style stays visible. */
            if (a != A_NORMAL)
                t->attr[s] = a;
            continue;
        }
        if ((fg >= COLORS || bg >= COLORS)) {
            continue;
        }
        term_set_style(t, (enum style)s, fg, bg, a);
    }
    return KV_OK;
}

void
term_close(struct termctl *t)
{
    if (!t->active)
        return;
    t->active = false;
    if (t->mouse)
        mousemask(0, NULL);
    curs_set(1);
    term_paste(t, false);
    endwin();
    paint_close(&t->paint);
    signals_arm_restore(t->fd, NULL, NULL);
    delscreen(t->scr);
    t->scr = NULL;
    tcsetattr(t->fd, TCSADRAIN, &t->saved);
}

void
term_suspend(struct termctl *t)
{
    if (!t->active)
        return;
    term_paste(t, false);
    endwin();
    signals_suspend();
    /* Back from the shell: the terminal may have been resized meanwhile. */
    reset_prog_mode();
    term_paste(t, true);
    term_resize(t);
    clearok(curscr, TRUE);
}

void
term_resize(struct termctl *t)
{
    struct winsize ws;
    if (ioctl(t->fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
}
