/*
 * frame.c — layout, header, status bar and rendering: the panes, then
 * the modal screens above them (screen.c), one paint_update() per turn.
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
#include "tui/view-secrets.h"
#include "tui/screen.h"
#include "tui/text.h"

static void
frame_delwin(WINDOW **w)
{
    if (*w != NULL) {
        delwin(*w);
        *w = NULL;
    }
}

static void frame_memo_free(struct frame_memo *m);

void
frame_free(struct app *a)
{
    frame_delwin(&a->header);
    frame_delwin(&a->status);
    frame_delwin(&a->sep);
    for (int i = 0; i < PANE_COUNT; i++)
        frame_delwin(&a->views[i].win);
    screen_delwins(a);
    frame_memo_free(a->frame_memo);
    a->frame_memo = NULL;
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
    screen_relayout(a);
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
}

/* What the header shows and the words it needs, kept between frames:
 * a cursor move changes the breadcrumb's last part, and only the cells
 * that differ are drawn (no werase() of the whole line). */
struct frame_memo {
    const char *all_subs, *read_only, *tokens; /* translated once */
    /* who is signed in, as last worked out */
    char id_display[256], id_tenant[64];
    int id_cols;
    char who[320];
    int who_w; /* its columns */
    bool guid; /* the display is an application id: then cut_who, its
                  first block, where the breadcrumb needs the room */
    char cut_who[64];
    int cut_who_w;
    /* the header's parts (breadcrumb, who, the warnings at the right):
     * where they are and what they show */
    int x[3], w[3];
    struct draw_shown part[3];
    char in[2][320]; /* what who and the warnings drew, when known */
    /* The breadcrumb before the selected name (with its separator) and
     * its columns; and the head, the fitted text the line starts with:
     * that part whole (head_r -1) or the ellipsis and its last head_r
     * columns. A cursor move changes only the name after it. */
    char pre[DRAW_LINE_MAX];
    int pre_w, head_r, head_w, head_cols;
    const char *head_ell;
    char head[DRAW_LINE_MAX];
    struct buf crumbs; /* the breadcrumb's text, kept for its memory */
};

static void
frame_memo_free(struct frame_memo *m)
{
    if (m == NULL)
        return;
    buf_free(&m->crumbs);
    free(m);
}

static struct frame_memo *
frame_memo(struct app *a)
{
    struct frame_memo *m = a->frame_memo;
    if (m != NULL)
        return m;
    m = a->frame_memo = xcalloc(1, sizeof *m);
    m->all_subs = _("All subscriptions");
    m->read_only = _("read-only ");
    m->tokens = _("tokens in memory only ");
    m->id_cols = -1;
    m->pre_w = -1;
    return m;
}

/* Appends the next part of the breadcrumb, after the separator. */
static void
frame_crumb(struct app *a, struct buf *b, const char *part)
{
    buf_puts_inline(b, a->term.g.crumb);
    buf_puts_inline(b, part);
}

/* The breadcrumb's text: kvdeck › cloud › subscription › group › vault
 * ›, and the item after it (returned; NULL: none, nor its separator). */
static const char *
frame_crumbs(struct app *a, struct frame_memo *m, struct buf *b)
{
    buf_puts_inline(b, " kvdeck");
    if (a->opt.mode_label != NULL) {
        buf_puts_inline(b, " [");
        buf_puts_inline(b, a->opt.mode_label);
        buf_puts_inline(b, "]");
    }
    frame_crumb(a, b, engine_cloud_name(a->eng));
    if (a->ctx_sub != NULL)
        frame_crumb(a, b,
                    a->ctx_sub->sub->display_name
                        ? a->ctx_sub->sub->display_name
                        : a->ctx_sub->sub->subscription_id);
    else
        frame_crumb(a, b, m->all_subs);
    if (a->ctx_group != NULL)
        frame_crumb(a, b, a->ctx_group);
    if (a->vault != NULL) {
        frame_crumb(a, b, a->vault->vault->name);
        if (a->last_list == PANE_SECRETS || a->last_list == PANE_ENDPOINTS) {
            struct view *v = &a->views[a->last_list];
            const char *n = v->ops->selected_name(a, v);
            if (n != NULL)
                buf_puts_inline(b, a->term.g.crumb);
            return n;
        }
    }
    return NULL;
}

