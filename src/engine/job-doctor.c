/*
 * job-doctor.c — the DOCTOR job (`kvdeck doctor`): its checks as an ops
 * table, run at once where they are independent, each ending in one
 * line. The network ones: DNS, TCP and a verified TLS handshake to the
 * sign-in host, Resource Manager and a vault host (a probe each, one
 * attempt, a short limit); the clock against the Date those hosts
 * answered with; a token for Resource Manager and one for Key Vault
 * through the client's own token cache, once the sign-in host answered.
 * The whole job ends within DOCTOR_LIMIT_MS whatever hangs. The local
 * checks are in job-doctor-local.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "azure/identity.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/job-doctor-int.h"
#include "engine/worker.h"

static bool probe_start(struct doctor *d, size_t i);
static void probe_cancel(struct doctor *d, size_t i);
static bool sign_in_start(struct doctor *d, size_t i);
static void sign_in_cancel(struct doctor *d, size_t i);
static bool clock_start(struct doctor *d, size_t i);
static void clock_finish(struct doctor *d, size_t i);

/* The report's order. */
static const struct doctor_check_ops doctor_checks[] = {
    {.key = "cloud", .what = N_("cloud"), .start = doctor_check_cloud},
    {.key = "proxy", .what = N_("proxy"), .start = doctor_check_proxy},
    {.key = "ca", .what = N_("CA"), .start = doctor_check_ca},
    {.key = "tls-login",
     .what = N_("DNS+TLS sign-in"),
     .start = probe_start,
     .cancel = probe_cancel,
     .host = HOST_LOGIN},
    {.key = "tls-arm",
     .what = N_("DNS+TLS Resource Manager"),
     .start = probe_start,
     .cancel = probe_cancel,
     .host = HOST_ARM},
    {.key = "tls-vault",
     .what = N_("DNS+TLS vault"),
     .start = probe_start,
     .cancel = probe_cancel,
     .host = HOST_VAULT},
    {.key = "clock",
     .what = N_("clock"),
     .start = clock_start,
     .finish = clock_finish},
    {.key = "credentials",
     .what = N_("credentials"),
     .start = doctor_check_credentials},
    {.key = "sign-in",
     .what = N_("sign-in"),
     .start = sign_in_start,
     .cancel = sign_in_cancel},
    {.key = "keyring", .what = N_("keyring"), .start = doctor_check_keyring},
};

const char *
doctor_level_name(enum doctor_level l)
{
    return l == DOCTOR_OK ? "ok" : l == DOCTOR_WARN ? "warn" : "fail";
}

void
doctor_line_free(void *p)
{
    struct doctor_line *l = p;
    if (l == NULL)
        return;
    free(l->what);
    free(l->detail);
    free(l->key);
    free(l);
}

void
doctor_set(struct doctor *d, size_t i, enum doctor_level level, char *detail)
{
    free(d->lines[i].detail);
    d->lines[i].level = level;
    d->lines[i].detail = detail;
}

static void doctor_finish(struct doctor *d);

void
doctor_end(struct doctor *d, size_t i, enum doctor_level level, char *detail)
{
    doctor_set(d, i, level, detail);
    if (d->done[i])
        return;
    d->done[i] = true;
    if (--d->pending == 0)
        doctor_finish(d);
}

/* ---- probes: DNS, TCP, TLS ---------------------------------------------- */

