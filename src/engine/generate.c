/*
 * generate.c — the engine's door to azure/generate.c for the front ends
 * (see generate.h). Generating is pure and quick, so it runs on the
 * caller's thread rather than as a job.
 */
#include "config.h"

#include "azure/generate.h"
#include "engine/generate.h"

enum kv_status
engine_generate_value(const char *spec, struct secret **out, char **why)
{
    return az_generate_value(spec, out, why);
}

enum kv_status
engine_generate_check(const char *spec, size_t *length, char **why)
{
    return az_generate_check(spec, length, why);
}
