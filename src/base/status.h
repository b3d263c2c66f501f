/*
 * status.h — the status codes every kvdeck function returns, with a
 * message for each (an X-macro keeps codes and messages together).
 *
 * A function that can fail returns enum kv_status and, where a person
 * needs more than the generic message, fills a `char **why` the caller
 * frees.
 */
#ifndef KV_BASE_STATUS_H
#define KV_BASE_STATUS_H

#define KV_STATUS_LIST(X)                                                    \
    X(KV_OK, N_("success"))                                                  \
    X(KV_ERR_INVALID, N_("invalid argument"))                                \
    X(KV_ERR_IO, N_("input/output error"))                                   \
    X(KV_ERR_PARSE, N_("malformed response"))                                \
    X(KV_ERR_CONNECT, N_("could not connect"))                               \
    X(KV_ERR_TLS, N_("TLS verification failed"))                             \
    X(KV_ERR_TIMEOUT, N_("timed out"))                                       \
    X(KV_ERR_HTTP, N_("the server returned an error"))                       \
    X(KV_ERR_AUTH, N_("authentication failed"))                              \
    X(KV_ERR_FORBIDDEN, N_("permission denied"))                             \
    X(KV_ERR_NOT_FOUND, N_("not found"))                                     \
    X(KV_ERR_CONFLICT, N_("conflict"))                                       \
    X(KV_ERR_THROTTLED, N_("throttled by the server"))                       \
    X(KV_ERR_CANCELLED, N_("cancelled"))                                     \
    X(KV_ERR_TOO_LARGE, N_("too large"))                                     \
    X(KV_ERR_UNSUPPORTED, N_("not supported"))                               \
    X(KV_ERR_CONFIG, N_("configuration error"))                              \
    X(KV_ERR_INTERNAL, N_("internal error"))                                 \
    X(KV_ERR_SIGNIN_DECLINED, N_("sign-in declined"))                        \
    X(KV_ERR_SIGNIN_EXPIRED, N_("sign-in code expired"))                     \
    X(KV_ERR_SIGNIN_CODE, N_("sign-in code not accepted"))

#define KV_STATUS_ENUM(code, msg) code,
enum kv_status { KV_STATUS_LIST(KV_STATUS_ENUM) KV_STATUS_COUNT };
#undef KV_STATUS_ENUM

/* The translated message for a status; a static string, never NULL. */
const char *kv_status_message(enum kv_status st);
/* The code's name, e.g. "KV_ERR_TIMEOUT"; for logs and tests. */
const char *kv_status_name(enum kv_status st);

#endif
