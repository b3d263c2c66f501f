/*
 * kql.h — the subset of the Kusto Query Language that kvdeck-sim's Azure
 * Resource Graph answers (arm-graph.c). A query is a table and a pipe of
 * operators:
 *
 *   TABLE       resources | resourcecontainers (any case)
 *   where C [and C ...]
 *               C is FIELD OP VALUE with OP one of == (case-sensitive),
 *               =~ (case-insensitive), != , !~ , contains, !contains,
 *               startswith (the last three case-insensitive), or
 *               FIELD in (V, ...), in~ (...), !in (...), !in~ (...)
 *   project F [, NAME = F ...]
 *   order by F [asc|desc] [, ...]      (also sort by; desc by default)
 *   count                              one row {"Count": N}
 *   limit N | take N
 *
 * FIELD is a column (id, name, type, tenantId, kind, location,
 * resourceGroup, subscriptionId, managedBy, sku, plan, properties, tags,
 * identity, zones, extendedLocation) or a path into one: properties.a.b,
 * tags.env, tags['env'] (a projected path is named with '_' for '.':
 * properties_a_b). VALUE is a 'string', a "string", a number, true or
 * false. Operators and keywords are lower case, as in KQL; table names
 * match in any case. Anything else (or, summarize, extend, join, mv-expand,
 * parentheses in conditions, functions ...) is refused with a message
 * naming it (struct kql_error.unsupported).
 *
 * Rows are cJSON objects; kql_run() filters, projects, sorts, counts and
 * limits a vector of them in place.
 */
#ifndef KV_SIM_KQL_H
#define KV_SIM_KQL_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "base/vec.h"

enum kql_table {
    KQL_RESOURCES,
    KQL_CONTAINERS,
};

struct kql_query;

/* A refused query: the 1-based character position, the token found
 * there, and a message (all owned by the error; kql_error_free). */
struct kql_error {
    int pos;
    char *token;
    char *message;
    bool unsupported; /* valid KQL the subset does not know */
};

/* The parsed query (kql_free), or NULL with *err filled. */
struct kql_query *kql_parse(const char *text, struct kql_error *err);
void kql_free(struct kql_query *q);
void kql_error_free(struct kql_error *err);

enum kql_table kql_table(const struct kql_query *q);
/* True when the result rows carry the resource id (no project, or one
 * that keeps id; no count): Resource Graph pages only such results. */
bool kql_keeps_id(const struct kql_query *q);
/* The result's column names in order when a project or count fixes them
 * (borrowed strings, vector freed by the caller with vec_free), else
 * false. */
bool kql_columns(const struct kql_query *q, struct vec *names);

/* False when the query's leading where clauses exclude every row of
 * the resource type (lower case) whatever its other columns: lets the
 * index skip building those rows. */
bool kql_may_match_type(const struct kql_query *q, const char *type);

/* Whether the result can depend on the column (a top-level name such as
 * "properties"): the query names it in a clause, or no project limits
 * the columns. Lets the index leave out costly columns. */
bool kql_uses(const struct kql_query *q, const char *column);

/* Whether a clause (where, project, order by) names the column or a
 * path into it. */
bool kql_names(const struct kql_query *q, const char *column);

/* Runs the pipe over rows (cJSON objects, owned by the vector: rows
 * dropped are deleted, rows projected are replaced). */
void kql_run(const struct kql_query *q, struct vec *rows);

#endif