/* Why a probe failed, in words that say what to do (caller frees). */
static char *
probe_why(const char *host, const struct az_response *resp, long limit_ms,
          long ms)
{
    const char *w = resp->why != NULL ? resp->why : "";
    if (resp->result == KV_ERR_TLS) {
        if (strstr(w, "issuer") != NULL || strstr(w, "self-signed") != NULL ||
            strstr(w, "self signed") != NULL ||
            strstr(w, "unable to get local") != NULL ||
            strstr(w, "certificate verify failed") != NULL)
            return xasprintf(_("%s: the CA is not trusted: set ca-file to "
                               "the CA that issued its certificate"),
                             host);
        if (strstr(w, "subject name") != NULL ||
            strstr(w, "does not match") != NULL)
            return xasprintf(_("%s: its certificate is for another name — "
                               "check the cloud's endpoints"),
                             host);
        if (strstr(w, "expired") != NULL)
            return xasprintf(_("%s: its certificate has expired or is not "
                               "valid yet — check the clock"),
                             host);
        return xasprintf(_("%s: the TLS handshake failed: %s"), host, w);
    }
    if (strcasestr(w, "resolve") != NULL)
        return xasprintf(_("%s: the name does not resolve — check DNS "
                           "(/etc/resolv.conf) or the cloud's endpoints"),
                         host);
    /* libcurl now says "Couldn't connect to server" for a refusal; a
     * refusal is at once, an unreachable network usually is not */
    if (strcasestr(w, "refused") != NULL ||
        (resp->result == KV_ERR_CONNECT && ms < 1000))
        return xasprintf(_("%s: connection refused — nothing listens there: "
                           "check the port in the cloud's endpoints, or a "
                           "firewall"),
                         host);
    if (resp->result == KV_ERR_TIMEOUT)
        return xasprintf(_("%s: no answer within %ld s (timeout) — a "
                           "firewall or a missing proxy may drop the "
                           "traffic"),
                         host, (limit_ms + 999) / 1000);
    return xasprintf(_("%s: %s"), host, w);
}

static void probe_send(struct doctor *d, struct doctor_probe *pr);

static void
probe_done(void *ud, struct az_request *req, struct az_response *resp)
{
    struct doctor_probe *pr = ud;
    struct doctor *d = pr->d;
    long ms = (long)(time_mono_ms() - pr->started_ms);
    char *host = doctor_host_of(pr->url);
    pr->http_id = 0;
    az_request_free(req);
    bool resolved = resp->result == KV_OK || resp->why == NULL ||
                    strcasestr(resp->why, "resolve") == NULL;
    if (pr->host == HOST_VAULT && d->p->vault == NULL && !pr->fallback &&
        !resolved && d->cloud->keyvault_dns != NULL) {
        /* the made-up name need not exist: does the suffix resolve? */
        char *url = xasprintf("https://%s%s/", d->cloud->keyvault_dns + 1,
                              d->run->e->vault_port);
        free(pr->url);
        pr->url = url;
        pr->fallback = true;
        az_response_free(resp);
        free(host);
        probe_send(d, pr);
        return;
    }
    enum doctor_level level = DOCTOR_FAIL;
    char *detail;
    if (pr->fallback) {
        if (resolved) {
            level = DOCTOR_OK;
            detail = xasprintf(_("kvdeck-doctor%s does not exist, as "
                                 "expected; %s resolves (set vault = to "
                                 "test TLS to a vault)"),
                               d->cloud->keyvault_dns, host);
        } else {
            detail = probe_why(host, resp, 0, ms);
        }
    } else if (resp->result == KV_OK) {
        if (resp->date != NULL) {
            d->date[pr->host] = xstrdup(resp->date);
            d->date_at[pr->host] = time_now();
        }
        d->reached[pr->host] = true;
        level = DOCTOR_OK;
        /* TRANSLATORS: host, milliseconds, HTTP status */
        detail = xasprintf(_("%s: resolved, connected, certificate "
                             "verified in %ld ms (HTTP %ld)"),
                           host, ms, resp->status);
    } else if (pr->host == HOST_VAULT && d->p->vault == NULL &&
               resp->result == KV_ERR_IO) {
        /* after a verified handshake, no vault of that name answered
         * (kvdeck-sim hangs up): as expected */
        level = DOCTOR_OK;
        detail = xasprintf(_("%s: resolved, connected, certificate "
                             "verified in %ld ms; no vault of that name, as "
                             "expected (set vault = to ask a real one)"),
                           host, ms);
    } else {
        detail = probe_why(host, resp, DOCTOR_PROBE_MS, ms);
    }
    az_response_free(resp);
    free(host);
    size_t line = pr->line;
    if (pr->host == HOST_LOGIN) {
        /* the sign-in waits for this line, so the report cannot end
         * before the next one */
        d->login_ended = true;
        sign_in_start(d, d->sign_in_line);
    }
    doctor_end(d, line, level, detail); /* may free d: last */
}

