# tests/sim.mk — tests for the sim part (included from tests/local.mk).
# Each test-*.sh runs a Python (standard library) script against a fresh
# kvdeck-sim in a temporary state directory; skipped without the sim.
SIM_TESTS = \
	tests/sim/test-serve.sh \
	tests/sim/test-auth.sh \
	tests/sim/test-signin.sh \
	tests/sim/test-arm.sh \
	tests/sim/test-apiversions.sh \
	tests/sim/test-dataplane.sh \
	tests/sim/test-writepath.sh \
	tests/sim/test-network.sh \
	tests/sim/test-proxy.sh \
	tests/sim/test-faults.sh \
	tests/sim/test-concurrency.sh \
	tests/sim/test-parallel.sh \
	tests/sim/test-seeds.sh \
	tests/sim/test-kill.sh \
	tests/sim/test-tenants.sh \
	tests/sim/test-rbac.sh \
	tests/sim/test-arm-secrets.sh \
	tests/sim/test-network-rights.sh \
	tests/sim/test-graph.sh \
	tests/sim/test-cognitive.sh
TESTS += $(SIM_TESTS)
EXTRA_DIST += $(SIM_TESTS) $(SIM_TESTS:.sh=.py) tests/sim/simlib.py
