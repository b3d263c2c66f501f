/*
 * keyring.c — refresh tokens in the desktop keyring (see keyring.h):
 * the Secret Service through libsecret when one answers, a memory-only
 * table in secure memory otherwise. The only file that includes GLib or
 * libsecret (tests/layers/layer-rules.sh); built without libsecret, only
 * the memory table is left.
 *
 * libsecret's _sync calls wait on D-Bus with its default 25 s timeout, and
 * a service that is being activated or is stuck can take that long. Each
 * public call therefore runs under a watchdog: a short-lived thread that
 * cancels the call's GCancellable when the time is up, so the worker
 * never waits longer than k->timeout_ms. A keyring that fails or times
 * out is not asked again in this process: from then on tokens stay in
 * memory (and the status bar says so).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifdef HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/keyring.h"

/* One token kept in memory only. */
struct mem_entry {
    struct keyring_entry key;
    struct secret *value;
};

struct keyring {
    pthread_mutex_t mu;         /* state, why, mem */
    pthread_mutex_t call;       /* one blocking call at a time */
    enum keyring_storage state; /* (mu) */
    char *why;                  /* (mu) why memory only, or NULL */
    struct vec mem;             /* (mu) struct mem_entry * */
    int timeout_ms;
#ifdef HAVE_LIBSECRET
    SecretService *svc; /* (call) when state is KEYRING_SECRET_SERVICE */
#endif
};

static char *
dup_or_empty(const char *s)
{
    return xstrdup(s != NULL ? s : "");
}

/* A NULL (or empty) field of a key matches anything. */
static bool
field_match(const char *want, const char *have)
{
    return want == NULL || *want == '\0' || strcmp(want, have) == 0;
}

static bool
key_match(const struct keyring_key *key, const struct keyring_entry *en)
{
    return field_match(key->cloud, en->cloud) &&
           field_match(key->tenant, en->tenant) &&
           field_match(key->account, en->account) &&
           field_match(key->client_id, en->client_id);
}

static void
entry_set(struct keyring_entry *en, const struct keyring_key *key)
{
    en->cloud = dup_or_empty(key->cloud);
    en->tenant = dup_or_empty(key->tenant);
    en->account = dup_or_empty(key->account);
    en->client_id = dup_or_empty(key->client_id);
}

static void
entry_copy(struct keyring_entry *to, const struct keyring_entry *from)
{
    to->cloud = xstrdup(from->cloud);
    to->tenant = xstrdup(from->tenant);
    to->account = xstrdup(from->account);
    to->client_id = xstrdup(from->client_id);
}

void
keyring_entry_clear(struct keyring_entry *en)
{
    if (en == NULL)
        return;
    free(en->cloud);
    free(en->tenant);
    free(en->account);
    free(en->client_id);
    memset(en, 0, sizeof *en);
}

void
keyring_entry_free(void *p)
{
    keyring_entry_clear(p);
    free(p);
}

static void
mem_entry_free(void *p)
{
    struct mem_entry *m = p;
    keyring_entry_clear(&m->key);
    secret_free(m->value);
    free(m);
}

/* Says memory only from now on, with why (taken). Under mu. */
static void
fall_back(struct keyring *k, char *why)
{
    if (k->state != KEYRING_MEMORY_ONLY)
        log_debug("keyring: memory only: %s", why);
    k->state = KEYRING_MEMORY_ONLY;
    free(k->why);
    k->why = why;
}

#ifdef HAVE_LIBSECRET

