/*
 * vec.c — growable pointer array: the list type used by the store, the
 * views and the simulator's resource tables.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/vec.h"
#include "base/xalloc.h"

void
vec_init(struct vec *v)
{
    v->items = NULL;
    v->len = 0;
    v->cap = 0;
}

static void
vec_grow(struct vec *v)
{
    if (v->len < v->cap)
        return;
    v->cap = v->cap ? v->cap * 2 : 8;
    v->items = xreallocarray(v->items, v->cap, sizeof *v->items);
}

void
vec_push(struct vec *v, void *item)
{
    vec_grow(v);
    v->items[v->len++] = item;
}

void *
vec_pop(struct vec *v)
{
    return v->len ? v->items[--v->len] : NULL;
}

void *
vec_remove(struct vec *v, size_t i)
{
    if (i >= v->len)
        return NULL;
    void *item = v->items[i];
    memmove(&v->items[i], &v->items[i + 1],
            (v->len - i - 1) * sizeof *v->items);
    v->len--;
    return item;
}

void
vec_insert(struct vec *v, size_t i, void *item)
{
    if (i > v->len)
        i = v->len;
    vec_grow(v);
    memmove(&v->items[i + 1], &v->items[i], (v->len - i) * sizeof *v->items);
    v->items[i] = item;
    v->len++;
}

void
vec_clear(struct vec *v)
{
    v->len = 0;
}

void
vec_free(struct vec *v)
{
    free(v->items);
    vec_init(v);
}

void
vec_free_all(struct vec *v, void (*item_free)(void *))
{
    for (size_t i = 0; i < v->len; i++)
        item_free(v->items[i]);
    vec_free(v);
}

void
vec_sort(struct vec *v, int (*cmp)(const void *, const void *))
{
    if (v->len > 1)
        qsort(v->items, v->len, sizeof *v->items, cmp);
}
