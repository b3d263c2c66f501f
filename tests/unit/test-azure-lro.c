/*
 * test-azure-lro.c — the long-running-operation state machine (lro.h) as
 * a pure function: every pattern of PROTOCOL.md §7 (Network 201 +
 * Azure-AsyncOperation, Private DNS 202 + both headers, Key Vault purge
 * and resource-group delete by Location, vault create by
 * provisioningState, PEC update with the resource as its own status URL),
 * failures with their error body, Retry-After clamping, the budget,
 * polls refused on another host, and the progress text.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/lro.h"
#include "tests/tap.h"

#define ARM "https://management.azure.com"
#define RES ARM "/subscriptions/s/resourceGroups/rg/providers/X.Y/things/t1"
#define URL RES "?api-version=2024-01-01"

static const struct az_lro_policy pol = {
    .default_ms = 10000,
    .min_ms = 1000,
    .max_ms = 60000,
    .budget_ms = 1800000,
};

/* An answer with a body (NULL: none) and optional headers. */
static struct az_lro_answer
answer(long status, const char *body, const char *async, const char *loc,
       const char *retry_after)
{
    struct az_lro_answer a = {
        .status = status,
        .async_operation = async,
        .location = loc,
        .retry_after = retry_after,
        .body = body,
        .len = body != NULL ? strlen(body) : 0,
        .now = 1700000000,
        .elapsed_ms = 0,
    };
    return a;
}

static struct az_lro_action
step(struct az_lro *l, struct az_lro_answer a)
{
    return az_lro_step(l, &pol, &a);
}

static bool
is_get(const struct az_lro_action *a, const char *url, long delay, bool poll)
{
    return a->next == AZ_LRO_GET && a->url != NULL &&
           strcmp(a->url, url) == 0 && a->delay_ms == delay && a->poll == poll;
}

static void
test_private_dns(void)
{
    const char *ao =
        ARM "/subscriptions/s/providers/Microsoft.Network/"
            "privateDnsOperationStatuses/op1?api-version=2020-06-01";
    const char *loc =
        ARM "/subscriptions/s/providers/Microsoft.Network/"
            "privateDnsOperationResults/op1?api-version=2020-06-01";
    struct az_lro l;
    az_lro_init(&l, "put", URL);
    struct az_lro_action a = step(&l, answer(202, "{}", ao, loc, NULL));
    ok(is_get(&a, ao, 10000, true),
       "202 + both headers: Azure-AsyncOperation first, default wait");
    is_str(l.method, "PUT", "method upper-cased");
    a = step(&l, answer(202, "{\"status\":\"InProgress\"}", NULL, NULL, "5"));
    ok(is_get(&a, ao, 5000, true), "202 InProgress: poll again after 5 s");
    char *text = az_lro_progress(&l, a.delay_ms);
    is_str(text,
           "Creating or updating… (status: InProgress); next check in 5 s",
           "progress text");
    free(text);
    a = step(&l, answer(200, "{\"status\":\"Succeeded\"}", NULL, NULL, NULL));
    ok(is_get(&a, URL, 0, false),
       "Succeeded: the final GET of the resource, at once, not a poll");
    a = step(&l, answer(200,
                        "{\"id\":\"x\",\"properties\":{\"provisioningState\":"
                        "\"Succeeded\"}}",
                        NULL, NULL, NULL));
    ok(a.next == AZ_LRO_DONE && a.result_in_body, "the resource is the result");
    is_int(l.polls, 3, "three GETs asked for");
    a = step(&l, answer(200, "{}", NULL, NULL, NULL));
    ok(a.next == AZ_LRO_FAIL && a.status == KV_ERR_INTERNAL,
       "a step after the end is an error");
    az_lro_action_clear(&a);
    az_lro_clear(&l);
}

