/*
 * device.c — the device-code table (see device.h). The vector is the
 * working copy; every change of a code's lasting state (created,
 * decided, redeemed, pruned) is committed to the store first.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/vec.h"
#include "base/xalloc.h"
#include "sim/device.h"
#include "sim/sim.h"
#include "sim/store.h"
#include "sim/util.h"

/* Expired codes are still known (expired_token) this long, then
 * forgotten (bad_verification_code). */
#define KEEP_EXPIRED_MS (15 * 60 * 1000)

enum { ST_PENDING, ST_APPROVED, ST_DECLINED };

static const char *const state_names[] = {
    [ST_PENDING] = "pending",
    [ST_APPROVED] = "approved",
    [ST_DECLINED] = "declined",
};

struct code {
    char *device_code;
    char *user_code;
    char *client_id;
    char *scope;
    int64_t created_ms, expires_ms, last_poll_ms;
    int interval_ms;
    int state;
};

struct devices {
    pthread_mutex_t mu;
    struct store *st;
    struct vec codes;
};

static void
code_free(void *p)
{
    struct code *c = p;

    free(c->device_code);
    free(c->user_code);
    free(c->client_id);
    free(c->scope);
    free(c);
}

static char *
code_key(const struct code *c)
{
    char *k = xasprintf("dev|%s", c->device_code);
    char *l = util_lower(k);

    free(k);
    return l;
}

static cJSON *
code_doc(const struct code *c)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "device_code", c->device_code);
    cJSON_AddStringToObject(o, "user_code", c->user_code);
    cJSON_AddStringToObject(o, "client_id", c->client_id);
    cJSON_AddStringToObject(o, "scope", c->scope);
    cJSON_AddNumberToObject(o, "created_ms", (double)c->created_ms);
    cJSON_AddNumberToObject(o, "expires_ms", (double)c->expires_ms);
    cJSON_AddNumberToObject(o, "interval_ms", c->interval_ms);
    cJSON_AddStringToObject(o, "state", state_names[c->state]);
    return o;
}

static struct code *
code_of_doc(const cJSON *o)
{
    struct code *c;
    const char *dc = json_str(o, "device_code"), *uc = json_str(o, "user_code");
    const char *st = json_str(o, "state");

    if (!dc || !uc || !st)
        return NULL;
    c = xcalloc(1, sizeof *c);
    c->device_code = xstrdup(dc);
    c->user_code = xstrdup(uc);
    c->client_id =
        xstrdup(json_str(o, "client_id") ? json_str(o, "client_id") : "");
    c->scope = xstrdup(json_str(o, "scope") ? json_str(o, "scope") : "");
    c->created_ms = json_int(o, "created_ms", 0);
    c->expires_ms = json_int(o, "expires_ms", 0);
    c->interval_ms = (int)json_int(o, "interval_ms", 5000);
    for (int i = ST_PENDING; i <= ST_DECLINED; i++)
        if (strcmp(st, state_names[i]) == 0)
            c->state = i;
    return c;
}

/* Commits a put (doc) or a delete (doc NULL) of c's key. A failure is
 * reported on stderr: the table in memory stays right for this run. */
static void
persist(struct devices *d, const struct code *c, bool del)
{
    struct store_txn *t = store_txn_new();
    char *key = code_key(c), *why = NULL;

    if (del) {
        store_txn_del(t, key);
    } else {
        cJSON *doc = code_doc(c);

        store_txn_put(t, key, doc);
        cJSON_Delete(doc);
    }
    store_write_lock(d->st);
    if (store_commit(d->st, t, &why) != KV_OK) {
        fprintf(stderr, "kvdeck-sim: device code not saved: %s\n", why);
        free(why);
    }
    store_write_unlock(d->st);
    free(key);
}

struct devices *
devices_new(struct store *st)
{
    struct devices *d = xcalloc(1, sizeof *d);
    struct vec kvs = VEC_INIT;

    pthread_mutex_init(&d->mu, NULL);
    d->st = st;
    store_scan(st, "dev|", NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];
        cJSON *o = cJSON_Parse(kv->val);
        struct code *c = code_of_doc(o);

        if (c)
            vec_push(&d->codes, c);
        cJSON_Delete(o);
    }
    vec_free_all(&kvs, store_kv_free);
    return d;
}

void
devices_free(struct devices *d)
{
    if (!d)
        return;
    vec_free_all(&d->codes, code_free);
    pthread_mutex_destroy(&d->mu);
    free(d);
}

