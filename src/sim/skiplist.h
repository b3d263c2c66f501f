/*
 * skiplist.h — an ordered map from strings to strings (a skip list), the
 * index behind the simulator's store: O(log n) lookup, insertion, and
 * seek-to-key, then in-order iteration, so list pages cost the same
 * whatever their position.
 *
 * Not thread-safe; the store wraps it in a lock. The list owns copies of
 * the keys and takes ownership of the values it is given.
 */
#ifndef KV_SIM_SKIPLIST_H
#define KV_SIM_SKIPLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct skiplist;
struct skip_node;

struct skiplist *skiplist_new(uint64_t seed);
void skiplist_free(struct skiplist *sl);
/* Inserts or replaces key; takes ownership of val (malloc'd). */
void skiplist_put(struct skiplist *sl, const char *key, char *val);
/* Removes key; returns false if it was absent. */
bool skiplist_del(struct skiplist *sl, const char *key);
/* The value for key (owned by the list), or NULL. */
const char *skiplist_get(const struct skiplist *sl, const char *key);
/* The first node whose key is >= key (NULL key: the first node). */
struct skip_node *skiplist_seek(const struct skiplist *sl, const char *key);
struct skip_node *skiplist_next(const struct skip_node *n);
const char *skip_node_key(const struct skip_node *n);
const char *skip_node_val(const struct skip_node *n);
size_t skiplist_len(const struct skiplist *sl);

#endif
