/*
 * frame.c — layout, header, status bar, help overlay and rendering.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "tui/draw.h"
#include "tui/frame.h"
#include "tui/text.h"

static void
frame_delwin(WINDOW **w)
{
    if (*w != NULL) {
        delwin(*w);
        *w = NULL;
    }
}

void
frame_free(struct app *a)
{
    frame_delwin(&a->header);
    frame_delwin(&a->status);
    frame_delwin(&a->sep);
    frame_delwin(&a->help);
    for (int i = 0; i < PANE_COUNT; i++)
        frame_delwin(&a->views[i].win);
}

static bool
frame_rect_eq(const struct rect *x, const struct rect *y)
{
    return x->y == y->y && x->x == y->x && x->h == y->h && x->w == y->w;
}

void
frame_relayout(struct app *a, bool force)
{
    struct layout nl;
    layout_compute(&nl, LINES, COLS, a->focus, a->right_top);
    bool same = !force && nl.rows == a->lay.rows && nl.cols == a->lay.cols &&
                nl.single == a->lay.single && nl.too_small == a->lay.too_small;
    for (int i = 0; same && i < PANE_COUNT; i++)
        same = nl.visible[i] == a->lay.visible[i] &&
               frame_rect_eq(&nl.pane[i], &a->lay.pane[i]);
    if (same)
        return;
    a->lay = nl;
    frame_free(a);
    a->all_dirty = true;
    /* Input is read through stdscr, and wgetch() refreshes stdscr when it
     * is touched: make it clean now, under the panes drawn after it. */
    werase(stdscr);
    wnoutrefresh(stdscr);
    if (nl.too_small)
        return;
    a->header = newwin(1, nl.cols, 0, 0);
    a->status = newwin(1, nl.cols, nl.rows - 1, 0);
    if (nl.separator.w > 0)
        a->sep = newwin(nl.separator.h, 1, nl.separator.y, nl.separator.x);
    for (int i = 0; i < PANE_COUNT; i++) {
        struct view *v = &a->views[i];
        if (!nl.visible[i])
            continue;
        v->rect = nl.pane[i];
        v->win = newwin(v->rect.h, v->rect.w, v->rect.y, v->rect.x);
        v->body_y = 1 + v->ops->top_lines;
        listview_set_height(&v->lv, v->rect.h - v->body_y);
    }
    if (a->mode == MODE_HELP)
        a->help = newwin(nl.rows - 1, nl.cols, 0, 0);
}

/* The breadcrumb: kvdeck › cloud › subscription › group › vault › item. */
static void
frame_header(struct app *a)
{
    const struct glyphs *g = &a->term.g;
    struct buf b = BUF_INIT;
    buf_puts(&b, " kvdeck");
    if (a->opt.mode_label != NULL)
        buf_printf(&b, " [%s]", a->opt.mode_label);
    buf_printf(&b, "%s%s", g->crumb, engine_cloud_name(a->eng));
    if (a->ctx_sub != NULL)
        buf_printf(&b, "%s%s", g->crumb,
                   a->ctx_sub->sub->display_name
                       ? a->ctx_sub->sub->display_name
                       : a->ctx_sub->sub->subscription_id);
    else
        buf_printf(&b, "%s%s", g->crumb, _("All subscriptions"));
    if (a->ctx_group != NULL)
        buf_printf(&b, "%s%s", g->crumb, a->ctx_group);
    if (a->vault != NULL) {
        buf_printf(&b, "%s%s", g->crumb, a->vault->vault->name);
        if (a->last_list == PANE_SECRETS || a->last_list == PANE_ENDPOINTS) {
            struct view *v = &a->views[a->last_list];
            const char *n = v->ops->selected_name(a, v);
            if (n != NULL)
                buf_printf(&b, "%s%s", g->crumb, n);
        }
    }
    char right[64] = "";
    if (a->opt.read_only) /* a blank keeps it apart from the breadcrumb */
        snprintf(right, sizeof right, " %s", _("read-only "));
    int rw = text_width(right);
    int w = a->lay.cols;
    /* Too long: keep the end (the most specific part). */
    const char *s = buf_str(&b);
    int sw = text_width(s);
    werase(a->header);
    if (sw > w - rw && w - rw > 4) {
        while (*s != '\0' && text_width(s) > w - rw - 1)
            s++;
        while ((*s & 0xc0) == 0x80)
            s++;
        char *cut = xasprintf("%s%s", g->ellipsis, s);
        draw_text(a, a->header, 0, 0, w - rw, cut, ST_HEADER, true);
        free(cut);
    } else {
        draw_text(a, a->header, 0, 0, w - rw, s, ST_HEADER, true);
    }
    if (rw > 0)
        draw_text(a, a->header, 0, w - rw, rw, right, ST_WARNING, true);
    buf_free(&b);
    wnoutrefresh(a->header);
}

