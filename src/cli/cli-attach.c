/*
 * cli-attach.c — `kvdeck endpoint attach` (issue #10): the wizard's plan
 * (plan_attach) from options. Before anything is written it reads what
 * the wizard's pages show: the vault; the subnet's virtual network (in
 * the subnet's subscription), the subnet's endpoint policy and free
 * addresses; the cloud's privatelink zone (--dns-zone, else one of that
 * name in the VNet's subscription, reused, else a new one in the group)
 * and whether it is linked to the VNet; whether the signed-in principal
 * may approve connections on the vault (else a manual request); and, for
 * --close-public-access, whether this host would still reach the vault.
 * Each decision is said on stderr. After the run: the connection's
 * state, the private IP, the A record and the DNS check
 * (cli_attach_outcome).
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"

#define PEC_APPROVAL_ACTION                                                    \
    "Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action"

/* What attach reads, freed together. */
struct attach_ctx {
    struct attach_spec s;
    struct kv_vault *vault;
    struct vec vnets; /* kv_vnet: the subnet's group's */
    char *zone_name, *endpoint_name, *zone_id, *request;
};

/* The subnet's VNet and the subnet, from the VNets of its group. */
static int
cli_attach_subnet(struct cli *c, struct attach_ctx *a)
{
    char *sub = cli_arm_part(c->subnet, "subscriptions");
    char *group = cli_arm_part(c->subnet, "resourceGroups");
    char *vnet = cli_arm_part(c->subnet, "virtualNetworks");
    char *sn = cli_arm_part(c->subnet, "subnets");
    int rc = CLI_OK;
    if (c->subnet[0] != '/' || sub == NULL || group == NULL || vnet == NULL ||
        sn == NULL) {
        fprintf(stderr,
                _("kvdeck %s: %s: not a subnet's resource id "
                  "(/subscriptions/S/resourceGroups/G/providers/"
                  "Microsoft.Network/virtualNetworks/V/subnets/N)\n"),
                c->cmd, c->subnet);
        rc = CLI_USAGE;
        goto out;
    }
    struct result *r =
        cli_wait_job(c, job_list_vnets(sub, group), &a->vnets, NULL);
    if (r == NULL || (r->type == RESULT_ERROR && r->http_status != 404 &&
                      r->status != KV_ERR_NOT_FOUND))
        rc = cli_fail_result(c, r);
    result_free(r);
    for (size_t i = 0; rc == CLI_OK && i < a->vnets.len; i++) {
        const struct kv_vnet *v = a->vnets.items[i];
        if (!str_ieq(v->name, vnet))
            continue;
        for (size_t k = 0; k < v->n_subnets; k++) {
            if (str_ieq(v->subnets[k].name, sn)) {
                a->s.vnet = v;
                a->s.subnet = &v->subnets[k];
            }
        }
    }
    if (rc == CLI_OK && a->s.subnet == NULL) {
        fprintf(stderr,
                _("kvdeck %s: no subnet %s in virtual network %s (group %s, "
                  "subscription %s)\n"),
                c->cmd, sn, vnet, group, sub);
        rc = CLI_NOT_FOUND;
    }
out:
    free(sub);
    free(group);
    free(vnet);
    free(sn);
    return rc;
}

/* Whether zone_id is linked to the VNet (a read failure: an exit code). */
static int
cli_attach_linked(struct cli *c, const char *zone_id, const char *vnet_id,
                  bool *linked)
{
    struct vec items;
    vec_init(&items);
    struct result *r =
        cli_wait_job(c, job_list_vnet_links(zone_id), &items, NULL);
    int rc = CLI_OK;
    *linked = false;
    if (r == NULL || r->type == RESULT_ERROR) {
        if (r != NULL &&
            (r->http_status == 404 || r->status == KV_ERR_NOT_FOUND))
            fprintf(stderr, _("kvdeck %s: no private DNS zone %s\n"), c->cmd,
                    zone_id);
        rc = r != NULL &&
                     (r->http_status == 404 || r->status == KV_ERR_NOT_FOUND)
                 ? CLI_NOT_FOUND
                 : cli_fail_result(c, r);
    }
    for (size_t i = 0; rc == CLI_OK && i < items.len; i++)
        if (str_ieq(((struct kv_vnet_link *)items.items[i])->vnet_id, vnet_id))
            *linked = true;
    result_free(r);
    vec_free_all(&items, (void (*)(void *))kv_vnet_link_free);
    return rc;
}

