/*
 * job-doctor-local.c — the checks of `kvdeck doctor` that need no
 * network: which cloud and its endpoints, the proxy variables and the
 * hosts they apply to, the CA in use, the credentials available and the
 * one the chain picks, and where refresh tokens are kept. Each fills its
 * line at once (see job-doctor-int.h). Worker thread.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "engine/job-doctor-int.h"
#include "engine/keyring.h"
#include "engine/worker.h"

char *
doctor_host_of(const char *url)
{
    const char *h = strstr(url, "://");
    h = h != NULL ? h + 3 : url;
    return xstrndup(h, strcspn(h, "/?#"));
}

bool
doctor_check_cloud(struct doctor *d, size_t i)
{
    const struct az_cloud *c = d->cloud;
    const char *origin =
        strcmp(c->origin, "built-in") == 0 ? _("built-in") : c->origin;
    if (c->keyvault_dns == NULL) {
        doctor_set(d, i, DOCTOR_WARN,
                   xasprintf(_("%s (%s): sign-in %s, Resource Manager %s; "
                               "no Key Vault DNS suffix: give vaults by "
                               "URI"),
                             c->name, origin, c->active_directory,
                             c->resource_manager));
        return true;
    }
    doctor_set(d, i, DOCTOR_OK,
               xasprintf(_("%s (%s): sign-in %s, Resource Manager %s, "
                           "vaults *%s"),
                         c->name, origin, c->active_directory,
                         c->resource_manager, c->keyvault_dns));
    return true;
}

/* The first of the variables that is set and not empty, with its name. */
static const char *
env_first(const char *const *names, const char **which)
{
    for (; *names != NULL; names++) {
        const char *v = getenv(*names);
        if (v != NULL && *v != '\0') {
            *which = *names;
            return v;
        }
    }
    return NULL;
}

/* A proxy URL without a user name or password in it (caller frees). */
static char *
proxy_shown(const char *url)
{
    const char *h = strstr(url, "://");
    const char *start = h != NULL ? h + 3 : url;
    const char *at = strchr(start, '@');
    const char *slash = strchr(start, '/');
    if (at == NULL || (slash != NULL && slash < at))
        return xstrdup(url);
    return xasprintf("%.*s***@%s", (int)(start - url), url, at + 1);
}

/* Whether no_proxy (curl's rules: "*", host names and domain suffixes,
 * a leading dot optional) keeps host (port cut off) off the proxy. */
static bool
no_proxy_matches(const char *no_proxy, const char *hostport)
{
    size_t hl = strcspn(hostport, ":");
    if (hostport[0] == '[')
        hl = strcspn(hostport, "]") + 1;
    const char *p = no_proxy;
    while (*p != '\0') {
        p += strspn(p, " ,");
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m > 0 && p[m - 1] == ' ')
            m--;
        const char *e = p;
        if (m == 1 && e[0] == '*')
            return true;
        if (m > 0 && e[0] == '.') {
            e++;
            m--;
        }
        if (m > 0 && m <= hl && strncasecmp(hostport + hl - m, e, m) == 0 &&
            (m == hl || hostport[hl - m - 1] == '.'))
            return true;
        p += n;
    }
    return false;
}