/* Key hints for the status bar: what the main keys do where the focus
 * is, so a newcomer needs no manual. The keys come from the key table,
 * so a rebound key shows as bound. */
struct frame_hint {
    enum key_action act;
    const char *label; /* N_() */
};

#define FRAME_HINTS_MAX 6
/* Most useful first: the bar shows as many as fit, and on a small
 * terminal (one pane at a time) Tab is what shows the other panes. */
static const struct frame_hint frame_hints[PANE_COUNT][FRAME_HINTS_MAX] = {
    [PANE_CONTEXT] = {{ACT_ENTER, N_("choose")},
                      {ACT_NEXT_PANE, N_("next pane")},
                      {ACT_FILTER, N_("filter")}},
    [PANE_VAULTS] = {{ACT_ENTER, N_("open")},
                     {ACT_NEXT_PANE, N_("next pane")},
                     {ACT_ENDPOINTS, N_("endpoints")},
                     {ACT_FILTER, N_("filter")}},
    [PANE_SECRETS] = {{ACT_ENTER, N_("versions")},
                      {ACT_NEXT_PANE, N_("next pane")},
                      {ACT_REVEAL, N_("show value")},
                      {ACT_COPY, N_("copy")},
                      {ACT_ENDPOINTS, N_("endpoints")},
                      {ACT_FILTER, N_("filter")}},
    [PANE_ENDPOINTS] = {{ACT_SECRETS, N_("secrets")},
                        {ACT_NEXT_PANE, N_("next pane")},
                        {ACT_FILTER, N_("filter")}},
    [PANE_DETAIL] = {{ACT_DOWN, N_("scroll")},
                     {ACT_NEXT_PANE, N_("next pane")},
                     {ACT_BACK, N_("back")}},
};

static const struct frame_hint frame_hints_help[FRAME_HINTS_MAX] = {
    {ACT_BACK, N_("close the help")},
    {ACT_DOWN, N_("scroll")},
    {ACT_PAGE_DOWN, N_("page")},
};

/* The first key bound to act ("Enter" of "Enter, l, Right"), or "". */
static void
frame_first_key(struct app *a, enum key_action act, char *out, size_t n)
{
    keytab_keys_for(a->keys, act, out, n);
    char *comma = strchr(out, ',');
    if (comma != NULL)
        *comma = '\0';
}

/* Draws "KEY label" pairs from x while they fit before limit; whole
 * hints only, none cut. Returns the column after the last one. */
static int
frame_hints_draw(struct app *a, WINDOW *s, int x, int limit,
                 const struct frame_hint *hints)
{
    attr_t key_attr = term_attr(&a->term, ST_STATUS) | A_BOLD;
    /* One pane at a time: Tab first, it is how the others are found. */
    struct frame_hint h[FRAME_HINTS_MAX];
    int n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < FRAME_HINTS_MAX && hints[i].act != ACT_NONE; i++) {
            bool first = a->lay.single && hints[i].act == ACT_NEXT_PANE;
            if (first == (pass == 0))
                h[n++] = hints[i];
        }
    for (int i = 0; i < n; i++) {
        char key[96];
        frame_first_key(a, h[i].act, key, sizeof key);
        if (key[0] == '\0')
            continue;
        const char *label = _(h[i].label);
        int kw = text_width(key), lw = text_width(label);
        if (x + 1 + kw + 1 + lw > limit)
            break;
        draw_text_attr(a, s, 0, x + 1, kw, key, key_attr, false);
        draw_text(a, s, 0, x + 1 + kw + 1, lw, label, ST_STATUS, false);
        x += 1 + kw + 1 + lw + 1;
    }
    return x;
}

