/*
 * model.h — the resources the engine hands to the user interface. They
 * are the azure library's decoded resources (azure/model.h: the structs,
 * their ownership rules and their *_free() functions), re-exported here
 * so that tui/ and cli/ depend only on engine headers; the AI services
 * account (azure/model-cognitive.h, issue #13) likewise.
 */
#ifndef KV_ENGINE_MODEL_H
#define KV_ENGINE_MODEL_H

#include "azure/model.h"
#include "azure/model-cognitive.h"

#endif
