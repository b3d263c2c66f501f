/*
 * kql-run.c — the evaluation of a parsed Resource Graph query (kql-int.h)
 * over cJSON rows, and what the index asks of a query before building
 * rows (see kql.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/kql-int.h"

bool
kql_keeps_id(const struct kql_query *q)
{
    bool keeps = true;

    for (size_t i = 0; i < q->stages.len; i++) {
        const struct stage *s = q->stages.items[i];

        if (s->kind == S_COUNT)
            keeps = false;
        if (s->kind == S_PROJECT) {
            keeps = false;
            for (size_t k = 0; k < s->items.len; k++) {
                const struct column *c = s->items.items[k];

                if (strcmp(c->name, "id") == 0 && strcmp(c->field, "id") == 0)
                    keeps = true;
            }
        }
    }
    return keeps;
}

bool
kql_columns(const struct kql_query *q, struct vec *names)
{
    const struct stage *last = NULL;

    for (size_t i = 0; i < q->stages.len; i++) {
        const struct stage *s = q->stages.items[i];

        if (s->kind == S_PROJECT || s->kind == S_COUNT)
            last = s;
    }
    if (!last)
        return false;
    vec_init(names);
    if (last->kind == S_COUNT) {
        vec_push(names, (void *)"Count");
        return true;
    }
    for (size_t k = 0; k < last->items.len; k++)
        vec_push(names, ((struct column *)last->items.items[k])->name);
    return true;
}

/* ---- evaluation -------------------------------------------------------- */

/* The value at a dotted path (borrowed), or NULL. The first segment is a
 * column; later ones index objects (any case, as Resource Graph's
 * dynamic columns). */
static const cJSON *
lookup(const cJSON *row, const char *field)
{
    char *copy = xstrdup(field), *save = NULL, *seg;
    const cJSON *v = row;
    bool first = true;

    for (seg = strtok_r(copy, ".", &save); seg && v;
         seg = strtok_r(NULL, ".", &save)) {
        v = first ? cJSON_GetObjectItemCaseSensitive(v, seg)
                  : cJSON_GetObjectItem(v, seg);
        first = false;
    }
    free(copy);
    return v;
}

/* A scalar as KQL's tostring() gives it (caller frees). */
static char *
text_of(const cJSON *v)
{
    if (!v || cJSON_IsNull(v))
        return xstrdup("");
    if (cJSON_IsString(v))
        return xstrdup(v->valuestring);
    if (cJSON_IsTrue(v))
        return xstrdup("true");
    if (cJSON_IsFalse(v))
        return xstrdup("false");
    return cJSON_PrintUnformatted(v);
}

static bool
one_match(enum cmp op, const char *have, const char *want)
{
    switch (op) {
    case C_EQ:
    case C_IN:
    case C_NE:
    case C_NIN:
        return strcmp(have, want) == 0;
    case C_CONTAINS:
    case C_NCONTAINS:
        return str_icontains(have, want) != NULL;
    case C_STARTSWITH:
        return str_istarts(have, want);
    default:
        return strcasecmp(have, want) == 0;
    }
}

static bool
cond_holds(const struct cond *c, const cJSON *row)
{
    char *have = text_of(lookup(row, c->field));
    bool any = false;

    for (size_t i = 0; i < c->values.len && !any; i++)
        any = one_match(c->op, have, c->values.items[i]);
    free(have);
    switch (c->op) {
    case C_NE:
    case C_INE:
    case C_NIN:
    case C_NIIN:
    case C_NCONTAINS:
        return !any;
    default:
        return any;
    }
}

static void
run_where(const struct stage *s, struct vec *rows)
{
    size_t out = 0;

    for (size_t i = 0; i < rows->len; i++) {
        cJSON *row = rows->items[i];
        bool keep = true;

        for (size_t k = 0; k < s->items.len && keep; k++)
            keep = cond_holds(s->items.items[k], row);
        if (keep)
            rows->items[out++] = row;
        else
            cJSON_Delete(row);
    }
    rows->len = out;
}

static void
run_project(const struct stage *s, struct vec *rows)
{
    for (size_t i = 0; i < rows->len; i++) {
        cJSON *row = rows->items[i], *o = cJSON_CreateObject();

        for (size_t k = 0; k < s->items.len; k++) {
            const struct column *c = s->items.items[k];
            const cJSON *v = lookup(row, c->field);

            cJSON_AddItemToObject(
                o, c->name, v ? cJSON_Duplicate(v, true) : cJSON_CreateNull());
        }
        cJSON_Delete(row);
        rows->items[i] = o;
    }
}

struct sortable {
    cJSON *row;
    size_t idx;
};

/* qsort's comparator has no context: the keys travel in a thread-local. */
static _Thread_local const struct stage *sort_stage;

