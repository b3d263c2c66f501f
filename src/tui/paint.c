/*
 * paint.c — kvdeck's own terminal output (paint.h): the cells of newscr
 * that differ from the terminal, written with terminfo strings formatted
 * once; full repaints are left to doupdate().
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "base/secmem.h"
#include "base/xalloc.h"
#include "tui/paint.h"

#define PAINT_LONG 0xff
/* Unchanged cells between two changed ones that are written again rather
 * than moved over: a move costs 3 to 8 bytes. */
#define PAINT_GAP 4

#if !NCURSES_OPAQUE
/* A window's line as ncurses keeps it (curses.priv.h, struct ldat: the
 * same since ncurses 1.9.9). paint_layout_ok() checks it. */
struct paint_line {
    cchar_t *text;
    NCURSES_SIZE_T firstchar, lastchar, oldindex;
};

static struct paint_line *
paint_lines(WINDOW *w)
{
    return (struct paint_line *)(void *)w->_line;
}
#endif

/* The attributes written with the on[] strings, in their order. */
static const attr_t paint_bits[8] = {A_BOLD,      A_DIM,      A_REVERSE,
                                     A_UNDERLINE, A_STANDOUT, A_BLINK,
                                     A_ITALIC,    A_INVIS};
static const char *const paint_bit_caps[8] = {"bold", "dim",   "rev",  "smul",
                                              "smso", "blink", "sitm", "invis"};
#define PAINT_ATTRS                                                            \
    (A_BOLD | A_DIM | A_REVERSE | A_UNDERLINE | A_STANDOUT | A_BLINK |         \
     A_ITALIC | A_INVIS)

static const char *
paint_tistr(const char *name)
{
    const char *s = tigetstr(name);
    return s == (char *)-1 || (s != NULL && *s == '\0') ? NULL : s;
}

/* The second column of a two-column character: ncurses marks it in the
 * low bits of the attributes (1 on the first column). */
static inline bool
paint_ext(const cchar_t *c)
{
    return (c->attr & A_CHARTEXT) > 1;
}

