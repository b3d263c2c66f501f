/*
 * device.h — pending device-code sign-ins (OAuth 2.0 device
 * authorization grant). Kept in memory only: a code that outlives a
 * restart would be expired anyway. Thread-safe.
 */
#ifndef KV_SIM_DEVICE_H
#define KV_SIM_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

enum device_poll {
    DEV_PENDING,
    DEV_SLOW_DOWN,
    DEV_EXPIRED,
    DEV_DECLINED,
    DEV_APPROVED,
    DEV_UNKNOWN,
};

struct devices *devices_new(void);
void devices_free(struct devices *d);
/* Registers a code; returns the device code, *user_code receives the code
 * a person types (both caller frees). */
char *devices_create(struct devices *d, const char *client_id,
                     const char *scope, int lifetime_s, int interval_s,
                     char **user_code);
/* One poll. auto_approve: approved once an interval has passed. On
 * DEV_APPROVED the code is consumed and *scope receives its scope (caller
 * frees). */
enum device_poll devices_poll(struct devices *d, const char *device_code,
                              const char *client_id, bool auto_approve,
                              char **scope);
/* Approves or declines by user code; false if no such pending code. */
bool devices_decide(struct devices *d, const char *user_code, bool approve);
/* The pending codes (caller deletes). */
cJSON *devices_list(struct devices *d);

#endif
