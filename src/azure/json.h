/*
 * json.h — small helpers over cJSON for reading Azure's JSON tolerantly:
 * dotted paths, case-insensitive keys, numbers that arrive as strings,
 * and the three timestamp forms (unix seconds, ISO-8601, and ISO with a
 * space instead of 'T').
 *
 * Borrowed pointers (const cJSON *, const char *) live as long as the
 * tree they came from. Functions returning char * return malloc'd
 * strings the caller frees.
 */
#ifndef KV_AZURE_JSON_H
#define KV_AZURE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/status.h"

/* Parses len bytes (need not be NUL-terminated). On failure returns NULL
 * and sets *why (caller frees) to "malformed JSON in WHAT near byte N". */
cJSON *json_parse(const char *text, size_t len, const char *what, char **why);

/* Looks up a dotted path ("properties.sku.name"), each key compared
 * case-insensitively. NULL when any step is missing or not an object. */
const cJSON *json_at(const cJSON *obj, const char *path);
/* Like cJSON_GetObjectItem but ignores case and '_' in keys, so
 * "resourceManager", "resource_manager" and "ResourceManager" match. */
const cJSON *json_get_loose(const cJSON *obj, const char *key);

/* The string at path, or NULL if absent, null or not a string. */
const char *json_str(const cJSON *obj, const char *path);
/* A copy of json_str(), or NULL. */
char *json_strdup(const cJSON *obj, const char *path);
/* true/false; strings "true"/"false" accepted; else dflt. */
bool json_bool(const cJSON *obj, const char *path, bool dflt);
/* An integer; numeric strings accepted; else dflt. */
int64_t json_int(const cJSON *obj, const char *path, int64_t dflt);
/* Unix seconds from a number or an ISO-8601 string (either separator);
 * 0 when absent or unreadable. */
int64_t json_time(const cJSON *obj, const char *path);
/* Number of elements if the item at path is an array, else 0. */
size_t json_array_len(const cJSON *obj, const char *path);

/* Pretty-printed JSON (two-space indent); caller frees. */
char *json_pretty(const cJSON *item);
/* The same for an object without its top-level keys named in skip (nskip
 * of them), and with its "type" printed as type when that is not NULL:
 * an object as another service shows it, without copying it. */
char *json_pretty_except(const cJSON *obj, const char *const *skip,
                         size_t nskip, const char *type);
/* Wipes and deletes the string value of obj[key] (case-insensitive) if
 * present, so a secret never stays in ordinary memory or in a printout. */
void json_scrub(cJSON *obj, const char *key);

#endif
