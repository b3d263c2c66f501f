/*
 * keyring.h — where kvdeck keeps refresh tokens between runs: the desktop
 * keyring (the Secret Service, through libsecret) when one answers,
 * otherwise memory only, for this process. Never a file.
 *
 *     struct keyring *k = keyring_new(0);               // no I/O
 *     keyring_probe(k);                     // worker: asks the service
 *     struct keyring_key key = {"AzureCloud", tenant, "ana@contoso.com",
 *                               client_id};
 *     keyring_store(k, &key, rt, &why);              // copies rt
 *     keyring_lookup(k, &key, &rt, NULL, &why);      // KV_ERR_NOT_FOUND
 *     keyring_remove(k, &key, &removed, &why);       // NULL fields: any
 *     keyring_free(k);
 *
 * Entries carry the schema "org.kvdeck.RefreshToken" with the attributes
 * cloud, tenant, account and client_id (what `secret-tool lookup` and
 * seahorse show), and the label "kvdeck refresh token for ACCOUNT
 * (TENANT)".
 *
 * Threading: keyring_probe(), _store(), _lookup() and _remove() talk to
 * the Secret Service over D-Bus and block (each at most the timeout given
 * to keyring_new(), about a second): call them on the engine's worker
 * thread only, never on the UI's. keyring_storage() and keyring_why()
 * never block and may be called from any thread. Every function is
 * thread-safe.
 *
 * When no Secret Service answers (no D-Bus session bus, no provider of
 * org.freedesktop.secrets, a default keyring that is missing or locked —
 * kvdeck never prompts to unlock it — or a call that times out), the
 * keyring is "memory only": stores go to a table in secure memory that
 * ends with the process. Built --without-libsecret it is always so.
 *
 * Ownership: values go in borrowed (copied into secure memory or into
 * the service) and come out as a struct secret the caller frees with
 * secret_free(); GLib's copies are wiped before they are released.
 * Strings in a struct keyring_key are borrowed for the call.
 */
#ifndef KV_ENGINE_KEYRING_H
#define KV_ENGINE_KEYRING_H

#include <stdbool.h>

#include "base/secmem.h"
#include "base/status.h"
#include "base/vec.h"

struct keyring;

/* Which entry. In keyring_store() every field but client_id must be set;
 * in a lookup or removal a NULL field matches any value. */
struct keyring_key {
    const char *cloud;     /* "AzureCloud", or the custom cloud's name */
    const char *tenant;    /* tenant id (or "organizations") */
    const char *account;   /* user principal name or object id */
    const char *client_id; /* the public client the token belongs to */
};

/* An entry found or removed (for `kvdeck logout` and messages). */
struct keyring_entry {
    char *cloud, *tenant, *account, *client_id; /* "" when absent */
};

enum keyring_storage {
    KEYRING_UNPROBED,       /* keyring_probe() has not run yet */
    KEYRING_SECRET_SERVICE, /* tokens persist in the desktop keyring */
    KEYRING_MEMORY_ONLY,    /* tokens end with the process */
};

/* A keyring; does no I/O. timeout_ms bounds each blocking call (0:
 * 1500). Never NULL. */
struct keyring *keyring_new(int timeout_ms);
/* Wipes the memory-only table and frees k; NULL is fine. */
void keyring_free(struct keyring *k);

/* Worker thread. Finds out, once, whether a Secret Service answers with
 * an unlocked default keyring; later calls return the first answer.
 * Never prompts and never waits longer than the timeout. */
enum keyring_storage keyring_probe(struct keyring *k);

/* Any thread, never blocks: the answer of the probe (or
 * KEYRING_UNPROBED), and — when memory only — why, in words
 * ("no D-Bus session bus", ...; static or owned by k, valid until
 * keyring_free()), else NULL. */
enum keyring_storage keyring_storage(const struct keyring *k);
const char *keyring_why(const struct keyring *k);
/* "keyring" or "memory only" (untranslated; for status and JSON). */
const char *keyring_storage_name(enum keyring_storage s);

/* Worker thread. Keeps a copy of value under key, replacing an entry
 * with the same attributes; probes first when that has not happened.
 * When the Secret Service fails the store, the value is kept in memory
 * and the keyring says memory only from then on (why tells). KV_OK
 * unless key lacks a field (KV_ERR_INVALID). */
enum kv_status keyring_store(struct keyring *k, const struct keyring_key *key,
                             const struct secret *value, char **why);

/* Worker thread. The value of the first entry matching key (the
 * memory-only table first): KV_OK with *value (caller frees) and, when
 * found is not NULL, its attributes in *found (caller frees with
 * keyring_entry_clear()); KV_ERR_NOT_FOUND when none matches; another
 * status with *why (caller frees) when the service failed. */
enum kv_status keyring_lookup(struct keyring *k, const struct keyring_key *key,
                              struct secret **value,
                              struct keyring_entry *found, char **why);

/* Worker thread. Removes every entry matching key, from the keyring and
 * from memory; when removed is not NULL, appends a struct keyring_entry *
 * for each (caller frees with keyring_entry_free()). KV_OK also when none
 * matched. */
enum kv_status keyring_remove(struct keyring *k, const struct keyring_key *key,
                              struct vec *removed, char **why);

void keyring_entry_clear(struct keyring_entry *en);
void keyring_entry_free(void *en); /* a struct keyring_entry *; for vec */

#endif