static void
test_network(void)
{
    /* signed status URL, kept byte for byte */
    const char *ao = ARM "/subscriptions/s/providers/Microsoft.Network/"
                         "locations/westeurope/operations/g1?api-version="
                         "2024-01-01&t=638&c=MIIH%2Bz&s=Ab-_&h=Q%3D";
    struct az_lro l;
    az_lro_init(&l, "PUT", URL);
    struct az_lro_action a =
        step(&l, answer(201,
                        "{\"properties\":{\"provisioningState\":"
                        "\"Updating\"}}",
                        ao, NULL, "10"));
    ok(is_get(&a, ao, 10000, true),
       "201 + Azure-AsyncOperation (signed URL kept as is)");
    a = step(&l, answer(200, "{\"status\":\"InProgress\"}", NULL, NULL, "1"));
    ok(is_get(&a, ao, 1000, true), "200 InProgress: poll again");
    a = step(&l, answer(200, "{\"status\":\"Succeeded\"}", NULL, NULL, NULL));
    ok(is_get(&a, URL, 0, false), "then GET the resource");
    a = step(&l, answer(200,
                        "{\"properties\":{\"provisioningState\":"
                        "\"Succeeded\"}}",
                        NULL, NULL, NULL));
    ok(a.next == AZ_LRO_DONE && a.result_in_body, "done");
    az_lro_clear(&l);

    /* the final GET may still show the resource settling */
    az_lro_init(&l, "PUT", URL);
    step(&l, answer(201, "{}", ao, NULL, NULL));
    step(&l, answer(200, "{\"status\":\"Succeeded\"}", NULL, NULL, NULL));
    a = step(&l, answer(200,
                        "{\"properties\":{\"provisioningState\":"
                        "\"Updating\"}}",
                        NULL, NULL, NULL));
    ok(is_get(&a, URL, 10000, true),
       "a final GET still Updating: poll the resource");
    az_lro_clear(&l);
}

static void
test_location(void)
{
    const char *loc = ARM "/subscriptions/s/providers/Microsoft.KeyVault/"
                          "locations/westeurope/operationResults/VVR1?"
                          "api-version=2023-07-01&sig=x";
    struct az_lro l;
    az_lro_init(&l, "POST",
                ARM "/subscriptions/s/providers/"
                    "Microsoft.KeyVault/locations/westeurope/"
                    "deletedVaults/v/purge?api-version=2023-07-01");
    struct az_lro_action a = step(&l, answer(202, NULL, NULL, loc, NULL));
    ok(is_get(&a, loc, 10000, true), "purge: 202 + Location only");
    a = step(&l, answer(202,
                        "{\"createdDateTime\":\"2023-11-06 12:47:03Z\","
                        "\"status\":\"NotStarted\"}",
                        NULL, NULL, NULL));
    ok(is_get(&a, loc, 10000, true), "202 NotStarted: poll again");
    char *text = az_lro_progress(&l, a.delay_ms);
    is_str(text, "Running… (status: NotStarted); next check in 10 s",
           "POST progress");
    free(text);
    a = step(&l, answer(200, "{\"status\":\"Succeeded\"}", NULL, NULL, NULL));
    ok(a.next == AZ_LRO_DONE && a.result_in_body,
       "200: done, the body is the POST's result");
    az_lro_clear(&l);

    az_lro_init(&l, "DELETE", URL);
    a = step(&l, answer(202, NULL, NULL, loc, NULL));
    ok(a.next == AZ_LRO_GET, "RG delete: 202 + Location");
    text = az_lro_progress(&l, a.delay_ms);
    is_str(text, "Deleting… (accepted); next check in 10 s",
           "progress without a state");
    free(text);
    a = step(&l, answer(202, NULL, NULL, NULL, NULL));
    ok(a.next == AZ_LRO_GET, "202 empty: again");
    a = step(&l, answer(200, NULL, NULL, NULL, NULL));
    ok(a.next == AZ_LRO_DONE && !a.result_in_body, "200: deleted, no result");
    az_lro_clear(&l);

    az_lro_init(&l, "PUT", URL);
    step(&l, answer(202, NULL, NULL, loc, NULL));
    a = step(&l, answer(200, "{}", NULL, NULL, NULL));
    ok(is_get(&a, URL, 0, false), "PUT by Location: then GET the resource");
    az_lro_clear(&l);

    az_lro_init(&l, "POST", URL);
    step(&l, answer(202, NULL, loc, loc, NULL));
    a = step(&l, answer(200,
                        "{\"status\":\"Failed\",\"error\":{\"code\":"
                        "\"Nope\",\"message\":\"It did not work.\"}}",
                        NULL, NULL, NULL));
    ok(a.next == AZ_LRO_FAIL && a.code != NULL && !strcmp(a.code, "Nope"),
       "a Failed status: the error's code");
    az_lro_action_clear(&a);
    az_lro_clear(&l);

    /* POST with both headers: the Location holds the result */
    const char *ao = ARM "/subscriptions/s/operations/o1?api-version=1";
    az_lro_init(&l, "POST", URL);
    a = step(&l, answer(202, NULL, ao, loc, NULL));
    ok(is_get(&a, ao, 10000, true), "POST, both headers: status first");
    a = step(&l, answer(200, "{\"status\":\"Succeeded\"}", NULL, NULL, NULL));
    ok(is_get(&a, loc, 0, false), "then the Location for the result");
    a = step(&l, answer(200, "{\"result\":1}", NULL, NULL, NULL));
    ok(a.next == AZ_LRO_DONE && a.result_in_body, "which is the result");
    az_lro_clear(&l);
}

