/*
 * wizard-attach-int.h — the attach-a-private-endpoint wizard's state,
 * shared by its two files: wizard-attach.c (the host's ops, the lists
 * and reads the pages need, the plan and the outcome) and
 * wizard-attach-pages.c (the pages). Private to those two.
 *
 * Ownership: struct wattach owns its copy of the vault, the lists (the
 * model structs of the jobs' results) and every string; the pages borrow
 * from it.
 */
#ifndef KV_TUI_WIZARD_ATTACH_INT_H
#define KV_TUI_WIZARD_ATTACH_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/vec.h"
#include "tui/wizard.h"

enum {
    WA_PAGE_VNET,
    WA_PAGE_SUBNET,
    WA_PAGE_NAME,
    WA_PAGE_DNS,
    WA_PAGE_APPROVAL,
    WA_PAGE_PUBLIC,
    WA_PAGES
};

/* A read the pages wait for: its job, whether it ended, why it failed. */
struct wa_load {
    uint64_t job; /* 0: none out */
    bool done;
    char *error; /* NULL, or a sentence */
};

struct wattach {
    struct app *a;
    struct wizard *w;
    struct kv_vault *vault; /* a copy of what the plan needs */
    struct vec taken;       /* char *: the ids of the vault's endpoints now */
    const char *zone_name;  /* the cloud's privatelink zone (static) */
    /* the VNets of every listed subscription, the vault's region first */
    struct wa_load *vnet_loads; /* one per subscription */
    size_t n_vnet_loads;
    struct vec vnets;      /* struct kv_vnet *, in arrival order */
    struct vec vnet_order; /* struct kv_vnet * (borrowed), as offered */
    /* the signed-in principal's permissions on the vault */
    struct wa_load perms_load;
    struct kv_permissions *perms;
    /* the private DNS zones of the VNet's subscription, and the links of
     * the cloud's zone when it exists */
    char *zones_sub;
    struct wa_load zones_load, links_load;
    struct vec zones, links;        /* kv_dns_zone *, kv_vnet_link * */
    const struct kv_dns_zone *zone; /* the cloud's zone, found (borrowed) */
    /* the DNS check of the vault's host (page 6) */
    struct wa_load dns_load;
    struct kv_dns_check *dns;
    /* page 1: the VNet */
    size_t f_vnet, vnet_choice;
    /* page 2: the subnet */
    size_t f_subnet, f_policy, subnet_choice;
    bool no_policy;  /* the box "Disable policies" cleared */
    bool set_policy; /* the plan sets the policy */
    /* page 3: the endpoint's name and group */
    size_t f_name, f_group;
    char *name, *group;
    /* page 4: DNS */
    size_t f_dns, f_zone_group;
    enum attach_dns dns_mode;
    char *zone_group;
    /* page 5: approval */
    size_t f_manual, f_message;
    bool manual;
    char *message;
    /* page 6: public access */
    size_t f_close;
    bool close_public;
};

/* wizard-attach-pages.c: each page's form (NULL while what it shows is
 * being read) and what leaving it keeps (false: it stays, a message
 * under a field). */
struct form *wa_vnet_page(struct app *a, struct wattach *wa);
bool wa_vnet_next(struct app *a, struct wattach *wa, struct form *f);
struct form *wa_subnet_page(struct app *a, struct wattach *wa);
bool wa_subnet_next(struct app *a, struct wattach *wa, struct form *f);
struct form *wa_name_page(struct app *a, struct wattach *wa);
bool wa_name_next(struct app *a, struct wattach *wa, struct form *f);
struct form *wa_dns_page(struct app *a, struct wattach *wa);
bool wa_dns_next(struct app *a, struct wattach *wa, struct form *f);
struct form *wa_approval_page(struct app *a, struct wattach *wa);
bool wa_approval_next(struct app *a, struct wattach *wa, struct form *f);
struct form *wa_public_page(struct app *a, struct wattach *wa);
bool wa_public_next(struct app *a, struct wattach *wa, struct form *f);

/* wizard-attach.c: the VNet and subnet chosen (borrowed), or NULL. */
const struct kv_vnet *wa_vnet(const struct wattach *wa);
const struct kv_subnet *wa_subnet(const struct wattach *wa);
/* Asks for the private DNS zones of sub_id (and then the links of the
 * cloud's zone), unless they are in or on their way. */
void wa_load_zones(struct app *a, struct wattach *wa, const char *sub_id);
/* Asks whether this host resolves the vault's host name (again). */
void wa_check_dns(struct app *a, struct wattach *wa);
/* The principal may approve connections on the vault (read, and
 * granted). */
bool wa_may_approve(const struct wattach *wa);
/* The cloud's zone is linked to the chosen VNet (its links were read). */
bool wa_zone_linked(const struct wattach *wa);
/* The DNS check's addresses: one inside the subnet's prefix. */
bool wa_dns_inside(const struct wattach *wa);
/* "kv-x.privatelink.vaultcore.azure.net": the A record's name (caller
 * frees). */
char *wa_record_name(const struct wattach *wa);
/* True when the endpoint NAME in group of the chosen VNet's subscription
 * is one of the vault's endpoints already (a PUT would change it). */
bool wa_endpoint_taken(const struct wattach *wa, const char *group,
                       const char *name);
/* Notes the ids of the vault's endpoints as the store has them now
 * (when the vault is still the one opened). */
void wa_note_taken(struct app *a, struct wattach *wa);
/* True when ip (dotted IPv4) lies in cidr ("10.0.1.0/24"). */
bool wa_ip_in_prefix(const char *ip, const char *cidr);

#endif
