/*
 * screen-signin.c — the device-code sign-in screen (screen-signin.h).
 *
 * The engine sends RESULT_SIGN_IN results: CODE pushes the screen (or
 * shows the new code), SLOW_DOWN adds a line, DONE pops it and names who
 * signed in, FAILED shows why with r for a new code. The countdown ticks
 * once a second. Nothing here waits: the worker polls the token endpoint
 * and the panes' own jobs wait for the token.
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
#include "tui/screen-signin.h"
#include "tui/screen.h"
#include "tui/text.h"

enum signin_state {
    SIGNIN_ASKING,  /* a new code was asked for */
    SIGNIN_WAITING, /* the code is shown; the worker polls */
    SIGNIN_FAILED,  /* declined, expired, refused */
};

struct signin {
    enum signin_state state;
    char *user_code, *uri;
    int64_t expires_at;
    int interval;
    bool slowed;
    char *why; /* FAILED */
};

static const struct screen_ops signin_ops;

static struct screen *
signin_find(const struct app *a)
{
    for (size_t i = 0; i < a->screens.len; i++) {
        struct screen *s = a->screens.items[i];
        if (s->ops == &signin_ops && !s->gone)
            return s;
    }
    return NULL;
}

static void
signin_size(struct app *a, struct screen *s, int max_h, int max_w, int *h,
            int *w)
{
    struct signin *p = s->priv;
    (void)a;
    int want_w = 66;
    if (p->uri != NULL && text_width(p->uri) + 8 > want_w)
        want_w = text_width(p->uri) + 8;
    *w = want_w < max_w ? want_w : max_w;
    *h = 13 < max_h ? 13 : max_h;
}

/* Draws wrapped text from line y; returns the next free line. */
static int
signin_para(struct app *a, WINDOW *w, int y, int rows, int width,
            const char *text, enum style st)
{
    struct vec lines = VEC_INIT;
    text_wrap(text, width - 2, &lines);
    for (size_t i = 0; i < lines.len && y < rows; i++, y++)
        draw_text(a, w, y, 1, width - 2, lines.items[i], st, true);
    vec_free_all(&lines, free);
    return y;
}

static void
signin_draw(struct app *a, struct screen *s, WINDOW *w)
{
    struct signin *p = s->priv;
    int rows, width;
    getmaxyx(w, rows, width);
    werase(w);
    int y = 0;
    char line[256];
    if (p->state == SIGNIN_FAILED) {
        snprintf(line, sizeof line, _("Not signed in: %s"),
                 p->why != NULL ? p->why : _("the sign-in failed"));
        y = signin_para(a, w, y, rows, width, line, ST_ERROR) + 1;
        signin_para(a, w, y, rows, width,
                    _("Press r to sign in again with a new code, or Esc to "
                      "close."),
                    ST_NORMAL);
        return;
    }
    if (p->state == SIGNIN_ASKING) {
        signin_para(a, w, y, rows, width, _("Asking for a sign-in code..."),
                    ST_DIM);
        return;
    }
    y = signin_para(a, w, y, rows, width,
                    _("To sign in, open this page in a browser:"), ST_NORMAL);
    if (y < rows)
        draw_text(a, w, y++, 4, width - 5, p->uri, ST_VALUE, true);
    y++;
    if (y < rows)
        draw_text(a, w, y++, 1, width - 2, _("and enter the code:"), ST_NORMAL,
                  true);
    if (y < rows)
        draw_text(a, w, y++, 4, width - 5, p->user_code, ST_TITLE_FOCUS, false);
    y++;
    int64_t left = p->expires_at - time_now();
    if (left > 0)
        snprintf(line, sizeof line, _("The code expires in %lld:%02lld."),
                 (long long)(left / 60), (long long)(left % 60));
    else
        snprintf(line, sizeof line, "%s", _("The code has expired."));
    if (y < rows)
        draw_text(a, w, y++, 1, width - 2, line, ST_DIM, true);
    if (y < rows)
        draw_text(a, w, y++, 1, width - 2, _("Waiting for you to sign in..."),
                  ST_NORMAL, true);
    if (p->slowed) {
        snprintf(line, sizeof line,
                 _("The sign-in server asked to be polled less often "
                   "(every %d s)."),
                 p->interval);
        signin_para(a, w, y, rows, width, line, ST_WARNING);
    }
}

/* Asks the engine for a new code and loads what failed without one. */
static void
signin_again(struct app *a)
{
    a->sign_in_failed = false;
    engine_sign_in_retry(a->eng);
    store_load_subscriptions(a->store);
    if (a->vault != NULL)
        store_load_secrets(a->store, a->vault);
    a->status_dirty = true;
}

