/*
 * plansheet-plan.c — a plan sheet from a real plan (engine/plan.h): kept
 * apart from plansheet.c so the pure part links without the engine.
 */
#include "config.h"

#include <stdlib.h>

#include "tui/plansheet.h"

struct plansheet *
plansheet_from_plan(const struct plan *p)
{
    struct plansheet *ps = plansheet_new(plan_title(p), plan_confirm_name(p));
    for (size_t i = 0; i < plan_steps(p); i++) {
        plansheet_add(ps, plan_step_text(p, i), plan_step_writes(p, i));
        ps->steps[i].state = plan_step_state(p, i);
    }
    return ps;
}

void
plansheet_end_plan(struct plansheet *ps, const struct plan *p, bool cancelled,
                   int64_t now)
{
    for (size_t i = 0; i < ps->n && i < plan_steps(p); i++) {
        const struct plan_failure *pf = plan_step_failure(p, i);
        const char *msg = pf != NULL ? pf->message : plan_step_progress(p, i);
        plansheet_step(ps, i, plan_step_state(p, i), msg);
    }
    char *report = plan_report(p);
    plansheet_end(ps, now, plan_failed(p), cancelled, plan_can_roll_back(p),
                  report);
    free(report);
}
