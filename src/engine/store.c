/*
 * store.c — the resource tree and the state of every list in it (see
 * store.h). Runs on the UI thread; never blocks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/store-int.h"
#include "engine/store.h"

/* ---- a small string -> pointer hash map (open addressing) ------------ */

struct smap_slot {
    char *key; /* lower-cased copy; NULL = empty */
    void *val;
};

struct smap {
    struct smap_slot *slots;
    size_t cap, n; /* cap is a power of two */
};

static uint64_t
smap_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 'A' && c <= 'Z')
            c += 32;
        h = (h ^ c) * 1099511628211ULL;
    }
    return h;
}

static struct smap *
smap_new(void)
{
    struct smap *m = xcalloc(1, sizeof *m);
    m->cap = 64;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    return m;
}

static void
smap_free(struct smap *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    free(m);
}

static struct smap_slot *
smap_slot(const struct smap *m, const char *key)
{
    size_t i = (size_t)smap_hash(key) & (m->cap - 1);
    while (m->slots[i].key != NULL && !str_ieq(m->slots[i].key, key))
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

static void *
smap_get(const struct smap *m, const char *key)
{
    if (m == NULL || key == NULL)
        return NULL;
    return smap_slot(m, key)->val;
}

static void
smap_put(struct smap *m, const char *key, void *val)
{
    if (key == NULL)
        return;
    if ((m->n + 1) * 4 > m->cap * 3) {
        struct smap_slot *old = m->slots;
        size_t oldcap = m->cap;
        m->cap *= 2;
        m->slots = xcalloc(m->cap, sizeof *m->slots);
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].key != NULL)
                *smap_slot(m, old[i].key) = old[i];
        free(old);
    }
    struct smap_slot *sl = smap_slot(m, key);
    if (sl->key == NULL) {
        sl->key = xstrdup(key);
        m->n++;
    }
    sl->val = val;
}

static void
smap_clear(struct smap *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->slots[i].key);
        m->slots[i].key = NULL;
        m->slots[i].val = NULL;
    }
    m->n = 0;
}

/* ---- a vault's name index ----------------------------------------------
 * Secret name -> position in v->secrets, open addressing over 32-bit
 * slots holding position + 1 (0 = empty). The names are the items' own:
 * no key is copied, so a listed secret costs 4-8 bytes here. */

struct sindex {
    uint32_t *slots;
    size_t cap, n; /* cap is a power of two */
};

static uint32_t *
sindex_slot(const struct sindex *m, const struct vec *secrets, const char *name)
{
    size_t i = (size_t)smap_hash(name) & (m->cap - 1);
    for (;;) {
        uint32_t e = m->slots[i];
        if (e == 0)
            return &m->slots[i];
        const struct store_secret *sec = secrets->items[e - 1];
        if (str_ieq(sec->item->name, name))
            return &m->slots[i];
        i = (i + 1) & (m->cap - 1);
    }
}

static void
sindex_free(struct sindex *m)
{
    if (m == NULL)
        return;
    free(m->slots);
    free(m);
}

/* Rebuilds the index of every secret of v (after removals). */
static void
sindex_rebuild(struct sindex *m, const struct vec *secrets)
{
    size_t cap = 64;
    while (secrets->len * 4 >= cap * 3)
        cap *= 2;
    free(m->slots);
    m->slots = xcalloc(cap, sizeof *m->slots);
    m->cap = cap;
    m->n = 0;
    for (size_t i = 0; i < secrets->len; i++) {
        struct store_secret *sec = secrets->items[i];
        uint32_t *sl = sindex_slot(m, secrets, sec->item->name);
        if (*sl == 0)
            m->n++;
        *sl = (uint32_t)(i + 1);
    }
}

/* Adds secrets->items[pos] (just appended). */
static void
sindex_add(struct sindex *m, const struct vec *secrets, size_t pos)
{
    if ((m->n + 1) * 4 > m->cap * 3) {
        sindex_rebuild(m, secrets); /* covers pos too */
        return;
    }
    struct store_secret *sec = secrets->items[pos];
    uint32_t *sl = sindex_slot(m, secrets, sec->item->name);
    if (*sl == 0)
        m->n++;
    *sl = (uint32_t)(pos + 1);
}

/* ---- compact items ------------------------------------------------------ */

/* Recovery levels Key Vault reports: items point here instead of holding
 * a copy each. */
static const char *const store_levels[] = {
    "Recoverable+Purgeable",
    "Recoverable",
    "Recoverable+ProtectedSubscription",
    "CustomizedRecoverable+Purgeable",
    "CustomizedRecoverable",
    "CustomizedRecoverable+ProtectedSubscription",
    "Purgeable",
};

