/*
 * job-doctor-int.h — what the DOCTOR job's files share: the running
 * doctor (struct doctor), the check ops table, and the checks that need
 * no network (job-doctor-local.c). Worker thread only.
 */
#ifndef KV_ENGINE_JOB_DOCTOR_INT_H
#define KV_ENGINE_JOB_DOCTOR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "azure/auth.h"
#include "azure/client.h"
#include "engine/doctor.h"
#include "engine/run.h"

/* How long a probe may take, and the whole job. */
#define DOCTOR_PROBE_MS 3000
#define DOCTOR_LIMIT_MS 6000

/* The hosts probed (DNS, TCP, TLS). */
enum doctor_host { HOST_LOGIN, HOST_ARM, HOST_VAULT, HOST_COUNT };

struct doctor;

/* A check: its line's name and how it runs. start fills the line and
 * returns true when it is done at once, or starts work and returns
 * false: that work ends with doctor_end(). finish (optional) runs when
 * every started check ended (or the time limit hit), for checks that
 * read what others found (the clock reads the probes' Date). cancel
 * (optional) stops work in flight. */
struct doctor_check_ops {
    const char *key;  /* for --json: "tls-arm" */
    const char *what; /* N_() */
    bool (*start)(struct doctor *d, size_t i);
    void (*finish)(struct doctor *d, size_t i);
    void (*cancel)(struct doctor *d, size_t i);
    int host; /* the probe checks: their enum doctor_host */
};

struct doctor_probe {
    struct doctor *d;
    int host;
    size_t line;        /* its check's line */
    char *url;          /* what is asked: https://HOST[:PORT]/ */
    uint64_t http_id;   /* the transfer in flight, 0 when none */
    int64_t started_ms; /* time_mono_ms() */
    bool fallback;      /* asking the vault suffix itself */
};

struct doctor {
    struct job_run *run;
    const struct job_doctor *p;
    const struct az_cloud *cloud;
    struct az_http *http;
    struct az_auth *auth;
    const struct doctor_check_ops *checks;
    size_t n;
    struct doctor_line *lines; /* n, filled as checks end */
    bool *done;                /* n */
    size_t pending;            /* checks started and not ended */
    uint64_t deadline;         /* the client timer of the time limit */
    struct doctor_probe probes[HOST_COUNT];
    char *date[HOST_COUNT];      /* the Date each host answered with */
    int64_t date_at[HOST_COUNT]; /* time_now() when it came */
    bool reached[HOST_COUNT];    /* the host answered over TLS */
    struct doctor_token {
        struct doctor *d;
        int which; /* 0: Resource Manager, 1: Key Vault */
    } token[2];
    size_t sign_in_line; /* the sign-in check's line */
    bool sign_in_started;
    bool login_ended;   /* the sign-in host's probe ended */
    uint64_t waiter[2]; /* sign-in: ARM, Key Vault token fetches */
    char *token_why[2]; /* a fetch's failure, or NULL */
    bool token_ok[2], token_done[2];
    char *identity; /* who the ARM token names */
};

/* Sets line i (level, detail taken). Does not end the check. */
void doctor_set(struct doctor *d, size_t i, enum doctor_level level,
                char *detail);
/* Ends check i with that line (detail taken) from a callback. */
void doctor_end(struct doctor *d, size_t i, enum doctor_level level,
                char *detail);

/* job-doctor-local.c: the checks without network. */
bool doctor_check_cloud(struct doctor *d, size_t i);
bool doctor_check_proxy(struct doctor *d, size_t i);
bool doctor_check_ca(struct doctor *d, size_t i);
bool doctor_check_credentials(struct doctor *d, size_t i);
bool doctor_check_keyring(struct doctor *d, size_t i);
/* The host (and :port) of an URL (caller frees). */
char *doctor_host_of(const char *url);

#endif
