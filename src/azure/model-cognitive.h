/*
 * model-cognitive.h — an Azure AI services account (Microsoft.
 * CognitiveServices/accounts; issue #13) as a plain struct, without
 * cJSON or libcurl, so that the engine can hand it to the user interface
 * (engine/model.h re-exports it). Decoders and operations: cognitive.h.
 *
 * Ownership as azure/model.h: every string owned by the struct (NULL
 * when Azure did not send it); kv_ai_account_free() frees the struct and
 * its contents (NULL is fine). No key is ever part of it.
 */
#ifndef KV_AZURE_MODEL_COGNITIVE_H
#define KV_AZURE_MODEL_COGNITIVE_H

#include "azure/model.h"

struct kv_ai_account {
    char *id;
    char *name;
    char *kind; /* "OpenAI", "CognitiveServices", ... */
    char *location;
    char *endpoint; /* properties.endpoint */
    struct kv_tags tags;
    char *json; /* the account as Azure sent it, pretty-printed */
};

void kv_ai_account_free(struct kv_ai_account *a);

#endif
