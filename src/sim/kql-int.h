/*
 * kql-int.h — the parsed form of a kvdeck-sim Resource Graph query,
 * shared by the parser (kql.c) and the evaluation (kql-run.c); see
 * kql.h. Owned by simgraph.
 */
#ifndef KV_SIM_KQL_INT_H
#define KV_SIM_KQL_INT_H

#include <stdbool.h>

#include "base/vec.h"
#include "sim/kql.h"

enum cmp {
    C_EQ,
    C_IEQ,
    C_NE,
    C_INE,
    C_IN,
    C_IIN,
    C_NIN,
    C_NIIN,
    C_CONTAINS,
    C_NCONTAINS,
    C_STARTSWITH,
};

struct cond {
    char *field;
    enum cmp op;
    struct vec values; /* char * */
};

struct sort_key {
    char *field;
    bool desc;
};

struct column {
    char *name; /* output name */
    char *field;
};

enum stage_kind { S_WHERE, S_PROJECT, S_ORDER, S_COUNT, S_LIMIT };

struct stage {
    enum stage_kind kind;
    struct vec items; /* struct cond *, struct column *, struct sort_key * */
    long limit;
};

struct kql_query {
    enum kql_table table;
    struct vec stages; /* struct stage * */
};

#endif
