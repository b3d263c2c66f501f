/*
 * plan-impl.h — the inside of a plan, shared by the plan builders
 * (plan-secret.c), the pure accessors (plan.c) and the runner on the
 * worker (plan-run.c). Not for the UI: it sees plan.h only.
 *
 * A step is data (text, target, arguments) plus a const struct step_ops
 * that knows how to run it on the worker and how to build its undo. A
 * plan's context (ctx, with ctx_free) carries what its steps share: the
 * new value (secure memory), the version read before writing, the
 * version written.
 */
#ifndef KV_ENGINE_PLAN_IMPL_H
#define KV_ENGINE_PLAN_IMPL_H

#include "azure/client.h"
#include "azure/ops.h"
#include "base/vec.h"
#include "engine/plan.h"

struct plan_exec; /* plan-run.c: a plan running on the worker */
struct plan_step;

struct step_ops {
    const char *op; /* "secret-set": the journal's op name */
    bool writes;    /* changes Azure (false: a read or check) */
    /* journal outcome when done, for a step that writes only the journal
     * ("scheduled"); NULL: "done", journaled when writes */
    const char *done_outcome;
    /* Worker: starts the step. It ends with exactly one plan_exec_step_end()
     * (at once or from a callback). */
    void (*run)(struct plan_exec *x, struct plan_step *s);
    /* Worker: stops the step's request in flight (no callback after). */
    void (*cancel)(struct plan_exec *x, struct plan_step *s);
    /* Pure: a new step undoing s (done), or NULL when Azure has none. */
    struct plan_step *(*undo)(const struct plan *p, const struct plan_step *s);
};

/* Step arguments: what the secret steps need (unused fields NULL/0). */
struct step_args {
    char *vault_uri;
    char *name;
    char *version;      /* the version acted on (PATCH), or NULL */
    char *to_vault_uri; /* copy: the target vault */
    char *to_name;      /* copy: the name there */
    /* attributes to write (PATCH/PUT): has_* say which are sent */
    bool has_enabled, enabled;
    bool has_expires, has_not_before;
    int64_t expires, not_before; /* 0 with has_*: clear (null) */
    char *content_type;          /* NULL: leave out */
    bool has_tags;
    struct kv_tags tags;
    int64_t due; /* retire-later: when (unix seconds) */
    /* Resource Manager writes (the vault plans; no values there) */
    char *arm_id;       /* the resource (or action path) written */
    char *api_version;  /* its api-version */
    char *body;         /* the JSON sent, or NULL */
    bool expect_access; /* vault-wait: the plan gives this principal access
                           (a role or a policy), so a 403 is propagation;
                           else it will not pass: the wait is skipped */
    bool accepted_only; /* vault-create: done once Azure accepted the PUT
                           (the role is assigned while the vault
                           provisions); vault-wait then waits for
                           provisioningState Succeeded on arm_id first */
    bool put_again;     /* vault-wait: the vault ended Failed; a retry PUTs
                           body (the vault-create step's) again first */
    /* attach (plan-attach*.c) */
    bool manual;        /* pec-wait: the connection waits for the vault's
                           owner (no polling: Pending) */
    bool warned;        /* public-off: the review warned that this host is
                           outside (the name was typed) */
};

struct plan_step {
    const struct step_ops *ops;
    char *text;   /* the sentence */
    char *target; /* resource id / URL, or NULL */
    struct step_args args;
    struct step_args undo_args; /* edit: the attributes to restore */
    enum step_state state;
    char *progress;
    bool failed;
    struct plan_failure failure;
    char *request_id;   /* of the step's last answered request */
    char *version;      /* the secret version it wrote or acted on (journal) */
    void *op;           /* the step's azure op in flight, or NULL */
    uint64_t timer;     /* its pause between polls (az_client_after), 0 */
    int phase;          /* the step's own progress through its requests */
    int tries;          /* writes sent (ambiguous-failure resolution) */
    int64_t purge_at;   /* check-absent: a deleted namesake's purge date */
    int64_t started_ms; /* vault-wait: when the waiting began (mono ms) */
};

