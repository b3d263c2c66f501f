/*
 * wizard-outcome.h — what the value-writing wizards say when a plan
 * comes back: whether the write step ran and the value was verified,
 * the failure in a sentence with its request id, and the store reloaded
 * so the secrets pane shows the new version.
 */
#ifndef KV_TUI_WIZARD_OUTCOME_H
#define KV_TUI_WIZARD_OUTCOME_H

#include <stdbool.h>

#include "engine/plan.h"
#include "tui/app.h"
#include "tui/wizard.h"

struct wizard_outcome {
    const struct plan *plan; /* the plan read, borrowed */
    bool written;            /* the secret-set step is done */
    bool verified;           /* plan_verified() */
    bool cancelled;          /* stopped on request: nothing failed */
    const char *version;     /* the version written, borrowed from the plan */
    const struct plan_failure *failure; /* of the failed step, or NULL */
};

/* Reads p (borrowed; o's pointers live as long as p). */
void wizard_outcome_read(const struct plan *p, struct wizard_outcome *o);
/* Says the plan stopped (headline, e.g. "The rotation of X stopped."),
 * then Azure's error with its request id, or that it was stopped on
 * request; a 403 names the missing permission (explain.h). */
void wizard_outcome_failure(struct app *a, struct wizard *w,
                            const struct wizard_outcome *o,
                            const char *headline);
/* Reloads the vault's secrets and the secret's versions (when the store
 * knows them), so the panes show what was written. */
void wizard_outcome_refresh(struct app *a, const char *vault_uri,
                            const char *name);

#endif
