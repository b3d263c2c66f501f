/*
 * generate.c — random secret values from specs (see generate.h). The
 * spec is parsed twice: once to check it and measure the value, once to
 * write the value into a secret of exactly that size.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "azure/generate.h"
#include "base/i18n.h"
#include "base/xalloc.h"

enum kind { K_HEX, K_BASE64URL, K_ALNUM, K_DIGITS };

static const struct {
    const char *name;
    enum kind kind;
} kinds[] = {
    {"hex", K_HEX},
    {"base64url", K_BASE64URL},
    {"alnum", K_ALNUM},
    {"digits", K_DIGITS},
};

static const char alnum[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Characters that n units of kind make. */
static size_t
out_len(enum kind k, size_t n)
{
    switch (k) {
    case K_HEX:
        return 2 * n;
    case K_BASE64URL:
        return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
    default:
        return n;
    }
}

static bool
kind_of(const char *name, size_t len, enum kind *k)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strlen(kinds[i].name) == len &&
            memcmp(kinds[i].name, name, len) == 0) {
            *k = kinds[i].kind;
            return true;
        }
    }
    return false;
}

/* Reads the count of "what" (the part of the spec it belongs to, for
 * messages) from s[0..len). */
static bool
parse_count(const char *s, size_t len, const char *what, size_t *n, char **why)
{
    if (len == 0) {
        *why = xasprintf(_("\"%s\" needs a length, e.g. %s"), what,
                         "alnum:32 or {32:alnum}");
        return false;
    }
    size_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            *why = xasprintf(_("\"%.*s\" in \"%s\" is not a length (a "
                               "whole number)"),
                             (int)len, s, what);
            return false;
        }
        v = v * 10 + (size_t)(s[i] - '0');
        if (v > 10 * AZ_GENERATE_MAX)
            v = 10 * AZ_GENERATE_MAX; /* too long anyway; no overflow */
    }
    if (v == 0) {
        *why = xasprintf(_("length 0 in \"%s\": at least 1 is needed"), what);
        return false;
    }
    *n = v;
    return true;
}

/* One piece of a spec: literal text or a random run. */
struct piece {
    bool random;
    enum kind kind;
    size_t n;         /* random: units (bytes or characters) */
    const char *text; /* literal: points into the spec */
    size_t text_len;  /* literal: bytes, after "{{"/"}}" are undone */
};

/* Calls fn for each piece of spec; false (and *why) on a malformed one. */
static bool
walk(const char *spec, bool (*fn)(void *ctx, const struct piece *p), void *ctx,
     char **why)
{
    /* the plain forms: "KIND:N" with a known KIND */
    const char *colon = strchr(spec, ':');
    enum kind k;
    if (colon != NULL && strchr(spec, '{') == NULL &&
        kind_of(spec, (size_t)(colon - spec), &k)) {
        struct piece p = {.random = true, .kind = k};
        if (!parse_count(colon + 1, strlen(colon + 1), spec, &p.n, why))
            return false;
        return fn(ctx, &p);
    }
    bool any_random = false;
    const char *s = spec;
    while (*s != '\0') {
        if (s[0] == '{' && s[1] == '{') {
            struct piece p = {.text = s, .text_len = 1};
            fn(ctx, &p);
            s += 2;
            continue;
        }
        if (s[0] == '}' && s[1] == '}') {
            struct piece p = {.text = s, .text_len = 1};
            fn(ctx, &p);
            s += 2;
            continue;
        }
        if (s[0] == '}') {
            *why = xasprintf(_("a '}' without its '{' at position %zu of "
                               "\"%s\" (write }} for a literal brace)"),
                             (size_t)(s - spec) + 1, spec);
            return false;
        }
        if (s[0] != '{') {
            size_t n = strcspn(s, "{}");
            struct piece p = {.text = s, .text_len = n};
            fn(ctx, &p);
            s += n;
            continue;
        }
        const char *end = strchr(s, '}');
        const char *open = strchr(s + 1, '{');
        if (end == NULL || (open != NULL && open < end)) {
            *why = xasprintf(_("the '{' at position %zu of \"%s\" is never "
                               "closed (write {{ for a literal brace)"),
                             (size_t)(s - spec) + 1, spec);
            return false;
        }
        char *ph = xstrndup(s, (size_t)(end - s) + 1); /* "{N:KIND}" */
        const char *c = memchr(s, ':', (size_t)(end - s));
        struct piece p = {.random = true};
        bool good = true;
        if (c == NULL) {
            *why = xasprintf(_("placeholder %s needs the form {N:KIND}, "
                               "e.g. {32:alnum}"),
                             ph);
            good = false;
        } else if (!kind_of(c + 1, (size_t)(end - c - 1), &p.kind)) {
            *why = xasprintf(_("unknown kind \"%.*s\" in %s (use hex, "
                               "base64url, alnum or digits)"),
                             (int)(end - c - 1), c + 1, ph);
            good = false;
        } else {
            good = parse_count(s + 1, (size_t)(c - s - 1), ph, &p.n, why);
        }
        free(ph);
        if (!good)
            return false;
        any_random = true;
        if (!fn(ctx, &p))
            return false;
        s = end + 1;
    }
    if (!any_random) {
        if (colon != NULL && strchr(spec, '{') == NULL)
            *why = xasprintf(_("unknown kind \"%.*s\" in \"%s\" (use hex, "
                               "base64url, alnum or digits)"),
                             (int)(colon - spec), spec, spec);
        else if (*spec == '\0')
            *why = xstrdup(_("an empty value spec: use hex:N, base64url:N, "
                             "alnum:N, digits:N or a template such as "
                             "sk-{48:alnum}"));
        else
            *why = xasprintf(_("\"%s\" has no random part: add a "
                               "placeholder such as {32:alnum}"),
                             spec);
        return false;
    }
    return true;
}

