/*
 * filter.h — the `/` filter: which rows match what the user typed, and
 * the index of matching rows a list view walks.
 *
 * Matching: the pattern is split at spaces; a row matches when every word
 * occurs in it, ignoring ASCII case. An empty pattern matches everything.
 *
 * struct filter_index is owned by its holder (filter_index_free()).
 */
#ifndef KV_TUI_FILTER_H
#define KV_TUI_FILTER_H

#include <stdbool.h>
#include <stddef.h>

bool filter_match(const char *pattern, const char *text);

/* Returns the text of source row i for matching (not kept). */
typedef const char *(*filter_text_fn)(void *ctx, size_t i);
/* Optional extra condition on source row i (e.g. "in this subscription"). */
typedef bool (*filter_keep_fn)(void *ctx, size_t i);

struct filter_index {
    size_t *rows; /* source row numbers of the matching rows */
    size_t n, cap;
    size_t scanned;      /* source rows already looked at */
    char *pattern;       /* current pattern, never NULL */
    filter_keep_fn keep; /* NULL: every row is a candidate */
};

void filter_index_init(struct filter_index *fi);
void filter_index_free(struct filter_index *fi);
/* Sets a new pattern and rescans all total rows. */
void filter_index_set(struct filter_index *fi, const char *pattern,
                      size_t total, filter_text_fn text, void *ctx);
/* Looks only at rows added since the last call (pages streaming in).
 * Returns how many matched. */
size_t filter_index_extend(struct filter_index *fi, size_t total,
                           filter_text_fn text, void *ctx);
/* Forgets every row (the list was replaced); keeps the pattern. */
void filter_index_reset(struct filter_index *fi);
/* The position of source row src in the index, or (size_t)-1. */
size_t filter_index_find(const struct filter_index *fi, size_t src);

#endif
