/*
 * skiplist.c — the skip list behind the store (see skiplist.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "sim/skiplist.h"
#include "sim/util.h"

#define SKIP_MAX 24

struct skip_node {
    char *key;
    char *val;
    int level;
    struct skip_node *next[];
};

struct skiplist {
    struct skip_node *head;
    int level;
    size_t len;
    uint64_t rng;
};

static struct skip_node *
node_new(int level, const char *key, char *val)
{
    struct skip_node *n =
        xcalloc(1, sizeof *n + (size_t)level * sizeof(struct skip_node *));

    n->level = level;
    n->key = key ? xstrdup(key) : NULL;
    n->val = val;
    return n;
}

struct skiplist *
skiplist_new(uint64_t seed)
{
    struct skiplist *sl = xcalloc(1, sizeof *sl);

    sl->head = node_new(SKIP_MAX, NULL, NULL);
    sl->level = 1;
    sl->rng = seed ? seed : 0x5eed;
    return sl;
}

void
skiplist_free(struct skiplist *sl)
{
    struct skip_node *n, *next;

    if (!sl)
        return;
    for (n = sl->head; n; n = next) {
        next = n->next[0];
        free(n->key);
        free(n->val);
        free(n);
    }
    free(sl);
}

static int
random_level(struct skiplist *sl)
{
    uint64_t r = util_splitmix(&sl->rng);
    int level = 1;

    while (level < SKIP_MAX && (r & 3) == 0) {
        level++;
        r >>= 2;
    }
    return level;
}

/* Fills update[] with the last node before key on each level. */
static struct skip_node *
find(const struct skiplist *sl, const char *key, struct skip_node **update)
{
    struct skip_node *x = sl->head;

    for (int i = sl->level - 1; i >= 0; i--) {
        while (x->next[i] && strcmp(x->next[i]->key, key) < 0)
            x = x->next[i];
        if (update)
            update[i] = x;
    }
    return x->next[0];
}

void
skiplist_put(struct skiplist *sl, const char *key, char *val)
{
    struct skip_node *update[SKIP_MAX];
    struct skip_node *x = find(sl, key, update);
    int level;

    if (x && strcmp(x->key, key) == 0) {
        free(x->val);
        x->val = val;
        return;
    }
    level = random_level(sl);
    if (level > sl->level) {
        for (int i = sl->level; i < level; i++)
            update[i] = sl->head;
        sl->level = level;
    }
    x = node_new(level, key, val);
    for (int i = 0; i < level; i++) {
        x->next[i] = update[i]->next[i];
        update[i]->next[i] = x;
    }
    sl->len++;
}

bool
skiplist_del(struct skiplist *sl, const char *key)
{
    struct skip_node *update[SKIP_MAX];
    struct skip_node *x = find(sl, key, update);

    if (!x || strcmp(x->key, key) != 0)
        return false;
    for (int i = 0; i < sl->level; i++) {
        if (update[i]->next[i] != x)
            break;
        update[i]->next[i] = x->next[i];
    }
    while (sl->level > 1 && !sl->head->next[sl->level - 1])
        sl->level--;
    free(x->key);
    free(x->val);
    free(x);
    sl->len--;
    return true;
}

const char *
skiplist_get(const struct skiplist *sl, const char *key)
{
    struct skip_node *x = find(sl, key, NULL);

    return x && strcmp(x->key, key) == 0 ? x->val : NULL;
}

struct skip_node *
skiplist_seek(const struct skiplist *sl, const char *key)
{
    if (!key)
        return sl->head->next[0];
    return find(sl, key, NULL);
}

struct skip_node *
skiplist_next(const struct skip_node *n)
{
    return n ? n->next[0] : NULL;
}

const char *
skip_node_key(const struct skip_node *n)
{
    return n->key;
}

const char *
skip_node_val(const struct skip_node *n)
{
    return n->val;
}

size_t
skiplist_len(const struct skiplist *sl)
{
    return sl->len;
}
