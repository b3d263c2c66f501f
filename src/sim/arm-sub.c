/*
 * arm-sub.c — subscriptions, tenants, locations, resource groups
 * (HEAD/GET/PUT/PATCH/DELETE as a long-running operation), the generic
 * /resources listing with $filter, and /metadata/endpoints.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm.h"
#include "sim/cog.h"
#include "sim/store.h"
#include "sim/util.h"

static cJSON *
render_public(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    return arm_public(doc);
}

/* Only the subscriptions of the token's tenant, as in Azure. */
static cJSON *
render_sub(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    return arm_sub_visible(cx, doc) ? arm_public(doc) : NULL;
}

static void
subs_list(struct arm_ctx *cx)
{
    arm_list(cx, "sub|", NULL, render_sub, NULL);
}

static void
sub_get(struct arm_ctx *cx)
{
    cJSON *doc = arm_need_sub(cx, cx->cap[0]);

    if (doc)
        resp_json(cx->rs, 200, arm_public(doc));
    cJSON_Delete(doc);
}

static void
add_tenant(cJSON *arr, const char *tenant, const char *domain, const char *name,
           const char *country)
{
    cJSON *t = cJSON_CreateObject();
    cJSON *domains = cJSON_CreateArray();
    char *id = xasprintf("/tenants/%s", tenant);

    cJSON_AddStringToObject(t, "id", id);
    cJSON_AddStringToObject(t, "tenantId", tenant);
    cJSON_AddStringToObject(t, "countryCode", country);
    cJSON_AddStringToObject(t, "displayName", name);
    cJSON_AddItemToArray(domains, cJSON_CreateString(domain));
    cJSON_AddItemToObject(t, "domains", domains);
    cJSON_AddStringToObject(t, "tenantCategory", "Home");
    cJSON_AddStringToObject(t, "defaultDomain", domain);
    cJSON_AddStringToObject(t, "tenantType", "AAD");
    cJSON_AddItemToArray(arr, t);
    free(id);
}

/* Every tenant the account may sign in to, whichever the token's. */
static void
tenants_list(struct arm_ctx *cx)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "value");

    add_tenant(arr, cx->sim->id.tenant, cx->sim->id.domain,
               "Contoso (kvdeck-sim)", "US");
    if (cx->sim->id.tenant2)
        add_tenant(arr, cx->sim->id.tenant2, cx->sim->id.domain2,
                   "Fabrikam (kvdeck-sim)", "DE");
    resp_json(cx->rs, 200, root);
}

/* Azure's regions as GET /subscriptions/S/locations describes them
 * (regionalDisplayName and metadata as in Resources' GetLocations
 * example). */
static const struct region {
    const char *name, *display, *area, *category, *geography, *group, *place,
        *paired, *lat, *lon;
} regions[] = {
    {"eastus", "East US", "US", "Recommended", "United States", "US",
     "Virginia", "westus", "37.3719", "-79.8164"},
    {"eastus2", "East US 2", "US", "Recommended", "United States", "US",
     "Virginia", "centralus", "36.6681", "-78.3889"},
    {"westus", "West US", "US", "Other", "United States", "US", "California",
     "eastus", "37.783", "-122.417"},
    {"westus2", "West US 2", "US", "Recommended", "United States", "US",
     "Washington", "westcentralus", "47.233", "-119.852"},
    {"westus3", "West US 3", "US", "Recommended", "United States", "US",
     "Phoenix", "eastus", "33.448376", "-112.074036"},
    {"centralus", "Central US", "US", "Recommended", "United States", "US",
     "Iowa", "eastus2", "41.5908", "-93.6208"},
    {"northeurope", "North Europe", "Europe", "Recommended", "Europe", "Europe",
     "Ireland", "westeurope", "53.3478", "-6.2597"},
    {"westeurope", "West Europe", "Europe", "Recommended", "Europe", "Europe",
     "Netherlands", "northeurope", "52.3667", "4.9"},
    {"uksouth", "UK South", "Europe", "Recommended", "United Kingdom", "Europe",
     "London", "ukwest", "50.941", "-0.799"},
    {"swedencentral", "Sweden Central", "Europe", "Recommended", "Sweden",
     "Europe", "G\xc3\xa4vle", "swedensouth", "60.67488", "17.14127"},
    {"germanywestcentral", "Germany West Central", "Europe", "Recommended",
     "Germany", "Europe", "Frankfurt", "germanynorth", "50.110924", "8.682127"},
    {"japaneast", "Japan East", "Asia Pacific", "Recommended", "Japan",
     "Asia Pacific", "Tokyo, Saitama", "japanwest", "35.68", "139.77"},
    {"australiaeast", "Australia East", "Asia Pacific", "Recommended",
     "Australia", "Asia Pacific", "New South Wales", "australiasoutheast",
     "-33.86", "151.2094"},
    {"southeastasia", "Southeast Asia", "Asia Pacific", "Recommended",
     "Asia Pacific", "Asia Pacific", "Singapore", "eastasia", "1.283",
     "103.833"},
};