/* The DNS part: --no-dns, --dns-zone, an existing zone of the cloud's
 * name in the VNet's subscription, or a new one in the endpoint's group. */
static int
cli_attach_dns(struct cli *c, struct attach_ctx *a)
{
    struct attach_spec *s = &a->s;
    /* the cloud's privatelink zone (a cloud from a file: Azure's) */
    a->zone_name = xstrdup(engine_private_dns_zone(c->e));
    s->zone_name = a->zone_name;
    if (c->no_dns) {
        s->dns = ATTACH_DNS_NONE;
        return CLI_OK;
    }
    if (c->dns_zone != NULL) {
        char *n = cli_arm_last(c->dns_zone);
        if (c->dns_zone[0] != '/' || n == NULL ||
            strcasestr(c->dns_zone, "/privateDnsZones/") == NULL) {
            fprintf(stderr,
                    _("kvdeck %s: %s: not a private DNS zone's resource id "
                      "(.../providers/Microsoft.Network/privateDnsZones/%s)\n"),
                    c->cmd, c->dns_zone, a->zone_name);
            free(n);
            return CLI_USAGE;
        }
        if (!str_ieq(n, a->zone_name))
            fprintf(stderr,
                    _("kvdeck %s: note: the zone is %s; Key Vault's private "
                      "endpoints resolve through %s\n"),
                    c->cmd, n, a->zone_name);
        free(a->zone_name);
        a->zone_name = n;
        s->zone_name = n;
        s->dns = ATTACH_DNS_REUSE_ZONE;
        a->zone_id = xstrdup(c->dns_zone);
    } else {
        struct vec zones;
        vec_init(&zones);
        struct result *r =
            cli_wait_job(c, job_list_dns_zones(s->vnet->subscription_id, NULL),
                         &zones, NULL);
        int rc = CLI_OK;
        if (r == NULL || r->type == RESULT_ERROR)
            rc = cli_fail_result(c, r);
        result_free(r);
        for (size_t i = 0; rc == CLI_OK && i < zones.len; i++) {
            const struct kv_dns_zone *z = zones.items[i];
            /* the endpoint's group's own zone first, else any */
            if (str_ieq(z->name, a->zone_name) &&
                (a->zone_id == NULL ||
                 str_ieq(z->resource_group, s->endpoint_group))) {
                free(a->zone_id);
                a->zone_id = xstrdup(z->id);
            }
        }
        vec_free_all(&zones, (void (*)(void *))kv_dns_zone_free);
        if (rc != CLI_OK)
            return rc;
        if (a->zone_id == NULL) {
            s->dns = ATTACH_DNS_NEW_ZONE;
            s->zone_group = s->endpoint_group;
            fprintf(stderr,
                    _("kvdeck %s: no private DNS zone %s in subscription %s: "
                      "the plan creates it in group %s\n"),
                    c->cmd, a->zone_name, s->vnet->subscription_id,
                    s->endpoint_group);
            return CLI_OK;
        }
        s->dns = ATTACH_DNS_REUSE_ZONE;
        fprintf(stderr, _("kvdeck %s: reusing private DNS zone %s\n"), c->cmd,
                a->zone_id);
    }
    s->zone_id = a->zone_id;
    int rc = cli_attach_linked(c, a->zone_id, s->vnet->id, &s->link_exists);
    if (rc == CLI_OK && s->link_exists)
        fprintf(stderr,
                _("kvdeck %s: the zone is already linked to %s: the link is "
                  "reused\n"),
                c->cmd, s->vnet->name);
    return rc;
}

