/*
 * credential-mi.c — the managed-identity credential: the identity of the
 * Azure machine kvdeck runs on, from the endpoint on that machine.
 *
 *   IMDS (virtual machines, scale sets, AKS pod identity):
 *     GET http://169.254.169.254/metadata/identity/oauth2/token
 *         ?api-version=2018-02-01&resource=R[&client_id=C]
 *     Metadata: true
 *   App Service, Functions, Container Apps (IDENTITY_ENDPOINT and
 *   IDENTITY_HEADER set in the environment):
 *     GET $IDENTITY_ENDPOINT?api-version=2019-08-01&resource=R[&client_id=C]
 *     X-IDENTITY-HEADER: $IDENTITY_HEADER
 *
 * Both speak plain HTTP on the machine itself, so the request is marked
 * local_http: the transport allows http only to a loopback or link-local
 * host and never through a proxy. The IMDS host may be moved with
 * AZURE_POD_IDENTITY_AUTHORITY_HOST, as azure-identity allows (tests
 * point it at kvdeck-sim). A client id selects a user-assigned identity.
 *
 * The token request carries no secret, but the App Service header is one
 * (it proves the caller runs in the app): it is kept in secure memory
 * and goes only into the request's headers, which are wiped.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/credential-int.h"
#include "azure/json.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"

#define IMDS_HOST "http://169.254.169.254"
#define IMDS_PATH "/metadata/identity/oauth2/token"

struct mi_priv {
    char *endpoint;        /* token URL without the query */
    struct secret *header; /* App Service: X-IDENTITY-HEADER; NULL: IMDS */
    char *client_id;       /* a user-assigned identity, or NULL */
    struct vec fetches;    /* struct mi_fetch * */
};

struct mi_fetch {
    struct az_credential *cred;
    uint64_t http_id;
    az_credential_done_fn done;
    void *ud;
};

enum kv_status
az_credential_parse_mi(const char *body, size_t len, int64_t now,
                       struct secret **token, int64_t *expires_at,
                       char **resource, char **why)
{
    /* TRANSLATORS: goes into "malformed JSON in %s" */
    cJSON *root =
        json_parse(body, len, _("the managed identity's answer"), why);
    enum kv_status st = KV_ERR_PARSE;
    *token = NULL;
    if (resource != NULL)
        *resource = NULL;
    if (root == NULL)
        return KV_ERR_PARSE;
    /* IMDS sends numbers as strings ("expires_on":"1700003600"); App
     * Service sends a number or a string; json_int reads both */
    st = az_token_of(root, "access_token", "token_type", true,
                     _("the managed identity's answer"), now, token, expires_at,
                     why);
    if (st == KV_OK && *expires_at < 0)
        *expires_at = now + 300; /* unknown: assume short */
    if (st == KV_OK && resource != NULL)
        *resource = json_strdup(root, "resource");
    json_scrub(root, "access_token");
    cJSON_Delete(root);
    return st;
}

char *
az_credential_mi_error(long status, const char *body, size_t len)
{
    char *perr = NULL;
    cJSON *root = len > 0 ? json_parse(body, len, "", &perr) : NULL;
    free(perr);
    /* IMDS: {"error","error_description"}; App Service: {"statusCode",
     * "message","correlationId"}; either may nest under "error" */
    const char *desc = json_str(root, "error_description");
    if (desc == NULL)
        desc = json_str(root, "message");
    if (desc == NULL)
        desc = json_str(root, "error.message");
    if (desc == NULL)
        desc = json_str(root, "error");
    char *msg;
    if (desc != NULL && str_istarts(desc, "Identity not found"))
        msg = xasprintf(_("the managed identity endpoint knows no such "
                          "identity (HTTP %ld: %s): check AZURE_CLIENT_ID "
                          "(a user-assigned identity's client id) or assign "
                          "an identity to this machine"),
                        status, desc);
    else if (desc != NULL && strstr(desc, "metadata header") != NULL)
        msg = xasprintf(_("the managed identity endpoint refused the "
                          "request (HTTP %ld: %s)"),
                        status, desc);
    else if (desc != NULL)
        msg = xasprintf(_("the managed identity endpoint answered HTTP %ld: "
                          "%s"),
                        status, desc);
    else
        msg = xasprintf(_("the managed identity endpoint answered HTTP %ld"),
                        status);
    cJSON_Delete(root);
    return msg;
}

/* "https://vault.azure.net/.default" -> "https://vault.azure.net"; the
 * ARM scope keeps its slash ("https://management.core.windows.net/"). */
static char *
resource_of(const char *scope)
{
    size_t n = strlen(scope);
    if (str_iends(scope, "/.default"))
        n -= strlen("/.default");
    return xstrndup(scope, n);
}

static void
unlist(struct mi_priv *p, struct mi_fetch *f)
{
    for (size_t i = 0; i < p->fetches.len; i++)
        if (p->fetches.items[i] == f) {
            vec_remove(&p->fetches, i);
            return;
        }
}

