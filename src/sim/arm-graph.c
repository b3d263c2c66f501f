/*
 * arm-graph.c — POST /providers/Microsoft.ResourceGraph/resources in
 * kvdeck-sim (see arm-graph.h for the whole, kql.h for the query
 * subset): the refusal switch, the quota headers and 429, the request
 * body (subscriptions, managementGroups refused, query, options $top,
 * $skip, $skipToken, resultFormat), paging and the answer in the
 * objectArray or table format.
 *
 * Errors take Resource Graph's shape: {"error":{"code":"BadRequest",
 * "message":..., "details":[{"code":"InvalidQuery",...}, ...]}}; a query
 * outside the subset adds {"code":"UnsupportedQuery" (the simulator's
 * own), "message": what is not supported}.
 *
 * $skipToken is base64 of {"v":1,"skip":N,"h":"<query hash>"}: opaque to
 * the client, bound to the query, subscriptions and format it came from;
 * anything else is refused 400 (InvalidSkipToken).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-graph.h"
#include "sim/store.h"
#include "sim/util.h"

#define GRAPH_MAX_SUBS 5000 /* more subscriptions than this: refused */

/* {"error":{"code","message","details":[{dcode,dmsg}]}} (caller
 * deletes); the message carries the timestamp and correlation id as
 * Resource Graph's do. */
static cJSON *
error_doc(struct arm_ctx *cx, const char *code, const char *dcode,
          const char *dmsg, const char *tail)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(root, "error"), *det, *d;
    char *now = util_iso_ms(sim_now_ms()), *msg;

    msg = xasprintf("Please provide below info when asking for support: "
                    "timestamp = %s, correlationId = %s. %s",
                    now, cx->rq->correlation_id ? cx->rq->correlation_id : "",
                    tail);
    cJSON_AddStringToObject(err, "code", code);
    cJSON_AddStringToObject(err, "message", msg);
    det = cJSON_AddArrayToObject(err, "details");
    if (dcode) {
        d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "code", dcode);
        cJSON_AddStringToObject(d, "message", dmsg ? dmsg : tail);
        cJSON_AddItemToArray(det, d);
    }
    free(now);
    free(msg);
    return root;
}

static void graph_error(struct arm_ctx *cx, int status, const char *code,
                        const char *dcode, const char *dmsg, const char *fmt,
                        ...) __attribute__((format(printf, 6, 7)));

static void
graph_error(struct arm_ctx *cx, int status, const char *code, const char *dcode,
            const char *dmsg, const char *fmt, ...)
{
    char *tail;
    va_list ap;

    va_start(ap, fmt);
    tail = xvasprintf(fmt, ap);
    va_end(ap);
    resp_json(cx->rs, status, error_doc(cx, code, dcode, dmsg, tail));
    free(tail);
}

static const char invalid_query[] =
    "Query is invalid. Please refer to the documentation for the Azure "
    "Resource Graph service and fix the error before retrying.";

/* 400 for a query the parser refused: InvalidQuery, then where and why
 * (ParserFailure, or UnsupportedQuery for KQL outside the subset). */
static void
query_error(struct arm_ctx *cx, const struct kql_error *e)
{
    cJSON *root =
        error_doc(cx, "BadRequest", "InvalidQuery", invalid_query, e->message);
    cJSON *det =
        cJSON_GetObjectItem(cJSON_GetObjectItem(root, "error"), "details");
    cJSON *d = cJSON_CreateObject();

    cJSON_AddStringToObject(
        d, "code", e->unsupported ? "UnsupportedQuery" : "ParserFailure");
    cJSON_AddStringToObject(d, "message", e->message);
    cJSON_AddNumberToObject(d, "line", 1);
    cJSON_AddNumberToObject(d, "characterPositionInLine", e->pos);
    cJSON_AddStringToObject(d, "token", e->token ? e->token : "");
    cJSON_AddItemToArray(det, d);
    resp_json(cx->rs, 400, root);
}

