/*
 * fault.h — deterministic fault injection: latency, 429 with
 * Retry-After, 5xx, dropped connections, slow bodies, malformed JSON, a
 * corrupted secret value and a write whose answer is lost, each
 * optionally scoped by area, method and path prefix.
 *
 * Rules come from --fault SPEC, KVSIM_FAULTS (specs separated by ';')
 * or the control endpoint. A SPEC is "KIND[,key=value]...": KIND one of
 * latency, throttle, error, drop, slow, malformed, corrupt-value,
 * drop-after-commit, slow-down, claims-challenge, lro-fail, lro-stuck,
 * token-expired; keys every=N,
 * p=PROB, count=N, path=PREFIX, area=arm|vault|login|graph|imds|openai
 * (openai: the AI services accounts' endpoints, cog.h), method=M,
 * ms=, jitter=, status=, retry-after=, bps=, code=. Decisions depend only on
 * the seed and the order of matching requests. Thread-safe.
 *
 * Most kinds are decided when a request arrives (faults_decide). The two
 * late kinds are decided only where they can act, so that every= and
 * count= count those occasions alone: corrupt-value when a secret GET is
 * about to answer 200 with a value, drop-after-commit when an ARM or
 * data-plane write (PUT, PATCH, POST, DELETE) has been handled with a
 * 2xx answer, which is then not sent (faults_fire); slow-down when a
 * device-code poll would answer authorization_pending; claims-challenge
 * when an ARM or data-plane request's token has been verified; lro-fail
 * when an ARM PUT of a resource kind (arm-kind.h) is about to be
 * committed: the PUT is accepted as usual, and its long-running operation
 * ends Failed where it would have succeeded (a vault's provisioningState
 * "Failed", a Network or Private DNS operation's status "Failed" with
 * {"code": code= (default InternalServerError), "message"}); lro-stuck
 * on the same occasion: the PUT is accepted and its operation never ends
 * (InProgress, the resource's provisioningState Creating/Updating, a
 * vault's RegisteringDns) until the resource is PUT again; token-expired
 * when an ARM or data-plane request's token has been verified: it is
 * answered as expired (401, ARM's ExpiredAuthenticationToken, the data
 * plane's "token has expired" with its challenge), as when a token
 * expires mid-plan.
 */
#ifndef KV_SIM_FAULT_H
#define KV_SIM_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/status.h"
#include "sim/sim.h"

enum fault_kind {
    FAULT_NONE,
    FAULT_LATENCY,
    FAULT_THROTTLE,
    FAULT_ERROR,
    FAULT_DROP,
    FAULT_SLOW,
    FAULT_MALFORMED,
    FAULT_CORRUPT_VALUE,
    FAULT_DROP_AFTER_COMMIT,
    FAULT_SLOW_DOWN,        /* a pending device-code poll: slow_down */
    FAULT_CLAIMS_CHALLENGE, /* an authenticated ARM or vault request: 401
                               error="insufficient_claims" */
    FAULT_LRO_FAIL,         /* an ARM PUT accepted, its operation ending
                               Failed */
    FAULT_LRO_STUCK,        /* an ARM PUT accepted, its operation never
                               ending */
    FAULT_TOKEN_EXPIRED,    /* a verified token answered as expired */
};

struct faults *faults_new(uint64_t seed);
void faults_free(struct faults *f);
enum kv_status faults_add_spec(struct faults *f, const char *spec, char **why);
/* {"kind":..., "every":..., ...} with the keys of a spec. */
enum kv_status faults_add_json(struct faults *f, const cJSON *rule, char **why);
void faults_clear(struct faults *f);
void faults_set_seed(struct faults *f, uint64_t seed);
/* The rules and their counters (caller deletes). */
cJSON *faults_to_json(struct faults *f);
/* Decides what happens to one request as it arrives (late kinds are
 * left out); d is zeroed first. */
void faults_decide(struct faults *f, enum sim_area area, const char *method,
                   const char *path, struct fault_decision *d);
/* Decides whether a rule of the late kind fires on this occasion (true:
 * act). f may be NULL. */
bool faults_fire(struct faults *f, enum fault_kind kind, enum sim_area area,
                 const char *method, const char *path);
/* faults_fire, also giving the firing rule's code= in *code (caller frees;
 * NULL when the rule has none, or when nothing fired). */
bool faults_fire_code(struct faults *f, enum fault_kind kind,
                      enum sim_area area, const char *method, const char *path,
                      char **code);

#endif
