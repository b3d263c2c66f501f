/*
 * plan.h — a plan: every change kvdeck makes to Azure is an ordered list
 * of steps the user reviews before anything is sent ("terraform plan"),
 * then runs on the worker step by step, each step reported as it goes.
 *
 *     struct plan *p = plan_secret_set(&args);   // pure: no network
 *     for (size_t i = 0; i < plan_steps(p); i++)  // the review
 *         puts(plan_step_text(p, i));
 *     uint64_t id = engine_submit(e, job_plan(p, PLAN_APPLY)); // p handed over
 *     ... RESULT_STEP results: r->step, r->step_state, r->message ...
 *     ... terminal DONE or ERROR: r->plan is the plan, handed back ...
 *
 * A failed step stops the plan. The plan that comes back in the terminal
 * result says what was done and what was not (plan_report()), and can be
 * sent again: PLAN_RETRY runs from the failed step on, PLAN_ROLLBACK runs
 * the undo of every done step in reverse order (only when
 * plan_can_roll_back()). "Leave as is" is simply plan_free().
 *
 * engine_interrupt() stops a running plan between steps: the step in
 * flight finishes (a write cut half way would leave Azure in a state
 * nobody knows), later steps stay pending, and the terminal result is an
 * ERROR with status KV_ERR_CANCELLED carrying the plan.
 *
 * Each step outcome is written to the journal (engine/journal.h) by the
 * worker before it is reported. A plan never holds a value in ordinary
 * memory: new values live in a struct secret (secure memory) owned by
 * the plan and wiped by plan_free().
 *
 * Threading and ownership: a plan belongs to one thread at a time. The UI
 * builds it and owns it until job_plan() hands it to the engine; the
 * worker owns it while it runs; the terminal result hands it back
 * (r->plan, owned by the result until taken: set r->plan = NULL). Never
 * touch a plan the engine holds; the RESULT_STEP results carry copies of
 * everything the screen needs.
 */
#ifndef KV_ENGINE_PLAN_H
#define KV_ENGINE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/secmem.h"
#include "base/status.h"
#include "engine/model.h"

enum step_state {
    STEP_PENDING, /* not started */
    STEP_RUNNING,
    STEP_DONE,
    STEP_FAILED,
    STEP_SKIPPED, /* not needed after all (e.g. nothing to retire) */
    STEP_UNDONE,  /* done, then rolled back */
};

enum plan_mode {
    PLAN_APPLY,    /* from the first pending step */
    PLAN_RETRY,    /* from the failed step (then what follows) */
    PLAN_ROLLBACK, /* undo the done steps, last first */
};

/* What Azure said when a step failed (copied; owned by the plan). */
struct plan_failure {
    enum kv_status status;
    long http_status;
    char *code;       /* Azure's error.code or NULL */
    char *inner_code; /* innermost innererror.code or NULL */
    char *message;    /* a sentence for a person */
    char *request_id; /* NULL when none */
    char *advice;     /* kvdeck's reading of it, for a person: what is
                         missing and what to do (e.g. the role that has
                         listKeys); NULL when none */
    bool unknown;     /* the write was accepted and then lost sight of: it
                         may be in place (a retry looks again) */
};

struct plan;

/* "rotate", "secret-set", ... (static; the journal's plan kind). */
const char *plan_kind(const struct plan *p);
/* A one-line title for the review ("Rotate openai-api-key in kv-x"). */
const char *plan_title(const struct plan *p);
/* A random UUID naming this plan in the journal. */
const char *plan_id(const struct plan *p);
size_t plan_steps(const struct plan *p);
/* The step's sentence ("Write a new version of NAME in VAULT"). */
const char *plan_step_text(const struct plan *p, size_t i);
/* The operation's name for the journal ("secret-set"). */
const char *plan_step_op(const struct plan *p, size_t i);
/* The resource the step changes (ARM id or data-plane URL), or NULL. */
const char *plan_step_target(const struct plan *p, size_t i);
enum step_state plan_step_state(const struct plan *p, size_t i);
/* The last progress text of the step, or NULL. */
const char *plan_step_progress(const struct plan *p, size_t i);
/* The failure of a FAILED step, else NULL. */
const struct plan_failure *plan_step_failure(const struct plan *p, size_t i);
/* Whether the step writes (false: a read or a check). --read-only and
 * --dry-run refuse plans with a writing step. */
