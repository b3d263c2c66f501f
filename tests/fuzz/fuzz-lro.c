/*
 * fuzz-lro.c — libFuzzer target: long-running operations (lro.c). The
 * input is a sequence of answers separated by "\n--\n"; each answer is
 * "STATUS\nAsync\nLocation\nRetry-After\n" then its body. They are fed to
 * az_lro_step() in turn (a PUT, a POST or a DELETE by the selector byte)
 * until the state machine ends, with the progress sentence asked for at
 * every GET, as the engine does.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/lro.h"
#include "fuzz.h"

/* The next line of *p (NUL-terminated in place), or "" at the end. */
static char *
next_line(char **p)
{
    char *s = *p, *nl = strchr(s, '\n');

    if (nl == NULL) {
        *p = s + strlen(s);
        return s;
    }
    *nl = '\0';
    *p = nl + 1;
    return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"PUT", "POST", "DELETE", "PATCH"};
    unsigned pick = fuzz_pick(&data, &size);
    char *text = fuzz_str(data, size);
    struct az_lro l;
    struct az_lro_policy pol = az_lro_default();
    char *p = text;

    az_lro_init(&l, methods[pick % 4],
                "https://management.azure.com/subscriptions/s/resourceGroups/"
                "g/providers/Microsoft.KeyVault/vaults/v?api-version=1");
    for (int round = 0; round < 64 && *p != '\0'; round++) {
        char *end = strstr(p, "\n--\n");
        if (end != NULL)
            *end = '\0';
        struct az_lro_answer a = {.now = FUZZ_NOW, .elapsed_ms = round * 1000L};
        a.status = strtol(next_line(&p), NULL, 10);
        char *async = next_line(&p), *loc = next_line(&p), *ra = next_line(&p);
        a.async_operation = *async ? async : NULL;
        a.location = *loc ? loc : NULL;
        a.retry_after = *ra ? ra : NULL;
        a.body = p;
        a.len = strlen(p);
        struct az_lro_action act = az_lro_step(&l, &pol, &a);
        enum az_lro_next next = act.next;
        if (next == AZ_LRO_GET)
            free(az_lro_progress(&l, act.delay_ms));
        az_lro_action_clear(&act);
        if (next != AZ_LRO_GET || end == NULL)
            break;
        p = end + 4;
    }
    az_lro_clear(&l);
    free(text);
    return 0;
}
