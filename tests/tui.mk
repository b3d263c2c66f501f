# tests/tui.mk — tests for the tui part (included from tests/local.mk).