static bool
store_level_shared(const char *p)
{
    for (size_t i = 0; i < sizeof store_levels / sizeof *store_levels; i++)
        if (p == store_levels[i])
            return true;
    return false;
}

/* Drops what a listed item can do without (see struct store_secret). */
static void
store_item_compact(struct kv_secret_item *it)
{
    free(it->id);
    free(it->vault_uri);
    free(it->json);
    it->id = it->vault_uri = it->json = NULL;
    char *lv = it->attrs.recovery_level;
    if (lv == NULL || store_level_shared(lv))
        return;
    for (size_t i = 0; i < sizeof store_levels / sizeof *store_levels; i++)
        if (strcmp(lv, store_levels[i]) == 0) {
            free(lv);
            it->attrs.recovery_level = (char *)store_levels[i];
            return;
        }
}

static void
store_item_free(struct kv_secret_item *it)
{
    if (it == NULL)
        return;
    if (store_level_shared(it->attrs.recovery_level))
        it->attrs.recovery_level = NULL;
    kv_secret_item_free(it);
}

/* ---- loads ------------------------------------------------------------ */

static void
load_clear_error(struct load *l)
{
    free(l->error_code);
    free(l->message);
    free(l->request_id);
    free(l->inner_code);
    l->error_code = l->message = l->request_id = l->inner_code = NULL;
    l->status = KV_OK;
    l->http_status = 0;
}

static void
load_clear(struct load *l)
{
    load_clear_error(l);
    free(l->progress);
    memset(l, 0, sizeof *l);
}

static void
load_set_state(struct load *l, enum load_state st)
{
    l->state = st;
    l->since = time_now();
}

enum load_state
store_load_state(const struct store *s, const struct load *l, int64_t now)
{
    if (l->state == LOAD_FRESH && s->stale_after > 0 &&
        now - l->loaded_at >= s->stale_after)
        return LOAD_STALE;
    return l->state;
}

const char *
store_state_name(enum load_state st)
{
    switch (st) {
    case LOAD_LOADING:
        return _("loading");
    case LOAD_FRESH:
        return _("fresh");
    case LOAD_STALE:
        return _("stale");
    case LOAD_FAILED:
        return _("failed");
    case LOAD_NONE:
    default:
        return "";
    }
}

static void store_on_subs(void *ctx, struct result *r);
static void store_on_groups(void *ctx, struct result *r);
static void store_on_vaults(void *ctx, struct result *r);
static void store_on_secrets(void *ctx, struct result *r);
static void store_on_versions(void *ctx, struct result *r);
static void store_on_endpoints(void *ctx, struct result *r);
static void store_on_deleted(void *ctx, struct result *r);

/* Cancels what the load is doing and sends job for it. */
static void
store_start(struct store *s, struct load *l, struct job *job, void *tag,
            result_deliver_fn deliver)
{
    if (l->state == LOAD_LOADING && l->job_id != 0 && s->cancel != NULL)
        s->cancel(s->ctx, l->job_id);
    l->generation = ++s->next_gen;
    l->pages = 0;
    free(l->progress);
    l->progress = NULL;
    l->retry_at_ms = 0;
    job->generation = l->generation;
    job->tag = tag;
    job->deliver = deliver;
    job->ctx = s;
    l->job_id = s->submit != NULL ? s->submit(s->ctx, job) : 0;
    if (s->submit == NULL)
        job_free(job);
    load_set_state(l, l->job_id != 0 ? LOAD_LOADING : LOAD_FAILED);
    if (l->job_id == 0) {
        load_clear_error(l);
        l->status = KV_ERR_CANCELLED;
        l->message = xstrdup(_("the engine is not running"));
    }
}

/* ---- nodes ------------------------------------------------------------ */

static void
store_secret_free(struct store_secret *sec)
{
    if (sec == NULL)
        return;
    store_item_free(sec->item);
    if (sec->ver != NULL) {
        load_clear(&sec->ver->load);
        for (size_t i = 0; i < sec->ver->list.len; i++)
            kv_secret_version_free(sec->ver->list.items[i]);
        vec_free(&sec->ver->list);
        free(sec->ver);
    }
    free(sec);
}

static void
store_vault_free(struct store_vault *v)
{
    if (v == NULL)
        return;
    kv_vault_free(v->vault);
    load_clear(&v->secrets_load);
    free(v->secrets_refused);
    load_clear(&v->endpoints_load);
    for (size_t i = 0; i < v->secrets.len; i++)
        store_secret_free(v->secrets.items[i]);
    vec_free(&v->secrets);
    for (size_t i = 0; i < v->endpoints.len; i++)
        kv_endpoint_connection_free(v->endpoints.items[i]);
    vec_free(&v->endpoints);
    load_clear(&v->deleted_load);
    for (size_t i = 0; i < v->deleted.len; i++)
        kv_deleted_secret_free(v->deleted.items[i]);
    vec_free(&v->deleted);
    sindex_free(v->secret_map);
    free(v);
}

