/*
 * keyring-tool.c — engine/keyring.c from the command line, for
 * test-keyring.sh (which checks the real Secret Service with secret-tool
 * around it). A test token is printed on purpose; never use this with a
 * real one.
 *
 *   keyring-tool probe                     storage [: why], and ms taken
 *   keyring-tool store C T A I             value from stdin
 *   keyring-tool lookup C T A I            "ACCOUNT VALUE" or exit 4
 *   keyring-tool remove C T A I            one line per removed entry
 *   keyring-tool roundtrip C T A I VALUE   store + lookup in one process
 *
 * A "-" field is NULL (matches any). Exit 0 ok, 1 failed, 4 not found.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/secmem.h"
#include "base/vec.h"
#include "engine/keyring.h"

static const char *
arg(const char *s)
{
    return strcmp(s, "-") == 0 ? NULL : s;
}

static long
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void
print_storage(struct keyring *k)
{
    const char *why = keyring_why(k);
    printf("%s%s%s\n", keyring_storage_name(keyring_storage(k)),
           why ? ": " : "", why ? why : "");
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: keyring-tool probe|store|lookup|remove|roundtrip ...\n",
              stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "have-libsecret") == 0) {
#ifdef HAVE_LIBSECRET
        return 0;
#else
        return 1;
#endif
    }
    struct keyring *k = keyring_new(0);
    int rc = 0;
    char *why = NULL;
    if (strcmp(cmd, "probe") == 0) {
        long t0 = now_ms();
        keyring_probe(k);
        long took = now_ms() - t0;
        print_storage(k);
        printf("%ld\n", took);
        goto out;
    }
    if (argc < 6) {
        fputs("keyring-tool: CLOUD TENANT ACCOUNT CLIENT expected\n", stderr);
        rc = 2;
        goto out;
    }
    struct keyring_key key = {arg(argv[2]), arg(argv[3]), arg(argv[4]),
                              arg(argv[5])};
    if (strcmp(cmd, "store") == 0 || strcmp(cmd, "roundtrip") == 0) {
        struct secret *v = secret_new(4096);
        if (strcmp(cmd, "roundtrip") == 0) {
            secret_append(v, argv[6], strlen(argv[6]));
        } else {
            char buf[256];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
                secret_append(v, buf, n);
        }
        if (keyring_store(k, &key, v, &why) != KV_OK) {
            fprintf(stderr, "keyring-tool: %s\n", why);
            rc = 1;
        }
        secret_free(v);
        print_storage(k);
        if (rc != 0 || strcmp(cmd, "store") == 0)
            goto out;
    }
    if (strcmp(cmd, "lookup") == 0 || strcmp(cmd, "roundtrip") == 0) {
        struct secret *v = NULL;
        struct keyring_entry en;
        enum kv_status st = keyring_lookup(k, &key, &v, &en, &why);
        if (st == KV_OK) {
            printf("%s %s\n", en.account, v->data);
            keyring_entry_clear(&en);
            secret_free(v);
        } else if (st == KV_ERR_NOT_FOUND) {
            printf("not found\n");
            rc = 4;
        } else {
            fprintf(stderr, "keyring-tool: %s\n", why);
            rc = 1;
        }
    } else if (strcmp(cmd, "remove") == 0) {
        struct vec removed = VEC_INIT;
        if (keyring_remove(k, &key, &removed, &why) != KV_OK) {
            fprintf(stderr, "keyring-tool: %s\n", why);
            rc = 1;
        }
        for (size_t i = 0; i < removed.len; i++) {
            struct keyring_entry *en = removed.items[i];
            printf("removed %s %s %s %s\n", en->cloud, en->tenant, en->account,
                   en->client_id);
        }
        vec_free_all(&removed, keyring_entry_free);
    } else if (strcmp(cmd, "store") != 0) {
        fprintf(stderr, "keyring-tool: unknown command %s\n", cmd);
        rc = 2;
    }
out:
    free(why);
    keyring_free(k);
    return rc;
}
