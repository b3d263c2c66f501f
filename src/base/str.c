/*
 * str.c — string helpers shared by all layers (no locale dependence:
 * Azure names, URLs and header names are ASCII).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/str.h"
#include "base/xalloc.h"

static int
lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

bool
str_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

bool
str_ieq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    while (*a != '\0' && lower((unsigned char)*a) == lower((unsigned char)*b))
        a++, b++;
    return *a == '\0' && *b == '\0';
}

bool
str_starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_istarts(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool
str_iends(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

const char *
str_icontains(const char *hay, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return hay;
    for (; *hay != '\0'; hay++)
        if (strncasecmp(hay, needle, m) == 0)
            return hay;
    return NULL;
}

char *
str_trim(char *s)
{
    char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' ||
                     p[n - 1] == '\r'))
        n--;
    memmove(s, p, n);
    s[n] = '\0';
    return s;
}

char *
str_rstrip_slash(const char *s)
{
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '/')
        n--;
    return xstrndup(s, n);
}

char *
str_url_encode(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    struct buf b = BUF_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
            *p == '~') {
            buf_putc(&b, (char)*p);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_append(&b, esc, 3);
        }
    }
    return buf_steal(&b);
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *
str_url_decode(const char *s, size_t len)
{
    struct buf b = BUF_INIT;
    buf_reserve(&b, len);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%') {
            int h, l;
            if (i + 2 >= len || (h = hexval(s[i + 1])) < 0 ||
                (l = hexval(s[i + 2])) < 0) {
                buf_free(&b);
                return NULL;
            }
            buf_putc(&b, (char)(h * 16 + l));
            i += 2;
        } else if (s[i] == '+') {
            buf_putc(&b, ' ');
        } else {
            buf_putc(&b, s[i]);
        }
    }
    return buf_steal(&b);
}

static char *
base64_with(const void *data, size_t len, const char *alpha, bool pad)
{
    const unsigned char *in = data;
    struct buf b = BUF_INIT;
    buf_reserve(&b, (len + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < len; i += 3) {
        uint32_t v =
            (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        char q[4] = {alpha[v >> 18], alpha[(v >> 12) & 63],
                     alpha[(v >> 6) & 63], alpha[v & 63]};
        buf_append(&b, q, 4);
    }
    if (i < len) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)in[i + 1] << 8;
        buf_putc(&b, alpha[v >> 18]);
        buf_putc(&b, alpha[(v >> 12) & 63]);
        if (i + 1 < len)
            buf_putc(&b, alpha[(v >> 6) & 63]);
        else if (pad)
            buf_putc(&b, '=');
        if (pad)
            buf_putc(&b, '=');
    }
    return buf_steal(&b);
}

char *
str_base64(const void *data, size_t len)
{
    return base64_with(
        data, len,
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        true);
}

char *
str_base64url(const void *data, size_t len)
{
    return base64_with(
        data, len,
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        false);
}

static int
b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

bool
str_base64_decode(const char *s, size_t len, unsigned char **out,
                  size_t *out_len)
{
    while (len > 0 && s[len - 1] == '=')
        len--;
    if (len % 4 == 1)
        return false;
    unsigned char *o = xmalloc(len / 4 * 3 + 3 + 1);
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = b64val(s[i]);
        if (v < 0) {
            free(o);
            return false;
        }
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[n++] = (unsigned char)(acc >> bits);
        }
    }
    o[n] = '\0';
    *out = o;
    *out_len = n;
    return true;
}

bool
str_is_uuid(const char *s)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    for (int g = 0; g < 5; g++) {
        for (int i = 0; i < groups[g]; i++, s++)
            if (hexval(*s) < 0)
                return false;
        if (g < 4 && *s++ != '-')
            return false;
    }
    return *s == '\0';
}

size_t
str_utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (n == 0 || n > len || s[0] > 0xf4)
        return 0;
    uint32_t c = s[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0; /* overlong or a surrogate */
    *cp = c;
    return n;
}

char *
str_escape_ctl(const char *s)
{
    struct buf b = BUF_INIT;
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        uint32_t cp;
        size_t n;
        if (*p < 0x20 || *p == 0x7f) {
            buf_printf(&b, "\\x%02x", *p++);
        } else if (*p < 0x80) {
            buf_putc(&b, (char)*p++);
        } else if ((n = str_utf8_seq(p, 4, &cp)) == 0) {
            buf_printf(&b, "\\x%02x", *p++); /* not UTF-8: a byte */
        } else if (cp >= 0x80 && cp < 0xa0) {
            buf_printf(&b, "\\u%04x", (unsigned)cp); /* C1: CSI, OSC ... */
            p += n;
        } else {
            buf_append(&b, (const char *)p, n);
            p += n;
        }
    }
    return buf_steal(&b);
}

bool
str_format_args(char *out, size_t n, const char *fmt, const char *const *args,
                size_t nargs)
{
    size_t o = 0, k = 0;
    if (n == 0)
        return false;
    for (const char *f = fmt; *f != '\0'; f++) {
        const char *piece = f;
        size_t len = 1;
        if (*f == '%') {
            if (f[1] == '%') {
                f++;
            } else {
                size_t c = f[1] == 's'                     ? 1
                           : strncmp(f + 1, "lld", 3) == 0 ? 3
                                                           : 0;
                if (c == 0 || k == nargs)
                    return false;
                piece = args[k++];
                len = strlen(piece);
                f += c;
            }
        }
        if (o < n - 1) {
            size_t room = n - 1 - o;
            memcpy(out + o, piece, len < room ? len : room);
            o += len < room ? len : room;
        }
    }
    out[o] = '\0';
    return true;
}