static const SecretSchema kv_schema = {
    .name = "org.kvdeck.RefreshToken",
    .flags = SECRET_SCHEMA_NONE,
    .attributes =
        {
            {"cloud", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"tenant", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"account", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"client_id", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {NULL, 0},
        },
};

/* The watchdog: cancels c after ms unless stopped first. */
struct watch {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool done, started;
    int ms;
    GCancellable *c;
};

static void *
watch_main(void *arg)
{
    struct watch *w = arg;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += w->ms / 1000;
    until.tv_nsec += (long)(w->ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&w->mu);
    int err = 0;
    while (!w->done && err != ETIMEDOUT)
        err = pthread_cond_timedwait(&w->cond, &w->mu, &until);
    bool fire = !w->done;
    pthread_mutex_unlock(&w->mu);
    if (fire)
        g_cancellable_cancel(w->c);
    return NULL;
}

static void
watch_start(struct watch *w, int ms)
{
    pthread_condattr_t ca;
    memset(w, 0, sizeof *w);
    w->ms = ms;
    w->c = g_cancellable_new();
    pthread_mutex_init(&w->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &ca);
    pthread_condattr_destroy(&ca);
    w->started = pthread_create(&w->thread, NULL, watch_main, w) == 0;
}

/* Stops the watchdog; true when it had fired (the call timed out). */
static bool
watch_stop(struct watch *w)
{
    pthread_mutex_lock(&w->mu);
    w->done = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->mu);
    if (w->started)
        pthread_join(w->thread, NULL);
    bool fired = g_cancellable_is_cancelled(w->c);
    g_object_unref(w->c);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->mu);
    return fired;
}

/* What went wrong, for a person; takes err. */
static char *
why_from(const char *what, GError *err, bool timed_out, int ms)
{
    char *why;
    if (timed_out)
        why = xasprintf(_("%s: no answer within %d ms"), what, ms);
    else
        why = xasprintf("%s: %s", what,
                        err != NULL ? err->message : _("unknown error"));
    if (err != NULL)
        g_error_free(err);
    return why;
}

/* Is there a session bus to talk to? Checked by hand so that GLib never
 * tries to autolaunch one (dbus-launch with X11). */
static bool
have_session_bus(void)
{
    const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
    if (addr != NULL && *addr != '\0')
        return true;
    const char *run = getenv("XDG_RUNTIME_DIR");
    if (run == NULL || *run == '\0')
        return false;
    char *path = xasprintf("%s/bus", run);
    struct stat st;
    bool ok = stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
    free(path);
    return ok;
}

/* The probe's blocking part: the service and an unlocked default
 * collection. Returns the service (a reference) or NULL with *why. */
static SecretService *
probe_service(int ms, char **why)
{
    if (!have_session_bus()) {
        *why = xstrdup(_("no D-Bus session bus"));
        return NULL;
    }
    struct watch w;
    GError *err = NULL;
    SecretService *svc = NULL;
    SecretCollection *col = NULL;
    watch_start(&w, ms);
    GDBusConnection *bus = g_bus_get_sync(G_BUS_TYPE_SESSION, w.c, &err);
    if (bus == NULL) {
        bool fired = watch_stop(&w);
        *why =
            why_from(_("cannot reach the D-Bus session bus"), err, fired, ms);
        return NULL;
    }
    /* GLib would raise SIGTERM in kvdeck when the bus goes away. */
    g_dbus_connection_set_exit_on_close(bus, FALSE);
    svc = secret_service_get_sync(SECRET_SERVICE_OPEN_SESSION, w.c, &err);
    if (svc != NULL)
        col = secret_collection_for_alias_sync(
            svc, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, w.c, &err);
    bool fired = watch_stop(&w);
    if (svc == NULL) {
        *why = why_from(_("no Secret Service"), err, fired, ms);
    } else if (col == NULL) {
        *why = err != NULL || fired
                   ? why_from(_("no default keyring"), err, fired, ms)
                   : xstrdup(_("no default keyring"));
    } else if (secret_collection_get_locked(col)) {
        *why = xstrdup(_("the default keyring is locked"));
    }
    if (col != NULL)
        g_object_unref(col);
    g_object_unref(bus);
    if (*why != NULL && svc != NULL) {
        g_object_unref(svc);
        svc = NULL;
    }
    return svc;
}

/* The attributes of key as libsecret wants them (values borrowed). */
static GHashTable *
attrs_of(const struct keyring_key *key)
{
    GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
    const char *names[] = {"cloud", "tenant", "account", "client_id"};
    const char *vals[] = {key->cloud, key->tenant, key->account,
                          key->client_id};
    for (size_t i = 0; i < 4; i++)
        if (vals[i] != NULL && *vals[i] != '\0')
            g_hash_table_insert(h, (gpointer)names[i], (gpointer)vals[i]);
    return h;
}

