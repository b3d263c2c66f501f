/*
 * rbac.h — Azure role-based access control in the simulator (owned by
 * the RBAC helper, s2): the built-in role definitions by their real ids,
 * role assignments at any scope (subscription, resource group, vault,
 * secret) inherited downwards, the decision whether a principal may do
 * an action at a scope, and the seed's assignments.
 *
 * rbac-roles.c holds the built-in roles and answers the roleDefinitions
 * API; rbac.c the assignments store and the decision; arm-authz.c the
 * roleAssignments API.
 *
 * Store keys (lower case): ra|SCOPE|NAME an assignment (SCOPE its
 * lower-case scope, e.g. "/subscriptions/s/resourcegroups/g"), raname|NAME
 * its scope key (assignment names are unique across scopes).
 *
 * A new assignment grants only after the propagation delay
 * (sim->rbac_delay_ms, --rbac-delay, PATCH /_sim/settings rbac_delay_ms):
 * the document's "_activeAt" (ms). Listing shows it at once, as ARM does.
 */
#ifndef KV_SIM_RBAC_H
#define KV_SIM_RBAC_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "sim/arm.h"
#include "sim/sim.h"

struct store_txn;

struct rbac_role {
    const char *id; /* guid */
    const char *name;
    const char *description;
    const char *const *actions; /* NULL-terminated lists */
    const char *const *not_actions;
    const char *const *data_actions;
    const char *const *not_data_actions;
};

/* The built-in roles, ended by an entry with id NULL. */
extern const struct rbac_role rbac_roles[];

/* The role of a guid or of a roleDefinitionId ending in one; NULL when
 * unknown. */
const struct rbac_role *rbac_role_by_id(const char *id);
const struct rbac_role *rbac_role_by_name(const char *name);
/* The role definition as ARM renders it at scope (its subscription
 * decides the id's prefix; "" or "/" for the tenant root). */
cJSON *rbac_role_render(const struct rbac_role *r, const char *scope);

/* True when the principal oid holds, through an assignment at resource
 * or one of its ancestor scopes that has taken effect, a role granting
 * action (a data action when data). resource is an ARM id, any case. */
bool rbac_allowed(struct sim *sim, const char *oid, const char *resource,
                  const char *action, bool data);

/* The store key of an assignment (caller frees). */
char *rbac_key(const char *scope, const char *name);
/* An assignment as ARM renders it (caller deletes). */
cJSON *rbac_assignment_render(const cJSON *doc);
/* A new assignment document: active after delay_ms (0: at once). */
cJSON *rbac_assignment_doc(const char *scope, const char *name,
                           const struct rbac_role *role, const char *principal,
                           const char *ptype, const char *by, int64_t now_ms,
                           int delay_ms);

/* The principal type of a principal the simulated directory knows
 * ("User", "ServicePrincipal"), NULL when it knows none by that id. */
const char *rbac_principal_type(const struct sim *sim, const char *oid);

/* Adds to t the removal of every assignment at the resource id and below
 * it: Key Vault drops a vault's role assignments when the vault is
 * deleted, and a recovered vault comes back without them. */
void rbac_drop_scope(struct sim *sim, struct store_txn *t, const char *id);

/* Gives the seeded principals (service principal, user, managed
 * identities) Owner on every subscription of the store and Key Vault
 * Administrator on every vault of it, effective at once. Runs after
 * seeding, before compaction (store_bulk_put). */
void rbac_seed(struct sim *sim);

/* The scope of a request path: what comes before its last
 * "/providers/Microsoft.Authorization/" ("" for the tenant root; caller
 * frees). */
char *rbac_scope_of(const char *path);

/* The roleDefinitions and roleAssignments routes (rbac-roles.c and
 * arm-authz.c; registered in arm.c). */
extern const struct arm_route arm_authz_routes[];
/* GET (list or one) role definitions at the scope of the request. */
void rbac_definitions(struct arm_ctx *cx);

#endif
