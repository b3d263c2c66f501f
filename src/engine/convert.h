/*
 * convert.h — moving the azure library's resource structs into the
 * engine's model structs (engine-internal; the UI never sees azure/).
 *
 * Each function takes the heap-allocated az struct, moves its fields
 * into a new model struct and frees the az struct's shell: the argument
 * is gone after the call. The result is the caller's.
 */
#ifndef KV_ENGINE_CONVERT_H
#define KV_ENGINE_CONVERT_H

#include "azure/resource.h"
#include "engine/model.h"

struct kv_subscription *convert_subscription(struct az_subscription *a);
struct kv_group *convert_group(struct az_group *a);
struct kv_vault *convert_vault(struct az_vault *a);
struct kv_endpoint_connection *convert_pec(struct az_pec *a);
struct kv_secret_item *convert_secret_item(struct az_secret *a);
struct kv_secret_version *convert_secret_version(struct az_secret *a);

#endif
