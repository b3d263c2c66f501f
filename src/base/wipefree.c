/*
 * wipefree.c — process-wide: every heap block is zeroed before it goes
 * back to glibc. Linked into the kvdeck program (and the tests that prove
 * it), it interposes malloc's family and delegates to glibc's own
 * allocator (__libc_malloc, __libc_free, ...), so a buffer of a library
 * kvdeck cannot hook — nghttp2's HPACK tables and frame buffers (which
 * hold "authorization: Bearer ..." and the bodies of an HTTP/2 exchange),
 * glibc's stdio buffers, getaddrinfo's, a decompressor's — is wiped when
 * freed like the ones libcurl, OpenSSL and cJSON hand to wipealloc.c.
 *
 * glibc's "Replacing malloc" rules, kept: malloc, free, calloc and
 * realloc are replaced together (and reallocarray, which glibc may run
 * without calling realloc); every block still comes from glibc, so its
 * memalign, posix_memalign, aligned_alloc, valloc, pvalloc and
 * malloc_usable_size stay valid and are not replaced. free() zeroes
 * malloc_usable_size() bytes first. realloc() never lets glibc free an
 * old block unwiped: a block that must grow is copied into a new one by
 * hand; one that shrinks to less than half its size likewise (so a large
 * block's unwiped tail is not split off), otherwise it stays as it is.
 * Thread-safe: no state here; glibc's allocator is.
 *
 * Not built under --enable-sanitizers, --enable-tsan or --enable-fuzzing
 * (automake conditional WIPEFREE): the sanitizer runtimes interpose
 * malloc and free themselves, and their quarantine keeps freed blocks
 * poisoned. Under valgrind, whose preload replaces both free() here and
 * __libc_free(), the blocks are freed unwiped but correctly.
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/secmem.h"

/* glibc's allocator under its own names (exported by libc.so.6). */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void __libc_free(void *p);

void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void *reallocarray(void *p, size_t n, size_t size);
void free(void *p);

void *
malloc(size_t n)
{
    return __libc_malloc(n);
}

void *
calloc(size_t n, size_t size)
{
    return __libc_calloc(n, size);
}

void
free(void *p)
{
    if (p == NULL)
        return;
    int saved = errno; /* free() must not change errno (POSIX 2024) */
    secmem_wipe(p, malloc_usable_size(p));
    __libc_free(p);
    errno = saved;
}

void *
realloc(void *p, size_t n)
{
    if (p == NULL)
        return __libc_malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    size_t have = malloc_usable_size(p);
    if (n <= have && n >= have / 2)
        return p;
    void *q = __libc_malloc(n);
    if (q == NULL)
        return NULL; /* p stays valid, as with realloc() */
    memcpy(q, p, n < have ? n : have);
    free(p);
    return q;
}

void *
reallocarray(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, n * size);
}
