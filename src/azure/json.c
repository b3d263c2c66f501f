/*
 * json.c — tolerant readers over cJSON for Azure responses, and a
 * two-space pretty printer for the detail pane (cJSON_Print uses tabs).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "base/secmem.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"

cJSON *
json_parse(const char *text, size_t len, const char *what, char **why)
{
    const char *end = NULL;
    if (text == NULL || len == 0) {
        if (why != NULL)
            *why = xasprintf(_("empty JSON in %s"), what);
        return NULL;
    }
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (root == NULL) {
        if (why != NULL) {
            size_t at = end != NULL && end >= text ? (size_t)(end - text) : 0;
            *why = xasprintf(_("malformed JSON in %s near byte %zu"), what, at);
        }
        return NULL;
    }
    return root;
}

const cJSON *
json_at(const cJSON *obj, const char *path)
{
    const char *p = path;
    const cJSON *cur = obj;
    char key[128];

    while (cur != NULL && *p != '\0') {
        const char *dot = strchr(p, '.');
        size_t n = dot != NULL ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof key || !cJSON_IsObject(cur))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        cur = cJSON_GetObjectItem(cur, key); /* case-insensitive */
        p += n;
        if (*p == '.')
            p++;
    }
    return cur;
}

/* Compares two keys ignoring ASCII case and underscores. */
static bool
key_loose_eq(const char *a, const char *b)
{
    for (;;) {
        while (*a == '_')
            a++;
        while (*b == '_')
            b++;
        if (*a == '\0' || *b == '\0')
            return *a == *b;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
        a++, b++;
    }
}

const cJSON *
json_get_loose(const cJSON *obj, const char *key)
{
    const cJSON *it;
    if (!cJSON_IsObject(obj))
        return NULL;
    cJSON_ArrayForEach(it, obj)
    {
        if (it->string != NULL && key_loose_eq(it->string, key))
            return it;
    }
    return NULL;
}

const char *
json_str(const cJSON *obj, const char *path)
{
    const cJSON *it = json_at(obj, path);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

char *
json_strdup(const cJSON *obj, const char *path)
{
    const char *s = json_str(obj, path);
    return s != NULL ? xstrdup(s) : NULL;
}

bool
json_bool(const cJSON *obj, const char *path, bool dflt)
{
    const cJSON *it = json_at(obj, path);
    if (cJSON_IsBool(it))
        return cJSON_IsTrue(it);
    if (cJSON_IsString(it)) {
        if (str_ieq(it->valuestring, "true"))
            return true;
        if (str_ieq(it->valuestring, "false"))
            return false;
    }
    return dflt;
}

/* A double as int64_t, or false when it does not fit (the cast would be
 * undefined behaviour on input such as 1e300). */
static bool
fits_int64(double d, int64_t *out)
{
    if (!(d > -9.2e18 && d < 9.2e18)) /* also false for NaN */
        return false;
    *out = (int64_t)d;
    return true;
}

int64_t
json_int(const cJSON *obj, const char *path, int64_t dflt)
{
    const cJSON *it = json_at(obj, path);
    int64_t v;
    if (cJSON_IsNumber(it))
        return fits_int64(it->valuedouble, &v) ? v : dflt;
    if (cJSON_IsString(it) && it->valuestring[0] != '\0') {
        char *end;
        errno = 0;
        long long n = strtoll(it->valuestring, &end, 10);
        if (errno == 0 && *end == '\0')
            return (int64_t)n;
    }
    return dflt;
}

int64_t
json_time(const cJSON *obj, const char *path)
{
    const cJSON *it = json_at(obj, path);
    int64_t t;
    if (cJSON_IsNumber(it))
        return fits_int64(it->valuedouble, &t) ? t : 0;
    if (cJSON_IsString(it)) {
        if (time_parse_iso(it->valuestring, &t))
            return t;
        return json_int(obj, path, 0);
    }
    return 0;
}

size_t
json_array_len(const cJSON *obj, const char *path)
{
    const cJSON *it = json_at(obj, path);
    return cJSON_IsArray(it) ? (size_t)cJSON_GetArraySize(it) : 0;
}

static void
indent(struct buf *b, int depth)
{
    static const char spaces[] = "                                ";
    size_t n = (size_t)depth * 2;
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        buf_append(b, spaces, k);
        n -= k;
    }
}

