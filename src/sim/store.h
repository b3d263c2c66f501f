/*
 * store.h — the simulator's state: an ordered map from keys to compact
 * JSON documents, durable across kills.
 *
 * Every committed transaction is appended to a journal as one
 * checksummed line and fdatasync'd BEFORE it becomes visible or
 * acknowledged; the journal is compacted into a snapshot written to a
 * temporary file, fsync'd and renamed. On open the snapshot is loaded and
 * the journal replayed up to the first torn or corrupt line (which is cut
 * off): a kill at any moment loses no acknowledged write.
 *
 * Locking: readers take a shared lock only while they copy data out.
 * Read-modify-write sections hold store_write_lock() (one writer at a
 * time, recursive) around their reads and store_commit().
 *
 * Keys are lower-case ASCII paths with '|' separators (see sim.h).
 */
#ifndef KV_SIM_STORE_H
#define KV_SIM_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "base/status.h"
#include "base/vec.h"

struct store;
struct store_txn;

struct store_kv {
    char *key;
    char *val; /* compact JSON */
};

/* Opens (creating) the state in dir. compact_bytes: journal size that
 * makes store_needs_compaction() true. *why is set on failure (caller
 * frees). */
enum kv_status store_open(const char *dir, long compact_bytes,
                          struct store **out, char **why);
void store_close(struct store *st);
size_t store_len(struct store *st);

/* A copy of the value (caller frees), or NULL. */
char *store_get(struct store *st, const char *key);
/* The parsed value (caller cJSON_Delete()s), or NULL. */
cJSON *store_get_json(struct store *st, const char *key);

/* Returns true to keep an entry in a scan; runs under the read lock and
 * must not call the store. */
typedef bool (*store_filter_fn)(const char *key, const char *val, void *ud);
/* Appends to out (struct store_kv *, free with store_kv_free) up to limit
 * (0: no limit) entries whose key starts with prefix and sorts after
 * `after` (NULL: from the start), keeping only those filter accepts
 * (NULL: all). *more (may be NULL) says whether a further entry exists. */
void store_scan(struct store *st, const char *prefix, const char *after,
                size_t limit, store_filter_fn filter, void *ud, struct vec *out,
                bool *more);
void store_kv_free(void *kv);
size_t store_count(struct store *st, const char *prefix);

void store_write_lock(struct store *st);
void store_write_unlock(struct store *st);

struct store_txn *store_txn_new(void);
void store_txn_free(struct store_txn *t);
/* Puts a copy of val under key. */
void store_txn_put(struct store_txn *t, const char *key, const cJSON *val);
void store_txn_del(struct store_txn *t, const char *key);
/* Deletes every key starting with prefix. */
void store_txn_del_prefix(struct store_txn *t, const char *prefix);
bool store_txn_empty(const struct store_txn *t);
/* Makes t durable, then visible. The caller holds the write lock; t is
 * freed in every case. */
enum kv_status store_commit(struct store *st, struct store_txn *t, char **why);

/* Told of each key a commit changes, just before it changes: old is its
 * value then (NULL when the key is new). Runs under the store's write
 * lock and must not call the store. */
typedef void (*store_observer_fn)(void *ud, const char *key, const char *old);
/* Sets the one observer (NULL: none); store_bulk_put does not tell it. */
void store_set_observer(struct store *st, store_observer_fn fn, void *ud);

/* Loads a value without journalling (seeding an empty store; follow with
 * store_compact()). Takes ownership of val. */
void store_bulk_put(struct store *st, const char *key, char *val);
/* Writes a snapshot and starts an empty journal. Takes the write lock. */
enum kv_status store_compact(struct store *st, char **why);
bool store_needs_compaction(struct store *st);

#endif
