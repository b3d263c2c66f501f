/*
 * credential-secret.c — the client-secret credential: an OAuth 2.0
 * client_credentials grant against {authority}/{tenant}/oauth2/v2.0/token
 * (or {authority}/oauth2/token on AD FS). The form body carrying the
 * secret is built and sent from secure memory; the answer is received
 * into secure memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/credential-int.h"
#include "base/i18n.h"
#include "base/xalloc.h"

struct secret_priv {
    char *client_id;
    struct secret *secret;
    struct az_token_fetches fetches;
};

/* claims: a claims challenge's JSON for the claims= parameter, or NULL. */
static uint64_t
secret_acquire_claims(struct az_credential *c, struct az_http *h,
                      const char *tenant, const char *scope, const char *claims,
                      az_credential_done_fn done, void *ud)
{
    struct secret_priv *p = c->priv;
    struct secret *body = secret_new(256 + p->secret->len * 3);
    const char *grant = "client_credentials";
    az_form_add(&body, "grant_type", grant, strlen(grant));
    az_form_add(&body, "client_id", p->client_id, strlen(p->client_id));
    az_form_add(&body, "client_secret", p->secret->data, p->secret->len);
    az_form_add(&body, "scope", scope, strlen(scope));
    if (claims != NULL)
        az_form_add(&body, "claims", claims, strlen(claims));
    return az_token_post(&p->fetches, c, h, tenant, body, done, ud);
}

static uint64_t
secret_acquire(struct az_credential *c, struct az_http *h, const char *tenant,
               const char *scope, az_credential_done_fn done, void *ud)
{
    return secret_acquire_claims(c, h, tenant, scope, NULL, done, ud);
}

static void
secret_cancel(struct az_credential *c, struct az_http *h, uint64_t id)
{
    struct secret_priv *p = c->priv;
    az_token_cancel(&p->fetches, h, id);
}

static void
secret_free_priv(struct az_credential *c)
{
    struct secret_priv *p = c->priv;
    az_token_fetches_free(&p->fetches);
    free(p->client_id);
    secret_free(p->secret);
    free(p);
}

static const struct az_credential_ops secret_ops = {
    .kind = "client secret",
    .acquire = secret_acquire,
    .cancel = secret_cancel,
    .free = secret_free_priv,
    .acquire_claims = secret_acquire_claims,
};

struct az_credential *
az_credential_secret_new(const struct az_cloud *cloud, const char *tenant,
                         const char *client_id, const struct secret *secret,
                         const char *origin)
{
    struct az_credential *c = xcalloc(1, sizeof *c);
    struct secret_priv *p = xcalloc(1, sizeof *p);
    p->client_id = xstrdup(client_id);
    p->secret = secret_dup(secret->data, secret->len);
    c->ops = &secret_ops;
    c->cloud = az_cloud_dup(cloud);
    c->tenant = xstrdup(tenant);
    c->name = xasprintf(_("client secret (%s)"), _(origin));
    c->priv = p;
    return c;
}
