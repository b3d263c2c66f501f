/*
 * screen-help.c — the help as a modal screen: the keys from the key
 * table (so it never disagrees with what the keys do) and the `:`
 * commands, scrolled with the list keys; Esc, q or the help key close it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "tui/draw.h"
#include "tui/screen.h"
#include "tui/text.h"

struct help {
    int top; /* first line shown */
};

/* One help entry: left (keys or a command) in a column of keycol, text
 * wrapped beside it; when left does not fit the column it gets a line
 * of its own and the text starts below it. Lines go to all. */
static void
help_entry(struct vec *all, const char *left, const char *text, int keycol,
           int width)
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
help_heading(struct vec *all, const char *text)
{
    vec_push(all, xasprintf("\001%s", text));
}

/* Every line of the help at this width. */
static void
help_lines(struct app *a, int width, struct vec *all)
{
    int keycol = width >= 60 ? 20 : width >= 48 ? 16 : 12;
    help_heading(all, _("Keys (Esc or q closes this help)"));
    char **lines = keytab_help(a->keys);
    for (char **l = lines; *l; l++) {
        char *tab = strchr(*l, '\t');
        *tab = '\0';
        help_entry(all, *l, tab + 1, keycol, width);
        free(*l);
    }
    free(lines);
    vec_push(all, xstrdup(""));
    help_heading(all, _("Commands"));
    for (int k = 0; k < CMD_COUNT; k++) {
        /* ":vault NAME|URI   open a vault": the command, then its text */
        const char *h = command_help((enum command_kind)k);
        const char *gap = strstr(h, "   ");
        char *cmd = gap ? xstrndup(h, (size_t)(gap - h)) : xstrdup(h);
        help_entry(all, cmd, gap ? gap + 3 : "", keycol, width);
        free(cmd);
    }
    if (a->opt.read_only) {
        vec_push(all, xstrdup(""));
        /* The writing keys stay bound so a newcomer learns they exist;
         * loop_action() refuses them (app_refuse_read_only()). */
        text_wrap(_("Read-only mode (--read-only): kvdeck will change "
                    "nothing. The keys marked (read-only) only say so; "
                    "nothing is sent to Azure."),
                  width, all);
    }
}

static void
help_draw(struct app *a, struct screen *s, WINDOW *w)
{
    struct help *h = s->priv;
    int rows, width;
    getmaxyx(w, rows, width);
    struct vec all = VEC_INIT;
    help_lines(a, width, &all);
    int max_top = (int)all.len - rows > 0 ? (int)all.len - rows : 0;
    if (h->top > max_top)
        h->top = max_top;
    for (int y = 0; y < rows && (size_t)(h->top + y) < all.len; y++) {
        const char *l = all.items[h->top + y];
        bool heading = l[0] == '\001';
        draw_text(a, w, y, 0, width, l + heading,
                  heading ? ST_TITLE : ST_NORMAL, true);
    }
    vec_free_all(&all, free);
}

static enum view_result
help_key(struct app *a, struct screen *s, int key, bool is_key)
{
    struct help *h = s->priv;
    int page = 1;
    if (s->body != NULL) {
        page = getmaxy(s->body) - 1;
        if (page < 1)
            page = 1;
    }
    if (!is_key && (key == 'q' || key == 27))
        return VIEW_CLOSE;
    switch (keytab_lookup(a->keys, key)) {
    case ACT_DOWN:
        h->top++;
        break;
    case ACT_UP:
        h->top = h->top > 0 ? h->top - 1 : 0;
        break;
    case ACT_PAGE_DOWN:
        h->top += page;
        break;
    case ACT_PAGE_UP:
        h->top = h->top > page ? h->top - page : 0;
        break;
    case ACT_HOME:
        h->top = 0;
        break;
    case ACT_END:
        h->top = 100000;
        break;
    case ACT_HELP:
    case ACT_BACK:
    case ACT_QUIT:
        return VIEW_CLOSE;
    default:
        return VIEW_HANDLED;
    }
    return VIEW_REDRAW;
}

static const struct frame_hint help_hints[] = {
    {.act = ACT_BACK, .label = N_("close the help")},
    {.act = ACT_DOWN, .label = N_("scroll")},
    {.act = ACT_PAGE_DOWN, .label = N_("page")},
    {.label = NULL},
};

static const struct frame_hint *
help_hints_get(struct app *a, struct screen *s)
{
    (void)a;
    (void)s;
    return help_hints;
}

static void
help_destroy(struct screen *s)
{
    free(s->priv);
}

static const struct screen_ops screen_help_ops = {
    .name = "help",
    .key = help_key,
    .draw = help_draw,
    .hints = help_hints_get,
    .destroy = help_destroy,
};

struct screen *
screen_help_push(struct app *a)
{
    /* A second help over the first helps nobody. */
    struct screen *top = screen_top(a);
    if (top != NULL && top->ops == &screen_help_ops)
        return top;
    return screen_push(a, &screen_help_ops, xcalloc(1, sizeof(struct help)),
                       NULL);
}