/* Manual approval: asked for, or the principal may not approve. */
static int
cli_attach_approval(struct cli *c, struct attach_ctx *a)
{
    if (c->manual_request != NULL) {
        a->s.manual = true;
        a->s.request_message = c->manual_request;
        return CLI_OK;
    }
    struct vec items;
    vec_init(&items);
    struct result *r =
        cli_wait_job(c, job_get_permissions(a->vault->id), &items, NULL);
    bool may = false;
    const char *why = NULL;
    if (r != NULL && r->type == RESULT_DONE && items.len > 0)
        may = kv_permits(items.items[0], PEC_APPROVAL_ACTION);
    else
        why = r != NULL && r->message != NULL ? r->message : _("no answer");
    if (!may) {
        if (why != NULL)
            fprintf(stderr,
                    _("kvdeck %s: your permissions on %s could not be read "
                      "(%s): the endpoint asks the vault's owner for "
                      "approval\n"),
                    c->cmd, a->vault->name, why);
        else
            fprintf(stderr,
                    _("kvdeck %s: you may not approve connections to %s (no "
                      "%s): the endpoint asks the vault's owner for "
                      "approval\n"),
                    c->cmd, a->vault->name, PEC_APPROVAL_ACTION);
        a->s.manual = true;
        a->request =
            xasprintf(_("Requested by kvdeck for %s"), a->s.endpoint_name);
        a->s.request_message = a->request;
    }
    result_free(r);
    vec_free_all(&items, (void (*)(void *))kv_permissions_free);
    return CLI_OK;
}

/* Whether address a lies in prefix ("10.1.2.0/24"). */
static bool
cli_attach_in_prefix(const char *addr, const char *prefix)
{
    struct in_addr x, net;
    char buf[64];
    if (addr == NULL || prefix == NULL)
        return false;
    const char *slash = strchr(prefix, '/');
    int bits = slash != NULL ? atoi(slash + 1) : 32;
    snprintf(buf, sizeof buf, "%.*s",
             (int)(slash != NULL ? (size_t)(slash - prefix) : strlen(prefix)),
             prefix);
    if (inet_pton(AF_INET, addr, &x) != 1 || inet_pton(AF_INET, buf, &net) != 1)
        return false;
    uint32_t mask = bits <= 0    ? 0
                    : bits >= 32 ? 0xffffffffu
                                 : ~0u << (32 - bits);
    return (ntohl(x.s_addr) & mask) == (ntohl(net.s_addr) & mask);
}

/* --close-public-access: does this host resolve the vault's name into the
 * subnet (as the wizard asks)? If not, kvdeck itself loses the data plane:
 * warn, and the plan asks for the vault's name typed (check_outside). */
static int
cli_attach_outside(struct cli *c, struct attach_ctx *a)
{
    if (!c->close_public)
        return CLI_OK;
    if (str_ieq(a->vault->public_network_access, "Disabled")) {
        fprintf(stderr,
                _("kvdeck %s: public network access to %s is already "
                  "disabled\n"),
                c->cmd, a->vault->name);
        return CLI_OK;
    }
    if (a->s.manual) {
        fprintf(stderr,
                _("kvdeck %s: public network access stays on: it can be "
                  "closed once the vault's owner approved the endpoint "
                  "(kvdeck vault network set %s --public-network-access "
                  "Disabled)\n"),
                c->cmd, a->vault->name);
        return CLI_OK;
    }
    a->s.close_public_access = true;
    struct vec items;
    vec_init(&items);
    struct result *r =
        cli_wait_job(c, job_check_dns(a->vault->vault_uri, NULL), &items, NULL);
    const struct kv_dns_check *d =
        r != NULL && r->type == RESULT_DONE && items.len > 0 ? items.items[0]
                                                             : NULL;
    bool inside = false;
    for (size_t i = 0; d != NULL && d->resolved && i < d->addresses.n; i++)
        if (cli_attach_in_prefix(d->addresses.items[i],
                                 a->s.subnet->address_prefix))
            inside = true;
    a->s.check_outside = !inside;
    if (!inside) {
        fprintf(
            stderr,
            _("kvdeck %s: WARNING: this host resolves %s to %s, outside "
              "subnet %s: once public network access is off, kvdeck here loses "
              "data-plane access to %s (secrets can still be written "
              "through Resource Manager: --via-arm)\n"),
            c->cmd,
            d != NULL && d->host != NULL ? d->host : a->vault->vault_uri,
            d == NULL            ? _("nothing (the check failed)")
            : !d->resolved       ? _("nothing (it does not resolve)")
            : d->addresses.n > 0 ? d->addresses.items[0]
                                 : _("nothing"),
            a->s.subnet->name, a->vault->name);
    } else {
        fprintf(stderr,
                _("kvdeck %s: this host resolves %s into subnet %s: it keeps "
                  "data-plane access once public access is off\n"),
                c->cmd, d->host != NULL ? d->host : a->vault->vault_uri,
                a->s.subnet->name);
    }
    result_free(r);
    vec_free_all(&items, (void (*)(void *))kv_dns_check_free);
    return CLI_OK;
}