/* An item's attributes into en. */
static void
entry_of_item(struct keyring_entry *en, SecretItem *it)
{
    GHashTable *h = secret_item_get_attributes(it);
    en->cloud = dup_or_empty(g_hash_table_lookup(h, "cloud"));
    en->tenant = dup_or_empty(g_hash_table_lookup(h, "tenant"));
    en->account = dup_or_empty(g_hash_table_lookup(h, "account"));
    en->client_id = dup_or_empty(g_hash_table_lookup(h, "client_id"));
    g_hash_table_unref(h);
}

/* Searches the service (call held, state is SECRET_SERVICE). */
static GList *
service_search(struct keyring *k, const struct keyring_key *key,
               SecretSearchFlags flags, struct watch *w, GError **err)
{
    GHashTable *attrs = attrs_of(key);
    GList *items = secret_service_search_sync(
        k->svc, &kv_schema, attrs, flags | SECRET_SEARCH_ALL, w->c, err);
    g_hash_table_unref(attrs);
    return items;
}

/* A failure of the service: memory only from now on; *why (caller
 * frees) says what happened. */
static enum kv_status
service_failed(struct keyring *k, const char *what, GError *err, bool fired,
               char **why)
{
    char *msg = why_from(what, err, fired, k->timeout_ms);
    if (why != NULL)
        *why = xstrdup(msg);
    pthread_mutex_lock(&k->mu);
    fall_back(k, msg);
    pthread_mutex_unlock(&k->mu);
    return fired ? KV_ERR_TIMEOUT : KV_ERR_IO;
}

static enum kv_status
service_store(struct keyring *k, const struct keyring_key *key,
              const struct secret *value, char **why)
{
    struct watch w;
    GError *err = NULL;
    GHashTable *attrs = attrs_of(key);
    SecretValue *v =
        secret_value_new(value->data, (gssize)value->len, "text/plain");
    /* TRANSLATORS: the label seahorse shows: account, then tenant */
    gchar *label = g_strdup_printf(_("kvdeck refresh token for %s (%s)"),
                                   key->account, key->tenant);
    watch_start(&w, k->timeout_ms);
    gboolean ok = secret_service_store_sync(k->svc, &kv_schema, attrs,
                                            SECRET_COLLECTION_DEFAULT, label, v,
                                            w.c, &err);
    bool fired = watch_stop(&w);
    secret_value_unref(v); /* libsecret wipes its secure copy */
    g_free(label);
    g_hash_table_unref(attrs);
    if (!ok)
        return service_failed(k, _("cannot store in the keyring"), err, fired,
                              why);
    return KV_OK;
}

/* The newest matching item's value (call held). */
static enum kv_status
service_lookup(struct keyring *k, const struct keyring_key *key,
               struct secret **value, struct keyring_entry *found, char **why)
{
    struct watch w;
    GError *err = NULL;
    watch_start(&w, k->timeout_ms);
    GList *items = service_search(k, key, SECRET_SEARCH_LOAD_SECRETS, &w, &err);
    bool fired = watch_stop(&w);
    if (err != NULL || fired)
        return service_failed(k, _("cannot read the keyring"), err, fired, why);
    SecretItem *best = NULL;
    for (GList *l = items; l != NULL; l = l->next) {
        SecretItem *it = l->data;
        if (best == NULL ||
            secret_item_get_modified(it) > secret_item_get_modified(best))
            best = it;
    }
    enum kv_status st = KV_ERR_NOT_FOUND;
    SecretValue *v = best != NULL ? secret_item_get_secret(best) : NULL;
    if (v != NULL) {
        gsize len = 0;
        const gchar *data = secret_value_get(v, &len);
        *value = secret_dup(data, len);
        secret_value_unref(v);
        if (found != NULL)
            entry_of_item(found, best);
        st = KV_OK;
    }
    g_list_free_full(items, g_object_unref);
    return st;
}

