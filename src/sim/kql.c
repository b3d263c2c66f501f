/*
 * kql.c — the KQL subset of kvdeck-sim's Resource Graph (see kql.h): a
 * tokenizer and a parser into stages (kql-int.h); kql-run.c evaluates
 * them.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/kql-int.h"

enum tok_kind { T_END, T_IDENT, T_STRING, T_NUMBER, T_PUNCT };

struct tok {
    enum tok_kind kind;
    char *text; /* identifier, decoded string, number, or operator */
    int pos;    /* 1-based */
};

struct parser {
    struct vec toks; /* struct tok * */
    size_t at;
    struct kql_error *err;
};

/* ---- tokens ------------------------------------------------------------ */

static void
push_tok(struct vec *v, enum tok_kind k, char *text, int pos)
{
    struct tok *t = xmalloc(sizeof *t);

    *t = (struct tok){.kind = k, .text = text, .pos = pos};
    vec_push(v, t);
}

static void
tok_free(void *p)
{
    struct tok *t = p;

    free(t->text);
    free(t);
}

/* Two- and three-character operators first. */
static const char *const puncts[] = {"!in~", "!contains", "in~", "==", "=~",
                                     "!=",   "!~",        "!in", NULL};

static bool
tokenize(const char *s, struct vec *out, struct kql_error *err)
{
    const char *p = s;

    while (*p) {
        int pos = (int)(p - s) + 1;

        if (isspace((unsigned char)*p)) {
            p++;
        } else if (isalpha((unsigned char)*p) || *p == '_') {
            const char *b = p;

            while (isalnum((unsigned char)*p) || *p == '_' || *p == '-')
                p++;
            /* "in~" is one token. */
            if (p - b == 2 && strncmp(b, "in", 2) == 0 && *p == '~')
                p++;
            push_tok(out, T_IDENT, xstrndup(b, (size_t)(p - b)), pos);
        } else if (isdigit((unsigned char)*p)) {
            const char *b = p;

            while (isalnum((unsigned char)*p) || *p == '.')
                p++;
            push_tok(out, T_NUMBER, xstrndup(b, (size_t)(p - b)), pos);
        } else if (*p == '\'' || *p == '"') {
            char q = *p++;
            struct buf b = BUF_INIT;

            while (*p && *p != q) {
                if (*p == '\\' && p[1])
                    p++;
                buf_putc(&b, *p++);
            }
            if (!*p) {
                buf_free(&b);
                err->pos = pos;
                err->token = xstrdup("<EOF>");
                err->message = xstrdup("unterminated string literal");
                return false;
            }
            p++;
            push_tok(out, T_STRING, buf_steal(&b), pos);
        } else {
            size_t n = 1;

            for (size_t i = 0; puncts[i]; i++)
                if (strncmp(p, puncts[i], strlen(puncts[i])) == 0) {
                    n = strlen(puncts[i]);
                    break;
                }
            push_tok(out, T_PUNCT, xstrndup(p, n), pos);
            p += n;
        }
    }
    push_tok(out, T_END, xstrdup("<EOF>"), (int)(p - s) + 1);
    return true;
}

/* ---- parser ------------------------------------------------------------ */

static struct tok *
peek(struct parser *ps)
{
    return ps->toks.items[ps->at];
}

static struct tok *
next(struct parser *ps)
{
    struct tok *t = peek(ps);

    if (t->kind != T_END)
        ps->at++;
    return t;
}

static bool
is(struct parser *ps, const char *text)
{
    struct tok *t = peek(ps);

    return t->kind != T_STRING && t->kind != T_END &&
           strcmp(t->text, text) == 0;
}

static bool
accept(struct parser *ps, const char *text)
{
    if (!is(ps, text))
        return false;
    next(ps);
    return true;
}

