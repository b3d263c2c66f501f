/*
 * fake-engine.c — a stand-in for the engine (engine.h) with generated,
 * deterministic data and no network, for the console's screen tests that
 * must not depend on timing and for the scrolling benchmark (callgrind).
 *
 * Size of the tenant from the environment: KVFAKE_SUBS (2),
 * KVFAKE_VAULTS per subscription (3), KVFAKE_SECRETS per vault (30).
 * Every answer is queued at submit time, as pages of 25.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/secmem.h"
#include "base/str.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "engine/engine.h"

struct engine {
    int pipe[2];
    struct vec queue; /* struct result * */
    size_t head;
    uint64_t next_id;
    int subs, vaults, secrets;
};

static int
fake_env(const char *name, int dflt)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0' ? atoi(v) : dflt;
}

struct engine *
engine_new(const struct engine_config *cfg, char **why)
{
    (void)cfg;
    (void)why;
    struct engine *e = xcalloc(1, sizeof *e);
    if (pipe(e->pipe) != 0)
        abort();
    fcntl(e->pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(e->pipe[1], F_SETFL, O_NONBLOCK);
    e->subs = fake_env("KVFAKE_SUBS", 2);
    e->vaults = fake_env("KVFAKE_VAULTS", 3);
    e->secrets = fake_env("KVFAKE_SECRETS", 30);
    return e;
}

int
engine_wake_fd(const struct engine *e)
{
    return e->pipe[0];
}

static void
fake_push(struct engine *e, const struct job *job, uint64_t id,
          struct result *r)
{
    r->job_id = id;
    r->generation = job->generation;
    r->tag = job->tag;
    r->deliver = job->deliver;
    r->ctx = job->ctx;
    r->kind = job->kind;
    r->free_item = job->type->free_item;
    vec_push(&e->queue, r);
}

static void
fake_done(struct engine *e, const struct job *job, uint64_t id)
{
    fake_push(e, job, id, result_new(RESULT_DONE));
}

static char *
fake_sub_id(int i)
{
    return xasprintf("00000000-0000-0000-0000-%012d", i + 1);
}

static struct kv_vault *
fake_vault(int s, int i)
{
    struct kv_vault *v = xcalloc(1, sizeof *v);
    v->subscription_id = fake_sub_id(s);
    v->name = xasprintf("kv-%c%02d-%s", 'a' + s % 26, i,
                        i % 3 == 0   ? "prod"
                        : i % 3 == 1 ? "dev"
                                     : "test");
    /* KVFAKE_LONG_NAME=N: the first vault's name is N characters long,
     * ending in "-end" (a hostile name; the breadcrumb must stay fast) */
    int longn = fake_env("KVFAKE_LONG_NAME", 0);
    if (s == 0 && i == 0 && longn > 8) {
        free(v->name);
        v->name = xmalloc((size_t)longn + 1);
        memset(v->name, 'n', (size_t)longn);
        memcpy(v->name, "kv-long-", 8);
        memcpy(v->name + longn - 4, "-end", 4);
        v->name[longn] = '\0';
    }
    v->resource_group = xasprintf("rg-%s", i % 2 ? "app" : "data");
    v->location = xstrdup(i % 2 ? "westeurope" : "northeurope");
    v->id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                      "Microsoft.KeyVault/vaults/%s",
                      v->subscription_id, v->resource_group, v->name);
    v->vault_uri = xasprintf("https://%s.vault.example", v->name);
    v->sku = xstrdup(i == 0 ? "premium" : "standard");
    v->provisioning_state = xstrdup("Succeeded");
    v->public_network_access = xstrdup(i % 2 ? "Enabled" : "Disabled");
    v->network_default_action = xstrdup(i % 2 ? "Allow" : "Deny");
    v->rbac = !(s == 1 && i == 2); /* kv-b02-test: access policies */
    v->soft_delete = true;
    v->json = xasprintf("{\n  \"id\": \"%s\",\n  \"name\": \"%s\",\n"
                        "  \"location\": \"%s\"\n}",
                        v->id, v->name, v->location);
    return v;
}

/* name of secret i: a few readable ones, then numbered */
static char *
fake_secret_name(int i)
{
    static const char *const names[] = {"api-key", "db-password",
                                        "storage-conn", "openai-key"};
    if (i < 4)
        return xstrdup(names[i]);
    return xasprintf("secret-%06d", i);
}

