/*
 * arm-perm.c — the authorization check providers make before a write
 * (arm-perm.h), the linked check of a write that reaches into another
 * resource (403 LinkedAuthorizationFailed), and GET
 * {scope}/providers/Microsoft.Authorization/ permissions at a subscription,
 * resource group or resource: one entry {actions, notActions, dataActions,
 * notDataActions} per role assignment of the caller at or above the scope that
 * has taken effect, as ARM lists them (a role held twice shows twice).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-perm.h"
#include "sim/rbac.h"
#include "sim/store.h"
#include "sim/util.h"

const char *
arm_perm_caller(const struct arm_ctx *cx)
{
    return json_str(cx->rq->claims, "oid");
}

bool
arm_perm_may(struct arm_ctx *cx, const char *scope, const char *action)
{
    return rbac_allowed(cx->sim, arm_perm_caller(cx), scope, action, false);
}

bool
arm_perm_check(struct arm_ctx *cx, const char *scope, const char *action)
{
    const char *who = json_str(cx->rq->claims, "upn");
    const char *oid = arm_perm_caller(cx);

    if (arm_perm_may(cx, scope, action))
        return true;
    if (!who)
        who = json_str(cx->rq->claims, "appid");
    arm_error(cx, 403, "AuthorizationFailed",
              "The client '%s' with object id '%s' does not have "
              "authorization to perform action '%s' over scope '%s' or the "
              "scope is invalid. If access was recently granted, please "
              "refresh your credentials.",
              who ? who : "", oid ? oid : "", action, scope);
    return false;
}

bool
arm_perm_linked(struct arm_ctx *cx, const char *scope, const char *action,
                const char *linked, const char *linked_action)
{
    const char *who = json_str(cx->rq->claims, "upn");
    const char *oid = arm_perm_caller(cx);

    if (arm_perm_may(cx, linked, linked_action))
        return true;
    if (!who)
        who = json_str(cx->rq->claims, "appid");
    arm_error(cx, 403, "LinkedAuthorizationFailed",
              "The client '%s' with object id '%s' has permission to perform "
              "action '%s' on scope '%s'; however, it does not have "
              "permission to perform action '%s' on the linked scope(s) '%s' "
              "or the linked scope(s) are invalid.",
              who ? who : "", oid ? oid : "", action, scope, linked_action,
              linked ? linked : "");
    return false;
}

static cJSON *
strings(const char *const *list)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; list[i]; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(list[i]));
    return a;
}

/* Adds the permissions of oid's effective assignments under prefix. */
static void
add_scope(struct sim *sim, const char *prefix, const char *oid, cJSON *arr)
{
    struct vec kvs = VEC_INIT;
    int64_t now = sim_now_ms();

    store_scan(sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];
        cJSON *doc = cJSON_Parse(kv->val), *o;
        const cJSON *p = cJSON_GetObjectItem(doc, "properties");
        const struct rbac_role *r =
            rbac_role_by_id(json_str(p, "roleDefinitionId"));
        const char *pid = json_str(p, "principalId");

        if (r && pid && strcasecmp(pid, oid) == 0 &&
            json_int(doc, "_activeAt", 0) <= now) {
            o = cJSON_CreateObject();
            cJSON_AddItemToObject(o, "actions", strings(r->actions));
            cJSON_AddItemToObject(o, "notActions", strings(r->not_actions));
            cJSON_AddItemToObject(o, "dataActions", strings(r->data_actions));
            cJSON_AddItemToObject(o, "notDataActions",
                                  strings(r->not_data_actions));
            cJSON_AddItemToArray(arr, o);
        }
        cJSON_Delete(doc);
    }
    vec_free_all(&kvs, store_kv_free);
}

static void
permissions(struct arm_ctx *cx)
{
    char *scope = rbac_scope_of(cx->rq->path);
    char *id = util_lower(scope);
    const char *oid = arm_perm_caller(cx);
    size_t len = strlen(id);
    cJSON *root, *arr, *doc;
    char *prefix;

    doc = cx->ncap >= 2 ? arm_need_rg(cx, cx->cap[0], cx->cap[1])
                        : arm_need_sub(cx, cx->cap[0]);
    if (!doc)
        goto out;
    cJSON_Delete(doc);
    root = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(root, "value");
    if (oid) {
        add_scope(cx->sim, "ra|/|", oid, arr);
        for (size_t i = 1; i <= len; i++) {
            if (id[i] != '/' && id[i] != '\0')
                continue;
            prefix = xasprintf("ra|%.*s|", (int)i, id);
            add_scope(cx->sim, prefix, oid, arr);
            free(prefix);
        }
    }
    resp_json(cx->rs, 200, root);
out:
    free(scope);
    free(id);
}

#define PERMS "/providers/microsoft.authorization/permissions"
#define ROUTE(P)                                                               \
    {                                                                          \
        .pattern = P PERMS, .methods = "GET", .apis = API_ANY,                 \
        .type = "permissions", .fn = permissions                               \
    }

const struct arm_route arm_perm_routes[] = {
    ROUTE("subscriptions/*"),
    ROUTE("subscriptions/*/resourcegroups/*"),
    ROUTE("subscriptions/*/resourcegroups/*/providers/*/*/*"),
    ROUTE("subscriptions/*/resourcegroups/*/providers/*/*/*/*/*"),
    {.pattern = NULL},
};
