/*
 * form-keys.c — CPU time of one key press in a wizard form (issue #7:
 * "a key press costs well under 1 ms of CPU"). Not a test; run by
 * bench/rotation.sh, built on demand (`make bench-form` in a build dir).
 *
 *     bench/form-keys [--keys N] [--warmup N] [--term NAME] [--size RxC]
 *
 * The console's own form code, not a copy: a form shaped like the
 * rotate-an-API-key wizard (an info line, 9 fields: choices, text fields
 * with checks run on every key, a no-echo secret field, a checkbox) is
 * pushed with widget_form_push() on a curses screen made by newterm() on
 * /dev/null. Each key goes the way the loop sends it: screen_key()
 * (form_feed(), the field's check, refit), then what a frame does for a
 * modal screen: screen_render(), the cursor placed in the field,
 * doupdate() (curses computes and writes the terminal update; the bytes
 * go to /dev/null). The panes below the form are not drawn: a key on a
 * form leaves them untouched, so a frame only puts the form out.
 *
 * The keys are a fixed script that visits every field again and again:
 * typing, Backspace, Left/Right/Home/End, cycling choices, toggling the
 * checkbox, Tab and BTab; never Enter on the last field nor Esc (the
 * form stays open). Text fields stay short (what is typed is deleted
 * again), so the figure is not one of ever-longer buffers.
 *
 * Prints key=value lines: CPU time of the process
 * (CLOCK_PROCESS_CPUTIME_ID) over all timed keys and per key, the
 * thread CPU time of each key (median, p99, max), the wall time per key,
 * and the same for form_feed() alone (the model without drawing).
 */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "base/xalloc.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/screen.h"
#include "tui/widget-form.h"

static const char *const spin[] = {"⠋", "⠙", "⠹", "⠸"};

static double
now_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The field checks a wizard would have: cheap, but run on every key. */
static const char *
check_length(const char *t, void *ctx)
{
    (void)ctx;
    char *end;
    long n = strtol(t, &end, 10);
    return *t == '\0' || *end != '\0' || n < 8 || n > 4096
               ? "a number from 8 to 4096"
               : NULL;
}

static const char *
check_date(const char *t, void *ctx)
{
    (void)ctx;
    if (*t == '\0')
        return NULL;
    if (t[0] == '+') {
        size_t n = strlen(t);
        return n >= 3 && strchr("dhm", t[n - 1]) != NULL
                   ? NULL
                   : "a date (2027-03-05) or +90d";
    }
    int y, m, d;
    return sscanf(t, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 &&
                   d >= 1 && d <= 31
               ? NULL
               : "a date (2027-03-05) or +90d";
}

static const char *
check_tags(const char *t, void *ctx)
{
    (void)ctx;
    /* space-separated key=value pairs */
    const char *p = t;
    while (*p) {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        const char *sp = strchr(p, ' '), *eq = strchr(p, '=');
        if (eq == NULL || eq == p || (sp != NULL && eq > sp))
            return "key=value pairs, separated by spaces";
        p = sp != NULL ? sp : p + strlen(p);
    }
    return NULL;
}

static const char *
check_type(const char *t, void *ctx)
{
    (void)ctx;
    return strlen(t) > 255 ? "at most 255 characters" : NULL;
}

enum { F_INFO, F_SOURCE, F_LENGTH, F_ALPHABET, F_VALUE, F_EXPIRES,
       F_NOTBEFORE, F_TYPE, F_TAGS, F_RETIRE, F_COUNT };

static struct form *
wizard_form(void)
{
    static const char *const sources[] = {"Generate", "Paste (no echo)",
                                          "Read from a file"};
    static const char *const alphabets[] = {"alphanumeric", "base64url",
                                            "hex", "template"};
    struct form *f = form_new();
    form_add_info(f, "openai-api-key in kv-contoso-ai-prod: current version "
                     "3f2a9c0d81e44b6f9a1d2c3b4e5f6a7b, 41 days old, "
                     "expires 2027-03-05, content type text/plain, "
                     "tags team=ai rotation-days=90");
    form_add_choice(f, "New value", sources, 3, 0);
    form_add_text(f, "Length", "40", 8, check_length, NULL);
    form_set_hint(f, F_LENGTH, "characters (8 to 4096)");
    form_add_choice(f, "Alphabet", alphabets, 4, 0);
    form_add_secret(f, "Pasted value", 8192, NULL, NULL);
    form_add_text(f, "Expires", "+90d", 32, check_date, NULL);
    form_set_hint(f, F_EXPIRES, "2027-03-05, 2027-03-05T10:00:00Z or +90d");
    form_add_text(f, "Not before", "", 32, check_date, NULL);
    form_add_text(f, "Content type", "text/plain", 255, check_type, NULL);
    form_add_text(f, "Tags", "team=ai rotation-days=90", 2048, check_tags,
                  NULL);
    form_add_check(f, "Disable the old version now", true);
    form_set_buttons(f, "Review", "Cancel");
    return f;
}

/* The key script: one visit of every field, appended to keys. */
struct key {
    int ch;
    bool is_key;
};

static void
add(struct key **k, size_t *n, size_t *cap, int ch, bool is_key)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *k = xreallocarray(*k, *cap, sizeof **k);
    }
    (*k)[(*n)++] = (struct key){ch, is_key};
}

