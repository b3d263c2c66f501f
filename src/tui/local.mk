# src/tui/local.mk — build list for the tui layer.
