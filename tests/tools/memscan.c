/*
 * memscan.c — this process's memory searched for secrets outside secure
 * memory (memscan.h).
 */
#include "config.h"

#define _FILE_OFFSET_BITS 64

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/secmem.h"
#include "tests/tools/memscan.h"

#define CHUNK           (1u << 20)
#define MAX_NEEDLE      200
#define MAX_SECURE_SCAN (64ul << 20) /* larger "dd" maps: sanitizer shadow */

struct mapping {
    unsigned long start, end;
    bool readable, secure;
    char path[160];
};

void
memscan_add(struct memscan *m, const char *label, const void *data, size_t len)
{
    if (m->count >= sizeof m->n / sizeof m->n[0] || len < 12 ||
        len > MAX_NEEDLE)
        return;
    for (size_t i = 0; i < m->count; i++)
        if (m->n[i].bytes->len == len &&
            memcmp(m->n[i].bytes->data, data, len) == 0)
            return;
    m->n[m->count].label = label;
    m->n[m->count].bytes = secret_dup(data, len);
    m->count++;
}

void
memscan_add_pieces(struct memscan *m, const char *label, const char *s,
                   size_t len)
{
    if (len <= MAX_NEEDLE)
        memscan_add(m, label, s, len);
    if (len < 32)
        return;
    /* a piece every 64 bytes (so that a copy of any 80 bytes is found),
     * and the last 16 */
    for (size_t at = 0; at + 16 <= len; at += 64)
        memscan_add(m, label, s + at, 16);
    memscan_add(m, label, s + len - 16, 16);
}

/* The mappings of /proc/self/smaps, with their VmFlags; NULL on failure.
 * Read with stdio: nothing secret passes through its buffer. */
static struct mapping *
read_maps(size_t *count)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (f == NULL)
        return NULL;
    size_t n = 0, cap = 256;
    struct mapping *v = calloc(cap, sizeof *v);
    char line[512];
    while (v != NULL && fgets(line, sizeof line, f) != NULL) {
        unsigned long a, b;
        char perms[8];
        int off = 0;
        /* a mapping's line; its fields ("Rss:", "AnonHugePages:") do
         * not scan as START-END PERMS */
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s%n", &a, &b, perms, &off) ==
            3) {
            if (n == cap) {
                struct mapping *w = realloc(v, 2 * cap * sizeof *v);
                if (w == NULL)
                    break;
                v = w;
                cap *= 2;
            }
            struct mapping *mp = &v[n++];
            memset(mp, 0, sizeof *mp);
            mp->start = a;
            mp->end = b;
            mp->readable = perms[0] == 'r';
            const char *p = line + off;
            while (*p == ' ')
                p++;
            snprintf(mp->path, sizeof mp->path, "%.*s", (int)strcspn(p, "\n"),
                     *p != '\0' ? p : "");
            if (mp->path[0] == '\0')
                snprintf(mp->path, sizeof mp->path, "[anonymous]");
        } else if (n > 0 && strncmp(line, "VmFlags:", 8) == 0) {
            v[n - 1].secure = strstr(line, " dd") != NULL;
        }
    }
    fclose(f);
    *count = n;
    return v;
}

/* Calls fn on each chunk of [start, end) read from /proc/self/mem into
 * buf (secure memory), chunks overlapping by MAX_NEEDLE bytes. */
static size_t
read_range(int fd, struct secret *buf, unsigned long start, unsigned long end,
           void (*fn)(void *ud, const char *p, size_t n, unsigned long at),
           void *ud)
{
    size_t total = 0;
    unsigned long at = start;
    while (at < end) {
        size_t want = end - at < CHUNK ? end - at : CHUNK;
        ssize_t got = pread(fd, buf->data, want, (off_t)at);
        if (got <= 0)
            break; /* [vvar] and the like cannot be read */
        fn(ud, buf->data, (size_t)got, at);
        total += (size_t)got;
        if ((size_t)got < want || at + (size_t)got >= end)
            break;
        at += (size_t)got - MAX_NEEDLE;
    }
    return total;
}

static bool
b64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Adds the tokens of one chunk of secure memory. */
struct jwts {
    struct memscan *m;
    size_t tokens; /* distinct ones */
};

static void
jwt_chunk(void *ud, const char *p, size_t n, unsigned long at)
{
    struct jwts *t = ud;
    (void)at;
    for (size_t i = 0; i + 3 < n; i++) {
        if (memcmp(p + i, "eyJ", 3) != 0 || (i > 0 && b64url(p[i - 1])))
            continue;
        size_t j = i, dots = 0, dot1 = 0;
        while (j < n && (b64url(p[j]) || p[j] == '.')) {
            if (p[j] == '.' && dots++ == 0)
                dot1 = j;
            j++;
        }
        if (dots == 2 && j - i > 100 && j < n) {
            /* payload and signature: the header is the same in all */
            size_t before = t->m->count;
            memscan_add_pieces(t->m, "access token", p + dot1 + 1,
                               j - dot1 - 1);
            if (t->m->count > before)
                t->tokens++;
            i = j;
        }
    }
}

