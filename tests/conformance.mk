# tests/conformance.mk — tests for the conformance part (included from tests/local.mk).