/* The options alone, before any call. */
static int
cli_attach_opts(struct cli *c)
{
    if (c->subnet == NULL) {
        fprintf(stderr,
                _("kvdeck %s: give --subnet (the subnet's resource id)\n"),
                c->cmd);
        return CLI_USAGE;
    }
    if (c->no_dns && c->dns_zone != NULL) {
        fprintf(stderr, _("kvdeck %s: give --dns-zone or --no-dns, not both\n"),
                c->cmd);
        return CLI_USAGE;
    }
    const char *bad =
        c->name != NULL ? plan_check_endpoint_name(c->name) : NULL;
    if (bad != NULL) {
        fprintf(stderr, "kvdeck %s: %s: %s\n", c->cmd, c->name, bad);
        return CLI_USAGE;
    }
    if (c->group != NULL && (bad = plan_check_group_name(c->group)) != NULL) {
        fprintf(stderr, "kvdeck %s: %s: %s\n", c->cmd, c->group, bad);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int
cli_endpoint_attach(struct cli *c)
{
    struct attach_ctx a;
    memset(&a, 0, sizeof a);
    vec_init(&a.vnets);
    char *name = cli_vault_name(c->pos[0]);
    int rc = cli_attach_opts(c);
    if (rc == CLI_OK)
        rc = cli_vault_find(c, name, &a.vault);
    if (rc == CLI_OK)
        rc = cli_attach_subnet(c, &a);
    if (rc != CLI_OK)
        goto out;
    struct attach_spec *s = &a.s;
    s->vault = a.vault;
    a.endpoint_name =
        c->name != NULL ? xstrdup(c->name) : plan_attach_default_name(name);
    s->endpoint_name = a.endpoint_name;
    s->endpoint_group = c->group != NULL ? c->group : s->vnet->resource_group;
    if (s->vnet->location != NULL && a.vault->location != NULL &&
        !str_ieq(s->vnet->location, a.vault->location))
        fprintf(stderr,
                _("kvdeck %s: note: %s is in %s, the vault in %s: the "
                  "endpoint lives in the virtual network's region (%s)\n"),
                c->cmd, s->vnet->name, s->vnet->location, a.vault->location,
                s->vnet->location);
    if (s->subnet->pe_policies != NULL &&
        !str_ieq(s->subnet->pe_policies, "Disabled")) {
        s->set_subnet_policy = true;
        fprintf(stderr,
                _("kvdeck %s: subnet %s has privateEndpointNetworkPolicies "
                  "%s: the plan sets it to Disabled first\n"),
                c->cmd, s->subnet->name, s->subnet->pe_policies);
    }
    if (s->subnet->free_addresses == 0) {
        fprintf(stderr,
                _("kvdeck %s: refused: subnet %s (%s) has no free address "
                  "left for an endpoint\n"),
                c->cmd, s->subnet->name,
                s->subnet->address_prefix ? s->subnet->address_prefix : "-");
        rc = CLI_REFUSED;
        goto out;
    }
    if ((rc = cli_attach_dns(c, &a)) != CLI_OK ||
        (rc = cli_attach_approval(c, &a)) != CLI_OK ||
        (rc = cli_attach_outside(c, &a)) != CLI_OK)
        goto out;
    struct plan *p = plan_attach(s);
    if (p == NULL) {
        fprintf(stderr, _("kvdeck %s: the endpoint cannot be planned\n"),
                c->cmd);
        rc = CLI_FAILED;
        goto out;
    }
    c->attach = s;
    rc = cli_plan(c, p);
    c->attach = NULL;
out:
    vec_free_all(&a.vnets, (void (*)(void *))kv_vnet_free);
    kv_vault_free(a.vault);
    free(a.zone_name);
    free(a.zone_id);
    free(a.endpoint_name);
    free(a.request);
    free(name);
    return rc;
}

static void
cli_attach_json_dns(FILE *f, const struct kv_dns_check *d)
{
    fputs("{\"host\":", f);
    cli_json_string(f, d->host);
    fputs(",\"expected\":", f);
    cli_json_string(f, d->expected);
    fputs(",\"addresses\":[", f);
    for (size_t i = 0; i < d->addresses.n; i++) {
        if (i)
            fputc(',', f);
        cli_json_string(f, d->addresses.items[i]);
    }
    fprintf(f, "],\"resolved\":%s,\"overridden\":%s,\"matches\":%s",
            d->resolved ? "true" : "false", d->overridden ? "true" : "false",
            d->matches ? "true" : "false");
    fputs(",\"error\":", f);
    cli_json_string(f, d->error);
    fputc('}', f);
}

void
cli_attach_outcome(const struct cli *c, FILE *f, const struct plan *p,
                   bool json)
{
    const struct attach_spec *s = c->attach;
    if (s == NULL)
        return;
    const struct kv_private_endpoint *e = plan_result_endpoint(p);
    const struct kv_dns_check *d = plan_result_dns(p);
    bool pending = plan_attach_pending(p);
    const char *status = pending     ? "Pending"
                         : e != NULL ? e->connection_status
                                     : NULL;
    const char *ip = e != NULL ? e->private_ip : NULL;
    char *fqdn = xasprintf("%s.%s", s->vault->name, s->zone_name);
    if (json) {
        fputs(",\"connection\":{\"status\":", f);
        cli_json_string(f, status);
        fprintf(f, ",\"manual\":%s,\"pending\":%s",
                s->manual ? "true" : "false", pending ? "true" : "false");
        fputs(",\"endpointId\":", f);
        cli_json_string(f, e != NULL ? e->id : NULL);
        fputs(",\"privateIpAddress\":", f);
        cli_json_string(f, ip);
        fputs(",\"subnetId\":", f);
        cli_json_string(f, e != NULL ? e->subnet_id : s->subnet->id);
        fputs(",\"location\":", f);
        cli_json_string(f, e != NULL ? e->location : s->vnet->location);
        fputs("},\"aRecord\":{\"fqdn\":", f);
        cli_json_string(f, fqdn);
        fputs(",\"ipAddress\":", f);
        cli_json_string(f, ip);
        fprintf(f, ",\"managedByZoneGroup\":%s}",
                s->dns != ATTACH_DNS_NONE ? "true" : "false");
        fputs(",\"dnsCheck\":", f);
        if (d != NULL)
            cli_attach_json_dns(f, d);
        else
            fputs("null", f);
        free(fqdn);
        return;
    }
    if (pending)
        fprintf(f,
                _("Connection: Pending — ask the vault's owner to approve it "
                  "(kvdeck endpoint approve %s %s)\n"),
                s->vault->name, s->endpoint_name);
    else
        fprintf(f, _("Connection: %s\n"),
                status != NULL ? status : _("unknown"));
    fprintf(f, _("Private IP: %s\n"), ip != NULL ? ip : _("unknown"));
    if (s->dns == ATTACH_DNS_NONE)
        fprintf(f,
                _("DNS: you manage it: create the A record %s -> %s (and "
                  "have %s resolve through it)\n"),
                fqdn, ip != NULL ? ip : _("the private IP"),
                s->vault->vault_uri);
    else
        fprintf(f, _("A record: %s -> %s\n"), fqdn,
                ip != NULL ? ip : _("unknown"));
    if (d != NULL && d->matches)
        fprintf(f,
                _("DNS check: this host resolves %s to %s%s: it reaches "
                  "the vault through the endpoint\n"),
                d->host, d->expected != NULL ? d->expected : "-",
                d->overridden ? _(" (a resolve override)") : "");
    else if (d != NULL && !d->resolved)
        fprintf(f,
                _("DNS check: %s does not resolve here (%s): this host does "
                  "not reach the vault through the endpoint\n"),
                d->host != NULL ? d->host : "-",
                d->error != NULL ? d->error : "-");
    else if (d != NULL)
        fprintf(f,
                _("DNS check: this host resolves %s to %s, not the "
                  "endpoint's address: it reaches the vault over the "
                  "public network (while that is open)\n"),
                d->host != NULL ? d->host : "-",
                d->addresses.n > 0 ? d->addresses.items[0] : "-");
    free(fqdn);
}