bool plan_step_writes(const struct plan *p, size_t i);
/* Whether a done step can be undone. */
bool plan_step_has_undo(const struct plan *p, size_t i);
/* Irreversible or access-closing: the review asks for this name typed
 * (NULL when no typed confirmation is needed). */
const char *plan_confirm_name(const struct plan *p);
/* True when any step writes. */
bool plan_writes(const struct plan *p);
/* True when the plan stopped at a failed step. */
bool plan_failed(const struct plan *p);
/* True when every step is DONE or SKIPPED. */
bool plan_finished(const struct plan *p);
/* True when at least one step is done and every done step has an undo. */
bool plan_can_roll_back(const struct plan *p);
/* A report for a person: each step with its state, then Azure's error
 * with its request id, and what now exists. Caller frees. */
char *plan_report(const struct plan *p);
/* "pending", "running", "done", "failed", "skipped", "undone"
 * (translated). */
const char *step_state_name(enum step_state st);
/* Untranslated, for the journal and --json. */
const char *step_state_key(enum step_state st);
void plan_free(struct plan *p); /* wipes values; NULL is fine */

/* ---- what a plan produced (for the screens and --json) --------------- */

/* The secret version a write step created or changed (NULL until then;
 * borrowed from the plan). Metadata only, never a value. */
const struct kv_secret_version *plan_result_version(const struct plan *p);
/* The new value a set/rotate plan wrote (secure memory, borrowed; NULL for
 * other plans). Wiped by plan_free(). */
const struct secret *plan_new_value(const struct plan *p);
/* The rotate plan verified the value read back equals the value written. */
bool plan_verified(const struct plan *p);

/* ---- building secret plans (plan-secret.c; pure) -------------------- */

enum retire_mode {
    RETIRE_KEEP,  /* the old version stays enabled */
    RETIRE_NOW,   /* disable it once the new one is verified */
    RETIRE_LATER, /* record a retirement due after retire_after seconds */
};

/* What the user asked for. Strings are borrowed (the builders copy
 * them); value is taken (secure memory; the plan wipes it). */
struct secret_change {
    const char *vault_uri;  /* data-plane base */
    const char *vault_name; /* for the sentences */
    const char *name;
    struct secret *value; /* set/rotate: the new value (taken) */
    const char *content_type; /* NULL: not sent */
    bool has_expires, has_not_before, has_enabled, has_tags;
    int64_t expires, not_before; /* 0 with has_*: clear it */
    bool enabled;
    const struct kv_tags *tags;
    /* edit: the version changed and its attributes now (for the undo);
     * rotate: the latest version as reviewed (refused if it changed) */
    const struct kv_secret_version *current;
    /* copy: where to */
    const char *to_vault_uri, *to_vault_name, *to_name;
    /* rotate */
    enum retire_mode retire;
    int64_t retire_after; /* seconds, RETIRE_LATER */
    /* set: true for a new secret (the name must be free); false for a new
     * version of an existing one */
    bool create;
};

/* A secret's name as Key Vault accepts it: 1-127 of 0-9 a-z A-Z and '-'.
 * Returns NULL when valid, else a message (static, translated). */
const char *plan_check_secret_name(const char *name);

/* New secret / new version: [check the name is free | read the latest
 * version], write, read back and compare. */
struct plan *plan_secret_set(struct secret_change *c);
/* Edit a version's attributes (PATCH); undo restores c->current's. */
struct plan *plan_secret_edit(struct secret_change *c);
/* Copy the latest value, content type, tags and expiry to another vault. */
struct plan *plan_secret_copy(struct secret_change *c);
/* Soft delete (undo: recover); typed confirmation of the name. */
struct plan *plan_secret_delete(struct secret_change *c);
/* Recover a deleted secret (undo: delete). */
struct plan *plan_secret_recover(struct secret_change *c);
/* Purge a deleted secret: irreversible; typed confirmation. */
struct plan *plan_secret_purge(struct secret_change *c);
/* Rotate: check the latest is still c->current, write the new value with
 * c's attributes (tags carried over plus rotated-at, by the caller), read
 * it back and compare in constant time, then retire the old version as
 * c->retire says. Any failure leaves the old version enabled. */
struct plan *plan_rotate(struct secret_change *c);
/* A rotation's defaults, shared by the wizard and `secret rotate`: the
 * new version's expiry is now + the rotation-days tag (days), else the
 * rotation tag (a duration such as 90d), else 90 days; its tags are the
 * old ones plus rotated-at (ISO 8601 of now). */
