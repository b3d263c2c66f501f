/*
 * device.h — device-code sign-ins (OAuth 2.0 device authorization
 * grant). Codes are kept in the state store ("dev|CODE") so that a
 * pending, approved or declined code survives a restart of the
 * simulator, as it survives a restart of an Entra front end; the time of
 * the last poll (for slow_down) lives in memory only. Thread-safe.
 */
#ifndef KV_SIM_DEVICE_H
#define KV_SIM_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct store;

enum device_poll {
    DEV_PENDING,
    DEV_SLOW_DOWN,
    DEV_EXPIRED,
    DEV_DECLINED,
    DEV_APPROVED,
    DEV_UNKNOWN,
};

/* Loads the codes kept in st (which must outlive the table). */
struct devices *devices_new(struct store *st);
void devices_free(struct devices *d);
/* Registers a code; returns the device code, *user_code receives the code
 * a person types (both caller frees). */
char *devices_create(struct devices *d, const char *client_id,
                     const char *scope, int lifetime_s, int interval_s,
                     char **user_code);
/* One poll. auto_approve: approved once an interval has passed.
 * slow_down: a poll sooner than the interval (with 20% grace) answers
 * DEV_SLOW_DOWN and adds 5 s to the code's interval (RFC 8628 3.5). On
 * DEV_APPROVED the code is consumed and *scope receives its scope (caller
 * frees). */
enum device_poll devices_poll(struct devices *d, const char *device_code,
                              const char *client_id, bool auto_approve,
                              bool slow_down, char **scope);
/* Approves or declines by user code; false if no such pending code. */
bool devices_decide(struct devices *d, const char *user_code, bool approve);
/* The codes not yet redeemed, with their state (caller deletes). */
cJSON *devices_list(struct devices *d);

#endif