bool
screen_signin_retry(struct app *a)
{
    if (!a->sign_in_failed)
        return false;
    signin_again(a);
    app_message(a, false, "%s", _("asking for a new sign-in code..."));
    return true;
}

static enum view_result
signin_key(struct app *a, struct screen *s, int ch, bool is_key)
{
    struct signin *p = s->priv;
    enum key_action act = keytab_lookup(a->keys, ch);
    if (!is_key && (ch == 27 || ch == 'q')) {
        if (p->state == SIGNIN_FAILED) {
            a->sign_in_failed = true;
            app_message(a, true, _("not signed in: %s — r signs in again"),
                        p->why != NULL ? p->why : _("the sign-in failed"));
        } else {
            /* the worker keeps polling: signing in still works */
            app_message(a, false, "%s",
                        _("not signed in yet: the lists load once you "
                          "have signed in with the code"));
        }
        return VIEW_CLOSE;
    }
    if (p->state == SIGNIN_FAILED &&
        ((!is_key && ch == 'r') || act == ACT_REFRESH)) {
        signin_again(a);
        p->state = SIGNIN_ASKING;
        free(p->why);
        p->why = NULL;
        p->slowed = false;
        return VIEW_REDRAW | VIEW_STATUS;
    }
    return VIEW_HANDLED;
}

/* The countdown: once a second while a code is shown. */
static int64_t
signin_tick(struct app *a, struct screen *s, int64_t now)
{
    struct signin *p = s->priv;
    (void)a;
    if (p->state != SIGNIN_WAITING)
        return 0;
    s->dirty = true;
    return now + 1000 - now % 1000;
}

static const struct frame_hint signin_hints_wait[] = {
    {.key = "Esc", .label = N_("hide")},
    {.label = NULL},
};
static const struct frame_hint signin_hints_failed[] = {
    {.key = "r", .label = N_("new code")},
    {.key = "Esc", .label = N_("close")},
    {.label = NULL},
};

static const struct frame_hint *
signin_hints(struct app *a, struct screen *s)
{
    struct signin *p = s->priv;
    (void)a;
    return p->state == SIGNIN_FAILED ? signin_hints_failed : signin_hints_wait;
}

static void
signin_destroy(struct screen *s)
{
    struct signin *p = s->priv;
    free(p->user_code);
    free(p->uri);
    free(p->why);
    free(p);
}

static const struct screen_ops signin_ops = {
    .name = "signin",
    .key = signin_key,
    .draw = signin_draw,
    .size = signin_size,
    .tick = signin_tick,
    .hints = signin_hints,
    .destroy = signin_destroy,
};

/* The screen, pushed when not on the stack. */
static struct screen *
signin_get(struct app *a)
{
    struct screen *s = signin_find(a);
    if (s == NULL)
        s = screen_push(a, &signin_ops, xcalloc(1, sizeof(struct signin)),
                        _("Sign in to Azure"));
    return s;
}

void
screen_signin_deliver(void *ctx, struct result *r)
{
    struct app *a = ctx;
    const struct engine_sign_in *si = r->sign_in;
    if (si == NULL)
        return;
    struct screen *s;
    struct signin *p;
    switch (si->event) {
    case SIGN_IN_CODE:
    case SIGN_IN_SLOW_DOWN:
        a->sign_in_failed = false;
        s = signin_get(a);
        p = s->priv;
        p->state = SIGNIN_WAITING;
        free(p->user_code);
        free(p->uri);
        p->user_code = xstrdup(si->user_code != NULL ? si->user_code : "?");
        p->uri =
            xstrdup(si->verification_uri != NULL ? si->verification_uri : "?");
        p->expires_at = si->expires_at;
        p->interval = si->interval;
        if (si->event == SIGN_IN_SLOW_DOWN)
            p->slowed = true;
        screen_refit(a, s);
        s->dirty = true;
        break;
    case SIGN_IN_DONE:
        a->sign_in_failed = false;
        s = signin_find(a);
        if (s != NULL)
            screen_pop(a, s);
        app_message(a, false, _("signed in as %s"),
                    si->account != NULL ? si->account : _("(unknown account)"));
        break;
    case SIGN_IN_FAILED:
        s = signin_get(a);
        p = s->priv;
        p->state = SIGNIN_FAILED;
        free(p->why);
        p->why =
            xstrdup(si->why != NULL ? si->why : kv_status_message(si->status));
        screen_refit(a, s);
        s->dirty = true;
        break;
    }
    a->status_dirty = true;
}