bool
doctor_check_proxy(struct doctor *d, size_t i)
{
    static const char *const https_vars[] = {"https_proxy", "HTTPS_PROXY",
                                             "all_proxy", "ALL_PROXY", NULL};
    static const char *const http_vars[] = {"http_proxy", "HTTP_PROXY", NULL};
    static const char *const no_vars[] = {"no_proxy", "NO_PROXY", NULL};
    const char *pv = NULL, *hv = NULL, *nv = NULL;
    const char *proxy = env_first(https_vars, &pv);
    const char *http = env_first(http_vars, &hv);
    const char *no = env_first(no_vars, &nv);
    if (proxy == NULL) {
        if (http != NULL)
            doctor_set(d, i, DOCTOR_WARN,
                       xasprintf(_("%s is set, but kvdeck speaks only https: "
                                   "set HTTPS_PROXY if a proxy is needed"),
                                 hv));
        else
            doctor_set(d, i, DOCTOR_OK,
                       xstrdup(_("none set: direct connections")));
        return true;
    }
    struct buf via = BUF_INIT, direct = BUF_INIT;
    for (int h = 0; h < HOST_COUNT; h++) {
        if (d->probes[h].url == NULL)
            continue;
        char *host = doctor_host_of(d->probes[h].url);
        struct buf *b =
            no != NULL && no_proxy_matches(no, host) ? &direct : &via;
        buf_printf(b, "%s%s", b->len > 0 ? ", " : "", host);
        free(host);
    }
    char *shown = proxy_shown(proxy);
    char *detail;
    if (direct.len > 0)
        /* TRANSLATORS: variable=proxy, hosts through it; the no_proxy
         * variable, hosts it keeps direct */
        detail = xasprintf(_("%s=%s for %s; %s keeps %s direct"), pv, shown,
                           via.len > 0 ? buf_str(&via) : _("no host"), nv,
                           buf_str(&direct));
    else
        detail = xasprintf(_("%s=%s for %s"), pv, shown, buf_str(&via));
    doctor_set(d, i, DOCTOR_OK, detail);
    free(shown);
    buf_free(&via);
    buf_free(&direct);
    return true;
}

bool
doctor_check_ca(struct doctor *d, size_t i)
{
    char *sys = az_http_system_ca();
    const char *store = sys != NULL ? sys : _("none found");
    if (d->p->ca_file == NULL) {
        doctor_set(d, i, sys != NULL ? DOCTOR_OK : DOCTOR_WARN,
                   xasprintf(_("the system store (%s)"), store));
        free(sys);
        return true;
    }
    char *why = NULL;
    int n = az_http_ca_count(d->p->ca_file, &why);
    if (n < 0)
        doctor_set(d, i, DOCTOR_FAIL,
                   xasprintf(_("ca-file: %s — make it readable or fix the "
                               "path"),
                             why));
    else if (n == 0)
        doctor_set(d, i, DOCTOR_FAIL,
                   xasprintf(_("ca-file %s holds no PEM certificate — point "
                               "it at the CA's certificate"),
                             d->p->ca_file));
    else
        doctor_set(d, i, DOCTOR_OK,
                   xasprintf(P_("the system store (%s) plus ca-file %s "
                                "(%d certificate)",
                                "the system store (%s) plus ca-file %s "
                                "(%d certificates)",
                                (unsigned long)n),
                             store, d->p->ca_file, n));
    free(why);
    free(sys);
    return true;
}

/* Whether a certificate file loads, as the chain would load it: NULL
 * when it does, else why not (caller frees). */
static char *
cert_loads(struct doctor *d, const char *tenant, const char *client_id,
           const char *path, const struct secret *pw)
{
    char *why = NULL;
    struct az_credential *c =
        az_credential_cert_new(d->cloud, tenant != NULL ? tenant : "-",
                               client_id != NULL ? client_id : "-", path, pw,
                               N_("configuration"), &why);
    az_credential_free(c);
    return c != NULL ? NULL : why != NULL ? why : xstrdup("?");
}