/* Who is signed in, and where: the account (or app id) and the tenant's
 * first block, once a Resource Manager token named them; "" when not
 * known or the terminal is narrow. Worked out again only when they
 * change; the cut for a long breadcrumb (sw columns) is the caller's. */
static const char *
frame_who(struct app *a, struct frame_memo *m)
{
    struct engine_identity id;
    if (!engine_identity(a->eng, &id) || id.display[0] == '\0' ||
        a->lay.cols < 60)
        return "";
    if (m->id_cols == a->lay.cols && strcmp(m->id_display, id.display) == 0 &&
        strcmp(m->id_tenant, id.tenant_id) == 0)
        return m->who;
    snprintf(m->id_display, sizeof m->id_display, "%s", id.display);
    snprintf(m->id_tenant, sizeof m->id_tenant, "%s", id.tenant_id);
    m->id_cols = a->lay.cols;
    char *who = m->who;
    size_t n = sizeof m->who;
    who[0] = '\0';
    if (a->lay.cols >= 90 && id.tenant_id[0] != '\0')
        snprintf(who, n, " %s %s %.8s ", id.display, a->term.g.dot,
                 id.tenant_id);
    /* the breadcrumb keeps at least half the line */
    if (who[0] == '\0' || text_width(who) > a->lay.cols / 2)
        snprintf(who, n, " %s ", id.display);
    m->who_w = text_width(who);
    m->guid = strlen(id.display) == 36 && id.display[8] == '-';
    if (m->guid) {
        snprintf(m->cut_who, sizeof m->cut_who, " %.8s%s ", id.display,
                 a->term.g.ellipsis);
        m->cut_who_w = text_width(m->cut_who);
    }
    return who;
}

/* The breadcrumb's columns: the part before the name (b) measured when
 * it changes, the name each time. */
static int
frame_crumbs_width(struct frame_memo *m, const struct buf *b, int nw)
{
    if (b->len >= sizeof m->pre) {
        m->pre_w = -1;
        return text_width(buf_str(b)) + nw;
    }
    if (m->pre_w < 0 || strcmp(m->pre, buf_str(b)) != 0) {
        memcpy(m->pre, buf_str(b), b->len + 1);
        m->pre_w = text_width(m->pre);
        m->head_r = -2; /* the head is of another breadcrumb */
    }
    return m->pre_w + nw;
}

/* The breadcrumb bw columns wide from the head kept in m and the name
 * (nw columns): the text the cut and text_fit() of the whole would
 * make, as the name ends it (the part before ends with a whole
 * character, the separator). False when the name does not fit after
 * the head: the caller fits the whole. */
static bool
frame_crumbs_draw(struct app *a, struct frame_memo *m, int bw, const char *name,
                  int nw, attr_t hat)
{
    const char *ell = a->term.g.ellipsis;
    int r = -1;
    if (m->pre_w < 0 || bw > 250 || (nw == 0 && name[0] != '\0'))
        return false; /* not kept, too wide, or a name of no width */
    if (m->pre_w + nw > bw) {
        if (bw <= 4 || nw > bw - 1)
            return false;
        r = bw - 1 - nw; /* text_tail(pre + name, bw - 1): name whole */
    }
    if (m->head_r != r || m->head_ell != ell) {
        char t[DRAW_LINE_MAX + 16];
        if (r >= 0)
            snprintf(t, sizeof t, "%s%s", ell, text_tail(m->pre, r));
        else
            snprintf(t, sizeof t, "%s", m->pre);
        m->head_r = -2;
        m->head_w = text_width(t);
        if (strlen(t) + 1 >= sizeof m->head)
            return false;
        m->head_cols =
            text_fit(t, m->head_w, ell, false, m->head, sizeof m->head);
        m->head_r = r;
        m->head_ell = ell;
    }
    char buf[DRAW_LINE_MAX];
    size_t hl = strlen(m->head);
    if (m->head_w + nw > bw || hl + strlen(name) + (size_t)bw + 1 > sizeof buf)
        return false;
    memcpy(buf, m->head, hl);
    int cols = m->head_cols +
               text_fit(name, nw, ell, false, buf + hl, sizeof buf - hl);
    size_t o = hl + strlen(buf + hl);
    while (cols < bw && o + 2 <= sizeof buf) {
        buf[o++] = ' ';
        cols++;
    }
    buf[o] = '\0';
    draw_fitted_diff(a->header, 0, 0, buf, cols, hat, &m->part[0]);
    return true;
}

