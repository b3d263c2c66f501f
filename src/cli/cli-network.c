/*
 * cli-network.c — `kvdeck vault network show|set` (issue #10): a vault's
 * reachability as Resource Manager has it (publicNetworkAccess and the
 * networkAcls: default action, bypass, IP rules, virtual network rules),
 * and one network edit as the console's plan (plan_vault_network): every
 * option checked before anything is sent, a change that changes nothing
 * said and left alone. Also the ARM id helpers the endpoint commands use.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"

char *
cli_arm_part(const char *id, const char *key)
{
    size_t klen = strlen(key);
    for (const char *p = id; p != NULL && *p != '\0';) {
        if (*p == '/')
            p++;
        const char *end = strchr(p, '/');
        if (end == NULL)
            return NULL;
        if ((size_t)(end - p) == klen && strncasecmp(p, key, klen) == 0) {
            const char *v = end + 1;
            size_t n = strcspn(v, "/");
            return n > 0 ? xstrndup(v, n) : NULL;
        }
        p = strchr(end + 1, '/'); /* the next key */
    }
    return NULL;
}

char *
cli_arm_last(const char *id)
{
    if (id == NULL)
        return NULL;
    size_t n = strlen(id);
    while (n > 0 && id[n - 1] == '/')
        n--;
    size_t s = n;
    while (s > 0 && id[s - 1] != '/')
        s--;
    return s < n ? xstrndup(id + s, n - s) : NULL;
}

/* "unknown" where a value was not read (never a default as if read). */
static const char *
cli_net_or_unknown(const char *s)
{
    return s != NULL ? s : _("unknown");
}

static void
cli_net_json_list(FILE *f, const struct kv_strlist *l, const char *key)
{
    fputc('[', f);
    for (size_t i = 0; i < l->n; i++) {
        fprintf(f, "%s{\"%s\":", i ? "," : "", key);
        cli_json_string(f, l->items[i]);
        fputc('}', f);
    }
    fputc(']', f);
}

/* As the vault's ARM properties name them; networkAcls null when the
 * answer had none (no rule applies). */
static void
cli_net_json(FILE *f, const struct kv_vault *v)
{
    fputs("{\"name\":", f);
    cli_json_string(f, v->name);
    fputs(",\"id\":", f);
    cli_json_string(f, v->id);
    fputs(",\"resourceGroup\":", f);
    cli_json_string(f, v->resource_group);
    fputs(",\"publicNetworkAccess\":", f);
    cli_json_string(f, v->public_network_access);
    fputs(",\"networkAcls\":", f);
    if (v->has_network_acls) {
        fputs("{\"defaultAction\":", f);
        cli_json_string(f, v->network_default_action);
        fputs(",\"bypass\":", f);
        cli_json_string(f, v->network_bypass);
        fputs(",\"ipRules\":", f);
        cli_net_json_list(f, &v->ip_rules, "value");
        fputs(",\"virtualNetworkRules\":", f);
        cli_net_json_list(f, &v->vnet_rules, "id");
        fputc('}', f);
    } else {
        fputs("null", f);
    }
    fprintf(f, ",\"privateEndpointConnections\":%zu}\n",
            v->endpoint_connections);
}

static void
cli_net_text(FILE *f, const struct kv_vault *v)
{
    fprintf(f, _("vault:                 %s\n"), v->name);
    fprintf(f, _("public network access: %s\n"),
            cli_net_or_unknown(v->public_network_access));
    if (!v->has_network_acls) {
        fprintf(f, _("network rules:         none (every network is let "
                     "in)\n"));
    } else {
        fprintf(f, _("default action:        %s\n"),
                cli_net_or_unknown(v->network_default_action));
        fprintf(f, _("bypass:                %s\n"),
                cli_net_or_unknown(v->network_bypass));
        if (v->ip_rules.n == 0)
            fprintf(f, _("IP rules:              none\n"));
        for (size_t i = 0; i < v->ip_rules.n; i++)
            fprintf(f, _("IP rule:               %s\n"), v->ip_rules.items[i]);
        if (v->vnet_rules.n == 0)
            fprintf(f, _("virtual network rules: none\n"));
        for (size_t i = 0; i < v->vnet_rules.n; i++)
            fprintf(f, _("virtual network rule:  %s\n"),
                    v->vnet_rules.items[i]);
    }
    fprintf(f, _("private endpoints:     %zu (kvdeck endpoint list %s)\n"),
            v->endpoint_connections, v->name);
}

