/*
 * explain.h — turns a refused step into a sentence a person can act on:
 * which secret permission is missing, for whom, and whether the vault
 * grants it by access policy or by Azure RBAC role ("a 403 says which
 * permission is missing and for whom"). Every plan screen gets it
 * through widget-progress (explain_plan()), so the wizards need no code
 * of their own.
 *
 * Azure's codes: AccessDenied and ForbiddenByPolicy (an access policy
 * lacks the permission; the message names it: "does not have secrets
 * set permission"), ForbiddenByRbac (no role assignment allows the data
 * action; the message names it: "Action: '…/setSecret/action'"),
 * ForbiddenByFirewall / ForbiddenByConnection (network rules, not a
 * permission).
 */
#ifndef KV_TUI_EXPLAIN_H
#define KV_TUI_EXPLAIN_H

#include "engine/plan.h"

struct app;

/* What the console knows about who asked and of whom. Borrowed. */
struct explain_who {
    const char *principal; /* the signed-in client id, or NULL */
    int rbac;              /* the vault's enableRbacAuthorization: 1, 0,
                              or -1 when unknown (opened by URI) */
    const char *vault;     /* the vault's name, or NULL */
};

/* The sentence for failure f of a step with operation op ("secret-set",
 * plan_step_op()), or NULL when f is no refusal of access (not a 403).
 * The principal named in Azure's message (appid=…;oid=…) wins over
 * w->principal. Pure; caller frees. */
char *explain_forbidden(const struct plan_failure *f, const char *op,
                        const struct explain_who *w);

/* The access-policy permission an operation needs ("set", "get",
 * "delete", "recover", "purge", "list"), NULL for none known. */
const char *explain_permission(const char *op);

/* explain_forbidden() for the failed step of p, with the principal the
 * console signed in as and the vault (found in the store by the step's
 * target URL). NULL when p did not fail with a 403. Caller frees. */
char *explain_plan(struct app *a, const struct plan *p);

#endif
