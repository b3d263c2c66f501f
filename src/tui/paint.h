/*
 * paint.h — kvdeck's own terminal output. The panes draw into curses
 * windows and wnoutrefresh() composes them into newscr as before; then
 * paint_update(), instead of ncurses' doupdate(), writes the cells of
 * newscr that differ from what the terminal shows (a copy kept here),
 * with cursor-movement and attribute strings formatted from terminfo
 * once and kept. A key press that changes a few dozen cells costs a few
 * thousand instructions instead of doupdate()'s 400,000 (its cursor-
 * movement optimiser formats several terminfo strings per changed spot).
 *
 * ncurses keeps the windows, the input, terminfo, and every full repaint
 * (start, Ctrl-L, resize, return from Ctrl-Z): those go through
 * doupdate(), after which this copy is taken from newscr again.
 *
 * newscr's line changes are read from ncurses' line structure, which
 * curses.h declares but does not define; paint_open() checks its layout
 * against the public API on a scratch window and, if anything differs,
 * leaves the output to doupdate(). So does KVDECK_OUTPUT=curses.
 *
 * struct paint is embedded in struct termctl (term.h) and owned by it.
 */
#ifndef KV_TUI_PAINT_H
#define KV_TUI_PAINT_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

/* A terminfo string formatted once (a cursor address, a colour). */
struct paint_str {
    unsigned char len; /* 0: not formatted yet; PAINT_LONG: too long to
                          keep, formatted each time */
    char s[31];
};

/* A cursor move kept: from (fy, fx) to (ty, tx), its bytes. */
struct paint_mv {
    short fy, fx, ty, tx;
    unsigned char len; /* 0: empty */
    char s[23];
};
#define PAINT_MOVES 256

/* A change of attributes kept: from (fa, fp) to (ta, tp), its bytes. */
struct paint_sg {
    attr_t fa, ta;
    int fp, tp;
    unsigned char len; /* 0: empty */
    char s[31];
};
#define PAINT_SGRS 64

struct paint {
    bool enabled;    /* false: doupdate() does the output */
    bool stale;      /* the copy below may be wrong: repaint */
    int fd;          /* the terminal */
    int rows, cols;  /* the size the copy below has */
    cchar_t *front;  /* rows x cols: what the terminal shows */
    int cy, cx;      /* the terminal's cursor; -1: not known */
    attr_t cur_attr; /* the attributes the terminal writes with */
    int cur_pair;
    /* terminfo */
    const char *sgr0, *cuf1, *cub1, *cr, *el, *smam, *rmam;
    size_t cuf1_len, cub1_len, cr_len, el_len, sgr0_len;
    const char *attr_on[8]; /* bold, dim, rev, smul, smso, blink, sitm,
                               invis */
    bool am;
    const char *cap_cup, *cap_cuf, *cap_cub, *cap_hpa, *cap_vpa, *cap_sgr,
        *cap_setaf, *cap_setab, *cap_csr, *ind, *ri;
    /* lines moved since the last update, in order: top, bottom, by n
     * (up when n > 0) */
    struct paint_scroll {
        int top, bottom, n;
    } scrolls[8];
    int nscrolls;
    cchar_t blank; /* a blank in the default colours */
    /* formatted once: cup per cell (a row's when first used), the moves
     * by n columns, to column n, to line n, the attribute sets, the
     * colours */
    struct paint_str **cup, *cuf, *cub, *hpa, *vpa;
    struct paint_str sgr[256], setaf[256], setab[256];
    struct paint_mv moves[PAINT_MOVES];
    struct paint_sg sgrs[PAINT_SGRS];
    /* the bytes of one update */
    char *out;
    size_t len, cap;
};

/* After newterm(): decides whether kvdeck writes the output (see
 * above), and puts out what ncurses has pending. */
void paint_open(struct paint *p, int fd);
/* Frees the copy and the formatted strings. */
void paint_close(struct paint *p);
/* Puts newscr on the terminal: what doupdate() does. */
void paint_update(struct paint *p);
/* Lines top..bottom of window w moved up by n (down when n < 0) with
 * wscrl(): newscr's copy of them is moved the same way, so that only the
 * lines drawn afterwards are copied and compared again (alone: no other
 * window covers w's lines in newscr; else only the next step applies);
 * when w is as wide as the terminal, the next update moves them on the
 * terminal too (a scrolling region) instead of writing them again. */
void paint_scrolled(struct paint *p, WINDOW *w, int top, int bottom, int n,
                    bool alone);

#endif