int64_t plan_rotation_expiry(const struct kv_tags *tags, int64_t now);
void plan_rotation_tags(struct kv_tags *tags, int64_t now);

/* Disable one version now (a due retirement from :pending). */
struct plan *plan_secret_disable(struct secret_change *c);

/* ---- vault plans (plan-vault*.c; pure) --------------------------------
 *
 * The create-a-vault wizard and `kvdeck vault create` build the same plan
 * from a struct vault_spec: [create the group] → PUT the vault and wait
 * for provisioningState Succeeded (following the LRO) → with RBAC, assign
 * "Key Vault Secrets Officer" on the vault to the signed-in principal
 * (skipped when assign_role is false) → wait until the data plane
 * answers this principal (a secret list returns 200; the step's progress
 * says what it waits for: DNS, 401/403 during role propagation, and for
 * how long). Access policies instead of RBAC: the principal gets a
 * policy with every secret permission in the PUT itself.
 *
 * As run (plan-vault-ops.c, plan-vault-wait.c), the steps' ops are
 * "group-create", "vault-create", "role-assign", "vault-wait" (recover:
 * "vault-recover", "vault-wait"; the others one step each:
 * "vault-delete", "vault-purge", "vault-update"). RESULT_STEP messages:
 * the LRO's "Creating or updating… (provisioningState: RegisteringDns);
 * next check in 1 s"; the role's "the role was already assigned" (a 409
 * RoleAssignmentExists counts as done) or "the principal is not known to
 * Azure RBAC yet (PrincipalNotFound); trying again in 3 s"; the wait's
 * "waiting for NAME: WHY (N s)" with WHY one of "DNS not resolving yet",
 * "no answer yet: the name is still being registered (DNS)", "403
 * ForbiddenByRbac: the role assignment is propagating", "403 CODE: the
 * access is propagating", "401: ...", "404: ...", then "the vault answers
 * (after N s)". The wait polls after 250 ms, the pause doubling to one
 * second (vault writes' operations: every 500 ms), for at most 10 minutes
 * (then KV_ERR_TIMEOUT: retry waits again); a firewall or disabled
 * public access (403 ForbiddenByFirewall/ForbiddenByConnection) makes it
 * SKIPPED with a progress saying so, as does any 403 when the plan gave
 * the principal no role or policy (recover; create without the role:
 * "the vault answers, but does not let you in (403 ForbiddenByRbac): ...
 * not waited for"); any other failure stops the plan.
 * engine_interrupt() during the wait (or a PrincipalNotFound pause) ends
 * that step FAILED with KV_ERR_CANCELLED; PLAN_RETRY resumes there.
 * A taken name fails the vault step with Azure's code (VaultAlreadyExists,
 * or 409 ConflictError for a soft-deleted one) and a message saying what
 * to do. Undo: vault-create/-recover → delete; vault-delete → recover;
 * tags → the old tags; role-assign → DELETE it; a new group, a purge and
 * purge protection have none (the report says what is in place).
 * plan_result_vault(): the vault from the last vault-create,
 * vault-recover or vault-update answer (Azure's body, decoded). */
struct vault_spec {
    const char *subscription_id;
    const char *resource_group;
    const char *name;
    const char *location;       /* the vault's region */
    bool create_group;          /* the group is new: create it first */
    const char *group_location; /* its region; NULL: location */
    bool premium;               /* sku premium, else standard */
    bool rbac;                  /* enableRbacAuthorization */
    int retention_days;         /* softDeleteRetentionInDays 7..90; 0: 90 */
    bool purge_protection;      /* enablePurgeProtection (irreversible) */
    bool public_access;         /* publicNetworkAccess Enabled/Disabled */
    bool default_deny;          /* networkAcls.defaultAction Deny/Allow */
    const struct kv_tags *tags; /* NULL: none */
    const char *tenant_id;      /* properties.tenantId: the signed-in one */
    const char *principal_id;   /* object id of the signed-in principal
                                   (role assignment / access policy); NULL:
                                   none (then no role step, no policy) */
    const char *principal_type; /* "User" or "ServicePrincipal" */
    bool assign_role;           /* RBAC: the Secrets Officer step */
    bool wait_data_plane;       /* the last step: wait for a 200 */
    const char *vault_uri;      /* the data plane to wait for
                                   (engine_vault_uri()) */
};

