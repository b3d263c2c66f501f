# tests/cli.mk — the batch commands against kvdeck-sim (included from
# tests/local.mk). Each script starts its own simulator.
EXTRA_DIST += tests/cli/clilib.sh tests/cli/simctl.py tests/cli/fake-az.py
CLI_TESTS = tests/cli/test-cli-read.sh tests/cli/test-cli-write.sh \
	tests/cli/test-cli-faults.sh tests/cli/test-cli-cert.sh \
	tests/cli/test-cli-az.sh tests/cli/test-cli-mi.sh \
	tests/cli/test-cli-whoami.sh tests/cli/test-cli-claims.sh \
	tests/cli/test-cli-device.sh tests/cli/test-cli-doctor.sh \
	tests/cli/test-cli-keyring-login.sh tests/cli/test-cli-vault.sh \
	tests/cli/test-cli-network.sh tests/cli/test-cli-endpoint.sh \
	tests/cli/test-cli-endpoint-inside.sh tests/cli/test-cli-arm-secret.sh \
	tests/cli/test-cli-errors.sh
# The configuration's subscription said when it matches nothing (#11).
CLI_TESTS += tests/cli/test-cli-config-context.sh
# Tenant-wide vault lists from Azure Resource Graph (#12).
CLI_TESTS += tests/cli/test-cli-graph.sh
# The fault matrix (#11): faults x list, rotate, vault create, attach;
# the .lib runs a cell, the .py judges the report against the simulator.
CLI_TESTS += tests/cli/test-cli-fault-matrix-list.sh \
	tests/cli/test-cli-fault-matrix-rotate.sh \
	tests/cli/test-cli-fault-matrix-vault.sh \
	tests/cli/test-cli-fault-matrix-attach.sh
EXTRA_DIST += tests/cli/test-cli-fault-matrix.lib \
	tests/cli/test-cli-fault-matrix.py
# Expiring secrets across the tenant (issue #12).
CLI_TESTS += tests/cli/test-cli-expiring.sh
# Rotation at the source: an AI services account's key (issue #13).
CLI_TESTS += tests/cli/test-cli-rotate-source.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS)
check-cli:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(CLI_TESTS)'
.PHONY: check-cli
