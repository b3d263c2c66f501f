/*
 * arm-graph-index.c — Resource Graph's index in kvdeck-sim (see
 * arm-graph.h): the per-principal quota windows, the change log that
 * lets the index lag writes, and the rows of the resources and
 * resourcecontainers tables built from the store as it was graph_lag_ms
 * ago, in Resource Graph's shape (type and resourceGroup lower case;
 * kind and managedBy "" and sku, plan, identity, zones, extendedLocation
 * null when the resource has none), kept to what the caller may read.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-graph.h"
#include "sim/arm-perm.h"
#include "sim/rbac.h"
#include "sim/store.h"
#include "sim/util.h"

/* One write the index has not seen yet: key's value before it. */
struct change {
    int64_t at; /* ms */
    char *key;
    char *old; /* NULL: the key did not exist */
};

struct quota {
    char *principal;
    int64_t start; /* ms, the window's */
    int used;
};

/* A query result kept for its next pages. */
struct cached {
    char *principal;
    char *hash;
    uint64_t gen;
    int64_t at; /* ms */
    cJSON *rows;
};

#define CACHE_SLOTS 4
#define CACHE_MS    60000

struct arm_graph {
    struct sim *sim;
    pthread_mutex_t mu;
    struct vec changes; /* struct change *, oldest first */
    struct vec quotas;  /* struct quota * */
    uint64_t gen;       /* indexed writes and role assignments so far */
    struct cached cache[CACHE_SLOTS];
};

/* The store prefixes the index holds, with their resource types. */
static const struct kind {
    const char *prefix;
    const char *type; /* as ARM names it; rows show it lower case */
    enum kql_table table;
} kinds[] = {
    {"sub|", "Microsoft.Resources/subscriptions", KQL_CONTAINERS},
    {"rg|", "Microsoft.Resources/subscriptions/resourceGroups", KQL_CONTAINERS},
    {"vault|", "Microsoft.KeyVault/vaults", KQL_RESOURCES},
    {"vnet|", "Microsoft.Network/virtualNetworks", KQL_RESOURCES},
    {"pe|", "Microsoft.Network/privateEndpoints", KQL_RESOURCES},
    {"zone|", "Microsoft.Network/privateDnsZones", KQL_RESOURCES},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static void
change_free(void *p)
{
    struct change *c = p;

    free(c->key);
    free(c->old);
    free(c);
}

static void
quota_free(void *p)
{
    struct quota *q = p;

    free(q->principal);
    free(q);
}

/* Drops the changes older than lag_ms (all of them when 0). */
static void
prune(struct arm_graph *g, int64_t now, int lag_ms)
{
    size_t n = 0;

    while (n < g->changes.len &&
           (lag_ms <= 0 ||
            ((struct change *)g->changes.items[n])->at < now - lag_ms))
        n++;
    if (!n)
        return;
    for (size_t i = 0; i < n; i++)
        change_free(g->changes.items[i]);
    memmove(g->changes.items, g->changes.items + n,
            (g->changes.len - n) * sizeof g->changes.items[0]);
    g->changes.len -= n;
}

/* The store's observer: remembers what an indexed key held before. */
static void
observe(void *ud, const char *key, const char *old)
{
    struct arm_graph *g = ud;
    int lag = atomic_load(&g->sim->graph_lag_ms);
    int64_t now = sim_now_ms();
    struct change *c;
    bool indexed = false;

    for (size_t i = 0; i < NKINDS; i++)
        if (str_starts(key, kinds[i].prefix))
            indexed = true;
    pthread_mutex_lock(&g->mu);
    if (indexed || str_starts(key, "ra|"))
        g->gen++;
    prune(g, now, lag);
    if (indexed && lag > 0) {
        c = xmalloc(sizeof *c);
        *c = (struct change){
            .at = now, .key = xstrdup(key), .old = old ? xstrdup(old) : NULL};
        vec_push(&g->changes, c);
    }
    pthread_mutex_unlock(&g->mu);
}

struct arm_graph *
arm_graph_new(struct sim *sim)
{
    struct arm_graph *g = xcalloc(1, sizeof *g);

    g->sim = sim;
    pthread_mutex_init(&g->mu, NULL);
    store_set_observer(sim->store, observe, g);
    return g;
}

static void
cached_clear(struct cached *c)
{
    free(c->principal);
    free(c->hash);
    cJSON_Delete(c->rows);
    memset(c, 0, sizeof *c);
}

uint64_t
arm_graph_gen(struct arm_graph *g)
{
    uint64_t gen;

    pthread_mutex_lock(&g->mu);
    gen = g->gen;
    pthread_mutex_unlock(&g->mu);
    return gen;
}

cJSON *
arm_graph_cache_get(struct arm_graph *g, const char *principal,
                    const char *hash, long skip, long top, long *total)
{
    int64_t now = sim_now_ms();
    cJSON *page = NULL;

    if (atomic_load(&g->sim->graph_lag_ms) > 0)
        return NULL;
    pthread_mutex_lock(&g->mu);
    for (size_t i = 0; i < CACHE_SLOTS && !page; i++) {
        struct cached *c = &g->cache[i];
        const cJSON *it;
        long n = 0;

        if (!c->rows || c->gen != g->gen || now - c->at > CACHE_MS ||
            strcmp(c->principal, principal) != 0 || strcmp(c->hash, hash) != 0)
            continue;
        page = cJSON_CreateArray();
        cJSON_ArrayForEach(it, c->rows)
        {
            if (n >= skip && n < skip + top)
                cJSON_AddItemToArray(page, cJSON_Duplicate(it, true));
            n++;
        }
        *total = n;
    }
    pthread_mutex_unlock(&g->mu);
    return page;
}

void
arm_graph_cache_put(struct arm_graph *g, const char *principal,
                    const char *hash, uint64_t gen, cJSON *rows)
{
    struct cached *slot = &g->cache[0];

    pthread_mutex_lock(&g->mu);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        struct cached *c = &g->cache[i];

        if (c->rows && strcmp(c->principal, principal) == 0 &&
            strcmp(c->hash, hash) == 0) {
            slot = c;
            break;
        }
        if (!c->rows || c->at < slot->at)
            slot = c; /* a free slot, else the oldest */
    }
    cached_clear(slot);
    *slot = (struct cached){.principal = xstrdup(principal),
                            .hash = xstrdup(hash),
                            .gen = gen,
                            .at = sim_now_ms(),
                            .rows = rows};
    pthread_mutex_unlock(&g->mu);
}

