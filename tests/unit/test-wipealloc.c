/*
 * test-wipealloc.c — the wiping allocator (base/wipealloc.h) and its
 * installation into OpenSSL and cJSON (az_http_global_init): a block
 * that held a marker and was freed (by wipe_free, by wipe_realloc when it
 * grew, by OPENSSL_free, by cJSON_Delete) leaves the marker nowhere in
 * the process's readable memory outside secure memory; the same block
 * freed with plain free() does (the control, showing the scan sees freed
 * memory). The marker is random and lives in secure memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "azure/http.h"
#include "azure/json.h"
#include "base/secmem.h"
#include "base/wipealloc.h"
#include "tests/tap.h"
#include "tests/tools/memscan.h"

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
    ok(az_http_global_init(), "OpenSSL took the wiping functions");

    struct secret *m = marker();
    char *p = malloc(MARK);
    memcpy(p, m->data, MARK);
    escape(p); /* or the compiler drops malloc, memcpy and free */
    free(p);
    ok(hits(m) > 0, "control: a block freed with free() keeps the marker");
    secret_free(m);

    m = marker();
    p = wipe_malloc(MARK);
    memcpy(p, m->data, MARK);
    wipe_free(p);
    is_int(hits(m), 0, "wipe_free: the marker is gone");
    secret_free(m);

    m = marker();
    p = wipe_malloc(MARK);
    memcpy(p, m->data, MARK);
    char *q = wipe_realloc(p, 64 * 1024); /* must move */
    ok(q != NULL && memcmp(q, m->data, MARK) == 0, "wipe_realloc keeps it");
    wipe_free(q);
    is_int(hits(m), 0, "wipe_realloc: neither the old block nor the new");
    secret_free(m);

    m = marker();
    p = wipe_malloc(MARK);
    memcpy(p, m->data, MARK);
    q = wipe_realloc(p, 10); /* shrinks in place: nothing freed unwiped */
    ok(q == p, "a shrinking wipe_realloc keeps the block");
    wipe_free(q);
    is_int(hits(m), 0, "and wipes all of it when freed");
    secret_free(m);

    m = marker();
    p = OPENSSL_malloc(MARK);
    memcpy(p, m->data, MARK);
    OPENSSL_free(p);
    is_int(hits(m), 0, "OPENSSL_free wipes");
    secret_free(m);

    m = marker();
    struct secret *json = secret_new(MARK + 64);
    secret_append(json, "{\"access_token\":\"", 17);
    secret_append(json, m->data, MARK);
    secret_append(json, "\"}", 2);
    cJSON *root = json_parse(json->data, json->len, "a token answer", NULL);
    ok(root != NULL && json_str(root, "access_token") != NULL,
       "cJSON parsed a token answer");
    cJSON_Delete(root); /* without json_scrub: the hooks wipe */
    secret_free(json);
    is_int(hits(m), 0, "cJSON_Delete wipes the token's string");
    secret_free(m);
    return tap_done();
}
