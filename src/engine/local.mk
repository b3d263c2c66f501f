# src/engine/local.mk — build list for the engine layer.