void
arm_graph_free(struct arm_graph *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        cached_clear(&g->cache[i]);
    store_set_observer(g->sim->store, NULL, NULL);
    vec_free_all(&g->changes, change_free);
    vec_free_all(&g->quotas, quota_free);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

/* ---- quota ------------------------------------------------------------- */

static struct quota *
quota_of(struct arm_graph *g, const char *principal, int window_ms, int64_t now)
{
    struct quota *q = NULL;

    for (size_t i = 0; i < g->quotas.len && !q; i++)
        if (strcmp(((struct quota *)g->quotas.items[i])->principal,
                   principal) == 0)
            q = g->quotas.items[i];
    if (!q) {
        q = xcalloc(1, sizeof *q);
        q->principal = xstrdup(principal);
        q->start = now;
        vec_push(&g->quotas, q);
    }
    if (now >= q->start + window_ms) {
        q->start = now;
        q->used = 0;
    }
    return q;
}

static bool
quota_use(struct arm_graph *g, const char *principal, int quota, int window_ms,
          int *remaining, int64_t *reset_ms, bool take)
{
    int64_t now = sim_now_ms();
    struct quota *q;
    bool ok;

    pthread_mutex_lock(&g->mu);
    q = quota_of(g, principal ? principal : "", window_ms, now);
    ok = q->used < quota;
    if (ok && take)
        q->used++;
    *remaining = quota - q->used > 0 ? quota - q->used : 0;
    *reset_ms = q->start + window_ms - now;
    pthread_mutex_unlock(&g->mu);
    return ok;
}

bool
arm_graph_quota_take(struct arm_graph *g, const char *principal, int quota,
                     int window_ms, int *remaining, int64_t *reset_ms)
{
    return quota_use(g, principal, quota, window_ms, remaining, reset_ms, true);
}

void
arm_graph_quota_peek(struct arm_graph *g, const char *principal, int quota,
                     int window_ms, int *remaining, int64_t *reset_ms)
{
    quota_use(g, principal, quota, window_ms, remaining, reset_ms, false);
}

/* ---- the lagged view --------------------------------------------------- */

static int
kv_cmp(const void *a, const void *b)
{
    const struct store_kv *x = *(struct store_kv *const *)a;
    const struct store_kv *y = *(struct store_kv *const *)b;

    return strcmp(x->key, y->key);
}

/* The entries under prefix as they were lag_ms ago (struct store_kv *,
 * sorted by key, appended to out). */
static void
view_scan(struct arm_graph *g, const char *prefix, int lag_ms, struct vec *out)
{
    int64_t cutoff = sim_now_ms() - lag_ms;
    size_t first = out->len;

    store_scan(g->sim->store, prefix, NULL, 0, NULL, NULL, out, NULL);
    if (lag_ms <= 0)
        return;
    pthread_mutex_lock(&g->mu);
    /* Newest first: each older change overrides, so a key ends with its
     * value at the cutoff. */
    for (size_t i = g->changes.len; i-- > 0;) {
        const struct change *c = g->changes.items[i];
        struct store_kv probe = {.key = c->key}, *pp = &probe, **hit;

        if (c->at <= cutoff)
            break;
        if (!str_starts(c->key, prefix))
            continue;
        hit = out->len == first
                  ? NULL
                  : bsearch(&pp, out->items + first, out->len - first,
                            sizeof out->items[0], kv_cmp);
        if (hit) {
            free((*hit)->val);
            (*hit)->val = c->old ? xstrdup(c->old) : NULL;
        } else if (c->old) {
            struct store_kv *kv = xmalloc(sizeof *kv);

            kv->key = xstrdup(c->key);
            kv->val = xstrdup(c->old);
            vec_insert(out, first, kv);
            /* keep the range sorted for the next bsearch */
            qsort(out->items + first, out->len - first, sizeof out->items[0],
                  kv_cmp);
        }
    }
    pthread_mutex_unlock(&g->mu);
}

/* ---- visibility -------------------------------------------------------- */

struct sub_info {
    char *id; /* lower case */
    char *tenant;
    signed char readable[NKINDS]; /* -1 unknown, 0 no, 1 at subscription */
    bool visible;                 /* the token's tenant */
};

static int
sub_cmp(const void *a, const void *b)
{
    const struct sub_info *x = *(struct sub_info *const *)a;
    const struct sub_info *y = *(struct sub_info *const *)b;

    return strcmp(x->id, y->id);
}

static void
sub_info_free(void *p)
{
    struct sub_info *s = p;

    free(s->id);
    free(s->tenant);
    free(s);
}

static struct sub_info *
sub_find(const struct vec *subs, const char *id)
{
    struct sub_info probe = {.id = (char *)id}, *pp = &probe, **hit;

    if (!subs->len)
        return NULL;
    hit = bsearch(&pp, subs->items, subs->len, sizeof subs->items[0], sub_cmp);
    return hit ? *hit : NULL;
}

/* The subscriptions as the index holds them, with their tenants. */
static void
load_subs(struct arm_ctx *cx, int lag, struct vec *out)
{
    struct vec kvs = VEC_INIT;
    const char *tid = json_str(cx->rq->claims, "tid");

    view_scan(cx->sim->graph, "sub|", lag, &kvs);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];
        cJSON *doc = kv->val ? cJSON_Parse(kv->val) : NULL;
        struct sub_info *s;

        if (!doc)
            continue;
        s = xcalloc(1, sizeof *s);
        s->id = xstrdup(kv->key + strlen("sub|"));
        s->tenant =
            xstrdup(json_str(doc, "tenantId") ? json_str(doc, "tenantId")
                                              : cx->sim->id.tenant);
        s->visible = !tid || str_eq(tid, s->tenant);
        memset(s->readable, -1, sizeof s->readable);
        vec_push(out, s);
        cJSON_Delete(doc);
    }
    vec_free_all(&kvs, store_kv_free);
    vec_sort(out, sub_cmp);
}