static void
probe_send(struct doctor *d, struct doctor_probe *pr)
{
    struct az_request *req = az_request_new("GET", pr->url);
    req->single_attempt = true;
    req->timeout_ms = DOCTOR_PROBE_MS;
    pr->started_ms = time_mono_ms();
    pr->http_id = az_http_send(d->http, req, probe_done, NULL, pr);
}

static bool
probe_start(struct doctor *d, size_t i)
{
    struct doctor_probe *pr = &d->probes[d->checks[i].host];
    pr->d = d;
    pr->host = d->checks[i].host;
    pr->line = i;
    if (pr->url == NULL) {
        doctor_set(d, i, DOCTOR_WARN,
                   xstrdup(_("the cloud has no Key Vault DNS suffix; not "
                             "checked")));
        return true;
    }
    probe_send(d, pr);
    return false;
}

static void
probe_cancel(struct doctor *d, size_t i)
{
    struct doctor_probe *pr = &d->probes[d->checks[i].host];
    if (pr->http_id != 0)
        az_http_cancel(d->http, pr->http_id);
    pr->http_id = 0;
}

/* ---- the clock ---------------------------------------------------------- */

/* An HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT") as unix time. */
static bool
http_date(const char *s, int64_t *out)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char mon[4] = "";
    int day, year, hh, mm, ss;
    if (sscanf(s, "%*[^,], %d %3s %d %d:%d:%d", &day, mon, &year, &hh, &mm,
               &ss) != 6)
        return false;
    const char *m = strstr(months, mon);
    if (m == NULL || strlen(mon) != 3 || (m - months) % 3 != 0)
        return false;
    int month = (int)(m - months) / 3 + 1;
    /* days from the civil date (Howard Hinnant's algorithm) */
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468;
    *out = days * 86400 + hh * 3600 + mm * 60 + ss;
    return true;
}

static bool
clock_start(struct doctor *d, size_t i)
{
    (void)d;
    (void)i; /* clock_finish reads what the probes found */
    return true;
}

static void
clock_finish(struct doctor *d, size_t i)
{
    int h = d->date[HOST_LOGIN] != NULL ? HOST_LOGIN : HOST_ARM;
    int64_t server;
    if (d->date[h] == NULL || !http_date(d->date[h], &server)) {
        doctor_set(d, i, DOCTOR_WARN,
                   xstrdup(_("not checked: no server answered with its "
                             "time (Date)")));
        return;
    }
    char *host = doctor_host_of(d->probes[h].url);
    long long off = (long long)(server - d->date_at[h]);
    long long a = off < 0 ? -off : off;
    const char *dir = off > 0 ? _("behind") : _("ahead of");
    if (a > 300)
        /* TRANSLATORS: seconds, minutes, behind/ahead of, host */
        doctor_set(d, i, DOCTOR_FAIL,
                   xasprintf(_("this clock is %lld s (%lld min) %s %s — "
                               "more than 5 min: tokens will be refused; "
                               "fix the clock (timedatectl / NTP)"),
                             a, a / 60, dir, host));
    else if (a > 60)
        doctor_set(d, i, DOCTOR_WARN,
                   xasprintf(_("this clock is %lld s %s %s — more than "
                               "1 min; fix the clock (timedatectl / NTP)"),
                             a, dir, host));
    else
        doctor_set(d, i, DOCTOR_OK,
                   xasprintf(_("within %lld s of %s"), a, host));
    free(host);
}

/* ---- sign-in: a token for each audience --------------------------------- */