static cJSON *
region_render(const char *sub, const struct region *r)
{
    cJSON *l = cJSON_CreateObject(), *m, *pair;
    char *id = xasprintf("/subscriptions/%s/locations/%s", sub, r->name);
    char *pid = xasprintf("/subscriptions/%s/locations/%s", sub, r->paired);
    char *regional = xasprintf("(%s) %s", r->area, r->display);

    cJSON_AddStringToObject(l, "id", id);
    cJSON_AddStringToObject(l, "name", r->name);
    cJSON_AddStringToObject(l, "type", "Region");
    cJSON_AddStringToObject(l, "displayName", r->display);
    cJSON_AddStringToObject(l, "regionalDisplayName", regional);
    m = cJSON_AddObjectToObject(l, "metadata");
    cJSON_AddStringToObject(m, "regionType", "Physical");
    cJSON_AddStringToObject(m, "regionCategory", r->category);
    cJSON_AddStringToObject(m, "geography", r->geography);
    cJSON_AddStringToObject(m, "geographyGroup", r->group);
    cJSON_AddStringToObject(m, "longitude", r->lon);
    cJSON_AddStringToObject(m, "latitude", r->lat);
    cJSON_AddStringToObject(m, "physicalLocation", r->place);
    pair = cJSON_CreateObject();
    cJSON_AddStringToObject(pair, "name", r->paired);
    cJSON_AddStringToObject(pair, "id", pid);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(m, "pairedRegion"), pair);
    free(id);
    free(pid);
    free(regional);
    return l;
}

static void
locations_list(struct arm_ctx *cx)
{
    cJSON *doc = arm_need_sub(cx, cx->cap[0]);
    cJSON *root, *arr;

    if (!doc)
        return;
    cJSON_Delete(doc);
    root = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(root, "value");
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++)
        cJSON_AddItemToArray(arr, region_render(cx->cap[0], &regions[i]));
    resp_json(cx->rs, 200, root);
}

/* ---- resource groups ---------------------------------------------------- */

static bool
rg_name_ok(const char *n)
{
    size_t len = strlen(n);

    if (len < 1 || len > 90 || n[len - 1] == '.')
        return false;
    for (const char *p = n; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("-_.()", *p) &&
            !((unsigned char)*p & 0x80))
            return false;
    return true;
}

static char *
rg_key(const char *sub, const char *rg)
{
    char *k = xasprintf("rg|%s|%s", sub, rg);
    char *l = util_lower(k);

    free(k);
    return l;
}

struct tag_filter {
    char *name;
    char *value;
};

/* Parses "tagname eq 'a' [and tagvalue eq 'b']"; false if unsupported. */
static bool
parse_tag_filter(const char *f, struct tag_filter *tf)
{
    char name[256], value[256];

    memset(tf, 0, sizeof *tf);
    if (sscanf(f, "tagname eq '%255[^']' and tagvalue eq '%255[^']'", name,
               value) == 2) {
        tf->name = xstrdup(name);
        tf->value = xstrdup(value);
        return true;
    }
    if (sscanf(f, "tagName eq '%255[^']' and tagValue eq '%255[^']'", name,
               value) == 2) {
        tf->name = xstrdup(name);
        tf->value = xstrdup(value);
        return true;
    }
    if (sscanf(f, "tagname eq '%255[^']'", name) == 1 ||
        sscanf(f, "tagName eq '%255[^']'", name) == 1) {
        tf->name = xstrdup(name);
        return true;
    }
    return false;
}

