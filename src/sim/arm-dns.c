/*
 * arm-dns.c — Microsoft.Network/privateDnsZones: zones (202 with
 * Azure-AsyncOperation and Location), virtual network links, record sets
 * and the operation status resources.
 */
#include "config.h"

#include "sim/arm.h"

const struct arm_route arm_dns_routes[] = {
    {NULL, NULL, API_NONE, NULL, NULL},
};
