/*
 * fault.c — fault rules and their deterministic decisions (see fault.h).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/fault.h"
#include "sim/util.h"

struct rule {
    enum fault_kind kind;
    long every;
    double p;
    long count; /* max triggers, 0 = unlimited */
    char *path;
    int area; /* -1 any */
    char *method;
    int ms, jitter, status, retry_after, bps;
    char *code; /* lro-fail: the operation's error code, or NULL */
    long seen, fired;
    uint64_t rng;
};

struct faults {
    pthread_mutex_t mu;
    uint64_t seed;
    struct vec rules;
};

static const char *const kind_names[] = {
    [FAULT_NONE] = "none",
    [FAULT_LATENCY] = "latency",
    [FAULT_THROTTLE] = "throttle",
    [FAULT_ERROR] = "error",
    [FAULT_DROP] = "drop",
    [FAULT_SLOW] = "slow",
    [FAULT_MALFORMED] = "malformed",
    [FAULT_CORRUPT_VALUE] = "corrupt-value",
    [FAULT_DROP_AFTER_COMMIT] = "drop-after-commit",
    [FAULT_SLOW_DOWN] = "slow-down",
    [FAULT_CLAIMS_CHALLENGE] = "claims-challenge",
    [FAULT_LRO_FAIL] = "lro-fail",
    [FAULT_LRO_STUCK] = "lro-stuck",
    [FAULT_TOKEN_EXPIRED] = "token-expired",
};

/* Kinds decided by faults_fire where they act, not on arrival. */
static bool
late(enum fault_kind k)
{
    return k == FAULT_CORRUPT_VALUE || k == FAULT_DROP_AFTER_COMMIT ||
           k == FAULT_SLOW_DOWN || k == FAULT_CLAIMS_CHALLENGE ||
           k == FAULT_LRO_FAIL || k == FAULT_LRO_STUCK ||
           k == FAULT_TOKEN_EXPIRED;
}

static const char *const area_names[AREA_COUNT] = {
    [AREA_LOGIN] = "login",   [AREA_ARM] = "arm",   [AREA_GRAPH] = "graph",
    [AREA_VAULT] = "vault",   [AREA_IMDS] = "imds", [AREA_CONTROL] = "control",
    [AREA_OPENAI] = "openai",
};

struct faults *
faults_new(uint64_t seed)
{
    struct faults *f = xcalloc(1, sizeof *f);

    pthread_mutex_init(&f->mu, NULL);
    f->seed = seed;
    return f;
}

static void
rule_free(void *p)
{
    struct rule *r = p;

    free(r->path);
    free(r->method);
    free(r->code);
    free(r);
}

