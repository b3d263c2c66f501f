/*
 * secmem.h — secure memory for secret values.
 *
 * A struct secret holds a value in its own pages, locked into RAM
 * (mlock, so it is never swapped), excluded from core dumps
 * (MADV_DONTDUMP), and wiped before the pages are returned. The value is
 * always NUL-terminated so it can be handed to APIs that want a string.
 *
 * Ownership: secret_new()/secret_dup() return a secret the caller frees
 * with secret_free(), which wipes it. Pushing a secret onto a queue hands
 * it over. Never copy s->data into ordinary memory (buf, xstrdup, log).
 */
#ifndef KV_BASE_SECMEM_H
#define KV_BASE_SECMEM_H

#include <stdbool.h>
#include <stddef.h>

struct secret {
    char *data;  /* NUL-terminated value, len bytes */
    size_t len;  /* bytes in use */
    size_t cap;  /* usable bytes (excludes the NUL) */
    bool locked; /* mlock succeeded (false: RLIMIT_MEMLOCK too low) */
};

/* An empty secret with room for cap bytes. Never NULL. */
struct secret *secret_new(size_t cap);
/* A secret holding a copy of len bytes at data. Never NULL. */
struct secret *secret_dup(const void *data, size_t len);
/* Appends; returns false (and changes nothing) when cap would overflow. */
bool secret_append(struct secret *s, const void *data, size_t len);
/* Wipes and releases; NULL is fine. */
void secret_free(struct secret *s);
/* Overwrites n bytes at p with zeros in a way the compiler cannot drop. */
void secmem_wipe(void *p, size_t n);
/* Constant-time comparison of two buffers of equal length. */
bool secmem_equal(const void *a, const void *b, size_t n);
/* Disables core dumps and ptrace attach for this process (call first
 * thing in main). Returns false if either could not be set. */
bool secmem_harden_process(void);

#endif
