/*
 * fuzz-sim.c — libFuzzer target: what kvdeck-sim parses from a request,
 * without sockets or state: the token endpoint's form body
 * (entra_form_get for every field the sim reads, then the scope/resource
 * resolution and a claims parameter), a bearer token (jwt_parse: header,
 * claims, signature split), JSON bodies (json_parse_object, the ARM
 * tags and location checks), the control endpoint's bodies (a fault rule
 * as JSON or a --fault spec, deviations, a seed spec) and an ARM id
 * turned into a store key. The selector byte picks the family; the rest
 * is the request's body or header value.
 *
 * This target stops at the decoders every handler calls first and
 * needs no state; the router and the handlers themselves, over a seeded
 * store, are fuzz-sim-router.c's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sim/arm.h"
#include "sim/auth.h"
#include "sim/control.h"
#include "sim/entra.h"
#include "sim/fault.h"
#include "sim/jwt.h"
#include "sim/seed.h"
#include "sim/sim.h"
#include "sim/util.h"
#include "fuzz.h"

static void
form(const char *text, size_t n)
{
    static const char *const keys[] = {
        "grant_type",       "scope",         "resource",
        "client_id",        "client_secret", "client_assertion_type",
        "client_assertion", "device_code",   "refresh_token",
        "claims",           "client_info"};
    struct sim_req rq;

    memset(&rq, 0, sizeof rq);
    rq.body.data = (char *)text;
    rq.body.len = n;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        free(entra_form_get(&rq, keys[i]));
    char *scope = entra_form_get(&rq, "scope");
    char *resource = entra_form_get(&rq, "resource");
    bool offline = false, openid = false;
    free(entra_resource_of(scope, resource, &offline, &openid));
    free(scope);
    free(resource);
    char *claims = entra_form_get(&rq, "claims");
    if (claims != NULL)
        (void)auth_claims_nbf(claims);
    free(claims);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned pick = fuzz_pick(&data, &size);
    char *text = fuzz_str(data, size);
    char *why = NULL;

    switch (pick % 6) {
    case 0:
        form(text, size);
        break;
    case 1: {
        struct jwt j;
        memset(&j, 0, sizeof j);
        if (jwt_parse(text, &j))
            jwt_free(&j);
        break;
    }
    case 2: {
        cJSON *o = json_parse_object(text, size);
        if (o != NULL) {
            (void)arm_tags_ok(cJSON_GetObjectItem(o, "tags"));
            const char *loc = json_str(o, "location");
            if (loc != NULL) {
                (void)arm_location_ok(loc);
                free(arm_location_norm(loc));
            }
            cJSON_Delete(o);
        }
        break;
    }
    case 3: {
        struct faults *f = faults_new(1);
        cJSON *o = json_parse_object(text, size);
        if (o != NULL) {
            (void)faults_add_json(f, o, &why);
            free(why), why = NULL;
            cJSON_Delete(o);
        }
        (void)faults_add_spec(f, text, &why);
        cJSON *dump = faults_to_json(f);
        cJSON_Delete(dump);
        faults_free(f);
        break;
    }
    case 4: {
        unsigned dev = 0;
        (void)control_parse_deviations(text, &dev, &why);
        free(why), why = NULL;
        (void)seed_check(text, &why);
        break;
    }
    default:
        free(arm_key_of_id(text));
        (void)util_name_ok(text, 3, 24);
        free(util_lower(text));
        break;
    }
    free(why);
    free(text);
    return 0;
}
