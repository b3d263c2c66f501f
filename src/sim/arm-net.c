/*
 * arm-net.c — Microsoft.Network: virtual networks and subnets, private
 * endpoints (201 + Azure-AsyncOperation + Retry-After, the operation
 * status resource, GET/list/DELETE) with the vault side of their
 * connections, and private DNS zone groups that maintain the vault's A
 * record.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "sim/arm.h"
#include "sim/store.h"
#include "sim/util.h"

void
arm_net_delete_group(struct store_txn *t, const char *sub, const char *rg)
{
    static const char *const kinds[] = {"vnet", "subnet", "pe", "zg",
                                        "zone", "vlink", "rec", NULL};

    for (size_t i = 0; kinds[i]; i++) {
        char *p = xasprintf("%s|%s|%s|", kinds[i], sub, rg);

        store_txn_del_prefix(t, p);
        free(p);
    }
}

const struct arm_route arm_net_routes[] = {
    {NULL, NULL, API_NONE, NULL, NULL},
};
