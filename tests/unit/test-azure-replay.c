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
    /* the vault's network (issue #10) */
    int acls, ip_rule_seen, vnet_rule_seen, pna_disabled, pec_endpoint;
    int endpoints, endpoint_ips, endpoint_subnets, zone_groups, records, vnets,
        subnets, subnet_free, zones, links;
};

/* The last segment after "/providers/microsoft.network/" is a resource of
 * type seg (no child after it): ".../privateendpoints/NAME". */
static bool
network_resource(const char *path, const char *seg)
{
    const char *p = strstr(path, "/providers/microsoft.network/");
    if (p == NULL)
        return false;
    char pat[64];
    snprintf(pat, sizeof pat, "/%s/", seg);
    const char *last = NULL;
    for (const char *q = strstr(p, pat); q != NULL; q = strstr(q + 1, pat))
        last = q;
    return last != NULL && strchr(last + strlen(pat), '/') == NULL;
}

/* A Microsoft.Network body through its decoder (issue #10); false when
 * the path is none of them. */
static bool
replay_network(struct tally *t, const char *path, const char *method,
               int status, const cJSON *j, enum kv_status *st, char **why)
{
    if (str_eq(method, "DELETE") || status == 202) /* no resource ("{}") */
        return false;
    if (network_resource(path, "privateendpoints")) {
        struct kv_private_endpoint e;
        *st = az_private_endpoint_decode(j, &e, why);
        if (*st == KV_OK) {
            t->endpoints++;
            t->endpoint_ips += e.private_ip != NULL;
            t->endpoint_subnets += e.subnet_id != NULL;
            if (e.target_id == NULL)
                *st = KV_ERR_INTERNAL; /* its connection's target */
        }
        free_contents(kv_private_endpoint_free, e);
    } else if (network_resource(path, "privatednszonegroups")) {
        struct kv_zone_group g;
        *st = az_zone_group_decode(j, &g, why);
        if (*st == KV_OK) {
            t->zone_groups++;
            for (size_t i = 0; i < g.n_records; i++)
                if (g.records[i].fqdn != NULL && g.records[i].addresses.n > 0 &&
                    g.records[i].zone_id != NULL)
                    t->records++;
        }
        free_contents(kv_zone_group_free, g);
    } else if (network_resource(path, "subnets")) {
        struct kv_subnet s;
        *st = az_subnet_decode(j, &s, why);
        if (*st == KV_OK) {
            t->subnets++;
            t->subnet_free += s.free_addresses > 0;
            if (s.vnet_id == NULL || s.address_prefix == NULL)
                *st = KV_ERR_INTERNAL;
        }
        free_contents(kv_subnet_free, s);
    } else if (network_resource(path, "virtualnetworks")) {
        struct kv_vnet v;
        *st = az_vnet_decode(j, &v, why);
        if (*st == KV_OK) {
            t->vnets++;
            if (v.address_prefixes.n == 0 || v.location == NULL)
                *st = KV_ERR_INTERNAL;
        }
        free_contents(kv_vnet_free, v);
    } else if (network_resource(path, "virtualnetworklinks")) {
        struct kv_vnet_link l;
        *st = az_vnet_link_decode(j, &l, why);
        if (*st == KV_OK) {
            t->links++;
            if (l.vnet_id == NULL || l.zone_id == NULL)
                *st = KV_ERR_INTERNAL;
        }
        free_contents(kv_vnet_link_free, l);
    } else if (network_resource(path, "privatednszones")) {
        struct kv_dns_zone z;
        *st = az_dns_zone_decode(j, &z, why);
        if (*st == KV_OK)
            t->zones++;
        free_contents(kv_dns_zone_free, z);
    } else {
        return false;
    }
    return true;
}

/* What a vault's networkAcls and a connection's endpoint decode to. */
static void
tally_vault_network(struct tally *t, const struct kv_vault *v)
{
    if (v->has_network_acls)
        t->acls++;
    for (size_t i = 0; i < v->ip_rules.n; i++)
        if (str_eq(v->ip_rules.items[i], "1.2.3.4/32"))
            t->ip_rule_seen++;
    for (size_t i = 0; i < v->vnet_rules.n; i++)
        if (str_icontains(v->vnet_rules.items[i], "/subnets/") != NULL)
            t->vnet_rule_seen++;
    if (str_eq(v->public_network_access, "Disabled"))
        t->pna_disabled++;
}

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
            if (st == KV_OK) {
                t->vaults++;
                tally_vault_network(t, &v);
            }
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
            if (st == KV_OK && p.private_endpoint_id != NULL)
                t->pec_endpoint++;
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
                      str_ends(path, "/privatednszonegroups") ||
                      str_ends(path, "/virtualnetworks") ||
                      str_ends(path, "/privatednszones") ||
                      str_ends(path, "/virtualnetworklinks");
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
        if (st == KV_OK) {
            t->vaults++;
            tally_vault_network(t, &v);
        }
        free_contents(kv_vault_free, v);
    } else if (strstr(path, "/privateendpointconnections/") != NULL &&
               strstr(path, "/microsoft.keyvault/") != NULL) {
        struct kv_endpoint_connection p;
        st = az_pec_decode(j, &p, &why);
        if (st == KV_OK && p.status == NULL)
            st = KV_ERR_INTERNAL;
        if (st == KV_OK)
            t->pecs++;
        if (st == KV_OK && p.private_endpoint_id != NULL)
            t->pec_endpoint++;
        free_contents(kv_endpoint_connection_free, p);
    } else if (replay_network(t, path, method, status, j, &st, &why)) {
        /* counted there */
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

    printf("# network: %d vaults with networkAcls, %d with public access "
           "Disabled, %d connections naming their endpoint; %d endpoints "
           "(%d with a private IP, %d with a subnet), %d zone groups (%d A "
           "records), %d VNets, %d subnets (%d with free addresses), %d "
           "zones, %d links\n",
           t.acls, t.pna_disabled, t.pec_endpoint, t.endpoints, t.endpoint_ips,
           t.endpoint_subnets, t.zone_groups, t.records, t.vnets, t.subnets,
           t.subnet_free, t.zones, t.links);
    ok(t.acls > 0 && t.ip_rule_seen > 0 && t.vnet_rule_seen > 0,
       "networkAcls decode: bypass, ipRules (1.2.3.4/32) and subnet rules");
    ok(t.pna_disabled > 0, "publicNetworkAccess Disabled is read as such");
    ok(t.pec_endpoint > 0, "connections name their private endpoint");
    ok(t.endpoints > 0 && t.endpoint_ips > 0 && t.endpoint_subnets > 0,
       "private endpoints decode with their subnet and private IP");
    /* (the recorded zone groups name zones without record sets: their
     * A records are checked in test-azure-network and against the sim) */
    ok(t.zone_groups > 0, "private DNS zone groups decode");
    ok(t.vnets > 0 && t.subnets > 0 && t.subnet_free > 0 && t.zones > 0 &&
           t.links > 0,
       "virtual networks, subnets (free addresses), zones and links decode");

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# cannot remove %s\n", dir);
    return tap_done();
}
