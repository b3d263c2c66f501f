/*
 * plan-attach-wait.c — the attach plan's two steps that read (on the
 * worker; issue #10):
 *
 * pec-wait: automatic approval — poll the endpoint (GET, Network's
 * api-version) until its connection reads Approved, saying what it
 * waits for ("waiting for approval: Pending (3 s)"), every FAST_POLL_MS
 * for the first FAST_FOR_MS then every POLL_MS, at most WAIT_CAP_MS (or
 * KVDECK_WAIT_LIMIT, plan_wait_cap_ms; then
 * KV_ERR_TIMEOUT: retry waits again); engine_interrupt() is looked at
 * between polls; Rejected or Disconnected stop the plan. Manual: done at
 * once, "Pending — ask the vault's owner" (plan_attach_pending()).
 *
 * dns-check: resolve the vault's host name here (kvdeck's resolve
 * overrides first, as every connection does; else getaddrinfo on a
 * thread of its own, dns-lookup.h, polled every DNS_POLL_MS) and compare
 * it with the endpoint's private address; never fails: its progress says
 * the result, which the public-off step and the wizard's end read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/client.h"
#include "azure/ops.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/dns-lookup.h"
#include "engine/plan-impl.h"

#define FAST_POLL_MS 500
#define FAST_FOR_MS  15000
#define POLL_MS      2000
#define WAIT_CAP_MS  (10 * 60 * 1000)
#define DNS_POLL_MS  20

static void pec_poll(struct plan_exec *x, struct plan_step *s);

static long
elapsed_s(const struct plan_step *s)
{
    return (long)((time_mono_ms() - s->started_ms) / 1000);
}

static void
pec_pause_end(void *ud)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    s->timer = 0;
    pec_poll(x, s);
}

static void
pec_page(void *ud, struct vec *items, bool more)
{
    struct plan_exec *x = ud;
    struct plan *p = plan_exec_plan(x);
    (void)more;
    if (items->len > 0 && items->items[0] != NULL) {
        kv_private_endpoint_free(p->endpoint);
        p->endpoint = items->items[0];
        items->items[0] = NULL;
    }
}

/* An answer worth waiting through (throttling, a 5xx, no answer). */
static bool
transient(const struct az_failure *f)
{
    return f->status == KV_ERR_THROTTLED || f->http_status >= 500 ||
           (f->http_status == 0 &&
            (f->status == KV_ERR_IO || f->status == KV_ERR_TIMEOUT ||
             f->status == KV_ERR_CONNECT));
}

static void
pec_done(void *ud, const struct az_failure *f)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    const struct plan *p = plan_exec_plan(x);
    s->op = NULL;
    plan_note_request(s, f);
    if (f != NULL && !transient(f)) {
        plan_exec_step_end(x, f, false);
        return;
    }
    const struct kv_private_endpoint *e = p->endpoint;
    const char *st = f != NULL ? f->message
                     : e != NULL && e->connection_status != NULL
                         ? e->connection_status
                         : _("unknown");
    if (f == NULL && str_ieq(st, "Approved")) {
        char *t = xasprintf(_("Approved (after %ld s)"), elapsed_s(s));
        plan_exec_progress(x, t);
        free(t);
        plan_exec_step_end(x, NULL, false);
        return;
    }
    if (f == NULL && (str_ieq(st, "Rejected") || str_ieq(st, "Disconnected"))) {
        const char *d = e->connection_description;
        char *msg = d != NULL && *d != '\0'
                        ? xasprintf(_("the vault's side of the connection is "
                                      "%s: %s"),
                                    st, d)
                        : xasprintf(_("the vault's side of the connection is "
                                      "%s"),
                                    st);
        struct az_failure mine = {
            .status = KV_ERR_CONFLICT, .code = st, .message = msg};
        plan_exec_step_end(x, &mine, false);
        free(msg);
        return;
    }
    long cap = plan_wait_cap_ms(x, WAIT_CAP_MS);
    if (time_mono_ms() - s->started_ms >= cap) {
        char *msg = xasprintf(_("the connection was not approved within %ld s "
                                "(last: %s); retry to wait longer"),
                              cap / 1000, st);
        struct az_failure mine = {.status = KV_ERR_TIMEOUT, .message = msg};
        plan_exec_step_end(x, &mine, false);
        free(msg);
        return;
    }
    char *t =
        xasprintf(_("waiting for approval: %s (%ld s)"), st, elapsed_s(s));
    plan_exec_progress(x, t);
    free(t);
    int pause =
        time_mono_ms() - s->started_ms < FAST_FOR_MS ? FAST_POLL_MS : POLL_MS;
    s->timer = az_client_after(plan_exec_client(x), pause, pec_pause_end, x);
}

