/*
 * resolve.h — kvdeck's resolve overrides, as curl's --resolve:
 * "HOST:PORT:ADDRESS[,ADDRESS...]" entries (PORT a number or '*',
 * an IPv6 ADDRESS in brackets) that make HOST connect to ADDRESS instead
 * of what DNS says. The transport hands the entry matching a transfer's
 * host and port to CURLOPT_RESOLVE; the DNS check (JOB_CHECK_DNS)
 * answers from it before asking the resolver.
 *
 * Ownership: returned strings are the caller's; lists are borrowed.
 */
#ifndef KV_AZURE_RESOLVE_H
#define KV_AZURE_RESOLVE_H

#include <stdbool.h>

#include "azure/model.h"

/* Checks one entry. NULL when valid, else a message (static,
 * translated) saying what is wrong. */
const char *az_resolve_check(const char *entry);
/* The addresses ("10.0.1.4" or "10.0.1.4,10.0.1.5", brackets kept) of
 * the entry of l for host (case-insensitive) and port: an entry naming
 * the port wins over one with '*'; NULL when none. Invalid entries are
 * skipped. */
char *az_resolve_lookup(const struct kv_strlist *l, const char *host,
                        long port);
/* Host and port of a URL ("https://h:p/..." , default 443 for https, 80
 * for http) or of a bare host ("h" or "h:p"; port 443). False when there
 * is no host. *host is lower-cased, without brackets; caller frees. */
bool az_resolve_target(const char *url_or_host, char **host, long *port);

#endif
