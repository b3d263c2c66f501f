/*
 * doctor.h — `kvdeck doctor`'s checks on the engine side (a DOCTOR job,
 * engine/job-doctor.c): the cloud, proxy variables, the CA in use, DNS
 * and TLS to the sign-in host, Resource Manager and a vault host, the
 * clock against the servers' Date, the credentials available, a token
 * for each audience, and the keyring. The job answers with one DONE
 * whose items are struct doctor_line, in the order of the checks.
 *
 * Ownership: job_doctor() copies everything it is given; the items of
 * the result are the result's (doctor_line_free).
 */
#ifndef KV_ENGINE_DOCTOR_H
#define KV_ENGINE_DOCTOR_H

#include <stdbool.h>

#include "base/secmem.h"
#include "engine/job.h"

enum doctor_level { DOCTOR_OK, DOCTOR_WARN, DOCTOR_FAIL };

/* One line of the report: "ok  cloud  — AzureCloud (built-in) ...". */
struct doctor_line {
    enum doctor_level level;
    char *what;   /* the check, translated ("DNS and TLS: Resource Manager") */
    char *detail; /* what was found and what to do, translated */
    char *key;    /* a stable name for --json ("tls-arm") */
};

/* What the configuration says, for the checks (all borrowed). */
struct doctor_input {
    const char *ca_file;     /* ca-file, or NULL */
    const char *vault;       /* vault = NAME|URI, or NULL */
    bool config_secret;      /* client-secret = is set */
    const char *certificate; /* client-certificate =, or NULL */
    const struct secret *certificate_password;
    const char *tenant, *client_id; /* the configuration's, or NULL */
    bool managed_identity;          /* managed-identity = yes */
    const char *auth;               /* --auth or auth =, or NULL */
};

/* JOB_DOCTOR's parameters (owned copies of struct doctor_input). */
struct job_doctor {
    char *ca_file, *vault, *certificate, *tenant, *client_id, *auth;
    struct secret *certificate_password;
    bool config_secret, managed_identity;
};

struct job *job_doctor(const struct doctor_input *in);
/* "ok", "warn", "fail" (static, untranslated: the report's first word). */
const char *doctor_level_name(enum doctor_level l);
void doctor_line_free(void *line);

#endif
