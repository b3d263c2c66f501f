/*
 * session.c — the one session setup shared by the console and the batch
 * commands (see session.h): config, --demo simulator, cloud, credential,
 * engine.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "engine/session.h"

enum kv_status
session_open(const struct session_options *o, struct session **out, char **why)
{
    struct session *s = xcalloc(1, sizeof *s);
    enum kv_status st;
    *out = NULL;
    st = settings_load(o->config_path, &s->cfg, why);
    if (st != KV_OK && o->config_errors_ok) {
        s->config_error = *why;
        *why = NULL;
        s->cfg = settings_new();
        st = KV_OK;
    }
    if (st != KV_OK) {
        st = KV_ERR_CONFIG;
        goto fail;
    }
    if (o->before_start != NULL && (st = o->before_start(why)) != KV_OK)
        goto fail;
    struct engine_config ec;
    memset(&ec, 0, sizeof ec);
    if (o->demo) {
        char *inner = NULL;
        st = demo_start(o->demo_seed != NULL ? o->demo_seed : "demo",
                        o->demo_timeout_ms > 0 ? o->demo_timeout_ms : 30000,
                        &s->demo, &inner);
        if (st != KV_OK) {
            *why = xasprintf(_("cannot start the demo: %s"), inner);
            free(inner);
            goto fail;
        }
        ec.cloud = s->demo->cloud_file;
        ec.ca_file = s->demo->ca_file;
        ec.tenant_id = s->demo->tenant;
        ec.client_id = s->demo->client_id;
        ec.client_secret = s->demo->client_secret;
        ec.client_certificate = s->demo->client_certificate;
        ec.auth = o->auth;
        ec.no_environment = true;
    } else {
        ec.cloud = o->cloud != NULL ? o->cloud : s->cfg->cloud;
        ec.ca_file = s->cfg->ca_file;
        ec.tenant_id = s->cfg->tenant;
        ec.client_id = s->cfg->client_id;
        ec.client_secret = s->cfg->client_secret;
        ec.client_certificate = s->cfg->client_certificate;
        ec.client_certificate_password = s->cfg->client_certificate_password;
        ec.auth = o->auth != NULL ? o->auth : s->cfg->auth;
        ec.managed_identity = s->cfg->managed_identity;
        if (o->tenant != NULL)
            ec.tenant_id = o->tenant;
    }
    ec.interactive = o->interactive;
    ec.device_client_id = s->cfg->device_client_id;
    ec.resolve = &s->cfg->resolve; /* the demo too: "inside the VNet" */
    s->eng = engine_new(&ec, why);
    if (s->eng == NULL) {
        st = KV_ERR_CONFIG;
        goto fail;
    }
    *out = s;
    return KV_OK;
fail:
    session_close(s);
    return st;
}

pid_t
session_child_group(const struct session *s)
{
    return s != NULL && s->demo != NULL ? s->demo->pid : 0;
}

void
session_close(struct session *s)
{
    if (s == NULL)
        return;
    engine_free(s->eng);
    demo_stop(s->demo);
    settings_free(s->cfg);
    free(s->config_error);
    free(s);
}
