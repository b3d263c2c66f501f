/*
 * store.c — journal + snapshot persistence around the skip list (see
 * store.h for the guarantees).
 *
 * Files in the state directory:
 *   state.snap   {"kvsim-snapshot":1,"gen":G,"count":N} then "key\tjson"
 *                lines, then "#end N"; replaced only by rename.
 *   journal.G    lines "crc32hex\t[[op...],...]", op = ["p",key,value] |
 *                ["d",key] | ["dp",prefix]; one line = one transaction.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/skiplist.h"
#include "sim/store.h"
#include "sim/util.h"

struct store {
    char *dir;
    struct skiplist *sl;
    pthread_rwlock_t rw;
    pthread_mutex_t wmu;
    int jfd;
    uint64_t gen;
    off_t jbytes;
    long compact_bytes;
    store_observer_fn observer; /* told of each change a commit makes */
    void *observer_ud;
};

struct store_txn {
    cJSON *ops;
};

static uint32_t
crc32_of(const char *p, size_t n)
{
    uint32_t c = 0xffffffffu;

    for (size_t i = 0; i < n; i++) {
        c ^= (unsigned char)p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static char *
path_in(const struct store *st, const char *name)
{
    return xasprintf("%s/%s", st->dir, name);
}

static void
fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);

    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static bool
read_file(const char *path, struct buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;

    if (!f)
        return false;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(b, chunk, n);
    fclose(f);
    return true;
}

/* Applies one op array to the list, telling fn (may be NULL) the value
 * each changed key had before. */
static void
apply_ops(struct skiplist *sl, const cJSON *ops, store_observer_fn fn, void *ud)
{
    const cJSON *op;

    cJSON_ArrayForEach(op, ops)
    {
        const char *kind = cJSON_GetStringValue(cJSON_GetArrayItem(op, 0));
        const char *key = cJSON_GetStringValue(cJSON_GetArrayItem(op, 1));

        if (!kind || !key)
            continue;
        if (strcmp(kind, "p") == 0) {
            const cJSON *v = cJSON_GetArrayItem(op, 2);

            if (fn && v)
                fn(ud, key, skiplist_get(sl, key));
            if (v && v->type == cJSON_Raw)
                skiplist_put(sl, key, xstrdup(v->valuestring));
            else if (v)
                skiplist_put(sl, key, json_print(v));
        } else if (strcmp(kind, "d") == 0) {
            if (fn && skiplist_get(sl, key))
                fn(ud, key, skiplist_get(sl, key));
            skiplist_del(sl, key);
        } else if (strcmp(kind, "dp") == 0) {
            size_t plen = strlen(key);
            struct skip_node *n = skiplist_seek(sl, key);

            while (n && strncmp(skip_node_key(n), key, plen) == 0) {
                char *k = xstrdup(skip_node_key(n));

                if (fn)
                    fn(ud, k, skip_node_val(n));
                n = skiplist_next(n);
                skiplist_del(sl, k);
                free(k);
            }
        }
    }
}

static enum kv_status
load_snapshot(struct store *st, char **why)
{
    char *path = path_in(st, "state.snap");
    struct buf b = BUF_INIT;
    enum kv_status rc = KV_OK;
    char *line, *end, *nl;
    cJSON *hdr = NULL;
    long count = 0, want;

    if (!read_file(path, &b)) {
        if (errno != ENOENT) {
            *why = xasprintf("cannot read %s: %s", path, strerror(errno));
            rc = KV_ERR_IO;
        }
        goto out;
    }
    line = b.data;
    end = b.data + b.len;
    nl = line ? memchr(line, '\n', (size_t)(end - line)) : NULL;
    if (!nl || !(hdr = cJSON_ParseWithLength(line, (size_t)(nl - line))) ||
        !cJSON_GetObjectItem(hdr, "kvsim-snapshot")) {
        *why = xasprintf("%s: not a kvdeck-sim snapshot", path);
        rc = KV_ERR_PARSE;
        goto out;
    }
    st->gen = (uint64_t)json_int(hdr, "gen", 0);
    want = (long)json_int(hdr, "count", -1);
    for (line = nl + 1; line < end; line = nl + 1) {
        char *tab;

        nl = memchr(line, '\n', (size_t)(end - line));
        if (!nl)
            break;
        *nl = '\0';
        if (strncmp(line, "#end ", 5) == 0) {
            if (strtol(line + 5, NULL, 10) != count || count != want)
                break;
            goto out; /* complete */
        }
        tab = strchr(line, '\t');
        if (!tab)
            break;
        *tab = '\0';
        skiplist_put(st->sl, line, xstrdup(tab + 1));
        count++;
    }
    *why = xasprintf("%s is incomplete or corrupt", path);
    rc = KV_ERR_PARSE;
out:
    cJSON_Delete(hdr);
    buf_free(&b);
    free(path);
    return rc;
}

/* Replays journal.G; cuts a torn or corrupt tail off. */
static enum kv_status
replay_journal(struct store *st, char **why)
{
    char *name = xasprintf("journal.%llu", (unsigned long long)st->gen);
    char *path = path_in(st, name);
    struct buf b = BUF_INIT;
    size_t good = 0;
    char *line, *end;

    if (!read_file(path, &b))
        goto out;
    end = b.data + b.len;
    for (line = b.data; line && line < end;) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        char *tab;
        unsigned long crc;
        cJSON *ops;

        if (!nl)
            break;
        tab = memchr(line, '\t', (size_t)(nl - line));
        if (!tab || tab - line != 8)
            break;
        crc = strtoul(line, NULL, 16);
        if (crc != crc32_of(tab + 1, (size_t)(nl - tab - 1)))
            break;
        ops = cJSON_ParseWithLength(tab + 1, (size_t)(nl - tab - 1));
        if (!cJSON_IsArray(ops)) {
            cJSON_Delete(ops);
            break;
        }
        apply_ops(st->sl, ops, NULL, NULL);
        cJSON_Delete(ops);
        line = nl + 1;
        good = (size_t)(line - b.data);
    }
    if (good < b.len) {
        fprintf(stderr, "kvdeck-sim: %s: dropping %zu bytes of torn tail\n",
                path, b.len - good);
        if (truncate(path, (off_t)good) != 0) {
            *why = xasprintf("cannot truncate %s: %s", path, strerror(errno));
            buf_free(&b);
            free(path);
            free(name);
            return KV_ERR_IO;
        }
    }
out:
    buf_free(&b);
    free(path);
    free(name);
    return KV_OK;
}

