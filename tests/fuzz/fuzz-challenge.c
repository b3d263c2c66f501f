/*
 * fuzz-challenge.c — libFuzzer target: the WWW-Authenticate value of a
 * 401 (challenge.c): the Bearer challenge, whether its resource fits a
 * request URL, and a claims challenge.
 */
#include "config.h"

#include <stdlib.h>

#include "azure/challenge.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header = fuzz_str(data, size);
    struct az_challenge c = {0};

    if (az_challenge_parse(header, &c)) {
        (void)az_challenge_fits(&c, "https://v1.vault.azure.net/secrets/a");
        (void)az_challenge_fits(&c, "https://management.azure.com/x");
    }
    az_challenge_clear(&c);
    free(az_challenge_claims(header));
    free(header);
    return 0;
}
