/*
 * control.h — the control endpoint (/_sim on the simulator's own host):
 * status, faults, deviations, run-time settings, device-code approval,
 * certificate registration and forced compaction.
 */
#ifndef KV_SIM_CONTROL_H
#define KV_SIM_CONTROL_H

#include <stdbool.h>

#include "sim/sim.h"

/* Parses "provisioning-state,no-nextlink" into SIM_DEV_* bits; false
 * (with *why, caller frees) on an unknown name. */
bool control_parse_deviations(const char *list, unsigned *out, char **why);

#endif