/* "hh:mm:ss" for ms, rounded up to a second. */
static void
quota_headers(struct arm_ctx *cx, int remaining, int64_t reset_ms)
{
    int64_t s = reset_ms > 0 ? (reset_ms + 999) / 1000 : 0;

    resp_header(cx->rs, "x-ms-user-quota-remaining", "%d", remaining);
    resp_header(cx->rs, "x-ms-user-quota-resets-after", "%02d:%02d:%02d",
                (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
}

static const char *
principal(const struct arm_ctx *cx)
{
    const char *p = json_str(cx->rq->claims, "oid");

    if (!p)
        p = json_str(cx->rq->claims, "appid");
    return p ? p : "";
}

/* A hash of what a skip token is bound to (FNV-1a, hex; caller frees). */
static char *
query_hash(const char *query, const struct vec *subs, bool table)
{
    uint64_t h = 1469598103934665603ULL;
    struct buf b = BUF_INIT;
    char *r;

    buf_puts(&b, query);
    for (size_t i = 0; subs && i < subs->len; i++)
        buf_printf(&b, "|%s", (const char *)subs->items[i]);
    buf_puts(&b, table ? "|table" : "|objects");
    for (size_t i = 0; i < b.len; i++) {
        h ^= (unsigned char)b.data[i];
        h *= 1099511628211ULL;
    }
    buf_free(&b);
    r = xasprintf("%016llx", (unsigned long long)h);
    return r;
}

static char *
token_make(const char *hash, long skip)
{
    char *raw = xasprintf("{\"v\":1,\"skip\":%ld,\"h\":\"%s\"}", skip, hash);
    char *tok = str_base64(raw, strlen(raw));

    free(raw);
    return tok;
}

/* The offset a token names, or -1 when it is not one of ours for hash. */
static long
token_skip(const char *tok, const char *hash)
{
    unsigned char *raw = NULL;
    size_t len = 0;
    cJSON *j;
    long skip = -1;

    if (!tok || !str_base64_decode(tok, strlen(tok), &raw, &len))
        return -1;
    j = cJSON_ParseWithLength((const char *)raw, len);
    if (j && json_int(j, "v", 0) == 1 && str_eq(json_str(j, "h"), hash) &&
        cJSON_IsNumber(cJSON_GetObjectItem(j, "skip")) &&
        json_int(j, "skip", -1) >= 0 && json_int(j, "skip", -1) < 100000000)
        skip = (long)json_int(j, "skip", -1);
    cJSON_Delete(j);
    free(raw);
    return skip;
}

static int
str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The body's subscriptions (lower case, sorted, unique) into subs;
 * false after answering 400. */
static bool
body_subs(struct arm_ctx *cx, const cJSON *arr, struct vec *subs)
{
    const cJSON *it;

    if (!cJSON_IsArray(arr)) {
        graph_error(cx, 400, "BadRequest", "InvalidRequestContent", NULL,
                    "The 'subscriptions' member must be an array of "
                    "subscription ids.");
        return false;
    }
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it) || !str_is_uuid(it->valuestring)) {
            graph_error(cx, 400, "BadRequest", "InvalidSubscriptionId", NULL,
                        "The subscription id '%s' is not a valid GUID.",
                        cJSON_IsString(it) ? it->valuestring : "");
            return false;
        }
        vec_push(subs, util_lower(it->valuestring));
    }
    if (subs->len > GRAPH_MAX_SUBS) {
        graph_error(cx, 400, "BadRequest", "TooManySubscriptions", NULL,
                    "The request names %zu subscriptions; at most %d are "
                    "allowed.",
                    subs->len, GRAPH_MAX_SUBS);
        return false;
    }
    vec_sort(subs, str_cmp);
    for (size_t i = 1; i < subs->len;) {
        if (strcmp(subs->items[i], subs->items[i - 1]) == 0)
            free(vec_remove(subs, i));
        else
            i++;
    }
    return true;
}

struct options {
    long top, skip;
    const char *token;
    bool table;
};

/* The options member; false after answering 400. */
static bool
body_options(struct arm_ctx *cx, const cJSON *o, struct options *op)
{
    const cJSON *top = cJSON_GetObjectItem(o, "$top");
    const cJSON *skip = cJSON_GetObjectItem(o, "$skip");
    const cJSON *tok = cJSON_GetObjectItem(o, "$skipToken");
    const char *fmt = json_str(o, "resultFormat");

    /* Before 2021-03-01 the table format was the default. */
    op->table = !arm_api_since(cx, "2021-03-01");
    op->top = 100;
    if (top && (!cJSON_IsNumber(top) || top->valuedouble < 1 ||
                top->valuedouble > 1000)) {
        graph_error(cx, 400, "BadRequest", "InvalidRequestContent", NULL,
                    "The '$top' option must be an integer in 1..1000.");
        return false;
    }
    if (skip && (!cJSON_IsNumber(skip) || skip->valuedouble < 0 ||
                 skip->valuedouble > 1e8)) {
        graph_error(cx, 400, "BadRequest", "InvalidRequestContent", NULL,
                    "The '$skip' option must be a non-negative integer.");
        return false;
    }
    if (tok && !cJSON_IsNull(tok) && !cJSON_IsString(tok)) {
        graph_error(cx, 400, "BadRequest", "InvalidSkipToken", NULL,
                    "The skip token is invalid.");
        return false;
    }
    if (fmt && strcasecmp(fmt, "table") != 0 &&
        strcasecmp(fmt, "objectArray") != 0) {
        graph_error(cx, 400, "BadRequest", "InvalidRequestContent", NULL,
                    "The 'resultFormat' option must be 'table' or "
                    "'objectArray'.");
        return false;
    }
    if (fmt)
        op->table = strcasecmp(fmt, "table") == 0;
    if (top)
        op->top = (long)top->valuedouble;
    /* graph_page_rows: a page cut short as the service cuts large ones */
    if (atomic_load(&cx->sim->graph_page_rows) > 0 &&
        op->top > atomic_load(&cx->sim->graph_page_rows))
        op->top = atomic_load(&cx->sim->graph_page_rows);
    op->skip = skip ? (long)skip->valuedouble : -1;
    op->token =
        cJSON_IsString(tok) && *tok->valuestring ? tok->valuestring : NULL;
    return true;
}