static bool fail(struct parser *ps, bool unsupported, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool
fail(struct parser *ps, bool unsupported, const char *fmt, ...)
{
    struct tok *t = peek(ps);
    va_list ap;

    if (ps->err->message)
        return false;
    va_start(ap, fmt);
    ps->err->message = xvasprintf(fmt, ap);
    va_end(ap);
    ps->err->pos = t->pos;
    ps->err->token = xstrdup(t->text);
    ps->err->unsupported = unsupported;
    return false;
}

static bool
expect(struct parser *ps, const char *text)
{
    if (accept(ps, text))
        return true;
    return fail(ps, false, "expected '%s' but found '%s'", text,
                peek(ps)->text);
}

/* FIELD: ident ( '.' ident | '[' 'string' ']' )*, as "a.b.c". */
static char *
parse_field(struct parser *ps)
{
    struct tok *t = peek(ps);
    struct buf b = BUF_INIT;

    if (t->kind != T_IDENT) {
        fail(ps, false, "expected a column name but found '%s'", t->text);
        return NULL;
    }
    buf_puts(&b, next(ps)->text);
    if (is(ps, "(")) {
        buf_free(&b);
        fail(ps, true,
             "functions ('%s(...)') are not supported by "
             "kvdeck-sim's Resource Graph",
             t->text);
        return NULL;
    }
    for (;;) {
        if (accept(ps, ".")) {
            t = next(ps);
            if (t->kind != T_IDENT)
                goto bad;
            buf_printf(&b, ".%s", t->text);
        } else if (accept(ps, "[")) {
            t = next(ps);
            if (t->kind != T_STRING || !accept(ps, "]"))
                goto bad;
            buf_printf(&b, ".%s", t->text);
        } else {
            return buf_steal(&b);
        }
    }
bad:
    buf_free(&b);
    fail(ps, false, "bad column path near '%s'", t->text);
    return NULL;
}

static void
cond_free(void *p)
{
    struct cond *c = p;

    free(c->field);
    vec_free_all(&c->values, free);
    free(c);
}

static void
column_free(void *p)
{
    struct column *c = p;

    free(c->name);
    free(c->field);
    free(c);
}

static void
sort_key_free(void *p)
{
    struct sort_key *k = p;

    free(k->field);
    free(k);
}

static void
stage_free(void *p)
{
    struct stage *s = p;

    switch (s->kind) {
    case S_WHERE:
        vec_free_all(&s->items, cond_free);
        break;
    case S_PROJECT:
        vec_free_all(&s->items, column_free);
        break;
    case S_ORDER:
        vec_free_all(&s->items, sort_key_free);
        break;
    default:
        vec_free(&s->items);
    }
    free(s);
}

static bool
parse_value(struct parser *ps, struct vec *values)
{
    struct tok *t = peek(ps);

    if (t->kind == T_STRING || t->kind == T_NUMBER ||
        (t->kind == T_IDENT &&
         (strcmp(t->text, "true") == 0 || strcmp(t->text, "false") == 0))) {
        vec_push(values, xstrdup(next(ps)->text));
        return true;
    }
    return fail(ps, t->kind == T_IDENT,
                "expected a literal value but found '%s' (kvdeck-sim's "
                "Resource Graph compares columns with literals only)",
                t->text);
}

static const struct {
    const char *op;
    enum cmp cmp;
    bool list;
} ops[] = {
    {"==", C_EQ, false},
    {"=~", C_IEQ, false},
    {"!=", C_NE, false},
    {"!~", C_INE, false},
    {"in", C_IN, true},
    {"in~", C_IIN, true},
    {"!in", C_NIN, true},
    {"!in~", C_NIIN, true},
    {"contains", C_CONTAINS, false},
    {"!contains", C_NCONTAINS, false},
    {"startswith", C_STARTSWITH, false},
};

static struct cond *
parse_cond(struct parser *ps)
{
    struct cond *c;
    size_t i;

    if (is(ps, "(") || is(ps, "not"))
        return fail(ps, true,
                    "'%s' in a where clause is not supported by kvdeck-sim's "
                    "Resource Graph (only FIELD OP VALUE joined by 'and')",
                    peek(ps)->text),
               NULL;
    c = xcalloc(1, sizeof *c);
    if (!(c->field = parse_field(ps)))
        goto bad;
    for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (is(ps, ops[i].op))
            break;
    if (i == sizeof ops / sizeof ops[0]) {
        fail(ps, peek(ps)->kind != T_END,
             "comparison '%s' is not supported by kvdeck-sim's Resource "
             "Graph (==, =~, !=, !~, in, in~, !in, !in~, contains, "
             "!contains, startswith)",
             peek(ps)->text);
        goto bad;
    }
    next(ps);
    c->op = ops[i].cmp;
    if (!ops[i].list) {
        if (!parse_value(ps, &c->values))
            goto bad;
        return c;
    }
    if (!expect(ps, "("))
        goto bad;
    do {
        if (!parse_value(ps, &c->values))
            goto bad;
    } while (accept(ps, ","));
    if (!expect(ps, ")"))
        goto bad;
    return c;
bad:
    cond_free(c);
    return NULL;
}

static bool
parse_where(struct parser *ps, struct stage *s)
{
    do {
        struct cond *c = parse_cond(ps);

        if (!c)
            return false;
        vec_push(&s->items, c);
    } while (accept(ps, "and"));
    if (is(ps, "or"))
        return fail(ps, true,
                    "'or' is not supported by kvdeck-sim's Resource Graph "
                    "(use 'in' or separate queries)");
    return true;
}

/* "properties.a.b" is named "properties_a_b" as KQL names it. */
static char *
column_name(const char *field)
{
    char *n = xstrdup(field);

    for (char *p = n; *p; p++)
        if (*p == '.')
            *p = '_';
    return n;
}

static bool
parse_project(struct parser *ps, struct stage *s)
{
    do {
        struct column *c = xcalloc(1, sizeof *c);
        struct tok *t = peek(ps);

        vec_push(&s->items, c);
        if (t->kind == T_IDENT && ps->at + 1 < ps->toks.len &&
            strcmp(((struct tok *)ps->toks.items[ps->at + 1])->text, "=") ==
                0) {
            c->name = xstrdup(t->text);
            ps->at += 2;
        }
        if (!(c->field = parse_field(ps)))
            return false;
        if (!c->name)
            c->name = column_name(c->field);
    } while (accept(ps, ","));
    return true;
}

static bool
parse_order(struct parser *ps, struct stage *s)
{
    if (!expect(ps, "by"))
        return false;
    do {
        struct sort_key *k = xcalloc(1, sizeof *k);

        vec_push(&s->items, k);
        if (!(k->field = parse_field(ps)))
            return false;
        k->desc = true; /* KQL sorts descending unless told */
        if (accept(ps, "asc"))
            k->desc = false;
        else
            accept(ps, "desc");
        if (accept(ps, "nulls") && !accept(ps, "first") && !accept(ps, "last"))
            return fail(ps, false, "expected 'first' or 'last'");
    } while (accept(ps, ","));
    return true;
}

static bool
parse_limit(struct parser *ps, struct stage *s)
{
    struct tok *t = peek(ps);
    char *end;

    if (t->kind != T_NUMBER)
        return fail(ps, false, "expected a number but found '%s'", t->text);
    s->limit = strtol(t->text, &end, 10);
    if (*end || s->limit < 0)
        return fail(ps, false, "bad row count '%s'", t->text);
    next(ps);
    return true;
}

static bool
parse_stage(struct parser *ps, struct kql_query *q)
{
    struct tok *t = next(ps);
    struct stage *s = xcalloc(1, sizeof *s);
    bool ok;

    vec_push(&q->stages, s);
    if (t->kind != T_IDENT) {
        ps->at--;
        return fail(ps, false, "expected a query operator but found '%s'",
                    t->text);
    }
    if (strcmp(t->text, "where") == 0) {
        s->kind = S_WHERE;
        ok = parse_where(ps, s);
    } else if (strcmp(t->text, "project") == 0) {
        s->kind = S_PROJECT;
        ok = parse_project(ps, s);
    } else if (strcmp(t->text, "order") == 0 || strcmp(t->text, "sort") == 0) {
        s->kind = S_ORDER;
        ok = parse_order(ps, s);
    } else if (strcmp(t->text, "count") == 0) {
        s->kind = S_COUNT;
        ok = true;
    } else if (strcmp(t->text, "limit") == 0 || strcmp(t->text, "take") == 0) {
        s->kind = S_LIMIT;
        ok = parse_limit(ps, s);
    } else {
        ps->at--;
        return fail(ps, true,
                    "the operator '%s' is not supported by kvdeck-sim's "
                    "Resource Graph (where, project, order by, sort by, "
                    "count, limit, take)",
                    t->text);
    }
    return ok;
}

struct kql_query *
kql_parse(const char *text, struct kql_error *err)
{
    struct parser ps = {.toks = VEC_INIT, .err = err};
    struct kql_query *q = xcalloc(1, sizeof *q);
    struct tok *t;

    memset(err, 0, sizeof *err);
    if (!tokenize(text ? text : "", &ps.toks, err))
        goto bad;
    t = next(&ps);
    if (t->kind == T_IDENT && strcasecmp(t->text, "resources") == 0)
        q->table = KQL_RESOURCES;
    else if (t->kind == T_IDENT &&
             strcasecmp(t->text, "resourcecontainers") == 0)
        q->table = KQL_CONTAINERS;
    else {
        ps.at--;
        fail(&ps, t->kind == T_IDENT,
             "the table '%s' is not supported by kvdeck-sim's Resource "
             "Graph (resources, resourcecontainers)",
             t->text);
        goto bad;
    }
    while (accept(&ps, "|"))
        if (!parse_stage(&ps, q))
            goto bad;
    if (peek(&ps)->kind != T_END) {
        fail(&ps, false, "expected '|' but found '%s'", peek(&ps)->text);
        goto bad;
    }
    vec_free_all(&ps.toks, tok_free);
    return q;
bad:
    vec_free_all(&ps.toks, tok_free);
    kql_free(q);
    return NULL;
}

void
kql_free(struct kql_query *q)
{
    if (!q)
        return;
    vec_free_all(&q->stages, stage_free);
    free(q);
}

void
kql_error_free(struct kql_error *err)
{
    free(err->token);
    free(err->message);
    memset(err, 0, sizeof *err);
}

enum kql_table
kql_table(const struct kql_query *q)
{
    return q->table;
}
