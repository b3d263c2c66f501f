/*
 * view-secrets.h — what the secrets pane has selected, for the actions
 * and wizards that work on it (edit, delete, copy, new version, rotate),
 * and the pane's deleted-secrets mode.
 *
 * Ownership: every pointer handed out is the store's (engine/store.h):
 * valid until the next store_apply() that reports STORE_REMOVED (that
 * is, until the loop turn ends); copy what you keep.
 */
#ifndef KV_TUI_VIEW_SECRETS_H
#define KV_TUI_VIEW_SECRETS_H

#include <stdbool.h>

#include "tui/app.h"

struct secrets_selection {
    struct store_vault *vault;   /* the opened vault; never NULL on true */
    struct store_secret *secret; /* the selected secret; never NULL on true */
    /* The version row under the cursor, or NULL when the cursor is on the
     * secret's own row (then the action is about the latest version). */
    const struct kv_secret_version *version;
    /* The newest loaded version (versions are newest first), or NULL when
     * the versions were not loaded. */
    const struct kv_secret_version *latest;
};

/* Fills *out with the secrets pane's selection (whichever pane has the
 * focus). Returns false (and zeroes *out) when no vault is open, the
 * cursor is on no secret (empty list, a status line), or the pane shows
 * the deleted secrets. */
bool view_secrets_selected(struct app *a, struct secrets_selection *out);

/* Moves the cursor to the opened vault's secret called name (copied),
 * now or, while the vault's list is loading, once it arrives; opening
 * another vault forgets it (:expiring's Enter). */
void view_secrets_select_name(struct app *a, const char *name);

/* True while the pane shows the vault's deleted secrets (x toggles). */
bool view_secrets_deleted(struct app *a);

/* ---- the deleted mode (view-deleted.c), for view-secrets.c ------------- */

size_t view_deleted_count(struct app *a);
void view_deleted_title(struct app *a, struct view *v, char *buf, size_t n);
void view_deleted_draw(struct app *a, struct view *v);
void view_deleted_draw_row(struct app *a, struct view *v, size_t row, int y);
void view_deleted_detail(struct app *a, struct view *v, struct buf *out);
const char *view_deleted_selected_name(struct app *a, struct view *v);
enum view_result view_deleted_key(struct app *a, struct view *v,
                                  enum key_action act);

#endif