static const char *
column_type(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "string";
    if (cJSON_IsNumber(v))
        return v->valuedouble > -9.2e18 && v->valuedouble < 9.2e18 &&
                       v->valuedouble == (double)(long long)v->valuedouble
                   ? "integer"
                   : "number";
    if (cJSON_IsBool(v))
        return "boolean";
    return "object";
}

/* The table format: columns from the first row (or the query's), rows as
 * arrays in that order. Takes the rows. */
static cJSON *
as_table(const struct kql_query *q, cJSON *rows)
{
    cJSON *t = cJSON_CreateObject(), *cols, *out, *first = rows->child, *it;
    struct vec names = VEC_INIT;

    cols = cJSON_AddArrayToObject(t, "columns");
    out = cJSON_AddArrayToObject(t, "rows");
    if (!kql_columns(q, &names))
        for (it = first ? first->child : NULL; it; it = it->next)
            vec_push(&names, it->string);
    for (size_t i = 0; i < names.len; i++) {
        cJSON *c = cJSON_CreateObject();
        const cJSON *v =
            first ? cJSON_GetObjectItem(first, names.items[i]) : NULL;

        cJSON_AddStringToObject(c, "name", names.items[i]);
        cJSON_AddStringToObject(c, "type", v ? column_type(v) : "string");
        cJSON_AddItemToArray(cols, c);
    }
    cJSON_ArrayForEach(it, rows)
    {
        cJSON *r = cJSON_CreateArray();

        for (size_t i = 0; i < names.len; i++) {
            const cJSON *v = cJSON_GetObjectItem(it, names.items[i]);

            cJSON_AddItemToArray(r, v ? cJSON_Duplicate(v, true)
                                      : cJSON_CreateNull());
        }
        cJSON_AddItemToArray(out, r);
    }
    vec_free(&names);
    cJSON_Delete(rows);
    return t;
}

/* The result of q: rows [skip, skip + top) into a new array, with
 * *total; from the cache for a later page (token, or $skip past the
 * first row), else run and, when more pages may follow, cached. The
 * first page always runs the query (a role assignment that took effect
 * since shows). */
static cJSON *
result_page(struct arm_ctx *cx, const struct kql_query *q,
            const struct vec *subs, const char *hash, bool token, long skip,
            long top, long *total)
{
    struct arm_graph *g = cx->sim->graph;
    uint64_t gen = arm_graph_gen(g);
    struct vec rows = VEC_INIT;
    cJSON *page, *all;

    if ((token || skip > 0) &&
        (page = arm_graph_cache_get(g, principal(cx), hash, skip, top, total)))
        return page;
    arm_graph_rows(cx, q, subs, &rows);
    kql_run(q, &rows);
    *total = (long)rows.len;
    page = cJSON_CreateArray();
    all = cJSON_CreateArray();
    for (size_t i = 0; i < rows.len; i++) {
        if ((long)i >= skip && (long)i < skip + top)
            cJSON_AddItemToArray(page, cJSON_Duplicate(rows.items[i], true));
        cJSON_AddItemToArray(all, rows.items[i]);
    }
    vec_free(&rows);
    if (skip + top < *total && kql_keeps_id(q) &&
        atomic_load(&cx->sim->graph_lag_ms) == 0)
        arm_graph_cache_put(g, principal(cx), hash, gen, all);
    else
        cJSON_Delete(all);
    return page;
}