static void
store_sub_free(struct store_sub *sub)
{
    if (sub == NULL)
        return;
    kv_subscription_free(sub->sub);
    load_clear(&sub->groups_load);
    load_clear(&sub->vaults_load);
    for (size_t i = 0; i < sub->groups.len; i++)
        kv_group_free(sub->groups.items[i]);
    vec_free(&sub->groups);
    free(sub);
}

struct store *
store_new(store_submit_fn submit, store_cancel_fn cancel, void *ctx)
{
    struct store *s = xcalloc(1, sizeof *s);
    s->submit = submit;
    s->cancel = cancel;
    s->ctx = ctx;
    s->stale_after = 300;
    s->graph_threshold = GRAPH_THRESHOLD_DEFAULT;
    s->vault_map = smap_new();
    return s;
}

void
store_free(struct store *s)
{
    if (s == NULL)
        return;
    load_clear(&s->subs_load);
    for (size_t i = 0; i < s->subs.len; i++)
        store_sub_free(s->subs.items[i]);
    vec_free(&s->subs);
    for (size_t i = 0; i < s->vaults.len; i++)
        store_vault_free(s->vaults.items[i]);
    vec_free(&s->vaults);
    smap_free(s->vault_map);
    store_graph_free(s);
    free(s->last_error);
    free(s->last_error_what);
    free(s->last_error_message);
    free(s->last_request_id);
    free(s);
}

/* Cancels l's job when one runs (before its node is freed). */
static void
store_cancel_load(struct store *s, struct load *l)
{
    if (l->state == LOAD_LOADING && l->job_id != 0 && s->cancel != NULL)
        s->cancel(s->ctx, l->job_id);
}

void
store_reset(struct store *s)
{
    store_cancel_load(s, &s->subs_load);
    store_graph_reset(s);
    for (size_t i = 0; i < s->subs.len; i++) {
        struct store_sub *sub = s->subs.items[i];
        store_cancel_load(s, &sub->groups_load);
        store_cancel_load(s, &sub->vaults_load);
        store_sub_free(sub);
    }
    vec_free(&s->subs);
    for (size_t i = 0; i < s->vaults.len; i++) {
        struct store_vault *v = s->vaults.items[i];
        store_cancel_load(s, &v->secrets_load);
        store_cancel_load(s, &v->endpoints_load);
        store_cancel_load(s, &v->deleted_load);
        for (size_t j = 0; j < v->secrets.len; j++) {
            struct store_secret *sec = v->secrets.items[j];
            if (sec->ver != NULL)
                store_cancel_load(s, &sec->ver->load);
        }
        store_vault_free(v);
    }
    vec_free(&s->vaults);
    smap_free(s->vault_map);
    s->vault_map = smap_new();
    load_clear(&s->subs_load);
    free(s->last_error);
    free(s->last_error_what);
    free(s->last_error_message);
    free(s->last_request_id);
    s->last_error = s->last_error_what = s->last_error_message = NULL;
    s->last_request_id = NULL;
    s->last_error_at = 0;
    s->last_error_load = NULL;
    s->vaults_epoch++;
    s->changes |= STORE_SUBS | STORE_GROUPS | STORE_VAULTS | STORE_SECRETS |
                  STORE_VERSIONS | STORE_ENDPOINTS | STORE_STATUS |
                  STORE_REMOVED | STORE_DELETED;
}

/* The key a vault is known by: its ARM id, else its URI. */
static const char *
store_vault_key(const struct kv_vault *v)
{
    return v->id != NULL ? v->id : v->vault_uri;
}

struct store_sub *
store_find_sub(const struct store *s, const char *id_or_name)
{
    for (size_t i = 0; i < s->subs.len; i++) {
        struct store_sub *sub = s->subs.items[i];
        if (str_ieq(sub->sub->subscription_id, id_or_name) ||
            str_ieq(sub->sub->id, id_or_name) ||
            str_ieq(sub->sub->display_name, id_or_name))
            return sub;
    }
    return NULL;
}