static void
test_provisioning_state(void)
{
    struct az_lro l;
    az_lro_init(&l, "PUT", URL);
    struct az_lro_action a =
        step(&l, answer(200,
                        "{\"properties\":{\"provisioningState\":"
                        "\"RegisteringDns\"}}",
                        NULL, NULL, NULL));
    ok(is_get(&a, URL, 10000, true),
       "vault create: 200 RegisteringDns, no header: poll the resource");
    char *text = az_lro_progress(&l, a.delay_ms);
    is_str(text,
           "Creating or updating… (provisioningState: RegisteringDns); next "
           "check in 10 s",
           "progress names provisioningState");
    free(text);
    a = step(&l, answer(200,
                        "{\"properties\":{\"provisioningState\":"
                        "\"Succeeded\"}}",
                        NULL, NULL, NULL));
    ok(a.next == AZ_LRO_DONE && a.result_in_body, "Succeeded: done");
    az_lro_clear(&l);

    /* PEC update: 200 + Azure-AsyncOperation naming the resource itself */
    az_lro_init(&l, "PUT", URL);
    a = step(&l, answer(200,
                        "{\"properties\":{\"provisioningState\":\"Updating\"}}",
                        URL "&kv-operation=abc", NULL, NULL));
    ok(is_get(&a, URL "&kv-operation=abc", 10000, true),
       "200 Updating + Azure-AsyncOperation: follow the header");
    a = step(&l, answer(200,
                        "{\"properties\":{\"provisioningState\":\"Updating\"}}",
                        NULL, NULL, NULL));
    ok(a.next == AZ_LRO_GET, "a resource body read as a status: running");
    a = step(&l, answer(200,
                        "{\"properties\":{\"provisioningState\":"
                        "\"Succeeded\"}}",
                        NULL, NULL, NULL));
    ok(is_get(&a, URL, 0, false), "Succeeded: final GET");
    az_lro_clear(&l);

    az_lro_init(&l, "PUT", URL);
    step(&l, answer(201,
                    "{\"properties\":{\"provisioningState\":"
                    "\"Creating\"}}",
                    NULL, NULL, NULL));
    a = step(&l, answer(200,
                        "{\"properties\":{\"provisioningState\":\"Canceled\"}}",
                        NULL, NULL, NULL));
    ok(a.next == AZ_LRO_FAIL && a.status == KV_ERR_HTTP && !a.unknown &&
           a.message != NULL && strstr(a.message, "Canceled") != NULL,
       "Canceled: a failure that says so (%s)", a.message ? a.message : "");
    az_lro_action_clear(&a);
    az_lro_clear(&l);
}

