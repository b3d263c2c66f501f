/*
 * generate.h — new secret values from OpenSSL's CSPRNG (RAND_bytes),
 * written straight into secure memory.
 *
 * A spec is one of
 *   hex:N        N random bytes as 2N lower-case hex digits
 *   base64url:N  N random bytes, base64url without padding
 *   alnum:N      N characters of [A-Za-z0-9]
 *   digits:N     N characters of [0-9]
 * or a template: literal text with placeholders {N:KIND}, KIND one of
 * hex, base64url, alnum, digits, N meaning the same as above (bytes for
 * hex and base64url, characters for alnum and digits), e.g.
 * "sk-{48:alnum}" or "{8:hex}-{4:digits}". "{{" and "}}" are literal
 * braces. A template needs at least one placeholder (a value with no
 * random part is refused, which also catches "hexa:32").
 *
 * Characters are drawn without bias: a random byte is used only when it
 * falls below the largest multiple of the alphabet's size (rejection
 * sampling), never reduced modulo the size directly.
 *
 * Limits: every N is at least 1; the whole value at most
 * AZ_GENERATE_MAX bytes (Key Vault's value limit). Every malformed spec
 * is refused with a message naming the offending part.
 *
 * Ownership: *out (secure memory) is the caller's, freed with
 * secret_free(); *why, on failure, is the caller's (free()). Random bytes
 * pass through small stack buffers only, wiped after use.
 */
#ifndef KV_AZURE_GENERATE_H
#define KV_AZURE_GENERATE_H

#include <stddef.h>

#include "base/secmem.h"
#include "base/status.h"

#define AZ_GENERATE_MAX 25000

/* Makes a value from spec: KV_OK and *out, or KV_ERR_INVALID (a bad
 * spec) / KV_ERR_INTERNAL (the random generator failed) and *why. */
enum kv_status az_generate_value(const char *spec, struct secret **out,
                                 char **why);
/* Checks spec without generating; *length (may be NULL) is the length of
 * the values it makes. */
enum kv_status az_generate_check(const char *spec, size_t *length, char **why);

#endif
