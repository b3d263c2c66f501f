/*
 * plansheet.h — what the plan screens show, copied out of a plan: the
 * title, each step's sentence, whether it writes and its state and
 * progress text, the typed confirmation, and at the end the outcome and
 * the report. The review reads a plan the UI owns; the progress screen
 * cannot touch the plan while the engine holds it, so both draw from
 * this copy, fed by RESULT_STEP results and, at the end, by the plan
 * handed back.
 *
 * Pure: plansheet_new()/plansheet_add() let the tests build one without
 * a plan; plansheet_from_plan() and plansheet_end_plan() (in
 * plansheet-plan.c) read a real plan.
 */
#ifndef KV_TUI_PLANSHEET_H
#define KV_TUI_PLANSHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/plan.h"

struct plansheet_step {
    char *text;
    bool writes;
    enum step_state state;
    char *progress; /* the last progress text or the step's error; NULL */
};

struct plansheet {
    char *title;
    char *confirm_name; /* NULL: no typed confirmation */
    struct plansheet_step *steps;
    size_t n, cap;
    char *status; /* the current poll's status text; NULL */
    bool running, ended, failed, cancelled, can_roll_back;
    char *report;       /* at the end: plan_report(); NULL */
    int64_t started_ms; /* time_mono_ms() when it was sent */
    int64_t ended_ms;
};

/* Strings are copied; confirm_name may be NULL. Free with
 * plansheet_free(). */
struct plansheet *plansheet_new(const char *title, const char *confirm_name);
void plansheet_add(struct plansheet *ps, const char *text, bool writes);
void plansheet_free(struct plansheet *ps); /* NULL is fine */
/* Sent to the engine at now (mode: steps about to run again lose their
 * old progress text). */
void plansheet_start(struct plansheet *ps, int64_t now);
/* A RESULT_STEP: step i is now st; msg (may be NULL) its progress text
 * or error. Out-of-range steps are ignored. */
void plansheet_step(struct plansheet *ps, size_t i, enum step_state st,
                    const char *msg);
/* A PROGRESS result: the status text (copied; NULL clears). */
void plansheet_status(struct plansheet *ps, const char *msg);
/* The terminal result: how it ended; report is copied (may be NULL). */
void plansheet_end(struct plansheet *ps, int64_t now, bool failed,
                   bool cancelled, bool can_roll_back, const char *report);
/* Seconds since it was sent (until it ended). */
long plansheet_elapsed(const struct plansheet *ps, int64_t now);
/* The step running now, or the first not done; n when none. */
size_t plansheet_current(const struct plansheet *ps);

/* ---- from a plan (plansheet-plan.c) ---------------------------------- */

/* A sheet of the plan as it is now (p is only read). */
struct plansheet *plansheet_from_plan(const struct plan *p);
/* The end, from the plan handed back: states, report, outcome. */
void plansheet_end_plan(struct plansheet *ps, const struct plan *p,
                        bool cancelled, int64_t now);

#endif