static enum kv_status
service_remove(struct keyring *k, const struct keyring_key *key,
               struct vec *removed, char **why)
{
    struct watch w;
    GError *err = NULL;
    watch_start(&w, k->timeout_ms);
    GList *items = service_search(k, key, SECRET_SEARCH_NONE, &w, &err);
    for (GList *l = items; l != NULL && err == NULL; l = l->next) {
        SecretItem *it = l->data;
        if (!secret_item_delete_sync(it, w.c, &err))
            break;
        if (removed != NULL) {
            struct keyring_entry *en = xcalloc(1, sizeof *en);
            entry_of_item(en, it);
            vec_push(removed, en);
        }
    }
    bool fired = watch_stop(&w);
    g_list_free_full(items, g_object_unref);
    if (err != NULL || fired)
        return service_failed(k, _("cannot remove from the keyring"), err,
                              fired, why);
    return KV_OK;
}

#endif /* HAVE_LIBSECRET */

struct keyring *
keyring_new(int timeout_ms)
{
    struct keyring *k = xcalloc(1, sizeof *k);
    pthread_mutex_init(&k->mu, NULL);
    pthread_mutex_init(&k->call, NULL);
    k->state = KEYRING_UNPROBED;
    k->timeout_ms = timeout_ms > 0 ? timeout_ms : 1500;
    vec_init(&k->mem);
    return k;
}

void
keyring_free(struct keyring *k)
{
    if (k == NULL)
        return;
#ifdef HAVE_LIBSECRET
    if (k->svc != NULL) {
        g_object_unref(k->svc);
        /* drops libsecret's shared service and its D-Bus session */
        secret_service_disconnect();
    }
#endif
    vec_free_all(&k->mem, mem_entry_free);
    free(k->why);
    pthread_mutex_destroy(&k->call);
    pthread_mutex_destroy(&k->mu);
    free(k);
}

/* keyring_probe() with call held. */
static enum keyring_storage
probe_locked(struct keyring *k)
{
    pthread_mutex_lock(&k->mu);
    enum keyring_storage s = k->state;
    pthread_mutex_unlock(&k->mu);
    if (s != KEYRING_UNPROBED)
        return s;
    char *why = NULL;
#ifdef HAVE_LIBSECRET
    k->svc = probe_service(k->timeout_ms, &why);
#else
    why = xstrdup(_("built without libsecret"));
#endif
    pthread_mutex_lock(&k->mu);
    if (why != NULL)
        fall_back(k, why);
    else
        k->state = KEYRING_SECRET_SERVICE;
    s = k->state;
    pthread_mutex_unlock(&k->mu);
    log_debug("keyring: %s", keyring_storage_name(s));
    return s;
}

enum keyring_storage
keyring_probe(struct keyring *k)
{
    pthread_mutex_lock(&k->call);
    enum keyring_storage s = probe_locked(k);
    pthread_mutex_unlock(&k->call);
    return s;
}

enum keyring_storage
keyring_storage(const struct keyring *k)
{
    struct keyring *m = (struct keyring *)k; /* the lock only */
    pthread_mutex_lock(&m->mu);
    enum keyring_storage s = k->state;
    pthread_mutex_unlock(&m->mu);
    return s;
}

const char *
keyring_why(const struct keyring *k)
{
    struct keyring *m = (struct keyring *)k;
    pthread_mutex_lock(&m->mu);
    const char *why = k->why; /* replaced only on a change of state */
    pthread_mutex_unlock(&m->mu);
    return why;
}

const char *
keyring_storage_name(enum keyring_storage s)
{
    return s == KEYRING_SECRET_SERVICE ? "keyring" : "memory only";
}