static void
mi_done(void *ud, struct az_request *req, struct az_response *resp)
{
    struct mi_fetch *f = ud;
    struct mi_priv *p = f->cred->priv;
    struct secret *token = NULL;
    int64_t expires_at = 0;
    char *why = NULL, *resource = NULL;
    enum kv_status st;
    size_t len;
    const char *body = az_response_body(resp, &len);

    unlist(p, f);
    if (resp->result != KV_OK) {
        st = KV_ERR_AUTH; /* no sign-in possible here */
        why = xasprintf(_("no managed identity endpoint answered at %s (is "
                          "this an Azure machine with a managed identity?): "
                          "%s"),
                        p->endpoint, resp->why);
    } else if (resp->status == 200) {
        st = az_credential_parse_mi(body, len, time_now(), &token, &expires_at,
                                    &resource, &why);
        if (st != KV_OK)
            st = KV_ERR_AUTH;
        log_debug("auth: managed identity token for resource %s",
                  resource != NULL ? resource : "(not named)");
    } else {
        st = KV_ERR_AUTH;
        why = az_credential_mi_error(resp->status, body, len);
    }
    long status = resp->status;
    free(resource);
    az_request_free(req);
    az_response_free(resp);
    f->done(f->ud, st, token, expires_at, why, status);
    free(f);
}

static uint64_t
mi_acquire(struct az_credential *c, struct az_http *h, const char *tenant,
           const char *scope, az_credential_done_fn done, void *ud)
{
    struct mi_priv *p = c->priv;
    (void)tenant; /* the identity belongs to one tenant */
    char *resource = resource_of(scope);
    char *r = str_url_encode(resource);
    char *id = p->client_id != NULL ? str_url_encode(p->client_id) : NULL;
    char *url =
        xasprintf("%s?api-version=%s&resource=%s%s%s", p->endpoint,
                  p->header != NULL ? "2019-08-01" : "2018-02-01", r,
                  id != NULL ? "&client_id=" : "", id != NULL ? id : "");
    struct az_request *req = az_request_new("GET", url);
    req->local_http = true;
    req->secret_response = true;
    if (p->header != NULL) {
        /* not through printf, whose growing buffer leaves pieces behind
         * in freed memory; the request wipes its headers when freed */
        static const char name[] = "X-IDENTITY-HEADER: ";
        char *line = xmalloc(sizeof name + p->header->len);
        memcpy(line, name, sizeof name - 1);
        memcpy(line + sizeof name - 1, p->header->data, p->header->len + 1);
        vec_push(&req->headers, line);
    } else {
        az_request_header(req, "Metadata: true");
    }
    log_debug("auth: managed identity (%s%s%s) token for %s",
              p->header != NULL ? "App Service" : "IMDS",
              id != NULL ? ", user-assigned " : "", id != NULL ? id : "",
              resource);
    free(url);
    free(r);
    free(id);
    free(resource);

    struct mi_fetch *f = xcalloc(1, sizeof *f);
    f->cred = c;
    f->done = done;
    f->ud = ud;
    vec_push(&p->fetches, f);
    f->http_id = az_http_send(h, req, mi_done, NULL, f);
    return f->http_id;
}

static void
mi_cancel(struct az_credential *c, struct az_http *h, uint64_t id)
{
    struct mi_priv *p = c->priv;
    for (size_t i = 0; i < p->fetches.len; i++) {
        struct mi_fetch *f = p->fetches.items[i];
        if (f->http_id == id) {
            az_http_cancel(h, id);
            vec_remove(&p->fetches, i);
            free(f);
            return;
        }
    }
}

static void
mi_free_priv(struct az_credential *c)
{
    struct mi_priv *p = c->priv;
    vec_free_all(&p->fetches, free); /* transfers die with the az_http */
    free(p->endpoint);
    secret_free(p->header);
    free(p->client_id);
    free(p);
}

static const struct az_credential_ops mi_ops = {
    .kind = "managed identity",
    .acquire = mi_acquire,
    .cancel = mi_cancel,
    .free = mi_free_priv,
};

struct az_credential *
az_credential_mi_new(const struct az_cloud *cloud, const char *tenant,
                     const char *client_id, const char *identity_endpoint,
                     const char *identity_header, const char *imds_host)
{
    struct az_credential *c = xcalloc(1, sizeof *c);
    struct mi_priv *p = xcalloc(1, sizeof *p);
    bool app = identity_endpoint != NULL && identity_header != NULL;
    if (app) {
        p->endpoint = xstrdup(identity_endpoint);
        p->header = secret_dup(identity_header, strlen(identity_header));
    } else {
        char *host =
            str_rstrip_slash(imds_host != NULL ? imds_host : IMDS_HOST);
        /* azure-identity takes a bare host too */
        p->endpoint =
            str_istarts(host, "http://") || str_istarts(host, "https://")
                ? xasprintf("%s" IMDS_PATH, host)
                : xasprintf("http://%s" IMDS_PATH, host);
        free(host);
    }
    p->client_id = client_id != NULL ? xstrdup(client_id) : NULL;
    c->ops = &mi_ops;
    c->cloud = az_cloud_dup(cloud);
    c->tenant = xstrdup(tenant != NULL ? tenant : "organizations");
    if (p->client_id != NULL)
        c->name = xasprintf(app ? _("managed identity (App Service, "
                                    "user-assigned %s)")
                                : _("managed identity (IMDS, user-assigned "
                                    "%s)"),
                            p->client_id);
    else
        c->name = xstrdup(app ? _("managed identity (App Service)")
                              : _("managed identity (IMDS)"));
    c->priv = p;
    return c;
}