static void
fake_attrs(struct kv_secret_attrs *a, int i)
{
    a->enabled = i % 7 != 6;
    a->created = 1767225600 + (int64_t)i * 3600; /* 2026-01-01 */
    a->updated = a->created;
    a->expires = i % 5 == 0 ? 1893456000 : 0; /* 2030-01-01 */
    a->recovery_level = xstrdup("Recoverable+Purgeable");
}

uint64_t
engine_submit(struct engine *e, struct job *job)
{
    uint64_t id = ++e->next_id;
    struct result *r;
    switch (job->kind) {
    case JOB_LIST_SUBSCRIPTIONS:
        r = result_new(RESULT_PAGE);
        for (int i = 0; i < e->subs; i++) {
            struct kv_subscription *s = xcalloc(1, sizeof *s);
            s->subscription_id = fake_sub_id(i);
            s->id = xasprintf("/subscriptions/%s", s->subscription_id);
            s->display_name = xasprintf("Subscription %c", 'A' + i % 26);
            s->tenant_id = xstrdup("11111111-2222-3333-4444-555555555555");
            s->state = xstrdup("Enabled");
            s->json = xasprintf("{\n  \"subscriptionId\": \"%s\"\n}",
                                s->subscription_id);
            vec_push(&r->items, s);
        }
        fake_push(e, job, id, r);
        fake_done(e, job, id);
        break;
    case JOB_LIST_GROUPS: {
        r = result_new(RESULT_PAGE);
        const char *g[] = {"rg-app", "rg-data"};
        for (int i = 0; i < 2; i++) {
            struct kv_group *gr = xcalloc(1, sizeof *gr);
            gr->name = xstrdup(g[i]);
            gr->subscription_id = xstrdup(job_scope(job)->subscription_id);
            gr->location = xstrdup("westeurope");
            vec_push(&r->items, gr);
        }
        fake_push(e, job, id, r);
        fake_done(e, job, id);
        break;
    }
    case JOB_LIST_VAULTS: {
        int s = atoi(strrchr(job_scope(job)->subscription_id, '-') + 1) - 1;
        for (int i = 0; i < e->vaults; i += 25) {
            r = result_new(RESULT_PAGE);
            for (int j = i; j < i + 25 && j < e->vaults; j++)
                vec_push(&r->items, fake_vault(s, j));
            r->more = i + 25 < e->vaults;
            fake_push(e, job, id, r);
        }
        fake_done(e, job, id);
        break;
    }
    case JOB_LIST_SECRETS:
        for (int i = 0; i < e->secrets || i == 0; i += 25) {
            r = result_new(RESULT_PAGE);
            for (int j = i; j < i + 25 && j < e->secrets; j++) {
                struct kv_secret_item *s = xcalloc(1, sizeof *s);
                s->name = fake_secret_name(j);
                s->vault_uri = xstrdup(job_secret_ref(job)->vault_uri);
                s->id = xasprintf("%s/secrets/%s", job_secret_ref(job)->vault_uri, s->name);
                s->content_type = j % 2 ? xstrdup("text/plain") : NULL;
                fake_attrs(&s->attrs, j);
                s->json = xasprintf("{\n  \"id\": \"%s\"\n}", s->id);
                vec_push(&r->items, s);
            }
            r->more = i + 25 < e->secrets;
            fake_push(e, job, id, r);
            if (e->secrets == 0)
                break;
        }
        fake_done(e, job, id);
        break;
    case JOB_LIST_VERSIONS:
        r = result_new(RESULT_PAGE);
        for (int j = 0; j < 3; j++) {
            struct kv_secret_version *v = xcalloc(1, sizeof *v);
            v->name = xstrdup(job_secret_ref(job)->name);
            v->version = xasprintf("%08x%024x", 0xabc00000u + (unsigned)j, j);
            v->vault_uri = xstrdup(job_secret_ref(job)->vault_uri);
            v->content_type = xstrdup("text/plain");
            fake_attrs(&v->attrs, j);
            v->attrs.created += j * 86400;
            vec_push(&r->items, v);
        }
        fake_push(e, job, id, r);
        fake_done(e, job, id);
        break;
    case JOB_GET_SECRET_VALUE: {
        r = result_new(RESULT_PAGE);
        char *val =
            xasprintf("value-of-%s%s%s", job_secret_ref(job)->name, job_secret_ref(job)->version ? "-" : "",
                      job_secret_ref(job)->version ? job_secret_ref(job)->version + 28 : "");
        r->value = secret_dup(val, strlen(val));
        secmem_wipe(val, strlen(val));
        free(val);
        fake_push(e, job, id, r);
        fake_done(e, job, id);
        break;
    }
    case JOB_LIST_ENDPOINT_CONNECTIONS: {
        r = result_new(RESULT_PAGE);
        struct kv_endpoint_connection *c = xcalloc(1, sizeof *c);
        c->name = xstrdup("pe-app.conn");
        c->status = xstrdup("Approved");
        c->description = xstrdup("auto-approved");
        vec_push(&r->items, c);
        fake_push(e, job, id, r);
        fake_done(e, job, id);
        break;
    }
    case JOB_GET_VAULT:
    default: {
        r = result_new(RESULT_ERROR);
        r->status = KV_ERR_NOT_FOUND;
        r->http_status = 404;
        r->message = xstrdup("not in the fake tenant");
        fake_push(e, job, id, r);
        break;
    }
    }
    job_free(job);
    char b = 1;
    ssize_t w = write(e->pipe[1], &b, 1);
    (void)w;
    return id;
}

