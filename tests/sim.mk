# tests/sim.mk — tests for the sim part (included from tests/local.mk).