static void
test_immediate(void)
{
    struct az_lro l;
    struct az_lro_action a;
    struct {
        const char *method;
        long status;
        const char *body;
        bool done, in_body;
        const char *what;
    } rows[] = {
        {"PUT", 200, "{\"properties\":{\"provisioningState\":\"Succeeded\"}}",
         true, true, "200 Succeeded: done at once"},
        {"PUT", 201, "{\"name\":\"g\"}", true, true,
         "201 without state or header: done (RG create)"},
        {"PUT", 200, "{}", true, true, "200 without state: done"},
        {"DELETE", 204, NULL, true, false, "DELETE 204: done, no body"},
        {"DELETE", 200, NULL, true, true, "DELETE 200: done"},
        {"POST", 202, NULL, true, true, "202 with nothing to follow: done"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        az_lro_init(&l, rows[i].method, URL);
        a = step(&l, answer(rows[i].status, rows[i].body, NULL, NULL, NULL));
        ok(a.next == AZ_LRO_DONE && a.result_in_body == rows[i].in_body, "%s",
           rows[i].what);
        az_lro_clear(&l);
    }

    az_lro_init(&l, "PUT", URL);
    a = step(&l, answer(200,
                        "{\"properties\":{\"provisioningState\":\"Failed\"},"
                        "\"error\":{\"code\":\"Bad\",\"message\":\"m\"}}",
                        NULL, NULL, NULL));
    ok(a.next == AZ_LRO_FAIL && !a.unknown && a.code && !strcmp(a.code, "Bad"),
       "200 with provisioningState Failed: failure with its error");
    az_lro_action_clear(&a);
    az_lro_clear(&l);

    az_lro_init(&l, "PUT", URL);
    a = step(&l, answer(409, "{\"error\":{\"code\":\"Conflict\"}}", NULL, NULL,
                        NULL));
    ok(a.next == AZ_LRO_FAIL && a.status == KV_ERR_CONFLICT && !a.unknown &&
           a.message == NULL,
       "409 on the write: CONFLICT, the body tells the rest");
    az_lro_action_clear(&a);
    az_lro_clear(&l);

    az_lro_init(&l, "PUT", URL);
    step(&l, answer(202, NULL, ARM "/op", NULL, NULL));
    a = step(&l, answer(500, "{}", NULL, NULL, NULL));
    ok(a.next == AZ_LRO_FAIL && a.unknown,
       "a poll answered 500: failure, outcome unknown");
    az_lro_action_clear(&a);
    az_lro_clear(&l);

    az_lro_init(&l, "PUT", URL);
    step(&l, answer(202, NULL, ARM "/op", NULL, NULL));
    a = step(&l, answer(202, NULL, NULL, NULL, NULL));
    ok(a.next == AZ_LRO_GET, "an async status 202 without a body: running");
    a = step(&l, answer(200, NULL, NULL, NULL, NULL));
    ok(is_get(&a, URL, 0, false), "200 without a body: succeeded");
    az_lro_clear(&l);
}

static void
test_waits_and_limits(void)
{
    struct az_lro l;
    struct az_lro_action a;
    const char *ao = ARM "/op?x=1";
    const char *ra[] = {"0", "3600", "Tue, 14 Nov 2023 22:13:40 GMT", "junk"};
    long want[] = {1000, 60000, 20000, 10000};
    const char *what[] = {"Retry-After 0: the floor", "an hour: the ceiling",
                          "an HTTP date 20 s ahead", "unreadable: the default"};
    for (size_t i = 0; i < 4; i++) {
        az_lro_init(&l, "PUT", URL);
        a = step(&l, answer(202, NULL, ao, NULL, ra[i]));
        ok(a.next == AZ_LRO_GET && a.delay_ms == want[i], "%s (%ld ms)",
           what[i], a.delay_ms);
        az_lro_clear(&l);
    }

    az_lro_init(&l, "PUT", URL);
    step(&l, answer(202, NULL, ao, NULL, NULL));
    struct az_lro_answer late =
        answer(200, "{\"status\":\"Running\"}", NULL, NULL, NULL);
    late.elapsed_ms = pol.budget_ms - 5000;
    a = az_lro_step(&l, &pol, &late);
    ok(a.next == AZ_LRO_FAIL && a.status == KV_ERR_TIMEOUT && a.unknown &&
           a.message != NULL && strstr(a.message, "Running") != NULL,
       "past the budget: timed out, outcome unknown, last state named (%s)",
       a.message ? a.message : "");
    az_lro_action_clear(&a);
    az_lro_clear(&l);

    const char *evil[] = {"https://attacker.example/op",
                          "http://management.azure.com/op",
                          "https://management.azure.com:8443/op"};
    for (size_t i = 0; i < 3; i++) {
        az_lro_init(&l, "PUT", URL);
        a = step(&l, answer(202, NULL, evil[i], NULL, NULL));
        ok(a.next == AZ_LRO_FAIL && a.status == KV_ERR_PARSE && a.unknown,
           "a poll URL on another origin is refused: %s", evil[i]);
        az_lro_action_clear(&a);
        az_lro_clear(&l);
    }
}

int
main(void)
{
    test_private_dns();
    test_network();
    test_location();
    test_provisioning_state();
    test_immediate();
    test_waits_and_limits();
    return tap_done();
}
