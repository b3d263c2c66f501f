/*
 * arm-net.h — helpers the Network provider files (arm-net.c, arm-pe.c)
 * share. Strings returned are malloc'd and owned by the caller.
 */
#ifndef KV_SIM_ARM_NET_H
#define KV_SIM_ARM_NET_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "sim/arm.h"

/* Answers pretty JSON like the Network RP; takes ownership of body. */
void arm_net_json(struct arm_ctx *cx, int status, cJSON *body);
/* A long-running operation record lasting the configured delay. */
char *arm_net_new_op(struct arm_ctx *cx, const char *kind);
/* "Succeeded" (or "Failed": arm_state) once the doc's _readyAt has
 * passed, else "Updating". */
const char *arm_net_state(const cJSON *doc);
/* The normalised location of a body, or false after answering 400. */
bool arm_net_location(struct arm_ctx *cx, const cJSON *body, char **out);
/* [{"id": PE id}] of the endpoints in a subnet (caller deletes). */
cJSON *arm_net_subnet_endpoints(struct sim *sim, const char *sub,
                                const char *subnet_id);
/* Answers 202 for a Network delete with both operation headers. */
void arm_net_deleted(struct arm_ctx *cx, const char *loc);

#endif