struct plan {
    const char *kind; /* static */
    char *title;
    char id[37];
    struct vec steps; /* struct plan_step * */
    char *confirm_name;
    /* shared by the steps */
    struct secret *value;   /* new value (set/rotate/copy) */
    char *expected_version; /* rotate: latest at review time */
    char *written_version;  /* the version a write made */
    char *prior_version;    /* the latest version before the write (NULL:
                               none), to tell whether an ambiguous write
                               landed */
    struct kv_secret_version *source; /* copy: the source's metadata */
    struct kv_secret_version *result; /* its metadata */
    bool verified;                    /* read back == written */
    struct kv_vault *vault; /* vault plans: the vault as Azure returned it */
    /* attach (plan-attach*.c): the endpoint as last read, the dns-check's
     * result, and whether the plan ended waiting for a manual approval */
    struct kv_private_endpoint *endpoint;
    struct kv_dns_check *dns;
    bool pending;
    /* rotate-source (plan-source*.c): the account, its keys, which key
     * the secret held (secure memory; wiped by plan_free) */
    struct source_ctx *src;
};

/* Frees a rotate-source context (plan-source.c); NULL is fine. */
struct source_ctx;
void plan_source_ctx_free(struct source_ctx *c);

/* The runner's services to the step ops (plan-run.c; worker only). */
struct az_client *plan_exec_client(struct plan_exec *x);
/* A step's wait cap: cap_ms, or the client's long-running operation
 * budget when that is shorter (KVDECK_WAIT_LIMIT lowers it). */
long plan_wait_cap_ms(struct plan_exec *x, long cap_ms);
struct plan *plan_exec_plan(struct plan_exec *x);
/* The step whose request is in flight (the undo step while rolling back). */
struct plan_step *plan_exec_step(struct plan_exec *x);
/* Progress text for the running step (a STEP result). */
void plan_exec_progress(struct plan_exec *x, const char *text);
/* Ends the running step: done (f NULL), skipped, or failed with f. The
 * runner journals it, reports it and goes on (or stops). */
void plan_exec_step_end(struct plan_exec *x, const struct az_failure *f,
                        bool skipped);
/* Ends the running step failed with f and kvdeck's advice (copied; the
 * plan_failure's advice: what is missing, what to do). */
void plan_exec_step_fail(struct plan_exec *x, const struct az_failure *f,
                         const char *advice);

/* What the secret step files share (plan-secret-ops.c): stop the step's
 * request or timer; keep the last answer's request id for the journal;
 * show a retry wait as progress; end the step with the op's outcome; a
 * step's write arguments as the azure layer takes them. */
void plan_step_cancel(struct plan_exec *x, struct plan_step *s);
void plan_note_request(struct plan_step *s, const struct az_failure *f);
void plan_on_wait(void *ud, const struct az_http_wait *w);
void plan_simple_done(void *ud, const struct az_failure *f);
void plan_to_write(const struct step_args *a, struct az_secret_write *w);

/* The secret steps (plan-secret-ops.c: values; plan-secret-life.c:
 * attributes and life cycle). */
extern const struct step_ops step_secret_absent;  /* GET: 404 expected */
extern const struct step_ops step_secret_latest;  /* GET latest; rotate:
                                                     refuse if changed */
extern const struct step_ops step_secret_set;     /* PUT a version */
extern const struct step_ops step_secret_verify;  /* GET it, compare */
extern const struct step_ops step_secret_update;  /* PATCH attributes */
extern const struct step_ops step_secret_disable; /* PATCH enabled=false */
extern const struct step_ops step_secret_enable;  /* PATCH enabled=true */
extern const struct step_ops step_secret_delete;  /* DELETE (soft) */
extern const struct step_ops step_secret_recover; /* POST recover */
extern const struct step_ops step_secret_purge;   /* DELETE deleted */
extern const struct step_ops step_secret_read;    /* GET the value to copy */
extern const struct step_ops step_retire_later;   /* journal only */

