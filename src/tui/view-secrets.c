/*
 * view-secrets.c — the secrets pane: the opened vault's secrets as their
 * pages stream in; Enter expands a secret's versions (loaded on demand);
 * `v` shows a value for a few seconds, `y` copies it without showing it.
 * Values are never fetched until asked for. `x` switches to the vault's
 * deleted secrets (view-deleted.c) and back. `o` cycles the order: as
 * the service listed them (the default), by name, newest first, soonest
 * expiry first; the title says which, and a reload keeps it.
 *
 * When the data plane refuses this host by network (public access off,
 * or a firewall), the pane says so in plain words above the list, which
 * the store then fills through Resource Manager: names and attributes,
 * no values ("through Resource Manager" in the title).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "tui/action.h"
#include "tui/draw.h"
#include "tui/text.h"
#include "tui/view-secrets.h"

/* The order `o` cycles through. */
enum secrets_order {
    ORDER_SERVICE, /* as listed (arrival order) */
    ORDER_NAME,
    ORDER_UPDATED, /* newest first */
    ORDER_EXPIRES, /* soonest first, no expiry last */
    ORDER_COUNT,
};

/* The words a row and the detail summary use, translated once: a
 * gettext() call costs as much as drawing a few cells, and a key press
 * that scrolls the list draws rows and the summary. */
struct secrets_words {
    bool ready;
    const char *enabled, *yes, *no, *created, *updated, *not_before, *expires,
        *never, *ctype, *tags, *value, *secret, *version, *exp;
    struct time_left_words left;
};

/* The columns of the row's glyphs (▸ ▾ ✓ ✗ or their ASCII), measured
 * once. */
struct secrets_glyphs {
    bool ready;
    int expanded, collapsed, yes, no;
};

struct secrets_priv {
    struct secrets_words words;
    struct secrets_glyphs glyph_w;
    struct store_vault *vault; /* the vault the index is for */
    struct vec expanded;       /* struct store_secret * */
    bool deleted;              /* showing the deleted secrets */
    /* Another order than the service's: perm holds the filtered rows'
     * source indexes in display order (the first sorted of them sorted,
     * rows that arrived since at the end until the next sort), inv the
     * display position of each source index (UINT32_MAX: filtered out). */
    enum secrets_order order;
    uint32_t *perm, *inv;
    size_t perm_n, perm_cap, inv_n, sorted;
    bool resort; /* items changed in place: sort once the load is done */
    char *want;  /* a secret to select once listed (:expiring's Enter) */
};

/* One display row: a secret (ver < 0) or one of its version lines. */
struct secrets_row {
    struct store_secret *sec;
    long ver; /* -1: the secret; >= 0: versions[ver]; -2: status line */
};

static struct secrets_priv *
secrets_priv(struct view *v)
{
    if (v->priv == NULL)
        v->priv = xcalloc(1, sizeof(struct secrets_priv));
    return v->priv;
}

static const struct secrets_words *
secrets_words(struct view *v)
{
    struct secrets_words *t = &secrets_priv(v)->words;
    if (t->ready)
        return t;
    /* "Enabled:" (a label), not "Enabled" (a value elsewhere): German
     * writes the two differently */
    t->enabled = _("Enabled:");
    t->yes = _("yes");
    t->no = _("no");
    t->created = _("Created");
    t->updated = _("Updated");
    t->not_before = _("Not before");
    t->expires = _("Expires");
    t->never = _("never");
    t->ctype = _("Content type");
    t->tags = _("Tags");
    t->value = _("Value");
    t->secret = _("Secret");
    t->version = _("Version");
    /* TRANSLATORS: time left until a secret expires, in a narrow
     * column: "exp 19d 4h"; keep it short */
    t->exp = _("exp %s");
    time_left_words_init(&t->left);
    t->ready = true;
    return t;
}

static const struct secrets_glyphs *
secrets_glyph_widths(struct view *v, const struct glyphs *g)
{
    struct secrets_glyphs *gw = &secrets_priv(v)->glyph_w;
    if (!gw->ready) {
        gw->expanded = text_width(g->expanded);
        gw->collapsed = text_width(g->collapsed);
        gw->yes = text_width(g->yes);
        gw->no = text_width(g->no);
        gw->ready = true;
    }
    return gw;
}

static const char *
secrets_text(void *ctx, size_t i)
{
    struct store_vault *sv = ctx;
    return ((struct store_secret *)sv->secrets.items[i])->item->name;
}

/* The source index of the fpos-th row of the filtered list. */
static size_t
secrets_src(struct view *v, size_t fpos)
{
    struct secrets_priv *p = v->priv;
    if (p != NULL && p->order != ORDER_SERVICE && fpos < p->perm_n)
        return p->perm[fpos];
    return v->fi.rows[fpos];
}

/* ---- sorting (o) ---------------------------------------------------- */

static const struct vec *secrets_sort_list; /* for the qsort comparator */
static enum secrets_order secrets_sort_order;