static int
cli_net_show(struct cli *c)
{
    char *name = cli_vault_name(c->pos[0]);
    struct kv_vault *v = NULL;
    int rc = cli_vault_find(c, name, &v);
    if (rc == CLI_OK && c->json)
        cli_net_json(stdout, v);
    else if (rc == CLI_OK)
        cli_net_text(stdout, v);
    kv_vault_free(v);
    free(name);
    return rc;
}

/* Whether list holds s (subnet ids: case-insensitive). */
static bool
cli_net_has(const struct kv_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (str_ieq(l->items[i], s))
            return true;
    return false;
}

/* Whether the IP rules hold ip (canonical "a.b.c.d/n"), each rule in its
 * canonical form too ("203.0.113.7" is "203.0.113.7/32"). */
static bool
cli_net_has_ip(const struct kv_strlist *l, const char *ip)
{
    for (size_t i = 0; i < l->n; i++) {
        char *n = NULL;
        bool same = plan_check_ip_rule(l->items[i], &n) == NULL
                        ? str_eq(n, ip)
                        : str_eq(l->items[i], ip);
        free(n);
        if (same)
            return true;
    }
    return false;
}

/* A subnet's resource id: .../virtualNetworks/VNET/subnets/NAME. */
static bool
cli_net_subnet_id(const char *id)
{
    char *sub = cli_arm_part(id, "subscriptions");
    char *vnet = cli_arm_part(id, "virtualNetworks");
    char *sn = cli_arm_part(id, "subnets");
    bool ok = id[0] == '/' && sub != NULL && vnet != NULL && sn != NULL;
    free(sub);
    free(vnet);
    free(sn);
    return ok;
}

/* The options into ch, checked before any call; ips[0..1] (the
 * normalised --add-ip and --remove-ip) are freed by the caller. */