struct store_vault *
store_find_vault(const struct store *s, const char *key)
{
    if (key == NULL)
        return NULL;
    struct store_vault *v = smap_get(s->vault_map, key);
    if (v != NULL)
        return v;
    char *trim = str_rstrip_slash(key);
    for (size_t i = 0; i < s->vaults.len; i++) {
        struct store_vault *c = s->vaults.items[i];
        if (str_ieq(c->vault->name, trim) ||
            str_ieq(c->vault->vault_uri, trim) || str_ieq(c->vault->id, trim)) {
            v = c;
            break;
        }
    }
    free(trim);
    return v;
}

struct store_secret *
store_find_secret(const struct store_vault *v, const char *name)
{
    if (v->secret_map == NULL || name == NULL)
        return NULL;
    uint32_t e = *sindex_slot(v->secret_map, &v->secrets, name);
    return e == 0 ? NULL : v->secrets.items[e - 1];
}

static const struct load store_no_load; /* LOAD_NONE, no error */

const struct load *
store_versions_load(const struct store_secret *sec)
{
    return sec->ver != NULL ? &sec->ver->load : &store_no_load;
}

size_t
store_versions_len(const struct store_secret *sec)
{
    return sec->ver != NULL ? sec->ver->list.len : 0;
}

struct kv_secret_version *
store_version_at(const struct store_secret *sec, size_t i)
{
    return i < store_versions_len(sec) ? sec->ver->list.items[i] : NULL;
}

char *
store_secret_id(const struct store_vault *v, const struct store_secret *sec)
{
    const char *uri = v->vault->vault_uri ? v->vault->vault_uri : "";
    return xasprintf("%s/secrets/%s", uri, sec->item->name);
}

char *
store_secret_json(const struct store_vault *v, const struct store_secret *sec)
{
    const struct kv_secret_item *it = sec->item;
    const struct kv_secret_attrs *at = &it->attrs;
    cJSON *j = cJSON_CreateObject();
    char *id = store_secret_id(v, sec);
    cJSON_AddStringToObject(j, "id", id);
    free(id);
    cJSON *a = cJSON_AddObjectToObject(j, "attributes");
    cJSON_AddBoolToObject(a, "enabled", at->enabled);
    if (at->not_before > 0)
        cJSON_AddNumberToObject(a, "nbf", (double)at->not_before);
    if (at->expires > 0)
        cJSON_AddNumberToObject(a, "exp", (double)at->expires);
    if (at->created > 0)
        cJSON_AddNumberToObject(a, "created", (double)at->created);
    if (at->updated > 0)
        cJSON_AddNumberToObject(a, "updated", (double)at->updated);
    if (at->recovery_level != NULL)
        cJSON_AddStringToObject(a, "recoveryLevel", at->recovery_level);
    if (at->recoverable_days > 0)
        cJSON_AddNumberToObject(a, "recoverableDays", at->recoverable_days);
    if (it->content_type != NULL)
        cJSON_AddStringToObject(j, "contentType", it->content_type);
    if (it->tags.n > 0) {
        cJSON *t = cJSON_AddObjectToObject(j, "tags");
        for (size_t i = 0; i < it->tags.n; i++)
            cJSON_AddStringToObject(
                t, it->tags.items[i].key,
                it->tags.items[i].value ? it->tags.items[i].value : "");
    }
    if (it->managed)
        cJSON_AddBoolToObject(j, "managed", true);
    char *out = json_pretty(j);
    cJSON_Delete(j);
    return out;
}

struct store_vault *
store_add_vault(struct store *s, struct kv_vault *kv)
{
    struct store_vault *v = smap_get(s->vault_map, store_vault_key(kv));
    if (v == NULL && kv->vault_uri != NULL)
        v = smap_get(s->vault_map, kv->vault_uri);
    if (v != NULL) {
        kv_vault_free(v->vault);
        v->vault = kv;
        v->by_uri = false;
    } else {
        v = xcalloc(1, sizeof *v);
        v->vault = kv;
        vec_push(&s->vaults, v);
    }
    smap_put(s->vault_map, store_vault_key(kv), v);
    if (kv->vault_uri != NULL)
        smap_put(s->vault_map, kv->vault_uri, v);
    return v;
}

struct store_vault *
store_add_vault_uri(struct store *s, const char *uri, char **why)
{
    if (!str_istarts(uri, "https://") || strlen(uri) <= 8) {
        *why = xasprintf(_("\"%s\" is not a vault URI (https://NAME.vault."
                           "azure.net/)"),
                         uri);
        return NULL;
    }
    char *base = str_rstrip_slash(uri);
    struct store_vault *v = store_find_vault(s, base);
    if (v != NULL) {
        free(base);
        return v;
    }
    struct kv_vault *kv = xcalloc(1, sizeof *kv);
    const char *host = base + 8;
    kv->name = xstrndup(host, strcspn(host, ".:/"));
    kv->vault_uri = base;
    kv->soft_delete = true;
    v = store_add_vault(s, kv);
    v->by_uri = true;
    return v;
}

