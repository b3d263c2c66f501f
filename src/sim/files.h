/*
 * files.h — the files a state directory holds besides the store and the
 * keys: sim.json (the simulated tenant's identity, 0600), and the
 * connection file and custom-cloud file a launcher reads (CONTRACTS.md
 * §1), written atomically once the simulator serves.
 */
#ifndef KV_SIM_FILES_H
#define KV_SIM_FILES_H

#include "base/status.h"
#include "sim/sim.h"

/* Loads DIR/sim.json into sim->id, or creates it for the seed. */
enum kv_status files_identity(struct sim *sim, const char *seed, char **why);
void files_identity_free(struct sim_identity *id);
/* Writes connection.json and cloud.json; *path receives the connection
 * file's path (caller frees). */
enum kv_status files_write_connection(struct sim *sim, char **path, char **why);
/* Writes a file atomically (temp, fsync, rename) with mode. */
enum kv_status files_write_atomic(const char *path, const char *data, int mode,
                                  char **why);

#endif
