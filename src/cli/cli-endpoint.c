/*
 * cli-endpoint.c — `kvdeck endpoint list|approve|reject|remove` (issue
 * #10): a vault's private endpoint connections, each completed from its
 * endpoint (subnet, private IP, the A records of its DNS zone groups;
 * "unknown" where kvdeck could not read them), and the connection plans
 * of the endpoints pane (plan_endpoint_connection). The table of every
 * `kvdeck endpoint` command; attach is in cli-attach.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"

/* The vault's connections, read with their endpoints, into items. */
static int
cli_pec_read(struct cli *c, const struct kv_vault *v, struct vec *items)
{
    struct result *r =
        cli_wait_job(c, job_list_endpoint_connections(v->id), items, NULL);
    int rc = CLI_OK;
    if (r == NULL || r->type == RESULT_ERROR)
        rc = cli_fail_result(c, r);
    result_free(r);
    return rc;
}

static const char *
cli_pec_unknown(const char *s)
{
    return s != NULL ? s : _("unknown");
}

static void
cli_pec_json(FILE *f, const struct kv_endpoint_connection *e)
{
    fputs("{\"name\":", f);
    cli_json_string(f, e->name);
    fputs(",\"id\":", f);
    cli_json_string(f, e->id);
    fputs(",\"status\":", f);
    cli_json_string(f, e->status);
    fputs(",\"description\":", f);
    cli_json_string(f, e->description);
    fputs(",\"actionsRequired\":", f);
    cli_json_string(f, e->actions_required);
    fputs(",\"provisioningState\":", f);
    cli_json_string(f, e->provisioning_state);
    fputs(",\"privateEndpointId\":", f);
    cli_json_string(f, e->private_endpoint_id);
    fprintf(f, ",\"endpointRead\":%s", e->endpoint_read ? "true" : "false");
    fputs(",\"endpointError\":", f);
    cli_json_string(f, e->endpoint_error);
    fputs(",\"subnetId\":", f);
    cli_json_string(f, e->subnet_id);
    fputs(",\"privateIpAddress\":", f);
    cli_json_string(f, e->private_ip);
    fputs(",\"location\":", f);
    cli_json_string(f, e->endpoint_location);
    /* null: the zone groups could not be read (not: none) */
    fputs(",\"dnsRecords\":", f);
    if (!e->zone_groups_read) {
        fputs("null}", f);
        return;
    }
    fputc('[', f);
    for (size_t i = 0; i < e->n_records; i++) {
        const struct kv_dns_record *d = &e->records[i];
        fputs(i ? ",{\"fqdn\":" : "{\"fqdn\":", f);
        cli_json_string(f, d->fqdn);
        fputs(",\"zoneId\":", f);
        cli_json_string(f, d->zone_id);
        fputs(",\"ipAddresses\":[", f);
        for (size_t k = 0; k < d->addresses.n; k++) {
            if (k)
                fputc(',', f);
            cli_json_string(f, d->addresses.items[k]);
        }
        fputs("]}", f);
    }
    fputs("]}", f);
}

static void
cli_pec_text(FILE *f, const struct kv_endpoint_connection *e)
{
    fprintf(f, "%s  %s\n", e->name, cli_pec_unknown(e->status));
    fprintf(f, _("  description:  %s\n"),
            e->description != NULL && *e->description ? e->description : "-");
    fprintf(f, _("  endpoint:     %s\n"),
            cli_pec_unknown(e->private_endpoint_id));
    if (!e->endpoint_read && e->endpoint_error != NULL)
        fprintf(f, _("  (the endpoint could not be read: %s)\n"),
                e->endpoint_error);
    fprintf(f, _("  subnet:       %s\n"), cli_pec_unknown(e->subnet_id));
    fprintf(f, _("  private IP:   %s\n"), cli_pec_unknown(e->private_ip));
    if (!e->zone_groups_read) {
        fprintf(f, _("  DNS records:  %s\n"), _("unknown"));
    } else if (e->n_records == 0) {
        fprintf(f, _("  DNS records:  none (no DNS zone group)\n"));
    }
    for (size_t i = 0; e->zone_groups_read && i < e->n_records; i++) {
        const struct kv_dns_record *d = &e->records[i];
        fprintf(f, _("  DNS record:   %s A"), cli_pec_unknown(d->fqdn));
        for (size_t k = 0; k < d->addresses.n; k++)
            fprintf(f, " %s", d->addresses.items[k]);
        fputc('\n', f);
    }
}

static int
cli_endpoint_list(struct cli *c)
{
    char *name = cli_vault_name(c->pos[0]);
    struct kv_vault *v = NULL;
    struct vec items;
    vec_init(&items);
    int rc = cli_vault_find(c, name, &v);
    if (rc == CLI_OK)
        rc = cli_pec_read(c, v, &items);
    if (rc != CLI_OK)
        goto out;
    if (c->json)
        fputs("[", stdout);
    for (size_t i = 0; i < items.len; i++) {
        if (c->json) {
            if (i)
                fputs(",\n", stdout);
            cli_pec_json(stdout, items.items[i]);
        } else {
            cli_pec_text(stdout, items.items[i]);
        }
    }
    if (c->json)
        fputs("]\n", stdout);
    else if (items.len == 0)
        printf(_("%s has no private endpoint connections.\n"), v->name);
out:
    vec_free_all(&items, (void (*)(void *))kv_endpoint_connection_free);
    kv_vault_free(v);
    free(name);
    return rc;
}