/* ---- starting loads ----------------------------------------------------- */

void
store_load_subscriptions(struct store *s)
{
    store_start(s, &s->subs_load, store_graph_subs_job(s), s, store_on_subs);
}

void
store_load_groups(struct store *s, struct store_sub *sub)
{
    store_start(s, &sub->groups_load,
                job_list_groups(sub->sub->subscription_id), sub,
                store_on_groups);
}

void
store_load_vaults(struct store *s, struct store_sub *sub)
{
    if (!store_graph_vaults(s, sub))
        store_load_vaults_arm(s, sub);
}

void
store_load_vaults_arm(struct store *s, struct store_sub *sub)
{
    store_start(s, &sub->vaults_load,
                job_list_vaults(sub->sub->subscription_id, NULL), sub,
                store_on_vaults);
}

void
store_load_all_vaults(struct store *s)
{
    if (store_graph_vaults(s, NULL))
        return;
    for (size_t i = 0; i < s->subs.len; i++)
        store_load_vaults_arm(s, s->subs.items[i]);
}

void
store_load_secrets(struct store *s, struct store_vault *v)
{
    if (v->vault->vault_uri == NULL)
        return;
    free(v->secrets_refused);
    v->secrets_refused = NULL;
    store_start(s, &v->secrets_load, job_list_secrets(v->vault->vault_uri), v,
                store_on_secrets);
}

/* The data plane refused this host by its network (public access off,
 * or a firewall without this address): the names and attributes through
 * Resource Manager instead, into the same list. Returns true when that
 * load was started. */
static bool
store_secrets_fallback(struct store *s, struct store_vault *v,
                       const struct result *r)
{
    const char *code = r->inner_code ? r->inner_code : r->error_code;
    if (r->type != RESULT_ERROR || r->http_status != 403 || code == NULL ||
        v->secrets_refused != NULL || v->vault->id == NULL || v->by_uri ||
        (!str_ieq(code, "ForbiddenByConnection") &&
         !str_ieq(code, "ForbiddenByFirewall")))
        return false;
    v->secrets_refused = xstrdup(code);
    store_start(s, &v->secrets_load, job_list_arm_secrets(v->vault->id), v,
                store_on_secrets);
    return true;
}

void
store_load_versions(struct store *s, struct store_vault *v,
                    struct store_secret *sec)
{
    if (v->vault->vault_uri == NULL)
        return;
    if (sec->ver == NULL)
        sec->ver = xcalloc(1, sizeof *sec->ver);
    store_start(s, &sec->ver->load,
                job_list_versions(v->vault->vault_uri, sec->item->name), sec,
                store_on_versions);
}

void
store_load_endpoints(struct store *s, struct store_vault *v)
{
    if (v->vault->id == NULL) {
        load_clear_error(&v->endpoints_load);
        v->endpoints_load.status = KV_ERR_UNSUPPORTED;
        v->endpoints_load.message = xstrdup(
            _("opened by URI: endpoints need the vault's Azure resource "
              "(Reader rights on its subscription)"));
        load_set_state(&v->endpoints_load, LOAD_FAILED);
        return;
    }
    store_start(s, &v->endpoints_load,
                job_list_endpoint_connections(v->vault->id), v,
                store_on_endpoints);
}

void
store_load_deleted(struct store *s, struct store_vault *v)
{
    if (v->vault->vault_uri == NULL)
        return;
    store_start(s, &v->deleted_load,
                job_list_deleted_secrets(v->vault->vault_uri), v,
                store_on_deleted);
}

/* ---- applying results ---------------------------------------------------- */

/* Takes item i out of the result (the store keeps it). */
static void *
store_take(struct result *r, size_t i)
{
    void *p = r->items.items[i];
    r->items.items[i] = NULL;
    return p;
}

void
store_record_error(struct store *s, struct load *l, const struct result *r,
                   const char *what)
{
    load_clear_error(l);
    l->status = r->status;
    l->http_status = r->http_status;
    l->error_code = r->error_code ? xstrdup(r->error_code) : NULL;
    l->inner_code = r->inner_code ? xstrdup(r->inner_code) : NULL;
    l->message =
        xstrdup(r->message ? r->message : kv_status_message(r->status));
    l->request_id = r->request_id ? xstrdup(r->request_id) : NULL;
    free(l->progress);
    l->progress = NULL;
    load_set_state(l, LOAD_FAILED);
    free(s->last_error);
    free(s->last_error_message);
    free(s->last_request_id);
    free(s->last_error_what);
    s->last_error_what = xstrdup(what);
    if (r->http_status > 0)
        s->last_error =
            xasprintf("%ld%s%s", r->http_status, r->error_code ? " " : "",
                      r->error_code ? r->error_code : "");
    else
        s->last_error = xstrdup(kv_status_message(r->status));
    s->last_error_message = xstrdup(l->message);
    s->last_error_load = l;
    s->last_request_id = r->request_id ? xstrdup(r->request_id) : NULL;
    s->last_error_at = time_now();
}

