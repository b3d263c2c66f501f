/*
 * wipealloc.c — malloc/free wrappers that wipe freed blocks (see
 * wipealloc.h).
 */
#include "config.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/secmem.h"
#include "base/wipealloc.h"

void *
wipe_malloc(size_t n)
{
    return malloc(n);
}

void *
wipe_calloc(size_t n, size_t size)
{
    return calloc(n, size);
}

void
wipe_free(void *p)
{
    if (p == NULL)
        return;
    /* Under ASan and valgrind the usable size is the size asked for;
     * with glibc it may be more, all of it ours. */
    secmem_wipe(p, malloc_usable_size(p));
    free(p);
}

void *
wipe_realloc(void *p, size_t n)
{
    if (p == NULL)
        return malloc(n);
    if (n == 0) {
        wipe_free(p);
        return NULL;
    }
    size_t have = malloc_usable_size(p);
    if (n <= have)
        return p; /* shrinking in place could free an unwiped tail */
    void *q = malloc(n);
    if (q == NULL)
        return NULL; /* p stays valid, as with realloc() */
    memcpy(q, p, have);
    wipe_free(p);
    return q;
}

char *
wipe_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

void *
wipe_malloc_fl(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return wipe_malloc(n);
}

void *
wipe_realloc_fl(void *p, size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return wipe_realloc(p, n);
}

void
wipe_free_fl(void *p, const char *file, int line)
{
    (void)file;
    (void)line;
    wipe_free(p);
}
