# src/azure/local.mk — build list for the azure layer.
