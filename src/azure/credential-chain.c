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
#include "base/xalloc.h"

struct az_credential *
az_credential_chain(const struct az_cloud *cloud, const char *tenant,
                    const char *client_id, const struct secret *secret,
                    bool no_env, char **why)
{
    if (tenant != NULL && client_id != NULL && secret != NULL &&
        secret->len > 0)
        return az_credential_secret_new(cloud, tenant, client_id, secret,
                                        N_("configuration"));
    if (!no_env) {
        const char *t = getenv("AZURE_TENANT_ID");
        const char *id = getenv("AZURE_CLIENT_ID");
        const char *s = getenv("AZURE_CLIENT_SECRET");
        if (t != NULL && *t != '\0' && id != NULL && *id != '\0' && s != NULL &&
            *s != '\0') {
            struct secret *sec = secret_dup(s, strlen(s));
            struct az_credential *c = az_credential_secret_new(
                cloud, tenant != NULL ? tenant : t,
                client_id != NULL ? client_id : id, sec, N_("environment"));
            secret_free(sec);
            return c;
        }
    }
    *why = xstrdup(_("no Azure credential: set AZURE_TENANT_ID, "
                     "AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (a service "
                     "principal), or configure a client secret"));
    return NULL;
}
