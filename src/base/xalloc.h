/*
 * xalloc.h — checked allocation: out-of-memory aborts with a message.
 *
 * Every pointer returned here is owned by the caller and released with
 * free(). Nothing here ever returns NULL (xmalloc(0) returns a unique
 * pointer), so callers need no error path for allocation.
 */
#ifndef KV_BASE_XALLOC_H
#define KV_BASE_XALLOC_H

#include <stddef.h>
#include <stdarg.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of nmemb elements of size bytes, checking for overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

#endif