/* The vault steps (plan-vault-ops.c, plan-vault-wait.c). */
extern const struct step_ops step_group_create;  /* PUT a group */
extern const struct step_ops step_vault_create;  /* PUT a vault (LRO) */
extern const struct step_ops step_vault_recover; /* PUT createMode
                                                    recover */
extern const struct step_ops step_vault_delete;  /* DELETE a vault */
extern const struct step_ops step_vault_purge;   /* POST purge (LRO) */
extern const struct step_ops step_vault_update;  /* PATCH (tags, purge
                                                    protection) */
extern const struct step_ops step_role_assign;   /* PUT a role
                                                    assignment */
extern const struct step_ops step_role_unassign; /* DELETE it (undo) */
extern const struct step_ops step_vault_wait;    /* poll the data plane
                                                    until 200 */

/* The network steps (plan-network-ops.c, plan-attach-ops.c,
 * plan-attach-wait.c, plan-secret-arm-ops.c; issue #10). */
extern const struct step_ops step_vault_network; /* PATCH the vault's
                                                    network */
extern const struct step_ops step_pec_approve;   /* PUT the connection's
                                                    state */
extern const struct step_ops step_pec_reject;
extern const struct step_ops step_pec_remove;    /* DELETE a connection */
extern const struct step_ops step_subnet_policy; /* PUT the subnet */
extern const struct step_ops step_pe_create;     /* PUT the endpoint */
extern const struct step_ops step_dns_zone;      /* PUT a private zone */
extern const struct step_ops step_dns_link;      /* PUT its VNet link */
extern const struct step_ops step_zone_group;    /* PUT a zone group */
extern const struct step_ops step_arm_delete;    /* undo: DELETE one of
                                                    those */
extern const struct step_ops step_pec_wait;      /* poll until Approved */
extern const struct step_ops step_dns_check;     /* resolve here */
extern const struct step_ops step_public_off;    /* PATCH Disabled */
extern const struct step_ops step_arm_secret_absent; /* GET: 404 wanted */
extern const struct step_ops step_arm_secret_latest; /* GET (ARM) */
extern const struct step_ops step_arm_secret_set;    /* PUT (ARM) */
extern const struct step_ops step_arm_secret_verify; /* GET it again */

/* The ARM step runner the network steps share (plan-network-ops.c):
 * sends method to args.arm_id with args.api_version and args.body,
 * following the long-running operation (poll_ms when Azure names no
 * interval), each poll as progress; a vault answer becomes p->vault, an
 * endpoint p->endpoint. Ends the step. */
void plan_arm_send(struct plan_exec *x, struct plan_step *s,
                   const char *method, enum az_item_kind kind);

/* The engine's resolve overrides (config "resolve" lines), which the
 * dns-check step looks at first, as every connection does (plan-run.c). */
const struct kv_strlist *plan_exec_resolve(struct plan_exec *x);

/* True when engine_interrupt() asked the running plan to stop (a step
 * that waits a long time looks between polls). */
bool plan_exec_interrupted(struct plan_exec *x);

/* Builders' helpers (plan.c). */
struct plan *plan_new(const char *kind, const char *title);
struct plan_step *plan_add(struct plan *p, const struct step_ops *ops,
                           const char *target, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void plan_step_free(struct plan_step *s);
/* An undo step for the step s: its target, other ops, text and args
 * (copied). */
struct plan_step *plan_undo_step(const struct plan_step *s,
                                 const struct step_ops *ops, const char *text,
                                 const struct step_args *args);
void step_args_copy(struct step_args *dst, const struct step_args *src);
void step_args_clear(struct step_args *a);
void plan_set_progress(struct plan_step *s, const char *text);
void plan_set_failure(struct plan_step *s, const struct plan_failure *f);
void plan_failure_clear(struct plan_failure *f);
struct plan_step *plan_step_at(const struct plan *p, size_t i);

#endif