/* Status bar: activity and throttling, then a message or the last error
 * (with its request id) or, when there is nothing to say, what the main
 * keys do; the help key on the right. */
static void
frame_status(struct app *a)
{
    int w = a->lay.cols;
    WINDOW *s = a->status;
    werase(s);
    wbkgdset(s, ' ' | term_attr(&a->term, ST_STATUS));
    if (a->mode == MODE_COMMAND || a->mode == MODE_FILTER) {
        char text[CMDLINE_MAX * 4 + 2];
        text[0] = a->cmd.prompt;
        cmdline_text(&a->cmd, text + 1, sizeof text - 1);
        draw_text(a, s, 0, 0, w, text, ST_NORMAL, true);
        /* What can be typed here, at the right while there is room. */
        const char *hint =
            a->mode == MODE_FILTER
                ? _("words to match; Enter keeps, Esc clears")
                : _("vault NAME|URI, sub NAME, group NAME, refresh, q");
        int hw = text_width(hint);
        if (text_width(text) + 3 + hw <= w)
            draw_text(a, s, 0, w - hw - 1, hw, hint, ST_DIM, false);
        int cx = 1 + cmdline_cursor_col(&a->cmd);
        if (cx >= w)
            cx = w - 1;
        wmove(s, 0, cx);
        leaveok(s, FALSE);
        wnoutrefresh(s);
        return;
    }
    leaveok(s, TRUE);
    struct engine_stats st;
    engine_stats(a->eng, &st);
    int64_t now = time_mono_ms();
    char act[128] = "";
    if (st.throttled && st.backoff_until_ms > now) {
        long secs = (long)((st.backoff_until_ms - now + 999) / 1000);
        snprintf(act, sizeof act, " %s ", a->term.g.warn);
        size_t l = strlen(act);
        snprintf(act + l, sizeof act - l,
                 P_("throttled: retry in %ld second",
                    "throttled: retry in %ld seconds", secs),
                 secs);
    } else if (st.waiting > 0) {
        snprintf(act, sizeof act, " %s ", a->term.g.warn);
        size_t l = strlen(act);
        snprintf(
            act + l, sizeof act - l,
            P_("%u request backing off", "%u requests backing off", st.waiting),
            st.waiting);
    } else if (st.in_flight > 0 || st.jobs > 0) {
        unsigned n = st.in_flight > 0 ? st.in_flight : st.jobs;
        snprintf(act, sizeof act, " %s ",
                 a->term.g.spinner[a->spin % a->term.g.nspinner]);
        size_t l = strlen(act);
        snprintf(act + l, sizeof act - l, P_("%u request", "%u requests", n),
                 n);
    }
    char hkey[96], help[128];
    frame_first_key(a, ACT_HELP, hkey, sizeof hkey);
    /* TRANSLATORS: %s is the help key, "?" */
    snprintf(help, sizeof help, _("%s help"), hkey[0] ? hkey : ":help");
    int hw = text_width(help) + 1;
    if (a->mode == MODE_HELP) {
        frame_hints_draw(a, s, 0, w, frame_hints_help);
        wnoutrefresh(s);
        return;
    }
    int x = 0;
    if (act[0] != '\0')
        x = draw_text(a, s, 0, 0, w - hw, act,
                      st.throttled ? ST_WARNING : ST_STATUS, false) +
            1;
    const char *msg = NULL;
    bool err = false;
    char *owned = NULL;
    if (a->message != NULL && a->message_until_ms > now) {
        msg = a->message;
        err = a->message_error;
    } else if (a->store->last_error != NULL &&
               time_now() - a->store->last_error_at < 60) {
        /* The short id fits; the detail pane of the failed list has the
         * whole one. */
        const char *rid = a->store->last_request_id;
        const char *m = a->store->last_error_message;
        const char *what = a->store->last_error_what;
        owned = rid != NULL ? xasprintf("%s %s [%s %.8s] %s: %s", a->term.g.no,
                                        a->store->last_error, _("request"), rid,
                                        what ? what : "", m ? m : "")
                            : xasprintf("%s %s %s: %s", a->term.g.no,
                                        a->store->last_error, what ? what : "",
                                        m ? m : "");
        msg = owned;
        err = true;
    }
    if (msg != NULL && w - hw - x > 3)
        draw_text(a, s, 0, x + 1, w - hw - x - 1, msg,
                  err ? ST_ERROR : ST_STATUS, false);
    else if (msg == NULL)
        frame_hints_draw(a, s, x, w - hw - 1, frame_hints[a->focus]);
    free(owned);
    draw_text(a, s, 0, w - hw, hw, help, ST_STATUS, true);
    wnoutrefresh(s);
}