static inline uint64_t
paint_ld64(const void *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t
paint_ld32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Two cells alike, as memcmp() says (cchar_t is 28 bytes without
 * padding: checked in paint_open()), without a branch per field. */
static inline bool
paint_eq(const cchar_t *a, const cchar_t *b)
{
    const char *x = (const char *)a, *y = (const char *)b;
    return ((paint_ld64(x) ^ paint_ld64(y)) |
            (paint_ld64(x + 8) ^ paint_ld64(y + 8)) |
            (paint_ld64(x + 16) ^ paint_ld64(y + 16)) |
            (paint_ld32(x + 24) ^ paint_ld32(y + 24))) == 0;
}

/* ---- the bytes of one update ------------------------------------------- */

static void
paint_grow(struct paint *p, size_t n)
{
    size_t cap = p->cap ? p->cap : 4096;
    while (cap < p->len + n)
        cap *= 2;
    p->out = xrealloc(p->out, cap);
    p->cap = cap;
}

static inline void
paint_put(struct paint *p, const char *s, size_t n)
{
    if (p->len + n > p->cap)
        paint_grow(p, n);
    memcpy(p->out + p->len, s, n);
    p->len += n;
}

static inline void
paint_putc(struct paint *p, char c)
{
    if (p->len + 1 > p->cap)
        paint_grow(p, 1);
    p->out[p->len++] = c;
}

static void
paint_puts(struct paint *p, const char *s)
{
    if (s != NULL)
        paint_put(p, s, strlen(s));
}

/* Writes the update. A terminal left non-blocking by another program is
 * waited for; when the bytes cannot all be written, the next update
 * repaints everything (the copy no longer says what is shown). */
static void
paint_flush(struct paint *p)
{
    size_t off = 0;
    while (off < p->len) {
        ssize_t w = write(p->fd, p->out + off, p->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = {.fd = p->fd, .events = POLLOUT};
            if (poll(&pfd, 1, 1000) > 0)
                continue;
        }
        if (w <= 0) {
            p->stale = true; /* repaint when it comes back */
            break;
        }
        off += (size_t)w;
    }
    /* a revealed value may have been among the bytes: not kept */
    secmem_wipe(p->out, p->len);
    p->len = 0;
}

/* ---- terminfo strings, formatted once ---------------------------------- */

/* cap with parameters a, b, kept in *slot; *n its length. A string too
 * long to keep is formatted each time (valid until the next tiparm). */
/* cap with parameters a, b into out when it uses no more of terminfo's
 * language than the cursor and column strings of ANSI terminals do:
 * literal characters, %%, %i, %p1%d, %p2%d. Returns the length, or -1
 * (then tiparm() formats it). */
static int
paint_simple(const char *cap, int a, int b, char *out, size_t size)
{
    size_t o = 0;
    for (const char *c = cap; *c != '\0'; c++) {
        if (*c != '%') {
            if (o + 1 >= size)
                return -1;
            out[o++] = *c;
            continue;
        }
        c++;
        if (*c == '%') {
            if (o + 1 >= size)
                return -1;
            out[o++] = '%';
        } else if (*c == 'i') {
            a++;
            b++;
        } else if (*c == 'p' && (c[1] == '1' || c[1] == '2') && c[2] == '%' &&
                   c[3] == 'd') {
            int v = c[1] == '1' ? a : b;
            char num[16];
            int len = snprintf(num, sizeof num, "%d", v);
            if (len <= 0 || o + (size_t)len >= size)
                return -1;
            memcpy(out + o, num, (size_t)len);
            o += (size_t)len;
            c += 3;
        } else {
            return -1;
        }
    }
    return (int)o;
}

static const char *paint_fmt_slow(struct paint_str *slot, const char *cap,
                                  int a, int b, size_t *n);

static inline const char *
paint_fmt(struct paint_str *slot, const char *cap, int a, int b, size_t *n)
{
    if (slot->len != 0 && slot->len != PAINT_LONG) {
        *n = slot->len;
        return slot->s;
    }
    return paint_fmt_slow(slot, cap, a, b, n);
}

static const char *
paint_fmt_slow(struct paint_str *slot, const char *cap, int a, int b, size_t *n)
{
    int k = paint_simple(cap, a, b, slot->s, sizeof slot->s);
    if (k > 0) {
        slot->len = (unsigned char)k;
        *n = (size_t)k;
        return slot->s;
    }
    const char *s = tiparm(cap, a, b);
    if (s == NULL) {
        *n = 0;
        return "";
    }
    *n = strlen(s);
    if (*n < sizeof slot->s) {
        memcpy(slot->s, s, *n);
        slot->len = (unsigned char)*n;
        return slot->s;
    }
    slot->len = PAINT_LONG;
    return s;
}

static inline const char *
paint_cup(struct paint *p, int y, int x, size_t *n)
{
    if (p->cup[y] == NULL)
        p->cup[y] = xcalloc((size_t)p->cols, sizeof *p->cup[y]);
    return paint_fmt(&p->cup[y][x], p->cap_cup, y, x, n);
}

static void
paint_colour(struct paint *p, struct paint_str *memo, const char *cap, int c)
{
    size_t n;
    struct paint_str scratch = {0};
    const char *s = paint_fmt(c < 256 ? &memo[c] : &scratch, cap, c, 0, &n);
    paint_put(p, s, n);
}

/* ---- cursor and attributes ---------------------------------------------- */

/* Ways along a line. */
enum paint_h { H_NONE, H_CUF1, H_CUB1, H_CUF, H_CUB, H_HPA, H_CR, H_CR_CUF };

#define PAINT_TRY(kind, len)                                                   \
    do {                                                                       \
        size_t l_ = (len);                                                     \
        if (l_ > 0 && l_ < *n) {                                               \
            *n = l_;                                                           \
            how = (kind);                                                      \
        }                                                                      \
    } while (0)

/* The shortest way from column from to column to on the cursor's line;
 * its length in *n (SIZE_MAX: none). */
static inline enum paint_h
paint_hmove(struct paint *p, int from, int to, size_t *n)
{
    enum paint_h how = H_NONE;
    size_t m;
    *n = from == to ? 0 : SIZE_MAX;
    if (from == to)
        return H_NONE;
    /* one byte cannot be beaten: a carriage return, a backspace */
    if (to == 0 && p->cr_len == 1) {
        *n = 1;
        return H_CR;
    }
    if (to == from - 1 && p->cub1_len == 1) {
        *n = 1;
        return H_CUB1;
    }
    if (to == from + 1)
        PAINT_TRY(H_CUF1, p->cuf1_len);
    if (to == from - 1)
        PAINT_TRY(H_CUB1, p->cub1_len);
    if (to > from && p->cap_cuf != NULL) {
        paint_fmt(&p->cuf[to - from], p->cap_cuf, to - from, 0, &m);
        PAINT_TRY(H_CUF, m);
    }
    if (to < from && p->cap_cub != NULL) {
        paint_fmt(&p->cub[from - to], p->cap_cub, from - to, 0, &m);
        PAINT_TRY(H_CUB, m);
    }
    if (p->cap_hpa != NULL) {
        paint_fmt(&p->hpa[to], p->cap_hpa, to, 0, &m);
        PAINT_TRY(H_HPA, m);
    }
    if (to == 0)
        PAINT_TRY(H_CR, p->cr_len);
    else if (p->cr != NULL && p->cap_cuf != NULL) {
        paint_fmt(&p->cuf[to], p->cap_cuf, to, 0, &m);
        PAINT_TRY(H_CR_CUF, p->cr_len + m);
    }
    return how;
}

static inline void
paint_hemit(struct paint *p, enum paint_h how, int from, int to)
{
    size_t n;
    const char *s;
    switch (how) {
    case H_NONE:
        return;
    case H_CUF1:
        paint_put(p, p->cuf1, p->cuf1_len);
        return;
    case H_CUB1:
        paint_put(p, p->cub1, p->cub1_len);
        return;
    case H_CUF:
        s = paint_fmt(&p->cuf[to - from], p->cap_cuf, to - from, 0, &n);
        break;
    case H_CUB:
        s = paint_fmt(&p->cub[from - to], p->cap_cub, from - to, 0, &n);
        break;
    case H_HPA:
        s = paint_fmt(&p->hpa[to], p->cap_hpa, to, 0, &n);
        break;
    case H_CR:
        paint_put(p, p->cr, p->cr_len);
        return;
    case H_CR_CUF:
    default:
        paint_put(p, p->cr, p->cr_len);
        s = paint_fmt(&p->cuf[to], p->cap_cuf, to, 0, &n);
        break;
    }
    paint_put(p, s, n);
}

/* Moves the cursor to (y, x) with the shortest of: the address; a move
 * along the line; to the line (vpa), then along it. */
static void
paint_move_choose(struct paint *p, int y, int x)
{
    size_t best, n, v = 0;
    enum { MV_CUP, MV_H, MV_VPA } how = MV_CUP;
    enum paint_h h = H_NONE;
    if (p->cx >= 0 && p->cy == y) {
        /* a short move along the line is as short as any */
        h = paint_hmove(p, p->cx, x, &n);
        if (n <= 3) {
            paint_hemit(p, h, p->cx, x);
            p->cx = x;
            return;
        }
    }
    paint_cup(p, y, x, &best);
    if (p->cx >= 0 && p->cy == y) {
        enum paint_h hh = h;
        if (n < best) {
            best = n;
            how = MV_H;
            h = hh;
        }
    } else if (p->cx >= 0 && p->cy >= 0 && p->cap_vpa != NULL) {
        paint_fmt(&p->vpa[y], p->cap_vpa, y, 0, &v);
        enum paint_h hh = paint_hmove(p, p->cx, x, &n);
        if (v > 0 && n != SIZE_MAX && v + n < best) {
            how = MV_VPA;
            h = hh;
        }
    }
    const char *s;
    switch (how) {
    case MV_CUP:
        s = paint_cup(p, y, x, &n);
        paint_put(p, s, n);
        break;
    case MV_VPA:
        s = paint_fmt(&p->vpa[y], p->cap_vpa, y, 0, &n);
        paint_put(p, s, n);
        /* fall through */
    case MV_H:
        paint_hemit(p, h, p->cx, x);
        break;
    }
}

/* Moves the cursor to (y, x). An update changes the same spots as the
 * last one, mostly: the move from one spot to the next is kept, keyed by
 * both (a small table; a clash replaces the entry). */
static void
paint_move(struct paint *p, int y, int x)
{
    if (p->cy == y && p->cx == x)
        return;
    if (p->cy < 0 || p->cx < 0) {
        paint_move_choose(p, y, x);
    } else {
        unsigned k = ((unsigned)p->cy * 31u + (unsigned)p->cx) * 131u +
                     (unsigned)y * 37u + (unsigned)x;
        struct paint_mv *m = &p->moves[k % PAINT_MOVES];
        if (m->len != 0 && m->fy == p->cy && m->fx == p->cx && m->ty == y &&
            m->tx == x) {
            paint_put(p, m->s, m->len);
        } else {
            size_t before = p->len;
            paint_move_choose(p, y, x);
            size_t n = p->len - before;
            if (n > 0 && n <= sizeof m->s) {
                memcpy(m->s, p->out + before, n);
                m->len = (unsigned char)n;
                m->fy = (short)p->cy;
                m->fx = (short)p->cx;
                m->ty = (short)y;
                m->tx = (short)x;
            }
        }
    }
    p->cy = y;
    p->cx = x;
}

static void
paint_normal(struct paint *p)
{
    if (p->cur_attr != 0 || p->cur_pair != 0) {
        paint_put(p, p->sgr0, p->sgr0_len);
        p->cur_attr = 0;
        p->cur_pair = 0;
    }
}

/* Resets the attributes and sets a (but italics) with one sgr string, as
 * ncurses does; like sgr0 it resets the colours. */
static void
paint_sgr(struct paint *p, attr_t a)
{
    unsigned k = 0;
    for (int i = 0; i < 8; i++)
        if (a & paint_bits[i])
            k |= 1u << i;
    struct paint_str *slot = &p->sgr[k];
    if (slot->len == 0 || slot->len == PAINT_LONG) {
        const char *s =
            tiparm(p->cap_sgr, (a & A_STANDOUT) != 0, (a & A_UNDERLINE) != 0,
                   (a & A_REVERSE) != 0, (a & A_BLINK) != 0, (a & A_DIM) != 0,
                   (a & A_BOLD) != 0, (a & A_INVIS) != 0, 0, 0);
        size_t n = s != NULL ? strlen(s) : 0;
        if (n >= sizeof slot->s) {
            paint_put(p, s, n);
            goto done;
        }
        memcpy(slot->s, s, n);
        slot->len = (unsigned char)n;
    }
    paint_put(p, slot->s, slot->len);
done:
    p->cur_attr = a & ~(attr_t)A_ITALIC;
    p->cur_pair = 0;
}

/* Switches the terminal to the cell's attributes and colours. Turning an
 * attribute off, or a colour back to the default, goes through sgr0 (as
 * ncurses assumes, sgr0 resets the colours too). */
static void
paint_attrs_choose(struct paint *p, attr_t a, int pair)
{
    int fg = -1, bg = -1;
    if (pair != 0)
        extended_pair_content(pair, &fg, &bg);
    if ((p->cur_attr & ~a) != 0 ||
        (pair != p->cur_pair && p->cur_pair != 0 && (fg < 0 || bg < 0))) {
        if (a != 0 && p->cap_sgr != NULL)
            paint_sgr(p, a); /* off and on in one string */
        else
            paint_normal(p);
    }
    for (int i = 0; i < 8; i++)
        if ((a & ~p->cur_attr & paint_bits[i]) != 0)
            paint_puts(p, p->attr_on[i]);
    if (pair != p->cur_pair) {
        if (fg >= 0 && p->cap_setaf != NULL)
            paint_colour(p, p->setaf, p->cap_setaf, fg);
        if (bg >= 0 && p->cap_setab != NULL)
            paint_colour(p, p->setab, p->cap_setab, bg);
    }
    p->cur_attr = a;
    p->cur_pair = pair;
}

/* The same changes of attributes come back update after update: each
 * kept, keyed by the attributes before and after (a small table; a clash
 * replaces the entry; emptied with every repaint, after which colour
 * pairs may mean other colours). */
static void
paint_attrs_set(struct paint *p, attr_t a, int pair)
{
    unsigned k = ((unsigned)p->cur_attr * 7u + (unsigned)p->cur_pair) * 131u +
                 (unsigned)a * 3u + (unsigned)pair;
    struct paint_sg *g = &p->sgrs[(k ^ (k >> 16)) % PAINT_SGRS];
    if (g->len != 0 && g->fa == p->cur_attr && g->fp == p->cur_pair &&
        g->ta == a && g->tp == pair) {
        paint_put(p, g->s, g->len);
        p->cur_attr = a;
        p->cur_pair = pair;
        return;
    }
    attr_t fa = p->cur_attr;
    int fp = p->cur_pair;
    size_t before = p->len;
    paint_attrs_choose(p, a, pair);
    size_t n = p->len - before;
    if (n > 0 && n <= sizeof g->s) {
        memcpy(g->s, p->out + before, n);
        g->len = (unsigned char)n;
        g->fa = fa;
        g->fp = fp;
        g->ta = a;
        g->tp = pair;
    }
}

/* The same as the last cell's, most of the time: no call then. */
static inline void
paint_attrs(struct paint *p, const cchar_t *c)
{
    attr_t a = c->attr & PAINT_ATTRS;
    int pair = c->ext_color != 0 ? c->ext_color : PAIR_NUMBER(c->attr);
    if (a != p->cur_attr || pair != p->cur_pair)
        paint_attrs_set(p, a, pair);
}

/* Writes the cell's text; returns the columns it took. */
static int
paint_text(struct paint *p, const cchar_t *c)
{
    wchar_t wc = c->chars[0];
    if (wc == 0)
        wc = L' ';
    if (wc < 0x80) {
        paint_putc(p, wc >= 0x20 && wc != 0x7f ? (char)wc : '?');
        return 1;
    }
    int w = wcwidth(wc);
    for (int i = 0; i < CCHARW_MAX && (i == 0 || c->chars[i] != 0); i++) {
        char mb[MB_LEN_MAX];
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t n = wcrtomb(mb, i == 0 ? wc : c->chars[i], &st);
        if (n == (size_t)-1) {
            if (i == 0)
                paint_put(p, "?", 1);
            w = 1;
            continue;
        }
        paint_put(p, mb, n);
    }
    return w == 2 ? 2 : 1;
}

/* The bottom-right cell: writing it would scroll a terminal with
 * automatic margins, unless they can be switched off for it. */
static void
paint_last_cell(struct paint *p, const cchar_t *c)
{
    if (p->am && (p->smam == NULL || p->rmam == NULL))
        return; /* left as it is, as ncurses does without the means */
    paint_attrs(p, c);
    if (p->am)
        paint_puts(p, p->rmam);
    paint_text(p, c);
    if (p->am)
        paint_puts(p, p->smam);
    p->cx = -1;
}

/* The copy and the strings kept for a size. */
static void
paint_free_tables(struct paint *p)
{
    if (p->cup != NULL)
        for (int y = 0; y < p->rows; y++)
            free(p->cup[y]);
    free(p->cup);
    free(p->cuf);
    free(p->cub);
    free(p->hpa);
    free(p->vpa);
    free(p->front);
    p->cup = NULL;
    p->cuf = p->cub = p->hpa = p->vpa = NULL;
    p->front = NULL;
    memset(p->moves, 0, sizeof p->moves);
}

/* ---- the update -------------------------------------------------------- */

/* Writes cells start..end of line y (text) and notes them as shown. */
static void
paint_cells(struct paint *p, int y, const cchar_t *text, cchar_t *front,
            int start, int end)
{
    paint_move(p, y, start);
    for (int i = start; i <= end; i++) {
        const cchar_t *c = &text[i];
        front[i] = *c;
        if (paint_ext(c))
            continue; /* the character before covers it */
        if (y == p->rows - 1 && i == p->cols - 1) {
            paint_last_cell(p, c);
            continue;
        }
        paint_attrs(p, c);
        p->cx += paint_text(p, c);
    }
    if (p->cx >= p->cols)
        p->cx = -1; /* at the margin: terminals differ on where it is */
}

/* The changed runs of line y within first..last. */
static void
paint_line(struct paint *p, int y, const cchar_t *text, int first, int last)
{
    cchar_t *front = p->front + (size_t)y * (size_t)p->cols;
    /* The line blank from tail on: cleared with el instead of written. */
    int tail = p->cols;
    if (p->el != NULL && paint_eq(&text[last], &p->blank)) {
        while (tail > first && paint_eq(&text[tail - 1], &p->blank))
            tail--;
        if (tail < p->cols && paint_ext(&front[tail]))
            tail = p->cols; /* half of a two-column character: write it */
        else if (last >= tail)
            last = tail - 1;
    }
    int x = first;
    while (x <= last) {
        /* sixteen cells at a time while they are the same, then to the
         * first that differs */
        int lim = x + 16 <= last + 1 ? x + 16 : last + 1;
        if (lim == x + 16 &&
            memcmp(&text[x], &front[x], 16 * sizeof *text) == 0) {
            x = lim;
            continue;
        }
        while (x < lim && paint_eq(&text[x], &front[x]))
            x++;
        if (x == lim)
            continue;
        int start = x, end = x, gap = 0;
        for (int j = x + 1; j <= last && gap <= PAINT_GAP; j++) {
            if (paint_eq(&text[j], &front[j])) {
                gap++;
            } else {
                end = j;
                gap = 0;
            }
        }
        /* whole two-column characters, old and new */
        while (start > 0 &&
               (paint_ext(&text[start]) || paint_ext(&front[start])))
            start--;
        while (end + 1 < p->cols &&
               (paint_ext(&text[end + 1]) || paint_ext(&front[end + 1])))
            end++;
        paint_cells(p, y, text, front, start, end);
        x = end + 1;
    }
    for (x = tail; x < p->cols; x++)
        if (!paint_eq(&front[x], &p->blank))
            break;
    if (x < p->cols) {
        paint_move(p, y, tail);
        paint_normal(p);
        paint_put(p, p->el, p->el_len);
        for (x = tail; x < p->cols; x++)
            front[x] = p->blank;
    }
}

#if !NCURSES_OPAQUE
/* Everything again: doupdate() clears and writes the screen (and comes
 * back from endwin()), then the copy is taken from newscr. */
static void
paint_repaint(struct paint *p)
{
    int rows = getmaxy(newscr), cols = getmaxx(newscr);
    clearok(curscr, TRUE);
    doupdate();
    p->stale = false;
    memset(p->sgrs, 0, sizeof p->sgrs);
    if (rows != p->rows || cols != p->cols) {
        paint_free_tables(p);
        p->rows = rows;
        p->cols = cols;
        p->front = xcalloc((size_t)rows * (size_t)cols, sizeof *p->front);
        p->cup = xcalloc((size_t)rows, sizeof *p->cup);
        p->cuf = xcalloc((size_t)cols + 1, sizeof *p->cuf);
        p->cub = xcalloc((size_t)cols + 1, sizeof *p->cub);
        p->hpa = xcalloc((size_t)cols + 1, sizeof *p->hpa);
        p->vpa = xcalloc((size_t)rows + 1, sizeof *p->vpa);
    }
    struct paint_line *l = paint_lines(newscr);
    for (int y = 0; y < rows; y++)
        memcpy(p->front + (size_t)y * (size_t)cols, l[y].text,
               (size_t)cols * sizeof *p->front);
    p->cy = p->cx = -1;
    p->cur_attr = 0;
    p->cur_pair = 0;
}

/* newscr's cells under window w, lines top..bottom (w's), moved up by
 * n as wscrl() moved w's; the lines that came in get w's background, as
 * w's did. The lines are marked changed for paint_update(), and w's
 * unmarked: wnoutrefresh() would compare each of their cells again. */
static void
paint_shift_newscr(struct paint *p, WINDOW *w, int top, int bottom, int n)
{
    struct paint_line *nl = paint_lines(newscr);
    int by = getbegy(w), bx = getbegx(w), wd = getmaxx(w);
    int up = n > 0 ? n : -n, keep = bottom - top + 1 - up;
    size_t bytes = (size_t)wd * sizeof(cchar_t);
    if (n > 0)
        for (int r = top; r < top + keep; r++)
            memcpy(nl[by + r].text + bx, nl[by + r + up].text + bx, bytes);
    else
        for (int r = bottom; r >= top + up; r--)
            memcpy(nl[by + r].text + bx, nl[by + r - up].text + bx, bytes);
    cchar_t bg;
    if (wgetbkgrnd(w, &bg) == ERR)
        bg = p->blank;
    int from = n > 0 ? top + keep : top;
    for (int r = from; r < from + up; r++)
        for (int x = 0; x < wd; x++)
            nl[by + r].text[bx + x] = bg;
    for (int r = top; r <= bottom; r++) {
        struct paint_line *l = &nl[by + r];
        if (l->firstchar == _NOCHANGE || l->firstchar > bx)
            l->firstchar = (NCURSES_SIZE_T)bx;
        if (l->lastchar == _NOCHANGE || l->lastchar < bx + wd - 1)
            l->lastchar = (NCURSES_SIZE_T)(bx + wd - 1);
    }
    wtouchln(w, top, bottom - top + 1, 0);
}

void
paint_scrolled(struct paint *p, WINDOW *w, int top, int bottom, int n,
               bool alone)
{
    int by = getbegy(w), bx = getbegx(w);
    if (!p->enabled || n == 0 || top < 0 || top >= bottom ||
        abs(n) > bottom - top || by + bottom >= p->rows ||
        bx + getmaxx(w) > p->cols || wgetparent(w) != NULL)
        return;
    if (p->cap_csr == NULL || p->ind == NULL || p->ri == NULL || bx != 0 ||
        getmaxx(w) != p->cols ||
        p->nscrolls == (int)(sizeof p->scrolls / sizeof *p->scrolls))
        return; /* the lines stay where they are on the terminal */
    /* The terminal moves the lines: newscr's move with them, and then
     * most of them are the same as the terminal's, which a comparison of
     * sixteen cells at a time finds quickly. (Where the lines stay on the
     * terminal, wnoutrefresh()'s comparison of the window with newscr is
     * the one needed.) */
    if (alone)
        paint_shift_newscr(p, w, top, bottom, n);
    p->scrolls[p->nscrolls++] = (struct paint_scroll){by + top, by + bottom, n};
}

/* Moves lines on the terminal and in the copy as paint_scrolled() said:
 * the region set, index at its bottom (or reverse index at its top) n
 * times, the region back to the whole screen. newscr's changes are
 * against its lines before they moved, so the lines moved are compared
 * whole: *top..*bottom (none when *top > *bottom). */
static void
paint_apply_scrolls(struct paint *p, int *top, int *bottom)
{
    *top = p->rows;
    *bottom = -1;
    size_t cols = (size_t)p->cols, n;
    for (int k = 0; k < p->nscrolls; k++) {
        const struct paint_scroll *sc = &p->scrolls[k];
        int up = sc->n > 0 ? sc->n : -sc->n;
        if (sc->top < *top)
            *top = sc->top;
        if (sc->bottom > *bottom)
            *bottom = sc->bottom;
        paint_normal(p); /* new lines in the default colours */
        paint_puts(p, tiparm(p->cap_csr, sc->top, sc->bottom));
        p->cy = p->cx = -1; /* where csr leaves it differs */
        const char *s = paint_cup(p, sc->n > 0 ? sc->bottom : sc->top, 0, &n);
        paint_put(p, s, n);
        for (int i = 0; i < up; i++)
            paint_puts(p, sc->n > 0 ? p->ind : p->ri);
        paint_puts(p, tiparm(p->cap_csr, 0, p->rows - 1));
        cchar_t *f = p->front;
        int keep = sc->bottom - sc->top + 1 - up;
        if (sc->n > 0)
            memmove(f + (size_t)sc->top * cols,
                    f + (size_t)(sc->top + up) * cols,
                    (size_t)keep * cols * sizeof *f);
        else
            memmove(f + (size_t)(sc->top + up) * cols,
                    f + (size_t)sc->top * cols,
                    (size_t)keep * cols * sizeof *f);
        int from = sc->n > 0 ? sc->top + keep : sc->top;
        for (int y = from; y < from + up; y++)
            for (size_t x = 0; x < cols; x++)
                f[(size_t)y * cols + x] = p->blank;
    }
    p->nscrolls = 0;
}

void
paint_update(struct paint *p)
{
    if (!p->enabled) {
        doupdate();
        return;
    }
    if (p->stale || isendwin() || is_cleared(curscr) || is_cleared(newscr) ||
        getmaxy(newscr) != p->rows || getmaxx(newscr) != p->cols) {
        p->nscrolls = 0;
        paint_repaint(p);
        return;
    }
    int moved_top, moved_bottom;
    paint_apply_scrolls(p, &moved_top, &moved_bottom);
    struct paint_line *l = paint_lines(newscr);
    for (int y = 0; y < p->rows; y++) {
        int first = l[y].firstchar, last = l[y].lastchar;
        if (y >= moved_top && y <= moved_bottom) {
            first = 0;
            last = p->cols - 1;
        } else if (first == _NOCHANGE) {
            continue;
        }
        if (first < 0)
            first = 0;
        if (last >= p->cols)
            last = p->cols - 1;
        paint_line(p, y, l[y].text, first, last);
        l[y].firstchar = l[y].lastchar = _NOCHANGE;
    }
    paint_normal(p); /* as doupdate() leaves it, for anything after us */
    if (!is_leaveok(newscr)) {
        int cy = getcury(newscr), cx = getcurx(newscr);
        if (cy >= 0 && cy < p->rows && cx >= 0 && cx < p->cols)
            paint_move(p, cy, cx);
    }
    paint_flush(p);
}

/* Checks on a scratch window that ncurses' lines are laid out as
 * struct paint_line says, and two-column characters marked as
 * paint_ext() expects. */
static bool
paint_layout_ok(void)
{
    WINDOW *w = newwin(1, 4, 0, 0);
    if (w == NULL)
        return false;
    struct paint_line *l = paint_lines(w);
    cchar_t c;
    untouchwin(w);
    bool ok = l[0].firstchar == _NOCHANGE && l[0].lastchar == _NOCHANGE;
    mvwaddstr(w, 0, 1, "ab");
    ok = ok && l[0].firstchar == 1 && l[0].lastchar == 2 &&
         mvwin_wch(w, 0, 1, &c) == OK && paint_eq(&c, &l[0].text[1]) &&
         l[0].text[2].chars[0] == L'b' && !paint_ext(&l[0].text[1]);
    wchar_t wide[2] = {0x4E00, 0};
    if (ok && wcwidth(wide[0]) == 2) {
        cchar_t wc;
        setcchar(&wc, wide, A_NORMAL, 0, NULL);
        ok = mvwadd_wch(w, 0, 0, &wc) == OK && !paint_ext(&l[0].text[0]) &&
             paint_ext(&l[0].text[1]) && !paint_ext(&l[0].text[2]) &&
             l[0].text[0].chars[0] == wide[0];
    }
    delwin(w);
    return ok;
}
#else
void
paint_update(struct paint *p)
{
    (void)p;
    doupdate();
}
#endif

void
paint_open(struct paint *p, int fd)
{
    memset(p, 0, sizeof *p);
    p->fd = fd;
    p->cy = p->cx = -1;
    const char *env = getenv("KVDECK_OUTPUT");
    if (env != NULL && strcmp(env, "curses") == 0)
        return;
#if !NCURSES_OPAQUE
    p->sgr0 = paint_tistr("sgr0");
    p->cap_cup = paint_tistr("cup");
    if (p->sgr0 == NULL || p->cap_cup == NULL || !paint_layout_ok())
        return;
    p->cap_cuf = paint_tistr("cuf");
    if (sizeof(cchar_t) != 28)
        return; /* paint_eq() compares 28 bytes */
    p->cap_cub = paint_tistr("cub");
    p->cap_hpa = paint_tistr("hpa");
    p->cap_vpa = paint_tistr("vpa");
    p->cap_sgr = paint_tistr("sgr");
    p->cuf1 = paint_tistr("cuf1");
    p->cub1 = paint_tistr("cub1");
    p->cr = paint_tistr("cr");
    p->el = paint_tistr("el");
    p->cap_csr = paint_tistr("csr");
    p->ind = paint_tistr("ind");
    p->ri = paint_tistr("ri");
    p->cap_setaf = paint_tistr("setaf");
    p->cap_setab = paint_tistr("setab");
    p->smam = paint_tistr("smam");
    p->rmam = paint_tistr("rmam");
    p->am = tigetflag("am") > 0;
    for (int i = 0; i < 8; i++)
        p->attr_on[i] = paint_tistr(paint_bit_caps[i]);
    p->cuf1_len = p->cuf1 != NULL ? strlen(p->cuf1) : 0;
    p->cub1_len = p->cub1 != NULL ? strlen(p->cub1) : 0;
    p->cr_len = p->cr != NULL ? strlen(p->cr) : 0;
    p->el_len = p->el != NULL ? strlen(p->el) : 0;
    p->sgr0_len = strlen(p->sgr0);
    wchar_t sp[2] = {L' ', 0};
    setcchar(&p->blank, sp, A_NORMAL, 0, NULL);
    /* Padding ($<5>) is for terminals that need delays, which tputs()
     * makes: ncurses writes for those. */
    const char *used[] = {p->sgr0,      p->cap_cup, p->cap_cuf, p->cap_cub,
                          p->cap_hpa,   p->cap_vpa, p->cap_sgr, p->cap_setaf,
                          p->cap_setab, p->cap_csr, p->cuf1,    p->cub1,
                          p->cr,        p->el,      p->ind,     p->ri,
                          p->smam,      p->rmam};
    for (size_t i = 0; i < sizeof used / sizeof used[0]; i++)
        if (used[i] != NULL && strstr(used[i], "$<") != NULL)
            return;
    for (int i = 0; i < 8; i++)
        if (p->attr_on[i] != NULL && strstr(p->attr_on[i], "$<") != NULL)
            return;
    p->enabled = true; /* the first update repaints: rows is 0 */
#endif
}

void
paint_close(struct paint *p)
{
    paint_free_tables(p);
    free(p->out);
    memset(p, 0, sizeof *p);
}
