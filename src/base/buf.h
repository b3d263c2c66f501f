/*
 * buf.h — growable byte buffer, always NUL-terminated.
 *
 * A struct buf is owned by whoever declares it; buf_free() releases the
 * storage. buf_steal() hands the storage to the caller (free() it) and
 * leaves the buffer empty. Never use a buf for secret values: it is not
 * wiped; use base/secmem.h.
 */
#ifndef KV_BASE_BUF_H
#define KV_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
    char *data; /* NUL-terminated when cap > 0; may be NULL when empty */
    size_t len;
    size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
/* buf_puts() inline, for text put together from many pieces on every
 * key press (the breadcrumb, the detail summary). */
static inline void
buf_puts_inline(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n >= b->cap)
        buf_reserve(b, n + 256);
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Returns the string ("" when empty); valid until the next change. */
const char *buf_str(const struct buf *b);
/* Returns the malloc'd string (never NULL) and empties the buffer. */
char *buf_steal(struct buf *b);

#endif