/* Common handling of PROGRESS / DONE / ERROR for a load. Returns the
 * change bits, or -1 for a PAGE the caller must merge. */
int
store_step(struct store *s, struct load *l, const struct result *r,
           const char *what)
{
    if (r->generation != l->generation)
        return 0; /* an older load's answer */
    switch (r->type) {
    case RESULT_PROGRESS:
        free(l->progress);
        l->progress = r->message ? xstrdup(r->message) : NULL;
        l->retry_at_ms = r->retry_at_ms;
        return STORE_STATUS;
    case RESULT_ERROR:
        store_record_error(s, l, r, what);
        l->job_id = 0;
        return STORE_STATUS;
    case RESULT_DONE:
        if (s->last_error_load == l) {
            /* the list that failed is fine now: so is the status bar */
            free(s->last_error);
            free(s->last_error_what);
            free(s->last_error_message);
            free(s->last_request_id);
            s->last_error = s->last_error_what = NULL;
            s->last_error_message = s->last_request_id = NULL;
            s->last_error_load = NULL;
        }
        load_clear_error(l);
        free(l->progress);
        l->progress = NULL;
        l->retry_at_ms = 0;
        l->loaded_at = time_now();
        l->job_id = 0;
        load_set_state(l, LOAD_FRESH);
        return STORE_STATUS;
    case RESULT_PAGE:
    default:
        l->pages++;
        free(l->progress);
        l->progress = NULL;
        l->retry_at_ms = 0;
        return -1;
    }
}

static unsigned
store_apply_subs(struct store *s, struct result *r)
{
    int st = store_step(s, &s->subs_load, r, _("subscriptions"));
    uint64_t gen = s->subs_load.generation;
    if (st >= 0) {
        if (r->type == RESULT_PROGRESS && r->generation == gen)
            store_graph_subs_said(s, r);
        if (r->type == RESULT_ERROR && r->generation == gen)
            store_graph_subs_page(s, false);
        if (r->type != RESULT_DONE)
            return (unsigned)st;
        if (r->generation == gen)
            store_graph_subs_page(s, false);
        /* Subscriptions that disappeared are kept (their vaults may still
         * be shown); they are simply not refreshed. */
        return (unsigned)st | STORE_SUBS;
    }
    for (size_t i = 0; i < r->items.len; i++) {
        struct kv_subscription *ks = store_take(r, i);
        struct store_sub *sub = store_find_sub(s, ks->subscription_id);
        if (sub != NULL) {
            kv_subscription_free(sub->sub);
            sub->sub = ks;
        } else {
            sub = xcalloc(1, sizeof *sub);
            sub->sub = ks;
            vec_push(&s->subs, sub);
            store_graph_adopt(s, sub);
        }
        sub->seen = gen;
    }
    store_graph_subs_page(s, r->more);
    return STORE_SUBS | STORE_STATUS;
}

static unsigned
store_apply_groups(struct store *s, struct store_sub *sub, struct result *r)
{
    int st = store_step(s, &sub->groups_load, r, _("resource groups"));
    if (st >= 0)
        return (unsigned)st;
    if (sub->groups_load.pages == 1) {
        /* A fresh list of groups replaces the old one (groups are few). */
        for (size_t i = 0; i < sub->groups.len; i++)
            kv_group_free(sub->groups.items[i]);
        vec_clear(&sub->groups);
    }
    for (size_t i = 0; i < r->items.len; i++)
        vec_push(&sub->groups, store_take(r, i));
    return STORE_GROUPS | STORE_STATUS;
}