/* draw_text_diff() of the header's part i (1: who, 2: the warnings),
 * unless it shows s already (these change seldom). */
static void
frame_header_part(struct app *a, struct frame_memo *m, int i, const char *s,
                  attr_t at)
{
    struct draw_shown *sh = &m->part[i];
    char *in = m->in[i - 1];
    if (sh->known && sh->attr == at && strcmp(in, s) == 0)
        return;
    draw_text_diff(a, a->header, 0, m->x[i], m->w[i], s, at, sh);
    snprintf(in, sizeof m->in[0], "%s", s);
    if (strlen(s) >= sizeof m->in[0])
        sh->known = false; /* not kept whole: drawn again next time */
}

/* The breadcrumb, who is signed in and any warnings at the right. */
static void
frame_header(struct app *a)
{
    const struct glyphs *g = &a->term.g;
    struct frame_memo *m = frame_memo(a);
    struct buf b = m->crumbs; /* given back at the end: no malloc */
    buf_reset(&b);
    const char *name = frame_crumbs(a, m, &b);
    int nw = name != NULL ? text_width(name) : 0;
    int sw = frame_crumbs_width(m, &b, nw), ww = 0;
    if (name != NULL)
        buf_puts_inline(&b, name);
    char right[160] = "";
    const char *who = frame_who(a, m);
    const char *s = buf_str(&b);
    if (who[0] != '\0') {
        /* an application id (a GUID) that would cut the breadcrumb is
         * shown by its first block, as the tenant is */
        ww = m->who_w;
        if (m->guid && sw + ww > a->lay.cols) {
            who = m->cut_who;
            ww = m->cut_who_w;
        }
        if (ww > a->lay.cols / 2) {
            who = "";
            ww = 0;
        }
    }
    if (a->opt.read_only) /* a blank keeps it apart from the breadcrumb */
        snprintf(right, sizeof right, " %s", m->read_only);
    /* No keyring answered: the sign-in ends with this process. */
    if (engine_tokens_memory_only(a->eng) && a->lay.cols >= 60) {
        size_t l = strlen(right);
        snprintf(right + l, sizeof right - l, " %s", m->tokens);
    }
    int rw = (right[0] != '\0' ? text_width(right) : 0) + ww; /* at the right */
    int w = a->lay.cols;
    int x[3] = {0, w - rw, w - rw + ww}, pw[3] = {w - rw, ww, rw - ww};
    bool same = !a->all_dirty;
    for (int i = 0; i < 3; i++)
        same = same && m->x[i] == x[i] && m->w[i] == pw[i];
    if (!same) {
        /* another layout: from an erased line, as before */
        werase(a->header);
        for (int i = 0; i < 3; i++) {
            m->x[i] = x[i];
            m->w[i] = pw[i];
            m->part[i].known = false;
        }
    }
    attr_t hat = term_attr(&a->term, ST_HEADER);
    if (frame_crumbs_draw(a, m, w - rw, name != NULL ? name : "", nw, hat)) {
        /* drawn from the head kept */
    } else if (sw > w - rw && w - rw > 4) {
        /* Too long: keep the end (the most specific part). */
        s = text_tail(s, w - rw - 1); /* linear: a name may be long */
        char cut[DRAW_LINE_MAX];
        size_t el = strlen(g->ellipsis), sl = strlen(s);
        struct buf big = BUF_INIT;
        const char *text = cut;
        if (el + sl < sizeof cut) {
            memcpy(cut, g->ellipsis, el);
            memcpy(cut + el, s, sl + 1);
        } else {
            buf_puts(&big, g->ellipsis);
            buf_puts(&big, s);
            text = buf_str(&big);
        }
        draw_text_diff(a, a->header, 0, 0, w - rw, text, hat, &m->part[0]);
        buf_free(&big);
    } else {
        draw_text_diff(a, a->header, 0, 0, w - rw, s, hat, &m->part[0]);
    }
    if (ww > 0)
        frame_header_part(a, m, 1, who, hat);
    if (rw > ww)
        frame_header_part(a, m, 2, right, term_attr(&a->term, ST_WARNING));
    m->crumbs = b;
    wnoutrefresh(a->header);
}

