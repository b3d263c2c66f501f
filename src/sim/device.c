/*
 * device.c — the device-code table (see device.h).
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/vec.h"
#include "base/xalloc.h"
#include "sim/device.h"
#include "sim/sim.h"
#include "sim/util.h"

enum { ST_PENDING, ST_APPROVED, ST_DECLINED };

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
    struct vec codes;
};

struct devices *
devices_new(void)
{
    struct devices *d = xcalloc(1, sizeof *d);

    pthread_mutex_init(&d->mu, NULL);
    return d;
}

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

void
devices_free(struct devices *d)
{
    if (!d)
        return;
    vec_free_all(&d->codes, code_free);
    pthread_mutex_destroy(&d->mu);
    free(d);
}

/* Drops codes that expired more than a minute ago. */
static void
prune(struct devices *d, int64_t now)
{
    for (size_t i = d->codes.len; i-- > 0;) {
        struct code *c = d->codes.items[i];

        if (c->expires_ms + 60000 < now)
            code_free(vec_remove(&d->codes, i));
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
    vec_push(&d->codes, c);
    pthread_mutex_unlock(&d->mu);
    *user_code = xstrdup(c->user_code);
    return xstrdup(c->device_code);
}

enum device_poll
devices_poll(struct devices *d, const char *device_code,
             const char *client_id, bool auto_approve, char **scope)
{
    enum device_poll res = DEV_UNKNOWN;
    int64_t now = sim_now_ms();

    pthread_mutex_lock(&d->mu);
    for (size_t i = 0; i < d->codes.len; i++) {
        struct code *c = d->codes.items[i];

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
        /* Polling faster than the interval (with 20% grace). */
        if (c->last_poll_ms &&
            now - c->last_poll_ms < c->interval_ms * 8 / 10) {
            c->last_poll_ms = now;
            res = DEV_SLOW_DOWN;
            break;
        }
        c->last_poll_ms = now;
        if (c->state == ST_PENDING && auto_approve &&
            now - c->created_ms >= c->interval_ms * 8 / 10)
            c->state = ST_APPROVED;
        if (c->state == ST_APPROVED) {
            *scope = xstrdup(c->scope);
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
                                now >= c->expires_ms        ? "expired"
                                : c->state == ST_APPROVED   ? "approved"
                                : c->state == ST_DECLINED   ? "declined"
                                                            : "pending");
        cJSON_AddNumberToObject(o, "expires_in",
                                (double)((c->expires_ms - now) / 1000));
        cJSON_AddItemToArray(arr, o);
    }
    pthread_mutex_unlock(&d->mu);
    return arr;
}