/* Drops the vaults of sub not seen by the load of generation gen. */
unsigned
store_prune_vaults(struct store *s, const char *sub_id, uint64_t gen)
{
    size_t o = 0;
    bool removed = false;
    for (size_t i = 0; i < s->vaults.len; i++) {
        struct store_vault *v = s->vaults.items[i];
        if (!v->by_uri && v->seen != gen &&
            str_ieq(v->vault->subscription_id, sub_id)) {
            if (v->secrets_load.state == LOAD_LOADING && s->cancel)
                s->cancel(s->ctx, v->secrets_load.job_id);
            if (v->endpoints_load.state == LOAD_LOADING && s->cancel)
                s->cancel(s->ctx, v->endpoints_load.job_id);
            if (v->deleted_load.state == LOAD_LOADING && s->cancel)
                s->cancel(s->ctx, v->deleted_load.job_id);
            for (size_t j = 0; j < v->secrets.len; j++) {
                struct store_secret *sec = v->secrets.items[j];
                if (sec->ver != NULL)
                    store_cancel_load(s, &sec->ver->load);
            }
            s->last_error_load = NULL; /* it may point into v */
            store_vault_free(v);
            removed = true;
            continue;
        }
        s->vaults.items[o++] = v;
    }
    s->vaults.len = o;
    if (!removed)
        return 0;
    s->vaults_epoch++;
    smap_clear(s->vault_map);
    for (size_t i = 0; i < s->vaults.len; i++) {
        struct store_vault *v = s->vaults.items[i];
        smap_put(s->vault_map, store_vault_key(v->vault), v);
        if (v->vault->vault_uri != NULL)
            smap_put(s->vault_map, v->vault->vault_uri, v);
    }
    return STORE_VAULTS | STORE_REMOVED;
}

static unsigned
store_apply_vaults(struct store *s, struct store_sub *sub, struct result *r)
{
    const char *what = sub->sub->display_name ? sub->sub->display_name
                                              : sub->sub->subscription_id;
    char *label = xasprintf(_("vaults in %s"), what);
    int st = store_step(s, &sub->vaults_load, r, label);
    free(label);
    uint64_t gen = sub->vaults_load.generation;
    if (st >= 0) {
        if (r->type == RESULT_DONE && r->generation == gen)
            st |= (int)store_prune_vaults(s, sub->sub->subscription_id, gen);
        return (unsigned)st;
    }
    for (size_t i = 0; i < r->items.len; i++) {
        struct kv_vault *kv = store_take(r, i);
        if (kv->subscription_id == NULL)
            kv->subscription_id = xstrdup(sub->sub->subscription_id);
        struct store_vault *v = store_add_vault(s, kv);
        v->seen = gen;
    }
    return STORE_VAULTS | STORE_STATUS;
}

static void
store_index_secrets(struct store_vault *v)
{
    if (v->secret_map == NULL)
        v->secret_map = xcalloc(1, sizeof(struct sindex));
    for (size_t i = 0; i < v->secrets.len; i++)
        ((struct store_secret *)v->secrets.items[i])->index = i;
    sindex_rebuild(v->secret_map, &v->secrets);
}

static unsigned
store_apply_secrets(struct store *s, struct store_vault *v, struct result *r)
{
    char *label = xasprintf(_("secrets of %s"), v->vault->name);
    int st = store_step(s, &v->secrets_load, r, label);
    free(label);
    uint64_t gen = v->secrets_load.generation;
    if (st >= 0 && r->generation == gen && store_secrets_fallback(s, v, r))
        return (unsigned)st | STORE_SECRETS;
    if (st >= 0) {
        if (r->type != RESULT_DONE || r->generation != gen)
            return (unsigned)st;
        size_t o = 0;
        bool removed = false;
        for (size_t i = 0; i < v->secrets.len; i++) {
            struct store_secret *sec = v->secrets.items[i];
            if (sec->seen != gen) {
                if (sec->ver != NULL)
                    store_cancel_load(s, &sec->ver->load);
                s->last_error_load = NULL;
                store_secret_free(sec);
                removed = true;
                continue;
            }
            v->secrets.items[o++] = sec;
        }
        v->secrets.len = o;
        if (removed) {
            v->secrets_epoch++;
            store_index_secrets(v);
            st |= STORE_SECRETS | STORE_REMOVED;
        }
        return (unsigned)st;
    }
    if (v->secret_map == NULL)
        store_index_secrets(v);
    for (size_t i = 0; i < r->items.len; i++) {
        struct kv_secret_item *it = store_take(r, i);
        if (it == NULL || it->name == NULL) {
            kv_secret_item_free(it);
            continue;
        }
        store_item_compact(it);
        struct store_secret *sec = store_find_secret(v, it->name);
        if (sec != NULL) {
            store_item_free(sec->item);
            sec->item = it;
        } else {
            sec = xcalloc(1, sizeof *sec);
            sec->item = it;
            sec->index = v->secrets.len;
            vec_push(&v->secrets, sec);
            sindex_add(v->secret_map, &v->secrets, sec->index);
        }
        sec->seen = gen;
    }
    return STORE_SECRETS | STORE_STATUS;
}

