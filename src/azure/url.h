/*
 * url.h — the little URL handling the client needs: an origin to compare
 * (so a nextLink or a challenge can never send a token to another host)
 * and query-string building. All returned strings are the caller's.
 */
#ifndef KV_AZURE_URL_H
#define KV_AZURE_URL_H

#include <stdbool.h>

/* "https://host:port" in lower case with the default port (443 for
 * https, 80 for http) made explicit; NULL if url has no scheme://host. */
char *az_url_origin(const char *url);
/* The host name alone, lower case, without port or brackets. */
char *az_url_host(const char *url);
/* True if both URLs have the same scheme, host and port. */
bool az_url_same_origin(const char *a, const char *b);
/* True if host equals domain or ends with "." + domain (ASCII, any
 * case): "v1.vault.azure.net" is within "vault.azure.net". */
bool az_url_host_within(const char *host, const char *domain);

#endif
