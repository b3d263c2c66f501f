/*
 * filter.c — incremental list filtering. Only new rows are scanned as
 * pages arrive, so a 25,000-row list stays cheap to filter while loading.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "tui/filter.h"

static int
filter_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Case-insensitive search of the n bytes at w in text. */
static bool
filter_has(const char *text, const char *w, size_t n)
{
    if (n == 0)
        return true;
    for (; *text != '\0'; text++) {
        size_t i = 0;
        while (i < n && text[i] != '\0' &&
               filter_lower((unsigned char)text[i]) ==
                   filter_lower((unsigned char)w[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

bool
filter_match(const char *pattern, const char *text)
{
    if (pattern == NULL)
        return true;
    if (text == NULL)
        text = "";
    const char *p = pattern;
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n > 0 && !filter_has(text, p, n))
            return false;
        p += n;
    }
    return true;
}

void
filter_index_init(struct filter_index *fi)
{
    memset(fi, 0, sizeof *fi);
    fi->pattern = xstrdup("");
}

void
filter_index_free(struct filter_index *fi)
{
    free(fi->rows);
    free(fi->pattern);
    memset(fi, 0, sizeof *fi);
}

void
filter_index_reset(struct filter_index *fi)
{
    fi->n = 0;
    fi->scanned = 0;
}

size_t
filter_index_extend(struct filter_index *fi, size_t total, filter_text_fn text,
                    void *ctx)
{
    size_t added = 0;
    if (total < fi->scanned)
        filter_index_reset(fi);
    bool all = fi->pattern[0] == '\0';
    for (size_t i = fi->scanned; i < total; i++) {
        if (fi->keep != NULL && !fi->keep(ctx, i))
            continue;
        if (!all && !filter_match(fi->pattern, text(ctx, i)))
            continue;
        if (fi->n == fi->cap) {
            fi->cap = fi->cap ? fi->cap * 2 : 64;
            fi->rows = xreallocarray(fi->rows, fi->cap, sizeof *fi->rows);
        }
        fi->rows[fi->n++] = i;
        added++;
    }
    fi->scanned = total;
    return added;
}

void
filter_index_set(struct filter_index *fi, const char *pattern, size_t total,
                 filter_text_fn text, void *ctx)
{
    char *copy = xstrdup(pattern ? pattern : ""); /* pattern may be ours */
    free(fi->pattern);
    fi->pattern = copy;
    filter_index_reset(fi);
    filter_index_extend(fi, total, text, ctx);
}

size_t
filter_index_find(const struct filter_index *fi, size_t src)
{
    /* rows is sorted ascending: binary search. */
    size_t lo = 0, hi = fi->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fi->rows[mid] < src)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < fi->n && fi->rows[lo] == src ? lo : (size_t)-1;
}
