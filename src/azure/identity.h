/*
 * identity.h — who a token says is signed in, read from the JWT's
 * payload without verifying it (the token is our own, fresh from the
 * token endpoint; this is for display: the header, kvdeck whoami). The
 * token itself is never copied out or printed.
 *
 * Ownership: the strings of struct az_identity are owned by it;
 * az_identity_clear() frees them. az_identity_copy() makes a deep copy.
 */
#ifndef KV_AZURE_IDENTITY_H
#define KV_AZURE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

struct az_identity {
    char *account;   /* upn, else unique_name, else preferred_username
                        (a user); NULL for an application */
    char *name;      /* the display name (name), or NULL */
    char *app_id;    /* appid (v1) or azp (v2): the client, or NULL */
    char *object_id; /* oid */
    char *tenant_id; /* tid */
    char *kind;      /* idtyp ("user", "app"), or derived: "user" when an
                        account is named, else "app" */
};

/* Reads the claims of the access token jwt (len bytes). False when it is
 * not a JWT whose payload is a JSON object; out is then empty. */
bool az_identity_from_token(const char *jwt, size_t len,
                            struct az_identity *out);
/* The name to show: the account, else the app id, else the object id,
 * else NULL. Borrowed. */
const char *az_identity_display(const struct az_identity *id);
void az_identity_copy(struct az_identity *dst, const struct az_identity *src);
void az_identity_clear(struct az_identity *id);

#endif