/* The connection named want: its name, its id, or its endpoint's name. */
static struct kv_endpoint_connection *
cli_pec_match(struct vec *items, const char *want)
{
    for (size_t i = 0; i < items->len; i++) {
        struct kv_endpoint_connection *e = items->items[i];
        if (str_ieq(e->name, want) || str_ieq(e->id, want))
            return e;
    }
    for (size_t i = 0; i < items->len; i++) {
        struct kv_endpoint_connection *e = items->items[i];
        char *pe = cli_arm_last(e->private_endpoint_id);
        bool same = pe != NULL && str_ieq(pe, want);
        free(pe);
        if (same)
            return e;
    }
    return NULL;
}

/* approve, reject, remove: the plan of the endpoints pane. */
static int
cli_endpoint_act(struct cli *c, enum pec_action a)
{
    char *name = cli_vault_name(c->pos[0]);
    struct kv_vault *v = NULL;
    struct vec items;
    vec_init(&items);
    int rc = cli_vault_find(c, name, &v);
    if (rc == CLI_OK)
        rc = cli_pec_read(c, v, &items);
    if (rc != CLI_OK)
        goto out;
    const struct kv_endpoint_connection *e = cli_pec_match(&items, c->pos[1]);
    if (e == NULL) {
        fprintf(stderr,
                _("kvdeck %s: %s has no private endpoint connection %s "
                  "(kvdeck endpoint list %s shows them)\n"),
                c->cmd, v->name, c->pos[1], v->name);
        rc = CLI_NOT_FOUND;
        goto out;
    }
    if ((a == PEC_APPROVE && str_ieq(e->status, "Approved")) ||
        (a == PEC_REJECT && str_ieq(e->status, "Rejected"))) {
        fprintf(stderr,
                a == PEC_APPROVE ? _("kvdeck %s: %s is already Approved\n")
                                 : _("kvdeck %s: %s is already Rejected\n"),
                c->cmd, e->name);
        if (c->json)
            fputs("{\"outcome\":\"unchanged\"}\n", stdout);
        goto out;
    }
    if (a == PEC_APPROVE && str_ieq(e->status, "Rejected")) {
        fprintf(stderr,
                _("kvdeck %s: refused: %s was rejected, and Azure cannot "
                  "approve a rejected connection; remove it and create the "
                  "endpoint again\n"),
                c->cmd, e->name);
        rc = CLI_REFUSED;
        goto out;
    }
    struct plan *p = plan_endpoint_connection(e, v->name, a, c->description);
    if (p == NULL) {
        fprintf(stderr, _("kvdeck %s: nothing to do for %s\n"), c->cmd,
                e->name);
        rc = CLI_FAILED;
        goto out;
    }
    rc = cli_plan(c, p);
out:
    vec_free_all(&items, (void (*)(void *))kv_endpoint_connection_free);
    kv_vault_free(v);
    free(name);
    return rc;
}

static int
cli_endpoint_approve(struct cli *c)
{
    return cli_endpoint_act(c, PEC_APPROVE);
}

static int
cli_endpoint_reject(struct cli *c)
{
    return cli_endpoint_act(c, PEC_REJECT);
}

static int
cli_endpoint_remove(struct cli *c)
{
    return cli_endpoint_act(c, PEC_REMOVE);
}

#define OPT_EP  (OPT_COMMON | OPT_SUBSCRIPTION)
#define OPT_PEC (OPT_EP | OPT_DESCRIPTION)

const struct cli_cmd cli_endpoint_cmds[] = {
    {.name = "list",
     .min_pos = 1,
     .max_pos = 1,
     .opts = OPT_EP,
     .run = cli_endpoint_list,
     .args = N_("VAULT [--subscription S] [--json]")},
    {.name = "attach",
     .min_pos = 1,
     .max_pos = 1,
     .opts = OPT_EP | OPT_SUBNET | OPT_NAME | OPT_GROUP | OPT_DNS_ZONE |
             OPT_NO_DNS | OPT_MANUAL_REQUEST | OPT_CLOSE_PUBLIC,
     .writes = true,
     .run = cli_endpoint_attach,
     .args = N_("VAULT --subnet SUBNET-RESOURCE-ID [--name PE] [-g GROUP] "
                "[--dns-zone ZONE-RESOURCE-ID | --no-dns] [--manual-request "
                "MESSAGE] [--close-public-access] [--subscription S] "
                "[--dry-run] [--yes] [--json]")},
    {.name = "approve",
     .min_pos = 2,
     .max_pos = 2,
     .opts = OPT_PEC,
     .writes = true,
     .run = cli_endpoint_approve,
     .args = N_("VAULT CONNECTION [--description D] [--subscription S] "
                "[--dry-run] [--yes] [--json]")},
    {.name = "reject",
     .min_pos = 2,
     .max_pos = 2,
     .opts = OPT_PEC,
     .writes = true,
     .run = cli_endpoint_reject,
     .args = N_("VAULT CONNECTION [--description D] [--subscription S] "
                "[--dry-run] [--yes] [--json]")},
    {.name = "remove",
     .min_pos = 2,
     .max_pos = 2,
     .opts = OPT_PEC,
     .writes = true,
     .run = cli_endpoint_remove,
     .args = N_("VAULT CONNECTION [--description D] [--subscription S] "
                "[--dry-run] [--yes] [--json]")},
    {.name = NULL},
};