static int
cmp_values(const cJSON *a, const cJSON *b)
{
    bool an = !a || cJSON_IsNull(a), bn = !b || cJSON_IsNull(b);
    char *x, *y;
    int r;

    if (an || bn)
        return an && bn ? 0 : an ? -1 : 1;
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
        return a->valuedouble < b->valuedouble   ? -1
               : a->valuedouble > b->valuedouble ? 1
                                                 : 0;
    if (cJSON_IsString(a) && cJSON_IsString(b))
        return strcmp(a->valuestring, b->valuestring);
    x = text_of(a);
    y = text_of(b);
    r = strcmp(x, y);
    free(x);
    free(y);
    return r;
}

static int
cmp_rows(const void *pa, const void *pb)
{
    const struct sortable *a = pa, *b = pb;

    for (size_t k = 0; k < sort_stage->items.len; k++) {
        const struct sort_key *key = sort_stage->items.items[k];
        int r =
            cmp_values(lookup(a->row, key->field), lookup(b->row, key->field));

        if (r)
            return key->desc ? -r : r;
    }
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void
run_order(const struct stage *s, struct vec *rows)
{
    struct sortable *arr = xcalloc(rows->len ? rows->len : 1, sizeof *arr);

    for (size_t i = 0; i < rows->len; i++)
        arr[i] = (struct sortable){.row = rows->items[i], .idx = i};
    sort_stage = s;
    qsort(arr, rows->len, sizeof *arr, cmp_rows);
    sort_stage = NULL;
    for (size_t i = 0; i < rows->len; i++)
        rows->items[i] = arr[i].row;
    free(arr);
}

static void
truncate_rows(struct vec *rows, size_t n)
{
    while (rows->len > n)
        cJSON_Delete(vec_pop(rows));
}

/* Whether field is column or a path into it. */
static bool
field_in(const char *field, const char *column)
{
    size_t n = strlen(column);

    return strncmp(field, column, n) == 0 &&
           (field[n] == '\0' || field[n] == '.');
}

bool
kql_uses(const struct kql_query *q, const char *column)
{
    bool projected = false;

    for (size_t i = 0; i < q->stages.len; i++) {
        const struct stage *s = q->stages.items[i];

        for (size_t k = 0; k < s->items.len; k++) {
            const char *f = s->kind == S_WHERE
                                ? ((struct cond *)s->items.items[k])->field
                            : s->kind == S_PROJECT
                                ? ((struct column *)s->items.items[k])->field
                            : s->kind == S_ORDER
                                ? ((struct sort_key *)s->items.items[k])->field
                                : NULL;

            if (f && field_in(f, column) && !projected)
                return true;
        }
        if (s->kind == S_PROJECT || s->kind == S_COUNT)
            projected = true;
    }
    return !projected;
}

bool
kql_names(const struct kql_query *q, const char *column)
{
    for (size_t i = 0; i < q->stages.len; i++) {
        const struct stage *s = q->stages.items[i];

        for (size_t k = 0; k < s->items.len; k++) {
            const char *f = s->kind == S_WHERE
                                ? ((struct cond *)s->items.items[k])->field
                            : s->kind == S_PROJECT
                                ? ((struct column *)s->items.items[k])->field
                            : s->kind == S_ORDER
                                ? ((struct sort_key *)s->items.items[k])->field
                                : NULL;

            if (f && field_in(f, column))
                return true;
        }
    }
    return false;
}

bool
kql_may_match_type(const struct kql_query *q, const char *type)
{
    cJSON *stub = cJSON_CreateObject();
    bool may = true;

    cJSON_AddStringToObject(stub, "type", type);
    for (size_t i = 0; i < q->stages.len && may; i++) {
        const struct stage *s = q->stages.items[i];

        if (s->kind != S_WHERE)
            break; /* later clauses may see renamed columns */
        for (size_t k = 0; k < s->items.len && may; k++) {
            const struct cond *c = s->items.items[k];

            if (strcmp(c->field, "type") == 0)
                may = cond_holds(c, stub);
        }
    }
    cJSON_Delete(stub);
    return may;
}

void
kql_run(const struct kql_query *q, struct vec *rows)
{
    for (size_t i = 0; i < q->stages.len; i++) {
        const struct stage *s = q->stages.items[i];
        cJSON *c;

        switch (s->kind) {
        case S_WHERE:
            run_where(s, rows);
            break;
        case S_PROJECT:
            run_project(s, rows);
            break;
        case S_ORDER:
            run_order(s, rows);
            break;
        case S_COUNT:
            c = cJSON_CreateObject();
            cJSON_AddNumberToObject(c, "Count", (double)rows->len);
            truncate_rows(rows, 0);
            vec_push(rows, c);
            break;
        case S_LIMIT:
            truncate_rows(rows, (size_t)s->limit);
            break;
        }
    }
}
