/*
 * jsonflat.c — JSON string escaping and a parser for one flat object
 * (see jsonflat.h). Strict: anything but an object of string, number,
 * true/false/null values is refused, so a damaged journal line is
 * skipped rather than half read.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonflat.h"
#include "base/xalloc.h"

void
jsonflat_put_string(struct buf *b, const char *s)
{
    if (s == NULL) {
        buf_puts(b, "null");
        return;
    }
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            buf_puts(b, "\\\"");
            break;
        case '\\':
            buf_puts(b, "\\\\");
            break;
        case '\n':
            buf_puts(b, "\\n");
            break;
        case '\r':
            buf_puts(b, "\\r");
            break;
        case '\t':
            buf_puts(b, "\\t");
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                buf_printf(b, "\\u%04x", *p);
            else
                buf_putc(b, (char)*p);
        }
    }
    buf_putc(b, '"');
}

struct cur {
    const char *p, *end;
};

static void
ws(struct cur *c)
{
    while (c->p < c->end &&
           (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int
hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Appends code point cp as UTF-8. */
static void
put_utf8(struct buf *b, uint32_t cp)
{
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        buf_putc(b, (char)(0xc0 | (cp >> 6)));
        buf_putc(b, (char)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        buf_putc(b, (char)(0xe0 | (cp >> 12)));
        buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
        buf_putc(b, (char)(0x80 | (cp & 0x3f)));
    } else {
        buf_putc(b, (char)(0xf0 | (cp >> 18)));
        buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
        buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
        buf_putc(b, (char)(0x80 | (cp & 0x3f)));
    }
}

static bool
hex4(struct cur *c, uint32_t *out)
{
    if (c->end - c->p < 4)
        return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(c->p[i]);
        if (h < 0)
            return false;
        v = v << 4 | (uint32_t)h;
    }
    c->p += 4;
    *out = v;
    return true;
}

/* A string at c->p (the opening quote); its unescaped text, or NULL. */
static char *
string(struct cur *c)
{
    if (c->p >= c->end || *c->p != '"')
        return NULL;
    c->p++;
    struct buf b = BUF_INIT;
    buf_puts(&b, "");
    while (c->p < c->end && *c->p != '"') {
        unsigned char ch = (unsigned char)*c->p++;
        if (ch < 0x20)
            goto bad;
        if (ch != '\\') {
            buf_putc(&b, (char)ch);
            continue;
        }
        if (c->p >= c->end)
            goto bad;
        char e = *c->p++;
        uint32_t cp, lo;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            buf_putc(&b, e);
            break;
        case 'b':
            buf_putc(&b, '\b');
            break;
        case 'f':
            buf_putc(&b, '\f');
            break;
        case 'n':
            buf_putc(&b, '\n');
            break;
        case 'r':
            buf_putc(&b, '\r');
            break;
        case 't':
            buf_putc(&b, '\t');
            break;
        case 'u':
            if (!hex4(c, &cp))
                goto bad;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u')
                    goto bad;
                c->p += 2;
                if (!hex4(c, &lo) || lo < 0xdc00 || lo > 0xdfff)
                    goto bad;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                goto bad;
            }
            if (cp == 0)
                goto bad; /* no NUL inside our strings */
            put_utf8(&b, cp);
            break;
        default:
            goto bad;
        }
    }
    if (c->p >= c->end)
        goto bad;
    c->p++; /* closing quote */
    return buf_steal(&b);
bad:
    buf_free(&b);
    return NULL;
}

/* A number, true, false or null; its text (NULL text for null) in *out.
 * Returns false when it is none of them. */
static bool
scalar(struct cur *c, char **out)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(c->end - c->p) >= n && memcmp(c->p, words[i], n) == 0) {
            c->p += n;
            *out = i < 2 ? xstrdup(words[i]) : NULL;
            return true;
        }
    }
    const char *s = c->p;
    if (c->p < c->end && *c->p == '-')
        c->p++;
    const char *digits = c->p;
    while (c->p < c->end && ((*c->p >= '0' && *c->p <= '9') || *c->p == '.' ||
                             *c->p == 'e' || *c->p == 'E' || *c->p == '+' ||
                             *c->p == '-'))
        c->p++;
    if (c->p == digits || !(*digits >= '0' && *digits <= '9'))
        return false;
    *out = xstrndup(s, (size_t)(c->p - s));
    return true;
}

bool
jsonflat_parse(const char *text, size_t len, struct jsonflat *out)
{
    struct cur c = {text, text + len};
    memset(out, 0, sizeof *out);
    ws(&c);
    if (c.p >= c.end || *c.p != '{')
        return false;
    c.p++;
    ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
        goto end;
    }
    for (;;) {
        ws(&c);
        char *key = string(&c), *val = NULL;
        if (key == NULL)
            goto bad;
        ws(&c);
        if (c.p >= c.end || *c.p != ':') {
            free(key);
            goto bad;
        }
        c.p++;
        ws(&c);
        if (c.p < c.end && *c.p == '"') {
            val = string(&c);
            if (val == NULL) {
                free(key);
                goto bad;
            }
        } else if (!scalar(&c, &val)) {
            free(key);
            goto bad;
        }
        out->pairs = xreallocarray(out->pairs, out->n + 1, sizeof *out->pairs);
        out->pairs[out->n].key = key;
        out->pairs[out->n].value = val;
        out->n++;
        ws(&c);
        if (c.p < c.end && *c.p == ',') {
            c.p++;
            continue;
        }
        if (c.p < c.end && *c.p == '}') {
            c.p++;
            break;
        }
        goto bad;
    }
end:
    ws(&c);
    if (c.p == c.end)
        return true;
bad:
    jsonflat_free(out);
    return false;
}

const char *
jsonflat_get(const struct jsonflat *o, const char *key)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->pairs[i].key, key) == 0)
            return o->pairs[i].value;
    return NULL;
}

void
jsonflat_free(struct jsonflat *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->pairs[i].key);
        free(o->pairs[i].value);
    }
    free(o->pairs);
    memset(o, 0, sizeof *o);
}
