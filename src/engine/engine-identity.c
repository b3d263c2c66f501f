/*
 * engine-identity.c — who is signed in, for the header and kvdeck
 * whoami: the worker copies what the latest Resource Manager token names
 * (azure/identity.h) into the engine under its lock; the UI reads the
 * copy (engine_identity(), in engine.c with the other calls of the UI
 * thread). And the switch to another tenant of the account (:tenant),
 * asked for with engine_set_tenant(), applied here before the next jobs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/identity.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "engine/worker.h"

static void
put(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s != NULL ? s : "");
}

void
engine_identity_sync(struct engine *e)
{
    pthread_mutex_lock(&e->mu);
    char *tenant = e->tenant_req;
    e->tenant_req = NULL;
    pthread_mutex_unlock(&e->mu);
    if (tenant != NULL) {
        log_debug("engine: Resource Manager calls now go to tenant %s", tenant);
        az_client_set_tenant(e->client, tenant);
        free(e->tenant_id); /* the journal's: read on this thread */
        e->tenant_id = tenant;
    }

    unsigned seq;
    const struct az_identity *id = az_client_identity(e->client, &seq);
    if (seq == e->identity_seen)
        return;
    e->identity_seen = seq;
    struct engine_identity copy;
    memset(&copy, 0, sizeof copy);
    put(copy.account, sizeof copy.account, id->account);
    put(copy.name, sizeof copy.name, id->name);
    put(copy.app_id, sizeof copy.app_id, id->app_id);
    put(copy.object_id, sizeof copy.object_id, id->object_id);
    put(copy.tenant_id, sizeof copy.tenant_id, id->tenant_id);
    put(copy.kind, sizeof copy.kind, id->kind);
    put(copy.display, sizeof copy.display, az_identity_display(id));
    pthread_mutex_lock(&e->mu);
    e->identity = copy;
    e->identity_seq = seq;
    pthread_mutex_unlock(&e->mu);
}