size_t
memscan_add_secure_jwts(struct memscan *m)
{
    size_t count = 0;
    struct jwts t = {.m = m};
    struct mapping *v = read_maps(&count);
    int fd = open("/proc/self/mem", O_RDONLY);
    struct secret *buf = secret_new(CHUNK);
    for (size_t i = 0; v != NULL && fd >= 0 && i < count; i++)
        if (v[i].secure && v[i].readable &&
            v[i].end - v[i].start <= MAX_SECURE_SCAN)
            read_range(fd, buf, v[i].start, v[i].end, jwt_chunk, &t);
    secret_free(buf);
    if (fd >= 0)
        close(fd);
    free(v);
    /* the search's own residue: under TSan a piece of a token was left
     * in the frames below this one (found when the stack had been wiped
     * just before this call) */
    memscan_wipe_stack();
    return t.tokens;
}

struct run {
    const struct memscan *m;
    const struct mapping *mp;
    struct memscan_hit *hits;
    size_t max, nhits;
    unsigned long seen; /* bit i: needle i already hit in this mapping */
};

static void
scan_chunk(void *ud, const char *p, size_t n, unsigned long at)
{
    struct run *r = ud;
    for (size_t i = 0; i < r->m->count; i++) {
        const struct secret *s = r->m->n[i].bytes;
        const char *hit = memmem(p, n, s->data, s->len);
        if (hit == NULL || (r->seen & (1ul << i)))
            continue;
        r->seen |= 1ul << i;
        if (r->nhits < r->max) {
            struct memscan_hit *h = &r->hits[r->nhits];
            snprintf(h->label, sizeof h->label, "%s", r->m->n[i].label);
            snprintf(h->mapping, sizeof h->mapping, "%s", r->mp->path);
            h->addr = at + (unsigned long)(hit - p);
            h->start = r->mp->start;
            /* what precedes it (debugging only: may hold other secrets) */
            size_t back = (size_t)(hit - p) < 40 ? (size_t)(hit - p) : 40;
            if (getenv("KV_MEMSCAN_CONTEXT") == NULL)
                back = 0;
            for (size_t k = 0; k < back; k++) {
                char c = hit[(ptrdiff_t)k - (ptrdiff_t)back];
                h->context[k] = c >= 32 && c < 127 ? c : '.';
            }
            h->context[back] = '\0';
        }
        r->nhits++;
    }
}

size_t
memscan_run(const struct memscan *m, struct memscan_hit *hits, size_t max,
            size_t *scanned, size_t *secure)
{
    size_t count = 0, total = 0, locked = 0;
    struct mapping *v = read_maps(&count);
    int fd = open("/proc/self/mem", O_RDONLY);
    struct secret *buf = secret_new(CHUNK);
    struct run r = {.m = m, .hits = hits, .max = max};
    for (size_t i = 0; v != NULL && fd >= 0 && i < count; i++) {
        if (!v[i].readable)
            continue;
        if (v[i].secure) {
            if (v[i].end - v[i].start <= MAX_SECURE_SCAN) /* not shadow */
                locked += v[i].end - v[i].start;
            continue;
        }
        /* the read buffer's own pages are secure: never scanned */
        r.mp = &v[i];
        r.seen = 0;
        total += read_range(fd, buf, v[i].start, v[i].end, scan_chunk, &r);
    }
    secret_free(buf);
    if (fd >= 0)
        close(fd);
    free(v);
    if (scanned != NULL)
        *scanned = total;
    if (secure != NULL)
        *secure = locked;
    return r.nhits;
}

void
memscan_free(struct memscan *m)
{
    for (size_t i = 0; i < m->count; i++)
        secret_free(m->n[i].bytes);
    m->count = 0;
}

void
memscan_wipe_stack(void)
{
    volatile char pad[64 * 1024];
    secmem_wipe((void *)pad, sizeof pad);
}

struct secret *
memscan_marker(size_t len)
{
    struct secret *raw = secret_new(len), *m = secret_new(len);
    int fd = open("/dev/urandom", O_RDONLY);
    bool got = fd >= 0 && read(fd, raw->data, len) == (ssize_t)len;
    if (fd >= 0)
        close(fd);
    for (size_t i = 0; got && i < len; i++) {
        char c = (char)('a' + (unsigned char)raw->data[i] % 26);
        secret_append(m, &c, 1);
    }
    secret_free(raw);
    if (!got) {
        secret_free(m);
        return NULL;
    }
    return m;
}

size_t
memscan_heap_hits(const void *piece, size_t len)
{
    struct memscan s = {0};
    struct memscan_hit h[8];
    memscan_add(&s, "marker", piece, len);
    size_t n = memscan_run(&s, h, 8, NULL, NULL), heap = 0;
    for (size_t i = 0; i < n && i < 8; i++) {
        unsigned long here = (unsigned long)&s; /* on this stack */
        unsigned long d =
            h[i].addr > here ? h[i].addr - here : here - h[i].addr;
        if (strcmp(h[i].mapping, "[stack]") == 0 || d < (8ul << 20))
            continue; /* (valgrind's main stack has no name) */
        printf("#   found at %#lx: %s +%#lx\n", h[i].addr, h[i].mapping,
               h[i].addr - h[i].start);
        heap++;
    }
    memscan_free(&s);
    return heap;
}
