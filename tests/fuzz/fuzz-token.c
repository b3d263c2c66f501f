/*
 * fuzz-token.c — libFuzzer target: token answers. The same body goes to
 * every sign-in parser: the token endpoint's answer
 * (az_credential_parse_token), the device-code grant and polls
 * (credential-device-parse.c, with the HTTP status from the selector
 * byte), the managed-identity answer and refusal (credential-mi.c) and
 * `az account get-access-token` output (credential-azcli.c). Tokens land
 * in secure memory and are freed.
 */
#include "config.h"

#include <stdlib.h>

#include "azure/credential-device.h"
#include "azure/credential.h"
#include "base/secmem.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const long statuses[] = {200, 400, 401, 403, 429, 500, 503, 0};
    long status = statuses[fuzz_pick(&data, &size) % 8];
    char *body = fuzz_str(data, size);
    struct secret *tok = NULL;
    int64_t exp = 0;
    char *why = NULL, *resource = NULL;

    (void)az_credential_parse_token(body, size, FUZZ_NOW, &tok, &exp, &why);
    secret_free(tok), tok = NULL;
    free(why), why = NULL;

    struct az_device_grant g = {0};
    (void)az_device_parse_grant(body, size, FUZZ_NOW, &g, &why);
    az_device_grant_clear(&g);
    free(why), why = NULL;

    struct az_user_token t = {0};
    (void)az_device_parse_poll(status, body, size, FUZZ_NOW, &t, &why);
    az_user_token_clear(&t);
    free(why), why = NULL;

    (void)az_credential_parse_mi(body, size, FUZZ_NOW, &tok, &exp, &resource,
                                 &why);
    secret_free(tok), tok = NULL;
    free(resource);
    free(why), why = NULL;
    free(az_credential_mi_error(status, body, size));

    (void)az_credential_parse_azcli(body, size, FUZZ_NOW, &tok, &exp, &why);
    secret_free(tok);
    free(why);
    free(body);
    return 0;
}
