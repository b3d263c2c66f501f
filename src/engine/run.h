/*
 * run.h — the worker's side of a job: what a job type's start/cancel
 * functions get (struct job_run) and how they report (run_push, run_done,
 * run_fail). Engine-internal: the UI never includes it.
 *
 * A run ends exactly once, with run_done() or run_fail() (or, when it is
 * cancelled, by the worker calling the type's cancel and then freeing the
 * run); after that the run pointer is gone. Results pushed for a job the
 * UI cancelled are dropped on the way.
 *
 * Threading: the worker thread only.
 */
#ifndef KV_ENGINE_RUN_H
#define KV_ENGINE_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "azure/client.h"
#include "azure/ops.h"
#include "engine/job.h"

struct engine;
struct worker;

struct job_run {
    struct worker *w;
    struct engine *e;
    struct az_client *client;
    uint64_t id;
    struct job *job;
    void *state;      /* the type's own (e.g. its az_op), set by start */
    unsigned page;    /* PAGE results pushed so far */
    bool finished;    /* the terminal result was pushed */
    bool interrupted; /* engine_interrupt(): stop at the next safe point */
};

/* Queues r (taken) for the UI, stamped with the job's id, generation,
 * owner and item free function. Not for DONE/ERROR: use run_done() and
 * run_fail(). */
void run_push(struct job_run *run, struct result *r);
/* Pushes a PAGE with the items of *items (taken; the vector is left
 * empty) and more. */
void run_page(struct job_run *run, struct vec *items, bool more);
/* Pushes a PROGRESS with text. */
void run_progress(struct job_run *run, const char *text);
/* Ends the run: DONE, or ERROR from f (copied). r may carry extras for
 * the terminal result (e.g. the plan); it is taken; NULL makes one. */
void run_done(struct job_run *run, struct result *r);
void run_fail(struct job_run *run, const struct az_failure *f,
              struct result *r);
/* run_fail() with a status and message of our own. */
void run_fail_msg(struct job_run *run, enum kv_status st, const char *msg);

/* The azure callbacks every op-based job uses: pages to run_page,
 * secrets to a PAGE with r->value, waits to PROGRESS, done to run_done /
 * run_fail (ud is the run). */
extern const struct az_op_cb run_op_cb;

/* What the read jobs share (job-read.c): a parameter is given (not
 * NULL, not empty); ending a run whose job lacks one; cancelling the
 * az_op kept in run->state; freeing job_scope and job_vault_ref. */
bool run_param_set(const char *s);
void run_missing(struct job_run *run);
void run_op_cancel(struct job_run *run);
void job_scope_free(void *params);
void job_vault_ref_free(void *params);

/* The kinds (job-read.c, plan-run.c). */
extern const struct job_type job_type_list_subscriptions;
extern const struct job_type job_type_list_tenants;
extern const struct job_type job_type_list_groups;
extern const struct job_type job_type_list_vaults;
extern const struct job_type job_type_get_vault;
extern const struct job_type job_type_list_secrets;
extern const struct job_type job_type_list_versions;
extern const struct job_type job_type_get_secret_value;
extern const struct job_type job_type_list_endpoint_connections;
extern const struct job_type job_type_list_deleted_secrets;
extern const struct job_type job_type_plan;
extern const struct job_type job_type_tokens; /* tokens.c */
extern const struct job_type job_type_doctor; /* job-doctor.c */
/* job-vault.c */
extern const struct job_type job_type_list_locations;
extern const struct job_type job_type_check_vault_name;
extern const struct job_type job_type_list_deleted_vaults;
/* job-network.c (issue #10) */
extern const struct job_type job_type_list_vnets;
extern const struct job_type job_type_list_dns_zones;
extern const struct job_type job_type_list_vnet_links;
extern const struct job_type job_type_get_permissions;
extern const struct job_type job_type_check_dns;
extern const struct job_type job_type_list_arm_secrets;
extern const struct job_type job_type_get_private_endpoint;
/* job-graph.c (issue #12, Resource Graph) */
extern const struct job_type job_type_graph_vaults;
/* job-expiring.c (issue #12); its parameters' free (expiring.c) */
extern const struct job_type job_type_scan_expiring;
/* job-cognitive.c (issue #13) */
extern const struct job_type job_type_list_ai_accounts;
void job_expiring_free(void *params);

#endif
