/*
 * credential-chain.c — which credential source signs in: the first that
 * is configured (see az_credential_chain() in credential.h). The only
 * file that knows every source.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/credential.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

const char *const az_credential_sources[] = {
    "auto",        "secret",           "certificate", "az",
    "device-code", "managed-identity", NULL};

bool
az_credential_source_known(const char *auth, char **why)
{
    if (auth == NULL)
        return true;
    for (size_t i = 0; az_credential_sources[i] != NULL; i++)
        if (str_eq(auth, az_credential_sources[i]))
            return true;
    *why = xasprintf(_("unknown sign-in source \"%s\" (--auth or auth =): "
                       "auto, secret, certificate, az, device-code or "
                       "managed-identity"),
                     auth);
    return false;
}

/* The environment's value of name, or NULL when unset or empty. */
static const char *
env(const struct az_sign_in *o, const char *name)
{
    const char *v = o->no_env ? NULL : getenv(name);
    return v != NULL && *v != '\0' ? v : NULL;
}

static bool
wants(const struct az_sign_in *o, const char *source)
{
    return o->auth == NULL || str_eq(o->auth, "auto") ||
           str_eq(o->auth, source);
}

/* A certificate credential from path; password from the configuration
 * or else the environment. */
static struct az_credential *
cert(const struct az_cloud *cloud, const struct az_sign_in *o,
     const char *tenant, const char *client_id, const char *path,
     const char *origin, char **why)
{
    const char *envpw = env(o, "AZURE_CLIENT_CERTIFICATE_PASSWORD");
    struct secret *pw = NULL;
    if (o->certificate_password != NULL)
        pw = secret_dup(o->certificate_password->data,
                        o->certificate_password->len);
    else if (envpw != NULL)
        pw = secret_dup(envpw, strlen(envpw));
    struct az_credential *c =
        az_credential_cert_new(cloud, tenant, client_id, path, pw, origin, why);
    secret_free(pw);
    return c;
}

struct az_credential *
az_credential_chain(const struct az_cloud *cloud, const struct az_sign_in *o,
                    char **why)
{
    const char *tenant = o->tenant, *client_id = o->client_id;
    bool conf = tenant != NULL && client_id != NULL;

    if (!az_credential_source_known(o->auth, why))
        return NULL;
    /* 1. the configuration */
    if (wants(o, "secret") && conf && o->client_secret != NULL &&
        o->client_secret->len > 0)
        return az_credential_secret_new(cloud, tenant, client_id,
                                        o->client_secret, N_("configuration"));
    if (wants(o, "certificate") && conf && o->certificate != NULL)
        return cert(cloud, o, tenant, client_id, o->certificate,
                    N_("configuration"), why);
    /* 2. the environment (what the configuration names wins) */
    const char *t = tenant != NULL ? tenant : env(o, "AZURE_TENANT_ID");
    /* a tenant from the environment is checked where it is used (it goes
     * into the token URL) */
    bool env_bad = tenant == NULL && t != NULL && !az_cloud_tenant_valid(t);
    const char *id = client_id != NULL ? client_id : env(o, "AZURE_CLIENT_ID");
    const char *s = env(o, "AZURE_CLIENT_SECRET");
    const char *path = o->certificate != NULL
                           ? o->certificate
                           : env(o, "AZURE_CLIENT_CERTIFICATE_PATH");
    if (t != NULL && id != NULL && env_bad &&
        ((wants(o, "secret") && s != NULL) ||
         (wants(o, "certificate") && path != NULL))) {
        *why = az_cloud_tenant_check(t, "AZURE_TENANT_ID");
        return NULL;
    }
    if (t != NULL && id != NULL) {
        if (wants(o, "secret") && s != NULL) {
            struct secret *sec = secret_dup(s, strlen(s));
            struct az_credential *c =
                az_credential_secret_new(cloud, t, id, sec, N_("environment"));
            secret_free(sec);
            return c;
        }
        if (wants(o, "certificate") && path != NULL)
            return cert(cloud, o, t, id, path, N_("environment"), why);
    }
    /* 3. this machine's managed identity, when opted in */
    if ((o->auth != NULL && str_eq(o->auth, "managed-identity")) ||
        (wants(o, "managed-identity") && o->managed_identity)) {
        if (env_bad) {
            *why = az_cloud_tenant_check(t, "AZURE_TENANT_ID");
            return NULL;
        }
        return az_credential_mi_new(
            cloud, t, id, env(o, "IDENTITY_ENDPOINT"),
            env(o, "IDENTITY_HEADER"),
            env(o, "AZURE_POD_IDENTITY_AUTHORITY_HOST"));
    }
    /* 4. the az CLI's login here */
    if (wants(o, "az") &&
        (!o->no_env || (o->auth != NULL && str_eq(o->auth, "az")))) {
        char *home = az_credential_azcli_profile(NULL);
        const char *tn = tenant != NULL ? tenant : home;
        /* in the chain only when az is signed in here (a configured
         * tenant alone says nothing about az) */
        if (tn != NULL &&
            (home != NULL || (o->auth != NULL && str_eq(o->auth, "az")))) {
            struct az_credential *c = az_credential_azcli_new(cloud, tn);
            free(home);
            return c;
        }
        if (o->auth != NULL && str_eq(o->auth, "az")) {
            *why = xstrdup(_("the az CLI is not signed in here (no default "
                             "subscription in its profile): run az login "
                             "first"));
            return NULL;
        }
    }
    if (o->auth != NULL && str_eq(o->auth, "certificate")) {
        *why = xstrdup(_("no client certificate: set AZURE_TENANT_ID, "
                         "AZURE_CLIENT_ID and AZURE_CLIENT_CERTIFICATE_PATH, "
                         "or tenant, client-id and client-certificate in the "
                         "configuration"));
        return NULL;
    }
    const char *none =
        _("no Azure credential: sign in with kvdeck login (a device code) "
          "or az login, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and "
          "AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (a service "
          "principal), or configure one");
    /* 5. a person: a refresh token kept from an earlier sign-in, else a
     * device code when someone can see it */
    bool dc = o->auth != NULL && str_eq(o->auth, "device-code");
    if (dc || (wants(o, "device-code") &&
               (o->interactive || o->token_store != NULL))) {
        const char *cid = o->device_client_id != NULL
                              ? o->device_client_id
                              : env(o, "KVDECK_DEVICE_CLIENT_ID");
        struct az_credential *c = az_credential_device_new(
            cloud, t, cid, o->on_device, o->device_ud, o->token_store);
        if (!dc && !o->interactive)
            az_credential_device_kept_only(c, none);
        return c;
    }
    *why = xstrdup(none);
    return NULL;
}