static bool
tag_match(const char *key, const char *val, void *ud)
{
    struct tag_filter *tf = ud;
    cJSON *doc = cJSON_Parse(val);
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(doc, "tags");
    const cJSON *t;
    bool ok = false;

    cJSON_ArrayForEach(t, tags)
    {
        if (strcasecmp(t->string, tf->name) == 0 &&
            (!tf->value ||
             (cJSON_IsString(t) && strcmp(t->valuestring, tf->value) == 0)))
            ok = true;
    }
    cJSON_Delete(doc);
    return ok;
}

static void
rg_list(struct arm_ctx *cx)
{
    const char *filter = req_query(cx->rq, "$filter");
    struct tag_filter tf = {0};
    cJSON *s = arm_need_sub(cx, cx->cap[0]);
    char *prefix;

    if (!s)
        return;
    cJSON_Delete(s);
    if (filter && *filter && !parse_tag_filter(filter, &tf)) {
        arm_error(cx, 400, "InvalidFilterInQueryString",
                  "Invalid $filter '%s' specified in the query string.",
                  filter);
        return;
    }
    prefix = rg_key(cx->cap[0], "");
    arm_list(cx, prefix, tf.name ? tag_match : NULL, render_public, &tf);
    free(prefix);
    free(tf.name);
    free(tf.value);
}

static void
rg_get(struct arm_ctx *cx)
{
    cJSON *doc = arm_need_rg(cx, cx->cap[0], cx->cap[1]);

    if (!doc)
        return;
    if (strcmp(cx->rq->method, "HEAD") == 0)
        resp_json(cx->rs, 204, NULL);
    else
        resp_json(cx->rs, 200, arm_public(doc));
    cJSON_Delete(doc);
}

/* The body of a group PUT: its normalised location (caller frees), or
 * NULL after answering 400. */
static char *
rg_location(struct arm_ctx *cx, const cJSON *body)
{
    const char *loc = json_str(body, "location");

    if (!loc) {
        arm_error(cx, 400, "LocationRequired",
                  "The location property is required for this definition.");
        return NULL;
    }
    if (!arm_location_ok(loc)) {
        arm_error(cx, 400, "LocationNotAvailableForResourceGroup",
                  "The provided location '%s' is not available for resource "
                  "group.",
                  loc);
        return NULL;
    }
    if (!arm_tags_ok(cJSON_GetObjectItemCaseSensitive(body, "tags"))) {
        arm_error(cx, 400, "InvalidRequestContent",
                  "The request content was invalid: tags must be strings.");
        return NULL;
    }
    return arm_location_norm(loc);
}

/* A resource group named name in sub (old: the group it replaces). */
static cJSON *
rg_doc(const char *sub, const char *name, const char *loc, const cJSON *body,
       const cJSON *old)
{
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(body, "tags");
    const char *n = old ? json_str(old, "name") : name;
    char *id = xasprintf("/subscriptions/%s/resourceGroups/%s", sub, n);
    cJSON *doc = cJSON_CreateObject();

    cJSON_AddStringToObject(doc, "id", id);
    cJSON_AddStringToObject(doc, "name", n);
    cJSON_AddStringToObject(doc, "type", "Microsoft.Resources/resourceGroups");
    cJSON_AddStringToObject(doc, "location", loc);
    if (json_str(body, "managedBy"))
        cJSON_AddStringToObject(doc, "managedBy", json_str(body, "managedBy"));
    cJSON_AddItemToObject(doc, "tags",
                          cJSON_IsObject(tags) ? cJSON_Duplicate(tags, true)
                                               : cJSON_CreateObject());
    cJSON_AddStringToObject(cJSON_AddObjectToObject(doc, "properties"),
                            "provisioningState", "Succeeded");
    free(id);
    return doc;
}

