/*
 * wizard-vault-int.h — the create-a-vault wizard's state, shared by its
 * three files: wizard-vault.c (the host's ops, the lists, the plan and
 * the outcome), wizard-vault-name.c (the first page: the name checked as
 * it is typed, the subscription, and what to do about a deleted vault
 * holding the name) and wizard-vault-pages.c (the pages after it).
 * Private to those three.
 */
#ifndef KV_TUI_WIZARD_VAULT_INT_H
#define KV_TUI_WIZARD_VAULT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/vec.h"
#include "tui/wizard.h"

enum {
    WV_PAGE_NAME,
    WV_PAGE_GROUP,
    WV_PAGE_REGION,
    WV_PAGE_ACCESS,
    WV_PAGE_NETWORK,
    WV_PAGES
};

/* How far the name check is (the name page's message says it). */
enum wv_name_state {
    WV_NAME_EMPTY,    /* nothing typed */
    WV_NAME_INVALID,  /* not a vault name (plan_check_vault_name) */
    WV_NAME_WAIT,     /* typed; the check goes out after a pause */
    WV_NAME_CHECKING, /* asked Azure */
    WV_NAME_FREE,     /* available */
    WV_NAME_TAKEN,    /* used by a vault somewhere in the cloud */
    WV_NAME_DELETED,  /* held by a deleted vault of this subscription */
    WV_NAME_UNKNOWN,  /* the check failed; creating will tell */
};

enum wv_stage { WV_STAGE_CREATE, WV_STAGE_RECOVER };

struct wvault {
    struct app *a;
    struct wizard *w;
    enum wv_stage stage;
    /* page 0: name and subscription */
    size_t f_name, f_sub;
    struct vec sub_ids; /* char *, in the order of the choice */
    size_t sub_choice;
    char *name, *sub_id; /* as the page was left */
    /* the name check */
    char *seen;         /* "SUB/NAME" last seen on the page */
    int64_t changed_at; /* time_mono_ms() of the last change */
    uint64_t check_job; /* 0: none out */
    enum wv_name_state ns;
    struct kv_name_check *check; /* the last answer (owned) */
    char *check_error;           /* why the check failed */
    bool recheck;                /* after a purge: check again when back */
    /* lists the later pages need, of lists_sub */
    char *lists_sub;
    uint64_t groups_job, locations_job;
    struct vec groups, locations; /* kv_group *, kv_location * */
    bool groups_done, locations_done;
    char *groups_error, *locations_error;
    /* page 1: the group */
    size_t f_group, f_new_group;
    size_t group_choice; /* groups.len: a new one */
    char *new_group;
    /* page 2: regions and SKU */
    size_t f_group_region, f_region, f_sku;
    bool regions_typed;      /* not listed: typed in text fields */
    struct vec region_order; /* char * names, as offered */
    char *location, *group_location;
    bool premium;
    /* page 3: access and deletion */
    size_t f_model, f_assign, f_retention, f_purge;
    bool policies, no_assign, purge_protection;
    char *retention;
    /* page 4: network and tags */
    size_t f_public, f_deny, f_tags;
    bool private_only, deny;
    char *tags;
};

/* wizard-vault-name.c */
struct form *wv_name_page(struct app *a, struct wvault *wv);
bool wv_name_next(struct app *a, struct wvault *wv, struct form *f);
int64_t wv_name_tick(struct app *a, struct wvault *wv, int64_t now);
/* A result of the name check; false when it was not one. */
bool wv_name_result(struct app *a, struct wvault *wv, struct result *r);

/* wizard-vault-pages.c: each page's form (NULL while its list loads)
 * and what leaving it keeps (false: it stays, a message under a field). */
struct form *wv_group_page(struct app *a, struct wvault *wv);
bool wv_group_next(struct app *a, struct wvault *wv, struct form *f);
struct form *wv_region_page(struct app *a, struct wvault *wv);
bool wv_region_next(struct app *a, struct wvault *wv, struct form *f);
struct form *wv_access_page(struct app *a, struct wvault *wv);
bool wv_access_next(struct app *a, struct wvault *wv, struct form *f);
struct form *wv_network_page(struct app *a, struct wvault *wv);
bool wv_network_next(struct app *a, struct wvault *wv, struct form *f);
/* The existing group chosen, or NULL for a new one. */
const struct kv_group *wv_group(const struct wvault *wv);

/* wizard-vault.c: asks for subscription sub_id's groups and regions
 * (the later pages' lists), unless they are in or on their way. */
void wv_load_lists(struct app *a, struct wvault *wv, const char *sub_id);
/* wizard-vault.c: the signed-in principal's object id, tenant and type
 * ("User", "ServicePrincipal") into the buffers; false when unknown. */
bool wv_identity(struct app *a, char *oid, char *tenant, char *type, size_t n);

#endif