static void
remove_stale_journals(struct store *st)
{
    DIR *d = opendir(st->dir);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "journal.", 8) == 0 &&
            strtoull(e->d_name + 8, NULL, 10) != st->gen) {
            char *p = path_in(st, e->d_name);

            unlink(p);
            free(p);
        }
    }
    closedir(d);
}

static enum kv_status
open_journal(struct store *st, char **why)
{
    char *name = xasprintf("journal.%llu", (unsigned long long)st->gen);
    char *path = path_in(st, name);
    struct stat sb;

    st->jfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    free(name);
    if (st->jfd < 0) {
        *why = xasprintf("cannot open %s: %s", path, strerror(errno));
        free(path);
        return KV_ERR_IO;
    }
    free(path);
    fsync(st->jfd);
    fsync_dir(st->dir);
    st->jbytes = fstat(st->jfd, &sb) == 0 ? sb.st_size : 0;
    return KV_OK;
}

enum kv_status
store_open(const char *dir, long compact_bytes, struct store **out, char **why)
{
    struct store *st = xcalloc(1, sizeof *st);
    pthread_mutexattr_t ma;
    enum kv_status rc;

    st->dir = xstrdup(dir);
    st->sl = skiplist_new(0x6b76646563ULL);
    st->jfd = -1;
    st->compact_bytes = compact_bytes > 0 ? compact_bytes : 8L << 20;
    pthread_rwlock_init(&st->rw, NULL);
    /* Recursive: a handler's write section may record an operation. */
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&st->wmu, &ma);
    pthread_mutexattr_destroy(&ma);
    if ((rc = load_snapshot(st, why)) != KV_OK ||
        (rc = replay_journal(st, why)) != KV_OK) {
        store_close(st);
        return rc;
    }
    remove_stale_journals(st);
    if ((rc = open_journal(st, why)) != KV_OK) {
        store_close(st);
        return rc;
    }
    *out = st;
    return KV_OK;
}