/* A vault's name as Azure accepts it: 3-24 of a-z A-Z 0-9 and '-',
 * starting with a letter, ending with a letter or digit, no "--".
 * Returns NULL when valid, else a message (static, translated). */
const char *plan_check_vault_name(const char *name);
/* A resource group's name: 1-90 of letters, digits, '_', '-', '.', '(',
 * ')', not ending in '.'. NULL when valid, else a message. */
const char *plan_check_group_name(const char *name);
/* The create plan (see above). Strings are copied. */
struct plan *plan_vault_create(const struct vault_spec *s);
/* Recover a soft-deleted vault (PUT with createMode recover into its
 * former group and region), then wait for its data plane as above. */
struct plan *plan_vault_recover(const struct kv_deleted_vault *d,
                                const char *tenant_id,
                                const char *vault_uri, bool wait_data_plane);
/* Delete a vault (soft: recoverable for its retention days): typed
 * confirmation of the name. The review says until when it can be
 * recovered, and that purge protection forbids purging. */
struct plan *plan_vault_delete(const struct kv_vault *v);
/* Purge a deleted vault (POST .../deletedVaults/NAME/purge, an LRO):
 * irreversible, typed. Refused by the builder (NULL, *why set) while
 * purge protection holds it. */
struct plan *plan_vault_purge(const struct kv_deleted_vault *d,
                              const char **why);
/* Replace the vault's tags (PATCH); undo restores v's. */
struct plan *plan_vault_tags(const struct kv_vault *v,
                             const struct kv_tags *tags);
/* Turn purge protection on (PATCH): irreversible, typed. */
struct plan *plan_vault_purge_protection(const struct kv_vault *v);
/* The vault a create/recover/tags plan left, as Azure returned it
 * (borrowed from the plan), or NULL. */
const struct kv_vault *plan_result_vault(const struct plan *p);

/* ---- the vault's network (issue #10; plan-network*.c; pure) -----------
 *
 * Network edits: one PATCH of the vault carrying publicNetworkAccess and
 * the whole networkAcls (Azure replaces the object), built from the vault
 * as read plus the change; undo PATCHes the vault's values back. Turning
 * public network access off (or default action Deny with no rule that
 * admits this host) closes access: typed confirmation of the vault's name.
 * Op "vault-network". The review's sentences name every change ("Turn
 * public network access off", "Add IP rule 203.0.113.0/24"). */
struct network_change {
    int public_access;  /* -1 leave, 0 Disabled, 1 Enabled */
    int default_deny;   /* -1 leave, 0 Allow, 1 Deny */
    const char *add_ip, *remove_ip;         /* NULL: none (validated,
                                               az_check_ip_rule) */
    const char *add_subnet, *remove_subnet; /* subnet ids, or NULL */
};
/* A Key Vault IP rule (an IPv4 address or CIDR) as typed: NULL when
 * valid, else a message (static, translated); *norm (may be NULL) gets
 * the form to send and compare ("203.0.113.7/32"; caller frees). For the
 * front ends, which do not call azure/ themselves (az_check_ip_rule). */
const char *plan_check_ip_rule(const char *s, char **norm);
/* NULL with *why (static, translated) when the change is invalid or
 * changes nothing (a rule already there / not there, a bad CIDR). */
struct plan *plan_vault_network(const struct kv_vault *v,
                                const struct network_change *c,
                                const char **why);

/* Private endpoint connections of a vault: approve or reject (PUT the
 * connection's state with a description; the step waits until Azure says
 * Succeeded), remove (DELETE, an LRO). Reject and remove cut the
 * endpoint's access: typed confirmation of the connection's name. Ops
 * "pec-approve", "pec-reject", "pec-remove"; no undo (Azure has none: a
 * rejected connection cannot be approved again). */
enum pec_action { PEC_APPROVE, PEC_REJECT, PEC_REMOVE };
struct plan *plan_endpoint_connection(const struct kv_endpoint_connection *c,
                                      const char *vault_name,
                                      enum pec_action a,
                                      const char *description);

