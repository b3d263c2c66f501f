/*
 * test-azure-replay.c — every JSON response body of the real recorded
 * traffic (../shared/azure/recordings, or $KVDECK_RECORDINGS) goes
 * through the decoder that kvdeck would use for it, and must decode
 * without error. Bodies are extracted at test time by
 * tests/tools/cassette-bodies.py (skips without python3 + PyYAML, or
 * without the recordings).
 *
 * Which decoder: chosen from the request, as the client chooses it:
 * error bodies (status >= 400) by az_error_parse; lists by az_page_parse
 * plus the item decoder of the resource; single resources by theirs; the
 * rest (Network, DNS, Graph, operation status) must at least be JSON.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "azure/arm.h"
#include "azure/json.h"
#include "azure/resource.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tests/tap.h"

/* The model's *_free() releases the struct itself too: hand it a heap
 * copy of a stack struct, so that it frees the contents. */
#define free_contents(fn, s) fn(memcpy(xmalloc(sizeof(s)), &(s), sizeof(s)))

struct tally {
    int bodies, errors, pages, empty_with_next, dp_null_end, vaults, pecs,
        groups, secrets, bundles, generic, failures;
};

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    *len = fread(p, 1, (size_t)n, f);
    p[*len] = '\0';
    fclose(f);
    return p;
}

static void
failed(struct tally *t, const char *where, const char *why)
{
    t->failures++;
    if (t->failures <= 20)
        printf("# %s: %s\n", where, why != NULL ? why : "failed");
}

/* The path of a URI in lower case, without query. */
static void
lower_path(const char *uri, char *out, size_t n)
{
    const char *p = strstr(uri, "://");
    p = p != NULL ? strchr(p + 3, '/') : NULL;
    size_t i = 0;
    for (; p != NULL && *p != '\0' && *p != '?' && i + 1 < n; p++)
        out[i++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    out[i] = '\0';
}

/* Decodes each item of a page with the given decoder. */
static void
page_items(struct tally *t, const char *where, const struct az_page *pg,
           int kind)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, pg->value)
    {
        char *why = NULL;
        enum kv_status st = KV_OK;
        if (kind == 'v') {
            const char *type = json_str(it, "type");
            if (type != NULL && !str_ieq(type, "Microsoft.KeyVault/vaults")) {
                t->generic++;
                continue; /* e.g. generic /resources of other types */
            }
            struct kv_vault v;
            st = az_vault_decode(it, &v, &why);
            if (st == KV_OK)
                t->vaults++;
            free_contents(kv_vault_free, v);
        } else if (kind == 's') {
            struct kv_secret_item s;
            st = az_secret_decode(it, &s, &why);
            if (st == KV_OK)
                t->secrets++;
            free_contents(kv_secret_item_free, s);
        } else if (kind == 'g') {
            struct kv_group g;
            st = az_group_decode(it, &g, &why);
            if (st == KV_OK)
                t->groups++;
            free_contents(kv_group_free, g);
        } else if (kind == 'p') {
            struct kv_endpoint_connection p;
            st = az_pec_decode(it, &p, &why);
            if (st == KV_OK)
                t->pecs++;
            free_contents(kv_endpoint_connection_free, p);
        } else if (json_str(it, "id") == NULL && json_str(it, "name") == NULL) {
            why = strdup("a list item without id or name");
            st = KV_ERR_PARSE;
        }
        if (st != KV_OK)
            failed(t, where, why);
        free(why);
    }
}

