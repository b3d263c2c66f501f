/*
 * util.h — small helpers shared by the simulator: random and
 * deterministic identifiers, the timestamp forms Azure uses, and cJSON
 * conveniences. Every returned string is malloc'd and owned by the caller.
 */
#ifndef KV_SIM_UTIL_H
#define KV_SIM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Fills buf with n cryptographically random bytes (aborts on failure). */
void util_random(void *buf, size_t n);
/* A random version-4 UUID, lower case. */
char *util_uuid(void);
/* A UUID derived from a string (SHA-256), stable across runs. */
char *util_uuid_from(const char *seed);
/* n random lower-case hex digits (Key Vault versions are 32). */
char *util_hex(size_t n);
/* Hex digits derived deterministically from a string. */
char *util_hex_from(const char *seed, size_t n);
/* Milliseconds since the epoch (wall clock). */
int64_t util_now_ms(void);
/* "2023-07-25T07:39:58.285Z" (ARM systemData). */
char *util_iso_ms(int64_t ms);
/* "2023-11-13T12:47:17Z" (deletedVaults). */
char *util_iso(int64_t secs);
/* "2023-11-06 12:47:03Z" (Key Vault operationResults). */
char *util_iso_space(int64_t secs);
/* ASCII lower-case copy. */
char *util_lower(const char *s);
/* True if s matches ^[A-Za-z0-9-]{min,max}$ . */
bool util_name_ok(const char *s, size_t min, size_t max);

/* cJSON helpers: NULL-safe lookups. */
const char *json_str(const cJSON *obj, const char *key);
/* Case-insensitive object lookup of a string member. */
const char *json_istr(const cJSON *obj, const char *key);
bool json_bool(const cJSON *obj, const char *key, bool dflt);
int64_t json_int(const cJSON *obj, const char *key, int64_t dflt);
/* Replaces (or adds) key in obj; takes ownership of item. */
void json_set(cJSON *obj, const char *key, cJSON *item);
void json_set_str(cJSON *obj, const char *key, const char *val);
/* Compact print; caller frees. */
char *json_print(const cJSON *obj);
/* Parses s; NULL when s is not a JSON object. */
cJSON *json_parse_object(const char *s, size_t len);

/* splitmix64: a tiny deterministic generator for seeds and faults. */
uint64_t util_splitmix(uint64_t *state);

#endif
