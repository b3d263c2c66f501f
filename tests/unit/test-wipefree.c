/*
 * test-wipefree.c — the process-wide wiping free() (src/base/wipefree.c,
 * linked into kvdeck and into this test): a block that held a marker and
 * went back to glibc — by free(), by a realloc() that grew or shrank it,
 * by reallocarray(), or inside glibc itself (a FILE's buffer at fclose(),
 * vasprintf's growing buffer) — leaves the marker nowhere in the
 * process's readable memory outside secure memory; the same block given
 * to glibc's __libc_free() directly does (the control, showing the scan
 * sees freed memory). free() keeps errno. Built only where wipefree.c is
 * (not under the sanitizers, whose runtimes own free()).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/secmem.h"
#include "tests/tap.h"
#include "tests/tools/memscan.h"

extern void __libc_free(void *p);

#define MARK 96 /* bytes of marker: far more than malloc's free-list links */

/* A fresh marker of MARK letters, in secure memory. */
static struct secret *
marker(void)
{
    struct secret *m = memscan_marker(MARK);
    if (m == NULL) {
        printf("Bail out! cannot read /dev/urandom\n");
        exit(1);
    }
    return m;
}

/* Hits of m (its middle 32 bytes: a piece a freed block keeps whatever
 * the allocator writes at its start) outside secure memory and outside
 * this thread's stack: the allocator is about the heap, and under ASan
 * the test's own copies of the marker (memcpy, memcmp in main) leave
 * pieces in main's frame (test-secret-memory covers the stacks). */
static size_t
hits(const struct secret *m)
{
    return memscan_heap_hits(m->data + 32, 32);
}

/* Makes p's contents observable, so that they are really written. */
static void
escape(void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

int
main(void)
{
    struct secret *m = marker();
    char *p = malloc(MARK);
    memcpy(p, m->data, MARK);
    escape(p); /* or the compiler drops malloc, memcpy and free */
    __libc_free(p);
    ok(hits(m) > 0, "control: a block given to __libc_free keeps the marker");
    secret_free(m);

    m = marker();
    p = malloc(MARK);
    memcpy(p, m->data, MARK);
    escape(p);
    errno = 42;
    free(p);
    is_int(errno, 42, "free keeps errno");
    is_int(hits(m), 0, "free: the marker is gone");
    secret_free(m);

    m = marker();
    p = malloc(MARK);
    memcpy(p, m->data, MARK);
    char *q = p;
    for (size_t n = 2 * MARK; n <= 1u << 20; n *= 4) /* heap, then mmap */
        q = realloc(q, n);
    ok(q != NULL && memcmp(q, m->data, MARK) == 0,
       "a growing realloc keeps it");
    is_int(hits(m), 1, "and leaves no copy but the live block");
    free(q);
    is_int(hits(m), 0, "which free wipes");
    secret_free(m);

    m = marker();
    p = malloc(4096);
    memcpy(p + 2048, m->data, MARK);
    q = realloc(p, 100); /* to less than half: a new block */
    escape(q);
    is_int(hits(m), 0, "a shrinking realloc wipes the tail it drops");
    q = realloc(q, 80); /* a little: in place */
    ok(q != NULL, "a little shrink");
    free(q);
    secret_free(m);

    m = marker();
    p = calloc(1, MARK);
    memcpy(p, m->data, MARK);
    q = reallocarray(p, 1024, 64);
    ok(q != NULL && memcmp(q, m->data, MARK) == 0, "reallocarray moves it");
    free(q);
    errno = 0;
    volatile size_t huge = (size_t)-1; /* not a constant the compiler sees */
    ok(reallocarray(NULL, huge, 2) == NULL && errno == ENOMEM,
       "reallocarray refuses an overflow");
    is_int(hits(m), 0, "reallocarray: no copy left");
    secret_free(m);

    /* glibc's own blocks: a FILE's buffer (freed inside fclose) */
    m = marker();
    FILE *f = fopen("/dev/null", "w");
    ok(f != NULL && setvbuf(f, NULL, _IOFBF, 8192) == 0, "a buffered FILE");
    fwrite(m->data, 1, MARK, f);
    fclose(f);
    is_int(hits(m), 0, "fclose: its buffer is wiped");
    secret_free(m);

    /* and vasprintf's buffer, which grows inside glibc */
    m = marker();
    char *s = NULL;
    int n = asprintf(&s, "%.*s%4000s", MARK, m->data, "");
    ok(n == MARK + 4000, "asprintf grew its buffer");
    free(s);
    is_int(hits(m), 0, "asprintf: neither its first buffer nor the result");
    secret_free(m);
    return tap_done();
}
