/*
 * files.c — sim.json, connection.json and cloud.json (see files.h).
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
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/files.h"
#include "sim/store.h"
#include "sim/util.h"

enum kv_status
files_write_atomic(const char *path, const char *data, int mode, char **why)
{
    char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    size_t len = strlen(data);
    bool ok = false;

    if (fd >= 0) {
        ok = write(fd, data, len) == (ssize_t)len &&
             fchmod(fd, (mode_t)mode) == 0 && fsync(fd) == 0;
        close(fd);
        ok = ok && rename(tmp, path) == 0;
    }
    if (!ok) {
        *why = xasprintf("cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return ok ? KV_OK : KV_ERR_IO;
}

static char *
dup_field(const cJSON *j, const char *key)
{
    const char *s = json_str(j, key);

    return s ? xstrdup(s) : NULL;
}

/* The managed identities follow from the seed (stable across restarts
 * without being kept in sim.json); the App Service identity header is
 * new with every start, as on App Service. */
static void
derive_managed_identities(struct sim *sim, const char *seed)
{
    struct sim_identity *id = &sim->id;
    const char *s = sim->seed ? sim->seed : seed;
    const char *base = str_starts(s, "scale") ? "scale" : s;
    char *k;

    k = xasprintf("kvdeck-sim/%s/mi-system/client", base);
    id->mi_client_id = util_uuid_from(k);
    free(k);
    k = xasprintf("kvdeck-sim/%s/mi-system/object", base);
    id->mi_oid = util_uuid_from(k);
    free(k);
    k = xasprintf("kvdeck-sim/%s/mi-user/client", base);
    id->uami_client_id = util_uuid_from(k);
    free(k);
    k = xasprintf("kvdeck-sim/%s/mi-user/object", base);
    id->uami_oid = util_uuid_from(k);
    free(k);
    id->uami_resource_id = xstrdup(
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
        "rg-identity/providers/Microsoft.ManagedIdentity/"
        "userAssignedIdentities/id-kvdeck");
    id->identity_header = util_hex(32);
}

enum kv_status
files_identity(struct sim *sim, const char *seed, char **why)
{
    char *path = xasprintf("%s/sim.json", sim->state_dir);
    struct sim_identity *id = &sim->id;
    struct buf b = BUF_INIT;
    FILE *f = fopen(path, "r");
    enum kv_status rc = KV_OK;
    cJSON *j;

    if (f) {
        char chunk[4096];
        size_t n;

        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            buf_append(&b, chunk, n);
        fclose(f);
        j = json_parse_object(b.data, b.len);
        id->tenant = dup_field(j, "tenant");
        id->domain = dup_field(j, "domain");
        id->client_id = dup_field(j, "client_id");
        id->client_secret = dup_field(j, "client_secret");
        id->sp_object_id = dup_field(j, "sp_object_id");
        id->app_name = dup_field(j, "app_name");
        id->user_oid = dup_field(j, "user_oid");
        id->user_upn = dup_field(j, "user_upn");
        id->user_name = dup_field(j, "user_name");
        if (!sim->seed && json_str(j, "seed"))
            sim->seed = xstrdup(json_str(j, "seed"));
        cJSON_Delete(j);
        if (!id->tenant || !id->client_id || !id->client_secret ||
            !id->sp_object_id || !id->user_oid || !id->domain ||
            !id->app_name || !id->user_upn || !id->user_name) {
            *why = xasprintf("%s is incomplete", path);
            rc = KV_ERR_PARSE;
        }
    } else {
        const char *base = str_starts(seed, "scale") ? "scale" : seed;
        char *t = xasprintf("kvdeck-sim/%s/tenant", base);
        char *c = xasprintf("kvdeck-sim/%s/client", base);
        char *s = xasprintf("kvdeck-sim/%s/sp", base);
        char *u = xasprintf("kvdeck-sim/%s/user", base);
        char *secret = util_hex(40);
        char *text;

        id->tenant = util_uuid_from(t);
        id->domain = xstrdup("contoso.onmicrosoft.com");
        id->client_id = util_uuid_from(c);
        id->client_secret = xasprintf("kvs~%s", secret);
        id->sp_object_id = util_uuid_from(s);
        id->app_name = xstrdup("kvdeck-sim-app");
        id->user_oid = util_uuid_from(u);
        id->user_upn = xstrdup("dana@contoso.onmicrosoft.com");
        id->user_name = xstrdup("Dana Admin");
        j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "tenant", id->tenant);
        cJSON_AddStringToObject(j, "domain", id->domain);
        cJSON_AddStringToObject(j, "client_id", id->client_id);
        cJSON_AddStringToObject(j, "client_secret", id->client_secret);
        cJSON_AddStringToObject(j, "sp_object_id", id->sp_object_id);
        cJSON_AddStringToObject(j, "app_name", id->app_name);
        cJSON_AddStringToObject(j, "user_oid", id->user_oid);
        cJSON_AddStringToObject(j, "user_upn", id->user_upn);
        cJSON_AddStringToObject(j, "user_name", id->user_name);
        cJSON_AddStringToObject(j, "seed", seed);
        text = cJSON_Print(j);
        rc = files_write_atomic(path, text, 0600, why);
        free(text);
        cJSON_Delete(j);
        free(t);
        free(c);
        free(s);
        free(u);
        free(secret);
    }
    if (rc == KV_OK)
        derive_managed_identities(sim, seed);
    if (rc == KV_OK) {
        char *t2 = xasprintf("kvdeck-sim/%s/fabrikam", sim->id.tenant);

        sim->id.tenant2 = util_uuid_from(t2);
        sim->id.domain2 = xstrdup("fabrikam.onmicrosoft.com");
        free(t2);
    }
    buf_free(&b);
    free(path);
    return rc;
}

