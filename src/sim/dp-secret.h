/*
 * dp-secret.h — what the files of the secrets API share: the permission
 * check of access-policy vaults, store keys, rendering a stored version
 * as a SecretBundle or SecretItem, and Key Vault's not-found answer.
 *
 * dp-secret.c answers the live secrets (set, get, update, lists),
 * dp-secret-deleted.c the soft-delete life cycle (delete, deleted
 * list/get, recover, purge) and dp-secret-backup.c backup and restore.
 */
#ifndef KV_SIM_DP_SECRET_H
#define KV_SIM_DP_SECRET_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "sim/dp.h"

/* The secret permissions of an access policy, in Key Vault's words. */
enum dp_perm {
    DP_PERM_GET,
    DP_PERM_LIST,
    DP_PERM_SET,
    DP_PERM_DELETE,
    DP_PERM_RECOVER,
    DP_PERM_PURGE,
    DP_PERM_BACKUP,
    DP_PERM_RESTORE,
};

/* True when the caller may do p; otherwise answers 403 Forbidden
 * (innererror AccessDenied) naming the permission and returns false.
 * Vaults with enableRbacAuthorization ask the caller's role assignments
 * instead (rbac.h): 403 Forbidden, innererror ForbiddenByRbac. */
bool dp_secret_allowed(struct dp_ctx *cx, enum dp_perm p);

/* The lower-case store key "kind|vault|name", or with ver (may be "")
 * "kind|vault|name|ver". Caller frees. */
char *dp_secret_key(const char *kind, const char *vault, const char *name,
                    const char *ver);

/* A stored version (sv) as a SecretBundle (with_version: id ends in the
 * version) or a SecretItem; value only when with_value. Caller deletes. */
cJSON *dp_secret_render(struct dp_ctx *cx, const char *name, const char *ver,
                        const cJSON *sv, bool with_value, bool with_version);

/* 404 SecretNotFound for name (and ver when not NULL). */
void dp_secret_not_found(struct dp_ctx *cx, const char *name, const char *ver);

/* False while a document written with a visibility time (_visibleAt, ms)
 * is still inside its eventual-consistency window. */
bool dp_secret_visible(const cJSON *doc);

/* DELETE /secrets/{name} (dp-secret-deleted.c). */
void dp_secret_delete(struct dp_ctx *cx, const char *name);
/* Everything under /deletedsecrets (dp-secret-deleted.c). */
void dp_secret_deleted(struct dp_ctx *cx, char **seg, int n);
/* POST /secrets/{name}/backup and POST /secrets/restore
 * (dp-secret-backup.c). */
void dp_secret_backup(struct dp_ctx *cx, const char *name);
void dp_secret_restore(struct dp_ctx *cx);

#endif
