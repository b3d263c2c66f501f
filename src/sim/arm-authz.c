/*
 * arm-authz.c — Microsoft.Authorization role assignments at the
 * subscription, resource group, resource (vault) and child resource
 * (secret) scopes: PUT with a GUID name (201; the same again 200),
 * GET, DELETE (200 with the assignment, 204 when there is none), and the
 * list at a scope — at, above and below it, only at and above with
 * $filter=atScope(), one principal's with principalId eq '...' or
 * assignedTo('...'). Writing or deleting needs
 * Microsoft.Authorization/roleAssignments/write|delete at the scope
 * (Owner, User Access Administrator), else 403 AuthorizationFailed.
 * Errors as Azure words them: InvalidRoleAssignmentId,
 * InvalidRoleDefinitionId, RoleDefinitionDoesNotExist, PrincipalNotFound,
 * UnmatchedPrincipalType, RoleAssignmentExists (409),
 * RoleAssignmentUpdateNotPermitted, RoleAssignmentNotFound. The route
 * table also carries the roleDefinitions routes (rbac-roles.c).
 * Owned by s2.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/rbac.h"
#include "sim/store.h"
#include "sim/util.h"

static bool
is_guid(const char *s)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    const char *p = s;

    for (size_t g = 0; g < 5; g++) {
        for (int i = 0; i < groups[g]; i++, p++)
            if (!isxdigit((unsigned char)*p))
                return false;
        if (g < 4 && *p++ != '-')
            return false;
    }
    return *p == '\0';
}

/* The last path segment (the assignment's name). */
static const char *
last_seg(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

/* Checks that the subscription and group a scope names exist (answers
 * 404, or 401 for another tenant's, otherwise). */
static bool
scope_exists(struct arm_ctx *cx, const char *scope)
{
    char *copy = xstrdup(scope), *save = NULL, *seg[4] = {0};
    cJSON *doc = NULL;
    int n = 0;
    bool ok = true;

    for (char *t = strtok_r(copy, "/", &save); t && n < 4;
         t = strtok_r(NULL, "/", &save))
        seg[n++] = t;
    if (n >= 2 && strcasecmp(seg[0], "subscriptions") == 0) {
        if (n >= 4 && strcasecmp(seg[2], "resourcegroups") == 0)
            doc = arm_need_rg(cx, seg[1], seg[3]);
        else
            doc = arm_need_sub(cx, seg[1]);
        ok = doc != NULL;
    }
    cJSON_Delete(doc);
    free(copy);
    return ok;
}

static const char *
caller_oid(struct arm_ctx *cx)
{
    return json_str(cx->rq->claims, "oid");
}

/* True when the caller may do action at scope; else 403. */
static bool
may(struct arm_ctx *cx, const char *scope, const char *action)
{
    const char *who = json_str(cx->rq->claims, "upn");

    if (rbac_allowed(cx->sim, caller_oid(cx), scope, action, false))
        return true;
    if (!who)
        who = json_str(cx->rq->claims, "appid");
    arm_error(cx, 403, "AuthorizationFailed",
              "The client '%s' with object id '%s' does not have "
              "authorization to perform action '%s' over scope '%s' or the "
              "scope is invalid. If access was recently granted, please "
              "refresh your credentials.",
              who ? who : "", caller_oid(cx) ? caller_oid(cx) : "", action,
              cx->rq->path);
    return false;
}

/* The stored assignment named name (caller deletes) and its key, or
 * NULL. */
static cJSON *
by_name(struct sim *sim, const char *name, char **key)
{
    char *nk = arm_key("raname|%s", name);
    cJSON *k = store_get_json(sim->store, nk);
    cJSON *doc = NULL;

    *key = NULL;
    if (cJSON_IsString(k)) {
        doc = store_get_json(sim->store, k->valuestring);
        if (doc)
            *key = xstrdup(k->valuestring);
    }
    cJSON_Delete(k);
    free(nk);
    return doc;
}

/* The assignment of role to principal at scope under another name, or
 * NULL (caller deletes). */
static cJSON *
same_assignment(struct sim *sim, const char *scope, const char *role_id,
                const char *principal)
{
    char *prefix = rbac_key(scope, "");
    struct vec kvs = VEC_INIT;
    cJSON *found = NULL;

    store_scan(sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len && !found; i++) {
        struct store_kv *kv = kvs.items[i];
        cJSON *doc = cJSON_Parse(kv->val);
        const cJSON *p = cJSON_GetObjectItem(doc, "properties");
        const struct rbac_role *r =
            rbac_role_by_id(json_str(p, "roleDefinitionId"));

        if (r && strcasecmp(r->id, role_id) == 0 &&
            str_eq(json_str(p, "principalId"), principal))
            found = doc;
        else
            cJSON_Delete(doc);
    }
    vec_free_all(&kvs, store_kv_free);
    free(prefix);
    return found;
}

/* The role a roleDefinitionId names, or NULL after answering 400. */
static const struct rbac_role *
need_role(struct arm_ctx *cx, const char *def)
{
    const char *slash = def ? strrchr(def, '/') : NULL;
    const struct rbac_role *r;

    if (!def || !slash ||
        !strcasestr(def, "/providers/Microsoft.Authorization/"
                         "roleDefinitions/") ||
        !is_guid(slash + 1)) {
        arm_error(cx, 400, "InvalidRoleDefinitionId",
                  "The role definition ID '%s' is not valid.", def ? def : "");
        return NULL;
    }
    r = rbac_role_by_id(slash + 1);
    if (!r)
        arm_error(cx, 400, "RoleDefinitionDoesNotExist",
                  "The specified role definition with ID '%s' does not "
                  "exist.",
                  slash + 1);
    return r;
}

/* The principal's type, or NULL after answering 400. */
static const char *
need_principal(struct arm_ctx *cx, const char *principal, const char *given)
{
    const char *known = rbac_principal_type(cx->sim, principal);

    if (!known) {
        arm_error(cx, 400, "PrincipalNotFound",
                  "Principal %s does not exist in the directory %s. Check "
                  "that you have the correct principal ID. If you are "
                  "creating this principal and then immediately assigning "
                  "a role, this error might be related to a replication "
                  "delay. In this case, set the role assignment "
                  "principalType property to a value, such as "
                  "ServicePrincipal, User, or Group.  See "
                  "https://aka.ms/docs-principaltype",
                  principal ? principal : "", cx->sim->id.tenant);
        return NULL;
    }
    if (given && *given && strcasecmp(given, known) != 0) {
        arm_error(cx, 400, "UnmatchedPrincipalType",
                  "The PrincipalId '%s' has type '%s' , which is different "
                  "from specified PrincipalType '%s'.",
                  principal, known, given);
        return NULL;
    }
    return known;
}

static void
ra_put(struct arm_ctx *cx, const char *scope, const char *name)
{
    cJSON *body = arm_body(cx), *old = NULL, *dup = NULL, *doc;
    const cJSON *p = cJSON_GetObjectItem(body, "properties");
    const char *principal = json_str(p, "principalId");
    const struct rbac_role *role;
    const char *ptype, *by = caller_oid(cx);
    char *key = NULL, *oldkey = NULL, *nkey;
    struct store_txn *t;

    if (!body)
        return;
    if (!(role = need_role(cx, json_str(p, "roleDefinitionId"))) ||
        !(ptype = need_principal(cx, principal, json_str(p, "principalType"))))
        goto out;
    key = rbac_key(scope, name);
    store_write_lock(cx->sim->store);
    old = by_name(cx->sim, name, &oldkey);
    if (old) {
        const cJSON *op = cJSON_GetObjectItem(old, "properties");
        const struct rbac_role * or
            = rbac_role_by_id(json_str(op, "roleDefinitionId"));

        if (str_eq(oldkey, key) && or
            == role && str_eq(json_str(op, "principalId"), principal))
            resp_json(cx->rs, 200, rbac_assignment_render(old));
        else
            arm_error(cx, 400, "RoleAssignmentUpdateNotPermitted",
                      "Tenant ID, application ID, principal ID, and scope "
                      "are not allowed to be updated.");
        store_write_unlock(cx->sim->store);
        goto out;
    }
    dup = same_assignment(cx->sim, scope, role->id, principal);
    if (dup) {
        store_write_unlock(cx->sim->store);
        arm_error(cx, 409, "RoleAssignmentExists",
                  "The role assignment already exists.");
        goto out;
    }
    doc =
        rbac_assignment_doc(scope, name, role, principal, ptype, by,
                            sim_now_ms(), atomic_load(&cx->sim->rbac_delay_ms));
    nkey = arm_key("raname|%s", name);
    t = store_txn_new();
    store_txn_put(t, key, doc);
    {
        cJSON *k = cJSON_CreateString(key);

        store_txn_put(t, nkey, k);
        cJSON_Delete(k);
    }
    if (arm_commit(cx, t))
        resp_json(cx->rs, 201, rbac_assignment_render(doc));
    store_write_unlock(cx->sim->store);
    cJSON_Delete(doc);
    free(nkey);
out:
    cJSON_Delete(body);
    cJSON_Delete(old);
    cJSON_Delete(dup);
    free(key);
    free(oldkey);
}

static void
ra_get(struct arm_ctx *cx, const char *scope, const char *name)
{
    char *key = rbac_key(scope, name);
    cJSON *doc = store_get_json(cx->sim->store, key);

    if (doc)
        resp_json(cx->rs, 200, rbac_assignment_render(doc));
    else
        arm_error(cx, 404, "RoleAssignmentNotFound",
                  "The role assignment '%s' is not found.", name);
    cJSON_Delete(doc);
    free(key);
}

static void
ra_delete(struct arm_ctx *cx, const char *scope, const char *name)
{
    char *key = rbac_key(scope, name), *nkey = arm_key("raname|%s", name);
    cJSON *doc;
    struct store_txn *t;

    store_write_lock(cx->sim->store);
    doc = store_get_json(cx->sim->store, key);
    if (!doc) {
        store_write_unlock(cx->sim->store);
        resp_json(cx->rs, 204, NULL);
        goto out;
    }
    t = store_txn_new();
    store_txn_del(t, key);
    store_txn_del(t, nkey);
    if (arm_commit(cx, t))
        resp_json(cx->rs, 200, rbac_assignment_render(doc));
    store_write_unlock(cx->sim->store);
out:
    cJSON_Delete(doc);
    free(key);
    free(nkey);
}

static void
ra_one(struct arm_ctx *cx)
{
    char *scope = rbac_scope_of(cx->rq->path);
    const char *name = last_seg(cx->rq->path);
    const char *m = cx->rq->method;

    if (!is_guid(name)) {
        arm_error(cx, 400, "InvalidRoleAssignmentId",
                  "The role assignment ID '%s' is not valid. The role "
                  "assignment ID must be a GUID.",
                  name);
    } else if (scope_exists(cx, scope)) {
        if (strcmp(m, "PUT") == 0) {
            if (may(cx, scope, "Microsoft.Authorization/roleAssignments/write"))
                ra_put(cx, scope, name);
        } else if (strcmp(m, "DELETE") == 0) {
            if (may(cx, scope,
                    "Microsoft.Authorization/roleAssignments/delete"))
                ra_delete(cx, scope, name);
        } else {
            ra_get(cx, scope, name);
        }
    }
    free(scope);
}

/* ---- list -------------------------------------------------------------- */

struct ra_filter {
    bool at_scope;
    char *principal; /* NULL: any */
};

/* principalId eq '...' or assignedTo('...'); atScope(). */
static void
parse_filter(const char *f, struct ra_filter *out)
{
    const char *p, *q;

    *out = (struct ra_filter){0};
    if (!f)
        return;
    out->at_scope = strcasestr(f, "atScope()") != NULL;
    if ((p = strcasestr(f, "principalId")) != NULL) {
        p = strchr(p, '\'');
    } else if ((p = strcasestr(f, "assignedTo(")) != NULL) {
        p = strchr(p, '\'');
    }
    if (p && (q = strchr(p + 1, '\'')) != NULL)
        out->principal = xstrndup(p + 1, (size_t)(q - p - 1));
}

static void
add_matching(struct sim *sim, const char *prefix, size_t exact_len,
             const struct ra_filter *f, cJSON *arr)
{
    struct vec kvs = VEC_INIT;

    store_scan(sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];
        char next = kv->key[exact_len];
        cJSON *doc;

        /* Below the scope: the next character continues a path. */
        if (exact_len && next != '|' && next != '/')
            continue;
        doc = cJSON_Parse(kv->val);
        if (!f->principal ||
            str_eq(
                json_str(cJSON_GetObjectItem(doc, "properties"), "principalId"),
                f->principal))
            cJSON_AddItemToArray(arr, rbac_assignment_render(doc));
        cJSON_Delete(doc);
    }
    vec_free_all(&kvs, store_kv_free);
}