void
files_identity_free(struct sim_identity *id)
{
    free(id->tenant);
    free(id->domain);
    free(id->tenant2);
    free(id->domain2);
    free(id->client_id);
    free(id->client_secret);
    free(id->sp_object_id);
    free(id->app_name);
    free(id->user_oid);
    free(id->user_upn);
    free(id->user_name);
    free(id->mi_client_id);
    free(id->mi_oid);
    free(id->uami_client_id);
    free(id->uami_oid);
    free(id->uami_resource_id);
    free(id->identity_header);
    memset(id, 0, sizeof *id);
}

/* Adds "scheme://127.0.0.1:PORT" + tail. */
static char *
add_url(cJSON *o, const char *key, const char *scheme_host, int port,
        const char *tail)
{
    char *s = xasprintf("%s:%d%s", scheme_host, port, tail);

    cJSON_AddStringToObject(o, key, s);
    return s;
}

enum kv_status
files_write_connection(struct sim *sim, char **path, char **why)
{
    cJSON *c = cJSON_CreateObject(), *cloud = cJSON_CreateObject();
    cJSON *ep, *sfx, *subs;
    struct vec kvs = VEC_INIT;
    char *cpath = xasprintf("%s/connection.json", sim->state_dir);
    char *cloudpath = xasprintf("%s/cloud.json", sim->state_dir);
    /* the same cloud with an Entra ID authority (tenant paths, v2.0
     * endpoints) instead of AD FS: what kvdeck's demo uses, so that a
     * token is asked of the tenant it is for (:tenant) */
    char *entrapath = xasprintf("%s/cloud-entra.json", sim->state_dir);
    char *text;
    enum kv_status rc;
    int p = sim->port;

    cJSON_AddNumberToObject(c, "version", 1);
    cJSON_AddNumberToObject(c, "pid", (double)getpid());
    cJSON_AddNumberToObject(c, "port", p);
    free(add_url(c, "arm", "https://127.0.0.1", p, "/"));
    free(add_url(c, "login", "https://127.0.0.1", p, "/"));
    free(add_url(c, "adfs", "https://127.0.0.1", p, "/adfs"));
    cJSON_AddStringToObject(c, "arm_audience",
                            "https://management.core.windows.net/");
    cJSON_AddStringToObject(c, "vault_dns_suffix", ".vault.localhost");
    free(add_url(c, "vault_resource", "https://vault.localhost", p, ""));
    free(add_url(c, "graph", "https://127.0.0.1", p, "/"));
    if (sim->proxy_port)
        free(add_url(c, "proxy", "http://127.0.0.1", sim->proxy_port, ""));
    if (sim->private_proxy_port)
        free(add_url(c, "private_proxy", "http://127.0.0.1",
                     sim->private_proxy_port, ""));
    free(add_url(c, "control", "https://127.0.0.1", p, "/_sim"));
    if (sim->imds_port) {
        cJSON_AddNumberToObject(c, "imds_port", sim->imds_port);
        free(add_url(c, "imds", "http://127.0.0.1", sim->imds_port, ""));
        free(add_url(c, "identity_endpoint", "http://127.0.0.1", sim->imds_port,
                     "/msi/token"));
        cJSON_AddStringToObject(c, "identity_header", sim->id.identity_header);
    }
    cJSON_AddStringToObject(c, "mi_client_id", sim->id.mi_client_id);
    cJSON_AddStringToObject(c, "mi_object_id", sim->id.mi_oid);
    cJSON_AddStringToObject(c, "uami_client_id", sim->id.uami_client_id);
    cJSON_AddStringToObject(c, "uami_object_id", sim->id.uami_oid);
    cJSON_AddStringToObject(c, "uami_resource_id", sim->id.uami_resource_id);
    cJSON_AddStringToObject(c, "ca", sim->keys.ca_path);
    cJSON_AddStringToObject(c, "cloud_file", cloudpath);
    cJSON_AddStringToObject(c, "cloud_file_entra", entrapath);
    cJSON_AddStringToObject(c, "tenant", sim->id.tenant);
    cJSON_AddStringToObject(c, "tenant2", sim->id.tenant2);
    cJSON_AddStringToObject(c, "domain2", sim->id.domain2);
    cJSON_AddStringToObject(c, "client_id", sim->id.client_id);
    cJSON_AddStringToObject(c, "client_secret", sim->id.client_secret);
    cJSON_AddStringToObject(c, "client_certificate", sim->keys.client_pem_path);
    cJSON_AddStringToObject(c, "client_object_id", sim->id.sp_object_id);
    cJSON_AddStringToObject(c, "user", sim->id.user_upn);
    cJSON_AddStringToObject(c, "user_object_id", sim->id.user_oid);
    cJSON_AddStringToObject(c, "seed", sim->seed ? sim->seed : "");
    subs = cJSON_AddArrayToObject(c, "subscriptions");
    store_scan(sim->store, "sub|", NULL, 0, NULL, NULL, &kvs, NULL);
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];
        cJSON *s = cJSON_Parse(kv->val);

        /* the home tenant's: what its tokens list */
        if (json_str(s, "subscriptionId") &&
            (!json_str(s, "tenantId") ||
             str_eq(json_str(s, "tenantId"), sim->id.tenant)))
            cJSON_AddItemToArray(
                subs, cJSON_CreateString(json_str(s, "subscriptionId")));
        cJSON_Delete(s);
    }
    vec_free_all(&kvs, store_kv_free);

    cJSON_AddStringToObject(cloud, "name", "KvdeckSim");
    ep = cJSON_AddObjectToObject(cloud, "endpoints");
    free(add_url(ep, "resourceManager", "https://127.0.0.1", p, "/"));
    free(add_url(ep, "activeDirectory", "https://127.0.0.1", p, "/adfs"));
    cJSON_AddStringToObject(ep, "activeDirectoryResourceId",
                            "https://management.core.windows.net/");
    cJSON_AddStringToObject(ep, "activeDirectoryGraphResourceId",
                            "https://graph.windows.net/");
    free(add_url(ep, "microsoftGraphResourceId", "https://127.0.0.1", p, "/"));
    cJSON_AddStringToObject(ep, "management",
                            "https://management.core.windows.net/");
    sfx = cJSON_AddObjectToObject(cloud, "suffixes");
    cJSON_AddStringToObject(sfx, "keyvaultDns", ".vault.localhost");

    text = cJSON_Print(cloud);
    rc = files_write_atomic(cloudpath, text, 0644, why);
    free(text);
    if (rc == KV_OK) {
        cJSON_DeleteItemFromObject(ep, "activeDirectory");
        free(add_url(ep, "activeDirectory", "https://127.0.0.1", p, ""));
        text = cJSON_Print(cloud);
        rc = files_write_atomic(entrapath, text, 0644, why);
        free(text);
    }
    if (rc == KV_OK) {
        text = cJSON_Print(c);
        rc = files_write_atomic(cpath, text, 0600, why);
        free(text);
    }
    cJSON_Delete(c);
    cJSON_Delete(cloud);
    free(cloudpath);
    free(entrapath);
    if (rc == KV_OK)
        *path = cpath;
    else
        free(cpath);
    return rc;
}
