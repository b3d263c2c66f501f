/*
 * dns-lookup.h — one name lookup (getaddrinfo) on a detached thread of
 * its own, so that the worker's loop keeps serving while the resolver
 * answers; the worker looks for the answer on a timer (dns_lookup_poll).
 * Used by the attach plan's dns-check step (plan-attach-wait.c).
 *
 *     struct dns_lookup *lk = dns_lookup_start("kv-x.vault.azure.net");
 *     ... later, on a timer: if (dns_lookup_poll(lk, &addrs, &err)) ...
 *     dns_lookup_release(lk);  // the worker's side; may be before done
 *
 * Ownership: the thread and the caller hold a reference each; whoever
 * lets go last frees it. Releasing before the answer came only lets go:
 * getaddrinfo() cannot be interrupted, the thread finishes on its own.
 * Threading: start, poll and release from one thread (the worker).
 */
#ifndef KV_ENGINE_DNS_LOOKUP_H
#define KV_ENGINE_DNS_LOOKUP_H

#include <stdbool.h>

#include "azure/model.h"

struct dns_lookup;

/* Starts the lookup of host (copied). Never NULL: a thread that cannot
 * start makes a lookup that is done at once with the reason. */
struct dns_lookup *dns_lookup_start(const char *host);
/* False while the resolver has not answered. Once it has: true, *addrs
 * gets the numeric addresses (deduplicated, in the resolver's order;
 * the caller's, list moved out) and *error the resolver's message or
 * NULL (caller frees). Call it once with a true answer. */
bool dns_lookup_poll(struct dns_lookup *lk, struct kv_strlist *addrs,
                     char **error);
/* Lets go of the caller's reference. NULL is fine. */
void dns_lookup_release(struct dns_lookup *lk);

#endif