static void
ra_list(struct arm_ctx *cx)
{
    char *scope = rbac_scope_of(cx->rq->path);
    char *lower = util_lower(scope);
    size_t len = strlen(lower);
    struct ra_filter f;
    cJSON *root, *arr;
    char *prefix;

    if (!scope_exists(cx, scope))
        goto out;
    parse_filter(req_query(cx->rq, "$filter"), &f);
    root = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(root, "value");
    /* Above the scope: the root and each proper ancestor. */
    add_matching(cx->sim, "ra|/|", 0, &f, arr);
    for (size_t i = 1; i < len; i++) {
        if (lower[i] != '/')
            continue;
        prefix = xasprintf("ra|%.*s|", (int)i, lower);
        add_matching(cx->sim, prefix, 0, &f, arr);
        free(prefix);
    }
    /* At the scope, and below it unless atScope(). */
    if (f.at_scope) {
        prefix = xasprintf("ra|%s|", lower);
        add_matching(cx->sim, prefix, 0, &f, arr);
    } else {
        prefix = xasprintf("ra|%s", lower);
        add_matching(cx->sim, prefix, strlen(prefix), &f, arr);
    }
    free(prefix);
    free(f.principal);
    resp_json(cx->rs, 200, root);
out:
    free(scope);
    free(lower);
}

