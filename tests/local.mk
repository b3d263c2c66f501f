# tests/local.mk — make check: unit tests (TAP) and program tests (shell).

EXTRA_DIST += tests/tap.h tests/layers/layer-rules.sh

TESTS += tests/layers/test-layers.sh
EXTRA_DIST += tests/layers/test-layers.sh

check_PROGRAMS += tests/unit/test-base
tests_unit_test_base_SOURCES = tests/unit/test-base.c
tests_unit_test_base_LDADD = src/base/libkvbase.a $(LIBINTL)
TESTS += tests/unit/test-base

# The worker/transport tests, run alone under ThreadSanitizer by .ci/run.
WORKER_TESTS =
include tests/azure.mk
include tests/sim.mk
include tests/tui.mk
include tests/cli.mk
include tests/conformance.mk
include tests/keyring.mk
include tests/fuzz/local.mk
check-worker:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(WORKER_TESTS)'
.PHONY: check-worker