/* Key hints for the status bar: what the main keys do where the focus
 * is, so a newcomer needs no manual. The keys come from the key table,
 * so a rebound key shows as bound. */
#define FRAME_HINTS_MAX 8 /* a NULL label included */
/* Most useful first: the bar shows as many as fit, and on a small
 * terminal (one pane at a time) Tab is what shows the other panes. */
static const struct frame_hint frame_hints[PANE_COUNT][FRAME_HINTS_MAX] = {
    [PANE_CONTEXT] = {{ACT_ENTER, NULL, N_("choose")},
                      {ACT_NEXT_PANE, NULL, N_("next pane")},
                      {ACT_FILTER, NULL, N_("filter")}},
    [PANE_VAULTS] = {{ACT_ENTER, NULL, N_("open")},
                     {ACT_NEXT_PANE, NULL, N_("next pane")},
                     {ACT_NEW_SECRET, NULL, N_("new vault")},
                     {ACT_ENDPOINTS, NULL, N_("endpoints")},
                     {ACT_FILTER, NULL, N_("filter")}},
    [PANE_SECRETS] = {{ACT_ENTER, NULL, N_("versions")},
                      {ACT_NEXT_PANE, NULL, N_("next pane")},
                      {ACT_REVEAL, NULL, N_("show value")},
                      {ACT_COPY, NULL, N_("copy")},
                      {ACT_ENDPOINTS, NULL, N_("endpoints")},
                      {ACT_FILTER, NULL, N_("filter")},
                      {ACT_DELETED, NULL, N_("deleted")}},
    [PANE_ENDPOINTS] = {{ACT_PUBLIC_ACCESS, NULL, N_("public")},
                        {ACT_ADD_IP_RULE, NULL, N_("IP rule")},
                        {ACT_APPROVE, NULL, N_("approve")},
                        {ACT_ATTACH, NULL, N_("attach")},
                        {ACT_SECRETS, NULL, N_("secrets")},
                        {ACT_NEXT_PANE, NULL, N_("next pane")}},
    [PANE_DETAIL] = {{ACT_DOWN, NULL, N_("scroll")},
                     {ACT_NEXT_PANE, NULL, N_("next pane")},
                     {ACT_BACK, NULL, N_("back")}},
};

/* The secrets pane showing the deleted secrets (x). */
static const struct frame_hint frame_hints_deleted[] = {
    {ACT_RECOVER, NULL, N_("recover")},
    {ACT_PURGE, NULL, N_("purge")},
    {ACT_DELETED, NULL, N_("secrets")},
    {ACT_NEXT_PANE, NULL, N_("next pane")},
    {ACT_NONE, NULL, NULL},
};

