/*
 * test-secret-memory.c — no credential or value left in ordinary memory
 * (issue #11, "Secrets out of ordinary memory"). The engine signs in to
 * kvdeck-sim with a client secret, lists subscriptions (a Resource
 * Manager token), reveals a secret's value, rotates it at its source
 * (the AI services account's keys: listKeys, regenerateKey, the endpoint
 * with an api-key header; #13), rotates it to a new value and sets
 * another version; then, with the engine still running (tokens
 * cached, connections kept alive), the test reads every readable mapping
 * of its own process through /proc/self/mem, as a person reading a
 * running kvdeck would, and looks for the client secret, the access
 * tokens (found in the engine's secure memory) and the values anywhere
 * outside secure memory (the MADV_DONTDUMP pages of secmem.c). Any hit
 * fails, naming the mapping and offset. Once more after engine_free().
 *
 * What the test itself holds is kept out of the way: needles and the
 * read buffer live in secure memory, the client secret is scrubbed from
 * the sim's connection file as parsed, and the main thread's stack is
 * wiped after the set-up. Skips when the sim is not built.
 *
 * Built twice. test-secret-memory-h2 (SECRET_MEMORY_H2) puts nghttpx in
 * front of the sim (tests/tools/h2front.h) so that every request goes
 * over HTTP/2, as against real Azure: nghttp2's HPACK tables and frame
 * buffers, which libcurl cannot route through wipealloc.c, then hold the
 * "authorization: Bearer" headers and the bodies; only the process-wide
 * wiping free() of src/base/wipefree.c clears them. That variant skips
 * (77) without nghttpx or without HTTP/2 in libcurl, and checks in the
 * front's access log that the requests came over h2.
 */
#include "config.h"

#ifndef SECRET_MEMORY_H2
#define SECRET_MEMORY_H2 0
#endif

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "azure/http.h"
#include "azure/json.h"
#include "base/str.h"
#include "engine/engine.h"
#include "engine/plan-source.h"
#include "engine/plan.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"
#if SECRET_MEMORY_H2
#include <curl/curl.h>

#include "tests/tools/h2front.h"
#endif
#include "tests/tools/memscan.h"
#include "tests/tools/simproc.h"

static struct simproc sim;
static struct memscan needles;
#if SECRET_MEMORY_H2
static struct h2front front;

/* Under ASan there is no wipefree.c (the runtime owns free()): ASan is
 * told to fill every freed block with zeros instead, so that the scan
 * still judges what kvdeck and its hooks keep. ASAN_OPTIONS come on top. */
#if defined(__SANITIZE_ADDRESS__)
#define MEMTEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEMTEST_ASAN 1
#endif
#endif
#ifdef MEMTEST_ASAN
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
    return "max_free_fill_size=2147483647:free_fill_byte=0";
}
#endif
#endif

/* A fresh random value, made in secure memory: 40 hex digits. */
static struct secret *
random_value(void)
{
    static const char hex[] = "0123456789abcdef";
    struct secret *raw = secret_new(20), *v = secret_new(40);
    int fd = open("/dev/urandom", O_RDONLY);
    bool got = fd >= 0 && read(fd, raw->data, 20) == 20;
    if (fd >= 0)
        close(fd);
    if (!got) {
        printf("Bail out! cannot read /dev/urandom\n");
        exit(1);
    }
    for (size_t i = 0; i < 20; i++) {
        unsigned char c = (unsigned char)raw->data[i];
        secret_append(v, &hex[c >> 4], 1);
        secret_append(v, &hex[c & 15], 1);
    }
    secret_free(raw);
    return v;
}

/* Runs a plan to its end: true when it finished. */
static bool
run_plan(struct engine *e, struct plan *p)
{
    uint64_t id = engine_submit(e, job_plan(p, PLAN_APPLY));
    for (;;) {
        struct result *r = engine_wait_result(e, 60000);
        if (r == NULL)
            return false;
        bool end = r->job_id == id &&
                   (r->type == RESULT_DONE || r->type == RESULT_ERROR);
        bool done = r->type == RESULT_DONE && r->plan != NULL &&
                    plan_finished(r->plan) && !plan_failed(r->plan);
        result_free(r);
        if (end)
            return done;
    }
}

/* Reveals the latest version: the value (as a needle, under label) and
 * its metadata (caller frees). */
static struct kv_secret_version *
reveal(struct engine *e, const char *uri, const char *name, const char *label,
       const struct secret *expect)
{
    struct outcome o;
    struct kv_secret_version *v = NULL;
    outcome_run(e, job_get_secret_value(uri, name, NULL), 30000, &o);
    struct result *r = o.pages.len > 0 ? o.pages.items[0] : NULL;
    bool got = r != NULL && r->value != NULL && r->value->len > 0;
    ok(got, "revealed %s", label);
    if (got) {
        memscan_add_pieces(&needles, label, r->value->data, r->value->len);
        if (expect != NULL)
            ok(r->value->len == expect->len &&
                   secmem_equal(r->value->data, expect->data, expect->len),
               "it is the value written");
        v = r->items.len ? r->items.items[0] : NULL;
        if (v != NULL)
            r->items.items[0] = NULL;
    }
    outcome_free(&o);
    return v;
}