static void
frame_pane(struct app *a, struct view *v)
{
    WINDOW *w = v->win;
    werase(w);
    const struct load *ld = v->ops->load ? v->ops->load(a, v) : NULL;
    char foot[512];
    bool err = false;
    bool has_foot = draw_footer_text(a, ld, foot, sizeof foot, &err);
    int h = v->rect.h - v->body_y - (has_foot ? 1 : 0);
    listview_set_height(&v->lv, h > 0 ? h : 1);
    draw_title(a, v);
    v->ops->draw(a, v);
    if (has_foot)
        draw_text(a, w, v->rect.h - 1, 0, v->rect.w, foot,
                  err ? ST_ERROR : ST_WARNING, true);
    wnoutrefresh(w);
}

/* Redraws just the rows in v->rows_dirty (a cursor move in the page). */
static void
frame_rows(struct app *a, struct view *v)
{
    for (int k = 0; k < 2; k++) {
        size_t row = v->rows_dirty[k];
        if (row == (size_t)-1 || row < v->lv.top ||
            row >= v->lv.top + (size_t)v->lv.height || row >= v->lv.n)
            continue;
        v->ops->draw_row(a, v, row, v->body_y + (int)(row - v->lv.top));
    }
    wnoutrefresh(v->win);
}

/* One help entry: left (keys or a command) in a column of keycol, text
 * wrapped beside it; when left does not fit the column it gets a line
 * of its own and the text starts below it. Lines go to all. */
static void
frame_help_entry(struct vec *all, const char *left, const char *text,
                 int keycol, int width)
{
    struct vec wrapped = VEC_INIT;
    int tw = width - keycol - 2;
    text_wrap(text, tw > 8 ? tw : 8, &wrapped);
    size_t i = 0;
    if (text_width(left) > keycol)
        vec_push(all, xstrdup(left));
    else
        vec_push(all, xasprintf("%s%*s  %s", left, keycol - text_width(left),
                                "", (char *)wrapped.items[i++]));
    for (; i < wrapped.len; i++)
        vec_push(all,
                 xasprintf("%*s  %s", keycol, "", (char *)wrapped.items[i]));
    vec_free_all(&wrapped, free);
}

/* A heading of the help (drawn in the title style): marked with a
 * leading \001, which is not drawn. */
static void
frame_help_heading(struct vec *all, const char *text)
{
    vec_push(all, xasprintf("\001%s", text));
}

static void
frame_help(struct app *a)
{
    WINDOW *w = a->help;
    werase(w);
    int rows = a->lay.rows - 1, cols = a->lay.cols;
    int width = cols - 2;
    int keycol = width >= 60 ? 20 : width >= 48 ? 16 : 12;
    struct vec all = VEC_INIT;
    frame_help_heading(&all, _("Keys (Esc or q closes this help)"));
    char **lines = keytab_help(a->keys);
    for (char **l = lines; *l; l++) {
        char *tab = strchr(*l, '\t');
        *tab = '\0';
        frame_help_entry(&all, *l, tab + 1, keycol, width);
        free(*l);
    }
    free(lines);
    vec_push(&all, xstrdup(""));
    frame_help_heading(&all, _("Commands"));
    for (int k = 0; k < CMD_COUNT; k++) {
        /* ":vault NAME|URI   open a vault": the command, then its text */
        const char *h = command_help((enum command_kind)k);
        const char *gap = strstr(h, "   ");
        char *cmd = gap ? xstrndup(h, (size_t)(gap - h)) : xstrdup(h);
        frame_help_entry(&all, cmd, gap ? gap + 3 : "", keycol, width);
        free(cmd);
    }
    if (a->opt.read_only) {
        vec_push(&all, xstrdup(""));
        /* Nothing of this version writes; say so rather than pretend. */
        text_wrap(_("Read-only mode (--read-only): kvdeck will change "
                    "nothing. This version only reads anyway; the "
                    "write actions of later versions stay switched "
                    "off."),
                  width, &all);
    }
    int max_top = (int)all.len - rows > 0 ? (int)all.len - rows : 0;
    if (a->help_top > max_top)
        a->help_top = max_top;
    for (int y = 0; y < rows && (size_t)(a->help_top + y) < all.len; y++) {
        const char *l = all.items[a->help_top + y];
        bool heading = l[0] == '\001';
        draw_text(a, w, y, 1, width, l + heading,
                  heading ? ST_TITLE : ST_NORMAL, true);
    }
    vec_free_all(&all, free);
    wnoutrefresh(w);
}

