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
/* arm-acl.c: a vault's ipRules checked and stored (bare addresses as
 * ADDRESS/32), its virtualNetworkRules checked (each new rule's subnet
 * has the Microsoft.KeyVault service endpoint unless the rule says
 * ignoreMissingVnetServiceEndpoint; old_rules: the vault's before) and
 * stored; *out is the new array (caller deletes); false after answering
 * 400. And whether a subnet admits the private network (it exists and
 * has the Microsoft.KeyVault service endpoint). */
bool arm_acl_ip_rules(struct arm_ctx *cx, const cJSON *ips, cJSON **out);
bool arm_acl_vnet_rules(struct arm_ctx *cx, const cJSON *vnets,
                        const cJSON *old_rules, cJSON **out);
bool arm_acl_subnet_admits(struct sim *sim, const char *subnet_id);
/* Answers 202 for a Network delete with both operation headers. */
void arm_net_deleted(struct arm_ctx *cx, const char *loc);

#endif
