/*
 * arm-perm.h — Resource Manager's authorization of a caller's actions in
 * the simulator (owned by the SIM helper): the check a provider makes
 * before a write that needs a right (403 AuthorizationFailed as ARM words
 * it), and the permissions API (GET {scope}/providers/
 * Microsoft.Authorization/permissions): the caller's effective actions
 * from its role assignments at and above the scope (rbac.h).
 */
#ifndef KV_SIM_ARM_PERM_H
#define KV_SIM_ARM_PERM_H

#include <stdbool.h>

#include "sim/arm.h"

/* The caller's object id (the token's oid), or NULL. */
const char *arm_perm_caller(const struct arm_ctx *cx);
/* True when the caller may do action at scope (an ARM id); otherwise
 * answers 403 AuthorizationFailed naming both and returns false. */
bool arm_perm_check(struct arm_ctx *cx, const char *scope, const char *action);
/* A write of scope (action, already allowed) that links to the resource
 * linked needs linked_action there; otherwise answers 403
 * LinkedAuthorizationFailed in ARM's words and returns false. */
bool arm_perm_linked(struct arm_ctx *cx, const char *scope, const char *action,
                     const char *linked, const char *linked_action);
/* Whether the caller may do action at scope, without answering. */
bool arm_perm_may(struct arm_ctx *cx, const char *scope, const char *action);

/* The permissions routes (arm-perm.c), and the ARM secrets routes
 * (arm-secret.c). */
extern const struct arm_route arm_perm_routes[], arm_secret_routes[];

#endif