/* Scans the process and reports each hit as a failure. */
static void
scan(const char *when)
{
    struct memscan_hit hits[32];
    size_t scanned = 0, secure = 0;
    size_t n = memscan_run(&needles, hits, 32, &scanned, &secure);
    ok(scanned > (1u << 20),
       "%s: scanned %zu KiB of readable memory "
       "(%zu KiB of secure memory left out)",
       when, scanned >> 10, secure >> 10);
    ok(n == 0, "%s: no credential or value outside secure memory (%zu hits)",
       when, n);
    for (size_t i = 0; i < n && i < 32; i++)
        printf("#   %s found at %#lx: %s +%#lx%s%s\n", hits[i].label,
               hits[i].addr, hits[i].mapping, hits[i].addr - hits[i].start,
               hits[i].context[0] != '\0' ? " after " : "", hits[i].context);
}

int
main(void)
{
    const char *bin = simproc_bin();
    if (bin == NULL)
        tap_skip_all("kvdeck-sim is not built (set KVDECK_SIM)");
    if (access("/proc/self/mem", R_OK) != 0)
        tap_skip_all("/proc/self/mem cannot be read here");
#if SECRET_MEMORY_H2
    const char *front_bin = h2front_bin();
    if (front_bin == NULL)
        tap_skip_all("nghttpx is not installed (Debian: nghttp2-proxy), "
                     "the HTTP/2 front for kvdeck-sim");
    if (!(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_HTTP2))
        tap_skip_all("libcurl is built without HTTP/2");
    const char *const extra[] = {H2FRONT_SIM_LISTEN, NULL};
#else
    const char *const *extra = NULL;
#endif
    /* as kvdeck's main() does first */
    ok(az_http_global_init(), "OpenSSL allocates through the wiping functions");
    enginetest_no_proxy();
    bool up = simproc_start(&sim, bin, extra);
    ok(up, "kvdeck-sim is ready");
#if SECRET_MEMORY_H2
    if (up) {
        up = h2front_start(&front, front_bin, &sim);
        ok(up, "nghttpx (HTTP/2) is in front of it");
    }
#endif
    if (!up) {
#if SECRET_MEMORY_H2
        h2front_stop(&front);
#endif
        simproc_stop(&sim);
        return tap_done();
    }
    /* the client secret: a needle, and gone from the parsed file */
    memscan_add_pieces(&needles, "client secret", sim.client_secret->data,
                       sim.client_secret->len);
    json_scrub(sim.conn, "client_secret");
    memscan_wipe_stack();

    struct engine_config c = {.retry_base_ms = 100};
    simproc_config(&sim, &c);
    char *why = NULL;
    struct engine *e = engine_new(&c, &why);
    ok(e != NULL, "engine on the sim (%s)", why ? why : "ok");
    if (e == NULL)
        goto out;

    struct outcome o;
    outcome_run(e, job_list_subscriptions(), 30000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE,
       "signed in with the client secret: subscriptions listed");
    outcome_free(&o);

    char *uri = engine_vault_uri(e, "kv-contoso-ai-prod");
    const char *name = "openai-api-key";
    struct kv_secret_version *old = reveal(e, uri, name, "seeded value", NULL);

    /* rotated at its source (#13): the seeded value is Key1 of
     * contoso-ai; listKeys, regenerateKey and the endpoint's api-key
     * carry the keys; the new Key2 is read back as a needle */
    struct source_change sc = {
        .vault_uri = uri,
        .vault_name = "kv-contoso-ai-prod",
        .name = name,
        .current = old,
        .retire = RETIRE_NOW,
    };
    char *swhy = NULL;
    struct plan *sp = plan_rotate_source(&sc, &swhy);
    ok(sp != NULL && run_plan(e, sp),
       "rotated at the source (the account's keys) (%s)",
       swhy != NULL ? swhy : "ok");
    free(swhy);
    kv_secret_version_free(old);
    old = reveal(e, uri, name, "the account's new key", NULL);

    struct secret *v1 = random_value();
    memscan_add_pieces(&needles, "rotated value", v1->data, v1->len);
    struct secret_change ch = {
        .vault_uri = uri,
        .vault_name = "kv-contoso-ai-prod",
        .name = name,
        .value = secret_dup(v1->data, v1->len),
        .content_type = "text/plain",
        .current = old,
        .retire = RETIRE_NOW,
    };
    ok(run_plan(e, plan_rotate(&ch)), "rotated to a new value");
    kv_secret_version_free(old);
    old = reveal(e, uri, name, "rotated value", v1);
    kv_secret_version_free(old);

    struct secret *v2 = random_value();
    memscan_add_pieces(&needles, "set value", v2->data, v2->len);
    struct secret_change set = {
        .vault_uri = uri,
        .vault_name = "kv-contoso-ai-prod",
        .name = "memory-test",
        .value = secret_dup(v2->data, v2->len),
        .create = true,
    };
    ok(run_plan(e, plan_secret_set(&set)), "set a new secret");
    old = reveal(e, uri, "memory-test", "set value", v2);
    kv_secret_version_free(old);
    secret_free(v1);
    secret_free(v2);
    free(uri);

    size_t tokens = memscan_add_secure_jwts(&needles);
    ok(tokens >= 2,
       "the access tokens (Resource Manager, vault) are in secure memory "
       "(%zu found)",
       tokens);
    printf("# %zu needles\n", needles.count);
    scan("engine running");
    engine_free(e);
    scan("engine freed");
#if SECRET_MEMORY_H2
    size_t all = 0, h2 = 0;
    h2front_count(&front, &all, &h2);
    ok(all >= 6 && h2 == all,
       "every request went over HTTP/2 (%zu of %zu in the front's log)", h2,
       all);
#endif
out:
#if SECRET_MEMORY_H2
    h2front_stop(&front);
#endif
    memscan_free(&needles);
    simproc_stop(&sim);
    return tap_done();
}