/* Drops codes that expired long ago. Called with the mutex held. */
static void
prune(struct devices *d, int64_t now)
{
    for (size_t i = d->codes.len; i-- > 0;) {
        struct code *c = d->codes.items[i];

        if (c->expires_ms + KEEP_EXPIRED_MS < now) {
            persist(d, c, true);
            code_free(vec_remove(&d->codes, i));
        }
    }
}

char *
devices_create(struct devices *d, const char *client_id, const char *scope,
               int lifetime_s, int interval_s, char **user_code)
{
    static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    struct code *c = xcalloc(1, sizeof *c);
    unsigned char r[9];
    char uc[10];
    char *rnd = util_hex(32);

    util_random(r, sizeof r);
    for (int i = 0; i < 9; i++)
        uc[i] = letters[r[i] % (sizeof letters - 1)];
    uc[9] = '\0';
    c->device_code = xasprintf("DAQABAAEAAAD%s", rnd);
    c->user_code = xstrdup(uc);
    c->client_id = xstrdup(client_id);
    c->scope = xstrdup(scope ? scope : "");
    c->created_ms = sim_now_ms();
    c->expires_ms = c->created_ms + (int64_t)lifetime_s * 1000;
    c->interval_ms = interval_s * 1000;
    c->state = ST_PENDING;
    free(rnd);
    pthread_mutex_lock(&d->mu);
    prune(d, c->created_ms);
    persist(d, c, false);
    vec_push(&d->codes, c);
    pthread_mutex_unlock(&d->mu);
    *user_code = xstrdup(c->user_code);
    return xstrdup(c->device_code);
}

enum device_poll
devices_poll(struct devices *d, const char *device_code, const char *client_id,
             bool auto_approve, bool slow_down, char **scope)
{
    enum device_poll res = DEV_UNKNOWN;
    int64_t now = sim_now_ms();

    pthread_mutex_lock(&d->mu);
    for (size_t i = 0; i < d->codes.len; i++) {
        struct code *c = d->codes.items[i];
        int64_t last = c->last_poll_ms;

        if (strcmp(c->device_code, device_code) != 0)
            continue;
        if (client_id && strcmp(c->client_id, client_id) != 0)
            break;
        if (now >= c->expires_ms) {
            res = DEV_EXPIRED;
            break;
        }
        if (c->state == ST_DECLINED) {
            res = DEV_DECLINED;
            break;
        }
        c->last_poll_ms = now;
        if (slow_down && last && now - last < c->interval_ms * 8 / 10) {
            c->interval_ms += 5000;
            res = DEV_SLOW_DOWN;
            break;
        }
        if (c->state == ST_PENDING && auto_approve &&
            now - c->created_ms >= c->interval_ms * 8 / 10)
            c->state = ST_APPROVED;
        if (c->state == ST_APPROVED) {
            *scope = xstrdup(c->scope);
            persist(d, c, true);
            code_free(vec_remove(&d->codes, i));
            res = DEV_APPROVED;
        } else {
            res = DEV_PENDING;
        }
        break;
    }
    pthread_mutex_unlock(&d->mu);
    return res;
}

bool
devices_decide(struct devices *d, const char *user_code, bool approve)
{
    bool found = false;

    pthread_mutex_lock(&d->mu);
    for (size_t i = 0; i < d->codes.len; i++) {
        struct code *c = d->codes.items[i];

        if (strcasecmp(c->user_code, user_code) == 0 &&
            c->state == ST_PENDING && sim_now_ms() < c->expires_ms) {
            c->state = approve ? ST_APPROVED : ST_DECLINED;
            persist(d, c, false);
            found = true;
            break;
        }
    }
    pthread_mutex_unlock(&d->mu);
    return found;
}

cJSON *
devices_list(struct devices *d)
{
    cJSON *arr = cJSON_CreateArray();
    int64_t now = sim_now_ms();

    pthread_mutex_lock(&d->mu);
    for (size_t i = 0; i < d->codes.len; i++) {
        struct code *c = d->codes.items[i];
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "user_code", c->user_code);
        cJSON_AddStringToObject(o, "client_id", c->client_id);
        cJSON_AddStringToObject(o, "scope", c->scope);
        cJSON_AddStringToObject(o, "state",
                                now >= c->expires_ms ? "expired"
                                                     : state_names[c->state]);
        cJSON_AddNumberToObject(o, "expires_in",
                                (double)((c->expires_ms - now) / 1000));
        cJSON_AddNumberToObject(o, "interval", c->interval_ms / 1000);
        cJSON_AddItemToArray(arr, o);
    }
    pthread_mutex_unlock(&d->mu);
    return arr;
}