static int
cli_net_check(struct cli *c, struct network_change *ch, char **ips)
{
    static const struct {
        const char *opt;
    } names[] = {{"add-ip"}, {"remove-ip"}};
    const char *given[2] = {c->add_ip, c->remove_ip};
    ch->public_access = ch->default_deny = -1;
    for (int i = 0; i < 2; i++) {
        if (given[i] == NULL)
            continue;
        const char *bad = plan_check_ip_rule(given[i], &ips[i]);
        if (bad != NULL) {
            fprintf(stderr, "kvdeck %s: --%s %s: %s\n", c->cmd, names[i].opt,
                    given[i], bad);
            return CLI_USAGE;
        }
    }
    const char *subs[2] = {c->add_subnet, c->remove_subnet};
    for (int i = 0; i < 2; i++) {
        if (subs[i] != NULL && !cli_net_subnet_id(subs[i])) {
            fprintf(stderr,
                    _("kvdeck %s: %s: not a subnet's resource id "
                      "(/subscriptions/S/resourceGroups/G/providers/"
                      "Microsoft.Network/virtualNetworks/V/subnets/N)\n"),
                    c->cmd, subs[i]);
            return CLI_USAGE;
        }
    }
    if (c->public_access != NULL) {
        if (strcasecmp(c->public_access, "Enabled") != 0 &&
            strcasecmp(c->public_access, "Disabled") != 0) {
            fprintf(stderr, _("kvdeck %s: --%s %s: give %s or %s\n"), c->cmd,
                    "public-network-access", c->public_access, "Enabled",
                    "Disabled");
            return CLI_USAGE;
        }
        ch->public_access = strcasecmp(c->public_access, "Enabled") == 0;
    }
    if (c->default_action != NULL) {
        if (strcasecmp(c->default_action, "Allow") != 0 &&
            strcasecmp(c->default_action, "Deny") != 0) {
            fprintf(stderr, _("kvdeck %s: --%s %s: give %s or %s\n"), c->cmd,
                    "default-action", c->default_action, "Allow", "Deny");
            return CLI_USAGE;
        }
        ch->default_deny = strcasecmp(c->default_action, "Deny") == 0;
    }
    if (ch->public_access < 0 && ch->default_deny < 0 && c->add_ip == NULL &&
        c->remove_ip == NULL && c->add_subnet == NULL &&
        c->remove_subnet == NULL) {
        fprintf(stderr,
                _("kvdeck %s: what to change? Give --public-network-access, "
                  "--default-action, --add-ip, --remove-ip, --add-subnet or "
                  "--remove-subnet\n"),
                c->cmd);
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* Leaves out of ch what is already so in v (a rule already there, or not
 * there to remove; a setting as it is), saying so on stderr. */
static void
cli_net_filter(struct cli *c, const struct kv_vault *v,
               struct network_change *ch, char **ips)
{
    if (ch->public_access >= 0 && v->public_network_access != NULL &&
        str_ieq(v->public_network_access,
                ch->public_access ? "Enabled" : "Disabled")) {
        fprintf(stderr, _("kvdeck %s: public network access is already %s\n"),
                c->cmd, v->public_network_access);
        ch->public_access = -1;
    }
    if (ch->default_deny >= 0 && v->has_network_acls &&
        v->network_default_action != NULL &&
        str_ieq(v->network_default_action,
                ch->default_deny ? "Deny" : "Allow")) {
        fprintf(stderr, _("kvdeck %s: the default action is already %s\n"),
                c->cmd, v->network_default_action);
        ch->default_deny = -1;
    }
    if (ips[0] != NULL && cli_net_has_ip(&v->ip_rules, ips[0]))
        fprintf(stderr, _("kvdeck %s: IP rule %s is already there\n"), c->cmd,
                ips[0]);
    else
        ch->add_ip = ips[0];
    if (ips[1] != NULL && !cli_net_has_ip(&v->ip_rules, ips[1]))
        fprintf(stderr, _("kvdeck %s: there is no IP rule %s to remove\n"),
                c->cmd, ips[1]);
    else
        ch->remove_ip = ips[1];
    if (c->add_subnet != NULL && cli_net_has(&v->vnet_rules, c->add_subnet))
        fprintf(stderr,
                _("kvdeck %s: virtual network rule %s is already there\n"),
                c->cmd, c->add_subnet);
    else
        ch->add_subnet = c->add_subnet;
    if (c->remove_subnet != NULL &&
        !cli_net_has(&v->vnet_rules, c->remove_subnet))
        fprintf(stderr,
                _("kvdeck %s: there is no virtual network rule %s to "
                  "remove\n"),
                c->cmd, c->remove_subnet);
    else
        ch->remove_subnet = c->remove_subnet;
}

static int
cli_net_set(struct cli *c)
{
    char *name = cli_vault_name(c->pos[0]);
    char *ips[2] = {NULL, NULL};
    struct kv_vault *v = NULL;
    struct network_change ch;
    memset(&ch, 0, sizeof ch);
    /* the options first: a bad CIDR is a usage error before any call */
    int rc = cli_net_check(c, &ch, ips);
    if (rc == CLI_OK)
        rc = cli_vault_find(c, name, &v);
    if (rc != CLI_OK)
        goto out;
    cli_net_filter(c, v, &ch, ips);
    if (ch.public_access < 0 && ch.default_deny < 0 && ch.add_ip == NULL &&
        ch.remove_ip == NULL && ch.add_subnet == NULL &&
        ch.remove_subnet == NULL) {
        if (c->json)
            fputs("{\"outcome\":\"unchanged\"}\n", stdout);
        else
            printf(_("Nothing to change in %s's network.\n"), v->name);
        goto out;
    }
    const char *why = NULL;
    struct plan *p = plan_vault_network(v, &ch, &why);
    if (p == NULL) {
        fprintf(stderr, "kvdeck %s: %s\n", c->cmd,
                why != NULL ? why : _("nothing to change"));
        rc = CLI_USAGE;
        goto out;
    }
    if (ch.public_access == 0 && !c->dry_run)
        fprintf(stderr,
                _("kvdeck %s: with public network access off, kvdeck here "
                  "reaches %s's data plane only through a private endpoint; "
                  "secrets can still be written through Resource Manager "
                  "(secret set|rotate --via-arm)\n"),
                c->cmd, v->name);
    rc = cli_plan(c, p);
out:
    free(ips[0]);
    free(ips[1]);
    kv_vault_free(v);
    free(name);
    return rc;
}

#define OPT_NET (OPT_COMMON | OPT_SUBSCRIPTION | OPT_VAULT_NAME)

const struct cli_cmd cli_vault_network_cmds[] = {
    {.name = "show",
     .min_pos = 1,
     .max_pos = 1,
     .opts = OPT_NET,
     .run = cli_net_show,
     .args = N_("VAULT [--subscription S] [--json]")},
    {.name = "set",
     .min_pos = 1,
     .max_pos = 1,
     .opts = OPT_NET | OPT_PUBLIC_ACCESS | OPT_DEFAULT_ACTION | OPT_ADD_IP |
             OPT_REMOVE_IP | OPT_ADD_SUBNET | OPT_REMOVE_SUBNET,
     .writes = true,
     .run = cli_net_set,
     .args = N_("VAULT [--public-network-access Enabled|Disabled] "
                "[--default-action Allow|Deny] [--add-ip CIDR] [--remove-ip "
                "CIDR] [--add-subnet ID] [--remove-subnet ID] [--subscription "
                "S] [--dry-run] [--yes] [--json]")},
    {.name = NULL},
};