static int
secrets_cmp(const void *x, const void *y)
{
    const struct kv_secret_item *a =
        ((const struct store_secret *)
             secrets_sort_list->items[*(const uint32_t *)x])
            ->item;
    const struct kv_secret_item *b =
        ((const struct store_secret *)
             secrets_sort_list->items[*(const uint32_t *)y])
            ->item;
    if (secrets_sort_order == ORDER_UPDATED &&
        a->attrs.updated != b->attrs.updated)
        return a->attrs.updated > b->attrs.updated ? -1 : 1;
    if (secrets_sort_order == ORDER_EXPIRES &&
        a->attrs.expires != b->attrs.expires) {
        if (a->attrs.expires <= 0 || b->attrs.expires <= 0)
            return a->attrs.expires <= 0 ? 1 : -1; /* no expiry last */
        return a->attrs.expires < b->attrs.expires ? -1 : 1;
    }
    int c = strcasecmp(a->name, b->name);
    if (c != 0)
        return c;
    return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

static void
secrets_order_free(struct secrets_priv *p)
{
    free(p->perm);
    free(p->inv);
    p->perm = p->inv = NULL;
    p->perm_n = p->perm_cap = p->inv_n = p->sorted = 0;
}

/* Brings perm/inv up to the filter index: rows appended since go to the
 * end; a full sort when asked (full), when the unsorted tail has grown
 * to a quarter of the list (so a list that streams in is sorted
 * O(log n) times) or when its load is over. True when it sorted. */
static bool
secrets_order_update(struct view *v, bool full)
{
    struct secrets_priv *p = v->priv;
    if (p->order == ORDER_SERVICE || p->vault == NULL) {
        secrets_order_free(p);
        return false;
    }
    size_t n = v->fi.n, total = p->vault->secrets.len;
    if (n < p->perm_n || total < p->inv_n)
        full = true;
    bool loading = p->vault->secrets_load.state == LOAD_LOADING;
    if (!loading && (p->sorted != n || p->resort))
        full = true;
    if (n - p->sorted > p->sorted / 4 + 64)
        full = true;
    if (n > p->perm_cap) {
        p->perm_cap = n + n / 2 + 64;
        p->perm = xreallocarray(p->perm, p->perm_cap, sizeof *p->perm);
    }
    if (total != p->inv_n) {
        p->inv = xreallocarray(p->inv, total ? total : 1, sizeof *p->inv);
        for (size_t i = p->inv_n; i < total; i++)
            p->inv[i] = UINT32_MAX;
        p->inv_n = total;
    }
    if (full) {
        for (size_t i = 0; i < n; i++)
            p->perm[i] = (uint32_t)v->fi.rows[i];
        secrets_sort_list = &p->vault->secrets;
        secrets_sort_order = p->order;
        qsort(p->perm, n, sizeof *p->perm, secrets_cmp);
        for (size_t i = 0; i < total; i++)
            p->inv[i] = UINT32_MAX;
        for (size_t i = 0; i < n; i++)
            p->inv[p->perm[i]] = (uint32_t)i;
        p->sorted = n;
        p->resort = false;
    } else {
        for (size_t i = p->perm_n; i < n; i++) {
            p->perm[i] = (uint32_t)v->fi.rows[i];
            p->inv[p->perm[i]] = (uint32_t)i;
        }
    }
    p->perm_n = n;
    return full;
}

/* What the title says about the order ("" for the service's). */
static const char *
secrets_order_label(enum secrets_order o)
{
    switch (o) {
    case ORDER_NAME:
        /* TRANSLATORS: the secrets pane's order, after its title */
        return _("by name");
    case ORDER_UPDATED:
        /* TRANSLATORS: the secrets pane's order: last updated first */
        return _("newest first");
    case ORDER_EXPIRES:
        /* TRANSLATORS: the secrets pane's order: soonest expiry first */
        return _("expiring first");
    case ORDER_SERVICE:
    case ORDER_COUNT:
    default:
        return "";
    }
}

/* Lines under an expanded secret: its versions, or one status line. */
static size_t
secrets_sub_rows(const struct store_secret *sec)
{
    size_t n = store_versions_len(sec);
    return n > 0 ? n : 1;
}

/* Position of an expanded secret in the filtered list, or -1. */
static size_t
secrets_pos(struct view *v, const struct store_secret *sec)
{
    struct secrets_priv *p = v->priv;
    if (p != NULL && p->order != ORDER_SERVICE) {
        if (sec->index >= p->inv_n || p->inv[sec->index] == UINT32_MAX)
            return (size_t)-1;
        return p->inv[sec->index];
    }
    return filter_index_find(&v->fi, sec->index);
}

static size_t
secrets_count(struct view *v)
{
    struct secrets_priv *p = secrets_priv(v);
    if (p->deleted)
        return p->vault != NULL ? p->vault->deleted.len : 0;
    size_t n = v->fi.n;
    for (size_t i = 0; i < p->expanded.len; i++)
        if (secrets_pos(v, p->expanded.items[i]) != (size_t)-1)
            n += secrets_sub_rows(p->expanded.items[i]);
    return n;
}

/* Maps display row d to a secret/version. Expanded secrets are few. */
static bool
secrets_row(struct app *a, struct view *v, size_t d, struct secrets_row *out)
{
    struct secrets_priv *p = secrets_priv(v);
    if (p->vault == NULL || p->deleted)
        return false;
    size_t extra = 0; /* version lines above the current candidate */
    /* Walk the expanded secrets in list order. */
    size_t npos = p->expanded.len;
    size_t best_prev = (size_t)-1;
    for (;;) {
        /* the next expanded secret after best_prev */
        size_t next = (size_t)-1;
        struct store_secret *nsec = NULL;
        for (size_t i = 0; i < npos; i++) {
            struct store_secret *s = p->expanded.items[i];
            size_t pos = secrets_pos(v, s);
            if (pos == (size_t)-1)
                continue;
            if ((best_prev == (size_t)-1 || pos > best_prev) &&
                (next == (size_t)-1 || pos < next)) {
                next = pos;
                nsec = s;
            }
        }
        if (nsec == NULL || d <= next + extra)
            break;
        size_t sub = secrets_sub_rows(nsec);
        if (d <= next + extra + sub) {
            out->sec = nsec;
            out->ver = store_versions_len(nsec) > 0
                           ? (long)(d - next - extra - 1)
                           : -2;
            return true;
        }
        extra += sub;
        best_prev = next;
    }
    size_t fpos = d - extra;
    if (fpos >= v->fi.n)
        return false;
    out->sec = p->vault->secrets.items[secrets_src(v, fpos)];
    out->ver = -1;
    return true;
}

static bool
secrets_is_expanded(struct secrets_priv *p, const struct store_secret *sec)
{
    for (size_t i = 0; i < p->expanded.len; i++)
        if (p->expanded.items[i] == sec)
            return true;
    return false;
}

static void
secrets_reset(struct app *a, struct view *v)
{
    struct secrets_priv *p = secrets_priv(v);
    p->vault = a->vault;
    p->deleted = false;
    free(p->want);
    p->want = NULL;
    vec_clear(&p->expanded);
    filter_index_reset(&v->fi);
    free(v->fi.pattern);
    v->fi.pattern = xstrdup("");
    v->epoch = a->vault ? a->vault->secrets_epoch : 0;
    listview_init(&v->lv);
    if (a->vault != NULL)
        filter_index_extend(&v->fi, a->vault->secrets.len, secrets_text,
                            a->vault);
    secrets_order_free(p); /* the order itself stays */
    secrets_order_update(v, true);
    listview_set_count(&v->lv, secrets_count(v));
}

static void
secrets_rebuild(struct app *a, struct view *v)
{
    struct secrets_priv *p = secrets_priv(v);
    struct secrets_row cur = {NULL, -1};
    bool had = secrets_row(a, v, v->lv.cursor, &cur) &&
               v->epoch == p->vault->secrets_epoch;
    if (p->vault != NULL && v->epoch != p->vault->secrets_epoch)
        vec_clear(&p->expanded); /* secrets were dropped: pointers stale */
    filter_index_set(&v->fi, v->fi.pattern,
                     p->vault ? p->vault->secrets.len : 0, secrets_text,
                     p->vault);
    secrets_order_free(p);
    secrets_order_update(v, true);
    v->epoch = p->vault ? p->vault->secrets_epoch : 0;
    listview_set_count(&v->lv, secrets_count(v));
    if (had) {
        size_t n = v->lv.n;
        for (size_t d = 0; d < n; d++) {
            struct secrets_row r;
            if (secrets_row(a, v, d, &r) && r.sec == cur.sec &&
                (r.ver == cur.ver || r.ver < 0)) {
                listview_select(&v->lv, d);
                if (r.ver == cur.ver)
                    break;
            }
        }
    }
}

static void secrets_select(struct app *a, struct view *v,
                           struct store_secret *sec);

static bool
secrets_sync_lists(struct app *a, struct view *v, unsigned changes)
{
    struct secrets_priv *p = secrets_priv(v);
    if (p->vault != a->vault) {
        secrets_reset(a, v);
        return true;
    }
    if (p->vault == NULL)
        return false;
    if (v->epoch != p->vault->secrets_epoch || changes == ~0u) {
        secrets_rebuild(a, v);
        return true;
    }
    bool redraw = false;
    if (changes & STORE_SECRETS) {
        filter_index_extend(&v->fi, p->vault->secrets.len, secrets_text,
                            p->vault);
        p->resort = true; /* a reload updates items in place */
        redraw |= listview_set_count(&v->lv, secrets_count(v));
        redraw = true;
    }
    if (p->order != ORDER_SERVICE &&
        (changes & (STORE_SECRETS | STORE_STATUS))) {
        struct secrets_row cur;
        bool had = secrets_row(a, v, v->lv.cursor, &cur);
        if (secrets_order_update(v, false)) {
            /* sorted again: the cursor stays on its secret */
            if (had && cur.ver == -1)
                secrets_select(a, v, cur.sec);
            redraw = true;
        }
    }
    if (changes & STORE_VERSIONS) {
        listview_set_count(&v->lv, secrets_count(v));
        redraw = true;
    }
    if ((changes & STORE_DELETED) && p->deleted) {
        listview_set_count(&v->lv, secrets_count(v));
        redraw = true;
    }
    return redraw || (changes & STORE_STATUS);
}

static void
secrets_filter(struct app *a, struct view *v, const char *pattern)
{
    free(v->fi.pattern);
    v->fi.pattern = xstrdup(pattern);
    listview_select(&v->lv, 0);
    secrets_rebuild(a, v);
}

static const struct load *
secrets_load(struct app *a, struct view *v)
{
    if (a->vault != NULL && secrets_priv(v)->deleted)
        return &a->vault->deleted_load;
    return a->vault ? &a->vault->secrets_load : NULL;
}

static void
secrets_title(struct app *a, struct view *v, char *buf, size_t n)
{
    if (a->vault == NULL) {
        snprintf(buf, n, "%s", _("Secrets"));
        return;
    }
    if (secrets_priv(v)->deleted) {
        view_deleted_title(a, v, buf, n);
        return;
    }
    size_t total = a->vault->secrets.len;
    if (a->vault->secrets_refused != NULL) {
        /* TRANSLATORS: the secrets pane's title when the data plane
         * refused this host and the names came through Resource Manager */
        snprintf(buf, n, _("Secrets of %s (%zu, no values)"),
                 a->vault->vault->name, total);
        return;
    }
    if (v->rect.w < 50) {
        /* narrow: the breadcrumb names the vault */
        if (v->fi.n != total)
            snprintf(buf, n, _("Secrets (%zu of %zu)"), v->fi.n, total);
        else
            snprintf(buf, n, _("Secrets (%zu)"), total);
    } else if (v->fi.n != total) {
        snprintf(buf, n, _("Secrets of %s (%zu of %zu)"), a->vault->vault->name,
                 v->fi.n, total);
    } else {
        snprintf(buf, n, _("Secrets of %s (%zu)"), a->vault->vault->name,
                 total);
    }
    const char *how = secrets_order_label(secrets_priv(v)->order);
    size_t l = strlen(buf);
    if (how[0] != '\0' && l + 1 < n)
        snprintf(buf + l, n - l, " %s", how);
}

/* "29d 3h" / "expired 2d ago" / "-" */
static void
secrets_left(const struct secrets_words *t, int64_t exp, char *buf, size_t n)
{
    if (exp <= 0) {
        snprintf(buf, n, "-");
        return;
    }
    time_format_left_with(&t->left, exp - time_now(), buf, n);
}

/* Appends s at p, at most up to end (where the caller puts the NUL);
 * returns the new end: a row's pieces without printf's cost. */
static char *
secrets_cat(char *p, const char *end, const char *s)
{
    while (*s != '\0' && p < end)
        *p++ = *s++;
    return p;
}

/* Draws the revealed value in place of the row's columns. */
static void
secrets_draw_value(struct app *a, struct view *v, int y, int x, int w,
                   attr_t at)
{
    char buf[1024];
    int64_t left = (a->reveal.until_ms - time_mono_ms() + 999) / 1000;
    char tail[32];
    snprintf(tail, sizeof tail, " (%llds)", (long long)(left > 0 ? left : 0));
    int tw = (int)strlen(tail);
    int vw = w - x - tw;
    if (vw < 4)
        vw = 4;
    text_fit(a->reveal.value->data, vw, a->term.g.ellipsis, false, buf,
             sizeof buf);
    wattrset(v->win, term_attr(&a->term, ST_VALUE));
    mvwaddstr(v->win, y, x, buf);
    secmem_wipe(buf, sizeof buf);
    int used = text_width(a->reveal.value->data);
    if (used > vw)
        used = vw;
    wattrset(v->win, at);
    if (x + used < w)
        mvwaddnstr(v->win, y, x + used, tail, w - x - used);
    wattrset(v->win, A_NORMAL);
}

/* Column widths for a pane w wide, rows indented by indent: name,
 * enabled mark, updated, time left, content type. Narrow panes drop the
 * content type, then the date, then the time left. */
struct secrets_cols {
    int namew, enw, updw, leftw, ctw;
};

static void
secrets_cols(int w, int indent, struct secrets_cols *c)
{
    c->leftw = 14;
    c->updw = 11;
    c->enw = 2;
    c->ctw = 14;
    c->namew = w - indent - c->enw - c->updw - c->leftw - c->ctw - 1;
    if (c->namew < 14) {
        c->ctw = 0;
        c->namew = w - indent - c->enw - c->updw - c->leftw - 1;
    }
    if (c->namew < 12) {
        c->updw = 0;
        c->namew = w - indent - c->enw - c->leftw - 1;
    }
    if (c->namew < 10) {
        c->leftw = 0;
        c->namew = w - indent - c->enw - 1;
    }
}

/* The column headings on line 1, aligned with the secrets' rows. */
static void
secrets_draw_header(struct app *a, struct view *v, int y)
{
    struct secrets_cols c;
    secrets_cols(v->rect.w, 2, &c);
    char name[256], upd[64], left[64], line[512];
    const char *e = a->term.g.ellipsis;
    text_fit(_("Name"), c.namew, e, true, name, sizeof name);
    text_fit(c.updw ? _("Updated") : "", c.updw > 0 ? c.updw - 1 : 0, e, true,
             upd, sizeof upd);
    text_fit(c.leftw ? _("Expires") : "", c.leftw > 0 ? c.leftw - 1 : 0, e,
             true, left, sizeof left);
    /* TRANSLATORS: column headings of the secrets pane; the content type
     * column is 13 characters wide */
    snprintf(line, sizeof line, "  %s   %s%s%s%s%s", name, upd,
             c.updw ? " " : "", left, c.ctw ? " " : "",
             c.ctw ? _("Content type") : "");
    draw_text(a, v->win, y, 0, v->rect.w, line, ST_DIM, true);
}

static void
secrets_draw_row(struct app *a, struct view *v, int y, struct secrets_row *r,
                 bool sel)
{
    int w = v->rect.w;
    attr_t at = draw_row_attr(a, v, sel);
    const struct glyphs *g = &a->term.g;
    char line[768], name[256], upd[32], left[48], ct[128], short_ver[16];
    if (r->ver == -2) {
        const struct load *l = store_versions_load(r->sec);
        const char *t = l->state == LOAD_LOADING ? _("loading versions…")
                        : l->state == LOAD_FAILED && l->message
                            ? l->message
                            : _("no versions");
        snprintf(line, sizeof line, "    %s", t);
        draw_text_attr(a, v->win, y, 0, w, line,
                       l->state == LOAD_FAILED
                           ? term_attr(&a->term, ST_ERROR)
                           : (sel ? at : term_attr(&a->term, ST_DIM)),
                       true);
        return;
    }
    const struct kv_secret_attrs *attrs;
    const char *label, *ctype, *version = NULL;
    if (r->ver >= 0) {
        const struct kv_secret_version *ver =
            store_version_at(r->sec, (size_t)r->ver);
        attrs = &ver->attrs;
        ctype = ver->content_type;
        version = ver->version;
        /* The first 8 hex digits tell versions apart, like short git
         * hashes; the detail pane has the full id. */
        const char *id = ver->version ? ver->version : "?";
        size_t k = 0;
        while (k < 8 && id[k] != '\0') {
            short_ver[k] = id[k];
            k++;
        }
        short_ver[k] = '\0';
        label = short_ver;
    } else {
        attrs = &r->sec->item->attrs;
        ctype = r->sec->item->content_type;
        label = r->sec->item->name;
    }
    int indent = r->ver >= 0 ? 4 : 2;
    /* Columns from the right: expires-left, updated, enabled. */
    struct secrets_cols c;
    secrets_cols(w, indent, &c);
    int leftw = c.leftw, updw = c.updw, enw = c.enw, ctw = c.ctw,
        namew = c.namew;
    int cols = text_fit(label, namew, g->ellipsis, true, name, sizeof name);
    draw_date(r->ver >= 0 ? attrs->created : attrs->updated, false, upd,
              sizeof upd);
    char exp[40];
    const struct secrets_words *t = secrets_words(v);
    const char *e = exp;
    secrets_left(t, attrs->expires, exp, sizeof exp);
    if (attrs->expires <= time_now())
        str_format_args(left, sizeof left, "%s", &e, 1);
    else if (!str_format_args(left, sizeof left, t->exp, &e, 1))
        snprintf(left, sizeof left, _("exp %s"), exp);
    int ct_cols = text_fit(ctype ? ctype : "", ctw > 0 ? ctw - 1 : 0,
                           g->ellipsis, false, ct, sizeof ct);
    const char *marker = r->ver >= 0 ? " "
                         : secrets_is_expanded(secrets_priv(v), r->sec)
                             ? g->expanded
                             : g->collapsed;
    bool revealed =
        app_is_revealed(a, r->sec->item->name, r->ver >= 0 ? version : NULL);
    /* indent, marker, name, then (unless the value shows) the enabled
     * mark, updated, time left and content type */
    const struct secrets_glyphs *gw = secrets_glyph_widths(v, g);
    char *p = line, *end = line + sizeof line - 1;
    for (int i = 0; i < indent - 2; i++)
        *p++ = ' ';
    p = secrets_cat(p, end, marker);
    p = secrets_cat(p, end, " ");
    p = secrets_cat(p, end, name);
    cols += indent - 2 + 1 +
            (r->ver >= 0             ? 1
             : marker == g->expanded ? gw->expanded
                                     : gw->collapsed);
    if (!revealed) {
        char u[40], l2[64];
        cols += text_fit(upd, updw > 0 ? updw - 1 : 0, "", true, u, sizeof u);
        cols += text_fit(left, leftw > 0 ? leftw - 1 : 0, g->ellipsis, true, l2,
                         sizeof l2);
        cols += 2 + (attrs->enabled ? gw->yes : gw->no) + (updw ? 1 : 0) +
                (ctw ? 1 : 0) + ct_cols;
        p = secrets_cat(p, end, " ");
        p = secrets_cat(p, end, attrs->enabled ? g->yes : g->no);
        p = secrets_cat(p, end, " ");
        p = secrets_cat(p, end, u);
        p = secrets_cat(p, end, updw ? " " : "");
        p = secrets_cat(p, end, l2);
        p = secrets_cat(p, end, ctw ? " " : "");
        p = secrets_cat(p, end, ct);
    }
    /* The parts are fitted already: padded to the pane's width, the line
     * is what draw_text_attr() would make of it, without fitting it
     * again (a third of a row's cost). */
    if (cols <= w && w <= 250 && p + (w - cols) < end) {
        memset(p, ' ', (size_t)(w - cols));
        p[w - cols] = '\0';
        draw_fitted_attr(v->win, y, 0, line, at);
    } else {
        *p = '\0';
        draw_text_attr(a, v->win, y, 0, w, line, at, true);
    }
    if (revealed) {
        /* Give the value the room the other columns had. */
        int lw = text_width(label);
        int x = indent + (lw < namew ? lw : namew) + 1;
        draw_text_attr(a, v->win, y, x - 1, w - x + 1, "", at, true);
        secrets_draw_value(a, v, y, x, w, at);
    } else if (attrs->expires > 0 && attrs->expires < time_now() + 30 * 86400) {
        /* Expired or expiring within 30 days: mark the column. */
        int x = indent + namew + 1 + enw + updw;
        if (leftw > 0 && x < w)
            draw_text(a, v->win, y, x, leftw - 1, left,
                      attrs->expires < time_now() ? ST_ERROR : ST_WARNING,
                      true);
    }
}

/* Why the data plane refused this host, in plain words, or NULL: the
 * store's fallback (secrets_refused), or a failed list's 403. */
static const char *
secrets_refusal(const struct store_vault *sv)
{
    const struct load *l = &sv->secrets_load;
    const char *code = sv->secrets_refused;
    if (code == NULL && l->state == LOAD_FAILED && l->http_status == 403)
        code = l->inner_code;
    if (code == NULL)
        return NULL;
    bool arm = sv->secrets_refused != NULL;
    if (str_ieq(code, "ForbiddenByConnection"))
        return arm ? _("Public network access is disabled on this vault and "
                       "this host is not on its private network. Names and "
                       "attributes through Resource Manager; no values.")
                   : _("Public network access is disabled on this vault and "
                       "this host is not on its private network.");
    if (str_ieq(code, "ForbiddenByFirewall"))
        return arm ? _("The vault's firewall does not admit this host's "
                       "address (403 ForbiddenByFirewall). Names and "
                       "attributes through Resource Manager; no values.")
                   : _("The vault's firewall does not admit this host's "
                       "address (403 ForbiddenByFirewall).");
    return NULL;
}

/* Draws the refusal above the headings and moves the list down; returns
 * the line of the headings. */
static int
secrets_draw_refusal(struct app *a, struct view *v)
{
    const char *why = a->vault != NULL && !secrets_priv(v)->deleted
                          ? secrets_refusal(a->vault)
                          : NULL;
    int y = 1;
    if (why != NULL) {
        struct vec lines = VEC_INIT;
        text_wrap(why, v->rect.w - 2, &lines);
        /* at most four lines: the list keeps the rest of a small pane */
        for (size_t i = 0; i < lines.len; i++) {
            if (i < 4)
                draw_text(a, v->win, y++, 1, v->rect.w - 2, lines.items[i],
                          ST_WARNING, true);
            free(lines.items[i]);
        }
        vec_free(&lines);
    }
    if (v->body_y != y + 1) {
        v->body_y = y + 1;
        listview_set_height(&v->lv, v->rect.h - v->body_y);
    }
    return y;
}

static void
secrets_draw(struct app *a, struct view *v)
{
    /* An empty pane says why on the line the headings would take. */
    const char *empty = NULL;
    int hy = secrets_draw_refusal(a, v);
    if (a->vault == NULL) {
        empty = _("open a vault: select it and press Enter");
    } else if (secrets_priv(v)->deleted) {
        view_deleted_draw(a, v);
        return;
    } else if (v->lv.n == 0) {
        const struct load *l = &a->vault->secrets_load;
        empty = l->state == LOAD_LOADING  ? _("loading secrets…")
                : l->state == LOAD_FAILED ? _("could not list the secrets")
                : v->fi.pattern[0]
                    ? _("no secret matches the filter")
                    : _("no secrets in this vault yet: n adds one");
    }
    if (empty != NULL) {
        draw_text(a, v->win, hy, 1, v->rect.w - 2, empty, ST_DIM, false);
        return;
    }
    secrets_draw_header(a, v, hy);
    for (int y = 0; y < v->lv.height; y++) {
        size_t row = listview_row_at(&v->lv, y);
        struct secrets_row r;
        if (row == (size_t)-1 || !secrets_row(a, v, row, &r))
            break;
        secrets_draw_row(a, v, v->body_y + y, &r, row == v->lv.cursor);
    }
}

static void
secrets_draw_one(struct app *a, struct view *v, size_t row, int y)
{
    struct secrets_row r;
    if (a->vault != NULL && secrets_priv(v)->deleted)
        view_deleted_draw_row(a, v, row, y);
    else if (secrets_row(a, v, row, &r))
        secrets_draw_row(a, v, y, &r, row == v->lv.cursor);
}

static void
secrets_toggle(struct app *a, struct view *v, struct store_secret *sec,
               bool open)
{
    struct secrets_priv *p = secrets_priv(v);
    for (size_t i = 0; i < p->expanded.len; i++)
        if (p->expanded.items[i] == sec) {
            if (!open)
                vec_remove(&p->expanded, i);
            listview_set_count(&v->lv, secrets_count(v));
            return;
        }
    if (!open)
        return;
    vec_push(&p->expanded, sec);
    enum load_state vst = store_versions_load(sec)->state;
    if (vst == LOAD_NONE || vst == LOAD_FAILED)
        store_load_versions(a->store, a->vault, sec);
    listview_set_count(&v->lv, secrets_count(v));
}

/* Moves the cursor to a secret's own row. */
static void
secrets_select(struct app *a, struct view *v, struct store_secret *sec)
{
    for (size_t d = 0; d < v->lv.n; d++) {
        struct secrets_row r;
        if (secrets_row(a, v, d, &r) && r.sec == sec && r.ver == -1) {
            listview_select(&v->lv, d);
            return;
        }
    }
}

/* The secret asked for with view_secrets_select_name(), once listed;
 * forgotten when its vault's list ends without it. */
static bool
secrets_select_want(struct app *a, struct view *v)
{
    struct secrets_priv *p = secrets_priv(v);
    if (p->want == NULL || p->vault == NULL || p->deleted)
        return false;
    struct store_secret *sec = store_find_secret(p->vault, p->want);
    if (sec == NULL) {
        if (store_load_state(a->store, &p->vault->secrets_load, time_now()) !=
            LOAD_LOADING) {
            free(p->want);
            p->want = NULL;
        }
        return false;
    }
    free(p->want);
    p->want = NULL;
    secrets_select(a, v, sec);
    return true;
}

static bool
secrets_sync(struct app *a, struct view *v, unsigned changes)
{
    bool redraw = secrets_sync_lists(a, v, changes);
    return secrets_select_want(a, v) || redraw;
}

void
view_secrets_select_name(struct app *a, const char *name)
{
    struct view *v = &a->views[PANE_SECRETS];
    struct secrets_priv *p = secrets_priv(v);
    if (p->vault != a->vault)
        secrets_reset(a, v);
    free(p->want);
    p->want = xstrdup(name);
    if (secrets_select_want(a, v))
        v->dirty = true;
}

/* Back to the top of a list with other rows (the mode changed). */
static void
secrets_list_restart(struct view *v)
{
    int h = v->lv.height;
    listview_init(&v->lv);
    listview_set_height(&v->lv, h);
    listview_set_count(&v->lv, secrets_count(v));
}

static enum view_result
secrets_key(struct app *a, struct view *v, enum key_action act)
{
    struct secrets_row r;
    bool have = a->vault != NULL && secrets_row(a, v, v->lv.cursor, &r);
    struct secrets_priv *p = secrets_priv(v);
    if (act == ACT_DELETED) {
        if (a->vault == NULL)
            return VIEW_IGNORED;
        /* Each switch asks again: a deletion shows only after a while. */
        p->deleted = !p->deleted;
        if (p->deleted)
            store_load_deleted(a->store, a->vault);
        secrets_list_restart(v);
        return VIEW_REDRAW_ALL;
    }
    if (p->deleted && a->vault != NULL) {
        if (act == ACT_BACK) {
            p->deleted = false;
            secrets_list_restart(v);
            return VIEW_REDRAW_ALL;
        }
        return view_deleted_key(a, v, act);
    }
    switch (act) {
    case ACT_SORT: {
        if (a->vault == NULL)
            return VIEW_HANDLED;
        p->order = (enum secrets_order)((p->order + 1) % ORDER_COUNT);
        secrets_order_update(v, true);
        if (have)
            secrets_select(a, v, r.sec);
        else
            listview_set_count(&v->lv, secrets_count(v));
        const char *how = secrets_order_label(p->order);
        /* TRANSLATORS: the status line after o; %s is "by name",
         * "newest first", "expiring first" or "as listed" */
        app_message(a, false, _("secrets: %s"), how[0] ? how : _("as listed"));
        return VIEW_REDRAW_ALL;
    }
    case ACT_EDIT:
        action_secret_edit(a);
        return VIEW_HANDLED;
    case ACT_DELETE:
        action_secret_delete(a);
        return VIEW_HANDLED;
    case ACT_COPY_TO:
        action_secret_copy_to(a);
        return VIEW_HANDLED;
    case ACT_ENTER:
        if (!have)
            return VIEW_HANDLED;
        if (r.ver == -1) {
            secrets_toggle(a, v, r.sec, !secrets_is_expanded(p, r.sec));
            return VIEW_REDRAW;
        }
        app_focus(a, PANE_DETAIL);
        return VIEW_REDRAW_ALL;
    case ACT_BACK:
        if (have && secrets_is_expanded(p, r.sec)) {
            secrets_toggle(a, v, r.sec, false);
            secrets_select(a, v, r.sec);
            return VIEW_REDRAW;
        }
        return VIEW_IGNORED;
    case ACT_REVEAL:
    case ACT_COPY:
        if (!have || r.ver == -2)
            return VIEW_HANDLED;
        if (a->vault->secrets_refused != NULL) {
            /* the data plane refuses this host: no value can come */
            app_message(a, true, "%s",
                        _("no value: this host cannot reach the vault's data "
                          "plane (Resource Manager never returns values)"));
            return VIEW_HANDLED;
        }
        {
            const char *ver = NULL;
            if (r.ver >= 0)
                ver = store_version_at(r.sec, (size_t)r.ver)->version;
            app_request_value(a, a->vault->vault->vault_uri, r.sec->item->name,
                              ver, act == ACT_COPY);
        }
        return VIEW_REDRAW;
    case ACT_REFRESH:
        if (a->vault == NULL)
            return VIEW_HANDLED;
        store_load_secrets(a->store, a->vault);
        for (size_t i = 0; i < p->expanded.len; i++)
            store_load_versions(a->store, a->vault, p->expanded.items[i]);
        return VIEW_REDRAW;
    default:
        return VIEW_IGNORED;
    }
}

/* buf_putc() inline: the summary has some forty pieces, put together on
 * each cursor move (buf_puts_inline() for the strings). */
static void
secrets_putc(struct buf *out, char c)
{
    char s[2] = {c, '\0'};
    buf_puts_inline(out, s);
}

/* "LABEL: TEXT\n" */
static void
secrets_attr_line(struct buf *out, const char *label, const char *text)
{
    buf_puts_inline(out, label);
    buf_puts_inline(out, ": ");
    buf_puts_inline(out, text);
    secrets_putc(out, '\n');
}

/* The summary's attribute lines, put together without printf (they are
 * made on each cursor move). */
static void
secrets_attrs_text(const struct secrets_words *t,
                   const struct kv_secret_attrs *at, const char *ctype,
                   const struct kv_tags *tags, struct buf *out)
{
    char d[40], left[48];
    buf_puts_inline(out, t->enabled);
    secrets_putc(out, ' ');
    buf_puts_inline(out, at->enabled ? t->yes : t->no);
    secrets_putc(out, '\n');
    draw_date(at->created, true, d, sizeof d);
    secrets_attr_line(out, t->created, d);
    draw_date(at->updated, true, d, sizeof d);
    secrets_attr_line(out, t->updated, d);
    draw_date(at->not_before, true, d, sizeof d);
    secrets_attr_line(out, t->not_before, d);
    if (at->expires > 0) {
        draw_date(at->expires, true, d, sizeof d);
        secrets_left(t, at->expires, left, sizeof left);
        buf_puts_inline(out, t->expires);
        buf_puts_inline(out, ": ");
        buf_puts_inline(out, d);
        buf_puts_inline(out, " (");
        buf_puts_inline(out, left);
        buf_puts_inline(out, ")\n");
    } else {
        secrets_attr_line(out, t->expires, t->never);
    }
    secrets_attr_line(out, t->ctype, ctype ? ctype : "-");
    buf_puts_inline(out, t->tags);
    secrets_putc(out, ':');
    if (tags->n == 0)
        buf_puts_inline(out, " -");
    for (size_t i = 0; i < tags->n; i++) {
        buf_puts_inline(out, i ? ", " : " ");
        buf_puts_inline(out, tags->items[i].key);
        secrets_putc(out, '=');
        buf_puts_inline(out, tags->items[i].value ? tags->items[i].value : "");
    }
    secrets_putc(out, '\n');
    secrets_attr_line(out, t->value, "********");
}

/* The summary; the JSON after it is secrets_detail_tail()'s. */
static void
secrets_detail(struct app *a, struct view *v, struct buf *out)
{
    struct secrets_row r;
    if (a->vault != NULL && secrets_priv(v)->deleted) {
        view_deleted_detail(a, v, out);
        return;
    }
    if (a->vault == NULL || !secrets_row(a, v, v->lv.cursor, &r) || r.ver == -2)
        return;
    const struct secrets_words *t = secrets_words(v);
    if (r.ver >= 0) {
        const struct kv_secret_version *ver =
            store_version_at(r.sec, (size_t)r.ver);
        buf_puts_inline(out, t->version);
        secrets_putc(out, ' ');
        buf_puts_inline(out, ver->version ? ver->version : "(null)");
        secrets_putc(out, '\n');
        secrets_attrs_text(t, &ver->attrs, ver->content_type, &ver->tags, out);
        return;
    }
    buf_puts_inline(out, t->secret);
    secrets_putc(out, ' ');
    buf_puts_inline(out, r.sec->item->name);
    secrets_putc(out, '\n');
    secrets_attrs_text(t, &r.sec->item->attrs, r.sec->item->content_type,
                       &r.sec->item->tags, out);
}

/* The JSON of the selected secret or version, after a blank line: made
 * only when the detail pane shows it. */
static void
secrets_detail_tail(struct app *a, struct view *v, struct buf *out)
{
    struct secrets_row r;
    if (a->vault == NULL || secrets_priv(v)->deleted ||
        !secrets_row(a, v, v->lv.cursor, &r) || r.ver == -2)
        return;
    if (r.ver >= 0) {
        const struct kv_secret_version *ver =
            store_version_at(r.sec, (size_t)r.ver);
        if (ver->json) {
            buf_putc(out, '\n');
            buf_puts(out, ver->json);
        }
        return;
    }
    /* the store keeps no JSON per secret: made when shown */
    char *json = store_secret_json(a->vault, r.sec);
    buf_putc(out, '\n');
    buf_puts(out, json ? json : "(null)");
    free(json);
}

static const char *
secrets_selected_name(struct app *a, struct view *v)
{
    struct secrets_row r;
    if (a->vault != NULL && secrets_priv(v)->deleted)
        return view_deleted_selected_name(a, v);
    if (a->vault == NULL || !secrets_row(a, v, v->lv.cursor, &r))
        return NULL;
    return r.sec->item->name;
}

static bool
secrets_selected_revealed(struct app *a, struct view *v)
{
    struct secrets_row r;
    if (a->vault == NULL || !secrets_row(a, v, v->lv.cursor, &r) || r.ver == -2)
        return false;
    const char *ver =
        r.ver >= 0 ? store_version_at(r.sec, (size_t)r.ver)->version : NULL;
    return app_is_revealed(a, r.sec->item->name, ver);
}

bool
view_secrets_selected(struct app *a, struct secrets_selection *out)
{
    memset(out, 0, sizeof *out);
    struct view *v = &a->views[PANE_SECRETS];
    struct secrets_row r;
    if (a->vault == NULL || v->priv == NULL ||
        secrets_priv(v)->vault != a->vault ||
        !secrets_row(a, v, v->lv.cursor, &r) || r.ver == -2)
        return false;
    out->vault = a->vault;
    out->secret = r.sec;
    if (r.ver >= 0)
        out->version = store_version_at(r.sec, (size_t)r.ver);
    out->latest = store_version_at(r.sec, 0);
    return true;
}

bool
view_secrets_deleted(struct app *a)
{
    struct view *v = &a->views[PANE_SECRETS];
    return a->vault != NULL && v->priv != NULL && secrets_priv(v)->deleted;
}

static void
secrets_destroy(struct view *v)
{
    struct secrets_priv *p = v->priv;
    if (p == NULL)
        return;
    vec_free(&p->expanded);
    secrets_order_free(p);
    free(p->want);
    free(p);
    v->priv = NULL;
}

const struct view_ops view_secrets_ops = {
    .name = "secrets",
    .title = secrets_title,
    .load = secrets_load,
    .draw = secrets_draw,
    .key = secrets_key,
    .sync = secrets_sync,
    .filter = secrets_filter,
    .detail = secrets_detail,
    .detail_tail = secrets_detail_tail,
    .selected_name = secrets_selected_name,
    .selected_revealed = secrets_selected_revealed,
    .draw_row = secrets_draw_one,
    .destroy = secrets_destroy,
    .top_lines = 1, /* the column headings */
};