static void
rg_put(struct arm_ctx *cx)
{
    const char *sub = cx->cap[0], *name = cx->cap[1];
    cJSON *s, *body = NULL, *old = NULL, *doc;
    char *key = NULL, *lloc = NULL;
    struct store_txn *t;

    if (!(s = arm_need_sub(cx, sub)))
        return;
    cJSON_Delete(s);
    if (!rg_name_ok(name)) {
        arm_error(cx, 400, "InvalidResourceGroup",
                  "The provided resource group name '%s' has these invalid "
                  "characters. The name can only be a letter, digit, '-', "
                  "'.', '(', ')' or '_'.",
                  name);
        return;
    }
    if (!(body = arm_body(cx)) || !(lloc = rg_location(cx, body)))
        goto out;
    key = rg_key(sub, name);
    store_write_lock(cx->sim->store);
    old = store_get_json(cx->sim->store, key);
    if (old && strcmp(json_str(old, "location"), lloc) != 0) {
        arm_error(cx, 409, "InvalidResourceGroupLocation",
                  "Invalid resource group location '%s'. The Resource group "
                  "already exists in location '%s'.",
                  lloc, json_str(old, "location"));
    } else {
        doc = rg_doc(sub, name, lloc, body, old);
        t = store_txn_new();
        store_txn_put(t, key, doc);
        if (arm_commit(cx, t))
            resp_json(cx->rs, old ? 200 : 201, arm_public(doc));
        cJSON_Delete(doc);
    }
    store_write_unlock(cx->sim->store);
out:
    cJSON_Delete(old);
    cJSON_Delete(body);
    free(key);
    free(lloc);
}

static void
rg_patch(struct arm_ctx *cx)
{
    cJSON *body, *doc;
    const cJSON *tags;
    char *key;
    struct store_txn *t;

    if (!(doc = arm_need_rg(cx, cx->cap[0], cx->cap[1])))
        return;
    cJSON_Delete(doc);
    if (!(body = arm_body(cx)))
        return;
    key = rg_key(cx->cap[0], cx->cap[1]);
    store_write_lock(cx->sim->store);
    doc = store_get_json(cx->sim->store, key);
    tags = cJSON_GetObjectItemCaseSensitive(body, "tags");
    if (doc && tags && arm_tags_ok(tags))
        json_set(doc, "tags", cJSON_Duplicate(tags, true));
    if (doc && json_str(body, "managedBy"))
        json_set_str(doc, "managedBy", json_str(body, "managedBy"));
    if (doc) {
        t = store_txn_new();
        store_txn_put(t, key, doc);
        if (arm_commit(cx, t))
            resp_json(cx->rs, 200, arm_public(doc));
    } else {
        arm_rg_not_found(cx, cx->cap[1]);
    }
    store_write_unlock(cx->sim->store);
    cJSON_Delete(doc);
    cJSON_Delete(body);
    free(key);
}

static void
rg_delete(struct arm_ctx *cx)
{
    const char *sub = cx->cap[0], *rg = cx->cap[1];
    char *key = rg_key(sub, rg), *vprefix, *opid, *lsub, *lrg;
    struct vec vaults = VEC_INIT;
    struct store_txn *t;
    cJSON *doc;
    bool ok;

    if (!(doc = arm_need_rg(cx, sub, rg))) {
        free(key);
        return;
    }
    cJSON_Delete(doc);
    lsub = util_lower(sub);
    lrg = util_lower(rg);
    vprefix = xasprintf("vault|%s|%s|", lsub, lrg);
    store_write_lock(cx->sim->store);
    t = store_txn_new();
    store_scan(cx->sim->store, vprefix, NULL, 0, NULL, NULL, &vaults, NULL);
    for (size_t i = 0; i < vaults.len; i++) {
        struct store_kv *kv = vaults.items[i];
        cJSON *v = cJSON_Parse(kv->val);

        if (v)
            arm_vault_soft_delete(cx, t, kv->key, v);
        cJSON_Delete(v);
    }
    arm_net_delete_group(t, lsub, lrg);
    cog_delete_group(cx->sim, t, lsub, lrg);
    store_txn_del(t, key);
    ok = arm_commit(cx, t);
    store_write_unlock(cx->sim->store);
    if (ok) {
        opid = arm_op_new(cx, "rgdelete", atomic_load(&cx->sim->lro_delay_ms),
                          NULL);
        resp_json(cx->rs, 202, NULL);
        resp_header(cx->rs, "Location",
                    "%s/subscriptions/%s/operationresults/%s?api-version=%s",
                    cx->rq->base, sub, opid, cx->api);
        resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
        free(opid);
    }
    vec_free_all(&vaults, store_kv_free);
    free(vprefix);
    free(key);
    free(lsub);
    free(lrg);
}

