/*
 * wizard-secret.h — the wizards that write a secret's value: a new
 * secret (name checked as Key Vault does, value, content type, expiry,
 * not-before, tags; a name that is soft-deleted is offered for recovery
 * inline, and the value then written as its new version) and a new
 * version of an existing secret. Both: pages, review, progress, and the
 * new value masked at the end (wizard.h).
 */
#ifndef KV_TUI_WIZARD_SECRET_H
#define KV_TUI_WIZARD_SECRET_H

#include "engine/model.h"
#include "tui/app.h"

/* A new secret in the vault at vault_uri; name may be NULL (typed on the
 * first page) or a proposal. Strings are copied. */
void wizard_secret_new(struct app *a, const char *vault_uri,
                       const char *vault_name, const char *name);
/* A new version of item (its content type and tags are the defaults;
 * read now, not kept). */
void wizard_secret_version(struct app *a, const char *vault_uri,
                           const char *vault_name,
                           const struct kv_secret_item *item);
/* n and :new [NAME]: a new secret in the opened vault. */
void wizard_secret_new_here(struct app *a, const char *name);
/* w: a new version of the secret selected in the secrets pane. */
void wizard_secret_version_selected(struct app *a);

#endif
