/*
 * memscan.h — searches this process's own memory for secrets, as someone
 * who can read it (a debugger, /proc/PID/mem, a core dump) would: every
 * readable mapping in /proc/self/maps, read through /proc/self/mem,
 * except secure memory (mappings marked MADV_DONTDUMP, the "dd" of
 * /proc/self/smaps' VmFlags: secmem.c's pages). Under AddressSanitizer
 * its shadow memory (terabytes, also "dd") is left out too; it holds
 * poisoning states, not data. ASan's own heap is scanned, quarantine
 * included: a block freed by wipe_free() sits there wiped, one freed
 * unwiped stays readable, so the scan is stricter there, not weaker.
 *
 * The needles live in secure memory (struct secret), and so does the
 * read buffer, so that the scan finds no copies of its own.
 *
 * Ownership: memscan_add() copies the bytes into secure memory;
 * memscan_free() wipes them.
 */
#ifndef KV_TESTS_MEMSCAN_H
#define KV_TESTS_MEMSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/secmem.h"

struct memscan_needle {
    const char *label;    /* "client secret (start)": static */
    struct secret *bytes; /* what to look for */
};

struct memscan {
    struct memscan_needle n[64];
    size_t count;
};

/* One hit: where a needle was found. */
struct memscan_hit {
    char label[64];
    char mapping[160]; /* its maps line's path or [heap], [stack] ... */
    unsigned long addr, start;
    char context[41]; /* with KV_MEMSCAN_CONTEXT set: the bytes before */
};

/* Adds len bytes of data as a needle (ignored past 64 needles or when
 * shorter than 12 bytes: too short to mean anything). */
void memscan_add(struct memscan *m, const char *label, const void *data,
                 size_t len);
/* Adds 16-byte pieces of s (one every 64 bytes, and the last) as needles,
 * so that a partial copy is found too, and the whole when not longer
 * than 200 bytes. */
void memscan_add_pieces(struct memscan *m, const char *label, const char *s,
                        size_t len);
/* Adds pieces of every JSON web token (three base64url parts) held in
 * secure memory: the access tokens the process keeps. Skips the common
 * header part. Returns how many tokens. */
size_t memscan_add_secure_jwts(struct memscan *m);
/* Scans every readable mapping outside secure memory; fills up to max
 * hits and returns how many there were. *scanned gets the bytes read,
 * *secure the bytes of secure memory left out (both may be NULL). */
size_t memscan_run(const struct memscan *m, struct memscan_hit *hits,
                   size_t max, size_t *scanned, size_t *secure);
void memscan_free(struct memscan *m);

/* Overwrites the stack below the caller (residue of earlier calls). */
void memscan_wipe_stack(void);

/* A fresh marker to hide and look for: len random lowercase letters in
 * secure memory (caller frees with secret_free). NULL when
 * /dev/urandom cannot be read. */
struct secret *memscan_marker(size_t len);
/* Hits of len bytes at piece outside secure memory and outside this
 * thread's stack (the heaps and every other mapping), each printed as a
 * TAP comment: what an allocator test asks (a test's own copies of a
 * marker on its stack are not the allocator's). */
size_t memscan_heap_hits(const void *piece, size_t len);

#endif