static void
rg_operation(struct arm_ctx *cx)
{
    char *key = xasprintf("op|%s", cx->cap[1]);
    cJSON *op = store_get_json(cx->sim->store, key);

    if (!op) {
        arm_error(cx, 404, "NotFound", "The operation '%s' was not found.",
                  cx->cap[1]);
    } else if (json_int(op, "done", 0) > sim_now_ms()) {
        resp_json(cx->rs, 202, NULL);
        resp_header(cx->rs, "Location", "%s%s?api-version=%s", cx->rq->base,
                    cx->rq->path, cx->api);
        resp_header(cx->rs, "Retry-After", "%d", arm_retry_after(cx->sim));
    } else {
        resp_json(cx->rs, 200, NULL);
    }
    cJSON_Delete(op);
    free(key);
}

/* ---- generic /resources ------------------------------------------------ */

static const struct {
    const char *type;
    const char *prefix; /* store key prefix */
} generic_types[] = {
    {"Microsoft.KeyVault/vaults", "vault"},
    {"Microsoft.Network/virtualNetworks", "vnet"},
    {"Microsoft.Network/privateEndpoints", "pe"},
    {"Microsoft.Network/privateDnsZones", "zone"},
};

struct res_filter {
    char *name;
};

static bool
name_match(const char *key, const char *val, void *ud)
{
    struct res_filter *rf = ud;
    const char *bar = strrchr(key, '|');

    return !rf->name || (bar && strcasecmp(bar + 1, rf->name) == 0);
}

static cJSON *
render_generic(struct arm_ctx *cx, const char *key, cJSON *doc, void *ud)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(doc, "tags");

    cJSON_AddStringToObject(o, "id", json_str(doc, "id"));
    cJSON_AddStringToObject(o, "name", json_str(doc, "name"));
    cJSON_AddStringToObject(o, "type", json_str(doc, "type"));
    cJSON_AddStringToObject(o, "location", json_str(doc, "location"));
    cJSON_AddItemToObject(
        o, "tags", tags ? cJSON_Duplicate(tags, true) : cJSON_CreateObject());
    return o;
}

/* The store prefix of a generic type's resources in sub (and rg). */
static char *
generic_prefix(size_t i, const char *sub, const char *rg)
{
    char *p = rg ? xasprintf("%s|%s|%s|", generic_types[i].prefix, sub, rg)
                 : xasprintf("%s|%s|", generic_types[i].prefix, sub);
    char *l = util_lower(p);

    free(p);
    return l;
}

/* Every resource of every type the simulator holds, unpaged. */
static void
resources_all(struct arm_ctx *cx, const char *sub, const char *rg,
              struct res_filter *rf)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "value");

    for (size_t i = 0; i < sizeof generic_types / sizeof generic_types[0];
         i++) {
        struct vec page = VEC_INIT;
        char *l = generic_prefix(i, sub, rg);

        store_scan(cx->sim->store, l, NULL, 0, name_match, rf, &page, NULL);
        for (size_t k = 0; k < page.len; k++) {
            struct store_kv *kv = page.items[k];
            cJSON *doc = cJSON_Parse(kv->val);

            if (doc)
                cJSON_AddItemToArray(arr,
                                     render_generic(cx, kv->key, doc, NULL));
            cJSON_Delete(doc);
        }
        vec_free_all(&page, store_kv_free);
        free(l);
    }
    resp_json(cx->rs, 200, root);
}

/* The resources of one type (paged), or none for a type not held. */
static void
resources_of_type(struct arm_ctx *cx, const char *sub, const char *rg,
                  const char *type, struct res_filter *rf)
{
    for (size_t i = 0; i < sizeof generic_types / sizeof generic_types[0];
         i++) {
        if (strcasecmp(type, generic_types[i].type) == 0) {
            char *l = generic_prefix(i, sub, rg);

            arm_list(cx, l, name_match, render_generic, rf);
            free(l);
            return;
        }
    }
    resp_json(cx->rs, 200, cJSON_Parse("{\"value\":[]}"));
}

static void
resources_list(struct arm_ctx *cx)
{
    const char *filter = req_query(cx->rq, "$filter");
    const char *sub = cx->cap[0];
    const char *rg = cx->ncap > 1 ? cx->cap[1] : NULL;
    char type[256] = "", name[256] = "";
    struct res_filter rf = {0};
    cJSON *s;

    if (rg) {
        if (!(s = arm_need_rg(cx, sub, rg)))
            return;
    } else if (!(s = arm_need_sub(cx, sub))) {
        return;
    }
    cJSON_Delete(s);
    if (filter && *filter) {
        if (sscanf(filter, "resourceType eq '%255[^']' and name eq '%255[^']'",
                   type, name) < 1 &&
            sscanf(filter, "name eq '%255[^']' and resourceType eq '%255[^']'",
                   name, type) < 2) {
            arm_error(cx, 400, "InvalidFilterInQueryString",
                      "Invalid $filter '%s' specified in the query string.",
                      filter);
            return;
        }
    }
    rf.name = name[0] ? name : NULL;
    if (type[0])
        resources_of_type(cx, sub, rg, type, &rf);
    else
        resources_all(cx, sub, rg, &rf);
}