bool
frame_help_key(struct app *a, int key, bool is_key)
{
    enum key_action act = keytab_lookup(a->keys, key);
    if (!is_key && (key == 'q' || key == 27))
        return false;
    switch (act) {
    case ACT_DOWN:
        a->help_top++;
        break;
    case ACT_UP:
        a->help_top = a->help_top > 0 ? a->help_top - 1 : 0;
        break;
    case ACT_PAGE_DOWN:
        a->help_top += a->lay.rows - 2;
        break;
    case ACT_PAGE_UP:
        a->help_top =
            a->help_top > a->lay.rows - 2 ? a->help_top - (a->lay.rows - 2) : 0;
        break;
    case ACT_HOME:
        a->help_top = 0;
        break;
    case ACT_END:
        a->help_top = 1000;
        break;
    case ACT_HELP:
    case ACT_BACK:
    case ACT_QUIT:
        return false;
    default:
        break;
    }
    return true;
}

static void
frame_too_small(struct app *a)
{
    erase();
    const char *msg = _("terminal too small");
    char size[64];
    snprintf(size, sizeof size, "%dx%d < %dx%d", COLS, LINES, LAYOUT_MIN_COLS,
             LAYOUT_MIN_ROWS);
    int y = LINES / 2 - 1;
    if (y < 0)
        y = 0;
    draw_text(a, stdscr, y, 0, COLS, msg, ST_WARNING, false);
    if (y + 1 < LINES)
        draw_text(a, stdscr, y + 1, 0, COLS, size, ST_DIM, false);
    if (y + 2 < LINES)
        draw_text(a, stdscr, y + 2, 0, COLS, _("q quits"), ST_DIM, false);
    wnoutrefresh(stdscr);
}

void
frame_render(struct app *a)
{
    if (a->lay.too_small) {
        if (a->all_dirty)
            frame_too_small(a);
        a->all_dirty = false;
        doupdate();
        return;
    }
    if (a->all_dirty) {
        a->header_dirty = a->status_dirty = true;
        for (int i = 0; i < PANE_COUNT; i++)
            a->views[i].dirty = true;
        if (a->sep != NULL) {
            for (int y = 0; y < a->lay.separator.h; y++)
                draw_text(a, a->sep, y, 0, 1, a->term.g.vline, ST_DIM, false);
            wnoutrefresh(a->sep);
        }
    }
    if (a->mode == MODE_HELP) {
        if (a->all_dirty || a->views[PANE_DETAIL].dirty || a->header_dirty)
            frame_help(a);
        a->header_dirty = false;
        for (int i = 0; i < PANE_COUNT; i++)
            a->views[i].dirty = false;
    } else {
        if (a->header_dirty)
            frame_header(a);
        for (int i = 0; i < PANE_COUNT; i++) {
            struct view *v = &a->views[i];
            if (v->dirty && v->win != NULL)
                frame_pane(a, v);
            else if (v->rows_dirty[0] != (size_t)-1 && v->win != NULL)
                frame_rows(a, v);
            v->dirty = false;
            v->rows_dirty[0] = v->rows_dirty[1] = (size_t)-1;
        }
    }
    if (a->status_dirty || a->mode == MODE_COMMAND || a->mode == MODE_FILTER)
        frame_status(a);
    curs_set(a->mode == MODE_COMMAND || a->mode == MODE_FILTER ? 1 : 0);
    a->header_dirty = a->status_dirty = a->all_dirty = false;
    doupdate();
}
