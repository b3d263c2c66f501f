/*
 * challenge.c — parsing and checking the Key Vault bearer challenge (see
 * challenge.h). Parameters follow RFC 9110 auth-param syntax: name=token
 * or name="quoted string", separated by commas and/or blanks.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "azure/challenge.h"
#include "azure/url.h"
#include "base/buf.h"
#include "base/str.h"
#include "base/xalloc.h"

/* Reads one name=value pair at *p; false at the end of input. */
static bool
next_param(const char **p, char **name, char **value)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == ',')
        s++;
    if (*s == '\0')
        return false;
    const char *n = s;
    while (*s != '\0' && *s != '=' && *s != ',' && !isspace((unsigned char)*s))
        s++;
    size_t nlen = (size_t)(s - n);
    while (isspace((unsigned char)*s))
        s++;
    if (*s != '=') { /* a bare token: skip it */
        *name = xstrndup(n, nlen);
        *value = NULL;
        *p = s;
        return true;
    }
    s++;
    while (isspace((unsigned char)*s))
        s++;
    struct buf v = BUF_INIT;
    if (*s == '"') {
        s++;
        while (*s != '\0' && *s != '"') {
            if (*s == '\\' && s[1] != '\0')
                s++;
            buf_putc(&v, *s++);
        }
        if (*s == '"')
            s++;
    } else {
        while (*s != '\0' && *s != ',' && !isspace((unsigned char)*s))
            buf_putc(&v, *s++);
    }
    *name = xstrndup(n, nlen);
    *value = buf_steal(&v);
    *p = s;
    return true;
}

bool
az_challenge_parse(const char *header, struct az_challenge *out)
{
    const char *p = header;
    char *name, *value, *scope = NULL;

    memset(out, 0, sizeof *out);
    if (header == NULL)
        return false;
    while (isspace((unsigned char)*p))
        p++;
    if (!str_istarts(p, "Bearer") ||
        !(p[6] == '\0' || isspace((unsigned char)p[6])))
        return false;
    p += 6;
    while (next_param(&p, &name, &value)) {
        char **slot = NULL;
        if (str_ieq(name, "authorization") ||
            str_ieq(name, "authorization_uri"))
            slot = &out->authority;
        else if (str_ieq(name, "resource") || str_ieq(name, "resource_id"))
            slot = &out->resource;
        else if (str_ieq(name, "scope"))
            slot = &scope;
        if (slot != NULL && value != NULL && *value != '\0' && *slot == NULL) {
            *slot = value;
            value = NULL;
        }
        free(name);
        free(value);
    }
    if (out->authority != NULL) {
        char *a = str_rstrip_slash(out->authority);
        const char *slash = strrchr(a, '/');
        if (slash != NULL && slash[1] != '\0' && strstr(a, "://") != NULL &&
            slash > strstr(a, "://") + 2)
            out->tenant = xstrdup(slash + 1);
        free(a);
    }
    if (scope != NULL) {
        out->scope = scope;
        if (out->resource == NULL) {
            const char *d = str_iends(scope, "/.default")
                                ? scope + strlen(scope) - 9
                                : scope + strlen(scope);
            out->resource = xstrndup(scope, (size_t)(d - scope));
        }
    } else if (out->resource != NULL) {
        char *r = str_rstrip_slash(out->resource);
        out->scope = xasprintf("%s/.default", r);
        free(r);
    }
    if (out->authority == NULL || out->tenant == NULL || out->scope == NULL) {
        az_challenge_clear(out);
        return false;
    }
    return true;
}

char *
az_challenge_claims(const char *header)
{
    const char *p = header;
    char *name, *value, *claims = NULL;
    bool insufficient = false;
    if (header == NULL)
        return NULL;
    while (isspace((unsigned char)*p))
        p++;
    if (!str_istarts(p, "Bearer") ||
        !(p[6] == '\0' || isspace((unsigned char)p[6])))
        return NULL;
    p += 6;
    while (next_param(&p, &name, &value)) {
        if (value != NULL && str_ieq(name, "error") &&
            str_ieq(value, "insufficient_claims"))
            insufficient = true;
        else if (value != NULL && str_ieq(name, "claims") && claims == NULL) {
            claims = value;
            value = NULL;
        }
        free(name);
        free(value);
    }
    unsigned char *json = NULL;
    size_t len = 0;
    if (insufficient && claims != NULL && *claims != '\0' &&
        str_base64_decode(claims, strlen(claims), &json, &len) && len > 0 &&
        json[0] == '{' && strlen((char *)json) == len) {
        free(claims);
        return (char *)json;
    }
    free(json);
    free(claims);
    return NULL;
}

bool
az_challenge_fits(const struct az_challenge *c, const char *url)
{
    char *rh = az_url_host(c->resource), *uh = az_url_host(url);
    bool ok = rh != NULL && uh != NULL && az_url_host_within(uh, rh);
    free(rh);
    free(uh);
    return ok;
}

void
az_challenge_clear(struct az_challenge *c)
{
    free(c->authority);
    free(c->tenant);
    free(c->resource);
    free(c->scope);
    memset(c, 0, sizeof *c);
}
