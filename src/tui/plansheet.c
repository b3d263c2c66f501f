/*
 * plansheet.c — the copy of a plan the plan screens draw from.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "tui/plansheet.h"

struct plansheet *
plansheet_new(const char *title, const char *confirm_name)
{
    struct plansheet *ps = xcalloc(1, sizeof *ps);
    ps->title = xstrdup(title != NULL ? title : "");
    ps->confirm_name = confirm_name != NULL ? xstrdup(confirm_name) : NULL;
    return ps;
}

void
plansheet_add(struct plansheet *ps, const char *text, bool writes)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 8;
        ps->steps = xreallocarray(ps->steps, ps->cap, sizeof *ps->steps);
    }
    struct plansheet_step *st = &ps->steps[ps->n++];
    memset(st, 0, sizeof *st);
    st->text = xstrdup(text != NULL ? text : "");
    st->writes = writes;
    st->state = STEP_PENDING;
}

void
plansheet_free(struct plansheet *ps)
{
    if (ps == NULL)
        return;
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->steps[i].text);
        free(ps->steps[i].progress);
    }
    free(ps->steps);
    free(ps->title);
    free(ps->confirm_name);
    free(ps->status);
    free(ps->report);
    free(ps);
}

void
plansheet_start(struct plansheet *ps, int64_t now)
{
    ps->running = true;
    ps->ended = ps->failed = ps->cancelled = ps->can_roll_back = false;
    ps->started_ms = now;
    ps->ended_ms = 0;
    free(ps->report);
    ps->report = NULL;
    plansheet_status(ps, NULL);
    for (size_t i = 0; i < ps->n; i++)
        if (ps->steps[i].state == STEP_FAILED ||
            ps->steps[i].state == STEP_PENDING) {
            free(ps->steps[i].progress);
            ps->steps[i].progress = NULL;
        }
}

void
plansheet_step(struct plansheet *ps, size_t i, enum step_state st,
               const char *msg)
{
    if (i >= ps->n)
        return;
    struct plansheet_step *s = &ps->steps[i];
    s->state = st;
    if (msg != NULL || st == STEP_RUNNING) {
        free(s->progress);
        s->progress = msg != NULL ? xstrdup(msg) : NULL;
    }
    /* A new step: the last one's poll status no longer applies. */
    if (st != STEP_RUNNING)
        plansheet_status(ps, NULL);
}

void
plansheet_status(struct plansheet *ps, const char *msg)
{
    free(ps->status);
    ps->status = msg != NULL ? xstrdup(msg) : NULL;
}

void
plansheet_end(struct plansheet *ps, int64_t now, bool failed, bool cancelled,
              bool can_roll_back, const char *report)
{
    ps->running = false;
    ps->ended = true;
    ps->ended_ms = now;
    ps->failed = failed || cancelled;
    ps->cancelled = cancelled;
    ps->can_roll_back = can_roll_back;
    free(ps->report);
    ps->report = report != NULL ? xstrdup(report) : NULL;
    plansheet_status(ps, NULL);
}

long
plansheet_elapsed(const struct plansheet *ps, int64_t now)
{
    if (ps->started_ms == 0)
        return 0;
    int64_t end = ps->ended ? ps->ended_ms : now;
    return end > ps->started_ms ? (long)((end - ps->started_ms) / 1000) : 0;
}

size_t
plansheet_current(const struct plansheet *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        if (ps->steps[i].state == STEP_RUNNING)
            return i;
    for (size_t i = 0; i < ps->n; i++)
        if (ps->steps[i].state == STEP_PENDING ||
            ps->steps[i].state == STEP_FAILED)
            return i;
    return ps->n;
}
