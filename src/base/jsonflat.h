/*
 * jsonflat.h — the smallest JSON the journal needs, without a JSON
 * library (base/ depends on nothing): writing string values with JSON
 * escaping, and reading one flat object ({"k":"v","n":12,"x":null}) into
 * key/value pairs. Nested objects and arrays are refused.
 *
 * Ownership: jsonflat_parse() fills pairs with malloc'd strings; the
 * caller frees them with jsonflat_free().
 */
#ifndef KV_BASE_JSONFLAT_H
#define KV_BASE_JSONFLAT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* Appends s as a JSON string (quoted, escaped) or null when s is NULL. */
void jsonflat_put_string(struct buf *b, const char *s);

struct jsonflat_pair {
    char *key;
    char *value; /* strings unescaped; numbers and true/false as written;
                    NULL for null */
};

struct jsonflat {
    size_t n;
    struct jsonflat_pair *pairs;
};

/* Parses one flat object from text (len bytes). False when it is not
 * one (out is then empty). */
bool jsonflat_parse(const char *text, size_t len, struct jsonflat *out);
/* The value of key, or NULL (absent or null). */
const char *jsonflat_get(const struct jsonflat *o, const char *key);
void jsonflat_free(struct jsonflat *o);

#endif