static void
replay_one(struct tally *t, const char *method, int status, const char *uri,
           const char *where, const char *body, size_t len)
{
    char path[2048];
    char *why = NULL;
    bool dp = strstr(uri, ".vault.azure.net") != NULL;
    lower_path(uri, path, sizeof path);
    t->bodies++;

    if (status >= 400) {
        struct az_error e;
        if (az_error_parse(body, len, &e) && e.code != NULL)
            t->errors++;
        else
            failed(t, where, "an error body that does not decode");
        az_error_free(&e);
        return;
    }
    bool list_vaults = str_ends(path, "/providers/microsoft.keyvault/vaults") ||
                       str_ends(path, "/resources");
    bool list_secrets =
        dp && (str_eq(path, "/secrets") || str_eq(path, "/deletedsecrets") ||
               str_ends(path, "/versions"));
    bool list_groups = str_ends(path, "/resourcegroups");
    bool list_pec = str_ends(path, "/privateendpointconnections");
    bool list_other = str_ends(path, "/deletedvaults") ||
                      str_ends(path, "/privatelinkresources") ||
                      str_ends(path, "/managedhsms") ||
                      str_ends(path, "/deletedmanagedhsms") ||
                      str_ends(path, "/privatednszonegroups");
    if (list_vaults || list_secrets || list_groups || list_pec || list_other) {
        struct az_page pg;
        if (az_page_parse(body, len, where, &pg, &why) != KV_OK) {
            failed(t, where, why);
            free(why);
            return;
        }
        t->pages++;
        if (az_page_count(&pg) == 0 && pg.next_link != NULL)
            t->empty_with_next++;
        if (dp && pg.next_link == NULL &&
            cJSON_IsNull(cJSON_GetObjectItem(pg.root, "nextLink")))
            t->dp_null_end++;
        page_items(t, where, &pg,
                   list_vaults    ? 'v'
                   : list_secrets ? 's'
                   : list_groups  ? 'g'
                   : list_pec     ? 'p'
                                  : '?');
        az_page_free(&pg);
        return;
    }
    cJSON *j = json_parse(body, len, where, &why);
    if (j == NULL) {
        failed(t, where, why);
        free(why);
        return;
    }
    enum kv_status st = KV_OK;
    const char *vaults = strstr(path, "/providers/microsoft.keyvault/vaults/");
    if (dp && str_starts(path, "/secrets/") && !str_ends(path, "/backup")) {
        if (cJSON_IsString(cJSON_GetObjectItem(j, "value"))) {
            struct kv_secret_version b;
            struct secret *v = NULL;
            st = az_secret_bundle_decode(body, len, &b, &v, &why);
            if (st == KV_OK && (v == NULL || strstr(b.json, "\"value\"")))
                st = KV_ERR_INTERNAL; /* the value must be taken out */
            secret_free(v);
            if (st == KV_OK)
                t->bundles++;
            free_contents(kv_secret_version_free, b);
        } else {
            struct kv_secret_version s; /* a versions-list entry */
            st = az_secret_version_decode(j, &s, &why);
            if (st == KV_OK)
                t->secrets++;
            free_contents(kv_secret_version_free, s);
        }
    } else if (vaults != NULL && strchr(vaults + 37, '/') == NULL &&
               !str_eq(method, "DELETE")) {
        struct kv_vault v;
        st = az_vault_decode(j, &v, &why);
        if (st == KV_OK && (v.vault_uri == NULL || str_ends(v.vault_uri, "/")))
            st = KV_ERR_INTERNAL; /* vaultUri must be there, slash trimmed */
        if (st == KV_OK)
            t->vaults++;
        free_contents(kv_vault_free, v);
    } else if (strstr(path, "/privateendpointconnections/") != NULL &&
               strstr(path, "/microsoft.keyvault/") != NULL) {
        struct kv_endpoint_connection p;
        st = az_pec_decode(j, &p, &why);
        if (st == KV_OK && p.status == NULL)
            st = KV_ERR_INTERNAL;
        if (st == KV_OK)
            t->pecs++;
        free_contents(kv_endpoint_connection_free, p);
    } else if (strstr(path, "/resourcegroups/") != NULL &&
               strchr(strstr(path, "/resourcegroups/") + 16, '/') == NULL) {
        struct kv_group g;
        st = az_group_decode(j, &g, &why);
        if (st == KV_OK)
            t->groups++;
        free_contents(kv_group_free, g);
    } else {
        t->generic++;
    }
    if (st != KV_OK)
        failed(t, where, why != NULL ? why : "decoded, but wrong");
    free(why);
    cJSON_Delete(j);
}

int
main(void)
{
    const char *top = getenv("top_srcdir");
    const char *py = getenv("PYTHON3");
    const char *rec = getenv("KVDECK_RECORDINGS");
    char recdir[1024], dir[] = "/tmp/kvtest-replay-XXXXXX", cmd[4096];
    struct stat st;

    if (top == NULL)
        top = ".";
    if (py == NULL || *py == '\0')
        py = "python3";
    if (rec == NULL) {
        snprintf(recdir, sizeof recdir, "%s/../shared/azure/recordings", top);
        rec = recdir;
    }
    if (stat(rec, &st) != 0)
        tap_skip_all("no recordings at %s (set KVDECK_RECORDINGS)", rec);
    if (mkdtemp(dir) == NULL)
        tap_skip_all("cannot create a temporary directory");
    snprintf(cmd, sizeof cmd,
             "'%s' '%s/tests/tools/cassette-bodies.py' '%s' '%s' >/dev/null",
             py, top, rec, dir);
    int rc = system(cmd);
    if (rc != 0) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            printf("# cannot remove %s\n", dir);
        if (WEXITSTATUS(rc) == 77 || WEXITSTATUS(rc) == 127)
            tap_skip_all("python3 with PyYAML is needed to read the "
                         "cassettes");
        printf("not ok 1 - extracting the cassettes failed (%d)\n1..1\n", rc);
        return 1;
    }

    struct tally t = {0};
    char index[1100];
    snprintf(index, sizeof index, "%s/index.tsv", dir);
    FILE *f = fopen(index, "r");
    char line[16384];
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        char *fields[5], *save = NULL, *p = line;
        line[strcspn(line, "\n")] = '\0';
        for (int i = 0; i < 5; i++, p = NULL)
            fields[i] = strtok_r(p, "\t", &save);
        if (fields[4] == NULL)
            continue;
        char bodypath[1200];
        size_t len = 0;
        snprintf(bodypath, sizeof bodypath, "%s/%s.body", dir, fields[0]);
        char *body = slurp(bodypath, &len);
        if (body == NULL) {
            failed(&t, fields[4], "body file missing");
            continue;
        }
        replay_one(&t, fields[1], atoi(fields[2]), fields[3], fields[4], body,
                   len);
        free(body);
    }
    if (f != NULL)
        fclose(f);

    printf("# %d bodies: %d errors, %d pages (%d empty with nextLink, %d "
           "data-plane ends with null), %d vaults, %d connections, %d "
           "groups, %d secrets, %d bundles, %d other\n",
           t.bodies, t.errors, t.pages, t.empty_with_next, t.dp_null_end,
           t.vaults, t.pecs, t.groups, t.secrets, t.bundles, t.generic);
    ok(f != NULL && t.bodies >= 700, "the cassettes hold %d JSON bodies",
       t.bodies);
    is_int(t.failures, 0, "every body decodes without error");
    ok(t.empty_with_next >= 134,
       "empty pages that carry a nextLink are pages, not the end (%d)",
       t.empty_with_next);
    ok(t.dp_null_end > 0, "data-plane lists end with \"nextLink\": null");
    ok(t.errors > 0 && t.vaults > 0 && t.pecs > 0 && t.groups > 0 &&
           t.secrets > 0 && t.bundles > 0,
       "errors, vaults, connections, groups, secrets and bundles all seen");

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# cannot remove %s\n", dir);
    return tap_done();
}