/* Keeps value in the memory table (replacing the same key). */
static void
mem_store(struct keyring *k, const struct keyring_key *key,
          const struct secret *value)
{
    pthread_mutex_lock(&k->mu);
    struct mem_entry *m = NULL;
    for (size_t i = 0; i < k->mem.len && m == NULL; i++) {
        struct mem_entry *e = k->mem.items[i];
        struct keyring_entry want;
        entry_set(&want, key);
        if (strcmp(want.cloud, e->key.cloud) == 0 &&
            strcmp(want.tenant, e->key.tenant) == 0 &&
            strcmp(want.account, e->key.account) == 0 &&
            strcmp(want.client_id, e->key.client_id) == 0)
            m = e;
        keyring_entry_clear(&want);
    }
    if (m == NULL) {
        m = xcalloc(1, sizeof *m);
        entry_set(&m->key, key);
        vec_push(&k->mem, m);
    }
    secret_free(m->value);
    m->value = secret_dup(value->data, value->len);
    pthread_mutex_unlock(&k->mu);
}

enum kv_status
keyring_store(struct keyring *k, const struct keyring_key *key,
              const struct secret *value, char **why)
{
    if (key == NULL || value == NULL || key->cloud == NULL ||
        key->tenant == NULL || key->account == NULL) {
        if (why != NULL)
            *why = xstrdup(_("a token needs a cloud, tenant and account"));
        return KV_ERR_INVALID;
    }
    pthread_mutex_lock(&k->call);
    enum keyring_storage s = probe_locked(k);
#ifdef HAVE_LIBSECRET
    if (s == KEYRING_SECRET_SERVICE) {
        char *inner = NULL;
        if (service_store(k, key, value, &inner) == KV_OK) {
            pthread_mutex_unlock(&k->call);
            return KV_OK;
        }
        log_debug("keyring: %s", inner);
        free(inner);
        s = KEYRING_MEMORY_ONLY;
    }
#endif
    (void)s;
    mem_store(k, key, value);
    pthread_mutex_unlock(&k->call);
    return KV_OK;
}

enum kv_status
keyring_lookup(struct keyring *k, const struct keyring_key *key,
               struct secret **value, struct keyring_entry *found, char **why)
{
    static const struct keyring_key any;
    if (key == NULL)
        key = &any;
    *value = NULL;
    if (found != NULL)
        memset(found, 0, sizeof *found);
    pthread_mutex_lock(&k->mu);
    for (size_t i = k->mem.len; i-- > 0;) { /* the newest first */
        struct mem_entry *m = k->mem.items[i];
        if (!key_match(key, &m->key))
            continue;
        *value = secret_dup(m->value->data, m->value->len);
        if (found != NULL)
            entry_copy(found, &m->key);
        pthread_mutex_unlock(&k->mu);
        return KV_OK;
    }
    pthread_mutex_unlock(&k->mu);
    pthread_mutex_lock(&k->call);
    enum kv_status st = KV_ERR_NOT_FOUND;
    enum keyring_storage s = probe_locked(k);
#ifdef HAVE_LIBSECRET
    if (s == KEYRING_SECRET_SERVICE)
        st = service_lookup(k, key, value, found, why);
#else
    (void)s;
    (void)why;
#endif
    pthread_mutex_unlock(&k->call);
    return st;
}

enum kv_status
keyring_remove(struct keyring *k, const struct keyring_key *key,
               struct vec *removed, char **why)
{
    static const struct keyring_key any;
    if (key == NULL)
        key = &any;
    pthread_mutex_lock(&k->mu);
    for (size_t i = k->mem.len; i-- > 0;) {
        struct mem_entry *m = k->mem.items[i];
        if (!key_match(key, &m->key))
            continue;
        if (removed != NULL) {
            struct keyring_entry *en = xcalloc(1, sizeof *en);
            entry_copy(en, &m->key);
            vec_push(removed, en);
        }
        vec_remove(&k->mem, i);
        mem_entry_free(m);
    }
    pthread_mutex_unlock(&k->mu);
    pthread_mutex_lock(&k->call);
    enum kv_status st = KV_OK;
    enum keyring_storage s = probe_locked(k);
#ifdef HAVE_LIBSECRET
    if (s == KEYRING_SECRET_SERVICE)
        st = service_remove(k, key, removed, why);
#else
    (void)s;
    (void)why;
#endif
    pthread_mutex_unlock(&k->call);
    return st;
}