/* Whether the caller may read a resource of kind k with id in sub s:
 * a grant at the subscription (or above) is looked up once. */
static bool
readable(struct arm_ctx *cx, struct sub_info *s, size_t k, const char *id)
{
    char *action = xasprintf("%s/read", kinds[k].type), *scope;
    bool ok;

    if (!s->visible) {
        free(action);
        return false;
    }
    if (s->readable[k] < 0) {
        scope = xasprintf("/subscriptions/%s", s->id);
        s->readable[k] = arm_perm_may(cx, scope, action) ? 1 : 0;
        free(scope);
    }
    ok = s->readable[k] == 1 || (id && arm_perm_may(cx, id, action));
    free(action);
    return ok;
}

/* ---- rows -------------------------------------------------------------- */

/* The key's n-th '|' separated segment (caller frees). */
static char *
key_seg(const char *key, int n)
{
    const char *p = key, *e;

    for (int i = 0; i < n && p; i++)
        if ((p = strchr(p, '|')))
            p++;
    if (!p)
        return xstrdup("");
    e = strchr(p, '|');
    return e ? xstrndup(p, (size_t)(e - p)) : xstrdup(p);
}

static cJSON *
dup_or(const cJSON *v, cJSON *dflt)
{
    if (!v)
        return dflt;
    cJSON_Delete(dflt);
    return cJSON_Duplicate(v, true);
}

