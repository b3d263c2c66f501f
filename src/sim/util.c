/*
 * util.c — identifiers, timestamps and cJSON helpers for the simulator.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "base/xalloc.h"
#include "sim/util.h"

void
util_random(void *buf, size_t n)
{
    if (RAND_bytes(buf, (int)n) != 1) {
        fprintf(stderr, "kvdeck-sim: no random bytes\n");
        abort();
    }
}

static char *
uuid_format(unsigned char b[16])
{
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    return xasprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                     "%02x%02x%02x%02x%02x%02x",
                     b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                     b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
util_uuid(void)
{
    unsigned char b[16];

    util_random(b, sizeof b);
    return uuid_format(b);
}

static void
sha256(const char *s, unsigned char out[32])
{
    unsigned int len = 32;

    EVP_Digest(s, strlen(s), out, &len, EVP_sha256(), NULL);
}

char *
util_uuid_from(const char *seed)
{
    unsigned char d[32];

    sha256(seed, d);
    return uuid_format(d);
}

static char *
hex_of(const unsigned char *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *s = xmalloc(n + 1);

    for (size_t i = 0; i < n; i++)
        s[i] = digits[(b[i / 2] >> ((i % 2) ? 0 : 4)) & 0xf];
    s[n] = '\0';
    return s;
}

char *
util_hex(size_t n)
{
    unsigned char b[64];
    size_t need = (n + 1) / 2;

    if (need > sizeof b)
        need = sizeof b, n = 2 * sizeof b;
    util_random(b, need);
    return hex_of(b, n);
}

char *
util_hex_from(const char *seed, size_t n)
{
    unsigned char d[32];

    if (n > 64)
        n = 64;
    sha256(seed, d);
    return hex_of(d, n);
}

int64_t
util_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
utc(int64_t secs, struct tm *tm)
{
    time_t t = (time_t)secs;

    gmtime_r(&t, tm);
}

char *
util_iso_ms(int64_t ms)
{
    struct tm tm;

    utc(ms / 1000, &tm);
    return xasprintf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, (int)(ms % 1000));
}

char *
util_iso(int64_t secs)
{
    struct tm tm;

    utc(secs, &tm);
    return xasprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
}

char *
util_iso_space(int64_t secs)
{
    struct tm tm;

    utc(secs, &tm);
    return xasprintf("%04d-%02d-%02d %02d:%02d:%02dZ", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
}

char *
util_lower(const char *s)
{
    char *r = xstrdup(s ? s : "");

    for (char *p = r; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return r;
}

bool
util_name_ok(const char *s, size_t min, size_t max)
{
    size_t n = 0;

    if (!s)
        return false;
    for (const char *p = s; *p; p++, n++)
        if (!isalnum((unsigned char)*p) && *p != '-')
            return false;
    return n >= min && n <= max;
}

const char *
json_str(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    return cJSON_IsString(it) ? it->valuestring : NULL;
}

const char *
json_istr(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItem(obj, key);

    return cJSON_IsString(it) ? it->valuestring : NULL;
}

bool
json_bool(const cJSON *obj, const char *key, bool dflt)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (cJSON_IsBool(it))
        return cJSON_IsTrue(it);
    return dflt;
}

int64_t
json_int(const cJSON *obj, const char *key, int64_t dflt)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (cJSON_IsNumber(it) && it->valuedouble > -9.2e18 &&
        it->valuedouble < 9.2e18) /* (int64_t) of more is undefined */
        return (int64_t)it->valuedouble;
    return dflt;
}

void
json_set(cJSON *obj, const char *key, cJSON *item)
{
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
    else
        cJSON_AddItemToObject(obj, key, item);
}

void
json_set_str(cJSON *obj, const char *key, const char *val)
{
    json_set(obj, key, val ? cJSON_CreateString(val) : cJSON_CreateNull());
}

char *
json_print(const cJSON *obj)
{
    char *s = cJSON_PrintUnformatted(obj);

    if (!s) {
        fprintf(stderr, "kvdeck-sim: out of memory\n");
        abort();
    }
    return s;
}

cJSON *
json_parse_object(const char *s, size_t len)
{
    cJSON *j;

    if (!s)
        return NULL;
    j = cJSON_ParseWithLength(s, len);
    if (j && !cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

uint64_t
util_splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
