/*
 * status.c — messages and names for enum kv_status.
 */
#include "config.h"

#include "base/i18n.h"
#include "base/status.h"

#define KV_STATUS_MSG(code, msg) [code] = msg,
static const char *const status_messages[] = {KV_STATUS_LIST(KV_STATUS_MSG)};
#undef KV_STATUS_MSG

#define KV_STATUS_NAME(code, msg) [code] = #code,
static const char *const status_names[] = {KV_STATUS_LIST(KV_STATUS_NAME)};
#undef KV_STATUS_NAME

const char *
kv_status_message(enum kv_status st)
{
    if ((unsigned)st >= KV_STATUS_COUNT)
        return _("unknown error");
    return _(status_messages[st]);
}

const char *
kv_status_name(enum kv_status st)
{
    if ((unsigned)st >= KV_STATUS_COUNT)
        return "KV_ERR_UNKNOWN";
    return status_names[st];
}
