/*
 * secmem.c — locked, dump-excluded, wiped-on-free storage for secret
 * values, and the process hardening kvdeck applies at start-up.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#if HAVE_SYS_PRCTL_H
#include <sys/prctl.h>
#endif

#include "base/secmem.h"
#include "base/xalloc.h"

struct secret *
secret_new(size_t cap)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (cap > SIZE_MAX - page)
        abort();
    size_t bytes = (cap + 1 + page - 1) / page * page;
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "kvdeck: cannot map secure memory\n");
        abort();
    }
#ifdef MADV_DONTDUMP
    madvise(p, bytes, MADV_DONTDUMP);
#endif
    struct secret *s = xmalloc(sizeof *s);
    s->data = p;
    s->len = 0;
    s->cap = bytes - 1;
    s->locked = mlock(p, bytes) == 0;
    s->data[0] = '\0';
    return s;
}

struct secret *
secret_dup(const void *data, size_t len)
{
    struct secret *s = secret_new(len);
    secret_append(s, data, len);
    return s;
}

bool
secret_append(struct secret *s, const void *data, size_t len)
{
    if (len > s->cap - s->len)
        return false;
    memcpy(s->data + s->len, data, len);
    s->len += len;
    s->data[s->len] = '\0';
    return true;
}

void
secmem_wipe(void *p, size_t n)
{
    if (p == NULL || n == 0)
        return;
#if HAVE_EXPLICIT_BZERO
    explicit_bzero(p, n);
#else
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
#endif
}

bool
secmem_equal(const void *a, const void *b, size_t n)
{
    const volatile unsigned char *x = a, *y = b;
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)(x[i] ^ y[i]);
    return d == 0;
}

void
secret_free(struct secret *s)
{
    if (s == NULL)
        return;
    size_t bytes = s->cap + 1;
    secmem_wipe(s->data, bytes);
    if (s->locked)
        munlock(s->data, bytes);
    munmap(s->data, bytes);
    secmem_wipe(s, sizeof *s);
    free(s);
}

bool
secmem_harden_process(void)
{
    bool ok = true;
    struct rlimit rl = {0, 0};
    if (setrlimit(RLIMIT_CORE, &rl) != 0)
        ok = false;
    /* LeakSanitizer needs to ptrace the process at exit, which a
     * non-dumpable process forbids; sanitizer builds keep core dumps off
     * through the rlimit alone. */
#if HAVE_SYS_PRCTL_H && defined(PR_SET_DUMPABLE) && !defined(KV_SANITIZED)
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        ok = false;
#endif
    return ok;
}