/* ---- cloud metadata ---------------------------------------------------- */

static void
metadata_endpoints(struct arm_ctx *cx)
{
    const char *ver = req_query(cx->rq, "api-version");
    int port = cx->sim->port;
    char *login = xasprintf("https://127.0.0.1:%d/adfs", port);
    char *arm = xasprintf("https://127.0.0.1:%d/", port);
    cJSON *auth = cJSON_CreateObject(), *aud = cJSON_CreateArray();
    cJSON *o = cJSON_CreateObject();

    cJSON_AddItemToArray(
        aud, cJSON_CreateString("https://management.core.windows.net/"));
    cJSON_AddItemToArray(aud,
                         cJSON_CreateString("https://management.azure.com/"));
    cJSON_AddStringToObject(auth, "loginEndpoint", login);
    cJSON_AddItemToObject(auth, "audiences", aud);
    cJSON_AddStringToObject(auth, "tenant", "adfs");
    cJSON_AddStringToObject(auth, "identityProvider", "ADFS");
    if (ver && strcmp(ver, "2015-01-01") != 0) {
        cJSON *arr = cJSON_CreateArray();
        cJSON *suffixes = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "name", "KvdeckSim");
        cJSON_AddStringToObject(o, "resourceManager", arm);
        cJSON_AddStringToObject(o, "microsoftGraphResourceId", arm);
        cJSON_AddItemToObject(o, "authentication", auth);
        cJSON_AddStringToObject(suffixes, "keyVaultDns", "vault.localhost");
        cJSON_AddItemToObject(o, "suffixes", suffixes);
        cJSON_AddItemToArray(arr, o);
        resp_json(cx->rs, 200, arr);
    } else {
        cJSON_AddStringToObject(o, "galleryEndpoint", "");
        cJSON_AddStringToObject(o, "graphEndpoint",
                                "https://graph.windows.net/");
        cJSON_AddStringToObject(o, "portalEndpoint", "");
        cJSON_AddItemToObject(o, "authentication", auth);
        resp_json(cx->rs, 200, o);
    }
    free(login);
    free(arm);
}

#define ROUTE(P, M, A, T, F)                                                   \
    {                                                                          \
        .pattern = P, .methods = M, .apis = A, .type = T, .fn = F              \
    }

const struct arm_route arm_sub_routes[] = {
    ROUTE("metadata/endpoints", "GET", API_NONE, NULL, metadata_endpoints),
    ROUTE("subscriptions", "GET", API_SUBS, "subscriptions", subs_list),
    ROUTE("subscriptions/*", "GET", API_SUBS, "subscriptions", sub_get),
    ROUTE("tenants", "GET", API_SUBS, "tenants", tenants_list),
    ROUTE("subscriptions/*/locations", "GET", API_SUBS, "locations",
          locations_list),
    ROUTE("subscriptions/*/resourcegroups", "GET", API_RES, "resourceGroups",
          rg_list),
    ROUTE("subscriptions/*/resourcegroups/*", "GET HEAD", API_RES,
          "resourceGroups", rg_get),
    ROUTE("subscriptions/*/resourcegroups/*", "PUT", API_RES, "resourceGroups",
          rg_put),
    ROUTE("subscriptions/*/resourcegroups/*", "PATCH", API_RES,
          "resourceGroups", rg_patch),
    ROUTE("subscriptions/*/resourcegroups/*", "DELETE", API_RES,
          "resourceGroups", rg_delete),
    ROUTE("subscriptions/*/operationresults/*", "GET", API_RES,
          "operationresults", rg_operation),
    ROUTE("subscriptions/*/resources", "GET", API_RES, "resources",
          resources_list),
    ROUTE("subscriptions/*/resourcegroups/*/resources", "GET", API_RES,
          "resources", resources_list),
    {.pattern = NULL},
};
