/*
 * dns-lookup.h — one name lookup (getaddrinfo) on a detached thread of
 * its own, so that the worker's loop keeps serving while the resolver
 * answers; the worker looks for the answer on a timer (dns_lookup_poll).
 * Above it, the DNS check both JOB_CHECK_DNS (job-dns.c) and the attach
 * plan's dns-check step (plan-attach-wait.c) make: kvdeck's resolve
 * overrides first (what its connections use, as curl's --resolve), names
 * under "localhost" as curl resolves them (loopback, RFC 6761), else the
 * lookup; then the comparison with the expected private address.
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

/* Begins the check of target (a host name or URL) against expected (may
 * be NULL): *out gets a new kv_dns_check (caller frees). Returns NULL
 * when the answer is already in *out (an override, a localhost name, a
 * target that is no host: then error says so) — call dns_check_finish();
 * else a started lookup to give to dns_check_poll(). */
struct dns_lookup *dns_check_begin(const struct kv_strlist *resolve,
                                   const char *target, const char *expected,
                                   struct kv_dns_check **out);
/* False while the lookup runs. True once it answered: the addresses and
 * the resolver's message are in c, the lookup is released, and
 * dns_check_finish() has been applied. */
bool dns_check_poll(struct dns_lookup *lk, struct kv_dns_check *c);
/* Sets c->resolved and c->matches from the addresses. */
void dns_check_finish(struct kv_dns_check *c);

#endif