static void
add_text(struct key **k, size_t *n, size_t *cap, const char *s)
{
    for (; *s; s++)
        add(k, n, cap, (unsigned char)*s, false);
}

/* Types text, moves about in it, deletes what was typed, goes on. */
static void
edit_visit(struct key **k, size_t *n, size_t *cap, const char *typed)
{
    size_t len = strlen(typed);
    add(k, n, cap, KEY_END, true);
    add_text(k, n, cap, typed);
    add(k, n, cap, KEY_LEFT, true);
    add(k, n, cap, KEY_LEFT, true);
    add(k, n, cap, KEY_RIGHT, true);
    add(k, n, cap, KEY_RIGHT, true);
    add(k, n, cap, KEY_HOME, true);
    add(k, n, cap, KEY_END, true);
    for (size_t i = 0; i < len; i++)
        add(k, n, cap, KEY_BACKSPACE, true);
    add(k, n, cap, '\t', false);
}

static struct key *
script(size_t *nkeys)
{
    struct key *k = NULL;
    size_t n = 0, cap = 0;
    /* the focus starts on New value (the info line takes none) */
    add(&k, &n, &cap, KEY_RIGHT, true); /* source: paste */
    add(&k, &n, &cap, ' ', false);      /* source: file */
    add(&k, &n, &cap, KEY_LEFT, true);  /* back to paste */
    add(&k, &n, &cap, KEY_LEFT, true);  /* back to generate */
    add(&k, &n, &cap, '\t', false);
    edit_visit(&k, &n, &cap, "96");               /* Length: 4096 etc. */
    add(&k, &n, &cap, KEY_RIGHT, true);           /* Alphabet */
    add(&k, &n, &cap, KEY_LEFT, true);
    add(&k, &n, &cap, '\t', false);
    edit_visit(&k, &n, &cap, "sk-proj-Xq9vT2mLw8RbZ4nY"); /* secret */
    add(&k, &n, &cap, KEY_END, true);                       /* Expires */
    for (int i = 0; i < 4; i++)
        add(&k, &n, &cap, KEY_BACKSPACE, true);
    add_text(&k, &n, &cap, "2027-06-30");
    for (int i = 0; i < 10; i++)
        add(&k, &n, &cap, KEY_BACKSPACE, true);
    add_text(&k, &n, &cap, "+90d");
    add(&k, &n, &cap, '\t', false);
    edit_visit(&k, &n, &cap, "2026-12-01");       /* Not before */
    edit_visit(&k, &n, &cap, "; charset=utf-8");  /* Content type */
    edit_visit(&k, &n, &cap, " owner=platform-team"); /* Tags */
    add(&k, &n, &cap, ' ', false);                /* checkbox off */
    add(&k, &n, &cap, ' ', false);                /* and on */
    add(&k, &n, &cap, '\t', false);               /* Review button */
    add(&k, &n, &cap, '\t', false);               /* Cancel button */
    add(&k, &n, &cap, KEY_BTAB, true);            /* back to Review */
    add(&k, &n, &cap, KEY_BTAB, true);            /* the checkbox */
    add(&k, &n, &cap, '\t', false);               /* Review */
    add(&k, &n, &cap, '\t', false);               /* Cancel */
    add(&k, &n, &cap, '\t', false);               /* wraps to New value */
    *nkeys = n;
    return k;
}

/* Whether a line of the screen's window shows text (a sanity check that
 * the form was really drawn). */
static bool
window_shows(WINDOW *w, const char *text)
{
    wchar_t want[128], line[512];
    if (w == NULL || mbstowcs(want, text, 128) == (size_t)-1)
        return false;
    int rows = getmaxy(w), cols = getmaxx(w);
    for (int y = 0; y < rows; y++) {
        int n = mvwinnwstr(w, y, 0, line, cols < 511 ? cols : 511);
        if (n > 0 && wcsstr(line, want) != NULL)
            return true;
    }
    return false;
}

static struct form *done_form;

static void
on_done(struct app *a, struct screen *s, struct form *f, bool submitted,
        void *ctx)
{
    (void)a;
    (void)s;
    (void)ctx;
    (void)submitted;
    done_form = f;
}

/* One key the way the loop and a frame handle it. */
static void
press(struct app *a, const struct key *k)
{
    screen_key(a, k->ch, k->is_key);
    screen_render(a, false);
    struct screen *top = screen_top(a);
    if (top != NULL && top->body != NULL && top->cur_y >= 0) {
        leaveok(top->body, FALSE);
        wmove(top->body, top->cur_y, top->cur_x);
        wnoutrefresh(top->body);
        curs_set(1);
    } else {
        curs_set(0);
    }
    doupdate();
    screen_reap(a);
}

static void
usage(void)
{
    fprintf(stderr, "usage: form-keys [--keys N] [--warmup N] [--term NAME] "
                    "[--size ROWSxCOLS]\n");
    exit(2);
}