static int
store_version_cmp(const void *a, const void *b)
{
    const struct kv_secret_version *x =
        *(const struct kv_secret_version *const *)a;
    const struct kv_secret_version *y =
        *(const struct kv_secret_version *const *)b;
    if (x->attrs.created != y->attrs.created)
        return x->attrs.created > y->attrs.created ? -1 : 1;
    return strcmp(x->version ? x->version : "", y->version ? y->version : "");
}

static unsigned
store_apply_versions(struct store *s, struct store_secret *sec,
                     struct result *r)
{
    if (sec->ver == NULL)
        return 0; /* never started: not ours */
    char *label = xasprintf(_("versions of %s"), sec->item->name);
    int st = store_step(s, &sec->ver->load, r, label);
    free(label);
    if (st >= 0)
        return (unsigned)st;
    struct vec *list = &sec->ver->list;
    if (sec->ver->load.pages == 1) {
        for (size_t i = 0; i < list->len; i++)
            kv_secret_version_free(list->items[i]);
        vec_clear(list);
    }
    for (size_t i = 0; i < r->items.len; i++)
        vec_push(list, store_take(r, i));
    vec_sort(list, store_version_cmp);
    return STORE_VERSIONS | STORE_STATUS;
}

static unsigned
store_apply_endpoints(struct store *s, struct store_vault *v, struct result *r)
{
    char *label = xasprintf(_("endpoints of %s"), v->vault->name);
    int st = store_step(s, &v->endpoints_load, r, label);
    free(label);
    if (st >= 0)
        return (unsigned)st;
    if (v->endpoints_load.pages == 1) {
        for (size_t i = 0; i < v->endpoints.len; i++)
            kv_endpoint_connection_free(v->endpoints.items[i]);
        vec_clear(&v->endpoints);
    }
    for (size_t i = 0; i < r->items.len; i++)
        vec_push(&v->endpoints, store_take(r, i));
    return STORE_ENDPOINTS | STORE_STATUS;
}

/* Deleted secrets: the list is replaced when its first page comes, so a
 * recovered or purged secret goes at the next load. */
static unsigned
store_apply_deleted(struct store *s, struct store_vault *v, struct result *r)
{
    char *label = xasprintf(_("deleted secrets of %s"), v->vault->name);
    int st = store_step(s, &v->deleted_load, r, label);
    free(label);
    if (st >= 0)
        return (unsigned)st;
    if (v->deleted_load.pages == 1) {
        for (size_t i = 0; i < v->deleted.len; i++)
            kv_deleted_secret_free(v->deleted.items[i]);
        vec_clear(&v->deleted);
    }
    for (size_t i = 0; i < r->items.len; i++)
        vec_push(&v->deleted, store_take(r, i));
    return STORE_DELETED | STORE_STATUS;
}

/* The deliver functions: each load's results come back to the function
 * its start named (ctx is the store, tag the node the load belongs to;
 * a node is never freed while a load of it runs: removal cancels first,
 * and a cancelled job's results never reach us). */
#define STORE_ON(name, apply, node_type)                                       \
    static void name(void *ctx, struct result *r)                             \
    {                                                                          \
        struct store *s = ctx;                                                 \
        s->changes |= apply(s, (node_type *)r->tag, r);                        \
    }
STORE_ON(store_on_groups, store_apply_groups, struct store_sub)
STORE_ON(store_on_vaults, store_apply_vaults, struct store_sub)
STORE_ON(store_on_secrets, store_apply_secrets, struct store_vault)
STORE_ON(store_on_versions, store_apply_versions, struct store_secret)
STORE_ON(store_on_endpoints, store_apply_endpoints, struct store_vault)
STORE_ON(store_on_deleted, store_apply_deleted, struct store_vault)
#undef STORE_ON

static void
store_on_subs(void *ctx, struct result *r)
{
    struct store *s = ctx;
    s->changes |= store_apply_subs(s, r);
}

unsigned
store_apply_vault_result(struct store *s, struct result *r)
{
    if (r->type == RESULT_PAGE) {
        for (size_t i = 0; i < r->items.len; i++)
            store_add_vault(s, store_take(r, i));
        return STORE_VAULTS;
    }
    if (r->type == RESULT_ERROR) {
        struct load tmp;
        memset(&tmp, 0, sizeof tmp);
        store_record_error(s, &tmp, r, _("vault"));
        s->last_error_load = NULL;
        load_clear(&tmp);
        return STORE_STATUS;
    }
    return 0;
}

unsigned
store_take_changes(struct store *s)
{
    unsigned c = s->changes;
    s->changes = 0;
    return c;
}

unsigned
store_apply(struct store *s, struct result *r)
{
    result_dispatch(r);
    return store_take_changes(s);
}