static void
answer(struct arm_ctx *cx, const char *query, const struct kql_query *q,
       const struct vec *subs, const struct options *op)
{
    char *hash = query_hash(query, subs, op->table);
    long skip = op->skip >= 0 ? op->skip : 0, total, end;
    cJSON *root, *data;
    bool pageable = kql_keeps_id(q);

    if (op->token) {
        long s = token_skip(op->token, hash);

        if (s < 0) {
            graph_error(cx, 400, "BadRequest", "InvalidSkipToken", NULL,
                        "The skip token is invalid or does not belong to "
                        "this query.");
            free(hash);
            return;
        }
        if (op->skip < 0)
            skip = s;
    }
    data = result_page(cx, q, subs, hash, op->token != NULL, skip, op->top,
                       &total);
    arm_graph_fill(cx, data);
    end = skip + op->top < total ? skip + op->top : total;
    root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "totalRecords", (double)total);
    cJSON_AddNumberToObject(root, "count", (double)cJSON_GetArraySize(data));
    /* Without the id a result cannot page: Resource Graph cuts it. */
    cJSON_AddStringToObject(root, "resultTruncated",
                            end < total && !pageable ? "true" : "false");
    if (end < total && pageable) {
        char *tok = token_make(hash, end);

        cJSON_AddStringToObject(root, "$skipToken", tok);
        free(tok);
    }
    cJSON_AddItemToObject(root, "data", op->table ? as_table(q, data) : data);
    cJSON_AddItemToObject(root, "facets", cJSON_CreateArray());
    free(hash);
    resp_json(cx->rs, 200, root);
}

static void
graph_resources(struct arm_ctx *cx)
{
    struct sim *sim = cx->sim;
    int quota = atomic_load(&sim->graph_quota);
    int window = atomic_load(&sim->graph_window_ms);
    int remaining;
    int64_t reset;
    cJSON *body = NULL;
    const cJSON *mg;
    const char *query;
    struct vec subs = VEC_INIT;
    struct options op = {0};
    struct kql_query *q = NULL;
    struct kql_error err;

    if (atomic_load(&sim->graph_forbidden)) {
        const char *who = json_str(cx->rq->claims, "upn");

        arm_error(cx, 403, "AuthorizationFailed",
                  "The client '%s' with object id '%s' does not have "
                  "authorization to perform action "
                  "'Microsoft.ResourceGraph/resources/read' over scope "
                  "'/providers/Microsoft.ResourceGraph' or the scope is "
                  "invalid. If access was recently granted, please refresh "
                  "your credentials.",
                  who ? who : principal(cx), principal(cx));
        arm_graph_quota_peek(sim->graph, principal(cx), quota, window,
                             &remaining, &reset);
        quota_headers(cx, remaining, reset);
        return;
    }
    if (!arm_graph_quota_take(sim->graph, principal(cx), quota, window,
                              &remaining, &reset)) {
        graph_error(cx, 429, "RateLimiting", "RateLimiting",
                    "Client application has been throttled and should not "
                    "attempt to repeat the request until an amount of time "
                    "has elapsed. Please see "
                    "https://aka.ms/resourcegraph-throttling for help.",
                    "Client application has been throttled and should not "
                    "attempt to repeat the request until an amount of time "
                    "has elapsed. Please see "
                    "https://aka.ms/resourcegraph-throttling for help.");
        quota_headers(cx, 0, reset);
        resp_header(cx->rs, "Retry-After", "%lld",
                    (long long)(reset > 0 ? (reset + 999) / 1000 : 1));
        return;
    }
    quota_headers(cx, remaining, reset);
    if (!(body = arm_body(cx)))
        return;
    query = json_str(body, "query");
    mg = cJSON_GetObjectItem(body, "managementGroups");
    if (!query || !*query) {
        graph_error(cx, 400, "BadRequest", "InvalidRequestContent", NULL,
                    "The request content was invalid: the 'query' member is "
                    "required.");
        goto out;
    }
    if (mg && !cJSON_IsNull(mg) && cJSON_GetArraySize(mg) > 0) {
        graph_error(cx, 400, "BadRequest", "UnsupportedQuery",
                    "kvdeck-sim's Resource Graph does not support "
                    "management group scopes; name subscriptions or none "
                    "(the tenant)",
                    "Management group scopes are not supported.");
        goto out;
    }
    if (!body_options(cx, cJSON_GetObjectItem(body, "options"), &op))
        goto out;
    if (cJSON_GetObjectItem(body, "subscriptions") &&
        !cJSON_IsNull(cJSON_GetObjectItem(body, "subscriptions"))) {
        if (!body_subs(cx, cJSON_GetObjectItem(body, "subscriptions"), &subs))
            goto out;
    }
    if (!(q = kql_parse(query, &err))) {
        query_error(cx, &err);
        kql_error_free(&err);
        goto out;
    }
    /* No subscriptions: every one the caller may read (the tenant). */
    answer(cx, query, q, subs.len ? &subs : NULL, &op);
out:
    kql_free(q);
    vec_free_all(&subs, free);
    cJSON_Delete(body);
}

const struct arm_route arm_graph_routes[] = {
    {.pattern = "providers/microsoft.resourcegraph/resources",
     .methods = "POST",
     .apis = API_GRAPH,
     .type = "resources",
     .fn = graph_resources},
    {.pattern = NULL},
};
