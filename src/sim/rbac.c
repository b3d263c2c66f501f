/*
 * rbac.c — role assignments in the store and the access decision: a
 * principal may do an action at a resource when an assignment at the
 * resource or any ancestor scope (the tenant root, the subscription, the
 * resource group, the vault, the secret) that has taken effect names a
 * role whose actions (dataActions) match it and whose notActions
 * (notDataActions) do not. Patterns match case-insensitively, '*' any
 * text. Also the seed's assignments (see rbac.h). Owned by s2.
 */
#include "config.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/rbac.h"
#include "sim/store.h"
#include "sim/util.h"

static bool
any_match(const char *const *patterns, const char *action)
{
    for (size_t i = 0; patterns[i]; i++)
        if (fnmatch(patterns[i], action, FNM_CASEFOLD) == 0)
            return true;
    return false;
}

static bool
role_grants(const struct rbac_role *r, const char *action, bool data)
{
    if (data)
        return any_match(r->data_actions, action) &&
               !any_match(r->not_data_actions, action);
    return any_match(r->actions, action) && !any_match(r->not_actions, action);
}

/* Whether an assignment under prefix grants action to oid. */
static bool
scope_grants(struct sim *sim, const char *prefix, const char *oid,
             const char *action, bool data, int64_t now)
{
    struct vec kvs = VEC_INIT;
    bool ok = false;

    store_scan(sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len && !ok; i++) {
        struct store_kv *kv = kvs.items[i];
        cJSON *doc = cJSON_Parse(kv->val);
        const cJSON *p = cJSON_GetObjectItem(doc, "properties");
        const char *pid = json_str(p, "principalId");
        const struct rbac_role *r =
            rbac_role_by_id(json_str(p, "roleDefinitionId"));

        ok = pid && strcasecmp(pid, oid) == 0 &&
             json_int(doc, "_activeAt", 0) <= now && r &&
             role_grants(r, action, data);
        cJSON_Delete(doc);
    }
    vec_free_all(&kvs, store_kv_free);
    return ok;
}

bool
rbac_allowed(struct sim *sim, const char *oid, const char *resource,
             const char *action, bool data)
{
    char *id = util_lower(resource ? resource : "");
    size_t len = strlen(id);
    int64_t now = sim_now_ms();
    bool ok = false;
    char *prefix;

    if (!oid || !*oid) {
        free(id);
        return false;
    }
    while (len > 1 && id[len - 1] == '/')
        id[--len] = '\0';
    /* The tenant root, then every prefix ending before a '/' or at the
     * end: /subscriptions/s, /subscriptions/s/resourcegroups/g, ... */
    prefix = xstrdup("ra|/|");
    ok = scope_grants(sim, prefix, oid, action, data, now);
    free(prefix);
    for (size_t i = 1; i <= len && !ok; i++) {
        if (id[i] != '/' && id[i] != '\0')
            continue;
        prefix = xasprintf("ra|%.*s|", (int)i, id);
        ok = scope_grants(sim, prefix, oid, action, data, now);
        free(prefix);
    }
    free(id);
    return ok;
}

char *
rbac_key(const char *scope, const char *name)
{
    char *k = xasprintf("ra|%s|%s", *scope ? scope : "/", name);
    char *l = util_lower(k);

    free(k);
    return l;
}

const char *
rbac_principal_type(const struct sim *sim, const char *oid)
{
    if (!oid)
        return NULL;
    if (str_eq(oid, sim->id.user_oid))
        return "User";
    if (str_eq(oid, sim->id.sp_object_id) || str_eq(oid, sim->id.mi_oid) ||
        str_eq(oid, sim->id.uami_oid))
        return "ServicePrincipal";
    return NULL;
}

/* "/subscriptions/S" of a scope, or "" above subscriptions. */
static char *
sub_of(const char *scope)
{
    const char *p;

    if (!str_istarts(scope, "/subscriptions/"))
        return xstrdup("");
    p = strchr(scope + strlen("/subscriptions/"), '/');
    return p ? xstrndup(scope, (size_t)(p - scope)) : xstrdup(scope);
}