void
faults_free(struct faults *f)
{
    if (!f)
        return;
    vec_free_all(&f->rules, rule_free);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

void
faults_clear(struct faults *f)
{
    pthread_mutex_lock(&f->mu);
    vec_free_all(&f->rules, rule_free);
    vec_init(&f->rules);
    pthread_mutex_unlock(&f->mu);
}

static void
reseed(struct faults *f)
{
    for (size_t i = 0; i < f->rules.len; i++) {
        struct rule *r = f->rules.items[i];

        r->rng = f->seed * 1000003u + i;
        r->seen = r->fired = 0;
    }
}

void
faults_set_seed(struct faults *f, uint64_t seed)
{
    pthread_mutex_lock(&f->mu);
    f->seed = seed;
    reseed(f);
    pthread_mutex_unlock(&f->mu);
}

static int
kind_of(const char *s)
{
    for (size_t i = 1; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (strcasecmp(s, kind_names[i]) == 0)
            return (int)i;
    if (strcmp(s, "429") == 0)
        return FAULT_THROTTLE;
    if (strcmp(s, "500") == 0 || strcmp(s, "503") == 0)
        return FAULT_ERROR;
    return -1;
}

/* Applies one key=value to r. */
static enum kv_status
rule_set(struct rule *r, const char *key, const char *val, char **why)
{
    char *end = NULL;

    if (strcmp(key, "every") == 0)
        r->every = strtol(val, &end, 10);
    else if (strcmp(key, "p") == 0)
        r->p = strtod(val, &end);
    else if (strcmp(key, "count") == 0)
        r->count = strtol(val, &end, 10);
    else if (strcmp(key, "ms") == 0)
        r->ms = (int)strtol(val, &end, 10);
    else if (strcmp(key, "jitter") == 0)
        r->jitter = (int)strtol(val, &end, 10);
    else if (strcmp(key, "status") == 0)
        r->status = (int)strtol(val, &end, 10);
    else if (strcmp(key, "retry-after") == 0 || strcmp(key, "retry_after") == 0)
        r->retry_after = (int)strtol(val, &end, 10);
    else if (strcmp(key, "bps") == 0)
        r->bps = (int)strtol(val, &end, 10);
    else if (strcmp(key, "path") == 0) {
        free(r->path);
        r->path = xstrdup(val);
        return KV_OK;
    } else if (strcmp(key, "code") == 0) {
        free(r->code);
        r->code = xstrdup(val);
        return KV_OK;
    } else if (strcmp(key, "method") == 0) {
        free(r->method);
        r->method = xstrdup(val);
        return KV_OK;
    } else if (strcmp(key, "area") == 0) {
        for (int i = 0; i < AREA_COUNT; i++)
            if (strcasecmp(val, area_names[i]) == 0) {
                r->area = i;
                return KV_OK;
            }
        *why = xasprintf("unknown fault area '%s'", val);
        return KV_ERR_INVALID;
    } else {
        *why = xasprintf("unknown fault key '%s'", key);
        return KV_ERR_INVALID;
    }
    if (!end || *end || end == val) {
        *why = xasprintf("bad value for fault key '%s': '%s'", key, val);
        return KV_ERR_INVALID;
    }
    return KV_OK;
}

static struct rule *
rule_new(int kind, const char *kindname)
{
    struct rule *r = xcalloc(1, sizeof *r);

    r->kind = (enum fault_kind)kind;
    r->area = -1;
    if (kind == FAULT_ERROR)
        r->status = strcmp(kindname, "503") == 0 ? 503 : 500;
    if (kind == FAULT_THROTTLE)
        r->retry_after = 1;
    if (kind == FAULT_SLOW)
        r->bps = 256;
    return r;
}

static enum kv_status
rule_check(struct rule *r, char **why)
{
    if (r->kind == FAULT_ERROR && (r->status < 500 || r->status > 599)) {
        *why = xasprintf("fault status must be 5xx, not %d", r->status);
        return KV_ERR_INVALID;
    }
    if (r->p < 0 || r->p > 1 || r->every < 0 || r->ms < 0 || r->jitter < 0 ||
        r->bps < 0) {
        *why = xstrdup("fault values must not be negative (p within 0..1)");
        return KV_ERR_INVALID;
    }
    return KV_OK;
}

/* Adds a rule with its own random stream; the rules already there keep
 * their counts (a test adding a second fault mid-run must not re-arm the
 * first one's "count"). */
static void
add_rule(struct faults *f, struct rule *r)
{
    pthread_mutex_lock(&f->mu);
    r->rng = f->seed * 1000003u + f->rules.len;
    r->seen = r->fired = 0;
    vec_push(&f->rules, r);
    pthread_mutex_unlock(&f->mu);
}

enum kv_status
faults_add_spec(struct faults *f, const char *spec, char **why)
{
    char *copy = xstrdup(spec), *save = NULL, *tok;
    struct rule *r = NULL;
    enum kv_status rc = KV_OK;
    int kind;

    tok = strtok_r(copy, ",", &save);
    if (!tok || (kind = kind_of(str_trim(tok))) < 0) {
        *why = xasprintf("unknown fault kind in '%s'", spec);
        rc = KV_ERR_INVALID;
        goto out;
    }
    r = rule_new(kind, tok);
    while ((tok = strtok_r(NULL, ",", &save)) != NULL) {
        char *eq = strchr(tok, '=');

        if (!eq) {
            *why = xasprintf("expected key=value in fault '%s'", spec);
            rc = KV_ERR_INVALID;
            goto out;
        }
        *eq = '\0';
        if ((rc = rule_set(r, str_trim(tok), str_trim(eq + 1), why)) != KV_OK)
            goto out;
    }
    if ((rc = rule_check(r, why)) != KV_OK)
        goto out;
    add_rule(f, r);
    r = NULL;
out:
    if (r)
        rule_free(r);
    free(copy);
    return rc;
}

enum kv_status
faults_add_json(struct faults *f, const cJSON *j, char **why)
{
    const char *kindname = json_str(j, "kind");
    const cJSON *it;
    struct rule *r;
    enum kv_status rc = KV_OK;
    int kind;

    if (!kindname || (kind = kind_of(kindname)) < 0) {
        *why = xstrdup("a fault needs a known \"kind\"");
        return KV_ERR_INVALID;
    }
    r = rule_new(kind, kindname);
    cJSON_ArrayForEach(it, j)
    {
        char num[64];
        const char *val;

        if (strcmp(it->string, "kind") == 0)
            continue;
        if (cJSON_IsString(it))
            val = it->valuestring;
        else if (cJSON_IsNumber(it)) {
            snprintf(num, sizeof num, "%.17g", it->valuedouble);
            val = num;
        } else {
            *why = xasprintf("bad value for fault key '%s'", it->string);
            rc = KV_ERR_INVALID;
            break;
        }
        if ((rc = rule_set(r, it->string, val, why)) != KV_OK)
            break;
    }
    if (rc == KV_OK)
        rc = rule_check(r, why);
    if (rc != KV_OK) {
        rule_free(r);
        return rc;
    }
    add_rule(f, r);
    return KV_OK;
}

cJSON *
faults_to_json(struct faults *f)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "faults");

    pthread_mutex_lock(&f->mu);
    cJSON_AddNumberToObject(root, "seed", (double)f->seed);
    for (size_t i = 0; i < f->rules.len; i++) {
        struct rule *r = f->rules.items[i];
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "kind", kind_names[r->kind]);
        if (r->every)
            cJSON_AddNumberToObject(o, "every", (double)r->every);
        if (r->p > 0)
            cJSON_AddNumberToObject(o, "p", r->p);
        if (r->count)
            cJSON_AddNumberToObject(o, "count", (double)r->count);
        if (r->path)
            cJSON_AddStringToObject(o, "path", r->path);
        if (r->method)
            cJSON_AddStringToObject(o, "method", r->method);
        if (r->area >= 0)
            cJSON_AddStringToObject(o, "area", area_names[r->area]);
        if (r->ms)
            cJSON_AddNumberToObject(o, "ms", r->ms);
        if (r->jitter)
            cJSON_AddNumberToObject(o, "jitter", r->jitter);
        if (r->status)
            cJSON_AddNumberToObject(o, "status", r->status);
        if (r->retry_after)
            cJSON_AddNumberToObject(o, "retry-after", r->retry_after);
        if (r->code)
            cJSON_AddStringToObject(o, "code", r->code);
        if (r->bps && r->kind == FAULT_SLOW)
            cJSON_AddNumberToObject(o, "bps", r->bps);
        cJSON_AddNumberToObject(o, "matched", (double)r->seen);
        cJSON_AddNumberToObject(o, "fired", (double)r->fired);
        cJSON_AddItemToArray(arr, o);
    }
    pthread_mutex_unlock(&f->mu);
    return root;
}