struct measure {
    size_t len;
};

static bool
measure_piece(void *ctx, const struct piece *p)
{
    struct measure *m = ctx;
    size_t add = p->random ? out_len(p->kind, p->n) : p->text_len;
    m->len = m->len + add > 10 * AZ_GENERATE_MAX ? 10 * AZ_GENERATE_MAX
                                                 : m->len + add;
    return true;
}

enum kv_status
az_generate_check(const char *spec, size_t *length, char **why)
{
    struct measure m = {0};
    if (spec == NULL)
        spec = "";
    if (!walk(spec, measure_piece, &m, why))
        return KV_ERR_INVALID;
    if (m.len >= 10 * AZ_GENERATE_MAX) {
        *why = xasprintf(_("\"%s\" makes a value of more than %d bytes; "
                           "Key Vault takes at most %d"),
                         spec, 10 * AZ_GENERATE_MAX, AZ_GENERATE_MAX);
        return KV_ERR_INVALID;
    }
    if (m.len > AZ_GENERATE_MAX) {
        *why = xasprintf(_("\"%s\" makes a value of %zu bytes; Key Vault "
                           "takes at most %d"),
                         spec, m.len, AZ_GENERATE_MAX);
        return KV_ERR_INVALID;
    }
    if (length != NULL)
        *length = m.len;
    return KV_OK;
}

struct writer {
    struct secret *s;
    bool rand_failed;
};

static bool
random_bytes(struct writer *w, unsigned char *b, size_t n)
{
    if (RAND_bytes(b, (int)n) == 1)
        return true;
    w->rand_failed = true;
    return false;
}

static void
put(struct writer *w, char c)
{
    w->s->data[w->s->len++] = c;
}

/* n characters of alphabet (size <= 256), unbiased. */
static bool
write_chars(struct writer *w, const char *alphabet, size_t size, size_t n)
{
    unsigned char b[64];
    unsigned limit = 256 - 256 % (unsigned)size; /* a multiple of size */
    bool ok = true;
    while (n > 0 && ok) {
        ok = random_bytes(w, b, sizeof b);
        for (size_t i = 0; ok && i < sizeof b && n > 0; i++) {
            if (b[i] >= limit)
                continue; /* rejected: keeps every character equally likely */
            put(w, alphabet[b[i] % size]);
            n--;
        }
    }
    secmem_wipe(b, sizeof b);
    return ok;
}

static bool
write_hex(struct writer *w, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[64];
    bool ok = true;
    while (n > 0 && ok) {
        size_t k = n < sizeof b ? n : sizeof b;
        ok = random_bytes(w, b, k);
        for (size_t i = 0; ok && i < k; i++) {
            put(w, hex[b[i] >> 4]);
            put(w, hex[b[i] & 15]);
        }
        n -= k;
    }
    secmem_wipe(b, sizeof b);
    return ok;
}

static bool
write_base64url(struct writer *w, size_t n)
{
    unsigned char b[48]; /* a multiple of 3: chunks encode independently */
    bool ok = true;
    while (n > 0 && ok) {
        size_t k = n < sizeof b ? n : sizeof b;
        ok = random_bytes(w, b, k);
        for (size_t i = 0; ok && i < k; i += 3) {
            unsigned v = (unsigned)b[i] << 16;
            if (i + 1 < k)
                v |= (unsigned)b[i + 1] << 8;
            if (i + 2 < k)
                v |= b[i + 2];
            put(w, b64url[v >> 18 & 63]);
            put(w, b64url[v >> 12 & 63]);
            if (i + 1 < k)
                put(w, b64url[v >> 6 & 63]);
            if (i + 2 < k)
                put(w, b64url[v & 63]);
        }
        n -= k;
    }
    secmem_wipe(b, sizeof b);
    return ok;
}

static bool
write_piece(void *ctx, const struct piece *p)
{
    struct writer *w = ctx;
    if (!p->random) {
        memcpy(w->s->data + w->s->len, p->text, p->text_len);
        w->s->len += p->text_len;
        return true;
    }
    switch (p->kind) {
    case K_HEX:
        return write_hex(w, p->n);
    case K_BASE64URL:
        return write_base64url(w, p->n);
    case K_ALNUM:
        return write_chars(w, alnum, sizeof alnum - 1, p->n);
    case K_DIGITS:
        return write_chars(w, "0123456789", 10, p->n);
    }
    return false;
}

enum kv_status
az_generate_value(const char *spec, struct secret **out, char **why)
{
    size_t len;
    *out = NULL;
    enum kv_status st = az_generate_check(spec, &len, why);
    if (st != KV_OK)
        return st;
    struct writer w = {.s = secret_new(len)};
    char *ignored = NULL;
    bool ok = walk(spec, write_piece, &w, &ignored);
    free(ignored);
    if (!ok || w.s->len != len) {
        secret_free(w.s);
        *why = xstrdup(w.rand_failed
                           ? _("the system's random generator failed")
                           : _("internal error while generating a value"));
        return KV_ERR_INTERNAL;
    }
    w.s->data[w.s->len] = '\0';
    *out = w.s;
    return KV_OK;
}