/* The part of id naming the subscription, as the id spells it. */
static char *
sub_of_id(const char *id, const char *dflt)
{
    const char *p;
    const char *e;

    if (!id || !str_istarts(id, "/subscriptions/"))
        return xstrdup(dflt);
    p = id + strlen("/subscriptions/");
    e = strchr(p, '/');
    return e ? xstrndup(p, (size_t)(e - p)) : xstrdup(p);
}

/* A resource's properties column as Resource Graph shows it (k > 0;
 * caller deletes). */
static cJSON *
props_of(struct arm_ctx *cx, size_t k, const cJSON *doc)
{
    cJSON *pub = k == 2 ? arm_vault_render(cx, doc, false) : arm_public(doc);
    cJSON *props = cJSON_DetachItemFromObjectCaseSensitive(pub, "properties");

    cJSON_Delete(pub);
    return props ? props : cJSON_CreateObject();
}

/* The row of doc (kind k, store key key, in subscription s, its stored
 * text raw); properties only when with_props (the query may read them),
 * and then, for a resource when defer, as a placeholder holding raw that
 * arm_graph_fill() renders for the rows of a page only. */
static cJSON *
row_of(struct arm_ctx *cx, size_t k, const char *key, const cJSON *doc,
       const char *raw, const struct sub_info *s, bool with_props, bool defer)
{
    cJSON *row = cJSON_CreateObject(), *pub, *props;
    const char *id = json_str(doc, "id");
    char *type = util_lower(kinds[k].type), *rg = key_seg(key, 2);
    char *sub = sub_of_id(id, s->id);

    if (!with_props || (defer && k != 0))
        pub = NULL;
    else if (k == 2)
        pub = arm_vault_render(cx, doc, false);
    else
        pub = arm_public(doc);
    cJSON_AddStringToObject(row, "id", id ? id : "");
    cJSON_AddStringToObject(row, "name",
                            k == 0 ? json_str(doc, "displayName")
                                   : json_str(doc, "name"));
    cJSON_AddStringToObject(row, "type", type);
    cJSON_AddStringToObject(row, "tenantId", s->tenant);
    cJSON_AddStringToObject(row, "kind",
                            json_str(doc, "kind") ? json_str(doc, "kind") : "");
    cJSON_AddStringToObject(
        row, "location",
        json_str(doc, "location") ? json_str(doc, "location") : "");
    cJSON_AddStringToObject(row, "resourceGroup", k == 0 ? "" : rg);
    cJSON_AddStringToObject(row, "subscriptionId", sub);
    cJSON_AddStringToObject(
        row, "managedBy",
        json_str(doc, "managedBy") ? json_str(doc, "managedBy") : "");
    cJSON_AddItemToObject(row, "sku",
                          dup_or(cJSON_GetObjectItemCaseSensitive(doc, "sku"),
                                 cJSON_CreateNull()));
    cJSON_AddItemToObject(row, "plan",
                          dup_or(cJSON_GetObjectItemCaseSensitive(doc, "plan"),
                                 cJSON_CreateNull()));
    if (!with_props) {
        props = cJSON_CreateNull(); /* never shown: no clause reads it */
    } else if (defer && k != 0) {
        props = cJSON_CreateRaw(raw); /* arm_graph_fill() renders it */
    } else if (k == 0) {
        /* as Azure shows a subscription: its management groups up to
         * the tenant root (the simulator has no other group) */
        cJSON *chain, *root = cJSON_CreateObject();

        props = cJSON_CreateObject();
        chain = cJSON_AddArrayToObject(props, "managementGroupAncestorsChain");
        cJSON_AddStringToObject(root, "displayName", "Tenant Root Group");
        cJSON_AddStringToObject(root, "name", s->tenant);
        cJSON_AddItemToArray(chain, root);
        cJSON_AddItemToObject(props, "subscriptionPolicies",
                              dup_or(cJSON_GetObjectItemCaseSensitive(
                                         doc, "subscriptionPolicies"),
                                     cJSON_CreateObject()));
        cJSON_AddStringToObject(props, "state",
                                json_str(doc, "state") ? json_str(doc, "state")
                                                       : "Enabled");
    } else {
        props = cJSON_DetachItemFromObjectCaseSensitive(pub, "properties");
        if (!props)
            props = cJSON_CreateObject();
    }
    cJSON_AddItemToObject(row, "properties", props);
    cJSON_AddItemToObject(row, "tags",
                          dup_or(cJSON_GetObjectItemCaseSensitive(doc, "tags"),
                                 cJSON_CreateObject()));
    cJSON_AddItemToObject(
        row, "identity",
        dup_or(cJSON_GetObjectItemCaseSensitive(doc, "identity"),
               cJSON_CreateNull()));
    cJSON_AddItemToObject(row, "zones",
                          dup_or(cJSON_GetObjectItemCaseSensitive(doc, "zones"),
                                 cJSON_CreateNull()));
    cJSON_AddItemToObject(
        row, "extendedLocation",
        dup_or(cJSON_GetObjectItemCaseSensitive(doc, "extendedLocation"),
               cJSON_CreateNull()));
    cJSON_Delete(pub);
    free(type);
    free(rg);
    free(sub);
    return row;
}