static bool
matches(const struct rule *r, enum sim_area area, const char *method,
        const char *path)
{
    if (r->area >= 0 && r->area != (int)area)
        return false;
    if (r->method && strcasecmp(r->method, method) != 0)
        return false;
    if (r->path && !str_istarts(path, r->path))
        return false;
    return true;
}

/* Counts a matching request against r; true when r fires on it. */
static bool
rule_fires(struct rule *r)
{
    uint64_t x;

    r->seen++;
    x = util_splitmix(&r->rng);
    if (r->count && r->fired >= r->count)
        return false;
    if (r->every > 0)
        return r->seen % r->every == 0;
    if (r->p > 0)
        return (double)(x >> 11) / 9007199254740992.0 < r->p;
    return true;
}

void
faults_decide(struct faults *f, enum sim_area area, const char *method,
              const char *path, struct fault_decision *d)
{
    memset(d, 0, sizeof *d);
    if (!f || area == AREA_CONTROL)
        return;
    pthread_mutex_lock(&f->mu);
    for (size_t i = 0; i < f->rules.len; i++) {
        struct rule *r = f->rules.items[i];

        if (late(r->kind) || !matches(r, area, method, path) || !rule_fires(r))
            continue;
        if (r->kind == FAULT_LATENCY) {
            r->fired++;
            d->latency_ms += r->ms;
            if (r->jitter > 0)
                d->latency_ms +=
                    (int)(util_splitmix(&r->rng) % (uint64_t)(r->jitter + 1));
            continue;
        }
        if (d->kind != FAULT_NONE)
            continue; /* the first terminal fault wins */
        r->fired++;
        d->kind = r->kind;
        d->status = r->kind == FAULT_THROTTLE ? 429 : r->status;
        d->retry_after = r->retry_after;
        d->bps = r->bps;
    }
    pthread_mutex_unlock(&f->mu);
}

bool
faults_fire(struct faults *f, enum fault_kind kind, enum sim_area area,
            const char *method, const char *path)
{
    return faults_fire_code(f, kind, area, method, path, NULL);
}

bool
faults_fire_code(struct faults *f, enum fault_kind kind, enum sim_area area,
                 const char *method, const char *path, char **code)
{
    bool fired = false;

    if (code)
        *code = NULL;
    if (!f || area == AREA_CONTROL)
        return false;
    pthread_mutex_lock(&f->mu);
    for (size_t i = 0; i < f->rules.len; i++) {
        struct rule *r = f->rules.items[i];

        if (r->kind != kind || !matches(r, area, method, path) ||
            !rule_fires(r) || fired)
            continue;
        r->fired++;
        fired = true;
        if (code && r->code)
            *code = xstrdup(r->code);
    }
    pthread_mutex_unlock(&f->mu);
    return fired;
}
