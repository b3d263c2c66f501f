/*
 * action-network.h — the endpoints pane's small plans (action-network.c):
 * public network access on/off, the network rules' default action, add or
 * remove an IP rule or a virtual network rule, approve, reject or remove a
 * private endpoint connection. Each is a plan (engine/plan.h) reviewed,
 * then run with its progress through action_run(); the vault and its
 * connections are loaded again when it ends.
 */
#ifndef KV_TUI_ACTION_NETWORK_H
#define KV_TUI_ACTION_NETWORK_H

#include <stdbool.h>

#include "tui/app.h"
#include "tui/keys.h"

/* What the endpoints pane's cursor is on (view-endpoints.c); pointers
 * borrowed from the store, valid until the next store change. At most
 * one is set. */
struct endpoints_selection {
    const char *ip_rule;   /* a CIDR of the vault's ipRules */
    const char *vnet_rule; /* a subnet id of its virtualNetworkRules */
    const struct kv_endpoint_connection *connection;
};
/* False when the pane shows no vault or the cursor is on no item. */
bool view_endpoints_selected(struct app *a, struct endpoints_selection *out);

/* One of the pane's writing keys (ACT_PUBLIC_ACCESS, ACT_DEFAULT_ACTION,
 * ACT_ADD_IP_RULE, ACT_ADD_VNET_RULE, ACT_APPROVE, ACT_REJECT,
 * ACT_DELETE) on the opened vault and the pane's selection. */
void action_network_key(struct app *a, enum key_action act);

#endif