void
engine_cancel(struct engine *e, uint64_t id)
{
    for (size_t i = e->head; i < e->queue.len; i++) {
        struct result *r = e->queue.items[i];
        if (r != NULL && r->job_id == id) {
            result_free(r);
            e->queue.items[i] = NULL;
        }
    }
}

struct result *
engine_next_result(struct engine *e)
{
    char buf[64];
    while (read(e->pipe[0], buf, sizeof buf) > 0)
        ;
    while (e->head < e->queue.len) {
        struct result *r = e->queue.items[e->head++];
        if (r != NULL)
            return r;
    }
    e->head = 0;
    vec_clear(&e->queue);
    return NULL;
}

struct result *
engine_wait_result(struct engine *e, int timeout_ms)
{
    (void)timeout_ms;
    return engine_next_result(e);
}

void
engine_stats(struct engine *e, struct engine_stats *out)
{
    (void)e;
    memset(out, 0, sizeof *out);
}

const char *
engine_cloud_name(const struct engine *e)
{
    (void)e;
    return "FakeCloud";
}

const char *
engine_credential_name(const struct engine *e)
{
    (void)e;
    return "fake";
}

/* KVDECK_FAKE_MEMORY_ONLY=1: as if a device-code sign-in kept its
 * refresh token with no keyring (the header says so). */
const char *
engine_token_storage(const struct engine *e)
{
    (void)e;
    return getenv("KVDECK_FAKE_MEMORY_ONLY") != NULL ? "memory only" : NULL;
}

const char *
engine_token_storage_why(const struct engine *e)
{
    (void)e;
    return NULL;
}

bool
engine_tokens_memory_only(const struct engine *e)
{
    return engine_token_storage(e) != NULL;
}

/* Not signed in as anyone the header would name (the fake screens stay
 * as they were). */
bool
engine_identity(struct engine *e, struct engine_identity *out)
{
    (void)e;
    memset(out, 0, sizeof *out);
    return false;
}

void
engine_set_tenant(struct engine *e, const char *tenant)
{
    (void)e;
    (void)tenant;
}

const char *
engine_principal(const struct engine *e)
{
    (void)e;
    return "00000000-fake-0000-0000-000000000001";
}

void
engine_interrupt(struct engine *e, uint64_t id)
{
    (void)e;
    (void)id;
}

/* The fake signs nobody in: no sign-in news, nothing to retry. */
void
engine_on_sign_in(struct engine *e, result_deliver_fn fn, void *ctx)
{
    (void)e;
    (void)fn;
    (void)ctx;
}

void
engine_sign_in_retry(struct engine *e)
{
    (void)e;
}

void
engine_sign_in_cancel(struct engine *e)
{
    (void)e;
}

const char *
engine_journal_path(const struct engine *e)
{
    (void)e;
    return getenv("KVDECK_JOURNAL"); /* the fake writes none; :pending reads */
}

char *
engine_vault_uri(const struct engine *e, const char *name)
{
    (void)e;
    return xasprintf("https://%s.vault.fake", name);
}

const char *
engine_private_dns_zone(const struct engine *e)
{
    (void)e;
    return "privatelink.vaultcore.azure.net";
}

void
engine_free(struct engine *e)
{
    if (e == NULL)
        return;
    struct result *r;
    while ((r = engine_next_result(e)) != NULL)
        result_free(r);
    vec_free(&e->queue);
    close(e->pipe[0]);
    close(e->pipe[1]);
    free(e);
}
