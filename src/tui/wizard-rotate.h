/*
 * wizard-rotate.h — the rotate-an-API-key wizard (R on a secret, or
 * :rotate NAME): 1. the latest version as it is now (read first: age,
 * expiry, content type, tags); 2. the new value (generated, pasted with
 * no echo, or from a file); 3. attributes (expiry from the rotation-days
 * tag, else 90 days; tags carried over plus rotated-at) and what becomes
 * of the old version (keep, disable now, disable after a grace period);
 * then the plan's review, its progress (plan_rotate(): refused if the
 * latest changed since the review, written, read back and compared,
 * then the retirement), and the outcome with the new value masked.
 */
#ifndef KV_TUI_WIZARD_ROTATE_H
#define KV_TUI_WIZARD_ROTATE_H

#include "tui/app.h"

/* Starts the wizard for secret name of the vault at vault_uri (strings
 * copied; vault_name may be NULL). */
void wizard_rotate_start(struct app *a, const char *vault_uri,
                         const char *vault_name, const char *name);
/* The rotation at the key's source (wizard-rotate-source.c): for a
 * secret tagged source-resource-id, the key of an AI services account is
 * regenerated there and stored; the first page can switch to the plain
 * wizard. R and :rotate open it for such a secret. */
void wizard_rotate_source_start(struct app *a, const char *vault_uri,
                                const char *vault_name, const char *name);
/* The same for a secret without the tag: page 1 picks the account among
 * the AI services accounts of subscription sub (the vault's); the new
 * version is tagged with it. The plain wizard's first page opens it. */
void wizard_rotate_source_pick(struct app *a, const char *vault_uri,
                               const char *vault_name, const char *sub,
                               const char *name);
/* R: the secret selected in the secrets pane (its latest version). */
void wizard_rotate_selected(struct app *a);
/* :rotate NAME: a secret of the opened vault. */
void wizard_rotate_named(struct app *a, const char *name);

#endif
