/*
 * vec.h — growable array of pointers.
 *
 * The vector owns its slot array, not the pointed-to items: vec_free()
 * releases only the array. vec_free_all() also calls the given free
 * function on every item.
 */
#ifndef KV_BASE_VEC_H
#define KV_BASE_VEC_H

#include <stddef.h>

struct vec {
    void **items;
    size_t len;
    size_t cap;
};

#define VEC_INIT {NULL, 0, 0}

void vec_init(struct vec *v);
void vec_push(struct vec *v, void *item);
/* Removes and returns the last item, or NULL when empty. */
void *vec_pop(struct vec *v);
/* Removes item i, keeping order; returns it. */
void *vec_remove(struct vec *v, size_t i);
void vec_insert(struct vec *v, size_t i, void *item);
void vec_clear(struct vec *v);
void vec_free(struct vec *v);
void vec_free_all(struct vec *v, void (*item_free)(void *));
void vec_sort(struct vec *v, int (*cmp)(const void *, const void *));

static inline void *
vec_get(const struct vec *v, size_t i)
{
    return i < v->len ? v->items[i] : NULL;
}

#endif
