/*
 * journal.c — the audit journal (see journal.h): formatting and appending
 * lines durably, reading them back, and the pending retirements.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/jsonflat.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/journal.h"

char *
journal_default_path(void)
{
    const char *over = getenv("KVDECK_JOURNAL");
    if (over != NULL && *over != '\0')
        return xstrdup(over);
    const char *state = getenv("XDG_STATE_HOME");
    if (state != NULL && state[0] == '/')
        return xasprintf("%s/kvdeck/journal.jsonl", state);
    const char *home = getenv("HOME");
    if (home == NULL || home[0] != '/')
        return NULL;
    return xasprintf("%s/.local/state/kvdeck/journal.jsonl", home);
}

static void
put_key(struct buf *b, const char *key, const char *val)
{
    buf_printf(b, ",\"%s\":", key);
    jsonflat_put_string(b, val);
}

char *
journal_format(const struct journal_entry *e)
{
    struct buf b = BUF_INIT;
    char when[32];
    time_format_iso(e->time != 0 ? e->time : time_now(), when, sizeof when);
    buf_puts(&b, "{\"time\":");
    jsonflat_put_string(&b, when);
    put_key(&b, "cloud", e->cloud);
    put_key(&b, "tenant", e->tenant);
    put_key(&b, "principal", e->principal);
    put_key(&b, "plan", e->plan);
    put_key(&b, "plan_id", e->plan_id);
    if (e->step > 0)
        buf_printf(&b, ",\"step\":%d,\"steps\":%d", e->step, e->steps);
    put_key(&b, "op", e->op);
    put_key(&b, "text", e->text);
    put_key(&b, "target", e->target);
    put_key(&b, "outcome", e->outcome);
    if (e->version != NULL)
        put_key(&b, "version", e->version);
    if (e->http_status > 0)
        buf_printf(&b, ",\"http_status\":%ld", e->http_status);
    put_key(&b, "error_code", e->error_code);
    put_key(&b, "request_id", e->request_id);
    if (e->due != 0) {
        time_format_iso(e->due, when, sizeof when);
        put_key(&b, "due", when);
    }
    buf_putc(&b, '}');
    return buf_steal(&b);
}

/* mkdir -p of path's directory, 0700 for what it creates. */
static enum kv_status
make_dirs(const char *path, char **why)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir) {
        free(dir);
        return KV_OK;
    }
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            goto fail;
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        goto fail;
    free(dir);
    return KV_OK;
fail:
    *why = xasprintf(_("cannot create %s: %s"), dir, strerror(errno));
    free(dir);
    return KV_ERR_IO;
}

enum kv_status
journal_append(const char *path, const struct journal_entry *e, char **why)
{
    if (path == NULL) {
        *why = xstrdup(_("no journal path (HOME is not set)"));
        return KV_ERR_IO;
    }
    if (make_dirs(path, why) != KV_OK)
        return KV_ERR_IO;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        *why = xasprintf(_("cannot open the journal %s: %s"), path,
                         strerror(errno));
        return KV_ERR_IO;
    }
    char *line = journal_format(e);
    size_t n = strlen(line);
    line[n] = '\n'; /* one write() for the whole line */
    ssize_t w = write(fd, line, n + 1);
    int err = errno;
    bool ok = w == (ssize_t)(n + 1) && fsync(fd) == 0;
    if (!ok && w == (ssize_t)(n + 1))
        err = errno;
    close(fd);
    free(line);
    if (!ok) {
        *why = xasprintf(_("cannot write the journal %s: %s"), path,
                         strerror(err != 0 ? err : EIO));
        return KV_ERR_IO;
    }
    return KV_OK;
}

void
journal_entry_free(struct journal_entry *e)
{
    if (e == NULL)
        return;
    free(e->cloud);
    free(e->tenant);
    free(e->principal);
    free(e->plan);
    free(e->plan_id);
    free(e->op);
    free(e->text);
    free(e->target);
    free(e->outcome);
    free(e->version);
    free(e->error_code);
    free(e->request_id);
    free(e);
}