bool
doctor_check_credentials(struct doctor *d, size_t i)
{
    const struct job_doctor *p = d->p;
    struct buf have = BUF_INIT;
    char *bad = NULL;
    const char *t = p->tenant != NULL ? p->tenant : getenv("AZURE_TENANT_ID");
    const char *id =
        p->client_id != NULL ? p->client_id : getenv("AZURE_CLIENT_ID");
#define HAVE(...)                                                              \
    do {                                                                       \
        if (have.len > 0)                                                      \
            buf_append(&have, ", ", 2);                                        \
        buf_printf(&have, __VA_ARGS__);                                        \
    } while (0)
    if (p->config_secret)
        HAVE("%s", _("client secret (configuration)"));
    if (p->certificate != NULL) {
        bad = cert_loads(d, t, id, p->certificate, p->certificate_password);
        if (bad == NULL)
            HAVE("%s", _("certificate (configuration, loads)"));
    }
    const char *es = getenv("AZURE_CLIENT_SECRET");
    const char *ec = getenv("AZURE_CLIENT_CERTIFICATE_PATH");
    const char *et = getenv("AZURE_TENANT_ID"), *ei = getenv("AZURE_CLIENT_ID");
    if (et != NULL && *et && ei != NULL && *ei) {
        if (es != NULL && *es)
            HAVE("%s", _("service principal with a secret (environment)"));
        if (ec != NULL && *ec && bad == NULL) {
            const char *pw = getenv("AZURE_CLIENT_CERTIFICATE_PASSWORD");
            struct secret *s = pw != NULL ? secret_dup(pw, strlen(pw)) : NULL;
            bad = cert_loads(d, et, ei, ec, s);
            secret_free(s);
            if (bad == NULL)
                HAVE("%s", _("service principal with a certificate "
                             "(environment, loads)"));
        }
    }
    char *account = NULL;
    char *az_tenant = az_credential_azcli_profile(&account);
    if (az_tenant != NULL)
        HAVE(_("az login (%s)"), account != NULL ? account : az_tenant);
    free(az_tenant);
    free(account);
    if (p->managed_identity)
        HAVE("%s", _("managed identity (opted in)"));
#undef HAVE
    const char *chosen = d->run->e->credential_name;
    const char *auth = p->auth != NULL ? p->auth : "auto";
    /* without a person to show a code to, the chain ends in a kept
     * refresh token that may not exist: that is not a configuration */
    bool kept_only = chosen != NULL &&
                     strcmp(chosen, _("a kept sign-in (refresh token)")) == 0;
    if (kept_only && have.len == 0 && p->auth == NULL)
        chosen = NULL;
    if (bad != NULL)
        doctor_set(d, i, DOCTOR_FAIL,
                   xasprintf(_("the certificate does not load: %s"), bad));
    else if (chosen != NULL)
        /* TRANSLATORS: the sources found; the one used; --auth */
        doctor_set(d, i, DOCTOR_OK,
                   xasprintf(_("available: %s; kvdeck signs in with %s "
                               "(auth %s)"),
                             have.len > 0 ? buf_str(&have) : _("none"), chosen,
                             auth));
    else if (have.len > 0)
        doctor_set(d, i, DOCTOR_FAIL,
                   xasprintf(_("available: %s; but auth %s names none of "
                               "them — change --auth or auth ="),
                             buf_str(&have), auth));
    else
        doctor_set(d, i, DOCTOR_FAIL,
                   xstrdup(_("none configured — set tenant, client-id and "
                             "client-secret (or client-certificate) in the "
                             "config, or AZURE_TENANT_ID, AZURE_CLIENT_ID "
                             "and AZURE_CLIENT_SECRET; or run az login; or "
                             "kvdeck login for a device code")));
    free(bad);
    buf_free(&have);
    return true;
}

bool
doctor_check_keyring(struct doctor *d, size_t i)
{
    struct keyring *k = d->run->e->keyring;
    enum keyring_storage s = keyring_probe(k);
    const char *why = keyring_why(k);
    const char *chosen = d->run->e->credential_name;
    /* only a person's sign-in (device code) leaves a refresh token */
    bool needs =
        chosen != NULL && strcmp(chosen, _("device code sign-in")) == 0;
    if (s == KEYRING_SECRET_SERVICE)
        doctor_set(d, i, DOCTOR_OK,
                   xstrdup(_("the desktop keyring (Secret Service): "
                             "sign-ins are kept between runs")));
    else
        doctor_set(d, i, needs ? DOCTOR_WARN : DOCTOR_OK,
                   xasprintf(needs ? _("memory only (%s): you sign in again "
                                       "each run — start a Secret Service "
                                       "(e.g. gnome-keyring) to keep it")
                                   : _("memory only (%s); the credential in "
                                       "use keeps no sign-in"),
                             why != NULL ? why : "-"));
    return true;
}