void
store_close(struct store *st)
{
    if (!st)
        return;
    if (st->jfd >= 0)
        close(st->jfd);
    skiplist_free(st->sl);
    pthread_rwlock_destroy(&st->rw);
    pthread_mutex_destroy(&st->wmu);
    free(st->dir);
    free(st);
}

size_t
store_len(struct store *st)
{
    size_t n;

    pthread_rwlock_rdlock(&st->rw);
    n = skiplist_len(st->sl);
    pthread_rwlock_unlock(&st->rw);
    return n;
}

char *
store_get(struct store *st, const char *key)
{
    const char *v;
    char *r;

    pthread_rwlock_rdlock(&st->rw);
    v = skiplist_get(st->sl, key);
    r = v ? xstrdup(v) : NULL;
    pthread_rwlock_unlock(&st->rw);
    return r;
}

cJSON *
store_get_json(struct store *st, const char *key)
{
    char *s = store_get(st, key);
    cJSON *j = s ? cJSON_Parse(s) : NULL;

    free(s);
    return j;
}

void
store_scan(struct store *st, const char *prefix, const char *after,
           size_t limit, store_filter_fn filter, void *ud, struct vec *out,
           bool *more)
{
    size_t plen = strlen(prefix), n = 0;
    struct skip_node *x;

    if (more)
        *more = false;
    pthread_rwlock_rdlock(&st->rw);
    x = skiplist_seek(st->sl,
                      after && strcmp(after, prefix) > 0 ? after : prefix);
    for (; x; x = skiplist_next(x)) {
        const char *k = skip_node_key(x);

        if (strncmp(k, prefix, plen) != 0)
            break;
        if (after && strcmp(k, after) <= 0)
            continue;
        if (filter && !filter(k, skip_node_val(x), ud))
            continue;
        if (limit && n == limit) {
            if (more)
                *more = true;
            break;
        }
        if (out) {
            struct store_kv *kv = xmalloc(sizeof *kv);

            kv->key = xstrdup(k);
            kv->val = xstrdup(skip_node_val(x));
            vec_push(out, kv);
        }
        n++;
    }
    pthread_rwlock_unlock(&st->rw);
}

void
store_kv_free(void *p)
{
    struct store_kv *kv = p;

    if (!kv)
        return;
    free(kv->key);
    free(kv->val);
    free(kv);
}

size_t
store_count(struct store *st, const char *prefix)
{
    size_t plen = strlen(prefix), n = 0;
    struct skip_node *x;

    pthread_rwlock_rdlock(&st->rw);
    for (x = skiplist_seek(st->sl, prefix);
         x && strncmp(skip_node_key(x), prefix, plen) == 0;
         x = skiplist_next(x))
        n++;
    pthread_rwlock_unlock(&st->rw);
    return n;
}

void
store_write_lock(struct store *st)
{
    pthread_mutex_lock(&st->wmu);
}

void
store_write_unlock(struct store *st)
{
    pthread_mutex_unlock(&st->wmu);
}

struct store_txn *
store_txn_new(void)
{
    struct store_txn *t = xmalloc(sizeof *t);

    t->ops = cJSON_CreateArray();
    return t;
}

void
store_txn_free(struct store_txn *t)
{
    if (!t)
        return;
    cJSON_Delete(t->ops);
    free(t);
}

static void
txn_op(struct store_txn *t, const char *kind, const char *key, cJSON *val)
{
    cJSON *op = cJSON_CreateArray();

    cJSON_AddItemToArray(op, cJSON_CreateString(kind));
    cJSON_AddItemToArray(op, cJSON_CreateString(key));
    if (val)
        cJSON_AddItemToArray(op, val);
    cJSON_AddItemToArray(t->ops, op);
}

void
store_txn_put(struct store_txn *t, const char *key, const cJSON *val)
{
    char *s = json_print(val);

    txn_op(t, "p", key, cJSON_CreateRaw(s));
    free(s);
}

void
store_txn_del(struct store_txn *t, const char *key)
{
    txn_op(t, "d", key, NULL);
}

void
store_txn_del_prefix(struct store_txn *t, const char *prefix)
{
    txn_op(t, "dp", prefix, NULL);
}