cJSON *
rbac_assignment_doc(const char *scope, const char *name,
                    const struct rbac_role *role, const char *principal,
                    const char *ptype, const char *by, int64_t now_ms,
                    int delay_ms)
{
    cJSON *o = cJSON_CreateObject(), *p;
    char *sub = sub_of(scope);
    char *def =
        xasprintf("%s/providers/Microsoft.Authorization/roleDefinitions/%s",
                  sub, role->id);
    char *id =
        xasprintf("%s/providers/Microsoft.Authorization/roleAssignments/%s",
                  strcmp(scope, "/") == 0 ? "" : scope, name);
    char *ts = util_iso_ms(now_ms);

    p = cJSON_AddObjectToObject(o, "properties");
    cJSON_AddStringToObject(p, "roleDefinitionId", def);
    cJSON_AddStringToObject(p, "principalId", principal);
    cJSON_AddStringToObject(p, "principalType", ptype);
    cJSON_AddStringToObject(p, "scope", scope);
    cJSON_AddNullToObject(p, "condition");
    cJSON_AddNullToObject(p, "conditionVersion");
    cJSON_AddStringToObject(p, "createdOn", ts);
    cJSON_AddStringToObject(p, "updatedOn", ts);
    cJSON_AddStringToObject(p, "createdBy", by ? by : "");
    cJSON_AddStringToObject(p, "updatedBy", by ? by : "");
    cJSON_AddNullToObject(p, "delegatedManagedIdentityResourceId");
    cJSON_AddNullToObject(p, "description");
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "type",
                            "Microsoft.Authorization/roleAssignments");
    cJSON_AddStringToObject(o, "name", name);
    cJSON_AddNumberToObject(o, "_activeAt",
                            (double)(delay_ms > 0 ? now_ms + delay_ms : 0));
    free(sub);
    free(def);
    free(id);
    free(ts);
    return o;
}

cJSON *
rbac_assignment_render(const cJSON *doc)
{
    return arm_public(doc);
}

void
rbac_drop_scope(struct sim *sim, struct store_txn *t, const char *id)
{
    char *lower = util_lower(id ? id : "");
    char *prefix = xasprintf("ra|%s", lower);
    size_t plen = strlen(prefix);
    struct vec kvs = VEC_INIT;

    if (!*lower)
        goto out;
    store_scan(sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];
        const char *name = strrchr(kv->key, '|');
        char *nkey;

        if (kv->key[plen] != '|' && kv->key[plen] != '/')
            continue; /* another resource whose id starts the same */
        nkey = xasprintf("raname|%s", name + 1);
        store_txn_del(t, kv->key);
        store_txn_del(t, nkey);
        free(nkey);
    }
    vec_free_all(&kvs, store_kv_free);
out:
    free(prefix);
    free(lower);
}

/* ---- the seed's assignments -------------------------------------------- */

static void
seed_assign(struct sim *sim, const char *scope, const struct rbac_role *role,
            const char *oid)
{
    char *what, *name, *key, *nkey, *val;
    cJSON *doc;

    if (!oid || !*oid)
        return;
    what =
        xasprintf("kvdeck-seed/role-assignment/%s/%s/%s", scope, role->id, oid);
    name = util_uuid_from(what);
    doc = rbac_assignment_doc(scope, name, role, oid,
                              rbac_principal_type(sim, oid),
                              sim->id.sp_object_id, sim_now_ms(), 0);
    key = rbac_key(scope, name);
    nkey = xasprintf("raname|%s", name);
    store_bulk_put(sim->store, key, json_print(doc));
    val = xasprintf("\"%s\"", key); /* the store takes it */
    store_bulk_put(sim->store, nkey, val);
    cJSON_Delete(doc);
    free(what);
    free(name);
    free(key);
    free(nkey);
}

static void
seed_all(struct sim *sim, const char *kind, const struct rbac_role *role)
{
    const char *oids[] = {sim->id.sp_object_id, sim->id.user_oid,
                          sim->id.mi_oid, sim->id.uami_oid};
    struct vec kvs = VEC_INIT;

    store_scan(sim->store, kind, NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];
        cJSON *doc = cJSON_Parse(kv->val);
        const char *id = json_str(doc, "id");

        for (size_t j = 0; id && j < sizeof oids / sizeof oids[0]; j++)
            seed_assign(sim, id, role, oids[j]);
        cJSON_Delete(doc);
    }
    vec_free_all(&kvs, store_kv_free);
}

void
rbac_seed(struct sim *sim)
{
    seed_all(sim, "sub|", rbac_role_by_name("Owner"));
    seed_all(sim, "vault|", rbac_role_by_name("Key Vault Administrator"));
}
