/*
 * fault.h — deterministic fault injection: latency, 429 with
 * Retry-After, 5xx, dropped connections, slow bodies and malformed JSON,
 * each optionally scoped by area, method and path prefix.
 *
 * Rules come from --fault SPEC, KVSIM_FAULTS (specs separated by ';')
 * or the control endpoint. A SPEC is "KIND[,key=value]...": KIND one of
 * latency, throttle, error, drop, slow, malformed; keys every=N, p=PROB,
 * count=N, path=PREFIX, area=arm|vault|login|graph, method=M, ms=,
 * jitter=, status=, retry-after=, bps=. Decisions depend only on the
 * seed and the order of matching requests. Thread-safe.
 */
#ifndef KV_SIM_FAULT_H
#define KV_SIM_FAULT_H

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
};

struct faults *faults_new(uint64_t seed);
void faults_free(struct faults *f);
enum kv_status faults_add_spec(struct faults *f, const char *spec,
                               char **why);
/* {"kind":..., "every":..., ...} with the keys of a spec. */
enum kv_status faults_add_json(struct faults *f, const cJSON *rule,
                               char **why);
void faults_clear(struct faults *f);
void faults_set_seed(struct faults *f, uint64_t seed);
/* The rules and their counters (caller deletes). */
cJSON *faults_to_json(struct faults *f);
/* Decides what happens to one request; d is zeroed first. */
void faults_decide(struct faults *f, enum sim_area area, const char *method,
                   const char *path, struct fault_decision *d);

#endif
