/*
 * dp.h — helpers the data plane shares between its files: the vault a
 * request is for, error shapes, and ids.
 */
#ifndef KV_SIM_DP_H
#define KV_SIM_DP_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "sim/sim.h"

struct store_kv;

struct dp_ctx {
    struct sim_req *rq;
    struct sim_resp *rs;
    struct sim *sim;
    cJSON *vault;      /* the vault's ARM document */
    const char *vname; /* lower-case vault name */
    const char *api;
};

void dp_error(struct dp_ctx *cx, int status, const char *code,
              const char *inner, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* True when the vault is reachable from this request (public access or
 * the private path through an approved private endpoint). */
bool dp_network_ok(struct sim_req *rq, const cJSON *vault, bool *firewall);
/* Renders one store entry of a list as an item; NULL leaves it out. */
typedef cJSON *(*dp_item_fn)(struct dp_ctx *cx, const struct store_kv *kv,
                             void *ud);
/* Answers one page of a data-plane list of the entries under prefix:
 * maxresults 1..25 (default 25), $skiptoken, an absolute nextLink with
 * :443 and the request's maxresults, or "nextLink": null at the end. */
void dp_page(struct dp_ctx *cx, const char *prefix, dp_item_fn item, void *ud);
/* Answers the secrets API (dp-secret*.c). */
void dp_secrets(struct dp_ctx *cx, char **seg, int n);

#endif