bool
store_txn_empty(const struct store_txn *t)
{
    return cJSON_GetArraySize(t->ops) == 0;
}

enum kv_status
store_commit(struct store *st, struct store_txn *t, char **why)
{
    enum kv_status rc = KV_OK;
    char *body;
    char *line;
    size_t len, off = 0;

    if (store_txn_empty(t)) {
        store_txn_free(t);
        return KV_OK;
    }
    body = json_print(t->ops);
    line = xasprintf("%08x\t%s\n", crc32_of(body, strlen(body)), body);
    free(body);
    len = strlen(line);
    while (off < len) {
        ssize_t w = write(st->jfd, line + off, len - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            *why = xasprintf("journal write failed: %s", strerror(errno));
            rc = KV_ERR_IO;
            break;
        }
        off += (size_t)w;
    }
    if (rc == KV_OK && fdatasync(st->jfd) != 0) {
        *why = xasprintf("journal sync failed: %s", strerror(errno));
        rc = KV_ERR_IO;
    }
    if (rc != KV_OK) {
        /* Never leave a torn record in front of later ones. */
        if (ftruncate(st->jfd, st->jbytes) != 0)
            fprintf(stderr, "kvdeck-sim: cannot cut journal back\n");
    } else {
        st->jbytes += (off_t)len;
        pthread_rwlock_wrlock(&st->rw);
        apply_ops(st->sl, t->ops, st->observer, st->observer_ud);
        pthread_rwlock_unlock(&st->rw);
    }
    free(line);
    store_txn_free(t);
    return rc;
}

void
store_set_observer(struct store *st, store_observer_fn fn, void *ud)
{
    pthread_mutex_lock(&st->wmu);
    st->observer = fn;
    st->observer_ud = ud;
    pthread_mutex_unlock(&st->wmu);
}

void
store_bulk_put(struct store *st, const char *key, char *val)
{
    pthread_rwlock_wrlock(&st->rw);
    skiplist_put(st->sl, key, val);
    pthread_rwlock_unlock(&st->rw);
}

bool
store_needs_compaction(struct store *st)
{
    bool r;

    pthread_mutex_lock(&st->wmu);
    r = st->jbytes >= st->compact_bytes;
    pthread_mutex_unlock(&st->wmu);
    return r;
}

enum kv_status
store_compact(struct store *st, char **why)
{
    char *tmp = path_in(st, "state.snap.tmp");
    char *snap = path_in(st, "state.snap");
    char *oldj =
        xasprintf("%s/journal.%llu", st->dir, (unsigned long long)st->gen);
    enum kv_status rc = KV_OK;
    struct skip_node *x;
    FILE *f;
    int fd;
    size_t n = 0;

    pthread_mutex_lock(&st->wmu);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        *why = xasprintf("cannot write %s: %s", tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        rc = KV_ERR_IO;
        goto out;
    }
    /* Writers are excluded by wmu; readers never change the list. */
    fprintf(f, "{\"kvsim-snapshot\":1,\"gen\":%llu,\"count\":%zu}\n",
            (unsigned long long)(st->gen + 1), skiplist_len(st->sl));
    for (x = skiplist_seek(st->sl, NULL); x; x = skiplist_next(x), n++)
        fprintf(f, "%s\t%s\n", skip_node_key(x), skip_node_val(x));
    fprintf(f, "#end %zu\n", n);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        *why = xasprintf("cannot write %s: %s", tmp, strerror(errno));
        fclose(f);
        unlink(tmp);
        rc = KV_ERR_IO;
        goto out;
    }
    fclose(f);
    if (rename(tmp, snap) != 0) {
        *why = xasprintf("cannot rename %s: %s", tmp, strerror(errno));
        unlink(tmp);
        rc = KV_ERR_IO;
        goto out;
    }
    fsync_dir(st->dir);
    /* The snapshot now holds everything: start generation gen+1. */
    st->gen++;
    close(st->jfd);
    st->jfd = -1;
    if ((rc = open_journal(st, why)) != KV_OK) {
        /* Keep the process alive but refuse writes. */
        goto out;
    }
    unlink(oldj);
out:
    pthread_mutex_unlock(&st->wmu);
    free(tmp);
    free(snap);
    free(oldj);
    return rc;
}
