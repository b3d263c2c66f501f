/*
 * fuzz.h — what the libFuzzer targets of tests/fuzz share: the input as a
 * NUL-terminated copy (the parsers take C strings or text with a length;
 * an exactly sized malloc'd copy lets ASan see any read past the end),
 * and the first byte as a selector for targets that cover a family of
 * parsers.
 *
 * Ownership: fuzz_str() returns a malloc'd copy the target frees.
 * Targets never write files or use the network; every allocation they
 * cause must be freed (LeakSanitizer runs after each input).
 */
#ifndef KV_TESTS_FUZZ_H
#define KV_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of data[0..n) (caller frees). */
static inline char *
fuzz_str(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);

    if (s == NULL)
        abort();
    if (n > 0)
        memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

/* Takes the first byte as a selector (0 when the input is empty). */
static inline unsigned
fuzz_pick(const uint8_t **data, size_t *n)
{
    if (*n == 0)
        return 0;
    unsigned b = (*data)[0];
    (*data)++;
    (*n)--;
    return b;
}

/* A fixed "now" so that runs repeat (2026-01-01T00:00:00Z). */
#define FUZZ_NOW INT64_C(1767225600)

#endif
