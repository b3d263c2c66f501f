/*
 * wizard-vault.h — a vault's life cycle in the console: the create-a-
 * vault wizard (`n` in the vaults pane, `:create vault`), deleting a
 * vault, its tags and purge protection (on the vaults pane's
 * selection), and the deleted vaults of a subscription (`x` in the
 * vaults pane) with recover and purge.
 *
 * Every entry point checks app_refuse_read_only() itself, so under
 * --read-only nothing is sent whichever way it was reached (key,
 * command). Each change is a plan (engine/plan.h, "vault plans"):
 * reviewed, then run on a progress screen; Esc before Apply sends
 * nothing.
 */
#ifndef KV_TUI_WIZARD_VAULT_H
#define KV_TUI_WIZARD_VAULT_H

#include "tui/app.h"

/* The create-a-vault wizard (wizard-vault.c), in the subscription of
 * the context or of the vault under the cursor. */
void wizard_vault_new(struct app *a);

/* action-vault.c: on a vault of the store (the vaults pane's cursor;
 * borrowed, only read now). Delete (typed name), its tags, purge
 * protection on (typed; irreversible). */
void action_vault_delete(struct app *a, const struct store_vault *sv);
void action_vault_tags(struct app *a, const struct store_vault *sv);
void action_vault_protect(struct app *a, const struct store_vault *sv);

/* screen-deleted-vaults.c: the soft-deleted vaults of subscription
 * sub_id (NULL: the first listed) in a modal list: U recovers, P purges
 * (typed), Tab shows the next subscription's, r reloads. */
void screen_deleted_vaults_push(struct app *a, const char *sub_id);

#endif
