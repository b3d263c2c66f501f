/*
 * resolve.c — resolve overrides (see resolve.h): checking an entry,
 * finding the one for a host and port, and the host and port of a URL.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "azure/resolve.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

/* One address: IPv4, or IPv6 in brackets. */
static bool
address_ok(const char *a, size_t n)
{
    char buf[64];
    unsigned char bin[16];
    if (n == 0 || n >= sizeof buf)
        return false;
    if (a[0] == '[') {
        if (n < 3 || a[n - 1] != ']')
            return false;
        memcpy(buf, a + 1, n - 2);
        buf[n - 2] = '\0';
        return inet_pton(AF_INET6, buf, bin) == 1;
    }
    memcpy(buf, a, n);
    buf[n] = '\0';
    return inet_pton(AF_INET, buf, bin) == 1;
}

/* Splits entry into host, port (-1 for '*') and addresses (pointers
 * into entry, lengths). False when it is not HOST:PORT:ADDRESS. */
static bool
split(const char *entry, const char **host, size_t *hlen, long *port,
      const char **addrs)
{
    const char *c1 = entry != NULL ? strchr(entry, ':') : NULL;
    if (c1 == NULL || c1 == entry)
        return false;
    const char *c2 = strchr(c1 + 1, ':');
    if (c2 == NULL || c2 == c1 + 1 || c2[1] == '\0')
        return false;
    if (c2 - c1 == 2 && c1[1] == '*') {
        *port = -1;
    } else {
        long p = 0;
        for (const char *q = c1 + 1; q < c2; q++) {
            if (!isdigit((unsigned char)*q) || p > 65535)
                return false;
            p = p * 10 + (*q - '0');
        }
        if (p < 1 || p > 65535)
            return false;
        *port = p;
    }
    *host = entry;
    *hlen = (size_t)(c1 - entry);
    *addrs = c2 + 1;
    return true;
}

const char *
az_resolve_check(const char *entry)
{
    const char *host, *addrs;
    size_t hlen;
    long port;
    if (!split(entry, &host, &hlen, &port, &addrs))
        return _("a resolve entry is HOST:PORT:ADDRESS (PORT a number or "
                 "'*'), e.g. kv-x.vault.azure.net:443:10.0.1.4");
    for (size_t i = 0; i < hlen; i++) {
        unsigned char ch = (unsigned char)host[i];
        if (!isalnum(ch) && ch != '-' && ch != '.' && ch != '_')
            return _("the host of a resolve entry is a name (letters, "
                     "digits, '-', '.')");
    }
    for (const char *a = addrs; *a != '\0';) {
        size_t n = strcspn(a, ",");
        if (!address_ok(a, n))
            return _("the address of a resolve entry is an IPv4 address or "
                     "an IPv6 address in brackets");
        a += n;
        if (*a == ',')
            a++;
    }
    return NULL;
}

char *
az_resolve_lookup(const struct kv_strlist *l, const char *host, long port)
{
    const char *wild = NULL;
    for (size_t i = 0; l != NULL && host != NULL && i < l->n; i++) {
        const char *h, *addrs;
        size_t hlen;
        long p;
        if (az_resolve_check(l->items[i]) != NULL ||
            !split(l->items[i], &h, &hlen, &p, &addrs))
            continue;
        if (strlen(host) != hlen || strncasecmp(h, host, hlen) != 0)
            continue;
        if (p == port)
            return xstrdup(addrs);
        if (p == -1 && wild == NULL)
            wild = addrs;
    }
    return wild != NULL ? xstrdup(wild) : NULL;
}

bool
az_resolve_target(const char *s, char **host, long *port)
{
    *host = NULL;
    *port = 443;
    if (s == NULL)
        return false;
    const char *h = strstr(s, "://");
    if (h != NULL) {
        if (str_istarts(s, "http://"))
            *port = 80;
        h += 3;
    } else {
        h = s;
    }
    size_t n = strcspn(h, "/?#");
    const char *at = memchr(h, '@', n); /* user info */
    if (at != NULL) {
        n -= (size_t)(at + 1 - h);
        h = at + 1;
    }
    const char *end = h + n, *colon = NULL;
    if (h[0] == '[') {
        const char *rb = memchr(h, ']', n);
        if (rb == NULL)
            return false;
        *host = xstrndup(h + 1, (size_t)(rb - h - 1));
        colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
    } else {
        colon = memchr(h, ':', n);
        *host = xstrndup(h, colon != NULL ? (size_t)(colon - h) : n);
    }
    if (colon != NULL && colon + 1 < end)
        *port = strtol(colon + 1, NULL, 10);
    for (char *q = *host; *q != '\0'; q++)
        *q = (char)tolower((unsigned char)*q);
    if ((*host)[0] == '\0' || *port <= 0 || *port > 65535) {
        free(*host);
        *host = NULL;
        return false;
    }
    return true;
}