static int
row_cmp(const void *a, const void *b)
{
    const cJSON *x = *(cJSON *const *)a, *y = *(cJSON *const *)b;

    return strcasecmp(json_str(x, "id") ? json_str(x, "id") : "",
                      json_str(y, "id") ? json_str(y, "id") : "");
}

/* Adds the rows of kind k under prefix. */
static void
add_rows(struct arm_ctx *cx, size_t k, const char *prefix, int lag,
         struct vec *subs, bool with_props, bool defer, struct vec *rows)
{
    struct vec kvs = VEC_INIT;

    view_scan(cx->sim->graph, prefix, lag, &kvs);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];
        char *sid = key_seg(kv->key, 1);
        struct sub_info *s = sub_find(subs, sid);
        cJSON *doc = kv->val && s ? cJSON_Parse(kv->val) : NULL;

        if (doc && readable(cx, s, k, k ? json_str(doc, "id") : NULL))
            vec_push(rows, row_of(cx, k, kv->key, doc, kv->val, s, with_props,
                                  defer));
        cJSON_Delete(doc);
        free(sid);
    }
    vec_free_all(&kvs, store_kv_free);
}

void
arm_graph_rows(struct arm_ctx *cx, const struct kql_query *q,
               const struct vec *only, struct vec *rows)
{
    enum kql_table table = kql_table(q);
    bool props = kql_uses(q, "properties");
    /* No clause reads the properties: only a page's rows need them. */
    bool defer = props && !kql_names(q, "properties");
    int lag = atomic_load(&cx->sim->graph_lag_ms);
    struct vec subs = VEC_INIT;
    size_t first = rows->len;

    load_subs(cx, lag, &subs);
    for (size_t k = 0; k < NKINDS; k++) {
        char *type = util_lower(kinds[k].type);
        bool skip = kinds[k].table != table || !kql_may_match_type(q, type);

        free(type);
        if (skip)
            continue;
        if (!only) {
            add_rows(cx, k, kinds[k].prefix, lag, &subs, props, defer, rows);
            continue;
        }
        for (size_t i = 0; i < only->len; i++) {
            const char *sid = only->items[i];
            char *prefix = k == 0 ? xasprintf("sub|%s", sid)
                                  : xasprintf("%s%s|", kinds[k].prefix, sid);

            add_rows(cx, k, prefix, lag, &subs, props, defer, rows);
            free(prefix);
        }
    }
    vec_free_all(&subs, sub_info_free);
    if (rows->len > first + 1)
        qsort(rows->items + first, rows->len - first, sizeof rows->items[0],
              row_cmp);
}

void
arm_graph_fill(struct arm_ctx *cx, cJSON *page)
{
    cJSON *row;

    cJSON_ArrayForEach(row, page)
    {
        cJSON *props = cJSON_GetObjectItemCaseSensitive(row, "properties");
        const char *type = json_str(row, "type");
        cJSON *doc;
        size_t k = 0;

        if (!cJSON_IsRaw(props) || !type)
            continue;
        for (size_t i = 1; i < NKINDS && !k; i++)
            if (strcasecmp(kinds[i].type, type) == 0)
                k = i;
        doc = cJSON_Parse(props->valuestring);
        cJSON_ReplaceItemInObjectCaseSensitive(row, "properties",
                                               doc && k ? props_of(cx, k, doc)
                                                        : cJSON_CreateObject());
        cJSON_Delete(doc);
    }
}