int
main(int argc, char **argv)
{
    long nkeys = 10000, warmup = 1000;
    int rows = 24, cols = 80;
    const char *term = "xterm-256color";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc)
            nkeys = atol(argv[++i]);
        else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc)
            warmup = atol(argv[++i]);
        else if (strcmp(argv[i], "--term") == 0 && i + 1 < argc)
            term = argv[++i];
        else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
            if (sscanf(argv[++i], "%dx%d", &rows, &cols) != 2)
                usage();
        } else
            usage();
    }
    if (nkeys < 1 || warmup < 0)
        usage();
    setlocale(LC_ALL, "C.UTF-8");
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    char lines[16], columns[16];
    snprintf(lines, sizeof lines, "%d", rows);
    snprintf(columns, sizeof columns, "%d", cols);
    setenv("LINES", lines, 1);
    setenv("COLUMNS", columns, 1);
    SCREEN *scr = out && in ? newterm(term, out, in) : NULL;
    if (scr == NULL) {
        fprintf(stderr, "form-keys: no terminfo entry for %s\n", term);
        return 77;
    }
    set_term(scr);
    if (has_colors())
        start_color();

    struct app a;
    memset(&a, 0, sizeof a);
    a.keys = keytab_new(false);
    a.term.utf8 = true;
    a.term.color = has_colors();
    a.term.g.focus = "▶";
    a.term.g.no = "✗";
    a.term.g.yes = "✓";
    a.term.g.warn = "!";
    a.term.g.ellipsis = "…";
    a.term.g.dot = "•";
    a.term.g.vline = "│";
    a.term.g.hline = "─";
    a.term.g.spinner = spin;
    a.term.g.nspinner = 4;
    layout_compute(&a.lay, LINES, COLS, PANE_VAULTS, PANE_SECRETS);

    struct form *f = wizard_form();
    int nfields = (int)f->n;
    struct screen *s =
        widget_form_push(&a, "Rotate openai-api-key", f, on_done, NULL, NULL);
    size_t nscript;
    struct key *keys = script(&nscript);
    screen_render(&a, true);
    doupdate();

    /* Warm-up: caches, curses' first full paint. */
    size_t at = 0;
    for (long i = 0; i < warmup; i++, at = (at + 1) % nscript)
        press(&a, &keys[at]);

    double *per = xreallocarray(NULL, (size_t)nkeys, sizeof *per);
    double c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID),
           w0 = now_ns(CLOCK_MONOTONIC);
    for (long i = 0; i < nkeys; i++, at = (at + 1) % nscript) {
        double t0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
        press(&a, &keys[at]);
        per[i] = now_ns(CLOCK_THREAD_CPUTIME_ID) - t0;
    }
    double c1 = now_ns(CLOCK_PROCESS_CPUTIME_ID), w1 = now_ns(CLOCK_MONOTONIC);
    bool still_open = screen_top(&a) == s && done_form == NULL;
    bool drawn = window_shows(s->win, "Rotate openai-api-key") &&
                 window_shows(s->win, "Content type") &&
                 window_shows(s->win, "[ Review ]");
    qsort(per, (size_t)nkeys, sizeof *per, cmp_double);

    /* The model alone: form_feed() on a second form, no drawing. */
    struct form *f2 = wizard_form();
    for (long i = 0; i < warmup; i++)
        form_feed(f2, keys[i % (long)nscript].ch, keys[i % (long)nscript].is_key);
    double m0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    for (long i = 0; i < nkeys; i++) {
        const struct key *k = &keys[(size_t)(warmup + i) % nscript];
        form_feed(f2, k->ch, k->is_key);
    }
    double m1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    form_free(f2);

    printf("term=%s\n", term);
    printf("size=%dx%d\n", LINES, COLS);
    printf("fields=%d\n", nfields - 1);
    printf("box=%s\n", s->full ? "full-screen" : "box");
    printf("script_keys=%zu\n", nscript);
    printf("warmup=%ld\n", warmup);
    printf("keys=%ld\n", nkeys);
    printf("form_still_open=%s\n", still_open ? "yes" : "no");
    printf("form_drawn=%s\n", drawn ? "yes" : "no");
    printf("cpu_total_ms=%.3f\n", (c1 - c0) / 1e6);
    printf("cpu_per_key_us=%.2f\n", (c1 - c0) / 1e3 / (double)nkeys);
    printf("wall_per_key_us=%.2f\n", (w1 - w0) / 1e3 / (double)nkeys);
    printf("thread_cpu_median_us=%.2f\n", per[nkeys / 2] / 1e3);
    printf("thread_cpu_p99_us=%.2f\n",
           per[(size_t)((double)nkeys * 0.99)] / 1e3);
    printf("thread_cpu_max_us=%.2f\n", per[nkeys - 1] / 1e3);
    printf("model_only_cpu_per_key_us=%.2f\n", (m1 - m0) / 1e3 / (double)nkeys);

    free(per);
    free(keys);
    screen_free_all(&a);
    keytab_free(a.keys);
    free(a.message);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    return still_open && drawn ? 0 : 1;
}