#define AUTHZ "/providers/microsoft.authorization/"
#define ROUTE(P, M, T, F)                                                      \
    {                                                                          \
        .pattern = P, .methods = M, .apis = API_ANY, .type = T, .fn = F        \
    }
/* The four routes of one scope. */
#define SCOPE_ROUTES(S)                                                        \
    ROUTE(S AUTHZ "roleassignments", "GET", "roleAssignments", ra_list),       \
        ROUTE(S AUTHZ "roleassignments/*", "GET PUT DELETE",                   \
              "roleAssignments", ra_one),                                      \
        ROUTE(S AUTHZ "roledefinitions", "GET", "roleDefinitions",             \
              rbac_definitions),                                               \
        ROUTE(S AUTHZ "roledefinitions/*", "GET", "roleDefinitions",           \
              rbac_definitions)

const struct arm_route arm_authz_routes[] = {
    ROUTE("providers/microsoft.authorization/roledefinitions", "GET",
          "roleDefinitions", rbac_definitions),
    ROUTE("providers/microsoft.authorization/roledefinitions/*", "GET",
          "roleDefinitions", rbac_definitions),
    SCOPE_ROUTES("subscriptions/*"),
    SCOPE_ROUTES("subscriptions/*/resourcegroups/*"),
    /* a resource (vault) and a child resource (secret) */
    SCOPE_ROUTES("subscriptions/*/resourcegroups/*/providers/*/*/*"),
    SCOPE_ROUTES("subscriptions/*/resourcegroups/*/providers/*/*/*/*/*"),
    {.pattern = NULL},
};