/* Attach a private endpoint (the wizard and `kvdeck endpoint attach`):
 *   [subnet-policy]  PUT the subnet with privateEndpointNetworkPolicies
 *                    Disabled (when set_subnet_policy)
 *   pe-create        PUT the endpoint (LRO) in the VNet's region
 *   [dns-zone]       PUT the private DNS zone (dns == ATTACH_DNS_NEW_ZONE)
 *   [dns-link]       PUT its VNet link (unless link_exists, or NO_DNS)
 *   [zone-group]     PUT the endpoint's zone group (unless NO_DNS)
 *   pec-wait         automatic: poll the endpoint until its connection
 *                    is Approved (progress: the state, the seconds);
 *                    manual: DONE at once with progress "Pending — ask
 *                    the vault's owner" (plan_attach_pending() true)
 *   dns-check        (a read) resolve the vault's host here and compare
 *                    with the endpoint's private address; never fails:
 *                    its progress is the result
 *   [public-off]     PATCH publicNetworkAccess Disabled (when
 *                    close_public_access, automatic approval only). If
 *                    the dns-check found this host outside and the
 *                    review did not warn (check_outside false), the
 *                    step FAILS before sending, saying why: the vault
 *                    stays open, nothing is lost.
 * Undo of the new resources: DELETE them (last first); of the subnet
 * policy: PUT the old policy; of public-off: PATCH Enabled. A dns zone or
 * link that existed is not touched by the undo. confirm_name: the
 * vault's name when close_public_access and check_outside (the review
 * warned that kvdeck itself loses data-plane access). */
enum attach_dns {
    ATTACH_DNS_NEW_ZONE,   /* create zone_name in zone_group */
    ATTACH_DNS_REUSE_ZONE, /* zone_id exists */
    ATTACH_DNS_NONE,       /* "I manage DNS myself" */
};
struct attach_spec {
    const struct kv_vault *vault;
    const struct kv_vnet *vnet;
    const struct kv_subnet *subnet;
    bool set_subnet_policy;        /* subnet's policy must become Disabled */
    const char *endpoint_name;     /* plan_attach_default_name() */
    const char *endpoint_group;    /* its resource group (the VNet's
                                      subscription) */
    enum attach_dns dns;
    const char *zone_name;   /* the cloud's privatelink zone name */
    const char *zone_group;  /* NEW_ZONE: the group to create it in */
    const char *zone_id;     /* REUSE_ZONE: the zone's id */
    bool link_exists;        /* the zone is already linked to the VNet */
    bool manual;             /* request approval from the vault's owner */
    const char *request_message; /* manual: the message sent */
    bool close_public_access;
    bool check_outside;      /* the review's DNS check: this host is
                                outside (warned; name typed) */
};
/* "pe-VAULT" (trimmed to Azure's 64 characters). Caller frees. */
char *plan_attach_default_name(const char *vault_name);
/* An endpoint name as Network takes it: 2-64 of letters, digits, '_',
 * '-', '.', starting with a letter or digit, ending with a letter, digit
 * or '_'. NULL when valid, else a message. */
const char *plan_check_endpoint_name(const char *name);
/* NULL when s lacks the vault, VNet or subnet, the endpoint's name or
 * group is invalid, or the DNS mode's zone (name and group, or id) is
 * missing. */
struct plan *plan_attach(const struct attach_spec *s);
/* After an attach plan ran: its endpoint as last read (borrowed), the
 * dns-check's result (borrowed; NULL when it did not run), and whether
 * it ended waiting for a manual approval. */
const struct kv_private_endpoint *plan_result_endpoint(const struct plan *p);
const struct kv_dns_check *plan_result_dns(const struct plan *p);
bool plan_attach_pending(const struct plan *p);

/* Set or rotate a secret through Resource Manager, for a vault whose
 * data plane this host cannot reach (publicNetworkAccess Disabled,
 * firewall): [arm-secret-latest: GET the ARM secret; rotate: refuse if
 * its version is no longer c->current's] → arm-secret-set (PUT, the value
 * in secure memory) → arm-secret-verify (GET it again: the version is new
 * and the attributes are those written; the value cannot be read back
 * through Resource Manager, and the step's progress says so: plan_verified
 * stays false). Never disables the old version (Resource Manager cannot
 * disable one version): c->retire must be RETIRE_KEEP or the builder
 * refuses (NULL; c->value then stays the caller's). Kinds
 * "secret-set-arm", "rotate-arm"; with c->create (set), the first step
 * checks that the name is free instead ("arm-secret-check-absent"). */
struct plan *plan_secret_set_arm(struct secret_change *c,
                                 const char *vault_id, bool rotate);

#endif
