/*
 * url.c — origins and hosts of URLs (see url.h). Only absolute
 * scheme://host[:port]/... URLs are understood; that is all Azure sends.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "azure/url.h"
#include "base/buf.h"
#include "base/str.h"
#include "base/xalloc.h"

/* Splits url into scheme, host and port; false if it is not absolute. */
static bool
split(const char *url, char **scheme, char **host, char **port)
{
    const char *sep = url != NULL ? strstr(url, "://") : NULL;
    if (sep == NULL || sep == url)
        return false;
    const char *auth = sep + 3;
    size_t alen = strcspn(auth, "/?#");
    const char *at = memchr(auth, '@', alen); /* drop user info */
    if (at != NULL) {
        alen -= (size_t)(at + 1 - auth);
        auth = at + 1;
    }
    const char *hend = auth + alen, *pstart = NULL;
    if (*auth == '[') { /* IPv6 literal */
        const char *rb = memchr(auth, ']', alen);
        if (rb == NULL)
            return false;
        if (rb + 1 < auth + alen && rb[1] == ':')
            pstart = rb + 2;
        hend = rb + 1;
    } else {
        const char *colon = memchr(auth, ':', alen);
        if (colon != NULL) {
            hend = colon;
            pstart = colon + 1;
        }
    }
    if (hend == auth)
        return false;
    *scheme = xstrndup(url, (size_t)(sep - url));
    *host = xstrndup(auth, (size_t)(hend - auth));
    *port = pstart != NULL ? xstrndup(pstart, (size_t)(auth + alen - pstart))
                           : NULL;
    for (char *p = *scheme; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (char *p = *host; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (*port != NULL && **port == '\0') {
        free(*port);
        *port = NULL;
    }
    return true;
}

char *
az_url_origin(const char *url)
{
    char *scheme, *host, *port, *out;
    if (!split(url, &scheme, &host, &port))
        return NULL;
    const char *p = port != NULL ? port : str_eq(scheme, "http") ? "80" : "443";
    out = xasprintf("%s://%s:%s", scheme, host, p);
    free(scheme);
    free(host);
    free(port);
    return out;
}

char *
az_url_host(const char *url)
{
    char *scheme, *host, *port;
    if (!split(url, &scheme, &host, &port))
        return NULL;
    free(scheme);
    free(port);
    if (host[0] == '[') {
        char *h = xstrndup(host + 1, strlen(host) - 2);
        free(host);
        return h;
    }
    return host;
}

bool
az_url_same_origin(const char *a, const char *b)
{
    char *oa = az_url_origin(a), *ob = az_url_origin(b);
    bool same = oa != NULL && ob != NULL && strcmp(oa, ob) == 0;
    free(oa);
    free(ob);
    return same;
}

bool
az_url_host_within(const char *host, const char *domain)
{
    if (host == NULL || domain == NULL || *domain == '\0')
        return false;
    size_t h = strlen(host), d = strlen(domain);
    if (h == d)
        return str_ieq(host, domain);
    return h > d && host[h - d - 1] == '.' && str_ieq(host + h - d, domain);
}