static char *
get(const struct jsonflat *o, const char *key)
{
    const char *v = jsonflat_get(o, key);
    return v != NULL ? xstrdup(v) : NULL;
}

/* One line into an entry, or NULL when it is not one of ours. */
static struct journal_entry *
parse_line(const char *line, size_t len)
{
    struct jsonflat o;
    if (!jsonflat_parse(line, len, &o))
        return NULL;
    const char *when = jsonflat_get(&o, "time");
    const char *op = jsonflat_get(&o, "op");
    int64_t t;
    if (when == NULL || op == NULL || !time_parse_iso(when, &t)) {
        jsonflat_free(&o);
        return NULL;
    }
    struct journal_entry *e = xcalloc(1, sizeof *e);
    e->time = t;
    e->cloud = get(&o, "cloud");
    e->tenant = get(&o, "tenant");
    e->principal = get(&o, "principal");
    e->plan = get(&o, "plan");
    e->plan_id = get(&o, "plan_id");
    e->op = get(&o, "op");
    e->text = get(&o, "text");
    e->target = get(&o, "target");
    e->outcome = get(&o, "outcome");
    e->version = get(&o, "version");
    e->error_code = get(&o, "error_code");
    e->request_id = get(&o, "request_id");
    const char *v;
    if ((v = jsonflat_get(&o, "step")) != NULL)
        e->step = atoi(v);
    if ((v = jsonflat_get(&o, "steps")) != NULL)
        e->steps = atoi(v);
    if ((v = jsonflat_get(&o, "http_status")) != NULL)
        e->http_status = atol(v);
    if ((v = jsonflat_get(&o, "due")) != NULL && !time_parse_iso(v, &e->due))
        e->due = 0;
    jsonflat_free(&o);
    return e;
}

enum kv_status
journal_read(const char *path, struct vec *out, unsigned *skipped, char **why)
{
    unsigned bad = 0;
    FILE *f = path != NULL ? fopen(path, "re") : NULL;
    if (f == NULL) {
        if (path == NULL || errno == ENOENT) {
            if (skipped != NULL)
                *skipped = 0;
            return KV_OK;
        }
        *why = xasprintf(_("cannot read the journal %s: %s"), path,
                         strerror(errno));
        return KV_ERR_IO;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n == 0)
            continue;
        struct journal_entry *e = parse_line(line, (size_t)n);
        if (e != NULL)
            vec_push(out, e);
        else
            bad++;
    }
    free(line);
    fclose(f);
    if (skipped != NULL)
        *skipped = bad;
    return KV_OK;
}

/* Whether a later entry (index > i) settles the retire-later entry i. */
static bool
settled(const struct vec *all, size_t i)
{
    const struct journal_entry *p = all->items[i];
    for (size_t j = i + 1; j < all->len; j++) {
        const struct journal_entry *e = all->items[j];
        if (!str_eq(e->target, p->target) || !str_eq(e->version, p->version))
            continue;
        if (str_eq(e->op, "retire-cancel"))
            return true;
        if (str_eq(e->op, "secret-disable") && str_eq(e->outcome, "done"))
            return true;
    }
    return false;
}

static int
by_due(const void *a, const void *b)
{
    const struct journal_entry *x = *(const struct journal_entry *const *)a;
    const struct journal_entry *y = *(const struct journal_entry *const *)b;
    return x->due < y->due ? -1 : x->due > y->due;
}

void
journal_pending(const struct vec *entries, struct vec *pending)
{
    for (size_t i = 0; i < entries->len; i++) {
        const struct journal_entry *e = entries->items[i];
        if (str_eq(e->op, "retire-later") && str_eq(e->outcome, "scheduled") &&
            e->due != 0 && !settled(entries, i))
            vec_push(pending, (void *)e);
    }
    if (pending->len > 1)
        qsort(pending->items, pending->len, sizeof *pending->items, by_due);
}
