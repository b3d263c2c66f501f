/*
 * wizard-attach.h — the attach-a-private-endpoint wizard (`a` with a
 * vault open, e.g. in the endpoints pane; `:attach`): the opened vault
 * behind a private endpoint in a subnet of one of the subscriptions'
 * VNets, its private DNS, the connection's approval and, optionally,
 * public network access closed; one reviewed plan (plan_attach()).
 *
 * Checks app_refuse_read_only() itself, so under --read-only nothing is
 * sent whichever way it was reached. Only reads (the VNets, zones,
 * links, permissions, the DNS check) go out before the review's Apply.
 */
#ifndef KV_TUI_WIZARD_ATTACH_H
#define KV_TUI_WIZARD_ATTACH_H

#include "tui/app.h"

/* The wizard for the vault opened now (a->vault). */
void wizard_attach_new(struct app *a);

#endif
