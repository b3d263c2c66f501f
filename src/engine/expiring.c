/*
 * expiring.c — the pure part of the expiring-secrets scan (expiring.h):
 * which secret is listed and when it is due, the rows and their order,
 * the "time left" text, and the scan job's parameters. The fan-out over
 * the vaults runs on the worker: job-expiring.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/expiring.h"
#include "engine/run.h"

#define DAY 86400LL

static char *
dup(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

struct job *
job_scan_expiring(int days)
{
    struct job *j = job_new(JOB_SCAN_EXPIRING);
    struct job_expiring *p = j->params;
    p->days = days < 0 ? 0 : days;
    return j;
}

struct job_expiring *
job_expiring(const struct job *j)
{
    return j != NULL && j->kind == JOB_SCAN_EXPIRING ? j->params : NULL;
}

void
job_expiring_add_vault(struct job *j, const char *name, const char *uri,
                       const char *id)
{
    struct job_expiring *p = job_expiring(j);
    if (p == NULL)
        return;
    struct job_expiring_vault *v = xcalloc(1, sizeof *v);
    v->name = dup(name);
    v->uri = dup(uri);
    v->id = dup(id);
    vec_push(&p->vaults, v);
}

static void
expiring_vault_free(void *p)
{
    struct job_expiring_vault *v = p;
    free(v->name);
    free(v->uri);
    free(v->id);
    free(v);
}

void
job_expiring_free(void *params)
{
    struct job_expiring *p = params;
    if (p == NULL)
        return;
    vec_free_all(&p->vaults, expiring_vault_free);
    free(p);
}

void
kv_expiring_row_free(struct kv_expiring_row *r)
{
    if (r == NULL)
        return;
    free(r->vault_name);
    free(r->vault_uri);
    free(r->vault_id);
    free(r->name);
    free(r->content_type);
    free(r->error);
    free(r);
}

int
kv_expiring_rotation_days(const struct kv_tags *tags)
{
    const char *s = tags != NULL ? kv_tags_get(tags, "rotation-days") : NULL;
    if (s == NULL)
        return 0;
    s += strspn(s, " ");
    long n = 0;
    const char *p = s;
    while (*p >= '0' && *p <= '9' && n <= 36500)
        n = n * 10 + (*p++ - '0');
    p += strspn(p, " ");
    if (p == s || *p != '\0' || n <= 0 || n > 36500)
        return 0;
    return (int)n;
}

bool
kv_expiring_pick(const struct kv_secret_attrs *at, const struct kv_tags *tags,
                 int days, int64_t now, int64_t *due, int *rotation_days)
{
    int64_t until = now + (int64_t)days * DAY;
    *rotation_days = 0;
    if (at->expires > 0) {
        *due = at->expires;
        return at->expires <= until;
    }
    int rd = kv_expiring_rotation_days(tags);
    if (rd == 0)
        return false;
    /* updated is the latest version's time: when it was last rotated */
    int64_t base = at->updated > 0 ? at->updated : at->created;
    if (base <= 0)
        return false;
    *due = base + (int64_t)rd * DAY;
    *rotation_days = rd;
    return *due <= until;
}

struct kv_expiring_row *
kv_expiring_row_secret(const struct job_expiring_vault *vr, const char *name,
                       const char *content_type,
                       const struct kv_secret_attrs *at,
                       const struct kv_tags *tags, bool managed, int days,
                       int64_t now)
{
    int64_t due = 0;
    int rd = 0;
    if (name == NULL || !kv_expiring_pick(at, tags, days, now, &due, &rd))
        return NULL;
    struct kv_expiring_row *r = xcalloc(1, sizeof *r);
    r->kind = KV_EXPIRING_SECRET;
    r->vault_name = dup(vr->name);
    r->vault_uri = dup(vr->uri);
    r->vault_id = dup(vr->id);
    r->name = xstrdup(name);
    r->content_type =
        content_type != NULL && *content_type ? xstrdup(content_type) : NULL;
    r->expires = at->expires;
    r->updated = at->updated;
    r->rotation_days = rd;
    r->due = due;
    r->expired = at->expires > 0 && at->expires < now;
    r->enabled = at->enabled;
    r->managed = managed;
    return r;
}

static int
expiring_rank(const struct kv_expiring_row *r)
{
    if (r->kind != KV_EXPIRING_SECRET)
        return 2;
    return r->expired ? 0 : 1;
}

static int
expiring_strcmp(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

int
kv_expiring_cmp(const void *pa, const void *pb)
{
    const struct kv_expiring_row *a =
        *(const struct kv_expiring_row *const *)pa;
    const struct kv_expiring_row *b =
        *(const struct kv_expiring_row *const *)pb;
    int ra = expiring_rank(a), rb = expiring_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (ra < 2 && a->due != b->due)
        return a->due < b->due ? -1 : 1;
    int c = expiring_strcmp(a->vault_name, b->vault_name);
    if (c != 0)
        return c;
    return expiring_strcmp(a->name, b->name);
}

void
kv_expiring_left(const struct kv_expiring_row *r, int64_t now, char *out,
                 size_t n)
{
    char span[64];
    if (r->kind != KV_EXPIRING_SECRET) {
        snprintf(out, n, "-");
        return;
    }
    int64_t delta = r->due - now;
    time_format_left(delta < 0 ? -delta : delta, span, sizeof span);
    if (r->rotation_days > 0)
        /* TRANSLATORS: %s is a span like "2d 3h" */
        snprintf(out, n,
                 delta < 0 ? _("rotation overdue %s") : _("rotate in %s"),
                 span);
    else if (delta < 0)
        snprintf(out, n, _("expired %s ago"), span);
    else
        snprintf(out, n, "%s", span);
}

long
kv_expiring_days_left(const struct kv_expiring_row *r, int64_t now)
{
    /* whole days, toward zero: expired 10 d 3 h ago is -10 */
    return (long)((r->due - now) / DAY);
}