static void
token_done(void *ud, enum kv_status st, const struct secret *token,
           const char *why, long http_status)
{
    struct doctor_token *t = ud;
    struct doctor *d = t->d;
    (void)http_status;
    d->waiter[t->which] = 0;
    d->token_done[t->which] = true;
    d->token_ok[t->which] = st == KV_OK;
    if (st != KV_OK)
        d->token_why[t->which] =
            xstrdup(why != NULL ? why : kv_status_message(st));
    else if (t->which == 0 && token != NULL) {
        struct az_identity id;
        memset(&id, 0, sizeof id);
        if (az_identity_from_token(token->data, token->len, &id) &&
            az_identity_display(&id) != NULL)
            d->identity = xstrdup(az_identity_display(&id));
        az_identity_clear(&id);
    }
    if (!d->token_done[0] || !d->token_done[1])
        return;
    const char *who = d->identity != NULL ? d->identity : _("someone");
    if (d->token_ok[0] && d->token_ok[1])
        doctor_end(d, d->sign_in_line, DOCTOR_OK,
                   xasprintf(_("tokens for Resource Manager and Key Vault, "
                               "as %s"),
                             who));
    else
        doctor_end(d, d->sign_in_line, DOCTOR_FAIL,
                   xasprintf(_("Resource Manager: %s; Key Vault: %s"),
                             d->token_ok[0] ? _("ok") : d->token_why[0],
                             d->token_ok[1] ? _("ok") : d->token_why[1]));
}

static bool
sign_in_start(struct doctor *d, size_t i)
{
    d->sign_in_line = i;
    if (!d->login_ended || d->sign_in_started)
        return false; /* started when the sign-in host answered */
    d->sign_in_started = true;
    if (!d->reached[HOST_LOGIN]) {
        doctor_end(d, i, DOCTOR_FAIL,
                   xstrdup(_("not tried: the sign-in host cannot be "
                             "reached (see above)")));
        return false;
    }
    const char *tenant = az_auth_tenant(d->auth);
    char *scopes[2] = {
        az_cloud_arm_scope(d->cloud),
        d->cloud->keyvault_resource != NULL
            ? xasprintf("%s/.default", d->cloud->keyvault_resource)
            : NULL};
    for (int k = 0; k < 2; k++) {
        d->token[k].d = d;
        d->token[k].which = k;
        if (scopes[k] == NULL) {
            d->token_done[k] = true;
            d->token_why[k] = xstrdup(_("the cloud has no Key Vault "
                                        "resource"));
            continue;
        }
        d->waiter[k] =
            az_auth_fetch(d->auth, tenant, scopes[k], token_done, &d->token[k]);
        free(scopes[k]);
    }
    return false;
}

static void
sign_in_cancel(struct doctor *d, size_t i)
{
    (void)i;
    for (int k = 0; k < 2; k++) {
        if (d->waiter[k] != 0)
            az_auth_cancel(d->auth, d->waiter[k]);
        d->waiter[k] = 0;
    }
}

/* ---- the job ------------------------------------------------------------ */

static void
doctor_free(struct doctor *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->lines[i].what);
        free(d->lines[i].detail);
        free(d->lines[i].key);
    }
    for (int h = 0; h < HOST_COUNT; h++) {
        free(d->probes[h].url);
        free(d->date[h]);
    }
    free(d->token_why[0]);
    free(d->token_why[1]);
    free(d->identity);
    free(d->lines);
    free(d->done);
    free(d);
}

/* Stops what is in flight. */
static void
doctor_stop(struct doctor *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (!d->done[i] && d->checks[i].cancel != NULL)
            d->checks[i].cancel(d, i);
    if (d->deadline != 0)
        az_client_cancel(d->run->client, d->deadline);
    d->deadline = 0;
}

/* Every check ended: the derived ones, then the report. */
static void
doctor_finish(struct doctor *d)
{
    struct job_run *run = d->run;
    doctor_stop(d);
    for (size_t i = 0; i < d->n; i++)
        if (d->checks[i].finish != NULL)
            d->checks[i].finish(d, i);
    struct result *r = result_new(RESULT_DONE);
    for (size_t i = 0; i < d->n; i++) {
        struct doctor_line *l = xcalloc(1, sizeof *l);
        *l = d->lines[i];
        if (l->detail == NULL)
            l->detail = xstrdup("-");
        memset(&d->lines[i], 0, sizeof d->lines[i]);
        vec_push(&r->items, l);
    }
    run->state = NULL;
    doctor_free(d);
    run_done(run, r);
}

