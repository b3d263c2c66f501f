/*
 * action.h — the console's secret actions, each a small plan with a
 * review: edit a version's attributes, copy a secret to another vault,
 * delete, recover and purge a deleted secret, disable a version whose
 * retirement is due (:pending); and copying identifiers (vault URI,
 * secret id) to the clipboard.
 *
 *     action_run(a, plan, form_screen, &reload);  // review, then run
 *
 * Every entry point checks app_refuse_read_only() itself (the key path
 * was already refused by loop_action(); commands and the pending list
 * come here directly), so under --read-only nothing is sent.
 */
#ifndef KV_TUI_ACTION_H
#define KV_TUI_ACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/plan.h"
#include "tui/app.h"
#include "tui/screen.h"

/* What to load again once a plan ends (names copied). */
struct action_reload {
    const char *vault_uri;  /* its secrets (and deleted list if loaded) */
    const char *name;       /* that secret's versions, when loaded */
    const char *vault_uri2; /* a second vault (copy's target), or NULL */
    const char *subscription_id; /* its vaults (a vault's life cycle) */
    const char *endpoints_of; /* a vault (id or URI): its endpoint
                                 connections, when loaded */
};

/* Reviews p (taken), then runs it on a progress screen; when the user
 * closes it, reloads what r names. under: a screen to pop together with
 * the review when the plan is applied (the form it came from), or
 * NULL. Refused (p freed, nothing sent) under --read-only. */
void action_run(struct app *a, struct plan *p, struct screen *under,
                const struct action_reload *r);

/* action-secret.c: on the secrets pane's selection. */
void action_secret_edit(struct app *a);
void action_secret_delete(struct app *a);
void action_secret_copy_to(struct app *a);
/* The identifiers menu: vault URI, secret id with and without version,
 * to the clipboard through OSC 52 (no value: shown on the status bar). */
void action_copy_id(struct app *a);

/* action-deleted.c: on a deleted secret (the pane's deleted mode). */
void action_deleted_recover(struct app *a, const char *vault_uri,
                            const char *vault_name, const char *name);
void action_deleted_purge(struct app *a, const char *vault_uri,
                          const char *vault_name, const char *name);

/* screen-pending.c: the retirements recorded for later (:pending), and
 * the start-up notice on the status bar. */
void screen_pending_push(struct app *a);
void action_pending_notice(struct app *a);

/* screen-tenant.c: :tenant lists the account's tenants (Enter switches);
 * with arg (an id, domain or name) it switches to that one directly. */
void screen_tenant_push(struct app *a, const char *arg);

/* screen-expiring.c: :expiring [DAYS], the secrets of every vault that
 * expire (or are due for rotation) within DAYS days (issue #12). */
void screen_expiring_push(struct app *a, const char *arg);

/* ---- pure helpers (unit-tested) ---------------------------------------- */

/* An attribute-form date field: "" (clear: *out = 0) or YYYY-MM-DD
 * (midnight UTC). Returns NULL when fine, else a message. */
const char *action_parse_day(const char *text, int64_t *out);

#endif
