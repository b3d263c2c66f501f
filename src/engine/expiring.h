/*
 * expiring.h — secrets that expire (or are due for rotation) across many
 * vaults, issue #12: the model struct the engine delivers
 * (struct kv_expiring_row), the parameters of JOB_SCAN_EXPIRING and the
 * pure rules both front ends share (which secret is listed, the order,
 * the "time left" text). The worker side is engine/job-expiring.c.
 *
 * What is listed, for DAYS days ahead at time now:
 *  - a secret with an expiry (exp) at or before now + DAYS days; one
 *    whose exp is past is "expired";
 *  - a secret without an expiry whose tag rotation-days = N (a positive
 *    whole number of days) makes its rotation due at updated + N days:
 *    listed when that is at or before now + DAYS days (or past);
 *  - a vault that could not be read: one row saying so (not readable:
 *    403, or refused by network with no Resource Manager listing to fall
 *    back on; failed: any other error).
 * Order (kv_expiring_cmp): expired secrets first, then by due time,
 * soonest first; the vault rows last, by vault name.
 *
 * Ownership: a row owns its strings (kv_expiring_row_free()). The job's
 * parameters own theirs (job_free()).
 */
#ifndef KV_ENGINE_EXPIRING_H
#define KV_ENGINE_EXPIRING_H

#include <stdbool.h>
#include <stdint.h>

#include "base/vec.h"
#include "engine/job.h"
#include "engine/model.h"

#define KV_EXPIRING_DAYS    30 /* DAYS when none is given */
#define KV_EXPIRING_AT_ONCE 8  /* vaults listed at the same time */

enum kv_expiring_kind {
    KV_EXPIRING_SECRET,     /* a secret that expires or is due */
    KV_EXPIRING_VAULT_DONE, /* a vault listed to its end (not shown; each
                               vault ends with exactly one row of this
                               kind or of the two below) */
    KV_EXPIRING_UNREADABLE, /* the vault may not be read by kvdeck */
    KV_EXPIRING_FAILED,     /* the vault's list failed otherwise */
};

struct kv_expiring_row {
    enum kv_expiring_kind kind;
    char *vault_name; /* always set */
    char *vault_uri;  /* data-plane base, or NULL */
    char *vault_id;   /* ARM id, or NULL */
    /* secrets */
    char *name;
    char *content_type; /* NULL when none */
    int64_t expires;    /* exp, 0 when none */
    int64_t updated;    /* 0 when unknown */
    int rotation_days;  /* the rotation-days tag, 0 when none (or exp) */
    int64_t due;        /* expires, or updated + rotation_days days */
    bool expired;       /* exp is past */
    bool enabled;
    bool managed; /* backs a certificate */
    bool via_arm; /* listed through Resource Manager (the data plane
                     refused this host by network) */
    /* vault rows (UNREADABLE, FAILED): why, for a person, e.g.
     * "Forbidden (the caller may not list secrets)"; NULL otherwise */
    char *error;
    long http_status;
    size_t scanned; /* VAULT_DONE: secrets listed in the vault */
};

/* One vault to scan (strings owned by the job). */
struct job_expiring_vault {
    char *name;
    char *uri; /* NULL: listed through Resource Manager only (needs id) */
    char *id;  /* NULL: no Resource Manager fallback */
};

struct job_expiring {  /* JOB_SCAN_EXPIRING */
    struct vec vaults; /* struct job_expiring_vault * */
    int days;          /* DAYS ahead, >= 0 */
    int at_once;       /* vaults listed at the same time; 0: the default */
    int64_t now;       /* the scan's "now" (unix s); 0: when it starts */
};

/* A scan of DAYS days ahead over the vaults added next. */
struct job *job_scan_expiring(int days);
/* Adds a vault (strings copied; uri or id may be NULL, not both). */
void job_expiring_add_vault(struct job *j, const char *name, const char *uri,
                            const char *id);
/* The parameters, typed; NULL for another kind. */
struct job_expiring *job_expiring(const struct job *j);

void kv_expiring_row_free(struct kv_expiring_row *r); /* NULL is fine */

/* The rotation-days tag as a number of days, 0 when absent or not a
 * positive whole number (at most 36500). */
int kv_expiring_rotation_days(const struct kv_tags *tags);
/* Decides whether a secret is listed (see the top): true and *due,
 * *rotation_days set when it is. */
bool kv_expiring_pick(const struct kv_secret_attrs *at,
                      const struct kv_tags *tags, int days, int64_t now,
                      int64_t *due, int *rotation_days);
/* The row of a listed secret of vault vr (strings copied), or NULL when
 * the secret is not listed. */
struct kv_expiring_row *kv_expiring_row_secret(
    const struct job_expiring_vault *vr, const char *name,
    const char *content_type, const struct kv_secret_attrs *at,
    const struct kv_tags *tags, bool managed, int days, int64_t now);
/* qsort comparator on struct kv_expiring_row ** (see Order above). */
int kv_expiring_cmp(const void *a, const void *b);
/* "in 20d 0h", "expired 10d 0h ago", "rotation overdue 3d 2h" — the
 * time left of a row at now, for a person (translated). */
void kv_expiring_left(const struct kv_expiring_row *r, int64_t now, char *out,
                      size_t n);
/* Whole days from now to the row's due time, rounded toward zero
 * (negative when past): the JSON's days_left. */
long kv_expiring_days_left(const struct kv_expiring_row *r, int64_t now);

#endif