/* The time limit: what has not ended fails. */
static void
doctor_deadline(void *ud)
{
    struct doctor *d = ud;
    d->deadline = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (d->done[i])
            continue;
        if (d->checks[i].cancel != NULL)
            d->checks[i].cancel(d, i);
        doctor_set(
            d, i, DOCTOR_FAIL,
            xasprintf(_("no answer within %d s"), DOCTOR_LIMIT_MS / 1000));
        d->done[i] = true;
    }
    d->pending = 0;
    doctor_finish(d);
}

static void
doctor_start(struct job_run *run)
{
    struct doctor *d = xcalloc(1, sizeof *d);
    struct engine *e = run->e;
    d->run = run;
    d->p = run->job->params;
    d->cloud = az_client_cloud(run->client);
    d->http = az_client_http(run->client);
    d->auth = az_client_auth(run->client);
    d->checks = doctor_checks;
    d->n = sizeof doctor_checks / sizeof doctor_checks[0];
    d->lines = xcalloc(d->n, sizeof *d->lines);
    d->done = xcalloc(d->n, sizeof *d->done);
    run->state = d;
    /* the hosts, first: the proxy check names them */
    char *login = doctor_host_of(d->cloud->active_directory);
    d->probes[HOST_LOGIN].url = xasprintf("https://%s/", login);
    free(login);
    d->probes[HOST_ARM].url = xasprintf("%s/", d->cloud->resource_manager);
    if (d->p->vault != NULL && str_istarts(d->p->vault, "https://"))
        d->probes[HOST_VAULT].url = xstrdup(d->p->vault);
    else
        d->probes[HOST_VAULT].url = engine_vault_uri(
            e, d->p->vault != NULL ? d->p->vault : "kvdeck-doctor");
    for (size_t i = 0; i < d->n; i++) {
        d->lines[i].what = xstrdup(_(d->checks[i].what));
        d->lines[i].key = xstrdup(d->checks[i].key);
        d->pending++;
    }
    d->deadline =
        az_client_after(run->client, DOCTOR_LIMIT_MS, doctor_deadline, d);
    /* pending counts every check until it ends: no report before all
     * started */
    for (size_t i = 0; i < d->n; i++) {
        if (d->checks[i].start(d, i) && !d->done[i]) {
            d->done[i] = true;
            d->pending--;
        }
    }
    if (d->pending == 0)
        doctor_finish(d);
}

static void
doctor_cancel(struct job_run *run)
{
    struct doctor *d = run->state;
    if (d == NULL)
        return;
    doctor_stop(d);
    run->state = NULL;
    doctor_free(d);
}

static void
doctor_params_free(void *p)
{
    struct job_doctor *t = p;
    if (t == NULL)
        return;
    free(t->ca_file);
    free(t->vault);
    free(t->certificate);
    free(t->tenant);
    free(t->client_id);
    free(t->auth);
    secret_free(t->certificate_password);
    free(t);
}

const struct job_type job_type_doctor = {
    .name = "DOCTOR",
    .kind = JOB_DOCTOR,
    .start = doctor_start,
    .cancel = doctor_cancel,
    .free_params = doctor_params_free,
    .free_item = doctor_line_free,
};

static char *
dup_or_null(const char *s)
{
    return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

struct job *
job_doctor(const struct doctor_input *in)
{
    struct job *j = job_new(JOB_DOCTOR);
    struct job_doctor *t = xcalloc(1, sizeof *t);
    t->ca_file = dup_or_null(in->ca_file);
    t->vault = dup_or_null(in->vault);
    t->certificate = dup_or_null(in->certificate);
    t->tenant = dup_or_null(in->tenant);
    t->client_id = dup_or_null(in->client_id);
    t->auth = dup_or_null(in->auth);
    if (in->certificate_password != NULL)
        t->certificate_password = secret_dup(in->certificate_password->data,
                                             in->certificate_password->len);
    t->config_secret = in->config_secret;
    t->managed_identity = in->managed_identity;
    j->params = t;
    return j;
}
