/*
 * test-keyring-memory.c — unit tests of engine/keyring.c with no Secret
 * Service: the session bus address points nowhere, so the probe must
 * say "memory only" at once (well under 2 s), and the memory-only table
 * must store, replace, find (newest first, NULL fields matching any) and
 * remove like the keyring does. The real keyring is tested by
 * test-keyring.sh in a private D-Bus session.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/secmem.h"
#include "base/vec.h"
#include "engine/keyring.h"
#include "../tap.h"

static long
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static struct secret *
sec(const char *s)
{
    return secret_dup(s, strlen(s));
}

int
main(void)
{
    /* no bus: an address where nothing listens, no runtime dir socket */
    setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kvdeck-bus", 1);
    unsetenv("XDG_RUNTIME_DIR");

    struct keyring *k = keyring_new(0);
    is_int(keyring_storage(k), KEYRING_UNPROBED, "not probed before asked");
    ok(keyring_why(k) == NULL, "no reason before the probe");
    long t0 = now_ms();
    is_int(keyring_probe(k), KEYRING_MEMORY_ONLY, "no bus: memory only");
    long took = now_ms() - t0;
    ok(took < 2000, "the probe answers quickly (%ld ms)", took);
#ifdef HAVE_LIBSECRET
    const char *want = "D-Bus";
#else
    const char *want = "without libsecret";
#endif
    ok(keyring_why(k) != NULL && strstr(keyring_why(k), want) != NULL,
       "why says so: %s", keyring_why(k) ? keyring_why(k) : "(null)");
    is_str(keyring_storage_name(keyring_storage(k)), "memory only",
           "storage name");
    is_int(keyring_probe(k), KEYRING_MEMORY_ONLY, "the answer is cached");

    char *why = NULL;
    struct secret *v = sec("rt-one"), *got = NULL;
    struct keyring_key incomplete = {"AzureCloud", "t1", NULL, "c1"};
    is_int(keyring_store(k, &incomplete, v, &why), KV_ERR_INVALID,
           "a token needs an account");
    ok(why != NULL, "and says so");
    free(why);
    why = NULL;

    struct keyring_key a1 = {"AzureCloud", "t1", "ana@contoso.com", "c1"};
    struct keyring_key b1 = {"AzureCloud", "t1", "bo@contoso.com", "c1"};
    struct keyring_key a2 = {"AzureCloud", "t2", "ana@contoso.com", "c1"};
    struct keyring_key gov = {"AzureUSGovernment", "t1", "ana@contoso.com",
                              "c1"};
    is_int(keyring_store(k, &a1, v, NULL), KV_OK, "store a1");
    secret_free(v);
    v = sec("rt-two");
    is_int(keyring_store(k, &a1, v, NULL), KV_OK, "store a1 again");
    secret_free(v);
    v = sec("rt-bo");
    keyring_store(k, &b1, v, NULL);
    secret_free(v);
    v = sec("rt-t2");
    keyring_store(k, &a2, v, NULL);
    secret_free(v);
    v = sec("rt-gov");
    keyring_store(k, &gov, v, NULL);
    secret_free(v);

    struct keyring_entry found;
    is_int(keyring_lookup(k, &a1, &got, &found, &why), KV_OK, "lookup a1");
    is_str(got ? got->data : NULL, "rt-two", "the second store replaced");
    is_str(found.account, "ana@contoso.com", "found: account");
    is_str(found.client_id, "c1", "found: client id");
    keyring_entry_clear(&found);
    secret_free(got);
    got = NULL;

    struct keyring_key any_account = {"AzureCloud", "t1", NULL, "c1"};
    is_int(keyring_lookup(k, &any_account, &got, &found, NULL), KV_OK,
           "lookup with any account");
    is_str(got ? got->data : NULL, "rt-bo", "the newest of the tenant");
    is_str(found.account, "bo@contoso.com", "and whose it is");
    keyring_entry_clear(&found);
    secret_free(got);
    got = NULL;

    struct keyring_key other = {"AzureCloud", "t9", NULL, NULL};
    is_int(keyring_lookup(k, &other, &got, NULL, NULL), KV_ERR_NOT_FOUND,
           "another tenant: not found");
    ok(got == NULL, "and no value");

    /* logout for tenant t1 in AzureCloud: two entries, not t2, not gov */
    struct vec removed = VEC_INIT;
    struct keyring_key t1 = {"AzureCloud", "t1", NULL, NULL};
    is_int(keyring_remove(k, &t1, &removed, NULL), KV_OK, "remove t1");
    is_int(removed.len, 2, "two entries removed");
    vec_free_all(&removed, keyring_entry_free);
    is_int(keyring_lookup(k, &a1, &got, NULL, NULL), KV_ERR_NOT_FOUND,
           "a1 is gone");
    is_int(keyring_lookup(k, &a2, &got, NULL, NULL), KV_OK, "t2 stays");
    secret_free(got);
    got = NULL;
    is_int(keyring_remove(k, &t1, &removed, NULL), KV_OK,
           "removing again is fine");
    is_int(removed.len, 0, "and removes nothing");
    is_int(keyring_remove(k, NULL, &removed, NULL), KV_OK, "remove all");
    is_int(removed.len, 2, "t2 and the other cloud");
    vec_free_all(&removed, keyring_entry_free);
    is_int(keyring_lookup(k, NULL, &got, NULL, NULL), KV_ERR_NOT_FOUND,
           "nothing left");
    keyring_free(k);
    return tap_done();
}