static const struct az_op_cb pec_cb = {
    .page = pec_page,
    .done = pec_done,
    .wait = plan_on_wait,
};

static void
pec_poll(struct plan_exec *x, struct plan_step *s)
{
    if (plan_exec_interrupted(x)) {
        struct az_failure mine = {
            .status = KV_ERR_CANCELLED,
            .message = _("stopped waiting for the approval at your request; "
                         "retry to wait again")};
        plan_exec_step_end(x, &mine, false);
        return;
    }
    s->tries++;
    s->op = az_arm_get(plan_exec_client(x), s->args.arm_id, s->args.api_version,
                       AZ_ITEM_PRIVATE_ENDPOINT, &pec_cb, x);
}

static void
pec_run(struct plan_exec *x, struct plan_step *s)
{
    struct plan *p = plan_exec_plan(x);
    s->started_ms = time_mono_ms();
    p->pending = s->args.manual;
    if (s->args.manual) {
        plan_exec_progress(x, _("Pending — ask the vault's owner"));
        plan_exec_step_end(x, NULL, false);
        return;
    }
    pec_poll(x, s);
}

const struct step_ops step_pec_wait = {
    .op = "pec-wait",
    .run = pec_run,
    .cancel = plan_step_cancel,
};

/* ---- dns-check ---------------------------------------------------------- */

/* The check's result in words (caller frees). */
static char *
dns_words(const struct kv_dns_check *d, const char *record)
{
    struct buf b = BUF_INIT;
    const char *host = d->host != NULL ? d->host : "";
    const char *exp = d->expected;
    if (record != NULL)
        buf_printf(&b, _("create the A record %s for %s; "), record,
                   exp != NULL ? exp : _("the endpoint's private address"));
    if (!d->resolved)
        buf_printf(&b,
                   _("this host does not resolve %s (%s): once public access "
                     "is off, kvdeck here cannot reach the vault's data "
                     "plane"),
                   host, d->error != NULL ? d->error : "?");
    else if (d->matches)
        buf_printf(&b,
                   _("this host resolves %s to %s, the endpoint's private "
                     "address%s: kvdeck here reaches the vault through the "
                     "endpoint"),
                   host, exp, d->overridden ? _(" (a resolve override)") : "");
    else if (exp == NULL)
        buf_printf(&b,
                   _("this host resolves %s to %s; the endpoint's private "
                     "address is not known"),
                   host, d->addresses.n > 0 ? d->addresses.items[0] : "?");
    else
        buf_printf(&b,
                   _("this host resolves %s to %s, not to the endpoint's "
                     "private address %s: it is outside; once public access "
                     "is off, kvdeck here loses data-plane access"),
                   host, d->addresses.n > 0 ? d->addresses.items[0] : "?", exp);
    return buf_steal(&b);
}

/* The check is complete (p->dns): say it, end the step. */
static void
dns_finish(struct plan_exec *x, struct plan_step *s)
{
    struct plan *p = plan_exec_plan(x);
    char *t = dns_words(p->dns, s->args.to_name);
    log_debug("plan: dns-check: %s", t);
    plan_exec_progress(x, t);
    free(t);
    plan_exec_step_end(x, NULL, false);
}

static void
dns_poll(void *ud)
{
    struct plan_exec *x = ud;
    struct plan_step *s = plan_exec_step(x);
    struct plan *p = plan_exec_plan(x);
    s->timer = 0;
    if (!dns_check_poll(s->op, p->dns)) {
        s->timer =
            az_client_after(plan_exec_client(x), DNS_POLL_MS, dns_poll, x);
        return;
    }
    s->op = NULL; /* released by the poll */
    dns_finish(x, s);
}

static void
dns_run(struct plan_exec *x, struct plan_step *s)
{
    struct plan *p = plan_exec_plan(x);
    const char *expected = p->endpoint != NULL ? p->endpoint->private_ip : NULL;
    const char *target =
        s->args.vault_uri != NULL ? s->args.vault_uri : s->args.name;
    kv_dns_check_free(p->dns);
    p->dns = NULL;
    s->op = dns_check_begin(plan_exec_resolve(x), target, expected, &p->dns);
    if (s->op == NULL) {
        dns_check_finish(p->dns);
        dns_finish(x, s);
        return;
    }
    s->timer = az_client_after(plan_exec_client(x), 0, dns_poll, x);
}

/* Stops looking (the thread finishes on its own). */
static void
dns_cancel(struct plan_exec *x, struct plan_step *s)
{
    if (s->timer != 0)
        az_client_cancel(plan_exec_client(x), s->timer);
    s->timer = 0;
    dns_lookup_release(s->op);
    s->op = NULL;
}

const struct step_ops step_dns_check = {
    .op = "dns-check",
    .run = dns_run,
    .cancel = dns_cancel,
};
