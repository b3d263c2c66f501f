/*
 * wipealloc.h — an allocator family that wipes every block before it
 * goes back to the C library: the memory functions handed to libcurl
 * (curl_global_init_mem), OpenSSL (CRYPTO_set_mem_functions) and cJSON
 * (cJSON_InitHooks), so that a request body, an Authorization header, a
 * TLS record or a parsed token answer that passed through their heaps is
 * zeroed when they free it, not left for anyone who reads the process.
 *
 * The blocks are ordinary malloc() blocks: a block from wipe_malloc() may
 * be given to free() and a malloc() block to wipe_free(), so the hooks
 * may be installed after the libraries allocated (only OpenSSL refuses
 * that). wipe_free() zeroes malloc_usable_size() bytes; wipe_realloc()
 * never leaves an old block unwiped (it moves the data itself rather
 * than letting realloc() free the old block).
 *
 * Threading: every function is thread-safe (the C library's allocator is;
 * there is no state here). Ownership: as malloc/free.
 */
#ifndef KV_BASE_WIPEALLOC_H
#define KV_BASE_WIPEALLOC_H

#include <stddef.h>

void *wipe_malloc(size_t n);
void *wipe_calloc(size_t n, size_t size);
/* p NULL: wipe_malloc(n); n 0: wipe_free(p) and NULL. A block that must
 * grow is copied into a new one and the old one wiped and freed. */
void *wipe_realloc(void *p, size_t n);
char *wipe_strdup(const char *s);
/* Zeroes the whole block (its usable size) and frees it; NULL is fine. */
void wipe_free(void *p);

/* The same with OpenSSL's (file, line) signature (CRYPTO_set_mem_functions)
 * without base/ depending on OpenSSL. */
void *wipe_malloc_fl(size_t n, const char *file, int line);
void *wipe_realloc_fl(void *p, size_t n, const char *file, int line);
void wipe_free_fl(void *p, const char *file, int line);

#endif