/* A JSON string as cJSON prints it (the same escapes, bytes from 0x7f
 * up as they are), appended directly: asking cJSON to print each key
 * and value allocated a buffer per call and was most of the cost of
 * decoding a vault list. */
static void
pretty_string(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    /* the bytes cJSON escapes: control characters, quote, backslash */
#define E8 1, 1, 1, 1, 1, 1, 1, 1
    static const unsigned char escaped[256] = {E8, E8,        E8,
                                               E8, ['"'] = 1, ['\\'] = 1};
#undef E8
    buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    for (;;) {
        const unsigned char *run = p;
        while (!escaped[*p])
            p++;
        buf_append(b, run, (size_t)(p - run));
        unsigned char c = *p++;
        if (c == '\0')
            break;
        char esc[6] = {'\\', 0};
        size_t n = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[2] = esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        buf_append(b, esc, n);
    }
    buf_putc(b, '"');
}

/* Appends item at the given depth; keys are printed by the caller. */
static void
pretty(struct buf *b, const cJSON *item, int depth)
{
    const cJSON *it;
    bool arr = cJSON_IsArray(item);

    if (cJSON_IsString(item)) {
        pretty_string(b, item->valuestring);
        return;
    }
    if (cJSON_IsBool(item) || cJSON_IsNull(item)) {
        buf_puts(b, cJSON_IsTrue(item)    ? "true"
                    : cJSON_IsFalse(item) ? "false"
                                          : "null");
        return;
    }
    if (!arr && !cJSON_IsObject(item)) { /* numbers, raw */
        char *s = cJSON_PrintUnformatted(item);
        buf_puts(b, s != NULL ? s : "null");
        cJSON_free(s);
        return;
    }
    if (item->child == NULL) {
        buf_puts(b, arr ? "[]" : "{}");
        return;
    }
    buf_puts(b, arr ? "[\n" : "{\n");
    cJSON_ArrayForEach(it, item)
    {
        indent(b, depth + 1);
        if (!arr) {
            pretty_string(b, it->string);
            buf_append(b, ": ", 2);
        }
        pretty(b, it, depth + 1);
        if (it->next != NULL)
            buf_putc(b, ',');
        buf_putc(b, '\n');
    }
    indent(b, depth);
    buf_putc(b, arr ? ']' : '}');
}

char *
json_pretty(const cJSON *item)
{
    struct buf b = BUF_INIT;
    if (item == NULL)
        return xstrdup("null");
    pretty(&b, item, 0);
    return buf_steal(&b);
}

char *
json_pretty_except(const cJSON *obj, const char *const *skip, size_t nskip,
                   const char *type)
{
    if (!cJSON_IsObject(obj))
        return json_pretty(obj);
    struct buf b = BUF_INIT;
    const cJSON *it;
    bool first = true;
    buf_putc(&b, '{');
    cJSON_ArrayForEach(it, obj)
    {
        size_t i = 0;
        while (i < nskip && strcmp(it->string, skip[i]) != 0)
            i++;
        if (i < nskip)
            continue;
        buf_puts(&b, first ? "\n" : ",\n");
        first = false;
        indent(&b, 1);
        pretty_string(&b, it->string);
        buf_append(&b, ": ", 2);
        if (type != NULL && strcmp(it->string, "type") == 0)
            pretty_string(&b, type);
        else
            pretty(&b, it, 1);
    }
    buf_puts(&b, first ? "}" : "\n}");
    return buf_steal(&b);
}

void
json_scrub(cJSON *obj, const char *key)
{
    cJSON *it = cJSON_GetObjectItem(obj, key);
    if (it == NULL)
        return;
    if (cJSON_IsString(it) && it->valuestring != NULL)
        secmem_wipe(it->valuestring, strlen(it->valuestring));
    cJSON_DeleteItemFromObject(obj, key);
}
