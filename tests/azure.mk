# tests/azure.mk — tests for the azure part (included from tests/local.mk).
