/*
 * generate.h — new secret values for the front ends (--generate SPEC,
 * the console's "generate" field), so cli/ and tui/ need not include
 * azure/. The spec language is azure/generate.h's: hex:N, base64url:N,
 * alnum:N, digits:N, or a template such as "sk-{48:alnum}".
 *
 * Ownership: *out (secure memory) is the caller's, freed with
 * secret_free(); *why on failure is the caller's (free()).
 */
#ifndef KV_ENGINE_GENERATE_H
#define KV_ENGINE_GENERATE_H

#include <stddef.h>

#include "base/secmem.h"
#include "base/status.h"

/* A value from spec; KV_ERR_INVALID with *why for a bad spec. */
enum kv_status engine_generate_value(const char *spec, struct secret **out,
                                     char **why);
/* Checks spec without generating; *length (may be NULL) gets the length
 * of the values it makes. */
enum kv_status engine_generate_check(const char *spec, size_t *length,
                                     char **why);

#endif