void
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
        for (int i = 0; hints[i].label != NULL && n < FRAME_HINTS_MAX; i++) {
            bool first = a->lay.single && hints[i].key == NULL &&
                         hints[i].act == ACT_NEXT_PANE;
            if (first == (pass == 0))
                h[n++] = hints[i];
        }
    for (int i = 0; i < n; i++) {
        char key[96];
        if (h[i].key != NULL)
            snprintf(key, sizeof key, "%s", h[i].key);
        else
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
    /* the background first: werase fills with it (the bar's gaps) */
    wbkgdset(s, ' ' | term_attr(&a->term, ST_STATUS));
    werase(s);
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
    struct screen *top = screen_top(a);
    if (top != NULL) {
        /* A modal screen has the keys: its hints, and nothing that
         * would send a newcomer to keys that do not work here; a message
         * this screen gave ("copied to the clipboard") for its few
         * seconds, not one left from below. */
        if (a->message != NULL && a->message_until_ms > now &&
            a->message_screen == top->id)
            draw_text(a, s, 0, 1, w - 1, a->message,
                      a->message_error ? ST_ERROR : ST_STATUS, false);
        else if (top->ops->hints != NULL)
            frame_hints_draw(a, s, 0, w, top->ops->hints(a, top));
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
        frame_hints_draw(a, s, x, w - hw - 1,
                         a->focus == PANE_SECRETS && view_secrets_deleted(a)
                             ? frame_hints_deleted
                             : frame_hints[a->focus]);
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

/* Moves the list's lines by v->scroll_by rows inside the window (its
 * body only: the title, headings and footer stay) and draws the rows
 * that came into view. False when the window cannot scroll that region
 * (the caller redraws the pane). */
static bool
frame_scroll(struct app *a, struct view *v)
{
    WINDOW *w = v->win;
    long d = v->scroll_by;
    int h = v->lv.height, top = v->body_y;

    if (top + h > getmaxy(w) || wsetscrreg(w, top, top + h - 1) == ERR)
        return false;
    scrollok(w, TRUE);
    int rc = wscrl(w, (int)d);
    scrollok(w, FALSE);
    wsetscrreg(w, 0, getmaxy(w) - 1);
    if (rc == ERR)
        return false;
    /* nothing over the panes: their lines in newscr move with them */
    paint_scrolled(&a->term.paint, w, top, top + h - 1, (int)d,
                   a->screens.len == 0);
    int first = d > 0 ? h - (int)d : 0;
    for (int k = 0; k < labs(d); k++) {
        size_t row = v->lv.top + (size_t)(first + k);
        if (row < v->lv.n)
            v->ops->draw_row(a, v, row, top + first + k);
    }
    return true;
}

/* Redraws just the rows in v->rows_dirty (a cursor move in the page),
 * after moving the lines when the list scrolled; or, for a pane with
 * draw_changes, the lines that changed. */
static void
frame_rows(struct app *a, struct view *v)
{
    if (v->ops->draw_changes != NULL) {
        /* a pane that knows what it shows draws what changed */
        if (!v->ops->draw_changes(a, v)) {
            frame_pane(a, v);
            return;
        }
        wnoutrefresh(v->win);
        return;
    }
    if (v->scroll_by != 0 && !frame_scroll(a, v)) {
        frame_pane(a, v);
        return;
    }
    /* the rows that came into view are drawn already, as they are now
     * (the new cursor's among them when the list scrolled to it) */
    long d = v->scroll_by;
    size_t fresh = v->lv.top + (size_t)(d > 0 ? v->lv.height - d : 0);
    for (int k = 0; k < 2; k++) {
        size_t row = v->rows_dirty[k];
        if (row == (size_t)-1 || row < v->lv.top ||
            row >= v->lv.top + (size_t)v->lv.height || row >= v->lv.n ||
            (d != 0 && row >= fresh && row < fresh + (size_t)labs(d)))
            continue;
        v->ops->draw_row(a, v, row, v->body_y + (int)(row - v->lv.top));
    }
    wnoutrefresh(v->win);
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
        paint_update(&a->term.paint);
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
    /* A screen over the whole terminal hides the panes: they stay dirty
     * and are drawn when it goes. */
    bool covered = false;
    for (size_t i = 0; i < a->screens.len && !covered; i++) {
        struct screen *sc = a->screens.items[i];
        covered = sc->full && sc->win != NULL;
    }
    bool drawn = false;
    if (!covered) {
        if (a->header_dirty) {
            frame_header(a);
            drawn = true;
        }
        for (int i = 0; i < PANE_COUNT; i++) {
            struct view *v = &a->views[i];
            if (v->dirty && v->win != NULL) {
                frame_pane(a, v);
                drawn = true;
            } else if (v->rows_dirty[0] != (size_t)-1 && v->win != NULL) {
                frame_rows(a, v);
                drawn = true;
            }
            v->dirty = false;
            v->rows_dirty[0] = v->rows_dirty[1] = (size_t)-1;
            v->scroll_by = 0;
        }
        a->header_dirty = false;
    }
    screen_render(a, drawn || a->all_dirty);
    if (a->status_dirty || a->mode == MODE_COMMAND || a->mode == MODE_FILTER)
        frame_status(a);
    /* The cursor: in the top screen's text field, or on the `:` or `/`
     * line. The window that places it is put out last. */
    struct screen *top = screen_top(a);
    bool cursor = false;
    if (top != NULL && top->body != NULL && top->cur_y >= 0) {
        leaveok(top->body, FALSE);
        wmove(top->body, top->cur_y, top->cur_x);
        wnoutrefresh(top->body);
        cursor = true;
    } else if (top == NULL &&
               (a->mode == MODE_COMMAND || a->mode == MODE_FILTER)) {
        cursor = true;
    }
    curs_set(cursor ? 1 : 0);
    a->status_dirty = a->all_dirty = false;
    paint_update(&a->term.paint);
}
